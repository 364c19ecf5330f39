#include "engine/deployment_controller.h"

#include <algorithm>
#include <charconv>
#include <limits>
#include <random>
#include <set>
#include <sstream>
#include <unordered_map>

#include "core/pod_template_yaml.h"
#include "engine/rollout_math.h"

namespace podscope::engine {

namespace {

using core::ConditionStatus;

constexpr std::int32_t kUnlimited = std::numeric_limits<std::int32_t>::max();
constexpr Duration kSecond = std::chrono::seconds(1);
/// deployment_util.go: the revision-history annotation is kept this short.
constexpr std::size_t kMaxRevisionHistoryChars = 2000;

// Condition types and reasons (deployment_util.go).
constexpr const char* kProgressing = "Progressing";
constexpr const char* kAvailable = "Available";
constexpr const char* kNewReplicaSetCreated = "NewReplicaSetCreated";
constexpr const char* kFoundNewReplicaSet = "FoundNewReplicaSet";
constexpr const char* kReplicaSetUpdated = "ReplicaSetUpdated";
constexpr const char* kNewReplicaSetAvailable = "NewReplicaSetAvailable";
constexpr const char* kProgressDeadlineExceeded = "ProgressDeadlineExceeded";
constexpr const char* kDeploymentPaused = "DeploymentPaused";
constexpr const char* kDeploymentResumed = "DeploymentResumed";
constexpr const char* kMinimumReplicasAvailable = "MinimumReplicasAvailable";
constexpr const char* kMinimumReplicasUnavailable = "MinimumReplicasUnavailable";

std::optional<std::int64_t> parseInt(std::string_view text) {
  std::int64_t v = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return v;
}

std::optional<std::int32_t> intAnnotation(const std::map<std::string, std::string>& annotations,
                                          std::string_view key) {
  auto it = annotations.find(std::string(key));
  if (it == annotations.end()) return std::nullopt;
  std::optional<std::int64_t> v = parseInt(it->second);
  if (!v) return std::nullopt;
  return static_cast<std::int32_t>(*v);
}

/// The annotations the controller owns, never copied between a deployment
/// and its ReplicaSets (annotationsToSkip).
bool skippedAnnotation(const std::string& key) {
  return key == core::kLastAppliedAnnotation || key == core::kRevisionAnnotation ||
         key == core::kRevisionHistoryAnnotation || key == core::kDesiredReplicasAnnotation ||
         key == core::kMaxReplicasAnnotation || key == "deprecated.deployment.rollback.to";
}

std::string quoted(const std::string& s) { return "\"" + s + "\""; }

bool hasDeadline(const core::DeploymentSpec& spec) { return spec.progressDeadlineSeconds != kUnlimited; }

ReplicaSetSize sizeOf(const ReplicaSetState& rs) {
  return {rs.replicas, rs.available, intAnnotation(rs.annotations, core::kMaxReplicasAnnotation),
          intAnnotation(rs.annotations, core::kDesiredReplicasAnnotation)};
}

/// One sync, worked out on a copy of what was observed, the way the
/// controller's code mutates its in-memory objects as it goes.
class Sync {
 public:
  Sync(const DeploymentObserved& in, TimePoint now)
      : m_in(in),
        m_spec(in.deployment.spec),
        m_now(now),
        m_rss(in.replicaSets),
        m_status(in.status),
        m_progressing(in.progressing),
        m_available(in.available) {
    m_plan.collisionCount = in.collisionCount;
    m_plan.revision = in.revision;
  }

  SyncPlan run() {
    checkPausedConditions();
    std::optional<std::size_t> newIndex = syncExistingNewReplicaSet();
    std::vector<ReplicaSetSize> sizes;
    for (const ReplicaSetState& rs : m_rss) sizes.push_back(sizeOf(rs));
    if (m_spec.paused || isScalingEvent(m_spec, sizes)) {
      syncScale(newIndex);
    } else {
      switch (m_spec.strategy.type) {
        case core::DeploymentStrategy::Type::RollingUpdate: rolloutRolling(newIndex); break;
        case core::DeploymentStrategy::Type::Recreate: rolloutRecreate(newIndex); break;
      }
    }
    m_plan.progressing = m_progressing;
    m_plan.available = m_available;
    if (!m_plan.retry) m_plan.status = m_status;
    return std::move(m_plan);
  }

 private:
  // ---- ReplicaSets --------------------------------------------------------

  std::optional<std::size_t> findNew() const {
    for (std::size_t i = 0; i < m_rss.size(); ++i) {
      if (core::equalIgnoreHash(m_rss[i].podTemplate, m_spec.podTemplate)) return i;
    }
    return std::nullopt;
  }

  std::int64_t maxRevision(std::optional<std::size_t> except) const {
    std::int64_t max = 0;
    for (std::size_t i = 0; i < m_rss.size(); ++i) {
      if (i != except) max = std::max(max, m_rss[i].revision());
    }
    return max;
  }

  void record(ReplicaSetChange::Kind kind, const ReplicaSetState& rs, std::int32_t previous) {
    m_plan.changes.push_back({kind, rs, previous});
  }

  // copyDeploymentAnnotationsToReplicaSet + SetNewReplicaSetAnnotations.
  bool setNewReplicaSetAnnotations(ReplicaSetState& rs, std::int64_t newRevision, bool exists) {
    bool changed = false;
    for (const auto& [key, value] : m_in.deployment.metadata.annotations) {
      if (skippedAnnotation(key)) continue;
      auto it = rs.annotations.find(key);
      if (it != rs.annotations.end() && it->second == value) continue;
      rs.annotations[key] = value;
      changed = true;
    }
    const std::string revisionKey(core::kRevisionAnnotation);
    auto old = rs.annotations.find(revisionKey);
    const bool hadRevision = old != rs.annotations.end();
    const std::string oldRevision = hadRevision ? old->second : "";
    std::optional<std::int64_t> oldNumber = hadRevision ? parseInt(oldRevision) : std::optional<std::int64_t>(0);
    if (!oldNumber) return changed;  // a revision that is not a number is left alone
    if (*oldNumber < newRevision) {
      rs.annotations[revisionKey] = std::to_string(newRevision);
      changed = true;
      if (hadRevision) {
        // Made current again (a rollback): the old number is history.
        std::string& history = rs.annotations[std::string(core::kRevisionHistoryAnnotation)];
        if (history.empty()) {
          history = oldRevision;
        } else {
          std::vector<std::string> numbers;
          std::stringstream in(history);
          for (std::string n; std::getline(in, n, ',');) numbers.push_back(n);
          std::size_t total = history.size() + oldRevision.size() + 1;
          std::size_t start = 0;
          while (total > kMaxRevisionHistoryChars && start < numbers.size()) total -= numbers[start++].size() + 1;
          if (total <= kMaxRevisionHistoryChars) {
            std::string joined;
            for (std::size_t i = start; i < numbers.size(); ++i) joined += numbers[i] + ",";
            history = joined + oldRevision;
          }
        }
      }
    }
    if (!exists) changed = setReplicasAnnotations(rs) || changed;
    return changed;
  }

  bool setReplicasAnnotations(ReplicaSetState& rs) const {
    const std::string desired = std::to_string(m_spec.replicas);
    const std::string max = std::to_string(m_spec.replicas + maxSurge(m_spec));
    std::string& d = rs.annotations[std::string(core::kDesiredReplicasAnnotation)];
    std::string& m = rs.annotations[std::string(core::kMaxReplicasAnnotation)];
    if (d == desired && m == max) return false;
    d = desired;
    m = max;
    return true;
  }

