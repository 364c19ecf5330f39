#pragma once
// SHA-256, for content digests and image chain IDs. Small and self-contained
// so the runtime needs no crypto library for the handful of short strings it
// hashes.
// Thread contract: a pure function; safe from any thread.

#include <string>
#include <string_view>

namespace podscope::engine::containerd {

/// The lowercase hex SHA-256 of `data` (64 characters).
std::string sha256Hex(std::string_view data);

}  // namespace podscope::engine::containerd
