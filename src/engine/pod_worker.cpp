#include "engine/pod_worker.h"

#include <csignal>
#include <functional>
#include <map>

#include "engine/backoff.h"
#include "engine/pod_actions.h"
#include "engine/pod_state.h"
#include "engine/pod_status.h"

namespace podscope::engine {

namespace {

std::string uidFor(const core::Pod& pod) {
  // Stable across runs of the same pod, so logs and records line up.
  std::uint64_t h = std::hash<std::string>{}(pod.metadata.namespaceName + "/" + pod.metadata.name);
  char buf[40];
  std::snprintf(buf, sizeof buf, "%08x-%04x-%04x-%04x-%012llx", static_cast<unsigned>(h >> 32),
                static_cast<unsigned>((h >> 16) & 0xffff), static_cast<unsigned>(h & 0x0fff) | 0x4000,
                static_cast<unsigned>((h >> 48) & 0x3fff) | 0x8000,
                static_cast<unsigned long long>(h & 0xffffffffffffULL));
  return buf;
}

std::string signalName(int signal) {
  switch (signal) {
    case SIGKILL: return "SIGKILL";
    case SIGTERM: return "SIGTERM";
    case SIGINT: return "SIGINT";
    case SIGQUIT: return "SIGQUIT";
    case SIGHUP: return "SIGHUP";
    case SIGABRT: return "SIGABRT";
    case SIGSEGV: return "SIGSEGV";
    default: return "signal " + std::to_string(signal);
  }
}

std::string quoted(const std::string& s) { return "\"" + s + "\""; }

}  // namespace

class PodWorker::Impl {
  std::shared_ptr<bool> m_alive = std::make_shared<bool>(true);

  // Wraps a callback so it does nothing once this worker is gone.
  template <typename F>
  auto guard(F f) {
    return [alive = std::weak_ptr<bool>(m_alive), f = std::move(f)](auto&&... args) {
      auto a = alive.lock();
      if (a && *a) f(std::forward<decltype(args)>(args)...);
    };
  }

 public:
  Impl(core::Pod pod, Runtime& runtime, EventLoop& loop, core::RunRecord& record, RunOptions options)
      : m_pod(std::move(pod)),
        m_runtime(runtime),
        m_loop(loop),
        m_record(record),
        m_options(std::move(options)) {
    if (m_options.podUid.empty()) m_options.podUid = uidFor(m_pod);
    m_state.restartPolicy = m_pod.spec.restartPolicy;
    for (const core::Container& c : m_pod.spec.initContainers) {
      m_state.initContainers.push_back(ContainerStatus{.name = c.name, .init = true});
    }
    for (const core::Container& c : m_pod.spec.containers) {
      m_state.containers.push_back(ContainerStatus{.name = c.name, .init = false});
    }
    m_record.podName = m_pod.metadata.name;
    m_record.podNamespace = m_pod.metadata.namespaceName;
    m_record.runtimeName = m_runtime.name();
  }

  ~Impl() {
    *m_alive = false;
    cancelTimers();
  }

  void start() {
    m_created = m_loop.now();
    m_runtime.setExitHandler(guard([this](const ContainerId& id, const ContainerExit& exit) { onExit(id, exit); }));
    m_runtime.setNoteHandler(guard([this](const ContainerId& id, const std::string& note) {
      auto it = m_byId.find(id);
      if (it != m_byId.end()) event(core::EventType::Normal, "Simulated", fieldPath(it->second), note);
    }));
    m_phase = computePhase(m_state);
    recordPod("", std::string(toString(m_phase)), "", "");
    event(core::EventType::Normal, "Scheduled", "",
          "Successfully assigned " + m_pod.metadata.namespaceName + "/" + m_pod.metadata.name + " to " +
              m_options.nodeName);
    std::string waitingReason = m_pod.spec.initContainers.empty() ? "ContainerCreating" : "PodInitializing";
    forEachContainer([&](ContainerStatus& c) {
      c.reason = waitingReason;
      recordContainer(c, "", "Waiting", waitingReason, "");
    });
    if (m_options.stopAfter.count() > 0) {
      m_stopTimer = m_loop.postAfter(m_options.stopAfter, guard([this] {
        m_stopTimer.reset();
        m_stoppedByLimit = true;
        requestDelete(m_options.gracePeriod);
      }));
    }
    queueSync();
  }

