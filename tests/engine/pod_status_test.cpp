#include "engine/pod_status.h"

#include <gtest/gtest.h>

namespace podscope::engine {
namespace {

using std::chrono::hours;
using std::chrono::milliseconds;
using std::chrono::minutes;
using std::chrono::seconds;

constexpr TimePoint kNow = hours(10);

ContainerStatusInput make(std::string name, ContainerState state, std::string reason = "", int exitCode = 0) {
  ContainerStatusInput c;
  c.name = std::move(name);
  c.state = state;
  c.reason = std::move(reason);
  c.exitCode = exitCode;
  return c;
}

ContainerStatusInput initDone(std::string name) {
  ContainerStatusInput c = make(std::move(name), ContainerState::Terminated, "Completed");
  c.isInit = true;
  c.ready = true;
  return c;
}

ContainerStatusInput initRunning(std::string name) {
  ContainerStatusInput c = make(std::move(name), ContainerState::Running);
  c.isInit = true;
  c.started = true;
  return c;
}

ContainerStatusInput initWaiting(std::string name, std::string reason) {
  ContainerStatusInput c = make(std::move(name), ContainerState::Waiting, std::move(reason));
  c.isInit = true;
  return c;
}

ContainerStatusInput initFailed(std::string name, int exitCode, std::string reason) {
  ContainerStatusInput c = make(std::move(name), ContainerState::Terminated, std::move(reason), exitCode);
  c.isInit = true;
  return c;
}

ContainerStatusInput sidecar(std::string name, bool started, bool ready) {
  ContainerStatusInput c = make(std::move(name), ContainerState::Running);
  c.isInit = true;
  c.isSidecar = true;
  c.started = started;
  c.ready = ready;
  return c;
}

ContainerStatusInput crashingSidecar(std::string name) {
  ContainerStatusInput c = sidecar(std::move(name), false, false);
  c.state = ContainerState::Waiting;
  c.reason = "CrashLoopBackOff";
  return c;
}

ContainerStatusInput running(std::string name, bool ready) {
  ContainerStatusInput c = make(std::move(name), ContainerState::Running);
  c.started = true;
  c.ready = ready;
  return c;
}

ContainerStatusInput waiting(std::string name, std::string reason) {
  return make(std::move(name), ContainerState::Waiting, std::move(reason));
}

ContainerStatusInput terminated(std::string name, int exitCode, std::string reason) {
  return make(std::move(name), ContainerState::Terminated, std::move(reason), exitCode);
}

ContainerStatusInput restarted(ContainerStatusInput c, int count, TimePoint lastFinishedAt, int lastExit = 1) {
  c.restartCount = count;
  c.lastTerminated = LastTermination{lastExit, lastExit == 0 ? "Completed" : "Error", lastFinishedAt};
  return c;
}

PodStatusInput pod(PodPhase phase, std::vector<ContainerStatusInput> inits, std::vector<ContainerStatusInput> apps) {
  PodStatusInput p;
  p.phase = phase;
  p.sandboxReady = true;
  p.createdAt = kNow - minutes(6);
  p.initContainers = std::move(inits);
  p.containers = std::move(apps);
  return p;
}

PodStatusInput deleted(PodStatusInput p) {
  p.deleting = true;
  return p;
}

struct KubectlCase {
  std::string label;
  PodStatusInput input;
  std::string ready;
  std::string status;
  std::string restarts;
};

TEST(KubectlColumns, MatchesPrintPod) {
  const std::vector<KubectlCase> cases = {
      {"init 0/2", pod(PodPhase::Pending, {initRunning("init1"), initWaiting("init2", "PodInitializing")},
                       {waiting("app", "PodInitializing")}),
       "0/1", "Init:0/2", "0"},
      {"init 1/2, unstarted sidecar counted",
       pod(PodPhase::Pending, {initDone("init1"), sidecar("sc", false, false)}, {waiting("app", "PodInitializing")}),
       "0/2", "Init:1/2", "0"},
      {"init 1/2 after a ready sidecar",
       pod(PodPhase::Pending, {sidecar("sc", true, true), initRunning("init2")}, {waiting("app", "PodInitializing")}),
       "1/2", "Init:1/2", "0"},
      {"init error", pod(PodPhase::Failed, {initFailed("init1", 1, "Error"), initWaiting("init2", "PodInitializing")},
                         {waiting("app", "PodInitializing")}),
       "0/1", "Init:Error", "0"},
      {"init crash loop",
       pod(PodPhase::Pending,
           {restarted(initWaiting("init1", "CrashLoopBackOff"), 3, kNow - seconds(15)),
            initWaiting("init2", "PodInitializing")},
           {waiting("app", "PodInitializing")}),
       "0/1", "Init:CrashLoopBackOff", "3 (15s ago)"},
      {"init exit code without reason",
       pod(PodPhase::Pending, {initFailed("init1", 3, "")}, {waiting("app", "PodInitializing")}), "0/1",
       "Init:ExitCode:3", "0"},
      {"init signal without reason",
       pod(PodPhase::Pending,
           {[] {
             ContainerStatusInput c = initFailed("init1", 137, "");
             c.signal = 9;
             return c;
           }()},
           {waiting("app", "PodInitializing")}),
       "0/1", "Init:Signal:9", "0"},
      {"init image pull", pod(PodPhase::Pending, {initWaiting("init1", "ErrImagePull")}, {waiting("app", "PodInitializing")}),
       "0/1", "Init:ErrImagePull", "0"},
      {"pod initializing, init restarts no longer counted",
       pod(PodPhase::Pending, {restarted(initDone("init1"), 2, kNow - seconds(40)), initDone("init2")},
           {waiting("app", "PodInitializing")}),
       "0/1", "PodInitializing", "0"},
      {"container creating", pod(PodPhase::Pending, {}, {waiting("app", "ContainerCreating")}), "0/1",
       "ContainerCreating", "0"},
      {"running", pod(PodPhase::Running, {}, {running("app", true)}), "1/1", "Running", "0"},
      {"running, readiness not yet passed", pod(PodPhase::Running, {}, {running("app", false)}), "0/1", "Running",
       "0"},
      {"crash loop", pod(PodPhase::Running, {}, {restarted(waiting("app", "CrashLoopBackOff"), 3, kNow - seconds(15))}),
       "0/1", "CrashLoopBackOff", "3 (15s ago)"},
      {"running again after restarts",
       pod(PodPhase::Running, {}, {restarted(running("app", true), 5, kNow - seconds(182))}), "1/1", "Running",
       "5 (3m2s ago)"},
      {"restarts without a known end time", pod(PodPhase::Running, {}, {[] {
                                                    ContainerStatusInput c = terminated("app", 1, "Error");
                                                    c.restartCount = 4;
                                                    c.lastTerminated = LastTermination{1, "Error", std::nullopt};
                                                    return c;
                                                  }()}),
       "0/1", "Error", "4"},
      {"completed", pod(PodPhase::Succeeded, {}, {terminated("app", 0, "Completed")}), "0/1", "Completed", "0"},
      {"error", pod(PodPhase::Failed, {}, {terminated("app", 1, "Error")}), "0/1", "Error", "0"},
      {"exit code without reason", pod(PodPhase::Failed, {}, {terminated("app", 2, "")}), "0/1", "ExitCode:2", "0"},
      {"oom killed",
       pod(PodPhase::Running, {}, {restarted(terminated("app", 137, "OOMKilled"), 1, kNow - seconds(111), 137)}),
       "0/1", "OOMKilled", "1 (111s ago)"},
      {"not ready: one finished, one running",
       pod(PodPhase::Running, {}, {terminated("done", 0, "Completed"), running("web", true)}), "1/2", "NotReady", "0"},
      {"error wins over a running sibling",
       pod(PodPhase::Running, {}, {terminated("job", 1, "Error"), running("web", true)}), "1/2", "Error", "0"},
      {"first container's state is printed",
       pod(PodPhase::Running, {}, {waiting("a", "CrashLoopBackOff"), terminated("b", 1, "Error")}), "0/2",
       "CrashLoopBackOff", "0"},
      {"crash-looping sidecar in an initialized pod",
       pod(PodPhase::Running,
           {initDone("init1"), restarted(crashingSidecar("sc"), 2, kNow - seconds(30))},
           {running("app", true)}),
       "1/2", "Init:CrashLoopBackOff", "2 (30s ago)"},
      {"terminating", deleted(pod(PodPhase::Running, {}, {running("app", true)})), "1/1", "Terminating", "0"},
      {"deleted after success prints the outcome",
       deleted(pod(PodPhase::Succeeded, {}, {terminated("app", 0, "Completed")})), "0/1", "Completed", "0"},
      {"node lost", [] {
         PodStatusInput p = deleted(pod(PodPhase::Running, {}, {running("app", true)}));
         p.reason = "NodeLost";
         return p;
       }(),
       "1/1", "Unknown", "0"},
      {"pod-level reason", [] {
         PodStatusInput p = pod(PodPhase::Failed, {}, {running("app", false)});
         p.reason = "DeadlineExceeded";
         return p;
       }(),
       "0/1", "DeadlineExceeded", "0"},
  };
  for (const KubectlCase& c : cases) {
    SCOPED_TRACE(c.label);
    KubectlRow row = kubectlColumns(c.input, kNow);
    EXPECT_EQ(row.ready, c.ready);
    EXPECT_EQ(row.status, c.status);
    EXPECT_EQ(row.restarts, c.restarts);
    EXPECT_EQ(row.age, "6m");
  }
}

TEST(KubectlColumns, AgeIsUnknownWithoutCreationTime) {
  PodStatusInput p = pod(PodPhase::Running, {}, {running("app", true)});
  p.createdAt.reset();
  EXPECT_EQ(kubectlColumns(p, kNow).age, "<unknown>");
}

TEST(KubectlColumns, HumanDurationMatchesApimachinery) {
  const std::vector<std::pair<Duration, std::string>> cases = {
      {-seconds(3), "<invalid>"},
      {-seconds(2), "<invalid>"},
      {-milliseconds(1500), "0s"},
      {milliseconds(500), "0s"},
      {seconds(45), "45s"},
      {seconds(119), "119s"},
      {seconds(120), "2m"},
      {seconds(125), "2m5s"},
      {seconds(599), "9m59s"},
      {seconds(600), "10m"},
      {minutes(65), "65m"},
      {minutes(179), "179m"},
      {hours(3), "3h"},
      {hours(3) + minutes(30), "3h30m"},
      {hours(47), "47h"},
      {hours(48), "2d"},
      {hours(50), "2d2h"},
      {hours(24 * 8), "8d"},
      {hours(24 * 730), "2y"},
      {hours(24 * 731), "2y1d"},
      {hours(24 * 365 * 8), "8y"},
      {hours(24 * 365 * 9 + 24 * 3), "9y"},
  };
  for (const auto& [d, expected] : cases) {
    EXPECT_EQ(humanDuration(d), expected) << d.count() << "ns";
  }
}

TEST(KubeletEvents, PulledMessageAsTheKubeletWritesIt) {
  using std::chrono::milliseconds;
  EXPECT_EQ(pulledImageMessage("busybox", milliseconds(1661), milliseconds(1661), 4269694),
            "Successfully pulled image \"busybox\" in 1.661s (1.661s including waiting). Image size: 4269694 bytes.");
  EXPECT_EQ(pulledImageMessage("ghcr.io/actions/actions-runner:latest", milliseconds(796), milliseconds(1594), 543804759),
            "Successfully pulled image \"ghcr.io/actions/actions-runner:latest\" in 796ms (1.594s including waiting). "
            "Image size: 543804759 bytes.");
  // Without a size (a runtime that cannot tell), the older kubelets' form.
  EXPECT_EQ(pulledImageMessage("busybox:1.36", std::chrono::seconds(2), std::chrono::seconds(2), 0),
            "Successfully pulled image \"busybox:1.36\" in 2s (2s including waiting)");
}

TEST(KubectlColumns, FormatsGetPodsLikeTabwriter) {
  KubectlRow row{"0/1", "Init:0/2", "0", "6m"};
  KubectlRow other{"1/1", "CrashLoopBackOff", "3 (15s ago)", "2d2h"};
  EXPECT_EQ(formatGetPods({{"myapp-pod", row}}),
            "NAME        READY   STATUS     RESTARTS   AGE\n"
            "myapp-pod   0/1     Init:0/2   0          6m\n");
  EXPECT_EQ(formatGetPods({{"a", row}, {"b", other}}),
            "NAME   READY   STATUS             RESTARTS      AGE\n"
            "a      0/1     Init:0/2           0             6m\n"
            "b      1/1     CrashLoopBackOff   3 (15s ago)   2d2h\n");
}

PodCondition cond(std::string_view type, bool status, std::string reason = "", std::string message = "") {
  return PodCondition{std::string(type), status, std::move(reason), std::move(message)};
}

struct ConditionCase {
  std::string label;
  PodStatusInput input;
  std::vector<PodCondition> expected;
};

TEST(PodConditions, MatchKubeletGenerate) {
  const std::vector<ConditionCase> cases = {
      {"init crash loop lists every incomplete init container",
       pod(PodPhase::Pending,
           {restarted(initWaiting("init1", "CrashLoopBackOff"), 3, kNow), initWaiting("init2", "PodInitializing")},
           {waiting("app", "PodInitializing")}),
       {cond(kConditionPodReadyToStartContainers, true),
        cond(kConditionInitialized, false, "ContainersNotInitialized", "containers with incomplete status: [init1 init2]"),
        cond(kConditionReady, false, "ContainersNotReady", "containers with unready status: [app]"),
        cond(kConditionContainersReady, false, "ContainersNotReady", "containers with unready status: [app]"),
        cond(kConditionPodScheduled, true)}},
      {"running and ready",
       pod(PodPhase::Running, {initDone("init1")}, {running("app", true)}),
       {cond(kConditionPodReadyToStartContainers, true), cond(kConditionInitialized, true),
        cond(kConditionReady, true), cond(kConditionContainersReady, true), cond(kConditionPodScheduled, true)}},
      {"readiness not yet passed", pod(PodPhase::Running, {}, {running("app", false)}),
       {cond(kConditionPodReadyToStartContainers, true), cond(kConditionInitialized, true),
        cond(kConditionReady, false, "ContainersNotReady", "containers with unready status: [app]"),
        cond(kConditionContainersReady, false, "ContainersNotReady", "containers with unready status: [app]"),
        cond(kConditionPodScheduled, true)}},
      {"unstarted sidecar blocks initialization and readiness",
       pod(PodPhase::Pending, {initDone("init1"), sidecar("sc", false, false)}, {waiting("app", "PodInitializing")}),
       {cond(kConditionPodReadyToStartContainers, true),
        cond(kConditionInitialized, false, "ContainersNotInitialized", "containers with incomplete status: [sc]"),
        cond(kConditionReady, false, "ContainersNotReady", "containers with unready status: [sc app]"),
        cond(kConditionContainersReady, false, "ContainersNotReady", "containers with unready status: [sc app]"),
        cond(kConditionPodScheduled, true)}},
      {"a crashing sidecar does not undo initialization",
       pod(PodPhase::Running, {restarted(crashingSidecar("sc"), 1, kNow)}, {running("app", true)}),
       {cond(kConditionPodReadyToStartContainers, true), cond(kConditionInitialized, true),
        cond(kConditionReady, false, "ContainersNotReady", "containers with unready status: [sc]"),
        cond(kConditionContainersReady, false, "ContainersNotReady", "containers with unready status: [sc]"),
        cond(kConditionPodScheduled, true)}},
      {"succeeded", pod(PodPhase::Succeeded, {initDone("init1")}, {terminated("app", 0, "Completed")}),
       {cond(kConditionPodReadyToStartContainers, true), cond(kConditionInitialized, true, "PodCompleted"),
        cond(kConditionReady, false, "PodCompleted"), cond(kConditionContainersReady, false, "PodCompleted"),
        cond(kConditionPodScheduled, true)}},
      {"failed", pod(PodPhase::Failed, {}, {terminated("app", 1, "Error")}),
       {cond(kConditionPodReadyToStartContainers, true), cond(kConditionInitialized, true),
        cond(kConditionReady, false, "PodFailed"), cond(kConditionContainersReady, false, "PodFailed"),
        cond(kConditionPodScheduled, true)}},
      {"no sandbox yet", [] {
         PodStatusInput p = pod(PodPhase::Pending, {}, {waiting("app", "ContainerCreating")});
         p.sandboxReady = false;
         return p;
       }(),
       {cond(kConditionPodReadyToStartContainers, false), cond(kConditionInitialized, true),
        cond(kConditionReady, false, "ContainersNotReady", "containers with unready status: [app]"),
        cond(kConditionContainersReady, false, "ContainersNotReady", "containers with unready status: [app]"),
        cond(kConditionPodScheduled, true)}},
  };
  for (const ConditionCase& c : cases) {
    SCOPED_TRACE(c.label);
    EXPECT_EQ(computeConditions(c.input), c.expected);
  }
}

TEST(PodStatusInput, BuiltFromEngineState) {
  core::PodSpec spec;
  spec.initContainers.resize(2);
  spec.initContainers[0].name = "init1";
  spec.initContainers[1].name = "sc";
  spec.initContainers[1].restartPolicy = core::RestartPolicy::Always;
  spec.containers.resize(2);
  spec.containers[0].name = "web";
  spec.containers[0].readinessProbe = core::Probe{};
  spec.containers[1].name = "app";

  PodState state;
  state.sandboxReady = true;
  state.initContainers = {ContainerStatus{.name = "init1", .init = true, .state = ContainerState::Terminated,
                                          .reason = "Completed", .everStarted = true},
                          ContainerStatus{.name = "sc", .init = true, .state = ContainerState::Running,
                                          .everStarted = true}};
  state.containers = {ContainerStatus{.name = "web", .state = ContainerState::Running, .everStarted = true},
                      ContainerStatus{.name = "app", .state = ContainerState::Waiting, .lastExitCode = 2,
                                      .restartCount = 1, .everStarted = true, .finishedAt = kNow - seconds(20)}};

  PodStatusInput input = makePodStatusInput(state, spec);
  ASSERT_EQ(input.initContainers.size(), 2u);
  ASSERT_EQ(input.containers.size(), 2u);
  EXPECT_TRUE(input.initContainers[0].ready);
  EXPECT_FALSE(input.initContainers[0].isSidecar);
  EXPECT_TRUE(input.initContainers[1].isSidecar);
  EXPECT_TRUE(input.initContainers[1].started);
  EXPECT_TRUE(input.initContainers[1].ready);
  EXPECT_TRUE(input.containers[0].started);
  EXPECT_FALSE(input.containers[0].ready) << "a readiness probe has not passed yet";
  EXPECT_EQ(input.containers[1].reason, "PodInitializing") << "empty waiting reason of a pod with init containers";
  ASSERT_TRUE(input.containers[1].lastTerminated.has_value());
  EXPECT_EQ(input.containers[1].lastTerminated->exitCode, 2);
  EXPECT_EQ(input.containers[1].lastTerminated->finishedAt, kNow - seconds(20));
  EXPECT_EQ(input.phase, PodPhase::Running);

  KubectlRow row = kubectlColumns(input, kNow);
  EXPECT_EQ(row.ready, "1/3");
  EXPECT_EQ(row.status, "PodInitializing");
  EXPECT_EQ(row.restarts, "1 (20s ago)");
}

}  // namespace
}  // namespace podscope::engine