  // The existing part of getNewReplicaSet: the ReplicaSet whose template
  // is the deployment's takes its annotations and, when it was an old one
  // (a rollback, or a template applied again), the next revision.
  std::optional<std::size_t> syncExistingNewReplicaSet() {
    std::optional<std::size_t> i = findNew();
    if (!i) return std::nullopt;
    ReplicaSetState& rs = m_rss[*i];
    const std::int32_t before = rs.replicas;
    bool changed = setNewReplicaSetAnnotations(rs, maxRevision(i) + 1, /*exists=*/true);
    if (rs.minReadySeconds != m_spec.minReadySeconds) {
      rs.minReadySeconds = m_spec.minReadySeconds;
      changed = true;
    }
    if (changed) record(ReplicaSetChange::Kind::Update, rs, before);
    m_plan.revision = rs.revision();
    if (hasDeadline(m_spec) && !m_progressing) {
      setProgressing(ConditionStatus::True, kFoundNewReplicaSet, "Found new replica set " + quoted(rs.name));
    }
    return i;
  }

  // The creating part of getNewReplicaSet. nullopt after a hash collision.
  std::optional<std::size_t> createNewReplicaSet() {
    const std::string hash = core::podTemplateHash(m_spec.podTemplate, m_plan.collisionCount);
    const std::string name = m_in.deployment.metadata.name + "-" + hash;
    if (std::any_of(m_rss.begin(), m_rss.end(), [&](const ReplicaSetState& rs) { return rs.name == name; })) {
      // Another template has this name (findNew would have found this
      // one): count the collision and try again with a new hash.
      m_plan.collisionCount = m_plan.collisionCount.value_or(0) + 1;
      m_plan.retry = true;
      return std::nullopt;
    }
    ReplicaSetState rs;
    rs.name = name;
    rs.hash = hash;
    rs.podTemplate = m_spec.podTemplate;
    rs.podTemplate.metadata.labels[std::string(core::kPodTemplateHashLabel)] = hash;
    rs.minReadySeconds = m_spec.minReadySeconds;
    rs.created = m_now;
    rs.order = m_rss.empty() ? 0 : m_rss.back().order + 1;
    std::int32_t all = 0;
    for (const ReplicaSetState& old : m_rss) all += old.replicas;
    rs.replicas = newReplicaSetReplicas(m_spec, all, 0);
    const std::int64_t revision = maxRevision(std::nullopt) + 1;
    setNewReplicaSetAnnotations(rs, revision, /*exists=*/false);
    m_rss.push_back(rs);
    record(ReplicaSetChange::Kind::Create, rs, 0);
    m_plan.revision = revision;
    if (hasDeadline(m_spec)) {
      setProgressing(ConditionStatus::True, kNewReplicaSetCreated, "Created new replica set " + quoted(name));
    }
    return m_rss.size() - 1;
  }

  /// scaleReplicaSetAndRecordEvent: nothing when the size is right.
  bool scaleTo(std::size_t i, std::int32_t to) {
    if (m_rss[i].replicas == to) return false;
    scaleWithAnnotations(i, to);
    return true;
  }

  /// scaleReplicaSet: the size and the replicas annotations, when either differs.
  void scaleWithAnnotations(std::size_t i, std::int32_t to) {
    ReplicaSetState& rs = m_rss[i];
    const std::int32_t before = rs.replicas;
    const bool annotations = setReplicasAnnotations(rs);
    if (before == to && !annotations) return;
    rs.replicas = to;
    record(ReplicaSetChange::Kind::Update, rs, before);
  }

  std::vector<std::size_t> oldIndices(std::optional<std::size_t> newIndex, bool activeOnly) const {
    std::vector<std::size_t> out;
    for (std::size_t i = 0; i < m_rss.size(); ++i) {
      if (i != newIndex && (!activeOnly || m_rss[i].replicas > 0)) out.push_back(i);
    }
    return out;
  }

  // cleanupDeployment: the oldest old ReplicaSets with no pods go, until
  // revisionHistoryLimit are left.
  void cleanup(std::optional<std::size_t> newIndex) {
    if (m_spec.revisionHistoryLimit == kUnlimited) return;
    std::vector<std::size_t> old = oldIndices(newIndex, false);
    const std::int64_t excess = static_cast<std::int64_t>(old.size()) - m_spec.revisionHistoryLimit;
    if (excess <= 0) return;
    std::stable_sort(old.begin(), old.end(), [&](std::size_t a, std::size_t b) {
      const std::int64_t ra = m_rss[a].revision();
      const std::int64_t rb = m_rss[b].revision();
      return ra != rb ? ra < rb : m_rss[a].order < m_rss[b].order;
    });
    std::vector<std::size_t> gone;
    for (std::int64_t k = 0; k < excess; ++k) {
      const ReplicaSetState& rs = m_rss[old[static_cast<std::size_t>(k)]];
      if (rs.current != 0 || rs.replicas != 0) continue;
      record(ReplicaSetChange::Kind::Delete, rs, rs.replicas);
      gone.push_back(old[static_cast<std::size_t>(k)]);
    }
    std::sort(gone.rbegin(), gone.rend());
    for (std::size_t i : gone) m_rss.erase(m_rss.begin() + static_cast<std::ptrdiff_t>(i));
  }

  // ---- Strategies -----------------------------------------------------------

  // sync.go sync: paused, or replicas changed.
  void syncScale(std::optional<std::size_t> newIndex) {
    std::vector<ReplicaSetSize> sizes;
    for (const ReplicaSetState& rs : m_rss) sizes.push_back(sizeOf(rs));
    for (const ScaleStep& step : proportionalScale(m_spec, sizes, newIndex)) scaleWithAnnotations(step.index, step.to);
    if (m_spec.paused) cleanup(newIndex);
    m_status = calculateStatus(findNew());
  }

  void rolloutRolling(std::optional<std::size_t> newIndex) {
    if (!newIndex) newIndex = createNewReplicaSet();
    if (!newIndex) return;
    const std::size_t n = *newIndex;
    // Scale up, if it can.
    bool scaledUp = false;
    if (m_rss[n].replicas > m_spec.replicas) {
      scaledUp = scaleTo(n, m_spec.replicas);
    } else if (m_rss[n].replicas < m_spec.replicas) {
      std::int32_t all = 0;
      for (const ReplicaSetState& rs : m_rss) all += rs.replicas;
      scaledUp = scaleTo(n, newReplicaSetReplicas(m_spec, all, m_rss[n].replicas));
    }
    if (scaledUp) return syncRolloutStatus(newIndex);
    // Scale down, if it can.
    std::vector<std::size_t> old = oldIndices(newIndex, true);
    std::vector<ReplicaSetSize> sizes;
    for (std::size_t i : old) sizes.push_back(sizeOf(m_rss[i]));
    std::vector<ScaleStep> steps = reconcileOldReplicaSets(m_spec, sizes, sizeOf(m_rss[n]));
    for (const ScaleStep& step : steps) scaleTo(old[step.index], step.to);
    if (!steps.empty()) return syncRolloutStatus(newIndex);
    if (complete(m_in.status)) cleanup(newIndex);
    syncRolloutStatus(findNew());
  }

