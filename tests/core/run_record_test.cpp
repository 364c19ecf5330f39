#include "core/run_record.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace podscope::core {
namespace {

using std::chrono::milliseconds;

TEST(RunRecord, FormatsTimeWithMilliseconds) {
  EXPECT_EQ(formatRunTime(milliseconds(0)), "0.000s");
  EXPECT_EQ(formatRunTime(milliseconds(12345)), "12.345s");
  EXPECT_EQ(formatRunTime(std::chrono::minutes(5)), "300.000s");
}

TEST(RunRecord, TransitionsTableIsAligned) {
  RunRecord r;
  r.podName = "p";
  r.append(Transition{milliseconds(0), SubjectKind::Pod, "p", "", "Pending", "", ""});
  r.append(Transition{milliseconds(1500), SubjectKind::InitContainer, "init-a", "Waiting", "Running", "Started", ""});
  EXPECT_EQ(formatTransitions(r),
            "TIME    CONTAINER  FROM     TO       REASON   MESSAGE\n"
            "0.000s  pod/p      -        Pending  -\n"
            "1.500s  init-a     Waiting  Running  Started\n");
}

TEST(RunRecord, ObserversSeeEachAppend) {
  RunRecord r;
  int transitions = 0;
  int events = 0;
  int attempts = 0;
  r.onTransition = [&](const Transition&) { ++transitions; };
  r.onEvent = [&](const Event&) { ++events; };
  r.onAttempt = [&](const HandlerAttempt&) { ++attempts; };
  r.append(Transition{});
  r.append(Event{});
  r.append(Event{});
  r.append(HandlerAttempt{});
  r.append(ConditionChange{});
  EXPECT_EQ(transitions, 1);
  EXPECT_EQ(events, 2);
  EXPECT_EQ(attempts, 1);
  EXPECT_EQ(r.events().size(), 2u);
  EXPECT_EQ(r.attempts().size(), 1u);
  EXPECT_EQ(r.conditions().size(), 1u);
}

TEST(RunRecord, AnObserverHearsEveryKindOfEntryInOrder) {
  RunRecord r;
  std::vector<std::string> heard;
  RecordObserver observer;
  observer.onTransition = [&](const Transition& t) { heard.push_back("transition " + t.to); };
  observer.onEvent = [&](const Event& e) { heard.push_back("event " + e.reason); };
  observer.onStatusLine = [&](const PodStatusLine& l) { heard.push_back("status " + l.status); };
  observer.onAttempt = [&](const HandlerAttempt& a) { heard.push_back("attempt " + a.container); };
  observer.onCondition = [&](const ConditionChange& c) { heard.push_back("condition " + c.type); };
  r.observe(std::move(observer));

  r.append(Transition{milliseconds(0), SubjectKind::Pod, "p", "", "Pending", "", ""});
  r.append(Event{milliseconds(1), EventType::Normal, "Scheduled", "", "assigned"});
  r.append(PodStatusLine{milliseconds(2), "0/1", "ContainerCreating", "0", "0s"});
  HandlerAttempt attempt;
  attempt.container = "app";
  r.append(std::move(attempt));
  r.append(ConditionChange{milliseconds(3), SubjectKind::Pod, "p", "Ready", false, "", ""});

  EXPECT_EQ(heard, (std::vector<std::string>{"transition Pending", "event Scheduled", "status ContainerCreating",
                                             "attempt app", "condition Ready"}));
}

TEST(RunRecord, AnObserverSeesTheStoredEntry) {
  // The callback gets the entry as the record holds it, so a reader may
  // keep its address for as long as the record lives.
  RunRecord r;
  const HandlerAttempt* seen = nullptr;
  r.onAttempt = [&](const HandlerAttempt& a) { seen = &a; };
  HandlerAttempt attempt;
  attempt.output = "ok";
  r.append(std::move(attempt));
  ASSERT_EQ(r.attempts().size(), 1u);
  EXPECT_EQ(seen, &r.attempts().front());
}

TEST(RunRecord, StoppingObservingClearsEveryCallback) {
  RunRecord r;
  int calls = 0;
  RecordObserver observer;
  observer.onTransition = [&](const Transition&) { ++calls; };
  observer.onStatusLine = [&](const PodStatusLine&) { ++calls; };
  observer.onCondition = [&](const ConditionChange&) { ++calls; };
  r.observe(std::move(observer));
  r.stopObserving();
  EXPECT_FALSE(r.onTransition);
  EXPECT_FALSE(r.onStatusLine);
  EXPECT_FALSE(r.onCondition);
  r.append(Transition{});
  r.append(PodStatusLine{});
  r.append(ConditionChange{});
  EXPECT_EQ(calls, 0);
  EXPECT_EQ(r.statusLines().size(), 1u);
}

}  // namespace
}  // namespace podscope::core
