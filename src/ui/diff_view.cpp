#include "ui/diff_view.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QFuture>
#include <QHBoxLayout>
#include <QLabel>
#include <QProgressBar>
#include <QScrollBar>
#include <QSplitter>
#include <QStackedWidget>
#include <QStyle>
#include <QTimer>
#include <QToolButton>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

#include <algorithm>

#include "ui/diff_pane.h"

namespace podscope::ui {

namespace {

constexpr int kBusyDelayMs = 150;

QLabel* makeHeader(QWidget* parent) {
  auto* label = new QLabel(parent);
  label->setTextFormat(Qt::PlainText);
  label->setTextInteractionFlags(Qt::TextSelectableByMouse);
  label->setContentsMargins(6, 3, 6, 3);
  QFont font = label->font();
  font.setBold(true);
  label->setFont(font);
  return label;
}

QWidget* paneWithHeader(QLabel* header, DiffPane* pane, QWidget* parent) {
  auto* box = new QWidget(parent);
  auto* layout = new QVBoxLayout(box);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->setSpacing(0);
  layout->addWidget(header);
  layout->addWidget(pane, 1);
  header->setBuddy(pane);
  return box;
}

QToolButton* toolButton(QAction* action, QWidget* parent) {
  auto* button = new QToolButton(parent);
  button->setDefaultAction(action);
  button->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
  button->setAutoRaise(true);
  button->setFocusPolicy(Qt::TabFocus);
  return button;
}

QString withShortcuts(const QString& text, const QAction* action) {
  QStringList keys;
  for (const QKeySequence& key : action->shortcuts()) keys << key.toString(QKeySequence::NativeText);
  return keys.isEmpty() ? text : QStringLiteral("%1 (%2)").arg(text, keys.join(QStringLiteral(", ")));
}

}  // namespace

DiffView::DiffView(QWidget* parent) : QWidget(parent) {
  // One comparison at a time: a newer one waits for the abandoned one to
  // notice, which takes a moment, instead of sharing the cores with it.
  m_pool.setMaxThreadCount(1);
  // Made first so the text, not a button, is first in the focus chain.
  m_left = new DiffPane(DiffPane::Side::Left, this);
  m_right = new DiffPane(DiffPane::Side::Right, this);
  m_unifiedPane = new DiffPane(DiffPane::Side::Unified, this);

  m_previousAction = new QAction(style()->standardIcon(QStyle::SP_ArrowUp), tr("Previous Change"), this);
  m_previousAction->setShortcuts({QKeySequence(Qt::ALT | Qt::Key_Up), QKeySequence(Qt::SHIFT | Qt::Key_F8)});
  m_nextAction = new QAction(style()->standardIcon(QStyle::SP_ArrowDown), tr("Next Change"), this);
  m_nextAction->setShortcuts({QKeySequence(Qt::ALT | Qt::Key_Down), QKeySequence(Qt::Key_F8)});
  m_unifiedAction = new QAction(tr("Unified"), this);
  m_unifiedAction->setCheckable(true);
  m_copyAction = new QAction(tr("Copy as Patch"), this);
  m_copyAction->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_C));
  for (QAction* action : {m_previousAction, m_nextAction, m_unifiedAction, m_copyAction}) {
    // Only while the diff has focus: the editor and main window keep their keys.
    action->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    action->setToolTip(withShortcuts(action->text(), action));
    addAction(action);
  }
  m_unifiedAction->setToolTip(tr("Show both revisions in one column, removed lines above added ones"));
  connect(m_previousAction, &QAction::triggered, this, &DiffView::previousChange);
  connect(m_nextAction, &QAction::triggered, this, &DiffView::nextChange);
  connect(m_unifiedAction, &QAction::toggled, this, &DiffView::setUnified);
  connect(m_copyAction, &QAction::triggered, this, &DiffView::copyPatch);

  auto* bar = new QHBoxLayout;
  bar->setContentsMargins(4, 2, 4, 2);
  bar->addWidget(toolButton(m_previousAction, this));
  bar->addWidget(toolButton(m_nextAction, this));
  bar->addSpacing(8);
  bar->addWidget(toolButton(m_unifiedAction, this));
  bar->addWidget(toolButton(m_copyAction, this));
  bar->addStretch(1);
  m_counts = new QLabel(this);
  m_counts->setTextFormat(Qt::PlainText);
  bar->addWidget(m_counts);
  m_busy = new QProgressBar(this);
  m_busy->setRange(0, 0);  // busy, no progress to tell
  m_busy->setMaximumWidth(90);
  m_busy->setMaximumHeight(12);
  m_busy->setTextVisible(false);
  m_busy->setAccessibleName(tr("Comparing"));
  m_busy->setVisible(false);
  bar->addWidget(m_busy);
  m_busyDelay = new QTimer(this);
  m_busyDelay->setSingleShot(true);
  m_busyDelay->setInterval(kBusyDelayMs);
  connect(m_busyDelay, &QTimer::timeout, this, [this] { m_busy->setVisible(isBusy()); });

  m_summary = new QLabel(this);
  m_summary->setTextFormat(Qt::PlainText);
  m_summary->setWordWrap(true);
  m_summary->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
  m_summary->setContentsMargins(6, 2, 6, 4);
  m_summary->setAccessibleName(tr("What changed"));
  m_summary->setVisible(false);

  // One vertical bar for the pair, at the right edge.
  m_left->setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
  m_leftHeader = makeHeader(this);
  m_rightHeader = makeHeader(this);
  m_unifiedHeader = makeHeader(this);

  auto* split = new QSplitter(Qt::Horizontal, this);
  split->addWidget(paneWithHeader(m_leftHeader, m_left, split));
  split->addWidget(paneWithHeader(m_rightHeader, m_right, split));
  split->setChildrenCollapsible(false);
  m_stack = new QStackedWidget(this);
  m_stack->addWidget(split);
  m_stack->addWidget(paneWithHeader(m_unifiedHeader, m_unifiedPane, m_stack));

  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->setSpacing(0);
  layout->addLayout(bar);
  layout->addWidget(m_summary);
  layout->addWidget(m_stack, 1);

  // The panes scroll as one.
  for (auto [a, b] : {std::pair{m_left->verticalScrollBar(), m_right->verticalScrollBar()},
                      std::pair{m_left->horizontalScrollBar(), m_right->horizontalScrollBar()}}) {
    connect(a, &QScrollBar::valueChanged, b, &QScrollBar::setValue);
    connect(b, &QScrollBar::valueChanged, a, &QScrollBar::setValue);
  }
  // Both sides reach the same horizontal end, however wide each pane is.
  for (DiffPane* pane : {m_left, m_right}) {
    connect(pane, &DiffPane::scrollRangesUpdated, this, [this] {
      const int maximum = std::max(m_left->ownHorizontalMaximum(), m_right->ownHorizontalMaximum());
      m_left->horizontalScrollBar()->setMaximum(maximum);
      m_right->horizontalScrollBar()->setMaximum(maximum);
    });
  }
  for (DiffPane* pane : {m_left, m_right, m_unifiedPane}) {
    connect(pane, &DiffPane::foldActivated, this, &DiffView::openFold);
    connect(pane, &DiffPane::currentLineMoved, this, &DiffView::setCurrentLine);
  }
  setFocusProxy(m_right);
  updateActions();
}

