#pragma once
// Unpacking an image's layers into the overlayfs snapshotter through
// containerd's own services, as containerd's unpacker does: for each layer,
// base first, a snapshot is prepared on the chain of the layers below, the
// diff service applies the layer blob onto it, and it is committed under its
// chain ID; then the layer blobs get `containerd.io/uncompressed` and the
// config `containerd.io/gc.ref.snapshot.overlayfs`, so the garbage collector
// keeps the snapshots as long as the image. Layers already unpacked (by an
// import, an earlier pull, or another pod unpacking the same image at the
// same moment) are skipped.
// Thread contract: a free function; safe from any thread (containerd
// arbitrates between concurrent unpackers).

#include <string>
#include <vector>

#include "core/result.h"
#include "engine/runtime/containerd/containerd_client.h"
#include "engine/runtime/containerd/image_config.h"

namespace podscope::engine::containerd {

struct UnpackRequest {
  std::string configDigest;
  std::vector<std::string> diffIds;    ///< from the config, base first
  std::vector<BlobDescriptor> layers;  ///< from the manifest, base first
  /// Protects the snapshots until the config's label references them.
  std::string leaseId;
  /// Makes the names of the snapshots being extracted unique to this
  /// unpacker ("extract-<unique>-<layer>-<try> <chainID>").
  std::string unique;
};

/// Unpacks; the chain ID of the top snapshot, which containers start from.
/// Errors in containerd's words ("failed to extract layer …", "wrong diff
/// id calculated on extraction …").
core::Result<std::string> unpackImage(ContainerdClient& client, const UnpackRequest& request);

}  // namespace podscope::engine::containerd
