#include "engine/runtime/containerd/image_unpack.h"

#include <map>

namespace podscope::engine::containerd {
namespace {

core::Error error(std::string message) { return core::Error{std::move(message), {}, {}}; }

// containerd's labels (snapshots.labelSnapshotRef, the unpacker's others).
constexpr const char* kSnapshotRefLabel = "containerd.io/snapshot.ref";
constexpr const char* kUncompressedLabel = "containerd.io/uncompressed";
constexpr int kPrepareTries = 3;

}  // namespace

core::Result<std::string> unpackImage(ContainerdClient& client, const UnpackRequest& request) {
  if (request.layers.size() != request.diffIds.size()) {
    return error("number of layers and diffIDs don't match: " + std::to_string(request.layers.size()) +
                 " != " + std::to_string(request.diffIds.size()));
  }
  if (request.layers.empty()) return error("the image has no layers to unpack");

  std::vector<std::string> chain;
  std::string parent;
  for (std::size_t i = 0; i < request.layers.size(); ++i) {
    const BlobDescriptor& layer = request.layers[i];
    chain.push_back(request.diffIds[i]);
    const std::string chainID = chainId(chain);
    const std::map<std::string, std::string> labels{{kSnapshotRefLabel, chainID}};

    auto exists = client.snapshotExists(chainID);
    if (!exists) return exists.error();
    if (*exists) {
      parent = chainID;
      continue;
    }

    std::string key;
    std::vector<MountSpec> mounts;
    bool doneByOther = false;
    for (int attempt = 1;; ++attempt) {
      key = "extract-" + request.unique + "-" + std::to_string(i) + "-" + std::to_string(attempt) + " " + chainID;
      RpcFailure failure = RpcFailure::None;
      auto prepared = client.prepareSnapshot(key, parent, request.leaseId, labels, &failure);
      if (prepared) {
        mounts = std::move(*prepared);
        break;
      }
      if (failure != RpcFailure::AlreadyExists) {
        return error("failed to prepare extraction snapshot \"" + key + "\": " + prepared.error().message);
      }
      // Someone else is extracting under this key: done once the chain exists.
      auto now = client.snapshotExists(chainID);
      if (!now) return now.error();
      if (*now) {
        doneByOther = true;
        break;
      }
      if (attempt == kPrepareTries) {
        return error("unable to prepare extraction snapshot: " + prepared.error().message);
      }
    }
    if (doneByOther) {
      parent = chainID;
      continue;
    }

    auto abort = [&] { (void)client.removeSnapshot(key); };
    auto applied = client.applyLayer(layer, mounts);
    if (!applied) {
      abort();
      return applied.error();
    }
    if (*applied != request.diffIds[i]) {
      abort();
      return error("wrong diff id calculated on extraction \"" + request.diffIds[i] + "\" (layer " + layer.digest +
                   " unpacks to " + *applied + ")");
    }
    RpcFailure failure = RpcFailure::None;
    if (auto st = client.commitSnapshot(chainID, key, request.leaseId, labels, &failure); !st) {
      abort();
      // Another unpacker committed the same chain first: it is there.
      if (failure != RpcFailure::AlreadyExists) return st.error();
    }
    // Set once the uncompressed digest has been checked by applying it.
    if (auto st = client.setContentLabels(layer.digest, {{kUncompressedLabel, *applied}}); !st) return st.error();
    parent = chainID;
  }

  const std::string top = chainId(request.diffIds);
  if (auto st = client.setContentLabels(request.configDigest,
                                        {{std::string("containerd.io/gc.ref.snapshot.") + ContainerdClient::kSnapshotter, top}});
      !st) {
    return st.error();
  }
  return top;
}

}  // namespace podscope::engine::containerd
