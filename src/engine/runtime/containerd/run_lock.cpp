#include "engine/runtime/containerd/run_lock.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <utility>

namespace podscope::engine::containerd {

std::string runLockPath(const std::string& stateDir, const std::string& runId) {
  return stateDir + "/runs/" + runId + ".lock";
}

core::Result<RunLock> RunLock::acquire(const std::string& stateDir, const std::string& runId) {
  std::error_code ec;
  std::filesystem::create_directories(stateDir + "/runs", ec);
  if (ec) return core::Error{"cannot create " + stateDir + "/runs: " + ec.message(), {}, {}};
  RunLock lock;
  lock.m_path = runLockPath(stateDir, runId);
  lock.m_runId = runId;
  lock.m_fd = ::open(lock.m_path.c_str(), O_CREAT | O_RDWR | O_CLOEXEC, 0600);
  if (lock.m_fd < 0) return core::Error{"cannot create " + lock.m_path + ": " + std::strerror(errno), {}, {}};
  if (::flock(lock.m_fd, LOCK_EX | LOCK_NB) != 0) {
    return core::Error{"cannot lock " + lock.m_path + ": " + std::strerror(errno), {}, {}};
  }
  return lock;
}

RunLock::RunLock(RunLock&& other) noexcept
    : m_fd(std::exchange(other.m_fd, -1)), m_path(std::move(other.m_path)), m_runId(std::move(other.m_runId)) {}

RunLock& RunLock::operator=(RunLock&& other) noexcept {
  if (this != &other) {
    this->~RunLock();
    m_fd = std::exchange(other.m_fd, -1);
    m_path = std::move(other.m_path);
    m_runId = std::move(other.m_runId);
  }
  return *this;
}

RunLock::~RunLock() {
  if (m_fd < 0) return;
  ::unlink(m_path.c_str());
  ::close(m_fd);
  m_fd = -1;
}

bool runIsGone(const std::string& stateDir, const std::string& runId) {
  if (runId.empty() || runId.find('/') != std::string::npos) return false;  // not ours to judge
  const std::string path = runLockPath(stateDir, runId);
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return errno == ENOENT;
  const bool free = ::flock(fd, LOCK_EX | LOCK_NB) == 0;  // released with the descriptor
  ::close(fd);
  return free;
}

}  // namespace podscope::engine::containerd
