#include "engine/rollout_math.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <numeric>

namespace podscope::engine {

core::Result<std::int32_t> scaledValue(const core::IntOrString& value, std::int32_t total, bool roundUp) {
  if (value.isInt) return static_cast<std::int32_t>(value.intValue);
  const std::string& s = value.strValue;
  std::int64_t percent = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), percent);
  if (s.empty() || s.back() != '%' || ec != std::errc() || end != s.data() + s.size() - 1) {
    return core::Error{"invalid value for IntOrString: invalid type: string is not a percentage"};
  }
  const std::int64_t product = percent * total;
  // Go computes math.Ceil / math.Floor of value * total / 100.
  std::int64_t scaled = product / 100;
  if (roundUp && product % 100 > 0) ++scaled;
  if (!roundUp && product % 100 < 0) --scaled;
  return static_cast<std::int32_t>(scaled);
}

Fenceposts resolveFenceposts(const core::IntOrString& maxSurge, const core::IntOrString& maxUnavailable,
                             std::int32_t replicas) {
  core::Result<std::int32_t> surge = scaledValue(maxSurge, replicas, true);
  core::Result<std::int32_t> unavailable = scaledValue(maxUnavailable, replicas, false);
  Fenceposts f{surge ? *surge : 0, unavailable ? *unavailable : 0};
  // Validation forbids both being 0, but rounding down can still get
  // there: then one pod at a time may be unavailable.
  if (f.maxSurge == 0 && f.maxUnavailable == 0) f.maxUnavailable = 1;
  return f;
}

std::int32_t maxSurge(const core::DeploymentSpec& spec) {
  if (spec.strategy.type != core::DeploymentStrategy::Type::RollingUpdate) return 0;
  return resolveFenceposts(spec.strategy.maxSurge, spec.strategy.maxUnavailable, spec.replicas).maxSurge;
}

std::int32_t maxUnavailable(const core::DeploymentSpec& spec) {
  if (spec.strategy.type != core::DeploymentStrategy::Type::RollingUpdate || spec.replicas == 0) return 0;
  std::int32_t v = resolveFenceposts(spec.strategy.maxSurge, spec.strategy.maxUnavailable, spec.replicas).maxUnavailable;
  return std::min(v, spec.replicas);
}

std::int32_t newReplicaSetReplicas(const core::DeploymentSpec& spec, std::int32_t allReplicas,
                                   std::int32_t newReplicas) {
  switch (spec.strategy.type) {
    case core::DeploymentStrategy::Type::RollingUpdate: {
      core::Result<std::int32_t> surge = scaledValue(spec.strategy.maxSurge, spec.replicas, true);
      const std::int32_t maxTotal = spec.replicas + (surge ? *surge : 0);
      if (allReplicas >= maxTotal) return newReplicas;
      const std::int32_t scaleUp = std::min(maxTotal - allReplicas, spec.replicas - newReplicas);
      return newReplicas + scaleUp;
    }
    case core::DeploymentStrategy::Type::Recreate:
      return spec.replicas;
  }
  return newReplicas;
}

std::vector<ScaleStep> reconcileOldReplicaSets(const core::DeploymentSpec& spec,
                                               std::span<const ReplicaSetSize> oldReplicaSets,
                                               const ReplicaSetSize& newReplicaSet) {
  std::vector<ScaleStep> steps;
  std::int32_t oldPods = 0;
  std::int32_t available = newReplicaSet.available;
  for (const ReplicaSetSize& rs : oldReplicaSets) {
    oldPods += rs.replicas;
    available += rs.available;
  }
  if (oldPods == 0) return steps;  // nothing left to scale down
  const std::int32_t allPods = oldPods + newReplicaSet.replicas;
  const std::int32_t minAvailable = spec.replicas - maxUnavailable(spec);
  const std::int32_t newUnavailable = newReplicaSet.replicas - newReplicaSet.available;
  const std::int32_t maxScaledDown = allPods - minAvailable - newUnavailable;
  if (maxScaledDown <= 0) return steps;

  std::vector<std::int32_t> sizes;
  for (const ReplicaSetSize& rs : oldReplicaSets) sizes.push_back(rs.replicas);

  // Unhealthy replicas first: they would otherwise block the rollout until
  // its deadline (kubernetes#16737).
  std::int32_t cleaned = 0;
  for (std::size_t i = 0; i < sizes.size() && cleaned < maxScaledDown; ++i) {
    if (sizes[i] == 0 || sizes[i] == oldReplicaSets[i].available) continue;
    const std::int32_t n = std::min(maxScaledDown - cleaned, sizes[i] - oldReplicaSets[i].available);
    sizes[i] -= n;
    cleaned += n;
    steps.push_back({i, sizes[i]});
  }

  // Then available ones, as far as minAvailable allows (counted from the
  // ReplicaSets' status, which the cleanup above has not changed yet).
  if (available <= minAvailable) return steps;
  const std::int32_t total = available - minAvailable;
  std::int32_t scaled = 0;
  for (std::size_t i = 0; i < sizes.size() && scaled < total; ++i) {
    if (sizes[i] == 0) continue;
    const std::int32_t n = std::min(sizes[i], total - scaled);
    sizes[i] -= n;
    scaled += n;
    steps.push_back({i, sizes[i]});
  }
  return steps;
}

