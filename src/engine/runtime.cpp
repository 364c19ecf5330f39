#include "engine/runtime.h"

#include <csignal>

namespace podscope::engine {

std::string tailForTerminationMessage(const std::string& text, size_t maxLines, size_t maxBytes) {
  // Walk back over newlines; a final newline ends the last line rather than
  // starting an empty one.
  size_t cursor = text.size();
  if (cursor > 0 && text[cursor - 1] == '\n') --cursor;
  size_t start = 0;
  for (size_t lines = 1;; ++lines) {
    size_t nl = cursor == 0 ? std::string::npos : text.rfind('\n', cursor - 1);
    if (nl == std::string::npos) break;
    if (lines >= maxLines) {
      start = nl + 1;
      break;
    }
    cursor = nl;
  }
  std::string tail = text.substr(start);
  if (tail.size() > maxBytes) tail.erase(0, tail.size() - maxBytes);
  return tail;
}

int Runtime::stopSignal(const ContainerId& container) const {
  (void)container;
  return SIGTERM;
}

}  // namespace podscope::engine
