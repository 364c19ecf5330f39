#include "engine/backoff.h"

#include <algorithm>

namespace podscope::engine {

bool Backoff::expired(const Entry& entry, TimePoint finishedAt) const {
  return finishedAt - entry.lastUpdate > 2 * m_max;
}

bool Backoff::inBackOff(const std::string& key, TimePoint finishedAt, TimePoint now) const {
  auto it = m_entries.find(key);
  if (it == m_entries.end() || expired(it->second, finishedAt)) return false;
  return now - finishedAt < it->second.backoff;
}

Duration Backoff::current(const std::string& key) const {
  auto it = m_entries.find(key);
  return it == m_entries.end() ? Duration{0} : it->second.backoff;
}

TimePoint Backoff::readyAt(const std::string& key, TimePoint finishedAt) const {
  return finishedAt + current(key);
}

void Backoff::next(const std::string& key, TimePoint finishedAt, TimePoint now) {
  auto it = m_entries.find(key);
  if (it == m_entries.end() || expired(it->second, finishedAt)) {
    m_entries[key] = Entry{m_initial, now};
    return;
  }
  it->second.backoff = std::min(2 * it->second.backoff, m_max);
  it->second.lastUpdate = now;
}

std::string formatGoDuration(Duration d) {
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(d).count();
  if (ms == 0) return "0s";
  std::string sign = ms < 0 ? "-" : "";
  if (ms < 0) ms = -ms;
  if (ms < 1000) return sign + std::to_string(ms) + "ms";
  auto totalSeconds = ms / 1000;
  auto fraction = ms % 1000;
  std::string seconds = std::to_string(totalSeconds % 60);
  if (fraction != 0) {
    std::string digits = std::to_string(1000 + fraction).substr(1);  // three digits, leading zeros kept
    while (digits.back() == '0') digits.pop_back();
    seconds += "." + digits;
  }
  seconds += "s";
  if (totalSeconds < 60) return sign + seconds;
  auto hours = totalSeconds / 3600;
  auto minutes = (totalSeconds % 3600) / 60;
  std::string out = sign;
  if (hours > 0) out += std::to_string(hours) + "h";
  out += std::to_string(minutes) + "m" + seconds;
  return out;
}

}  // namespace podscope::engine
