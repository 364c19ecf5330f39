#pragma once
// A point on the machine's clock by which real work (a network request from
// a pod's namespace, a command in a container) must be done. Real processes
// run on the machine's time, so the containerd runtime needs it; outside
// host/ the engine never reads that clock.
// Thread contract: a value; const methods are safe from any thread.

#include <algorithm>
#include <chrono>
#include <optional>

namespace podscope::engine {

class Deadline {
 public:
  /// No timeout (or a zero one) waits as long as it takes.
  explicit Deadline(std::optional<std::chrono::nanoseconds> timeout) {
    if (timeout && timeout->count() > 0) {
      m_at = Steady::now() + std::chrono::duration_cast<Steady::duration>(*timeout);
    }
  }
  bool passed() const { return m_at && Steady::now() >= *m_at; }
  /// For poll(): -1 for no deadline, else the milliseconds left (at most a minute).
  int pollTimeout() const {
    if (!m_at) return -1;
    auto left = std::chrono::ceil<std::chrono::milliseconds>(*m_at - Steady::now()).count();
    return static_cast<int>(std::clamp<long long>(left, 0, 60'000));
  }
  std::optional<std::chrono::milliseconds> remaining() const {
    if (!m_at) return std::nullopt;
    return std::max(std::chrono::milliseconds(0),
                    std::chrono::ceil<std::chrono::milliseconds>(*m_at - Steady::now()));
  }

 private:
  using Steady = std::chrono::steady_clock;
  std::optional<Steady::time_point> m_at;
};

}  // namespace podscope::engine