  void requestDelete(std::optional<Duration> grace) {
    if (m_finished) return;
    Duration g = grace.value_or(std::chrono::seconds(m_pod.spec.terminationGracePeriodSeconds));
    // The effective grace may only shrink (a second delete can shorten it).
    if (m_state.deleting && m_deleteGrace && *m_deleteGrace <= g) return;
    m_deleteGrace = g;
    if (!m_state.deleting) {
      m_state.deleting = true;
      if (!m_stoppedByLimit) m_deletedByUser = true;
    }
    queueSync();
  }

  bool finished() const { return m_finished; }
  std::function<void()> onFinished;

 private:
  template <typename F>
  void forEachContainer(F f) {
    for (ContainerStatus& c : m_state.initContainers) f(c);
    for (ContainerStatus& c : m_state.containers) f(c);
  }

  ContainerStatus& status(ContainerRef ref) {
    return ref.init ? m_state.initContainers[ref.index] : m_state.containers[ref.index];
  }
  const core::Container& spec(ContainerRef ref) const {
    return ref.init ? m_pod.spec.initContainers[ref.index] : m_pod.spec.containers[ref.index];
  }
  std::string fieldPath(ContainerRef ref) const {
    return std::string(ref.init ? "spec.initContainers{" : "spec.containers{") + spec(ref).name + "}";
  }

  core::RunTime sinceCreation() const { return m_loop.now() - m_created; }

  void recordPod(const std::string& from, const std::string& to, const std::string& reason,
                 const std::string& message) {
    m_record.append(core::Transition{sinceCreation(), core::SubjectKind::Pod, m_pod.metadata.name, from, to,
                                     reason, message});
  }

  void recordContainer(const ContainerStatus& c, const std::string& from, const std::string& to,
                       const std::string& reason, const std::string& message) {
    std::optional<int> exitCode;
    if (c.state == ContainerState::Terminated) exitCode = c.exitCode;
    m_record.append(core::Transition{sinceCreation(),
                                     c.init ? core::SubjectKind::InitContainer : core::SubjectKind::Container,
                                     c.name, from, to, reason, message, exitCode});
  }

  void event(core::EventType type, const std::string& reason, const std::string& object,
             const std::string& message) {
    m_record.append(core::Event{sinceCreation(), type, reason, object, message});
  }

  /// Moves `c` to `to`, recording the transition (also Waiting->Waiting
  /// when the reason changes, e.g. PodInitializing -> CrashLoopBackOff).
  void setState(ContainerStatus& c, ContainerState to, const std::string& reason, const std::string& message) {
    if (c.state == to && c.reason == reason && c.message == message) return;
    std::string from(toString(c.state));
    c.state = to;
    c.reason = reason;
    c.message = message;
    recordContainer(c, from, std::string(toString(to)), reason, message);
  }

  void queueSync() {
    if (m_syncQueued || m_finished) return;
    m_syncQueued = true;
    m_loop.post(guard([this] { sync(); }));
  }

  void updatePhase() {
    PodPhase phase = computePhase(m_state);
    if (phase == m_phase) return;
    // Terminal phases are sticky.
    if (m_phase == PodPhase::Succeeded || m_phase == PodPhase::Failed) return;
    recordPod(std::string(toString(m_phase)), std::string(toString(phase)), "", "");
    m_phase = phase;
  }

  void sync() {
    m_syncQueued = false;
    if (m_finished) return;
    updatePhase();
    PodActions actions = computePodActions(m_state, m_backoff, m_loop.now());

    if (actions.createSandbox) createSandbox();
    for (const BackOffWait& wait : actions.backOff) showBackOff(wait);
    for (ContainerRef ref : actions.start) startContainer(ref);
    for (ContainerRef ref : actions.kill) killContainer(ref);
    if (actions.removeSandbox) removeSandbox();
    if (actions.resyncAt) scheduleResync(*actions.resyncAt);
    recordStatusLine(false);
    if (actions.podDone) finish();
  }