DiffView::~DiffView() {
  if (m_cancel) m_cancel->store(true);
  m_pool.waitForDone();
}

quint64 DiffView::compare(DiffRequest request) {
  const quint64 job = ++m_lastJob;
  if (m_cancel) m_cancel->store(true);  // the older job's result would be dropped anyway
  auto cancel = std::make_shared<std::atomic<bool>>(false);
  m_cancel = cancel;
  ++m_pending;
  m_busyDelay->start();
  QtConcurrent::run(&m_pool,
                    [request = std::move(request), job, cancel] { return layoutDiff(request, job, cancel.get()); })
      .then(this, [this, job](std::shared_ptr<const DiffLayout> layout) { jobFinished(job, std::move(layout)); });
  return job;
}

void DiffView::jobFinished(quint64 job, std::shared_ptr<const DiffLayout> layout) {
  --m_pending;
  if (job != m_lastJob || !layout || layout->cancelled) return;  // a newer comparison was asked for
  present(std::move(layout));
}

void DiffView::present(std::shared_ptr<const DiffLayout> layout) {
  m_layout = std::move(layout);
  m_shownJob = m_layout->job;
  m_busyDelay->stop();
  m_busy->setVisible(false);
  m_openFolds.clear();
  m_currentChange = -1;
  m_currentLine = 0;
  rebuild(-1);

  m_leftHeader->setText(m_layout->leftTitle);
  m_rightHeader->setText(m_layout->rightTitle);
  m_unifiedHeader->setText(m_layout->leftTitle.isEmpty() && m_layout->rightTitle.isEmpty()
                               ? QString()
                               : m_layout->leftTitle + QStringLiteral(" → ") + m_layout->rightTitle);
  for (QLabel* header : {m_leftHeader, m_rightHeader, m_unifiedHeader}) header->setVisible(!header->text().isEmpty());
  m_summary->setText(m_layout->summary);
  m_summary->setVisible(!m_layout->summary.isEmpty());
  m_counts->setText(countsText());

  const int width = std::max({m_left->measureWidestLine(), m_right->measureWidestLine()});
  for (DiffPane* pane : {m_left, m_right, m_unifiedPane}) {
    pane->setContentWidth(width);
    pane->verticalScrollBar()->setValue(0);
    pane->horizontalScrollBar()->setValue(0);
  }
  updateActions();
  emit compared(m_shownJob);
}

