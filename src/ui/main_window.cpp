#include "ui/main_window.h"

#include <QAction>
#include <QActionGroup>
#include <QApplication>
#include <QCloseEvent>
#include <QComboBox>
#include <QDialog>
#include <QDialogButtonBox>
#include <QDir>
#include <QDockWidget>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QInputDialog>
#include <QLabel>
#include <QLineEdit>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QRegularExpression>
#include <QSaveFile>
#include <QSettings>
#include <QScrollBar>
#include <QSignalBlocker>
#include <QSplitter>
#include <QStatusBar>
#include <QStringDecoder>
#include <QTabWidget>
#include <QTableView>
#include <QTimer>
#include <QToolBar>
#include <QToolButton>
#include <QTreeWidget>
#include <QVBoxLayout>

#include <algorithm>

#include "core/manifest_reader.h"
#include "core/pod_template_yaml.h"
#include "ui/autosave_store.h"
#include "ui/containerd_settings_dialog.h"
#include "ui/document_tabs.h"
#include "ui/lane_layout.h"
#include "ui/manifest_editor.h"
#include "ui/manual_window.h"
#include "ui/report_export.h"
#include "ui/history_panel.h"
#include "ui/message_banner.h"
#include "ui/problems_view.h"
#include "ui/state_palette.h"
#include "ui/theme.h"
#include "ui/details_panel.h"
#include "ui/events_view.h"
#include "ui/logs_panel.h"
#include "ui/run_panels.h"
#include "ui/timeline_view.h"
#include "ui/transition_model.h"
#ifdef PODSCOPE_HAVE_CONTAINERD
#include "ui/leftovers_offer.h"
#include "ui/table_style.h"
#endif

// Resources compiled into a static library are only linked in when something
// refers to them; Q_INIT_RESOURCE must be called outside any namespace.
static void initPodscopeResources() { Q_INIT_RESOURCE(podscope); }

namespace podscope::ui {

namespace {

constexpr qint64 kMaxManifestBytes = 8 * 1024 * 1024;
constexpr int kDefaultWidth = 1280;
constexpr int kDefaultHeight = 800;
const QString kUntitledName = QStringLiteral("untitled.yaml");
const QString kTemplatePath = QStringLiteral(":/templates/pod.yaml");
constexpr int kMaxRecentFiles = 10;
/// How long after the last keystroke unsaved buffers are copied to disk.
constexpr int kAutosaveDelayMs = 3000;
/// How long after the last keystroke the list of objects is read again.
/// Folders dropped or opened are searched this deep for manifests.
constexpr int kMaxFolderDepth = 3;
constexpr int kMaxFilesFromFolders = 50;

QString qs(const std::string& s) { return QString::fromStdString(s); }

QIcon themedIcon(const char* themeName, const char* fallback) {
  return QIcon::fromTheme(QLatin1String(themeName), QIcon(QLatin1String(fallback)));
}

bool hasManifestSuffix(const QFileInfo& info) {
  const QString suffix = info.suffix().toLower();
  return suffix == QLatin1String("yaml") || suffix == QLatin1String("yml");
}

/// The text of a file the editor can take, or a sentence saying why not.
struct FileText {
  QString text;
  QString problem;
};

bool isYamlSyntaxError(const core::Error& error) { return error.kind == core::ErrorKind::Syntax; }

/// Whether text that read to no documents is still worth opening: a
/// Kubernetes object with a mistake in a field is, so the mistake can be
/// fixed in place; broken YAML and YAML that is not a manifest are not.
bool worthOpeningDespiteErrors(const QString& text, const core::Manifest& manifest) {
  const bool anyKubernetesObject = std::any_of(manifest.documents.begin(), manifest.documents.end(),
                                               [](const core::Document& d) { return !d.kind.empty(); });
  if (anyKubernetesObject || !manifest.hasErrors()) return true;
  if (isYamlSyntaxError(manifest.errors().front())) return false;
  static const QRegularExpression kKind(QStringLiteral(R"(^kind:[ \t]*\S)"), QRegularExpression::MultilineOption);
  static const QRegularExpression kApiVersion(QStringLiteral(R"(^apiVersion:[ \t]*\S)"),
                                              QRegularExpression::MultilineOption);
  return text.contains(kKind) && text.contains(kApiVersion);
}

QString templateText() {
  QFile file(kTemplatePath);
  return file.open(QIODevice::ReadOnly) ? QString::fromUtf8(file.readAll()) : QString();
}

/// The manifests in `dir`, in name order, searched `depth` folders deep.
void collectManifests(const QDir& dir, int depth, QStringList& out) {
  for (const QFileInfo& entry : dir.entryInfoList(QDir::Files | QDir::Dirs | QDir::NoDotAndDotDot | QDir::Readable,
                                                  QDir::Name | QDir::DirsLast)) {
    if (out.size() >= kMaxFilesFromFolders) return;
    if (entry.isDir()) {
      if (depth > 0 && !entry.isSymLink()) collectManifests(QDir(entry.absoluteFilePath()), depth - 1, out);
    } else if (hasManifestSuffix(entry)) {
      out << entry.absoluteFilePath();
    }
  }
}

QString themeSettingName(Theme theme) {
  switch (theme) {
    case Theme::Light: return QStringLiteral("light");
    case Theme::Dark: return QStringLiteral("dark");
    case Theme::System: break;
  }
  return QStringLiteral("system");
}

Theme themeFromSetting(const QString& name) {
  if (name == QLatin1String("light")) return Theme::Light;
  if (name == QLatin1String("dark")) return Theme::Dark;
  return Theme::System;
}

FileText readTextFile(const QString& path) {
  const QFileInfo info(path);
  const QString name = info.fileName();
  if (!info.exists()) return {{}, QObject::tr("%1 does not exist.").arg(name)};
  if (info.isDir()) return {{}, QObject::tr("%1 is a folder; open a manifest file inside it.").arg(name)};
  QFile file(path);
  if (!file.open(QIODevice::ReadOnly)) {
    return {{}, QObject::tr("Cannot open %1: %2.").arg(name, file.errorString())};
  }
  if (file.size() > kMaxManifestBytes) {
    return {{}, QObject::tr("%1 is %2 MB, too large for a manifest.").arg(name).arg(file.size() / (1024 * 1024))};
  }
  const QByteArray bytes = file.readAll();
  const QString hint = QObject::tr("Podscope opens Kubernetes manifests written in YAML (.yaml, .yml).");
  if (bytes.contains('\0')) {
    return {{}, QObject::tr("%1 is not a text file, so it cannot be a manifest. %2").arg(name, hint)};
  }
  QStringDecoder decoder(QStringDecoder::Utf8);
  QString text = decoder.decode(bytes);
  if (decoder.hasError()) {
    return {{}, QObject::tr("%1 is not UTF-8 text, so it cannot be a manifest. %2").arg(name, hint)};
  }
  return {text, {}};
}

}  // namespace

MainWindow::MainWindow(QWidget* parent) : QMainWindow(parent) {
  initPodscopeResources();
  setObjectName(QStringLiteral("mainWindow"));
  setWindowIcon(QIcon(QStringLiteral(":/icons/podscope.svg")));
  setAcceptDrops(true);
  setUnifiedTitleAndToolBarOnMac(true);

  m_runner = new RunController(this);
  m_transitions = new TransitionModel(this);

  createActions();
  createCentralArea();  // before the menus: the Edit menu holds the editor's actions
  createMenus();
  createToolBar();
  createStatusBar();

  connect(m_runner, &RunController::transitionRecorded, this, &MainWindow::onTransitionRecorded);
  connect(m_runner, &RunController::runFinished, this, &MainWindow::onRunFinished);
  // The `kubectl get pod` columns in the status bar, live; AGE follows the
  // run's present.
  connect(m_runner, &RunController::recordAppended, this, [this](const RecordBatch& batch) {
    for (auto it = batch.rbegin(); it != batch.rend(); ++it) {
      if (const auto* line = std::get_if<core::PodStatusLine>(&*it)) {
        m_liveStatus = *line;
        showLiveStatus();
        break;
      }
    }
  });
  connect(m_runPanels, &RunPanels::presentChanged, this, [this] {
    if (m_runner->isRunning() && (m_liveStatus || m_liveDeployment)) showLiveStatus();
  });
  connect(m_runner, &RunController::rolloutAppended, this, &MainWindow::onRolloutAppended);
  connect(m_runner, &RunController::deploymentAnswered, this, &MainWindow::onDeploymentAnswered);
  connect(m_history, &HistoryPanel::rolledBack, this, &MainWindow::onRolledBack);
#ifdef PODSCOPE_HAVE_CONTAINERD
  m_leftovers = new LeftoversOffer(m_leftoversBanner, this);
  connect(m_leftovers, &LeftoversOffer::stateChanged, this, [this] {
    if (!m_leftovers->isBusy()) emit leftoversSettled();
  });
#endif

  m_documents->addDocument(templateText(), {}, /*pristine=*/true);

  updateRuntimeControls();
  updateRunControls();
  resize(kDefaultWidth, kDefaultHeight);
}

MainWindow::~MainWindow() = default;

void MainWindow::createActions() {
  m_newAction = new QAction(tr("&New"), this);
  m_newAction->setShortcut(QKeySequence::New);
  m_newAction->setToolTip(tr("A new manifest from the Pod template (Ctrl+N)"));
  connect(m_newAction, &QAction::triggered, this, &MainWindow::newDocument);

  m_openRecordAction = new QAction(tr("Open Run &Record…"), this);
  m_openRecordAction->setObjectName(QStringLiteral("openRecordAction"));
  m_openRecordAction->setToolTip(tr("Show a saved run (podscope-cli run --output json, or an export) on the timeline"));
  connect(m_openRecordAction, &QAction::triggered, this, [this] {
    const QString path = QFileDialog::getOpenFileName(this, tr("Open Run Record"), QString(),
                                                      tr("Run records (*.json);;All files (*)"));
    if (!path.isEmpty()) openRecord(path);
  });
  m_exportReportAction = new QAction(tr("&Export Report…"), this);
  m_exportReportAction->setObjectName(QStringLiteral("exportReportAction"));
  m_exportReportAction->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_E));
  m_exportReportAction->setToolTip(
      tr("Write the last run (a pod's, or a Deployment's rollout) up as an HTML report, a PDF for print, the "
         "timeline as SVG or PNG, a Markdown summary or the record as JSON (Ctrl+Shift+E)"));
  m_exportReportAction->setEnabled(false);
  connect(m_exportReportAction, &QAction::triggered, this, [this] {
    QString suggested = m_runningPodName.isEmpty() ? QStringLiteral("run") : m_runningPodName;
    const QString path = QFileDialog::getSaveFileName(this, tr("Export Report"), suggested + QStringLiteral(".html"),
                                                      reportFileFilter());
    if (path.isEmpty()) return;
    double scale = 2.0;
    if (QFileInfo(path).suffix().compare(QLatin1String("png"), Qt::CaseInsensitive) == 0) {
      bool chosen = false;
      scale = QInputDialog::getDouble(this, tr("Export Timeline as PNG"),
                                      tr("Scale (device pixels per pixel of the timeline):"), 2.0, 0.5, 8.0, 1,
                                      &chosen);
      if (!chosen) return;
    }
    exportReport(path, scale);
  });

  m_closeAction = new QAction(tr("&Close Tab"), this);
  m_closeAction->setShortcut(QKeySequence::Close);
  connect(m_closeAction, &QAction::triggered, this, [this] { closeDocument(m_documents->currentIndex()); });

  m_saveAllAction = new QAction(tr("Save A&ll"), this);
  m_saveAllAction->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_L));
  connect(m_saveAllAction, &QAction::triggered, this, [this] {
    for (int index : m_documents->modifiedIndexes()) {
      if (!saveDocument(index)) return;
    }
  });

  m_openAction = new QAction(themedIcon("document-open", ":/icons/document-open.svg"), tr("&Open…"), this);
  m_openAction->setShortcut(QKeySequence::Open);
  m_openAction->setToolTip(tr("Open a manifest (Ctrl+O)"));
  connect(m_openAction, &QAction::triggered, this, &MainWindow::chooseFileToOpen);

  m_saveAction = new QAction(themedIcon("document-save", ":/icons/document-save.svg"), tr("&Save"), this);
  m_saveAction->setShortcut(QKeySequence::Save);
  m_saveAction->setToolTip(tr("Save the manifest (Ctrl+S)"));
  connect(m_saveAction, &QAction::triggered, this, &MainWindow::save);

  m_saveAsAction = new QAction(tr("Save &As…"), this);
  m_saveAsAction->setShortcut(QKeySequence::SaveAs);
  connect(m_saveAsAction, &QAction::triggered, this, &MainWindow::saveAs);

  m_quitAction = new QAction(tr("&Quit"), this);
  m_quitAction->setShortcut(QKeySequence::Quit);
  m_quitAction->setMenuRole(QAction::QuitRole);
  connect(m_quitAction, &QAction::triggered, this, &QWidget::close);

  m_runAction = new QAction(QIcon(QStringLiteral(":/icons/run.svg")), tr("&Run"), this);
  m_runAction->setShortcut(QKeySequence(Qt::Key_F5));
  m_runAction->setToolTip(tr("Run the pod or Deployment in the editor (F5)"));
  connect(m_runAction, &QAction::triggered, this, &MainWindow::run);

  m_stopAction = new QAction(QIcon(QStringLiteral(":/icons/stop.svg")), tr("&Delete"), this);
  m_stopAction->setShortcut(QKeySequence(Qt::SHIFT | Qt::Key_F5));
  m_stopAction->setToolTip(tr("Delete the running pod gracefully, as kubectl delete pod does (Shift+F5)"));
  connect(m_stopAction, &QAction::triggered, this, [this] { stop(); });

  m_deleteGraceAction = new QAction(tr("Delete with &Grace Period…"), this);
  m_deleteGraceAction->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_F5));
  m_deleteGraceAction->setToolTip(tr("Delete the running pod with another grace period (kubectl delete --grace-period)"));
  connect(m_deleteGraceAction, &QAction::triggered, this, &MainWindow::deleteWithGracePeriod);

  m_forceDeleteAction = new QAction(tr("&Force Delete"), this);
  m_forceDeleteAction->setShortcut(QKeySequence(Qt::ALT | Qt::SHIFT | Qt::Key_F5));
  m_forceDeleteAction->setToolTip(
      tr("Stop the pod at once (kubectl delete --grace-period=0 --force): no preStop hooks, SIGKILL after 2 s"));
  connect(m_forceDeleteAction, &QAction::triggered, this, &MainWindow::forceDelete);

  m_restartAction = new QAction(tr("R&estart"), this);
  m_restartAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_F5));
  m_restartAction->setToolTip(tr("Delete the running pod, then run the current tab again (Ctrl+F5)"));
  connect(m_restartAction, &QAction::triggered, this, &MainWindow::restart);

  m_applyAction = new QAction(tr("&Apply to Running Deployment"), this);
  m_applyAction->setObjectName(QStringLiteral("applyAction"));
  m_applyAction->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_Return));
  m_applyAction->setToolTip(tr("kubectl apply the editor's Deployment to the one running: a changed template rolls "
                               "out a new revision, a changed replicas count scales (Ctrl+Shift+Enter)"));
  connect(m_applyAction, &QAction::triggered, this, &MainWindow::applyToRunningDeployment);

  m_containerdSettingsAction = new QAction(tr("containerd &Settings…"), this);
  m_containerdSettingsAction->setToolTip(tr("The containerd socket, namespace and state directory runs use"));
  m_containerdSettingsAction->setEnabled(containerdAvailable());
  connect(m_containerdSettingsAction, &QAction::triggered, this, &MainWindow::editContainerdSettings);

  m_themeGroup = new QActionGroup(this);
  for (auto [theme, text] : {std::pair{Theme::System, tr("&System")}, std::pair{Theme::Light, tr("&Light")},
                             std::pair{Theme::Dark, tr("&Dark")}}) {
    QAction* action = m_themeGroup->addAction(text);
    action->setCheckable(true);
    action->setData(static_cast<int>(theme));
    action->setChecked(theme == Theme::System);
  }
  connect(m_themeGroup, &QActionGroup::triggered, this, [this](QAction* action) { applyTheme(action->data().toInt()); });

  m_gettingStartedAction = new QAction(tr("&Getting Started"), this);
  m_gettingStartedAction->setObjectName(QStringLiteral("gettingStartedAction"));
  connect(m_gettingStartedAction, &QAction::triggered, this, &MainWindow::showGettingStarted);

  m_manualAction = new QAction(tr("Podscope &Manual"), this);
  m_manualAction->setObjectName(QStringLiteral("manualAction"));
  m_manualAction->setShortcut(QKeySequence::HelpContents);
  m_manualAction->setToolTip(tr("The scenario language, containerd, logs, the record format and more (F1)"));
  connect(m_manualAction, &QAction::triggered, this, [this] { showManual(); });

  m_shortcutsAction = new QAction(tr("&Keyboard Shortcuts"), this);
  connect(m_shortcutsAction, &QAction::triggered, this, [this] {
    QStringList rows;
    for (QAction* action : findChildren<QAction*>()) {
      if (action->shortcut().isEmpty() || action->text().isEmpty()) continue;
      rows << tr("<tr><td>%1</td><td style='padding-left:16px'><b>%2</b></td></tr>")
                  .arg(action->text().remove(QLatin1Char('&')).toHtmlEscaped(),
                       action->shortcut().toString(QKeySequence::NativeText).toHtmlEscaped());
    }
    rows.sort();
    rows.removeDuplicates();  // every tab's editor has the same commands
    QMessageBox box(QMessageBox::NoIcon, tr("Keyboard Shortcuts"),
                    tr("<table>%1</table>").arg(rows.join(QString())), QMessageBox::Close, this);
    box.exec();
  });

  m_aboutAction = new QAction(tr("&About Podscope"), this);
  m_aboutAction->setMenuRole(QAction::AboutRole);
  connect(m_aboutAction, &QAction::triggered, this, &MainWindow::showAbout);
}

