#pragma once
// A real image pull, as containerd's CRI plugin does one: resolve the
// reference at its registry, fetch the index (picking this machine's
// platform), the manifest, the config and the layers into containerd's
// content store, each checked against its digest and labelled as containerd
// labels them (`containerd.io/gc.ref.content.*` from parent to children, so
// the garbage collector keeps what the image needs, and
// `containerd.io/distribution.source.<registry>`), unpack the layers into the
// overlayfs snapshotter, then create or update the image record under its
// fully qualified name. Everything happens under a lease that expires after
// a day, so a pull that dies half-way leaves nothing for good.
// Thread contract: an ImagePuller is used from one thread; the CancelToken
// may be cancelled from any other.

#include <cstdint>
#include <map>
#include <memory>
#include <random>
#include <string>
#include <string_view>

#include "core/result.h"
#include "engine/runtime/containerd/containerd_client.h"
#include "engine/runtime/containerd/image_config.h"
#include "engine/runtime/containerd/image_reference.h"
#include "engine/runtime/containerd/registry_client.h"

namespace podscope::engine::containerd {

struct PulledImage {
  BlobDescriptor target;     ///< what the image record points at (index or manifest)
  std::string configDigest;  ///< the image's id
  /// The image's size as containerd's CRI reports it: the target, the
  /// platform's manifest, its config and its (compressed) layers.
  std::int64_t size = 0;
};

class ImagePuller {
 public:
  ImagePuller(ContainerdClient& client, CancelToken& cancel);

  /// Pulls `reference`. Errors are in containerd's words, without its
  /// `failed to pull and unpack image "R": ` prefix; `resolveFailed` is set
  /// when the reference could not be resolved at its registry (not found,
  /// unreachable, refused), as opposed to a failure later on.
  core::Result<PulledImage> pull(const ImageReference& reference, bool* resolveFailed);

 private:
  /// A manifest, index or config: from the content store when it is there,
  /// else from the registry; checked against its digest either way.
  core::Result<std::string> smallBlob(RegistryClient& registry, const BlobDescriptor& blob);
  /// A layer streamed from the registry into the content store, unless it
  /// is there already.
  core::Status layerBlob(RegistryClient& registry, const BlobDescriptor& blob,
                         const std::map<std::string, std::string>& labels);
  /// Writes a blob held in memory; labels it when it is already there.
  core::Status storeBlob(const BlobDescriptor& blob, std::string_view data,
                         const std::map<std::string, std::string>& labels);
  /// Opens a writer, waiting while another writer holds the blob's ref;
  /// nullptr when the blob is (or became) present.
  core::Result<std::unique_ptr<ContentWriter>> openWriter(const BlobDescriptor& blob);
  /// A writer to fill, or `done` when the blob is present (or containerd
  /// held its bytes and it was committed with `labels`).
  core::Result<std::unique_ptr<ContentWriter>> writerFor(const BlobDescriptor& blob,
                                                         const std::map<std::string, std::string>& labels,
                                                         bool* done);
  std::string randomHex(int digits);

  ContainerdClient& m_client;
  CancelToken& m_cancel;
  std::string m_leaseId;
  std::mt19937_64 m_random;
};

}  // namespace podscope::engine::containerd
