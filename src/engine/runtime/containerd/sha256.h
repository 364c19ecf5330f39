#pragma once
// SHA-256, for content digests and image chain IDs: one-shot for short
// strings, incremental for blobs streamed from a registry (OpenSSL's, which
// uses the CPU's SHA instructions where there are some).
// Thread contract: sha256Hex is pure and safe from any thread; a Sha256 is
// used from one thread at a time.

#include <memory>
#include <string>
#include <string_view>

namespace podscope::engine::containerd {

/// The lowercase hex SHA-256 of `data` (64 characters).
std::string sha256Hex(std::string_view data);

/// A running SHA-256 over data fed piece by piece.
class Sha256 {
 public:
  Sha256();
  ~Sha256();
  Sha256(const Sha256&) = delete;
  Sha256& operator=(const Sha256&) = delete;

  void update(std::string_view data);
  /// The lowercase hex digest of everything fed so far; ends the hash (a
  /// later update starts a new one).
  std::string finishHex();

 private:
  struct State;
  std::unique_ptr<State> m_state;
};

}  // namespace podscope::engine::containerd
