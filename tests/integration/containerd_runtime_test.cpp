// ContainerdRuntime against a real containerd (the private one CTest starts;
// see tests/integration/CMakeLists.txt). Every test fails, never skips, when
// containerd cannot be reached.

#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <csignal>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <thread>

#include <gtest/gtest.h>

#include "containerd_test_support.h"
#include "engine/host/system_event_loop.h"

namespace podscope::testing {
namespace {

using engine::ContainerConfig;
using engine::ContainerdOptions;
using engine::ContainerdRuntime;
using std::chrono::milliseconds;

ContainerConfig shell(const std::string& name, const std::string& script) {
  ContainerConfig config;
  config.name = name;
  config.image = "busybox";
  config.command = {"sh", "-c", script};
  return config;
}

class ContainerdRuntimeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto st = m_harness.connect();
    ASSERT_TRUE(st) << st.error().message;
  }

  // A sandbox plus one started container running `script`, its log at
  // m_logs/<name>.log.
  engine::ContainerId run(const engine::SandboxId& sandbox, const std::string& name,
                          const std::string& script) {
    ContainerConfig config = shell(name, script);
    config.logPath = m_logs + "/" + name + ".log";
    auto id = m_harness.createContainer(sandbox, config);
    EXPECT_TRUE(id) << id.error().message;
    if (!id) return {};
    auto started = m_harness.startContainer(*id);
    EXPECT_TRUE(started) << started.error().message;
    return *id;
  }

  // Declared first so the logs outlive the containers writing them.
  TempDir m_logDir{"podscope-logs"};
  const std::string& m_logs = m_logDir.path();
  RuntimeHarness m_harness;
};

// --- connecting ----------------------------------------------------------------

TEST(ContainerdConnectTest, MissingSocketSaysHowToStartOne) {
  engine::SystemEventLoop loop;
  ContainerdOptions options;
  options.address = "/tmp/podscope-no-such-dir/containerd.sock";
  auto runtime = ContainerdRuntime::connect(loop, options);
  ASSERT_FALSE(runtime);
  EXPECT_EQ(runtime.error().message,
            "no containerd socket at /tmp/podscope-no-such-dir/containerd.sock: start one with "
            "scripts/containerd-start.sh or pass --address");
}

TEST(ContainerdConnectTest, AcceptsUnixAddresses) {
  engine::SystemEventLoop loop;
  ContainerdOptions options;
  options.address = "unix:///tmp/podscope-no-such-dir/containerd.sock";
  auto runtime = ContainerdRuntime::connect(loop, options);
  ASSERT_FALSE(runtime);
  EXPECT_NE(runtime.error().message.find("no containerd socket at /tmp/podscope-no-such-dir/"),
            std::string::npos);
}

TEST(ContainerdConnectTest, RegularFileIsNotContainerd) {
  TempDir dir("podscope-connect");
  std::string file = dir.path() + "/containerd.sock";
  std::ofstream(file) << "not a socket";
  engine::SystemEventLoop loop;
  ContainerdOptions options;
  options.address = file;
  auto runtime = ContainerdRuntime::connect(loop, options);
  ASSERT_FALSE(runtime);
  EXPECT_NE(runtime.error().message.find(file + " is not a socket"), std::string::npos)
      << runtime.error().message;
}

// A unix socket served by something that is not containerd: it answers every
// connection with an HTTP/1.1 error, like many daemons would.
class FakeServer {
 public:
  explicit FakeServer(const std::string& path, bool listen) : m_path(path) {
    m_fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    std::strncpy(addr.sun_path, path.c_str(), sizeof(addr.sun_path) - 1);
    EXPECT_EQ(::bind(m_fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)), 0);
    if (!listen) return;
    EXPECT_EQ(::listen(m_fd, 8), 0);
    m_thread = std::thread([this] {
      while (true) {
        int client = ::accept(m_fd, nullptr, nullptr);
        if (client < 0 || m_stop) {
          if (client >= 0) ::close(client);
          return;
        }
        const char reply[] = "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n";
        (void)::send(client, reply, sizeof(reply) - 1, MSG_NOSIGNAL);
        ::close(client);
      }
    });
  }
  ~FakeServer() {
    m_stop = true;
    ::shutdown(m_fd, SHUT_RDWR);
    if (m_thread.joinable()) m_thread.join();
    ::close(m_fd);
    ::unlink(m_path.c_str());
  }

 private:
  std::string m_path;
  int m_fd = -1;
  std::atomic<bool> m_stop{false};
  std::thread m_thread;
};

