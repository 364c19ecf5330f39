#include "engine/host/machine_time.h"

#include <ctime>

namespace podscope::engine {

Stopwatch::Stopwatch() : m_start(std::chrono::steady_clock::now()) {}

std::chrono::nanoseconds Stopwatch::elapsed() const { return std::chrono::steady_clock::now() - m_start; }

std::string utcTimestampAfter(std::chrono::seconds after) {
  std::time_t when = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now() + after);
  std::tm utc{};
  ::gmtime_r(&when, &utc);
  char buffer[32];
  std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%SZ", &utc);
  return buffer;
}

}  // namespace podscope::engine
