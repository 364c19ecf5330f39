#include "core/file_text.h"

#include <algorithm>
#include <array>

namespace podscope::core {

bool readUpTo(std::istream& in, std::size_t maxBytes, std::string& text) {
  text.clear();
  std::array<char, 64 * 1024> chunk{};
  const std::size_t wanted = maxBytes + 1;
  while (text.size() < wanted && in) {
    std::size_t ask = std::min(chunk.size(), wanted - text.size());
    in.read(chunk.data(), static_cast<std::streamsize>(ask));
    text.append(chunk.data(), static_cast<std::size_t>(in.gcount()));
  }
  return !in.bad();
}

}  // namespace podscope::core
