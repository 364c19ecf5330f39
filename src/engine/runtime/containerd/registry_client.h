#pragma once
// A client for one repository of an OCI / Docker registry, over libcurl:
// resolves a reference to its manifest's descriptor (HEAD, then GET when the
// registry does not say the digest), fetches manifests and blobs and checks
// each against its digest and size. Anonymous Bearer token auth is done as
// Docker does it (a 401 with `WWW-Authenticate: Bearer realm=…` sends it to
// the token server, then the request is retried with the token); registries
// that want credentials are not supported. Errors are worded as containerd
// words them, so a pull failure reads as it would on a cluster.
// Thread contract: a RegistryClient is used from one thread; its
// CancelToken's cancel() may be called from any thread.

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "engine/runtime/containerd/image_config.h"
#include "engine/runtime/containerd/image_reference.h"
#include "engine/runtime/containerd/registry_protocol.h"

namespace podscope::engine::containerd {

/// Ends pulls from another thread: transfers stop within about a second
/// (libcurl's progress callback asks), waits end at once, and a hook (set
/// while a call to containerd may block) is run.
/// Thread contract: cancel() and cancelled() from any thread; setHook() from
/// the pulling thread.
class CancelToken {
 public:
  void cancel();
  bool cancelled() const { return m_cancelled.load(); }
  /// Waits `timeout`; false when cancelled (before or during the wait).
  bool waitFor(std::chrono::milliseconds timeout);
  /// Runs `hook` on cancel() until cleared (an empty function clears it,
  /// waiting for a hook that is running). The hook must not block.
  void setHook(std::function<void()> hook);

 private:
  std::atomic<bool> m_cancelled{false};
  std::mutex m_mutex;
  std::condition_variable m_wake;
  std::function<void()> m_hook;
};

/// One HTTP exchange.
struct HttpExchange {
  std::string method = "GET";
  std::string url;
  std::vector<std::string> headers;  ///< "Name: value"
  /// Receives the body of a 2xx answer as it arrives (other answers are
  /// kept in the response, at most 64 KiB); an error result ends the
  /// transfer with that error.
  std::function<core::Status(std::string_view)> sink;
  /// Bodies kept in the response are refused beyond this many bytes.
  std::size_t maxBody = 4 * 1024 * 1024;
  /// A big download: no overall time limit, only a stall limit.
  bool longTransfer = false;
};

struct HttpAnswer {
  long status = 0;
  std::string statusLine;  ///< "404 Not Found"
  std::map<std::string, std::vector<std::string>> headers;  ///< names lowercase
  std::string body;
  std::string header(const std::string& lowercaseName) const;
};

/// Performs `exchange` (following redirects). A transport failure is an
/// Error in containerd's and Go's words (`failed to do request: Head "URL":
/// dial tcp 127.0.0.1:5000: connect: connection refused`); "context
/// canceled" when `cancel` ended it; the sink's own error when it refused.
core::Result<HttpAnswer> performHttp(const HttpExchange& exchange, CancelToken& cancel);

class RegistryClient {
 public:
  /// Manifests above this size are refused (containerd's limit).
  static constexpr std::int64_t kMaxManifestSize = 4 * 1024 * 1024;

  RegistryClient(ImageReference reference, CancelToken& cancel);

  /// The descriptor of the reference's manifest or index. Errors are what
  /// containerd puts after `failed to resolve reference "R": `.
  core::Result<BlobDescriptor> resolve();
  /// A manifest or index by its digest, checked against it.
  core::Result<std::string> fetchManifest(const BlobDescriptor& manifest);
  /// A blob, passed to `sink` as it arrives and checked against its digest
  /// and size before success is returned. Errors are what containerd puts
  /// after `failed to pull and unpack image "R": `.
  core::Status fetchBlob(const BlobDescriptor& blob, const std::function<core::Status(std::string_view)>& sink);
  /// A small blob (a config) in memory, checked.
  core::Result<std::string> fetchSmallBlob(const BlobDescriptor& blob, std::int64_t maxSize);

  const RegistryEndpoint& endpoint() const { return m_endpoint; }

 private:
  /// Sends `exchange` with the token, if any; on a 401 with a Bearer
  /// challenge gets a token and sends it once more.
  core::Result<HttpAnswer> send(HttpExchange exchange);
  core::Status authorize(const HttpAnswer& challenged);

  ImageReference m_reference;
  RegistryEndpoint m_endpoint;
  CancelToken& m_cancel;
  std::string m_token;
  bool m_triedToken = false;
};

}  // namespace podscope::engine::containerd
