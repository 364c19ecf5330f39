// Why a rollout went as it did, and the summary the reports open with, on
// Deployments run on the simulated runtime: a completed rolling update, one
// stuck on a readiness probe until the progress deadline, one whose new pods
// crash-loop, and a rollback.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <functional>

#include "core/rollout_report.h"
#include "report_records.h"
#include "rollout_records.h"

namespace podscope::core {
namespace {

using ::testing::ContainsRegex;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;

std::vector<std::string> facts(const std::vector<WhyFact>& all, WhyTopic topic) {
  std::vector<std::string> out;
  for (const WhyFact& f : all) {
    if (f.topic == topic) out.push_back(formatRunTime(f.time) + " " + f.text);
  }
  return out;
}

std::string joined(const std::vector<std::string>& lines) {
  std::string out;
  for (const std::string& l : lines) out += l + "\n";
  return out;
}

/// A rollout, what its Why must say under each topic (regular expressions,
/// each matched somewhere in the topic's facts), and the topics it must not have.
struct Case {
  std::string name;
  std::function<RolloutRecord()> run;
  std::vector<std::pair<WhyTopic, std::string>> says;
  std::vector<WhyTopic> silent;
};

class RolloutWhy : public ::testing::TestWithParam<Case> {};

TEST_P(RolloutWhy, SaysWhatTheRecordShows) {
  const Case& c = GetParam();
  const RolloutRecord r = c.run();
  const std::vector<WhyFact> why = explainRollout(r);
  ASSERT_FALSE(why.empty());
  EXPECT_EQ(why.front().topic, WhyTopic::Rollout);
  EXPECT_EQ(why.back().topic, WhyTopic::Outcome);
  for (const auto& [topic, pattern] : c.says) {
    EXPECT_THAT(joined(facts(why, topic)), ContainsRegex(pattern)) << toString(topic);
  }
  for (WhyTopic topic : c.silent) EXPECT_THAT(facts(why, topic), IsEmpty()) << toString(topic);
  // Topics come in one block each: Rollout, Not ready, Restarts, Outcome.
  for (std::size_t i = 1; i < why.size(); ++i) {
    const auto rank = [](WhyTopic t) {
      return t == WhyTopic::Rollout ? 0 : t == WhyTopic::NotReady ? 1 : t == WhyTopic::Restart ? 2 : 3;
    };
    EXPECT_LE(rank(why[i - 1].topic), rank(why[i].topic)) << why[i].text;
  }
}

INSTANTIATE_TEST_SUITE_P(
    Rollouts, RolloutWhy,
    ::testing::Values(
        Case{"Complete",
             [] { return testing::rollingUpdate(testing::readExample("rolling-update.yaml")); },
             {{WhyTopic::Rollout,
               "^24\\.000s The rollout of revision 2 \\(ReplicaSet nginx-[a-z0-9]+\\) completed at 24\\.000s, 18\\.000s "
               "after it began at 6\\.000s\\. Progressing became True with reason NewReplicaSetAvailable "
               "\\(“ReplicaSet \"nginx-[a-z0-9]+\" has successfully progressed\\.”\\)\\.\n$"},
              {WhyTopic::Outcome,
               "The Deployment was deleted at 24\\.000s; its last pod was gone at 24\\.000s\\. It ran on the simulated "
               "runtime\\. kubectl get deployment: READY 3/3, UP-TO-DATE 3, AVAILABLE 3\\."}},
             {WhyTopic::NotReady, WhyTopic::Restart}},
        Case{"DeadlineExceededBecauseReadinessNeverPasses",
             testing::deadlineRollout,
             {{WhyTopic::Rollout,
               "34\\.000s The rollout of revision 2 \\(ReplicaSet web-[a-z0-9]+\\) did not complete: Progressing became "
               "False with reason ProgressDeadlineExceeded at 34\\.000s \\(“ReplicaSet \"web-[a-z0-9]+\" has timed "
               "out progressing\\.”\\), 31\\.000s after it began at 3\\.000s\\. The Deployment's status had last "
               "changed at 3\\.000s \\(READY 3/4, UP-TO-DATE 2, AVAILABLE 3\\), 31\\.000s before"},
              {WhyTopic::Rollout,
               "3\\.000s The last scaling step was at 3\\.000s: “Scaled up replica set web-[a-z0-9]+ to 2”\\. At "
               "34\\.000s: web-[a-z0-9]+ \\(old\\) DESIRED 3, READY 3, AVAILABLE 3; web-[a-z0-9]+ \\(new\\) DESIRED "
               "2, READY 0, AVAILABLE 0\\."},
              {WhyTopic::NotReady,
               "All 2 pods ReplicaSet web-[a-z0-9]+ made from 3\\.000s on were not Ready when the Deployment was "
               "deleted at 34\\.000s, and none of them ever had been"},
              // The pod explainer's reason, from before the deletion made the pod unready.
              {WhyTopic::NotReady,
               "Pod web-[a-z0-9]+-[a-z0-9]+, created at 3\\.000s \\(its own record's times count from then\\), up to "
               "its deletion at 31\\.000s of its own time: container nginx was running but not ready at the end: its "
               "last readiness probe failed at 30\\.000s \\(failure 31 in a row\\): “HTTP probe failed with "
               "statuscode: 503”\\."}},
             {WhyTopic::Restart}},
        Case{"NewPodsCrashLoop",
             testing::crashLoopRollout,
             {{WhyTopic::Rollout, "with reason ProgressDeadlineExceeded at 64\\.000s"},
              {WhyTopic::NotReady,
               "The pod ReplicaSet web-[a-z0-9]+ made at 3\\.000s was not Ready at the end, 74\\.000s, and it never "
               "had been"},
              {WhyTopic::NotReady, "container nginx was waiting at the end \\(CrashLoopBackOff, since 38\\.000s\\)"},
              {WhyTopic::Restart,
               "5\\.000s Pod web-[a-z0-9]+-[a-z0-9]+, created at 3\\.000s \\(its own record's times count from "
               "then\\): restarted 3 times\\. Restart 1 of container nginx at 2\\.000s: it exited with code 1 "
               "\\(Error\\) at 2\\.000s\\."},
              {WhyTopic::Outcome, "The watch ended at 74\\.000s: Stopped\\."}},
             {}},
        Case{"Rollback",
             testing::rollbackRollout,
             {{WhyTopic::Rollout,
               "The rollout of revision 4 \\(ReplicaSet web-[a-z0-9]+, once revision 2: its template came back\\) "
               "completed at 20\\.000s, 6\\.000s after it began at 14\\.000s\\."}},
             {WhyTopic::NotReady, WhyTopic::Restart}}),
    [](const ::testing::TestParamInfo<Case>& info) { return info.param.name; });

TEST(RolloutSummary, RollingUpdateAgainstItsBounds) {
  const RolloutRecord r = testing::rollingUpdate(testing::readExample("rolling-update.yaml"));
  const RolloutSummary s = summarizeRollout(r);
  EXPECT_EQ(s.state, RolloutState::Complete);
  EXPECT_EQ(s.rolloutStatus, "deployment \"nginx\" successfully rolled out");
  ASSERT_NE(s.newReplicaSet, nullptr);
  EXPECT_EQ(s.newReplicaSet, &r.replicaSets()[1]);
  EXPECT_TRUE(s.fromEarlier);
  EXPECT_EQ(s.began, testing::sec(6));
  EXPECT_EQ(s.deleted, testing::sec(24));
  EXPECT_EQ(s.ending, "The Deployment was deleted at 24.000s");
  EXPECT_EQ(s.desired, 3);
  EXPECT_EQ(s.maxSurge, 1);  // 25% of 3, rounded up, from max-replicas 4 less desired-replicas 3
  EXPECT_EQ(s.peakReplicas, 4);
  EXPECT_EQ(s.lowestAvailable, 3);
  EXPECT_EQ(s.allAvailable, testing::sec(24));
  EXPECT_EQ(s.progressed, testing::sec(24));
  EXPECT_EQ(s.oldPodsGone, testing::sec(24));
  EXPECT_EQ(s.deadlineExceeded, std::nullopt);
  EXPECT_EQ(s.restarts, 0);
  // The tables as they stood when the Deployment was deleted, its ReplicaSets still listed.
  EXPECT_EQ(s.getDeployment, "NAME   READY  UP-TO-DATE  AVAILABLE  AGE\nnginx  3/3    3           3          24s\n");
  EXPECT_THAT(s.getReplicaSets, ContainsRegex("\nnginx-[a-z0-9]+  0        0        0      24s\n"
                                              "nginx-[a-z0-9]+  3        3        3      18s\n$"));
  ASSERT_EQ(s.revisions.size(), 2u);
  EXPECT_EQ(s.revisions[0].replicaSet->changeCause, "nginx 1.18");
  EXPECT_EQ(s.revisions[1].replicaSet->changeCause, "nginx 1.20.1");
  EXPECT_EQ(s.revisions[1].images, (std::vector<std::string>{"nginx=nginx:1.20.1"}));
}

TEST(RolloutSummary, StalledRolloutCountsPodsAtOnceWithTheirSurge) {
  const RolloutSummary s = summarizeRollout(testing::deadlineRollout());
  EXPECT_EQ(s.state, RolloutState::ProgressDeadlineExceeded);
  EXPECT_EQ(s.rolloutStatus, "error: deployment \"web\" exceeded its progress deadline");
  EXPECT_EQ(s.deadlineExceeded, testing::sec(34));
  EXPECT_EQ(s.allAvailable, std::nullopt);
  EXPECT_EQ(s.progressed, std::nullopt);
  // The three old pods are still there when the Deployment is deleted: not gone by the rollout.
  EXPECT_EQ(s.oldPodsGone, std::nullopt);
  EXPECT_EQ(s.desired, 4);
  EXPECT_EQ(s.maxSurge, 1);
  EXPECT_EQ(s.peakReplicas, 5);
  EXPECT_EQ(s.peakPods, 6);  // and the old pod Terminating from 3 s to 5 s
  EXPECT_EQ(s.lowestAvailable, 3);
}

TEST(RolloutSummary, RollbackBeginsAtTheUndoAndKeepsTheRevisionHistory) {
  const RolloutRecord r = testing::rollbackRollout();
  const RolloutSummary s = summarizeRollout(r);
  ASSERT_NE(s.newReplicaSet, nullptr);
  EXPECT_EQ(s.newReplicaSet->revision, 4);
  EXPECT_EQ(s.newReplicaSet->revisionHistory, (std::vector<std::int64_t>{2}));
  EXPECT_EQ(s.newReplicaSet->podTemplate.spec.containers[0].image, "nginx:1.19");
  EXPECT_EQ(s.began, testing::sec(14));
  EXPECT_TRUE(s.fromEarlier);
  EXPECT_EQ(s.state, RolloutState::Complete);
  ASSERT_EQ(s.revisions.size(), 3u);
  EXPECT_EQ(s.revisions.back().replicaSet, s.newReplicaSet);  // by revision: 1, 3, 4
  EXPECT_EQ(s.ending, "The watch ended at 25.000s");
}

TEST(RolloutSummary, PodRowsSayWhenEachPodWasReadyDeletedAndGone) {
  const RolloutRecord r = testing::crashLoopRollout();
  const std::vector<RolloutPodRow> rows = rolloutPodRows(r);
  ASSERT_EQ(rows.size(), r.pods().size());
  const RolloutPodRow& crashing = rows.back();
  EXPECT_EQ(crashing.pod, &r.pods().back());
  EXPECT_EQ(crashing.firstReady, std::nullopt);
  EXPECT_EQ(crashing.restarts, 3);
  EXPECT_TRUE(crashing.notable);
  EXPECT_FALSE(crashing.readyAtEnd);
  ASSERT_TRUE(crashing.last);
  EXPECT_EQ(crashing.last->status, "CrashLoopBackOff");
  // An old pod: ready at 3 s, never deleted.
  EXPECT_EQ(rows.front().firstReady, testing::sec(3));
  EXPECT_TRUE(rows.front().readyAtEnd);
  EXPECT_FALSE(rows.front().notable);
  EXPECT_EQ(rows.front().terminating, std::nullopt);
}

TEST(RolloutSummary, EventsPastTheBoundLeaveThePerPodOnesOutThenTheMiddle) {
  const RolloutRecord r = testing::rollingUpdate(testing::readExample("rolling-update.yaml"));
  ASSERT_EQ(r.events().size(), 16u);  // 7 ScalingReplicaSet, 6 SuccessfulCreate, 3 SuccessfulDelete
  EXPECT_EQ(boundedRolloutEvents(r, 16).text, formatRolloutEvents(r));
  EXPECT_EQ(boundedRolloutEvents(r, 16).note, "");
  const RolloutEventsTable noPods = boundedRolloutEvents(r, 15);
  EXPECT_EQ(noPods.note, "16 events: the replicaset-controller's 9 SuccessfulCreate and SuccessfulDelete events are left out.");
  EXPECT_THAT(noPods.text, Not(HasSubstr("SuccessfulCreate")));
  EXPECT_EQ(std::count(noPods.text.begin(), noPods.text.end(), '\n'), 2 + 7);
  const RolloutEventsTable ends = boundedRolloutEvents(r, 4);
  EXPECT_EQ(ends.note, "16 events: the replicaset-controller's 9 SuccessfulCreate and SuccessfulDelete events are left "
                       "out, and so are 3 of the others from the middle of the rollout.");
  EXPECT_EQ(std::count(ends.text.begin(), ends.text.end(), '\n'), 2 + 4);
  EXPECT_THAT(ends.text, HasSubstr("Scaled up replica set nginx-"));
}

}  // namespace
}  // namespace podscope::core
