#pragma once
// `podscope-cli gc`: removes what runs that ended without cleaning up (a
// crash, a kill -9) left in containerd and on disk. Only objects Podscope
// labelled, of runs that are gone, are touched.

#include <string>

namespace podscope::cli {

struct GcArgs {
  std::string address = "/run/containerd/containerd.sock";
  std::string containerdNamespace = "podscope";
  std::string stateDir;  ///< empty: the runtime's default
  bool dryRun = false;
};

/// Prints what it finds and removes it. Exit status: 0 when nothing is left,
/// 1 when something could not be removed, 2 when containerd cannot be used.
int gc(const GcArgs& args);

}  // namespace podscope::cli
