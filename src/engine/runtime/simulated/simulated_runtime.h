#pragma once
// The simulated runtime: runs containers on virtual time, deterministically.
// What a container does is read from its command (see sim_program.h): `sleep
// 5`, `exit 3`, `echo`, `trap ... TERM`, `;`/`&&`/`||` lists under `sh -c`;
// a container with no command behaves like a long-running server that exits
// 0 on SIGTERM. As PID 1, a shell without a TERM trap ignores SIGTERM, as on
// Linux, so it runs out its grace period and dies by SIGKILL (137).
//
// Thread contract: engine thread only; callbacks are posted to the loop.

#include <map>
#include <memory>
#include <string>

#include "engine/runtime.h"

namespace podscope::engine {

class SimulatedRuntime final : public Runtime {
 public:
  explicit SimulatedRuntime(EventLoop& loop);
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

 private:
  struct SimContainer;
  void runStep(const ContainerId& id);
  void finish(const ContainerId& id, ContainerExit exit);

  EventLoop& m_loop;
  std::map<SandboxId, SandboxConfig> m_sandboxes;
  std::map<ContainerId, std::unique_ptr<SimContainer>> m_containers;
  int m_nextId = 1;
};

}  // namespace podscope::engine
