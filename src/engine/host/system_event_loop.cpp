#include "engine/host/system_event_loop.h"

namespace podscope::engine {

SystemEventLoop::SystemEventLoop() : m_epoch(std::chrono::steady_clock::now()) {}

TimePoint SystemEventLoop::now() const {
  return std::chrono::duration_cast<TimePoint>(std::chrono::steady_clock::now() - m_epoch);
}

void SystemEventLoop::post(Task task) {
  {
    std::lock_guard lock(m_mutex);
    m_tasks.push_back(std::move(task));
  }
  m_wake.notify_one();
}

Executor::TimerId SystemEventLoop::postAfter(Duration delay, Task task) {
  TimePoint due = now() + (delay.count() > 0 ? delay : Duration{0});
  TimerId id;
  {
    std::lock_guard lock(m_mutex);
    id = m_nextId++;
    m_timers.emplace(std::make_pair(due, id), std::move(task));
    m_timerDue.emplace(id, due);
  }
  m_wake.notify_one();
  return id;
}

void SystemEventLoop::cancel(TimerId id) {
  std::lock_guard lock(m_mutex);
  auto it = m_timerDue.find(id);
  if (it == m_timerDue.end()) return;
  m_timers.erase({it->second, id});
  m_timerDue.erase(it);
}

void SystemEventLoop::run() {
  std::unique_lock lock(m_mutex);
  while (!m_quit) {
    Task task;
    if (!m_tasks.empty()) {
      task = std::move(m_tasks.front());
      m_tasks.pop_front();
    } else if (!m_timers.empty()) {
      auto it = m_timers.begin();
      TimePoint due = it->first.first;
      TimePoint current = now();
      if (due > current) {
        m_wake.wait_for(lock, due - current);
        continue;
      }
      task = std::move(it->second);
      m_timerDue.erase(it->first.second);
      m_timers.erase(it);
    } else {
      m_wake.wait(lock);
      continue;
    }
    lock.unlock();
    task();
    lock.lock();
  }
}

void SystemEventLoop::quit() {
  {
    std::lock_guard lock(m_mutex);
    m_quit = true;
  }
  m_wake.notify_all();
}

}  // namespace podscope::engine