TEST(ContainerdConnectTest, OtherServerIsNotContainerd) {
  TempDir dir("podscope-connect");
  std::string path = dir.path() + "/other.sock";
  FakeServer server(path, /*listen=*/true);
  engine::SystemEventLoop loop;
  ContainerdOptions options;
  options.address = path;
  auto runtime = ContainerdRuntime::connect(loop, options);
  ASSERT_FALSE(runtime);
  EXPECT_NE(runtime.error().message.find(path + " is not containerd"), std::string::npos)
      << runtime.error().message;
}

TEST(ContainerdConnectTest, StaleSocketSaysNothingListens) {
  TempDir dir("podscope-connect");
  std::string path = dir.path() + "/stale.sock";
  FakeServer server(path, /*listen=*/false);
  engine::SystemEventLoop loop;
  ContainerdOptions options;
  options.address = path;
  auto runtime = ContainerdRuntime::connect(loop, options);
  ASSERT_FALSE(runtime);
  EXPECT_NE(runtime.error().message.find("nothing is listening on " + path), std::string::npos)
      << runtime.error().message;
  EXPECT_NE(runtime.error().message.find("containerd-start.sh"), std::string::npos);
}

TEST_F(ContainerdRuntimeTest, NameCarriesTheVersion) {
  std::string name = m_harness.runtime().name();
  EXPECT_TRUE(name.starts_with("containerd 1.")) << name;
  EXPECT_EQ(name.find('~'), std::string::npos) << name;
  EXPECT_FALSE(m_harness.runtime().version().empty());
  EXPECT_FALSE(m_harness.runtime().options().stateDir.empty());
}

// --- images ----------------------------------------------------------------------

TEST_F(ContainerdRuntimeTest, InspectFindsImportedImagesByKubernetesNames) {
  for (const char* image : {"busybox", "busybox:latest", "docker.io/library/busybox",
                            "busybox:1.30", "registry.k8s.io/busybox"}) {
    auto info = m_harness.inspectImage(image);
    ASSERT_TRUE(info) << image << ": " << info.error().message;
    EXPECT_TRUE(info->present) << image;
    EXPECT_TRUE(info->id.starts_with("sha256:")) << image << ": " << info->id;
  }
  auto info = m_harness.inspectImage("busybox");
  ASSERT_TRUE(info);
  EXPECT_EQ(info->reference, "docker.io/library/busybox:latest");
}

TEST_F(ContainerdRuntimeTest, MissingImageIsNotPresentRatherThanAnError) {
  auto info = m_harness.inspectImage("example.com/podscope/no-such-image:1");
  ASSERT_TRUE(info) << info.error().message;
  EXPECT_FALSE(info->present);
  EXPECT_EQ(info->reference, "example.com/podscope/no-such-image:1");

  auto invalid = m_harness.inspectImage("Not/Valid");
  ASSERT_FALSE(invalid);
  EXPECT_NE(invalid.error().message.find("invalid image reference"), std::string::npos);
}

TEST_F(ContainerdRuntimeTest, PullExplainsHowToImportAMissingImage) {
  // A registry nobody serves (nothing answers on .invalid names), as on a
  // machine without internet: containerd's words, then how to import.
  auto pulled = m_harness.pullImage("registry.invalid/podscope/nginx:1.25");
  ASSERT_FALSE(pulled);
  const std::string& message = pulled.error().message;
  EXPECT_EQ(message.rfind("failed to pull and unpack image \"registry.invalid/podscope/nginx:1.25\": failed to resolve "
                          "reference \"registry.invalid/podscope/nginx:1.25\": failed to do request: Head "
                          "\"https://registry.invalid/v2/podscope/nginx/manifests/1.25\": dial tcp: lookup "
                          "registry.invalid: no such host",
                          0),
            0u)
      << message;
  EXPECT_NE(message.find("images import"), std::string::npos) << message;
  EXPECT_NE(message.find("ctr -a " + m_harness.runtime().options().address + " -n podscope"),
            std::string::npos)
      << message;
}

