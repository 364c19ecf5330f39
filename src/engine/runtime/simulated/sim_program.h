#pragma once
// What a simulated container does, read from its command line. A small
// interpreter for the shell people write in manifests: simple commands
// (sleep, exit, echo, true, false, trap ... TERM), lists joined by `;`,
// newlines, `&&`, `||`, and `while`/`until` loops, under `sh -c` or bare.
// Commands it does not model (ping, nslookup, ...) succeed at once and are
// listed in notes() so the user knows the timing is an assumption.
//
// Thread contract: one instance per container, used from one thread.

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace podscope::engine::sim {

using Duration = std::chrono::nanoseconds;

/// What the program does next.
struct Action {
  enum class Kind { Sleep, Exit };
  Kind kind = Kind::Exit;
  Duration sleep{0};   ///< for Sleep; Duration::max() sleeps forever
  int exitCode = 0;    ///< for Exit
};

struct Node;

class Program {
 public:
  /// Reads `command` + `args` (the container's effective argv). An empty argv
  /// stands for the image's own entrypoint, simulated as a long-running
  /// server that exits 0 on SIGTERM.
  static Program fromArgv(const std::vector<std::string>& argv);
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
  std::unique_ptr<Node> m_root;
  std::unique_ptr<Node> m_trap;
  std::vector<Frame> m_stack;
  std::vector<std::unique_ptr<Node>> m_nested;
  std::vector<std::string> m_notes;
  int m_status = 0;
  bool m_server = false;
  bool m_termPending = false;
  bool m_exited = false;
};

}  // namespace podscope::engine::sim
