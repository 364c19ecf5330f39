#pragma once
// Reading an image the way containerd's CRI plugin does: index -> manifest
// for this platform -> config blob, then the process a container runs as
// Kubernetes derives it from the image and the container's command/args.
// Thread contract: pure functions; safe from any thread.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace podscope::engine::containerd {

/// An OCI content descriptor (the parts the runtime uses).
struct BlobDescriptor {
  std::string mediaType;
  std::string digest;
  std::int64_t size = 0;
};

/// The runnable parts of an image config blob.
struct ImageConfig {
  std::string os;
  std::string architecture;
  std::vector<std::string> entrypoint;
  std::vector<std::string> cmd;
  std::vector<std::string> env;
  std::string workingDir;
  std::string user;
  std::string stopSignal;            ///< config.StopSignal, e.g. "SIGQUIT"; empty: SIGTERM
  std::vector<std::string> diffIds;  ///< rootfs.diff_ids, base layer first
};

/// The number of a signal named as images name it ("SIGQUIT", "QUIT", "3");
/// an error for anything else.
core::Result<int> parseSignal(std::string_view name);

bool isIndexMediaType(std::string_view mediaType);
bool isManifestMediaType(std::string_view mediaType);

/// The GOARCH name of the machine this was built for ("amd64", "arm64").
std::string_view hostArchitecture();

/// Picks the manifest for `os`/`architecture` from an image index (or a
/// Docker manifest list).
core::Result<BlobDescriptor> selectManifest(std::string_view indexJson, std::string_view os,
                                            std::string_view architecture);

/// The config descriptor of an image manifest.
core::Result<BlobDescriptor> manifestConfig(std::string_view manifestJson);

/// What an image manifest lists: its config and its layers, base first.
struct ImageManifest {
  BlobDescriptor config;
  std::vector<BlobDescriptor> layers;
};

/// Parses an image manifest; every descriptor must have a sha256 digest and
/// a size, since blobs are fetched and verified by them.
core::Result<ImageManifest> parseManifest(std::string_view manifestJson);

/// The manifests an image index (or Docker manifest list) lists, in order.
core::Result<std::vector<BlobDescriptor>> indexManifests(std::string_view indexJson);

/// True for the layer media types containerd's diff service applies (tar,
/// gzip and zstd, OCI and Docker).
bool isLayerMediaType(std::string_view mediaType);

/// True for "sha256:" followed by 64 lowercase hex digits.
bool isSha256Digest(std::string_view digest);

core::Result<ImageConfig> parseImageConfig(std::string_view configJson);

/// The identity of the snapshot holding all of `diffIds` applied in order:
/// chainID(L0) = diffID0, chainID(Ln) = sha256(chainID(Ln-1) + " " + diffIDn).
std::string chainId(const std::vector<std::string>& diffIds);

/// The container's argv, merged as Kubernetes does: `command` replaces the
/// image's Entrypoint (and then the image's Cmd is dropped), `args` replaces
/// its Cmd. An empty result is an error, as in the kubelet.
core::Result<std::vector<std::string>> processArgs(const ImageConfig& image,
                                                   const std::vector<std::string>& command,
                                                   const std::vector<std::string>& args);

/// The container's environment: containerd's default PATH and HOSTNAME, then
/// the image's variables (an image's PATH replaces the default in place).
std::vector<std::string> processEnv(const ImageConfig& image, std::string_view hostname);

struct ProcessUser {
  std::uint32_t uid = 0;
  std::uint32_t gid = 0;
};

/// The image's USER as numeric ids: "", "root", "1000", "1000:1000" are
/// understood; a user name other than root needs the image's /etc/passwd,
/// which is not read, so it is an Error saying so.
core::Result<ProcessUser> parseImageUser(std::string_view user);

}  // namespace podscope::engine::containerd
