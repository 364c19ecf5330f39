#pragma once
// DiffPane: one pane of the revision diff, drawing a DiffLayout's lines as
// DiffDisplay lists them: the left or right side of the side-by-side view,
// or the unified view. Only the visible lines are painted; each is a
// line-number gutter with a change mark, then the text with its row's
// colour and the highlights of the words that changed. A folded stretch of
// unchanged lines is one "⋯ 42 unchanged lines" row that opens on click,
// Enter or Space. The vertical scroll bar counts lines, the horizontal one
// pixels; DiffView keeps the panes' bars in step.
//
// Thread contract: GUI thread only.

#include <QAbstractScrollArea>
#include <QColor>

#include <memory>

#include "ui/diff_layout.h"

class QPalette;

namespace podscope::ui {

/// The colours of a diff, derived from the palette so they suit light and
/// dark themes alike: state_palette's red, green and blue mixed into the
/// base colour, more strongly on a dark base.
struct DiffColors {
  QColor base;
  QColor text;
  QColor gutter;
  QColor lineNumber;
  QColor removedLine;
  QColor addedLine;
  QColor removedWord;
  QColor addedWord;
  QColor removedMark;
  QColor addedMark;
  QColor changedMark;
  QColor filler;
  QColor fillerHatch;
  QColor fold;
  QColor foldText;
  QColor current;         ///< the keyboard's line outline
  QColor currentGutter;  ///< the gutter beside the change stepped to
};
DiffColors diffColors(const QPalette& palette);

class DiffPane final : public QAbstractScrollArea {
  Q_OBJECT

 public:
  enum class Side { Left, Right, Unified };

  explicit DiffPane(Side side, QWidget* parent = nullptr);

  Side side() const { return m_side; }
  /// What to draw; `display` is owned by the caller and outlives its use.
  void setContent(std::shared_ptr<const DiffLayout> layout, const DiffDisplay* display);
  /// The widest text to scroll to, in pixels (the same for panes in step).
  void setContentWidth(int pixels);
  int contentWidth() const { return m_contentWidth; }
  /// How far this pane alone would scroll horizontally; panes in step all
  /// take the largest (a pane without a vertical bar is wider).
  int ownHorizontalMaximum() const { return m_ownHorizontalMaximum; }
  /// The widest of the layout's likely widest lines on this pane's side(s).
  int measureWidestLine() const;

  /// The keyboard's line, outlined while the pane has focus.
  int currentLine() const { return m_currentLine; }
  void setCurrentLine(int line);
  /// Display lines [first, first + count): the change stepped to, its gutter tinted.
  void setCurrentChange(int first, int count);

  int lineCount() const;
  int lineHeight() const;
  int gutterWidth() const;
  /// Where the text starts (before horizontal scrolling), in viewport x.
  int textLeft() const;
  int firstVisibleLine() const;
  int visibleLineCount() const;  ///< lines wholly in view
  /// Scrolls the least needed for `line` to be in view.
  void ensureVisible(int line);
  /// The display line at a viewport position, or -1.
  int lineAt(QPoint pos) const;
  /// Where a display line is, in viewport coordinates.
  QRect lineRect(int line) const;
  /// The text a fold row shows, e.g. "⋯ 42 unchanged lines".
  static QString foldText(int lines);

  QSize sizeHint() const override;

 signals:
  void foldActivated(int fold);
  /// The scroll ranges were set again (content, size or font changed).
  void scrollRangesUpdated();
  /// The user moved the current line (keys or a click).
  void currentLineMoved(int line);

 protected:
  void paintEvent(QPaintEvent* event) override;
  void resizeEvent(QResizeEvent* event) override;
  void mousePressEvent(QMouseEvent* event) override;
  void mouseMoveEvent(QMouseEvent* event) override;
  void keyPressEvent(QKeyEvent* event) override;
  void focusInEvent(QFocusEvent* event) override;
  void focusOutEvent(QFocusEvent* event) override;
  void changeEvent(QEvent* event) override;

 private:
  /// What one display line shows (not a fold).
  struct Drawn {
    const DrawnLine* line = nullptr;
    int rightNumber = 0;  ///< the unified view's second number, on unchanged lines
    core::DiffRowKind kind = core::DiffRowKind::Equal;
    QChar sign = QLatin1Char(' ');
    bool removedSide = false;  ///< drawn in removed colours (left side, or a unified `-` line)
    QString endingNote;        ///< when the two sides' lines differ in how they end
  };
  Drawn drawnAt(int line) const;
  void paintLine(class QPainter& p, const DiffColors& colors, int line, int y) const;
  void updateScrollBars();
  void moveCurrentLine(int line);
  int numberWidth() const;

  Side m_side;
  std::shared_ptr<const DiffLayout> m_layout;
  const DiffDisplay* m_display = nullptr;
  int m_contentWidth = 0;
  int m_ownHorizontalMaximum = 0;
  int m_currentLine = 0;
  int m_changeFirst = -1;
  int m_changeCount = 0;
};

}  // namespace podscope::ui
