#pragma once
// RunController: runs a pod or a Deployment on an engine thread and is the
// bridge that brings what the engine records back to the GUI thread.

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
#include "core/rollout_record.h"
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

/// A Deployment to run, as `podscope-cli run` runs one.
struct DeploymentRunRequest {
  core::Deployment deployment;
  RuntimeKind runtime = RuntimeKind::Simulated;
  /// Watch the rollout this long, then end it where it is (outcome
  /// Stopped); unset: until the Deployment is deleted.
  std::optional<std::chrono::nanoseconds> watchFor;
  ContainerdSettings containerd;
  /// On the simulated runtime, seconds of the rollout per second of wall
  /// time: a rollout takes its time, so a new revision can be applied
  /// while it goes on, but a test may hurry it.
  double simulatedSpeed = 1.0;
};

/// How a run ended: the record the engine returned, or why there was none.
struct RunResult {
  quint64 runId = 0;
  /// A pod's run: its record. A Deployment's: empty but for the outcome,
  /// which is the rollout's.
  core::RunRecord record;           ///< without its callbacks; safe to keep
  std::optional<core::Error> error;  ///< set when the run could not happen or was cut short
  /// Set for a Deployment's run: everything its rollout recorded.
  std::optional<core::RolloutRecord> rollout;
};

/// One entry of a run's record, of whichever kind.
using RecordEntry =
    std::variant<core::Transition, core::Event, core::PodStatusLine, core::HandlerAttempt, core::ConditionChange,
                 core::SignalSent>;
/// Entries in the order the engine appended them.
using RecordBatch = std::vector<RecordEntry>;

/// A pod of a rollout was created (times on the rollout's axis).
struct RolloutPodCreated {
  std::string name;
  std::string replicaSet;
  core::RunTime created{0};
};
/// A pod of a rollout is gone.
struct RolloutPodFinished {
  std::string name;
  core::RunTime time{0};
};
/// An entry of one pod's own record (its time counts from that pod's
/// creation). Only what the rollout's panels draw crosses over while it
/// runs (events and status lines): a pod's probe attempts would cost the
/// GUI thread far more than they show. Every pod's whole record comes with
/// the result.
struct RolloutPodEntry {
  std::string pod;
  RecordEntry entry;
};
/// One entry of a rollout's record, of whichever kind.
using RolloutEntry = std::variant<core::Event, core::ReplicaSetRecord, core::ReplicaSetSample, core::DeploymentStatusLine,
                                  core::DeploymentCondition, RolloutPodCreated, RolloutPodFinished, RolloutPodEntry>;
/// Entries in the order the engine appended them.
using RolloutBatch = std::vector<RolloutEntry>;

/// A rollout's whole record as the entries that would have streamed in,
/// ordered by time on the rollout's axis (what a live view would have
/// seen, as far as the time order says).
RolloutBatch rolloutBatchOf(const core::RolloutRecord& record);

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
  /// Starts a Deployment's run (runDeployment) and returns its id; 0 if
  /// one is already running.
  quint64 startDeployment(DeploymentRunRequest request);
  /// Asks the current run to delete its pod (or, for a Deployment, the
  /// Deployment and its pods): gracefully with the pod's own grace period,
  /// or with `grace` (zero: as --grace-period=0 --force).
  void stop(std::optional<std::chrono::nanoseconds> grace = std::nullopt);
  /// `kubectl apply` of `deployment` to the Deployment running; the answer
  /// comes back as deploymentAnswered(). False when no Deployment runs.
  bool applyDeployment(core::Deployment deployment);
  bool isRunning() const { return m_running; }
  /// True while the run in progress is a Deployment's.
  bool isRunningDeployment() const { return m_running && m_deploymentRun; }
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
  /// A Deployment's run: every entry recorded since the last batch, in
  /// order; always before runFinished.
  void rolloutAppended(const podscope::ui::RolloutBatch& batch);
  /// kubectl's answer to a request made of the running Deployment
  /// (`deployment.apps/web configured`), or its error. `deployment` is what
  /// was applied.
  void deploymentAnswered(const podscope::core::Deployment& deployment, const QString& answer, bool error);

 private:
  class Session;

  void runOnEngineThread(RunRequest request, quint64 runId, std::shared_ptr<Session> session);
  void runDeploymentOnEngineThread(DeploymentRunRequest request, quint64 runId, std::shared_ptr<Session> session);
  void deliverBatch(quint64 runId, const std::shared_ptr<Session>& session);
  void deliverRolloutBatch(quint64 runId, const std::shared_ptr<Session>& session);
  void deliverLogDir(quint64 runId, const QString& podLogDir);
  void deliverResult(RunResult result);
  void joinEngineThread();

  std::thread m_engineThread;
  std::shared_ptr<Session> m_session;
  quint64 m_currentRunId = 0;
  bool m_running = false;
  bool m_deploymentRun = false;
};

}  // namespace podscope::ui
