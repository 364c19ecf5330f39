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
    id = m_timers.add(due, std::move(task));
  }
  m_wake.notify_one();
  return id;
}

void SystemEventLoop::cancel(TimerId id) {
  std::lock_guard lock(m_mutex);
  m_timers.cancel(id);
}

void SystemEventLoop::run() {
  std::unique_lock lock(m_mutex);
  while (!m_quit) {
    Task task;
    if (!m_tasks.empty()) {
      task = std::move(m_tasks.front());
      m_tasks.pop_front();
    } else if (!m_timers.empty()) {
      const TimePoint due = m_timers.nextDue();
      TimePoint current = now();
      if (due > current) {
        m_wake.wait_for(lock, due - current);
        continue;
      }
      task = m_timers.takeNext();
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
