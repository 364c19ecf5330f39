#pragma once
// The real runtime: runs a pod's containers on containerd through its native
// gRPC API (containerd 1.6+, runc). Images are pulled from their registries
// (image_puller.h) into containerd's content store and unpacked through its
// diff service; images already in containerd (`ctr images import`) are used
// as they are, unpacked first when they were imported without unpacking. A
// pod's containers share a network, IPC and UTS namespace made by the
// runtime (see pod_sandbox.h), so they reach each other on localhost and see
// the pod's name as their hostname, as on a cluster.

#include <memory>
#include <string>

#include "core/result.h"
#include "engine/clock.h"
#include "engine/runtime/containerd/leftovers.h"
#include "engine/runtime.h"

namespace podscope::engine {

struct ContainerdOptions {
  /// containerd's socket: a path, or a `unix://` address.
  std::string address = "/run/containerd/containerd.sock";
  /// containerd namespace for everything the runtime creates and the images
  /// it looks up.
  std::string containerdNamespace = "podscope";
  /// Where the pods' namespace files and shared /dev/shm live; empty picks
  /// /run/podscope as root, else $XDG_RUNTIME_DIR/podscope.
  std::string stateDir;
};

/// A Runtime whose containers are real: containerd tasks run by runc.
/// Thread contract: as Runtime — methods on the engine thread, never
/// blocking: each call is queued to a worker thread the runtime owns, and its
/// callback is posted back through the Executor. Container exits come from
/// containerd's event stream (read on a second thread); a third deletes the
/// exited task, which completes its log, and then posts the exit to the exit
/// handler, always after the startContainer callback of that container.
/// Execs have a queue of their own (so a slow container call never delays a
/// probe), learn of their end from the same event stream, and are timed by a
/// timer thread; network handlers each run on a short-lived thread inside the
/// pod's network namespace. Pulls have a queue of their own too (one at a
/// time, as the kubelet's serial puller), so a long download never holds
/// back other containers; shutting down cancels the pull in progress.
/// Destroy it on the engine thread; the destructor ends running handlers
/// (with an error result), waits for queued work, removes whatever
/// containers and sandboxes are left, and stops its threads.
class ContainerdRuntime final : public Runtime {
 public:
  /// Blocking; call before the loop runs. Checks that `options.address` is
  /// containerd and usable, creates the namespace if needed, and subscribes
  /// to task events. Errors tell a user what to do.
  static core::Result<std::unique_ptr<ContainerdRuntime>> connect(
      Executor& executor, const ContainerdOptions& options);

  /// The state directory an empty ContainerdOptions::stateDir stands for:
  /// /run/podscope as root, else $XDG_RUNTIME_DIR/podscope.
  static std::string defaultStateDir();
  /// Blocking. Lists what crashed runs left (see ContainerdLeftovers).
  static core::Result<ContainerdLeftovers> findLeftovers(const ContainerdOptions& options);
  /// The same through this runtime's connection (its own run is alive, so
  /// never listed). Blocking.
  core::Result<ContainerdLeftovers> leftovers() const;
  /// Blocking. Removes `leftovers` (tasks killed, containers, snapshots and
  /// sandboxes deleted, then the stale run locks); returns what could not be
  /// removed, and why. `progress` is called on the calling thread before
  /// each container, snapshot and sandbox; when it returns false the removal
  /// stops there and the run locks are kept.
  static std::vector<std::string> removeLeftovers(const ContainerdOptions& options,
                                                  const ContainerdLeftovers& leftovers,
                                                  const LeftoverRemovalProgress& progress = {});

  ~ContainerdRuntime() override;
  ContainerdRuntime(const ContainerdRuntime&) = delete;
  ContainerdRuntime& operator=(const ContainerdRuntime&) = delete;

  /// "containerd 1.6.20".
  std::string name() const override;
  /// containerd's version as it reports it ("1.6.20~ds1").
  const std::string& version() const;
  /// The options in effect (address as a path, stateDir filled in).
  const ContainerdOptions& options() const;

  void prepareImages(const std::vector<std::string>& images) override;
  void inspectImage(const std::string& image, Callback<ImageInfo> done) override;
  void pullImage(const std::string& image, Callback<ImageInfo> done) override;
  void createSandbox(const SandboxConfig& config, Callback<SandboxId> done) override;
  void removeSandbox(const SandboxId& sandbox, StatusCallback done) override;
  void createContainer(const SandboxId& sandbox, const ContainerConfig& config,
                       Callback<ContainerId> done) override;
  void startContainer(const ContainerId& container, StatusCallback done) override;
  void killContainer(const ContainerId& container, int signal, StatusCallback done) override;
  int stopSignal(const ContainerId& container) const override;
  void removeContainer(const ContainerId& container, StatusCallback done) override;

  /// 127.0.0.1 for every pod: see the definition for why.
  std::string podIP(const SandboxId& sandbox) const override;
  void exec(const ContainerId& container, const ExecRequest& request,
            Callback<ExecResult> done) override;
  void httpGet(const SandboxId& sandbox, const HttpRequest& request,
               Callback<HttpResponse> done) override;
  void tcpConnect(const SandboxId& sandbox, const TcpRequest& request,
                  StatusCallback done) override;
  void grpcHealthCheck(const SandboxId& sandbox, const GrpcRequest& request,
                       Callback<GrpcResponse> done) override;

 private:
  class Impl;
  explicit ContainerdRuntime(std::unique_ptr<Impl> impl);
  void deliverExit(const ContainerId& id, const ContainerExit& exit) { notifyExit(id, exit); }
  void deliverHealth(const RuntimeHealth& health) { notifyHealth(health); }

  std::unique_ptr<Impl> m_impl;
};

}  // namespace podscope::engine
