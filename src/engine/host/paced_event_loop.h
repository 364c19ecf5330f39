#pragma once
// An EventLoop on virtual time that keeps pace with the machine's clock:
// like VirtualEventLoop, every task runs at an exact virtual time (a timer
// at its due time, so a simulated run records 2s and not 2.0013s), but a
// timer fires only once the machine's clock, times `speed`, has reached it.
// A Deployment on the simulated runtime runs on it, so that there is time
// to apply a new revision while it rolls out, and its record still reads
// as the simulator's do. With host/system_event_loop.h, the only EventLoop
// that reads the machine's clock.

#include <atomic>
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
class PacedEventLoop final : public EventLoop {
 public:
  /// `speed`: virtual seconds per second of the machine's clock (> 0).
  explicit PacedEventLoop(double speed = 1.0);
  /// The virtual time: the due time of the timer running, or, for a task
  /// posted from elsewhere, the machine's time (scaled) when it ran, never
  /// past the next timer.
  TimePoint now() const override;
  void post(Task task) override;
  TimerId postAfter(Duration delay, Task task) override;
  void cancel(TimerId id) override;
  /// Runs until quit(); waits for posted tasks when nothing is scheduled.
  void run() override;
  void quit() override;

 private:
  /// The machine's time since the loop was made, times the speed.
  TimePoint pacedNow() const;
  std::chrono::steady_clock::time_point wallTimeOf(TimePoint t) const;

  std::chrono::steady_clock::time_point m_epoch;
  double m_speed;
  std::atomic<TimePoint> m_now{TimePoint{0}};
  mutable std::mutex m_mutex;
  std::condition_variable m_wake;
  std::deque<Task> m_tasks;
  TimerQueue m_timers;
  bool m_quit = false;
};

}  // namespace podscope::engine
