// The rollout arithmetic against the Kubernetes documentation's and source's
// examples: fenceposts for 1, 3, 4 and 10 replicas and percentages, how far
// the new ReplicaSet may grow, which old replicas go first, and
// proportional scaling in the middle of a rollout.

#include "engine/rollout_math.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace podscope::engine {
namespace {

using core::IntOrString;
using ::testing::ElementsAre;
using ::testing::IsEmpty;

IntOrString v(int n) { return IntOrString::fromInt(n); }
IntOrString v(const char* s) { return IntOrString::fromString(s); }

core::DeploymentSpec rolling(std::int32_t replicas, IntOrString surge = v("25%"), IntOrString unavailable = v("25%")) {
  core::DeploymentSpec spec;
  spec.replicas = replicas;
  spec.strategy.maxSurge = std::move(surge);
  spec.strategy.maxUnavailable = std::move(unavailable);
  return spec;
}

core::DeploymentSpec recreate(std::int32_t replicas) {
  core::DeploymentSpec spec = rolling(replicas);
  spec.strategy.type = core::DeploymentStrategy::Type::Recreate;
  return spec;
}

TEST(RolloutMath, ScaledValues) {
  struct Case {
    IntOrString value;
    std::int32_t total;
    bool roundUp;
    std::int32_t want;
  };
  const std::vector<Case> cases = {
      {v(2), 10, true, 2},       {v("25%"), 10, true, 3},  {v("25%"), 10, false, 2}, {v("25%"), 4, false, 1},
      {v("25%"), 1, true, 1},    {v("25%"), 1, false, 0},  {v("0%"), 7, true, 0},    {v("100%"), 7, false, 7},
      {v("33%"), 3, true, 1},    {v("34%"), 3, true, 2},   {v("50%"), 0, true, 0},   {v("150%"), 2, true, 3},
  };
  for (const Case& c : cases) {
    core::Result<std::int32_t> got = scaledValue(c.value, c.total, c.roundUp);
    ASSERT_TRUE(got.has_value()) << c.value.toString();
    EXPECT_EQ(*got, c.want) << c.value.toString() << " of " << c.total << (c.roundUp ? " up" : " down");
  }
  for (const char* bad : {"25", "%", "abc%", "2 5%", ""}) {
    EXPECT_FALSE(scaledValue(v(bad), 10, true).has_value()) << bad;
  }
}

TEST(RolloutMath, Fenceposts) {
  struct Case {
    std::int32_t replicas;
    IntOrString surge;
    IntOrString unavailable;
    Fenceposts want;
  };
  const std::vector<Case> cases = {
      // kubelet-semantics §10.2: the defaults at 1, 3, 4 and 10 replicas.
      {1, v("25%"), v("25%"), {1, 0}},
      {3, v("25%"), v("25%"), {1, 0}},
      {4, v("25%"), v("25%"), {1, 1}},
      {10, v("25%"), v("25%"), {3, 2}},
      {10, v(3), v(2), {3, 2}},
      {10, v("30%"), v("30%"), {3, 3}},
      {10, v("35%"), v("35%"), {4, 3}},
      // Both resolving to 0: one may be unavailable.
      {10, v(0), v(0), {0, 1}},
      {2, v("0%"), v("25%"), {0, 1}},
      {0, v("25%"), v("25%"), {0, 1}},
      {5, v(1), v(0), {1, 0}},
      {10, v("100%"), v("100%"), {10, 10}},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(resolveFenceposts(c.surge, c.unavailable, c.replicas), c.want)
        << c.replicas << " replicas, surge " << c.surge.toString() << ", unavailable " << c.unavailable.toString();
  }
}

TEST(RolloutMath, MaxSurgeAndMaxUnavailableOfADeployment) {
  EXPECT_EQ(maxSurge(rolling(10)), 3);
  EXPECT_EQ(maxUnavailable(rolling(10)), 2);
  // Capped at replicas, and 0 with no replicas.
  EXPECT_EQ(maxUnavailable(rolling(3, v(1), v(5))), 3);
  EXPECT_EQ(maxUnavailable(rolling(0)), 0);
  // Recreate neither surges nor keeps anything available.
  EXPECT_EQ(maxSurge(recreate(10)), 0);
  EXPECT_EQ(maxUnavailable(recreate(10)), 0);
}

TEST(RolloutMath, NewReplicaSetReplicas) {
  struct Case {
    const char* name;
    core::DeploymentSpec spec;
    std::int32_t all;
    std::int32_t current;
    std::int32_t want;
  };
  const std::vector<Case> cases = {
      {"3 replicas: the first new pod", rolling(3), 3, 0, 1},
      {"3 replicas: at 4 pods it waits", rolling(3), 4, 1, 1},
      {"3 replicas: one old pod gone", rolling(3), 3, 1, 2},
      {"3 replicas: the last new pod", rolling(3), 3, 2, 3},
      {"10 replicas: three at once", rolling(10), 10, 0, 3},
      {"10 replicas: after old 10 -> 8", rolling(10), 11, 3, 5},
      {"10 replicas: at 13 it waits", rolling(10), 13, 3, 3},
      {"never beyond replicas", rolling(3, v("100%")), 2, 2, 3},
      {"a first rollout takes all", rolling(3), 0, 0, 3},
      {"Recreate takes replicas", recreate(4), 4, 0, 4},
  };
  for (const Case& c : cases) EXPECT_EQ(newReplicaSetReplicas(c.spec, c.all, c.current), c.want) << c.name;
}

TEST(RolloutMath, OldReplicaSetsScaleDown) {
  struct Case {
    const char* name;
    core::DeploymentSpec spec;
    std::vector<ReplicaSetSize> old;  // oldest first
    ReplicaSetSize fresh;
    std::vector<ScaleStep> want;
  };
  const std::vector<Case> cases = {
      {"3 replicas: the new pod is not available yet", rolling(3), {{3, 3}}, {1, 0}, {}},
      {"3 replicas: the new pod is available", rolling(3), {{3, 3}}, {1, 1}, {{0, 2}}},
      {"3 replicas: second step", rolling(3), {{2, 2}}, {2, 2}, {{0, 1}}},
      {"10 replicas: 10 -> 8", rolling(10), {{10, 10}}, {3, 0}, {{0, 8}}},
      {"10 replicas: stalled at new 5 / old 8", rolling(10), {{8, 8}}, {5, 0}, {}},
      {"unhealthy old replicas go first", rolling(4), {{2, 0}, {3, 3}}, {0, 0}, {{0, 0}}},
      {"oldest first, then the next", rolling(10, v(3), v(2)), {{2, 2}, {8, 8}}, {3, 3}, {{0, 0}, {1, 5}}},
      {"one ReplicaSet twice: cleanup, then available ones", rolling(10, v(3), v(2)), {{6, 5}, {4, 4}}, {3, 3},
       {{0, 5}, {0, 1}}},
      {"nothing old left", rolling(3), {{0, 0}}, {3, 3}, {}},
      {"no surge, no unavailability: one at a time", rolling(3, v(0), v(0)), {{3, 3}}, {0, 0}, {{0, 2}}},
  };
  for (const Case& c : cases) EXPECT_EQ(reconcileOldReplicaSets(c.spec, c.old, c.fresh), c.want) << c.name;
}

ReplicaSetSize annotated(std::int32_t replicas, std::int32_t available, std::int32_t desired, std::int32_t max) {
  return {replicas, available, max, desired};
}

TEST(RolloutMath, ProportionalScaling) {
  struct Case {
    const char* name;
    core::DeploymentSpec spec;
    std::vector<ReplicaSetSize> rss;  // oldest first
    std::optional<std::size_t> newIndex;
    std::vector<ScaleStep> want;
  };
  const std::vector<Case> cases = {
      // The Kubernetes documentation's example: 10 replicas, maxSurge 3,
      // maxUnavailable 2, a rollout stuck at old 8 / new 5, scaled to 15:
      // 3 more to the old ReplicaSet, 2 to the new one.
      {"10 -> 15 mid-rollout", rolling(15, v(3), v(2)), {annotated(8, 8, 10, 13), annotated(5, 0, 10, 13)}, 1,
       {{0, 11}, {1, 7}}},
      {"15 -> 10 mid-rollout, larger first", rolling(10, v(3), v(2)),
       {annotated(11, 11, 15, 18), annotated(7, 0, 15, 18)}, 1, {{0, 8}, {1, 5}}},
      {"equal sizes growing: the newer one first", rolling(4, v(1), v(0)),
       {annotated(2, 2, 3, 4), annotated(2, 0, 3, 4)}, 1, {{1, 3}, {0, 2}}},
      {"to zero", rolling(0, v(3), v(2)), {annotated(8, 8, 10, 13), annotated(5, 0, 10, 13)}, 1, {{0, 0}, {1, 0}}},
      {"one active ReplicaSet takes it all", rolling(5), {annotated(0, 0, 3, 4), annotated(3, 3, 3, 4)}, 1, {{1, 5}}},
      {"none active: the new one", rolling(5), {annotated(0, 0, 3, 4), annotated(0, 0, 3, 4)}, 0, {{0, 5}}},
      {"none active and no new one: the newest", rolling(2), {annotated(0, 0, 3, 4), annotated(0, 0, 3, 4)},
       std::nullopt, {{1, 2}}},
      {"a saturated new ReplicaSet: old ones to 0", rolling(3), {annotated(1, 1, 3, 4), annotated(3, 3, 3, 4)}, 1,
       {{0, 0}}},
      {"without annotations nothing is in proportion: all to the largest", rolling(15, v(3), v(2)),
       {{8, 8, std::nullopt, std::nullopt}, {5, 0, std::nullopt, std::nullopt}}, 1, {{0, 13}, {1, 5}}},
      {"Recreate does not spread", recreate(5), {annotated(2, 2, 3, 3), annotated(1, 0, 3, 3)}, 1, {}},
  };
  for (const Case& c : cases) EXPECT_EQ(proportionalScale(c.spec, c.rss, c.newIndex), c.want) << c.name;
}

TEST(RolloutMath, ScalingEventsAndSaturation) {
  const std::vector<ReplicaSetSize> same = {annotated(3, 3, 3, 4), annotated(0, 0, 5, 6)};
  EXPECT_FALSE(isScalingEvent(rolling(3), same)) << "an inactive ReplicaSet's annotation does not count";
  EXPECT_TRUE(isScalingEvent(rolling(4), same));
  EXPECT_FALSE(isScalingEvent(rolling(4), std::vector<ReplicaSetSize>{{3, 3, std::nullopt, std::nullopt}}));
  EXPECT_TRUE(isSaturated(rolling(3), annotated(3, 3, 3, 4)));
  EXPECT_FALSE(isSaturated(rolling(3), annotated(3, 2, 3, 4)));
  EXPECT_FALSE(isSaturated(rolling(3), annotated(3, 3, 2, 4)));
  EXPECT_THAT(proportionalScale(rolling(3), std::vector<ReplicaSetSize>{}, std::nullopt), IsEmpty());
}

}  // namespace
}  // namespace podscope::engine