  /// Records the `kubectl get pod` columns when READY, STATUS or the
  /// restart count changed (the "(15s ago)" part alone changes with time),
  /// or always when `force`.
  void recordStatusLine(bool force) {
    PodStatusInput input = makePodStatusInput(m_state, m_pod.spec);
    input.createdAt = m_created;
    KubectlRow row = kubectlColumns(input, m_loop.now());
    auto count = [](const std::string& restarts) { return restarts.substr(0, restarts.find(' ')); };
    if (m_lastRow && (force ? *m_lastRow == row
                            : m_lastRow->ready == row.ready && m_lastRow->status == row.status &&
                                  count(m_lastRow->restarts) == count(row.restarts))) {
      return;
    }
    m_record.append(core::PodStatusLine{sinceCreation(), row.ready, row.status, row.restarts, row.age});
    m_lastRow = row;
  }

  void scheduleResync(TimePoint at) {
    if (m_resyncTimer) m_loop.cancel(*m_resyncTimer);
    m_resyncTimer = m_loop.postAfter(at - m_loop.now(), guard([this] {
      m_resyncTimer.reset();
      queueSync();
    }));
  }

  void createSandbox() {
    m_state.sandboxBusy = true;
    SandboxConfig config{m_pod.metadata.name, m_pod.metadata.namespaceName, m_options.podUid, m_pod.metadata.name};
    m_runtime.createSandbox(config, guard([this](core::Result<SandboxId> result) {
      m_state.sandboxBusy = false;
      if (!result) {
        std::string message = "Failed to create pod sandbox: " + result.error().message;
        event(core::EventType::Warning, "FailedCreatePodSandBox", "", message);
        fail(message);
        return;
      }
      m_sandbox = *result;
      m_state.sandboxReady = true;
      queueSync();
    }));
  }

  void removeSandbox() {
    m_state.sandboxBusy = true;
    m_runtime.removeSandbox(m_sandbox, guard([this](core::Status status) {
      m_state.sandboxBusy = false;
      m_state.sandboxReady = false;
      if (!status) {
        event(core::EventType::Warning, "FailedKillPod", "", "error killing pod: " + status.error().message);
      }
      queueSync();
    }));
  }

  void fail(const std::string& message) {
    m_state.failed = true;
    if (m_failureMessage.empty()) m_failureMessage = message;
    queueSync();
  }

  std::string podKey() const {
    return m_pod.metadata.name + "_" + m_pod.metadata.namespaceName + "(" + m_options.podUid + ")";
  }

  void showBackOff(const BackOffWait& wait) {
    ContainerStatus& c = status(wait.container);
    const core::Container& s = spec(wait.container);
    bool imageProblem = c.reason == "ErrImagePull" || c.reason == "ImagePullBackOff";
    std::string reason = imageProblem ? "ImagePullBackOff" : "CrashLoopBackOff";
    std::string message = imageProblem ? "Back-off pulling image " + quoted(s.image)
                                       : "back-off " + formatGoDuration(wait.backoff) +
                                             " restarting failed container=" + c.name + " pod=" + podKey();
    if (c.state == ContainerState::Waiting && c.reason == reason && c.message == message) return;
    if (c.state == ContainerState::Terminated) {
      c.lastExitCode = c.exitCode;
    }
    setState(c, ContainerState::Waiting, reason, message);
    if (imageProblem) {
      event(core::EventType::Normal, "BackOff", fieldPath(wait.container), "Back-off pulling image " + quoted(s.image));
    } else {
      event(core::EventType::Warning, "BackOff", fieldPath(wait.container),
            "Back-off restarting failed container " + c.name + " in pod " + podKey());
    }
  }

  /// The attempt could not run: it waits (with `reason`) and is retried
  /// after the crash-loop back-off.
  void startFailed(ContainerRef ref, ContainerState state, const std::string& reason, const std::string& message,
                   int exitCode = 0) {
    ContainerStatus& c = status(ref);
    c.busy = false;
    c.failedToStart = true;
    c.finishedAt = m_loop.now();
    if (state == ContainerState::Terminated) c.exitCode = exitCode;
    setState(c, state, reason, message);
    queueSync();
  }

