#include "engine/pod_worker.h"

#include <algorithm>
#include <array>
#include <csignal>
#include <cstdio>
#include <random>
#include <deque>
#include <functional>
#include <map>
#include <set>

#include "core/log_files.h"
#include "engine/backoff.h"
#include "engine/container_env.h"
#include "engine/handlers.h"
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

constexpr Duration kSecond = std::chrono::seconds(1);
/// The kubelet's minimumGracePeriodInSeconds: the runtime always gets at
/// least this long between the stop signal and SIGKILL.
constexpr Duration kMinimumGrace = std::chrono::seconds(2);

/// Whole seconds of `d`, as the kubelet subtracts elapsed time from a grace period.
Duration wholeSeconds(Duration d) { return std::chrono::duration_cast<std::chrono::seconds>(d); }

/// "Liveness", "Readiness", "Startup", as the prober names probes in events.
std::string probeTypeName(core::AttemptKind kind) {
  switch (kind) {
    case core::AttemptKind::StartupProbe: return "Startup";
    case core::AttemptKind::LivenessProbe: return "Liveness";
    case core::AttemptKind::ReadinessProbe: return "Readiness";
    default: return "";
  }
}

/// A probe worker's published result (results.Result in the kubelet).
enum class ProbeResult { Unknown, Success, Failure };

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

  /// One prober worker per (container, probe type), as the kubelet's
  /// prober_manager creates at pod admission. Its ticker is anchored there.
  struct ProbeWorker {
    ContainerRef ref;
    core::AttemptKind kind = core::AttemptKind::LivenessProbe;
    const core::Probe* probe = nullptr;
    TimePoint nextTick{0};
    std::optional<Executor::TimerId> ticker;
    std::optional<HandlerRunner::CallId> call;
    bool busy = false;
    bool stopped = false;
    bool onHold = false;
    int instanceSeen = 0;  ///< the container instance its results belong to
    ProbeResult published = ProbeResult::Unknown;
    ProbeResult lastRun = ProbeResult::Unknown;  ///< the latest attempt's result
    int run = 0;                                 ///< consecutive attempts with lastRun
    HandlerTarget target;  ///< built once per container instance, not per attempt
    int targetInstance = 0;
    // The attempt in flight (one at a time: `busy`).
    TimePoint attemptBegan{0};
    int attemptInstance = 0;
    int attemptRestartCount = 0;
  };

  /// A container being stopped (kuberuntime killContainer): Killing event,
  /// preStop bounded by the grace period, for sidecars the wait for their
  /// turn, then the stop signal and SIGKILL when the rest of the grace (at
  /// least 2 s) runs out.
  struct KillOp {
    ContainerRef ref;
    KillReason reason = KillReason::PodDeleted;
    Duration grace{0};
    TimePoint stageBegan{0};
    enum class Stage { PreStop, WaitTurn, Stopping } stage = Stage::PreStop;
    std::optional<Executor::TimerId> timer;
  };

 public:
  Impl(core::Pod pod, Runtime& runtime, EventLoop& loop, core::RunRecord& record, RunOptions options)
      : m_pod(std::move(pod)),
        m_runtime(runtime),
        m_loop(loop),
        m_record(record),
        m_options(std::move(options)),
        m_handlers(runtime, loop) {
    if (m_options.podUid.empty()) m_options.podUid = uidFor(m_pod);
    m_state.restartPolicy = m_pod.spec.restartPolicy;
    auto statusFor = [](const core::Container& c, bool init) {
      ContainerStatus s{.name = c.name, .init = init};
      s.sidecar = init && c.isSidecar();
      s.hasStartupProbe = c.startupProbe.has_value();
      s.hasReadinessProbe = c.readinessProbe.has_value();
      s.specHash = containerSpecHash(c);
      return s;
    };
    for (const core::Container& c : m_pod.spec.initContainers) m_state.initContainers.push_back(statusFor(c, true));
    for (const core::Container& c : m_pod.spec.containers) m_state.containers.push_back(statusFor(c, false));
    m_hasSidecars = std::any_of(m_pod.spec.initContainers.begin(), m_pod.spec.initContainers.end(),
                                [](const core::Container& c) { return c.isSidecar(); });
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
    m_runtime.setHealthHandler(guard([this](const RuntimeHealth& health) { onRuntimeHealth(health); }));
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
    if (m_options.deleteAfter.count() > 0) {
      m_deleteTimer = m_loop.postAfter(m_options.deleteAfter, guard([this] {
        m_deleteTimer.reset();
        requestDelete(m_options.gracePeriod);
      }));
    }
    if (m_options.runFor.count() > 0) {
      m_runForTimer = m_loop.postAfter(m_options.runFor, guard([this] {
        m_runForTimer.reset();
        endRun();
      }));
    }
    startProbeWorkers();
    std::vector<std::string> images;
    for (const auto* list : {&m_pod.spec.initContainers, &m_pod.spec.containers}) {
      for (const core::Container& c : *list) {
        if (std::find(images.begin(), images.end(), c.image) == images.end()) images.push_back(c.image);
      }
    }
    m_runtime.prepareImages(images);
    queueSync();
  }

  void requestDelete(std::optional<Duration> grace) {
    if (m_finished) return;
    Duration g = grace.value_or(std::chrono::seconds(m_pod.spec.terminationGracePeriodSeconds));
    // kubectl sends a grace of 0 as 1 unless forced; the pod-level grace is never below 1 s.
    g = std::max<Duration>(g, kSecond);
    // The effective grace may only shrink (a second delete can shorten it).
    if (m_state.deleting && m_deleteGrace && *m_deleteGrace <= g) return;
    m_deleteGrace = g;
    if (!m_state.deleting) {
      m_state.deleting = true;
      if (!m_stoppedByLimit) m_deletedByUser = true;
      // SyncTerminatingPod stops liveness and startup probing first.
      for (auto& w : m_probeWorkers) {
        if (w->kind != core::AttemptKind::ReadinessProbe) stopWorker(*w);
      }
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
    if (m_runEnded) return;
    m_record.append(core::Transition{sinceCreation(), core::SubjectKind::Pod, m_pod.metadata.name, from, to,
                                     reason, message});
  }

  void recordContainer(const ContainerStatus& c, const std::string& from, const std::string& to,
                       const std::string& reason, const std::string& message) {
    if (m_runEnded) return;
    std::optional<int> exitCode;
    if (c.state == ContainerState::Terminated) exitCode = c.exitCode;
    m_record.append(core::Transition{sinceCreation(),
                                     c.init ? core::SubjectKind::InitContainer : core::SubjectKind::Container,
                                     c.name, from, to, reason, message, exitCode});
  }

  void event(core::EventType type, const std::string& reason, const std::string& object,
             const std::string& message) {
    if (m_runEnded) return;
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

  void updatePhase(const std::string& reason = "", const std::string& message = "") {
    PodPhase phase = computePhase(m_state);
    if (phase == m_phase) return;
    // Terminal phases are sticky.
    if (m_phase == PodPhase::Succeeded || m_phase == PodPhase::Failed) return;
    recordPod(std::string(toString(m_phase)), std::string(toString(phase)), reason, message);
    m_phase = phase;
  }

  /// The runtime stopped or started answering. While it is down the pod's
  /// state cannot be obtained: phase Unknown, Ready False, and nothing is
  /// started or stopped until it is back.
  void onRuntimeHealth(const RuntimeHealth& health) {
    if (m_finished || health.reachable != m_state.runtimeDown) return;
    if (!health.reachable) {
      m_state.runtimeDown = true;
      std::string message = "Node is not ready: container runtime is down: " + health.message;
      event(core::EventType::Warning, "NodeNotReady", "", message);
      updatePhase("NodeNotReady", message);
      recordStatus(false);
      queueSync();
      return;
    }
    m_state.runtimeDown = false;
    event(core::EventType::Normal, "NodeReady", "", "Node " + m_options.nodeName + " status is now: NodeReady");
    // Signals that could not be sent while it was down are sent again.
    for (auto& [id, op] : m_kills) {
      if (op.stage != KillOp::Stage::Stopping) continue;
      sendSignal(op.ref, id, op.timer ? SIGTERM : SIGKILL, [](core::Status) {});
    }
    pumpStartQueue();
    queueSync();
  }

  void sync() {
    m_syncQueued = false;
    if (m_finished) return;
    updatePhase();
    if (m_state.runtimeDown) {
      // The watch ended while nothing can be stopped: what is left is found
      // later as leftovers of this run.
      if (m_runEnded) {
        finish();
        return;
      }
      recordStatus(false);
      return;
    }
    PodActions actions = computePodActions(m_state, m_backoff, m_loop.now());

    if (actions.createSandbox) createSandbox();
    for (const BackOffWait& wait : actions.backOff) showBackOff(wait);
    for (const KillAction& kill : actions.kill) killContainer(kill.container, kill.reason);
    for (ContainerRef ref : actions.start) queueStart(ref);
    if (actions.removeSandbox) removeSandbox();
    if (actions.resyncAt) scheduleResync(*actions.resyncAt);
    recordStatus(false);
    triggerReadiness();
    if (actions.podDone) finish();
  }

  PodStatusInput statusInput() const {
    PodStatusInput input = makePodStatusInput(m_state, m_pod.spec);
    input.createdAt = m_created;
    input.phase = m_phase;
    return input;
  }

  /// Records the `kubectl get pod` columns when READY, STATUS or the
  /// restart count changed (the "(15s ago)" part alone changes with time),
  /// or always when `force`; and every pod condition or container
  /// started/ready flag that changed.
  void recordStatus(bool force) {
    if (m_runEnded) return;
    PodStatusInput input = statusInput();
    KubectlRow row = kubectlColumns(input, m_loop.now());
    auto count = [](const std::string& restarts) { return restarts.substr(0, restarts.find(' ')); };
    bool same = m_lastRow && (force ? *m_lastRow == row
                                    : m_lastRow->ready == row.ready && m_lastRow->status == row.status &&
                                          count(m_lastRow->restarts) == count(row.restarts));
    if (!same) {
      m_record.append(core::PodStatusLine{sinceCreation(), row.ready, row.status, row.restarts, row.age});
      m_lastRow = row;
    }
    for (const PodCondition& condition : computeConditions(input)) {
      recordCondition(core::SubjectKind::Pod, m_pod.metadata.name, condition.type, condition.status,
                      condition.reason, condition.message);
    }
    auto flags = [&](const std::vector<ContainerStatusInput>& list, core::SubjectKind kind) {
      for (const ContainerStatusInput& c : list) {
        recordCondition(kind, c.name, "Started", c.started, "", "");
        recordCondition(kind, c.name, "Ready", c.ready, "", "");
      }
    };
    flags(input.initContainers, core::SubjectKind::InitContainer);
    flags(input.containers, core::SubjectKind::Container);
  }

  void recordCondition(core::SubjectKind kind, const std::string& subject, const std::string& type, bool value,
                       const std::string& reason, const std::string& message) {
    std::string key = std::string(core::toString(kind)) + "/" + subject + "/" + type;
    auto it = m_conditions.find(key);
    if (it != m_conditions.end() && it->second.status == value && it->second.reason == reason &&
        it->second.message == message) {
      return;
    }
    core::ConditionChange change{sinceCreation(), kind, subject, type, value, reason, message};
    m_conditions[key] = change;
    m_record.append(std::move(change));
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
    SandboxConfig config{m_pod.metadata.name, m_pod.metadata.namespaceName, m_options.podUid, m_pod.metadata.name,
                         m_pod.metadata.annotations};
    m_runtime.createSandbox(config, guard([this](core::Result<SandboxId> result) {
      m_state.sandboxBusy = false;
      if (!result) {
        std::string message = "Failed to create pod sandbox: " + result.error().message;
        event(core::EventType::Warning, "FailedCreatePodSandBox", "", message);
        fail(message);
        return;
      }
      m_sandbox = *result;
      m_podIP = m_runtime.podIP(m_sandbox);
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
      c.lastFinishedAt = c.finishedAt;
    }
    setState(c, ContainerState::Waiting, reason, message);
    if (imageProblem) {
      // The kubelet's image manager logs the back-off, and startContainer
      // the error it returns.
      event(core::EventType::Normal, "BackOff", fieldPath(wait.container), "Back-off pulling image " + quoted(s.image));
      event(core::EventType::Warning, "Failed", fieldPath(wait.container), "Error: ImagePullBackOff");
    } else {
      event(core::EventType::Warning, "BackOff", fieldPath(wait.container),
            "Back-off restarting failed container " + c.name + " in pod " + podKey());
    }
  }

  // ---- Starting containers -------------------------------------------------
  // The kubelet starts containers one after another inside a sync: image
  // pull, create, start and the postStart hook of one finish before the next
  // begins. The queue keeps that order across asynchronous runtime calls.

  void queueStart(ContainerRef ref) {
    status(ref).busy = true;
    m_startQueue.push_back(ref);
    pumpStartQueue();
  }

  /// The run ended while `ref` was on its way up: it goes no further.
  bool abandonStart(ContainerRef ref) {
    if (!m_runEnded) return false;
    status(ref).busy = false;
    startDone();
    return true;
  }

  void pumpStartQueue() {
    if (m_starting || m_startQueue.empty() || m_state.runtimeDown) return;
    m_starting = true;
    ContainerRef ref = m_startQueue.front();
    m_startQueue.pop_front();
    if (m_state.deleting || m_state.failed || m_runEnded) {
      // Deleted while waiting for its turn: it is not started any more.
      status(ref).busy = false;
      startDone();
      return;
    }
    startContainer(ref);
  }

  void startDone() {
    m_starting = false;
    queueSync();
    pumpStartQueue();
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
    startDone();
  }

  void startContainer(ContainerRef ref) {
    ContainerStatus& c = status(ref);
    // A failed pull already counted in the back-off when it failed (below);
    // a container that could not be created is retried without one.
    bool afterPullFailure = c.failedToStart && (c.reason == "ErrImagePull" || c.reason == "ImagePullBackOff");
    if (c.hasPreviousInstance() && !afterPullFailure && !retriedBySync(c)) {
      m_backoff.next(c.backoffKey(), c.finishedAt, m_loop.now());
    }
    const core::Container& s = spec(ref);
    m_runtime.inspectImage(s.image, guard([this, ref](core::Result<ImageInfo> info) {
      if (abandonStart(ref)) return;
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
        createContainer(ref, info->id);
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
      if (abandonStart(ref)) return;
      const core::Container& s = spec(ref);
      if (!info) {
        event(core::EventType::Warning, "Failed", fieldPath(ref),
              "Failed to pull image " + quoted(s.image) + ": " + info.error().message);
        event(core::EventType::Warning, "Failed", fieldPath(ref), "Error: ErrImagePull");
        // As the kubelet's image manager: the back-off starts (or doubles)
        // when the pull fails, so the next sync backs off instead of
        // pulling again at once.
        ContainerStatus& c = status(ref);
        m_backoff.next(c.backoffKey(), m_loop.now(), m_loop.now());
        startFailed(ref, ContainerState::Waiting, "ErrImagePull", info.error().message);
        return;
      }
      // The runtime times the pull itself; the engine's clock adds the
      // wait behind earlier pulls, as the kubelet's "including waiting".
      Duration total = m_loop.now() - began;
      Duration pulled = info->pullDuration ? std::min(*info->pullDuration, total) : total;
      event(core::EventType::Normal, "Pulled", fieldPath(ref), pulledImageMessage(s.image, pulled, total, info->size));
      createContainer(ref, info->id);
    }));
  }

  std::string logPath(const ContainerStatus& c, int attempt) const {
    if (m_options.logDir.empty()) return {};
    return core::containerLogPath(m_options.logDir, m_pod.metadata.namespaceName, m_pod.metadata.name,
                                  m_options.podUid, c.name, attempt);
  }

  /// What the runtime needs to create this container: the manifest's
  /// command, environment, user, volumes and resources, resolved as the
  /// kubelet resolves them.
  ContainerConfig containerConfig(ContainerRef ref, int attempt) {
    const ContainerStatus& c = status(ref);
    const core::Container& s = spec(ref);
    ContainerConfig config;
    config.name = s.name;
    config.image = s.image;
    config.init = ref.init;
    config.attempt = attempt;
    config.logPath = logPath(c, attempt);
    config.terminationMessagePath = s.terminationMessagePath;
    config.env = containerEnvironment(s);
    config.command = expandWithEnvironment(s.command, config.env);
    config.args = expandWithEnvironment(s.args, config.env);
    config.workingDir = s.workingDir;
    const std::optional<core::PodSecurityContext>& podSecurity = m_pod.spec.securityContext;
    const std::optional<core::SecurityContext>& security = s.securityContext;
    config.runAsUser = security && security->runAsUser ? security->runAsUser
                       : podSecurity                   ? podSecurity->runAsUser
                                                       : std::nullopt;
    config.runAsGroup = security && security->runAsGroup ? security->runAsGroup
                        : podSecurity                    ? podSecurity->runAsGroup
                                                         : std::nullopt;
    for (const core::VolumeMount& m : s.volumeMounts) {
      auto volume = std::find_if(m_pod.spec.volumes.begin(), m_pod.spec.volumes.end(),
                                 [&](const core::Volume& v) { return v.name == m.name; });
      if (volume == m_pod.spec.volumes.end()) continue;  // validation reports it
      if (volume->source == core::Volume::Source::Unsupported) {
        event(core::EventType::Warning, "FailedMount", fieldPath(ref),
              "MountVolume.SetUp skipped for volume " + quoted(volume->name) + ": " + volume->unsupportedKind +
                  " volumes need a cluster; " + quoted(m.mountPath) + " is left as the image has it");
        continue;
      }
      VolumeMountConfig mount;
      mount.volume = volume->name;
      mount.source = volume->source == core::Volume::Source::HostPath ? VolumeMountConfig::Source::HostPath
                                                                      : VolumeMountConfig::Source::EmptyDir;
      mount.memory = volume->emptyDirMedium == "Memory";
      mount.hostPath = volume->hostPath;
      mount.hostPathType = volume->hostPathType;
      mount.mountPath = m.mountPath;
      mount.subPath = m.subPath;
      mount.readOnly = m.readOnly;
      config.mounts.push_back(std::move(mount));
    }
    if (auto it = s.resources.limits.find("memory"); it != s.resources.limits.end()) {
      config.resources.memoryBytes = it->second.milliValue / 1000;
    }
    if (auto it = s.resources.limits.find("cpu"); it != s.resources.limits.end()) {
      config.resources.cpuLimitMillis = it->second.milliValue;
    }
    // A request defaults to the limit when only the limit is set.
    if (auto it = s.resources.requests.find("cpu"); it != s.resources.requests.end()) {
      config.resources.cpuRequestMillis = it->second.milliValue;
    } else {
      config.resources.cpuRequestMillis = config.resources.cpuLimitMillis;
    }
    for (const core::ContainerPort& p : s.ports) {
      config.ports.push_back((p.name.empty() ? "" : p.name + ":") + std::to_string(p.containerPort) + "/" +
                             std::string(core::toString(p.protocol)));
    }
    return config;
  }

  /// `imageId`: the image as the inspect or pull just before found it.
  void createContainer(ContainerRef ref, const std::string& imageId) {
    ContainerStatus& c = status(ref);
    bool previous = c.hasPreviousInstance();
    int attempt = c.restartCount + (previous && c.everStarted ? 1 : 0);
    ContainerConfig config = containerConfig(ref, attempt);
    config.imageId = imageId;
    m_runtime.createContainer(m_sandbox, config, guard([this, ref](core::Result<ContainerId> id) {
      if (!id) {
        if (abandonStart(ref)) return;
        event(core::EventType::Warning, "Failed", fieldPath(ref), "Error: " + id.error().message);
        startFailed(ref, ContainerState::Waiting, "CreateContainerError", id.error().message);
        return;
      }
      if (m_runEnded) {
        removeContainer(ref, *id);
        abandonStart(ref);
        return;
      }
      m_byId[*id] = ref;
      m_startingIds.insert(*id);
      status(ref).id = *id;
      event(core::EventType::Normal, "Created", fieldPath(ref), "Created container " + spec(ref).name);
      m_runtime.startContainer(*id, guard([this, ref, id = *id](core::Status started) {
        if (m_runEnded && !m_startingIds.count(id)) return;  // endRun() took it over
        if (!started) {
          event(core::EventType::Warning, "Failed", fieldPath(ref), "Error: " + started.error().message);
          m_byId.erase(id);
          m_startingIds.erase(id);
          m_earlyExits.erase(id);
          startFailed(ref, ContainerState::Terminated, "StartError", started.error().message, 128);
          removeContainer(ref, id);
          return;
        }
        processStarted(ref, id);
      }));
    }));
  }

  /// The process runs. A new instance begins (its probe results start over);
  /// with a postStart hook the container is reported Running only once the
  /// hook returned, and the next container waits for it.
  void processStarted(ContainerRef ref, const ContainerId& id) {
    ContainerStatus& c = status(ref);
    if (c.hasPreviousInstance() && c.everStarted) {
      if (c.state == ContainerState::Terminated) c.lastFinishedAt = c.finishedAt;
      c.lastExitCode = c.latestExitCode();
      ++c.restartCount;
    }
    c.startedAt = m_loop.now();
    ++c.instance;
    c.startupSucceeded = false;
    c.readinessSucceeded = false;
    c.killFor = KillReason::None;
    c.restartAfterKill = false;
    c.everStarted = true;
    c.failedToStart = false;
    c.killRequested = false;
    event(core::EventType::Normal, "Started", fieldPath(ref), "Started container " + c.name);
    const core::Container& s = spec(ref);
    if (!s.lifecycle || !s.lifecycle->postStart) {
      becomeRunning(ref, id);
      return;
    }
    TimePoint began = m_loop.now();
    int restartCount = c.restartCount;
    m_postStartCalls[id] = m_handlers.runHook(
        *s.lifecycle->postStart, core::AttemptKind::PostStartHook, target(ref, id),
        guard([this, ref, id, began, restartCount](HookOutcome outcome) {
          m_postStartCalls.erase(id);
          recordHook(ref, core::AttemptKind::PostStartHook, began, restartCount, outcome);
          if (outcome.result == core::AttemptResult::Success || outcome.result == core::AttemptResult::Warning) {
            becomeRunning(ref, id);
          } else {
            postStartFailed(ref, id, outcome);
          }
        }));
  }

  void becomeRunning(ContainerRef ref, const ContainerId& id) {
    m_startingIds.erase(id);
    ContainerStatus& c = status(ref);
    c.busy = false;
    setState(c, ContainerState::Running, "Started", c.restartCount > 0 ? "restart " + std::to_string(c.restartCount) : "");
    // An exit that raced ahead of the start reply or the hook.
    if (auto it = m_earlyExits.find(id); it != m_earlyExits.end()) {
      ContainerExit exit = it->second;
      m_earlyExits.erase(it);
      onExit(id, exit);
    }
    startDone();
  }

  void postStartFailed(ContainerRef ref, const ContainerId& id, const HookOutcome& outcome) {
    m_startingIds.erase(id);
    ContainerStatus& c = status(ref);
    c.busy = false;
    event(core::EventType::Warning, "FailedPostStartHook", fieldPath(ref), "PostStartHook failed");
    setState(c, ContainerState::Waiting, "PostStartHookError", outcome.errorMessage);
    c.restartAfterKill = false;
    if (auto it = m_earlyExits.find(id); it != m_earlyExits.end()) {
      ContainerExit exit = it->second;
      m_earlyExits.erase(it);
      onExit(id, exit);
    } else {
      killContainer(ref, KillReason::PostStartHook);
    }
    startDone();
  }

  HandlerTarget target(ContainerRef ref, const ContainerId& id) const {
    return HandlerTarget{m_sandbox, id, m_podIP, &spec(ref), m_pod.metadata.name, m_pod.metadata.namespaceName,
                         m_options.podUid};
  }

  void recordHook(ContainerRef ref, core::AttemptKind kind, TimePoint began, int restartCount,
                  const HookOutcome& outcome) {
    bool failed = outcome.result == core::AttemptResult::Failure || outcome.result == core::AttemptResult::Error;
    if (m_runEnded) return;
    core::HandlerAttempt attempt;
    attempt.start = began - m_created;
    attempt.duration = m_loop.now() - began;
    attempt.kind = kind;
    attempt.containerKind = ref.init ? core::SubjectKind::InitContainer : core::SubjectKind::Container;
    attempt.container = spec(ref).name;
    attempt.restartCount = restartCount;
    attempt.handler = outcome.handler;
    attempt.result = outcome.result;
    attempt.output = failed && !outcome.errorMessage.empty() ? outcome.errorMessage : outcome.output;
    m_record.append(std::move(attempt));
    for (const auto& [reason, message] : outcome.warnings) event(core::EventType::Warning, reason, fieldPath(ref), message);
  }

  // ---- Exits ---------------------------------------------------------------

  void onExit(const ContainerId& id, const ContainerExit& exit) {
    auto it = m_byId.find(id);
    if (it == m_byId.end()) return;  // not one of ours, or already handled
    ContainerRef ref = it->second;
    if (m_startingIds.count(id)) {
      m_earlyExits[id] = exit;
      // A sleep postStart cannot outlive its container.
      if (auto call = m_postStartCalls.find(id); call != m_postStartCalls.end()) m_handlers.cancel(call->second);
      return;
    }
    ContainerStatus& c = status(ref);
    m_byId.erase(it);
    if (auto k = m_kills.find(id); k != m_kills.end()) {
      if (k->second.timer) m_loop.cancel(*k->second.timer);
      m_kills.erase(k);
    }
    if (auto h = m_preStopCalls.find(id); h != m_preStopCalls.end()) {
      // A sleep preStop ends with its container; other handlers report back
      // by themselves (an exec dies with the container).
      m_handlers.cancel(h->second);
    }
    c.exitCode = exit.exitCode;
    c.finishedAt = m_loop.now();
    c.killRequested = false;
    if (c.killFor == KillReason::LivenessProbe || c.killFor == KillReason::StartupProbe) {
      c.restartAfterKill = true;
    }
    c.killFor = KillReason::None;
    std::string reason = exit.oomKilled ? "OOMKilled" : exit.exitCode == 0 ? "Completed" : "Error";
    std::string message = "exit code " + std::to_string(exit.exitCode);
    if (exit.signal != 0) message += " (" + signalName(exit.signal) + ")";
    std::string said = terminationMessage(spec(ref), exit);
    if (!said.empty()) message += ": " + said;
    if (exit.lost) {
      reason = "ContainerStatusUnknown";
      message = m_state.deleting
                    ? "The container could not be located when the pod was deleted.  The container used to be Running"
                    : "The container could not be located when the pod was terminated";
    }
    setState(c, ContainerState::Terminated, reason, message);
    // The exit shows (Error, Completed) before a restart or back-off can hide it.
    updatePhase();
    recordStatus(false);
    removeContainer(ref, id);
    // Sidecars waiting for their turn to stop may go now.
    for (auto& [otherId, op] : m_kills) {
      if (op.stage == KillOp::Stage::WaitTurn && myTurn(op.ref)) turnCame(otherId);
    }
  }

  /// kuberuntime getTerminationMessage: the tail of the termination message
  /// file; with FallbackToLogsOnError and a failure, the log's tail when
  /// the file is empty; never the logs after exit 0.
  static std::string terminationMessage(const core::Container& spec, const ContainerExit& exit) {
    std::string message = exit.terminationMessage.value_or("");
    if (message.size() > kMaxTerminationMessageLength) {
      message.erase(0, message.size() - kMaxTerminationMessageLength);
    }
    if (message.empty() && exit.exitCode != 0 && exit.logTail &&
        spec.terminationMessagePolicy == core::TerminationMessagePolicy::FallbackToLogsOnError) {
      message = tailForTerminationMessage(*exit.logTail);
    }
    while (!message.empty() && (message.back() == '\n' || message.back() == '\r')) message.pop_back();
    return message;
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

  // ---- Killing -------------------------------------------------------------

  /// kuberuntime setTerminationGracePeriod.
  Duration graceFor(ContainerRef ref, KillReason reason) const {
    if (m_state.deleting && m_deleteGrace) return *m_deleteGrace;
    const core::Container& s = spec(ref);
    const std::optional<core::Probe>& probe =
        reason == KillReason::LivenessProbe ? s.livenessProbe
        : reason == KillReason::StartupProbe ? s.startupProbe
                                             : std::optional<core::Probe>{};
    if (probe && probe->terminationGracePeriodSeconds) {
      return std::chrono::seconds(*probe->terminationGracePeriodSeconds);
    }
    return std::chrono::seconds(m_pod.spec.terminationGracePeriodSeconds);
  }

  std::string killingMessage(ContainerRef ref, KillReason reason) const {
    const std::string& name = spec(ref).name;
    bool restarts = ref.init || m_pod.spec.restartPolicy != core::RestartPolicy::Never;
    std::string suffix = ref.init ? "" : restarts ? ", will be restarted" : "";
    std::string who = ref.init ? "Init container " : "Container ";
    switch (reason) {
      case KillReason::LivenessProbe: return who + name + " failed liveness probe" + suffix;
      case KillReason::StartupProbe: return who + name + " failed startup probe" + suffix;
      case KillReason::PostStartHook: return "FailedPostStartHook";
      case KillReason::RunEnded:
      case KillReason::None:
      case KillReason::PodDeleted:
      case KillReason::PodCompleted: break;
    }
    return "Stopping container " + name;
  }

  void killContainer(ContainerRef ref, KillReason reason) {
    ContainerStatus& c = status(ref);
    if (reason == KillReason::RunEnded && c.id) {
      // The run is over: no hooks, no grace.
      if (auto k = m_kills.find(*c.id); k != m_kills.end() && k->second.timer) m_loop.cancel(*k->second.timer);
      m_kills.erase(*c.id);
      c.killRequested = true;
      c.killFor = KillReason::RunEnded;
      m_runtime.killContainer(*c.id, SIGKILL, [](core::Status) {});
      return;
    }
    if (!c.id || m_kills.count(*c.id)) return;
    c.killRequested = true;
    if (reason != KillReason::PodDeleted && reason != KillReason::PodCompleted) c.killFor = reason;
    ContainerId id = *c.id;
    KillOp op{ref, reason, graceFor(ref, reason), m_loop.now()};
    event(core::EventType::Normal, "Killing", fieldPath(ref), killingMessage(ref, reason));
    const core::Container& s = spec(ref);
    m_kills[id] = op;
    if (s.lifecycle && s.lifecycle->preStop && op.grace > Duration::zero()) {
      runPreStop(ref, id);
      return;
    }
    preStopDone(id);
  }

  void runPreStop(ContainerRef ref, const ContainerId& id) {
    KillOp& op = m_kills[id];
    op.stage = KillOp::Stage::PreStop;
    // The kubelet waits for the hook at most the grace period; a hook still
    // running then is left to die with its container.
    op.timer = m_loop.postAfter(op.grace, guard([this, id] {
      auto it = m_kills.find(id);
      if (it == m_kills.end()) return;
      it->second.timer.reset();
      preStopDone(id);
    }));
    TimePoint began = m_loop.now();
    int restartCount = status(ref).restartCount;
    m_preStopCalls[id] = m_handlers.runHook(
        *spec(ref).lifecycle->preStop, core::AttemptKind::PreStopHook, target(ref, id),
        guard([this, ref, id, began, restartCount](HookOutcome outcome) {
          m_preStopCalls.erase(id);
          recordHook(ref, core::AttemptKind::PreStopHook, began, restartCount, outcome);
          if (outcome.result == core::AttemptResult::Failure || outcome.result == core::AttemptResult::Error) {
            event(core::EventType::Warning, "FailedPreStopHook", fieldPath(ref), "PreStopHook failed");
          }
          auto it = m_kills.find(id);
          if (it == m_kills.end() || it->second.stage != KillOp::Stage::PreStop) return;
          if (it->second.timer) m_loop.cancel(*it->second.timer);
          it->second.timer.reset();
          preStopDone(id);
        }));
  }

  /// The time the preStop hook took, in whole seconds, comes off the grace
  /// period; a sidecar then waits for its turn (termination ordering).
  void preStopDone(const ContainerId& id) {
    KillOp& op = m_kills[id];
    op.grace -= wholeSeconds(m_loop.now() - op.stageBegan);
    op.stageBegan = m_loop.now();
    if (m_hasSidecars && status(op.ref).sidecar && op.grace > Duration::zero() && !myTurn(op.ref)) {
      op.stage = KillOp::Stage::WaitTurn;
      op.timer = m_loop.postAfter(op.grace, guard([this, id] {
        auto it = m_kills.find(id);
        if (it == m_kills.end()) return;
        it->second.timer.reset();
        turnCame(id);
      }));
      return;
    }
    stopProcess(id);
  }

  /// A sidecar stops once every regular container and every sidecar
  /// declared after it has exited.
  bool myTurn(ContainerRef ref) const {
    auto alive = [this](const ContainerStatus& c) { return c.id && m_byId.count(*c.id) > 0; };
    for (const ContainerStatus& c : m_state.containers) {
      if (alive(c)) return false;
    }
    for (size_t i = ref.index + 1; i < m_state.initContainers.size(); ++i) {
      const ContainerStatus& c = m_state.initContainers[i];
      if (c.sidecar && alive(c)) return false;
    }
    return true;
  }

  void turnCame(const ContainerId& id) {
    KillOp& op = m_kills[id];
    if (op.stage != KillOp::Stage::WaitTurn) return;
    if (op.timer) m_loop.cancel(*op.timer);
    op.timer.reset();
    op.grace -= wholeSeconds(m_loop.now() - op.stageBegan);
    stopProcess(id);
  }

  /// CRI StopContainer(timeout): the stop signal, then SIGKILL after the
  /// remaining grace, never less than 2 s.
  void stopProcess(const ContainerId& id) {
    KillOp& op = m_kills[id];
    op.stage = KillOp::Stage::Stopping;
    op.grace = std::max(op.grace, kMinimumGrace);
    op.stageBegan = m_loop.now();
    ContainerRef ref = op.ref;
    sendSignal(ref, id, SIGTERM, guard([this, ref](core::Status sent) {
      if (!sent) {
        event(core::EventType::Warning, "FailedKillPod", fieldPath(ref), "error killing pod: " + sent.error().message);
      }
    }));
    op.timer = m_loop.postAfter(op.grace, guard([this, ref, id] {
      auto it = m_kills.find(id);
      if (it == m_kills.end()) return;  // exited in time
      it->second.timer.reset();
      sendSignal(ref, id, SIGKILL, guard([this, ref](core::Status sent) {
        if (!sent) {
          event(core::EventType::Warning, "FailedKillPod", fieldPath(ref),
                "error killing pod: " + sent.error().message);
        }
      }));
    }));
  }

  /// Sends a signal to a container being stopped, and records it as the
  /// signal the process gets (the image's stop signal for SIGTERM).
  void sendSignal(ContainerRef ref, const ContainerId& id, int signal, StatusCallback done) {
    if (!m_runEnded) {
      const ContainerStatus& c = status(ref);
      const int delivered = signal == SIGTERM ? m_runtime.stopSignal(id) : signal;
      m_record.append(core::SignalSent{sinceCreation(),
                                       c.init ? core::SubjectKind::InitContainer : core::SubjectKind::Container,
                                       c.name, c.restartCount, delivered, signalName(delivered)});
    }
    m_runtime.killContainer(id, signal, std::move(done));
  }

  // ---- Probes --------------------------------------------------------------

  void startProbeWorkers() {
    auto add = [&](ContainerRef ref, core::AttemptKind kind, const std::optional<core::Probe>& probe) {
      if (!probe) return;
      auto w = std::make_unique<ProbeWorker>();
      w->ref = ref;
      w->kind = kind;
      w->probe = &*probe;
      w->nextTick = m_loop.now();
      m_probeWorkers.push_back(std::move(w));
    };
    auto addAll = [&](const std::vector<core::Container>& list, bool init) {
      for (size_t i = 0; i < list.size(); ++i) {
        if (init && !list[i].isSidecar()) continue;  // regular init containers have no probes
        add({init, i}, core::AttemptKind::StartupProbe, list[i].startupProbe);
        add({init, i}, core::AttemptKind::ReadinessProbe, list[i].readinessProbe);
        add({init, i}, core::AttemptKind::LivenessProbe, list[i].livenessProbe);
      }
    };
    addAll(m_pod.spec.initContainers, true);
    addAll(m_pod.spec.containers, false);
    for (auto& w : m_probeWorkers) scheduleTick(*w);
  }

  // Ticks and probe replies capture only `this` and the worker, so the
  // loop's task and the runner's callback need no allocation of their own
  // (a million of each a day at a 1 s period). No guard is needed: ~Impl
  // stops every worker (cancelling its ticker and call), and the runner,
  // which holds the calls, goes with this object.
  void scheduleTick(ProbeWorker& w) {
    ProbeWorker* worker = &w;
    w.ticker = m_loop.postAfter(w.nextTick - m_loop.now(), [this, worker] {
      worker->ticker.reset();
      worker->nextTick += std::chrono::seconds(std::max(1, worker->probe->periodSeconds));
      // A tick while a probe is still running is dropped, like Go's ticker.
      if (!worker->busy) doProbe(*worker);
      if (!worker->stopped) scheduleTick(*worker);
    });
  }

  void stopWorker(ProbeWorker& w) {
    w.stopped = true;
    if (w.ticker) m_loop.cancel(*w.ticker);
    w.ticker.reset();
    if (w.call) m_handlers.cancel(*w.call);
    w.call.reset();
    w.busy = false;
  }

  /// Sets a worker's published result and applies it to the container.
  /// Returns whether the published result changed.
  bool publish(ProbeWorker& w, ProbeResult result) {
    if (w.published == result) return false;
    w.published = result;
    ContainerStatus& c = status(w.ref);
    switch (w.kind) {
      case core::AttemptKind::StartupProbe:
        c.startupSucceeded = result == ProbeResult::Success;
        if (result == ProbeResult::Failure && c.state == ContainerState::Running) c.killFor = KillReason::StartupProbe;
        break;
      case core::AttemptKind::LivenessProbe:
        if (result == ProbeResult::Failure && c.state == ContainerState::Running) c.killFor = KillReason::LivenessProbe;
        break;
      case core::AttemptKind::ReadinessProbe:
        c.readinessSucceeded = result == ProbeResult::Success;
        break;
      default: break;
    }
    queueSync();
    return true;
  }

  /// worker.go doProbe, steps 1-8; then the attempt through the runner.
  void doProbe(ProbeWorker& w) {
    if (w.stopped || m_finished) return;
    if (m_phase == PodPhase::Succeeded || m_phase == PodPhase::Failed) {
      stopWorker(w);
      return;
    }
    ContainerStatus& c = status(w.ref);
    if (c.instance == 0) return;  // no container yet
    if (w.instanceSeen != c.instance) {
      w.instanceSeen = c.instance;
      w.onHold = false;
      w.published = w.kind == core::AttemptKind::ReadinessProbe ? ProbeResult::Failure
                    : w.kind == core::AttemptKind::LivenessProbe ? ProbeResult::Success
                                                                 : ProbeResult::Unknown;
    }
    if (w.onHold) return;
    if (c.id && m_startingIds.count(*c.id)) return;  // still starting (postStart running)
    if (c.state != ContainerState::Running) {
      publish(w, ProbeResult::Failure);
      if (c.state == ContainerState::Terminated && !c.sidecar &&
          m_pod.spec.restartPolicy == core::RestartPolicy::Never) {
        stopWorker(w);
      }
      return;
    }
    if (m_state.deleting && w.kind != core::AttemptKind::ReadinessProbe) {
      publish(w, ProbeResult::Success);
      stopWorker(w);
      return;
    }
    auto sinceStart = std::chrono::duration_cast<std::chrono::seconds>(m_loop.now() - c.startedAt).count();
    if (sinceStart < w.probe->initialDelaySeconds) return;
    if (w.kind == core::AttemptKind::StartupProbe ? c.startupSucceeded : !c.isStarted()) return;
    if (!c.id) return;
    w.busy = true;
    w.attemptBegan = m_loop.now();
    w.attemptInstance = c.instance;
    w.attemptRestartCount = c.restartCount;
    if (w.targetInstance != c.instance) {
      w.target = target(w.ref, *c.id);
      w.targetInstance = c.instance;
    }
    ProbeWorker* worker = &w;
    w.call = m_handlers.runProbe(*w.probe, w.kind, w.target, [this, worker](ProbeOutcome&& outcome) {
      worker->call.reset();
      worker->busy = false;
      probeDone(*worker, worker->attemptBegan, worker->attemptInstance, worker->attemptRestartCount,
                std::move(outcome));
    });
  }

  /// worker.go doProbe, steps 9-11: count, publish at the threshold, hold
  /// after a liveness/startup failure.
  void probeDone(ProbeWorker& w, TimePoint began, int instance, int restartCount, ProbeOutcome&& outcome) {
    if (m_runEnded) return;
    core::HandlerAttempt attempt;
    attempt.start = began - m_created;
    attempt.duration = m_loop.now() - began;
    attempt.kind = w.kind;
    attempt.containerKind = w.ref.init ? core::SubjectKind::InitContainer : core::SubjectKind::Container;
    attempt.container = spec(w.ref).name;
    attempt.restartCount = restartCount;
    attempt.handler = std::move(outcome.handler);
    attempt.result = outcome.result;
    attempt.output = std::move(outcome.output);
    const std::string& out = attempt.output;
    bool current = !w.stopped && instance == status(w.ref).instance;
    switch (outcome.result) {
      case core::AttemptResult::Error:
        event(core::EventType::Warning, "Unhealthy", fieldPath(w.ref),
              probeTypeName(w.kind) + " probe errored and resulted in unknown state: " + out);
        m_record.append(std::move(attempt));
        return;  // the result is discarded
      case core::AttemptResult::Warning:
        event(core::EventType::Warning, "ProbeWarning", fieldPath(w.ref), probeTypeName(w.kind) + " probe warning: " + out);
        break;
      case core::AttemptResult::Failure:
        event(core::EventType::Warning, "Unhealthy", fieldPath(w.ref), probeTypeName(w.kind) + " probe failed: " + out);
        break;
      case core::AttemptResult::Success: break;
    }
    if (!current) {
      m_record.append(std::move(attempt));
      return;
    }
    ProbeResult result = outcome.result == core::AttemptResult::Failure ? ProbeResult::Failure : ProbeResult::Success;
    if (w.lastRun == result) {
      ++w.run;
    } else {
      w.lastRun = result;
      w.run = 1;
    }
    attempt.consecutive = w.run;
    bool reached = (result == ProbeResult::Failure && w.run >= std::max(1, w.probe->failureThreshold)) ||
                   (result == ProbeResult::Success && w.run >= std::max(1, w.probe->successThreshold));
    if (reached) {
      attempt.published = publish(w, result);
      if (result == ProbeResult::Failure && w.kind != core::AttemptKind::ReadinessProbe) {
        w.onHold = true;
        w.run = 0;
      }
    }
    m_record.append(std::move(attempt));
  }

  /// prober_manager UpdatePodStatus: a started container that is not ready
  /// gets its readiness probed right away, on every status update.
  void triggerReadiness() {
    for (auto& w : m_probeWorkers) {
      if (w->kind != core::AttemptKind::ReadinessProbe || w->busy || w->stopped) continue;
      const ContainerStatus& c = status(w->ref);
      if (c.isStarted() && !c.readinessSucceeded) doProbe(*w);
    }
  }

  void cancelTimers() {
    for (std::optional<Executor::TimerId>* timer : {&m_stopTimer, &m_deleteTimer, &m_runForTimer}) {
      if (*timer) m_loop.cancel(**timer);
      timer->reset();
    }
    if (m_resyncTimer) m_loop.cancel(*m_resyncTimer);
    for (auto& [id, op] : m_kills) {
      if (op.timer) m_loop.cancel(*op.timer);
    }
    for (auto& w : m_probeWorkers) stopWorker(*w);
    m_stopTimer.reset();
    m_resyncTimer.reset();
    m_kills.clear();
  }

  /// `--for` ran out: the record ends here, as the pod is now; then
  /// everything still running is removed without being recorded.
  void endRun() {
    if (m_finished || m_runEnded) return;
    updatePhase();
    recordStatus(true);
    m_record.outcome = core::RunOutcome::Stopped;
    m_record.outcomeMessage = "watched for " + humanDuration(m_options.runFor) + "; pod phase " +
                              std::string(toString(m_phase));
    m_record.ended = sinceCreation();
    m_runEnded = true;  // nothing more is recorded
    m_state.runEnded = true;
    // Containers still starting (a postStart hook may never return) are
    // ended too: their processes run, so the teardown stops them, unless
    // one already exited while its hook ran.
    for (auto& [id, call] : m_postStartCalls) m_handlers.cancel(call);
    m_postStartCalls.clear();
    std::vector<ContainerId> starting(m_startingIds.begin(), m_startingIds.end());
    m_startingIds.clear();
    m_starting = false;
    for (const ContainerId& id : starting) {
      ContainerStatus& c = status(m_byId.at(id));
      c.busy = false;
      c.state = ContainerState::Running;
      if (auto early = m_earlyExits.find(id); early != m_earlyExits.end()) {
        ContainerExit exit = early->second;
        m_earlyExits.erase(early);
        onExit(id, exit);
      }
    }
    cancelTimers();
    queueSync();
  }

  void finish() {
    if (m_runEnded) {
      m_finished = true;
      cancelTimers();
      if (onFinished) onFinished();
      return;
    }
    updatePhase();
    recordStatus(true);
    m_record.ended = sinceCreation();
    m_finished = true;
    cancelTimers();
    if (m_state.failed) {
      m_record.outcome = core::RunOutcome::Failed;
      m_record.outcomeMessage = m_failureMessage;
    } else if (m_deletedByUser || m_stoppedByLimit) {
      m_record.outcome = m_deletedByUser ? core::RunOutcome::Deleted : core::RunOutcome::Stopped;
      m_record.outcomeMessage = std::string(m_deletedByUser ? "deleted" : "deleted by the run limit") +
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
  HandlerRunner m_handlers;

  PodState m_state;
  PodPhase m_phase = PodPhase::Pending;
  Backoff m_backoff;
  TimePoint m_created{0};
  SandboxId m_sandbox;
  std::string m_podIP;
  bool m_hasSidecars = false;
  std::map<ContainerId, ContainerRef> m_byId;
  std::set<ContainerId> m_startingIds;  ///< started, not yet reported Running (postStart)
  std::map<ContainerId, ContainerExit> m_earlyExits;
  std::map<ContainerId, KillOp> m_kills;
  std::map<ContainerId, HandlerRunner::CallId> m_postStartCalls;
  std::map<ContainerId, HandlerRunner::CallId> m_preStopCalls;
  std::deque<ContainerRef> m_startQueue;
  bool m_starting = false;
  std::vector<std::unique_ptr<ProbeWorker>> m_probeWorkers;
  std::map<std::string, core::ConditionChange> m_conditions;
  std::optional<Executor::TimerId> m_stopTimer;
  std::optional<Executor::TimerId> m_deleteTimer;
  std::optional<Executor::TimerId> m_runForTimer;
  bool m_runEnded = false;
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

std::string newPodUid() {
  std::random_device random;
  std::array<unsigned char, 16> b{};
  for (unsigned char& byte : b) byte = static_cast<unsigned char>(random() & 0xff);
  b[6] = static_cast<unsigned char>((b[6] & 0x0f) | 0x40);
  b[8] = static_cast<unsigned char>((b[8] & 0x3f) | 0x80);
  char text[37];
  std::snprintf(text, sizeof text, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", b[0], b[1],
                b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13], b[14], b[15]);
  return text;
}


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
                       core::RecordObserver observer, RunControl* control) {
  core::RunRecord record;
  record.observe(std::move(observer));
  {
    PodWorker worker(pod, runtime, loop, record, options);
    worker.onFinished = [&loop] { loop.quit(); };
    loop.post([&worker] { worker.start(); });
    if (control) control->attach(&loop, &worker);
    loop.run();
    if (control) control->attach(nullptr, nullptr);
  }
  record.stopObserving();
  return record;
}

}  // namespace podscope::engine