void MainWindow::createMenus() {
  QMenu* file = menuBar()->addMenu(tr("&File"));
  file->addAction(m_newAction);
  file->addAction(m_openAction);
  m_recentMenu = file->addMenu(tr("Open &Recent"));
  m_recentMenu->setObjectName(QStringLiteral("recentMenu"));
  rebuildRecentMenu();
  file->addSeparator();
  file->addAction(m_saveAction);
  file->addAction(m_saveAsAction);
  file->addAction(m_saveAllAction);
  file->addSeparator();
  file->addAction(m_openRecordAction);
  file->addAction(m_exportReportAction);
  file->addSeparator();
  file->addAction(m_closeAction);
  file->addAction(m_quitAction);

  // The current tab's editor commands (undo, find, go to line, comment,
  // complete); filled whenever the tab changes.
  m_editMenu = menuBar()->addMenu(tr("&Edit"));
  m_editMenu->setObjectName(QStringLiteral("editMenu"));
  rebuildEditMenu();

  m_viewMenu = menuBar()->addMenu(tr("&View"));
  m_viewMenu->addAction(m_manifestsDock->toggleViewAction());
  m_viewMenu->addAction(m_problemsDock->toggleViewAction());
  m_viewMenu->addSeparator();
  QMenu* theme = m_viewMenu->addMenu(tr("&Theme"));
  theme->addActions(m_themeGroup->actions());

  QMenu* runMenu = menuBar()->addMenu(tr("&Run"));
  runMenu->addAction(m_runAction);
  runMenu->addAction(m_restartAction);
  runMenu->addAction(m_applyAction);
  runMenu->addSeparator();
  runMenu->addAction(m_stopAction);
  runMenu->addAction(m_deleteGraceAction);
  runMenu->addAction(m_forceDeleteAction);
  runMenu->addSeparator();
  runMenu->addAction(m_containerdSettingsAction);

  QMenu* help = menuBar()->addMenu(tr("&Help"));
  help->addAction(m_gettingStartedAction);
  help->addAction(m_manualAction);
  help->addAction(m_shortcutsAction);
  help->addAction(m_aboutAction);
}

