#include "engine/runtime/simulated/sim_program.h"

#include <gtest/gtest.h>

namespace podscope::engine::sim {
namespace {

using std::chrono::seconds;

/// Runs a program to its end (or `limit` steps), listing what it did.
std::string trace(Program& p, int limit = 50) {
  std::string out;
  std::string output;
  for (int i = 0; i < limit; ++i) {
    Action a = p.next(output);
    if (a.kind == Action::Kind::Exit) return out + "exit " + std::to_string(a.exitCode);
    if (a.sleep == Duration::max()) return out + "forever";
    out += "sleep " + std::to_string(std::chrono::duration_cast<std::chrono::milliseconds>(a.sleep).count()) + "ms; ";
  }
  return out + "...";
}

std::string traceOf(std::vector<std::string> argv) {
  Program p = Program::fromArgv(argv);
  return trace(p);
}

TEST(SimProgram, InterpretsCommonManifestShell) {
  struct Case {
    std::vector<std::string> argv;
    std::string expected;
  };
  const std::vector<Case> cases = {
      {{"sleep", "5"}, "sleep 5000ms; exit 0"},
      {{"/bin/sh", "-c", "sleep 2; exit 3"}, "sleep 2000ms; exit 3"},
      {{"sh", "-c", "echo hi && sleep 1 && exit 4"}, "sleep 1000ms; exit 4"},
      {{"sh", "-c", "false && sleep 9; exit"}, "exit 1"},
      {{"sh", "-c", "false || sleep 0.5"}, "sleep 500ms; exit 0"},
      {{"sh", "-c", "sleep 1m"}, "sleep 60000ms; exit 0"},
      {{"sh", "-c", "sleep infinity"}, "forever"},
      {{"true"}, "exit 0"},
      {{"/bin/false"}, "exit 1"},
      {{"sh", "-c", "exit 300"}, "exit 44"},
      {{"sh"}, "exit 0"},
      {{}, "forever"},
      {{"sh", "-c", "for i in 1 2; do sleep 1; done"}, "forever"},
  };
  for (const Case& c : cases) EXPECT_EQ(traceOf(c.argv), c.expected) << c.argv.back();
}

TEST(SimProgram, LoopsRunUntilTheirCondition) {
  Program p = Program::fromArgv({"sh", "-c", "while true; do echo tick; sleep 2; done"});
  EXPECT_EQ(trace(p, 3), "sleep 2000ms; sleep 2000ms; sleep 2000ms; ...");
  Program u = Program::fromArgv({"sh", "-c", "until true; do sleep 2; done; echo done"});
  EXPECT_EQ(trace(u), "exit 0");
}

TEST(SimProgram, EchoWritesOutput) {
  Program p = Program::fromArgv({"sh", "-c", "echo \"hello world\"; echo -n 'x'; echo $HOME"});
  std::string output;
  EXPECT_EQ(p.next(output).kind, Action::Kind::Exit);
  EXPECT_EQ(output, "hello world\nx$HOME\n");
}

TEST(SimProgram, UnmodelledCommandsSucceedWithANote) {
  Program p = Program::fromArgv({"sh", "-c", "until ping 192.168.253.149 -c 1 ; do echo waiting; sleep 2; done;"});
  EXPECT_EQ(trace(p), "exit 0");
  ASSERT_EQ(p.notes().size(), 1u);
  EXPECT_EQ(p.notes()[0], "`ping` is not simulated: taken to succeed at once");
}

TEST(SimProgram, Pid1IgnoresSigtermWithoutTrap) {
  Program p = Program::fromArgv({"sh", "-c", "sleep 100"});
  std::string out;
  p.next(out);
  EXPECT_FALSE(p.terminate().has_value());
}

TEST(SimProgram, TrapRunsAfterTheCurrentCommand) {
  Program p = Program::fromArgv({"sh", "-c", "trap 'exit 7' TERM; while true; do sleep 1; done"});
  std::string out;
  EXPECT_EQ(p.next(out).kind, Action::Kind::Sleep);
  EXPECT_FALSE(p.terminate().has_value());
  Action a = p.next(out);  // the sleep ended: the trap runs
  EXPECT_EQ(a.kind, Action::Kind::Exit);
  EXPECT_EQ(a.exitCode, 7);
}

TEST(SimProgram, ServerExitsZeroOnSigterm) {
  Program p = Program::fromArgv({});
  std::optional<Action> a = p.terminate();
  ASSERT_TRUE(a.has_value());
  EXPECT_EQ(a->exitCode, 0);
}

TEST(SimProgram, BusyLoopStillAdvancesTime) {
  Program p = Program::fromArgv({"sh", "-c", "while true; do echo spin; done"});
  std::string out;
  Action a = p.next(out);
  EXPECT_EQ(a.kind, Action::Kind::Sleep);
  EXPECT_GT(a.sleep, Duration{0});
}

TEST(SimProgram, UnsupportedSyntaxRunsUntilStoppedWithNote) {
  Program p = Program::fromArgv({"sh", "-c", "if true; then sleep 1; fi"});
  EXPECT_EQ(trace(p), "forever");
  ASSERT_EQ(p.notes().size(), 1u);
  EXPECT_NE(p.notes()[0].find("uses `if`"), std::string::npos);
  Program q = Program::fromArgv({"sh", "-c", "echo 'unterminated"});
  EXPECT_NE(q.notes()[0].find("unterminated single quote"), std::string::npos);
}


/// Runs a command to its end on `files`, returning "status|output".
std::string run(const std::vector<std::string>& argv, const std::shared_ptr<FileSystem>& files) {
  Program p = Program::fromArgv(argv, files);
  std::string output;
  for (int i = 0; i < 100; ++i) {
    Action a = p.next(output);
    if (a.kind == Action::Kind::Exit) return std::to_string(a.exitCode) + "|" + output;
  }
  return "running|" + output;
}

TEST(SimProgram, FileCommandsShareTheContainersFileSystem) {
  auto files = std::make_shared<FileSystem>();
  EXPECT_EQ(run({"cat", "/tmp/healthy"}, files), "1|cat: can't open '/tmp/healthy': No such file or directory\n");
  EXPECT_EQ(run({"sh", "-c", "touch /tmp/healthy"}, files), "0|");
  EXPECT_EQ(run({"cat", "/tmp/healthy"}, files), "0|");
  EXPECT_EQ(run({"sh", "-c", "rm -f /tmp/healthy; rm -f /tmp/healthy"}, files), "0|");
  EXPECT_EQ(run({"rm", "/tmp/healthy"}, files), "1|rm: can't remove '/tmp/healthy': No such file or directory\n");
  EXPECT_EQ(run({"sh", "-c", "echo ready > /tmp/status; echo set >> /tmp/status; cat /tmp/status"}, files),
            "0|ready\nset\n");
  EXPECT_EQ(run({"sh", "-c", "echo gone > /tmp/status; cat /tmp/status"}, files), "0|gone\n");
  EXPECT_EQ(run({"sh", "-c", "cat /tmp/none 2>/dev/null || echo fallback"}, files), "0|fallback\n");
  EXPECT_EQ(run({"sh", "-c", "cat /tmp/none > /tmp/out 2>&1; cat /tmp/out"}, files),
            "0|cat: can't open '/tmp/none': No such file or directory\n");
}

TEST(SimProgram, TestAndMkdir) {
  auto files = std::make_shared<FileSystem>();
  EXPECT_EQ(run({"test", "-f", "/tmp/ready"}, files), "1|");
  EXPECT_EQ(run({"sh", "-c", "[ -e /tmp/ready ] || exit 3"}, files), "3|");
  EXPECT_EQ(run({"sh", "-c", "mkdir /tmp/a/b"}, files), "1|mkdir: can't create directory '/tmp/a/b': No such file or directory\n");
  EXPECT_EQ(run({"sh", "-c", "mkdir -p /tmp/a/b && touch /tmp/a/b/ready"}, files), "0|");
  EXPECT_EQ(run({"sh", "-c", "test -d /tmp/a && [ -f /tmp/a/b/ready ] && [ ! -s /tmp/a/b/ready ]"}, files), "0|");
  EXPECT_EQ(run({"mkdir", "/tmp/a"}, files), "1|mkdir: can't create directory '/tmp/a': File exists\n");
  EXPECT_EQ(run({"sh", "-c", "[ -f /tmp/a ]"}, files), "1|");
  EXPECT_EQ(run({"sh", "-c", "[ -f /tmp/a"}, files), "2|[: missing ]\n");
  EXPECT_EQ(run({"sh", "-c", "rm -rf /tmp/a; test -e /tmp/a/b/ready"}, files), "1|");
  EXPECT_EQ(run({"sh", "-c", "[ yes = yes ] && [ a != b ]"}, files), "0|");
}

TEST(SimProgram, ImageFilesAreAssumedWithANote) {
  auto files = std::make_shared<FileSystem>();
  Program p = Program::fromArgv({"cat", "/etc/nginx/nginx.conf"}, files);
  std::string output;
  Action a = p.next(output);
  EXPECT_EQ(a.exitCode, 0);
  ASSERT_EQ(p.notes().size(), 1u);
  EXPECT_EQ(p.notes()[0], "`/etc/nginx/nginx.conf` is taken to be in the image (image files are not simulated)");
  EXPECT_EQ(run({"sh", "-c", "rm /etc/motd && cat /etc/motd"}, files),
            "1|cat: can't open '/etc/motd': No such file or directory\n");
}

TEST(SimProgram, FilesChangeOnVirtualTime) {
  // The Kubernetes docs' liveness example: the file is there for 30 s.
  auto files = std::make_shared<FileSystem>();
  Program p = Program::fromArgv({"/bin/sh", "-c", "touch /tmp/healthy; sleep 30; rm -f /tmp/healthy; sleep 600"}, files);
  std::string output;
  Action a = p.next(output);
  EXPECT_EQ(a.sleep, seconds(30));
  EXPECT_EQ(files->kind("/tmp/healthy"), FileSystem::Kind::File);
  a = p.next(output);
  EXPECT_EQ(a.sleep, seconds(600));
  EXPECT_EQ(files->kind("/tmp/healthy"), FileSystem::Kind::Missing);
}

}  // namespace
}  // namespace podscope::engine::sim
