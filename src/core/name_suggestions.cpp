#include "core/name_suggestions.h"

#include <algorithm>
#include <cctype>
#include <limits>

namespace podscope::core {
namespace {

char lower(char c) { return static_cast<char>(std::tolower(static_cast<unsigned char>(c))); }

bool equalsIgnoringCase(std::string_view a, std::string_view b) {
  return a.size() == b.size() &&
         std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) { return lower(x) == lower(y); });
}

// Short names get little slack: with two edits "name" could become "kind".
std::size_t allowedDistance(std::size_t length) {
  if (length <= 4) return 1;
  if (length <= 8) return 2;
  return 3;
}

bool endsWithWord(std::string_view candidate, std::string_view word) {
  if (word.size() < 3 || candidate.size() <= word.size()) return false;
  std::string_view tail = candidate.substr(candidate.size() - word.size());
  if (!std::isupper(static_cast<unsigned char>(tail[0]))) return false;
  return equalsIgnoringCase(tail, word);
}

}  // namespace

std::size_t editDistance(std::string_view a, std::string_view b) {
  // Three rolling rows: the swap rule looks two rows back.
  std::vector<std::size_t> before(b.size() + 1), previous(b.size() + 1), current(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) previous[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    current[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      std::size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      current[j] = std::min({previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
        current[j] = std::min(current[j], before[j - 2] + 1);
      }
    }
    std::swap(before, previous);
    std::swap(previous, current);
  }
  return previous[b.size()];
}

std::optional<std::string_view> closestName(std::string_view name, const std::vector<std::string_view>& candidates) {
  if (name.empty()) return std::nullopt;
  for (std::string_view c : candidates) {
    if (c != name && equalsIgnoringCase(c, name)) return c;
  }
  const std::size_t limit = allowedDistance(name.size());
  std::optional<std::string_view> best;
  std::size_t bestDistance = std::numeric_limits<std::size_t>::max();
  for (std::string_view c : candidates) {
    if (c == name) continue;
    // Cheap bound first: a pasted megabyte must not cost a megabyte per candidate.
    std::size_t lengthGap = c.size() > name.size() ? c.size() - name.size() : name.size() - c.size();
    if (lengthGap > limit) continue;
    std::size_t d = editDistance(name, c);
    // A distance as large as the shorter word means nothing is shared.
    if (d <= limit && d < std::min(name.size(), c.size()) && d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  if (best) return best;
  for (std::string_view c : candidates) {
    if (endsWithWord(c, name)) return c;
  }
  return std::nullopt;
}

}  // namespace podscope::core
