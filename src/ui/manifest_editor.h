#pragma once
// ManifestEditor: the YAML editor the manifest is written in, set up the way
// Kubernetes YAML wants (spaces only, two-space indent, folding). While the
// user types, the text is validated in the background and every finding is
// underlined in place, marked in the margin and listed in a ProblemsModel;
// hovering shows the findings and what the schema says about a field;
// completion offers the fields and values valid at the cursor. Its editing
// commands (find/replace, go to line, comment toggling, completion,
// undo/redo) are QActions a window can put in its menus.

#include <Qsci/qsciscintilla.h>
#include <Qsci/qscistyle.h>

#include <QList>
#include <QString>

#include <memory>
#include <optional>
#include <vector>

#include "core/completion.h"
#include "core/diagnostic.h"
#include "ui/manifest_analyzer.h"

class QAction;
class QLabel;
class QsciLexerYAML;

namespace podscope::ui {

class FindBar;
class ProblemsModel;

/// Thread contract: GUI thread only.
class ManifestEditor final : public QsciScintilla {
  Q_OBJECT

 public:
  explicit ManifestEditor(QWidget* parent = nullptr);
  ~ManifestEditor() override;

  /// Marks a problem: a squiggle from `column` to the end of the line, a
  /// margin marker, and the message shown under the line. Lines and columns
  /// are 1-based, as in core::SourcePos; 0 means unknown. Replaces any
  /// problem shown before.
  void showProblem(int line, int column, const QString& message);
  void clearProblem();
  /// The 1-based line of the problem shown, or 0.
  int problemLine() const { return m_problemLine; }

  // --- live findings -------------------------------------------------------

  /// The name findings carry (the file's name; "untitled.yaml" when none).
  void setFileName(const QString& name);
  ManifestAnalyzer* analyzer() const { return m_analyzer; }
  ProblemsModel* problemsModel() const { return m_problems; }
  /// The findings shown now; they describe the text of analyzer()->latest().
  std::vector<PlacedDiagnostic> shownDiagnostics() const;
  /// The severity underlined at a 0-based line and character index, if any.
  std::optional<core::Severity> underlineAt(int line, int index) const;
  /// The severity of the margin marker on a 0-based line, if any.
  std::optional<core::Severity> markerOn(int line) const;
  /// What hovering at a 0-based line and character index shows (rich
  /// text): the findings there, and the field under the mouse with its
  /// description and defaults. Empty when there is nothing to say.
  QString hoverText(int line, int index) const;

  // --- moving around -------------------------------------------------------

  /// Puts the cursor at a 1-based line and column (characters), as core
  /// positions name them, shows it, and gives the editor the focus.
  void goToPosition(int line, int column);
  /// The same at the start of a line's text.
  void goToLine(int line);
  /// Opens the small dialog that asks for a line number.
  void askForLine();

  // --- editing -------------------------------------------------------------

  /// Comments out the lines of the selection (or the cursor's line) with
  /// "# " at their common indentation, or uncomments them when all are
  /// comments already. One undo step.
  void toggleComment();
  /// Offers the fields or values valid at the cursor. Returns whether a
  /// list is shown.
  bool complete();
  /// The labels of the completion list shown (empty when none is).
  QStringList completionLabels() const;
  /// The text describing the selected completion item (shown beside the list).
  QString completionInfo() const;
  FindBar* findBar() const { return m_findBar; }

  QAction* undoAction() const { return m_undoAction; }
  QAction* redoAction() const { return m_redoAction; }
  QAction* findAction() const { return m_findAction; }
  QAction* findNextAction() const { return m_findNextAction; }
  QAction* findPreviousAction() const { return m_findPreviousAction; }
  QAction* replaceAction() const { return m_replaceAction; }
  QAction* goToLineAction() const { return m_goToLineAction; }
  QAction* toggleCommentAction() const { return m_toggleCommentAction; }
  QAction* completeAction() const { return m_completeAction; }
  /// Every editing action, in the order an Edit menu lists them; null
  /// entries mark where a separator goes.
  QList<QAction*> editActions() const;

  /// The text as UTF-8, copied straight from the editor's buffer.
  QByteArray utf8Text() const;

 signals:
  /// The findings shown (underlines, markers, problemsModel()) were
  /// replaced by those of a newer analysis.
  void diagnosticsShown();

 protected:
  // Files dropped on the editor are for the window to open, not text to
  // insert: these pass URL drags on so the window receives them.
  void dragEnterEvent(QDragEnterEvent* event) override;
  void dragMoveEvent(QDragMoveEvent* event) override;
  void dropEvent(QDropEvent* event) override;
  void resizeEvent(QResizeEvent* event) override;
  void focusOutEvent(QFocusEvent* event) override;

 private:
  void setUpAppearance();
  void setUpDiagnostics();
  void setUpActions();
  void setUpCompletion();
  QAction* makeAction(const QString& text, const QList<QKeySequence>& keys, Qt::ShortcutContext context);

  void showAnalysis(const std::shared_ptr<const Analysis>& analysis);
  void onTextChanged();
  void onCharAdded(int ch);
  void indentNewLine();
  void onDwellStart(int position, int x, int y);
  void onCompletionChosen(const char* selection, int position);
  void showCompletionInfo(const QString& label);
  void hideCompletionInfo();
  void updateUndoActions();
  void placeFindBar();
  int positionOf(int line, int column) const;

  QsciLexerYAML* m_lexer = nullptr;
  int m_problemIndicator = -1;
  int m_problemLine = 0;
  QsciStyle m_problemStyle;

  ManifestAnalyzer* m_analyzer = nullptr;
  ProblemsModel* m_problems = nullptr;
  std::shared_ptr<const Analysis> m_shown;  ///< the analysis whose findings are on screen
  int m_indicators[3] = {-1, -1, -1};       ///< by core::Severity
  int m_markers[3] = {-1, -1, -1};

  std::vector<core::CompletionItem> m_completion;
  QLabel* m_completionInfo = nullptr;
  FindBar* m_findBar = nullptr;

  QAction* m_undoAction = nullptr;
  QAction* m_redoAction = nullptr;
  QAction* m_findAction = nullptr;
  QAction* m_findNextAction = nullptr;
  QAction* m_findPreviousAction = nullptr;
  QAction* m_replaceAction = nullptr;
  QAction* m_goToLineAction = nullptr;
  QAction* m_toggleCommentAction = nullptr;
  QAction* m_completeAction = nullptr;
};

}  // namespace podscope::ui
