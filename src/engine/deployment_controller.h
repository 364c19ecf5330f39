#pragma once
// DeploymentController: runs a Deployment the way kube-controller-manager's
// deployment and replicaset controllers do (docs/deployments.md): each
// revision of the pod template gets a ReplicaSet named after its
// pod-template-hash, ReplicaSets are scaled by RollingUpdate or Recreate,
// old ones are kept up to revisionHistoryLimit, and each pod runs in its
// own PodWorker on the shared Runtime. Decide, then do: decideSync() (pure)
// works out one sync of the deployment controller from what is observed;
// the controller performs it, then keeps each ReplicaSet's pods at its size
// (the replicaset controller's part) and records everything in a
// RolloutRecord.
//
// Thread contract: DeploymentController is engine-thread only (the thread
// running the EventLoop); DeploymentControl may be used from any thread.

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "core/manifest.h"
#include "core/result.h"
#include "core/rollout_record.h"
#include "engine/clock.h"
#include "engine/pod_worker.h"
#include "engine/runtime.h"

namespace podscope::engine {

struct DeploymentRunOptions {
  /// Seeds the 5-character suffixes of pod names, so a run on the
  /// simulator names its pods the same way every time; unset draws a seed
  /// at random.
  std::optional<std::uint64_t> seed;
  /// Watch the deployment this long from its start, then end the run where
  /// it is (outcome Stopped): the record ends there and every pod is
  /// removed without being recorded. Zero watches until the deployment is
  /// deleted (or, on a virtual loop, until nothing is left to happen).
  Duration runFor{0};
  /// What every pod is run with (logDir, nodeName). Its runFor, stopAfter,
  /// deleteAfter and podUid are the controller's to set.
  RunOptions pod;
};

// ---- Decide -------------------------------------------------------------------

/// A ReplicaSet as the controller holds it: spec, annotations and the
/// status counted from its pods.
struct ReplicaSetState {
  std::string name;
  std::string hash;
  core::PodTemplateSpec podTemplate;  ///< with the pod-template-hash label
  std::map<std::string, std::string> annotations;
  std::int32_t replicas = 0;  ///< spec.replicas
  std::int32_t minReadySeconds = 0;
  std::uint64_t order = 0;  ///< creation order: lower is older
  TimePoint created{0};
  // Status, from its pods:
  std::int32_t current = 0;    ///< pods not being deleted (status.replicas)
  std::int32_t ready = 0;      ///< of those, Ready
  std::int32_t available = 0;  ///< of those, Ready for minReadySeconds
  std::int32_t existing = 0;   ///< pods not gone yet, Terminating ones included

  /// Its deployment.kubernetes.io/revision, 0 when missing.
  std::int64_t revision() const;
};

/// A Progressing or Available condition with the times the controller
/// keeps (lastUpdateTime drives the progress deadline).
struct ConditionState {
  core::ConditionStatus status = core::ConditionStatus::Unknown;
  std::string reason;
  std::string message;
  TimePoint lastUpdate{0};
  TimePoint lastTransition{0};
  friend bool operator==(const ConditionState&, const ConditionState&) = default;
};

/// Everything one sync looks at.
struct DeploymentObserved {
  core::Deployment deployment;
  std::int64_t generation = 1;
  std::vector<ReplicaSetState> replicaSets;  ///< oldest first
  core::DeploymentStatus status;             ///< as the last sync wrote it
  std::optional<ConditionState> progressing;
  std::optional<ConditionState> available;
  std::optional<std::int32_t> collisionCount;
  std::int64_t revision = 0;  ///< the deployment's revision annotation
};

/// One change to a ReplicaSet, in the order the controller makes them.
struct ReplicaSetChange {
  enum class Kind { Create, Update, Delete };
  Kind kind = Kind::Update;
  ReplicaSetState replicaSet;         ///< as it is after the change
  std::int32_t previousReplicas = 0;  ///< spec.replicas before (0 for Create)
};

/// What one sync decided.
struct SyncPlan {
  std::vector<ReplicaSetChange> changes;
  core::DeploymentStatus status;
  std::optional<ConditionState> progressing;
  std::optional<ConditionState> available;
  /// Every condition the sync set, in order ("Progressing" or
  /// "Available"): the controller writes some of them as it goes (the
  /// paused check, a new ReplicaSet), so watchers see each.
  std::vector<std::pair<std::string, ConditionState>> conditionSteps;
  std::optional<std::int32_t> collisionCount;
  std::int64_t revision = 0;
  /// A new ReplicaSet's name was taken by another template: the collision
  /// count went up and the sync must run again.
  bool retry = false;
  /// Look again after this long for the progress deadline, when it may
  /// pass without anything else happening (requeueStuckDeployment).
  std::optional<Duration> recheckAfter;
};

/// One sync of the deployment controller (sync.go, rolling.go, recreate.go,
/// progress.go): paused conditions, then scaling (paused or replicas
/// changed) or a RollingUpdate / Recreate step, then the status and the
/// Progressing and Available conditions.
SyncPlan decideSync(const DeploymentObserved& observed, TimePoint now);

/// A pod as the replicaset controller ranks it for deletion.
struct PodRank {
  std::string name;
  bool ready = false;
  TimePoint readySince{0};
  std::uint64_t order = 0;  ///< creation order: lower is older
};

/// The `count` pods a ReplicaSet scaling down deletes (getPodsToDelete):
/// not ready before ready, ready for less time before longer, newer before
/// older.
std::vector<std::string> podsToDelete(std::vector<PodRank> pods, std::int32_t count);

// ---- Do --------------------------------------------------------------------------

class DeploymentController {
 public:
  DeploymentController(Runtime& runtime, EventLoop& loop, core::RolloutRecord& record,
                       DeploymentRunOptions options = {});
  ~DeploymentController();
  DeploymentController(const DeploymentController&) = delete;
  DeploymentController& operator=(const DeploymentController&) = delete;

