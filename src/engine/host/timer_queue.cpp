#include "engine/host/timer_queue.h"

namespace podscope::engine {

TimerQueue::TimerId TimerQueue::add(TimePoint due, Task task) {
  const TimerId id = m_nextId++;
  m_timers.emplace(std::make_pair(due, id), std::move(task));
  m_due.emplace(id, due);
  return id;
}

void TimerQueue::cancel(TimerId id) {
  const auto it = m_due.find(id);
  if (it == m_due.end()) return;
  m_timers.erase({it->second, id});
  m_due.erase(it);
}

TimerQueue::Task TimerQueue::takeNext() {
  const auto it = m_timers.begin();
  Task task = std::move(it->second);
  m_due.erase(it->first.second);
  m_timers.erase(it);
  return task;
}

}  // namespace podscope::engine
