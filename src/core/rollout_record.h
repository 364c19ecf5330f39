#pragma once
// The record of one Deployment run, parallel to RunRecord: the controllers'
// events, the ReplicaSets with their revisions, how many pods each had over
// time, the `kubectl get deployment` lines, the Progressing and Available
// conditions, and every pod with its own RunRecord. The engine appends to
// it; the timeline, tables, CLI and reports only read it.
//
// Time axis: every time here is RunTime since the rollout began (the
// controller's start). A pod's own RunRecord counts from that pod's
// creation instead, as runPod's records do; place one of its entries on the
// rollout's axis with `pod.created + entry.time` (rolloutTime()).
//
// Thread contract: not synchronised; the engine owns it while the rollout
// runs and hands out copies (or observes appends) for other threads.

#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/manifest.h"
#include "core/run_record.h"

namespace podscope::core {

/// A condition's status, as the API has it: True, False or Unknown
/// (Progressing is Unknown while the deployment is paused).
enum class ConditionStatus { True, False, Unknown };
std::string_view toString(ConditionStatus status);

/// A Progressing or Available condition of the deployment taking a new
/// status, reason or message (a refresh of lastUpdateTime alone is not
/// recorded). The first change of each type is its initial value.
struct DeploymentCondition {
  RunTime time{0};
  std::string type;  ///< "Progressing" or "Available"
  ConditionStatus status = ConditionStatus::Unknown;
  std::string reason;
  std::string message;
  friend bool operator==(const DeploymentCondition&, const DeploymentCondition&) = default;
};

/// One ReplicaSet as the deployment controller made it. Its revision can
/// change after creation (a rollback makes an old ReplicaSet current again
/// with a new number; the old number moves into revisionHistory), and so
/// can its change-cause; the record keeps the latest, and observers hear
/// each change.
struct ReplicaSetRecord {
  std::string name;  ///< `<deployment>-<hash>`
  std::string hash;  ///< its pod-template-hash label
  std::int64_t revision = 0;
  std::vector<std::int64_t> revisionHistory;  ///< earlier numbers, oldest first
  std::string changeCause;                    ///< kubernetes.io/change-cause, or empty
  /// All its annotations (revision, revision-history, desired-replicas,
  /// max-replicas and those copied from the deployment).
  std::map<std::string, std::string> annotations;
  PodTemplateSpec podTemplate;  ///< with the pod-template-hash label
  RunTime created{0};
  std::optional<RunTime> deleted;  ///< removed by revisionHistoryLimit or with the deployment
};

/// A ReplicaSet's counts, recorded whenever one of them changes: the
/// timeline draws one lane per ReplicaSet from these. DESIRED is
/// spec.replicas; CURRENT the pods it has that are not being deleted (a
/// Terminating pod no longer counts, as in Kubernetes); READY those whose
/// Ready condition is True; AVAILABLE those ready for minReadySeconds.
struct ReplicaSetSample {
  RunTime time{0};
  std::string replicaSet;
  std::int32_t desired = 0;
  std::int32_t current = 0;
  std::int32_t ready = 0;
  std::int32_t available = 0;
  friend bool operator==(const ReplicaSetSample&, const ReplicaSetSample&) = default;
};

/// The deployment's status fields (apps/v1 DeploymentStatus) with its
/// spec.replicas and generation.
struct DeploymentStatus {
  std::int64_t generation = 0;          ///< metadata.generation: bumped by each spec change
  std::int64_t observedGeneration = 0;  ///< the generation the controller last acted on
  std::int32_t desiredReplicas = 0;     ///< spec.replicas
  std::int32_t replicas = 0;            ///< pods of all its ReplicaSets, not being deleted
  std::int32_t updatedReplicas = 0;     ///< of those, the new ReplicaSet's
  std::int32_t readyReplicas = 0;
  std::int32_t availableReplicas = 0;
  std::int32_t unavailableReplicas = 0;
  friend bool operator==(const DeploymentStatus&, const DeploymentStatus&) = default;
};

/// The `kubectl get deployment` columns at a moment, recorded whenever the
/// status changes.
struct DeploymentStatusLine {
  RunTime time{0};
  DeploymentStatus status;
  std::string ready;      ///< READY: "2/3" (ready / desired)
  std::string upToDate;   ///< UP-TO-DATE
  std::string available;  ///< AVAILABLE
  std::string age;        ///< AGE at `time`
  friend bool operator==(const DeploymentStatusLine&, const DeploymentStatusLine&) = default;
};

/// The `kubectl get deployment` line for `status` at `time` since creation.
DeploymentStatusLine deploymentStatusLine(RunTime time, const DeploymentStatus& status);

/// One pod of the deployment and its own record (times from its creation).
struct RolloutPod {
  std::string name;
  std::string replicaSet;
  RunTime created{0};               ///< on the rollout's axis
  std::optional<RunTime> finished;  ///< when its sandbox was gone, on the rollout's axis
  RunRecord record;
};

/// Where a time from `pod`'s own record falls on the rollout's axis.
inline RunTime rolloutTime(const RolloutPod& pod, RunTime podTime) { return pod.created + podTime; }

/// Callbacks that hear each entry a RolloutRecord gets, called on the
/// appending thread right after it is stored. Any may be left unset.
struct RolloutObserver {
  std::function<void(const Event&)> onEvent;
  /// A ReplicaSet was created or changed (revision, change-cause, deletion).
  std::function<void(const ReplicaSetRecord&)> onReplicaSet;
  std::function<void(const ReplicaSetSample&)> onReplicaSetSample;
  std::function<void(const DeploymentStatusLine&)> onStatusLine;
  std::function<void(const DeploymentCondition&)> onCondition;
  std::function<void(const RolloutPod&)> onPodCreated;
  std::function<void(const RolloutPod&)> onPodFinished;
  /// Asked once for each new pod, before anything is recorded for it: the
  /// observer of that pod's RunRecord (on the same thread).
  std::function<RecordObserver(const RolloutPod&)> podObserver;
};

class RolloutRecord {
 public:
  std::string deploymentName;
  std::string deploymentNamespace;
  std::string runtimeName;
  /// Running while the rollout runs; Stopped when a watch limit ended it;
  /// Deleted when the deployment was deleted and its pods are gone.
  RunOutcome outcome = RunOutcome::Running;
  std::string outcomeMessage;

