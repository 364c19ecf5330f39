#pragma once
// The OCI runtime spec (config.json) for a pod's container: containerd's
// default Linux spec (the one `ctr run` uses, close to `runc spec` with
// Docker's default capabilities), with the container joining its pod's
// network, IPC and UTS namespaces.
// Thread contract: a pure function; safe from any thread.

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/result.h"

namespace podscope::engine::containerd {

struct RuntimeSpecInput {
  std::vector<std::string> args;
  std::vector<std::string> env;
  std::string cwd = "/";
  std::uint32_t uid = 0;
  std::uint32_t gid = 0;
  /// The pod's namespaces to join (bind-mounted namespace files); an empty
  /// path gives the container a namespace of its own.
  std::string networkNamespace;
  std::string ipcNamespace;
  std::string utsNamespace;
  /// Set only when the container gets a UTS namespace of its own.
  std::string hostname;
  /// The pod's /dev/shm, /etc/hosts and /etc/hostname; empty leaves them out.
  std::string shmPath;
  std::string hostsPath;
  std::string hostnamePath;
  std::string cgroupsPath;
  /// Host paths bind-mounted into the container, after the defaults, in
  /// order (volumes, the termination message file).
  struct BindMount {
    std::string destination;
    std::string source;
    bool readOnly = false;
  };
  std::vector<BindMount> binds;
  /// cgroup settings; unset leaves the host's defaults.
  std::optional<std::int64_t> memoryLimitBytes;
  std::optional<std::int64_t> cpuQuotaMicros;  ///< per cpuPeriodMicros
  std::uint64_t cpuPeriodMicros = 100'000;
  std::optional<std::uint64_t> cpuShares;
  /// Labels that end up as OCI annotations, for `ctr c info` readers.
  std::vector<std::pair<std::string, std::string>> annotations;
};

/// Kubernetes' CPU limit and request in millicores as CFS quota (per the
/// 100 ms period; at least 1 ms) and shares (1024 per core, at least 2), as
/// the kubelet converts them.
std::int64_t cpuQuotaFromMillis(std::int64_t millis, std::uint64_t periodMicros = 100'000);
std::uint64_t cpuSharesFromMillis(std::int64_t millis);

/// The spec as JSON text, ready for Containers.Create.
std::string buildRuntimeSpec(const RuntimeSpecInput& input);

/// The OCI process (JSON) for a command run in a container made from
/// `containerSpecJson`: the container's own process (user, env, cwd,
/// capabilities, rlimits) with `argv` as its args and no terminal, as
/// `ctr tasks exec` and the CRI's ExecSync derive it.
core::Result<std::string> execProcessSpec(const std::string& containerSpecJson,
                                          const std::vector<std::string>& argv);

}  // namespace podscope::engine::containerd