bool isSaturated(const core::DeploymentSpec& spec, const ReplicaSetSize& rs) {
  return rs.desiredReplicas && rs.replicas == spec.replicas && *rs.desiredReplicas == spec.replicas &&
         rs.available == spec.replicas;
}

bool isScalingEvent(const core::DeploymentSpec& spec, std::span<const ReplicaSetSize> replicaSets) {
  return std::any_of(replicaSets.begin(), replicaSets.end(), [&](const ReplicaSetSize& rs) {
    return rs.replicas > 0 && rs.desiredReplicas && *rs.desiredReplicas != spec.replicas;
  });
}

namespace {

bool annotationsNeedUpdate(const core::DeploymentSpec& spec, const ReplicaSetSize& rs) {
  return rs.desiredReplicas != spec.replicas || rs.maxReplicas != spec.replicas + maxSurge(spec);
}

// GetReplicaSetProportion / getReplicaSetFraction.
std::int32_t proportion(const core::DeploymentSpec& spec, const ReplicaSetSize& rs, std::int32_t toAdd,
                        std::int32_t added) {
  if (rs.replicas == 0 || toAdd == 0 || toAdd == added) return 0;
  std::int32_t fraction = 0;
  if (spec.replicas == 0) {
    fraction = -rs.replicas;
  } else if (rs.maxReplicas && *rs.maxReplicas != 0) {
    const std::int32_t maxReplicas = spec.replicas + maxSurge(spec);
    const double size = static_cast<double>(rs.replicas) * maxReplicas / *rs.maxReplicas;
    fraction = static_cast<std::int32_t>(std::round(size)) - rs.replicas;
  }
  const std::int32_t allowed = toAdd - added;
  return toAdd > 0 ? std::min(fraction, allowed) : std::max(fraction, allowed);
}

}  // namespace

std::vector<ScaleStep> proportionalScale(const core::DeploymentSpec& spec, std::span<const ReplicaSetSize> replicaSets,
                                         std::optional<std::size_t> newIndex) {
  std::vector<ScaleStep> steps;
  std::vector<std::size_t> active;
  for (std::size_t i = 0; i < replicaSets.size(); ++i) {
    if (replicaSets[i].replicas > 0) active.push_back(i);
  }
  // FindActiveOrLatest: one active ReplicaSet (or, with none, the new one
  // or else the newest) simply takes spec.replicas.
  std::optional<std::size_t> only;
  if (active.size() == 1) only = active.front();
  if (active.empty() && !replicaSets.empty()) only = newIndex.value_or(replicaSets.size() - 1);
  if (only) {
    if (replicaSets[*only].replicas != spec.replicas) steps.push_back({*only, spec.replicas});
    return steps;
  }
  if (active.empty()) return steps;

  if (newIndex && isSaturated(spec, replicaSets[*newIndex])) {
    for (std::size_t i : active) {
      if (i != *newIndex) steps.push_back({i, 0});
    }
    return steps;
  }
  if (spec.strategy.type != core::DeploymentStrategy::Type::RollingUpdate) return steps;

  std::int32_t current = 0;
  for (std::size_t i : active) current += replicaSets[i].replicas;
  const std::int32_t allowedSize = spec.replicas > 0 ? spec.replicas + maxSurge(spec) : 0;
  const std::int32_t toAdd = allowedSize - current;

  // Larger first; among equals, newer first when growing and older first
  // when shrinking (an index is the ReplicaSet's age rank).
  if (toAdd != 0) {
    std::sort(active.begin(), active.end(), [&](std::size_t a, std::size_t b) {
      if (replicaSets[a].replicas != replicaSets[b].replicas) return replicaSets[a].replicas > replicaSets[b].replicas;
      return toAdd > 0 ? a > b : a < b;
    });
  }
  std::vector<std::int32_t> sizes(active.size());
  std::int32_t added = 0;
  for (std::size_t k = 0; k < active.size(); ++k) {
    const ReplicaSetSize& rs = replicaSets[active[k]];
    const std::int32_t p = proportion(spec, rs, toAdd, added);
    sizes[k] = rs.replicas + p;
    added += p;
  }
  if (toAdd != 0) sizes[0] = std::max(0, sizes[0] + toAdd - added);
  for (std::size_t k = 0; k < active.size(); ++k) {
    const ReplicaSetSize& rs = replicaSets[active[k]];
    if (sizes[k] != rs.replicas || annotationsNeedUpdate(spec, rs)) steps.push_back({active[k], sizes[k]});
  }
  return steps;
}

}  // namespace podscope::engine
