#include "ui/lane_layout.h"

#include <gtest/gtest.h>

#include "ui/transition_model.h"

namespace podscope::ui {
namespace {

using namespace std::chrono_literals;
using core::RunTime;
using core::SubjectKind;

struct ClassifyCase {
  const char* name;
  SubjectKind kind;
  const char* to;
  const char* reason;
  std::optional<int> exitCode;
  LaneState expected;
};

class ClassifyStateTest : public ::testing::TestWithParam<ClassifyCase> {};

TEST_P(ClassifyStateTest, MapsEngineWordsToLaneStates) {
  const ClassifyCase& c = GetParam();
  EXPECT_EQ(classifyState(c.kind, QString::fromUtf8(c.to), QString::fromUtf8(c.reason), c.exitCode), c.expected)
      << c.to << " " << c.reason << " " << c.exitCode.value_or(-1);
}

INSTANTIATE_TEST_SUITE_P(
    States, ClassifyStateTest,
    ::testing::Values(ClassifyCase{"PodPending", SubjectKind::Pod, "Pending", "", std::nullopt, LaneState::Pending},
                      ClassifyCase{"PodRunning", SubjectKind::Pod, "Running", "", std::nullopt, LaneState::Running},
                      ClassifyCase{"PodSucceeded", SubjectKind::Pod, "Succeeded", "", std::nullopt, LaneState::Succeeded},
                      ClassifyCase{"PodFailed", SubjectKind::Pod, "Failed", "", std::nullopt, LaneState::Failed},
                      ClassifyCase{"PodUnknownPhase", SubjectKind::Pod, "Unknown", "", std::nullopt, LaneState::Unknown},
                      ClassifyCase{"WaitingCreating", SubjectKind::Container, "Waiting", "ContainerCreating", std::nullopt, LaneState::Waiting},
                      ClassifyCase{"WaitingBackOff", SubjectKind::Container, "Waiting", "CrashLoopBackOff", std::nullopt, LaneState::Waiting},
                      ClassifyCase{"InitRunning", SubjectKind::InitContainer, "Running", "Started", std::nullopt, LaneState::Running},
                      ClassifyCase{"InitCompleted", SubjectKind::InitContainer, "Terminated", "Completed", 0,
                                   LaneState::Succeeded},
                      ClassifyCase{"ErrorExit", SubjectKind::Container, "Terminated", "Error", 1, LaneState::Failed},
                      ClassifyCase{"OomKilled", SubjectKind::Container, "Terminated", "OOMKilled", std::nullopt, LaneState::Failed},
                      ClassifyCase{"NoReasonExitZero", SubjectKind::Container, "Terminated", "", 0, LaneState::Succeeded},
                      ClassifyCase{"NoReasonExit137", SubjectKind::Container, "Terminated", "", 137, LaneState::Failed},
                      ClassifyCase{"UnknownWord", SubjectKind::Container, "Sleeping", "", std::nullopt, LaneState::Unknown}),
    [](const ::testing::TestParamInfo<ClassifyCase>& info) { return std::string(info.param.name); });

TEST(LaneLayoutTest, EmptyModelHasNoLanes) {
  TransitionModel model;
  const LaneLayout layout = layoutLanes(model);
  EXPECT_TRUE(layout.lanes.empty());
  EXPECT_EQ(layout.end, RunTime{0});
}

TEST(LaneLayoutTest, OneLanePerSubjectPodFirstThenInitThenContainers) {
  TransitionModel model;
  // Deliberately out of group order: lanes must still come out grouped.
  model.setTransitions({
      {0s, SubjectKind::Container, "app", "", "Waiting", "PodInitializing", ""},
      {0s, SubjectKind::InitContainer, "init-a", "", "Waiting", "PodInitializing", ""},
      {0s, SubjectKind::Pod, "demo", "", "Pending", "", ""},
      {0s, SubjectKind::InitContainer, "init-b", "", "Waiting", "PodInitializing", ""},
      {1s, SubjectKind::InitContainer, "init-a", "Waiting", "Running", "Started", ""},
      {3s, SubjectKind::InitContainer, "init-a", "Running", "Terminated", "Completed", "exit code 0"},
      {4s, SubjectKind::InitContainer, "init-b", "Waiting", "Running", "Started", ""},
      {5s, SubjectKind::InitContainer, "init-b", "Running", "Terminated", "Completed", "exit code 0"},
      {6s, SubjectKind::Container, "app", "Waiting", "Running", "Started", ""},
      {6s, SubjectKind::Pod, "demo", "Pending", "Running", "", ""},
  });
  const LaneLayout layout = layoutLanes(model);
  ASSERT_EQ(layout.lanes.size(), 4u);
  EXPECT_EQ(layout.lanes[0].subject, QStringLiteral("demo"));
  EXPECT_EQ(layout.lanes[1].subject, QStringLiteral("init-a"));
  EXPECT_EQ(layout.lanes[2].subject, QStringLiteral("init-b"));
  EXPECT_EQ(layout.lanes[3].subject, QStringLiteral("app"));
  EXPECT_EQ(layout.end, RunTime{6s});

  const Lane& initA = layout.lanes[1];
  ASSERT_EQ(initA.segments.size(), 3u);
  EXPECT_EQ(initA.segments[0].state, LaneState::Waiting);
  EXPECT_EQ(initA.segments[0].start, RunTime{0s});
  EXPECT_EQ(initA.segments[0].end, RunTime{1s});
  EXPECT_FALSE(initA.segments[0].ongoing);
  EXPECT_EQ(initA.segments[1].state, LaneState::Running);
  EXPECT_EQ(initA.segments[1].end, RunTime{3s});
  EXPECT_EQ(initA.segments[2].state, LaneState::Succeeded);
  EXPECT_EQ(initA.segments[2].end, RunTime{6s});
  EXPECT_TRUE(initA.segments[2].ongoing);
}

TEST(LaneLayoutTest, UntilStretchesOpenSegmentsOfARunInProgress) {
  TransitionModel model;
  model.setTransitions({{0s, SubjectKind::Container, "app", "", "Running", "Started", ""}});
  const LaneLayout layout = layoutLanes(model, 9s);
  EXPECT_EQ(layout.end, RunTime{9s});
  ASSERT_EQ(layout.lanes.size(), 1u);
  EXPECT_EQ(layout.lanes[0].segments.back().end, RunTime{9s});
}

TEST(LaneLayoutTest, InitContainerAndContainerWithTheSameNameKeepSeparateLanes) {
  TransitionModel model;
  model.setTransitions({
      {0s, SubjectKind::InitContainer, "same", "", "Waiting", "", ""},
      {0s, SubjectKind::Container, "same", "", "Waiting", "", ""},
  });
  EXPECT_EQ(layoutLanes(model).lanes.size(), 2u);
}

}  // namespace
}  // namespace podscope::ui
