#pragma once
// The timers of a threaded event loop (host/system_event_loop.h,
// host/paced_event_loop.h): each due at a time, run in the order they are
// due (ties in the order they were added), cancellable by id.
// Thread contract: not synchronised; the loop that owns it guards it with
// its own mutex.

#include <map>
#include <utility>

#include "engine/clock.h"

namespace podscope::engine {

class TimerQueue {
 public:
  using Task = Executor::Task;
  using TimerId = Executor::TimerId;

  /// Adds `task`, due at `due`; the id cancels it.
  TimerId add(TimePoint due, Task task);
  /// Drops the timer; an id that has fired or was cancelled is ignored.
  void cancel(TimerId id);
  bool empty() const { return m_timers.empty(); }
  /// When the earliest timer is due; only when not empty().
  TimePoint nextDue() const { return m_timers.begin()->first.first; }
  /// Removes the earliest timer and returns its task; only when not empty().
  Task takeNext();

 private:
  std::map<std::pair<TimePoint, TimerId>, Task> m_timers;
  std::map<TimerId, TimePoint> m_due;
  TimerId m_nextId = 1;
};

}  // namespace podscope::engine