  void rolloutRecreate(std::optional<std::size_t> newIndex) {
    bool scaledDown = false;
    for (std::size_t i : oldIndices(newIndex, true)) scaledDown = scaleTo(i, 0) || scaledDown;
    if (scaledDown) return syncRolloutStatus(newIndex);
    // No new pod while an old one still runs, Terminating ones included.
    for (std::size_t i : oldIndices(newIndex, false)) {
      if (m_rss[i].current > 0 || m_rss[i].existing > 0) return syncRolloutStatus(newIndex);
    }
    if (!newIndex) newIndex = createNewReplicaSet();
    if (!newIndex) return;
    scaleTo(*newIndex, m_spec.replicas);
    if (complete(m_in.status)) cleanup(newIndex);
    syncRolloutStatus(findNew());
  }

  // ---- Status and conditions -------------------------------------------------

  core::DeploymentStatus calculateStatus(std::optional<std::size_t> newIndex) {
    core::DeploymentStatus s;
    s.generation = m_in.generation;
    s.observedGeneration = m_in.generation;
    s.desiredReplicas = m_spec.replicas;
    std::int32_t total = 0;
    for (const ReplicaSetState& rs : m_rss) {
      s.replicas += rs.current;
      s.readyReplicas += rs.ready;
      s.availableReplicas += rs.available;
      total += rs.replicas;
    }
    if (newIndex) s.updatedReplicas = m_rss[*newIndex].current;
    s.unavailableReplicas = std::max(0, total - s.availableReplicas);
    if (s.availableReplicas >= m_spec.replicas - maxUnavailable(m_spec)) {
      setCondition(m_available, ConditionStatus::True, kMinimumReplicasAvailable, "Deployment has minimum availability.");
    } else {
      setCondition(m_available, ConditionStatus::False, kMinimumReplicasUnavailable,
                   "Deployment does not have minimum availability.");
    }
    return s;
  }

  // DeploymentComplete.
  bool complete(const core::DeploymentStatus& s) const {
    return s.updatedReplicas == m_spec.replicas && s.replicas == m_spec.replicas &&
           s.availableReplicas == m_spec.replicas && s.observedGeneration >= m_in.generation;
  }

  // DeploymentProgressing: more updated, ready or available pods, or fewer old ones.
  static bool progressing(const core::DeploymentStatus& before, const core::DeploymentStatus& after) {
    return after.updatedReplicas > before.updatedReplicas ||
           after.replicas - after.updatedReplicas < before.replicas - before.updatedReplicas ||
           after.readyReplicas > before.readyReplicas || after.availableReplicas > before.availableReplicas;
  }

  // DeploymentTimedOut: no progress for progressDeadlineSeconds.
  bool timedOut() const {
    if (!hasDeadline(m_spec) || !m_progressing) return false;
    if (m_progressing->reason == kNewReplicaSetAvailable) return false;
    if (m_progressing->reason == kProgressDeadlineExceeded) return true;
    return m_progressing->lastUpdate + std::chrono::seconds(m_spec.progressDeadlineSeconds) < m_now;
  }

  // SetDeploymentCondition: same status and reason change nothing.
  void setCondition(std::optional<ConditionState>& slot, ConditionStatus status, const std::string& reason,
                    const std::string& message) {
    if (slot && slot->status == status && slot->reason == reason) return;
    ConditionState c{status, reason, message, m_now, m_now};
    if (slot && slot->status == status) c.lastTransition = slot->lastTransition;
    slot = c;
    m_plan.conditionSteps.emplace_back(&slot == &m_available ? kAvailable : kProgressing, c);
  }
  void setProgressing(ConditionStatus status, const std::string& reason, const std::string& message) {
    setCondition(m_progressing, status, reason, message);
  }

  // progress.go checkPausedConditions.
  void checkPausedConditions() {
    if (!hasDeadline(m_spec)) return;
    if (m_progressing && m_progressing->reason == kProgressDeadlineExceeded) return;
    const bool pausedCondition = m_progressing && m_progressing->reason == kDeploymentPaused;
    if (m_spec.paused && !pausedCondition) {
      setProgressing(ConditionStatus::Unknown, kDeploymentPaused, "Deployment is paused");
    } else if (!m_spec.paused && pausedCondition) {
      setProgressing(ConditionStatus::Unknown, kDeploymentResumed, "Deployment is resumed");
    }
  }

  // progress.go syncRolloutStatus.
  void syncRolloutStatus(std::optional<std::size_t> newIndex) {
    const core::DeploymentStatus before = m_status;
    core::DeploymentStatus next = calculateStatus(newIndex);
    if (!hasDeadline(m_spec)) m_progressing.reset();
    const bool alreadyComplete =
        next.replicas == next.updatedReplicas && m_progressing && m_progressing->reason == kNewReplicaSetAvailable;
    const std::string subject = newIndex ? "ReplicaSet " + quoted(m_rss[*newIndex].name)
                                         : "Deployment " + quoted(m_in.deployment.metadata.name);
    if (hasDeadline(m_spec) && !alreadyComplete) {
      if (complete(next)) {
        setProgressing(ConditionStatus::True, kNewReplicaSetAvailable, subject + " has successfully progressed.");
      } else if (progressing(before, next)) {
        // Progress refreshes lastUpdateTime even with the same reason.
        ConditionState c{ConditionStatus::True, kReplicaSetUpdated, subject + " is progressing.", m_now, m_now};
        if (m_progressing && m_progressing->status == ConditionStatus::True) {
          c.lastTransition = m_progressing->lastTransition;
        }
        m_progressing = c;
        m_plan.conditionSteps.emplace_back(kProgressing, c);
      } else if (timedOut()) {
        setProgressing(ConditionStatus::False, kProgressDeadlineExceeded, subject + " has timed out progressing.");
      }
    }
    m_status = next;
    // requeueStuckDeployment: look again when the deadline would pass.
    if (hasDeadline(m_spec) && m_progressing && !complete(next) &&
        m_progressing->reason != kProgressDeadlineExceeded) {
      Duration after = m_progressing->lastUpdate + std::chrono::seconds(m_spec.progressDeadlineSeconds) - m_now;
      m_plan.recheckAfter = std::max(after, Duration{0}) + kSecond;
    }
  }

