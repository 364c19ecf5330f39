#pragma once
// StartupReport: how long a program took from its launch until its window
// was first painted, and how much memory it holds once idle. Used by
// `podscope --report-startup` and by the benchmark's reference window, so
// both are measured the same way.

#include <QObject>

class QWidget;

namespace podscope::ui {

/// Watches `window`; once it has been painted, prints
/// `first-paint-ms <ms since the process started>`, waits `idleMs` with
/// nothing to do, prints `idle-rss-kb <resident set>` and quits the
/// application. Lines go to standard output.
/// Thread contract: GUI thread only.
class StartupReport final : public QObject {
  Q_OBJECT

 public:
  StartupReport(QWidget& window, int idleMs, QObject* parent = nullptr);

  /// Milliseconds since this process was started (from /proc/self/stat).
  static double msSinceProcessStart();
  /// VmRSS of this process in KiB, or -1.
  static long residentKiB();

 protected:
  bool eventFilter(QObject* watched, QEvent* event) override;

 private:
  void painted();

  QWidget& m_window;
  int m_idleMs;
  bool m_reported = false;
};

}  // namespace podscope::ui