void MainWindow::createToolBar() {
  QToolBar* bar = addToolBar(tr("Main"));
  bar->setObjectName(QStringLiteral("mainToolBar"));
  bar->setMovable(false);
  bar->setIconSize(QSize(18, 18));
  bar->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
  bar->addAction(m_openAction);
  bar->addAction(m_saveAction);
  bar->addSeparator();

  auto* runtimeLabel = new QLabel(tr("Runtime:"), bar);
  runtimeLabel->setContentsMargins(6, 0, 4, 0);
  bar->addWidget(runtimeLabel);
  m_runtimeCombo = new QComboBox(bar);
  m_runtimeCombo->setObjectName(QStringLiteral("runtimeCombo"));
  m_runtimeCombo->addItem(tr("Simulated"), static_cast<int>(RuntimeKind::Simulated));
  m_runtimeCombo->addItem(tr("containerd"), static_cast<int>(RuntimeKind::Containerd));
  m_runtimeCombo->setItemData(0, tr("Runs the pod on virtual time: no containers, no waiting, same result every time."),
                              Qt::ToolTipRole);
  m_runtimeCombo->setItemData(1, tr("Runs real containers through a containerd daemon."), Qt::ToolTipRole);
  if (!containerdAvailable()) {
    // Shown, not hidden, so the user learns the choice exists and why it is off.
    m_runtimeCombo->setItemData(1, tr("This build of Podscope has no containerd runtime."), Qt::ToolTipRole);
    m_runtimeCombo->setItemData(1, 0, Qt::UserRole - 1);
  }
  bar->addWidget(m_runtimeCombo);

  auto* addressLabel = new QLabel(tr("Socket:"), bar);
  addressLabel->setContentsMargins(8, 0, 4, 0);
  m_addressLabelAction = bar->addWidget(addressLabel);
  m_addressEdit = new QLineEdit(QString::fromLatin1(kDefaultContainerdAddress), bar);
  m_addressEdit->setObjectName(QStringLiteral("addressEdit"));
  m_addressEdit->setPlaceholderText(QString::fromLatin1(kDefaultContainerdAddress));
  m_addressEdit->setToolTip(tr("The containerd socket to talk to"));
  m_addressEdit->setClearButtonEnabled(true);
  // Wide enough for the usual socket paths, but not the whole toolbar, so
  // Run stays where the eye expects it.
  m_addressEdit->setFixedWidth(m_addressEdit->fontMetrics().horizontalAdvance(m_addressEdit->text()) + 60);
  m_addressEditAction = bar->addWidget(m_addressEdit);
  bar->addSeparator();

  m_runButton = new QToolButton(bar);
  m_runButton->setObjectName(QStringLiteral("runButton"));
  m_runButton->setDefaultAction(m_runAction);
  m_runButton->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
  bar->addWidget(m_runButton);
  m_stopButton = new QToolButton(bar);
  m_stopButton->setObjectName(QStringLiteral("stopButton"));
  m_stopButton->setDefaultAction(m_stopAction);
  m_stopButton->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
  bar->addWidget(m_stopButton);

  connect(m_runtimeCombo, &QComboBox::currentIndexChanged, this, &MainWindow::updateRuntimeControls);
  connect(m_runtimeCombo, &QComboBox::currentIndexChanged, this, &MainWindow::onRuntimeChosen);
  connect(m_addressEdit, &QLineEdit::textChanged, this, &MainWindow::updateRuntimeControls);
  // Looked at once the socket is typed, not at every keystroke.
  connect(m_addressEdit, &QLineEdit::editingFinished, this, &MainWindow::onAddressEdited);
}

void MainWindow::createCentralArea() {
  m_documents = new DocumentTabs(this);
  connect(m_documents, &QTabWidget::tabCloseRequested, this, &MainWindow::closeDocument);
  connect(m_documents, &QTabWidget::currentChanged, this, &MainWindow::onCurrentDocumentChanged);
  connect(m_documents, &DocumentTabs::documentsChanged, this, [this] {
    updateTitle();
    m_treeTimer->start(0);
  });
  connect(m_documents, &DocumentTabs::documentEdited, this, &MainWindow::onDocumentEdited);
  // The Manifests panel shows what the editors' own background reads found,
  // so an edit costs the GUI thread no read of its own.
  connect(m_documents, &DocumentTabs::documentAnalyzed, this, [this] { m_treeTimer->start(0); });
  m_banner = new MessageBanner(this);
  // A banner of its own, so messages about the manifest and the run neither
  // replace nor are replaced by the offer to clean up after crashed runs.
  m_leftoversBanner = new MessageBanner(this);
  m_leftoversBanner->setObjectName(QStringLiteral("leftoversBanner"));

  auto* editorPane = new QWidget(this);
  auto* editorLayout = new QVBoxLayout(editorPane);
  editorLayout->setContentsMargins(0, 0, 0, 0);
  editorLayout->setSpacing(0);
  editorLayout->addWidget(m_leftoversBanner);
  editorLayout->addWidget(m_banner);
  editorLayout->addWidget(m_documents, 1);

  // The run's panels: the timeline here, events, logs and details as tabs below.
  m_runPanels = new RunPanels(m_runner, this);

  m_table = new QTableView(this);
  m_table->setObjectName(QStringLiteral("transitionTable"));
  m_table->setModel(m_transitions);
  styleRecordTable(*m_table);
  const int charWidth = m_table->fontMetrics().horizontalAdvance(QLatin1Char('m'));
  m_table->setColumnWidth(TransitionModel::TimeColumn, charWidth * 9);
  m_table->setColumnWidth(TransitionModel::SubjectColumn, charWidth * 16);
  m_table->setColumnWidth(TransitionModel::FromColumn, charWidth * 10);
  m_table->setColumnWidth(TransitionModel::ToColumn, charWidth * 11);
  m_table->setColumnWidth(TransitionModel::ReasonColumn, charWidth * 14);

  m_timelineSplit = new QSplitter(Qt::Vertical, this);
  auto* timelineSplit = m_timelineSplit;
  timelineSplit->setObjectName(QStringLiteral("timelineSplitter"));
  timelineSplit->setChildrenCollapsible(false);
  auto* outputSplit = new QSplitter(Qt::Horizontal, this);
  outputSplit->setObjectName(QStringLiteral("timelineOutputSplitter"));
  outputSplit->setChildrenCollapsible(false);
  outputSplit->addWidget(m_table);
  outputSplit->addWidget(m_runPanels->output());
  outputSplit->setStretchFactor(0, 3);
  outputSplit->setStretchFactor(1, 2);
  timelineSplit->addWidget(m_runPanels->timeline());
  timelineSplit->addWidget(outputSplit);
  timelineSplit->setStretchFactor(0, 0);
  timelineSplit->setStretchFactor(1, 1);

  m_bottomTabs = new QTabWidget(this);
  m_bottomTabs->setObjectName(QStringLiteral("bottomTabs"));
  m_bottomTabs->setDocumentMode(true);
  m_bottomTabs->addTab(timelineSplit, tr("Timeline"));
  m_bottomTabs->addTab(m_runPanels->events(), tr("Events"));
  m_bottomTabs->addTab(m_runPanels->logs(), tr("Logs"));
  m_bottomTabs->addTab(m_runPanels->details(), tr("Details"));
  m_history = new HistoryPanel(this);
  m_bottomTabs->addTab(m_history, tr("History"));
  m_bottomTabs->setTabToolTip(m_bottomTabs->indexOf(m_history),
                              tr("Deployments' revisions, side by side, with rollback"));
  // The history file is opened when first looked at, not at every start.
  connect(m_bottomTabs, &QTabWidget::currentChanged, this, [this](int index) {
    if (m_bottomTabs->widget(index) == m_history) openHistory();
  });

  auto* mainSplit = new QSplitter(Qt::Vertical, this);
  mainSplit->setObjectName(QStringLiteral("mainSplitter"));
  mainSplit->setChildrenCollapsible(false);
  mainSplit->addWidget(editorPane);
  mainSplit->addWidget(m_bottomTabs);
  // The run's picture gets the larger share: the editor scrolls, the
  // timeline's lanes are best seen whole.
  mainSplit->setStretchFactor(0, 4);
  mainSplit->setStretchFactor(1, 5);
  mainSplit->setSizes({270, 450});
  connect(m_runPanels->timeline()->view(), &TimelineView::laneCountChanged, this, &MainWindow::fitTimelineToLanes);
  setCentralWidget(mainSplit);

  // The open files and what each holds; the objects that are not run are
  // greyed and say why.
  m_manifestsTree = new QTreeWidget(this);
  m_manifestsTree->setObjectName(QStringLiteral("manifestsTree"));
  m_manifestsTree->setHeaderHidden(true);
  m_manifestsTree->setRootIsDecorated(true);
  m_manifestsTree->setUniformRowHeights(true);
  m_manifestsTree->setFrameShape(QFrame::NoFrame);
  connect(m_manifestsTree, &QTreeWidget::itemActivated, this, &MainWindow::onManifestItemActivated);
  connect(m_manifestsTree, &QTreeWidget::itemClicked, this, &MainWindow::onManifestItemActivated);
  m_manifestsDock = new QDockWidget(tr("Manifests"), this);
  m_manifestsDock->setObjectName(QStringLiteral("manifestsDock"));
  m_manifestsDock->setWidget(m_manifestsTree);
  m_manifestsDock->setFeatures(QDockWidget::DockWidgetMovable | QDockWidget::DockWidgetFloatable |
                               QDockWidget::DockWidgetClosable);
  addDockWidget(Qt::LeftDockWidgetArea, m_manifestsDock);
  resizeDocks({m_manifestsDock}, {290}, Qt::Horizontal);
  m_manifestsDock->toggleViewAction()->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_M));

  // What validation says about the current tab's text, as it is typed.
  m_problems = new ProblemsView(this);
  m_problems->setObjectName(QStringLiteral("problemsView"));
  m_problemsDock = new QDockWidget(tr("Problems"), this);
  m_problemsDock->setObjectName(QStringLiteral("problemsDock"));
  m_problemsDock->setWidget(m_problems);
  m_problemsDock->setFeatures(m_manifestsDock->features());
  addDockWidget(Qt::LeftDockWidgetArea, m_problemsDock);
  splitDockWidget(m_manifestsDock, m_problemsDock, Qt::Vertical);
  resizeDocks({m_manifestsDock, m_problemsDock}, {200, 400}, Qt::Vertical);
  m_problemsDock->toggleViewAction()->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_P));

  m_treeTimer = new QTimer(this);
  m_treeTimer->setSingleShot(true);
  connect(m_treeTimer, &QTimer::timeout, this, &MainWindow::refreshManifestsTree);
  m_autosaveTimer = new QTimer(this);
  m_autosaveTimer->setSingleShot(true);
  connect(m_autosaveTimer, &QTimer::timeout, this, &MainWindow::autosaveNow);
}

void MainWindow::createStatusBar() {
  m_podLabel = new QLabel(this);
  m_podLabel->setObjectName(QStringLiteral("podLabel"));
  m_podLabel->setTextFormat(Qt::PlainText);
  QFont bold = m_podLabel->font();
  bold.setBold(true);
  m_podLabel->setFont(bold);
  m_podLabel->setContentsMargins(6, 0, 2, 0);
  m_phaseLabel = new QLabel(this);
  m_phaseLabel->setObjectName(QStringLiteral("phaseLabel"));
  m_detailLabel = new QLabel(this);
  m_detailLabel->setObjectName(QStringLiteral("detailLabel"));
  m_detailLabel->setTextFormat(Qt::PlainText);
  m_runtimeLabel = new QLabel(this);
  m_runtimeLabel->setObjectName(QStringLiteral("runtimeLabel"));
  m_runtimeLabel->setStyleSheet(QStringLiteral("color: #6A737D; padding-right: 6px;"));
  statusBar()->addWidget(m_podLabel);
  statusBar()->addWidget(m_phaseLabel);
  statusBar()->addWidget(m_detailLabel, 1);
  statusBar()->addPermanentWidget(m_runtimeLabel);
  setPodStatus({}, {}, tr("Ready"), false);
}