  const DeploymentObserved& m_in;
  const core::DeploymentSpec& m_spec;
  TimePoint m_now;
  std::vector<ReplicaSetState> m_rss;
  core::DeploymentStatus m_status;
  std::optional<ConditionState> m_progressing;
  std::optional<ConditionState> m_available;
  SyncPlan m_plan;
};

bool sameSelector(const core::LabelSelector& a, const core::LabelSelector& b) {
  if (a.matchLabels != b.matchLabels || a.matchExpressions.size() != b.matchExpressions.size()) return false;
  for (std::size_t i = 0; i < a.matchExpressions.size(); ++i) {
    const auto& x = a.matchExpressions[i];
    const auto& y = b.matchExpressions[i];
    if (x.key != y.key || x.op != y.op || x.values != y.values) return false;
  }
  return true;
}

bool sameSpec(const core::DeploymentSpec& a, const core::DeploymentSpec& b) {
  return a.replicas == b.replicas && sameSelector(a.selector, b.selector) &&
         core::equalIgnoreHash(a.podTemplate, b.podTemplate) && a.strategy.type == b.strategy.type &&
         a.strategy.maxSurge == b.strategy.maxSurge && a.strategy.maxUnavailable == b.strategy.maxUnavailable &&
         a.minReadySeconds == b.minReadySeconds && a.revisionHistoryLimit == b.revisionHistoryLimit &&
         a.progressDeadlineSeconds == b.progressDeadlineSeconds && a.paused == b.paused;
}

// Go's %#v of a v1.LabelSelector, as the API server shows it in "field is immutable".
std::string goSelector(const core::LabelSelector& s) {
  std::string out = "v1.LabelSelector{MatchLabels:map[string]string{";
  bool first = true;
  for (const auto& [k, v] : s.matchLabels) {
    out += (first ? "" : ", ") + quoted(k) + ":" + quoted(v);
    first = false;
  }
  out += "}, MatchExpressions:";
  if (s.matchExpressions.empty()) return out + "[]v1.LabelSelectorRequirement(nil)}";
  out += "[]v1.LabelSelectorRequirement{";
  for (std::size_t i = 0; i < s.matchExpressions.size(); ++i) {
    const auto& r = s.matchExpressions[i];
    out += (i ? ", " : "") + std::string("v1.LabelSelectorRequirement{Key:") + quoted(r.key) +
           ", Operator:" + quoted(r.op) + ", Values:[]string{";
    for (std::size_t j = 0; j < r.values.size(); ++j) out += (j ? ", " : "") + quoted(r.values[j]);
    out += "}}";
  }
  return out + "}}";
}

}  // namespace

std::int64_t ReplicaSetState::revision() const {
  auto it = annotations.find(std::string(core::kRevisionAnnotation));
  if (it == annotations.end()) return 0;
  return parseInt(it->second).value_or(0);
}

SyncPlan decideSync(const DeploymentObserved& observed, TimePoint now) { return Sync(observed, now).run(); }

std::vector<std::string> podsToDelete(std::vector<PodRank> pods, std::int32_t count) {
  std::stable_sort(pods.begin(), pods.end(), [](const PodRank& a, const PodRank& b) {
    if (a.ready != b.ready) return !a.ready;
    if (a.ready && a.readySince != b.readySince) return a.readySince > b.readySince;
    return a.order > b.order;
  });
  std::vector<std::string> out;
  for (std::size_t i = 0; i < pods.size() && static_cast<std::int32_t>(i) < count; ++i) out.push_back(pods[i].name);
  return out;
}

// ---- Sharing one runtime between pods -----------------------------------------------

namespace {

class PodRuntime;

/// Which pod each container belongs to, so the shared runtime's exits and
/// notes reach the pod worker that started it.
struct ContainerRouter {
  std::unordered_map<ContainerId, std::uint64_t> owner;
  std::unordered_map<std::uint64_t, PodRuntime*> live;
};

/// The shared Runtime as one pod sees it: calls go straight through, and
/// the exits, notes and health changes meant for this pod come back through
/// its own handlers (a Runtime has one handler of each; every PodWorker
/// sets its own).
class PodRuntime final : public Runtime {
 public:
  PodRuntime(Runtime& shared, std::shared_ptr<ContainerRouter> router, std::uint64_t serial)
      : m_shared(shared), m_router(std::move(router)), m_serial(serial) {
    m_router->live[m_serial] = this;
  }
  ~PodRuntime() override {
    m_router->live.erase(m_serial);
    for (const ContainerId& id : m_containers) m_router->owner.erase(id);
  }

  void deliverExit(const ContainerId& id, const ContainerExit& exit) { notifyExit(id, exit); }
  void deliverNote(const ContainerId& id, const std::string& note) { notifyNote(id, note); }
  void deliverHealth(const RuntimeHealth& health) { notifyHealth(health); }

  std::string name() const override { return m_shared.name(); }
  void prepareImages(const std::vector<std::string>& images) override { m_shared.prepareImages(images); }
  void inspectImage(const std::string& image, Callback<ImageInfo> done) override {
    m_shared.inspectImage(image, std::move(done));
  }
  void pullImage(const std::string& image, Callback<ImageInfo> done) override {
    m_shared.pullImage(image, std::move(done));
  }
  void createSandbox(const SandboxConfig& config, Callback<SandboxId> done) override {
    m_shared.createSandbox(config, std::move(done));
  }
  void removeSandbox(const SandboxId& sandbox, StatusCallback done) override {
    m_shared.removeSandbox(sandbox, std::move(done));
  }
  void createContainer(const SandboxId& sandbox, const ContainerConfig& config, Callback<ContainerId> done) override {
    std::weak_ptr<ContainerRouter> router = m_router;
    m_shared.createContainer(sandbox, config,
                             [router, serial = m_serial, done = std::move(done)](core::Result<ContainerId> id) {
                               if (auto r = router.lock(); r && id) {
                                 auto it = r->live.find(serial);
                                 if (it != r->live.end()) {
                                   r->owner[*id] = serial;
                                   it->second->m_containers.push_back(*id);
                                 }
                               }
                               done(std::move(id));
                             });
  }
  void startContainer(const ContainerId& container, StatusCallback done) override {
    m_shared.startContainer(container, std::move(done));
  }
  void killContainer(const ContainerId& container, int signal, StatusCallback done) override {
    m_shared.killContainer(container, signal, std::move(done));
  }
  void removeContainer(const ContainerId& container, StatusCallback done) override {
    m_shared.removeContainer(container, std::move(done));
  }
  std::string podIP(const SandboxId& sandbox) const override { return m_shared.podIP(sandbox); }
  void exec(const ContainerId& container, const ExecRequest& request, Callback<ExecResult> done) override {
    m_shared.exec(container, request, std::move(done));
  }
  void httpGet(const SandboxId& sandbox, const HttpRequest& request, Callback<HttpResponse> done) override {
    m_shared.httpGet(sandbox, request, std::move(done));
  }
  void tcpConnect(const SandboxId& sandbox, const TcpRequest& request, StatusCallback done) override {
    m_shared.tcpConnect(sandbox, request, std::move(done));
  }
  void grpcHealthCheck(const SandboxId& sandbox, const GrpcRequest& request, Callback<GrpcResponse> done) override {
    m_shared.grpcHealthCheck(sandbox, request, std::move(done));
  }

 private:
  Runtime& m_shared;
  std::shared_ptr<ContainerRouter> m_router;
  std::uint64_t m_serial;
  std::vector<ContainerId> m_containers;
};

}  // namespace

// ---- The controller ---------------------------------------------------------------------

class DeploymentController::Impl {
  struct Pod {
    std::string name;
    std::string replicaSet;
    std::uint64_t replicaSetOrder = 0;  ///< its ReplicaSet's order: cheaper to compare than names
    std::uint64_t order = 0;
    bool ready = false;
    TimePoint readySince{0};
    bool deleting = false;
    bool finished = false;
    std::unique_ptr<PodRuntime> runtime;
    std::unique_ptr<PodWorker> worker;
  };
  /// A finished pod's worker and runtime, kept until the worker's own
  /// callback has returned; the worker goes first (members are destroyed
  /// in reverse order).
  struct Remains {
    std::unique_ptr<PodRuntime> runtime;
    std::unique_ptr<PodWorker> worker;
  };

  /// `f`, as a task that does nothing once the controller is gone.
  template <typename F>
  auto guard(F f) {
    return [alive = std::weak_ptr<bool>(m_alive), f = std::move(f)](auto&&... args) {
      if (auto a = alive.lock(); a && *a) f(std::forward<decltype(args)>(args)...);
    };
  }

 public:
  Impl(Runtime& runtime, EventLoop& loop, core::RolloutRecord& record, DeploymentRunOptions options)
      : m_runtime(runtime),
        m_loop(loop),
        m_record(record),
        m_options(std::move(options)),
        m_router(std::make_shared<ContainerRouter>()),
        m_random(m_options.seed.value_or(std::random_device{}())) {}

