#include "engine/runtime/containerd/image_puller.h"

#include <algorithm>

#include "engine/host/machine_time.h"
#include "engine/runtime/containerd/image_unpack.h"
#include "engine/runtime/containerd/sha256.h"

namespace podscope::engine::containerd {
namespace {

core::Error error(std::string message) { return core::Error{std::move(message), {}, {}}; }

// containerd's pull lease lasts a day: long enough for any pull, short
// enough that one which died half-way is collected.
constexpr std::chrono::hours kLeaseExpiry{24};
// Configs are a few KiB; anything this big is not one.
constexpr std::int64_t kMaxConfigSize = 16 * 1024 * 1024;
// How long to wait for another writer of the same blob (another pull of the
// same image) before giving up, and how often to look.
constexpr std::chrono::minutes kLockedWait{10};
constexpr std::chrono::milliseconds kLockedFirstRetry{50};
constexpr std::chrono::milliseconds kLockedMaxRetry{2'000};

std::string distributionSourceLabel(const ImageReference& reference) {
  return "containerd.io/distribution.source." + reference.domain;
}

/// Removes a lease when the pull ends, however it ends.
class LeaseGuard {
 public:
  LeaseGuard(ContainerdClient& client, std::string id) : m_client(client), m_id(std::move(id)) {}
  ~LeaseGuard() { (void)m_client.deleteLease(m_id); }
  LeaseGuard(const LeaseGuard&) = delete;
  LeaseGuard& operator=(const LeaseGuard&) = delete;

 private:
  ContainerdClient& m_client;
  std::string m_id;
};

}  // namespace

ImagePuller::ImagePuller(ContainerdClient& client, CancelToken& cancel)
    : m_client(client), m_cancel(cancel), m_random(std::random_device{}()) {}

std::string ImagePuller::randomHex(int digits) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (int i = 0; i < digits; ++i) out += kHex[m_random() & 0xf];
  return out;
}

core::Result<std::unique_ptr<ContentWriter>> ImagePuller::openWriter(const BlobDescriptor& blob) {
  const std::string ref = ingestRef(blob);
  auto retry = kLockedFirstRetry;
  std::chrono::milliseconds waited{0};
  while (true) {
    RpcFailure failure = RpcFailure::None;
    auto writer = m_client.openContentWriter(ref, blob, m_leaseId, &failure);
    if (writer || failure != RpcFailure::Unavailable) return writer;
    // Another pull is writing this blob (containerd locks the ref): wait
    // for it to finish, then find the blob there.
    if (waited >= kLockedWait) {
      return error("failed to open writer for " + ref + ": another pull has held it for " +
                   std::to_string(std::chrono::duration_cast<std::chrono::minutes>(waited).count()) +
                   " minutes: " + writer.error().message);
    }
    if (!m_cancel.waitFor(retry)) return error("context canceled");
    waited += retry;
    retry = std::min(retry * 2, kLockedMaxRetry);
  }
}

core::Result<std::unique_ptr<ContentWriter>> ImagePuller::writerFor(const BlobDescriptor& blob,
                                                                    const std::map<std::string, std::string>& labels,
                                                                    bool* done) {
  *done = false;
  auto writer = openWriter(blob);
  if (!writer) return writer.error();
  if (!*writer) {
    *done = true;
    return std::move(*writer);
  }
  if (!(*writer)->complete()) return std::move(*writer);
  // containerd has the bytes already (shared from another namespace, as
  // containerd's own fetcher finds them): commit them without a download.
  // Should that fail (a stale ingest that does not match), write it anew.
  if ((*writer)->commit(labels)) {
    *done = true;
    return std::unique_ptr<ContentWriter>();
  }
  writer = openWriter(blob);
  if (!writer) return writer.error();
  if (!*writer) *done = true;
  return std::move(*writer);
}

core::Status ImagePuller::storeBlob(const BlobDescriptor& blob, std::string_view data,
                                    const std::map<std::string, std::string>& labels) {
  bool done = false;
  auto writer = writerFor(blob, labels, &done);
  if (!writer) return writer.error();
  if (done) return m_client.setContentLabels(blob.digest, labels);
  if (auto st = (*writer)->write(data); !st) return st;
  return (*writer)->commit(labels);
}

core::Result<std::string> ImagePuller::smallBlob(RegistryClient& registry, const BlobDescriptor& blob) {
  auto info = m_client.contentInfo(blob.digest);
  if (!info) return info.error();
  if (*info) {
    auto stored = m_client.readBlob(blob.digest, std::max<std::int64_t>(blob.size, RegistryClient::kMaxManifestSize));
    if (!stored) return stored.error();
    if ("sha256:" + sha256Hex(*stored) == blob.digest) return stored;
    // A stored blob that does not match its name is not trusted: fetch it.
  }
  if (isIndexMediaType(blob.mediaType) || isManifestMediaType(blob.mediaType)) return registry.fetchManifest(blob);
  return registry.fetchSmallBlob(blob, kMaxConfigSize);
}

core::Status ImagePuller::layerBlob(RegistryClient& registry, const BlobDescriptor& blob,
                                    const std::map<std::string, std::string>& labels) {
  bool done = false;
  auto writer = writerFor(blob, labels, &done);
  if (!writer) return writer.error();
  if (done) return {};  // already in the content store
  ContentWriter* w = writer->get();
  m_cancel.setHook([w] { w->cancel(); });
  core::Status fetched = registry.fetchBlob(blob, [w](std::string_view data) { return w->write(data); });
  m_cancel.setHook({});
  if (!fetched) return fetched;
  return w->commit(labels);
}

core::Result<PulledImage> ImagePuller::pull(const ImageReference& reference, bool* resolveFailed) {
  *resolveFailed = false;
  if (m_cancel.cancelled()) return error("context canceled");
  const std::string name = reference.toString();
  RegistryClient registry(reference, m_cancel);
  auto top = registry.resolve();
  if (!top) {
    *resolveFailed = true;
    return error("failed to resolve reference \"" + name + "\": " + top.error().message);
  }

  m_leaseId = "podscope-pull-" + randomHex(12);
  if (auto st = m_client.createLease(m_leaseId, {{"containerd.io/gc.expire", utcTimestampAfter(kLeaseExpiry)}}); !st) {
    return st.error();
  }
  LeaseGuard lease(m_client, m_leaseId);
  const std::map<std::string, std::string> source{{distributionSourceLabel(reference), reference.path}};

  PulledImage out;
  out.target = *top;
  out.size = top->size;
  BlobDescriptor manifestDesc = *top;
  if (isIndexMediaType(top->mediaType)) {
    auto index = smallBlob(registry, *top);
    if (!index) return index.error();
    auto children = indexManifests(*index);
    if (!children) return error("image " + name + ": " + children.error().message);
    auto labels = source;
    for (std::size_t i = 0; i < children->size(); ++i) {
      if (!(*children)[i].digest.empty()) {
        labels["containerd.io/gc.ref.content.m." + std::to_string(i)] = (*children)[i].digest;
      }
    }
    if (auto st = storeBlob(*top, *index, labels); !st) return st.error();
    auto chosen = selectManifest(*index, "linux", hostArchitecture());
    if (!chosen) {
      return error("no match for platform in manifest " + top->digest + ": not found (" + chosen.error().message + ")");
    }
    if (!isSha256Digest(chosen->digest) || chosen->size <= 0) {
      return error("image " + name + ": the index names its linux/" + std::string(hostArchitecture()) +
                   " manifest by \"" + chosen->digest + "\" with size " + std::to_string(chosen->size));
    }
    manifestDesc = *chosen;
    if (manifestDesc.mediaType.empty()) manifestDesc.mediaType = "application/vnd.oci.image.manifest.v1+json";
    out.size += manifestDesc.size;
  }
  if (!isManifestMediaType(manifestDesc.mediaType)) {
    return error("image " + name + " has a manifest of a kind Podscope cannot run (" + manifestDesc.mediaType + ")");
  }

  auto manifestJson = smallBlob(registry, manifestDesc);
  if (!manifestJson) return manifestJson.error();
  auto manifest = parseManifest(*manifestJson);
  if (!manifest) return error("image " + name + ": " + manifest.error().message);
  {
    auto labels = source;
    labels["containerd.io/gc.ref.content.config"] = manifest->config.digest;
    for (std::size_t i = 0; i < manifest->layers.size(); ++i) {
      labels["containerd.io/gc.ref.content.l." + std::to_string(i)] = manifest->layers[i].digest;
    }
    if (auto st = storeBlob(manifestDesc, *manifestJson, labels); !st) return st.error();
  }

  auto configJson = smallBlob(registry, manifest->config);
  if (!configJson) return configJson.error();
  auto config = parseImageConfig(*configJson);
  if (!config) return error("image " + name + ": " + config.error().message);
  if (auto st = storeBlob(manifest->config, *configJson, source); !st) return st.error();
  out.configDigest = manifest->config.digest;
  out.size += manifest->config.size;

  for (const BlobDescriptor& layer : manifest->layers) {
    if (auto st = layerBlob(registry, layer, source); !st) return st.error();
    out.size += layer.size;
  }

  UnpackRequest unpack;
  unpack.configDigest = manifest->config.digest;
  unpack.diffIds = config->diffIds;
  unpack.layers = manifest->layers;
  unpack.leaseId = m_leaseId;
  unpack.unique = randomHex(8);
  auto unpacked = unpackImage(m_client, unpack);
  if (!unpacked) return unpacked.error();

  // Last, as containerd does: an image record means a usable image.
  if (auto st = m_client.putImage(name, *top); !st) return st.error();
  return out;
}

}  // namespace podscope::engine::containerd
