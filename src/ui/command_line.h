#pragma once
// The desktop app's command line: a file to open, and the switches that let
// scripts and CI drive a run and collect its table or a screenshot.

#include <QString>

#include <chrono>
#include <optional>

#include "core/result.h"
#include "ui/run_controller.h"

class QCommandLineParser;

namespace podscope::ui {

struct CommandLineOptions {
  QString file;             ///< empty: start with the template
  bool run = false;         ///< press Run once the file is open
  bool printTransitions = false;
  QString screenshotPath;   ///< empty: no screenshot
  QString tab;              ///< the bottom tab to show (timeline, events, logs, details); empty: the first
  bool quitAfterRun = false;
  RuntimeKind runtime = RuntimeKind::Simulated;
  ContainerdSettings containerd;
  /// --runtime or a containerd option was given: it wins over the runtime
  /// remembered from the last session.
  bool runtimeGiven = false;
  /// Print the time to the first painted window and the idle memory, then
  /// quit (for the start-up benchmark).
  bool reportStartup = false;
  /// --for: how long a run started from the command line is watched.
  std::optional<std::chrono::nanoseconds> watchFor;
  /// Scripted: a run or screenshot for a script, which starts from defaults
  /// and leaves the user's settings and unsaved buffers alone.
  bool scripted() const { return quitAfterRun || !screenshotPath.isEmpty() || reportStartup; }
};

/// "0.1.0 (Qt 6.4.2)": what --version prints after the program name.
QString versionText();

/// What --version prints: "podscope 0.1.0 (Qt 6.4.2)", then a line about
/// the containerd at the parsed --address (or the default socket): its
/// version, or that it is not reachable. Waits at most about a second.
QString versionReport(const QCommandLineParser& parser);

/// Declares the options, help and version on `parser`.
/// Thread contract: the free functions here are safe from any thread.
void addCommandLineOptions(QCommandLineParser& parser);

/// Reads the options out of a parser that has parsed the arguments, and
/// checks they make sense together.
core::Result<CommandLineOptions> readCommandLineOptions(const QCommandLineParser& parser);

}  // namespace podscope::ui
