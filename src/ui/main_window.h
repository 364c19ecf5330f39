#pragma once
// MainWindow: the open manifests (one editor tab each, listed with their
// documents on the left) above the run's timeline, with the toolbar that
// picks a runtime and runs the pod in the current tab.

#include <QList>
#include <QMainWindow>
#include <QString>
#include <QUrl>

#include <functional>
#include <memory>
#include <QPointer>

#include <optional>
#include <vector>

#include "engine/clock.h"

#include "core/history_store.h"
#include "core/result.h"
#include "ui/run_controller.h"

class QAction;
class QActionGroup;
class QComboBox;
class QDockWidget;
class QMenu;
class QTimer;
class QTreeWidget;
class QTreeWidgetItem;
class QLabel;
class QLineEdit;
class QSplitter;
class QTabWidget;
class QTableView;
class QToolButton;

namespace podscope::ui {

class AutosaveStore;
class DocumentTabs;
class LeftoversOffer;
class ManifestEditor;
class ProblemsView;
class MessageBanner;
class RunPanels;
class ManualWindow;
class HistoryPanel;
class TransitionModel;

/// Thread contract: GUI thread only.
class MainWindow final : public QMainWindow {
  Q_OBJECT

 public:
  explicit MainWindow(QWidget* parent = nullptr);
  ~MainWindow() override;

  /// Opens a manifest in a tab of its own (or shows its tab if it is open
  /// already); returns whether it did. A file that cannot be read, is not
  /// text, is not valid YAML or is YAML but not a Kubernetes manifest opens
  /// nothing, and the message banner says why. A manifest with a mistake in
  /// a field opens with the mistake marked, so it can be fixed in place.
  /// The untouched starting template is replaced rather than kept beside it.
  bool openFile(const QString& path);
  /// Opens every file given; folders open the manifests (.yaml, .yml) they
  /// hold, in name order. What cannot be opened is listed in one message.
  /// Returns how many files were opened.
  int openFiles(const QStringList& paths);
  /// Opens what was dropped: files, and the manifests in dropped folders.
  void openDroppedUrls(const QList<QUrl>& urls);
  /// A new untitled tab holding the starting template.
  void newDocument();
  /// Closes a tab, asking first when it has unsaved changes; false when the
  /// user kept it open.
  bool closeDocument(int index);
  /// Replaces the current tab's text without any checks, as an unmodified
  /// buffer. An empty `filePath` makes it untitled.
  void setManifest(const QString& text, const QString& filePath);
  QString manifestText() const;
  /// The current tab's file; empty when untitled.
  QString filePath() const;
  DocumentTabs* documentTabs() const { return m_documents; }
  /// The tree of open files and the Kubernetes objects in each.
  QTreeWidget* manifestsTree() const { return m_manifestsTree; }
  /// What validation says about the current tab, updated as it is typed.
  ProblemsView* problemsView() const { return m_problems; }

  /// Keeps copies of unsaved buffers under `root` (empty: the user's data
  /// folder) every few seconds after a change, and removes them when the
  /// buffer is saved or closed, or the window closes normally.
  void enableAutosave(const QString& root = {});
  /// Writes the copies now (also done on a timer).
  void autosaveNow();
  /// Offers, in a banner, to reopen buffers that a session which ended
  /// without closing normally left; returns how many there are.
  int offerRecovery();
  /// Reopens those buffers at once, each in a tab marked modified.
  int recoverUnsavedBuffers();
  /// Restores window layout, recent files, theme and (with
  /// `includeRuntime`) the runtime from the user's settings, and saves them
  /// when the window closes. Off unless called, so tests and scripts start
  /// from defaults.
  void restoreSettings(bool includeRuntime = true);
  QStringList recentFiles() const { return m_recentFiles; }

  /// How the window asks about unsaved changes (Save, Discard or Cancel);
  /// tests replace the dialog.
  enum class DiscardAnswer { Save, Discard, Cancel };
  using DiscardPrompt = std::function<DiscardAnswer(const QStringList& names)>;
  void setDiscardPrompt(DiscardPrompt prompt) { m_discardPrompt = std::move(prompt); }

  void setRuntime(RuntimeKind runtime, const QString& containerdAddress);
  /// Picks the runtime and where containerd runs happen; with containerd,
  /// looks for leftovers of crashed runs there (in the background).
  void setRuntime(RuntimeKind runtime, const ContainerdSettings& containerd);
  RuntimeKind runtime() const;
  QString containerdAddress() const;
  ContainerdSettings containerdSettings() const;

