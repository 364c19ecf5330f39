#include "cli/logs.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <iostream>
#include <optional>
#include <string_view>
#include <system_error>
#include <utility>
#include <vector>

#include "core/duration.h"
#include "core/log_files.h"
#include "core/user_dirs.h"
#include "core/k8s_names.h"
#include "core/result.h"

namespace podscope::cli {
namespace {

namespace fs = std::filesystem;
using core::Error;
using core::Result;
using Clock = std::chrono::steady_clock;

constexpr int kExitError = 1;
constexpr auto kPollInterval = std::chrono::milliseconds(200);
constexpr size_t kChunk = 64 * 1024;

/// "error: " and the message; a message may go on over more lines.
int fail(const Error& e) {
  std::fflush(stdout);  // what was printed before the error comes first
  std::cerr << "error: " << e.message << "\n";
  return kExitError;
}

std::string joined(const std::vector<std::string>& names) {
  std::string out = "[";
  for (size_t i = 0; i < names.size(); ++i) out += (i ? " " : "") + names[i];
  return out + "]";
}

std::string errnoText(const std::string& what, int err) { return what + ": " + std::strerror(err); }

// --- what to read -----------------------------------------------------------

/// NAME or pod/NAME (also pods/NAME and po/NAME, as kubectl takes them).
Result<std::string> podNameOf(const std::string& arg) {
  std::string name = arg;
  if (size_t slash = arg.find('/'); slash != std::string::npos) {
    std::string type = arg.substr(0, slash);
    name = arg.substr(slash + 1);
    if (type != "pod" && type != "pods" && type != "po") {
      return Error{"podscope-cli logs reads pods only: \"" + arg + "\" is not a pod (write NAME or pod/NAME)"};
    }
  }
  if (name.empty()) return Error{"no pod name in \"" + arg + "\" (write NAME or pod/NAME)"};
  if (auto problems = core::isDns1123Subdomain(name); !problems.empty()) {
    return Error{"invalid pod name \"" + name + "\": " + problems.front()};
  }
  return name;
}

/// --tail: a whole number of lines, -1 for all of them.
Result<long long> tailLinesOf(const std::string& text) {
  long long lines = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), lines);
  if (ec != std::errc() || end != text.data() + text.size() || text.empty()) {
    return Error{"--tail: \"" + text + "\" is not a number of lines (-1 prints them all)"};
  }
  if (lines < -1) return Error{"--tail must be greater than or equal to -1, not " + text};
  return lines;
}

/// A pod's log directory, LOGDIR/<namespace>_<pod>_<uid>.
struct PodDir {
  fs::path path;
  size_t runs = 1;  ///< how many <namespace>_<pod>_<uid> directories there were
};

/// The directory of the pod's most recent run: the one written to last.
Result<PodDir> findPodDir(const std::string& logDir, bool explicitDir, const std::string& ns,
                          const std::string& pod) {
  core::PodLogDirs found = core::findPodLogDirs(logDir, ns, pod);
  if (!found.error.empty()) return Error{found.error};
  if (found.runs == 0) {
    std::string message = "pods \"" + pod + "\" not found\n";
    message += "no logs of pod " + ns + "/" + pod + " in " + logDir + (found.logDirExists ? "" : " (no such directory)");
    if (explicitDir) {
      message += " (--log-dir), where `podscope-cli run --log-dir " + logDir +
                 "` keeps them for a pod it runs on containerd";
    } else {
      message += ", where `podscope-cli run` keeps them for a pod it runs on containerd"
                 " (a run given --log-dir DIR keeps them in DIR: pass the same --log-dir here)";
    }
    const std::vector<std::string>& otherNamespaces = found.otherNamespaces;
    if (!otherNamespaces.empty()) {
      bool one = otherNamespaces.size() == 1;
      message += "\npod \"" + pod + "\" has logs in namespace" +
                 (one ? " " + otherNamespaces.front() : "s " + joined(otherNamespaces)) + ": add -n " +
                 (one ? otherNamespaces.front() : std::string("NAMESPACE"));
    }
    return Error{message};
  }
  return PodDir{fs::path(found.latest), found.runs};
}

std::vector<std::string> containerNames(const fs::path& podDir) { return core::loggedContainers(podDir.string()); }

std::vector<int> attemptsIn(const fs::path& containerDir) { return core::loggedAttempts(containerDir.string()); }