  /// Creates the deployment: its first ReplicaSet and pods follow at once.
  void start(core::Deployment deployment);

  // What kubectl does to a running deployment. Each returns kubectl's
  // answer ("deployment.apps/web configured") or an Error in kubectl's
  // words (without its "error: " prefix). The controller acts on the
  // change in a sync of its own, right after.

  /// `kubectl apply`: "configured", or "unchanged" when nothing differs.
  /// A different name or selector is an error (the selector is immutable).
  core::Result<std::string> apply(core::Deployment deployment);
  /// `kubectl scale --replicas=N`: "scaled".
  core::Result<std::string> scale(std::int32_t replicas);
  /// `kubectl rollout undo [--to-revision=N]`: "rolled back", or
  /// "skipped rollback (current template already matches revision N)".
  core::Result<std::string> undo(std::int64_t toRevision = 0);
  /// `kubectl rollout restart`: sets the template annotation
  /// kubectl.kubernetes.io/restartedAt to `now` (RFC 3339): "restarted".
  core::Result<std::string> restart(const std::string& now);
  /// `kubectl rollout pause` / `resume`.
  core::Result<std::string> pause();
  core::Result<std::string> resume();
  /// `kubectl delete deployment`: every pod is deleted gracefully (`grace`
  /// overrides their terminationGracePeriodSeconds); the run ends when
  /// they are gone (outcome Deleted).
  core::Result<std::string> remove(std::optional<Duration> grace = std::nullopt);

  /// The deployment as last applied (with what undo, restart, scale,
  /// pause and resume changed).
  const core::Deployment& deployment() const;
  /// The status as the last sync wrote it (generation counts spec changes
  /// not yet synced).
  core::DeploymentStatus status() const;
  /// What `kubectl rollout status` would print now.
  core::RolloutStatusMessage rolloutStatus() const;
  /// The ReplicaSets there are now, oldest first, with their status.
  std::vector<ReplicaSetState> replicaSets() const;
  /// True once the deployment was deleted and its pods are gone, or the
  /// watch limit ended the run and every pod is removed.
  bool finished() const;

  /// Called once, on the engine thread, when finished() becomes true.
  std::function<void()> onFinished;

 private:
  class Impl;
  std::unique_ptr<Impl> m_impl;
};

/// Lets another thread (a GUI's, a CLI's) act on a runDeployment() in
/// progress. Each request is carried out on the engine thread, which then
/// calls `reply` with the answer. A request made before the run starts
/// waits for it; one made after it ended is answered at once, on the
/// calling thread, with an error.
/// Thread contract: every method from any thread.
class DeploymentControl {
 public:
  using Reply = std::function<void(const core::Result<std::string>&)>;

  void apply(core::Deployment deployment, Reply reply = {});
  void scale(std::int32_t replicas, Reply reply = {});
  void undo(std::int64_t toRevision = 0, Reply reply = {});
  void restart(std::string now, Reply reply = {});
  void pause(Reply reply = {});
  void resume(Reply reply = {});
  void remove(std::optional<Duration> grace = std::nullopt, Reply reply = {});

 private:
  friend core::RolloutRecord runDeployment(const core::Deployment&, Runtime&, EventLoop&,
                                           const DeploymentRunOptions&, core::RolloutObserver, DeploymentControl*);
  using Request = std::function<core::Result<std::string>(DeploymentController&)>;
  void submit(Request request, Reply reply);
  /// On the engine thread: the request, if the run still goes on.
  void carryOut(const Request& request, const Reply& reply);
  void attach(EventLoop* loop, DeploymentController* controller);
  void detach();

  std::mutex m_mutex;
  EventLoop* m_loop = nullptr;
  DeploymentController* m_controller = nullptr;
  std::vector<std::pair<Request, Reply>> m_pending;
  bool m_ended = false;
};

/// Runs `deployment` on `loop` until it is finished (deleted, or the
/// watch limit passed) or, on a virtual loop, until nothing is left to
/// happen, on the calling thread (which becomes the engine thread), and
/// returns what was recorded. `observer` hears each entry as it is recorded
/// (engine thread); the returned record has no observer left.
core::RolloutRecord runDeployment(const core::Deployment& deployment, Runtime& runtime, EventLoop& loop,
                                  const DeploymentRunOptions& options = {}, core::RolloutObserver observer = {},
                                  DeploymentControl* control = nullptr);

}  // namespace podscope::engine
