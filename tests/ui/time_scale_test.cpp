#include "ui/time_scale.h"

#include <gtest/gtest.h>

#include <cmath>

namespace podscope::ui {
namespace {

using namespace std::chrono_literals;
using core::RunTime;

TEST(TimeScaleTest, MapsStartAndEndOntoThePixelRange) {
  const TimeScale scale(0s, 10s, 100, 500);
  EXPECT_DOUBLE_EQ(scale.toPixel(0s), 100);
  EXPECT_DOUBLE_EQ(scale.toPixel(10s), 600);
  EXPECT_DOUBLE_EQ(scale.toPixel(5s), 350);
  EXPECT_DOUBLE_EQ(scale.toPixel(-2s), 0);
}

TEST(TimeScaleTest, PixelToTimeIsTheInverse) {
  const TimeScale scale(2s, 8s, 40, 800);
  for (RunTime t : {RunTime{2s}, RunTime{3500ms}, RunTime{10s}, RunTime{7s}}) {
    EXPECT_EQ(scale.toTime(scale.toPixel(t)), t);
  }
  EXPECT_EQ(scale.toTime(40), RunTime{2s});
  EXPECT_EQ(scale.toTime(440), RunTime{6s});
}

TEST(TimeScaleTest, DegenerateRangesDoNotDivideByZero) {
  const TimeScale scale(0s, 0s, 0, 0);
  EXPECT_GT(scale.span().count(), 0);
  EXPECT_GT(scale.pixelWidth(), 0);
  EXPECT_TRUE(std::isfinite(scale.toPixel(1s)));
}

TEST(TimeScaleTest, FitShowsTheWholeRunWithSomeRoom) {
  const TimeScale scale = TimeScale::fit(100s, 0, 1000);
  EXPECT_EQ(scale.start(), RunTime{0});
  EXPECT_GT(scale.end(), RunTime{100s});
  EXPECT_LT(scale.end(), RunTime{110s});
  EXPECT_LT(scale.toPixel(100s), 1000);
}

TEST(TimeScaleTest, FitOfAnEmptyOrInstantRunShowsOneSecond) {
  EXPECT_EQ(TimeScale::fit(0s, 0, 500).span(), RunTime{1s});
  EXPECT_EQ(TimeScale::fit(-5s, 0, 500).span(), RunTime{1s});
  EXPECT_EQ(TimeScale::fit(10ms, 0, 500).span(), RunTime{1s});
}

struct TickCase {
  const char* name;
  RunTime span;
  double width;
  double minPixels;
  RunTime step;
};

class TimeScaleTickTest : public ::testing::TestWithParam<TickCase> {};

TEST_P(TimeScaleTickTest, PicksTheSmallestReadableStep) {
  const TickCase& c = GetParam();
  const TimeScale scale(0s, c.span, 0, c.width);
  EXPECT_EQ(scale.tickStep(c.minPixels), c.step);
}

INSTANTIATE_TEST_SUITE_P(Steps, TimeScaleTickTest,
                         ::testing::Values(TickCase{"OneSecond", 10s, 1000, 70, 1s},  // 100 px per second
                                           TickCase{"TwoSeconds", 10s, 1000, 150, 2s},
                                           TickCase{"TenSeconds", 60s, 600, 70, 10s},
                                           TickCase{"ClockLikeFifteen", 60s, 600, 120, 15s},  // not 20 s
                                           TickCase{"FiveMinuteRun", 300s, 1000, 72, 30s},
                                           TickCase{"OneMinute", 300s, 400, 72, 1min},
                                           TickCase{"SubSecond", 1s, 1000, 70, 100ms},
                                           TickCase{"CappedAtADay", 24h * 365, 100, 70, 24h}),
                         [](const ::testing::TestParamInfo<TickCase>& info) { return std::string(info.param.name); });

TEST(TimeScaleTest, TicksAreMultiplesOfTheStepInsideTheRange) {
  const TimeScale scale(1500ms, 10s, 0, 1000);  // 1.5 s .. 11.5 s, 100 px per second
  const std::vector<RunTime> ticks = scale.ticks(70);
  ASSERT_FALSE(ticks.empty());
  EXPECT_EQ(ticks.front(), RunTime{2s});
  EXPECT_EQ(ticks.back(), RunTime{11s});
  EXPECT_EQ(ticks.size(), 10u);
}

TEST(TimeScaleTest, TicksStartAtZeroForARunFromCreation) {
  const TimeScale scale = TimeScale::fit(300s, 0, 1000);
  const std::vector<RunTime> ticks = scale.ticks(72);
  ASSERT_FALSE(ticks.empty());
  EXPECT_EQ(ticks.front(), RunTime{0});
  EXPECT_EQ(ticks[1] - ticks[0], RunTime{30s});
}

TEST(TimeScaleTest, TickLabelsReadLikeDurations) {
  EXPECT_EQ(TimeScale::formatTick(0s, 5s), QStringLiteral("0s"));
  EXPECT_EQ(TimeScale::formatTick(15s, 5s), QStringLiteral("15s"));
  EXPECT_EQ(TimeScale::formatTick(60s, 30s), QStringLiteral("1m"));
  EXPECT_EQ(TimeScale::formatTick(90s, 30s), QStringLiteral("1m30s"));
  EXPECT_EQ(TimeScale::formatTick(250ms, 50ms), QStringLiteral("250ms"));
  EXPECT_EQ(TimeScale::formatTick(2500ms, 500ms), QStringLiteral("2.5s"));
  EXPECT_EQ(TimeScale::formatTick(2s, 500ms), QStringLiteral("2s"));
}

}  // namespace
}  // namespace podscope::ui
