#pragma once
// RunController: runs a pod on an engine thread and is the bridge that
// brings what the engine records back to the GUI thread.

#include <QObject>
#include <QString>

#include <chrono>
#include <memory>
#include <optional>
#include <thread>
#include <variant>
#include <vector>

#include "core/manifest.h"
#include "core/result.h"
#include "core/run_record.h"

namespace podscope::ui {

enum class RuntimeKind { Simulated, Containerd };

inline constexpr char kDefaultContainerdAddress[] = "/run/containerd/containerd.sock";

/// True when this build includes the containerd runtime.
bool containerdAvailable();

/// Where a run on containerd happens.
struct ContainerdSettings {
  QString address = QString::fromLatin1(kDefaultContainerdAddress);
  QString containerdNamespace = QStringLiteral("podscope");
  /// The runs' state directory; empty: the runtime's default (/run/podscope
  /// as root, else $XDG_RUNTIME_DIR/podscope).
  QString stateDir;
  bool operator==(const ContainerdSettings&) const = default;
};

struct RunRequest {
  core::Pod pod;
  RuntimeKind runtime = RuntimeKind::Simulated;
  /// Watch the pod this long, then end the record as the pod is (as
  /// `podscope-cli run --for`); unset: until the pod ends or the run limit.
  std::optional<std::chrono::nanoseconds> watchFor;
  ContainerdSettings containerd;
};

/// How a run ended: the record the engine returned, or why there was none.
struct RunResult {
  quint64 runId = 0;
  core::RunRecord record;           ///< without its callbacks; safe to keep
  std::optional<core::Error> error;  ///< set when the run could not happen or was cut short
};

/// One entry of a run's record, of whichever kind.
using RecordEntry =
    std::variant<core::Transition, core::Event, core::PodStatusLine, core::HandlerAttempt, core::ConditionChange,
                 core::SignalSent>;
/// Entries in the order the engine appended them.
using RecordBatch = std::vector<RecordEntry>;

/// Starts one run at a time, each on its own engine thread. The engine's
/// observer runs on that thread and posts copies of each transition to this
/// object, so the signals below are always emitted on the GUI thread, and
/// only for the current run: anything still queued from an older run is
/// dropped by its run id. Entries are handed over in batches: while one
/// delivery is waiting for the GUI thread, later entries join it, so a fast
/// simulated run costs the event loop one call per turn, not one per entry.
/// Thread contract: GUI thread only (the thread it was created on).
class RunController final : public QObject {
  Q_OBJECT

 public:
  explicit RunController(QObject* parent = nullptr);
  /// Stops a run still in progress and waits for its thread.
  ~RunController() override;

  /// Starts a run and returns its id; 0 if one is already running.
  quint64 start(RunRequest request);
  /// Asks the current run to delete its pod: gracefully with the pod's own
  /// grace period, or with `grace` (zero: as --grace-period=0 --force).
  void stop(std::optional<std::chrono::nanoseconds> grace = std::nullopt);
  bool isRunning() const { return m_running; }
  quint64 currentRunId() const { return m_currentRunId; }

 signals:
  void transitionRecorded(const podscope::core::Transition& transition);
  /// Every entry recorded since the last batch (transitions too, after
  /// their transitionRecorded), in order; always before runFinished.
  void recordAppended(const podscope::ui::RecordBatch& batch);
  /// The folder a containerd run keeps its container logs in,
  /// LOGDIR/<namespace>_<pod>_<uid> (docs/logs.md); not emitted for runs
  /// that keep no logs.
  void logsLocated(const QString& podLogDir);
  void runFinished(const podscope::ui::RunResult& result);

 private:
  class Session;

  void runOnEngineThread(RunRequest request, quint64 runId, std::shared_ptr<Session> session);
  void deliverBatch(quint64 runId, const std::shared_ptr<Session>& session);
  void deliverLogDir(quint64 runId, const QString& podLogDir);
  void deliverResult(RunResult result);
  void joinEngineThread();

  std::thread m_engineThread;
  std::shared_ptr<Session> m_session;
  quint64 m_currentRunId = 0;
  bool m_running = false;
};

}  // namespace podscope::ui