void MainWindow::fitTimelineToLanes() {
  // Show every lane when the lanes change, up to two thirds of the tab; the
  // table keeps the rest and the lanes scroll beyond that.
  const QList<int> sizes = m_timelineSplit->sizes();
  const int total = sizes.value(0) + sizes.value(1);
  if (total <= 0) return;
  const int wanted = std::min(m_runPanels->timeline()->sizeHint().height() + 2, total * 4 / 5);
  m_timelineSplit->setSizes({wanted, total - wanted});
}

void MainWindow::setManifest(const QString& text, const QString& filePath) {
  ManifestEditor* current = editor();
  const int index = m_documents->currentIndex();
  current->setText(text);
  current->setModified(false);
  current->setCursorPosition(0, 0);
  m_documents->setPathAt(index, filePath);
  updateTitle();
}

ManifestEditor* MainWindow::editor() const { return m_documents->currentEditor(); }

QString MainWindow::manifestText() const { return editor()->text(); }

QString MainWindow::filePath() const { return m_documents->pathAt(m_documents->currentIndex()); }

QString MainWindow::displayName() const { return m_documents->nameAt(m_documents->currentIndex()); }

void MainWindow::updateTitle() {
  setWindowTitle(tr("%1[*] — Podscope").arg(displayName()));
  setWindowModified(m_documents->isModifiedAt(m_documents->currentIndex()));
}

void MainWindow::onCurrentDocumentChanged() {
  updateTitle();
  m_banner->dismiss();
  rebuildEditMenu();
  if (m_problems && editor()) m_problems->setEditor(editor());
}

void MainWindow::rebuildEditMenu() {
  if (!m_editMenu) return;
  m_editMenu->clear();
  ManifestEditor* current = editor();
  if (!current) return;
  for (QAction* action : current->editActions()) {
    if (action) {
      m_editMenu->addAction(action);
    } else {
      m_editMenu->addSeparator();
    }
  }
}

void MainWindow::onDocumentEdited(int index) {
  Q_UNUSED(index);
  if (m_autosave) m_autosaveTimer->start(kAutosaveDelayMs);
}

void MainWindow::newDocument() {
  m_documents->addDocument(templateText(), {});
  setPodStatus({}, {}, tr("New manifest %1").arg(displayName()), false);
  editor()->setFocus();
}

bool MainWindow::openFile(const QString& path) {
  // A saved run goes to the timeline, not the editor.
  if (looksLikeRecordFile(path)) return openRecord(path);
  const QFileInfo info(path);
  const QString name = info.fileName();
  if (const int open = m_documents->indexOfPath(path); open >= 0) {
    m_documents->setCurrentIndex(open);
    setPodStatus({}, {}, tr("%1 is open already").arg(name), false);
    return true;
  }
  FileText file = readTextFile(path);
  if (!file.problem.isEmpty()) {
    showError(file.problem);
    setPodStatus({}, {}, file.problem, true);
    return false;
  }

  const core::Manifest manifest = core::readManifest(file.text.toStdString(), name.toStdString());
  if (!worthOpeningDespiteErrors(file.text, manifest)) {
    const core::Error first = manifest.errors().front();
    const QString what = hasManifestSuffix(info)
                             ? tr("%1 was not opened: %2").arg(name, qs(first.toString()))
                             : tr("%1 does not look like a Kubernetes manifest: %2").arg(name, qs(first.toString()));
    // Offered rather than done: the usual reason to open a broken file is
    // to fix it, but a file dropped by mistake must not clutter the tabs.
    showError(what, tr("Open Anyway"), [this, path, text = file.text, manifest] {
      loadIntoEditor(text, path, manifest.errors());
    });
    setPodStatus({}, {}, qs(first.toString()), true);
    return false;
  }
  loadIntoEditor(file.text, path, manifest.errors());
  return true;
}

int MainWindow::openFiles(const QStringList& paths) {
  QStringList files;
  QStringList problems;
  for (const QString& path : paths) {
    const QFileInfo info(path);
    if (info.isDir()) {
      QStringList found;
      collectManifests(QDir(info.absoluteFilePath()), kMaxFolderDepth, found);
      if (found.isEmpty()) problems << tr("%1 holds no .yaml or .yml files").arg(info.fileName());
      files << found;
    } else {
      files << path;
    }
  }
  int opened = 0;
  QStringList notOpened;
  for (const QString& file : files) {
    if (openFile(file)) {
      ++opened;
      addRecentFile(file);
    } else {
      notOpened << m_banner->text();
    }
  }
  problems << notOpened;
  // One file that did not open: its own banner (with Open Anyway) stays.
  if (problems.size() == 1 && notOpened.size() == 1 && opened == 0) return opened;
  if (!problems.isEmpty()) {
    const QString summary = opened > 0 ? tr("Opened %n file(s). ", nullptr, opened) : QString();
    showError(summary + tr("Not opened: %1").arg(problems.join(QStringLiteral(" · "))));
  }
  return opened;
}

void MainWindow::loadIntoEditor(const QString& text, const QString& filePath, const std::vector<core::Error>& errors) {
  m_banner->dismiss();
  // The untouched template makes way; anything else keeps its tab.
  const int current = m_documents->currentIndex();
  if (current >= 0 && m_documents->isPristineAt(current)) {
    const QString pristineId = m_documents->idAt(current);
    m_documents->removeDocument(current);
    if (m_autosave) m_autosave->discard(pristineId);
  }
  m_documents->addDocument(text, filePath);
  updateTitle();
  if (!errors.empty()) {
    markManifestError(errors.front());
    const QString more = errors.size() > 1 ? tr(" (and %n more)", nullptr, static_cast<int>(errors.size() - 1)) : QString();
    m_banner->showMessage(MessageBanner::Kind::Warning,
                          tr("%1%2. Fix the marked line before running.").arg(qs(errors.front().toString()), more));
    setPodStatus({}, {}, qs(errors.front().toString()), true);
  } else {
    setPodStatus({}, {}, tr("Opened %1").arg(displayName()), false);
  }
}

void MainWindow::openDroppedUrls(const QList<QUrl>& urls) {
  QStringList paths;
  QStringList remote;
  for (const QUrl& url : urls) {
    if (url.isLocalFile()) {
      paths << url.toLocalFile();
    } else {
      remote << url.toDisplayString();
    }
  }
  if (paths.isEmpty()) {
    showError(tr("Only files on this computer can be opened; %1 is not one.")
                  .arg(urls.isEmpty() ? tr("the dropped item") : remote.join(QStringLiteral(", "))));
    return;
  }
  openFiles(paths);
  if (!remote.isEmpty() && m_banner->isHidden()) {
    showError(tr("Only files on this computer can be opened; %1 was left out.").arg(remote.join(QStringLiteral(", "))));
  }
}

void MainWindow::chooseFileToOpen() {
  const QString current = filePath();
  const QString dir = current.isEmpty() ? QString() : QFileInfo(current).absolutePath();
  const QStringList paths = QFileDialog::getOpenFileNames(this, tr("Open Manifests"), dir,
                                                          tr("Kubernetes manifests (*.yaml *.yml);;All files (*)"));
  if (!paths.isEmpty()) openFiles(paths);
}

bool MainWindow::save() { return saveDocument(m_documents->currentIndex()); }

bool MainWindow::saveAs() { return saveDocumentAs(m_documents->currentIndex()); }

bool MainWindow::saveDocument(int index) {
  const QString path = m_documents->pathAt(index);
  if (path.isEmpty()) return saveDocumentAs(index);
  return writeTo(index, path);
}

bool MainWindow::saveDocumentAs(int index) {
  const QString path = m_documents->pathAt(index);
  const QString suggested = path.isEmpty() ? m_documents->nameAt(index) : path;
  const QString chosen =
      QFileDialog::getSaveFileName(this, tr("Save Manifest"), suggested, tr("Kubernetes manifests (*.yaml *.yml)"));
  if (chosen.isEmpty()) return false;
  return writeTo(index, chosen);
}

bool MainWindow::writeTo(int index, const QString& path) {
  ManifestEditor* target = m_documents->editorAt(index);
  if (!target) return false;
  // QSaveFile writes next to the target and renames, so a failed save never
  // leaves half a manifest behind.
  QSaveFile file(path);
  if (!file.open(QIODevice::WriteOnly) || file.write(target->text().toUtf8()) < 0 || !file.commit()) {
    showError(tr("Cannot save %1: %2.").arg(QFileInfo(path).fileName(), file.errorString()));
    return false;
  }
  m_documents->setPathAt(index, path);
  target->setModified(false);
  if (m_autosave) m_autosave->discard(m_documents->idAt(index));
  addRecentFile(path);
  updateTitle();
  setPodStatus({}, {}, tr("Saved %1").arg(m_documents->nameAt(index)), false);
  return true;
}

bool MainWindow::confirmDiscardChanges(const QList<int>& indexes) {
  QList<int> modified;
  for (int index : indexes) {
    if (m_documents->isModifiedAt(index)) modified << index;
  }
  if (modified.isEmpty()) return true;
  QStringList names;
  for (int index : modified) names << m_documents->nameAt(index);
  DiscardAnswer answer = DiscardAnswer::Cancel;
  if (m_discardPrompt) {
    answer = m_discardPrompt(names);
  } else {
    const QString question = names.size() == 1
                                 ? tr("%1 has changes that are not saved. Save them first?").arg(names.front())
                                 : tr("%1 manifests have changes that are not saved: %2. Save them first?")
                                       .arg(names.size())
                                       .arg(names.join(QStringLiteral(", ")));
    const auto button = QMessageBox::warning(this, tr("Unsaved Changes"), question,
                                             QMessageBox::Save | QMessageBox::Discard | QMessageBox::Cancel,
                                             QMessageBox::Save);
    answer = button == QMessageBox::Save      ? DiscardAnswer::Save
             : button == QMessageBox::Discard ? DiscardAnswer::Discard
                                              : DiscardAnswer::Cancel;
  }
  if (answer == DiscardAnswer::Cancel) return false;
  if (answer == DiscardAnswer::Save) {
    for (int index : modified) {
      if (!saveDocument(index)) return false;
    }
  }
  return true;
}

bool MainWindow::closeDocument(int index) {
  if (index < 0 || index >= m_documents->count()) return false;
  if (!confirmDiscardChanges({index})) return false;
  const QString id = m_documents->idAt(index);
  m_documents->removeDocument(index);
  if (m_autosave) m_autosave->discard(id);
  // A window always has a tab to type in.
  if (m_documents->count() == 0) m_documents->addDocument(templateText(), {}, /*pristine=*/true);
  return true;
}

