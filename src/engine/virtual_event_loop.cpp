#include "engine/virtual_event_loop.h"

namespace podscope::engine {

TimePoint VirtualEventLoop::now() const {
  std::lock_guard lock(m_mutex);
  return m_now;
}

void VirtualEventLoop::post(Task task) {
  std::lock_guard lock(m_mutex);
  m_tasks.push_back(std::move(task));
}

Executor::TimerId VirtualEventLoop::postAfter(Duration delay, Task task) {
  std::lock_guard lock(m_mutex);
  TimerId id = m_nextId++;
  TimePoint due = m_now + (delay.count() > 0 ? delay : Duration{0});
  m_timers.emplace(std::make_pair(due, id), std::move(task));
  m_timerDue.emplace(id, due);
  return id;
}

void VirtualEventLoop::cancel(TimerId id) {
  std::lock_guard lock(m_mutex);
  auto it = m_timerDue.find(id);
  if (it == m_timerDue.end()) return;
  m_timers.erase({it->second, id});
  m_timerDue.erase(it);
}

bool VirtualEventLoop::runOne(TimePoint limit) {
  Task task;
  {
    std::lock_guard lock(m_mutex);
    if (m_quit) return false;
    if (!m_tasks.empty()) {
      task = std::move(m_tasks.front());
      m_tasks.pop_front();
    } else if (!m_timers.empty() && m_timers.begin()->first.first <= limit) {
      auto it = m_timers.begin();
      m_now = std::max(m_now, it->first.first);
      task = std::move(it->second);
      m_timerDue.erase(it->first.second);
      m_timers.erase(it);
    } else {
      return false;
    }
  }
  task();
  return true;
}

void VirtualEventLoop::run() {
  while (runOne(TimePoint::max())) {
  }
}

void VirtualEventLoop::runFor(Duration span) {
  TimePoint limit = now() + span;
  while (runOne(limit)) {
  }
  std::lock_guard lock(m_mutex);
  if (!m_quit) m_now = std::max(m_now, limit);
}

void VirtualEventLoop::quit() {
  std::lock_guard lock(m_mutex);
  m_quit = true;
}

bool VirtualEventLoop::idle() const {
  std::lock_guard lock(m_mutex);
  return m_tasks.empty() && m_timers.empty();
}

}  // namespace podscope::engine
