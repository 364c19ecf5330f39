// The "why" of a run: table-driven over records written fact by fact, then
// over whole pods run on the simulated runtime.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <functional>

#include "core/report_explainer.h"
#include "report_records.h"

namespace podscope::core {
namespace {

using testing::RecordBuilder;
using ::testing::HasSubstr;
using namespace std::chrono_literals;

/// The facts of one topic, text only.
std::vector<std::string> facts(const std::vector<WhyFact>& all, WhyTopic topic) {
  std::vector<std::string> out;
  for (const WhyFact& f : all) {
    if (f.topic == topic) out.push_back(f.text);
  }
  return out;
}

struct Case {
  std::string name;
  std::function<RunRecord()> record;
  WhyTopic topic;
  std::vector<std::string> expected;  ///< the topic's facts, exactly and in order
  friend void PrintTo(const Case& c, std::ostream* os) { *os << c.name; }
};

RecordBuilder running(const std::string& pod, const std::string& c) {
  RecordBuilder b(pod);
  b.phase(0, "", "Pending").state(0, c, "", "Waiting", "ContainerCreating").state(0, c, "Waiting", "Running", "Started");
  b.phase(0, "Pending", "Running");
  return b;
}

const std::string kBackOff10 = "back-off 10s restarting failed container=init pod=p_default(uid)";

std::vector<Case> cases() {
  using enum AttemptKind;
  using enum AttemptResult;
  return {
      {"ReadinessFailingAtTheEnd",
       [] {
         return running("p", "web")
             .podCondition(0, "Ready", false, "ContainersNotReady", "containers with unready status: [web]")
             .condition(0, SubjectKind::Container, "web", "Started", true)
             .condition(0, SubjectKind::Container, "web", "Ready", false)
             .attempt(10, 0.002, "web", ReadinessProbe, Failure, "HTTP probe failed with statuscode: 503", 1)
             .attempt(20, 0.002, "web", ReadinessProbe, Failure, "HTTP probe failed with statuscode: 503\n", 2)
             .end(30, RunOutcome::Stopped, "watched for 30s; pod phase Running")
             .build();
       },
       WhyTopic::NotReady,
       {"The pod was not Ready at the end: Ready was False since 0.000s, ContainersNotReady (containers with unready "
        "status: [web]).",
        "container web was running but not ready at the end: its last readiness probe failed at 20.000s (failure 2 in "
        "a row): “HTTP probe failed with statuscode: 503”."}},
      {"ReadyAtTheEnd",
       [] {
         return running("p", "web").podCondition(0, "Ready", false).podCondition(12.5, "Ready", true).end(30, RunOutcome::Stopped).build();
       },
       WhyTopic::NotReady,
       {"The pod was Ready at the end, since 12.500s."}},
      {"OOMKilledRestart",
       [] {
         return running("p", "web")
             .state(20, "web", "Running", "Terminated", "OOMKilled", "exit code 137", 137)
             .state(20, "web", "Terminated", "Running", "Started", "restart 1")
             .end(30, RunOutcome::Stopped)
             .build();
       },
       WhyTopic::Restart,
       {"Restart 1 of container web at 20.000s: it was killed for running out of memory (OOMKilled, exit code 137) at "
        "20.000s."}},
      {"CompletedUnderAlways",
       [] {
         return running("p", "job")
             .state(5, "job", "Running", "Terminated", "Completed", "exit code 0: all done", 0)
             .state(5, "job", "Terminated", "Running", "Started", "restart 1")
             .end(8, RunOutcome::Stopped)
             .build();
       },
       WhyTopic::Restart,
       {"Restart 1 of container job at 5.000s: it exited with code 0 (Completed), with the termination message “all "
        "done” at 5.000s, and under restartPolicy Always a container that exits 0 is restarted too."}},
      {"StartupProbeRestart",
       [] {
         return running("p", "app")
             .attempt(10, 0.001, "app", StartupProbe, Failure, "connection refused", 1)
             .attempt(20, 0.001, "app", StartupProbe, Failure, "connection refused", 2)
             .attempt(30, 0.001, "app", StartupProbe, Failure, "connection refused", 3, true)
             .event(30, EventType::Normal, "Killing", "spec.containers{app}",
                    "Container app failed startup probe, will be restarted")
             .state(30, "app", "Running", "Terminated", "Error", "exit code 143", 143)
             .state(31, "app", "Terminated", "Running", "Started", "restart 1")
             .end(40, RunOutcome::Stopped)
             .build();
       },
       WhyTopic::Restart,
       {"Restart 1 of container app at 31.000s: its startup probe failed 3 times in a row, failure 3 at 30.000s: "
        "“connection refused”; the kubelet said “Container app failed startup probe, will be restarted” (Killing, "
        "30.000s) and it exited with code 143 (Error) at 30.000s. It started again 1s later."}},
      {"InitContainerStillRunning",
       [] {
         RecordBuilder b("p");
         b.phase(0, "", "Pending")
             .state(0, "wait-for-db", "", "Waiting", "PodInitializing", "", std::nullopt, SubjectKind::InitContainer)
             .state(0, "app", "", "Waiting", "PodInitializing")
             .state(0.5, "wait-for-db", "Waiting", "Running", "Started", "", std::nullopt, SubjectKind::InitContainer)
             .podCondition(0, "Initialized", false, "ContainersNotInitialized", "containers with incomplete status: [wait-for-db]")
             .podCondition(0, "Ready", false, "ContainersNotReady", "containers with unready status: [app]")
             .end(60, RunOutcome::Stopped);
         return b.build();
       },
       WhyTopic::NotReady,
       {"The pod was not Ready at the end: Ready was False since 0.000s, ContainersNotReady (containers with unready "
        "status: [app]).",
        "Init container wait-for-db was still running at the end (since 0.500s), so the pod was not Initialized and "
        "its containers had not started.",
        "container app was waiting at the end (PodInitializing, since 0.000s)."}},
      {"InitContainerCrashLooping",
       [] {
         RecordBuilder b("p");
         b.phase(0, "", "Pending")
             .state(0, "init", "", "Running", "Started", "", std::nullopt, SubjectKind::InitContainer)
             .state(2, "init", "Running", "Terminated", "Error", "exit code 1", 1, SubjectKind::InitContainer)
             .state(2, "init", "Terminated", "Waiting", "CrashLoopBackOff", kBackOff10, std::nullopt, SubjectKind::InitContainer)
             .podCondition(0, "Initialized", false, "ContainersNotInitialized", "containers with incomplete status: [init]")
             .podCondition(0, "Ready", false, "ContainersNotReady", "containers with unready status: [app]")
             .end(5, RunOutcome::Stopped);
         return b.build();
       },
       WhyTopic::NotReady,
       {"The pod was not Ready at the end: Ready was False since 0.000s, ContainersNotReady (containers with unready "
        "status: [app]).",
        "Init container init kept failing: it was waiting in CrashLoopBackOff at the end (since 2.000s) after it exited "
        "with code 1 (Error) at 2.000s; the pod stays Pending until every init container exits with code 0."}},
      {"BackOffStillWaitingAtTheEnd",
       [] {
         RecordBuilder b("p");
         b.state(0, "init", "", "Running", "Started", "", std::nullopt, SubjectKind::InitContainer)
             .state(2, "init", "Running", "Terminated", "Error", "exit code 1", 1, SubjectKind::InitContainer)
             .state(2, "init", "Terminated", "Waiting", "CrashLoopBackOff", kBackOff10, std::nullopt, SubjectKind::InitContainer)
             .end(5, RunOutcome::Stopped);
         return b.build();
       },
       WhyTopic::BackOff,
       {"init container init waited in CrashLoopBackOff from 2.000s: the kubelet's back-off was 10s (“" + kBackOff10 +
            "”); it was still waiting when the run ended at 5.000s, and the kubelet would start it again at 12.000s.",
        "The kubelet restarts a container that exits at once the first time, then waits 10s and doubles the wait after "
        "each further exit (20s, 40s, 1m20s, 2m40s) up to 5m0s; the back-off is forgotten once 10 minutes pass "
        "without another."}},
      {"SigkillWhenTheGraceRunsOut",
       [] {
         return running("p", "app")
             .event(20, EventType::Normal, "Killing", "spec.containers{app}", "Stopping container app")
             .signal(20, "app", 15, "SIGTERM")
             .signal(30, "app", 9, "SIGKILL")
             .state(30, "app", "Running", "Terminated", "Error", "exit code 137 (SIGKILL)", 137)
             .end(30, RunOutcome::Deleted, "deleted; pod phase Failed")
             .build();
       },
       WhyTopic::Stopping,
       {"The kubelet stopped container app at 20.000s: “Stopping container app” (Killing). SIGTERM was sent at "
        "20.000s. It had not exited when the grace period ran out, so SIGKILL was sent at 30.000s, 10s after Killing, "
        "and it exited with code 137 (Error) at 30.000s."}},
      {"PreStopOverranTheGrace",
       [] {
         return running("p", "app")
             .event(10, EventType::Normal, "Killing", "spec.containers{app}", "Stopping container app")
             .signal(20, "app", 15, "SIGTERM")
             .signal(22, "app", 9, "SIGKILL")
             .state(22, "app", "Running", "Terminated", "Error", "exit code 137 (SIGKILL)", 137)
             .attempt(10, 12, "app", PreStopHook, Error, "context canceled")
             .end(22, RunOutcome::Deleted)
             .build();
       },
       WhyTopic::Stopping,
       {"The kubelet stopped container app at 10.000s: “Stopping container app” (Killing). Its preStop hook was still "
        "running when the grace period ran out (10s after it began), so SIGTERM went out at 20.000s without waiting "
        "for it. SIGTERM was sent at 20.000s. It had not exited when the grace period ran out, so SIGKILL was sent at "
        "22.000s, 12s after Killing, and it exited with code 137 (Error) at 22.000s."}},
      {"PreStopInsideTheGrace",
       [] {
         return running("p", "app")
             .event(10, EventType::Normal, "Killing", "spec.containers{app}", "Stopping container app")
             .attempt(10, 3, "app", PreStopHook, Success, "")
             .signal(13, "app", 3, "SIGQUIT")
             .state(13.5, "app", "Running", "Terminated", "Completed", "exit code 0", 0)
             .end(13.5, RunOutcome::Deleted)
             .build();
       },
       WhyTopic::Stopping,
       {"The kubelet stopped container app at 10.000s: “Stopping container app” (Killing). Its preStop hook finished "
        "in 3s, at 13.000s, inside the grace period. SIGQUIT was sent at 13.000s. It exited with code 0 (Completed) at "
        "13.500s, 0.500s after SIGQUIT, inside the grace period."}},
      {"FailedOutcome",
       [] {
         return running("p", "app")
             .state(4, "app", "Running", "Terminated", "Error", "exit code 3", 3)
             .phase(4, "Running", "Failed")
             .status(4, "0/1", "Error", "0", "4s")
             .end(4, RunOutcome::Failed, "container \"app\" exited with code 3")
             .build();
       },
       WhyTopic::Outcome,
       {"container app exited with code 3 (Error) at 4.000s and was not started again.",
        "The run ended at 4.000s: Failed (container \"app\" exited with code 3), on the simulated runtime. The pod's "
        "phase was Failed (since 4.000s). kubectl get pod: READY 0/1, STATUS Error, RESTARTS 0."}},
  };
}

class ExplainRecord : public ::testing::TestWithParam<Case> {};

TEST_P(ExplainRecord, SaysWhyFromTheFacts) {
  const Case& c = GetParam();
  EXPECT_EQ(facts(explainRun(c.record()), c.topic), c.expected);
}

INSTANTIATE_TEST_SUITE_P(Report, ExplainRecord, ::testing::ValuesIn(cases()),
                         [](const ::testing::TestParamInfo<Case>& info) { return info.param.name; });

TEST(ExplainRecord, GroupsFactsByTopicInOrder) {
  RunRecord r = running("p", "app")
                    .state(3, "app", "Running", "Terminated", "Error", "exit code 1", 1)
                    .state(3, "app", "Terminated", "Running", "Started")
                    .podCondition(0, "Ready", true)
                    .end(5, RunOutcome::Stopped)
                    .build();
  std::vector<WhyFact> all = explainRun(r);
  ASSERT_FALSE(all.empty());
  for (std::size_t i = 1; i < all.size(); ++i) EXPECT_LE(all[i - 1].topic, all[i].topic);
  EXPECT_EQ(all.back().topic, WhyTopic::Outcome);
  EXPECT_EQ(all.back().time, testing::sec(5));
}

// --- whole pods on the simulated runtime -------------------------------------

TEST(ExplainSimulatedRun, CrashLoopBackOffDoublesFromTenSeconds) {
  RunRecord r = testing::simulate(testing::readExample("crash-loop.yaml"), testing::watchFor(3min));
  std::vector<std::string> backOff = facts(explainRun(r), WhyTopic::BackOff);
  ASSERT_EQ(backOff.size(), 6u);  // five waits and the rule
  EXPECT_THAT(backOff[0], HasSubstr("from 6.000s: the kubelet's back-off was 10s"));
  EXPECT_THAT(backOff[0], HasSubstr("it started again at 16.000s (restart 2), 10s later."));
  EXPECT_THAT(backOff[1], HasSubstr("The kubelet restarts a container that exits at once the first time"));
  EXPECT_THAT(backOff[2], HasSubstr("from 19.000s: the kubelet's back-off was 20s"));
  EXPECT_THAT(backOff[3], HasSubstr("back-off was 40s"));
  EXPECT_THAT(backOff[4], HasSubstr("back-off was 1m20s"));
  EXPECT_THAT(backOff[5], HasSubstr("back-off was 2m40s"));
  EXPECT_THAT(backOff[5], HasSubstr("it was still waiting when the run ended at 180.000s, and the kubelet would start it again at 328.000s."));
  std::vector<std::string> restarts = facts(explainRun(r), WhyTopic::Restart);
  ASSERT_EQ(restarts.size(), 5u);
  EXPECT_EQ(restarts[0], "Restart 1 of container flaky at 3.000s: it exited with code 1 (Error) at 3.000s.");
  std::vector<std::string> notReady = facts(explainRun(r), WhyTopic::NotReady);
  ASSERT_EQ(notReady.size(), 2u);
  EXPECT_THAT(notReady[1], HasSubstr("container flaky was waiting at the end (CrashLoopBackOff, since 168.000s)"));
}

TEST(ExplainSimulatedRun, LivenessFailureNamesTheAttemptAndTheKubeletsWords) {
  RunRecord r = testing::simulate(R"(apiVersion: v1
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
)",
                                  testing::watchFor(1min));
  std::vector<std::string> restarts = facts(explainRun(r), WhyTopic::Restart);
  ASSERT_FALSE(restarts.empty());
  EXPECT_THAT(restarts[0], HasSubstr("its liveness probe failed once, failure 1 at 20.000s: “cat: can't open "
                                     "'/tmp/health': No such file or directory”"));
  EXPECT_THAT(restarts[0], HasSubstr("the kubelet said “Container busybox failed liveness probe, will be restarted” "
                                     "(Killing, 20.000s)"));
}

TEST(ExplainSimulatedRun, GracefulShutdownTellsSigtermFromSigkill) {
  RunRecord r = testing::simulate(testing::readExample("graceful-shutdown.yaml"), testing::deleteAfter(20s));
  std::vector<std::string> stopping = facts(explainRun(r), WhyTopic::Stopping);
  ASSERT_EQ(stopping.size(), 2u);
  EXPECT_EQ(stopping[0],
            "The kubelet stopped container well-behaved at 20.000s: “Stopping container well-behaved” (Killing). "
            "SIGTERM was sent at 20.000s. It exited with code 0 (Completed) at 20.000s, 0s after SIGTERM, inside the "
            "grace period.");
  EXPECT_EQ(stopping[1],
            "The kubelet stopped container ignores-sigterm at 20.000s: “Stopping container ignores-sigterm” "
            "(Killing). SIGTERM was sent at 20.000s. It had not exited when the grace period ran out, so SIGKILL was "
            "sent at 30.000s, 10s after Killing, and it exited with code 137 (Error) at 30.000s.");
}

TEST(ExplainSimulatedRun, PreStopFinishesInsideTheGrace) {
  RunRecord r = testing::simulate(testing::readExample("readiness-scenario.yaml"), testing::deleteAfter(70s));
  std::vector<std::string> stopping = facts(explainRun(r), WhyTopic::Stopping);
  ASSERT_EQ(stopping.size(), 2u);
  EXPECT_THAT(stopping[0], HasSubstr("“Container web failed liveness probe, will be restarted” (Killing). Its "
                                     "preStop hook finished in 5s, at 65.000s, inside the grace period."));
  EXPECT_THAT(stopping[1], HasSubstr("at 70.000s: “Stopping container web” (Killing)"));
}

TEST(ExplainSimulatedRun, PreStopLongerThanTheGraceEndsInSigkill) {
  RunRecord r = testing::simulate(R"(apiVersion: v1
kind: Pod
metadata:
  name: slow-stop
  annotations:
    podscope.dev/simulate: |
      preStop takes 60s
      ignores SIGTERM
spec:
  terminationGracePeriodSeconds: 10
  containers:
  - name: app
    image: busybox:1.36
    command: [sleep, "3600"]
    lifecycle:
      preStop:
        exec: {command: [sleep, "60"]}
)",
                                  testing::deleteAfter(5s));
  std::vector<std::string> stopping = facts(explainRun(r), WhyTopic::Stopping);
  ASSERT_EQ(stopping.size(), 1u);
  // 11.2.2: G = 10, H = 60, SIGTERM ignored: SIGTERM at 10 s, SIGKILL 2 s later. The
  // engine records no result for a hook its container's exit cut short.
  EXPECT_THAT(stopping[0], HasSubstr("Its preStop hook was still running when the grace period ran out: no result "
                                     "of it is recorded, and SIGTERM went out 10s after Killing. SIGTERM was sent at "
                                     "15.000s."));
  EXPECT_THAT(stopping[0], HasSubstr("SIGKILL was sent at 17.000s, 12s after Killing"));
}

