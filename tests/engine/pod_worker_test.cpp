#include "engine/pod_worker.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>

#include "core/manifest_reader.h"
#include "engine/pod_state.h"
#include "engine/virtual_event_loop.h"
#include "recording_runtime.h"

namespace podscope::engine {
namespace {

using std::chrono::seconds;
using testing::Behaviour;
using testing::RecordingRuntime;

core::Pod makePod(std::vector<std::string> init, std::vector<std::string> containers,
                  core::RestartPolicy policy = core::RestartPolicy::Never, std::int64_t grace = 30) {
  core::Pod pod;
  pod.metadata.name = "p";
  for (const auto& n : init) pod.spec.initContainers.push_back(core::Container{.name = n, .image = "busybox:1.36"});
  for (const auto& n : containers) pod.spec.containers.push_back(core::Container{.name = n, .image = "busybox:1.36"});
  pod.spec.restartPolicy = policy;
  pod.spec.terminationGracePeriodSeconds = grace;
  return pod;
}

struct Seen {
  std::string time, subject, from, to, reason;
  friend bool operator==(const Seen&, const Seen&) = default;
  friend std::ostream& operator<<(std::ostream& os, const Seen& s) {
    return os << s.time << " " << s.subject << " " << s.from << "->" << s.to << " " << s.reason;
  }
};

std::vector<Seen> seen(const core::RunRecord& r) {
  std::vector<Seen> out;
  for (const core::Transition& t : r.transitions()) {
    out.push_back({core::formatRunTime(t.time), t.subject, t.from, t.to, t.reason});
  }
  return out;
}

std::vector<std::string> eventMessages(const core::RunRecord& r, const std::string& reason) {
  std::vector<std::string> out;
  for (const core::Event& e : r.events()) {
    if (e.reason == reason) out.push_back(core::formatRunTime(e.time) + " " + e.message);
  }
  return out;
}

ContainerState stateNamed(const std::string& s) {
  if (s == "Running") return ContainerState::Running;
  if (s == "Terminated") return ContainerState::Terminated;
  return ContainerState::Waiting;
}

void expectLegalTransitions(const core::RunRecord& r) {
  for (const core::Transition& t : r.transitions()) {
    if (t.kind == core::SubjectKind::Pod || t.from.empty()) continue;
    if (t.from == t.to) continue;  // a new waiting reason
    EXPECT_TRUE(isLegalTransition(stateNamed(t.from), stateNamed(t.to))) << t.subject << " " << t.from << "->" << t.to;
  }
}

TEST(PodWorker, RunsInitContainersInOrderThenMain) {
  VirtualEventLoop loop;
  RecordingRuntime rt(loop);
  rt.behaviours["init-a"] = Behaviour{seconds(1), 0};
  rt.behaviours["init-b"] = Behaviour{seconds(2), 0};
  rt.behaviours["main"] = Behaviour{seconds(3), 0};
  core::RunRecord r = runPod(makePod({"init-a", "init-b"}, {"main"}), rt, loop);

  EXPECT_EQ(seen(r), (std::vector<Seen>{
                         {"0.000s", "p", "", "Pending", ""},
                         {"0.000s", "init-a", "", "Waiting", "PodInitializing"},
                         {"0.000s", "init-b", "", "Waiting", "PodInitializing"},
                         {"0.000s", "main", "", "Waiting", "PodInitializing"},
                         {"0.000s", "init-a", "Waiting", "Running", "Started"},
                         {"1.000s", "init-a", "Running", "Terminated", "Completed"},
                         {"1.000s", "init-b", "Waiting", "Running", "Started"},
                         {"3.000s", "init-b", "Running", "Terminated", "Completed"},
                         {"3.000s", "main", "Waiting", "Running", "Started"},
                         {"3.000s", "p", "Pending", "Running", ""},
                         {"6.000s", "main", "Running", "Terminated", "Completed"},
                         {"6.000s", "p", "Running", "Succeeded", ""},
                     }));
  EXPECT_EQ(r.outcome, core::RunOutcome::Succeeded);
  expectLegalTransitions(r);
  EXPECT_EQ(rt.calls.front(), "createSandbox p");
  EXPECT_EQ(rt.calls.back(), "removeSandbox sandbox-1");
  EXPECT_TRUE(rt.alive.empty());
  EXPECT_THAT(eventMessages(r, "Started"),
              ::testing::ElementsAre("0.000s Started container init-a", "1.000s Started container init-b",
                                     "3.000s Started container main"));
  EXPECT_THAT(eventMessages(r, "Scheduled"), ::testing::ElementsAre("0.000s Successfully assigned default/p to podscope"));
  EXPECT_THAT(eventMessages(r, "Pulled"),
              ::testing::Each(::testing::HasSubstr("Container image \"busybox:1.36\" already present on machine")));
}

std::vector<std::string> statusSequence(const core::RunRecord& r) {
  std::vector<std::string> out;
  for (const core::PodStatusLine& l : r.statusLines()) {
    out.push_back(core::formatRunTime(l.time) + " " + l.ready + " " + l.status + " " + l.restarts);
  }
  return out;
}

TEST(PodWorker, RecordsTheKubectlStatusAsItChanges) {
  VirtualEventLoop loop;
  RecordingRuntime rt(loop);
  rt.behaviours["init-a"] = Behaviour{seconds(1), 0};
  rt.behaviours["init-b"] = Behaviour{seconds(2), 0};
  rt.behaviours["main"] = Behaviour{seconds(3), 0};
  core::RunRecord r = runPod(makePod({"init-a", "init-b"}, {"main"}), rt, loop);
  EXPECT_EQ(statusSequence(r), (std::vector<std::string>{"0.000s 0/1 Init:0/2 0", "1.000s 0/1 Init:1/2 0",
                                                          "3.000s 0/1 PodInitializing 0", "3.000s 1/1 Running 0",
                                                          "6.000s 0/1 Completed 0"}));
  EXPECT_EQ(r.statusLines().back().age, "6s");
}

TEST(PodWorker, CrashLoopShowsInTheKubectlStatus) {
  VirtualEventLoop loop;
  RecordingRuntime rt(loop);
  rt.behaviours["main"] = Behaviour{seconds(1), 1};
  RunOptions options;
  options.stopAfter = seconds(20);
  core::RunRecord r = runPod(makePod({}, {"main"}, core::RestartPolicy::Always), rt, loop, options);
  EXPECT_THAT(statusSequence(r),
              ::testing::ElementsAre("0.000s 0/1 ContainerCreating 0", "0.000s 1/1 Running 0", "1.000s 0/1 Error 0",
                                     "1.000s 1/1 Running 1 (0s ago)",
                                     // Each exit shows as Error first; lastState is then the instance before.
                                     "2.000s 0/1 Error 1 (1s ago)", "2.000s 0/1 CrashLoopBackOff 1 (0s ago)",
                                     "12.000s 1/1 Running 2 (10s ago)", "13.000s 0/1 Error 2 (11s ago)",
                                     "13.000s 0/1 CrashLoopBackOff 2 (0s ago)",
                                     "20.000s 0/1 CrashLoopBackOff 2 (7s ago)"));
}

TEST(PodWorker, FailedInitUnderNeverFailsPodAndSkipsTheRest) {
  VirtualEventLoop loop;
  RecordingRuntime rt(loop);
  rt.behaviours["init-a"] = Behaviour{seconds(1), 0};
  rt.behaviours["init-b"] = Behaviour{seconds(1), 3};
  core::RunRecord r = runPod(makePod({"init-a", "init-b"}, {"main"}), rt, loop);
  EXPECT_EQ(r.outcome, core::RunOutcome::Failed);
  EXPECT_EQ(std::count(rt.calls.begin(), rt.calls.end(), "startContainer main"), 0);
  EXPECT_EQ(seen(r).back(), (Seen{"2.000s", "p", "Pending", "Failed", ""}));
  auto t = r.transitions();
  auto it = std::find_if(t.begin(), t.end(), [](const core::Transition& x) { return x.subject == "init-b" && x.to == "Terminated"; });
  ASSERT_NE(it, t.end());
  EXPECT_EQ(it->reason, "Error");
  EXPECT_EQ(it->message, "exit code 3");
  EXPECT_EQ(it->exitCode, 3);
}

TEST(PodWorker, CrashLoopBackOffFollowsKubeletSchedule) {
  VirtualEventLoop loop;
  RecordingRuntime rt(loop);
  rt.behaviours["main"] = Behaviour{seconds(1), 1};
  RunOptions options;
  options.stopAfter = seconds(120);
  core::RunRecord r = runPod(makePod({}, {"main"}, core::RestartPolicy::Always), rt, loop, options);

  std::vector<std::string> starts;
  for (const core::Transition& t : r.transitions()) {
    if (t.subject == "main" && t.to == "Running") starts.push_back(core::formatRunTime(t.time));
  }
  // Exits at 1 s (restart at once), 2 s (+10 s), 13 s (+20 s), 34 s (+40 s), 75 s (+80 s > limit).
  EXPECT_EQ(starts, (std::vector<std::string>{"0.000s", "1.000s", "12.000s", "33.000s", "74.000s"}));
  EXPECT_THAT(eventMessages(r, "BackOff"),
              ::testing::ElementsAre(::testing::StartsWith("2.000s Back-off restarting failed container main in pod p_default("),
                                     ::testing::StartsWith("13.000s"), ::testing::StartsWith("34.000s"),
                                     ::testing::StartsWith("75.000s")));
  auto t = r.transitions();
  auto crash = std::find_if(t.begin(), t.end(), [](const core::Transition& x) { return x.reason == "CrashLoopBackOff"; });
  ASSERT_NE(crash, t.end());
  EXPECT_THAT(crash->message, ::testing::MatchesRegex("back-off 10s restarting failed container=main pod=p_default\\(.*\\)"));
  // The pod stays Running while crash-looping; deleted at the run limit, it
  // ends Failed because its container's last exit was not 0.
  auto phases = std::count_if(t.begin(), t.end(), [](const core::Transition& x) { return x.kind == core::SubjectKind::Pod; });
  EXPECT_EQ(phases, 3);  // Pending, Running, then Failed at the limit
  EXPECT_EQ(seen(r).back(), (Seen{"120.000s", "p", "Running", "Failed", ""}));
  EXPECT_EQ(r.outcome, core::RunOutcome::Stopped);
  EXPECT_EQ(r.outcomeMessage, "deleted by the run limit; pod phase Failed");
}

TEST(PodWorker, DeletionWaitsOutGraceForContainersIgnoringSigterm) {
  VirtualEventLoop loop;
  RecordingRuntime rt(loop);
  rt.behaviours["stubborn"] = Behaviour{Duration::max(), 0, false};
  rt.behaviours["polite"] = Behaviour{Duration::max(), 0, true};
  RunOptions options;
  options.stopAfter = seconds(10);
  core::RunRecord r = runPod(makePod({}, {"stubborn", "polite"}, core::RestartPolicy::Always, 30), rt, loop, options);

  std::vector<Seen> ends;
  for (const Seen& s : seen(r)) {
    if (s.to == "Terminated" || s.subject == "p") ends.push_back(s);
  }
  EXPECT_EQ(ends, (std::vector<Seen>{{"0.000s", "p", "", "Pending", ""},
                                     {"0.000s", "p", "Pending", "Running", ""},
                                     {"10.000s", "polite", "Running", "Terminated", "Error"},
                                     {"40.000s", "stubborn", "Running", "Terminated", "Error"},
                                     {"40.000s", "p", "Running", "Failed", ""}}));
  EXPECT_THAT(eventMessages(r, "Killing"),
              ::testing::ElementsAre("10.000s Stopping container stubborn", "10.000s Stopping container polite"));
  EXPECT_EQ(std::count(rt.calls.begin(), rt.calls.end(), "killContainer stubborn SIGKILL"), 1);
  EXPECT_EQ(std::count(rt.calls.begin(), rt.calls.end(), "killContainer polite SIGKILL"), 0);
  EXPECT_EQ(r.outcome, core::RunOutcome::Stopped);
  EXPECT_TRUE(rt.alive.empty());
}

TEST(PodWorker, GracePeriodOverrideAndTwoSecondMinimum) {
  VirtualEventLoop loop;
  RecordingRuntime rt(loop);
  rt.behaviours["stubborn"] = Behaviour{Duration::max(), 0, false};
  RunOptions options;
  options.stopAfter = seconds(5);
  options.gracePeriod = seconds(1);
  core::RunRecord r = runPod(makePod({}, {"stubborn"}), rt, loop, options);
  EXPECT_EQ(seen(r).back(), (Seen{"7.000s", "p", "Running", "Failed", ""}));
}

TEST(PodWorker, ImageNeverPulledIsReportedAndRetried) {
  VirtualEventLoop loop;
  RecordingRuntime rt(loop);
  rt.missingImages.insert("busybox:1.36");
  core::Pod pod = makePod({}, {"main"});
  pod.spec.containers[0].imagePullPolicy = core::PullPolicy::Never;
  RunOptions options;
  options.stopAfter = seconds(30);
  core::RunRecord r = runPod(pod, rt, loop, options);
  EXPECT_THAT(eventMessages(r, "ErrImageNeverPull"),
              ::testing::Contains("0.000s Container image \"busybox:1.36\" is not present with pull policy of Never"));
  EXPECT_EQ(seen(r)[2], (Seen{"0.000s", "main", "Waiting", "Waiting", "ErrImageNeverPull"}));
  // Retried with each failed sync, every 10 s, still ErrImageNeverPull.
  EXPECT_EQ(std::count(rt.calls.begin(), rt.calls.end(), "inspectImage busybox:1.36"), 3);
  for (const core::Transition& t : r.transitions()) EXPECT_NE(t.reason, "CrashLoopBackOff");
  EXPECT_EQ(std::count(rt.calls.begin(), rt.calls.end(), "createContainer main#0"), 0);
}

TEST(PodWorker, AlwaysPullsAndSaysHowLongThePullTook) {
  VirtualEventLoop loop;
  RecordingRuntime rt(loop);
  core::Pod pod = makePod({}, {"main"});
  pod.spec.containers[0].imagePullPolicy = core::PullPolicy::Always;
  core::RunRecord r = runPod(pod, rt, loop);
  // The image is present, but Always pulls anyway (and the fake's pull
  // takes 2 s of virtual time).
  EXPECT_EQ(std::count(rt.calls.begin(), rt.calls.end(), "pullImage busybox:1.36"), 1);
  EXPECT_THAT(eventMessages(r, "Pulling"), ::testing::ElementsAre("0.000s Pulling image \"busybox:1.36\""));
  EXPECT_THAT(eventMessages(r, "Pulled"),
              ::testing::ElementsAre("2.000s Successfully pulled image \"busybox:1.36\" in 2s (2s including waiting)"));
}

TEST(PodWorker, PullFailureBecomesImagePullBackOff) {
  VirtualEventLoop loop;
  RecordingRuntime rt(loop);
  rt.missingImages.insert("busybox:1.36");
  RunOptions options;
  options.stopAfter = seconds(30);
  core::RunRecord r = runPod(makePod({}, {"main"}), rt, loop, options);
  EXPECT_THAT(eventMessages(r, "Failed"), ::testing::Contains("0.000s Error: ErrImagePull"));
  auto t = r.transitions();
  EXPECT_TRUE(std::any_of(t.begin(), t.end(), [](const core::Transition& x) {
    return x.reason == "ImagePullBackOff" && x.message == "Back-off pulling image \"busybox:1.36\"";
  }));
}

TEST(PodWorker, FailedPullsBackOffAsTheKubeletsImageManager) {
  VirtualEventLoop loop;
  RecordingRuntime rt(loop);
  rt.missingImages.insert("busybox:1.36");
  RunOptions options;
  options.stopAfter = seconds(35);
  core::RunRecord r = runPod(makePod({}, {"main"}), rt, loop, options);
  // The back-off starts when a pull fails: no second pull at once, then
  // 10 s, then 20 s more.
  EXPECT_THAT(eventMessages(r, "Pulling"),
              ::testing::ElementsAre("0.000s Pulling image \"busybox:1.36\"", "10.000s Pulling image \"busybox:1.36\"",
                                     "30.000s Pulling image \"busybox:1.36\""));
  std::vector<std::string> failed = eventMessages(r, "Failed");
  ASSERT_GE(failed.size(), 4u);
  EXPECT_EQ(failed[0], "0.000s Failed to pull image \"busybox:1.36\": image busybox:1.36 not found");
  EXPECT_EQ(failed[1], "0.000s Error: ErrImagePull");
  EXPECT_EQ(failed[2], "0.000s Error: ImagePullBackOff");
  EXPECT_THAT(eventMessages(r, "BackOff"), ::testing::Contains("0.000s Back-off pulling image \"busybox:1.36\""));
}

TEST(PodWorker, SandboxFailureFailsTheRunWithKubeletWords) {
  VirtualEventLoop loop;
  RecordingRuntime rt(loop);
  rt.failSandbox = true;
  core::RunRecord r = runPod(makePod({}, {"main"}), rt, loop);
  EXPECT_EQ(r.outcome, core::RunOutcome::Failed);
  EXPECT_EQ(r.outcomeMessage, "Failed to create pod sandbox: network namespace could not be created");
  EXPECT_THAT(eventMessages(r, "FailedCreatePodSandBox"),
              ::testing::ElementsAre("0.000s Failed to create pod sandbox: network namespace could not be created"));
}

TEST(PodWorker, CreateFailureIsCreateContainerError) {
  VirtualEventLoop loop;
  RecordingRuntime rt(loop);
  rt.failCreate.insert("main");
  RunOptions options;
  options.stopAfter = seconds(15);
  core::RunRecord r = runPod(makePod({}, {"main"}), rt, loop, options);
  EXPECT_EQ(seen(r)[2], (Seen{"0.000s", "main", "Waiting", "Waiting", "CreateContainerError"}));
  EXPECT_THAT(eventMessages(r, "Failed"), ::testing::Contains("0.000s Error: invalid mount"));
}

TEST(PodWorker, AContainerThatCannotBeCreatedIsRetriedEveryTenSecondsWithoutCrashLoopBackOff) {
  // No instance ever existed, so there is no crash-loop back-off: the
  // kubelet shows CreateContainerError and retries with each failed sync.
  VirtualEventLoop loop;
  RecordingRuntime rt(loop);
  rt.failCreate.insert("main");
  RunOptions options;
  options.runFor = seconds(35);
  core::RunRecord r = runPod(makePod({}, {"main"}), rt, loop, options);
  EXPECT_THAT(eventMessages(r, "Failed"),
              ::testing::ElementsAre("0.000s Error: invalid mount", "10.000s Error: invalid mount",
                                     "20.000s Error: invalid mount", "30.000s Error: invalid mount"));
  EXPECT_TRUE(eventMessages(r, "BackOff").empty());
  for (const core::Transition& t : r.transitions()) EXPECT_NE(t.reason, "CrashLoopBackOff") << t.time.count();
  ASSERT_FALSE(r.statusLines().empty());
  EXPECT_EQ(r.statusLines().back().status, "CreateContainerError");
}

TEST(PodWorker, RunControlDeletesBeforeAndDuringRun) {
  VirtualEventLoop loop;
  RecordingRuntime rt(loop);
  rt.behaviours["main"] = Behaviour{Duration::max(), 0, true};
  RunControl control;
  control.requestDelete(seconds(5));
  core::RunRecord r = runPod(makePod({}, {"main"}), rt, loop, {}, {}, &control);
  EXPECT_EQ(r.outcome, core::RunOutcome::Deleted);
  EXPECT_EQ(r.outcomeMessage, "deleted; pod phase Pending");
}

TEST(PodWorker, SameInputsGiveTheSameRecord) {
  auto once = [] {
    VirtualEventLoop loop;
    RecordingRuntime rt(loop);
    rt.behaviours["main"] = Behaviour{seconds(3), 2};
    RunOptions options;
    options.stopAfter = seconds(200);
    return runPod(makePod({"init"}, {"main"}, core::RestartPolicy::OnFailure), rt, loop, options);
  };
  core::RunRecord a = once();
  core::RunRecord b = once();
  EXPECT_EQ(a.transitions(), b.transitions());
  EXPECT_EQ(a.events(), b.events());
  EXPECT_GT(a.transitions().size(), 10u);
}

}  // namespace
}  // namespace podscope::engine

