#pragma once
// An EventLoop on virtual time: when no task is ready, time jumps straight
// to the next timer. Runs a ten-minute scenario in milliseconds, and the same
// inputs always give the same timeline.

#include <condition_variable>
#include <deque>
#include <map>
#include <mutex>
#include <utility>

#include "engine/clock.h"

namespace podscope::engine {

/// Thread contract: post()/quit()/now() from any thread; the rest on the
/// thread that calls run().
class VirtualEventLoop final : public EventLoop {
 public:
  TimePoint now() const override;
  void post(Task task) override;
  TimerId postAfter(Duration delay, Task task) override;
  void cancel(TimerId id) override;
  void run() override;
  void quit() override;

  /// Runs everything due up to now() + `span`, then leaves the clock there.
  void runFor(Duration span);
  /// Tasks and timers still queued.
  bool idle() const;

 private:
  bool runOne(TimePoint limit);

  mutable std::mutex m_mutex;
  TimePoint m_now{0};
  std::deque<Task> m_tasks;
  // Ordered by (due time, id) so timers due together run in posting order.
  std::map<std::pair<TimePoint, TimerId>, Task> m_timers;
  std::map<TimerId, TimePoint> m_timerDue;
  TimerId m_nextId = 1;
  bool m_quit = false;
};

}  // namespace podscope::engine
