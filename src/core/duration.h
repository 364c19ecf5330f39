#pragma once
// Durations as people type them on command lines: "90s", "5m", "1h30m",
// "500ms", or a bare number of seconds.

#include <chrono>
#include <string_view>

#include "core/result.h"

namespace podscope::core {

Result<std::chrono::nanoseconds> parseDuration(std::string_view text);

}  // namespace podscope::core
