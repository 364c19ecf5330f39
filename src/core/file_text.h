#pragma once
// Reading a text file whose size is capped, without setting the whole cap
// aside: a 300-byte manifest must not cost a zeroed 4 MiB buffer.

#include <cstddef>
#include <istream>
#include <string>

namespace podscope::core {

/// Reads at most `maxBytes + 1` bytes from `in` into `text` (one past the
/// cap, so the caller can tell the file is too large), growing `text` as
/// the bytes arrive. False when reading failed.
bool readUpTo(std::istream& in, std::size_t maxBytes, std::string& text);

}  // namespace podscope::core
