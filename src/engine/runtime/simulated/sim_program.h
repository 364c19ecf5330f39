#pragma once
// What a simulated container does, read from its command line. A small
// interpreter for the shell people write in manifests: simple commands
// (sleep, exit, echo, true, false, trap ... TERM), lists joined by `;`,
// newlines, `&&`, `||`, and `while`/`until` loops, under `sh -c` or bare;
// file commands (touch, rm, cat, mkdir, test / [, echo > FILE) act on the
// container's FileSystem, which its exec probes and hooks share, with
// busybox's messages. Commands it does not model (ping, nslookup, ...)
// succeed at once and are listed in notes() so the user knows the timing is
// an assumption.
//
// Thread contract: one instance per container or exec, used from one thread.

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace podscope::engine::sim {

/// One container's files, as far as the commands of its manifest touch
/// them. Paths under scratch folders (/tmp, /run, /var/run, /var/tmp,
/// /dev/shm) and folders made with mkdir start empty; any other path that
/// was never written or removed belongs to the image, which is not
/// simulated, and is taken to exist as whatever it is asked to be (Image).
/// Thread contract: plain value, one thread.
class FileSystem {
 public:
  enum class Kind { Missing, File, Directory, Image };
  /// What is at `path` (made absolute against "/").
  Kind kind(const std::string& path) const;
  /// kind() and, for a file, its content in the same look-up (valid until
  /// the next change): "" for an image file, nullptr when missing or a folder.
  std::pair<Kind, const std::string*> lookup(const std::string& path) const;
  /// The file's content; nullopt when missing or a folder. Image files read
  /// as empty.
  std::optional<std::string> read(const std::string& path) const;
  void write(const std::string& path, const std::string& content, bool append);
  void remove(const std::string& path);  ///< and everything under it
  void makeDirectory(const std::string& path);

 private:
  struct Entry {
    Kind kind = Kind::Missing;
    std::string content;  ///< for a File
  };
  /// The entry of a path that is already normal, if one was written, made
  /// or removed there.
  const Entry* entryOf(const std::string& path) const;
  /// kind() of a path that is already normal and has no entry of its own.
  Kind kindWithoutEntry(const std::string& path) const;
  // Transparent comparator: look-ups by parent folder take a string_view
  // and allocate nothing (exec probes ask about the same paths every second).
  std::map<std::string, Entry, std::less<>> m_entries;  ///< written, made or removed (Missing)
};

using Duration = std::chrono::nanoseconds;

/// What the program does next.
struct Action {
  enum class Kind { Sleep, Exit };
  Kind kind = Kind::Exit;
  Duration sleep{0};   ///< for Sleep; Duration::max() sleeps forever
  int exitCode = 0;    ///< for Exit
};

struct Node;
struct Redirect;

/// A command line read once. Immutable, so one parse serves every run of
/// the same argv (an exec probe runs the same command every period); the
/// state of each run lives in its Program.
class Script {
 public:
  /// As Program::fromArgv reads it.
  static std::shared_ptr<const Script> fromArgv(const std::vector<std::string>& argv);
  ~Script();

 private:
  friend class Program;
  Script();
  std::shared_ptr<const Node> m_root;  ///< null for a server
  std::vector<std::string> m_notes;
  bool m_server = false;
};

class Program {
 public:
  /// Reads `command` + `args` (the container's effective argv). An empty argv
  /// stands for the image's own entrypoint, simulated as a long-running
  /// server that exits 0 on SIGTERM.
  /// `files` is the container's file system, shared with its execs; a
  /// program without one gets a fresh one of its own.
  static Program fromArgv(const std::vector<std::string>& argv, std::shared_ptr<FileSystem> files = nullptr);
  /// The same, from a command line read before.
  static Program start(std::shared_ptr<const Script> script, std::shared_ptr<FileSystem> files = nullptr);
  /// Makes this program a fresh start() of `script`, reusing its storage
  /// (an exec probe starts one every period).
  void restart(std::shared_ptr<const Script> script, std::shared_ptr<FileSystem> files = nullptr);
  ~Program();
  Program(Program&&) noexcept;
  Program& operator=(Program&&) noexcept;

  /// Runs until the next thing that takes time, or the end. Output written
  /// on the way is appended to `output`.
  Action next(std::string& output);

  /// SIGTERM arrived. Returns an action to take now (the process ends at
  /// once) or nothing: the signal is ignored (PID 1 without a handler) or
  /// handled by a trap after the current command, at the next next().
  std::optional<Action> terminate();

  /// Things the simulator assumed (commands it does not model, parse errors).
  const std::vector<std::string>& notes() const { return m_notes; }

 private:
  Program();
  struct Frame;
  /// Runs a command that takes no time; returns its exit status.
  int runInstant(const Node& node, std::string& out, std::string& err);
  void note(std::string text);
  /// Sends a command's stdout and stderr where its redirections say.
  void route(const std::vector<Redirect>& redirects, const std::string& out, const std::string& err,
             std::string& output);
  std::shared_ptr<const Script> m_script;  ///< shared with other runs; read only
  std::unique_ptr<Node> m_trap;
  std::vector<Frame> m_stack;
  std::vector<std::unique_ptr<Node>> m_nested;
  std::vector<std::string> m_notes;
  std::shared_ptr<FileSystem> m_files;
  int m_status = 0;
  bool m_server = false;
  bool m_termPending = false;
  bool m_exited = false;
};

}  // namespace podscope::engine::sim
