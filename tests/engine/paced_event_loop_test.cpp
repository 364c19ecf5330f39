#include "engine/host/paced_event_loop.h"

#include <gtest/gtest.h>

#include <thread>
#include <vector>

namespace podscope::engine {
namespace {

using namespace std::chrono_literals;

// Timers fire at their exact virtual due times; no assertion depends on
// how long the machine took, only on the order and the recorded times.
TEST(PacedEventLoop, TimersRunAtTheirExactVirtualTimes) {
  PacedEventLoop loop(50.0);  // a virtual second every 20 ms
  std::vector<TimePoint> seen;
  loop.postAfter(2s, [&] {
    seen.push_back(loop.now());
    loop.postAfter(500ms, [&] {
      seen.push_back(loop.now());
      loop.quit();
    });
  });
  loop.postAfter(1s, [&] { seen.push_back(loop.now()); });
  loop.run();
  EXPECT_EQ(seen, (std::vector<TimePoint>{TimePoint{1s}, TimePoint{2s}, TimePoint{2500ms}}));
}

TEST(PacedEventLoop, PostedTaskRunsBeforeATimerNotYetDueAndNeverAfterIt) {
  PacedEventLoop loop(1.0);
  std::vector<int> order;
  TimePoint postedAt{-1ns};
  loop.postAfter(10min, [&] { order.push_back(3); });
  loop.postAfter(5ms, [&] { order.push_back(1); });
  std::thread other([&] {
    std::this_thread::sleep_for(20ms);
    loop.post([&] {
      order.push_back(2);
      postedAt = loop.now();
      loop.quit();
    });
  });
  loop.run();
  other.join();
  EXPECT_EQ(order, (std::vector<int>{1, 2}));
  EXPECT_GE(postedAt, TimePoint{5ms});
  EXPECT_LT(postedAt, TimePoint{10min});
}

TEST(PacedEventLoop, CancelledTimerDoesNotRun) {
  PacedEventLoop loop(100.0);
  bool ran = false;
  const auto id = loop.postAfter(1s, [&] { ran = true; });
  loop.cancel(id);
  loop.postAfter(2s, [&] { loop.quit(); });
  loop.run();
  EXPECT_FALSE(ran);
  EXPECT_EQ(loop.now(), TimePoint{2s});
}

}  // namespace
}  // namespace podscope::engine
