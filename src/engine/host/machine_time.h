#pragma once
// The machine's clocks, for the few runtime tasks that need them outside the
// engine's Clock: how long a real image pull took, and the wall-clock expiry
// containerd wants on a lease. Only src/engine/host/ reads clocks.
// Thread contract: stateless or per-object; safe from any thread.

#include <chrono>
#include <string>

namespace podscope::engine {

/// Measures elapsed time on the machine's monotonic clock from construction.
class Stopwatch {
 public:
  Stopwatch();
  std::chrono::nanoseconds elapsed() const;

 private:
  std::chrono::steady_clock::time_point m_start;
};

/// The UTC time `after` from now in RFC 3339 ("2024-05-01T12:00:00Z"), as
/// containerd's `containerd.io/gc.expire` lease label expects it.
std::string utcTimestampAfter(std::chrono::seconds after);

}  // namespace podscope::engine