void MainWindow::closeEvent(QCloseEvent* event) {
  QList<int> all;
  for (int i = 0; i < m_documents->count(); ++i) all << i;
  if (!confirmDiscardChanges(all)) {
    event->ignore();
    return;
  }
  m_runner->stop();
  if (m_persistSettings) saveSettings();
  // Closed normally: the copies of unsaved buffers go with the session
  // (AutosaveStore's destructor); discarded buffers are not offered again.
  m_autosave.reset();
  event->accept();
}

void MainWindow::changeEvent(QEvent* event) {
  // The desktop's colours changed: follow them when the theme says System.
  if (event->type() == QEvent::ThemeChange && m_themeGroup && m_themeGroup->checkedAction() &&
      static_cast<Theme>(m_themeGroup->checkedAction()->data().toInt()) == Theme::System) {
    ui::applyTheme(Theme::System);
  }
  QMainWindow::changeEvent(event);
}

void MainWindow::dragEnterEvent(QDragEnterEvent* event) {
  if (event->mimeData()->hasUrls()) event->acceptProposedAction();
}

void MainWindow::dragMoveEvent(QDragMoveEvent* event) {
  if (event->mimeData()->hasUrls()) event->acceptProposedAction();
}

void MainWindow::dropEvent(QDropEvent* event) {
  if (!event->mimeData()->hasUrls()) return;
  event->acceptProposedAction();
  const QList<QUrl> urls = event->mimeData()->urls();
  // A manifest dropped on the timeline of a running Deployment may be a
  // new revision of it: ask (ux.md), and apply it if so.
  QWidget* target = childAt(event->position().toPoint());
  TimelineWidget* timeline = m_runPanels->timeline();
  if (isRunningDeployment() && urls.size() == 1 && urls.front().isLocalFile() && target &&
      (target == timeline || timeline->isAncestorOf(target)) && hasManifestSuffix(QFileInfo(urls.front().toLocalFile()))) {
    const QString path = urls.front().toLocalFile();
    const QString name = QFileInfo(path).fileName();
    const QString deployment = qs(m_runningDeployment->metadata.name);
    bool apply = false;
    if (m_applyPrompt) {
      apply = m_applyPrompt(name, deployment);
    } else {
      apply = QMessageBox::question(this, tr("Apply to the Running Deployment"),
                                    tr("Apply %1 to the running Deployment %2, as kubectl apply does? A changed "
                                       "template rolls out a new revision; a changed replicas count scales.\n\n"
                                       "No opens the file in a tab instead.")
                                        .arg(name, deployment),
                                    QMessageBox::Yes | QMessageBox::No, QMessageBox::Yes) == QMessageBox::Yes;
    }
    if (apply) {
      const FileText file = readTextFile(path);
      if (!file.problem.isEmpty()) {
        showError(file.problem);
        return;
      }
      applyManifestToRunningDeployment(file.text, name, path);
      return;
    }
  }
  openDroppedUrls(urls);
}

// --- the Manifests panel ------------------------------------------------------

void MainWindow::refreshManifestsTree() {
  if (!m_manifestsTree) return;
  m_manifestsTree->clear();
  for (int i = 0; i < m_documents->count(); ++i) {
    auto* fileItem = new QTreeWidgetItem(m_manifestsTree);
    const QString name = m_documents->nameAt(i);
    fileItem->setText(0, m_documents->isModifiedAt(i) ? QStringLiteral("%1 ●").arg(name) : name);
    fileItem->setToolTip(0, m_documents->pathAt(i).isEmpty() ? tr("not saved yet") : m_documents->pathAt(i));
    fileItem->setData(0, Qt::UserRole, i);
    fileItem->setData(0, Qt::UserRole + 1, 0);
    QFont bold = fileItem->font(0);
    bold.setBold(i == m_documents->currentIndex());
    fileItem->setFont(0, bold);
    // The editor's latest background read; none yet means one is on its way
    // and its result refreshes the panel.
    const std::shared_ptr<const Analysis> analysis = m_documents->editorAt(i)->analyzer()->latest();
    if (!analysis) {
      fileItem->setExpanded(true);
      continue;
    }
    bool firstRunnable = true;
    for (const core::Document& doc : analysis->manifest.documents) {
      auto* item = new QTreeWidgetItem(fileItem);
      const QString kind = doc.kind.empty() ? tr("(no kind)") : qs(doc.kind);
      const QString objectName = doc.name.empty() ? tr("(no name)") : qs(doc.name);
      item->setText(0, tr("%1 %2").arg(kind, objectName));
      item->setData(0, Qt::UserRole, i);
      item->setData(0, Qt::UserRole + 1, doc.range.begin.line);
      const bool runnableKind = doc.kind == "Pod" || doc.kind == "Deployment";
      if (runnableKind && firstRunnable) {
        firstRunnable = false;
        item->setToolTip(0, doc.kind == "Pod" ? tr("Run runs this pod")
                                              : tr("Run runs this Deployment; while it runs, Apply "
                                                   "(Ctrl+Shift+Enter) rolls out the edited one"));
      } else {
        item->setForeground(0, m_manifestsTree->palette().brush(QPalette::Disabled, QPalette::Text));
        item->setToolTip(0, runnableKind ? tr("Run runs the first Pod or Deployment of the file, not this one")
                                         : tr("%1 objects are not run; Podscope runs Pods and Deployments").arg(kind));
      }
    }
    fileItem->setExpanded(true);
  }
}

void MainWindow::onManifestItemActivated(QTreeWidgetItem* item) {
  if (!item) return;
  const int index = item->data(0, Qt::UserRole).toInt();
  if (index < 0 || index >= m_documents->count()) return;
  m_documents->setCurrentIndex(index);
  const int line = item->data(0, Qt::UserRole + 1).toInt();
  if (line > 0) {
    editor()->setCursorPosition(line - 1, 0);
    editor()->ensureLineVisible(line - 1);
  }
  editor()->setFocus();
}

// --- autosave, recent files, settings -----------------------------------------

void MainWindow::enableAutosave(const QString& root) {
  m_autosave = std::make_unique<AutosaveStore>(root);
  if (!m_autosave->isUsable()) {
    setPodStatus({}, {}, tr("Unsaved changes are not copied to disk: %1").arg(m_autosave->problem()), true);
  }
}

void MainWindow::autosaveNow() {
  if (!m_autosave) return;
  for (int i = 0; i < m_documents->count(); ++i) {
    if (!m_documents->isModifiedAt(i)) continue;
    m_autosave->save(m_documents->idAt(i), m_documents->editorAt(i)->text(), m_documents->pathAt(i),
                     m_documents->nameAt(i));
  }
}

int MainWindow::recoverUnsavedBuffers() {
  if (!m_autosave) return 0;
  const std::vector<RecoveredBuffer> buffers = m_autosave->recoverable();
  for (const RecoveredBuffer& buffer : buffers) {
    const int current = m_documents->currentIndex();
    if (current >= 0 && m_documents->isPristineAt(current)) m_documents->removeDocument(current);
    // Loaded as the file is on disk (or empty), then changed to the copy:
    // the tab shows it changed, and Undo goes back to the file.
    QString onDisk;
    if (!buffer.originalPath.isEmpty()) {
      const FileText file = readTextFile(buffer.originalPath);
      if (file.problem.isEmpty()) onDisk = file.text;
    }
    const int index = m_documents->addDocument(onDisk, buffer.originalPath);
    ManifestEditor* restored = m_documents->editorAt(index);
    restored->selectAll();
    restored->replaceSelectedText(buffer.text);
    restored->setCursorPosition(0, 0);
    // Copied into this session at once, so a second crash loses nothing.
    m_autosave->save(m_documents->idAt(index), buffer.text, buffer.originalPath, m_documents->nameAt(index));
  }
  m_autosave->forgetRecovered(buffers);
  if (!buffers.empty()) {
    m_banner->dismiss();
    setPodStatus({}, {}, tr("Reopened %1 unsaved manifest(s)").arg(buffers.size()), false);
  }
  return static_cast<int>(buffers.size());
}

int MainWindow::offerRecovery() {
  if (!m_autosave) return 0;
  const std::vector<RecoveredBuffer> buffers = m_autosave->recoverable();
  if (buffers.empty()) return 0;
  QStringList names;
  for (const RecoveredBuffer& buffer : buffers) names << buffer.name;
  m_banner->showMessage(MessageBanner::Kind::Warning,
                        tr("Podscope did not close normally last time and kept %1 unsaved manifest(s): %2.")
                            .arg(buffers.size())
                            .arg(names.join(QStringLiteral(", "))),
                        tr("Reopen Them"), [this] { recoverUnsavedBuffers(); });
  return static_cast<int>(buffers.size());
}

void MainWindow::addRecentFile(const QString& path) {
  const QString absolute = QFileInfo(path).absoluteFilePath();
  m_recentFiles.removeAll(absolute);
  m_recentFiles.prepend(absolute);
  while (m_recentFiles.size() > kMaxRecentFiles) m_recentFiles.removeLast();
  rebuildRecentMenu();
}

void MainWindow::rebuildRecentMenu() {
  if (!m_recentMenu) return;
  m_recentMenu->clear();
  for (int i = 0; i < m_recentFiles.size(); ++i) {
    const QString path = m_recentFiles.at(i);
    const QString number = i < 9 ? QStringLiteral("&%1").arg(i + 1) : QString::number(i + 1);
    QAction* action = m_recentMenu->addAction(tr("%1 %2").arg(number, QFileInfo(path).fileName()));
    action->setToolTip(path);
    action->setStatusTip(path);
    connect(action, &QAction::triggered, this, [this, path] {
      if (!QFileInfo::exists(path)) {
        m_recentFiles.removeAll(path);
        rebuildRecentMenu();
        showError(tr("%1 is no longer there; it was taken off the recent files.").arg(path));
        return;
      }
      openFiles({path});
    });
  }
  if (!m_recentFiles.isEmpty()) {
    m_recentMenu->addSeparator();
    m_recentMenu->addAction(tr("&Clear Recent Files"), this, [this] {
      m_recentFiles.clear();
      rebuildRecentMenu();
    });
  }
  m_recentMenu->setEnabled(!m_recentFiles.isEmpty());
}

