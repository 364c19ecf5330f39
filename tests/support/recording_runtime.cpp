#include "recording_runtime.h"

#include <csignal>

namespace podscope::testing {

Behaviour RecordingRuntime::behaviourFor(const engine::ContainerConfig& config) const {
  if (auto it = attemptBehaviours.find({config.name, config.attempt}); it != attemptBehaviours.end()) return it->second;
  if (auto it = behaviours.find(config.name); it != behaviours.end()) return it->second;
  return Behaviour{};
}

void RecordingRuntime::inspectImage(const std::string& image, engine::Callback<engine::ImageInfo> done) {
  calls.push_back("inspectImage " + image);
  bool present = !missingImages.count(image);
  m_loop.post([image, present, done = std::move(done)] { done(engine::ImageInfo{image, "", present}); });
}

void RecordingRuntime::pullImage(const std::string& image, engine::Callback<engine::ImageInfo> done) {
  calls.push_back("pullImage " + image);
  if (missingImages.count(image)) {
    m_loop.post([image, done = std::move(done)] { done(core::Error{"image " + image + " not found"}); });
    return;
  }
  m_loop.postAfter(std::chrono::seconds(2), [image, done = std::move(done)] { done(engine::ImageInfo{image, "", true}); });
}

void RecordingRuntime::createSandbox(const engine::SandboxConfig& config, engine::Callback<engine::SandboxId> done) {
  calls.push_back("createSandbox " + config.podName);
  if (failSandbox) {
    m_loop.post([done = std::move(done)] { done(core::Error{"network namespace could not be created"}); });
    return;
  }
  m_loop.post([done = std::move(done)] { done(engine::SandboxId("sandbox-1")); });
}

void RecordingRuntime::removeSandbox(const engine::SandboxId& sandbox, engine::StatusCallback done) {
  calls.push_back("removeSandbox " + sandbox);
  m_loop.post([done = std::move(done)] { done(core::Status::ok()); });
}

void RecordingRuntime::createContainer(const engine::SandboxId&, const engine::ContainerConfig& config,
                                       engine::Callback<engine::ContainerId> done) {
  calls.push_back("createContainer " + config.name + "#" + std::to_string(config.attempt));
  if (failCreate.count(config.name)) {
    m_loop.post([done = std::move(done)] { done(core::Error{"invalid mount"}); });
    return;
  }
  engine::ContainerId id = config.name + "-" + std::to_string(m_next++);
  m_instances[id] = Instance{config};
  alive.insert(id);
  m_loop.post([id, done = std::move(done)] { done(id); });
}

void RecordingRuntime::startContainer(const engine::ContainerId& id, engine::StatusCallback done) {
  Instance& inst = m_instances.at(id);
  calls.push_back("startContainer " + inst.config.name);
  inst.running = true;
  Behaviour b = behaviourFor(inst.config);
  m_loop.post([done = std::move(done)] { done(core::Status::ok()); });
  if (b.runFor != Duration::max()) {
    inst.timer = m_loop.postAfter(b.runFor, [this, id, code = b.exitCode] { exit(id, {code, 0, false}); });
  }
}

void RecordingRuntime::exit(const engine::ContainerId& id, engine::ContainerExit e) {
  Instance& inst = m_instances.at(id);
  if (inst.exited) return;
  if (inst.timer) m_loop.cancel(*inst.timer);
  inst.exited = true;
  inst.running = false;
  m_loop.post([this, id, e] { notifyExit(id, e); });
}

void RecordingRuntime::killContainer(const engine::ContainerId& id, int signal, engine::StatusCallback done) {
  Instance& inst = m_instances.at(id);
  calls.push_back("killContainer " + inst.config.name + " " + (signal == SIGKILL ? "SIGKILL" : "SIGTERM"));
  if (inst.running && !inst.exited) {
    if (signal == SIGKILL) exit(id, {137, SIGKILL, false});
    else if (behaviourFor(inst.config).honoursTerm) exit(id, {143, 0, false});
  }
  m_loop.post([done = std::move(done)] { done(core::Status::ok()); });
}

void RecordingRuntime::removeContainer(const engine::ContainerId& id, engine::StatusCallback done) {
  calls.push_back("removeContainer " + m_instances.at(id).config.name);
  alive.erase(id);
  m_loop.post([done = std::move(done)] { done(core::Status::ok()); });
}

}  // namespace podscope::testing
