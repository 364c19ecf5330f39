#include "engine/runtime/simulated/simulated_runtime.h"

#include <algorithm>
#include <csignal>

#include "engine/runtime/simulated/sim_program.h"

namespace podscope::engine {

namespace {
// A pull of an image the machine already holds still asks the registry for
// its manifest; half a second is typical on a good connection.
constexpr Duration kPullTime = std::chrono::milliseconds(500);
// How many parsed exec command lines SimulatedRuntime keeps.
constexpr size_t kMaxExecScripts = 256;

using Outcome = core::HandlerBehavior::Outcome;

core::ScenarioHandler handlerOf(HandlerPurpose purpose) {
  switch (purpose) {
    case HandlerPurpose::StartupProbe: return core::ScenarioHandler::Startup;
    case HandlerPurpose::LivenessProbe: return core::ScenarioHandler::Liveness;
    case HandlerPurpose::ReadinessProbe: return core::ScenarioHandler::Readiness;
    case HandlerPurpose::PostStartHook: return core::ScenarioHandler::PostStart;
    case HandlerPurpose::PreStopHook: return core::ScenarioHandler::PreStop;
  }
  return core::ScenarioHandler::Readiness;
}

std::string hostPort(const std::string& host, int port) { return host + ":" + std::to_string(port); }

std::string refused(const std::string& host, int port) {
  return "dial tcp " + hostPort(host, port) + ": connect: connection refused";
}

std::string cannotRun(HandlerPurpose purpose, const core::FailureDetail& detail) {
  return detail.text ? *detail.text
                     : "the " + std::string(core::toString(handlerOf(purpose))) +
                           " handler could not be run (as the scenario says)";
}

/// The request's timeout cut the handler short.
bool timesOut(const std::optional<Duration>& timeout, Duration takes) {
  return timeout && timeout->count() > 0 && takes > *timeout;
}
}  // namespace

struct SimulatedRuntime::SimSandbox {
  SandboxConfig config;
  std::string ip;
  core::Scenario podScenario;
  std::map<std::string, core::Scenario> containerScenarios;
  std::vector<ContainerId> containers;  ///< in creation order
};

struct SimulatedRuntime::SimContainer {
  ContainerConfig config;
  SandboxId sandbox;
  core::ScenarioPlan plan;
  std::shared_ptr<sim::FileSystem> files;
  sim::Program program;
  enum class State { Created, Starting, Running, Exited } state = State::Created;
  TimePoint startedAt{0};
  std::optional<Executor::TimerId> timer;         ///< the program's next step or the scenario's exit
  std::optional<Executor::TimerId> sigtermTimer;  ///< an `on SIGTERM exit N after T`
  std::optional<Executor::TimerId> startTimer;    ///< `starts after T`
  StatusCallback startDone;
  std::string output;
  size_t notesReported = 0;
  std::vector<std::string> notesSeen;
};

struct SimulatedRuntime::SimExec {
  std::uint64_t id = 0;  ///< 0 while the slot is free
  ContainerId container;
  std::optional<sim::Program> program;  ///< unset when the scenario decides
  std::string output;
  size_t maxOutput = 0;
  Callback<ExecResult> done;
  std::optional<Executor::TimerId> stepTimer;
  std::optional<TimePoint> deadline;  ///< when the request's timeout kills it
  std::optional<Executor::TimerId> timeoutTimer;
};

SimulatedRuntime::SimulatedRuntime(EventLoop& loop) : m_loop(loop) {}

SimulatedRuntime::SimulatedRuntime(EventLoop& loop, core::Scenario sideFile)
    : m_loop(loop), m_sideFile(std::move(sideFile)) {}

SimulatedRuntime::~SimulatedRuntime() {
  for (auto& [id, c] : m_containers) {
    for (auto* t : {&c->timer, &c->sigtermTimer, &c->startTimer}) {
      if (*t) m_loop.cancel(**t);
    }
  }
  for (auto& e : m_execSlots) {
    if (e->stepTimer) m_loop.cancel(*e->stepTimer);
    if (e->timeoutTimer) m_loop.cancel(*e->timeoutTimer);
  }
}

// Command lines in the cache differ in their words' lengths and ends far
// more often than in their middles; hashing those is enough to spread them,
// and the table compares whole argvs anyway.
size_t SimulatedRuntime::ArgvHash::operator()(const std::vector<std::string>& argv) const {
  size_t h = argv.size();
  for (const std::string& a : argv) {
    size_t word = a.size();
    if (!a.empty()) word = word * 31 + static_cast<unsigned char>(a.front()) * 131 + static_cast<unsigned char>(a.back());
    if (a.size() > 2) word = word * 31 + static_cast<unsigned char>(a[a.size() / 2]);
    h = h * 1099511628211u ^ word;
  }
  return h;
}

SimulatedRuntime::SimExec* SimulatedRuntime::findExec(std::uint64_t execId) {
  const auto slot = static_cast<std::uint32_t>(execId);
  if (execId == 0 || slot >= m_execSlots.size() || m_execSlots[slot]->id != execId) return nullptr;
  return m_execSlots[slot].get();
}

std::vector<std::uint64_t> SimulatedRuntime::execsIn(const ContainerId& container) const {
  std::vector<std::uint64_t> ids;
  for (const auto& e : m_execSlots) {
    if (e->id != 0 && e->container == container) ids.push_back(e->id);
  }
  std::sort(ids.begin(), ids.end());
  return ids;
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
  SimSandbox sandbox;
  sandbox.config = config;
  for (const auto& [key, value] : config.annotations) {
    if (key.rfind(core::kSimulateAnnotation, 0) != 0) continue;
    std::string container;
    if (key != core::kSimulateAnnotation) {
      if (key.rfind(core::kSimulateContainerPrefix, 0) != 0 || key.size() == core::kSimulateContainerPrefix.size()) {
        continue;  // not ours; the lint reports it
      }
      container = key.substr(core::kSimulateContainerPrefix.size());
    }
    core::ScenarioParse parse =
        core::parseScenario(value, container.empty() ? core::ScenarioForm::Pod : core::ScenarioForm::Container,
                            container.empty() ? "*" : container);
    if (!parse.ok()) {
      std::string message = "the simulation scenario in annotation " + key + " is not valid: " +
                            parse.errors.front().toString();
      m_loop.post([message, done = std::move(done)] { done(core::Error{message}); });
      return;
    }
    if (container.empty()) {
      sandbox.podScenario = std::move(parse.scenario);
    } else {
      sandbox.containerScenarios[container] = std::move(parse.scenario);
    }
  }
  int host = 2 + m_sandboxCount++;
  sandbox.ip = "10.88." + std::to_string(host / 256) + "." + std::to_string(host % 256);
  SandboxId id = "sim-sandbox-" + std::to_string(m_nextId++);
  m_sandboxes[id] = std::move(sandbox);
  m_loop.post([id, done = std::move(done)] { done(id); });
}

void SimulatedRuntime::removeSandbox(const SandboxId& sandbox, StatusCallback done) {
  m_sandboxes.erase(sandbox);
  m_loop.post([done = std::move(done)] { done(core::Status::ok()); });
}

std::string SimulatedRuntime::podIP(const SandboxId& sandbox) const {
  auto it = m_sandboxes.find(sandbox);
  return it == m_sandboxes.end() ? std::string() : it->second.ip;
}

void SimulatedRuntime::createContainer(const SandboxId& sandbox, const ContainerConfig& config,
                                       Callback<ContainerId> done) {
  auto sb = m_sandboxes.find(sandbox);
  if (sb == m_sandboxes.end()) {
    m_loop.post([sandbox, done = std::move(done)] {
      done(core::Error{"pod sandbox " + sandbox + " does not exist"});
    });
    return;
  }
  ContainerId id = "sim-" + config.name + "-" + std::to_string(m_nextId++);
  std::vector<std::string> argv = config.command;
  argv.insert(argv.end(), config.args.begin(), config.args.end());
  auto own = sb->second.containerScenarios.find(config.name);
  core::ScenarioSources sources{&sb->second.podScenario,
                                own == sb->second.containerScenarios.end() ? nullptr : &own->second, &m_sideFile};
  // A new instance gets a fresh root file system, as a restarted container does.
  auto files = std::make_shared<sim::FileSystem>();
  auto c = std::make_unique<SimContainer>(SimContainer{config, sandbox,
                                                       core::planScenario(sources, config.name, config.attempt + 1),
                                                       files, sim::Program::fromArgv(argv, files)});
  m_containers[id] = std::move(c);
  sb->second.containers.push_back(id);
  m_loop.post([id, done = std::move(done)] { done(id); });
}

void SimulatedRuntime::startContainer(const ContainerId& container, StatusCallback done) {
  auto it = m_containers.find(container);
  if (it == m_containers.end() || it->second->state != SimContainer::State::Created) {
    m_loop.post([container, done = std::move(done)] {
      done(core::Error{"container " + container + " cannot be started"});
    });
    return;
  }
  SimContainer& c = *it->second;
  c.state = SimContainer::State::Starting;
  if (c.plan.startDelay && c.plan.startDelay->count() > 0) {
    c.startDone = std::move(done);
    c.startTimer = m_loop.postAfter(*c.plan.startDelay, [this, container] {
      auto found = m_containers.find(container);
      if (found == m_containers.end()) return;
      found->second->startTimer.reset();
      StatusCallback startDone = std::move(found->second->startDone);
      beginProcess(container);
      startDone(core::Status::ok());
      runStep(container);
    });
    return;
  }
  m_loop.post([this, container, done = std::move(done)] {
    beginProcess(container);
    done(core::Status::ok());
    runStep(container);
  });
}

void SimulatedRuntime::beginProcess(const ContainerId& id) {
  auto it = m_containers.find(id);
  if (it == m_containers.end() || it->second->state != SimContainer::State::Starting) return;
  SimContainer& c = *it->second;
  c.state = SimContainer::State::Running;
  c.startedAt = m_loop.now();
  if (!c.plan.process) return;  // the command runs: runStep() after the start is reported
  using Kind = core::ScenarioStatement::Kind;
  const core::ScenarioStatement& p = *c.plan.process;
  if (p.kind == Kind::RunsUntilStopped) return;
  ContainerExit exit{p.exitCode, 0, false};
  if (p.kind == Kind::OomKilled) exit = ContainerExit{128 + SIGKILL, SIGKILL, true};
  c.timer = m_loop.postAfter(p.time, [this, id, exit] {
    if (auto found = m_containers.find(id); found != m_containers.end()) found->second->timer.reset();
    finish(id, exit);
  });
}

void SimulatedRuntime::reportNotes(const ContainerId& id, const std::vector<std::string>& notes) {
  if (notes.empty()) return;
  auto it = m_containers.find(id);
  if (it == m_containers.end()) return;
  std::vector<std::string>& seen = it->second->notesSeen;
  for (const std::string& note : notes) {
    if (std::find(seen.begin(), seen.end(), note) != seen.end()) continue;
    seen.push_back(note);
    m_loop.post([this, id, note] { notifyNote(id, note); });
  }
}

void SimulatedRuntime::runStep(const ContainerId& id) {
  auto it = m_containers.find(id);
  if (it == m_containers.end() || it->second->state != SimContainer::State::Running) return;
  SimContainer& c = *it->second;
  if (c.plan.process) return;  // the scenario plays the process, not the command
  c.timer.reset();
  sim::Action action = c.program.next(c.output);
  // Assumptions surface as the program reaches them.
  reportNotes(id, c.program.notes());
  if (action.kind == sim::Action::Kind::Exit) {
    finish(id, ContainerExit{action.exitCode, 0, false});
    return;
  }
  if (action.sleep == Duration::max()) return;  // sleeps until a signal ends it
  c.timer = m_loop.postAfter(action.sleep, [this, id] { runStep(id); });
}

void SimulatedRuntime::finish(const ContainerId& id, ContainerExit exit) {
  auto it = m_containers.find(id);
  if (it == m_containers.end() || it->second->state == SimContainer::State::Exited) return;
  SimContainer& c = *it->second;
  for (auto* t : {&c.timer, &c.sigtermTimer, &c.startTimer}) {
    if (*t) m_loop.cancel(**t);
    t->reset();
  }
  c.state = SimContainer::State::Exited;
  // What the kubelet would read for the termination message: the file the
  // container wrote at terminationMessagePath, and the tail of its output.
  if (c.files && !c.config.terminationMessagePath.empty()) {
    exit.terminationMessage = c.files->read(c.config.terminationMessagePath);
  }
  exit.logTail = tailForTerminationMessage(c.output);
  m_loop.post([this, id, exit = std::move(exit)] { notifyExit(id, exit); });
  // Commands run in the container die with it.
  for (std::uint64_t execId : execsIn(id)) {
    endExec(execId, core::Error{"container is not running: it exited while the command ran"});
  }
}

void SimulatedRuntime::killContainer(const ContainerId& container, int signal, StatusCallback done) {
  auto it = m_containers.find(container);
  if (it == m_containers.end()) {
    m_loop.post([container, done = std::move(done)] { done(core::Error{"no such container " + container}); });
    return;
  }
  SimContainer& c = *it->second;
  using Kind = core::ScenarioStatement::Kind;
  if (c.state == SimContainer::State::Starting && signal == SIGKILL) {
    // Killed before its process ran: the start fails and nothing exits.
    if (c.startTimer) m_loop.cancel(*c.startTimer);
    c.startTimer.reset();
    c.state = SimContainer::State::Exited;
    if (c.startDone) {
      m_loop.post([startDone = std::move(c.startDone)] {
        startDone(core::Error{"the container was killed before it started"});
      });
    }
  } else if (c.state == SimContainer::State::Running) {
    if (signal == SIGKILL) {
      finish(container, ContainerExit{128 + SIGKILL, SIGKILL, false});
    } else if (signal == SIGTERM) {
      if (c.plan.sigterm && c.plan.sigterm->kind == Kind::IgnoresSigterm) {
        // As the scenario says: only SIGKILL ends it.
      } else if (c.plan.sigterm) {
        int code = c.plan.sigterm->exitCode;
        Duration after = c.plan.sigterm->time;
        if (after.count() == 0) {
          finish(container, ContainerExit{code, 0, false});
        } else if (!c.sigtermTimer) {
          c.sigtermTimer = m_loop.postAfter(after, [this, container, code] {
            if (auto found = m_containers.find(container); found != m_containers.end()) {
              found->second->sigtermTimer.reset();
            }
            finish(container, ContainerExit{code, 0, false});
          });
        }
      } else if (c.plan.process) {
        // A scenario's process is an application: it stops cleanly on SIGTERM.
        finish(container, ContainerExit{0, 0, false});
      } else if (std::optional<sim::Action> action = c.program.terminate()) {
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
    SimContainer& c = *it->second;
    for (auto* t : {&c.timer, &c.sigtermTimer, &c.startTimer}) {
      if (*t) m_loop.cancel(**t);
    }
    for (std::uint64_t execId : execsIn(container)) endExec(execId, core::Error{"container is not running: it was removed"});
    auto sb = m_sandboxes.find(it->second->sandbox);
    if (sb != m_sandboxes.end()) std::erase(sb->second.containers, container);
    m_containers.erase(container);
  }
  m_loop.post([done = std::move(done)] { done(core::Status::ok()); });
}

// ---------------------------------------------------------------------------
// Handlers.

std::optional<core::HandlerBehavior> SimulatedRuntime::behaviorFor(SimContainer* c, HandlerPurpose purpose) const {
  if (!c) return std::nullopt;
  return c->plan.handlerAt(handlerOf(purpose), m_loop.now() - c->startedAt);
}

SimulatedRuntime::SimContainer* SimulatedRuntime::scenarioContainer(const SandboxId& sandbox,
                                                                    HandlerPurpose purpose) {
  auto sb = m_sandboxes.find(sandbox);
  if (sb == m_sandboxes.end()) return nullptr;
  // A network request names no container; the first running one whose
  // scenario speaks about this probe or hook answers it.
  for (const ContainerId& id : sb->second.containers) {
    auto it = m_containers.find(id);
    if (it == m_containers.end() || it->second->state != SimContainer::State::Running) continue;
    if (it->second->plan.speaksAbout(handlerOf(purpose))) return it->second.get();
  }
  return nullptr;
}

void SimulatedRuntime::exec(const ContainerId& container, const ExecRequest& request, Callback<ExecResult> done) {
  auto it = m_containers.find(container);
  if (it == m_containers.end() || it->second->state != SimContainer::State::Running) {
    m_loop.post([done = std::move(done)] { done(core::Error{"container is not running"}); });
    return;
  }
  SimContainer& c = *it->second;
  std::uint32_t slot;
  if (!m_freeExecSlots.empty()) {
    slot = m_freeExecSlots.back();
    m_freeExecSlots.pop_back();
  } else {
    slot = static_cast<std::uint32_t>(m_execSlots.size());
    m_execSlots.push_back(std::make_unique<SimExec>());
  }
  const std::uint64_t execId = (m_nextExec++ << 32) | slot;
  SimExec& ex = *m_execSlots[slot];
  ex.id = execId;
  ex.container = container;
  ex.output.clear();
  ex.maxOutput = request.maxOutput;
  ex.done = std::move(done);

  ex.deadline.reset();
  if (request.timeout && request.timeout->count() > 0) ex.deadline = m_loop.now() + *request.timeout;

  if (std::optional<core::HandlerBehavior> b = behaviorFor(&c, request.purpose)) {
    armTimeout(ex);
    if (timesOut(request.timeout, b->takes)) return;  // the timeout timer answers
    core::Result<ExecResult> result = ExecResult{0, b->detail.text.value_or(""), false};
    switch (b->outcome) {
      case Outcome::Succeeds: break;
      case Outcome::Fails: result = ExecResult{b->detail.status.value_or(1), b->detail.text.value_or(""), false}; break;
      case Outcome::Errors: result = core::Error{cannotRun(request.purpose, b->detail)}; break;
    }
    ex.stepTimer = m_loop.postAfter(b->takes, [this, execId, result] {
      if (SimExec* found = findExec(execId)) found->stepTimer.reset();
      endExec(execId, result, OnLoop::Yes);
    });
    return;
  }
  auto script = m_execScripts.find(request.argv);
  if (script == m_execScripts.end()) {
    // Distinct exec commands are few (a pod's probes and hooks); the bound
    // only guards against a runtime that lives through very many pods.
    if (m_execScripts.size() >= kMaxExecScripts) m_execScripts.clear();
    script = m_execScripts.emplace(request.argv, sim::Script::fromArgv(request.argv)).first;
  }
  if (ex.program) {
    ex.program->restart(script->second, c.files);  // keeps the previous run's storage
  } else {
    ex.program = sim::Program::start(script->second, c.files);
  }
  m_loop.post([this, execId] { runExecStep(execId); });
}

void SimulatedRuntime::runExecStep(std::uint64_t execId) {
  SimExec* found = findExec(execId);
  if (!found) return;
  SimExec& e = *found;
  e.stepTimer.reset();
  sim::Action action = e.program->next(e.output);
  reportNotes(e.container, e.program->notes());
  if (action.kind == sim::Action::Kind::Exit) {
    endExec(execId, ExecResult{action.exitCode, std::move(e.output), false}, OnLoop::Yes);
    return;
  }
  // A command that ends without taking time (most probes) never needs its
  // timeout timer; one that waits gets it now, due when the request said.
  armTimeout(e);
  if (action.sleep == Duration::max()) return;  // until the timeout or the container's end
  e.stepTimer = m_loop.postAfter(action.sleep, [this, execId] { runExecStep(execId); });
}

void SimulatedRuntime::armTimeout(SimExec& e) {
  if (!e.deadline || e.timeoutTimer) return;
  const std::uint64_t execId = e.id;
  e.timeoutTimer = m_loop.postAfter(*e.deadline - m_loop.now(), [this, execId] {
    SimExec* found = findExec(execId);
    if (!found) return;
    found->timeoutTimer.reset();
    endExec(execId, ExecResult{128 + SIGKILL, found->output, true}, OnLoop::Yes);
  });
}

void SimulatedRuntime::endExec(std::uint64_t execId, core::Result<ExecResult> result, OnLoop onLoop) {
  SimExec* e = findExec(execId);
  if (!e) return;
  if (e->stepTimer) m_loop.cancel(*e->stepTimer);
  if (e->timeoutTimer) m_loop.cancel(*e->timeoutTimer);
  e->stepTimer.reset();
  e->timeoutTimer.reset();
  e->deadline.reset();
  if (result && result->output.size() > e->maxOutput) result->output.resize(e->maxOutput);
  Callback<ExecResult> done = std::move(e->done);
  e->done = nullptr;
  e->id = 0;
  m_freeExecSlots.push_back(static_cast<std::uint32_t>(execId));
  // From a task or timer of our own the reply can go at once; from inside
  // a caller's request it waits for the loop.
  if (onLoop == OnLoop::Yes) {
    done(std::move(result));
    return;
  }
  m_loop.post([done = std::move(done), result = std::move(result)]() mutable { done(std::move(result)); });
}

void SimulatedRuntime::httpGet(const SandboxId& sandbox, const HttpRequest& request, Callback<HttpResponse> done) {
  std::string host = request.host.empty() ? podIP(sandbox) : request.host;
  // Errors say why in Go's words; the engine puts `Get "<url>": ` in front.
  const std::string prefix;
  std::optional<core::HandlerBehavior> b = behaviorFor(scenarioContainer(sandbox, request.purpose), request.purpose);
  core::Result<HttpResponse> result = HttpResponse{200, "", "ok"};
  Duration takes{0};
  if (b) {
    takes = b->takes;
    switch (b->outcome) {
      case Outcome::Succeeds: result = HttpResponse{b->detail.status.value_or(200), "", b->detail.text.value_or("ok")}; break;
      case Outcome::Fails:
        if (b->detail.connectionRefused) {
          result = core::Error{prefix + refused(host, request.port)};
        } else {
          result = HttpResponse{b->detail.status.value_or(503), "", b->detail.text.value_or("")};
        }
        break;
      case Outcome::Errors: result = core::Error{cannotRun(request.purpose, b->detail)}; break;
    }
  }
  if (timesOut(request.timeout, takes)) {
    takes = *request.timeout;
    result = core::Error{prefix + "context deadline exceeded (Client.Timeout exceeded while awaiting headers)"};
  }
  if (result && result->body.size() > request.maxBody) result->body.resize(request.maxBody);
  m_loop.postAfter(takes, [done = std::move(done), result] { done(result); });
}

void SimulatedRuntime::tcpConnect(const SandboxId& sandbox, const TcpRequest& request, StatusCallback done) {
  std::string host = request.host.empty() ? podIP(sandbox) : request.host;
  std::optional<core::HandlerBehavior> b = behaviorFor(scenarioContainer(sandbox, request.purpose), request.purpose);
  core::Status result = core::Status::ok();
  Duration takes{0};
  if (b) {
    takes = b->takes;
    switch (b->outcome) {
      case Outcome::Succeeds: break;
      case Outcome::Fails: result = core::Error{refused(host, request.port)}; break;
      case Outcome::Errors: result = core::Error{cannotRun(request.purpose, b->detail)}; break;
    }
  }
  if (timesOut(request.timeout, takes)) {
    takes = request.timeout;
    result = core::Error{"dial tcp " + hostPort(host, request.port) + ": i/o timeout"};
  }
  m_loop.postAfter(takes, [done = std::move(done), result] { done(result); });
}

void SimulatedRuntime::grpcHealthCheck(const SandboxId& sandbox, const GrpcRequest& request,
                                       Callback<GrpcResponse> done) {
  std::string host = request.host.empty() ? podIP(sandbox) : request.host;
  std::optional<core::HandlerBehavior> b = behaviorFor(scenarioContainer(sandbox, request.purpose), request.purpose);
  core::Result<GrpcResponse> result = GrpcResponse{"SERVING"};
  Duration takes{0};
  if (b) {
    takes = b->takes;
    switch (b->outcome) {
      case Outcome::Succeeds: result = GrpcResponse{b->detail.grpcStatus.value_or("SERVING")}; break;
      case Outcome::Fails:
        if (b->detail.connectionRefused) {
          result = core::Error{refused(host, request.port)};
        } else {
          result = GrpcResponse{b->detail.grpcStatus.value_or("NOT_SERVING")};
        }
        break;
      case Outcome::Errors: result = core::Error{cannotRun(request.purpose, b->detail)}; break;
    }
  }
  if (timesOut(request.timeout, takes)) {
    takes = request.timeout;
    result = core::Error{"rpc error: code = DeadlineExceeded desc = context deadline exceeded"};
  }
  m_loop.postAfter(takes, [done = std::move(done), result] { done(result); });
}

}  // namespace podscope::engine