  ~Impl() {
    *m_alive = false;
    cancelTimers();
    m_runtime.setExitHandler({});
    m_runtime.setNoteHandler({});
    m_runtime.setHealthHandler({});
    // Pod workers go before the runtimes they call.
    for (auto& [name, pod] : m_pods) pod.worker.reset();
  }

  std::function<void()> onFinished;

  void start(core::Deployment deployment) {
    m_deployment = std::move(deployment);
    m_started = m_loop.now();
    m_record.deploymentName = m_deployment.metadata.name;
    m_record.deploymentNamespace = m_deployment.metadata.namespaceName;
    m_record.runtimeName = m_runtime.name();
    std::weak_ptr<ContainerRouter> router = m_router;
    m_runtime.setExitHandler([router](const ContainerId& id, const ContainerExit& exit) {
      if (PodRuntime* pod = owner(router, id)) pod->deliverExit(id, exit);
    });
    m_runtime.setNoteHandler([router](const ContainerId& id, const std::string& note) {
      if (PodRuntime* pod = owner(router, id)) pod->deliverNote(id, note);
    });
    m_runtime.setHealthHandler([router](const RuntimeHealth& health) {
      auto r = router.lock();
      if (!r) return;
      std::vector<PodRuntime*> pods;
      for (auto& [serial, pod] : r->live) pods.push_back(pod);
      for (PodRuntime* pod : pods) pod->deliverHealth(health);
    });
    if (m_options.runFor.count() > 0) {
      m_endAt = m_started + m_options.runFor;
      m_endTimer = m_loop.postAfter(m_options.runFor, guard([this] {
        m_endTimer.reset();
        endRun();
      }));
    }
    queueSync();
  }

  core::Result<std::string> apply(core::Deployment d) {
    if (auto refused = refuseChange()) return *refused;
    const std::string& name = m_deployment.metadata.name;
    if (d.metadata.name != name) {
      return core::Error{"the running deployment is " + quoted(name) + ", not " + quoted(d.metadata.name)};
    }
    if (!sameSelector(d.spec.selector, m_deployment.spec.selector)) {
      return core::Error{"The Deployment " + quoted(name) + " is invalid: spec.selector: Invalid value: " +
                         goSelector(d.spec.selector) + ": field is immutable"};
    }
    const bool specChanged = !sameSpec(d.spec, m_deployment.spec);
    const bool metaChanged =
        d.metadata.annotations != m_deployment.metadata.annotations || d.metadata.labels != m_deployment.metadata.labels;
    if (!specChanged && !metaChanged) return "deployment.apps/" + name + " unchanged";
    d.metadata.namespaceName = m_deployment.metadata.namespaceName;
    m_deployment = std::move(d);
    changed(specChanged);
    return "deployment.apps/" + name + " configured";
  }

  core::Result<std::string> scale(std::int32_t replicas) {
    if (auto refused = refuseChange()) return *refused;
    const std::string& name = m_deployment.metadata.name;
    if (replicas < 0) {
      return core::Error{"The Deployment " + quoted(name) + " is invalid: spec.replicas: Invalid value: " +
                         std::to_string(replicas) + ": must be greater than or equal to 0"};
    }
    if (replicas != m_deployment.spec.replicas) {
      m_deployment.spec.replicas = replicas;
      changed(true);
    }
    return "deployment.apps/" + name + " scaled";
  }

  // kubectl's DeploymentRollbacker: the revision is looked up first, then
  // the paused check, then whether anything would change.
  core::Result<std::string> undo(std::int64_t toRevision) {
    if (auto refused = refuseChange()) return *refused;
    const std::string& name = m_deployment.metadata.name;
    auto notFound = [&] {
      return core::Error{"unable to find specified revision " + std::to_string(toRevision) + " in history"};
    };
    if (toRevision < 0) return notFound();
    const ReplicaSetState* target = nullptr;
    const ReplicaSetState* latest = nullptr;
    std::int64_t latestRevision = -1;
    std::int64_t previousRevision = -1;
    for (const ReplicaSetState& rs : m_rss) {
      const std::int64_t v = rs.revision();
      if (toRevision == 0) {
        if (latestRevision < v) {
          previousRevision = latestRevision;
          target = latest;
          latestRevision = v;
          latest = &rs;
        } else if (previousRevision < v) {
          previousRevision = v;
          target = &rs;
        }
      } else if (toRevision == v) {
        target = &rs;
        break;
      }
    }
    if (!target && toRevision > 0) return notFound();
    if (!target) return core::Error{"no rollout history found for deployment " + quoted(name)};
    if (m_deployment.spec.paused) {
      return core::Error{"you cannot rollback a paused deployment; resume it first with 'kubectl rollout resume "
                         "deployment/" + name + "' and try again"};
    }
    if (core::equalIgnoreHash(target->podTemplate, m_deployment.spec.podTemplate)) {
      return "deployment.apps/" + name + " skipped rollback (current template already matches revision " +
             std::to_string(toRevision) + ")";
    }
    core::PodTemplateSpec podTemplate = target->podTemplate;
    podTemplate.metadata.labels.erase(std::string(core::kPodTemplateHashLabel));
    std::map<std::string, std::string> annotations;
    for (const auto& [key, value] : m_deployment.metadata.annotations) {
      if (skippedAnnotation(key)) annotations[key] = value;
    }
    for (const auto& [key, value] : target->annotations) {
      if (!skippedAnnotation(key)) annotations[key] = value;
    }
    m_deployment.spec.podTemplate = std::move(podTemplate);
    m_deployment.metadata.annotations = std::move(annotations);
    changed(true);
    return "deployment.apps/" + name + " rolled back";
  }

  core::Result<std::string> restart(const std::string& now) {
    if (auto refused = refuseChange()) return *refused;
    const std::string& name = m_deployment.metadata.name;
    if (m_deployment.spec.paused) {
      return core::Error{"deployments.apps " + quoted(name) + " can't restart paused deployment (run rollout resume first)"};
    }
    std::string& at = m_deployment.spec.podTemplate.metadata.annotations[std::string(core::kRestartedAtAnnotation)];
    if (at != now) {
      at = now;
      changed(true);
    }
    return "deployment.apps/" + name + " restarted";
  }

  core::Result<std::string> setPaused(bool paused) {
    if (auto refused = refuseChange()) return *refused;
    const std::string& name = m_deployment.metadata.name;
    if (m_deployment.spec.paused == paused) {
      return core::Error{"deployments.apps " + quoted(name) + (paused ? " is already paused" : " is not paused")};
    }
    m_deployment.spec.paused = paused;
    changed(true);
    return "deployment.apps/" + name + (paused ? " paused" : " resumed");
  }

  core::Result<std::string> remove(std::optional<Duration> grace) {
    const std::string& name = m_deployment.metadata.name;
    if (m_ended) return core::Error{"deployments.apps " + quoted(name) + " not found"};
    if (!m_deleting) {
      m_deleting = true;
      // The garbage collector removes the ReplicaSets, then their pods:
      // no ReplicaSet events.
      for (ReplicaSetState& rs : m_rss) recordReplicaSet(rs, sinceStart());
      m_rss.clear();
      std::vector<std::string> names;
      for (const auto& [podName, pod] : m_pods) {
        if (!pod.finished) names.push_back(podName);
      }
      for (const std::string& podName : names) {
        auto it = m_pods.find(podName);
        if (it == m_pods.end()) continue;
        it->second.deleting = true;
        it->second.worker->requestDelete(grace);
      }
      m_loop.post(guard([this] { maybeFinish(); }));
    }
    return "deployment.apps " + quoted(name) + " deleted";
  }

  const core::Deployment& deployment() const { return m_deployment; }

