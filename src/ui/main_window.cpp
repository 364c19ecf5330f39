#include "ui/main_window.h"

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QComboBox>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QRegularExpression>
#include <QSaveFile>
#include <QScrollBar>
#include <QSignalBlocker>
#include <QSplitter>
#include <QStatusBar>
#include <QStringDecoder>
#include <QTabWidget>
#include <QTableView>
#include <QToolBar>
#include <QToolButton>
#include <QVBoxLayout>

#include <algorithm>

#include "core/manifest_reader.h"
#include "ui/lane_layout.h"
#include "ui/manifest_editor.h"
#include "ui/message_banner.h"
#include "ui/state_palette.h"
#include "ui/details_panel.h"
#include "ui/events_view.h"
#include "ui/logs_panel.h"
#include "ui/run_panels.h"
#include "ui/timeline_view.h"
#include "ui/transition_model.h"
#ifdef PODSCOPE_HAVE_CONTAINERD
#include "ui/leftovers_offer.h"
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
  createMenus();
  createToolBar();
  createCentralArea();
  createStatusBar();

  connect(m_runner, &RunController::transitionRecorded, this, &MainWindow::onTransitionRecorded);
  connect(m_runner, &RunController::runFinished, this, &MainWindow::onRunFinished);
  connect(m_editor, &ManifestEditor::modificationChanged, this, &QWidget::setWindowModified);
#ifdef PODSCOPE_HAVE_CONTAINERD
  m_leftovers = new LeftoversOffer(m_leftoversBanner, this);
  connect(m_leftovers, &LeftoversOffer::stateChanged, this, [this] {
    if (!m_leftovers->isBusy()) emit leftoversSettled();
  });
#endif

  QFile templateFile(kTemplatePath);
  setManifest(templateFile.open(QIODevice::ReadOnly) ? QString::fromUtf8(templateFile.readAll()) : QString(), {});

  updateRuntimeControls();
  updateRunControls();
  resize(kDefaultWidth, kDefaultHeight);
}

MainWindow::~MainWindow() = default;

void MainWindow::createActions() {
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
  m_runAction->setToolTip(tr("Run the pod in the editor (F5)"));
  connect(m_runAction, &QAction::triggered, this, &MainWindow::run);

  m_stopAction = new QAction(QIcon(QStringLiteral(":/icons/stop.svg")), tr("&Stop"), this);
  m_stopAction->setShortcut(QKeySequence(Qt::SHIFT | Qt::Key_F5));
  m_stopAction->setToolTip(tr("Delete the running pod gracefully (Shift+F5)"));
  connect(m_stopAction, &QAction::triggered, this, &MainWindow::stop);

  m_aboutAction = new QAction(tr("&About Podscope"), this);
  m_aboutAction->setMenuRole(QAction::AboutRole);
  connect(m_aboutAction, &QAction::triggered, this, &MainWindow::showAbout);
}

void MainWindow::createMenus() {
  QMenu* file = menuBar()->addMenu(tr("&File"));
  file->addAction(m_openAction);
  file->addAction(m_saveAction);
  file->addAction(m_saveAsAction);
  file->addSeparator();
  file->addAction(m_quitAction);

  QMenu* runMenu = menuBar()->addMenu(tr("&Run"));
  runMenu->addAction(m_runAction);
  runMenu->addAction(m_stopAction);

  QMenu* help = menuBar()->addMenu(tr("&Help"));
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
  m_editor = new ManifestEditor(this);
  m_editor->setObjectName(QStringLiteral("manifestEditor"));
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
  editorLayout->addWidget(m_editor, 1);

  // The run's panels: the timeline here, events, logs and details as tabs below.
  m_runPanels = new RunPanels(m_runner, this);

  m_table = new QTableView(this);
  m_table->setObjectName(QStringLiteral("transitionTable"));
  m_table->setModel(m_transitions);
  m_table->setFrameShape(QFrame::NoFrame);
  m_table->setAlternatingRowColors(true);
  m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
  m_table->setSelectionMode(QAbstractItemView::SingleSelection);
  m_table->setWordWrap(false);
  m_table->setShowGrid(false);
  m_table->verticalHeader()->hide();
  m_table->verticalHeader()->setDefaultSectionSize(m_table->fontMetrics().height() + 8);
  m_table->horizontalHeader()->setDefaultAlignment(Qt::AlignLeft | Qt::AlignVCenter);
  m_table->horizontalHeader()->setHighlightSections(false);
  m_table->horizontalHeader()->setStretchLastSection(true);
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

  auto* mainSplit = new QSplitter(Qt::Vertical, this);
  mainSplit->setObjectName(QStringLiteral("mainSplitter"));
  mainSplit->setChildrenCollapsible(false);
  mainSplit->addWidget(editorPane);
  mainSplit->addWidget(m_bottomTabs);
  mainSplit->setStretchFactor(0, 5);
  mainSplit->setStretchFactor(1, 4);
  mainSplit->setSizes({310, 410});
  connect(m_runPanels->timeline()->view(), &TimelineView::laneCountChanged, this, &MainWindow::fitTimelineToLanes);
  setCentralWidget(mainSplit);
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
  const int wanted = std::min(m_runPanels->timeline()->sizeHint().height() + 2, total * 2 / 3);
  m_timelineSplit->setSizes({wanted, total - wanted});
}

void MainWindow::setManifest(const QString& text, const QString& filePath) {
  m_filePath = filePath.isEmpty() ? QString() : QFileInfo(filePath).absoluteFilePath();
  m_editor->setText(text);
  m_editor->setModified(false);
  m_editor->setCursorPosition(0, 0);
  setWindowModified(false);
  updateTitle();
}

