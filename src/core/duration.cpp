#include "core/duration.h"

#include <cctype>
#include <cmath>
#include <string>

namespace podscope::core {

Result<std::chrono::nanoseconds> parseDuration(std::string_view text) {
  auto invalid = [&] {
    return Error{"invalid duration \"" + std::string(text) + "\": use a number with a unit, like 30s, 5m, 1h30m or 500ms"};
  };
  if (text.empty()) return invalid();
  double totalSeconds = 0;
  size_t i = 0;
  bool bare = true;
  while (i < text.size()) {
    size_t start = i;
    while (i < text.size() && (std::isdigit(static_cast<unsigned char>(text[i])) || text[i] == '.')) ++i;
    if (start == i) return invalid();
    double value = 0;
    try {
      value = std::stod(std::string(text.substr(start, i - start)));
    } catch (const std::exception&) {
      return invalid();
    }
    size_t unitStart = i;
    while (i < text.size() && std::isalpha(static_cast<unsigned char>(text[i]))) ++i;
    std::string_view unit = text.substr(unitStart, i - unitStart);
    double factor;
    if (unit.empty()) {
      if (!bare || i != text.size()) return invalid();
      factor = 1;
    } else if (unit == "ms") {
      factor = 0.001;
    } else if (unit == "s") {
      factor = 1;
    } else if (unit == "m") {
      factor = 60;
    } else if (unit == "h") {
      factor = 3600;
    } else {
      return invalid();
    }
    bare = false;
    totalSeconds += value * factor;
  }
  if (!std::isfinite(totalSeconds) || totalSeconds > 1e9) return invalid();
  return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::duration<double>(totalSeconds));
}

}  // namespace podscope::core