  core::DeploymentStatus status() const {
    core::DeploymentStatus s = m_status;
    s.generation = m_generation;
    return s;
  }

  core::RolloutStatusMessage rolloutStatus() const {
    return core::rolloutStatusMessage(m_deployment.metadata.name, status(),
                                      m_progressing && m_progressing->reason == kProgressDeadlineExceeded);
  }

  std::vector<ReplicaSetState> replicaSets() const {
    std::vector<ReplicaSetState> out = m_rss;
    countPods(out);
    return out;
  }

  bool finished() const { return m_finished; }

 private:
  static PodRuntime* owner(const std::weak_ptr<ContainerRouter>& router, const ContainerId& id) {
    auto r = router.lock();
    if (!r) return nullptr;
    auto it = r->owner.find(id);
    if (it == r->owner.end()) return nullptr;
    auto live = r->live.find(it->second);
    return live == r->live.end() ? nullptr : live->second;
  }

  core::RunTime sinceStart() const { return m_loop.now() - m_started; }
  bool pastEnd() const { return m_endAt && m_loop.now() >= *m_endAt; }

  std::optional<core::Error> refuseChange() const {
    if (m_deleting || m_ended) {
      return core::Error{"deployments.apps " + quoted(m_deployment.metadata.name) +
                         (m_ended ? " is no longer watched" : " is being deleted")};
    }
    return std::nullopt;
  }

  void changed(bool spec) {
    if (spec) ++m_generation;
    queueSync();
  }

  void queueSync() {
    if (m_syncQueued || m_deleting || m_ended) return;
    m_syncQueued = true;
    m_loop.post(guard([this] {
      m_syncQueued = false;
      sync();
    }));
  }

  void cancelTimers() {
    for (auto* timer : {&m_endTimer, &m_recheckTimer, &m_availabilityTimer}) {
      if (*timer) m_loop.cancel(**timer);
      timer->reset();
    }
  }

  // ---- Observing ----------------------------------------------------------

  bool available(const Pod& pod, std::int32_t minReadySeconds, TimePoint now) const {
    return pod.ready && pod.readySince + std::chrono::seconds(minReadySeconds) <= now;
  }

  void countPods(std::vector<ReplicaSetState>& rss) const {
    std::unordered_map<std::uint64_t, ReplicaSetState*> byOrder;
    for (ReplicaSetState& rs : rss) {
      rs.current = rs.ready = rs.available = rs.existing = 0;
      byOrder[rs.order] = &rs;
    }
    const TimePoint now = m_loop.now();
    for (const auto& [name, pod] : m_pods) {
      auto it = byOrder.find(pod.replicaSetOrder);
      if (it == byOrder.end() || pod.finished) continue;
      ReplicaSetState& rs = *it->second;
      ++rs.existing;
      if (pod.deleting) continue;
      ++rs.current;
      if (pod.ready) ++rs.ready;
      if (available(pod, rs.minReadySeconds, now)) ++rs.available;
    }
  }

  DeploymentObserved observe() const {
    DeploymentObserved in;
    in.deployment = m_deployment;
    in.generation = m_generation;
    in.replicaSets = m_rss;
    countPods(in.replicaSets);
    in.status = m_status;
    in.progressing = m_progressing;
    in.available = m_available;
    in.collisionCount = m_collisionCount;
    in.revision = m_revision;
    return in;
  }

  // ---- Syncing --------------------------------------------------------------

  void sync() {
    if (m_deleting || m_ended) return;
    if (pastEnd()) return endRun();
    const DeploymentObserved in = observe();
    SyncPlan plan = decideSync(in, m_loop.now());
    bool again = plan.retry || !plan.changes.empty();
    for (const ReplicaSetChange& change : plan.changes) perform(change);
    m_collisionCount = plan.collisionCount;
    m_revision = plan.revision;
    for (const auto& [type, condition] : plan.conditionSteps) {
      recordCondition(type == kAvailable ? m_recordedAvailable : m_recordedProgressing, type, condition);
    }
    again = plan.progressing != m_progressing || plan.available != m_available || again;
    m_progressing = plan.progressing;
    m_available = plan.available;
    if (!plan.retry) {
      again = !(plan.status == m_status) || again;
      m_status = plan.status;
    }
    // The replicaset controller's part: every ReplicaSet keeps its size.
    for (std::size_t i = 0; i < m_rss.size(); ++i) again = reconcilePods(m_rss[i]) || again;
    recordSamples();
    if (m_recheckTimer) {
      m_loop.cancel(*m_recheckTimer);
      m_recheckTimer.reset();
    }
    if (plan.recheckAfter) {
      m_recheckTimer = m_loop.postAfter(*plan.recheckAfter, guard([this] {
        m_recheckTimer.reset();
        queueSync();
      }));
    }
    scheduleAvailabilityCheck();
    if (again) queueSync();
  }

  void perform(const ReplicaSetChange& change) {
    const ReplicaSetState& next = change.replicaSet;
    auto it = std::find_if(m_rss.begin(), m_rss.end(), [&](const ReplicaSetState& rs) { return rs.name == next.name; });
    switch (change.kind) {
      case ReplicaSetChange::Kind::Create: {
        ReplicaSetState rs = next;
        rs.created = m_loop.now();
        rs.order = m_nextReplicaSetOrder++;
        m_rss.push_back(rs);
        recordReplicaSet(rs, std::nullopt);
        if (rs.replicas > 0) scalingEvent(rs.name, 0, rs.replicas);
        break;
      }
      case ReplicaSetChange::Kind::Update: {
        if (it == m_rss.end()) return;
        const bool recordChanged = it->annotations != next.annotations;
        it->replicas = next.replicas;
        it->annotations = next.annotations;
        it->minReadySeconds = next.minReadySeconds;
        if (recordChanged) recordReplicaSet(*it, std::nullopt);
        if (change.previousReplicas != next.replicas) scalingEvent(it->name, change.previousReplicas, next.replicas);
        break;
      }
      case ReplicaSetChange::Kind::Delete:
        if (it == m_rss.end()) return;
        recordReplicaSet(*it, sinceStart());
        m_rss.erase(it);
        break;
    }
  }

  void scalingEvent(const std::string& rs, std::int32_t from, std::int32_t to) {
    m_record.append(core::Event{sinceStart(), core::EventType::Normal, "ScalingReplicaSet", "",
                                core::scalingReplicaSetMessage(rs, from, to)});
  }

  void recordReplicaSet(const ReplicaSetState& rs, std::optional<core::RunTime> deleted) {
    core::ReplicaSetRecord r;
    r.name = rs.name;
    r.hash = rs.hash;
    r.revision = rs.revision();
    auto history = rs.annotations.find(std::string(core::kRevisionHistoryAnnotation));
    if (history != rs.annotations.end()) {
      std::stringstream in(history->second);
      for (std::string n; std::getline(in, n, ',');) {
        if (std::optional<std::int64_t> v = parseInt(n)) r.revisionHistory.push_back(*v);
      }
    }
    auto cause = rs.annotations.find(std::string(core::kChangeCauseAnnotation));
    if (cause != rs.annotations.end()) r.changeCause = cause->second;
    r.annotations = rs.annotations;
    r.podTemplate = rs.podTemplate;
    r.created = rs.created - m_started;
    r.deleted = deleted;
    m_record.putReplicaSet(std::move(r));
  }

