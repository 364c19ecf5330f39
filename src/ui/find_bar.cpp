#include "ui/find_bar.h"

#include <QHBoxLayout>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QToolButton>
#include <QVBoxLayout>

#include <algorithm>

#include "ui/manifest_editor.h"

namespace podscope::ui {

namespace {

QToolButton* toggle(const QString& text, const QString& toolTip, QWidget* parent) {
  auto* button = new QToolButton(parent);
  button->setText(text);
  button->setToolTip(toolTip);
  button->setCheckable(true);
  button->setAutoRaise(true);
  button->setFocusPolicy(Qt::TabFocus);
  return button;
}

QToolButton* button(const QString& text, const QString& toolTip, QWidget* parent) {
  auto* b = new QToolButton(parent);
  b->setText(text);
  b->setToolTip(toolTip);
  b->setAutoRaise(true);
  b->setFocusPolicy(Qt::TabFocus);
  return b;
}

}  // namespace

FindBar::FindBar(ManifestEditor* editor) : QFrame(editor), m_editor(editor) {
  setObjectName(QStringLiteral("findBar"));
  setFrameShape(QFrame::StyledPanel);
  setAutoFillBackground(true);
  setStyleSheet(QStringLiteral("#findBar { background: #F6F8FA; border: 1px solid #D0D7DE; border-radius: 4px; }"
                               "QToolButton:checked { background: #DDEBFB; border-radius: 3px; }"));

  m_find = new QLineEdit(this);
  m_find->setPlaceholderText(tr("Find"));
  m_find->setClearButtonEnabled(true);
  m_find->setMinimumWidth(200);
  m_matchCase = toggle(QStringLiteral("Aa"), tr("Match case"), this);
  m_wholeWord = toggle(QStringLiteral("ab"), tr("Whole word"), this);
  QFont underlined = m_wholeWord->font();
  underlined.setUnderline(true);
  m_wholeWord->setFont(underlined);
  m_regex = toggle(QStringLiteral(".*"), tr("Regular expression (ECMAScript)"), this);
  QToolButton* previous = button(QStringLiteral("↑"), tr("Previous match (Shift+F3)"), this);
  QToolButton* next = button(QStringLiteral("↓"), tr("Next match (F3, Enter)"), this);
  QToolButton* closeButton = button(QStringLiteral("×"), tr("Close (Esc)"), this);
  m_status = new QLabel(this);
  m_status->setMinimumWidth(70);

  m_replace = new QLineEdit(this);
  m_replace->setPlaceholderText(tr("Replace"));
  m_replace->setMinimumWidth(200);
  QToolButton* replaceOneButton = button(tr("Replace"), tr("Replace this match and find the next"), this);
  QToolButton* replaceAllButton = button(tr("All"), tr("Replace every match"), this);

  auto* findRow = new QHBoxLayout;
  findRow->setSpacing(2);
  findRow->addWidget(m_find, 1);
  findRow->addWidget(m_matchCase);
  findRow->addWidget(m_wholeWord);
  findRow->addWidget(m_regex);
  findRow->addWidget(m_status);
  findRow->addWidget(previous);
  findRow->addWidget(next);
  findRow->addWidget(closeButton);

  m_replaceRow = new QWidget(this);
  auto* replaceRow = new QHBoxLayout(m_replaceRow);
  replaceRow->setContentsMargins(0, 0, 0, 0);
  replaceRow->setSpacing(2);
  replaceRow->addWidget(m_replace, 1);
  replaceRow->addWidget(replaceOneButton);
  replaceRow->addWidget(replaceAllButton);
  replaceRow->addStretch();

  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(6, 4, 4, 4);
  layout->setSpacing(3);
  layout->addLayout(findRow);
  layout->addWidget(m_replaceRow);

  connect(m_find, &QLineEdit::returnPressed, this, &FindBar::findNext);
  connect(m_find, &QLineEdit::textEdited, this, [this] {
    // Search as you type, from where the current match starts, so the
    // selection grows with the text instead of jumping ahead.
    int line = 0, index = 0, lineTo = 0, indexTo = 0;
    m_editor->getSelection(&line, &index, &lineTo, &indexTo);
    if (line >= 0) m_editor->setCursorPosition(line, index);
    if (!m_find->text().isEmpty()) find(true);
    else showStatus({}, false);
  });
  connect(m_replace, &QLineEdit::returnPressed, this, &FindBar::replaceOne);
  connect(previous, &QToolButton::clicked, this, &FindBar::findPrevious);
  connect(next, &QToolButton::clicked, this, &FindBar::findNext);
  connect(closeButton, &QToolButton::clicked, this, &FindBar::close);
  connect(replaceOneButton, &QToolButton::clicked, this, &FindBar::replaceOne);
  connect(replaceAllButton, &QToolButton::clicked, this, &FindBar::replaceAll);
  hide();
}

void FindBar::showFind() {
  if (m_editor->hasSelectedText()) {
    const QString selected = m_editor->selectedText();
    if (!selected.contains(QLatin1Char('\n'))) m_find->setText(selected);
  }
  m_replaceRow->hide();
  reposition();
  show();
  raise();
  m_find->setFocus();
  m_find->selectAll();
}

void FindBar::showReplace() {
  showFind();
  m_replaceRow->show();
  reposition();
}

void FindBar::reposition() {
  const QRect area = m_editor->viewport()->geometry();
  const QSize hint = sizeHint();
  const int width = std::min(hint.width(), std::max(area.width() - 24, 120));
  resize(width, hint.height());
  move(area.right() - width - 12, area.top() + 4);
}

void FindBar::close() {
  hide();
  showStatus({}, false);
  m_editor->setFocus();
}

bool FindBar::isReplaceShown() const { return !isHidden() && !m_replaceRow->isHidden(); }

void FindBar::setMatchCase(bool on) { m_matchCase->setChecked(on); }
void FindBar::setWholeWord(bool on) { m_wholeWord->setChecked(on); }
void FindBar::setRegularExpression(bool on) { m_regex->setChecked(on); }

QString FindBar::status() const { return m_status->text(); }

bool FindBar::findNext() { return find(true); }
bool FindBar::findPrevious() { return find(false); }

bool FindBar::find(bool forward) {
  const QString expr = m_find->text();
  if (expr.isEmpty()) return false;
  int line = -1;
  int index = -1;
  if (!forward && m_editor->hasSelectedText()) {
    // Backwards from the start of the match selected now, or it is found again.
    int lineTo = 0, indexTo = 0;
    m_editor->getSelection(&line, &index, &lineTo, &indexTo);
  }
  const bool found = m_editor->findFirst(expr, m_regex->isChecked(), m_matchCase->isChecked(),
                                         m_wholeWord->isChecked(), true, forward, line, index, true, false,
                                         m_regex->isChecked());
  showStatus(found ? QString() : tr("No matches"), !found);
  return found;
}

bool FindBar::replaceOne() {
  if (m_find->text().isEmpty()) return false;
  if (!m_editor->hasSelectedText()) return findNext();
  // Replace only a selection that is a match: start the search at the
  // selection and see whether it is found right there.
  int line = 0, index = 0, lineTo = 0, indexTo = 0;
  m_editor->getSelection(&line, &index, &lineTo, &indexTo);
  const bool here = m_editor->findFirst(m_find->text(), m_regex->isChecked(), m_matchCase->isChecked(),
                                        m_wholeWord->isChecked(), false, true, line, index, true, false,
                                        m_regex->isChecked());
  int foundLine = 0, foundIndex = 0;
  m_editor->getSelection(&foundLine, &foundIndex, &lineTo, &indexTo);
  if (here && foundLine == line && foundIndex == index) m_editor->replace(m_replace->text());
  return findNext();
}

int FindBar::replaceAll() {
  const QString expr = m_find->text();
  if (expr.isEmpty()) return 0;
  const bool regex = m_regex->isChecked();
  int count = 0;
  int line = 0;
  int index = 0;
  // Each search starts where the last replacement ends (findNext would keep
  // the range the first search computed, which the replacements move). An
  // expression that matches the empty string steps on by one character.
  const int limit = m_editor->length() + 1;
  m_editor->beginUndoAction();
  while (count < limit && m_editor->findFirst(expr, regex, m_matchCase->isChecked(), m_wholeWord->isChecked(), false,
                                              true, line, index, false, false, regex)) {
    int fromLine = 0, fromIndex = 0, toLine = 0, toIndex = 0;
    m_editor->getSelection(&fromLine, &fromIndex, &toLine, &toIndex);
    const bool empty = fromLine == toLine && fromIndex == toIndex;
    m_editor->replace(m_replace->text());
    ++count;
    m_editor->getSelection(&fromLine, &fromIndex, &line, &index);
    if (empty) {
      const int position = static_cast<int>(m_editor->positionFromLineIndex(line, index));
      if (position >= m_editor->length()) break;
      m_editor->lineIndexFromPosition(position + 1, &line, &index);
    }
  }
  m_editor->endUndoAction();
  showStatus(count == 0 ? tr("No matches") : tr("Replaced %1").arg(count), count == 0);
  return count;
}

void FindBar::showStatus(const QString& text, bool problem) {
  m_status->setText(text);
  m_status->setStyleSheet(problem ? QStringLiteral("color: #B3261E;") : QStringLiteral("color: #57606A;"));
}

void FindBar::keyPressEvent(QKeyEvent* event) {
  if (event->key() == Qt::Key_Escape) {
    close();
    return;
  }
  QFrame::keyPressEvent(event);
}

}  // namespace podscope::ui
