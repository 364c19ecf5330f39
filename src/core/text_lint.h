#pragma once
// Findings about manifest text that need no parsing: tab characters, which
// YAML forbids in indentation and which editors show as spaces, so the
// mistake is invisible until it is pointed at.
// Thread contract: pure functions; safe from any thread.

#include <string>
#include <string_view>
#include <vector>

#include "core/diagnostic.h"

namespace podscope::core {

/// One finding per line holding a tab, ranged over its first run of tabs:
/// an Error (rule "tab-indentation") where the tab is indentation, Info
/// (rule "tab-character") where it is inside the text and kept as written.
std::vector<Diagnostic> findTabCharacters(std::string_view text, const std::string& file);

}  // namespace podscope::core
