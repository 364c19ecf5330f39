#pragma once
// The simulated runtime: runs containers on virtual time, deterministically.
// What a container does comes from its scenario (core/scenario.h,
// docs/simulation.md), read from the pod's `podscope.dev/simulate*`
// annotations and an optional side file, and otherwise from its command (see
// sim_program.h): `sleep 5`, `exit 3`, `echo`, `trap ... TERM`, file
// commands, `;`/`&&`/`||` lists under `sh -c`; a container with no command
// behaves like a long-running server that exits 0 on SIGTERM. As PID 1, a
// shell without a TERM trap ignores SIGTERM, as on Linux, so it runs out its
// grace period and dies by SIGKILL (137). Exec probes and hooks run the sim
// shell against the container's own file system; network probes succeed
// unless the scenario says otherwise.
//
// Thread contract: engine thread only; callbacks are posted to the loop.

#include <cstdint>
#include <map>
#include <unordered_map>
#include <memory>
#include <string>
#include <vector>

#include "core/scenario.h"
#include "engine/runtime.h"

namespace podscope::engine {

namespace sim {
class Script;
}

class SimulatedRuntime final : public Runtime {
 public:
  explicit SimulatedRuntime(EventLoop& loop);
  /// `sideFile`: a scenario from a side file (`--scenario FILE` or
  /// `<manifest>.simulate`); it wins over the pod's annotations.
  SimulatedRuntime(EventLoop& loop, core::Scenario sideFile);
  ~SimulatedRuntime() override;

  std::string name() const override { return "simulated"; }

  void inspectImage(const std::string& image, Callback<ImageInfo> done) override;
  void pullImage(const std::string& image, Callback<ImageInfo> done) override;
  void createSandbox(const SandboxConfig& config, Callback<SandboxId> done) override;
  void removeSandbox(const SandboxId& sandbox, StatusCallback done) override;
  void createContainer(const SandboxId& sandbox, const ContainerConfig& config,
                       Callback<ContainerId> done) override;
  void startContainer(const ContainerId& container, StatusCallback done) override;
  void killContainer(const ContainerId& container, int signal, StatusCallback done) override;
  void removeContainer(const ContainerId& container, StatusCallback done) override;

  /// 10.88.0.2 for the first sandbox, then .3, ... (containerd's default
  /// bridge network); empty for an unknown sandbox.
  std::string podIP(const SandboxId& sandbox) const override;
  void exec(const ContainerId& container, const ExecRequest& request, Callback<ExecResult> done) override;
  void httpGet(const SandboxId& sandbox, const HttpRequest& request, Callback<HttpResponse> done) override;
  void tcpConnect(const SandboxId& sandbox, const TcpRequest& request, StatusCallback done) override;
  void grpcHealthCheck(const SandboxId& sandbox, const GrpcRequest& request, Callback<GrpcResponse> done) override;

 private:
  struct SimSandbox;
  struct SimContainer;
  struct SimExec;
  void beginProcess(const ContainerId& id);
  void runStep(const ContainerId& id);
  void runExecStep(std::uint64_t execId);
  /// Whether the caller is a task or timer of the loop's own (so a reply can
  /// be given at once) rather than a request made to this runtime.
  enum class OnLoop { No, Yes };
  void endExec(std::uint64_t execId, core::Result<ExecResult> result, OnLoop onLoop = OnLoop::No);
  /// Starts `e`'s timeout timer, if its request has a timeout and it is not
  /// running yet.
  void armTimeout(SimExec& e);
  void finish(const ContainerId& id, ContainerExit exit);
  void reportNotes(const ContainerId& id, const std::vector<std::string>& notes);
  /// The running container whose scenario speaks about a network handler
  /// for `purpose`, or nullptr.
  SimContainer* scenarioContainer(const SandboxId& sandbox, HandlerPurpose purpose);
  /// When the scenario for `c` (may be null) says about `purpose` now.
  std::optional<core::HandlerBehavior> behaviorFor(SimContainer* c, HandlerPurpose purpose) const;

  EventLoop& m_loop;
  core::Scenario m_sideFile;
  std::map<SandboxId, SimSandbox> m_sandboxes;
  std::map<ContainerId, std::unique_ptr<SimContainer>> m_containers;
  /// Commands running in containers. Probes start one every period, so the
  /// records are reused: an exec id is a sequence number (ordering execs by
  /// start) shifted left, with its slot in the low 32 bits.
  std::vector<std::unique_ptr<SimExec>> m_execSlots;
  std::vector<std::uint32_t> m_freeExecSlots;
  /// The exec `execId` while it runs, else nullptr.
  SimExec* findExec(std::uint64_t execId);
  /// The ids of the execs running in `container`, oldest first.
  std::vector<std::uint64_t> execsIn(const ContainerId& container) const;
  struct ArgvHash {
    size_t operator()(const std::vector<std::string>& argv) const;
  };
  /// Exec command lines already read, by argv: probes run the same command
  /// every period, and a Script is immutable, so each is parsed once.
  std::unordered_map<std::vector<std::string>, std::shared_ptr<const sim::Script>, ArgvHash> m_execScripts;
  int m_nextId = 1;
  int m_sandboxCount = 0;
  std::uint64_t m_nextExec = 1;
};

}  // namespace podscope::engine
