// Whole pods on the simulated runtime: the behaviours the kubelet's own e2e
// tests check for probes, hooks and init containers (test/e2e/common/node/
// container_probe.go, lifecycle_hook.go, init_container.go), restated on
// virtual time, and the `kubectl get` STATUS sequences of typical pods.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <map>

#include "core/manifest_reader.h"
#include "engine/pod_worker.h"
#include "engine/runtime/simulated/simulated_runtime.h"
#include "engine/virtual_event_loop.h"

namespace podscope::engine {
namespace {

using std::chrono::minutes;
using std::chrono::seconds;

core::Pod pod(const std::string& yaml) {
  auto p = core::readPod(yaml, "test.yaml");
  EXPECT_TRUE(p.has_value()) << (p ? "" : p.error().message);
  return p ? *p : core::Pod{};
}

core::RunRecord run(const core::Pod& p, RunOptions options) {
  VirtualEventLoop loop;
  SimulatedRuntime runtime(loop);
  return runPod(p, runtime, loop, options);
}

RunOptions watchFor(Duration d) {
  RunOptions o;
  o.runFor = d;
  return o;
}

RunOptions deleteAfter(Duration d) {
  RunOptions o;
  o.deleteAfter = d;
  return o;
}

std::string at(core::RunTime t) { return core::formatRunTime(t); }

std::vector<std::string> statusSequence(const core::RunRecord& r) {
  std::vector<std::string> out;
  for (const core::PodStatusLine& l : r.statusLines()) {
    std::string line = l.ready + " " + l.status + " " + l.restarts.substr(0, l.restarts.find(' '));
    if (out.empty() || out.back() != line) out.push_back(line);
  }
  return out;
}

int restarts(const core::RunRecord& r, const std::string& container) {
  int n = 0;
  for (const core::Transition& t : r.transitions()) {
    if (t.subject == container && t.to == "Running") ++n;
  }
  return std::max(0, n - 1);
}

std::vector<std::string> events(const core::RunRecord& r, const std::string& reason) {
  std::vector<std::string> out;
  for (const core::Event& e : r.events()) {
    if (e.reason == reason) out.push_back(at(e.time) + " " + e.message);
  }
  return out;
}

std::vector<std::string> signalsTo(const core::RunRecord& r, const std::string& container) {
  std::vector<std::string> out;
  for (const core::SignalSent& sig : r.signalsSent()) {
    if (sig.container == container) out.push_back(at(sig.time) + " " + sig.name);
  }
  return out;
}

// container_probe.go: "should be restarted with a exec "cat /tmp/health" liveness probe"
TEST(SimulatedPod, ExecLivenessProbeRestartsWhenTheFileGoes) {
  core::RunRecord r = run(pod(R"(apiVersion: v1
kind: Pod
metadata: {name: liveness-exec}
spec:
  containers:
  - name: busybox
    image: busybox:1.36
    command: [sh, -c, "echo ok >/tmp/health; sleep 10; rm -rf /tmp/health; sleep 600"]
    livenessProbe:
      exec: {command: [cat, /tmp/health]}
      initialDelaySeconds: 15
      failureThreshold: 1
)"),
                           watchFor(minutes(1)));
  EXPECT_EQ(restarts(r, "busybox"), 1);
  std::vector<std::string> unhealthy = events(r, "Unhealthy");
  ASSERT_FALSE(unhealthy.empty());
  // Ticks every 10 s from admission; the first at or after 15 s is 20 s.
  // The output is cat's stderr as is, newline included, as in kubectl describe.
  EXPECT_EQ(unhealthy[0], "20.000s Liveness probe failed: cat: can't open '/tmp/health': No such file or directory\n");
  EXPECT_EQ(events(r, "Killing")[0], "20.000s Container busybox failed liveness probe, will be restarted");
}

// container_probe.go: "should *not* be restarted with a exec "cat /tmp/health" liveness probe"
TEST(SimulatedPod, ExecLivenessProbeKeepsAHealthyContainer) {
  core::RunRecord r = run(pod(R"(apiVersion: v1
kind: Pod
metadata: {name: liveness-ok}
spec:
  containers:
  - name: busybox
    image: busybox:1.36
    command: [sh, -c, "echo ok >/tmp/health; sleep 600"]
    livenessProbe:
      exec: {command: [cat, /tmp/health]}
      initialDelaySeconds: 15
      failureThreshold: 1
)"),
                          watchFor(minutes(4)));
  EXPECT_EQ(restarts(r, "busybox"), 0);
  EXPECT_TRUE(events(r, "Unhealthy").empty());
}

// container_probe.go: "should have monotonically increasing restart count"
TEST(SimulatedPod, RestartCountGrowsWithTheBackOff) {
  core::RunRecord r = run(pod(R"(apiVersion: v1
kind: Pod
metadata: {name: liveness-loop}
spec:
  containers:
  - name: busybox
    image: busybox:1.36
    command: [sh, -c, "echo ok >/tmp/health; sleep 5; rm -rf /tmp/health; sleep 600"]
    livenessProbe:
      exec: {command: [cat, /tmp/health]}
      initialDelaySeconds: 5
      periodSeconds: 1
      failureThreshold: 1
)"),
                          watchFor(minutes(5)));
  std::vector<int> counts;
  for (const core::PodStatusLine& l : r.statusLines()) counts.push_back(std::stoi(l.restarts));
  EXPECT_TRUE(std::is_sorted(counts.begin(), counts.end()));
  // Each instance fails its probe ~5 s after starting; `sh -c` as PID 1
  // ignores SIGTERM, so it dies 30 s later. Restarts at 36 s (immediate),
  // 82 s (+10), 138 s (+20), 214 s (+40); the next would be at 330 s.
  EXPECT_EQ(restarts(r, "busybox"), 4);
}

// container_probe.go: "with readiness probe should not be ready before initial delay and never restart"
TEST(SimulatedPod, ReadyOnlyAfterTheInitialDelayAndNeverRestarted) {
  core::RunRecord r = run(pod(R"(apiVersion: v1
kind: Pod
metadata: {name: readiness}
spec:
  containers:
  - name: web
    image: busybox:1.36
    readinessProbe:
      exec: {command: ["true"]}
      initialDelaySeconds: 20
      periodSeconds: 3
)"),
                          watchFor(minutes(1)));
  std::vector<std::string> ready;
  for (const core::ConditionChange& c : r.conditions()) {
    if (c.subject == "readiness" && c.type == "Ready") ready.push_back(at(c.time) + (c.status ? " True" : " False"));
  }
  // Ticks at 0, 3, ..., 21: the first at or after 20 s.
  EXPECT_EQ(ready, (std::vector<std::string>{"0.000s False", "21.000s True"}));
  EXPECT_EQ(restarts(r, "web"), 0);
}

// container_probe.go: "with readiness probe that fails should never be ready and never restart"
TEST(SimulatedPod, FailingReadinessNeverReadyNeverRestarted) {
  core::RunRecord r = run(pod(R"(apiVersion: v1
kind: Pod
metadata: {name: never-ready}
spec:
  containers:
  - name: web
    image: busybox:1.36
    readinessProbe:
      exec: {command: ["false"]}
)"),
                          watchFor(minutes(2)));
  EXPECT_EQ(statusSequence(r), (std::vector<std::string>{"0/1 ContainerCreating 0", "0/1 Running 0"}));
  EXPECT_EQ(restarts(r, "web"), 0);
}

// lifecycle_hook.go: "should execute poststart exec hook properly" and
// "should execute prestop exec hook properly", on the simulator's files.
TEST(SimulatedPod, HooksRunAndTakeTheirTime) {
  core::RunRecord r = run(pod(R"(apiVersion: v1
kind: Pod
metadata: {name: hooks}
spec:
  terminationGracePeriodSeconds: 20
  containers:
  - name: app
    image: busybox:1.36
    command: [sh, -c, "trap 'exit 0' TERM; while true; do sleep 1; done"]
    lifecycle:
      postStart: {exec: {command: [sh, -c, "sleep 3; touch /tmp/started"]}}
      preStop: {exec: {command: [sh, -c, "sleep 5"]}}
    readinessProbe:
      exec: {command: [cat, /tmp/started]}
      periodSeconds: 1
)"),
                          deleteAfter(seconds(10)));
  std::vector<std::string> hooks;
  for (const core::HandlerAttempt& a : r.attempts()) {
    if (a.kind == core::AttemptKind::PostStartHook || a.kind == core::AttemptKind::PreStopHook) {
      hooks.push_back(std::string(core::toString(a.kind)) + " " + at(a.start) + " took " + at(a.duration) + " " +
                      std::string(core::toString(a.result)));
    }
  }
  EXPECT_EQ(hooks, (std::vector<std::string>{"postStart 0.000s took 3.000s success",
                                             "preStop 10.000s took 5.000s success"}));
  // Running only once postStart returned, and ready right after (readiness
  // is probed at once); still ready while its preStop runs, since readiness
  // goes on during termination.
  EXPECT_EQ(statusSequence(r), (std::vector<std::string>{"0/1 ContainerCreating 0", "0/1 Running 0",
                                                         "1/1 Running 0", "1/1 Terminating 0",
                                                         "0/1 Completed 0"}));
}

// The seed's preStop `sleep 10000000` with a 20 s grace period: killed at
// the end of the grace period plus the 2 s minimum.
TEST(SimulatedPod, PreStopOutlivingTheGracePeriod) {
  core::RunRecord r = run(pod(R"(apiVersion: v1
kind: Pod
metadata: {name: myapp}
spec:
  terminationGracePeriodSeconds: 20
  containers:
  - name: myapp
    image: busybox:1.36
    command: [sh, -c, "sleep 3600"]
    lifecycle:
      preStop: {exec: {command: [sh, -c, "sleep 10000000"]}}
)"),
                          deleteAfter(seconds(5)));
  auto last = std::find_if(r.transitions().rbegin(), r.transitions().rend(),
                           [](const core::Transition& t) { return t.subject == "myapp" && t.exitCode; });
  ASSERT_NE(last, r.transitions().rend());
  EXPECT_EQ(at(last->time), "27.000s");
  EXPECT_EQ(*last->exitCode, 137);
  // The hook had the whole grace period; the stop signal comes when it is
  // up, and SIGKILL the kubelet's minimum 2 s later.
  EXPECT_EQ(signalsTo(r, "myapp"), (std::vector<std::string>{"25.000s SIGTERM", "27.000s SIGKILL"}));
  EXPECT_EQ(r.ended, seconds(27));
}

// §11.3 #16: busybox `sh -c 'sleep 3600'` as PID 1 has no TERM handler: it
// takes the whole grace period and dies by SIGKILL.
TEST(SimulatedPod, BusyboxShellIgnoresSigterm) {
  core::RunRecord r = run(pod(R"(apiVersion: v1
kind: Pod
metadata: {name: stubborn}
spec:
  terminationGracePeriodSeconds: 5
  containers:
  - {name: app, image: busybox:1.36, command: [sh, -c, "sleep 3600"]}
)"),
                          deleteAfter(seconds(2)));
  auto last = std::find_if(r.transitions().rbegin(), r.transitions().rend(),
                           [](const core::Transition& t) { return t.subject == "app" && t.exitCode; });
  ASSERT_NE(last, r.transitions().rend());
  EXPECT_EQ(at(last->time), "7.000s");
  EXPECT_EQ(*last->exitCode, 137);
  EXPECT_EQ(signalsTo(r, "app"), (std::vector<std::string>{"2.000s SIGTERM", "7.000s SIGKILL"}));
}

// A sidecar is stopped after the app containers have exited (termination
// ordering), so its stop signal comes after theirs; one that exits on
// SIGTERM gets no SIGKILL.
TEST(SimulatedPod, SidecarGetsItsStopSignalAfterTheAppExits) {
  core::RunRecord r = run(pod(R"(apiVersion: v1
kind: Pod
metadata:
  name: with-sidecar
  annotations:
    podscope.dev/simulate: |
      container app:
        on SIGTERM exit 0 after 3s
      container proxy:
        on SIGTERM exit 0 after 1s
spec:
  terminationGracePeriodSeconds: 30
  initContainers:
  - {name: proxy, image: busybox:1.36, restartPolicy: Always}
  containers:
  - {name: app, image: busybox:1.36}
)"),
                          deleteAfter(seconds(10)));
  EXPECT_EQ(signalsTo(r, "app"), (std::vector<std::string>{"10.000s SIGTERM"}));
  EXPECT_EQ(signalsTo(r, "proxy"), (std::vector<std::string>{"13.000s SIGTERM"}));
  ASSERT_EQ(r.signalsSent().size(), 2u);
  EXPECT_EQ(r.signalsSent()[1].kind, core::SubjectKind::InitContainer);
  EXPECT_EQ(r.signalsSent()[1].number, 15);
}

// §11.3 #14 on the simulator: the file the container wrote, or its last
// output with FallbackToLogsOnError.
TEST(SimulatedPod, TerminationMessageFromTheFileOrTheOutput) {
  core::RunRecord r = run(pod(R"(apiVersion: v1
kind: Pod
metadata: {name: messages}
spec:
  restartPolicy: Never
  containers:
  - name: file
    image: busybox:1.36
    command: [sh, -c, "echo 'db unreachable' > /dev/termination-log; exit 1"]
  - name: logs
    image: busybox:1.36
    terminationMessagePolicy: FallbackToLogsOnError
    command: [sh, -c, "echo starting; echo 'panic: no config'; exit 2"]
  - name: ok
    image: busybox:1.36
    terminationMessagePolicy: FallbackToLogsOnError
    command: [sh, -c, "echo all good"]
)"),
                          watchFor(minutes(1)));
  std::map<std::string, std::string> messages;
  for (const core::Transition& t : r.transitions()) {
    if (t.to == "Terminated") messages[t.subject] = t.message;
  }
  EXPECT_EQ(messages["file"], "exit code 1: db unreachable");
  EXPECT_EQ(messages["logs"], "exit code 2: starting\npanic: no config");
  EXPECT_EQ(messages["ok"], "exit code 0");  // logs are never used after exit 0
}

// init_container.go: "should not start app containers if init containers
// fail on a RestartAlways pod"
TEST(SimulatedPod, FailingInitUnderAlwaysNeverStartsTheApp) {
  core::RunRecord r = run(pod(R"(apiVersion: v1
kind: Pod
metadata: {name: init-fails}
spec:
  initContainers:
  - {name: init1, image: busybox:1.36, command: ["false"]}
  - {name: init2, image: busybox:1.36, command: ["true"]}
  containers:
  - {name: run1, image: busybox:1.36}
)"),
                          watchFor(minutes(2)));
  EXPECT_EQ(restarts(r, "run1"), 0);
  EXPECT_TRUE(std::none_of(r.transitions().begin(), r.transitions().end(),
                           [](const core::Transition& t) { return t.subject == "run1" && t.to == "Running"; }));
  EXPECT_GE(restarts(r, "init1"), 3);
  std::vector<std::string> seq = statusSequence(r);
  EXPECT_EQ(seq[0], "0/1 Init:0/2 0");
  EXPECT_THAT(seq, ::testing::Contains(::testing::StartsWith("0/1 Init:CrashLoopBackOff")));
  EXPECT_THAT(seq, ::testing::Contains(::testing::StartsWith("0/1 Init:Error")));
}

// The kubectl STATUS sequences of typical pods, start to end.
struct StatusCase {
  std::string name;
  std::string yaml;
  RunOptions options;
  std::vector<std::string> expected;
};

class StatusSequences : public ::testing::TestWithParam<StatusCase> {};

TEST_P(StatusSequences, MatchKubectl) {
  const StatusCase& c = GetParam();
  EXPECT_EQ(statusSequence(run(pod(c.yaml), c.options)), c.expected);
}

INSTANTIATE_TEST_SUITE_P(
    Pods, StatusSequences,
    ::testing::Values(
        StatusCase{"TwoInitContainers", R"(apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  restartPolicy: Never
  initContainers:
  - {name: a, image: busybox:1.36, command: [sh, -c, "sleep 2"]}
  - {name: b, image: busybox:1.36, command: [sh, -c, "sleep 1"]}
  containers:
  - {name: main, image: busybox:1.36, command: [sh, -c, "sleep 5"]}
)",
                   watchFor(minutes(1)),
                   {"0/1 Init:0/2 0", "0/1 Init:1/2 0", "0/1 PodInitializing 0", "1/1 Running 0",
                    "0/1 Completed 0"}},
        StatusCase{"CrashLoop", R"(apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  containers:
  - {name: main, image: busybox:1.36, command: [sh, -c, "sleep 1; exit 1"]}
)",
                   watchFor(seconds(30)),
                   {"0/1 ContainerCreating 0", "1/1 Running 0", "0/1 Error 0", "1/1 Running 1", "0/1 Error 1",
                    "0/1 CrashLoopBackOff 1", "1/1 Running 2", "0/1 Error 2", "0/1 CrashLoopBackOff 2"}},
        StatusCase{"FailedInitUnderNever", R"(apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  restartPolicy: Never
  initContainers:
  - {name: check, image: busybox:1.36, command: [sh, -c, "exit 3"]}
  containers:
  - {name: main, image: busybox:1.36}
)",
                   watchFor(minutes(1)), {"0/1 Init:0/1 0", "0/1 Init:Error 0"}},
        StatusCase{"SidecarAndJob", R"(apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  restartPolicy: Never
  initContainers:
  - {name: proxy, image: busybox:1.36, restartPolicy: Always}
  containers:
  - {name: job, image: busybox:1.36, command: [sh, -c, "sleep 10"]}
)",
                   watchFor(minutes(1)),
                   // kubectl turns Completed into NotReady only for a running regular container.
                   {"0/2 Init:0/1 0", "1/2 PodInitializing 0", "2/2 Running 0", "1/2 Completed 0",
                    "0/2 Completed 0"}}),
    [](const ::testing::TestParamInfo<StatusCase>& info) { return info.param.name; });

}  // namespace
}  // namespace podscope::engine