  /// Runs the first runnable object in the editor's current text (not the
  /// file on disk): a Pod, or a Deployment (runDeployment, its templates
  /// recorded in the rollout history). Every call ends with exactly one
  /// runFinished(), at once when the text holds nothing runnable.
  void run();
  /// `kubectl apply` of the current tab's Deployment to the one running: a
  /// changed template rolls out a new revision, a changed replicas count
  /// scales. False (with a message) when no Deployment runs or the text
  /// holds none.
  bool applyToRunningDeployment();
  /// The same for a manifest's text (a file dropped on the timeline).
  bool applyManifestToRunningDeployment(const QString& text, const QString& fileName, const QString& path);
  /// How the window asks whether a file dropped on the timeline of a
  /// running Deployment is to be applied to it (else it is opened); tests
  /// replace the dialog.
  using ApplyPrompt = std::function<bool(const QString& fileName, const QString& deployment)>;
  void setApplyPrompt(ApplyPrompt prompt) { m_applyPrompt = std::move(prompt); }
  /// Simulated Deployments run at this many seconds of rollout per second
  /// (1: as fast as a cluster would); tests hurry them.
  void setRolloutSpeed(double speed) { m_rolloutSpeed = speed; }
  bool isRunningDeployment() const;
  /// Deletes the running pod gracefully, with the pod's
  /// terminationGracePeriodSeconds or `grace` (kubectl delete
  /// --grace-period).
  void stop(std::optional<engine::Duration> grace = std::nullopt);
  /// kubectl delete --grace-period=0 --force: the shortest stop the kubelet
  /// allows.
  void forceDelete();
  /// Asks for a grace period, then deletes.
  void deleteWithGracePeriod();
  /// Asks for the containerd socket, namespace and state directory.
  void editContainerdSettings();
  /// Deletes the running pod and runs the current tab again once it is
  /// gone; runs at once when nothing runs.
  void restart();
  /// Runs started from now on are watched this long, then end as the pod
  /// is (unset: until the pod ends or the run limit).
  void setWatchFor(std::optional<engine::Duration> watchFor) { m_watchFor = watchFor; }
  bool isRunning() const;
  const std::optional<RunResult>& lastResult() const { return m_lastResult; }

  bool save();
  bool saveAs();

  /// The current tab's editor.
  ManifestEditor* editor() const;
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
  /// Opens the manual (Help → Podscope Manual), at `page` if given
  /// (`simulation.md`); the window is kept and reused.
  ManualWindow* showManual(const QString& page = {});
  /// File → Open Run Record: shows a saved run on the timeline and panels.
  bool openRecord(const QString& path);
  /// File → Export Report: the last pod run, in the format `path`'s
  /// extension names (report_export.h); a PNG `pngScale` times the
  /// timeline's size.
  bool exportReport(const QString& path, double pngScale = 2.0);
  /// The History tab; its store is opened the first time the tab is shown
  /// (or openHistory() is called).
  HistoryPanel* historyPanel() const { return m_history; }
  void openHistory();
  QToolButton* runButton() const { return m_runButton; }
  QAction* applyAction() const { return m_applyAction; }
  QToolButton* stopButton() const { return m_stopButton; }
  /// The status bar's text about the pod: name, phase or outcome, problems.
  QString statusText() const;

 signals:
  void runFinished(const podscope::ui::RunResult& result);
  /// Leftovers are no longer being looked for or removed.
  void leftoversSettled();

 protected:
  void closeEvent(QCloseEvent* event) override;
  void changeEvent(QEvent* event) override;
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
  bool saveDocument(int index);
  bool saveDocumentAs(int index);
  bool writeTo(int index, const QString& path);
  /// Asks about the unsaved tabs among `indexes`; false on Cancel (or a
  /// failed save).
  bool confirmDiscardChanges(const QList<int>& indexes);
  void loadIntoEditor(const QString& text, const QString& filePath, const std::vector<core::Error>& errors);
  QString displayName() const;
  void updateTitle();
  void onCurrentDocumentChanged();
  void rebuildEditMenu();
  void onDocumentEdited(int index);
  void refreshManifestsTree();
  void onManifestItemActivated(QTreeWidgetItem* item);
  void addRecentFile(const QString& path);
  void rebuildRecentMenu();
  void saveSettings() const;
  void applyTheme(int theme);
  void updateRuntimeControls();
  void onRuntimeChosen();
  void onAddressEdited();
  void checkForLeftovers();
  void updateRunControls();
  void showAbout();
  void showGettingStarted();
  void fitTimelineToLanes();