void MainWindow::restoreSettings(bool includeRuntime) {
  m_persistSettings = true;
  QSettings settings;
  if (includeRuntime && settings.contains(QStringLiteral("runtime/kind"))) {
    ContainerdSettings containerd = containerdSettings();
    containerd.address = settings.value(QStringLiteral("runtime/address"), containerd.address).toString();
    containerd.containerdNamespace =
        settings.value(QStringLiteral("runtime/namespace"), containerd.containerdNamespace).toString();
    containerd.stateDir = settings.value(QStringLiteral("runtime/stateDir"), containerd.stateDir).toString();
    const bool wantsContainerd = settings.value(QStringLiteral("runtime/kind")).toString() == QLatin1String("containerd");
    setRuntime(wantsContainerd && containerdAvailable() ? RuntimeKind::Containerd : RuntimeKind::Simulated, containerd);
  }
  restoreGeometry(settings.value(QStringLiteral("window/geometry")).toByteArray());
  restoreState(settings.value(QStringLiteral("window/state")).toByteArray());
  if (auto* split = findChild<QSplitter*>(QStringLiteral("mainSplitter"))) {
    split->restoreState(settings.value(QStringLiteral("window/mainSplitter")).toByteArray());
  }
  m_recentFiles = settings.value(QStringLiteral("recentFiles")).toStringList();
  while (m_recentFiles.size() > kMaxRecentFiles) m_recentFiles.removeLast();
  rebuildRecentMenu();
  const Theme theme = themeFromSetting(settings.value(QStringLiteral("view/theme")).toString());
  for (QAction* action : m_themeGroup->actions()) action->setChecked(action->data().toInt() == static_cast<int>(theme));
  applyTheme(static_cast<int>(theme));
}

void MainWindow::saveSettings() const {
  QSettings settings;
  settings.setValue(QStringLiteral("window/geometry"), saveGeometry());
  settings.setValue(QStringLiteral("window/state"), saveState());
  if (auto* split = findChild<QSplitter*>(QStringLiteral("mainSplitter"))) {
    settings.setValue(QStringLiteral("window/mainSplitter"), split->saveState());
  }
  settings.setValue(QStringLiteral("recentFiles"), m_recentFiles);
  settings.setValue(QStringLiteral("runtime/kind"),
                    runtime() == RuntimeKind::Containerd ? QStringLiteral("containerd") : QStringLiteral("simulated"));
  settings.setValue(QStringLiteral("runtime/address"), containerdAddress());
  settings.setValue(QStringLiteral("runtime/namespace"), m_containerdNamespace);
  settings.setValue(QStringLiteral("runtime/stateDir"), m_stateDir);
  if (m_themeGroup->checkedAction()) {
    settings.setValue(QStringLiteral("view/theme"),
                      themeSettingName(static_cast<Theme>(m_themeGroup->checkedAction()->data().toInt())));
  }
}

void MainWindow::applyTheme(int theme) {
  ui::applyTheme(static_cast<Theme>(theme));
  for (int i = 0; i < m_documents->count(); ++i) m_documents->editorAt(i)->update();
}

void MainWindow::setRuntime(RuntimeKind runtime, const QString& containerdAddress) {
  ContainerdSettings settings = containerdSettings();
  if (!containerdAddress.isEmpty()) settings.address = containerdAddress;
  setRuntime(runtime, settings);
}

void MainWindow::setRuntime(RuntimeKind runtime, const ContainerdSettings& containerd) {
  {
    // One look for leftovers below, with all the settings in place.
    const QSignalBlocker blocker(m_runtimeCombo);
    m_runtimeCombo->setCurrentIndex(m_runtimeCombo->findData(static_cast<int>(runtime)));
  }
  if (!containerd.address.isEmpty()) m_addressEdit->setText(containerd.address);
  m_containerdNamespace = containerd.containerdNamespace;
  m_stateDir = containerd.stateDir;
  updateRuntimeControls();
  onRuntimeChosen();
}

ContainerdSettings MainWindow::containerdSettings() const {
  return ContainerdSettings{containerdAddress(), m_containerdNamespace, m_stateDir};
}

void MainWindow::onRuntimeChosen() {
  if (runtime() == RuntimeKind::Containerd) {
    checkForLeftovers();
  } else if (m_leftovers) {
    m_leftovers->withdraw();
  }
}

void MainWindow::onAddressEdited() {
  if (runtime() == RuntimeKind::Containerd && m_leftovers && !(m_leftovers->settings() == containerdSettings())) {
    checkForLeftovers();
  }
}

void MainWindow::checkForLeftovers() {
  if (m_leftovers) m_leftovers->check(containerdSettings());
}

bool MainWindow::isBusyWithLeftovers() const { return m_leftovers && m_leftovers->isBusy(); }

RuntimeKind MainWindow::runtime() const { return static_cast<RuntimeKind>(m_runtimeCombo->currentData().toInt()); }

QString MainWindow::containerdAddress() const {
  const QString address = m_addressEdit->text().trimmed();
  return address.isEmpty() ? QString::fromLatin1(kDefaultContainerdAddress) : address;
}

void MainWindow::updateRuntimeControls() {
  const bool containerd = runtime() == RuntimeKind::Containerd;
  m_addressLabelAction->setVisible(containerd);
  m_addressEditAction->setVisible(containerd);
  if (!isRunning()) {
    m_runtimeLabel->setText(containerd ? tr("containerd · %1").arg(containerdAddress()) : tr("simulated runtime"));
  }
  m_runtimeLabel->setToolTip(containerd ? tr("containerd namespace \"%1\", state directory %2")
                                              .arg(m_containerdNamespace,
                                                   m_stateDir.isEmpty() ? tr("the default") : m_stateDir)
                                        : QString());
}

bool MainWindow::isRunning() const { return m_runner->isRunning(); }

void MainWindow::updateRunControls() {
  const bool running = isRunning();
  m_runAction->setEnabled(!running);
  m_stopAction->setEnabled(running);
  m_deleteGraceAction->setEnabled(running);
  m_forceDeleteAction->setEnabled(running);
  m_applyAction->setEnabled(isRunningDeployment());
  m_openRecordAction->setEnabled(!running);
  m_exportReportAction->setEnabled(!running && m_lastResult &&
                                   (m_lastResult->rollout ? !m_lastResult->rollout->replicaSets().empty()
                                                          : !m_lastResult->record.transitions().empty()));
  m_runtimeCombo->setEnabled(!running);
  m_addressEdit->setEnabled(!running);
  m_containerdSettingsAction->setEnabled(!running && containerdAvailable());
}

bool MainWindow::isRunningDeployment() const { return m_runner->isRunningDeployment(); }

void MainWindow::run() {
  if (isRunning()) return;
  m_banner->dismiss();
  editor()->clearProblem();

  // The first runnable object is run, as podscope-cli does: a Deployment
  // takes the rollout's path, a Pod (or nothing runnable) the pod's.
  {
    const core::Manifest manifest = core::readManifest(editor()->text().toStdString(), displayName().toStdString());
    const auto first = std::find_if(manifest.documents.begin(), manifest.documents.end(),
                                    [](const core::Document& d) { return d.runnable(); });
    if (first != manifest.documents.end() && first->deployment) {
      runDeployment(*first->deployment);
      return;
    }
  }

  core::Result<core::Pod> pod = core::readPod(editor()->text().toStdString(), displayName().toStdString());
  if (!pod) {
    markManifestError(pod.error());
    showError(tr("Cannot run: %1").arg(qs(pod.error().toString())));
    setPodStatus({}, tr("Invalid"), qs(pod.error().toString()), true);
    RunResult result;
    result.error = pod.error();
    m_lastResult = result;
    emit runFinished(result);
    return;
  }

  m_transitions->clear();
  m_runPanels->beginRun(editor()->text(), displayName(), runtime());
  m_lastReportManifest = editor()->text();
  m_lastReportManifestFile = displayName();
  m_lastResult.reset();
  m_runningPodName = qs(pod->metadata.name);
  m_runningGraceSeconds = pod->spec.terminationGracePeriodSeconds;
  RunRequest request;
  request.pod = std::move(pod).value();
  request.runtime = runtime();
  request.containerd = containerdSettings();
  request.watchFor = m_watchFor;
  m_runner->start(std::move(request));
  setPodStatus(m_runningPodName, tr("Starting"),
               runtime() == RuntimeKind::Containerd ? tr("Connecting to containerd…") : QString(), false);
  updateRunControls();
}

void MainWindow::stop(std::optional<engine::Duration> grace) {
  if (!isRunning()) return;
  m_runner->stop(grace);
  const QString what = isRunningDeployment() ? tr("the deployment") : tr("the pod");
  m_detailLabel->setText(grace ? tr("Deleting %1 (grace period %2 s)…")
                                     .arg(what)
                                     .arg(std::chrono::duration_cast<std::chrono::seconds>(*grace).count())
                               : tr("Deleting %1…").arg(what));
}

void MainWindow::forceDelete() {
  if (!isRunning()) return;
  m_runner->stop(engine::Duration::zero());
  m_detailLabel->setText(isRunningDeployment() ? tr("Force deleting the deployment…") : tr("Force deleting the pod…"));
}

void MainWindow::deleteWithGracePeriod() {
  if (!isRunning()) return;
  bool ok = false;
  const int seconds = QInputDialog::getInt(
      this, tr("Delete with Grace Period"),
      tr("Seconds the containers get to stop after SIGTERM (the pod says %1; 0 deletes at once, like --force):")
          .arg(m_runningGraceSeconds),
      static_cast<int>(m_runningGraceSeconds), 0, 24 * 3600, 1, &ok);
  if (!ok || !isRunning()) return;
  if (seconds == 0) {
    forceDelete();
  } else {
    stop(std::chrono::seconds(seconds));
  }
}

void MainWindow::editContainerdSettings() {
  ContainerdSettingsDialog dialog(containerdSettings(), this);
  if (dialog.exec() != QDialog::Accepted) return;
  setRuntime(runtime(), dialog.settings());
}

void MainWindow::restart() {
  if (!isRunning()) {
    run();
    return;
  }
  m_restartPending = true;
  stop();
  m_detailLabel->setText(tr("Deleting the pod to run it again…"));
}

void MainWindow::onTransitionRecorded(const core::Transition& transition) {
  QScrollBar* scroll = m_table->verticalScrollBar();
  const bool following = scroll->value() == scroll->maximum();
  m_transitions->append(transition);
  if (following) m_table->scrollToBottom();
  if (transition.kind == core::SubjectKind::Pod) {
    setPodStatus(m_runningPodName, qs(transition.to), qs(transition.reason), false);
  }
}

void MainWindow::showLiveStatus() {
  if (m_liveDeployment) {
    // The `kubectl get deployment` columns, AGE following the present.
    const core::DeploymentStatusLine& line = *m_liveDeployment;
    m_detailLabel->setStyleSheet(QString());
    m_detailLabel->setText(tr("READY %1 · UP-TO-DATE %2 · AVAILABLE %3 · AGE %4")
                               .arg(qs(line.ready), qs(line.upToDate), qs(line.available),
                                    qs(core::formatAge(core::RunTime(m_runPanels->present())))));
    return;
  }
  if (!m_liveStatus) return;
  const core::PodStatusLine& line = *m_liveStatus;
  m_detailLabel->setStyleSheet(QString());
  m_detailLabel->setText(tr("READY %1 · STATUS %2 · RESTARTS %3 · AGE %4")
                             .arg(qs(line.ready), qs(line.status), qs(line.restarts),
                                  qs(core::formatAge(core::RunTime(m_runPanels->present())))));
}