TEST_F(ContainerdRuntimeTest, CreatingFromAMissingImageSaysHowToImportIt) {
  auto sandbox = m_harness.createSandbox(uniqueName("missing-image"));
  ASSERT_TRUE(sandbox) << sandbox.error().message;
  ContainerConfig config = shell("c", "true");
  config.image = "example.com/podscope/absent:2";
  auto id = m_harness.createContainer(*sandbox, config);
  ASSERT_FALSE(id);
  EXPECT_NE(id.error().message.find("images import"), std::string::npos) << id.error().message;
  EXPECT_TRUE(m_harness.removeSandbox(*sandbox));
}

// --- containers ------------------------------------------------------------------

TEST_F(ContainerdRuntimeTest, ContainerRunsAndReportsItsExitCode) {
  std::string pod = uniqueName("exit-code");
  auto sandbox = m_harness.createSandbox(pod);
  ASSERT_TRUE(sandbox) << sandbox.error().message;
  engine::ContainerId id = run(*sandbox, "main", "exit 3");
  ASSERT_FALSE(id.empty());
  EXPECT_TRUE(id.starts_with(pod + "-main-0-")) << id;

  auto exit = m_harness.waitExit(id);
  ASSERT_TRUE(exit) << "no exit for " << id;
  EXPECT_EQ(exit->exitCode, 3);
  EXPECT_EQ(exit->signal, 0);
  EXPECT_FALSE(exit->oomKilled);

  // The exit reaches the engine after the start callback, never before.
  auto journal = m_harness.journal();
  auto started = std::find(journal.begin(), journal.end(), "started:" + id);
  auto exited = std::find(journal.begin(), journal.end(), "exited:" + id);
  ASSERT_NE(started, journal.end());
  ASSERT_NE(exited, journal.end());
  EXPECT_LT(started, exited);

  EXPECT_TRUE(m_harness.removeContainer(id));
  EXPECT_TRUE(m_harness.removeSandbox(*sandbox));
}

TEST_F(ContainerdRuntimeTest, InstantExitsStillFollowTheirStart) {
  auto sandbox = m_harness.createSandbox(uniqueName("instant"));
  ASSERT_TRUE(sandbox) << sandbox.error().message;
  std::vector<engine::ContainerId> ids;
  for (int i = 0; i < 5; ++i) {
    ContainerConfig config;
    config.name = "quick";
    config.image = "busybox";
    config.command = {"true"};
    config.attempt = i;
    auto id = m_harness.createContainer(*sandbox, config);
    ASSERT_TRUE(id) << id.error().message;
    ASSERT_TRUE(m_harness.startContainer(*id));
    ids.push_back(*id);
  }
  for (const auto& id : ids) {
    auto exit = m_harness.waitExit(id);
    ASSERT_TRUE(exit) << id;
    EXPECT_EQ(exit->exitCode, 0);
  }
  auto journal = m_harness.journal();
  for (const auto& id : ids) {
    auto started = std::find(journal.begin(), journal.end(), "started:" + id);
    auto exited = std::find(journal.begin(), journal.end(), "exited:" + id);
    EXPECT_LT(started, exited) << id;
    EXPECT_EQ(std::count(journal.begin(), journal.end(), "exited:" + id), 1) << id;
  }
  EXPECT_TRUE(m_harness.removeSandbox(*sandbox));  // removes the containers too
  for (const auto& id : ids) EXPECT_TRUE(ctrList("containers", id).empty()) << id;
}

TEST_F(ContainerdRuntimeTest, SigtermEndsAShellThatTrapsIt) {
  auto sandbox = m_harness.createSandbox(uniqueName("trap"));
  ASSERT_TRUE(sandbox) << sandbox.error().message;
  // `wait` (unlike a foreground command) is interrupted by a trapped signal.
  engine::ContainerId id = run(*sandbox, "trapper",
                               "trap 'echo got TERM; exit 7' TERM; echo ready; sleep 100 & wait");
  ASSERT_FALSE(id.empty());
  // Give the shell time to install its trap.
  for (int i = 0; i < 100 && readFile(m_logs + "/trapper.log").find("ready") == std::string::npos;
       ++i) {
    std::this_thread::sleep_for(milliseconds(50));
  }
  ASSERT_TRUE(m_harness.killContainer(id, SIGTERM));
  auto exit = m_harness.waitExit(id);
  ASSERT_TRUE(exit);
  EXPECT_EQ(exit->exitCode, 7);
  EXPECT_EQ(exit->signal, 0);
  EXPECT_NE(readFile(m_logs + "/trapper.log").find("got TERM"), std::string::npos);
  EXPECT_TRUE(m_harness.removeContainer(id));
  EXPECT_TRUE(m_harness.removeSandbox(*sandbox));
}

