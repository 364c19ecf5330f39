#include "ui/manual_window.h"

#include <QDesktopServices>
#include <QDir>
#include <QFileInfo>
#include <QFile>
#include <QHBoxLayout>
#include <QKeySequence>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QShortcut>
#include <QSplitter>
#include <QTextBrowser>
#include <QTextDocument>
#include <QUrl>
#include <QVBoxLayout>

#include <algorithm>

// The manual is compiled into the static UI library; Q_INIT_RESOURCE must
// be called outside any namespace for it to be linked in.
static void initManualResources() { Q_INIT_RESOURCE(manual); }

namespace podscope::ui {

namespace {

constexpr char kManualRoot[] = ":/manual/";

QString readPage(const QString& file) {
  QFile f(QString::fromLatin1(kManualRoot) + file);
  if (!f.open(QIODevice::ReadOnly)) return {};
  return QString::fromUtf8(f.readAll());
}

QString titleOf(const QString& text, const QString& file) {
  for (const QString& line : text.split(QLatin1Char('\n'))) {
    if (line.startsWith(QLatin1String("# "))) return line.mid(2).trimmed().remove(QLatin1Char('`'));
  }
  return file;
}

}  // namespace

QList<ManualPage> manualPages() {
  initManualResources();
  QList<ManualPage> pages;
  const QStringList files = QDir(QString::fromLatin1(kManualRoot)).entryList({QStringLiteral("*.md")}, QDir::Files);
  for (const QString& file : files) pages.push_back({file, titleOf(readPage(file), file)});
  std::sort(pages.begin(), pages.end(), [](const ManualPage& a, const ManualPage& b) {
    // What a new user reads first: how to make the simulator do things.
    const bool aFirst = a.file == QLatin1String("simulation.md");
    const bool bFirst = b.file == QLatin1String("simulation.md");
    if (aFirst != bFirst) return aFirst;
    return a.title.localeAwareCompare(b.title) < 0;
  });
  return pages;
}

ManualWindow::ManualWindow(QWidget* parent) : QDialog(parent) {
  setObjectName(QStringLiteral("manualWindow"));
  setWindowTitle(tr("Podscope Manual"));
  resize(1000, 700);

  m_pages = new QListWidget(this);
  m_pages->setObjectName(QStringLiteral("manualPages"));
  // Titles are sentences: wrapped, never cut or scrolled sideways.
  m_pages->setWordWrap(true);
  m_pages->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
  m_pages->setSpacing(3);
  for (const ManualPage& page : manualPages()) {
    auto* item = new QListWidgetItem(page.title, m_pages);
    item->setData(Qt::UserRole, page.file);
    item->setToolTip(page.file);
  }
  m_browser = new QTextBrowser(this);
  m_browser->setObjectName(QStringLiteral("manualBrowser"));
  m_browser->setOpenLinks(false);
  m_browser->document()->setDocumentMargin(16);
  m_find = new QLineEdit(this);
  m_find->setPlaceholderText(tr("Find in page (Enter: next, Shift+Enter: previous)"));
  m_find->setClearButtonEnabled(true);

  auto* split = new QSplitter(this);
  split->addWidget(m_pages);
  auto* right = new QWidget(split);
  auto* rightLayout = new QVBoxLayout(right);
  rightLayout->setContentsMargins(0, 0, 0, 0);
  rightLayout->addWidget(m_find);
  rightLayout->addWidget(m_browser, 1);
  split->addWidget(right);
  split->setStretchFactor(1, 1);
  split->setSizes({240, 760});
  auto* layout = new QVBoxLayout(this);
  layout->addWidget(split);

  connect(m_pages, &QListWidget::currentItemChanged, this, [this](QListWidgetItem* item) {
    if (item) openPage(item->data(Qt::UserRole).toString());
  });
  connect(m_browser, &QTextBrowser::anchorClicked, this, &ManualWindow::onLinkClicked);
  connect(m_find, &QLineEdit::returnPressed, this, [this] { findNext(false); });
  auto* findShortcut = new QShortcut(QKeySequence::Find, this);
  connect(findShortcut, &QShortcut::activated, this, [this] {
    m_find->setFocus();
    m_find->selectAll();
  });
  auto* previous = new QShortcut(QKeySequence(Qt::SHIFT | Qt::Key_Return), m_find);
  previous->setContext(Qt::WidgetShortcut);
  connect(previous, &QShortcut::activated, this, [this] { findNext(true); });

  if (m_pages->count() > 0) m_pages->setCurrentRow(0);
}

bool ManualWindow::openPage(const QString& file) {
  const QString text = readPage(file);
  if (text.isEmpty()) return false;
  if (file != m_current) {
    m_current = file;
    m_browser->setMarkdown(text);
    m_browser->moveCursor(QTextCursor::Start);
  }
  for (int i = 0; i < m_pages->count(); ++i) {
    if (m_pages->item(i)->data(Qt::UserRole).toString() == file && m_pages->currentRow() != i) {
      m_pages->setCurrentRow(i);
    }
  }
  return true;
}

void ManualWindow::onLinkClicked(const QUrl& url) {
  if (url.scheme() == QLatin1String("http") || url.scheme() == QLatin1String("https") ||
      url.scheme() == QLatin1String("mailto")) {
    QDesktopServices::openUrl(url);
    return;
  }
  // Links between pages are relative: `containerd.md#images`,
  // `docs/record-format.md`, `../README.md`.
  const QString file = QFileInfo(url.path()).fileName();
  if (!file.isEmpty() && openPage(file)) {
    if (!url.fragment().isEmpty()) m_browser->scrollToAnchor(url.fragment());
    return;
  }
  if (url.path().isEmpty() && !url.fragment().isEmpty()) m_browser->scrollToAnchor(url.fragment());
}

void ManualWindow::findNext(bool backwards) {
  const QString needle = m_find->text();
  if (needle.isEmpty()) return;
  const QTextDocument::FindFlags flags = backwards ? QTextDocument::FindBackward : QTextDocument::FindFlags();
  if (m_browser->find(needle, flags)) return;
  // Wrap around once.
  m_browser->moveCursor(backwards ? QTextCursor::End : QTextCursor::Start);
  m_browser->find(needle, flags);
}

}  // namespace podscope::ui
