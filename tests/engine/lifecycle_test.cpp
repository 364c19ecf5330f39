// The pod lifecycle on the virtual clock, behaviour by behaviour: probes,
// hooks, sidecars and termination, with the exact times the kubelet gives.
// Each test names the item of the semantics checklist it guards where one
// applies ("§11.3 #n").

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>

#include "engine/pod_state.h"
#include "engine/pod_worker.h"
#include "engine/virtual_event_loop.h"
#include "recording_runtime.h"

namespace podscope::engine {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;
using testing::Behaviour;
using testing::HandlerReply;
using testing::RecordingRuntime;

core::Container container(const std::string& name) { return core::Container{.name = name, .image = "busybox:1.36"}; }

core::Pod makePod(std::vector<core::Container> init, std::vector<core::Container> containers,
                  core::RestartPolicy policy = core::RestartPolicy::Always, std::int64_t grace = 30) {
  core::Pod pod;
  pod.metadata.name = "p";
  pod.spec.initContainers = std::move(init);
  pod.spec.containers = std::move(containers);
  pod.spec.restartPolicy = policy;
  pod.spec.terminationGracePeriodSeconds = grace;
  return pod;
}

core::Probe execProbe(int initialDelay, int period, int failureThreshold = 3, int successThreshold = 1) {
  core::Probe p;
  p.exec = core::ExecAction{{"cat", "/tmp/healthy"}};
  p.initialDelaySeconds = initialDelay;
  p.periodSeconds = period;
  p.failureThreshold = failureThreshold;
  p.successThreshold = successThreshold;
  return p;
}

core::LifecycleHandler execHook(std::vector<std::string> argv) {
  core::LifecycleHandler h;
  h.exec = core::ExecAction{std::move(argv)};
  return h;
}

core::Container sidecar(const std::string& name) {
  core::Container c = container(name);
  c.restartPolicy = core::RestartPolicy::Always;
  return c;
}

std::string at(core::RunTime t) { return core::formatRunTime(t); }

/// "<time> <message>" of every event with `reason` (and on `object`, if given).
std::vector<std::string> events(const core::RunRecord& r, const std::string& reason, const std::string& object = "") {
  std::vector<std::string> out;
  for (const core::Event& e : r.events()) {
    if (e.reason == reason && (object.empty() || e.object == object)) out.push_back(at(e.time) + " " + e.message);
  }
  return out;
}

/// "<time> <from>-><to> <reason>" of `subject`'s transitions.
std::vector<std::string> transitions(const core::RunRecord& r, const std::string& subject) {
  std::vector<std::string> out;
  for (const core::Transition& t : r.transitions()) {
    if (t.subject == subject) out.push_back(at(t.time) + " " + t.from + "->" + t.to + " " + t.reason);
  }
  return out;
}

/// Start times of `subject`'s instances (its Running transitions).
std::vector<std::string> runningAt(const core::RunRecord& r, const std::string& subject) {
  std::vector<std::string> out;
  for (const core::Transition& t : r.transitions()) {
    if (t.subject == subject && t.to == "Running") out.push_back(at(t.time));
  }
  return out;
}

std::vector<std::string> attempts(const core::RunRecord& r, core::AttemptKind kind, const std::string& container = "") {
  std::vector<std::string> out;
  for (const core::HandlerAttempt& a : r.attempts()) {
    if (a.kind != kind || (!container.empty() && a.container != container)) continue;
    out.push_back(at(a.start) + " " + std::string(core::toString(a.result)) + (a.published ? " published" : ""));
  }
  return out;
}

std::vector<std::string> statuses(const core::RunRecord& r) {
  std::vector<std::string> out;
  for (const core::PodStatusLine& l : r.statusLines()) out.push_back(at(l.time) + " " + l.ready + " " + l.status);
  return out;
}

std::vector<std::string> conditions(const core::RunRecord& r, const std::string& subject, const std::string& type) {
  std::vector<std::string> out;
  for (const core::ConditionChange& c : r.conditions()) {
    if (c.subject == subject && c.type == type) out.push_back(at(c.time) + " " + (c.status ? "True" : "False"));
  }
  return out;
}

RunOptions deleteAfter(Duration d, std::optional<Duration> grace = std::nullopt) {
  RunOptions o;
  o.stopAfter = d;
  o.gracePeriod = grace;
  return o;
}

// ---- Liveness --------------------------------------------------------------

TEST(Liveness, FailureFromThirtySecondsRestartsInsideTheKubeletWindow) {
  // initialDelay 5, period 5, failureThreshold 3, failing from t=30 s: the
  // failure is published after three failing ticks, in [40 s, 45 s).
  VirtualEventLoop loop;
  RecordingRuntime rt(loop);
  rt.behaviours["app"] = Behaviour{Duration::max(), 0, true};
  rt.handlers = [](const std::string&, HandlerPurpose, Duration sinceStart) {
    HandlerReply r;
    if (sinceStart >= seconds(30)) {
      r.exitCode = 1;
      r.output = "cat: can't open '/tmp/healthy': No such file or directory";
    }
    return r;
  };
  core::Container app = container("app");
  app.livenessProbe = execProbe(5, 5, 3);
  core::RunRecord r = runPod(makePod({}, {app}), rt, loop, deleteAfter(seconds(47)));

  EXPECT_EQ(events(r, "Unhealthy"),
            (std::vector<std::string>{
                "30.000s Liveness probe failed: cat: can't open '/tmp/healthy': No such file or directory",
                "35.000s Liveness probe failed: cat: can't open '/tmp/healthy': No such file or directory",
                "40.000s Liveness probe failed: cat: can't open '/tmp/healthy': No such file or directory",
            }));
  EXPECT_EQ(events(r, "Killing"), (std::vector<std::string>{
                                      "40.000s Container app failed liveness probe, will be restarted",
                                      "47.000s Stopping container app",
                                  }));
  // SIGTERM honoured: the first restart is immediate.
  EXPECT_EQ(runningAt(r, "app"), (std::vector<std::string>{"0.000s", "40.000s"}));
  // Probing resumes for the new instance on the same ticker (anchored at admission).
  std::vector<std::string> live = attempts(r, core::AttemptKind::LivenessProbe);
  ASSERT_GE(live.size(), 8u);
  EXPECT_EQ(live[0], "5.000s success");
  EXPECT_EQ(live[5], "30.000s failure");
  EXPECT_EQ(live[7], "40.000s failure published");
  EXPECT_EQ(live.back(), "45.000s success");  // 5 s after the restart: initialDelay honoured
}

TEST(Liveness, KillUsesTheProbeLevelGracePeriod) {
  // §11.3 #6: a liveness kill of a container ignoring SIGTERM waits the
  // probe's terminationGracePeriodSeconds, not the pod's.
  VirtualEventLoop loop;
  RecordingRuntime rt(loop);
  rt.behaviours["app"] = Behaviour{Duration::max(), 0, false};
  rt.handlers = [](const std::string&, HandlerPurpose, Duration) { return HandlerReply{.exitCode = 1}; };
  core::Container app = container("app");
  app.livenessProbe = execProbe(0, 10, 1);
  app.livenessProbe->terminationGracePeriodSeconds = 5;
  core::RunRecord r = runPod(makePod({}, {app}, core::RestartPolicy::Never, 60), rt, loop);

  EXPECT_EQ(events(r, "Killing"), (std::vector<std::string>{"0.000s Container app failed liveness probe"}));
  EXPECT_EQ(transitions(r, "app").back(), "5.000s Running->Terminated Error");
  EXPECT_EQ(r.outcome, core::RunOutcome::Failed);
}

TEST(Liveness, ProberErrorsAreDiscardedNotCountedAsFailures) {
  // §11.3 #9.
  VirtualEventLoop loop;
  RecordingRuntime rt(loop);
  rt.behaviours["app"] = Behaviour{Duration::max(), 0, true};
  rt.handlers = [](const std::string&, HandlerPurpose, Duration) {
    return HandlerReply{.error = std::string("OCI runtime exec failed: exec failed: executable file not found")};
  };
  core::Container app = container("app");
  app.livenessProbe = execProbe(0, 10, 1);
  core::RunRecord r = runPod(makePod({}, {app}), rt, loop, deleteAfter(seconds(35)));
  EXPECT_TRUE(events(r, "Killing").size() == 1u);  // only the deletion
  ASSERT_FALSE(events(r, "Unhealthy").empty());
  EXPECT_THAT(events(r, "Unhealthy")[0],
              ::testing::StartsWith("0.000s Liveness probe errored and resulted in unknown state: "));
  for (const core::HandlerAttempt& a : r.attempts()) EXPECT_EQ(a.result, core::AttemptResult::Error);
  EXPECT_EQ(runningAt(r, "app"), (std::vector<std::string>{"0.000s"}));
}

TEST(Liveness, StopsDuringTerminationWhileReadinessGoesOn) {
  // §11.3 #10 (second half).
  VirtualEventLoop loop;
  RecordingRuntime rt(loop);
  rt.behaviours["app"] = Behaviour{Duration::max(), 0, false};
  core::Container app = container("app");
  app.livenessProbe = execProbe(0, 1, 1);
  app.readinessProbe = execProbe(0, 1, 1);
  core::RunRecord r =
      runPod(makePod({}, {app}, core::RestartPolicy::Always, 5), rt, loop, deleteAfter(milliseconds(10500)));
  std::vector<std::string> live = attempts(r, core::AttemptKind::LivenessProbe);
  std::vector<std::string> ready = attempts(r, core::AttemptKind::ReadinessProbe);
  EXPECT_EQ(live.front(), "0.000s success");
  EXPECT_EQ(live.back(), "10.000s success");
  EXPECT_EQ(ready.front(), "0.000s success published");  // probed as soon as it started
  EXPECT_EQ(ready.back(), "15.000s success");  // still probing while the container takes its 5 s grace
  EXPECT_EQ(transitions(r, "app").back(), "15.500s Running->Terminated Error");
}

// ---- Startup and readiness ---------------------------------------------------

TEST(Startup, GatesLivenessAndReadiness) {
  // §11.3 #10: nothing but the startup probe runs until it succeeds.
  VirtualEventLoop loop;
  RecordingRuntime rt(loop);
  rt.behaviours["app"] = Behaviour{Duration::max(), 0, true};
  rt.handlers = [](const std::string&, HandlerPurpose purpose, Duration sinceStart) {
    bool up = sinceStart >= seconds(20);
    return HandlerReply{.exitCode = purpose == HandlerPurpose::StartupProbe && !up ? 1 : 0};
  };
  core::Container app = container("app");
  app.startupProbe = execProbe(0, 10, 30);
  app.livenessProbe = execProbe(0, 10, 3);
  app.readinessProbe = execProbe(0, 10, 3);
  core::RunRecord r = runPod(makePod({}, {app}), rt, loop, deleteAfter(seconds(45)));

  EXPECT_EQ(attempts(r, core::AttemptKind::StartupProbe),
            (std::vector<std::string>{"0.000s failure", "10.000s failure", "20.000s success published"}));
  // Readiness runs at once when startup succeeds (the manual trigger), then on the ticker.
  std::vector<std::string> ready = attempts(r, core::AttemptKind::ReadinessProbe);
  ASSERT_GE(ready.size(), 2u);
  EXPECT_EQ(ready[0], "20.000s success published");
  EXPECT_EQ(attempts(r, core::AttemptKind::LivenessProbe)[0], "30.000s success");
  EXPECT_EQ(conditions(r, "p", "Ready"), (std::vector<std::string>{"0.000s False", "20.000s True", "45.000s False"}));
  EXPECT_EQ(conditions(r, "app", "Started"), (std::vector<std::string>{"0.000s False", "20.000s True", "45.000s False"}));
}

TEST(Startup, FailureKillsAndRestartsLikeLiveness) {
  VirtualEventLoop loop;
  RecordingRuntime rt(loop);
  rt.behaviours["app"] = Behaviour{Duration::max(), 0, true};
  rt.handlers = [](const std::string&, HandlerPurpose, Duration) { return HandlerReply{.exitCode = 1}; };
  core::Container app = container("app");
  app.startupProbe = execProbe(0, 5, 2);
  core::RunRecord r = runPod(makePod({}, {app}), rt, loop, deleteAfter(seconds(12)));
  // Ticks at 0 and 5 s fail: killed at the second.
  EXPECT_EQ(events(r, "Killing")[0], "5.000s Container app failed startup probe, will be restarted");
  EXPECT_EQ(runningAt(r, "app"), (std::vector<std::string>{"0.000s", "5.000s"}));
}

TEST(Readiness, StartsFalseAndGatesReadyThenNeverKills) {
  VirtualEventLoop loop;
  RecordingRuntime rt(loop);
  rt.behaviours["web"] = Behaviour{Duration::max(), 0, true};
  rt.handlers = [](const std::string&, HandlerPurpose, Duration sinceStart) {
    bool ok = sinceStart >= seconds(12) && sinceStart < seconds(40);
    return HandlerReply{.exitCode = ok ? 0 : 1, .output = ok ? "" : "not yet"};
  };
  core::Container web = container("web");
  web.readinessProbe = execProbe(5, 3, 3);
  core::RunRecord r = runPod(makePod({}, {web}), rt, loop, deleteAfter(seconds(60)));

  // Ticks at 0, 3, 6, ...; the first at or after initialDelay 5 is 6 s.
  EXPECT_EQ(attempts(r, core::AttemptKind::ReadinessProbe)[0], "6.000s failure");
  // Success from 12 s; failing again from 40 s, published at the third failure (48 s).
  EXPECT_EQ(conditions(r, "p", "Ready"),
            (std::vector<std::string>{"0.000s False", "12.000s True", "48.000s False",
                                      "60.000s False"}));  // reason PodFailed
  EXPECT_EQ(statuses(r), (std::vector<std::string>{"0.000s 0/1 ContainerCreating", "0.000s 0/1 Running",
                                                   "12.000s 1/1 Running", "48.000s 0/1 Running",
                                                   "60.000s 0/1 Terminating", "60.000s 0/1 Error"}));
  EXPECT_TRUE(events(r, "Killing").size() == 1u);
}

TEST(Readiness, SuccessThresholdCountsConsecutiveSuccesses) {
  VirtualEventLoop loop;
  RecordingRuntime rt(loop);
  rt.behaviours["web"] = Behaviour{Duration::max(), 0, true};
  core::Container web = container("web");
  web.readinessProbe = execProbe(0, 10, 3, 3);
  core::RunRecord r = runPod(makePod({}, {web}), rt, loop, deleteAfter(seconds(25)));
  EXPECT_EQ(attempts(r, core::AttemptKind::ReadinessProbe),
            (std::vector<std::string>{"0.000s success", "10.000s success", "20.000s success published"}));
  EXPECT_EQ(conditions(r, "web", "Ready"), (std::vector<std::string>{"0.000s False", "20.000s True", "25.000s False"}));
}

// ---- Hooks -------------------------------------------------------------------

TEST(PostStart, BlocksRunningAndTheNextContainer) {
  // §11.3 #11 and #8 (no timeout on postStart).
  VirtualEventLoop loop;
  RecordingRuntime rt(loop);
  rt.behaviours["first"] = Behaviour{Duration::max(), 0, true};
  rt.behaviours["second"] = Behaviour{Duration::max(), 0, true};
  rt.handlers = [](const std::string&, HandlerPurpose purpose, Duration) {
    return HandlerReply{.takes = purpose == HandlerPurpose::PostStartHook ? seconds(100) : Duration{0}};
  };
  core::Container first = container("first");
  first.lifecycle = core::Lifecycle{execHook({"sh", "-c", "sleep 100"}), std::nullopt};
  core::RunRecord r = runPod(makePod({}, {first, container("second")}), rt, loop, deleteAfter(seconds(120)));

  EXPECT_EQ(events(r, "Started"), (std::vector<std::string>{"0.000s Started container first",
                                                            "100.000s Started container second"}));
  EXPECT_EQ(runningAt(r, "first"), (std::vector<std::string>{"100.000s"}));
  EXPECT_EQ(attempts(r, core::AttemptKind::PostStartHook), (std::vector<std::string>{"0.000s success"}));
  EXPECT_EQ(r.attempts()[0].duration, seconds(100));
  // Phase stays Pending while the second container waits (semantics §1.5).
  EXPECT_EQ(statuses(r)[0], "0.000s 0/2 ContainerCreating");
}

TEST(PostStart, FailureKillsTheContainerWithThePodsGrace) {
  VirtualEventLoop loop;
  RecordingRuntime rt(loop);
  rt.behaviours["app"] = Behaviour{Duration::max(), 0, false};
  rt.handlers = [](const std::string&, HandlerPurpose purpose, Duration) {
    return HandlerReply{.exitCode = purpose == HandlerPurpose::PostStartHook ? 1 : 0, .output = "no config"};
  };
  core::Container app = container("app");
  app.lifecycle = core::Lifecycle{execHook({"sh", "-c", "exit 1"}), std::nullopt};
  core::RunRecord r = runPod(makePod({}, {app}, core::RestartPolicy::Never, 7), rt, loop);

  EXPECT_EQ(events(r, "FailedPostStartHook"), (std::vector<std::string>{"0.000s PostStartHook failed"}));
  EXPECT_EQ(events(r, "Killing"), (std::vector<std::string>{"0.000s FailedPostStartHook"}));
  EXPECT_EQ(transitions(r, "app"), (std::vector<std::string>{"0.000s ->Waiting ContainerCreating",
                                                             "0.000s Waiting->Waiting PostStartHookError",
                                                             "7.000s Waiting->Terminated Error"}));
  EXPECT_EQ(r.outcome, core::RunOutcome::Failed);
}

TEST(PreStop, OverrunGetsTheTwoSecondExtension) {
  // §11.3 #5 and §11.2: grace 10, preStop 60 s, SIGTERM ignored: gone 12 s
  // after the deletion.
  VirtualEventLoop loop;
  RecordingRuntime rt(loop);
  rt.behaviours["app"] = Behaviour{Duration::max(), 0, false};
  rt.handlers = [](const std::string&, HandlerPurpose purpose, Duration) {
    return HandlerReply{.takes = purpose == HandlerPurpose::PreStopHook ? seconds(60) : Duration{0}};
  };
  core::Container app = container("app");
  app.lifecycle = core::Lifecycle{std::nullopt, execHook({"sleep", "60"})};
  core::RunRecord r = runPod(makePod({}, {app}, core::RestartPolicy::Always, 10), rt, loop, deleteAfter(seconds(5)));
  EXPECT_EQ(transitions(r, "app").back(), "17.000s Running->Terminated Error");
}

TEST(PreStop, TimeSpentComesOffTheGracePeriod) {
  // §11.2: G = 30, H = 3, SIGTERM ignored -> 30 s; honoured -> 3 s.
  for (bool honours : {false, true}) {
    VirtualEventLoop loop;
    RecordingRuntime rt(loop);
    rt.behaviours["app"] = Behaviour{Duration::max(), 0, honours};
    rt.handlers = [](const std::string&, HandlerPurpose purpose, Duration) {
      return HandlerReply{.takes = purpose == HandlerPurpose::PreStopHook ? seconds(3) : Duration{0}};
    };
    core::Container app = container("app");
    app.lifecycle = core::Lifecycle{std::nullopt, execHook({"sleep", "3"})};
    core::RunRecord r = runPod(makePod({}, {app}), rt, loop, deleteAfter(seconds(1)));
    EXPECT_EQ(transitions(r, "app").back(), honours ? "4.000s Running->Terminated Error" : "31.000s Running->Terminated Error");
    EXPECT_EQ(attempts(r, core::AttemptKind::PreStopHook), (std::vector<std::string>{"1.000s success"}));
  }
}

TEST(PreStop, AllHooksStartAtOnceEvenWithSidecars) {
  // §11.3 #4: preStop hooks run in parallel; only SIGTERM is ordered.
  VirtualEventLoop loop;
  RecordingRuntime rt(loop);
  for (const char* n : {"proxy", "log", "app"}) rt.behaviours[n] = Behaviour{Duration::max(), 0, true};
  rt.handlers = [](const std::string&, HandlerPurpose purpose, Duration) {
    return HandlerReply{.takes = purpose == HandlerPurpose::PreStopHook ? seconds(4) : Duration{0}};
  };
  core::Container proxy = sidecar("proxy");
  core::Container log = sidecar("log");
  core::Container app = container("app");
  for (core::Container* c : {&proxy, &log, &app}) c->lifecycle = core::Lifecycle{std::nullopt, execHook({"sleep", "4"})};
  core::RunRecord r = runPod(makePod({proxy, log}, {app}), rt, loop, deleteAfter(seconds(10)));
  for (const core::HandlerAttempt& a : r.attempts()) EXPECT_EQ(at(a.start), "10.000s") << a.container;
  EXPECT_EQ(r.attempts().size(), 3u);
}

TEST(PreStop, FailureIsReportedAndTerminationGoesOn) {
  VirtualEventLoop loop;
  RecordingRuntime rt(loop);
  rt.behaviours["app"] = Behaviour{Duration::max(), 0, true};
  rt.handlers = [](const std::string&, HandlerPurpose purpose, Duration) {
    return HandlerReply{.exitCode = purpose == HandlerPurpose::PreStopHook ? 2 : 0};
  };
  core::Container app = container("app");
  app.lifecycle = core::Lifecycle{std::nullopt, execHook({"sh", "-c", "exit 2"})};
  core::RunRecord r = runPod(makePod({}, {app}), rt, loop, deleteAfter(seconds(1)));
  EXPECT_EQ(events(r, "FailedPreStopHook"), (std::vector<std::string>{"1.000s PreStopHook failed"}));
  EXPECT_EQ(transitions(r, "app").back(), "1.000s Running->Terminated Error");
}

// ---- Sidecars -------------------------------------------------------------------

TEST(Sidecar, NextInitWaitsForStartupNotReadiness) {
  // §11.3 #3.
  VirtualEventLoop loop;
  RecordingRuntime rt(loop);
  rt.behaviours["proxy"] = Behaviour{Duration::max(), 0, true};
  rt.behaviours["migrate"] = Behaviour{seconds(2), 0};
  rt.behaviours["app"] = Behaviour{Duration::max(), 0, true};
  rt.handlers = [](const std::string&, HandlerPurpose purpose, Duration sinceStart) {
    if (purpose == HandlerPurpose::StartupProbe) return HandlerReply{.exitCode = sinceStart >= seconds(8) ? 0 : 1};
    return HandlerReply{.exitCode = 1};  // never ready
  };
  core::Container proxy = sidecar("proxy");
  proxy.startupProbe = execProbe(0, 4, 10);
  proxy.readinessProbe = execProbe(0, 4, 3);
  core::RunRecord r =
      runPod(makePod({proxy, container("migrate")}, {container("app")}), rt, loop, deleteAfter(seconds(30)));
  EXPECT_EQ(runningAt(r, "migrate"), (std::vector<std::string>{"8.000s"}));
  EXPECT_EQ(runningAt(r, "app"), (std::vector<std::string>{"10.000s"}));
  std::vector<std::string> st = statuses(r);
  EXPECT_EQ(st[0], "0.000s 0/2 Init:0/2");
  EXPECT_THAT(st, ::testing::Contains("8.000s 0/2 Init:1/2"));
  EXPECT_THAT(st, ::testing::Contains("10.000s 1/2 Running"));  // app ready, proxy never
}

TEST(Sidecar, RestartsUnderNeverAndThePodStillSucceeds) {
  VirtualEventLoop loop;
  RecordingRuntime rt(loop);
  rt.behaviours["log"] = Behaviour{seconds(3), 1, true};
  rt.behaviours["job"] = Behaviour{seconds(20), 0};
  core::RunRecord r = runPod(makePod({sidecar("log")}, {container("job")}, core::RestartPolicy::Never), rt, loop);
  // log: 0-3, restart at once 3-6, back-off 10 s -> 16-19, then stopped when job ends at 20.
  EXPECT_EQ(runningAt(r, "log"), (std::vector<std::string>{"0.000s", "3.000s", "16.000s"}));
  EXPECT_EQ(r.outcome, core::RunOutcome::Succeeded);
}

TEST(Sidecar, StopsAfterTheMainContainersInReverseOrder) {
  VirtualEventLoop loop;
  RecordingRuntime rt(loop);
  for (const char* n : {"first", "second", "app"}) rt.behaviours[n] = Behaviour{Duration::max(), 0, true};
  rt.handlers = [](const std::string&, HandlerPurpose purpose, Duration) {
    return HandlerReply{.takes = purpose == HandlerPurpose::PreStopHook ? seconds(4) : Duration{0}};
  };
  core::Container app = container("app");
  app.lifecycle = core::Lifecycle{std::nullopt, execHook({"sleep", "4"})};
  core::RunRecord r = runPod(makePod({sidecar("first"), sidecar("second")}, {app}, core::RestartPolicy::Always, 10),
                             rt, loop, deleteAfter(seconds(5)));
  // app's preStop takes 4 s, then it stops on SIGTERM; the sidecars wait
  // for it, then stop in reverse order.
  EXPECT_EQ(transitions(r, "app").back(), "9.000s Running->Terminated Error");
  EXPECT_EQ(transitions(r, "second").back(), "9.000s Running->Terminated Error");
  EXPECT_EQ(transitions(r, "first").back(), "9.000s Running->Terminated Error");
  std::vector<std::string> kills;
  for (const std::string& call : rt.calls) {
    if (call.rfind("killContainer", 0) == 0) kills.push_back(call);
  }
  EXPECT_EQ(kills, (std::vector<std::string>{"killContainer app SIGTERM", "killContainer second SIGTERM",
                                             "killContainer first SIGTERM"}));
}

TEST(Sidecar, WaitForTheTurnIsBoundedByTheGracePeriod) {
  VirtualEventLoop loop;
  RecordingRuntime rt(loop);
  rt.behaviours["log"] = Behaviour{Duration::max(), 0, false};
  rt.behaviours["app"] = Behaviour{Duration::max(), 0, false};
  core::RunRecord r =
      runPod(makePod({sidecar("log")}, {container("app")}, core::RestartPolicy::Always, 10), rt, loop,
             deleteAfter(seconds(5)));
  // Both ignore SIGTERM. app: SIGKILL at 15. log waits its whole grace for
  // its turn (until 15), then gets SIGTERM and the 2 s minimum: 17.
  EXPECT_EQ(transitions(r, "app").back(), "15.000s Running->Terminated Error");
  EXPECT_EQ(transitions(r, "log").back(), "17.000s Running->Terminated Error");
}

TEST(Sidecar, InitFailureBeforeTheSidecarUnderNeverFailsWithoutStartingIt) {
  VirtualEventLoop loop;
  RecordingRuntime rt(loop);
  rt.behaviours["check"] = Behaviour{seconds(1), 1};
  core::RunRecord r =
      runPod(makePod({container("check"), sidecar("proxy")}, {container("app")}, core::RestartPolicy::Never), rt, loop);
  EXPECT_TRUE(runningAt(r, "proxy").empty());
  EXPECT_EQ(r.outcome, core::RunOutcome::Failed);
  EXPECT_EQ(statuses(r).back(), "1.000s 0/2 Init:Error");
}

// ---- Termination -----------------------------------------------------------------

TEST(Termination, DeletionGraceIsNeverBelowOneSecond) {
  VirtualEventLoop loop;
  RecordingRuntime rt(loop);
  rt.behaviours["app"] = Behaviour{Duration::max(), 0, false};
  core::Container app = container("app");
  app.lifecycle = core::Lifecycle{std::nullopt, execHook({"sleep", "60"})};
  rt.handlers = [](const std::string&, HandlerPurpose, Duration) { return HandlerReply{.takes = seconds(60)}; };
  // --grace-period=0 without --force is sent as 1: the preStop gets 1 s,
  // then SIGTERM and the 2 s minimum.
  core::RunRecord r = runPod(makePod({}, {app}), rt, loop, deleteAfter(seconds(1), Duration{0}));
  EXPECT_EQ(transitions(r, "app").back(), "4.000s Running->Terminated Error");
}

// ---- Back-off ------------------------------------------------------------------------

TEST(BackOff, FirstRestartImmediateThenDoubling) {
  // §11.3 #1.
  VirtualEventLoop loop;
  RecordingRuntime rt(loop);
  rt.behaviours["app"] = Behaviour{seconds(1), 1};
  core::RunRecord r = runPod(makePod({}, {container("app")}), rt, loop, deleteAfter(seconds(200)));
  EXPECT_EQ(runningAt(r, "app"),
            (std::vector<std::string>{"0.000s", "1.000s", "12.000s", "33.000s", "74.000s", "155.000s"}));
}

TEST(BackOff, ResetsWhenTheLastUpdateIsOlderThanTwiceTheCap) {
  // §11.3 #2: not "ran N seconds", but finished > 600 s after the last update.
  VirtualEventLoop loop;
  RecordingRuntime rt(loop);
  rt.behaviours["app"] = Behaviour{seconds(1), 1};
  rt.attemptBehaviours[{"app", 2}] = Behaviour{seconds(590), 1};  // updated at 12 s, exits at 602 s
  rt.attemptBehaviours[{"app", 3}] = Behaviour{seconds(700), 1};
  core::RunRecord r = runPod(makePod({}, {container("app")}), rt, loop, deleteAfter(seconds(1400)));
  // 602 - 12 <= 600: still in back-off (20 s) -> 622; 622 + 700 = 1322 > 622 + 600: immediate.
  // After the reset the schedule starts over: 10 s, 20 s.
  EXPECT_EQ(runningAt(r, "app"), (std::vector<std::string>{"0.000s", "1.000s", "12.000s", "622.000s", "1322.000s",
                                                           "1333.000s", "1354.000s", "1395.000s"}));
}

TEST(Termination, MessageComesFromTheFileTailOrTheLogsOnFailure) {
  // §11.3 #14: the tail of the file; logs only with FallbackToLogsOnError,
  // a non-zero exit and an empty file.
  struct Case {
    core::TerminationMessagePolicy policy;
    int exitCode;
    std::optional<std::string> file;
    std::string expected;
  };
  std::string longFile = "head-" + std::string(5000, 'x') + "-tail";
  for (const Case& c : std::vector<Case>{
           {core::TerminationMessagePolicy::File, 1, "config missing\n", "exit code 1: config missing"},
           {core::TerminationMessagePolicy::File, 1, std::nullopt, "exit code 1"},
           {core::TerminationMessagePolicy::FallbackToLogsOnError, 1, std::nullopt, "exit code 1: line 2\nline 3"},
           {core::TerminationMessagePolicy::FallbackToLogsOnError, 1, "", "exit code 1: line 2\nline 3"},
           {core::TerminationMessagePolicy::FallbackToLogsOnError, 0, std::nullopt, "exit code 0"},
           {core::TerminationMessagePolicy::FallbackToLogsOnError, 1, "from file", "exit code 1: from file"},
           {core::TerminationMessagePolicy::File, 1, longFile,
            "exit code 1: " + longFile.substr(longFile.size() - 4096)},
       }) {
    VirtualEventLoop loop;
    RecordingRuntime rt(loop);
    rt.behaviours["app"] = Behaviour{seconds(1), c.exitCode, true, c.file, std::string("line 2\nline 3\n")};
    core::Container app = container("app");
    app.terminationMessagePolicy = c.policy;
    core::RunRecord r = runPod(makePod({}, {app}, core::RestartPolicy::Never), rt, loop);
    auto last = std::find_if(r.transitions().rbegin(), r.transitions().rend(),
                             [](const core::Transition& t) { return t.subject == "app" && t.to == "Terminated"; });
    ASSERT_NE(last, r.transitions().rend());
    EXPECT_EQ(last->message, c.expected);
  }
}

TEST(Termination, LogTailIsTheLastEightyLinesWithinTwoKilobytes) {
  std::string log;
  for (int i = 1; i <= 100; ++i) log += "line " + std::to_string(i) + "\n";
  std::string tail = tailForTerminationMessage(log);
  EXPECT_EQ(tail.substr(0, 8), "line 21\n");
  EXPECT_EQ(tail.substr(tail.size() - 9), "line 100\n");
  EXPECT_EQ(tailForTerminationMessage(std::string(3000, 'a')).size(), 2048u);
  EXPECT_EQ(tailForTerminationMessage("one\ntwo", 1), "two");
  EXPECT_EQ(tailForTerminationMessage("", 80), "");
}

TEST(RunFor, EndsWhereThePodIsEvenDuringAPostStartHook) {
  // One container still in its (endless) postStart hook, one whose process
  // exited while its hook ran: the watch ends at 10 s either way, the record
  // stops there, and nothing is left running.
  for (Duration runFor : {Duration::max(), Duration{seconds(1)}}) {
    VirtualEventLoop loop;
    RecordingRuntime rt(loop);
    rt.behaviours["app"] = Behaviour{runFor, 0, true};
    rt.handlers = [](const std::string&, HandlerPurpose purpose, Duration) {
      return HandlerReply{.takes = purpose == HandlerPurpose::PostStartHook ? std::chrono::hours(1) : Duration{0}};
    };
    core::Container app = container("app");
    app.lifecycle = core::Lifecycle{execHook({"sh", "-c", "sleep 3600"}), std::nullopt};
    RunOptions options;
    options.runFor = seconds(10);
    core::RunRecord r = runPod(makePod({}, {app}), rt, loop, options);
    EXPECT_EQ(r.outcome, core::RunOutcome::Stopped);
    EXPECT_EQ(r.outcomeMessage, "watched for 10s; pod phase Pending");
    EXPECT_EQ(transitions(r, "app"), (std::vector<std::string>{"0.000s ->Waiting ContainerCreating"}));
    EXPECT_EQ(statuses(r).back(), "10.000s 0/1 ContainerCreating");
    EXPECT_TRUE(rt.alive.empty());
  }
}

TEST(BackOff, KeyChangesWithTheContainerSpec) {
  core::Container a = container("app");
  core::Container b = a;
  b.image = "busybox:1.37";
  EXPECT_NE(containerSpecHash(a), containerSpecHash(b));
  EXPECT_EQ(containerSpecHash(a), containerSpecHash(container("app")));
}

}  // namespace
}  // namespace podscope::engine
