#pragma once
// `podscope-cli logs`: prints a container's log the way `kubectl logs` does,
// from the files `podscope-cli run` keeps (docs/logs.md):
//   LOGDIR/<namespace>_<pod>_<uid>/<container>/<attempt>.log
// Thread contract: runs on the main thread; installs SIGINT/SIGTERM handlers
// while following.

#include <string>

namespace podscope::cli {

struct LogsArgs {
  std::string pod;             ///< NAME or pod/NAME
  std::string containerArg;    ///< the optional second positional, as kubectl allows
  std::string container;       ///< -c
  std::string namespaceName = "default";
  std::string logDir;          ///< empty: defaultLogDir()
  std::string tail = "-1";     ///< lines from the end; -1 all
  std::string followTimeout;   ///< hidden: stop following after this long
  bool previous = false;
  bool follow = false;
  bool allContainers = false;
  bool prefix = false;
};

/// Prints the log(s) on stdout; errors go to stderr as "error: ...".
/// Returns 0, or 1 on any error (as kubectl does).
int logs(const LogsArgs& args);

}  // namespace podscope::cli
