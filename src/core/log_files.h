#pragma once
// Where container logs live on disk (docs/logs.md), shared by the engine that
// names the files, `podscope-cli logs` and the desktop's Logs panel that read
// them (paths are plain strings, so users need not include <filesystem>):
//   LOGDIR/<namespace>_<pod>_<uid>/<container>/<attempt>.log
// Thread contract: stateless free functions; safe from any thread. The
// directory readers see the file system as it is at the call.

#include <cstddef>
#include <string>
#include <vector>

namespace podscope::core {

/// "<namespace>_<pod>_<uid>": the folder of one run of a pod.
std::string podLogDirName(const std::string& namespaceName, const std::string& pod, const std::string& uid);

/// LOGDIR/<namespace>_<pod>_<uid>/<container>/<attempt>.log
std::string containerLogPath(const std::string& logDir, const std::string& namespaceName, const std::string& pod,
                             const std::string& uid, const std::string& container, int attempt);

/// Splits "<namespace>_<pod>_<uid>" (names and namespaces hold no '_');
/// false for any other name.
bool splitPodLogDirName(const std::string& dirName, std::string& namespaceName, std::string& pod);

/// What a log directory holds for one pod.
struct PodLogDirs {
  /// The folder of the pod's most recent run (the one written to last);
  /// empty when the pod has none.
  std::string latest;
  std::size_t runs = 0;  ///< how many runs of the pod left a folder
  /// Other namespaces with logs of a pod of this name, in order.
  std::vector<std::string> otherNamespaces;
  bool logDirExists = false;
  std::string error;  ///< set when the log directory could not be read
};

/// Looks for the folders of `namespaceName/pod` in `logDir`.
PodLogDirs findPodLogDirs(const std::string& logDir, const std::string& namespaceName, const std::string& pod);

/// The container folders in a pod's folder, by name.
std::vector<std::string> loggedContainers(const std::string& podDir);

/// The attempts of a container with a log file (<attempt>.log), in order.
std::vector<int> loggedAttempts(const std::string& containerDir);

/// containerDir/<attempt>.log
std::string attemptLogPath(const std::string& containerDir, int attempt);

}  // namespace podscope::core
