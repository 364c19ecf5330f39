#pragma once
// Callbacks at points on the machine's clock, run on a thread of their own.

#include <chrono>
#include <condition_variable>
#include <functional>
#include <map>
#include <mutex>
#include <thread>

namespace podscope::engine {

/// Runs callbacks when they fall due, on a thread of its own; callbacks must
/// be quick (they queue work elsewhere). Exec timeouts are the machine's time
/// by nature, a command in a container runs on it, so this reads the steady
/// clock rather than the engine's Clock, as gRPC deadlines do.
/// Thread contract: schedule() from any thread; stop() once, from the owner.
class TimerThread {
 public:
  TimerThread() : m_thread([this] { run(); }) {}
  ~TimerThread() { stop(); }
  TimerThread(const TimerThread&) = delete;
  TimerThread& operator=(const TimerThread&) = delete;

  /// Dropped after stop().
  void schedule(std::chrono::nanoseconds after, std::function<void()> callback) {
    {
      std::lock_guard lock(m_mutex);
      if (m_stopping) return;
      m_due.emplace(std::chrono::steady_clock::now() + std::chrono::duration_cast<std::chrono::steady_clock::duration>(after), std::move(callback));
    }
    m_wake.notify_all();
  }

  /// Drops what is not due yet.
  void stop() {
    {
      std::lock_guard lock(m_mutex);
      m_stopping = true;
    }
    m_wake.notify_all();
    if (m_thread.joinable()) m_thread.join();
  }

 private:
  void run() {
    std::unique_lock lock(m_mutex);
    while (!m_stopping) {
      if (m_due.empty()) {
        m_wake.wait(lock);
        continue;
      }
      auto first = m_due.begin();
      if (std::chrono::steady_clock::now() < first->first) {
        m_wake.wait_until(lock, first->first);
        continue;
      }
      auto callback = std::move(first->second);
      m_due.erase(first);
      lock.unlock();
      callback();
      lock.lock();
    }
  }

  std::mutex m_mutex;
  std::condition_variable m_wake;
  std::multimap<std::chrono::steady_clock::time_point, std::function<void()>> m_due;
  bool m_stopping = false;
  std::thread m_thread;
};

}  // namespace podscope::engine
