#include "ui/logs_panel.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFile>
#include <QFileInfo>
#include <QFileSystemWatcher>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QLabel>
#include <QPlainTextEdit>
#include <QScrollBar>
#include <QTimer>
#include <QVBoxLayout>

#include <algorithm>

#include "core/log_files.h"
#include "ui/timeline_model.h"

namespace podscope::ui {

namespace {

constexpr int kPollMs = 500;
constexpr int kMaxOutputLines = 12;

QString qs(const std::string& s) { return QString::fromStdString(s); }

}  // namespace

LogsPanel::LogsPanel(QWidget* parent) : QWidget(parent) {
  setObjectName(QStringLiteral("logsPanel"));
  m_containerBox = new QComboBox(this);
  m_containerBox->setObjectName(QStringLiteral("logsContainer"));
  m_containerBox->setMinimumContentsLength(14);
  m_attemptBox = new QComboBox(this);
  m_attemptBox->setObjectName(QStringLiteral("logsAttempt"));
  m_attemptBox->setMinimumContentsLength(16);
  m_interleave = new QCheckBox(tr("Probe and hook outputs"), this);
  m_interleave->setObjectName(QStringLiteral("logsInterleave"));
  m_interleave->setToolTip(tr("Show the container's probe and hook outputs from the record between the log's lines"));
  m_message = new QLabel(this);
  m_message->setObjectName(QStringLiteral("logsMessage"));
  m_message->setWordWrap(true);
  m_message->setStyleSheet(QStringLiteral("color: #6A737D; padding: 6px;"));
  m_text = new QPlainTextEdit(this);
  m_text->setObjectName(QStringLiteral("logsText"));
  m_text->setReadOnly(true);
  m_text->setFrameShape(QFrame::NoFrame);
  m_text->setLineWrapMode(QPlainTextEdit::NoWrap);
  m_text->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));

  auto* bar = new QHBoxLayout;
  bar->setContentsMargins(6, 4, 6, 4);
  bar->addWidget(new QLabel(tr("Container:"), this));
  bar->addWidget(m_containerBox);
  bar->addSpacing(8);
  bar->addWidget(new QLabel(tr("Attempt:"), this));
  bar->addWidget(m_attemptBox);
  bar->addSpacing(8);
  bar->addWidget(m_interleave);
  bar->addStretch(1);
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->setSpacing(0);
  layout->addLayout(bar);
  layout->addWidget(m_message);
  layout->addWidget(m_text, 1);

  m_watcher = new QFileSystemWatcher(this);
  m_poll = new QTimer(this);
  m_poll->setInterval(kPollMs);
  connect(m_poll, &QTimer::timeout, this, &LogsPanel::refresh);
  connect(m_watcher, &QFileSystemWatcher::fileChanged, this, &LogsPanel::refresh);
  connect(m_watcher, &QFileSystemWatcher::directoryChanged, this, &LogsPanel::refresh);
  connect(m_containerBox, &QComboBox::currentIndexChanged, this, [this] {
    if (!m_updatingBoxes) showContainer(m_containerBox->currentText(), -1);
  });
  connect(m_attemptBox, &QComboBox::currentIndexChanged, this, [this] {
    if (!m_updatingBoxes) showContainer(currentContainer(), m_attemptBox->currentData().toInt());
  });
  connect(m_interleave, &QCheckBox::toggled, this, &LogsPanel::setInterleaveOutputs);

  core::Pod none;
  beginRun(none, false);
  setMessage(tr("Container logs appear here when a pod runs on containerd."));
}

void LogsPanel::beginRun(const core::Pod& pod, bool hasLogs) {
  m_hasLogs = hasLogs;
  m_dir.clear();
  m_containers.clear();
  for (const auto& c : pod.spec.initContainers) m_containers << qs(c.name);
  for (const auto& c : pod.spec.containers) m_containers << qs(c.name);
  m_updatingBoxes = true;
  m_containerBox->clear();
  m_containerBox->addItems(m_containers);
  // The app container is usually the one wanted first.
  if (!pod.spec.containers.empty()) m_containerBox->setCurrentText(qs(pod.spec.containers.front().name));
  m_updatingBoxes = false;
  m_attempt = -1;
  m_followLatest = true;
  m_offset = 0;
  m_chunks.clear();
  m_attemptsShown = m_record ? m_record->record().attempts().size() : 0;
  m_text->clear();
  if (!m_watcher->files().isEmpty()) m_watcher->removePaths(m_watcher->files());
  if (!m_watcher->directories().isEmpty()) m_watcher->removePaths(m_watcher->directories());
  m_poll->stop();
  updateAttempts();
  if (!hasLogs) {
    setMessage(tr("The simulated runtime writes no log files: its containers' output exists only inside the "
                  "simulation. Run the pod on containerd to see its logs here; probe and hook outputs are in "
                  "the timeline (click a dot or a hook)."));
  } else {
    setMessage(tr("Waiting for the run's log folder…"));
  }
}

