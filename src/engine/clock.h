#pragma once
// The engine's seams to time and scheduling. The engine reads time only from
// a Clock and defers work only through an Executor; tests and the simulated
// runtime drive a VirtualEventLoop, real runs a SystemEventLoop (host/).

#include <chrono>
#include <cstdint>
#include <functional>

namespace podscope::engine {

/// Monotonic time since the loop's own epoch (its creation).
using TimePoint = std::chrono::nanoseconds;
using Duration = std::chrono::nanoseconds;

/// Thread contract: now() may be called from any thread.
class Clock {
 public:
  virtual ~Clock() = default;
  virtual TimePoint now() const = 0;
};

/// Runs tasks one at a time on the engine thread.
/// Thread contract: post() and quit() are safe from any thread (runtime I/O
/// threads post their completions); postAfter()/cancel() are engine-thread only.
class Executor {
 public:
  using Task = std::function<void()>;
  using TimerId = std::uint64_t;

  virtual ~Executor() = default;
  virtual void post(Task task) = 0;
  virtual TimerId postAfter(Duration delay, Task task) = 0;
  virtual void cancel(TimerId id) = 0;
};

/// A Clock and an Executor driven by run().
class EventLoop : public Clock, public Executor {
 public:
  /// Runs tasks and timers until quit(). A virtual loop also returns when
  /// nothing is left to do (no task, no timer), since time cannot move on.
  virtual void run() = 0;
  virtual void quit() = 0;
};

}  // namespace podscope::engine
