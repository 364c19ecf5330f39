// Faults on a real containerd: the daemon killed and restarted mid-run, a
// container's shim lost with it, and a full disk. Each test runs its own
// private daemon (scripts/containerd-start.sh), since it kills or fills it:
// the daemon the other tests share is never touched.

#include <sys/mount.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "containerd_test_support.h"
#include "core/manifest_reader.h"
#include "core/run_record.h"
#include "engine/host/system_event_loop.h"
#include "engine/pod_worker.h"

namespace podscope::testing {
namespace {

using namespace std::chrono_literals;
using core::SubjectKind;

/// A containerd of the test's own, in a short directory under /tmp (a unix
/// socket path must stay under 108 bytes). Stopped and removed at the end.
class PrivateDaemon {
 public:
  /// With `rootSizeMiB`, containerd's root (content, snapshots, metadata)
  /// lives on a tmpfs of that size, so the test can fill it.
  explicit PrivateDaemon(std::optional<int> rootSizeMiB = std::nullopt) {
    m_dir = "/tmp/" + uniqueName("psf");
    std::filesystem::create_directories(m_dir + "/root");
    if (rootSizeMiB) {
      std::string options = "size=" + std::to_string(*rootSizeMiB) + "m,mode=0711";
      m_tmpfs = ::mount("tmpfs", (m_dir + "/root").c_str(), "tmpfs", 0, options.c_str()) == 0;
    }
  }
  ~PrivateDaemon() {
    runCommand("bash " PODSCOPE_SOURCE_DIR "/scripts/containerd-stop.sh " + m_dir + " 2>&1");
    if (m_tmpfs) ::umount2((m_dir + "/root").c_str(), MNT_DETACH);
    std::error_code ec;
    std::filesystem::remove_all(m_dir, ec);
  }
  PrivateDaemon(const PrivateDaemon&) = delete;
  PrivateDaemon& operator=(const PrivateDaemon&) = delete;

  /// Starts it (again); true once it answers.
  bool start() {
    std::string out = runCommand("bash " PODSCOPE_SOURCE_DIR "/scripts/containerd-start.sh " + m_dir + " 2>/dev/null");
    return out.find(socket()) != std::string::npos;
  }
  /// SIGKILL, as a crash would: shims and containers live on.
  void kill() {
    std::ifstream in(m_dir + "/containerd.pid");
    pid_t pid = 0;
    in >> pid;
    ASSERT_GT(pid, 0);
    ASSERT_EQ(::kill(pid, SIGKILL), 0);
    for (int i = 0; i < 100 && ::kill(pid, 0) == 0; ++i) std::this_thread::sleep_for(50ms);
  }
  std::string socket() const { return m_dir + "/containerd.sock"; }
  const std::string& dir() const { return m_dir; }
  bool onTmpfs() const { return m_tmpfs; }

  engine::ContainerdOptions options() const {
    engine::ContainerdOptions options;
    options.address = socket();
    options.containerdNamespace = "podscope";
    options.stateDir = m_dir + "/podscope-state";
    return options;
  }

  /// Task ids in namespace podscope that contain `needle`.
  std::vector<std::string> tasks(const std::string& needle) const {
    std::vector<std::string> found;
    std::istringstream lines(runCommand("ctr -a " + socket() + " -n podscope tasks ls -q 2>/dev/null"));
    for (std::string line; std::getline(lines, line);) {
      if (line.find(needle) != std::string::npos) found.push_back(line);
    }
    return found;
  }

