#include "engine/backoff.h"

#include <gtest/gtest.h>

namespace podscope::engine {
namespace {

using std::chrono::seconds;

TEST(Backoff, FirstRestartIsImmediateThenDoublesToCap) {
  Backoff b;
  TimePoint now{0};
  // First exit: no entry yet, so not in back-off.
  EXPECT_FALSE(b.inBackOff("c", now, now));
  std::vector<std::string> waits;
  for (int i = 0; i < 8; ++i) {
    b.next("c", now, now);
    waits.push_back(formatGoDuration(b.current("c")));
    // The container exits again right away: it must wait the current back-off.
    EXPECT_TRUE(b.inBackOff("c", now, now + seconds(1)));
    EXPECT_FALSE(b.inBackOff("c", now, now + b.current("c")));
    now += b.current("c");
  }
  EXPECT_EQ(waits, (std::vector<std::string>{"10s", "20s", "40s", "1m20s", "2m40s", "5m0s", "5m0s", "5m0s"}));
}

TEST(Backoff, EntryExpiresAfterTwiceTheCap) {
  Backoff b;
  b.next("c", TimePoint{0}, TimePoint{0});
  b.next("c", TimePoint{0}, seconds(10));
  EXPECT_EQ(b.current("c"), seconds(20));
  // The container then ran for more than 600 s after the last update.
  TimePoint finished = seconds(10) + seconds(601);
  EXPECT_FALSE(b.inBackOff("c", finished, finished));
  b.next("c", finished, finished);
  EXPECT_EQ(b.current("c"), seconds(10));
}

TEST(Backoff, KeysAreIndependent) {
  Backoff b;
  b.next("a", TimePoint{0}, TimePoint{0});
  EXPECT_EQ(b.current("a"), seconds(10));
  EXPECT_EQ(b.current("b"), Duration{0});
}

TEST(Backoff, FormatsLikeGo) {
  EXPECT_EQ(formatGoDuration(seconds(10)), "10s");
  EXPECT_EQ(formatGoDuration(seconds(80)), "1m20s");
  EXPECT_EQ(formatGoDuration(seconds(300)), "5m0s");
  EXPECT_EQ(formatGoDuration(seconds(3725)), "1h2m5s");
}

TEST(Backoff, FormatsSubSecondDurationsLikeGoToTheMillisecond) {
  using std::chrono::microseconds;
  using std::chrono::milliseconds;
  EXPECT_EQ(formatGoDuration(Duration{0}), "0s");
  EXPECT_EQ(formatGoDuration(microseconds(900)), "0s");  // truncated to ms first, as the kubelet does
  EXPECT_EQ(formatGoDuration(milliseconds(313)), "313ms");
  EXPECT_EQ(formatGoDuration(milliseconds(1661)), "1.661s");
  EXPECT_EQ(formatGoDuration(milliseconds(1500)), "1.5s");
  EXPECT_EQ(formatGoDuration(milliseconds(15050)), "15.05s");
  EXPECT_EQ(formatGoDuration(milliseconds(65'123)), "1m5.123s");
  EXPECT_EQ(formatGoDuration(milliseconds(3'600'001)), "1h0m0.001s");
}

}  // namespace
}  // namespace podscope::engine
