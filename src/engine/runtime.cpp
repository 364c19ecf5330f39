#include "engine/runtime.h"

namespace podscope::engine {

std::string_view toString(HandlerPurpose purpose) {
  switch (purpose) {
    case HandlerPurpose::StartupProbe: return "startupProbe";
    case HandlerPurpose::LivenessProbe: return "livenessProbe";
    case HandlerPurpose::ReadinessProbe: return "readinessProbe";
    case HandlerPurpose::PostStartHook: return "postStart";
    case HandlerPurpose::PreStopHook: return "preStop";
  }
  return "";
}

}  // namespace podscope::engine
