#include "engine/runtime/simulated/simulated_runtime.h"

#include <csignal>

#include "engine/runtime/simulated/sim_program.h"

namespace podscope::engine {

namespace {
// A pull of an image the machine already holds still asks the registry for
// its manifest; half a second is typical on a good connection.
constexpr Duration kPullTime = std::chrono::milliseconds(500);
}  // namespace

struct SimulatedRuntime::SimContainer {
  ContainerConfig config;
  sim::Program program;
  bool running = false;
  bool exited = false;
  std::optional<Executor::TimerId> timer;
  std::string output;
  size_t notesReported = 0;
};

SimulatedRuntime::SimulatedRuntime(EventLoop& loop) : m_loop(loop) {}

SimulatedRuntime::~SimulatedRuntime() {
  for (auto& [id, c] : m_containers) {
    if (c->timer) m_loop.cancel(*c->timer);
  }
}

void SimulatedRuntime::inspectImage(const std::string& image, Callback<ImageInfo> done) {
  // Every image is taken to be on the machine already: the simulator runs
  // the manifest's commands, not the image's files.
  m_loop.post([image, done = std::move(done)] { done(ImageInfo{image, "", true}); });
}

void SimulatedRuntime::pullImage(const std::string& image, Callback<ImageInfo> done) {
  m_loop.postAfter(kPullTime, [image, done = std::move(done)] { done(ImageInfo{image, "", true}); });
}

void SimulatedRuntime::createSandbox(const SandboxConfig& config, Callback<SandboxId> done) {
  SandboxId id = "sim-sandbox-" + std::to_string(m_nextId++);
  m_sandboxes[id] = config;
  m_loop.post([id, done = std::move(done)] { done(id); });
}

void SimulatedRuntime::removeSandbox(const SandboxId& sandbox, StatusCallback done) {
  m_sandboxes.erase(sandbox);
  m_loop.post([done = std::move(done)] { done(core::Status::ok()); });
}

void SimulatedRuntime::createContainer(const SandboxId& sandbox, const ContainerConfig& config,
                                       Callback<ContainerId> done) {
  if (!m_sandboxes.count(sandbox)) {
    m_loop.post([sandbox, done = std::move(done)] {
      done(core::Error{"pod sandbox " + sandbox + " does not exist"});
    });
    return;
  }
  ContainerId id = "sim-" + config.name + "-" + std::to_string(m_nextId++);
  std::vector<std::string> argv = config.command;
  argv.insert(argv.end(), config.args.begin(), config.args.end());
  auto c = std::make_unique<SimContainer>(SimContainer{config, sim::Program::fromArgv(argv)});
  m_containers[id] = std::move(c);
  m_loop.post([id, done = std::move(done)] { done(id); });
}

void SimulatedRuntime::startContainer(const ContainerId& container, StatusCallback done) {
  auto it = m_containers.find(container);
  if (it == m_containers.end() || it->second->running || it->second->exited) {
    m_loop.post([container, done = std::move(done)] {
      done(core::Error{"container " + container + " cannot be started"});
    });
    return;
  }
  it->second->running = true;
  m_loop.post([this, container, done = std::move(done)] {
    done(core::Status::ok());
    runStep(container);
  });
}

void SimulatedRuntime::runStep(const ContainerId& id) {
  auto it = m_containers.find(id);
  if (it == m_containers.end() || it->second->exited) return;
  SimContainer& c = *it->second;
  c.timer.reset();
  sim::Action action = c.program.next(c.output);
  // Assumptions surface as the program reaches them.
  const std::vector<std::string>& notes = c.program.notes();
  for (; c.notesReported < notes.size(); ++c.notesReported) {
    m_loop.post([this, id, note = notes[c.notesReported]] { notifyNote(id, note); });
  }
  if (action.kind == sim::Action::Kind::Exit) {
    finish(id, ContainerExit{action.exitCode, 0, false});
    return;
  }
  if (action.sleep == Duration::max()) return;  // sleeps until a signal ends it
  c.timer = m_loop.postAfter(action.sleep, [this, id] { runStep(id); });
}

void SimulatedRuntime::finish(const ContainerId& id, ContainerExit exit) {
  auto it = m_containers.find(id);
  if (it == m_containers.end() || it->second->exited) return;
  SimContainer& c = *it->second;
  if (c.timer) m_loop.cancel(*c.timer);
  c.timer.reset();
  c.exited = true;
  c.running = false;
  m_loop.post([this, id, exit] { notifyExit(id, exit); });
}

void SimulatedRuntime::killContainer(const ContainerId& container, int signal, StatusCallback done) {
  auto it = m_containers.find(container);
  if (it == m_containers.end()) {
    m_loop.post([container, done = std::move(done)] { done(core::Error{"no such container " + container}); });
    return;
  }
  SimContainer& c = *it->second;
  if (c.running && !c.exited) {
    if (signal == SIGKILL) {
      finish(container, ContainerExit{128 + SIGKILL, SIGKILL, false});
    } else if (signal == SIGTERM) {
      if (std::optional<sim::Action> action = c.program.terminate()) {
        finish(container, ContainerExit{action->exitCode, 0, false});
      }
    } else {
      // Other signals are not modelled: like SIGTERM to a PID 1 without a
      // handler, they change nothing.
    }
  }
  m_loop.post([done = std::move(done)] { done(core::Status::ok()); });
}

void SimulatedRuntime::removeContainer(const ContainerId& container, StatusCallback done) {
  auto it = m_containers.find(container);
  if (it != m_containers.end()) {
    if (it->second->timer) m_loop.cancel(*it->second->timer);
    m_containers.erase(it);
  }
  m_loop.post([done = std::move(done)] { done(core::Status::ok()); });
}

}  // namespace podscope::engine
