#include "engine/host/paced_event_loop.h"

#include <algorithm>

namespace podscope::engine {

PacedEventLoop::PacedEventLoop(double speed)
    : m_epoch(std::chrono::steady_clock::now()), m_speed(speed > 0 ? speed : 1.0) {}

TimePoint PacedEventLoop::now() const { return m_now.load(); }

TimePoint PacedEventLoop::pacedNow() const {
  const auto wall = std::chrono::steady_clock::now() - m_epoch;
  return TimePoint{static_cast<TimePoint::rep>(static_cast<double>(wall.count()) * m_speed)};
}

std::chrono::steady_clock::time_point PacedEventLoop::wallTimeOf(TimePoint t) const {
  return m_epoch + std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                       std::chrono::nanoseconds{static_cast<std::int64_t>(static_cast<double>(t.count()) / m_speed)});
}

void PacedEventLoop::post(Task task) {
  {
    std::lock_guard lock(m_mutex);
    m_tasks.push_back(std::move(task));
  }
  m_wake.notify_one();
}

Executor::TimerId PacedEventLoop::postAfter(Duration delay, Task task) {
  const TimePoint due = now() + std::max(delay, Duration{0});
  TimerId id;
  {
    std::lock_guard lock(m_mutex);
    id = m_timers.add(due, std::move(task));
  }
  m_wake.notify_one();
  return id;
}

void PacedEventLoop::cancel(TimerId id) {
  std::lock_guard lock(m_mutex);
  m_timers.cancel(id);
}

void PacedEventLoop::run() {
  std::unique_lock lock(m_mutex);
  while (!m_quit) {
    Task task;
    if (!m_tasks.empty()) {
      // A task posted from elsewhere happens at the machine's present, but
      // never after a timer that has not fired yet: virtual time keeps the
      // order in which things were due.
      TimePoint at = pacedNow();
      if (!m_timers.empty()) at = std::min(at, m_timers.nextDue());
      m_now.store(std::max(m_now.load(), at));
      task = std::move(m_tasks.front());
      m_tasks.pop_front();
    } else if (!m_timers.empty()) {
      const TimePoint due = m_timers.nextDue();
      if (due > pacedNow()) {
        m_wake.wait_until(lock, wallTimeOf(due));
        continue;
      }
      m_now.store(std::max(m_now.load(), due));
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

void PacedEventLoop::quit() {
  {
    std::lock_guard lock(m_mutex);
    m_quit = true;
  }
  m_wake.notify_all();
}

}  // namespace podscope::engine
