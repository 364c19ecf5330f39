#include "cli/gc.h"

#include <iostream>

#include "engine/runtime/containerd/containerd_runtime.h"

namespace podscope::cli {

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
      std::cout << " (" << engine::countOf(left.runs.size(), engine::LeftoverKind::RunLock)
                << (args.dryRun ? " would be removed)" : " removed)");
    }
    std::cout << ".\n";
    if (!args.dryRun && !left.runs.empty()) {
      for (const std::string& p : engine::ContainerdRuntime::removeLeftovers(options, left)) std::cerr << "gc: " << p << "\n";
    }
    return 0;
  }
  std::cout << "Left by " << left.runs.size() << (left.runs.size() == 1 ? " run" : " runs")
            << " that ended without cleaning up:\n"
            << engine::formatLeftoverList(left);
  if (args.dryRun) {
    std::cout << "Dry run: nothing removed.\n";
    return 0;
  }
  std::vector<std::string> problems = engine::ContainerdRuntime::removeLeftovers(options, left);
  for (const std::string& p : problems) std::cerr << "gc: " << p << "\n";
  std::cout << (problems.empty() ? "Removed " : "Tried to remove ") << engine::describeObjects(left) << ".\n";
  return problems.empty() ? 0 : 1;
}

}  // namespace podscope::cli
