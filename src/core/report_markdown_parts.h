#pragma once
// What the Markdown reports share — the pod's (report_markdown.cpp) and the
// rollout's (rollout_markdown.cpp): text from a record kept from being read
// as Markdown or HTML, fenced blocks the text cannot close, and the Why
// facts as a list under a heading per topic. Internal to the reports.
// Thread contract: free functions without shared state; safe from any thread.

#include <string>
#include <string_view>
#include <vector>

#include "core/report_explainer.h"

namespace podscope::core::markdown {

/// Text that Markdown shows as written: HTML and emphasis characters
/// neutralised, line breaks and control characters made visible in place;
/// `tableCell` also escapes `|`.
std::string md(std::string_view text, bool tableCell = false);

/// A fenced block that the text cannot close: its fence is longer than any
/// run of backticks inside, and control characters are made visible.
std::string fenced(std::string_view text, std::string_view info = "text");

/// The facts as list items, an emphasised line for each topic, each item
/// starting with its time in code.
std::string whyList(const std::vector<WhyFact>& facts);

}  // namespace podscope::core::markdown
