#include "ui/diff_pane.h"

#include <QFontDatabase>
#include <QFontMetricsF>
#include <QKeyEvent>
#include <QMouseEvent>
#include <QPainter>
#include <QPalette>
#include <QScrollBar>

#include <algorithm>
#include <cmath>

#include "ui/state_palette.h"

namespace podscope::ui {

namespace {

constexpr int kMarkWidth = 3;
constexpr int kMarkArea = 5;
constexpr int kTextGap = 6;

QColor mix(const QColor& a, const QColor& b, double t) {
  return QColor::fromRgbF(static_cast<float>(a.redF() * (1 - t) + b.redF() * t),
                          static_cast<float>(a.greenF() * (1 - t) + b.greenF() * t),
                          static_cast<float>(a.blueF() * (1 - t) + b.blueF() * t));
}

QString endingName(core::LineEnding ending) {
  switch (ending) {
    case core::LineEnding::None: return DiffPane::tr("(no newline at end of file)");
    case core::LineEnding::Lf: return DiffPane::tr("(LF)");
    case core::LineEnding::CrLf: return DiffPane::tr("(CRLF)");
  }
  return {};
}

}  // namespace

DiffColors diffColors(const QPalette& palette) {
  DiffColors c;
  c.base = palette.color(QPalette::Base);
  c.text = palette.color(QPalette::Text);
  const bool dark = c.base.lightness() < 128;
  const QColor red = stateColor(LaneState::Failed);
  const QColor green = stateColor(LaneState::Running);
  const QColor blue = stateColor(LaneState::Succeeded);
  // A dark base needs more of the colour for the same contrast.
  c.removedLine = mix(c.base, red, dark ? 0.20 : 0.12);
  c.addedLine = mix(c.base, green, dark ? 0.20 : 0.13);
  c.removedWord = mix(c.base, red, dark ? 0.48 : 0.34);
  c.addedWord = mix(c.base, green, dark ? 0.48 : 0.36);
  c.removedMark = red;
  c.addedMark = green;
  c.changedMark = blue;
  c.gutter = mix(c.base, c.text, dark ? 0.05 : 0.035);
  c.lineNumber = mix(c.base, c.text, 0.5);
  c.filler = mix(c.base, c.text, dark ? 0.035 : 0.025);
  c.fillerHatch = mix(c.base, c.text, dark ? 0.13 : 0.11);
  c.fold = mix(c.base, blue, dark ? 0.16 : 0.09);
  c.foldText = mix(c.base, c.text, 0.7);
  c.current = palette.color(QPalette::Highlight);
  c.currentGutter = mix(c.gutter, c.current, dark ? 0.35 : 0.22);
  return c;
}

DiffPane::DiffPane(Side side, QWidget* parent) : QAbstractScrollArea(parent), m_side(side) {
  setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
  setFocusPolicy(Qt::StrongFocus);
  setFrameShape(QFrame::NoFrame);
  viewport()->setMouseTracking(true);
  viewport()->setAutoFillBackground(false);
  switch (side) {
    case Side::Left: setAccessibleName(tr("Older revision")); break;
    case Side::Right: setAccessibleName(tr("Newer revision")); break;
    case Side::Unified: setAccessibleName(tr("Unified diff")); break;
  }
}

QString DiffPane::foldText(int lines) {
  return lines == 1 ? tr("⋯ 1 unchanged line") : tr("⋯ %1 unchanged lines").arg(lines);
}

void DiffPane::setContent(std::shared_ptr<const DiffLayout> layout, const DiffDisplay* display) {
  m_layout = std::move(layout);
  m_display = display;
  m_currentLine = std::clamp(m_currentLine, 0, std::max(lineCount() - 1, 0));
  updateScrollBars();
  viewport()->update();
}

void DiffPane::setContentWidth(int pixels) {
  m_contentWidth = std::max(pixels, 0);
  updateScrollBars();
}

int DiffPane::measureWidestLine() const {
  if (!m_layout) return 0;
  const QFontMetricsF fm(font());
  qreal widest = 0;
  auto measure = [&](const std::vector<DrawnLine>& lines, const std::vector<int>& rows) {
    for (int r : rows) widest = std::max(widest, fm.horizontalAdvance(lines[static_cast<std::size_t>(r)].text));
  };
  if (m_side != Side::Right) measure(m_layout->left, m_layout->widestLeft);
  if (m_side != Side::Left) measure(m_layout->right, m_layout->widestRight);
  // Room for a line-ending note after the text.
  return static_cast<int>(std::ceil(widest + fm.horizontalAdvance(endingName(core::LineEnding::None)) + 16));
}

void DiffPane::setCurrentLine(int line) {
  m_currentLine = std::clamp(line, 0, std::max(lineCount() - 1, 0));
  viewport()->update();
}

void DiffPane::setCurrentChange(int first, int count) {
  m_changeFirst = first;
  m_changeCount = count;
  viewport()->update();
}

int DiffPane::lineCount() const { return m_display ? static_cast<int>(m_display->lines.size()) : 0; }

int DiffPane::lineHeight() const { return QFontMetrics(font()).height() + 2; }

int DiffPane::numberWidth() const {
  int digits = 2;
  for (int n = m_layout ? m_layout->maxLineNumber : 0; n >= 100; n /= 10) ++digits;
  return digits * QFontMetrics(font()).horizontalAdvance(QLatin1Char('9')) + 10;
}

int DiffPane::gutterWidth() const {
  const int sign = m_side == Side::Unified ? QFontMetrics(font()).horizontalAdvance(QLatin1Char('+')) + 8 : 0;
  return kMarkArea + numberWidth() * (m_side == Side::Unified ? 2 : 1) + sign;
}

int DiffPane::textLeft() const { return gutterWidth() + kTextGap; }

int DiffPane::firstVisibleLine() const { return verticalScrollBar()->value(); }

int DiffPane::visibleLineCount() const { return std::max(1, viewport()->height() / lineHeight()); }

void DiffPane::ensureVisible(int line) {
  const int first = firstVisibleLine();
  const int visible = visibleLineCount();
  if (line < first) {
    verticalScrollBar()->setValue(line);
  } else if (line >= first + visible) {
    verticalScrollBar()->setValue(line - visible + 1);
  }
}

int DiffPane::lineAt(QPoint pos) const {
  if (pos.y() < 0) return -1;
  const int line = firstVisibleLine() + pos.y() / lineHeight();
  return line < lineCount() ? line : -1;
}

QRect DiffPane::lineRect(int line) const {
  return QRect(0, (line - firstVisibleLine()) * lineHeight(), viewport()->width(), lineHeight());
}

QSize DiffPane::sizeHint() const { return QSize(480, 24 * lineHeight()); }

void DiffPane::updateScrollBars() {
  const int visible = visibleLineCount();
  verticalScrollBar()->setRange(0, std::max(0, lineCount() - visible));
  verticalScrollBar()->setPageStep(visible);
  verticalScrollBar()->setSingleStep(1);
  const int charWidth = QFontMetrics(font()).horizontalAdvance(QLatin1Char('m'));
  const int textWidth = std::max(0, viewport()->width() - textLeft());
  m_ownHorizontalMaximum = std::max(0, m_contentWidth - textWidth);
  horizontalScrollBar()->setRange(0, m_ownHorizontalMaximum);
  horizontalScrollBar()->setPageStep(std::max(textWidth, 1));
  horizontalScrollBar()->setSingleStep(charWidth * 4);
  emit scrollRangesUpdated();
}

DiffPane::Drawn DiffPane::drawnAt(int line) const {
  Drawn d;
  const DisplayLine& shown = m_display->lines[static_cast<std::size_t>(line)];
  const core::TextDiff& diff = m_layout->diff;
  int row = shown.index;
  bool leftSide = m_side == Side::Left;
  if (shown.type == DisplayLine::Type::Unified) {
    const core::UnifiedLine& u = diff.unified[static_cast<std::size_t>(shown.index)];
    row = u.row;
    switch (u.side) {
      case core::UnifiedLine::Side::Both:
        d.kind = core::DiffRowKind::Equal;
        d.rightNumber = m_layout->right[static_cast<std::size_t>(row)].number;
        leftSide = true;
        break;
      case core::UnifiedLine::Side::Left:
        d.kind = core::DiffRowKind::Removed;
        d.sign = QLatin1Char('-');
        leftSide = true;
        break;
      case core::UnifiedLine::Side::Right:
        d.kind = core::DiffRowKind::Added;
        d.sign = QLatin1Char('+');
        leftSide = false;
        break;
    }
  } else {
    d.kind = diff.rows[static_cast<std::size_t>(row)].kind;
  }
  const DrawnLine& left = m_layout->left[static_cast<std::size_t>(row)];
  const DrawnLine& right = m_layout->right[static_cast<std::size_t>(row)];
  d.line = leftSide ? &left : &right;
  d.removedSide = leftSide;
  if (diff.rows[static_cast<std::size_t>(row)].kind == core::DiffRowKind::Changed && left.number > 0 &&
      right.number > 0 && left.ending != right.ending) {
    d.endingNote = endingName(d.line->ending);
  }
  return d;
}

void DiffPane::paintLine(QPainter& p, const DiffColors& colors, int line, int y) const {
  const DisplayLine& shown = m_display->lines[static_cast<std::size_t>(line)];
  const int width = viewport()->width();
  const int lh = lineHeight();
  const int gutter = gutterWidth();
  const int left = textLeft();
  const QRect textArea(gutter, y, width - gutter, lh);
  const QFontMetricsF fm(font());
  const int baseline = y + static_cast<int>(fm.ascent()) + 1;
  const bool inCurrentChange = line >= m_changeFirst && line < m_changeFirst + m_changeCount;
  if (inCurrentChange) p.fillRect(QRect(0, y, gutter, lh), colors.currentGutter);

  if (shown.type == DisplayLine::Type::Fold) {
    p.fillRect(QRect(0, y, width, lh), colors.fold);
    p.setPen(colors.foldText);
    const core::DiffFold& fold = m_layout->diff.folds[static_cast<std::size_t>(shown.index)];
    p.drawText(QPoint(left, baseline), foldText(fold.rowCount));
  } else {
    const Drawn d = drawnAt(line);
    const bool filler = d.line->number == 0;
    if (filler) {
      p.fillRect(textArea, colors.filler);
      p.fillRect(textArea, QBrush(colors.fillerHatch, Qt::BDiagPattern));
    } else if (d.kind != core::DiffRowKind::Equal) {
      p.fillRect(textArea, d.removedSide ? colors.removedLine : colors.addedLine);
    }
    switch (d.kind) {
      case core::DiffRowKind::Equal: break;
      case core::DiffRowKind::Removed: p.fillRect(QRect(0, y, kMarkWidth, lh), colors.removedMark); break;
      case core::DiffRowKind::Added: p.fillRect(QRect(0, y, kMarkWidth, lh), colors.addedMark); break;
      case core::DiffRowKind::Changed: p.fillRect(QRect(0, y, kMarkWidth, lh), colors.changedMark); break;
    }

    p.setPen(colors.lineNumber);
    const int numbers = numberWidth();
    const QString first = d.line->number > 0 ? QString::number(d.line->number) : QString();
    if (m_side == Side::Unified) {
      const bool onLeft = d.sign != QLatin1Char('+');
      const QString leftNumber = onLeft ? first : QString();
      const QString rightNumber =
          d.sign == QLatin1Char('+') ? first : (d.rightNumber > 0 ? QString::number(d.rightNumber) : QString());
      p.drawText(QRect(kMarkArea, y, numbers - 8, lh), Qt::AlignRight | Qt::AlignVCenter, leftNumber);
      p.drawText(QRect(kMarkArea + numbers, y, numbers - 8, lh), Qt::AlignRight | Qt::AlignVCenter,
                 rightNumber);
      p.setPen(d.kind == core::DiffRowKind::Equal ? colors.lineNumber
                                                  : (d.removedSide ? colors.removedMark : colors.addedMark));
      p.drawText(QRect(kMarkArea + 2 * numbers, y, gutter - kMarkArea - 2 * numbers, lh),
                 Qt::AlignCenter, QString(d.sign));
    } else {
      p.drawText(QRect(kMarkArea, y, numbers - 8, lh), Qt::AlignRight | Qt::AlignVCenter, first);
    }

    if (!filler) {
      p.save();
      p.setClipRect(QRect(left - 2, y, width - left + 2, lh));
      const qreal x0 = left - horizontalScrollBar()->value();
      // Only what can be in view is shaped: no glyph is narrower than half a space.
      const qreal narrowest = std::max<qreal>(1.0, fm.horizontalAdvance(QLatin1Char(' ')) / 2);
      const int limit = static_cast<int>((horizontalScrollBar()->value() + width) / narrowest) + 16;
      const QString& text = d.line->text;
      const QColor word = d.removedSide ? colors.removedWord : colors.addedWord;
      for (const auto& [begin, end] : d.line->highlights) {
        if (begin > limit) break;
        const qreal x = x0 + fm.horizontalAdvance(text.left(begin));
        const qreal w = fm.horizontalAdvance(text.mid(begin, std::min(end, limit) - begin));
        p.fillRect(QRectF(x, y + 1, std::max<qreal>(w, 2), lh - 2), word);
      }
      p.setPen(colors.text);
      const QString visible = text.size() > limit ? text.left(limit) : text;
      p.drawText(QPointF(x0, baseline), visible);
      if (!d.endingNote.isEmpty() && text.size() <= limit) {
        p.setPen(colors.lineNumber);
        p.drawText(QPointF(x0 + fm.horizontalAdvance(visible) + fm.horizontalAdvance(QLatin1Char(' ')), baseline),
                   d.endingNote);
      }
      p.restore();
    }
  }
  if (line == m_currentLine && hasFocus()) {
    p.setPen(QPen(colors.current, 1));
    p.setBrush(Qt::NoBrush);
    p.drawRect(QRect(0, y, width - 1, lh - 1));
  }
}

void DiffPane::paintEvent(QPaintEvent*) {
  QPainter p(viewport());
  const DiffColors colors = diffColors(palette());
  const QRect area = viewport()->rect();
  p.fillRect(area, colors.base);
  p.fillRect(QRect(0, 0, gutterWidth(), area.height()), colors.gutter);
  if (!m_layout || !m_display) return;
  const int lh = lineHeight();
  const int first = firstVisibleLine();
  const int last = std::min(lineCount(), first + area.height() / lh + 2);
  for (int line = first; line < last; ++line) paintLine(p, colors, line, (line - first) * lh);
}

void DiffPane::resizeEvent(QResizeEvent* event) {
  QAbstractScrollArea::resizeEvent(event);
  updateScrollBars();
}

void DiffPane::moveCurrentLine(int line) {
  if (lineCount() == 0) return;
  m_currentLine = std::clamp(line, 0, lineCount() - 1);
  ensureVisible(m_currentLine);
  viewport()->update();
  emit currentLineMoved(m_currentLine);
}

void DiffPane::mousePressEvent(QMouseEvent* event) {
  const int line = lineAt(event->position().toPoint());
  if (line < 0 || event->button() != Qt::LeftButton) {
    QAbstractScrollArea::mousePressEvent(event);
    return;
  }
  setFocus(Qt::MouseFocusReason);
  moveCurrentLine(line);
  const DisplayLine& shown = m_display->lines[static_cast<std::size_t>(line)];
  if (shown.type == DisplayLine::Type::Fold) emit foldActivated(shown.index);
  event->accept();
}

void DiffPane::mouseMoveEvent(QMouseEvent* event) {
  const int line = lineAt(event->position().toPoint());
  const bool onFold = line >= 0 && m_display->lines[static_cast<std::size_t>(line)].type == DisplayLine::Type::Fold;
  viewport()->setCursor(onFold ? Qt::PointingHandCursor : Qt::ArrowCursor);
  QAbstractScrollArea::mouseMoveEvent(event);
}

void DiffPane::keyPressEvent(QKeyEvent* event) {
  const int page = visibleLineCount();
  switch (event->key()) {
    case Qt::Key_Up: moveCurrentLine(m_currentLine - 1); break;
    case Qt::Key_Down: moveCurrentLine(m_currentLine + 1); break;
    case Qt::Key_PageUp: moveCurrentLine(m_currentLine - page); break;
    case Qt::Key_PageDown: moveCurrentLine(m_currentLine + page); break;
    case Qt::Key_Home: moveCurrentLine(0); break;
    case Qt::Key_End: moveCurrentLine(lineCount() - 1); break;
    case Qt::Key_Left: horizontalScrollBar()->triggerAction(QAbstractSlider::SliderSingleStepSub); break;
    case Qt::Key_Right: horizontalScrollBar()->triggerAction(QAbstractSlider::SliderSingleStepAdd); break;
    case Qt::Key_Return:
    case Qt::Key_Enter:
    case Qt::Key_Space:
      if (m_currentLine < lineCount() &&
          m_display->lines[static_cast<std::size_t>(m_currentLine)].type == DisplayLine::Type::Fold) {
        emit foldActivated(m_display->lines[static_cast<std::size_t>(m_currentLine)].index);
        break;
      }
      QAbstractScrollArea::keyPressEvent(event);
      return;
    default: QAbstractScrollArea::keyPressEvent(event); return;
  }
  event->accept();
}

void DiffPane::focusInEvent(QFocusEvent* event) {
  QAbstractScrollArea::focusInEvent(event);
  viewport()->update();
}

void DiffPane::focusOutEvent(QFocusEvent* event) {
  QAbstractScrollArea::focusOutEvent(event);
  viewport()->update();
}

void DiffPane::changeEvent(QEvent* event) {
  QAbstractScrollArea::changeEvent(event);
  if (event->type() == QEvent::FontChange) updateScrollBars();
}

}  // namespace podscope::ui