fs::path attemptPath(const fs::path& containerDir, int attempt) {
  return core::attemptLogPath(containerDir.string(), attempt);
}

// --- printing ---------------------------------------------------------------

void out(std::string_view data) { std::fwrite(data.data(), 1, data.size(), stdout); }

/// One container's output on stdout: raw bytes, or, with a prefix or several
/// containers followed at once, whole lines each with the prefix in front.
class Sink {
 public:
  Sink(std::string prefix, bool wholeLines) : m_prefix(std::move(prefix)), m_wholeLines(wholeLines) {}

  void write(std::string_view data) {
    if (!m_wholeLines) return emit(data);
    m_pending.append(data);
    size_t end = m_pending.rfind('\n');
    if (end == std::string::npos) return;
    emit(std::string_view(m_pending).substr(0, end + 1));
    m_pending.erase(0, end + 1);
  }

  /// The stream is over: prints a held-back partial line and, when `terminate`,
  /// ends an unfinished last line so the next output starts on its own line.
  void finish(bool terminate) {
    emit(m_pending);
    m_pending.clear();
    if (terminate && !m_atLineStart) {
      out("\n");
      m_atLineStart = true;
    }
  }

 private:
  void emit(std::string_view data) {
    size_t start = 0;
    while (start < data.size()) {
      if (m_atLineStart) out(m_prefix);
      size_t newline = data.find('\n', start);
      size_t end = newline == std::string_view::npos ? data.size() : newline + 1;
      out(data.substr(start, end - start));
      m_atLineStart = newline != std::string_view::npos;
      start = end;
    }
  }

  std::string m_prefix;
  bool m_wholeLines;
  bool m_atLineStart = true;
  std::string m_pending;
};

/// An open file descriptor, closed when dropped.
class File {
 public:
  File() = default;
  explicit File(int fd) : m_fd(fd) {}
  File(File&& other) noexcept : m_fd(std::exchange(other.m_fd, -1)) {}
  File& operator=(File&& other) noexcept {
    if (this != &other) {
      reset();
      m_fd = std::exchange(other.m_fd, -1);
    }
    return *this;
  }
  File(const File&) = delete;
  File& operator=(const File&) = delete;
  ~File() { reset(); }

  int fd() const { return m_fd; }
  explicit operator bool() const { return m_fd >= 0; }
  void reset() {
    if (m_fd >= 0) ::close(m_fd);
    m_fd = -1;
  }

 private:
  int m_fd = -1;
};

Result<File> openLog(const fs::path& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return Error{errnoText("cannot open " + path.string(), errno)};
  return File(fd);
}

/// Where the last `lines` lines of the first `size` bytes begin. A final
/// newline ends the last line; an unfinished last line counts as one.
Result<off_t> tailStart(int fd, off_t size, long long lines, const fs::path& path) {
  if (lines < 0) return off_t{0};
  if (lines == 0) return size;
  std::vector<char> buf(kChunk);
  long long found = 0;
  for (off_t pos = size; pos > 0;) {
    off_t begin = std::max<off_t>(0, pos - static_cast<off_t>(kChunk));
    ssize_t n = ::pread(fd, buf.data(), static_cast<size_t>(pos - begin), begin);
    if (n < 0) return Error{errnoText("cannot read " + path.string(), errno)};
    if (n < pos - begin) return off_t{0};  // the file shrank under us: print what is there
    for (off_t i = n - 1; i >= 0; --i) {
      off_t at = begin + i;
      if (buf[static_cast<size_t>(i)] != '\n' || at == size - 1) continue;
      if (++found == lines) return at + 1;
    }
    pos = begin;
  }
  return off_t{0};
}

/// Prints from `offset` to the end of the file; returns the new offset.
Result<off_t> copyFrom(int fd, off_t offset, Sink& sink, const fs::path& path) {
  std::vector<char> buf(kChunk);
  for (;;) {
    ssize_t n = ::pread(fd, buf.data(), buf.size(), offset);
    if (n < 0) {
      if (errno == EINTR) continue;
      return Error{errnoText("cannot read " + path.string(), errno)};
    }
    if (n == 0) return offset;
    sink.write(std::string_view(buf.data(), static_cast<size_t>(n)));
    offset += n;
  }
}

// --- following --------------------------------------------------------------

