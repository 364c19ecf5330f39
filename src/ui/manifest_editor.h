#pragma once
// ManifestEditor: the YAML editor the manifest is written in, set up the way
// Kubernetes YAML wants (spaces only, two-space indent, folding) and able to
// point at a problem in place.

#include <Qsci/qsciscintilla.h>
#include <Qsci/qscistyle.h>

#include <QString>

class QsciLexerYAML;

namespace podscope::ui {

/// Thread contract: GUI thread only.
class ManifestEditor final : public QsciScintilla {
  Q_OBJECT

 public:
  explicit ManifestEditor(QWidget* parent = nullptr);

  /// Marks a problem: a squiggle from `column` to the end of the line, a
  /// margin marker, and the message shown under the line. Lines and columns
  /// are 1-based, as in core::SourcePos; 0 means unknown. Replaces any
  /// problem shown before.
  void showProblem(int line, int column, const QString& message);
  void clearProblem();
  /// The 1-based line of the problem shown, or 0.
  int problemLine() const { return m_problemLine; }

 protected:
  // Files dropped on the editor are for the window to open, not text to
  // insert: these pass URL drags on so the window receives them.
  void dragEnterEvent(QDragEnterEvent* event) override;
  void dragMoveEvent(QDragMoveEvent* event) override;
  void dropEvent(QDropEvent* event) override;

 private:
  void setUpAppearance();

  QsciLexerYAML* m_lexer = nullptr;
  int m_problemIndicator = -1;
  int m_problemMarker = -1;
  int m_problemLine = 0;
  QsciStyle m_problemStyle;
};

}  // namespace podscope::ui
