#pragma once
// ProblemsView: the list of findings about an editor's text under a
// "Problems (N)" header. Clicking a row (or Enter on it) puts the editor's
// cursor on the finding and gives the editor the focus. A window with
// several editors points one view at the current editor with setEditor().
// Thread contract: GUI thread only.

#include <QPointer>
#include <QWidget>

class QLabel;
class QTreeView;

namespace podscope::ui {

class ManifestEditor;

class ProblemsView final : public QWidget {
  Q_OBJECT

 public:
  explicit ProblemsView(QWidget* parent = nullptr);

  /// Shows `editor`'s findings (none when null) and jumps within it.
  void setEditor(ManifestEditor* editor);
  ManifestEditor* editor() const { return m_editor; }

  QTreeView* view() const { return m_view; }
  /// "Problems (3)".
  QString title() const;

 signals:
  /// A row was activated; line and column are 1-based (0: unknown).
  void problemActivated(int line, int column);

 protected:
  /// Narrow (a side panel): the rule column and the column titles give
  /// their room to the message.
  void resizeEvent(QResizeEvent* event) override;

 private:
  void activate(const QModelIndex& index);
  void updateHeader();

  QPointer<ManifestEditor> m_editor;
  QLabel* m_title = nullptr;
  QLabel* m_counts = nullptr;
  QLabel* m_empty = nullptr;
  QTreeView* m_view = nullptr;
};

}  // namespace podscope::ui