 private:
  std::string m_dir;
  bool m_tmpfs = false;
};

/// Waits (up to 30 s) for a task of `container` in pod `pod` to run.
std::optional<std::string> awaitTask(const PrivateDaemon& daemon, const std::string& pod, const std::string& container) {
  for (int i = 0; i < 300; ++i) {
    auto tasks = daemon.tasks(pod + "-" + container + "-");
    if (!tasks.empty()) return tasks.front();
    std::this_thread::sleep_for(100ms);
  }
  return std::nullopt;
}

std::optional<core::RunRecord> runOn(const PrivateDaemon& daemon, const std::string& yaml, engine::Duration watchFor,
                                     const std::string& logDir) {
  auto pod = core::readPod(yaml, "pod.yaml");
  EXPECT_TRUE(pod) << pod.error().toString();
  if (!pod) return std::nullopt;
  engine::SystemEventLoop loop;
  auto runtime = engine::ContainerdRuntime::connect(loop, daemon.options());
  EXPECT_TRUE(runtime) << runtime.error().message;
  if (!runtime) return std::nullopt;
  engine::RunOptions options;
  options.logDir = logDir;
  options.runFor = watchFor;
  core::RunRecord record = engine::runPod(*pod, **runtime, loop, options);
  runtime->reset();
  return record;
}

const core::Transition* firstTransition(const core::RunRecord& record, SubjectKind kind, const std::string& to,
                                        engine::Duration after = engine::Duration::zero()) {
  for (const core::Transition& t : record.transitions()) {
    if (t.kind == kind && t.to == to && t.time >= after) return &t;
  }
  return nullptr;
}

std::size_t countTo(const core::RunRecord& record, SubjectKind kind, const std::string& to) {
  return static_cast<std::size_t>(std::count_if(record.transitions().begin(), record.transitions().end(),
                                                [&](const core::Transition& t) { return t.kind == kind && t.to == to; }));
}

const core::Event* firstEvent(const core::RunRecord& record, const std::string& reason) {
  for (const core::Event& e : record.events()) {
    if (e.reason == reason) return &e;
  }
  return nullptr;
}

void expectNothingLeft(const PrivateDaemon& daemon, const std::string& podName) {
  auto leftovers = engine::ContainerdRuntime::findLeftovers(daemon.options());
  ASSERT_TRUE(leftovers) << leftovers.error().message;
  EXPECT_EQ(leftovers->objectsLeft(), 0u);
  EXPECT_TRUE(daemon.tasks(podName).empty());
  std::string containers = runCommand("ctr -a " + daemon.socket() + " -n podscope containers ls -q 2>&1");
  EXPECT_EQ(containers.find(podName), std::string::npos) << containers;
  std::string snapshots = runCommand("ctr -a " + daemon.socket() + " -n podscope snapshots ls 2>&1");
  EXPECT_EQ(snapshots.find(podName), std::string::npos) << snapshots;
}

class ContainerdFaultsTest : public ::testing::Test {
 protected:
  TempDir m_logDir{"podscope-fault-logs"};
};

TEST_F(ContainerdFaultsTest, AContainerdRestartMidRunShowsUnknownThenCatchesUpOnWhatHappened) {
  PrivateDaemon daemon;
  ASSERT_TRUE(daemon.start());
  const std::string name = uniqueName("restart");
  std::atomic<bool> restarted{false};
  std::thread chaos([&] {
    if (!awaitTask(daemon, name, "main")) return;
    std::this_thread::sleep_for(1500ms);
    daemon.kill();
    // The container exits (code 3) while nobody is listening.
    std::this_thread::sleep_for(8s);
    restarted = daemon.start();
  });
  auto record = runOn(daemon,
                      "apiVersion: v1\nkind: Pod\nmetadata: {name: " + name + "}\nspec:\n"
                      "  terminationGracePeriodSeconds: 1\n  containers:\n"
                      "  - name: main\n    image: busybox:1.36\n    command: [sh, -c, 'sleep 6; exit 3']\n"
                      "    readinessProbe: {exec: {command: ['true']}, periodSeconds: 1}\n",
                      24s, m_logDir.path());
  chaos.join();
  ASSERT_TRUE(restarted);
  ASSERT_TRUE(record);
  SCOPED_TRACE(core::formatTransitions(*record));

  const core::Transition* unknown = firstTransition(*record, SubjectKind::Pod, "Unknown");
  ASSERT_NE(unknown, nullptr);
  EXPECT_EQ(unknown->reason, "NodeNotReady");
  const core::Event* notReady = firstEvent(*record, "NodeNotReady");
  ASSERT_NE(notReady, nullptr);
  EXPECT_NE(notReady->message.find("Node is not ready: container runtime is down: containerd at " + daemon.socket() +
                                   " is not reachable"),
            std::string::npos)
      << notReady->message;
  const core::Event* ready = firstEvent(*record, "NodeReady");
  ASSERT_NE(ready, nullptr);
  const core::Transition* back = firstTransition(*record, SubjectKind::Pod, "Running", unknown->time);
  ASSERT_NE(back, nullptr);
  EXPECT_GE(back->time, ready->time);

  // The exit during the outage is reported once containerd is back, with
  // its real exit code, and the container is restarted.
  const core::Transition* exited = firstTransition(*record, SubjectKind::Container, "Terminated");
  ASSERT_NE(exited, nullptr);
  EXPECT_EQ(exited->reason, "Error");
  EXPECT_EQ(exited->message, "exit code 3");
  EXPECT_GE(exited->time, ready->time);
  EXPECT_GE(countTo(*record, SubjectKind::Container, "Running"), 2u);
  bool sawUnknownLine = std::any_of(record->statusLines().begin(), record->statusLines().end(),
                                    [](const core::PodStatusLine& l) { return l.status == "Unknown"; });
  EXPECT_TRUE(sawUnknownLine);
  expectNothingLeft(daemon, name);
}

TEST_F(ContainerdFaultsTest, AShimLostWithContainerdIsReportedAsContainerStatusUnknownAndRestarted) {
  PrivateDaemon daemon;
  ASSERT_TRUE(daemon.start());
  const std::string name = uniqueName("shimlost");
  std::atomic<bool> restarted{false};
  std::thread chaos([&] {
    auto task = awaitTask(daemon, name, "main");
    if (!task) return;
    std::this_thread::sleep_for(1s);
    daemon.kill();
    // The shim goes too, and with it everything containerd knew of the task.
    runCommand("pkill -KILL -f 'containerd-shim-runc-v2 -namespace podscope -id " + *task + " -address " +
               daemon.socket() + "'");
    std::this_thread::sleep_for(2s);
    restarted = daemon.start();
  });
  auto record = runOn(daemon,
                      "apiVersion: v1\nkind: Pod\nmetadata: {name: " + name + "}\nspec:\n"
                      "  terminationGracePeriodSeconds: 1\n  containers:\n"
                      "  - {name: main, image: busybox:1.36, command: [sh, -c, 'trap \"exit 0\" TERM; while true; do sleep 1; done']}\n",
                      14s, m_logDir.path());
  chaos.join();
  ASSERT_TRUE(restarted);
  ASSERT_TRUE(record);
  SCOPED_TRACE(core::formatTransitions(*record));
  const core::Transition* gone = firstTransition(*record, SubjectKind::Container, "Terminated");
  ASSERT_NE(gone, nullptr);
  EXPECT_EQ(gone->reason, "ContainerStatusUnknown");
  EXPECT_EQ(gone->message, "The container could not be located when the pod was terminated");
  EXPECT_EQ(gone->exitCode, 137);
  EXPECT_GE(countTo(*record, SubjectKind::Container, "Running"), 2u);
  expectNothingLeft(daemon, name);
}

TEST_F(ContainerdFaultsTest, AFullDiskIsACreateContainerErrorRetriedUntilThereIsRoomAgain) {
  PrivateDaemon daemon(24);
  ASSERT_TRUE(daemon.onTmpfs()) << "could not mount a tmpfs for containerd's root";
  ASSERT_TRUE(daemon.start());
  const std::string filler = daemon.dir() + "/root/filler";
  runCommand("dd if=/dev/zero of=" + filler + " bs=1M 2>/dev/null");
  ASSERT_TRUE(std::filesystem::exists(filler));
  const std::string name = uniqueName("fulldisk");
  std::thread janitor([&] {
    std::this_thread::sleep_for(4s);
    std::filesystem::remove(filler);
  });
  auto record = runOn(daemon,
                      "apiVersion: v1\nkind: Pod\nmetadata: {name: " + name + "}\nspec:\n"
                      "  terminationGracePeriodSeconds: 1\n  containers:\n"
                      "  - {name: main, image: busybox:1.36, command: [sh, -c, 'echo hello; sleep 30']}\n",
                      15s, m_logDir.path());
  janitor.join();
  ASSERT_TRUE(record);
  SCOPED_TRACE(core::formatTransitions(*record));
  const core::Transition* failed = nullptr;
  for (const core::Transition& t : record->transitions()) {
    if (t.kind == SubjectKind::Container && t.reason == "CreateContainerError") {
      failed = &t;
      break;
    }
  }
  ASSERT_NE(failed, nullptr);
  EXPECT_NE(failed->message.find("no space left on device"), std::string::npos) << failed->message;
  for (const core::Transition& t : record->transitions()) EXPECT_NE(t.reason, "CrashLoopBackOff");
  // Retried by the next sync, 10 s on, once there is room again.
  const core::Transition* running = firstTransition(*record, SubjectKind::Container, "Running");
  ASSERT_NE(running, nullptr);
  EXPECT_GE(running->time, failed->time + 10s);
  ASSERT_FALSE(record->statusLines().empty());
  EXPECT_EQ(record->statusLines().back().status, "Running");
  expectNothingLeft(daemon, name);
}

}  // namespace
}  // namespace podscope::testing
