#include "ui/document_tabs.h"

#include "ui/manifest_analyzer.h"

#include <QFileInfo>
#include <QTabBar>
#include <QUuid>

#include "ui/manifest_editor.h"

namespace podscope::ui {

DocumentTabs::DocumentTabs(QWidget* parent) : QTabWidget(parent) {
  setObjectName(QStringLiteral("documentTabs"));
  setDocumentMode(true);
  setMovable(true);
  setTabsClosable(true);
  setUsesScrollButtons(true);
  tabBar()->setElideMode(Qt::ElideMiddle);
  tabBar()->setExpanding(false);
  connect(this, &QTabWidget::currentChanged, this, &DocumentTabs::documentsChanged);
  connect(tabBar(), &QTabBar::tabMoved, this, &DocumentTabs::documentsChanged);
}

QString DocumentTabs::nextUntitledName() const {
  for (int n = 1;; ++n) {
    const QString name = n == 1 ? QStringLiteral("untitled.yaml") : QStringLiteral("untitled-%1.yaml").arg(n);
    bool used = false;
    for (const Document& d : m_documents) used = used || (d.path.isEmpty() && d.untitledName == name);
    if (!used) return name;
  }
}

int DocumentTabs::addDocument(const QString& text, const QString& path, bool pristine) {
  auto* editor = new ManifestEditor(this);
  editor->setObjectName(QStringLiteral("manifestEditor"));
  editor->setText(text);
  editor->setModified(false);
  editor->setCursorPosition(0, 0);
  Document doc;
  doc.path = path.isEmpty() ? QString() : QFileInfo(path).absoluteFilePath();
  doc.untitledName = doc.path.isEmpty() ? nextUntitledName() : QString();
  doc.id = QUuid::createUuid().toString(QUuid::WithoutBraces);
  doc.pristine = pristine;
  m_documents.insert(editor, doc);
  const int index = addTab(editor, QString());
  refreshTab(index);
  connect(editor, &ManifestEditor::modificationChanged, this, [this, editor] {
    const int i = indexOf(editor);
    if (i < 0) return;
    refreshTab(i);
    emit documentsChanged();
  });
  connect(editor, &ManifestEditor::textChanged, this, [this, editor] {
    auto it = m_documents.find(editor);
    if (it != m_documents.end() && editor->isModified()) it->pristine = false;
    const int i = indexOf(editor);
    if (i >= 0) emit documentEdited(i);
  });
  connect(editor->analyzer(), &ManifestAnalyzer::analyzed, this, [this, editor] {
    const int i = indexOf(editor);
    if (i >= 0) emit documentAnalyzed(i);
  });
  setCurrentIndex(index);
  emit documentsChanged();
  return index;
}

void DocumentTabs::removeDocument(int index) {
  ManifestEditor* editor = editorAt(index);
  if (!editor) return;
  m_documents.remove(editor);
  removeTab(index);
  editor->deleteLater();
  emit documentsChanged();
}

ManifestEditor* DocumentTabs::editorAt(int index) const { return qobject_cast<ManifestEditor*>(widget(index)); }

QString DocumentTabs::pathAt(int index) const { return m_documents.value(editorAt(index)).path; }

void DocumentTabs::setPathAt(int index, const QString& path) {
  auto it = m_documents.find(editorAt(index));
  if (it == m_documents.end()) return;
  it->path = path.isEmpty() ? QString() : QFileInfo(path).absoluteFilePath();
  if (it->path.isEmpty() && it->untitledName.isEmpty()) it->untitledName = nextUntitledName();
  it->pristine = false;
  refreshTab(index);
  emit documentsChanged();
}

QString DocumentTabs::nameAt(int index) const {
  const Document doc = m_documents.value(editorAt(index));
  return doc.path.isEmpty() ? doc.untitledName : QFileInfo(doc.path).fileName();
}

bool DocumentTabs::isModifiedAt(int index) const {
  const ManifestEditor* editor = editorAt(index);
  return editor && editor->isModified();
}

bool DocumentTabs::isPristineAt(int index) const {
  const ManifestEditor* editor = editorAt(index);
  return editor && !editor->isModified() && m_documents.value(editor).pristine;
}

QString DocumentTabs::idAt(int index) const { return m_documents.value(editorAt(index)).id; }

void DocumentTabs::setIdAt(int index, const QString& id) {
  auto it = m_documents.find(editorAt(index));
  if (it != m_documents.end() && !id.isEmpty()) it->id = id;
}

int DocumentTabs::indexOfPath(const QString& path) const {
  if (path.isEmpty()) return -1;
  const QString absolute = QFileInfo(path).absoluteFilePath();
  for (int i = 0; i < count(); ++i) {
    if (pathAt(i) == absolute) return i;
  }
  return -1;
}

int DocumentTabs::indexOfEditor(const ManifestEditor* editor) const {
  for (int i = 0; i < count(); ++i) {
    if (editorAt(i) == editor) return i;
  }
  return -1;
}

QList<int> DocumentTabs::modifiedIndexes() const {
  QList<int> out;
  for (int i = 0; i < count(); ++i) {
    if (isModifiedAt(i)) out << i;
  }
  return out;
}

void DocumentTabs::refreshTab(int index) {
  const QString name = nameAt(index);
  // Findings name the file as the tab does.
  if (ManifestEditor* editor = editorAt(index)) editor->setFileName(name);
  setTabText(index, isModifiedAt(index) ? QStringLiteral("%1 ●").arg(name) : name);
  const QString path = pathAt(index);
  setTabToolTip(index, path.isEmpty() ? tr("%1 — not saved yet").arg(name) : path);
}

}  // namespace podscope::ui