void LogsPanel::setLogDirectory(const QString& podLogDir) {
  m_dir = podLogDir;
  m_hasLogs = true;
  m_poll->start();
  showContainer(currentContainer(), -1);
}

void LogsPanel::setRecordSource(TimelineModel* model) {
  if (m_record) disconnect(m_record, nullptr, this, nullptr);
  m_record = model;
  if (!m_record) return;
  m_attemptsShown = m_record->record().attempts().size();
  connect(m_record, &QAbstractItemModel::rowsInserted, this, [this] {
    if (m_interleave->isChecked()) appendAttemptsSince(m_attemptsShown);
    m_attemptsShown = m_record->record().attempts().size();
  });
  connect(m_record, &QAbstractItemModel::modelReset, this, [this] {
    m_attemptsShown = m_record->record().attempts().size();
    if (m_interleave->isChecked()) render();
  });
}

QString LogsPanel::currentContainer() const { return m_containerBox->currentText(); }

QString LogsPanel::containerDir() const {
  return m_dir.isEmpty() ? QString() : m_dir + QLatin1Char('/') + currentContainer();
}

QString LogsPanel::attemptPath(int attempt) const {
  return QString::fromStdString(core::attemptLogPath(containerDir().toStdString(), attempt));
}

void LogsPanel::updateAttempts() {
  std::vector<int> attempts;
  if (!m_dir.isEmpty() && !currentContainer().isEmpty()) attempts = core::loggedAttempts(containerDir().toStdString());
  m_updatingBoxes = true;
  m_attemptBox->clear();
  for (int a : attempts) {
    m_attemptBox->addItem(a == 0 ? tr("0 (first run)") : tr("%1 (restart %1)").arg(a), a);
  }
  const int shown = m_attemptBox->findData(m_attempt);
  if (shown >= 0) m_attemptBox->setCurrentIndex(shown);
  m_updatingBoxes = false;
}

void LogsPanel::showContainer(const QString& container, int attempt) {
  if (container != currentContainer()) {
    m_updatingBoxes = true;
    m_containerBox->setCurrentText(container);
    m_updatingBoxes = false;
  }
  m_followLatest = attempt < 0;
  m_attempt = -1;
  updateAttempts();
  int chosen = attempt;
  if (m_followLatest && m_attemptBox->count() > 0) chosen = m_attemptBox->itemData(m_attemptBox->count() - 1).toInt();
  openAttempt(chosen);
}

void LogsPanel::openAttempt(int attempt) {
  m_attempt = attempt;
  m_offset = 0;
  m_chunks.clear();
  m_text->clear();
  if (!m_watcher->files().isEmpty()) m_watcher->removePaths(m_watcher->files());
  if (!m_hasLogs) return;
  if (m_dir.isEmpty()) return;
  const int index = m_attemptBox->findData(attempt);
  if (index >= 0) {
    m_updatingBoxes = true;
    m_attemptBox->setCurrentIndex(index);
    m_updatingBoxes = false;
  }
  if (attempt < 0) {
    setMessage(tr("%1 has written no log yet (%2).").arg(currentContainer(), containerDir()));
    watch();
    return;
  }
  setMessage({});
  watch();
  refresh();
  render();
}

void LogsPanel::watch() {
  // The container's folder tells about new attempts, the file about new bytes.
  const QString dir = containerDir();
  if (!m_watcher->directories().isEmpty()) m_watcher->removePaths(m_watcher->directories());
  if (!dir.isEmpty() && QFileInfo::exists(dir)) m_watcher->addPath(dir);
  if (!m_dir.isEmpty() && QFileInfo::exists(m_dir)) m_watcher->addPath(m_dir);
  if (m_attempt >= 0 && QFileInfo::exists(attemptPath(m_attempt))) m_watcher->addPath(attemptPath(m_attempt));
}

