// podscope-cli logs, on log directories laid out by hand as `run` leaves them:
// LOGDIR/<namespace>_<pod>_<uid>/<container>/<attempt>.log

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "cli/cli_support.h"
#include "core/user_dirs.h"

namespace {

namespace fs = std::filesystem;
using podscope::testing::runCli;
using ::testing::HasSubstr;

std::vector<std::string> g_madeDirs;

/// Removes the directories the test made.
class CliLogs : public ::testing::Test {
 protected:
  void TearDown() override {
    for (const std::string& dir : g_madeDirs) {
      std::error_code ec;
      fs::remove_all(dir, ec);
    }
    g_madeDirs.clear();
  }
};

/// A fresh log directory named after the running test (and process).
std::string freshLogDir() {
  std::string dir = ::testing::TempDir() + "podscope-logs-" +
                    ::testing::UnitTest::GetInstance()->current_test_info()->name() + "-" +
                    std::to_string(::getpid());
  fs::remove_all(dir);
  fs::create_directories(dir);
  g_madeDirs.push_back(dir);
  return dir;
}

void writeFile(const fs::path& path, const std::string& text, bool append = false) {
  fs::create_directories(path.parent_path());
  std::ofstream(path, append ? std::ios::binary | std::ios::app : std::ios::binary) << text;
}

/// Sets an environment variable for one test, and puts it back after.
class EnvVar {
 public:
  EnvVar(const char* name, const char* value) : m_name(name) {
    if (const char* old = std::getenv(name)) m_old = old;
    if (value) {
      setenv(name, value, 1);
    } else {
      unsetenv(name);
    }
  }
  ~EnvVar() {
    if (m_old) {
      setenv(m_name, m_old->c_str(), 1);
    } else {
      unsetenv(m_name);
    }
  }
  EnvVar(const EnvVar&) = delete;
  EnvVar& operator=(const EnvVar&) = delete;

