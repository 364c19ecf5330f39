#include "engine/host/output_pump.h"

#include <fcntl.h>
#include <poll.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <vector>

namespace podscope::engine {

namespace {
// A chatty writer cannot hold the thread: each turn reads at most this much
// from one pipe, and keeps at most this much of it (the pipe's own cap is
// applied under the lock).
constexpr size_t kDrainPerTurn = 1 << 20;
constexpr size_t kKeepPerTurn = 1 << 20;

void writeAll(int fd, const char* data, size_t size) {
  while (size > 0) {
    ssize_t n = ::write(fd, data, size);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;  // a full disk loses the rest of this chunk, not the pump
    data += n;
    size -= static_cast<size_t>(n);
  }
}

core::Error systemError(const std::string& what) { return core::Error{what + ": " + std::strerror(errno), {}, std::nullopt}; }
}  // namespace

OutputPump::OutputPump() {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC | O_NONBLOCK) == 0) {
    m_wakeRead = fds[0];
    m_wakeWrite = fds[1];
  }
  m_thread = std::thread([this] { run(); });
}

OutputPump::~OutputPump() {
  {
    std::lock_guard lock(m_mutex);
    m_stopping = true;
  }
  wake();
  if (m_thread.joinable()) m_thread.join();
  for (auto& [id, pipe] : m_pipes) release(pipe);
  m_pipes.clear();
  if (m_wakeRead >= 0) ::close(m_wakeRead);
  if (m_wakeWrite >= 0) ::close(m_wakeWrite);
}

core::Result<OutputPump::Id> OutputPump::open(const std::string& path, std::size_t maxBytes,
                                             const std::string& teeFile) {
  int teeFd = -1;
  if (!teeFile.empty()) {
    teeFd = ::open(teeFile.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0640);
    if (teeFd < 0) return systemError("cannot open " + teeFile);
  }
  ::unlink(path.c_str());
  if (::mkfifo(path.c_str(), 0600) != 0) {
    core::Error error = systemError("cannot make the pipe " + path);
    if (teeFd >= 0) ::close(teeFd);
    return error;
  }
  Pipe pipe;
  pipe.teeFd = teeFd;
  pipe.path = path;
  pipe.maxBytes = maxBytes;
  // Reader first, without blocking; then a writer of our own, which cannot
  // block either now that a reader exists.
  pipe.readFd = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
  if (pipe.readFd >= 0) pipe.ownWriterFd = ::open(path.c_str(), O_WRONLY | O_NONBLOCK | O_CLOEXEC);
  if (pipe.readFd < 0 || pipe.ownWriterFd < 0) {
    core::Error error = systemError("cannot open the pipe " + path);
    release(pipe);
    return error;
  }
  Id id;
  {
    std::lock_guard lock(m_mutex);
    id = m_nextId++;
    m_pipes.emplace(id, std::move(pipe));
  }
  wake();
  return id;
}

void OutputPump::writersOpened(Id id) {
  std::lock_guard lock(m_mutex);
  auto it = m_pipes.find(id);
  if (it == m_pipes.end() || it->second.ownWriterFd < 0) return;
  ::close(it->second.ownWriterFd);
  it->second.ownWriterFd = -1;
}

std::string OutputPump::take(Id id, std::chrono::milliseconds timeout) {
  std::unique_lock lock(m_mutex);
  auto it = m_pipes.find(id);
  if (it == m_pipes.end()) return {};
  if (it->second.ownWriterFd >= 0) {  // never started: no writer will come
    ::close(it->second.ownWriterFd);
    it->second.ownWriterFd = -1;
  }
  m_changed.wait_for(lock, timeout, [&] {
    auto found = m_pipes.find(id);
    return found == m_pipes.end() || found->second.ended;
  });
  it = m_pipes.find(id);
  if (it == m_pipes.end()) return {};
  std::string data = std::move(it->second.data);
  if (it->second.ended) {
    release(it->second);
    m_pipes.erase(it);
  } else {
    // A writer still holds it (a command's child kept its output open):
    // what was read so far is the output; the thread lets go of the rest.
    it->second.dropped = true;
    if (!it->second.path.empty()) ::unlink(it->second.path.c_str());
    it->second.path.clear();
    lock.unlock();
    wake();
  }
  return data;
}