TEST_F(ContainerdRuntimeTest, Pid1IgnoresSigtermWithoutATrapAndSigkillGives137) {
  auto sandbox = m_harness.createSandbox(uniqueName("no-trap"));
  ASSERT_TRUE(sandbox) << sandbox.error().message;
  engine::ContainerId id = run(*sandbox, "stubborn", "sleep 100");
  ASSERT_FALSE(id.empty());
  std::this_thread::sleep_for(milliseconds(300));
  ASSERT_TRUE(m_harness.killContainer(id, SIGTERM));
  // The kernel drops signals PID 1 has no handler for.
  EXPECT_FALSE(m_harness.waitExit(id, milliseconds(1500)));
  ASSERT_TRUE(m_harness.killContainer(id, SIGKILL));
  auto exit = m_harness.waitExit(id);
  ASSERT_TRUE(exit);
  EXPECT_EQ(exit->exitCode, 137);
  EXPECT_EQ(exit->signal, SIGKILL);
  // Killing what has already exited is not an error.
  EXPECT_TRUE(m_harness.killContainer(id, SIGKILL));
  EXPECT_TRUE(m_harness.removeContainer(id));
  EXPECT_TRUE(m_harness.removeSandbox(*sandbox));
}

TEST_F(ContainerdRuntimeTest, ContainersOfAPodTalkOverLocalhost) {
  auto sandbox = m_harness.createSandbox(uniqueName("localhost"));
  ASSERT_TRUE(sandbox) << sandbox.error().message;
  engine::ContainerId server =
      run(*sandbox, "server", "mkdir -p /www && echo hi from the server > /www/index.html && "
                              "exec httpd -f -p 8080 -h /www");
  engine::ContainerId client =
      run(*sandbox, "client",
          "for i in $(seq 1 100); do wget -q -O- http://127.0.0.1:8080/ && exit 0; "
          "sleep 0.1; done; exit 1");
  ASSERT_FALSE(server.empty());
  ASSERT_FALSE(client.empty());
  auto exit = m_harness.waitExit(client);
  ASSERT_TRUE(exit);
  EXPECT_EQ(exit->exitCode, 0) << readFile(m_logs + "/client.log");
  EXPECT_NE(readFile(m_logs + "/client.log").find("hi from the server"), std::string::npos);

  // A container of another pod cannot reach it.
  auto other = m_harness.createSandbox(uniqueName("elsewhere"));
  ASSERT_TRUE(other) << other.error().message;
  engine::ContainerId stranger =
      run(*other, "stranger", "wget -q -T 2 -O- http://127.0.0.1:8080/ && exit 0; exit 1");
  auto strangerExit = m_harness.waitExit(stranger);
  ASSERT_TRUE(strangerExit);
  EXPECT_EQ(strangerExit->exitCode, 1);

  ASSERT_TRUE(m_harness.killContainer(server, SIGKILL));
  ASSERT_TRUE(m_harness.waitExit(server));
  EXPECT_TRUE(m_harness.removeContainer(server));
  EXPECT_TRUE(m_harness.removeContainer(client));
  EXPECT_TRUE(m_harness.removeContainer(stranger));
  EXPECT_TRUE(m_harness.removeSandbox(*sandbox));
  EXPECT_TRUE(m_harness.removeSandbox(*other));
}

TEST_F(ContainerdRuntimeTest, HostnameIsThePodName) {
  std::string pod = uniqueName("hostname");
  auto sandbox = m_harness.createSandbox(pod);
  ASSERT_TRUE(sandbox) << sandbox.error().message;
  engine::ContainerId id =
      run(*sandbox, "main", "hostname; cat /etc/hostname; echo HOSTNAME=$HOSTNAME; cat /etc/hosts");
  auto exit = m_harness.waitExit(id);
  ASSERT_TRUE(exit);
  EXPECT_EQ(exit->exitCode, 0);
  std::string log = readFile(m_logs + "/main.log");
  EXPECT_TRUE(log.starts_with(pod + "\n" + pod + "\nHOSTNAME=" + pod + "\n")) << log;
  EXPECT_NE(log.find("127.0.0.1\tlocalhost"), std::string::npos) << log;
  EXPECT_TRUE(m_harness.removeContainer(id));
  EXPECT_TRUE(m_harness.removeSandbox(*sandbox));
}

