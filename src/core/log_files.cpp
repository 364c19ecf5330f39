#include "core/log_files.h"

#include <algorithm>
#include <charconv>
#include <filesystem>
#include <system_error>
#include <utility>

namespace podscope::core {

namespace fs = std::filesystem;

namespace {

/// The latest write anywhere in a pod's log folder (the folder, its
/// container folders and their files).
fs::file_time_type lastWrite(const fs::path& dir) {
  std::error_code ec;
  fs::file_time_type newest = fs::last_write_time(dir, ec);
  if (ec) newest = fs::file_time_type::min();
  fs::recursive_directory_iterator it(dir, ec);
  for (; !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (it.depth() >= 1) it.disable_recursion_pending();
    std::error_code timeError;
    fs::file_time_type t = fs::last_write_time(it->path(), timeError);
    if (!timeError) newest = std::max(newest, t);
  }
  return newest;
}

}  // namespace

std::string podLogDirName(const std::string& namespaceName, const std::string& pod, const std::string& uid) {
  return namespaceName + "_" + pod + "_" + uid;
}

std::string containerLogPath(const std::string& logDir, const std::string& namespaceName, const std::string& pod,
                             const std::string& uid, const std::string& container, int attempt) {
  return logDir + "/" + podLogDirName(namespaceName, pod, uid) + "/" + container + "/" + std::to_string(attempt) +
         ".log";
}

bool splitPodLogDirName(const std::string& dirName, std::string& namespaceName, std::string& pod) {
  size_t first = dirName.find('_');
  if (first == std::string::npos) return false;
  size_t second = dirName.find('_', first + 1);
  if (second == std::string::npos || second + 1 == dirName.size()) return false;
  if (dirName.find('_', second + 1) != std::string::npos) return false;
  namespaceName = dirName.substr(0, first);
  pod = dirName.substr(first + 1, second - first - 1);
  return true;
}

PodLogDirs findPodLogDirs(const std::string& logDir, const std::string& namespaceName, const std::string& pod) {
  PodLogDirs found;
  std::error_code ec;
  found.logDirExists = fs::is_directory(logDir, ec);
  if (!found.logDirExists) return found;
  std::vector<std::pair<fs::file_time_type, fs::path>> runs;
  fs::directory_iterator it(logDir, ec);
  if (ec) {
    found.error = "cannot read the log directory " + logDir + ": " + ec.message();
    return found;
  }
  for (; !ec && it != fs::directory_iterator(); it.increment(ec)) {
    std::error_code typeError;
    if (!it->is_directory(typeError)) continue;
    std::string dirNs, dirPod;
    if (!splitPodLogDirName(it->path().filename().string(), dirNs, dirPod) || dirPod != pod) continue;
    if (dirNs == namespaceName) {
      runs.emplace_back(lastWrite(it->path()), it->path());
    } else if (std::find(found.otherNamespaces.begin(), found.otherNamespaces.end(), dirNs) ==
               found.otherNamespaces.end()) {
      found.otherNamespaces.push_back(dirNs);
    }
  }
  std::sort(found.otherNamespaces.begin(), found.otherNamespaces.end());
  found.runs = runs.size();
  // Newest first; equal times go by name, so the choice does not depend on
  // the order the directory lists them in.
  if (!runs.empty()) found.latest = std::max_element(runs.begin(), runs.end())->second.string();
  return found;
}

std::vector<std::string> loggedContainers(const std::string& podDir) {
  std::vector<std::string> names;
  std::error_code ec;
  fs::directory_iterator it(podDir, ec);
  for (; !ec && it != fs::directory_iterator(); it.increment(ec)) {
    std::error_code typeError;
    if (it->is_directory(typeError)) names.push_back(it->path().filename().string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

std::vector<int> loggedAttempts(const std::string& containerDir) {
  std::vector<int> attempts;
  std::error_code ec;
  fs::directory_iterator it(containerDir, ec);
  for (; !ec && it != fs::directory_iterator(); it.increment(ec)) {
    std::string name = it->path().filename().string();
    if (name.size() < 5 || name.compare(name.size() - 4, 4, ".log") != 0) continue;
    int attempt = -1;
    const char* end = name.data() + name.size() - 4;
    auto [stop, err] = std::from_chars(name.data(), end, attempt);
    if (err == std::errc() && stop == end && attempt >= 0) attempts.push_back(attempt);
  }
  std::sort(attempts.begin(), attempts.end());
  return attempts;
}

std::string attemptLogPath(const std::string& containerDir, int attempt) {
  return (fs::path(containerDir) / (std::to_string(attempt) + ".log")).string();
}

}  // namespace podscope::core
