#pragma once
// Image references as Kubernetes (and Docker) read them: `busybox` is
// `docker.io/library/busybox:latest`, `busybox:1.30` is
// `docker.io/library/busybox:1.30`, `registry.k8s.io/pause:3.9` stays as it
// is, and a digest pins the content. containerd stores images under these
// fully qualified names, so this is how a manifest's `image:` finds one.
// Thread contract: pure functions; safe from any thread.

#include <string>
#include <string_view>

#include "core/result.h"

namespace podscope::engine::containerd {

struct ImageReference {
  std::string domain;  ///< "docker.io", "registry.k8s.io", "localhost:5000"
  std::string path;    ///< "library/busybox"
  std::string tag;     ///< "latest"; empty when only a digest was given
  std::string digest;  ///< "sha256:<64 hex>", or empty

  /// The fully qualified name: domain/path[:tag][@digest].
  std::string toString() const;
};

/// Parses and normalises `image`; an invalid reference is an Error that says
/// what is wrong with it.
core::Result<ImageReference> parseImageReference(std::string_view image);

/// parseImageReference(image)->toString().
core::Result<std::string> normalizeImageReference(std::string_view image);

}  // namespace podscope::engine::containerd
