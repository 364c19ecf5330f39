#include "engine/runtime/containerd/object_ids.h"

#include <cctype>
#include <vector>

namespace podscope::engine::containerd {
namespace {

bool isAlnum(char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0; }
bool isSeparator(char c) { return c == '.' || c == '_' || c == '-'; }

// Keeps letters and digits, turns runs of anything else into one '-', and
// drops separators at either end.
std::string fold(std::string_view text, std::size_t maxLength) {
  std::string out;
  bool pendingSeparator = false;
  for (char c : text) {
    if (isAlnum(c)) {
      if (pendingSeparator && !out.empty()) out += '-';
      pendingSeparator = false;
      out += c;
    } else {
      pendingSeparator = true;
    }
  }
  if (out.size() > maxLength) out.resize(maxLength);
  while (!out.empty() && !isAlnum(out.back())) out.pop_back();
  return out;
}

std::string join(const std::vector<std::string>& parts) {
  std::string out;
  for (const auto& p : parts) {
    if (p.empty()) continue;
    if (!out.empty()) out += '-';
    out += p;
  }
  return out;
}

}  // namespace

std::string makeContainerId(std::string_view pod, std::string_view container, int attempt,
                            std::string_view suffix) {
  std::string tail = join({std::to_string(attempt < 0 ? 0 : attempt), fold(suffix, 16)});
  // What is left after the separators and the tail goes to the names, the
  // container name first: it is the part people look for.
  std::size_t budget = kMaxIdentifierLength - tail.size() - 2;
  std::string containerPart = fold(container, budget / 2);
  std::string podPart = fold(pod, budget - containerPart.size());
  if (podPart.empty()) podPart = "pod";
  if (containerPart.empty()) containerPart = "container";
  return join({podPart, containerPart, tail});
}

std::string makeSandboxId(std::string_view pod, std::string_view suffix) {
  std::string tail = fold(suffix, 16);
  std::string podPart = fold(pod, kMaxIdentifierLength - tail.size() - 1);
  if (podPart.empty()) podPart = "pod";
  return join({podPart, tail});
}

bool isValidIdentifier(std::string_view id) {
  if (id.empty() || id.size() > kMaxIdentifierLength) return false;
  if (!isAlnum(id.front()) || !isAlnum(id.back())) return false;
  for (std::size_t i = 0; i < id.size(); ++i) {
    if (isAlnum(id[i])) continue;
    if (!isSeparator(id[i]) || !isAlnum(id[i + 1])) return false;
  }
  return true;
}

}  // namespace podscope::engine::containerd
