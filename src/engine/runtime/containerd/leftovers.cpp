#include "engine/runtime/containerd/leftovers.h"

#include <algorithm>

namespace podscope::engine {

namespace {

std::vector<std::string> common(const std::vector<std::string>& offered, const std::vector<std::string>& now) {
  std::vector<std::string> out;
  for (const std::string& s : offered) {
    if (std::find(now.begin(), now.end(), s) != now.end()) out.push_back(s);
  }
  return out;
}

std::string joinAsList(const std::vector<std::string>& parts) {
  std::string out;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    if (i > 0) out += i + 1 == parts.size() ? " and " : ", ";
    out += parts[i];
  }
  return out;
}

}  // namespace

std::string toString(LeftoverKind kind) {
  switch (kind) {
    case LeftoverKind::Container: return "container";
    case LeftoverKind::Snapshot: return "snapshot";
    case LeftoverKind::Sandbox: return "sandbox";
    case LeftoverKind::RunLock: return "stale run lock";
  }
  return "object";
}

std::string whatGoesWith(LeftoverKind kind) {
  switch (kind) {
    case LeftoverKind::Container: return "with its task and snapshot";
    case LeftoverKind::Snapshot: return "";
    case LeftoverKind::Sandbox: return "namespaces, /dev/shm, volumes";
    case LeftoverKind::RunLock: return "the lock file of a run that is gone";
  }
  return "";
}

std::vector<LeftoverObject> leftoverObjects(const ContainerdLeftovers& leftovers) {
  std::vector<LeftoverObject> out;
  out.reserve(leftovers.objectCount() + leftovers.runs.size());
  for (const std::string& id : leftovers.containers) out.push_back({LeftoverKind::Container, id});
  for (const std::string& key : leftovers.snapshots) out.push_back({LeftoverKind::Snapshot, key});
  for (const std::string& dir : leftovers.sandboxes) out.push_back({LeftoverKind::Sandbox, dir});
  for (const std::string& run : leftovers.runs) out.push_back({LeftoverKind::RunLock, run});
  return out;
}

std::string countOf(std::size_t n, LeftoverKind kind) {
  std::string noun = toString(kind);
  if (n != 1) noun += kind == LeftoverKind::Sandbox ? "es" : "s";
  return std::to_string(n) + " " + noun;
}

std::string describeObjects(const ContainerdLeftovers& leftovers) {
  std::vector<std::string> parts;
  if (!leftovers.containers.empty()) parts.push_back(countOf(leftovers.containers.size(), LeftoverKind::Container));
  if (!leftovers.snapshots.empty()) parts.push_back(countOf(leftovers.snapshots.size(), LeftoverKind::Snapshot));
  if (!leftovers.sandboxes.empty()) parts.push_back(countOf(leftovers.sandboxes.size(), LeftoverKind::Sandbox));
  return parts.empty() ? "nothing" : joinAsList(parts);
}

std::string formatLeftoverList(const ContainerdLeftovers& leftovers, bool withRunLocks) {
  std::string out;
  for (const LeftoverObject& object : leftoverObjects(leftovers)) {
    if (object.kind == LeftoverKind::RunLock && !withRunLocks) continue;
    // Padded to one width, so the names line up.
    std::string label = object.kind == LeftoverKind::RunLock ? "run lock" : toString(object.kind);
    label.resize(std::max<std::size_t>(label.size(), 9), ' ');
    out += "  " + label + " " + object.name;
    const std::string with = object.kind == LeftoverKind::RunLock ? "stale" : whatGoesWith(object.kind);
    if (!with.empty()) out += " (" + with + ")";
    out += "\n";
  }
  return out;
}

ContainerdLeftovers stillLeft(const ContainerdLeftovers& offered, const ContainerdLeftovers& now) {
  ContainerdLeftovers left;
  left.runs = common(offered.runs, now.runs);
  left.containers = common(offered.containers, now.containers);
  left.snapshots = common(offered.snapshots, now.snapshots);
  // A container whose snapshot could not be removed with it leaves that
  // snapshot (keyed by the container's id) behind on its own.
  for (const std::string& key : common(offered.containers, now.snapshots)) left.snapshots.push_back(key);
  left.sandboxes = common(offered.sandboxes, now.sandboxes);
  return left;
}

}  // namespace podscope::engine
