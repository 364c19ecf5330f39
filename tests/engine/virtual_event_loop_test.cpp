#include "engine/virtual_event_loop.h"

#include <gtest/gtest.h>

#include <string>

namespace podscope::engine {
namespace {

using std::chrono::seconds;

TEST(VirtualEventLoop, JumpsToTimersInOrder) {
  VirtualEventLoop loop;
  std::string order;
  loop.postAfter(seconds(10), [&] { order += "c" + std::to_string(loop.now() / seconds(1)); });
  loop.postAfter(seconds(2), [&] { order += "b" + std::to_string(loop.now() / seconds(1)); });
  loop.post([&] { order += "a" + std::to_string(loop.now() / seconds(1)); });
  loop.postAfter(seconds(2), [&] { order += "B"; });
  loop.run();
  EXPECT_EQ(order, "a0b2Bc10");
  EXPECT_EQ(loop.now(), seconds(10));
}

TEST(VirtualEventLoop, CancelledTimersNeverRun) {
  VirtualEventLoop loop;
  bool ran = false;
  auto id = loop.postAfter(seconds(1), [&] { ran = true; });
  loop.cancel(id);
  loop.run();
  EXPECT_FALSE(ran);
  EXPECT_EQ(loop.now(), Duration{0});
}

TEST(VirtualEventLoop, RunForStopsAtTheLimit) {
  VirtualEventLoop loop;
  int ticks = 0;
  std::function<void()> tick = [&] {
    ++ticks;
    loop.postAfter(seconds(1), tick);
  };
  loop.post(tick);
  loop.runFor(seconds(600));
  EXPECT_EQ(ticks, 601);
  EXPECT_EQ(loop.now(), seconds(600));
  EXPECT_FALSE(loop.idle());
}

TEST(VirtualEventLoop, QuitStopsRun) {
  VirtualEventLoop loop;
  int after = 0;
  loop.post([&] { loop.quit(); });
  loop.post([&] { ++after; });
  loop.run();
  EXPECT_EQ(after, 0);
}

}  // namespace
}  // namespace podscope::engine
