#pragma once
// The EventLoop for real runs: time from the machine's monotonic clock, and
// a thread that sleeps until the next timer or a posted task. With
// host/grpc_deadline.h, the only place the engine reads the machine's clock.

#include <chrono>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <utility>

#include "engine/clock.h"
#include "engine/host/timer_queue.h"

namespace podscope::engine {

/// Thread contract: post()/quit()/now() from any thread; the rest on the
/// thread that calls run().
class SystemEventLoop final : public EventLoop {
 public:
  SystemEventLoop();
  TimePoint now() const override;
  void post(Task task) override;
  TimerId postAfter(Duration delay, Task task) override;
  void cancel(TimerId id) override;
  /// Runs until quit(); waits for posted tasks when nothing is scheduled.
  void run() override;
  void quit() override;

 private:
  std::chrono::steady_clock::time_point m_epoch;
  mutable std::mutex m_mutex;
  std::condition_variable m_wake;
  std::deque<Task> m_tasks;
  TimerQueue m_timers;
  bool m_quit = false;
};

}  // namespace podscope::engine
