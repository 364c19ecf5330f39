#include "core/manifest.h"

namespace podscope::core {

std::string_view toString(RestartPolicy policy) {
  switch (policy) {
    case RestartPolicy::Always: return "Always";
    case RestartPolicy::OnFailure: return "OnFailure";
    case RestartPolicy::Never: return "Never";
  }
  return "";
}

std::string_view toString(PullPolicy policy) {
  switch (policy) {
    case PullPolicy::Always: return "Always";
    case PullPolicy::IfNotPresent: return "IfNotPresent";
    case PullPolicy::Never: return "Never";
  }
  return "";
}

PullPolicy defaultPullPolicy(std::string_view image) {
  if (image.find('@') != std::string_view::npos) return PullPolicy::IfNotPresent;
  // The tag follows the last ':' that comes after the last '/', so a
  // registry port (localhost:5000/busybox) is not taken for a tag.
  size_t slash = image.rfind('/');
  size_t colon = image.rfind(':');
  if (colon == std::string_view::npos || (slash != std::string_view::npos && colon < slash)) {
    return PullPolicy::Always;
  }
  return image.substr(colon + 1) == "latest" ? PullPolicy::Always : PullPolicy::IfNotPresent;
}

const Document* Manifest::firstPod() const {
  for (const Document& d : documents) {
    if (d.pod) return &d;
  }
  return nullptr;
}

}  // namespace podscope::core
