#include "ui/run_controller.h"

#include <atomic>
#include <chrono>
#include <exception>
#include <mutex>

#include "core/log_files.h"
#include "core/user_dirs.h"
#include "engine/clock.h"
#include "engine/deployment_controller.h"
#include "engine/host/paced_event_loop.h"
#include "engine/host/system_event_loop.h"
#include "engine/pod_worker.h"
#include "engine/runtime/simulated/simulated_runtime.h"
#include "engine/virtual_event_loop.h"
#ifdef PODSCOPE_HAVE_CONTAINERD
#include "engine/runtime/containerd/containerd_runtime.h"
#endif

namespace podscope::ui {

using namespace std::chrono_literals;

namespace {

// Virtual time costs nothing, so a simulated pod gets long enough to show a
// few CrashLoopBackOff rounds; a real one is held to a minute of wall time.
constexpr engine::Duration kSimulatedRunLimit = 5min;
constexpr engine::Duration kContainerdRunLimit = 60s;
// A Deployment runs until it is deleted; these bound one left running and
// forgotten (the record of an hour of 1 s probes stays small enough).
constexpr engine::Duration kSimulatedRolloutLimit = 1h;
constexpr engine::Duration kContainerdRolloutLimit = 1h;
// A simulated rollout names its pods the same way every time.
constexpr std::uint64_t kSimulatedPodNameSeed = 1;

#ifdef PODSCOPE_HAVE_CONTAINERD
/// The per-user log folder `podscope-cli logs` reads, created private;
/// empty when there is none to use (the run then keeps no logs).
std::string userLogDir() {
  std::string dir = core::defaultLogDir();
  if (!dir.empty() && !core::makePrivateDirectories(dir)) dir.clear();
  return dir;
}

/// Connects to the containerd `settings` names. The user needs to know which
/// socket was tried; the runtime's message usually says, and saying it twice
/// reads badly.
core::Result<std::unique_ptr<engine::ContainerdRuntime>> connectContainerd(engine::EventLoop& loop,
                                                                           const ContainerdSettings& settings) {
  engine::ContainerdOptions options;
  options.address = settings.address.toStdString();
  options.containerdNamespace = settings.containerdNamespace.toStdString();
  options.stateDir = settings.stateDir.toStdString();
  auto runtime = engine::ContainerdRuntime::connect(loop, options);
  if (!runtime) {
    core::Error error = runtime.error();
    if (error.message.find(options.address) == std::string::npos) {
      error.message = "containerd at " + options.address + ": " + error.message;
    }
    return error;
  }
  return runtime;
}
#endif

}  // namespace

RolloutBatch rolloutBatchOf(const core::RolloutRecord& record) {
  std::vector<std::pair<core::RunTime, RolloutEntry>> timed;
  for (const core::ReplicaSetRecord& rs : record.replicaSets()) timed.emplace_back(rs.created, rs);
  for (const core::ReplicaSetSample& s : record.replicaSetSamples()) timed.emplace_back(s.time, s);
  for (const core::DeploymentStatusLine& l : record.statusLines()) timed.emplace_back(l.time, l);
  for (const core::DeploymentCondition& c : record.conditions()) timed.emplace_back(c.time, c);
  for (const core::Event& e : record.events()) timed.emplace_back(e.time, e);
  for (const core::RolloutPod& pod : record.pods()) {
    timed.emplace_back(pod.created, RolloutPodCreated{pod.name, pod.replicaSet, pod.created});
    for (const core::Event& e : pod.record.events()) {
      timed.emplace_back(core::rolloutTime(pod, e.time), RolloutPodEntry{pod.name, e});
    }
    for (const core::PodStatusLine& l : pod.record.statusLines()) {
      timed.emplace_back(core::rolloutTime(pod, l.time), RolloutPodEntry{pod.name, l});
    }
    if (pod.finished) timed.emplace_back(*pod.finished, RolloutPodFinished{pod.name, *pod.finished});
  }
  std::stable_sort(timed.begin(), timed.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  RolloutBatch batch;
  batch.reserve(timed.size());
  for (auto& [time, entry] : timed) batch.push_back(std::move(entry));
  return batch;
}

bool containerdAvailable() {
#ifdef PODSCOPE_HAVE_CONTAINERD
  return true;
#else
  return false;
#endif
}

/// What the GUI thread shares with one engine thread: the handle that asks
/// runPod() to delete the pod (or the DeploymentControl of runDeployment()),
/// and whether that was asked before a runtime existed (so a slow
/// containerd connection need not be followed by a run).
/// Thread contract: every member function is safe from any thread.
class RunController::Session {
 public:
  explicit Session(bool deployment) : m_deployment(deployment) {}

  void requestStop(std::optional<engine::Duration> grace) {
    m_stopRequested = true;
    if (m_deployment) {
      m_deploymentControl.remove(grace);
    } else {
      m_control.requestDelete(grace);
    }
  }
  bool stopRequested() const { return m_stopRequested; }
  engine::RunControl& control() { return m_control; }
  engine::DeploymentControl& deploymentControl() { return m_deploymentControl; }

  /// The loop a Deployment runs on, so that a window going away can end the
  /// run at once instead of waiting out the pods' grace periods.
  void setLoop(engine::EventLoop* loop) {
    std::lock_guard lock(m_mutex);
    m_loop = loop;
    if (m_abandoned && m_loop) m_loop->quit();
  }
  void abandon() {
    std::lock_guard lock(m_mutex);
    m_abandoned = true;
    if (m_loop) m_loop->quit();
  }
  bool abandoned() const {
    std::lock_guard lock(m_mutex);
    return m_abandoned;
  }

  /// Adds a rollout entry; true when the GUI thread must be asked to collect.
  bool putRollout(RolloutEntry entry) {
    std::lock_guard lock(m_mutex);
    m_rolloutPending.push_back(std::move(entry));
    return !std::exchange(m_rolloutCollectRequested, true);
  }
  RolloutBatch takeRollout() {
    std::lock_guard lock(m_mutex);
    m_rolloutCollectRequested = false;
    return std::exchange(m_rolloutPending, {});
  }

  /// Adds an entry; true when the GUI thread must be asked to collect (no
  /// request is outstanding).
  bool put(RecordEntry entry) {
    std::lock_guard lock(m_mutex);
    m_pending.push_back(std::move(entry));
    return !std::exchange(m_collectRequested, true);
  }
  RecordBatch take() {
    std::lock_guard lock(m_mutex);
    m_collectRequested = false;
    return std::exchange(m_pending, {});
  }

 private:
  const bool m_deployment;
  engine::RunControl m_control;
  engine::DeploymentControl m_deploymentControl;
  std::atomic<bool> m_stopRequested = false;
  mutable std::mutex m_mutex;
  RecordBatch m_pending;
  bool m_collectRequested = false;
  RolloutBatch m_rolloutPending;
  bool m_rolloutCollectRequested = false;
  engine::EventLoop* m_loop = nullptr;
  bool m_abandoned = false;
};

RunController::RunController(QObject* parent) : QObject(parent) {}

RunController::~RunController() {
  // The window is going away: no one is left to watch a graceful shutdown.
  if (m_session) {
    m_session->requestStop(engine::Duration{0});
    if (m_deploymentRun) m_session->abandon();
  }
  joinEngineThread();
}

quint64 RunController::start(RunRequest request) {
  if (m_running) return 0;
  joinEngineThread();
  m_running = true;
  m_deploymentRun = false;
  const quint64 runId = ++m_currentRunId;
  m_session = std::make_shared<Session>(false);
  m_engineThread = std::thread(&RunController::runOnEngineThread, this, std::move(request), runId, m_session);
  return runId;
}

quint64 RunController::startDeployment(DeploymentRunRequest request) {
  if (m_running) return 0;
  joinEngineThread();
  m_running = true;
  m_deploymentRun = true;
  const quint64 runId = ++m_currentRunId;
  m_session = std::make_shared<Session>(true);
  m_engineThread =
      std::thread(&RunController::runDeploymentOnEngineThread, this, std::move(request), runId, m_session);
  return runId;
}

bool RunController::applyDeployment(core::Deployment deployment) {
  if (!isRunningDeployment() || !m_session) return false;
  const quint64 runId = m_currentRunId;
  // The reply comes on the engine thread (or at once, on this one, if the
  // run has just ended); either way it reaches the GUI thread queued.
  auto reply = [this, runId, deployment](const core::Result<std::string>& answer) {
    const QString text = QString::fromStdString(answer ? *answer : answer.error().message);
    const bool error = !answer;
    QMetaObject::invokeMethod(
        this,
        [this, runId, deployment, text, error] {
          if (runId == m_currentRunId) emit deploymentAnswered(deployment, text, error);
        },
        Qt::QueuedConnection);
  };
  m_session->deploymentControl().apply(std::move(deployment), std::move(reply));
  return true;
}

void RunController::stop(std::optional<std::chrono::nanoseconds> grace) {
  if (!m_running || !m_session) return;
  if (grace) {
    m_session->requestStop(std::chrono::duration_cast<engine::Duration>(*grace));
  } else {
    m_session->requestStop(std::nullopt);
  }
}

void RunController::joinEngineThread() {
  if (m_engineThread.joinable()) m_engineThread.join();
}

void RunController::runOnEngineThread(RunRequest request, quint64 runId, std::shared_ptr<Session> session) {
  RunResult result;
  result.runId = runId;
  // Runs on the engine thread: copy each entry into the session's mailbox
  // and, if no collection is pending, ask the GUI thread for one; `this`
  // outlives the thread because the destructor joins it.
  auto post = [this, runId, session](RecordEntry entry) {
    if (!session->put(std::move(entry))) return;
    QMetaObject::invokeMethod(
        this, [this, runId, session] { deliverBatch(runId, session); }, Qt::QueuedConnection);
  };
  core::RecordObserver observer;
  observer.onTransition = [post](const core::Transition& e) { post(e); };
  observer.onEvent = [post](const core::Event& e) { post(e); };
  observer.onStatusLine = [post](const core::PodStatusLine& e) { post(e); };
  observer.onAttempt = [post](const core::HandlerAttempt& e) { post(e); };
  observer.onCondition = [post](const core::ConditionChange& e) { post(e); };
  observer.onSignal = [post](const core::SignalSent& e) { post(e); };

  try {
    switch (request.runtime) {
      case RuntimeKind::Simulated: {
        engine::VirtualEventLoop loop;
        engine::SimulatedRuntime runtime(loop);
        engine::RunOptions options;
        options.stopAfter = kSimulatedRunLimit;
        if (request.watchFor) {
          options.stopAfter = {};
          options.runFor = *request.watchFor;
        }
        result.record = engine::runPod(request.pod, runtime, loop, options, observer, &session->control());
        break;
      }
      case RuntimeKind::Containerd: {
#ifdef PODSCOPE_HAVE_CONTAINERD
        engine::SystemEventLoop loop;
        auto runtime = connectContainerd(loop, request.containerd);
        if (!runtime) {
          result.error = runtime.error();
          break;
        }
        if (session->stopRequested()) {
          result.error = core::Error{"stopped before the pod was created", {}, std::nullopt};
          break;
        }
        engine::RunOptions options;
        options.stopAfter = kContainerdRunLimit;
        if (request.watchFor) {
          options.stopAfter = {};
          options.runFor = *request.watchFor;
        }
        // As `podscope-cli run`: a pod UID of its own, so the run's logs
        // get their own folder in the per-user log directory, where
        // `podscope-cli logs` finds them.
        options.podUid = engine::newPodUid();
        options.logDir = userLogDir();
        if (!options.logDir.empty()) {
          const QString podLogDir = QString::fromStdString(
              options.logDir + "/" +
              core::podLogDirName(request.pod.metadata.namespaceName, request.pod.metadata.name, options.podUid));
          QMetaObject::invokeMethod(
              this, [this, runId, podLogDir] { deliverLogDir(runId, podLogDir); }, Qt::QueuedConnection);
        }
        result.record = engine::runPod(request.pod, **runtime, loop, options, observer, &session->control());
#else
        result.error = core::Error{"this build of Podscope has no containerd runtime", {}, std::nullopt};
#endif
        break;
      }
    }
  } catch (const std::exception& e) {
    // Nothing below is meant to throw; if it does, the user gets a message
    // rather than std::terminate taking the whole window with it.
    result.error = core::Error{std::string("the run stopped on an internal error: ") + e.what(), {}, std::nullopt};
  }
  result.record.stopObserving();

  QMetaObject::invokeMethod(
      this, [this, result = std::move(result)]() mutable { deliverResult(std::move(result)); },
      Qt::QueuedConnection);
}

void RunController::runDeploymentOnEngineThread(DeploymentRunRequest request, quint64 runId,
                                                std::shared_ptr<Session> session) {
  RunResult result;
  result.runId = runId;
  // As for a pod: entries go into the session's mailbox, and the GUI thread
  // is asked to collect when no collection is pending.
  auto post = [this, runId, session](RolloutEntry entry) {
    if (!session->putRollout(std::move(entry))) return;
    QMetaObject::invokeMethod(
        this, [this, runId, session] { deliverRolloutBatch(runId, session); }, Qt::QueuedConnection);
  };
  core::RolloutObserver observer;
  observer.onEvent = [post](const core::Event& e) { post(e); };
  observer.onReplicaSet = [post](const core::ReplicaSetRecord& rs) { post(rs); };
  observer.onReplicaSetSample = [post](const core::ReplicaSetSample& s) { post(s); };
  observer.onStatusLine = [post](const core::DeploymentStatusLine& l) { post(l); };
  observer.onCondition = [post](const core::DeploymentCondition& c) { post(c); };
  observer.onPodCreated = [post](const core::RolloutPod& pod) {
    post(RolloutPodCreated{pod.name, pod.replicaSet, pod.created});
  };
  observer.onPodFinished = [post](const core::RolloutPod& pod) {
    post(RolloutPodFinished{pod.name, pod.finished.value_or(pod.created)});
  };
  observer.podObserver = [post](const core::RolloutPod& pod) {
    core::RecordObserver podObserver;
    const std::string name = pod.name;
    podObserver.onEvent = [post, name](const core::Event& e) { post(RolloutPodEntry{name, e}); };
    podObserver.onStatusLine = [post, name](const core::PodStatusLine& l) { post(RolloutPodEntry{name, l}); };
    return podObserver;
  };

  engine::DeploymentRunOptions options;
  if (request.watchFor) options.runFor = *request.watchFor;
  try {
    switch (request.runtime) {
      case RuntimeKind::Simulated: {
        engine::PacedEventLoop loop(request.simulatedSpeed);
        engine::SimulatedRuntime runtime(loop);
        session->setLoop(&loop);
        if (!request.watchFor) options.runFor = kSimulatedRolloutLimit;
        options.seed = kSimulatedPodNameSeed;
        result.rollout = engine::runDeployment(request.deployment, runtime, loop, options, observer,
                                               &session->deploymentControl());
        session->setLoop(nullptr);
        break;
      }
      case RuntimeKind::Containerd: {
#ifdef PODSCOPE_HAVE_CONTAINERD
        engine::SystemEventLoop loop;
        auto runtime = connectContainerd(loop, request.containerd);
        if (!runtime) {
          result.error = runtime.error();
          break;
        }
        if (session->stopRequested()) {
          result.error = core::Error{"stopped before the deployment was created", {}, std::nullopt};
          break;
        }
        if (!request.watchFor) options.runFor = kContainerdRolloutLimit;
        options.pod.logDir = userLogDir();
        session->setLoop(&loop);
        result.rollout = engine::runDeployment(request.deployment, **runtime, loop, options, observer,
                                               &session->deploymentControl());
        session->setLoop(nullptr);
#else
        result.error = core::Error{"this build of Podscope has no containerd runtime", {}, std::nullopt};
#endif
        break;
      }
    }
  } catch (const std::exception& e) {
    result.error = core::Error{std::string("the run stopped on an internal error: ") + e.what(), {}, std::nullopt};
  }
  if (result.rollout) {
    result.rollout->stopObserving();
    result.record.outcome = result.rollout->outcome;
    result.record.outcomeMessage = result.rollout->outcomeMessage;
    result.record.runtimeName = result.rollout->runtimeName;
    result.record.podNamespace = result.rollout->deploymentNamespace;
  }
  if (session->abandoned()) return;  // the window is gone

  QMetaObject::invokeMethod(
      this, [this, result = std::move(result)]() mutable { deliverResult(std::move(result)); },
      Qt::QueuedConnection);
}

void RunController::deliverRolloutBatch(quint64 runId, const std::shared_ptr<Session>& session) {
  RolloutBatch batch = session->takeRollout();
  if (runId != m_currentRunId || batch.empty()) return;
  emit rolloutAppended(batch);
}

void RunController::deliverBatch(quint64 runId, const std::shared_ptr<Session>& session) {
  RecordBatch batch = session->take();
  if (runId != m_currentRunId || batch.empty()) return;
  for (const RecordEntry& entry : batch) {
    if (const auto* transition = std::get_if<core::Transition>(&entry)) emit transitionRecorded(*transition);
  }
  emit recordAppended(batch);
}

void RunController::deliverLogDir(quint64 runId, const QString& podLogDir) {
  if (runId != m_currentRunId) return;
  emit logsLocated(podLogDir);
}

void RunController::deliverResult(RunResult result) {
  if (result.runId != m_currentRunId) return;
  m_running = false;
  m_deploymentRun = false;
  joinEngineThread();
  m_session.reset();
  emit runFinished(result);
}

}  // namespace podscope::ui