TEST_F(ContainerdRuntimeTest, LogsHoldStdoutAndStderr) {
  auto sandbox = m_harness.createSandbox(uniqueName("logs"));
  ASSERT_TRUE(sandbox) << sandbox.error().message;
  engine::ContainerId id = run(*sandbox, "talker", "echo to stdout; echo to stderr >&2");
  auto exit = m_harness.waitExit(id);
  ASSERT_TRUE(exit);
  EXPECT_EQ(exit->exitCode, 0);
  std::string log = readFile(m_logs + "/talker.log");
  EXPECT_NE(log.find("to stdout\n"), std::string::npos) << log;
  EXPECT_NE(log.find("to stderr\n"), std::string::npos) << log;
  EXPECT_TRUE(m_harness.removeContainer(id));

  // Both streams of a process that prints to each and ends at once are
  // complete in its log when its exit is reported, every time (with one
  // file:// URI for both, containerd 1.6 sometimes lost stderr's last write).
  for (int i = 0; i < 12; ++i) {
    const std::string name = "quick" + std::to_string(i);
    engine::ContainerId quick = run(*sandbox, name, "echo out; echo err >&2; exit 1");
    ASSERT_TRUE(m_harness.waitExit(quick));
    // (Two streams copied side by side: their order is not kept.)
    const std::string quickLog = readFile(m_logs + "/" + name + ".log");
    EXPECT_TRUE(quickLog == "out\nerr\n" || quickLog == "err\nout\n") << name << ": " << quickLog;
    EXPECT_TRUE(m_harness.removeContainer(quick));
  }

  // No log path: output is discarded, and the container runs all the same.
  ContainerConfig quiet = shell("quiet", "echo nobody reads this; exit 4");
  auto quietId = m_harness.createContainer(*sandbox, quiet);
  ASSERT_TRUE(quietId) << quietId.error().message;
  ASSERT_TRUE(m_harness.startContainer(*quietId));
  auto quietExit = m_harness.waitExit(*quietId);
  ASSERT_TRUE(quietExit);
  EXPECT_EQ(quietExit->exitCode, 4);
  EXPECT_TRUE(m_harness.removeContainer(*quietId));
  EXPECT_TRUE(m_harness.removeSandbox(*sandbox));
}

TEST_F(ContainerdRuntimeTest, ImageEntrypointAndCmdApplyWithoutCommand) {
  auto sandbox = m_harness.createSandbox(uniqueName("image-cmd"));
  ASSERT_TRUE(sandbox) << sandbox.error().message;
  // busybox's Cmd is ["sh"]: with args only, they replace it.
  ContainerConfig config;
  config.name = "args";
  config.image = "busybox";
  config.args = {"sh", "-c", "exit 5"};
  auto id = m_harness.createContainer(*sandbox, config);
  ASSERT_TRUE(id) << id.error().message;
  ASSERT_TRUE(m_harness.startContainer(*id));
  auto exit = m_harness.waitExit(*id);
  ASSERT_TRUE(exit);
  EXPECT_EQ(exit->exitCode, 5);
  EXPECT_TRUE(m_harness.removeContainer(*id));
  EXPECT_TRUE(m_harness.removeSandbox(*sandbox));
}

TEST_F(ContainerdRuntimeTest, UnknownExecutableFailsToStartWithTheReason) {
  auto sandbox = m_harness.createSandbox(uniqueName("bad-cmd"));
  ASSERT_TRUE(sandbox) << sandbox.error().message;
  ContainerConfig config;
  config.name = "bad";
  config.image = "busybox";
  config.command = {"/no/such/program"};
  auto id = m_harness.createContainer(*sandbox, config);
  ASSERT_TRUE(id) << id.error().message;
  auto started = m_harness.startContainer(*id);
  ASSERT_FALSE(started);
  EXPECT_NE(started.error().message.find("/no/such/program"), std::string::npos)
      << started.error().message;
  EXPECT_TRUE(m_harness.removeContainer(*id));
  EXPECT_TRUE(m_harness.removeSandbox(*sandbox));
  EXPECT_TRUE(ctrList("containers", *id).empty());
}

