#include "engine/pod_actions.h"

#include <gtest/gtest.h>

namespace podscope::engine {
namespace {

using core::RestartPolicy;

ContainerStatus waiting(const std::string& name, bool init = false) {
  ContainerStatus c;
  c.name = name;
  c.init = init;
  return c;
}
ContainerStatus running(const std::string& name, bool init = false) {
  ContainerStatus c = waiting(name, init);
  c.state = ContainerState::Running;
  c.everStarted = true;
  c.id = name + "-id";
  return c;
}
ContainerStatus terminated(const std::string& name, int exitCode, bool init = false) {
  ContainerStatus c = waiting(name, init);
  c.state = ContainerState::Terminated;
  c.exitCode = exitCode;
  c.everStarted = true;
  return c;
}

PodState pod(RestartPolicy policy, std::vector<ContainerStatus> init, std::vector<ContainerStatus> containers) {
  PodState s;
  s.restartPolicy = policy;
  s.sandboxReady = true;
  s.initContainers = std::move(init);
  s.containers = std::move(containers);
  return s;
}

TEST(ComputePhase, FollowsKubeletRules) {
  struct Case {
    const char* what;
    PodState state;
    PodPhase phase;
  };
  std::vector<Case> cases;
  cases.push_back({"init pending", pod(RestartPolicy::Always, {waiting("i", true)}, {waiting("c")}), PodPhase::Pending});
  cases.push_back({"init running", pod(RestartPolicy::Always, {running("i", true)}, {waiting("c")}), PodPhase::Pending});
  cases.push_back({"init failed, Never", pod(RestartPolicy::Never, {terminated("i", 1, true)}, {waiting("c")}),
                   PodPhase::Failed});
  cases.push_back({"init failed, Always restarts", pod(RestartPolicy::Always, {terminated("i", 1, true)}, {waiting("c")}),
                   PodPhase::Pending});
  cases.push_back({"one running", pod(RestartPolicy::Always, {terminated("i", 0, true)}, {running("c")}),
                   PodPhase::Running});
  cases.push_back({"one running one waiting", pod(RestartPolicy::Always, {}, {running("a"), waiting("b")}),
                   PodPhase::Pending});
  cases.push_back({"all exited 0, Never", pod(RestartPolicy::Never, {}, {terminated("a", 0), terminated("b", 0)}),
                   PodPhase::Succeeded});
  cases.push_back({"one exited 1, Never", pod(RestartPolicy::Never, {}, {terminated("a", 0), terminated("b", 1)}),
                   PodPhase::Failed});
  cases.push_back({"exited 1, OnFailure restarting", pod(RestartPolicy::OnFailure, {}, {terminated("a", 1)}),
                   PodPhase::Running});
  cases.push_back({"exited 0, Always restarting", pod(RestartPolicy::Always, {}, {terminated("a", 0)}),
                   PodPhase::Running});
  ContainerStatus backingOff = waiting("a");
  backingOff.lastExitCode = 1;
  backingOff.everStarted = true;
  backingOff.reason = "CrashLoopBackOff";
  cases.push_back({"CrashLoopBackOff keeps Running", pod(RestartPolicy::Always, {}, {backingOff}), PodPhase::Running});
  PodState deleting = pod(RestartPolicy::Always, {}, {terminated("a", 137)});
  deleting.deleting = true;
  cases.push_back({"deleted, killed", deleting, PodPhase::Failed});
  for (const Case& c : cases) EXPECT_EQ(computePhase(c.state), c.phase) << c.what;
}

TEST(ComputePodActions, CreatesSandboxFirst) {
  PodState s = pod(RestartPolicy::Always, {waiting("i", true)}, {waiting("c")});
  s.sandboxReady = false;
  PodActions a = computePodActions(s, Backoff{}, TimePoint{0});
  EXPECT_TRUE(a.createSandbox);
  EXPECT_TRUE(a.start.empty());
  s.sandboxBusy = true;
  EXPECT_FALSE(computePodActions(s, Backoff{}, TimePoint{0}).createSandbox);
}

TEST(ComputePodActions, StartsInitContainersOneAtATimeInOrder) {
  PodState s = pod(RestartPolicy::Always, {waiting("i1", true), waiting("i2", true)}, {waiting("c")});
  EXPECT_EQ(computePodActions(s, Backoff{}, TimePoint{0}).start, (std::vector<ContainerRef>{{true, 0}}));
  s.initContainers[0] = running("i1", true);
  EXPECT_TRUE(computePodActions(s, Backoff{}, TimePoint{0}).start.empty());
  s.initContainers[0] = terminated("i1", 0, true);
  EXPECT_EQ(computePodActions(s, Backoff{}, TimePoint{0}).start, (std::vector<ContainerRef>{{true, 1}}));
  s.initContainers[1] = terminated("i2", 0, true);
  EXPECT_EQ(computePodActions(s, Backoff{}, TimePoint{0}).start, (std::vector<ContainerRef>{{false, 0}}));
}

TEST(ComputePodActions, StartsAllRegularContainersInOneSync) {
  PodState s = pod(RestartPolicy::Always, {}, {waiting("a"), waiting("b"), waiting("c")});
  EXPECT_EQ(computePodActions(s, Backoff{}, TimePoint{0}).start,
            (std::vector<ContainerRef>{{false, 0}, {false, 1}, {false, 2}}));
}

TEST(ComputePodActions, FailedInitUnderNeverTearsDown) {
  PodState s = pod(RestartPolicy::Never, {terminated("i1", 1, true), waiting("i2", true)}, {waiting("c")});
  PodActions a = computePodActions(s, Backoff{}, TimePoint{0});
  EXPECT_TRUE(a.start.empty());
  EXPECT_TRUE(a.removeSandbox);
  s.sandboxReady = false;
  EXPECT_TRUE(computePodActions(s, Backoff{}, TimePoint{0}).podDone);
}

TEST(ComputePodActions, RestartsAfterBackOff) {
  PodState s = pod(RestartPolicy::Always, {}, {terminated("a", 1)});
  s.containers[0].finishedAt = std::chrono::seconds(5);
  Backoff b;
  // First exit: immediately.
  EXPECT_EQ(computePodActions(s, b, std::chrono::seconds(5)).start.size(), 1u);
  b.next(s.containers[0].backoffKey(), std::chrono::seconds(5), std::chrono::seconds(5));
  // Crashed again at 6 s: waits 10 s from its exit.
  s.containers[0].finishedAt = std::chrono::seconds(6);
  PodActions a = computePodActions(s, b, std::chrono::seconds(7));
  EXPECT_TRUE(a.start.empty());
  ASSERT_EQ(a.backOff.size(), 1u);
  EXPECT_EQ(a.backOff[0].backoff, std::chrono::seconds(10));
  EXPECT_EQ(a.resyncAt, TimePoint{std::chrono::seconds(16)});
  EXPECT_EQ(computePodActions(s, b, std::chrono::seconds(16)).start.size(), 1u);
}

TEST(ComputePodActions, NoRestartUnderOnFailureForSuccess) {
  PodState s = pod(RestartPolicy::OnFailure, {}, {terminated("a", 0), running("b")});
  PodActions a = computePodActions(s, Backoff{}, TimePoint{0});
  EXPECT_TRUE(a.start.empty());
  EXPECT_FALSE(a.podDone);
}

TEST(ComputePodActions, DeletionKillsRunningThenRemovesSandbox) {
  PodState s = pod(RestartPolicy::Always, {}, {running("a"), terminated("b", 0)});
  s.deleting = true;
  PodActions a = computePodActions(s, Backoff{}, TimePoint{0});
  EXPECT_EQ(a.kill, (std::vector<KillAction>{{{false, 0}, KillReason::PodDeleted}}));
  EXPECT_FALSE(a.removeSandbox);
  s.containers[0].killRequested = true;
  EXPECT_TRUE(computePodActions(s, Backoff{}, TimePoint{0}).kill.empty());
  s.containers[0] = terminated("a", 143);
  a = computePodActions(s, Backoff{}, TimePoint{0});
  EXPECT_TRUE(a.removeSandbox);
  EXPECT_TRUE(a.start.empty());
}

TEST(ContainerTransitions, LegalTransitionsAreData) {
  const ContainerState all[] = {ContainerState::Waiting, ContainerState::Running, ContainerState::Terminated};
  int legal = 0;
  for (ContainerState from : all) {
    for (ContainerState to : all) legal += isLegalTransition(from, to) ? 1 : 0;
  }
  EXPECT_EQ(legal, 5);
  EXPECT_FALSE(isLegalTransition(ContainerState::Running, ContainerState::Waiting));
  EXPECT_FALSE(isLegalTransition(ContainerState::Running, ContainerState::Running));
}

}  // namespace
}  // namespace podscope::engine
