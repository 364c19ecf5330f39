#pragma once
// DiffView: two revisions of a pod template side by side. Above the text, a
// tool bar (previous/next change, Unified, Copy as Patch, counts and a busy
// indicator) and the structural summary line; then a header per side
// ("Revision 2 · nginx:1.18") over its pane. The panes scroll together,
// vertically and horizontally. Unchanged stretches fold into rows that open
// when clicked. Keys: Alt+Down/F8 next change, Alt+Up/Shift+F8 previous,
// Ctrl+Shift+C copy as patch; in a pane, arrows, Page Up/Down, Home/End,
// and Enter or Space to open a fold.
//
// The comparison is computed off the GUI thread, one job at a time: each
// compare() gets a job id and abandons the job before it; a result that
// is not for the latest job is dropped unseen.
//
// Thread contract: GUI thread only.

#include <QThreadPool>
#include <QWidget>

#include <atomic>
#include <memory>
#include <set>

#include "ui/diff_layout.h"

class QAction;
class QLabel;
class QProgressBar;
class QStackedWidget;
class QTimer;
class QToolButton;

namespace podscope::ui {

class DiffPane;

class DiffView final : public QWidget {
  Q_OBJECT

 public:
  explicit DiffView(QWidget* parent = nullptr);
  ~DiffView() override;

  /// Starts comparing; returns the job's id. What is shown stays until the
  /// result arrives.
  quint64 compare(DiffRequest request);
  /// Whether the latest comparison is still being computed.
  bool isBusy() const { return m_shownJob != m_lastJob; }
  /// The job whose result is shown (0: none yet).
  quint64 shownJob() const { return m_shownJob; }
  /// Jobs started whose results have not come back yet (dropped or not).
  int pendingJobs() const { return m_pending; }
  std::shared_ptr<const DiffLayout> layout() const { return m_layout; }
  const DiffDisplay& display() const { return m_display; }

  bool isUnified() const { return m_unified; }
  void setUnified(bool unified);

  /// The change the user is on (an index into diff.changes), or -1.
  int currentChange() const { return m_currentChange; }
  void nextChange();
  void previousChange();
  bool hasNextChange() const;
  bool hasPreviousChange() const;

  /// The display line the keyboard is on.
  int currentLine() const { return m_currentLine; }
  /// Opens a folded stretch (an index into diff.folds).
  void openFold(int fold);
  void openAllFolds();

  /// The comparison as a unified patch; empty when identical or nothing is shown.
  QString patch() const;
  void copyPatch();

  DiffPane* leftPane() const { return m_left; }
  DiffPane* rightPane() const { return m_right; }
  DiffPane* unifiedPane() const { return m_unifiedPane; }
  /// The pane(s) of the current mode.
  DiffPane* activePane() const;
  QString summaryText() const;
  QString leftTitle() const;
  QString rightTitle() const;
  QString countsText() const;
  QAction* nextAction() const { return m_nextAction; }
  QAction* previousAction() const { return m_previousAction; }
  QAction* unifiedAction() const { return m_unifiedAction; }
  QAction* copyPatchAction() const { return m_copyAction; }
  QWidget* busyIndicator() const;

 signals:
  /// A job's result is now shown.
  void compared(quint64 job);
  void currentChangeChanged(int change);

 private:
  void jobFinished(quint64 job, std::shared_ptr<const DiffLayout> layout);
  void present(std::shared_ptr<const DiffLayout> layout);
  void rebuild(int keepRow);
  void goToChange(int change);
  /// Scrolls the current change (`count` display lines) into view when it is not.
  void revealCurrentChange(int count);
  void setCurrentLine(int line);
  void updateActions();
  int rowAtLine(int line) const;
  int changeAtLine(int line) const;

  QThreadPool m_pool;
  std::shared_ptr<std::atomic<bool>> m_cancel;
  quint64 m_lastJob = 0;
  quint64 m_shownJob = 0;
  int m_pending = 0;

  std::shared_ptr<const DiffLayout> m_layout;
  DiffDisplay m_display;
  std::set<int> m_openFolds;
  bool m_unified = false;
  int m_currentChange = -1;
  int m_currentLine = 0;

  QLabel* m_summary = nullptr;
  QLabel* m_counts = nullptr;
  QProgressBar* m_busy = nullptr;
  QTimer* m_busyDelay = nullptr;
  QAction* m_previousAction = nullptr;
  QAction* m_nextAction = nullptr;
  QAction* m_unifiedAction = nullptr;
  QAction* m_copyAction = nullptr;
  QStackedWidget* m_stack = nullptr;
  QLabel* m_leftHeader = nullptr;
  QLabel* m_rightHeader = nullptr;
  QLabel* m_unifiedHeader = nullptr;
  DiffPane* m_left = nullptr;
  DiffPane* m_right = nullptr;
  DiffPane* m_unifiedPane = nullptr;
};

}  // namespace podscope::ui
