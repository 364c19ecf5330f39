#pragma once
// MainWindow: the manifest editor above the run's timeline, with the
// toolbar that picks a runtime and runs the pod in the editor.

#include <QList>
#include <QMainWindow>
#include <QString>
#include <QUrl>

#include <functional>
#include <optional>
#include <vector>

#include "core/result.h"
#include "ui/run_controller.h"

class QAction;
class QComboBox;
class QLabel;
class QLineEdit;
class QSplitter;
class QTabWidget;
class QTableView;
class QToolButton;

namespace podscope::ui {

class LeftoversOffer;
class ManifestEditor;
class MessageBanner;
class RunPanels;
class TransitionModel;

/// Thread contract: GUI thread only.
class MainWindow final : public QMainWindow {
  Q_OBJECT

 public:
  explicit MainWindow(QWidget* parent = nullptr);
  ~MainWindow() override;

  /// Opens a manifest into the editor; returns whether it did. A file that
  /// cannot be read, is not text, is not valid YAML or is YAML but not a
  /// Kubernetes manifest leaves the editor as it was, and the message banner
  /// says why. A manifest with a mistake in a field opens with the mistake
  /// marked, so it can be fixed in place.
  bool openFile(const QString& path);
  /// Opens the first file of a drop (or says why it cannot).
  void openDroppedUrls(const QList<QUrl>& urls);
  /// Replaces the editor's text without any checks, as an unmodified buffer.
  /// An empty `filePath` makes it untitled.
  void setManifest(const QString& text, const QString& filePath);
  QString manifestText() const;
  QString filePath() const { return m_filePath; }

  void setRuntime(RuntimeKind runtime, const QString& containerdAddress);
  /// Picks the runtime and where containerd runs happen; with containerd,
  /// looks for leftovers of crashed runs there (in the background).
  void setRuntime(RuntimeKind runtime, const ContainerdSettings& containerd);
  RuntimeKind runtime() const;
  QString containerdAddress() const;
  ContainerdSettings containerdSettings() const;

  /// Runs the pod in the editor's current text (not the file on disk).
  /// Every call ends with exactly one runFinished(), at once when the text
  /// holds no runnable pod.
  void run();
  void stop();
  bool isRunning() const;
  const std::optional<RunResult>& lastResult() const { return m_lastResult; }

  bool save();
  bool saveAs();

  ManifestEditor* editor() const { return m_editor; }
  TransitionModel* transitionModel() const { return m_transitions; }
  MessageBanner* messageBanner() const { return m_banner; }
  /// The banner that offers to remove leftovers of crashed runs.
  MessageBanner* leftoversBanner() const { return m_leftoversBanner; }
  /// What finds and removes leftovers of crashed runs; null in a build
  /// without the containerd runtime.
  LeftoversOffer* leftoversOffer() const { return m_leftovers; }
  /// True while leftovers are being looked for or removed.
  bool isBusyWithLeftovers() const;
  /// The timeline, events, logs and details of the run.
  RunPanels* runPanels() const { return m_runPanels; }
  QToolButton* runButton() const { return m_runButton; }
  QToolButton* stopButton() const { return m_stopButton; }
  /// The status bar's text about the pod: name, phase or outcome, problems.
  QString statusText() const;

 signals:
  void runFinished(const podscope::ui::RunResult& result);
  /// Leftovers are no longer being looked for or removed.
  void leftoversSettled();

 protected:
  void closeEvent(QCloseEvent* event) override;
  void dragEnterEvent(QDragEnterEvent* event) override;
  void dragMoveEvent(QDragMoveEvent* event) override;
  void dropEvent(QDropEvent* event) override;

 private:
  void createActions();
  void createMenus();
  void createToolBar();
  void createCentralArea();
  void createStatusBar();

  void chooseFileToOpen();
  bool writeTo(const QString& path);
  bool confirmDiscardChanges();
  void loadIntoEditor(const QString& text, const QString& filePath, const std::vector<core::Error>& errors);
  QString displayName() const;
  void updateTitle();
  void updateRuntimeControls();
  void onRuntimeChosen();
  void onAddressEdited();
  void checkForLeftovers();
  void updateRunControls();
  void showAbout();
  void fitTimelineToLanes();

  void showError(const QString& text, const QString& actionText = {}, std::function<void()> action = {});
  void markManifestError(const core::Error& error);
  void setPodStatus(const QString& podName, const QString& phase, const QString& detail, bool detailIsError);

  void onTransitionRecorded(const core::Transition& transition);
  void onRunFinished(const RunResult& result);

  ManifestEditor* m_editor = nullptr;
  MessageBanner* m_banner = nullptr;
  MessageBanner* m_leftoversBanner = nullptr;
  LeftoversOffer* m_leftovers = nullptr;
  TransitionModel* m_transitions = nullptr;
  RunPanels* m_runPanels = nullptr;
  QTableView* m_table = nullptr;
  QTabWidget* m_bottomTabs = nullptr;
  QSplitter* m_timelineSplit = nullptr;
  RunController* m_runner = nullptr;

  QAction* m_openAction = nullptr;
  QAction* m_saveAction = nullptr;
  QAction* m_saveAsAction = nullptr;
  QAction* m_quitAction = nullptr;
  QAction* m_runAction = nullptr;
  QAction* m_stopAction = nullptr;
  QAction* m_aboutAction = nullptr;

  QComboBox* m_runtimeCombo = nullptr;
  QLineEdit* m_addressEdit = nullptr;
  QAction* m_addressLabelAction = nullptr;
  QAction* m_addressEditAction = nullptr;
  QToolButton* m_runButton = nullptr;
  QToolButton* m_stopButton = nullptr;

  QLabel* m_podLabel = nullptr;
  QLabel* m_phaseLabel = nullptr;
  QLabel* m_detailLabel = nullptr;
  QLabel* m_runtimeLabel = nullptr;

  QString m_filePath;
  QString m_runningPodName;
  /// Where containerd runs happen, apart from the socket in the toolbar.
  QString m_containerdNamespace = ContainerdSettings{}.containerdNamespace;
  QString m_stateDir;
  std::optional<RunResult> m_lastResult;
};

}  // namespace podscope::ui
