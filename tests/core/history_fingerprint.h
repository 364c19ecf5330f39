#pragma once
// The fingerprint the crash test's writer stores as each revision's template
// hash and the test checks again: FNV-1a 64 of the template, in hex. Shared
// by tests/core/history_writer.cpp and history_store_test.cpp.

#include <cinttypes>
#include <cstdint>
#include <cstdio>
#include <string>

namespace podscope::testing {

inline std::string historyFingerprint(const std::string& text) {
  std::uint64_t h = 14695981039346656037ull;
  for (unsigned char c : text) {
    h ^= c;
    h *= 1099511628211ull;
  }
  char out[17];
  std::snprintf(out, sizeof out, "%016" PRIx64, h);
  return out;
}

}  // namespace podscope::testing