QString MainWindow::manifestText() const { return m_editor->text(); }

QString MainWindow::displayName() const {
  return m_filePath.isEmpty() ? kUntitledName : QFileInfo(m_filePath).fileName();
}

void MainWindow::updateTitle() {
  setWindowTitle(tr("%1[*] — Podscope").arg(displayName()));
}

bool MainWindow::openFile(const QString& path) {
  const QFileInfo info(path);
  const QString name = info.fileName();
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
    const QString kept = tr("The editor still holds %1.").arg(displayName());
    // Offered rather than done: the usual reason to open a broken file is
    // to fix it, but a file dropped by mistake must not replace the work.
    showError(what + QLatin1Char(' ') + kept, tr("Open Anyway"), [this, path, text = file.text, manifest] {
      if (!confirmDiscardChanges()) return;
      loadIntoEditor(text, path, manifest.errors());
    });
    setPodStatus({}, {}, qs(first.toString()), true);
    return false;
  }
  if (!confirmDiscardChanges()) return false;
  loadIntoEditor(file.text, path, manifest.errors());
  return true;
}

void MainWindow::loadIntoEditor(const QString& text, const QString& filePath, const std::vector<core::Error>& errors) {
  m_banner->dismiss();
  setManifest(text, filePath);
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
  for (const QUrl& url : urls) {
    if (url.isLocalFile()) {
      openFile(url.toLocalFile());
      return;
    }
  }
  showError(tr("Only files on this computer can be opened; %1 is not one.")
                .arg(urls.isEmpty() ? tr("the dropped item") : urls.front().toDisplayString()));
}

void MainWindow::chooseFileToOpen() {
  const QString dir = m_filePath.isEmpty() ? QString() : QFileInfo(m_filePath).absolutePath();
  const QString path = QFileDialog::getOpenFileName(this, tr("Open Manifest"), dir,
                                                    tr("Kubernetes manifests (*.yaml *.yml);;All files (*)"));
  if (!path.isEmpty()) openFile(path);
}

bool MainWindow::save() {
  if (m_filePath.isEmpty()) return saveAs();
  return writeTo(m_filePath);
}

bool MainWindow::saveAs() {
  const QString suggested = m_filePath.isEmpty() ? kUntitledName : m_filePath;
  const QString path =
      QFileDialog::getSaveFileName(this, tr("Save Manifest"), suggested, tr("Kubernetes manifests (*.yaml *.yml)"));
  if (path.isEmpty()) return false;
  return writeTo(path);
}

bool MainWindow::writeTo(const QString& path) {
  // QSaveFile writes next to the target and renames, so a failed save never
  // leaves half a manifest behind.
  QSaveFile file(path);
  if (!file.open(QIODevice::WriteOnly) || file.write(m_editor->text().toUtf8()) < 0 || !file.commit()) {
    showError(tr("Cannot save %1: %2.").arg(QFileInfo(path).fileName(), file.errorString()));
    return false;
  }
  m_filePath = QFileInfo(path).absoluteFilePath();
  m_editor->setModified(false);
  updateTitle();
  setPodStatus({}, {}, tr("Saved %1").arg(displayName()), false);
  return true;
}

bool MainWindow::confirmDiscardChanges() {
  if (!m_editor->isModified()) return true;
  const auto answer = QMessageBox::warning(
      this, tr("Unsaved Changes"), tr("%1 has changes that are not saved. Save them first?").arg(displayName()),
      QMessageBox::Save | QMessageBox::Discard | QMessageBox::Cancel, QMessageBox::Save);
  if (answer == QMessageBox::Save) return save();
  return answer == QMessageBox::Discard;
}

void MainWindow::closeEvent(QCloseEvent* event) {
  if (!confirmDiscardChanges()) {
    event->ignore();
    return;
  }
  m_runner->stop();
  event->accept();
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
  openDroppedUrls(event->mimeData()->urls());
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
  m_runtimeCombo->setEnabled(!running);
  m_addressEdit->setEnabled(!running);
}

void MainWindow::run() {
  if (isRunning()) return;
  m_banner->dismiss();
  m_editor->clearProblem();

  core::Result<core::Pod> pod = core::readPod(m_editor->text().toStdString(), displayName().toStdString());
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
  m_runPanels->beginRun(m_editor->text(), displayName(), runtime());
  m_lastResult.reset();
  m_runningPodName = qs(pod->metadata.name);
  RunRequest request;
  request.pod = std::move(pod).value();
  request.runtime = runtime();
  request.containerd = containerdSettings();
  m_runner->start(std::move(request));
  setPodStatus(m_runningPodName, tr("Starting"),
               runtime() == RuntimeKind::Containerd ? tr("Connecting to containerd…") : QString(), false);
  updateRunControls();
}

void MainWindow::stop() {
  if (!isRunning()) return;
  m_runner->stop();
  m_detailLabel->setText(tr("Deleting the pod…"));
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

void MainWindow::onRunFinished(const RunResult& result) {
  m_lastResult = result;
  updateRunControls();
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
                             .arg(qs(last.ready), qs(last.status), qs(last.restarts), qs(last.age));
    detail = detail.isEmpty() ? line : tr("%1 · %2").arg(line, detail);
  }
  if (!record.transitions().empty()) {
    const QString span = qs(core::formatRunTime(record.transitions().back().time));
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
  m_editor->showProblem(error.pos->line, error.pos->column, qs(error.message));
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
