#pragma once
// A pod's volumes on the host: emptyDir folders that live with the pod's
// sandbox (a tmpfs for medium Memory), hostPath paths checked and created as
// the kubelet's hostPath plugin does, and the per-container files that back
// terminationMessagePath.
// Thread contract: free functions, safe from any thread.

#include <string>

#include "core/result.h"
#include "engine/runtime.h"

namespace podscope::engine::containerd {

/// The host path to bind-mount for `mount` in the pod whose sandbox folder
/// is `sandboxDir`, made ready: the emptyDir folder (shared by the pod's
/// containers, kept across restarts), or the hostPath after its type check;
/// with subPath, the folder under it (created when missing).
core::Result<std::string> prepareVolume(const std::string& sandboxDir, const VolumeMountConfig& mount);

/// A fresh, empty file for one container's termination message, writable
/// by any user the container runs as.
core::Result<std::string> createTerminationMessageFile(const std::string& sandboxDir,
                                                       const std::string& containerId);

/// At most `limit` bytes of what the container wrote to its termination
/// message file (the kubelet reads 4096).
std::string readTerminationMessage(const std::string& path, std::size_t limit = 4096);

/// Unmounts and deletes the volumes and termination files of the sandbox at
/// `sandboxDir`; what is already gone is fine. hostPath volumes are the
/// host's and are never touched.
core::Status removePodVolumes(const std::string& sandboxDir);

}  // namespace podscope::engine::containerd