namespace podscope::engine {
namespace {

using podscope::testing::Behaviour;
using podscope::testing::RecordingRuntime;
using std::chrono::seconds;

std::vector<std::string> podPhases(const core::RunRecord& r) {
  std::vector<std::string> out;
  for (const core::Transition& t : r.transitions()) {
    if (t.kind == core::SubjectKind::Pod) out.push_back(core::formatRunTime(t.time) + " " + t.to + " " + t.reason);
  }
  return out;
}

TEST(RuntimeOutage, ThePodIsUnknownWhileTheRuntimeIsDownAndRunningOnceItIsBack) {
  VirtualEventLoop loop;
  RecordingRuntime rt(loop);
  rt.behaviours["main"] = Behaviour{Duration::max(), 0, true};
  loop.postAfter(seconds(5), [&] { rt.goDown("containerd at /x.sock is not reachable: connection refused"); });
  loop.postAfter(seconds(12), [&] { rt.comeBack(); });
  RunOptions options;
  options.runFor = seconds(20);
  core::RunRecord r = runPod(makePod({}, {"main"}, core::RestartPolicy::Always), rt, loop, options);
  EXPECT_THAT(podPhases(r), ::testing::ElementsAre("0.000s Pending ", "0.000s Running ", "5.000s Unknown NodeNotReady",
                                                   "12.000s Running "));
  EXPECT_THAT(eventMessages(r, "NodeNotReady"),
              ::testing::ElementsAre("5.000s Node is not ready: container runtime is down: containerd at /x.sock is "
                                     "not reachable: connection refused"));
  EXPECT_THAT(eventMessages(r, "NodeReady"), ::testing::ElementsAre("12.000s Node podscope status is now: NodeReady"));
  std::vector<std::string> lines;
  for (const core::PodStatusLine& l : r.statusLines()) {
    lines.push_back(core::formatRunTime(l.time) + " " + l.ready + " " + l.status);
  }
  EXPECT_THAT(lines, ::testing::ElementsAre("0.000s 0/1 ContainerCreating", "0.000s 1/1 Running", "5.000s 1/1 Unknown",
                                            "12.000s 1/1 Running", "20.000s 1/1 Running"));
  std::vector<std::string> ready;
  for (const core::ConditionChange& c : r.conditions()) {
    if (c.kind == core::SubjectKind::Pod && c.type == "Ready") {
      ready.push_back(core::formatRunTime(c.time) + (c.status ? " True" : " False"));
    }
  }
  EXPECT_THAT(ready, ::testing::ElementsAre("0.000s False", "0.000s True", "5.000s False", "12.000s True"));
  // One container, started once: nothing was restarted for the outage.
  EXPECT_EQ(std::count(rt.calls.begin(), rt.calls.end(), "startContainer main"), 1);
}

TEST(RuntimeOutage, AnExitDuringTheOutageIsSeenWhenTheRuntimeIsBack) {
  VirtualEventLoop loop;
  RecordingRuntime rt(loop);
  rt.behaviours["main"] = Behaviour{seconds(8), 3};
  loop.postAfter(seconds(5), [&] { rt.goDown("connection refused"); });
  loop.postAfter(seconds(12), [&] { rt.comeBack(); });
  RunOptions options;
  options.runFor = seconds(13);
  core::RunRecord r = runPod(makePod({}, {"main"}, core::RestartPolicy::Always), rt, loop, options);
  auto s = seen(r);
  auto exit = std::find_if(s.begin(), s.end(), [](const Seen& x) { return x.to == "Terminated"; });
  ASSERT_NE(exit, s.end());
  EXPECT_EQ(*exit, (Seen{"12.000s", "main", "Running", "Terminated", "Error"}));
  // Restarted at once (the first restart has no back-off).
  EXPECT_EQ(std::count(rt.calls.begin(), rt.calls.end(), "startContainer main"), 2);
}

TEST(RuntimeOutage, ADeleteDuringTheOutageStopsContainersOnceTheRuntimeIsBack) {
  VirtualEventLoop loop;
  RecordingRuntime rt(loop);
  rt.behaviours["main"] = Behaviour{Duration::max(), 0, true};
  loop.postAfter(seconds(5), [&] { rt.goDown("connection refused"); });
  loop.postAfter(seconds(20), [&] { rt.comeBack(); });
  RunOptions options;
  options.deleteAfter = seconds(8);
  core::RunRecord r = runPod(makePod({}, {"main"}, core::RestartPolicy::Always), rt, loop, options);
  EXPECT_EQ(r.outcome, core::RunOutcome::Deleted);
  EXPECT_THAT(eventMessages(r, "Killing"), ::testing::ElementsAre("20.000s Stopping container main"));
  auto down = std::find(rt.calls.begin(), rt.calls.end(), "down");
  auto up = std::find(rt.calls.begin(), rt.calls.end(), "up");
  EXPECT_EQ(std::find_if(down, up, [](const std::string& c) { return c.rfind("killContainer", 0) == 0; }), up);
}

TEST(RuntimeOutage, AContainerThatVanishedIsContainerStatusUnknownAndRestarted) {
  VirtualEventLoop loop;
  RecordingRuntime rt(loop);
  rt.behaviours["main"] = Behaviour{Duration::max(), 0, true};
  loop.postAfter(seconds(5), [&] { rt.goDown("connection refused"); });
  loop.postAfter(seconds(9), [&] { rt.comeBack({"main"}); });
  RunOptions options;
  options.runFor = seconds(10);
  core::RunRecord r = runPod(makePod({}, {"main"}, core::RestartPolicy::Always), rt, loop, options);
  const core::Transition* lost = nullptr;
  for (const core::Transition& t : r.transitions()) {
    if (t.to == "Terminated") lost = &t;
  }
  ASSERT_NE(lost, nullptr);
  EXPECT_EQ(lost->reason, "ContainerStatusUnknown");
  EXPECT_EQ(lost->message, "The container could not be located when the pod was terminated");
  EXPECT_EQ(lost->exitCode, 137);
  EXPECT_EQ(std::count(rt.calls.begin(), rt.calls.end(), "startContainer main"), 2);
}

TEST(RuntimeOutage, AWatchThatEndsDuringTheOutageEndsWithoutWaitingForTheRuntime) {
  VirtualEventLoop loop;
  RecordingRuntime rt(loop);
  rt.behaviours["main"] = Behaviour{Duration::max(), 0, true};
  loop.postAfter(seconds(5), [&] { rt.goDown("connection refused"); });
  RunOptions options;
  options.runFor = seconds(10);
  core::RunRecord r = runPod(makePod({}, {"main"}, core::RestartPolicy::Always), rt, loop, options);
  EXPECT_EQ(r.outcome, core::RunOutcome::Stopped);
  EXPECT_EQ(r.outcomeMessage, "watched for 10s; pod phase Unknown");
  EXPECT_LE(loop.now(), TimePoint{seconds(10)});
}

}  // namespace
}  // namespace podscope::engine