// The value of a cgroup setting of container `id`: the cgroup v1 file
// (`v1Path`, under /sys/fs/cgroup, e.g. "memory/memory.limit_in_bytes" with
// the container's folder inserted) or else the v2 one; "" when neither.
std::string cgroupValue(const std::string& id, const std::string& v1Controller, const std::string& v1File,
                        const std::string& v2File) {
  std::string path1 = "/sys/fs/cgroup/" + v1Controller + "/podscope/" + id + "/" + v1File;
  std::string path2 = "/sys/fs/cgroup/podscope/" + id + "/" + v2File;
  std::string text = std::filesystem::exists(path1) ? readFile(path1) : readFile(path2);
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
  return text;
}

TEST_F(ContainerdRuntimeTest, OomKillIsReported) {
  auto sandbox = m_harness.createSandbox(uniqueName("oom"));
  ASSERT_TRUE(sandbox) << sandbox.error().message;
  // resources.limits.memory: 20 MB, then the shell asks for 200.
  ContainerConfig config = shell("hog", "x=$(head -c 200000000 /dev/zero | tr '\\0' a); echo survived");
  config.logPath = m_logs + "/hog.log";
  config.resources.memoryBytes = 20'000'000;
  auto id = m_harness.createContainer(*sandbox, config);
  ASSERT_TRUE(id) << id.error().message;
  ASSERT_TRUE(m_harness.startContainer(*id));
  auto exit = m_harness.waitExit(*id);
  ASSERT_TRUE(exit);
  EXPECT_EQ(exit->exitCode, 137);
  EXPECT_TRUE(exit->oomKilled);
  EXPECT_EQ(exit->signal, SIGKILL);
  EXPECT_EQ(readFile(m_logs + "/hog.log").find("survived"), std::string::npos);
  EXPECT_TRUE(m_harness.removeContainer(*id));
  EXPECT_TRUE(m_harness.removeSandbox(*sandbox));
}

TEST_F(ContainerdRuntimeTest, ResourceLimitsBecomeCgroupSettings) {
  auto sandbox = m_harness.createSandbox(uniqueName("limits"));
  ASSERT_TRUE(sandbox) << sandbox.error().message;
  ContainerConfig config = shell("limited", "sleep 100");
  config.resources.memoryBytes = 64 * 1024 * 1024;
  config.resources.cpuLimitMillis = 500;
  config.resources.cpuRequestMillis = 250;
  auto id = m_harness.createContainer(*sandbox, config);
  ASSERT_TRUE(id) << id.error().message;
  ASSERT_TRUE(m_harness.startContainer(*id));
  EXPECT_EQ(cgroupValue(*id, "memory", "memory.limit_in_bytes", "memory.max"), "67108864");
  const std::string cpu = std::filesystem::exists("/sys/fs/cgroup/cpu,cpuacct") ? "cpu,cpuacct" : "cpu";
  if (std::filesystem::exists("/sys/fs/cgroup/" + cpu + "/podscope/" + *id)) {
    EXPECT_EQ(cgroupValue(*id, cpu, "cpu.cfs_quota_us", ""), "50000");
    EXPECT_EQ(cgroupValue(*id, cpu, "cpu.cfs_period_us", ""), "100000");
    EXPECT_EQ(cgroupValue(*id, cpu, "cpu.shares", ""), "256");
  } else {
    EXPECT_EQ(cgroupValue(*id, "", "", "cpu.max"), "50000 100000");
  }
  EXPECT_TRUE(m_harness.removeContainer(*id));
  EXPECT_TRUE(m_harness.removeSandbox(*sandbox));
}