void OutputPump::drop(Id id) {
  {
    std::lock_guard lock(m_mutex);
    auto it = m_pipes.find(id);
    if (it == m_pipes.end()) return;
    if (it->second.ownWriterFd >= 0) {
      ::close(it->second.ownWriterFd);
      it->second.ownWriterFd = -1;
    }
    it->second.dropped = true;
    // The file goes now; the descriptors with the thread.
    if (!it->second.path.empty()) ::unlink(it->second.path.c_str());
    it->second.path.clear();
  }
  wake();
}

void OutputPump::wake() {
  if (m_wakeWrite < 0) return;
  const char byte = 1;
  [[maybe_unused]] ssize_t n = ::write(m_wakeWrite, &byte, 1);  // a full wake pipe already wakes
}

void OutputPump::release(Pipe& pipe) {
  if (pipe.readFd >= 0) ::close(pipe.readFd);
  if (pipe.ownWriterFd >= 0) ::close(pipe.ownWriterFd);
  if (pipe.teeFd >= 0) ::close(pipe.teeFd);
  pipe.readFd = pipe.ownWriterFd = pipe.teeFd = -1;
  if (!pipe.path.empty()) ::unlink(pipe.path.c_str());
  pipe.path.clear();
}

// Only this thread reads or closes a pipe's read end, so it can poll and
// read without the lock.
void OutputPump::run() {
  std::vector<pollfd> polled;
  std::vector<Id> ids;
  std::vector<int> tees;  // a pipe's tee descriptor, closed only on this thread
  std::vector<char> buffer(64 * 1024);
  while (true) {
    {
      std::lock_guard lock(m_mutex);
      if (m_stopping) return;
      for (auto it = m_pipes.begin(); it != m_pipes.end();) {
        if (it->second.dropped) {
          release(it->second);
          it = m_pipes.erase(it);
        } else {
          ++it;
        }
      }
      polled.assign(1, pollfd{m_wakeRead, POLLIN, 0});
      ids.assign(1, 0);
      tees.assign(1, -1);
      for (const auto& [id, pipe] : m_pipes) {
        if (pipe.ended) continue;
        polled.push_back(pollfd{pipe.readFd, POLLIN, 0});
        ids.push_back(id);
        tees.push_back(pipe.teeFd);
      }
    }
    if (::poll(polled.data(), polled.size(), -1) < 0) {
      if (errno == EINTR) continue;
      return;
    }
    if (polled[0].revents) {
      char sink[256];
      while (::read(m_wakeRead, sink, sizeof sink) > 0) {
      }
    }
    bool changed = false;
    for (size_t i = 1; i < polled.size(); ++i) {
      if (!polled[i].revents) continue;
      // Drain what is there; 0 means every writer has closed its end.
      bool ended = false;
      std::string got;
      size_t drained = 0;
      while (drained < kDrainPerTurn) {
        ssize_t n = ::read(polled[i].fd, buffer.data(), buffer.size());
        if (n > 0) {
          if (tees[i] >= 0) writeAll(tees[i], buffer.data(), static_cast<size_t>(n));
          drained += static_cast<size_t>(n);
          if (got.size() < kKeepPerTurn) got.append(buffer.data(), static_cast<size_t>(n));
          continue;
        }
        if (n == 0) ended = true;
        else if (errno == EINTR) continue;
        else if (errno != EAGAIN) ended = true;  // nothing more can come
        break;
      }
      std::lock_guard lock(m_mutex);
      auto it = m_pipes.find(ids[i]);
      if (it == m_pipes.end()) continue;
      Pipe& pipe = it->second;
      if (pipe.data.size() < pipe.maxBytes) pipe.data.append(got, 0, pipe.maxBytes - pipe.data.size());
      if (ended) {
        pipe.ended = true;
        ::close(pipe.readFd);
        pipe.readFd = -1;
        changed = true;
      }
    }
    if (changed) m_changed.notify_all();
  }
}

}  // namespace podscope::engine