void MainWindow::onRunFinished(const RunResult& result) {
  if (result.rollout || m_runningDeployment) {
    onRolloutFinished(result);
    return;
  }
  m_lastResult = result;
  m_liveStatus.reset();
  updateRunControls();
  if (std::exchange(m_restartPending, false) && !result.error) {
    if (m_transitions->transitions() != result.record.transitions()) {
      m_transitions->setTransitions(result.record.transitions());
    }
    emit runFinished(result);
    run();
    return;
  }
  const core::RunRecord& record = result.record;
  // The live rows and the returned record come from the same appends; if a
  // row went missing on the way, the record is the truth.
  if (m_transitions->transitions() != record.transitions()) m_transitions->setTransitions(record.transitions());

  if (result.error) {
    const QString text = qs(result.error->toString());
    showError(runtime() == RuntimeKind::Containerd && record.transitions().empty()
                  ? tr("Could not run on containerd: %1. Check the socket in the toolbar, "
                       "or choose the Simulated runtime.").arg(text)
                  : text);
    setPodStatus(m_runningPodName, tr("Error"), text, true);
    updateRuntimeControls();
    emit runFinished(result);
    return;
  }
  if (!record.runtimeName.empty()) m_runtimeLabel->setText(qs(record.runtimeName));
  QString detail = qs(record.outcomeMessage);
  if (!record.statusLines().empty()) {
    // The columns `kubectl get pod` would show at the end of the run.
    const core::PodStatusLine& last = record.statusLines().back();
    const QString line = tr("READY %1 · STATUS %2 · RESTARTS %3 · AGE %4")
                             .arg(qs(last.ready), qs(last.status), qs(last.restarts),
                                  qs(core::formatAge(record.lastTime())));
    detail = detail.isEmpty() ? line : tr("%1 · %2").arg(line, detail);
  }
  if (!record.transitions().empty()) {
    const QString span = qs(core::formatRunTime(record.lastTime()));
    detail = detail.isEmpty() ? tr("ended at %1").arg(span) : tr("%1 · ended at %2").arg(detail, span);
  }
  setPodStatus(qs(record.podName.empty() ? m_runningPodName.toStdString() : record.podName),
               qs(std::string(core::toString(record.outcome))), detail, record.outcome == core::RunOutcome::Failed);
  emit runFinished(result);
}

void MainWindow::showError(const QString& text, const QString& actionText, std::function<void()> action) {
  m_banner->showMessage(MessageBanner::Kind::Error, text, actionText, std::move(action));
}

void MainWindow::markManifestError(const core::Error& error) {
  if (!error.pos || !error.pos->known()) return;
  editor()->showProblem(error.pos->line, error.pos->column, qs(error.message));
}

void MainWindow::setPodStatus(const QString& podName, const QString& phase, const QString& detail, bool detailIsError) {
  m_podLabel->setText(podName);
  m_podLabel->setVisible(!podName.isEmpty());
  if (phase.isEmpty()) {
    m_phaseLabel->hide();
  } else {
    LaneState state = classifyState(core::SubjectKind::Pod, phase, {}, {});
    if (phase == QLatin1String("Stopped") || phase == QLatin1String("Deleted")) state = LaneState::Succeeded;
    if (phase == QLatin1String("Error") || phase == QLatin1String("Invalid")) state = LaneState::Failed;
    const QColor paper = state == LaneState::Unknown ? QColor(0x9A, 0xA0, 0xA6) : stateColor(state);
    const bool lightPaper = state == LaneState::Pending || state == LaneState::Waiting;
    m_phaseLabel->setStyleSheet(QStringLiteral("QLabel { background: %1; color: %2; border-radius: 8px; "
                                               "padding: 1px 8px; font-weight: 600; }")
                                    .arg(paper.name(), lightPaper ? QStringLiteral("#24292E") : QStringLiteral("white")));
    m_phaseLabel->setText(phase);
    m_phaseLabel->show();
  }
  m_detailLabel->setText(detail);
  m_detailLabel->setStyleSheet(detailIsError ? QStringLiteral("color: #B3261E;") : QString());
}

QString MainWindow::statusText() const {
  QStringList parts;
  if (!m_podLabel->text().isEmpty()) parts << m_podLabel->text();
  if (!m_phaseLabel->isHidden()) parts << m_phaseLabel->text();
  if (!m_detailLabel->text().isEmpty()) parts << m_detailLabel->text();
  parts << m_runtimeLabel->text();
  return parts.join(QStringLiteral(" · "));
}

std::shared_ptr<core::HistoryStore> MainWindow::historyStore(QString* problem) {
  if (!m_historyStoreTried) {
    m_historyStoreTried = true;
    const std::string path = core::HistoryStore::defaultPath();
    if (path.empty()) {
      m_historyProblem = tr("No history: neither XDG_DATA_HOME nor HOME names a folder to keep it in.");
    } else if (core::Result<core::HistoryStore> store = core::HistoryStore::open(path); !store) {
      m_historyProblem = tr("The rollout history cannot be read: %1").arg(qs(store.error().toString()));
    } else {
      m_historyStore = std::make_shared<core::HistoryStore>(std::move(*store));
    }
  }
  if (problem) *problem = m_historyProblem;
  return m_historyStore;
}

void MainWindow::openHistory() {
  if (m_historyOpened) return;
  m_historyOpened = true;
  QString problem;
  std::shared_ptr<core::HistoryStore> store = historyStore(&problem);
  m_history->setStore(store, problem);
  if (store && m_lastDeploymentKey) m_history->showDeployment(*m_lastDeploymentKey);
}

// --- Deployments ----------------------------------------------------------------

void MainWindow::runDeployment(const core::Deployment& deployment) {
  m_transitions->clear();
  m_runPanels->beginRollout(deployment);
  m_lastReportManifest = editor()->text();
  m_lastReportManifestFile = displayName();
  m_lastResult.reset();
  m_liveStatus.reset();
  m_liveDeployment.reset();
  m_runningDeployment = deployment;
  m_runningManifestPath = filePath();
  m_runningPodName = qs(deployment.metadata.name);
  m_runningGraceSeconds = deployment.spec.podTemplate.spec.terminationGracePeriodSeconds;
  m_historyRevision = 0;
  m_outcomeSettled = false;
  DeploymentRunRequest request;
  request.deployment = deployment;
  request.runtime = runtime();
  request.containerd = containerdSettings();
  request.watchFor = m_watchFor;
  request.simulatedSpeed = m_rolloutSpeed;
  m_runner->startDeployment(std::move(request));
  recordRevision(deployment);
  setPodStatus(m_runningPodName, tr("Starting"),
               runtime() == RuntimeKind::Containerd ? tr("Connecting to containerd…") : tr("Creating the deployment…"),
               false);
  updateRunControls();
}

bool MainWindow::applyToRunningDeployment() {
  return applyManifestToRunningDeployment(editor()->text(), displayName(), filePath());
}

bool MainWindow::applyManifestToRunningDeployment(const QString& text, const QString& fileName, const QString& path) {
  if (!isRunningDeployment() || !m_runningDeployment) {
    showError(tr("No Deployment is running: Run (F5) starts one."));
    return false;
  }
  const core::Manifest manifest = core::readManifest(text.toStdString(), fileName.toStdString());
  const auto found = std::find_if(manifest.documents.begin(), manifest.documents.end(),
                                  [](const core::Document& d) { return d.deployment.has_value(); });
  if (found == manifest.documents.end()) {
    const std::optional<core::Error> error = manifest.firstError();
    showError(error ? tr("Cannot apply %1: %2").arg(fileName, qs(error->toString()))
                    : tr("Cannot apply %1: it holds no Deployment.").arg(fileName));
    return false;
  }
  m_runningManifestPath = path;
  // The report shows the manifest the Deployment ended with.
  m_lastReportManifest = text;
  m_lastReportManifestFile = fileName;
  m_runner->applyDeployment(*found->deployment);
  m_detailLabel->setText(tr("Applying %1…").arg(fileName));
  return true;
}

void MainWindow::onDeploymentAnswered(const core::Deployment& deployment, const QString& answer, bool error) {
  if (error) {
    showError(tr("kubectl apply would say: error: %1").arg(answer));
    return;
  }
  m_banner->showMessage(MessageBanner::Kind::Information, answer);
  const bool templateChanged =
      m_runningDeployment && !core::equalIgnoreHash(m_runningDeployment->spec.podTemplate, deployment.spec.podTemplate);
  m_runningDeployment = deployment;
  if (templateChanged) recordRevision(deployment);
}

void MainWindow::onRolledBack(const QString& ns, const QString& name, qint64 revision) {
  if (!isRunningDeployment() || !m_runningDeployment || qs(m_runningDeployment->metadata.namespaceName) != ns ||
      qs(m_runningDeployment->metadata.name) != name) {
    return;
  }
  std::shared_ptr<core::HistoryStore> store = historyStore();
  if (!store) return;
  const core::DeploymentKey key{ns.toStdString(), name.toStdString()};
  core::Result<std::optional<core::DeploymentHistory>> history = store->history(key);
  if (!history || !*history) return;
  const auto& revisions = (*history)->revisions;
  const auto it = std::find_if(revisions.begin(), revisions.end(),
                               [revision](const core::Revision& r) { return r.number == revision; });
  if (it == revisions.end()) return;
  std::optional<core::PodTemplateSpec> restored = podTemplateFromYaml(it->templateYaml);
  if (!restored) {
    showError(tr("Revision %1 of %2 could not be read back, so the running Deployment was left as it is.")
                  .arg(revision)
                  .arg(name));
    return;
  }
  // What kubectl rollout undo sends: the old template, with its change-cause.
  core::Deployment rolledBack = *m_runningDeployment;
  rolledBack.spec.podTemplate = std::move(*restored);
  if (it->changeCause.empty()) {
    rolledBack.metadata.annotations.erase(std::string(core::kChangeCauseAnnotation));
  } else {
    rolledBack.metadata.annotations[std::string(core::kChangeCauseAnnotation)] = it->changeCause;
  }
  m_runner->applyDeployment(std::move(rolledBack));
}

