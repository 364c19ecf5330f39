#pragma once
// ScriptedSession: drives a MainWindow the way a script asks on the command
// line (run, print the transitions, take a screenshot) and reports an exit
// status, so the real window is what CI exercises.

#include <QObject>

#include <cstdio>

#include "ui/command_line.h"
#include "ui/run_controller.h"

namespace podscope::ui {

class MainWindow;

/// The exit status a finished run maps to: 0 Succeeded or stopped by the
/// run limit, 1 Failed, 2 no run (bad manifest, no runtime).
int exitCodeFor(const RunResult& result);

/// Thread contract: GUI thread only.
class ScriptedSession final : public QObject {
  Q_OBJECT

 public:
  /// `out` and `err` receive the transitions table and error lines.
  ScriptedSession(MainWindow& window, CommandLineOptions options, std::FILE* out = stdout,
                  std::FILE* err = stderr, QObject* parent = nullptr);

  /// Starts what the options ask for; call with the window shown and the
  /// file opened. Emits finished() once everything asked for is done.
  void start();

 signals:
  void finished(int exitCode);

 private:
  void onRunFinished(const RunResult& result);
  void finishAfterPainting(int exitCode);
  void finish(int exitCode);

  MainWindow& m_window;
  CommandLineOptions m_options;
  std::FILE* m_out;
  std::FILE* m_err;
  bool m_started = false;
};

}  // namespace podscope::ui
