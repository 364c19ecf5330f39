#pragma once
// The arithmetic of a Deployment rollout, as pure functions over numbers:
// fenceposts (deployment_util.go ResolveFenceposts, MaxSurge,
// MaxUnavailable), how far the new ReplicaSet may grow (NewRSNewReplicas),
// how far old ones may shrink (rolling.go reconcileOldReplicaSets) and how a
// change of replicas is spread over the ReplicaSets of a rollout in progress
// (sync.go scale). The deployment controller decides with these; tests
// check them against the Kubernetes documentation's examples.
// Thread contract: stateless free functions; safe from any thread.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "core/manifest.h"
#include "core/result.h"

namespace podscope::engine {

/// intstr.GetScaledValueFromIntOrPercent: an int as is, "N%" of `total`
/// rounded up or down; anything else is an error.
core::Result<std::int32_t> scaledValue(const core::IntOrString& value, std::int32_t total, bool roundUp);

struct Fenceposts {
  std::int32_t maxSurge = 0;
  std::int32_t maxUnavailable = 0;
  friend bool operator==(const Fenceposts&, const Fenceposts&) = default;
};

/// ResolveFenceposts: maxSurge rounds up, maxUnavailable down; when both
/// come to 0, maxUnavailable becomes 1. Values that cannot be read count
/// as 0 (validation rejects them before a run).
Fenceposts resolveFenceposts(const core::IntOrString& maxSurge, const core::IntOrString& maxUnavailable,
                             std::int32_t replicas);

/// MaxSurge: the resolved surge for a RollingUpdate deployment, 0 for Recreate.
std::int32_t maxSurge(const core::DeploymentSpec& spec);
/// MaxUnavailable: the resolved value, at most spec.replicas; 0 for
/// Recreate or 0 replicas.
std::int32_t maxUnavailable(const core::DeploymentSpec& spec);

/// NewRSNewReplicas: what the new ReplicaSet should be scaled to now.
/// RollingUpdate: if all ReplicaSets together (`allReplicas`, spec.replicas
/// summed) already reach replicas + maxSurge it stays at `newReplicas`;
/// otherwise it grows by the room left, but not beyond spec.replicas.
/// Recreate: spec.replicas.
std::int32_t newReplicaSetReplicas(const core::DeploymentSpec& spec, std::int32_t allReplicas,
                                   std::int32_t newReplicas);

/// A ReplicaSet as the arithmetic sees it.
struct ReplicaSetSize {
  std::int32_t replicas = 0;   ///< spec.replicas
  std::int32_t available = 0;  ///< status.availableReplicas
  /// The deployment.kubernetes.io/max-replicas and desired-replicas
  /// annotations (what replicas + maxSurge and replicas were when it was
  /// last scaled), unset when missing.
  std::optional<std::int32_t> maxReplicas;
  std::optional<std::int32_t> desiredReplicas;
};

/// One ReplicaSet scaled: `index` into the list given, its new size.
struct ScaleStep {
  std::size_t index = 0;
  std::int32_t to = 0;
  friend bool operator==(const ScaleStep&, const ScaleStep&) = default;
};

/// rolling.go reconcileOldReplicaSets for `oldReplicaSets` (oldest first)
/// beside `newReplicaSet`: maxScaledDown = all spec.replicas − minAvailable −
/// the new ReplicaSet's unavailable pods; if positive, first the old
/// ReplicaSets' unhealthy replicas (spec − available) go, oldest first, up
/// to maxScaledDown; then, if more pods are available than minAvailable,
/// the surplus goes, oldest first. The steps come in the order the
/// controller takes them (one ReplicaSet may be scaled twice).
std::vector<ScaleStep> reconcileOldReplicaSets(const core::DeploymentSpec& spec,
                                               std::span<const ReplicaSetSize> oldReplicaSets,
                                               const ReplicaSetSize& newReplicaSet);

/// sync.go scale for a change of spec.replicas while several ReplicaSets
/// are active (`replicaSets` oldest first, `newIndex` the new one if any):
/// a single active (or, with none active, the newest) ReplicaSet takes
/// spec.replicas; a saturated new ReplicaSet takes it all and the old ones
/// go to 0; otherwise, for RollingUpdate, replicas + maxSurge minus what
/// they have is spread in proportion to each one's size against its
/// max-replicas annotation (GetReplicaSetProportion), largest first (ties:
/// newer first when growing, older first when shrinking), the rounding
/// leftover going to the first. Returns the ReplicaSets whose size or
/// annotations need updating, with their sizes.
std::vector<ScaleStep> proportionalScale(const core::DeploymentSpec& spec, std::span<const ReplicaSetSize> replicaSets,
                                         std::optional<std::size_t> newIndex);

/// isScalingEvent: some active ReplicaSet was last scaled for another
/// spec.replicas (its desired-replicas annotation differs), so replicas
/// changed and the controller scales instead of rolling.
bool isScalingEvent(const core::DeploymentSpec& spec, std::span<const ReplicaSetSize> replicaSets);

/// IsSaturated: the ReplicaSet has spec.replicas pods, all available, and
/// was last scaled for this many.
bool isSaturated(const core::DeploymentSpec& spec, const ReplicaSetSize& rs);

}  // namespace podscope::engine