  void showError(const QString& text, const QString& actionText = {}, std::function<void()> action = {});
  void markManifestError(const core::Error& error);
  void setPodStatus(const QString& podName, const QString& phase, const QString& detail, bool detailIsError);

  void onTransitionRecorded(const core::Transition& transition);
  void onRunFinished(const RunResult& result);
  void showLiveStatus();

  void runDeployment(const core::Deployment& deployment);
  void onRolloutAppended(const RolloutBatch& batch);
  void onDeploymentAnswered(const core::Deployment& deployment, const QString& answer, bool error);
  void onRolloutFinished(const RunResult& result);
  void onRolledBack(const QString& ns, const QString& name, qint64 revision);
  /// The user's rollout history, opened on first use; null when it cannot
  /// be (the reason in `problem`).
  std::shared_ptr<core::HistoryStore> historyStore(QString* problem = nullptr);
  /// Records the template `deployment` runs now in the rollout history.
  void recordRevision(const core::Deployment& deployment);
  void setRevisionOutcome(core::RevisionOutcome outcome);

  DocumentTabs* m_documents = nullptr;
  QTreeWidget* m_manifestsTree = nullptr;
  QDockWidget* m_manifestsDock = nullptr;
  QTimer* m_treeTimer = nullptr;
  QTimer* m_autosaveTimer = nullptr;
  std::unique_ptr<AutosaveStore> m_autosave;
  DiscardPrompt m_discardPrompt;
  QStringList m_recentFiles;
  QMenu* m_recentMenu = nullptr;
  QMenu* m_viewMenu = nullptr;
  QMenu* m_editMenu = nullptr;
  ProblemsView* m_problems = nullptr;
  QDockWidget* m_problemsDock = nullptr;
  bool m_persistSettings = false;
  bool m_restartPending = false;
  QAction* m_newAction = nullptr;
  QAction* m_closeAction = nullptr;
  QAction* m_saveAllAction = nullptr;
  QAction* m_deleteGraceAction = nullptr;
  QAction* m_forceDeleteAction = nullptr;
  QAction* m_restartAction = nullptr;
  QAction* m_applyAction = nullptr;
  QActionGroup* m_themeGroup = nullptr;
  QAction* m_shortcutsAction = nullptr;
  QAction* m_gettingStartedAction = nullptr;
  QAction* m_manualAction = nullptr;
  QAction* m_openRecordAction = nullptr;
  QAction* m_exportReportAction = nullptr;
  QString m_lastReportManifest;      ///< the manifest text of the last pod run, for its report
  QString m_lastReportManifestFile;
  QPointer<ManualWindow> m_manual;
  HistoryPanel* m_history = nullptr;
  bool m_historyOpened = false;
  QAction* m_containerdSettingsAction = nullptr;
  MessageBanner* m_banner = nullptr;
  MessageBanner* m_leftoversBanner = nullptr;
  LeftoversOffer* m_leftovers = nullptr;
  TransitionModel* m_transitions = nullptr;
  RunPanels* m_runPanels = nullptr;
  std::optional<core::PodStatusLine> m_liveStatus;  ///< the latest `kubectl get` columns of the run in progress
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

  QString m_runningPodName;
  /// The grace period of the pod being run, for the Delete dialog.
  qint64 m_runningGraceSeconds = 30;
  std::optional<engine::Duration> m_watchFor;
  /// Where containerd runs happen, apart from the socket in the toolbar.
  QString m_containerdNamespace = ContainerdSettings{}.containerdNamespace;
  QString m_stateDir;
  std::optional<RunResult> m_lastResult;

  // The Deployment being run.
  std::optional<core::Deployment> m_runningDeployment;
  QString m_runningManifestPath;
  std::optional<core::DeploymentStatusLine> m_liveDeployment;
  std::shared_ptr<core::HistoryStore> m_historyStore;
  QString m_historyProblem;
  bool m_historyStoreTried = false;
  /// The history's current revision of the running Deployment, and whether
  /// its outcome is settled (Complete or ProgressDeadlineExceeded).
  std::int64_t m_historyRevision = 0;
  bool m_outcomeSettled = false;
  std::optional<core::DeploymentKey> m_lastDeploymentKey;
  ApplyPrompt m_applyPrompt;
  double m_rolloutSpeed = 1.0;
};

}  // namespace podscope::ui
