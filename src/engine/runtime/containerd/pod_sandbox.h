#pragma once
// The namespaces a pod's containers share, without a pause container: the
// network, IPC and UTS namespaces are created once and kept alive as bind
// mounts of their nsfs files (the way `ip netns add` keeps a netns), and each
// container joins them through its OCI spec (`linux.namespaces[].path`).
// Compared with a pause container this needs no extra image or process, and
// the namespaces outlive any one container, as in a pod.
// Thread contract: free functions, safe from any thread; each call blocks
// briefly (it starts and joins a short-lived thread).

#include <string>

#include "core/result.h"

namespace podscope::engine::containerd {

/// Where a pod's shared pieces live on the host.
struct PodSandboxPaths {
  std::string dir;
  std::string network;   ///< bind mount of the netns (lo is up)
  std::string ipc;       ///< bind mount of the IPC namespace
  std::string uts;       ///< bind mount of the UTS namespace, hostname set
  std::string shm;       ///< a tmpfs the containers share as /dev/shm
  std::string hosts;     ///< the pod's /etc/hosts
  std::string hostname;  ///< the pod's /etc/hostname
  std::string owner;     ///< the id of the run that made it (written by the runtime)

  static PodSandboxPaths under(const std::string& dir);
};

/// Creates `dir` and everything in it. On failure nothing is left behind.
core::Result<PodSandboxPaths> createPodSandbox(const std::string& dir, const std::string& hostname);

/// Unmounts and deletes what createPodSandbox made; whatever is already gone
/// is fine.
core::Status removePodSandbox(const std::string& dir);

}  // namespace podscope::engine::containerd
