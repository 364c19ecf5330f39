#pragma once
// Whether a containerd answers at an address, and which version it is, for
// `--version`: a question with a short deadline that never waits longer.

#include <chrono>
#include <string>

namespace podscope::engine::containerd {

/// How long `--version` waits for containerd's answer.
inline constexpr std::chrono::milliseconds kVersionProbeTimeout{1'000};

/// One line about the containerd at `address` (a socket path or
/// unix://PATH): "containerd: 1.6.20~ds1 at /run/containerd/containerd.sock",
/// or "containerd: not reachable at ADDRESS (why)". Asks containerd's Version
/// service and returns within `timeout` plus the time to open a local socket.
/// Thread contract: safe from any thread.
std::string describeContainerdAt(const std::string& address,
                                 std::chrono::milliseconds timeout = kVersionProbeTimeout);

}  // namespace podscope::engine::containerd