volatile std::sig_atomic_t g_signal = 0;

void onSignal(int signal) { g_signal = signal; }

/// One container being followed across its restarts.
struct Follower {
  fs::path dir;
  std::optional<int> attempt;  ///< none until the first log file appears
  fs::path path;
  File file;
  ino_t inode = 0;
  off_t offset = 0;
  Sink sink;
};

core::Status openAttempt(Follower& f, int attempt) {
  f.attempt = attempt;
  f.path = attemptPath(f.dir, attempt);
  auto file = openLog(f.path);
  if (!file) return file.error();
  struct stat st{};
  if (::fstat(file->fd(), &st) != 0) return Error{errnoText("cannot read " + f.path.string(), errno)};
  f.file = std::move(*file);
  f.inode = st.st_ino;
  f.offset = 0;
  return core::Status::ok();
}

/// Prints what was added to the followed file, then moves on to each newer
/// attempt's file (a restart) once it exists.
core::Status poll(Follower& f) {
  if (f.file) {
    struct stat st{};
    if (::fstat(f.file.fd(), &st) == 0 && st.st_size < f.offset) f.offset = 0;  // truncated: start over
    auto offset = copyFrom(f.file.fd(), f.offset, f.sink, f.path);
    if (!offset) return offset.error();
    f.offset = *offset;
    // The same name on a new file (the pod run again): read that one.
    struct stat named{};
    if (::stat(f.path.c_str(), &named) == 0 && named.st_ino != f.inode) {
      if (auto opened = openAttempt(f, *f.attempt); !opened) return opened;
      return poll(f);
    }
  }
  for (;;) {
    std::vector<int> attempts = attemptsIn(f.dir);
    auto next = f.attempt ? std::upper_bound(attempts.begin(), attempts.end(), *f.attempt) : attempts.begin();
    if (next == attempts.end()) return core::Status::ok();
    if (f.file) {
      // The earlier instance has ended; take what it wrote last.
      auto offset = copyFrom(f.file.fd(), f.offset, f.sink, f.path);
      if (!offset) return offset.error();
    }
    if (auto opened = openAttempt(f, *next); !opened) return opened;
    auto offset = copyFrom(f.file.fd(), 0, f.sink, f.path);
    if (!offset) return offset.error();
    f.offset = *offset;
  }
}

/// Follows until SIGINT/SIGTERM or the timeout; a signal then ends the process
/// as it would have without the handler.
int follow(std::vector<Follower>& followers, std::optional<Clock::duration> timeout, bool terminateLines) {
  struct sigaction action{};
  action.sa_handler = onSignal;  // no SA_RESTART: the signal cuts the sleep short
  sigemptyset(&action.sa_mask);
  struct sigaction oldInt{}, oldTerm{};
  sigaction(SIGINT, &action, &oldInt);
  sigaction(SIGTERM, &action, &oldTerm);

  std::optional<Clock::time_point> deadline;
  if (timeout) deadline = Clock::now() + *timeout;
  int status = 0;
  for (;;) {
    for (Follower& f : followers) {
      if (auto polled = poll(f); !polled) {
        status = fail(polled.error());
        break;
      }
    }
    std::fflush(stdout);
    if (status != 0 || g_signal != 0) break;
    Clock::duration wait = kPollInterval;
    if (deadline) {
      Clock::time_point now = Clock::now();
      if (now >= *deadline) break;
      wait = std::min(wait, *deadline - now);
    }
    auto ns = std::chrono::duration_cast<std::chrono::nanoseconds>(wait).count();
    timespec sleep{static_cast<time_t>(ns / 1000000000), static_cast<long>(ns % 1000000000)};
    ::nanosleep(&sleep, nullptr);
  }
  for (Follower& f : followers) f.sink.finish(terminateLines);
  std::fflush(stdout);

  sigaction(SIGINT, &oldInt, nullptr);
  sigaction(SIGTERM, &oldTerm, nullptr);
  if (int signal = g_signal; signal != 0) {
    std::signal(signal, SIG_DFL);
    std::raise(signal);
  }
  return status;
}

}  // namespace