 private:
  const char* m_name;
  std::optional<std::string> m_old;
};

/// Pod "web" in namespace default: app restarted once, sidecar never.
std::string webPod() {
  std::string dir = freshLogDir();
  std::string pod = dir + "/default_web_1b2c3d4e-0000-4000-8000-000000000001";
  writeFile(pod + "/app/0.log", "starting\ncrashed\n");
  writeFile(pod + "/app/1.log", "starting again\nserving\n");
  writeFile(pod + "/sidecar/0.log", "proxy up\n");
  return dir;
}

TEST_F(CliLogs, PrintsTheOnlyContainersLatestAttempt) {
  std::string dir = freshLogDir();
  writeFile(dir + "/default_hello_u1/hello/0.log", "first run\n");
  writeFile(dir + "/default_hello_u1/hello/1.log", "hello\nworld\n");
  auto o = runCli("logs hello --log-dir " + dir, "/dev/null");
  EXPECT_EQ(o.exitCode, 0);
  EXPECT_EQ(o.text, "hello\nworld\n");
  auto typed = runCli("logs pod/hello --log-dir " + dir, "/dev/null");
  EXPECT_EQ(typed.exitCode, 0);
  EXPECT_EQ(typed.text, "hello\nworld\n");
}

TEST_F(CliLogs, BytesArePrintedAsWritten) {
  std::string dir = freshLogDir();
  std::string raw("no newline\0at the end \xff", 24);
  writeFile(dir + "/default_raw_u1/c/0.log", raw);
  auto o = runCli("logs raw --log-dir " + dir, "/dev/null");
  EXPECT_EQ(o.exitCode, 0);
  EXPECT_EQ(o.text, raw);
}

TEST_F(CliLogs, SeveralContainersNeedOneNamed) {
  std::string dir = webPod();
  auto o = runCli("logs web --log-dir " + dir);
  EXPECT_EQ(o.exitCode, 1);
  EXPECT_EQ(o.text, "error: a container name must be specified for pod web, choose one of: [app sidecar]\n");
  auto wrong = runCli("logs web -c db --log-dir " + dir);
  EXPECT_EQ(wrong.exitCode, 1);
  EXPECT_EQ(wrong.text, "error: container db is not valid for pod web, choose one of: [app sidecar]\n");
}

TEST_F(CliLogs, ContainerNamedWithC) {
  std::string dir = webPod();
  auto o = runCli("logs web -c sidecar --log-dir " + dir, "/dev/null");
  EXPECT_EQ(o.exitCode, 0);
  EXPECT_EQ(o.text, "proxy up\n");
  auto longForm = runCli("logs web --container=app --log-dir " + dir, "/dev/null");
  EXPECT_EQ(longForm.text, "starting again\nserving\n");
  auto inline_ = runCli("logs web app --log-dir " + dir, "/dev/null");
  EXPECT_EQ(inline_.text, "starting again\nserving\n");
  auto both = runCli("logs web app -c sidecar --log-dir " + dir);
  EXPECT_EQ(both.exitCode, 1);
  EXPECT_THAT(both.text, HasSubstr("error: only one of -c or an inline [CONTAINER] arg is allowed"));
}

TEST_F(CliLogs, PreviousPrintsTheAttemptBeforeTheLast) {
  std::string dir = webPod();
  auto o = runCli("logs web -c app -p --log-dir " + dir, "/dev/null");
  EXPECT_EQ(o.exitCode, 0);
  EXPECT_EQ(o.text, "starting\ncrashed\n");
  auto none = runCli("logs web -c sidecar --previous --log-dir " + dir);
  EXPECT_EQ(none.exitCode, 1);
  EXPECT_EQ(none.text, "error: previous terminated container \"sidecar\" in pod \"web\" not found\n");
}

TEST_F(CliLogs, TailPrintsTheLastLines) {
  std::string dir = freshLogDir();
  writeFile(dir + "/default_t_u1/c/0.log", "1\n2\n3\n4\n");
  writeFile(dir + "/default_u_u1/c/0.log", "1\n2\nunfinished");
  auto tail = [&](const std::string& pod, const std::string& n) {
    return runCli("logs " + pod + " --tail " + n + " --log-dir " + dir, "/dev/null").text;
  };
  EXPECT_EQ(tail("t", "2"), "3\n4\n");
  EXPECT_EQ(tail("t", "0"), "");
  EXPECT_EQ(tail("t", "-1"), "1\n2\n3\n4\n");
  EXPECT_EQ(tail("t", "10"), "1\n2\n3\n4\n");
  EXPECT_EQ(tail("u", "1"), "unfinished");
  EXPECT_EQ(tail("u", "2"), "2\nunfinished");
}

TEST_F(CliLogs, AllContainersWithPrefix) {
  std::string dir = webPod();
  auto o = runCli("logs web --all-containers --prefix --log-dir " + dir, "/dev/null");
  EXPECT_EQ(o.exitCode, 0);
  EXPECT_EQ(o.text,
            "[pod/web/app] starting again\n"
            "[pod/web/app] serving\n"
            "[pod/web/sidecar] proxy up\n");
  auto plain = runCli("logs web --all-containers --tail 1 --log-dir " + dir, "/dev/null");
  EXPECT_EQ(plain.text, "serving\nproxy up\n");
  auto withC = runCli("logs web --all-containers -c app --log-dir " + dir);
  EXPECT_EQ(withC.exitCode, 1);
  EXPECT_THAT(withC.text, HasSubstr("error: --all-containers=true should not be specified with container name app"));
}

TEST_F(CliLogs, UnknownPodSaysWhereItLooked) {
  std::string dir = webPod();
  auto o = runCli("logs api --log-dir " + dir);
  EXPECT_EQ(o.exitCode, 1);
  EXPECT_THAT(o.text, ::testing::StartsWith("error: pods \"api\" not found\n"));
  EXPECT_THAT(o.text, HasSubstr("no logs of pod default/api in " + dir + " (--log-dir)"));
  EXPECT_THAT(o.text, HasSubstr("podscope-cli run --log-dir " + dir));

  auto otherNamespace = runCli("logs web -n kube-system --log-dir " + dir);
  EXPECT_EQ(otherNamespace.exitCode, 1);
  EXPECT_THAT(otherNamespace.text, HasSubstr("error: pods \"web\" not found\n"));
  EXPECT_THAT(otherNamespace.text, HasSubstr("pod \"web\" has logs in namespace default: add -n default"));
}

TEST_F(CliLogs, DefaultLogDirectoryIsPerUserState) {
  std::string dir = freshLogDir();
  {
    EnvVar state("XDG_STATE_HOME", dir.c_str());
    EXPECT_EQ(podscope::core::defaultLogDir(), dir + "/podscope/logs");
    writeFile(dir + "/podscope/logs/ns1_job_u1/main/0.log", "done\n");
    auto o = runCli("logs job -n ns1", "/dev/null");
    EXPECT_EQ(o.exitCode, 0);
    EXPECT_EQ(o.text, "done\n");
    auto missing = runCli("logs nope");
    EXPECT_THAT(missing.text, HasSubstr("no logs of pod default/nope in " + dir + "/podscope/logs, where "
                                        "`podscope-cli run` keeps them"));
    EXPECT_THAT(missing.text, HasSubstr("pass the same --log-dir here"));
  }
  {
    EnvVar state("XDG_STATE_HOME", "relative/is/ignored");
    EnvVar home("HOME", "/home/someone");
    EXPECT_EQ(podscope::core::defaultLogDir(), "/home/someone/.local/state/podscope/logs");
  }
  {
    EnvVar state("XDG_STATE_HOME", nullptr);
    EnvVar home("HOME", nullptr);
    EXPECT_EQ(podscope::core::defaultLogDir(), "");
    auto o = runCli("logs web");
    EXPECT_EQ(o.exitCode, 1);
    EXPECT_THAT(o.text, HasSubstr("error: no log directory: neither XDG_STATE_HOME nor HOME is set"));
  }
}

TEST_F(CliLogs, MakesPrivateDirectories) {
  std::string dir = freshLogDir();
  std::string logs = dir + "/state/podscope/logs";
  ASSERT_TRUE(podscope::core::makePrivateDirectories(logs));
  for (const std::string& made : {dir + "/state", dir + "/state/podscope", logs}) {
    struct stat st {};
    ASSERT_EQ(::stat(made.c_str(), &st), 0) << made;
    EXPECT_EQ(st.st_mode & 0777, 0700u) << made;
  }
  EXPECT_TRUE(podscope::core::makePrivateDirectories(logs));  // already there
  writeFile(dir + "/file", "x");
  auto blocked = podscope::core::makePrivateDirectories(dir + "/file/logs");
  ASSERT_FALSE(blocked);
  EXPECT_THAT(blocked.error().message, HasSubstr(dir + "/file is not a directory"));
}

TEST_F(CliLogs, ReadsTheNewestOfSeveralRuns) {
  std::string dir = freshLogDir();
  std::string older = dir + "/default_web_aaaa";
  std::string newer = dir + "/default_web_bbbb";
  writeFile(newer + "/app/0.log", "from the newer run\n");
  writeFile(older + "/app/0.log", "from the older run\n");
  // The older run's files carry older times, whatever order they were made in.
  auto past = fs::file_time_type::clock::now() - std::chrono::hours(24);
  for (const std::string& p : {older + "/app/0.log", older + "/app", older}) fs::last_write_time(p, past);
  auto o = runCli("logs web --log-dir " + dir, "/dev/null");
  EXPECT_EQ(o.exitCode, 0);
  EXPECT_EQ(o.text, "from the newer run\n");

  // A write to the older run makes it the newest.
  writeFile(older + "/app/0.log", "written again\n", /*append=*/true);
  EXPECT_EQ(runCli("logs web --log-dir " + dir, "/dev/null").text, "from the older run\nwritten again\n");

  // Errors name the run that was read.
  auto wrong = runCli("logs web -c db --log-dir " + dir);
  EXPECT_EQ(wrong.exitCode, 1);
  EXPECT_THAT(wrong.text, HasSubstr("error: container db is not valid for pod web, choose one of: [app]\n(read " +
                                    older + ", the newest of 2 runs of default/web"));
}

TEST_F(CliLogs, FollowPrintsAppendedTextAndTheNextAttempt) {
  std::string dir = freshLogDir();
  std::string container = dir + "/default_loop_u1/app";
  writeFile(container + "/0.log", "one\n");
  std::thread writer([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(400));
    writeFile(container + "/0.log", "two\npart", /*append=*/true);
    std::this_thread::sleep_for(std::chrono::milliseconds(400));
    writeFile(container + "/0.log", "ial\n", /*append=*/true);
    writeFile(container + "/1.log", "restarted\n");  // the container restarted
    std::this_thread::sleep_for(std::chrono::milliseconds(400));
    writeFile(container + "/1.log", "still here\n", /*append=*/true);
  });
  auto o = runCli("logs loop -f --follow-timeout 2500ms --log-dir " + dir, "/dev/null");
  writer.join();
  EXPECT_EQ(o.exitCode, 0);
  EXPECT_EQ(o.text, "one\ntwo\npartial\nrestarted\nstill here\n");
}

