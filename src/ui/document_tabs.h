#pragma once
// DocumentTabs: the open manifests, one editor tab each. A tab knows its
// file (none for an untitled buffer), whether it changed since it was
// loaded or saved, and an id that names its autosave copy.

#include <QHash>
#include <QString>
#include <QTabWidget>

namespace podscope::ui {

class ManifestEditor;

/// Thread contract: GUI thread only.
class DocumentTabs final : public QTabWidget {
  Q_OBJECT

 public:
  explicit DocumentTabs(QWidget* parent = nullptr);

  /// Adds a tab holding `text`, unmodified, and makes it current. An empty
  /// `path` makes it untitled ("untitled.yaml", "untitled-2.yaml", ...).
  /// `pristine` marks the starting template, which the next opened file
  /// replaces instead of sitting beside it.
  int addDocument(const QString& text, const QString& path, bool pristine = false);
  /// Closes the tab without asking anything.
  void removeDocument(int index);

  ManifestEditor* editorAt(int index) const;
  ManifestEditor* currentEditor() const { return editorAt(currentIndex()); }
  /// The absolute path of the tab's file; empty when untitled.
  QString pathAt(int index) const;
  void setPathAt(int index, const QString& path);
  /// The file's name, or the untitled name.
  QString nameAt(int index) const;
  bool isModifiedAt(int index) const;
  /// Still the untouched starting template.
  bool isPristineAt(int index) const;
  /// The id naming this tab's autosave copy; stable while the tab lives.
  QString idAt(int index) const;
  /// Gives the tab an id (a restored autosave keeps its own).
  void setIdAt(int index, const QString& id);
  /// The tab showing `path` (compared as absolute paths), or -1.
  int indexOfPath(const QString& path) const;
  int indexOfEditor(const ManifestEditor* editor) const;
  /// Tabs with changes not saved.
  QList<int> modifiedIndexes() const;

 signals:
  /// The text of a tab changed (typing, undo, replace).
  void documentEdited(int index);
  /// A tab's modified state, path or name changed, or tabs came and went.
  void documentsChanged();
  /// A tab's text was read again off the GUI thread: its editor's
  /// analyzer()->latest() holds the manifest as it now reads.
  void documentAnalyzed(int index);

 private:
  struct Document {
    QString path;
    QString untitledName;
    QString id;
    bool pristine = false;
  };

  void refreshTab(int index);
  QString nextUntitledName() const;

  QHash<const ManifestEditor*, Document> m_documents;
};

}  // namespace podscope::ui
