#pragma once
// The probe and hook handlers that reach a pod over its network: an HTTP GET,
// a TCP connect and a gRPC health check, as the kubelet's prober makes them.
// They use the network namespace of the thread that calls them: the runtime
// runs them on a thread of their own that has entered the pod's namespace
// (enterNetworkNamespace), and every socket they open stays in that
// namespace, wherever it is later read from. Errors are worded as Go's
// net/http and gRPC clients word them, since users know those from kubectl.
// Thread contract: free functions, safe from any thread; each blocks until it
// is done, its timeout passes, or `cancelFd` becomes readable (then it returns
// an error quickly; -1 means it is never cancelled).

#include <string>

#include "core/result.h"
#include "engine/runtime.h"

namespace podscope::engine::containerd {

/// Moves the calling thread (only) into the network namespace bound at
/// `path` (a pod sandbox's `net` file). Needs CAP_SYS_ADMIN.
core::Status enterNetworkNamespace(const std::string& path);

/// One HTTP/1.1 GET (`Connection: close`), https without certificate checks.
/// An error means no response was had; every status code is a response.
core::Result<HttpResponse> httpGet(const HttpRequest& request, int cancelFd);

/// Connects and closes at once.
core::Status tcpConnect(const TcpRequest& request, int cancelFd);

/// grpc.health.v1.Health/Check in plaintext over a socket connected here and
/// then handed to gRPC, so gRPC's own threads never need the namespace.
core::Result<GrpcResponse> grpcHealthCheck(const GrpcRequest& request, int cancelFd);

}  // namespace podscope::engine::containerd
