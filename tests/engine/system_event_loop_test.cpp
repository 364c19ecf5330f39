#include "engine/host/system_event_loop.h"

#include <gtest/gtest.h>

#include <thread>

namespace podscope::engine {
namespace {

// Ordering only: no assertion depends on how long anything took.
TEST(SystemEventLoop, RunsTasksPostedFromOtherThreadsAndTimersInOrder) {
  SystemEventLoop loop;
  std::vector<int> order;
  loop.postAfter(std::chrono::milliseconds(20), [&] {
    order.push_back(3);
    loop.quit();
  });
  loop.postAfter(std::chrono::milliseconds(1), [&] { order.push_back(2); });
  std::thread other([&] { loop.post([&] { order.push_back(1); }); });
  other.join();
  loop.run();
  EXPECT_EQ(order.front(), 1);
  EXPECT_EQ(order, (std::vector<int>{1, 2, 3}));
  EXPECT_GE(loop.now(), std::chrono::milliseconds(20));
}

TEST(SystemEventLoop, CancelledTimerDoesNotRun) {
  SystemEventLoop loop;
  bool ran = false;
  auto id = loop.postAfter(std::chrono::milliseconds(1), [&] { ran = true; });
  loop.cancel(id);
  loop.postAfter(std::chrono::milliseconds(5), [&] { loop.quit(); });
  loop.run();
  EXPECT_FALSE(ran);
}

}  // namespace
}  // namespace podscope::engine
