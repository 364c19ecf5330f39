#pragma once
// ManualWindow: Podscope's manual inside the app. Its pages are the
// project's own docs/*.md, compiled into the binary (Qt resources under
// :/manual), so the manual needs no installed files and no network and
// always matches the build. Pages render as Markdown; links to other pages
// open them here, links to the web go to the desktop's browser.
// Thread contract: GUI thread only.

#include <QDialog>
#include <QString>
#include <QStringList>

class QLineEdit;
class QListWidget;
class QTextBrowser;
class QUrl;

namespace podscope::ui {

/// One page of the manual: its file name (`simulation.md`) and its title
/// (the first `# ` heading).
struct ManualPage {
  QString file;
  QString title;
};

/// The manual's pages, in a reading order: the scenario language first,
/// then the rest by title.
QList<ManualPage> manualPages();

class ManualWindow final : public QDialog {
  Q_OBJECT

 public:
  explicit ManualWindow(QWidget* parent = nullptr);

  /// Shows the page in `file` (`containerd.md`); false when there is none.
  bool openPage(const QString& file);
  QString currentPage() const { return m_current; }
  QTextBrowser* browser() const { return m_browser; }
  QListWidget* pageList() const { return m_pages; }

 private:
  void onLinkClicked(const QUrl& url);
  void findNext(bool backwards);

  QListWidget* m_pages = nullptr;
  QTextBrowser* m_browser = nullptr;
  QLineEdit* m_find = nullptr;
  QString m_current;
};

}  // namespace podscope::ui