  void startContainer(ContainerRef ref) {
    ContainerStatus& c = status(ref);
    const core::Container& s = spec(ref);
    bool previous = c.hasPreviousInstance();
    if (previous) m_backoff.next(c.name, c.finishedAt, m_loop.now());
    c.busy = true;
    m_runtime.inspectImage(s.image, guard([this, ref](core::Result<ImageInfo> info) {
      const core::Container& s = spec(ref);
      if (!info) {
        event(core::EventType::Warning, "InspectFailed", fieldPath(ref),
              "Failed to inspect image " + quoted(s.image) + ": " + info.error().message);
        startFailed(ref, ContainerState::Waiting, "ImageInspectError",
                    "Failed to inspect image " + quoted(s.image) + ": " + info.error().message);
        return;
      }
      if (info->present && s.imagePullPolicy != core::PullPolicy::Always) {
        event(core::EventType::Normal, "Pulled", fieldPath(ref),
              "Container image " + quoted(s.image) + " already present on machine");
        createContainer(ref);
        return;
      }
      if (!info->present && s.imagePullPolicy == core::PullPolicy::Never) {
        std::string message = "Container image " + quoted(s.image) + " is not present with pull policy of Never";
        event(core::EventType::Warning, "ErrImageNeverPull", fieldPath(ref), message);
        event(core::EventType::Warning, "Failed", fieldPath(ref), "Error: ErrImageNeverPull");
        startFailed(ref, ContainerState::Waiting, "ErrImageNeverPull", message);
        return;
      }
      pullImage(ref);
    }));
  }

  void pullImage(ContainerRef ref) {
    const core::Container& s = spec(ref);
    event(core::EventType::Normal, "Pulling", fieldPath(ref), "Pulling image " + quoted(s.image));
    TimePoint began = m_loop.now();
    m_runtime.pullImage(s.image, guard([this, ref, began](core::Result<ImageInfo> info) {
      const core::Container& s = spec(ref);
      if (!info) {
        event(core::EventType::Warning, "Failed", fieldPath(ref),
              "Failed to pull image " + quoted(s.image) + ": " + info.error().message);
        event(core::EventType::Warning, "Failed", fieldPath(ref), "Error: ErrImagePull");
        startFailed(ref, ContainerState::Waiting, "ErrImagePull", info.error().message);
        return;
      }
      std::string took = core::formatRunTime(m_loop.now() - began);
      event(core::EventType::Normal, "Pulled", fieldPath(ref),
            "Successfully pulled image " + quoted(s.image) + " in " + took + " (" + took + " including waiting)");
      createContainer(ref);
    }));
  }

  std::string logPath(const ContainerStatus& c, int attempt) const {
    if (m_options.logDir.empty()) return {};
    return m_options.logDir + "/" + m_pod.metadata.namespaceName + "_" + m_pod.metadata.name + "_" +
           m_options.podUid + "/" + c.name + "/" + std::to_string(attempt) + ".log";
  }

  void createContainer(ContainerRef ref) {
    ContainerStatus& c = status(ref);
    const core::Container& s = spec(ref);
    bool previous = c.hasPreviousInstance();
    int attempt = c.restartCount + (previous && c.everStarted ? 1 : 0);
    ContainerConfig config{s.name, s.image, s.command, s.args, ref.init, attempt, logPath(c, attempt)};
    m_runtime.createContainer(m_sandbox, config, guard([this, ref](core::Result<ContainerId> id) {
      if (!id) {
        event(core::EventType::Warning, "Failed", fieldPath(ref), "Error: " + id.error().message);
        startFailed(ref, ContainerState::Waiting, "CreateContainerError", id.error().message);
        return;
      }
      m_byId[*id] = ref;
      status(ref).id = *id;
      event(core::EventType::Normal, "Created", fieldPath(ref), "Created container " + spec(ref).name);
      m_runtime.startContainer(*id, guard([this, ref, id = *id](core::Status started) {
        if (!started) {
          event(core::EventType::Warning, "Failed", fieldPath(ref), "Error: " + started.error().message);
          m_byId.erase(id);
          startFailed(ref, ContainerState::Terminated, "StartError", started.error().message, 128);
          removeContainer(ref, id);
          return;
        }
        containerStarted(ref, id);
      }));
    }));
  }