void DiffView::rebuild(int keepRow) {
  if (!m_layout) return;
  const int keepTop = keepRow >= 0 ? rowAtLine(activePane()->firstVisibleLine()) : -1;
  m_display = DiffDisplay::build(m_layout->diff, m_unified, m_openFolds);
  for (DiffPane* pane : {m_left, m_right, m_unifiedPane}) pane->setContent(m_layout, &m_display);
  if (keepRow >= 0) {
    m_currentLine = m_display.lineOfRow(m_layout->diff, keepRow);
    activePane()->verticalScrollBar()->setValue(m_display.lineOfRow(m_layout->diff, keepTop));
  }
  for (DiffPane* pane : {m_left, m_right, m_unifiedPane}) pane->setCurrentLine(m_currentLine);
  if (m_currentChange >= 0) {
    const core::DiffChunk& chunk =
        m_layout->diff.chunks[static_cast<std::size_t>(m_layout->diff.changes[static_cast<std::size_t>(m_currentChange)])];
    const int first = m_display.changeLines[static_cast<std::size_t>(m_currentChange)];
    for (DiffPane* pane : {m_left, m_right, m_unifiedPane}) {
      pane->setCurrentChange(first, m_unified ? chunk.unifiedCount : chunk.rowCount);
    }
  } else {
    for (DiffPane* pane : {m_left, m_right, m_unifiedPane}) pane->setCurrentChange(-1, 0);
  }
  updateActions();
}

DiffPane* DiffView::activePane() const { return m_unified ? m_unifiedPane : m_right; }

int DiffView::rowAtLine(int line) const {
  if (!m_layout || line < 0 || line >= static_cast<int>(m_display.lines.size())) return 0;
  const DisplayLine& shown = m_display.lines[static_cast<std::size_t>(line)];
  switch (shown.type) {
    case DisplayLine::Type::Row: return shown.index;
    case DisplayLine::Type::Unified: return m_layout->diff.unified[static_cast<std::size_t>(shown.index)].row;
    case DisplayLine::Type::Fold: return m_layout->diff.folds[static_cast<std::size_t>(shown.index)].firstRow;
  }
  return 0;
}

int DiffView::changeAtLine(int line) const {
  if (!m_layout) return -1;
  for (std::size_t c = 0; c < m_display.changeLines.size(); ++c) {
    const core::DiffChunk& chunk = m_layout->diff.chunks[static_cast<std::size_t>(m_layout->diff.changes[c])];
    const int first = m_display.changeLines[c];
    if (line >= first && line < first + (m_unified ? chunk.unifiedCount : chunk.rowCount)) return static_cast<int>(c);
  }
  return -1;
}

void DiffView::setUnified(bool unified) {
  if (unified == m_unified) return;
  const int row = rowAtLine(m_currentLine);
  const int top = rowAtLine(activePane()->firstVisibleLine());
  m_unified = unified;
  m_unifiedAction->setChecked(unified);
  m_stack->setCurrentIndex(unified ? 1 : 0);
  setFocusProxy(activePane());
  if (!m_layout) return;
  m_display = DiffDisplay::build(m_layout->diff, m_unified, m_openFolds);
  for (DiffPane* pane : {m_left, m_right, m_unifiedPane}) pane->setContent(m_layout, &m_display);
  m_currentLine = m_display.lineOfRow(m_layout->diff, row);
  activePane()->verticalScrollBar()->setValue(m_display.lineOfRow(m_layout->diff, top));
  rebuild(-1);
  if (m_currentChange >= 0) {
    // The unified view is longer: keep the change stepped to in view.
    const core::DiffChunk& chunk = m_layout->diff.chunks[static_cast<std::size_t>(
        m_layout->diff.changes[static_cast<std::size_t>(m_currentChange)])];
    revealCurrentChange(m_unified ? chunk.unifiedCount : chunk.rowCount);
  } else {
    activePane()->ensureVisible(m_currentLine);
  }
}