TEST_F(ContainerdRuntimeTest, HostPathTypesAreCheckedAsTheKubeletChecksThem) {
  auto sandbox = m_harness.createSandbox(uniqueName("hostpath"));
  ASSERT_TRUE(sandbox) << sandbox.error().message;
  TempDir host("podscope-hostpath");
  auto mountOf = [&](const std::string& path, const std::string& type) {
    engine::VolumeMountConfig m;
    m.volume = "host";
    m.source = engine::VolumeMountConfig::Source::HostPath;
    m.hostPath = path;
    m.hostPathType = type;
    m.mountPath = "/host";
    return m;
  };
  ContainerConfig config = shell("checked", "sleep 100");
  config.mounts = {mountOf(host.path() + "/missing", "Directory")};
  auto missing = m_harness.createContainer(*sandbox, config);
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().message,
            "volume host: hostPath type check failed: " + host.path() + "/missing is not a directory");

  std::ofstream(host.path() + "/plain") << "x";
  config.mounts = {mountOf(host.path() + "/plain", "Directory")};
  auto notDir = m_harness.createContainer(*sandbox, config);
  ASSERT_FALSE(notDir);
  EXPECT_NE(notDir.error().message.find("/plain is not a directory"), std::string::npos);
  config.mounts = {mountOf(host.path(), "File")};
  auto notFile = m_harness.createContainer(*sandbox, config);
  ASSERT_FALSE(notFile);
  EXPECT_NE(notFile.error().message.find("is not a file"), std::string::npos);

  // DirectoryOrCreate and FileOrCreate make what is missing.
  config.mounts = {mountOf(host.path() + "/made", "DirectoryOrCreate")};
  auto made = m_harness.createContainer(*sandbox, config);
  ASSERT_TRUE(made) << made.error().message;
  EXPECT_TRUE(std::filesystem::is_directory(host.path() + "/made"));
  config.mounts = {mountOf(host.path() + "/file", "FileOrCreate")};
  auto file = m_harness.createContainer(*sandbox, config);
  ASSERT_TRUE(file) << file.error().message;
  EXPECT_TRUE(std::filesystem::is_regular_file(host.path() + "/file"));

  EXPECT_TRUE(m_harness.removeContainer(*made));
  EXPECT_TRUE(m_harness.removeContainer(*file));
  EXPECT_TRUE(m_harness.removeSandbox(*sandbox));
  // The host's files stay.
  EXPECT_TRUE(std::filesystem::is_directory(host.path() + "/made"));
}

// --- clean-up --------------------------------------------------------------------

TEST_F(ContainerdRuntimeTest, RemovingLeavesNothingBehind) {
  std::string pod = uniqueName("cleanup");
  auto sandbox = m_harness.createSandbox(pod);
  ASSERT_TRUE(sandbox) << sandbox.error().message;
  std::string sandboxDir = m_harness.runtime().options().stateDir + "/sandboxes/" + *sandbox;
  EXPECT_TRUE(std::filesystem::exists(sandboxDir + "/net"));
  EXPECT_NE(readFile("/proc/self/mountinfo").find(sandboxDir), std::string::npos);

  engine::ContainerId done = run(*sandbox, "done", "exit 0");
  engine::ContainerId running = run(*sandbox, "running", "sleep 100");
  ASSERT_TRUE(m_harness.waitExit(done));
  EXPECT_FALSE(ctrList("containers", pod).empty());
  EXPECT_FALSE(ctrList("tasks", pod).empty());

  EXPECT_TRUE(m_harness.removeContainer(done));
  // Removing what is gone already is fine.
  EXPECT_TRUE(m_harness.removeContainer(done));
  // A container still running is killed on removal.
  EXPECT_TRUE(m_harness.removeContainer(running));
  EXPECT_TRUE(m_harness.removeSandbox(*sandbox));
  EXPECT_TRUE(m_harness.removeSandbox(*sandbox));

  EXPECT_TRUE(ctrList("containers", pod).empty());
  EXPECT_TRUE(ctrList("tasks", pod).empty());
  EXPECT_TRUE(ctrList("snapshots", pod).empty());
  EXPECT_FALSE(std::filesystem::exists(sandboxDir));
  EXPECT_EQ(readFile("/proc/self/mountinfo").find(sandboxDir), std::string::npos);
}

TEST_F(ContainerdRuntimeTest, DestroyingTheRuntimeRemovesWhatItLeftRunning) {
  std::string pod = uniqueName("abandoned");
  auto sandbox = m_harness.createSandbox(pod);
  ASSERT_TRUE(sandbox) << sandbox.error().message;
  std::string sandboxDir = m_harness.runtime().options().stateDir + "/sandboxes/" + *sandbox;
  engine::ContainerId id = run(*sandbox, "forever", "sleep 100");
  ASSERT_FALSE(id.empty());
  EXPECT_FALSE(ctrList("tasks", pod).empty());

  m_harness.destroyRuntime();
  EXPECT_TRUE(ctrList("containers", pod).empty());
  EXPECT_TRUE(ctrList("tasks", pod).empty());
  EXPECT_TRUE(ctrList("snapshots", pod).empty());
  EXPECT_FALSE(std::filesystem::exists(sandboxDir));
}

// --- leftovers of a crashed run -------------------------------------------------