TEST_F(CliLogs, FollowAllContainersKeepsLinesWhole) {
  std::string dir = freshLogDir();
  std::string pod = dir + "/default_pair_u1";
  writeFile(pod + "/a/0.log", "a1\n");
  fs::create_directories(pod + "/b");  // no log file yet
  std::thread writer([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(400));
    writeFile(pod + "/a/0.log", "a2 begun", /*append=*/true);
    writeFile(pod + "/b/0.log", "b1\n");
    std::this_thread::sleep_for(std::chrono::milliseconds(400));
    writeFile(pod + "/a/0.log", " and ended\n", /*append=*/true);
  });
  auto o = runCli("logs pair --all-containers --prefix -f --follow-timeout 1500ms --log-dir " + dir, "/dev/null");
  writer.join();
  EXPECT_EQ(o.exitCode, 0);
  // b's line may come before or after a's second one, but never inside it.
  EXPECT_THAT(o.text, ::testing::AnyOf("[pod/pair/a] a1\n[pod/pair/b] b1\n[pod/pair/a] a2 begun and ended\n",
                                       "[pod/pair/a] a1\n[pod/pair/a] a2 begun and ended\n[pod/pair/b] b1\n"));
}

TEST_F(CliLogs, FollowEndsOnInterrupt) {
  std::string dir = freshLogDir();
  writeFile(dir + "/default_loop_u1/app/0.log", "one\n");
  std::thread writer([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    writeFile(dir + "/default_loop_u1/app/0.log", "two\n", /*append=*/true);
  });
  // timeout(1) sends SIGINT after a second, as Ctrl-C would, and passes on
  // how the command ended.
  auto o = podscope::testing::runShell("timeout --preserve-status -s INT 1 " + std::string(PODSCOPE_CLI) +
                                       " logs loop -f --log-dir " + dir + " 2>/dev/null");
  writer.join();
  EXPECT_EQ(o.exitCode, 128 + SIGINT);
  EXPECT_EQ(o.text, "one\ntwo\n");
}

