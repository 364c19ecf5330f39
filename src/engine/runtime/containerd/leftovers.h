#pragma once
// What runs that ended without cleaning up (a crash, a kill -9) left in
// containerd and on disk, as a plain value, and the words for it that
// `podscope-cli gc` and the desktop app both use.
// Thread contract: plain values and pure functions, safe from any thread.

#include <cstddef>
#include <functional>
#include <string>
#include <vector>

namespace podscope::engine {

/// Only objects Podscope labelled, with this state directory and a run
/// whose process is gone, are ever listed: nothing else is touched.
struct ContainerdLeftovers {
  std::vector<std::string> runs;        ///< the runs they came from; each has a stale lock file
  std::vector<std::string> containers;  ///< container ids, with their tasks and snapshots
  std::vector<std::string> snapshots;   ///< snapshots with no container left
  std::vector<std::string> sandboxes;   ///< sandbox folders: namespaces, /dev/shm, volumes
  /// Containers, snapshots or sandboxes (not only stale run locks).
  bool objectsLeft() const { return !containers.empty() || !snapshots.empty() || !sandboxes.empty(); }
  bool empty() const { return !objectsLeft() && runs.empty(); }
  /// Containers, snapshots and sandboxes (run locks are not counted).
  std::size_t objectCount() const { return containers.size() + snapshots.size() + sandboxes.size(); }
};

enum class LeftoverKind { Container, Snapshot, Sandbox, RunLock };

/// One thing a removal deals with, in the order removeLeftovers takes them.
struct LeftoverObject {
  LeftoverKind kind = LeftoverKind::Container;
  std::string name;  ///< container id, snapshot key, sandbox folder, run id
  bool operator==(const LeftoverObject&) const = default;
};

/// "container", "snapshot", "sandbox", "stale run lock".
std::string toString(LeftoverKind kind);
/// What goes with one object when it is removed ("with its task and
/// snapshot"); empty when nothing does.
std::string whatGoesWith(LeftoverKind kind);

/// Containers, snapshots, sandboxes, then stale run locks.
std::vector<LeftoverObject> leftoverObjects(const ContainerdLeftovers& leftovers);

/// "1 container" / "3 snapshots".
std::string countOf(std::size_t n, LeftoverKind kind);
/// "3 containers, 1 snapshot and 2 sandboxes", leaving out kinds with none;
/// run locks are not mentioned. "nothing" when there are no objects.
std::string describeObjects(const ContainerdLeftovers& leftovers);

/// One line per object as `podscope-cli gc` prints it, each ending in "\n":
/// "  container <id> (with its task and snapshot)". Stale run locks are
/// listed only with `withRunLocks`.
std::string formatLeftoverList(const ContainerdLeftovers& leftovers, bool withRunLocks = false);

/// The part of `offered` that `now` still lists: what a removal of
/// `offered` did not remove.
ContainerdLeftovers stillLeft(const ContainerdLeftovers& offered, const ContainerdLeftovers& now);

/// How far a removal has got: `done` of `total` objects (containers,
/// snapshots, sandboxes) are dealt with, and `next` is about to be.
struct LeftoverRemovalStep {
  std::size_t done = 0;
  std::size_t total = 0;
  LeftoverObject next;
};
/// Called before each object is removed; returning false stops the removal
/// there, and what was not removed yet stays for a later findLeftovers.
using LeftoverRemovalProgress = std::function<bool(const LeftoverRemovalStep&)>;

}  // namespace podscope::engine
