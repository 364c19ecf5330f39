#pragma once
// Text tables for people, as kubectl prints them: columns aligned by code
// points (so UTF-8 names line up; wide CJK characters still count as one),
// at least two spaces between columns as kubectl's tabwriter, empty cells
// other than the last written as "-" so every column stays readable, no
// trailing spaces, a newline after each line.
// Thread contract: pure functions.

#include <algorithm>
#include <array>
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "core/utf8_columns.h"

namespace podscope::core {

/// The number of code points in UTF-8 text.
inline std::size_t codePoints(std::string_view s) {
  return static_cast<std::size_t>(std::count_if(s.begin(), s.end(), [](char c) { return !isUtf8ContinuationByte(c); }));
}

/// `rows` (the first usually the headings) as aligned lines.
template <std::size_t N>
std::string alignedTable(std::vector<std::array<std::string, N>> rows) {
  std::array<std::size_t, N> width{};
  for (auto& row : rows) {
    for (std::size_t i = 0; i + 1 < N; ++i) {
      // push_back rather than = "-": GCC 12 warns falsely (-Wrestrict) on the latter once inlined.
      if (row[i].empty()) row[i].push_back('-');
    }
    for (std::size_t i = 0; i < N; ++i) width[i] = std::max(width[i], codePoints(row[i]));
  }
  std::string out;
  for (const auto& row : rows) {
    std::string line;
    for (std::size_t i = 0; i < N; ++i) {
      line += row[i];
      if (i + 1 < N) line += std::string(width[i] - codePoints(row[i]) + 2, ' ');
    }
    while (!line.empty() && line.back() == ' ') line.pop_back();
    out += line + "\n";
  }
  return out;
}

}  // namespace podscope::core