int logs(const LogsArgs& args) {
  auto pod = podNameOf(args.pod);
  if (!pod) return fail(pod.error());
  if (auto problems = core::isDns1123Label(args.namespaceName); !problems.empty()) {
    return fail(Error{"invalid namespace \"" + args.namespaceName + "\": " + problems.front()});
  }
  std::string wanted = args.container;
  if (!args.containerArg.empty()) {
    if (!wanted.empty()) return fail(Error{"only one of -c or an inline [CONTAINER] arg is allowed"});
    wanted = args.containerArg;
  }
  if (args.allContainers && !wanted.empty()) {
    return fail(Error{"--all-containers=true should not be specified with container name " + wanted});
  }
  auto tail = tailLinesOf(args.tail);
  if (!tail) return fail(tail.error());
  std::optional<Clock::duration> timeout;
  if (!args.followTimeout.empty()) {
    auto d = core::parseDuration(args.followTimeout);
    if (!d) return fail(Error{"--follow-timeout: " + d.error().message});
    timeout = std::chrono::duration_cast<Clock::duration>(*d);
  }

  bool explicitDir = !args.logDir.empty();
  std::string logDir = explicitDir ? args.logDir : core::defaultLogDir();
  if (logDir.empty()) {
    return fail(Error{"no log directory: neither XDG_STATE_HOME nor HOME is set to an absolute path; pass --log-dir DIR"});
  }
  auto podDir = findPodDir(logDir, explicitDir, args.namespaceName, *pod);
  if (!podDir) return fail(podDir.error());
  // When several runs of the pod left logs, errors say which one was read.
  auto failHere = [&](std::string message) {
    if (podDir->runs > 1) {
      message += "\n(read " + podDir->path.string() + ", the newest of " + std::to_string(podDir->runs) +
                 " runs of " + args.namespaceName + "/" + *pod + " with logs there)";
    }
    return fail(Error{message});
  };

  std::vector<std::string> names = containerNames(podDir->path);
  if (names.empty()) return failHere("pod " + *pod + " has no container logs in " + podDir->path.string());
  std::vector<std::string> chosen;
  if (args.allContainers) {
    chosen = names;
  } else if (wanted.empty()) {
    if (names.size() > 1) {
      return failHere("a container name must be specified for pod " + *pod + ", choose one of: " + joined(names));
    }
    chosen = names;
  } else if (std::find(names.begin(), names.end(), wanted) == names.end()) {
    return failHere("container " + wanted + " is not valid for pod " + *pod + ", choose one of: " + joined(names));
  } else {
    chosen = {wanted};
  }

  // With several containers, each one's output ends on a line of its own.
  bool terminateLines = args.prefix || chosen.size() > 1;
  bool following = args.follow && !args.previous;  // a previous instance writes no more
  std::vector<Follower> followers;
  for (const std::string& name : chosen) {
    fs::path dir = podDir->path / name;
    std::string prefix = args.prefix ? "[pod/" + *pod + "/" + name + "] " : "";
    // Followed side by side, containers print whole lines so theirs do not mix.
    Sink sink(prefix, following && terminateLines);
    std::vector<int> attempts = attemptsIn(dir);
    std::optional<int> attempt;
    if (args.previous) {
      if (attempts.size() < 2) {
        return failHere("previous terminated container \"" + name + "\" in pod \"" + *pod + "\" not found");
      }
      attempt = attempts[attempts.size() - 2];
    } else if (!attempts.empty()) {
      attempt = attempts.back();
    } else if (!following) {
      return failHere("container \"" + name + "\" in pod \"" + *pod + "\" has no log file yet in " + dir.string());
    }

    Follower f{dir, std::nullopt, {}, File(), 0, 0, std::move(sink)};
    if (attempt) {
      if (auto opened = openAttempt(f, *attempt); !opened) return fail(opened.error());
      struct stat st{};
      if (::fstat(f.file.fd(), &st) != 0) return fail(Error{errnoText("cannot read " + f.path.string(), errno)});
      auto start = tailStart(f.file.fd(), st.st_size, *tail, f.path);
      if (!start) return fail(start.error());
      auto offset = copyFrom(f.file.fd(), *start, f.sink, f.path);
      if (!offset) return fail(offset.error());
      f.offset = *offset;
    }
    if (following) {
      followers.push_back(std::move(f));
    } else {
      f.sink.finish(terminateLines);
    }
  }
  std::fflush(stdout);
  if (!following) return 0;
  return follow(followers, timeout, terminateLines);
}

}  // namespace podscope::cli
