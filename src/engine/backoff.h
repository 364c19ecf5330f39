#pragma once
// The kubelet's crash-loop back-off (client-go flowcontrol.Backoff with no
// jitter): 10 s doubling to a 300 s cap, the first restart immediate, an
// entry forgotten when it was last updated more than 2 x max before the
// container's exit.
// Thread contract: engine thread only.

#include <map>
#include <string>

#include "engine/clock.h"

namespace podscope::engine {

class Backoff {
 public:
  static constexpr Duration kInitial = std::chrono::seconds(10);
  static constexpr Duration kMax = std::chrono::seconds(300);

  Backoff(Duration initial = kInitial, Duration max = kMax) : m_initial(initial), m_max(max) {}

  /// True while `key`, whose latest instance finished at `finishedAt`, must
  /// still wait before it may be started again.
  bool inBackOff(const std::string& key, TimePoint finishedAt, TimePoint now) const;
  /// The current back-off for `key` (zero when it has none).
  Duration current(const std::string& key) const;
  /// The moment `key` may be started again (finishedAt + current back-off).
  TimePoint readyAt(const std::string& key, TimePoint finishedAt) const;
  /// Records a start: the first one sets the initial back-off, later ones
  /// double it up to the cap; an expired entry starts over.
  void next(const std::string& key, TimePoint finishedAt, TimePoint now);

 private:
  struct Entry {
    Duration backoff{0};
    TimePoint lastUpdate{0};
  };
  bool expired(const Entry& entry, TimePoint finishedAt) const;

  Duration m_initial;
  Duration m_max;
  std::map<std::string, Entry> m_entries;
};

/// Go's time.Duration formatting, to the millisecond (as the kubelet
/// truncates durations it prints): 0s, 313ms, 1.5s, 10s, 1m20s, 5m0s,
/// 1h2m5.25s.
std::string formatGoDuration(Duration d);

}  // namespace podscope::engine