  /// Records the condition unless it only refreshes the last one recorded
  /// (same status, reason and message).
  void recordCondition(std::optional<ConditionState>& recorded, const std::string& type,
                       const ConditionState& next) {
    if (recorded && recorded->status == next.status && recorded->reason == next.reason &&
        recorded->message == next.message) {
      return;
    }
    recorded = next;
    m_record.append(core::DeploymentCondition{sinceStart(), type, next.status, next.reason, next.message});
  }

  void recordSamples() {
    countPods(m_rss);
    const std::vector<ReplicaSetState>& counted = m_rss;
    const std::string newName = newReplicaSetName();
    core::DeploymentStatus s = m_status;
    s.replicas = s.updatedReplicas = s.readyReplicas = s.availableReplicas = 0;
    std::int32_t total = 0;
    for (const ReplicaSetState& rs : counted) {
      core::ReplicaSetSample sample{sinceStart(), rs.name, rs.replicas, rs.current, rs.ready, rs.available};
      auto last = m_lastSamples.find(rs.name);
      if (last == m_lastSamples.end() || !sameCounts(last->second, sample)) {
        m_lastSamples[rs.name] = sample;
        m_record.append(sample);
      }
      s.replicas += rs.current;
      s.readyReplicas += rs.ready;
      s.availableReplicas += rs.available;
      if (rs.name == newName) s.updatedReplicas = rs.current;
      total += rs.replicas;
    }
    s.unavailableReplicas = std::max(0, total - s.availableReplicas);
    s.desiredReplicas = m_deployment.spec.replicas;
    s.generation = m_generation;
    if (!m_lastLine || !(m_lastLine->status == s)) {
      m_lastLine = core::deploymentStatusLine(sinceStart(), s);
      m_record.append(*m_lastLine);
    }
  }

  static bool sameCounts(const core::ReplicaSetSample& a, const core::ReplicaSetSample& b) {
    return a.desired == b.desired && a.current == b.current && a.ready == b.ready && a.available == b.available;
  }

  std::string newReplicaSetName() const {
    for (const ReplicaSetState& rs : m_rss) {
      if (core::equalIgnoreHash(rs.podTemplate, m_deployment.spec.podTemplate)) return rs.name;
    }
    return {};
  }

  /// A sync when the next ready pod becomes available (minReadySeconds).
  void scheduleAvailabilityCheck() {
    std::optional<TimePoint> next;
    const TimePoint now = m_loop.now();
    std::unordered_map<std::uint64_t, std::int32_t> minReady;
    for (const ReplicaSetState& rs : m_rss) minReady[rs.order] = rs.minReadySeconds;
    for (const auto& [name, pod] : m_pods) {
      if (!pod.ready || pod.deleting || pod.finished) continue;
      auto it = minReady.find(pod.replicaSetOrder);
      if (it == minReady.end()) continue;
      const TimePoint at = pod.readySince + std::chrono::seconds(it->second);
      if (at > now && (!next || at < *next)) next = at;
    }
    if (next == m_availabilityAt) return;
    if (m_availabilityTimer) m_loop.cancel(*m_availabilityTimer);
    m_availabilityTimer.reset();
    m_availabilityAt = next;
    if (!next) return;
    m_availabilityTimer = m_loop.postAfter(*next - now, guard([this] {
      m_availabilityTimer.reset();
      m_availabilityAt.reset();
      queueSync();
    }));
  }

  // ---- Pods -------------------------------------------------------------------

  /// Creates or deletes pods until the ReplicaSet has spec.replicas; true
  /// when it did either.
  bool reconcilePods(const ReplicaSetState& rs) {
    auto active = [&](const Pod& pod) { return pod.replicaSetOrder == rs.order && !pod.deleting && !pod.finished; };
    std::int32_t count = 0;
    for (const auto& [name, pod] : m_pods) count += active(pod);
    const std::int32_t diff = count - rs.replicas;
    if (diff < 0) {
      if (pastEnd()) return false;
      for (std::int32_t i = 0; i < -diff; ++i) createPod(rs);
      return true;
    }
    if (diff > 0) {
      std::vector<PodRank> ranks;
      for (const auto& [name, pod] : m_pods) {
        if (active(pod)) ranks.push_back({pod.name, pod.ready, pod.readySince, pod.order});
      }
      for (const std::string& name : podsToDelete(std::move(ranks), diff)) deletePod(m_pods.at(name), rs.name);
      return true;
    }
    return false;
  }

  std::string newPodName(const std::string& rs) {
    for (;;) {
      std::string suffix;
      for (int i = 0; i < 5; ++i) suffix += core::kSafeAlphabet[m_random() % core::kSafeAlphabet.size()];
      std::string name = rs + "-" + suffix;
      if (m_usedNames.insert(name).second) return name;
    }
  }

  void createPod(const ReplicaSetState& rs) {
    const std::string name = newPodName(rs.name);
    core::Pod spec;
    spec.metadata = rs.podTemplate.metadata;
    spec.metadata.name = name;
    spec.metadata.generateName = rs.name + "-";
    spec.metadata.namespaceName = m_deployment.metadata.namespaceName;
    spec.spec = rs.podTemplate.spec;

    Pod& pod = m_pods[name];
    pod.name = name;
    pod.replicaSet = rs.name;
    pod.replicaSetOrder = rs.order;
    pod.order = m_nextPodOrder++;
    core::RolloutPod& entry = m_record.addPod(name, rs.name, sinceStart());
    // The controller hears the pod's Ready condition before any observer.
    auto userOnCondition = std::move(entry.record.onCondition);
    entry.record.onCondition = [this, name, user = std::move(userOnCondition)](const core::ConditionChange& c) {
      if (c.kind == core::SubjectKind::Pod && c.type == "Ready") podReady(name, c.status);
      if (user) user(c);
    };
    m_record.append(core::Event{sinceStart(), core::EventType::Normal, "SuccessfulCreate", "replicaset/" + rs.name,
                                "Created pod: " + name});

    RunOptions options = m_options.pod;
    options.stopAfter = Duration{0};
    options.deleteAfter = Duration{0};
    options.podUid.clear();
    options.runFor = m_endAt ? *m_endAt - m_loop.now() : Duration{0};
    pod.runtime = std::make_unique<PodRuntime>(m_runtime, m_router, m_nextPodSerial++);
    pod.worker = std::make_unique<PodWorker>(std::move(spec), *pod.runtime, m_loop, entry.record, options);
    pod.worker->onFinished = [this, name] { podFinished(name); };
    pod.worker->start();
  }

  void deletePod(Pod& pod, const std::string& rs) {
    pod.deleting = true;
    m_record.append(core::Event{sinceStart(), core::EventType::Normal, "SuccessfulDelete", "replicaset/" + rs,
                                "Deleted pod: " + pod.name});
    pod.worker->requestDelete();
  }

  void podReady(const std::string& name, bool ready) {
    auto it = m_pods.find(name);
    if (it == m_pods.end() || it->second.ready == ready) return;
    it->second.ready = ready;
    it->second.readySince = m_loop.now();
    queueSync();
  }

  void podFinished(const std::string& name) {
    auto it = m_pods.find(name);
    if (it == m_pods.end()) return;
    Pod& pod = it->second;
    pod.finished = true;
    if (!m_ended) m_record.podFinished(name, sinceStart());
    // The worker is inside its own callback: it goes once that returns.
    auto remains = std::make_shared<Remains>();
    remains->runtime = std::move(pod.runtime);
    remains->worker = std::move(pod.worker);
    m_pods.erase(it);
    m_loop.post([remains] { remains->worker.reset(); });
    if (m_deleting || m_ended) {
      maybeFinish();
    } else if (!pastEnd()) {
      queueSync();
    }
  }

