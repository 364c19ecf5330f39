#include "core/run_record.h"

#include <gtest/gtest.h>

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

}  // namespace
}  // namespace podscope::core