void DiffView::openFold(int fold) {
  if (!m_layout || fold < 0 || fold >= static_cast<int>(m_layout->diff.folds.size())) return;
  if (!m_openFolds.insert(fold).second) return;
  rebuild(rowAtLine(m_currentLine));
}

void DiffView::openAllFolds() {
  if (!m_layout) return;
  for (int f = 0; f < static_cast<int>(m_layout->diff.folds.size()); ++f) m_openFolds.insert(f);
  rebuild(rowAtLine(m_currentLine));
}

void DiffView::setCurrentLine(int line) {
  m_currentLine = line;
  for (DiffPane* pane : {m_left, m_right, m_unifiedPane}) pane->setCurrentLine(line);
  const int change = changeAtLine(line);
  if (change >= 0 && change != m_currentChange) {
    m_currentChange = change;
    rebuild(-1);
    emit currentChangeChanged(change);
    return;
  }
  updateActions();
}

void DiffView::goToChange(int change) {
  if (change < 0 || change >= static_cast<int>(m_display.changeLines.size())) return;
  m_currentChange = change;
  m_currentLine = m_display.changeLines[static_cast<std::size_t>(change)];
  rebuild(-1);
  const core::DiffChunk& chunk =
      m_layout->diff.chunks[static_cast<std::size_t>(m_layout->diff.changes[static_cast<std::size_t>(change)])];
  const int count = m_unified ? chunk.unifiedCount : chunk.rowCount;
  // A change already in view stays where it is; one out of view comes to a
  // quarter of the way down, with what led to it above.
  revealCurrentChange(count);
  emit currentChangeChanged(change);
}

void DiffView::revealCurrentChange(int count) {
  DiffPane* pane = activePane();
  const int first = pane->firstVisibleLine();
  const int visible = pane->visibleLineCount();
  // A change already in view, with a line or two below it, stays where it
  // is; otherwise it comes to a quarter of the way down, with what led to
  // it above.
  const int below = std::min(2, std::max(0, visible - count - 1));
  const bool inView = m_currentLine >= first && m_currentLine + std::min(count, visible) + below <= first + visible;
  if (!inView) pane->verticalScrollBar()->setValue(std::max(0, m_currentLine - visible / 4));
}

bool DiffView::hasNextChange() const {
  return std::any_of(m_display.changeLines.begin(), m_display.changeLines.end(),
                     [this](int line) { return line > m_currentLine; });
}

bool DiffView::hasPreviousChange() const {
  return std::any_of(m_display.changeLines.begin(), m_display.changeLines.end(),
                     [this](int line) { return line < m_currentLine; });
}

void DiffView::nextChange() {
  // The current line is 0 before any move: a change on the first line is
  // the first one to go to.
  for (std::size_t c = 0; c < m_display.changeLines.size(); ++c) {
    if (m_display.changeLines[c] > m_currentLine || (m_currentChange < 0 && m_display.changeLines[c] == m_currentLine)) {
      goToChange(static_cast<int>(c));
      return;
    }
  }
}

void DiffView::previousChange() {
  for (std::size_t c = m_display.changeLines.size(); c-- > 0;) {
    if (m_display.changeLines[c] < m_currentLine) {
      goToChange(static_cast<int>(c));
      return;
    }
  }
}

void DiffView::updateActions() {
  m_nextAction->setEnabled(hasNextChange() || (m_currentChange < 0 && !m_display.changeLines.empty()));
  m_previousAction->setEnabled(hasPreviousChange());
  m_copyAction->setEnabled(m_layout && !m_layout->diff.identical());
}

QString DiffView::patch() const { return m_layout ? m_layout->patch() : QString(); }

void DiffView::copyPatch() {
  const QString text = patch();
  if (!text.isEmpty()) QApplication::clipboard()->setText(text);
}

QString DiffView::summaryText() const { return m_summary->text(); }
QString DiffView::leftTitle() const { return m_leftHeader->text(); }
QString DiffView::rightTitle() const { return m_rightHeader->text(); }

QString DiffView::countsText() const {
  if (!m_layout) return {};
  const core::TextDiff& d = m_layout->diff;
  if (d.identical()) return tr("No differences");
  const int changes = static_cast<int>(d.changes.size());
  const QString what = changes == 1 ? tr("1 change") : tr("%1 changes").arg(changes);
  return QStringLiteral("%1 · +%2 −%3").arg(what).arg(d.addedLines).arg(d.removedLines);
}

QWidget* DiffView::busyIndicator() const { return m_busy; }

}  // namespace podscope::ui
