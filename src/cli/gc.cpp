#include "cli/gc.h"

#include <iostream>

#include "engine/runtime/containerd/containerd_runtime.h"

namespace podscope::cli {
namespace {

std::string plural(size_t n, const std::string& one, const std::string& many) {
  return std::to_string(n) + " " + (n == 1 ? one : many);
}

}  // namespace

int gc(const GcArgs& args) {
  engine::ContainerdOptions options;
  options.address = args.address;
  options.containerdNamespace = args.containerdNamespace;
  options.stateDir = args.stateDir;
  auto found = engine::ContainerdRuntime::findLeftovers(options);
  if (!found) {
    std::cerr << "containerd: " << found.error().message << "\n";
    return 2;
  }
  const engine::ContainerdLeftovers& left = *found;
  if (!left.objectsLeft()) {
    std::cout << "Nothing to clean up: no run that ended without cleaning up left anything";
    if (!left.runs.empty()) {
      std::cout << " (" << plural(left.runs.size(), "stale run lock", "stale run locks")
                << (args.dryRun ? " would be removed)" : " removed)");
    }
    std::cout << ".\n";
    if (!args.dryRun && !left.runs.empty()) {
      for (const std::string& p : engine::ContainerdRuntime::removeLeftovers(options, left)) std::cerr << "gc: " << p << "\n";
    }
    return 0;
  }
  std::cout << "Left by " << plural(left.runs.size(), "run", "runs") << " that ended without cleaning up:\n";
  for (const std::string& id : left.containers) std::cout << "  container " << id << " (with its task and snapshot)\n";
  for (const std::string& key : left.snapshots) std::cout << "  snapshot  " << key << "\n";
  for (const std::string& dir : left.sandboxes) std::cout << "  sandbox   " << dir << " (namespaces, /dev/shm, volumes)\n";
  if (args.dryRun) {
    std::cout << "Dry run: nothing removed.\n";
    return 0;
  }
  std::vector<std::string> problems = engine::ContainerdRuntime::removeLeftovers(options, left);
  for (const std::string& p : problems) std::cerr << "gc: " << p << "\n";
  std::cout << (problems.empty() ? "Removed " : "Tried to remove ")
            << plural(left.containers.size(), "container", "containers") << ", "
            << plural(left.snapshots.size(), "snapshot", "snapshots") << " and "
            << plural(left.sandboxes.size(), "sandbox", "sandboxes") << ".\n";
  return problems.empty() ? 0 : 1;
}

}  // namespace podscope::cli
