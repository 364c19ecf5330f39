#include "engine/runtime/containerd/containerd_version.h"

#include <cctype>
#include <cstddef>

namespace podscope::engine::containerd {

namespace {

std::optional<int> number(const std::string& text, std::size_t& at) {
  if (at >= text.size() || !std::isdigit(static_cast<unsigned char>(text[at]))) return std::nullopt;
  long value = 0;
  while (at < text.size() && std::isdigit(static_cast<unsigned char>(text[at]))) {
    value = value * 10 + (text[at] - '0');
    if (value > 1'000'000) return std::nullopt;
    ++at;
  }
  return static_cast<int>(value);
}

std::string toText(const ContainerdVersion& v) {
  return std::to_string(v.major) + "." + std::to_string(v.minor) + "." + std::to_string(v.patch);
}

}  // namespace

std::optional<ContainerdVersion> parseContainerdVersion(const std::string& reported) {
  std::size_t at = reported.starts_with('v') ? 1 : 0;
  ContainerdVersion version;
  auto major = number(reported, at);
  if (!major || at >= reported.size() || reported[at] != '.') return std::nullopt;
  ++at;
  auto minor = number(reported, at);
  if (!minor) return std::nullopt;
  version.major = *major;
  version.minor = *minor;
  if (at < reported.size() && reported[at] == '.') {
    ++at;
    auto patch = number(reported, at);
    if (!patch) return std::nullopt;
    version.patch = *patch;
  }
  return version;
}

core::Status checkContainerdVersion(const std::string& reported, const std::string& address) {
  auto version = parseContainerdVersion(reported);
  if (!version || *version >= kMinimumContainerd) return {};
  return core::Error{"containerd " + reported + " at " + address + " is too old: Podscope needs containerd " +
                         toText(kMinimumContainerd) + " or later",
                     {}, {}};
}

}  // namespace podscope::engine::containerd