  // ---- Ending -----------------------------------------------------------------------

  /// The watch limit: the record ends here; the pods end their own runs at
  /// the same moment (their runFor) and are removed unrecorded.
  void endRun() {
    if (m_ended || m_deleting) return;
    recordSamples();
    m_ended = true;
    m_record.outcome = core::RunOutcome::Stopped;
    m_record.outcomeMessage = "watched for " + core::formatAge(m_options.runFor);
    maybeFinish();
  }

  void maybeFinish() {
    if (m_finished || !(m_deleting || m_ended)) return;
    for (const auto& [name, pod] : m_pods) {
      if (!pod.finished) return;
    }
    m_finished = true;
    cancelTimers();
    if (m_deleting) {
      m_record.outcome = core::RunOutcome::Deleted;
      m_record.outcomeMessage = "deleted; its pods are gone";
    }
    if (onFinished) onFinished();
  }

  Runtime& m_runtime;
  EventLoop& m_loop;
  core::RolloutRecord& m_record;
  DeploymentRunOptions m_options;
  std::shared_ptr<ContainerRouter> m_router;
  std::mt19937_64 m_random;
  std::shared_ptr<bool> m_alive = std::make_shared<bool>(true);

  core::Deployment m_deployment;
  std::int64_t m_generation = 1;
  std::vector<ReplicaSetState> m_rss;
  core::DeploymentStatus m_status;
  std::optional<ConditionState> m_progressing;
  std::optional<ConditionState> m_available;
  std::optional<ConditionState> m_recordedProgressing;  ///< the last ones in the record
  std::optional<ConditionState> m_recordedAvailable;
  std::optional<std::int32_t> m_collisionCount;
  std::int64_t m_revision = 0;

  std::map<std::string, Pod> m_pods;
  std::set<std::string> m_usedNames;
  std::uint64_t m_nextPodOrder = 0;
  std::uint64_t m_nextPodSerial = 1;
  std::uint64_t m_nextReplicaSetOrder = 0;

  std::map<std::string, core::ReplicaSetSample> m_lastSamples;
  std::optional<core::DeploymentStatusLine> m_lastLine;

  TimePoint m_started{0};
  std::optional<TimePoint> m_endAt;
  std::optional<Executor::TimerId> m_endTimer;
  std::optional<Executor::TimerId> m_recheckTimer;
  std::optional<Executor::TimerId> m_availabilityTimer;
  std::optional<TimePoint> m_availabilityAt;
  bool m_syncQueued = false;
  bool m_deleting = false;
  bool m_ended = false;
  bool m_finished = false;
};

DeploymentController::DeploymentController(Runtime& runtime, EventLoop& loop, core::RolloutRecord& record,
                                           DeploymentRunOptions options)
    : m_impl(std::make_unique<Impl>(runtime, loop, record, std::move(options))) {}

DeploymentController::~DeploymentController() = default;

void DeploymentController::start(core::Deployment deployment) {
  m_impl->onFinished = [this] {
    if (onFinished) onFinished();
  };
  m_impl->start(std::move(deployment));
}

core::Result<std::string> DeploymentController::apply(core::Deployment deployment) {
  return m_impl->apply(std::move(deployment));
}
core::Result<std::string> DeploymentController::scale(std::int32_t replicas) { return m_impl->scale(replicas); }
core::Result<std::string> DeploymentController::undo(std::int64_t toRevision) { return m_impl->undo(toRevision); }
core::Result<std::string> DeploymentController::restart(const std::string& now) { return m_impl->restart(now); }
core::Result<std::string> DeploymentController::pause() { return m_impl->setPaused(true); }
core::Result<std::string> DeploymentController::resume() { return m_impl->setPaused(false); }
core::Result<std::string> DeploymentController::remove(std::optional<Duration> grace) { return m_impl->remove(grace); }
const core::Deployment& DeploymentController::deployment() const { return m_impl->deployment(); }
core::DeploymentStatus DeploymentController::status() const { return m_impl->status(); }
core::RolloutStatusMessage DeploymentController::rolloutStatus() const { return m_impl->rolloutStatus(); }
std::vector<ReplicaSetState> DeploymentController::replicaSets() const { return m_impl->replicaSets(); }
bool DeploymentController::finished() const { return m_impl->finished(); }

// ---- DeploymentControl -----------------------------------------------------------------

void DeploymentControl::submit(Request request, Reply reply) {
  std::unique_lock lock(m_mutex);
  if (m_ended) {
    lock.unlock();
    if (reply) reply(core::Error{"the deployment run has ended"});
    return;
  }
  if (!m_controller) {
    m_pending.emplace_back(std::move(request), std::move(reply));
    return;
  }
  m_loop->post([this, request = std::move(request), reply = std::move(reply)] { carryOut(request, reply); });
}

void DeploymentControl::carryOut(const Request& request, const Reply& reply) {
  DeploymentController* controller = nullptr;
  {
    std::lock_guard lock(m_mutex);
    controller = m_controller;
  }
  // Only the engine thread detaches, so the controller stays while this runs.
  core::Result<std::string> result =
      controller ? request(*controller) : core::Result<std::string>(core::Error{"the deployment run has ended"});
  if (reply) reply(result);
}

void DeploymentControl::attach(EventLoop* loop, DeploymentController* controller) {
  std::lock_guard lock(m_mutex);
  m_loop = loop;
  m_controller = controller;
  for (auto& [request, reply] : m_pending) {
    loop->post([this, request = std::move(request), reply = std::move(reply)] { carryOut(request, reply); });
  }
  m_pending.clear();
}

void DeploymentControl::detach() {
  std::lock_guard lock(m_mutex);
  m_loop = nullptr;
  m_controller = nullptr;
  m_ended = true;
}

void DeploymentControl::apply(core::Deployment deployment, Reply reply) {
  submit([d = std::move(deployment)](DeploymentController& c) { return c.apply(d); }, std::move(reply));
}
void DeploymentControl::scale(std::int32_t replicas, Reply reply) {
  submit([replicas](DeploymentController& c) { return c.scale(replicas); }, std::move(reply));
}
void DeploymentControl::undo(std::int64_t toRevision, Reply reply) {
  submit([toRevision](DeploymentController& c) { return c.undo(toRevision); }, std::move(reply));
}
void DeploymentControl::restart(std::string now, Reply reply) {
  submit([now = std::move(now)](DeploymentController& c) { return c.restart(now); }, std::move(reply));
}
void DeploymentControl::pause(Reply reply) {
  submit([](DeploymentController& c) { return c.pause(); }, std::move(reply));
}
void DeploymentControl::resume(Reply reply) {
  submit([](DeploymentController& c) { return c.resume(); }, std::move(reply));
}
void DeploymentControl::remove(std::optional<Duration> grace, Reply reply) {
  submit([grace](DeploymentController& c) { return c.remove(grace); }, std::move(reply));
}

core::RolloutRecord runDeployment(const core::Deployment& deployment, Runtime& runtime, EventLoop& loop,
                                  const DeploymentRunOptions& options, core::RolloutObserver observer,
                                  DeploymentControl* control) {
  core::RolloutRecord record;
  record.observe(std::move(observer));
  {
    DeploymentController controller(runtime, loop, record, options);
    controller.onFinished = [&loop] { loop.quit(); };
    loop.post([&controller, &deployment] { controller.start(deployment); });
    if (control) control->attach(&loop, &controller);
    loop.run();
    if (control) control->detach();
  }
  record.stopObserving();
  return record;
}

}  // namespace podscope::engine
