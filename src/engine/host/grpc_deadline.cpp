#include "engine/host/grpc_deadline.h"

#include <grpc/support/time.h>
#include <grpcpp/client_context.h>

namespace podscope::engine {

void setGrpcTimeout(grpc::ClientContext& context, std::chrono::milliseconds timeout) {
  context.set_deadline(gpr_time_from_millis(timeout.count(), GPR_TIMESPAN));
}

}  // namespace podscope::engine
