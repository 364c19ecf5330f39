#pragma once
// Reads the named pipes that commands run in containers write to, on a
// thread of its own, so a command never blocks on a full pipe and its output
// is known to be complete when every writer has closed its end.
//
// containerd's shim copies a process's stdout and stderr into whatever its
// IO paths name. With one `file://` URI for both, containerd 1.6 sometimes
// drops a stream's last write when a command prints to both and exits at
// once; a FIFO read here has no such race, and its end of file says the
// shim has finished copying.

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <thread>

#include "core/result.h"

namespace podscope::engine {

/// Thread contract: every member from any thread; the destructor once, from
/// the owner, after the last take() or drop().
class OutputPump {
 public:
  using Id = std::uint64_t;

  OutputPump();
  ~OutputPump();
  OutputPump(const OutputPump&) = delete;
  OutputPump& operator=(const OutputPump&) = delete;

  /// Makes a FIFO at `path` (replacing any file there) and starts reading
  /// it, keeping the first `maxBytes` bytes and discarding the rest. Until
  /// writersOpened(), a writer held here keeps the FIFO from reading as
  /// ended before the real writers have opened it.
  /// With `teeFile`, everything read is also appended to it as it arrives
  /// (a container's log, readable while the container runs).
  core::Result<Id> open(const std::string& path, std::size_t maxBytes, const std::string& teeFile = {});
  /// The real writers have the FIFO open (the process has started).
  void writersOpened(Id id);
  /// Waits up to `timeout` for every writer to close, then returns what was
  /// read and removes the FIFO.
  std::string take(Id id, std::chrono::milliseconds timeout);
  /// Stops reading and removes the FIFO, without waiting.
  void drop(Id id);

 private:
  struct Pipe {
    std::string path;
    int readFd = -1;
    int ownWriterFd = -1;
    int teeFd = -1;  ///< written by the pump's thread only
    std::size_t maxBytes = 0;
    std::string data;
    bool ended = false;
    bool dropped = false;
  };
  void run();
  void wake();
  /// Closes the pipe's descriptors and removes its file; m_mutex held.
  static void release(Pipe& pipe);

  std::mutex m_mutex;
  std::condition_variable m_changed;
  std::map<Id, Pipe> m_pipes;
  Id m_nextId = 1;
  bool m_stopping = false;
  int m_wakeRead = -1;
  int m_wakeWrite = -1;
  std::thread m_thread;
};

}  // namespace podscope::engine
