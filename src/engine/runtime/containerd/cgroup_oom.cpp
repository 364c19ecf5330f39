#include "engine/runtime/containerd/cgroup_oom.h"

#include <fstream>
#include <sstream>

namespace podscope::engine::containerd {
namespace {

constexpr const char* kCgroupRoot = "/sys/fs/cgroup";

// Both files are "key value" lines; v1 has oom_kill since Linux 4.13.
bool countsOomKill(const std::string& file) {
  std::ifstream in(file);
  std::string key;
  long long value = 0;
  while (in >> key >> value) {
    if (key == "oom_kill") return value > 0;
  }
  return false;
}

}  // namespace

bool cgroupRecordedOomKill(const std::string& cgroupsPath) {
  if (cgroupsPath.empty() || cgroupsPath.front() != '/') return false;
  std::string root = kCgroupRoot;
  return countsOomKill(root + "/memory" + cgroupsPath + "/memory.oom_control") ||
         countsOomKill(root + cgroupsPath + "/memory.events") ||
         countsOomKill(root + "/unified" + cgroupsPath + "/memory.events");
}

}  // namespace podscope::engine::containerd