  void containerStarted(ContainerRef ref, const ContainerId& id) {
    ContainerStatus& c = status(ref);
    bool previous = c.hasPreviousInstance();
    if (previous && c.everStarted) {
      c.lastExitCode = c.latestExitCode();
      ++c.restartCount;
    }
    c.busy = false;
    c.everStarted = true;
    c.failedToStart = false;
    c.killRequested = false;
    setState(c, ContainerState::Running, "Started",
             c.restartCount > 0 ? "restart " + std::to_string(c.restartCount) : "");
    event(core::EventType::Normal, "Started", fieldPath(ref), "Started container " + c.name);
    // An exit that raced ahead of the start reply.
    if (auto it = m_earlyExits.find(id); it != m_earlyExits.end()) {
      ContainerExit exit = it->second;
      m_earlyExits.erase(it);
      onExit(id, exit);
      return;
    }
    // The pod may have been deleted while this container was starting.
    queueSync();
  }

  void onExit(const ContainerId& id, const ContainerExit& exit) {
    auto it = m_byId.find(id);
    if (it == m_byId.end()) return;  // not one of ours, or already handled
    ContainerRef ref = it->second;
    ContainerStatus& c = status(ref);
    if (c.state != ContainerState::Running) {
      m_earlyExits[id] = exit;
      return;
    }
    m_byId.erase(it);
    if (auto t = m_killTimers.find(id); t != m_killTimers.end()) {
      m_loop.cancel(t->second);
      m_killTimers.erase(t);
    }
    c.exitCode = exit.exitCode;
    c.finishedAt = m_loop.now();
    c.killRequested = false;
    std::string reason = exit.oomKilled ? "OOMKilled" : exit.exitCode == 0 ? "Completed" : "Error";
    std::string message = "exit code " + std::to_string(exit.exitCode);
    if (exit.signal != 0) message += " (" + signalName(exit.signal) + ")";
    setState(c, ContainerState::Terminated, reason, message);
    removeContainer(ref, id);
  }

  void removeContainer(ContainerRef ref, const ContainerId& id) {
    status(ref).busy = true;
    m_runtime.removeContainer(id, guard([this, ref](core::Status removed) {
      status(ref).busy = false;
      status(ref).id.reset();
      if (!removed) {
        event(core::EventType::Warning, "FailedKillPod", fieldPath(ref),
              "error removing container " + spec(ref).name + ": " + removed.error().message);
      }
      queueSync();
    }));
  }

  void killContainer(ContainerRef ref) {
    ContainerStatus& c = status(ref);
    if (!c.id) return;
    c.killRequested = true;
    ContainerId id = *c.id;
    // The runtime gets at least 2 s between the stop signal and SIGKILL
    // (the kubelet's minimumGracePeriodInSeconds).
    Duration grace = std::max<Duration>(m_deleteGrace.value_or(std::chrono::seconds(
                                            m_pod.spec.terminationGracePeriodSeconds)),
                                        std::chrono::seconds(2));
    event(core::EventType::Normal, "Killing", fieldPath(ref), "Stopping container " + c.name);
    m_runtime.killContainer(id, SIGTERM, guard([this, ref](core::Status sent) {
      if (!sent) {
        event(core::EventType::Warning, "FailedKillPod", fieldPath(ref), "error killing pod: " + sent.error().message);
      }
    }));
    m_killTimers[id] = m_loop.postAfter(grace, guard([this, ref, id] {
      m_killTimers.erase(id);
      if (!m_byId.count(id)) return;  // exited in time
      m_runtime.killContainer(id, SIGKILL, guard([this, ref](core::Status sent) {
        if (!sent) {
          event(core::EventType::Warning, "FailedKillPod", fieldPath(ref),
                "error killing pod: " + sent.error().message);
        }
      }));
    }));
  }

