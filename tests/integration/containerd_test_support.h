#pragma once
// Test support for runs against the private containerd that CTest starts
// (fixture `containerd`, address in PODSCOPE_CONTAINERD_ADDRESS): connect,
// drive the runtime from a test thread, and ask `ctr` what is left.

#include <chrono>
#include <condition_variable>
#include <future>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "core/result.h"
#include "engine/host/system_event_loop.h"
#include "engine/runtime/containerd/containerd_runtime.h"

namespace podscope::testing {

/// The socket from PODSCOPE_CONTAINERD_ADDRESS, or an Error saying how to
/// provide one.
core::Result<std::string> containerdAddress();

/// Options for the test daemon: its socket, namespace podscope, and a state
/// directory inside the daemon's own (which containerd-stop.sh cleans up).
core::Result<engine::ContainerdOptions> testOptions();

/// A name no other test (or earlier run) uses: `prefix-<random hex>`.
std::string uniqueName(const std::string& prefix);

/// Runs `command` with /bin/sh and returns its stdout.
std::string runCommand(const std::string& command);

/// The ids `ctr -a SOCK -n podscope KIND ls` lists (containers, tasks,
/// snapshots) that contain `needle`.
std::vector<std::string> ctrList(const std::string& kind, const std::string& needle);

/// Whole text of a file ("" when missing).
std::string readFile(const std::string& path);

/// A fresh directory under the system's temp directory, removed with all it
/// holds when the object goes, however the test ends.
class TempDir {
 public:
  explicit TempDir(const std::string& prefix);
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return m_path; }

 private:
  std::string m_path;
};

/// A ContainerdRuntime on a SystemEventLoop running on its own thread, with
/// blocking wrappers for the runtime's asynchronous calls. The runtime is
/// created and destroyed on the loop thread, as its contract asks.
/// Thread contract: use from one test thread; the loop thread is internal.
class RuntimeHarness {
 public:
  static constexpr std::chrono::seconds kTimeout{60};

  RuntimeHarness();
  ~RuntimeHarness();

  /// Connects; on failure the Error says why (tests ASSERT on it).
  core::Status connect();
  /// The same with options of the test's own (another state directory).
  core::Status connect(const engine::ContainerdOptions& options);
  engine::ContainerdRuntime& runtime() { return *m_runtime; }
  /// Destroys the runtime (on the loop thread) and leaves the loop running.
  void destroyRuntime();

  core::Result<engine::ImageInfo> inspectImage(const std::string& image);
  core::Result<engine::ImageInfo> pullImage(const std::string& image);
  core::Result<engine::SandboxId> createSandbox(const std::string& podName);
  core::Status removeSandbox(const engine::SandboxId& sandbox);
  core::Result<engine::ContainerId> createContainer(const engine::SandboxId& sandbox,
                                                    const engine::ContainerConfig& config);
  core::Status startContainer(const engine::ContainerId& id);
  core::Status killContainer(const engine::ContainerId& id, int signal);
  core::Status removeContainer(const engine::ContainerId& id);

  core::Result<engine::ExecResult> exec(const engine::ContainerId& id,
                                        const engine::ExecRequest& request);
  core::Result<engine::HttpResponse> httpGet(const engine::SandboxId& sandbox,
                                             const engine::HttpRequest& request);
  core::Status tcpConnect(const engine::SandboxId& sandbox, const engine::TcpRequest& request);
  core::Result<engine::GrpcResponse> grpcHealthCheck(const engine::SandboxId& sandbox,
                                                     const engine::GrpcRequest& request);

  /// The container's exit, once the exit handler saw it; nullopt on timeout.
  std::optional<engine::ContainerExit> waitExit(const engine::ContainerId& id,
                                                std::chrono::milliseconds timeout = kTimeout);
  /// What reached the engine thread, in order: "started:<id>", "exited:<id>".
  std::vector<std::string> journal();

 private:
  template <typename T>
  core::Result<T> await(std::function<void(engine::Callback<T>)> call);
  core::Status awaitStatus(std::function<void(engine::StatusCallback)> call);
  void note(const std::string& entry);

  engine::SystemEventLoop m_loop;
  std::thread m_loopThread;
  std::unique_ptr<engine::ContainerdRuntime> m_runtime;
  std::mutex m_mutex;
  std::condition_variable m_changed;
  std::map<engine::ContainerId, engine::ContainerExit> m_exits;
  std::vector<std::string> m_journal;
};

}  // namespace podscope::testing