  /// The controllers' events: object `replicaset/<name>` for the
  /// ReplicaSet controller's, empty for the deployment's own.
  const std::vector<Event>& events() const { return m_events; }
  /// In order of creation, deleted ones included.
  const std::vector<ReplicaSetRecord>& replicaSets() const { return m_replicaSets; }
  const std::vector<ReplicaSetSample>& replicaSetSamples() const { return m_samples; }
  const std::vector<DeploymentStatusLine>& statusLines() const { return m_statusLines; }
  const std::vector<DeploymentCondition>& conditions() const { return m_conditions; }
  /// In order of creation; a deque, so a pod's record stays where it is
  /// while more pods are added (the engine appends to it in place).
  const std::deque<RolloutPod>& pods() const { return m_pods; }

  const ReplicaSetRecord* findReplicaSet(std::string_view name) const;
  const RolloutPod* findPod(std::string_view name) const;

  void append(Event e);
  void append(ReplicaSetSample sample);
  void append(DeploymentStatusLine line);
  void append(DeploymentCondition condition);
  /// Adds a ReplicaSet, or replaces the one of the same name.
  void putReplicaSet(ReplicaSetRecord rs);
  /// Adds a pod and returns it, its record observed as podObserver says.
  RolloutPod& addPod(std::string name, std::string replicaSet, RunTime created);
  /// Marks the pod finished at `time`; unknown names are ignored.
  void podFinished(std::string_view name, RunTime time);

  /// Sets every callback from `observer` (unset ones clear theirs). Pods
  /// added later get their record's observer from it; pods already there
  /// keep theirs.
  void observe(RolloutObserver observer);
  /// Clears every callback, the pods' records' included, so the record can
  /// be kept or copied on its own.
  void stopObserving();
  /// The observer podObserver gives for `pod`, or none.
  RecordObserver podObserverFor(const RolloutPod& pod) const;

 private:
  RolloutPod* mutablePod(std::string_view name);

