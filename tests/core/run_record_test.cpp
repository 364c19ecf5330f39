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
  r.onTransition = [&](const Transition&) { ++transitions; };
  r.onEvent = [&](const Event&) { ++events; };
  r.append(Transition{});
  r.append(Event{});
  r.append(Event{});
  EXPECT_EQ(transitions, 1);
  EXPECT_EQ(events, 2);
  EXPECT_EQ(r.events().size(), 2u);
}

}  // namespace
}  // namespace podscope::core
