// The rollout record: observers hear every entry (a pod's own record
// included), and the kubectl-shaped text made from it — get deployment,
// get replicaset, events with the controllers as From, rollout history and
// rollout status.

#include "core/rollout_record.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace podscope::core {
namespace {

using std::chrono::seconds;
using ::testing::ElementsAre;

DeploymentStatus status(int desired, int replicas, int updated, int ready, int available) {
  DeploymentStatus s;
  s.generation = s.observedGeneration = 1;
  s.desiredReplicas = desired;
  s.replicas = replicas;
  s.updatedReplicas = updated;
  s.readyReplicas = ready;
  s.availableReplicas = available;
  return s;
}

ReplicaSetRecord replicaSet(const std::string& name, std::int64_t revision, RunTime created,
                            std::string changeCause = "") {
  ReplicaSetRecord rs;
  rs.name = name;
  rs.hash = name.substr(name.rfind('-') + 1);
  rs.revision = revision;
  rs.created = created;
  rs.changeCause = std::move(changeCause);
  return rs;
}

TEST(RolloutRecord, ScalingMessagesUseTheOlderWording) {
  EXPECT_EQ(scalingReplicaSetMessage("nginx-648458674d", 1, 2), "Scaled up replica set nginx-648458674d to 2");
  EXPECT_EQ(scalingReplicaSetMessage("nginx-6888c79454", 2, 1), "Scaled down replica set nginx-6888c79454 to 1");
  EXPECT_EQ(scalingReplicaSetMessage("nginx-6888c79454", 0, 3), "Scaled up replica set nginx-6888c79454 to 3");
}

TEST(RolloutRecord, ControllersAreTheSourceOfTheirEvents) {
  struct Case {
    const char* reason;
    const char* source;
  };
  for (const Case& c : {Case{"ScalingReplicaSet", "deployment-controller"},
                        Case{"SuccessfulCreate", "replicaset-controller"},
                        Case{"SuccessfulDelete", "replicaset-controller"}, Case{"Scheduled", "default-scheduler"},
                        Case{"Pulled", "kubelet"}, Case{"Killing", "kubelet"}}) {
    Event e;
    e.reason = c.reason;
    EXPECT_EQ(eventSource(e), c.source) << c.reason;
  }
}

TEST(RolloutRecord, KubectlGetDeploymentColumns) {
  DeploymentStatusLine line = deploymentStatusLine(seconds(135), status(3, 4, 1, 2, 2));
  EXPECT_EQ(line.ready, "2/3");
  EXPECT_EQ(line.upToDate, "1");
  EXPECT_EQ(line.available, "2");
  EXPECT_EQ(line.age, "2m15s");
}

TEST(RolloutRecord, ObserversHearEveryEntryAndEachPodsRecord) {
  RolloutRecord record;
  std::vector<std::string> heard;
  RolloutObserver o;
  o.onEvent = [&](const Event& e) { heard.push_back("event " + e.reason); };
  o.onReplicaSet = [&](const ReplicaSetRecord& rs) { heard.push_back("rs " + rs.name + " " + std::to_string(rs.revision)); };
  o.onReplicaSetSample = [&](const ReplicaSetSample& s) { heard.push_back("sample " + s.replicaSet); };
  o.onStatusLine = [&](const DeploymentStatusLine& l) { heard.push_back("line " + l.ready); };
  o.onCondition = [&](const DeploymentCondition& c) { heard.push_back("condition " + c.reason); };
  o.onPodCreated = [&](const RolloutPod& p) { heard.push_back("pod " + p.name); };
  o.onPodFinished = [&](const RolloutPod& p) { heard.push_back("gone " + p.name); };
  o.podObserver = [&](const RolloutPod& p) {
    RecordObserver r;
    r.onEvent = [&heard, name = p.name](const Event& e) { heard.push_back(name + ": " + e.reason); };
    return r;
  };
  record.observe(o);
  record.putReplicaSet(replicaSet("web-abc", 1, seconds(0)));
  record.append(ReplicaSetSample{seconds(0), "web-abc", 1, 0, 0, 0});
  record.append(Event{seconds(0), EventType::Normal, "ScalingReplicaSet", "", "Scaled up replica set web-abc to 1"});
  RolloutPod& pod = record.addPod("web-abc-xyz12", "web-abc", seconds(1));
  pod.record.append(Event{seconds(0), EventType::Normal, "Scheduled", "", "..."});
  record.append(DeploymentCondition{seconds(1), "Available", ConditionStatus::False, "MinimumReplicasUnavailable", ""});
  record.append(deploymentStatusLine(seconds(1), status(1, 1, 1, 0, 0)));
  ReplicaSetRecord again = replicaSet("web-abc", 3, seconds(0));
  record.putReplicaSet(again);
  record.podFinished("web-abc-xyz12", seconds(9));
  record.podFinished("nobody", seconds(9));
  EXPECT_THAT(heard, ElementsAre("rs web-abc 1", "sample web-abc", "event ScalingReplicaSet", "pod web-abc-xyz12",
                                 "web-abc-xyz12: Scheduled", "condition MinimumReplicasUnavailable", "line 0/1",
                                 "rs web-abc 3", "gone web-abc-xyz12"));
  ASSERT_EQ(record.replicaSets().size(), 1u);
  EXPECT_EQ(record.replicaSets()[0].revision, 3);
  ASSERT_NE(record.findPod("web-abc-xyz12"), nullptr);
  EXPECT_EQ(record.findPod("web-abc-xyz12")->finished, RunTime(seconds(9)));
  EXPECT_EQ(rolloutTime(*record.findPod("web-abc-xyz12"), seconds(2)), RunTime(seconds(3)));

  // Once it stops observing, the pods' records are quiet too.
  record.stopObserving();
  heard.clear();
  pod.record.append(Event{});
  record.append(Event{});
  EXPECT_TRUE(heard.empty());
}

TEST(RolloutRecord, PodsKeepTheirPlaceAsMoreAreAdded) {
  RolloutRecord record;
  RolloutPod& first = record.addPod("a", "rs", seconds(0));
  for (int i = 0; i < 1000; ++i) record.addPod("p" + std::to_string(i), "rs", seconds(i));
  EXPECT_EQ(&first, &record.pods().front());
  EXPECT_EQ(first.name, "a");
}

RolloutRecord sampleRecord() {
  RolloutRecord r;
  r.deploymentName = "nginx";
  r.deploymentNamespace = "default";
  r.putReplicaSet(replicaSet("nginx-6888c79454", 1, seconds(0)));
  r.append(ReplicaSetSample{seconds(0), "nginx-6888c79454", 3, 3, 0, 0});
  r.append(deploymentStatusLine(seconds(0), status(3, 3, 3, 0, 0)));
  r.append(ReplicaSetSample{seconds(2), "nginx-6888c79454", 3, 3, 3, 3});
  r.append(deploymentStatusLine(seconds(2), status(3, 3, 3, 3, 3)));
  r.append(Event{seconds(0), EventType::Normal, "ScalingReplicaSet", "", "Scaled up replica set nginx-6888c79454 to 3"});
  r.append(Event{seconds(0), EventType::Normal, "SuccessfulCreate", "replicaset/nginx-6888c79454",
                 "Created pod: nginx-6888c79454-bcdfg"});
  r.putReplicaSet(replicaSet("nginx-648458674d", 2, seconds(10), "kubectl set image deployment/nginx nginx=nginx:1.20.1"));
  r.append(ReplicaSetSample{seconds(10), "nginx-648458674d", 1, 1, 0, 0});
  r.append(deploymentStatusLine(seconds(10), status(3, 4, 1, 3, 3)));
  r.append(Event{seconds(10), EventType::Normal, "ScalingReplicaSet", "", "Scaled up replica set nginx-648458674d to 1"});
  r.append(ReplicaSetSample{seconds(12), "nginx-648458674d", 1, 1, 1, 1});
  r.append(ReplicaSetSample{seconds(12), "nginx-6888c79454", 2, 2, 2, 2});
  return r;
}

TEST(RolloutRecord, GetDeploymentWatchLines) {
  EXPECT_EQ(formatDeploymentLines(sampleRecord()),
            "NAME   READY  UP-TO-DATE  AVAILABLE  AGE\n"
            "nginx  0/3    3           0          0s\n"
            "nginx  3/3    3           3          2s\n"
            "nginx  3/3    1           3          10s\n");
}

TEST(RolloutRecord, GetReplicaSetAtAMoment) {
  RolloutRecord r = sampleRecord();
  EXPECT_EQ(formatReplicaSets(r, seconds(5)),
            "NAME              DESIRED  CURRENT  READY  AGE\n"
            "nginx-6888c79454  3        3        3      5s\n");
  EXPECT_EQ(formatReplicaSets(r),
            "NAME              DESIRED  CURRENT  READY  AGE\n"
            "nginx-6888c79454  2        2        2      12s\n"
            "nginx-648458674d  1        1        1      2s\n");
  ReplicaSetRecord gone = *r.findReplicaSet("nginx-6888c79454");
  gone.deleted = seconds(20);
  r.putReplicaSet(gone);
  EXPECT_EQ(formatReplicaSets(r, seconds(25)),
            "NAME              DESIRED  CURRENT  READY  AGE\n"
            "nginx-648458674d  1        1        1      15s\n");
}

TEST(RolloutRecord, EventsNameTheControllersAndTheObjects) {
  EXPECT_EQ(formatRolloutEvents(sampleRecord()),
            "Type    Reason             Age   From                   Object                       Message\n"
            "----    ------             ----  ----                   ------                       -------\n"
            "Normal  ScalingReplicaSet  0s    deployment-controller  deployment/nginx             Scaled up replica set "
            "nginx-6888c79454 to 3\n"
            "Normal  SuccessfulCreate   0s    replicaset-controller  replicaset/nginx-6888c79454  Created pod: "
            "nginx-6888c79454-bcdfg\n"
            "Normal  ScalingReplicaSet  10s   deployment-controller  deployment/nginx             Scaled up replica set "
            "nginx-648458674d to 1\n");
}

TEST(RolloutRecord, RolloutHistoryByRevision) {
  RolloutRecord r = sampleRecord();
  EXPECT_EQ(formatRolloutHistory(r),
            "deployment.apps/nginx\n"
            "REVISION  CHANGE-CAUSE\n"
            "1         <none>\n"
            "2         kubectl set image deployment/nginx nginx=nginx:1.20.1\n");
  // A rollback renumbers: the old ReplicaSet is now revision 3.
  ReplicaSetRecord back = *r.findReplicaSet("nginx-6888c79454");
  back.revision = 3;
  back.revisionHistory = {1};
  r.putReplicaSet(back);
  EXPECT_EQ(formatRolloutHistory(r),
            "deployment.apps/nginx\n"
            "REVISION  CHANGE-CAUSE\n"
            "2         kubectl set image deployment/nginx nginx=nginx:1.20.1\n"
            "3         <none>\n");
  RolloutRecord empty;
  empty.deploymentName = "nginx";
  EXPECT_EQ(formatRolloutHistory(empty), "No rollout history found.\n");
}

TEST(RolloutRecord, ConditionsTable) {
  RolloutRecord r;
  r.append(DeploymentCondition{seconds(0), "Progressing", ConditionStatus::True, "NewReplicaSetCreated",
                               "Created new replica set \"nginx-6888c79454\""});
  r.append(DeploymentCondition{seconds(5), "Progressing", ConditionStatus::Unknown, "DeploymentPaused",
                               "Deployment is paused"});
  EXPECT_EQ(formatDeploymentConditions(r),
            "TIME    TYPE         STATUS   REASON                MESSAGE\n"
            "0.000s  Progressing  True     NewReplicaSetCreated  Created new replica set \"nginx-6888c79454\"\n"
            "5.000s  Progressing  Unknown  DeploymentPaused      Deployment is paused\n");
}

TEST(RolloutStatus, KubectlsWordsForEachState) {
  struct Case {
    DeploymentStatus status;
    bool deadline;
    std::string text;
    bool done;
    bool error;
  };
  DeploymentStatus unobserved = status(3, 3, 3, 3, 3);
  unobserved.generation = 2;
  const std::vector<Case> cases = {
      {unobserved, false, "Waiting for deployment spec update to be observed...", false, false},
      {status(3, 3, 3, 3, 3), true, "deployment \"nginx\" exceeded its progress deadline", false, true},
      {status(3, 4, 1, 3, 3), false,
       "Waiting for deployment \"nginx\" rollout to finish: 1 out of 3 new replicas have been updated...", false,
       false},
      {status(3, 4, 3, 3, 3), false,
       "Waiting for deployment \"nginx\" rollout to finish: 1 old replicas are pending termination...", false, false},
      {status(3, 3, 3, 2, 2), false,
       "Waiting for deployment \"nginx\" rollout to finish: 2 of 3 updated replicas are available...", false, false},
      {status(3, 3, 3, 3, 3), false, "deployment \"nginx\" successfully rolled out", true, false},
  };
  for (const Case& c : cases) {
    RolloutStatusMessage m = rolloutStatusMessage("nginx", c.status, c.deadline);
    EXPECT_EQ(m.text, c.text);
    EXPECT_EQ(m.done, c.done) << c.text;
    EXPECT_EQ(m.error, c.error) << c.text;
  }
}

TEST(RolloutStatus, LinesOverARecordChangeOnlyWhenTheMessageDoes) {
  RolloutRecord r;
  r.deploymentName = "nginx";
  r.append(deploymentStatusLine(seconds(0), status(3, 3, 0, 3, 3)));
  r.append(deploymentStatusLine(seconds(1), status(3, 4, 1, 3, 3)));
  r.append(deploymentStatusLine(seconds(2), status(3, 4, 1, 4, 3)));  // same message
  r.append(deploymentStatusLine(seconds(3), status(3, 3, 3, 3, 2)));
  r.append(deploymentStatusLine(seconds(4), status(3, 3, 3, 3, 3)));
  r.append(deploymentStatusLine(seconds(5), status(3, 4, 1, 3, 3)));  // after done: not printed
  EXPECT_THAT(rolloutStatusLines(r),
              ElementsAre("Waiting for deployment \"nginx\" rollout to finish: 0 out of 3 new replicas have been updated...",
                          "Waiting for deployment \"nginx\" rollout to finish: 1 out of 3 new replicas have been updated...",
                          "Waiting for deployment \"nginx\" rollout to finish: 2 of 3 updated replicas are available...",
                          "deployment \"nginx\" successfully rolled out"));

  RolloutRecord stuck;
  stuck.deploymentName = "nginx";
  stuck.append(deploymentStatusLine(seconds(0), status(3, 4, 1, 3, 3)));
  stuck.append(DeploymentCondition{seconds(601), "Progressing", ConditionStatus::False, "ProgressDeadlineExceeded",
                                   "ReplicaSet \"nginx-648458674d\" has timed out progressing."});
  EXPECT_THAT(rolloutStatusLines(stuck),
              ElementsAre("Waiting for deployment \"nginx\" rollout to finish: 1 out of 3 new replicas have been updated...",
                          "error: deployment \"nginx\" exceeded its progress deadline"));
}

}  // namespace
}  // namespace podscope::core
