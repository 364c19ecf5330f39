#pragma once
// FindBar: find and replace in a ManifestEditor, floating over the editor's
// top right corner: next/previous (wrapping), match case, whole word,
// regular expression, replace and replace all (one undo step).
// Thread contract: GUI thread only.

#include <QFrame>

class QLabel;
class QLineEdit;
class QToolButton;
class QWidget;

namespace podscope::ui {

class ManifestEditor;

class FindBar final : public QFrame {
  Q_OBJECT

 public:
  explicit FindBar(ManifestEditor* editor);

  /// Shows the bar with the find field focused, holding the selection (when
  /// it is on one line) or the last search.
  void showFind();
  /// The same with the replace row shown too.
  void showReplace();
  /// Hides the bar and returns the focus to the editor.
  void close();
  /// Keeps the bar in the editor's top right corner; the editor calls it on resize.
  void reposition();

  /// Selects the next (or previous) match after (or before) the cursor,
  /// wrapping at the end; returns whether there is one.
  bool findNext();
  bool findPrevious();
  /// Replaces the selected match and selects the next one.
  bool replaceOne();
  /// Replaces every match; returns how many.
  int replaceAll();

  void setMatchCase(bool on);
  void setWholeWord(bool on);
  void setRegularExpression(bool on);

  QLineEdit* findEdit() const { return m_find; }
  QLineEdit* replaceEdit() const { return m_replace; }
  bool isReplaceShown() const;
  /// "No matches", "Replaced 3", or empty.
  QString status() const;

 protected:
  void keyPressEvent(QKeyEvent* event) override;

 private:
  bool find(bool forward);
  void showStatus(const QString& text, bool problem);

  ManifestEditor* m_editor;
  QLineEdit* m_find = nullptr;
  QLineEdit* m_replace = nullptr;
  QToolButton* m_matchCase = nullptr;
  QToolButton* m_wholeWord = nullptr;
  QToolButton* m_regex = nullptr;
  QWidget* m_replaceRow = nullptr;
  QLabel* m_status = nullptr;
};

}  // namespace podscope::ui
