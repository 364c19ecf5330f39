#include "engine/runtime/containerd/containerd_probe.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <string_view>

#include "engine/runtime/containerd/containerd_client.h"

namespace podscope::engine::containerd {

namespace {

std::string notReachable(const std::string& path, const std::string& why) {
  return "containerd: not reachable at " + path + " (" + why + ")";
}

}  // namespace

std::string describeContainerdAt(const std::string& address, std::chrono::milliseconds timeout) {
  constexpr std::string_view kScheme = "unix://";
  const std::string path = address.starts_with(kScheme) ? address.substr(kScheme.size()) : address;
  if (path.empty()) return "containerd: not reachable (no address given)";

  // The usual reasons are told apart before gRPC is asked, whose own
  // messages name none of them plainly.
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) {
    const int err = errno;
    return notReachable(path, err == ENOENT || err == ENOTDIR ? std::string("no socket there") : std::strerror(err));
  }
  if (!S_ISSOCK(st.st_mode)) return notReachable(path, "not a socket");
  if (::access(path.c_str(), R_OK | W_OK) != 0 && errno == EACCES) return notReachable(path, "permission denied");

  // gRPC reads a relative path as an authority, not a file.
  std::error_code ec;
  std::filesystem::path absolute = std::filesystem::absolute(path, ec);
  ContainerdClient client(ec ? path : absolute.lexically_normal().string(), "podscope");
  RpcFailure failure = RpcFailure::None;
  core::Result<std::string> version = client.version(timeout, &failure);
  if (version) return "containerd: " + *version + " at " + path;
  switch (failure) {
    case RpcFailure::DeadlineExceeded:
      return notReachable(path, "no answer within " + std::to_string(timeout.count()) + " ms");
    case RpcFailure::Unavailable:
      return notReachable(path, "nothing answers there");
    case RpcFailure::Unimplemented:
      return notReachable(path, "what answers there is not containerd");
    case RpcFailure::None:
    case RpcFailure::NotFound:
    case RpcFailure::AlreadyExists:
    case RpcFailure::FailedPrecondition:
    case RpcFailure::Cancelled:
    case RpcFailure::Other:
      break;
  }
  return notReachable(path, version.error().message);
}

}  // namespace podscope::engine::containerd
