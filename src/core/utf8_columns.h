#pragma once
// Columns in UTF-8 text: core::SourcePos counts characters, byte offsets
// count bytes, and a line with non-ASCII text tells them apart.

#include <cstddef>
#include <string_view>

namespace podscope::core {

/// A byte that continues a multi-byte UTF-8 sequence.
constexpr bool isUtf8ContinuationByte(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }

/// The byte offset of the 0-based character `column` in `line` (its size
/// when the line is shorter).
constexpr std::size_t byteOfColumn(std::string_view line, int column) {
  std::size_t i = 0;
  for (int c = 0; c < column && i < line.size(); ++c) {
    ++i;
    while (i < line.size() && isUtf8ContinuationByte(line[i])) ++i;
  }
  return i;
}

/// The 0-based character column of byte offset `byte` in `line`.
constexpr int columnOfByte(std::string_view line, std::size_t byte) {
  int column = 0;
  for (std::size_t i = 0; i < byte && i < line.size(); ++i) {
    if (!isUtf8ContinuationByte(line[i])) ++column;
  }
  return column;
}

}  // namespace podscope::core