// One test, not two: the crashes would otherwise be each other's leftovers.
TEST_F(ContainerdRuntimeTest, LeftoversOfACrashedRunAreFoundAndRemovedAndNothingElse) {
  // This run is alive: its pod must never be listed.
  auto mine = m_harness.createSandbox(uniqueName("alive"));
  ASSERT_TRUE(mine) << mine.error().message;
  engine::ContainerId alive = run(*mine, "alive", "sleep 100");
  ASSERT_FALSE(alive.empty());

  // A run that dies by SIGKILL with a pod running.
  std::string crashed = runCommand(std::string(PODSCOPE_CRASH_HELPER));
  crashed = crashed.substr(0, crashed.find('\n'));  // its one line, the container's id
  ASSERT_FALSE(crashed.empty());
  ASSERT_EQ(ctrList("tasks", crashed).size(), 1u) << crashed;

  auto options = m_harness.runtime().options();
  auto found = ContainerdRuntime::findLeftovers(options);
  ASSERT_TRUE(found) << found.error().message;
  // (An earlier, interrupted run of this test may have left more.)
  auto has = [](const std::vector<std::string>& list, const std::string& needle) {
    return std::any_of(list.begin(), list.end(), [&](const std::string& s) { return s.find(needle) != std::string::npos; });
  };
  const std::string crashedPod = crashed.substr(0, crashed.find("-left-"));
  EXPECT_TRUE(has(found->containers, crashed));
  EXPECT_TRUE(has(found->sandboxes, "/" + crashedPod));
  EXPECT_FALSE(found->runs.empty());
  EXPECT_FALSE(has(found->containers, alive));
  EXPECT_FALSE(has(found->sandboxes, *mine));
  // Its Memory emptyDir is still a mount on the host.
  auto sandbox = std::find_if(found->sandboxes.begin(), found->sandboxes.end(),
                              [&](const std::string& s) { return s.find("/" + crashedPod) != std::string::npos; });
  ASSERT_NE(sandbox, found->sandboxes.end());
  const std::string crashedSandbox = *sandbox;
  EXPECT_NE(readFile("/proc/self/mountinfo").find(crashedSandbox + "/volumes/ram"), std::string::npos);

  EXPECT_EQ(ContainerdRuntime::removeLeftovers(options, *found), std::vector<std::string>{});
  EXPECT_TRUE(ctrList("containers", crashed).empty());
  EXPECT_TRUE(ctrList("tasks", crashed).empty());
  EXPECT_TRUE(ctrList("snapshots", crashed).empty());
  EXPECT_FALSE(std::filesystem::exists(crashedSandbox));
  EXPECT_EQ(readFile("/proc/self/mountinfo").find(crashedSandbox), std::string::npos);
  auto again = ContainerdRuntime::findLeftovers(options);
  ASSERT_TRUE(again);
  EXPECT_TRUE(again->empty());

  // The same through `podscope-cli gc`, for a second crash.
  crashed = runCommand(std::string(PODSCOPE_CRASH_HELPER));
  crashed = crashed.substr(0, crashed.find('\n'));
  ASSERT_FALSE(crashed.empty());
  ASSERT_EQ(ctrList("tasks", crashed).size(), 1u) << crashed;
  const std::string gc = std::string(PODSCOPE_CLI) + " gc --address " + options.address + " --state-dir " +
                         options.stateDir;
  std::string listed = runCommand(gc + " --dry-run 2>&1");
  EXPECT_NE(listed.find("  container " + crashed + " (with its task and snapshot)"), std::string::npos) << listed;
  EXPECT_NE(listed.find("Dry run: nothing removed."), std::string::npos) << listed;
  EXPECT_EQ(ctrList("tasks", crashed).size(), 1u);
  std::string removed = runCommand(gc + " 2>&1");
  EXPECT_NE(removed.find("Removed "), std::string::npos) << removed;
  EXPECT_TRUE(ctrList("containers", crashed).empty());
  EXPECT_TRUE(ctrList("snapshots", crashed).empty());
  EXPECT_NE(runCommand(gc + " 2>&1").find("Nothing to clean up"), std::string::npos);

  // The live run's pod is untouched.
  EXPECT_EQ(ctrList("tasks", alive).size(), 1u);
  EXPECT_TRUE(m_harness.removeContainer(alive));
  EXPECT_TRUE(m_harness.removeSandbox(*mine));
}

}  // namespace
}  // namespace podscope::testing
