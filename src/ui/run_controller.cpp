#include "ui/run_controller.h"

#include <atomic>
#include <chrono>
#include <exception>
#include <mutex>

#include "core/log_files.h"
#include "core/user_dirs.h"
#include "engine/clock.h"
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

}  // namespace

bool containerdAvailable() {
#ifdef PODSCOPE_HAVE_CONTAINERD
  return true;
#else
  return false;
#endif
}

/// What the GUI thread shares with one engine thread: the handle that asks
/// runPod() to delete the pod, and whether that was asked before a runtime
/// existed (so a slow containerd connection need not be followed by a run).
/// Thread contract: every member function is safe from any thread.
class RunController::Session {
 public:
  void requestStop(std::optional<engine::Duration> grace) {
    m_stopRequested = true;
    m_control.requestDelete(grace);
  }
  bool stopRequested() const { return m_stopRequested; }
  engine::RunControl& control() { return m_control; }

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
  engine::RunControl m_control;
  std::atomic<bool> m_stopRequested = false;
  std::mutex m_mutex;
  RecordBatch m_pending;
  bool m_collectRequested = false;
};

RunController::RunController(QObject* parent) : QObject(parent) {}

RunController::~RunController() {
  // The window is going away: no one is left to watch a graceful shutdown.
  if (m_session) m_session->requestStop(engine::Duration{0});
  joinEngineThread();
}

quint64 RunController::start(RunRequest request) {
  if (m_running) return 0;
  joinEngineThread();
  m_running = true;
  const quint64 runId = ++m_currentRunId;
  m_session = std::make_shared<Session>();
  m_engineThread = std::thread(&RunController::runOnEngineThread, this, std::move(request), runId, m_session);
  return runId;
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
        engine::ContainerdOptions containerdOptions;
        containerdOptions.address = request.containerd.address.toStdString();
        containerdOptions.containerdNamespace = request.containerd.containerdNamespace.toStdString();
        containerdOptions.stateDir = request.containerd.stateDir.toStdString();
        auto runtime = engine::ContainerdRuntime::connect(loop, containerdOptions);
        if (!runtime) {
          core::Error error = runtime.error();
          // The user needs to know which socket was tried; the runtime's
          // message usually says, and saying it twice reads badly.
          if (error.message.find(containerdOptions.address) == std::string::npos) {
            error.message = "containerd at " + containerdOptions.address + ": " + error.message;
          }
          result.error = std::move(error);
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
        options.logDir = core::defaultLogDir();
        if (!options.logDir.empty() && !core::makePrivateDirectories(options.logDir)) options.logDir.clear();
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
  joinEngineThread();
  m_session.reset();
  emit runFinished(result);
}

}  // namespace podscope::ui
