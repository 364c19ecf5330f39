#include "ui/scripted_session.h"

#include <QFileInfo>
#include <QPixmap>
#include <QTabWidget>
#include <QTimer>

#include "ui/main_window.h"

namespace podscope::ui {

namespace {

// Long enough for the layout and paint requests the last transitions posted
// to be handled before the window is grabbed.
constexpr int kSettleMs = 150;

}  // namespace

int exitCodeFor(const RunResult& result) {
  if (result.error) return 2;
  switch (result.record.outcome) {
    case core::RunOutcome::Succeeded:
    case core::RunOutcome::Stopped:
    case core::RunOutcome::Deleted: return 0;
    case core::RunOutcome::Failed:
    case core::RunOutcome::Running: return 1;
  }
  return 1;
}

ScriptedSession::ScriptedSession(MainWindow& window, CommandLineOptions options, std::FILE* out, std::FILE* err,
                                 QObject* parent)
    : QObject(parent), m_window(window), m_options(std::move(options)), m_out(out), m_err(err) {}

void ScriptedSession::start() {
  if (m_started) return;
  m_started = true;
  if (!m_options.tab.isEmpty()) {
    if (auto* tabs = m_window.findChild<QTabWidget*>(QStringLiteral("bottomTabs"))) {
      for (int i = 0; i < tabs->count(); ++i) {
        if (tabs->tabText(i).remove(QLatin1Char('&')).compare(m_options.tab, Qt::CaseInsensitive) == 0) {
          tabs->setCurrentIndex(i);
        }
      }
    }
  }
  if (m_options.run) {
    connect(&m_window, &MainWindow::runFinished, this, &ScriptedSession::onRunFinished, Qt::SingleShotConnection);
    m_window.setWatchFor(m_options.watchFor);
    m_window.run();
    return;
  }
  if (!m_options.screenshotPath.isEmpty()) finishAfterPainting(0);
}

void ScriptedSession::onRunFinished(const RunResult& result) {
  if (result.error) {
    std::fprintf(m_err, "podscope: %s\n", result.error->toString().c_str());
  }
  if (m_options.printTransitions && !result.error) {
    // A Deployment's run prints its `kubectl get deployment --watch` lines.
    const std::string table =
        result.rollout ? core::formatDeploymentLines(*result.rollout) : core::formatTransitions(result.record);
    std::fwrite(table.data(), 1, table.size(), m_out);
    std::fflush(m_out);
  }
  finishAfterPainting(exitCodeFor(result));
}

void ScriptedSession::finishAfterPainting(int exitCode) {
  if (m_options.screenshotPath.isEmpty()) {
    finish(exitCode);
    return;
  }
  // The picture shows the window as a user would find it, with the offer to
  // remove what crashed runs left (if any) in place.
  if (m_window.isBusyWithLeftovers()) {
    connect(&m_window, &MainWindow::leftoversSettled, this, [this, exitCode] { finishAfterPainting(exitCode); },
            Qt::SingleShotConnection);
    return;
  }
  QTimer::singleShot(kSettleMs, this, [this, exitCode] {
    const QPixmap picture = m_window.grab();
    if (!picture.save(m_options.screenshotPath)) {
      std::fprintf(m_err, "podscope: cannot save the screenshot to %s\n",
                   QFileInfo(m_options.screenshotPath).absoluteFilePath().toLocal8Bit().constData());
      finish(2);
      return;
    }
    finish(exitCode);
  });
}

void ScriptedSession::finish(int exitCode) {
  std::fflush(m_out);
  std::fflush(m_err);
  emit finished(exitCode);
}

}  // namespace podscope::ui
