#pragma once
// Whether the kernel's OOM killer struck inside a container's cgroup, read
// from the cgroup's own counters. containerd's /tasks/oom event is the first
// source; this covers the case where the task's exit is seen before it.
// Thread contract: a free function; safe from any thread.

#include <string>

namespace podscope::engine::containerd {

/// `cgroupsPath` as in an OCI spec's linux.cgroupsPath (cgroupfs layout,
/// e.g. "/podscope/<id>"). True when the memory cgroup (v1 memory.oom_control
/// or v2 memory.events) counts an OOM kill; false when it cannot be read.
bool cgroupRecordedOomKill(const std::string& cgroupsPath);

}  // namespace podscope::engine::containerd
