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
  auto total = std::chrono::duration_cast<std::chrono::seconds>(d).count();
  if (total < 60) return std::to_string(total) + "s";
  auto hours = total / 3600;
  auto minutes = (total % 3600) / 60;
  auto seconds = total % 60;
  std::string out;
  if (hours > 0) out += std::to_string(hours) + "h";
  out += std::to_string(minutes) + "m" + std::to_string(seconds) + "s";
  return out;
}

}  // namespace podscope::engine
