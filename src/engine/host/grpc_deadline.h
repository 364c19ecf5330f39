#pragma once
// Deadlines for gRPC calls. A deadline is a point on the machine's clock, and
// outside host/ the engine never reads that clock; a relative (GPR_TIMESPAN)
// deadline lets gRPC read it itself when the call starts.
// Thread contract: stateless; safe from any thread.

#include <chrono>

namespace grpc {
class ClientContext;
}

namespace podscope::engine {

/// Makes the call made with `context` fail with DEADLINE_EXCEEDED if it has
/// not finished `timeout` after it starts.
void setGrpcTimeout(grpc::ClientContext& context, std::chrono::milliseconds timeout);

}  // namespace podscope::engine