void LogsPanel::refresh() {
  if (!m_hasLogs || m_dir.isEmpty()) return;
  if (m_followLatest) {
    // A restart starts a new file: carry on with the new instance's.
    const std::vector<int> attempts = core::loggedAttempts(containerDir().toStdString());
    if (!attempts.empty() && attempts.back() != m_attempt) {
      showContainer(currentContainer(), -1);
      return;
    }
  }
  if (m_attempt < 0) return;
  QFile file(attemptPath(m_attempt));
  if (!file.open(QIODevice::ReadOnly)) return;
  if (file.size() < m_offset) {
    // Truncated or replaced: read it again from the start.
    openAttempt(m_attempt);
    return;
  }
  if (file.size() == m_offset) return;
  if (!file.seek(m_offset)) return;
  const QByteArray bytes = file.readAll();
  m_offset += bytes.size();
  if (!m_watcher->files().contains(file.fileName())) m_watcher->addPath(file.fileName());
  Chunk chunk{m_record ? m_record->end() : core::RunTime{0}, QString::fromUtf8(bytes)};
  m_chunks.push_back(chunk);
  QScrollBar* scroll = m_text->verticalScrollBar();
  const bool atBottom = scroll->value() == scroll->maximum();
  m_text->moveCursor(QTextCursor::End);
  m_text->insertPlainText(chunk.text);
  if (atBottom) scroll->setValue(scroll->maximum());
}

QString LogsPanel::attemptText(const core::HandlerAttempt& a) const {
  QString output = qs(a.output).trimmed();
  QStringList lines = output.split(QLatin1Char('\n'));
  if (lines.size() > kMaxOutputLines) {
    lines = lines.mid(0, kMaxOutputLines);
    lines << QStringLiteral("…");
  }
  QString text = QStringLiteral("▸ %1 %2 %3 (took %4)")
                     .arg(qs(core::formatRunTime(a.start)), qs(std::string(core::toString(a.kind))),
                          qs(std::string(core::toString(a.result))), qs(core::formatRunTime(a.duration)));
  if (!output.isEmpty()) {
    for (const QString& line : lines) text += QStringLiteral("\n▸   ") + line;
  }
  return text + QLatin1Char('\n');
}

void LogsPanel::appendAttemptsSince(size_t first) {
  if (!m_record || m_attempt < 0) return;
  const auto& attempts = m_record->record().attempts();
  const std::string container = currentContainer().toStdString();
  for (size_t i = first; i < attempts.size(); ++i) {
    const core::HandlerAttempt& a = attempts[i];
    if (a.container != container || a.restartCount != m_attempt) continue;
    m_text->moveCursor(QTextCursor::End);
    if (!m_text->toPlainText().isEmpty() && !m_text->toPlainText().endsWith(QLatin1Char('\n'))) {
      m_text->insertPlainText(QStringLiteral("\n"));
    }
    m_text->insertPlainText(attemptText(a));
  }
}

void LogsPanel::render() {
  if (m_attempt < 0) return;
  if (!m_interleave->isChecked() || !m_record) {
    QString all;
    for (const Chunk& c : m_chunks) all += c.text;
    m_text->setPlainText(all);
    return;
  }
  // Merge the chunks and this instance's attempts by time.
  struct Piece {
    core::RunTime time;
    QString text;
  };
  std::vector<Piece> pieces;
  for (const Chunk& c : m_chunks) pieces.push_back({c.time, c.text});
  const std::string container = currentContainer().toStdString();
  for (const core::HandlerAttempt& a : m_record->record().attempts()) {
    if (a.container == container && a.restartCount == m_attempt) pieces.push_back({a.start + a.duration, attemptText(a)});
  }
  std::stable_sort(pieces.begin(), pieces.end(), [](const Piece& x, const Piece& y) { return x.time < y.time; });
  QString all;
  for (const Piece& p : pieces) {
    if (!all.isEmpty() && !all.endsWith(QLatin1Char('\n')) && p.text.startsWith(QStringLiteral("▸"))) all += QLatin1Char('\n');
    all += p.text;
  }
  m_text->setPlainText(all);
}

void LogsPanel::setInterleaveOutputs(bool interleave) {
  if (m_interleave->isChecked() != interleave) {
    m_interleave->setChecked(interleave);
    return;
  }
  render();
}

QString LogsPanel::text() const { return m_text->toPlainText(); }

QString LogsPanel::message() const { return m_message->text(); }

void LogsPanel::setMessage(const QString& text) {
  m_message->setText(text);
  m_message->setVisible(!text.isEmpty());
}

}  // namespace podscope::ui
