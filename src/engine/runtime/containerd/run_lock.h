#pragma once
// Which runs of Podscope are alive. Each ContainerdRuntime holds an
// exclusive lock on <stateDir>/runs/<run id>.lock for as long as its process
// lives; the kernel drops the lock when the process dies, however it dies.
// Objects labelled with a run whose lock is free were left by a crash.
// Thread contract: RunLock is a move-only value; runIsGone() is safe from
// any thread.

#include <string>

#include "core/result.h"

namespace podscope::engine::containerd {

class RunLock {
 public:
  /// Creates and locks the run's lock file.
  static core::Result<RunLock> acquire(const std::string& stateDir, const std::string& runId);
  RunLock(RunLock&& other) noexcept;
  RunLock& operator=(RunLock&& other) noexcept;
  RunLock(const RunLock&) = delete;
  RunLock& operator=(const RunLock&) = delete;
  /// Removes the lock file and lets go.
  ~RunLock();

  const std::string& runId() const { return m_runId; }

 private:
  RunLock() = default;
  int m_fd = -1;
  std::string m_path;
  std::string m_runId;
};

/// The lock file of `runId` under `stateDir`.
std::string runLockPath(const std::string& stateDir, const std::string& runId);

/// True when no live process holds the run's lock (or it has no lock file).
bool runIsGone(const std::string& stateDir, const std::string& runId);

}  // namespace podscope::engine::containerd