TEST(ExplainSimulatedRun, OomKilledAndNeverReady) {
  RunRecord r = testing::simulate(R"(apiVersion: v1
kind: Pod
metadata:
  name: hungry
  annotations:
    podscope.dev/simulate: |
      oom-killed after 20s
      readiness fails with status 503 and "not yet"
spec:
  containers:
  - name: app
    image: busybox:1.36
    readinessProbe:
      httpGet: {path: /ready, port: 8080}
)",
                                  testing::watchFor(25s));
  std::vector<WhyFact> all = explainRun(r);
  std::vector<std::string> restarts = facts(all, WhyTopic::Restart);
  ASSERT_EQ(restarts.size(), 1u);
  EXPECT_EQ(restarts[0], "Restart 1 of container app at 20.000s: it was killed for running out of memory (OOMKilled, "
                         "exit code 137) at 20.000s.");
  std::vector<std::string> notReady = facts(all, WhyTopic::NotReady);
  ASSERT_EQ(notReady.size(), 2u);
  EXPECT_THAT(notReady[1], HasSubstr("container app was running but not ready at the end: its last readiness probe "
                                     "failed at 20.000s"));
  EXPECT_THAT(notReady[1], HasSubstr("“HTTP probe failed with statuscode: 503”"));
}

}  // namespace
}  // namespace podscope::core
