#include "engine/runtime/containerd/oci_spec.h"

#include <nlohmann/json.hpp>

#include <algorithm>

namespace podscope::engine::containerd {
namespace {

using nlohmann::json;

// containerd's oci.populateDefaultUnixSpec; runc itself defaults to only
// AUDIT_WRITE, KILL and NET_BIND_SERVICE, which would break `ping` and
// friends that work on a real cluster.
const std::vector<std::string>& defaultCapabilities() {
  static const std::vector<std::string> caps = {
      "CAP_CHOWN",  "CAP_DAC_OVERRIDE", "CAP_FSETID",           "CAP_FOWNER", "CAP_MKNOD",
      "CAP_NET_RAW", "CAP_SETGID",      "CAP_SETUID",           "CAP_SETFCAP", "CAP_SETPCAP",
      "CAP_NET_BIND_SERVICE", "CAP_SYS_CHROOT", "CAP_KILL",     "CAP_AUDIT_WRITE"};
  return caps;
}

json mount(const std::string& destination, const std::string& type, const std::string& source,
           std::vector<std::string> options) {
  return json{{"destination", destination}, {"type", type}, {"source", source}, {"options", options}};
}

json bindMount(const std::string& destination, const std::string& source, bool readOnly) {
  std::vector<std::string> options{"rbind", "rprivate", readOnly ? "ro" : "rw"};
  return mount(destination, "bind", source, options);
}

json namespaceEntry(const char* type, const std::string& path) {
  json entry{{"type", type}};
  if (!path.empty()) entry["path"] = path;
  return entry;
}

}  // namespace

std::int64_t cpuQuotaFromMillis(std::int64_t millis, std::uint64_t periodMicros) {
  // pkg/kubelet/cm: milliCPUToQuota, with its 1 ms minimum.
  const std::int64_t quota = millis * static_cast<std::int64_t>(periodMicros) / 1000;
  return std::max<std::int64_t>(quota, 1000);
}

std::uint64_t cpuSharesFromMillis(std::int64_t millis) {
  // MilliCPUToShares: 1024 shares per core, never under the kernel's 2.
  if (millis <= 0) return 2;
  const std::int64_t shares = millis * 1024 / 1000;
  return static_cast<std::uint64_t>(std::max<std::int64_t>(shares, 2));
}

std::string buildRuntimeSpec(const RuntimeSpecInput& input) {
  json caps = defaultCapabilities();

  json process{
      {"terminal", false},
      {"user", {{"uid", input.uid}, {"gid", input.gid}}},
      {"args", input.args},
      {"env", input.env},
      {"cwd", input.cwd.empty() ? std::string("/") : input.cwd},
      {"capabilities", {{"bounding", caps}, {"effective", caps}, {"permitted", caps}}},
      {"rlimits", json::array({{{"type", "RLIMIT_NOFILE"}, {"hard", 1024}, {"soft", 1024}}})},
      {"noNewPrivileges", true},
  };

  json mounts = json::array({
      mount("/proc", "proc", "proc", {"nosuid", "noexec", "nodev"}),
      mount("/dev", "tmpfs", "tmpfs", {"nosuid", "strictatime", "mode=755", "size=65536k"}),
      mount("/dev/pts", "devpts", "devpts",
            {"nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", "gid=5"}),
      mount("/dev/mqueue", "mqueue", "mqueue", {"nosuid", "noexec", "nodev"}),
      mount("/sys", "sysfs", "sysfs", {"nosuid", "noexec", "nodev", "ro"}),
      mount("/sys/fs/cgroup", "cgroup", "cgroup", {"nosuid", "noexec", "nodev", "relatime", "ro"}),
      mount("/run", "tmpfs", "tmpfs", {"nosuid", "strictatime", "mode=755", "size=65536k"}),
  });
  // Like the kubelet: /dev/shm is the pod's (so POSIX shared memory is shared
  // along with the IPC namespace), and /etc/hosts, /etc/hostname are files the
  // pod owns rather than whatever the image carries.
  if (input.shmPath.empty()) {
    mounts.push_back(mount("/dev/shm", "tmpfs", "shm",
                           {"nosuid", "noexec", "nodev", "mode=1777", "size=65536k"}));
  } else {
    mounts.push_back(bindMount("/dev/shm", input.shmPath, false));
  }
  if (!input.hostsPath.empty()) mounts.push_back(bindMount("/etc/hosts", input.hostsPath, false));
  if (!input.hostnamePath.empty()) {
    mounts.push_back(bindMount("/etc/hostname", input.hostnamePath, false));
  }
  for (const RuntimeSpecInput::BindMount& b : input.binds) mounts.push_back(bindMount(b.destination, b.source, b.readOnly));

  json linux{
      {"namespaces", json::array({
                         namespaceEntry("pid", ""),
                         namespaceEntry("ipc", input.ipcNamespace),
                         namespaceEntry("uts", input.utsNamespace),
                         namespaceEntry("mount", ""),
                         namespaceEntry("network", input.networkNamespace),
                     })},
      {"resources", {{"devices", json::array({{{"allow", false}, {"access", "rwm"}}})}}},
      {"maskedPaths",
       {"/proc/acpi", "/proc/asound", "/proc/kcore", "/proc/keys", "/proc/latency_stats",
        "/proc/timer_list", "/proc/timer_stats", "/proc/sched_debug", "/sys/firmware",
        "/proc/scsi"}},
      {"readonlyPaths",
       {"/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger"}},
  };
  if (!input.cgroupsPath.empty()) linux["cgroupsPath"] = input.cgroupsPath;
  if (input.memoryLimitBytes) linux["resources"]["memory"] = {{"limit", *input.memoryLimitBytes}};
  if (input.cpuQuotaMicros || input.cpuShares) {
    json cpu = json::object();
    if (input.cpuQuotaMicros) {
      cpu["quota"] = *input.cpuQuotaMicros;
      cpu["period"] = input.cpuPeriodMicros;
    }
    if (input.cpuShares) cpu["shares"] = *input.cpuShares;
    linux["resources"]["cpu"] = cpu;
  }

  json spec{
      {"ociVersion", "1.0.2-dev"},
      {"process", process},
      // containerd mounts the snapshot here, relative to the bundle.
      {"root", {{"path", "rootfs"}, {"readonly", false}}},
      {"mounts", mounts},
      {"linux", linux},
  };
  if (input.utsNamespace.empty() && !input.hostname.empty()) spec["hostname"] = input.hostname;
  if (!input.annotations.empty()) {
    json annotations = json::object();
    for (const auto& [key, value] : input.annotations) annotations[key] = value;
    spec["annotations"] = annotations;
  }
  return spec.dump();
}

core::Result<std::string> execProcessSpec(const std::string& containerSpecJson,
                                          const std::vector<std::string>& argv) {
  if (argv.empty()) return core::Error{"no command to run", {}, {}};
  json spec = json::parse(containerSpecJson, nullptr, /*allow_exceptions=*/false);
  if (spec.is_discarded() || !spec.is_object() || !spec.contains("process") ||
      !spec["process"].is_object()) {
    return core::Error{"the container's runtime spec has no process to derive the command from",
                       {}, {}};
  }
  json process = spec["process"];
  process["args"] = argv;
  process["terminal"] = false;
  // A console size only makes sense with a terminal.
  process.erase("consoleSize");
  return process.dump();
}

}  // namespace podscope::engine::containerd
