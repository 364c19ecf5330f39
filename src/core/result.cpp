#include "core/result.h"

namespace podscope::core {

std::string Error::toString() const {
  std::string out;
  if (!file.empty()) out += file + ":";
  if (pos && pos->known()) {
    out += std::to_string(pos->line) + ":" + std::to_string(pos->column) + ":";
  }
  if (!out.empty()) out += " ";
  out += message;
  return out;
}

}  // namespace podscope::core