  void cancelTimers() {
    if (m_stopTimer) m_loop.cancel(*m_stopTimer);
    if (m_resyncTimer) m_loop.cancel(*m_resyncTimer);
    for (auto& [id, timer] : m_killTimers) m_loop.cancel(timer);
    m_stopTimer.reset();
    m_resyncTimer.reset();
    m_killTimers.clear();
  }

  void finish() {
    updatePhase();
    recordStatusLine(true);
    m_finished = true;
    cancelTimers();
    if (m_state.failed) {
      m_record.outcome = core::RunOutcome::Failed;
      m_record.outcomeMessage = m_failureMessage;
    } else if (m_deletedByUser || m_stoppedByLimit) {
      m_record.outcome = m_deletedByUser ? core::RunOutcome::Deleted : core::RunOutcome::Stopped;
      m_record.outcomeMessage = std::string(m_deletedByUser ? "deleted" : "stopped by the run limit") +
                                "; pod phase " + std::string(toString(m_phase));
    } else {
      m_record.outcome = m_phase == PodPhase::Succeeded ? core::RunOutcome::Succeeded : core::RunOutcome::Failed;
      m_record.outcomeMessage = "pod phase " + std::string(toString(m_phase));
    }
    if (onFinished) onFinished();
  }

  core::Pod m_pod;
  Runtime& m_runtime;
  EventLoop& m_loop;
  core::RunRecord& m_record;
  RunOptions m_options;

  PodState m_state;
  PodPhase m_phase = PodPhase::Pending;
  Backoff m_backoff;
  TimePoint m_created{0};
  SandboxId m_sandbox;
  std::map<ContainerId, ContainerRef> m_byId;
  std::map<ContainerId, ContainerExit> m_earlyExits;
  std::map<ContainerId, Executor::TimerId> m_killTimers;
  std::optional<Executor::TimerId> m_stopTimer;
  std::optional<Executor::TimerId> m_resyncTimer;
  std::optional<Duration> m_deleteGrace;
  std::optional<KubectlRow> m_lastRow;
  std::string m_failureMessage;
  bool m_syncQueued = false;
  bool m_finished = false;
  bool m_deletedByUser = false;
  bool m_stoppedByLimit = false;
};

PodWorker::PodWorker(core::Pod pod, Runtime& runtime, EventLoop& loop, core::RunRecord& record, RunOptions options)
    : m_impl(std::make_unique<Impl>(std::move(pod), runtime, loop, record, std::move(options))) {}

PodWorker::~PodWorker() = default;

void PodWorker::start() {
  m_impl->onFinished = [this] {
    if (onFinished) onFinished();
  };
  m_impl->start();
}

void PodWorker::requestDelete(std::optional<Duration> grace) { m_impl->requestDelete(grace); }

bool PodWorker::finished() const { return m_impl->finished(); }

void RunControl::requestDelete(std::optional<Duration> grace) {
  std::lock_guard lock(m_mutex);
  if (m_worker) {
    PodWorker* worker = m_worker;
    m_loop->post([worker, grace] { worker->requestDelete(grace); });
    return;
  }
  m_pending = true;
  m_pendingGrace = grace;
}

void RunControl::attach(EventLoop* loop, PodWorker* worker) {
  std::lock_guard lock(m_mutex);
  m_loop = loop;
  m_worker = worker;
  if (worker && m_pending) {
    m_pending = false;
    loop->post([worker, grace = m_pendingGrace] { worker->requestDelete(grace); });
  }
}

core::RunRecord runPod(const core::Pod& pod, Runtime& runtime, EventLoop& loop, const RunOptions& options,
                       std::function<void(const core::Transition&)> observer, RunControl* control) {
  core::RunRecord record;
  record.onTransition = std::move(observer);
  {
    PodWorker worker(pod, runtime, loop, record, options);
    worker.onFinished = [&loop] { loop.quit(); };
    loop.post([&worker] { worker.start(); });
    if (control) control->attach(&loop, &worker);
    loop.run();
    if (control) control->attach(nullptr, nullptr);
  }
  record.onTransition = nullptr;
  return record;
}

}  // namespace podscope::engine
