#pragma once
// Which containerd versions Podscope works with, from the version string the
// daemon reports ("1.6.20~ds1", "v1.7.13", "2.0.0-rc.1").

#include <optional>
#include <string>

#include "core/result.h"

namespace podscope::engine::containerd {

struct ContainerdVersion {
  int major = 0;
  int minor = 0;
  int patch = 0;
  friend auto operator<=>(const ContainerdVersion&, const ContainerdVersion&) = default;
};

/// The oldest containerd Podscope supports: the runc v2 shim
/// (io.containerd.runc.v2), exec output over FIFOs and the events, leases
/// and snapshot APIs as the runtime uses them. Debian 12 ships 1.6.
inline constexpr ContainerdVersion kMinimumContainerd{1, 6, 0};

/// major.minor.patch of a reported version (a leading "v" and anything
/// after the numbers ignored); nullopt when it does not start with one.
std::optional<ContainerdVersion> parseContainerdVersion(const std::string& reported);

/// An error naming the version and what is needed when `reported` is older
/// than kMinimumContainerd. A version that cannot be read (a development
/// build) is let through.
core::Status checkContainerdVersion(const std::string& reported, const std::string& address);

}  // namespace podscope::engine::containerd