TEST_F(CliLogs, RunOnTheSimulatedRuntimeWritesNoLogFiles) {
  std::string dir = freshLogDir();
  std::string manifest = std::string(PODSCOPE_SOURCE_DIR) + "/examples/init-containers.yaml";
  // Not even with --log-dir: the simulated containers' output exists only in
  // the simulation.
  auto o = runCli("run " + manifest + " --log-dir " + dir + "/given", "/dev/null");
  EXPECT_EQ(o.exitCode, 0);
  EXPECT_FALSE(fs::exists(dir + "/given"));
  auto note = runCli("run " + manifest + " --log-dir " + dir + "/given", "&1 >/dev/null");
  EXPECT_EQ(note.text, "note: the simulated runtime writes no container logs; --log-dir is ignored\n");
  // Nor under the default directory.
  EnvVar state("XDG_STATE_HOME", (dir + "/state").c_str());
  EXPECT_EQ(runCli("run " + manifest, "/dev/null").exitCode, 0);
  EXPECT_FALSE(fs::exists(dir + "/state"));
  auto logs = runCli("logs init-demo");
  EXPECT_EQ(logs.exitCode, 1);
  EXPECT_THAT(logs.text, HasSubstr("error: pods \"init-demo\" not found\n"));
}

TEST_F(CliLogs, BadInputIsNamed) {
  std::string dir = webPod();
  auto expectError = [&](const std::string& args, const std::string& message) {
    auto o = runCli("logs " + args + " --log-dir " + dir);
    EXPECT_EQ(o.exitCode, 1) << args;
    EXPECT_THAT(o.text, HasSubstr("error: " + message)) << args;
  };
  expectError("web -c app --tail lots", "--tail: \"lots\" is not a number of lines (-1 prints them all)");
  expectError("web -c app --tail -2", "--tail must be greater than or equal to -1");
  expectError("web -c app -f --follow-timeout soon", "--follow-timeout: invalid duration \"soon\"");
  expectError("deployment/web", "podscope-cli logs reads pods only: \"deployment/web\" is not a pod");
  expectError("Web", "invalid pod name \"Web\": a lowercase RFC 1123 subdomain");
  expectError("web -n Bad_NS", "invalid namespace \"Bad_NS\": a lowercase RFC 1123 label");
  expectError("web --since 1h", "The following argument was not expected: --since");
  auto noPod = runCli("logs");
  EXPECT_EQ(noPod.exitCode, 1);
  EXPECT_THAT(noPod.text, HasSubstr("error: POD is required"));
}

}  // namespace
