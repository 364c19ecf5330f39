#include "recording_runtime.h"

#include <csignal>
#include <utility>

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
  configs.push_back(config);
  if (m_down) {
    m_loop.post([done = std::move(done), message = m_downMessage] { done(core::Error{message}); });
    return;
  }
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
  inst.startedAt = m_loop.now();
  Behaviour b = behaviourFor(inst.config);
  m_loop.post([done = std::move(done)] { done(core::Status::ok()); });
  if (b.runFor != Duration::max()) {
    inst.timer = m_loop.postAfter(b.runFor, [this, id, code = b.exitCode] { exit(id, {code, 0, false}); });
  }
}

void RecordingRuntime::exit(const engine::ContainerId& id, engine::ContainerExit e) {
  Instance& inst = m_instances.at(id);
  Behaviour b = behaviourFor(inst.config);
  e.terminationMessage = b.terminationMessage;
  e.logTail = b.logTail;
  if (inst.exited) return;
  if (inst.timer) m_loop.cancel(*inst.timer);
  inst.exited = true;
  inst.running = false;
  if (m_down) {
    m_heldExits.emplace_back(id, e);
    return;
  }
  m_loop.post([this, id, e] { notifyExit(id, e); });
}

void RecordingRuntime::goDown(const std::string& message) {
  calls.push_back("down");
  m_down = true;
  m_downMessage = message;
  m_loop.post([this, message] { notifyHealth(engine::RuntimeHealth{false, message}); });
}

void RecordingRuntime::comeBack(const std::set<std::string>& lost) {
  calls.push_back("up");
  m_down = false;
  m_loop.post([this] { notifyHealth(engine::RuntimeHealth{true, {}}); });
  for (auto& [id, inst] : m_instances) {
    if (!lost.count(inst.config.name) || !inst.running) continue;
    if (inst.timer) m_loop.cancel(*inst.timer);
    inst.running = false;
    inst.exited = true;
    engine::ContainerExit e{137, 0, false};
    e.lost = true;
    m_heldExits.emplace_back(id, e);
  }
  for (auto& [id, e] : std::exchange(m_heldExits, {})) {
    m_loop.post([this, id = id, e = e] { notifyExit(id, e); });
  }
}

void RecordingRuntime::killContainer(const engine::ContainerId& id, int signal, engine::StatusCallback done) {
  Instance& inst = m_instances.at(id);
  calls.push_back("killContainer " + inst.config.name + " " + (signal == SIGKILL ? "SIGKILL" : "SIGTERM"));
  if (m_down) {
    m_loop.post([done = std::move(done), message = m_downMessage] { done(core::Error{message}); });
    return;
  }
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

HandlerReply RecordingRuntime::reply(const std::string& container, engine::HandlerPurpose purpose,
                                     Duration sinceStart) const {
  if (!handlers) return HandlerReply{};
  return handlers(container, purpose, sinceStart);
}

std::string RecordingRuntime::podIP(const engine::SandboxId&) const { return "10.88.0.2"; }

void RecordingRuntime::exec(const engine::ContainerId& id, const engine::ExecRequest& request,
                            engine::Callback<engine::ExecResult> done) {
  auto it = m_instances.find(id);
  std::string name = it == m_instances.end() ? id : it->second.config.name;
  std::string argv;
  for (const std::string& a : request.argv) argv += (argv.empty() ? "" : " ") + a;
  calls.push_back("exec " + name + " " + std::string(core::toString(request.purpose)) + " [" + argv + "]");
  execRequests.push_back(request);
  if (m_down) {
    m_loop.post([done = std::move(done), message = m_downMessage] { done(core::Error{message}); });
    return;
  }
  if (it == m_instances.end() || !it->second.running) {
    m_loop.post([name, done = std::move(done)] { done(core::Error{"container " + name + " is not running"}); });
    return;
  }
  HandlerReply r = reply(name, request.purpose, m_loop.now() - it->second.startedAt);
  Duration takes = r.takes;
  engine::ExecResult result{r.exitCode, r.output, false};
  if (request.timeout && takes > *request.timeout) {
    takes = *request.timeout;
    result = engine::ExecResult{-1, "", true};
  }
  m_loop.postAfter(takes, [r, result, done = std::move(done)] {
    if (r.error) done(core::Error{*r.error});
    else done(result);
  });
}

void RecordingRuntime::httpGet(const engine::SandboxId&, const engine::HttpRequest& request,
                               engine::Callback<engine::HttpResponse> done) {
  calls.push_back("httpGet " + std::string(core::toString(request.purpose)) + " " + request.scheme + "://" +
                  request.host + ":" + std::to_string(request.port) + request.path);
  httpRequests.push_back(request);
  HandlerReply r = httpReplies ? httpReplies(request) : reply("", request.purpose, m_loop.now());
  Duration takes = r.takes;
  std::string address = request.host + ":" + std::to_string(request.port);
  if (request.timeout && takes > *request.timeout) {
    m_loop.postAfter(*request.timeout, [done = std::move(done)] {
      done(core::Error{"context deadline exceeded (Client.Timeout exceeded while awaiting headers)"});
    });
    return;
  }
  m_loop.postAfter(takes, [r, address, done = std::move(done)] {
    if (r.error) done(core::Error{*r.error});
    else if (r.refused) done(core::Error{"dial tcp " + address + ": connect: connection refused"});
    else done(engine::HttpResponse{r.statusCode, r.location, r.output});
  });
}

void RecordingRuntime::tcpConnect(const engine::SandboxId&, const engine::TcpRequest& request,
                                  engine::StatusCallback done) {
  calls.push_back("tcpConnect " + std::string(core::toString(request.purpose)) + " " + request.host + ":" +
                  std::to_string(request.port));
  tcpRequests.push_back(request);
  HandlerReply r = reply("", request.purpose, m_loop.now());
  std::string address = request.host + ":" + std::to_string(request.port);
  if (r.takes > request.timeout) {
    m_loop.postAfter(request.timeout, [address, done = std::move(done)] {
      done(core::Error{"dial tcp " + address + ": i/o timeout"});
    });
    return;
  }
  m_loop.postAfter(r.takes, [r, address, done = std::move(done)] {
    if (r.error) done(core::Error{*r.error});
    else if (r.refused) done(core::Error{"dial tcp " + address + ": connect: connection refused"});
    else done(core::Status::ok());
  });
}

void RecordingRuntime::grpcHealthCheck(const engine::SandboxId&, const engine::GrpcRequest& request,
                                       engine::Callback<engine::GrpcResponse> done) {
  calls.push_back("grpcHealthCheck " + std::string(core::toString(request.purpose)) + " " + request.host + ":" +
                  std::to_string(request.port) + " " + request.service);
  grpcRequests.push_back(request);
  HandlerReply r = reply("", request.purpose, m_loop.now());
  m_loop.postAfter(std::min(r.takes, request.timeout), [r, timedOut = r.takes > request.timeout,
                                                        done = std::move(done)] {
    if (timedOut) done(core::Error{"timeout: health rpc did not complete within the timeout"});
    else if (r.error) done(core::Error{*r.error});
    else done(engine::GrpcResponse{r.grpcStatus});
  });
}

}  // namespace podscope::testing