  std::vector<Event> m_events;
  std::vector<ReplicaSetRecord> m_replicaSets;
  std::vector<ReplicaSetSample> m_samples;
  std::vector<DeploymentStatusLine> m_statusLines;
  std::vector<DeploymentCondition> m_conditions;
  std::deque<RolloutPod> m_pods;
  RolloutObserver m_observer;
};

// ---- Words shared by the controller, the CLI and the GUI --------------------

inline constexpr std::string_view kRevisionAnnotation = "deployment.kubernetes.io/revision";
inline constexpr std::string_view kRevisionHistoryAnnotation = "deployment.kubernetes.io/revision-history";
inline constexpr std::string_view kDesiredReplicasAnnotation = "deployment.kubernetes.io/desired-replicas";
inline constexpr std::string_view kMaxReplicasAnnotation = "deployment.kubernetes.io/max-replicas";
inline constexpr std::string_view kChangeCauseAnnotation = "kubernetes.io/change-cause";
inline constexpr std::string_view kRestartedAtAnnotation = "kubectl.kubernetes.io/restartedAt";
inline constexpr std::string_view kLastAppliedAnnotation = "kubectl.kubernetes.io/last-applied-configuration";

/// The ScalingReplicaSet message, in the wording of Kubernetes releases
/// before 1.28 (the one most articles show): "Scaled up replica set
/// nginx-648458674d to 2" / "Scaled down replica set nginx-6888c79454 to 1".
/// The one place that wording lives.
std::string scalingReplicaSetMessage(std::string_view replicaSet, std::int32_t from, std::int32_t to);

// ---- Text for people ---------------------------------------------------------
// Aligned as run_record's tables: two spaces between columns, no trailing
// spaces, a newline after each line.

/// `kubectl get deployment --watch`: NAME READY UP-TO-DATE AVAILABLE AGE, one
/// line per status line.
std::string formatDeploymentLines(const RolloutRecord& record);

/// `kubectl get replicaset` at `at` (the end of the record when unset): NAME
/// DESIRED CURRENT READY AGE for each ReplicaSet that existed then, oldest
/// first.
std::string formatReplicaSets(const RolloutRecord& record, std::optional<RunTime> at = std::nullopt);

/// The events in the layout of formatEvents, with the object each is about:
/// Type Reason Age From Object Message, From being deployment-controller or
/// replicaset-controller (eventSource()), Object `deployment/<name>` or
/// `replicaset/<name>`, Age the time since the rollout began.
std::string formatRolloutEvents(const RolloutRecord& record);

/// The condition changes: TIME TYPE STATUS REASON MESSAGE.
std::string formatDeploymentConditions(const RolloutRecord& record);

/// `kubectl rollout history`: `deployment.apps/<name>`, then REVISION
/// CHANGE-CAUSE for each ReplicaSet still there at the end, by revision,
/// `<none>` for no change-cause; `No rollout history found.` when there is
/// none.
std::string formatRolloutHistory(const RolloutRecord& record);

/// What `kubectl rollout status` says about a deployment in one state.
struct RolloutStatusMessage {
  std::string text;    ///< the line, without its newline (for an error, without "error: ")
  bool done = false;   ///< the rollout finished: `successfully rolled out`
  bool error = false;  ///< the rollout exceeded its progress deadline
};

/// kubectl's DeploymentStatusViewer: `Waiting for deployment spec update to
/// be observed...`, `... N out of M new replicas have been updated...`,
/// `... K old replicas are pending termination...`, `... A of U updated
/// replicas are available...`, `deployment "d" successfully rolled out`,
/// or the error `deployment "d" exceeded its progress deadline`.
RolloutStatusMessage rolloutStatusMessage(std::string_view deployment, const DeploymentStatus& status,
                                          bool progressDeadlineExceeded);

/// The lines `kubectl rollout status` would print had it been started at
/// `since` and watched the rest of the record: the state at `since`, then
/// a line each time the message changes, up to the first final one (done,
/// or the deadline error as `error: ...`).
std::vector<std::string> rolloutStatusLines(const RolloutRecord& record, RunTime since = RunTime{0});

}  // namespace podscope::core