void MainWindow::recordRevision(const core::Deployment& deployment) {
  const core::DeploymentKey key{deployment.metadata.namespaceName, deployment.metadata.name};
  m_lastDeploymentKey = key;
  QString problem;
  std::shared_ptr<core::HistoryStore> store = historyStore(&problem);
  if (!store) {
    if (!problem.isEmpty()) m_banner->showMessage(MessageBanner::Kind::Warning, problem);
    return;
  }
  const core::PodTemplateSpec& podTemplate = deployment.spec.podTemplate;
  core::AppliedTemplate applied;
  applied.templateYaml = core::canonicalYaml(podTemplate);
  applied.templateHash = core::podTemplateHash(podTemplate);
  applied.changeCause = deployment.changeCause();
  for (const core::Container& c : podTemplate.spec.containers) applied.images.push_back(c.image);
  applied.manifestPath = m_runningManifestPath.toStdString();
  applied.revisionHistoryLimit = deployment.spec.revisionHistoryLimit;
  core::Result<core::RecordResult> recorded = store->record(key, applied);
  if (!recorded) {
    m_banner->showMessage(MessageBanner::Kind::Warning,
                          tr("The rollout history was not updated: %1").arg(qs(recorded.error().message)));
    return;
  }
  if (recorded->decision.kind != core::ApplyDecision::Kind::Unchanged || m_historyRevision == 0) {
    m_historyRevision = recorded->decision.number;
    m_outcomeSettled = false;
  }
  if (m_historyOpened) {
    m_history->reload();
    m_history->showDeployment(key);
  }
}

void MainWindow::setRevisionOutcome(core::RevisionOutcome outcome) {
  if (!m_lastDeploymentKey || m_historyRevision == 0 || !m_historyStore) return;
  if (!m_historyStore->setOutcome(*m_lastDeploymentKey, m_historyRevision, outcome)) return;
  if (m_historyOpened) m_history->reload();
}

void MainWindow::onRolloutAppended(const RolloutBatch& batch) {
  for (const RolloutEntry& entry : batch) {
    if (const auto* line = std::get_if<core::DeploymentStatusLine>(&entry)) {
      if (!m_liveDeployment) setPodStatus(m_runningPodName, tr("Running"), {}, false);
      m_liveDeployment = *line;
    } else if (const auto* condition = std::get_if<core::DeploymentCondition>(&entry)) {
      // How the current revision's rollout went, for the History tab.
      if (condition->type != "Progressing" || m_outcomeSettled) continue;
      if (condition->reason == "NewReplicaSetAvailable") {
        m_outcomeSettled = true;
        setRevisionOutcome(core::RevisionOutcome::Complete);
      } else if (condition->reason == "ProgressDeadlineExceeded") {
        m_outcomeSettled = true;
        setRevisionOutcome(core::RevisionOutcome::ProgressDeadlineExceeded);
      }
    }
  }
  if (m_liveDeployment) showLiveStatus();
}

void MainWindow::onRolloutFinished(const RunResult& result) {
  m_lastResult = result;
  m_liveDeployment.reset();
  const std::optional<core::Deployment> ran = std::exchange(m_runningDeployment, std::nullopt);
  updateRunControls();
  // A rollout that neither completed nor ran out of its deadline was stopped.
  if (!m_outcomeSettled) setRevisionOutcome(core::RevisionOutcome::Stopped);
  m_outcomeSettled = true;
  if (m_historyOpened) {
    m_history->reload();
    if (m_lastDeploymentKey) m_history->showDeployment(*m_lastDeploymentKey);
  }
  if (std::exchange(m_restartPending, false) && !result.error) {
    emit runFinished(result);
    run();
    return;
  }
  const QString name = ran ? qs(ran->metadata.name) : m_runningPodName;
  if (result.error || !result.rollout) {
    const QString text = result.error ? qs(result.error->toString()) : tr("the run ended without a record");
    showError(runtime() == RuntimeKind::Containerd
                  ? tr("Could not run on containerd: %1. Check the socket in the toolbar, "
                       "or choose the Simulated runtime.").arg(text)
                  : text);
    setPodStatus(name, tr("Error"), text, true);
    updateRuntimeControls();
    emit runFinished(result);
    return;
  }
  const core::RolloutRecord& rollout = *result.rollout;
  if (!rollout.runtimeName.empty()) m_runtimeLabel->setText(qs(rollout.runtimeName));
  QString detail = qs(rollout.outcomeMessage);
  if (!rollout.statusLines().empty()) {
    const core::DeploymentStatusLine& last = rollout.statusLines().back();
    const QString line = tr("READY %1 · UP-TO-DATE %2 · AVAILABLE %3")
                             .arg(qs(last.ready), qs(last.upToDate), qs(last.available));
    detail = detail.isEmpty() ? line : tr("%1 · %2").arg(line, detail);
  }
  const QString span = qs(core::formatRunTime(m_runPanels->timelineModel()->end()));
  detail = detail.isEmpty() ? tr("ended at %1").arg(span) : tr("%1 · ended at %2").arg(detail, span);
  setPodStatus(name, qs(std::string(core::toString(rollout.outcome))), detail, false);
  emit runFinished(result);
}

bool MainWindow::openRecord(const QString& path) {
  if (m_runner->isRunning()) {
    showError(tr("A run is in progress: stop it before opening a saved one."));
    return false;
  }
  core::Result<core::AnyRecord> record = readRecordFile(path);
  if (!record) {
    showError(tr("Cannot open the run record %1").arg(qs(record.error().message)));
    return false;
  }
  RunResult shown;
  if (auto* rollout = std::get_if<core::RolloutRecord>(&*record)) {
    shown.record.outcome = rollout->outcome;
    shown.record.outcomeMessage = rollout->outcomeMessage;
    shown.rollout = std::move(*rollout);
  } else {
    shown.record = std::move(std::get<core::RunRecord>(*record));
  }
  m_lastResult = std::move(shown);
  m_lastReportManifest.clear();
  m_lastReportManifestFile.clear();
  QString detail = tr("opened from %1").arg(QFileInfo(path).fileName());
  m_transitions->clear();
  if (const std::optional<core::RolloutRecord>& rollout = m_lastResult->rollout) {
    m_runningPodName = qs(rollout->deploymentName);
    m_runPanels->showRollout(*rollout);
    if (!rollout->statusLines().empty()) {
      const core::DeploymentStatusLine& last = rollout->statusLines().back();
      detail += tr(" · READY %1 · UP-TO-DATE %2 · AVAILABLE %3").arg(qs(last.ready), qs(last.upToDate), qs(last.available));
    }
    if (!rollout->runtimeName.empty()) detail += tr(" · ran on the %1 runtime").arg(qs(rollout->runtimeName));
  } else {
    const core::RunRecord& pod = m_lastResult->record;
    m_runningPodName = qs(pod.podName);
    m_runPanels->showRecord(pod);
    m_transitions->setTransitions(pod.transitions());
    if (!pod.runtimeName.empty()) detail += tr(" · ran on the %1 runtime").arg(qs(pod.runtimeName));
  }
  setPodStatus(m_runningPodName, qs(std::string(core::toString(m_lastResult->record.outcome))), detail,
               m_lastResult->record.outcome == core::RunOutcome::Failed);
  m_bottomTabs->setCurrentIndex(0);
  updateRunControls();
  return true;
}

bool MainWindow::exportReport(const QString& path, double pngScale) {
  if (!m_lastResult || (!m_lastResult->rollout && m_lastResult->record.transitions().empty())) {
    showError(tr("Nothing to export: run a pod or a Deployment first, or open a saved record."));
    return false;
  }
  ReportSource source;
  source.manifestText = m_lastReportManifest;
  source.manifestFile = m_lastReportManifestFile;
  source.pngScale = pngScale;
  const core::ReportRecord record = m_lastResult->rollout ? core::ReportRecord(&*m_lastResult->rollout)
                                                          : core::ReportRecord(&m_lastResult->record);
  const core::Status written = writeReport(record, path, source);
  if (!written) {
    showError(tr("The report was not written: %1").arg(qs(written.error().message)));
    return false;
  }
  m_banner->showMessage(MessageBanner::Kind::Information, tr("Report written to %1").arg(QDir::toNativeSeparators(path)));
  return true;
}

ManualWindow* MainWindow::showManual(const QString& page) {
  if (!m_manual) m_manual = new ManualWindow(this);
  if (!page.isEmpty()) m_manual->openPage(page);
  m_manual->show();
  m_manual->raise();
  m_manual->activateWindow();
  return m_manual;
}

void MainWindow::showGettingStarted() {
  QMessageBox* box = new QMessageBox(QMessageBox::NoIcon, tr("Getting Started"),
      tr("<h3>What Podscope shows</h3>"
         "<p>What a Kubernetes pod will do, step by step, before and without a cluster: init containers in "
         "order, postStart and preStop hooks, probes, restarts with back-off and graceful termination, in "
         "the words <code>kubectl</code> uses.</p>"
         "<h3>Try it</h3>"
         "<ol>"
         "<li>Open a manifest (Ctrl+O) or drop files or folders on the window. The editor checks it as you "
         "type; the Problems panel lists what is wrong, and Ctrl+Space completes fields.</li>"
         "<li>Pick a runtime in the toolbar: <b>Simulated</b> plays the pod on virtual time in an instant; "
         "<b>containerd</b> runs it for real (Run → containerd Settings… for the socket).</li>"
         "<li>Press Run (F5). The timeline draws each container's states, probe attempts (dots), hooks, "
         "signals and events; click anything to see its output. Events, Logs and Details are beside it.</li>"
         "<li>Delete (Shift+F5) stops the pod as <code>kubectl delete</code> does; Restart (Ctrl+F5) runs it "
         "again.</li>"
         "</ol>"
         "<h3>Simulating behaviour</h3>"
         "<p>A <code>podscope.dev/simulate</code> annotation tells the simulator what the containers do "
         "(<i>readiness fails until 12s</i>, <i>exits 1 after 5s</i>); see the examples folder and "
         "docs/simulation.md. The command line, <code>podscope-cli</code>, runs the same engine for "
         "scripts.</p>"),
      QMessageBox::Close, this);
  box->setObjectName(QStringLiteral("gettingStartedBox"));
  box->setAttribute(Qt::WA_DeleteOnClose);
  box->setTextFormat(Qt::RichText);
  box->setModal(false);
  box->show();
}

void MainWindow::showAbout() {
  QMessageBox::about(this, tr("About Podscope"),
                     tr("<h3>Podscope %1</h3>"
                        "<p>See what a Kubernetes pod will do, before and without a cluster: "
                        "init containers in order, container states, restarts and termination, "
                        "on a timeline.</p>"
                        "<p>Built with Qt %2 (running on %3) and QScintilla.</p>")
                         .arg(QStringLiteral(PODSCOPE_VERSION), QStringLiteral(QT_VERSION_STR),
                              QString::fromLatin1(qVersion())));
}

}  // namespace podscope::ui
