#pragma once
// Reading test data files whole.

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace podscope::testing {

/// The file's bytes, or an empty string when it cannot be read.
inline std::string readFileBytes(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace podscope::testing
