// The window's documents: a tab per manifest, drops of many files and
// folders, closing with unsaved changes, recent files, the Manifests panel,
// copies of unsaved buffers that survive a crash, and the theme.

#include <gtest/gtest.h>

#include <QApplication>
#include <QDialogButtonBox>
#include <QLineEdit>
#include <QMessageBox>
#include <QTextBrowser>
#include <QListWidget>
#include <QPushButton>
#include <QDir>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFile>
#include <QMimeData>
#include <QPalette>
#include <QTemporaryDir>
#include <QTest>
#include <QTreeWidget>

#include <algorithm>
#include <string>
#include <variant>
#include <vector>

#include "ui/autosave_store.h"
#include "ui/containerd_settings_dialog.h"
#include "ui/document_tabs.h"
#include "ui/main_window.h"
#include "ui/manual_window.h"
#include "ui/manifest_editor.h"
#include "ui/message_banner.h"
#include "ui/events_model.h"
#include "ui/run_controller.h"
#include "ui/run_panels.h"
#include "ui/timeline_model.h"
#include "ui/theme.h"
#include "ui_test_support.h"

namespace podscope::ui {
namespace {

const char kServiceAndPod[] = R"(apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  ports:
  - port: 80
---
apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  containers:
  - name: nginx
    image: nginx:1.25
)";

void drop(MainWindow& window, const QStringList& paths) {
  QList<QUrl> urls;
  for (const QString& p : paths) urls << QUrl::fromLocalFile(p);
  QMimeData mime;
  mime.setUrls(urls);
  const QPoint at = window.rect().center();
  QDragEnterEvent enter(at, Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
  QApplication::sendEvent(&window, &enter);
  ASSERT_TRUE(enter.isAccepted());
  QDropEvent dropEvent(QPointF(at), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
  QApplication::sendEvent(&window, &dropEvent);
}

QStringList tabNames(const MainWindow& window) {
  QStringList names;
  for (int i = 0; i < window.documentTabs()->count(); ++i) names << window.documentTabs()->nameAt(i);
  return names;
}

TEST(DocumentsTest, DroppingFilesAndAFolderOpensATabEachAndReplacesTheUntouchedTemplate) {
  test::TempFiles files;
  const QString a = files.write(QStringLiteral("a.yaml"), test::kInitContainerPod);
  const QString folderFile = files.write(QStringLiteral("more/b.yml"), kServiceAndPod);
  files.write(QStringLiteral("more/notes.txt"), "not a manifest");
  MainWindow window;
  window.show();
  ASSERT_EQ(window.documentTabs()->count(), 1);
  EXPECT_TRUE(window.documentTabs()->isPristineAt(0));

  drop(window, {a, QFileInfo(folderFile).absolutePath()});
  EXPECT_EQ(tabNames(window), (QStringList{QStringLiteral("a.yaml"), QStringLiteral("b.yml")}));
  EXPECT_EQ(window.filePath(), QFileInfo(folderFile).absoluteFilePath());
  EXPECT_TRUE(window.messageBanner()->isHidden()) << window.messageBanner()->text().toStdString();

  // Opening a file that is open already shows its tab.
  ASSERT_TRUE(window.openFile(a));
  EXPECT_EQ(window.documentTabs()->count(), 2);
  EXPECT_EQ(window.filePath(), QFileInfo(a).absoluteFilePath());
  EXPECT_EQ(window.recentFiles().front(), QFileInfo(folderFile).absoluteFilePath());
}

TEST(DocumentsTest, WhatCannotBeOpenedIsListedInOneMessageAndTheRestOpens) {
  test::TempFiles files;
  const QString good = files.write(QStringLiteral("good.yaml"), test::kInitContainerPod);
  const QString binary = files.write(QStringLiteral("image.png"), QByteArray("\x89PNG\r\n\0\0", 8));
  const QString empty = QFileInfo(files.write(QStringLiteral("empty/readme.txt"), "x")).absolutePath();
  MainWindow window;
  window.show();
  drop(window, {good, binary, empty});
  EXPECT_EQ(tabNames(window), QStringList{QStringLiteral("good.yaml")});
  const QString message = window.messageBanner()->text();
  EXPECT_TRUE(message.contains(QStringLiteral("Opened 1 file"))) << message.toStdString();
  EXPECT_TRUE(message.contains(QStringLiteral("image.png is not a text file"))) << message.toStdString();
  EXPECT_TRUE(message.contains(QStringLiteral("empty holds no .yaml or .yml files"))) << message.toStdString();
}

TEST(DocumentsTest, ClosingATabWithChangesAsksAndCancelKeepsIt) {
  test::TempFiles files;
  const QString path = files.write(QStringLiteral("pod.yaml"), test::kInitContainerPod);
  MainWindow window;
  window.show();
  ASSERT_TRUE(window.openFile(path));
  window.newDocument();
  ASSERT_EQ(window.documentTabs()->count(), 2);
  window.documentTabs()->setCurrentIndex(0);
  window.editor()->insertAt(QStringLiteral("# edited\n"), 0, 0);

  QStringList asked;
  window.setDiscardPrompt([&](const QStringList& names) {
    asked = names;
    return MainWindow::DiscardAnswer::Cancel;
  });
  EXPECT_FALSE(window.closeDocument(0));
  EXPECT_EQ(asked, QStringList{QStringLiteral("pod.yaml")});
  EXPECT_EQ(window.documentTabs()->count(), 2);

  // Save writes the file before the tab goes.
  window.setDiscardPrompt([](const QStringList&) { return MainWindow::DiscardAnswer::Save; });
  EXPECT_TRUE(window.closeDocument(0));
  EXPECT_EQ(window.documentTabs()->count(), 1);
  QFile saved(path);
  ASSERT_TRUE(saved.open(QIODevice::ReadOnly));
  EXPECT_TRUE(saved.readAll().startsWith("# edited\n"));

  // The last tab closed leaves a fresh template, never an empty window.
  EXPECT_TRUE(window.closeDocument(0));
  EXPECT_EQ(window.documentTabs()->count(), 1);
  EXPECT_TRUE(window.documentTabs()->isPristineAt(0));
}

TEST(DocumentsTest, TheManifestsPanelListsEachFilesObjectsAndGreysWhatIsNotRun) {
  test::TempFiles files;
  const QString path = files.write(QStringLiteral("web.yaml"), kServiceAndPod);
  MainWindow window;
  window.show();
  ASSERT_TRUE(window.openFile(path));
  QTreeWidget* tree = window.manifestsTree();
  ASSERT_TRUE(QTest::qWaitFor([&] { return tree->topLevelItemCount() == 1 && tree->topLevelItem(0)->childCount() == 2; },
                              2000));
  QTreeWidgetItem* file = tree->topLevelItem(0);
  EXPECT_EQ(file->text(0), QStringLiteral("web.yaml"));
  EXPECT_EQ(file->child(0)->text(0), QStringLiteral("Service web"));
  EXPECT_TRUE(file->child(0)->toolTip(0).contains(QStringLiteral("not run")));
  EXPECT_EQ(file->child(1)->text(0), QStringLiteral("Pod web"));
  EXPECT_TRUE(file->child(1)->toolTip(0).contains(QStringLiteral("Run runs this pod")));

  // Activating an object puts the cursor on its first line.
  emit tree->itemActivated(file->child(1), 0);
  int line = 0;
  int column = 0;
  window.editor()->getCursorPosition(&line, &column);
  EXPECT_EQ(line + 1, 9);  // the Pod starts after the --- on line 8

  // Edits show up after a short pause.
  window.editor()->setText(QString::fromUtf8(test::kInitContainerPod));
  ASSERT_TRUE(QTest::qWaitFor(
      [&] {
        return tree->topLevelItemCount() == 1 && tree->topLevelItem(0)->childCount() == 1 &&
               tree->topLevelItem(0)->child(0)->text(0).startsWith(QStringLiteral("Pod "));
      },
      2000));
  EXPECT_TRUE(tree->topLevelItem(0)->text(0).endsWith(QStringLiteral("●")));
}

TEST(DocumentsTest, UnsavedBuffersOfASessionThatDidNotCloseAreOfferedAndReopened) {
  QTemporaryDir root;
  ASSERT_TRUE(root.isValid());
  test::TempFiles files;
  const QString path = files.write(QStringLiteral("saved.yaml"), test::kInitContainerPod);
  QString crashedCopy;
  {
    MainWindow first;
    first.enableAutosave(root.path());
    ASSERT_TRUE(first.openFile(path));
    first.editor()->insertAt(QStringLiteral("# typed, not saved\n"), 0, 0);
    first.newDocument();
    first.editor()->setText(QStringLiteral("apiVersion: v1\nkind: Pod\n# new and untitled\n"));
    first.autosaveNow();
    // A crash leaves the session's folder behind (and no live lock): copy
    // it before the window closes normally and removes its own.
    const QStringList sessions = QDir(root.path()).entryList(QDir::Dirs | QDir::NoDotAndDotDot);
    ASSERT_EQ(sessions.size(), 1);
    crashedCopy = root.path() + QStringLiteral("/crashed");
    QDir().mkpath(crashedCopy);
    for (const QString& name : QDir(root.path() + QLatin1Char('/') + sessions.front()).entryList(QDir::Files)) {
      if (name.endsWith(QLatin1String(".lock"))) continue;
      ASSERT_TRUE(QFile::copy(root.path() + QLatin1Char('/') + sessions.front() + QLatin1Char('/') + name,
                              crashedCopy + QLatin1Char('/') + name));
    }
    first.setDiscardPrompt([](const QStringList&) { return MainWindow::DiscardAnswer::Discard; });
    first.close();
  }
  // The window that closed normally left nothing of its own.
  EXPECT_EQ(QDir(root.path()).entryList(QDir::Dirs | QDir::NoDotAndDotDot), QStringList{QStringLiteral("crashed")});

  MainWindow second;
  second.show();
  second.enableAutosave(root.path());
  EXPECT_EQ(second.offerRecovery(), 2);
  EXPECT_TRUE(second.messageBanner()->text().contains(QStringLiteral("saved.yaml"))) << second.messageBanner()->text().toStdString();
  EXPECT_EQ(second.recoverUnsavedBuffers(), 2);
  DocumentTabs* tabs = second.documentTabs();
  ASSERT_EQ(tabs->count(), 2);
  int savedIndex = tabs->indexOfPath(path);
  ASSERT_GE(savedIndex, 0);
  EXPECT_TRUE(tabs->isModifiedAt(savedIndex));
  EXPECT_TRUE(tabs->editorAt(savedIndex)->text().startsWith(QStringLiteral("# typed, not saved\n")));
  const int untitled = savedIndex == 0 ? 1 : 0;
  EXPECT_TRUE(tabs->pathAt(untitled).isEmpty());
  EXPECT_TRUE(tabs->editorAt(untitled)->text().contains(QStringLiteral("# new and untitled")));
  // Taken over: not offered a second time.
  EXPECT_FALSE(QDir(crashedCopy).exists());
  MainWindow third;
  third.enableAutosave(root.path());
  EXPECT_EQ(third.offerRecovery(), 0);
  second.setDiscardPrompt([](const QStringList&) { return MainWindow::DiscardAnswer::Discard; });
}

TEST(DocumentsTest, AutosaveCopiesArePrivateAndReplacedAtomically) {
  QTemporaryDir root;
  AutosaveStore store(root.path());
  ASSERT_TRUE(store.isUsable()) << store.problem().toStdString();
  ASSERT_TRUE(store.save(QStringLiteral("abc"), QStringLiteral("one"), {}, QStringLiteral("untitled.yaml")));
  ASSERT_TRUE(store.save(QStringLiteral("abc"), QStringLiteral("two"), {}, QStringLiteral("untitled.yaml")));
  const QStringList sessions = QDir(root.path()).entryList(QDir::Dirs | QDir::NoDotAndDotDot);
  ASSERT_EQ(sessions.size(), 1);
  const QString copy = root.path() + QLatin1Char('/') + sessions.front() + QStringLiteral("/abc.yaml");
  QFile file(copy);
  ASSERT_TRUE(file.open(QIODevice::ReadOnly));
  EXPECT_EQ(file.readAll(), "two");
  EXPECT_EQ(QFileInfo(copy).permissions() & (QFileDevice::ReadOther | QFileDevice::ReadGroup), 0);
  // A live session's copies are never offered to another window.
  AutosaveStore other(root.path());
  EXPECT_TRUE(other.recoverable().empty());
}

TEST(DocumentsTest, DarkAndLightThemesChangeThePaletteAndSystemRestoresIt) {
  const QColor before = QApplication::palette().color(QPalette::Window);
  applyTheme(Theme::Dark);
  EXPECT_TRUE(isDarkPalette());
  applyTheme(Theme::Light);
  EXPECT_FALSE(isDarkPalette());
  applyTheme(Theme::System);
  EXPECT_EQ(QApplication::palette().color(QPalette::Window), before);
}

TEST(DocumentsTest, ADroppedPodRunsOnTheSimulatorWithTimelineEventsAndATerminatingEnd) {
  test::TempFiles files;
  // A server that never ends: the simulated run's limit deletes it.
  const QString path = files.write(QStringLiteral("server.yaml"), R"(apiVersion: v1
kind: Pod
metadata:
  name: server
spec:
  terminationGracePeriodSeconds: 5
  containers:
  - name: web
    image: nginx:1.25
    readinessProbe:
      httpGet: {path: /, port: 80}
)");
  MainWindow window;
  window.show();
  drop(window, {path});
  ASSERT_EQ(window.filePath(), QFileInfo(path).absoluteFilePath());
  std::vector<std::string> statuses;
  QObject::connect(window.findChild<RunController*>(), &RunController::recordAppended, &window,
                   [&](const RecordBatch& batch) {
                     for (const RecordEntry& entry : batch) {
                       if (const auto* line = std::get_if<core::PodStatusLine>(&entry)) statuses.push_back(line->status);
                     }
                   });
  window.run();
  ASSERT_TRUE(QTest::qWaitFor([&] { return !window.isRunning() && window.lastResult(); }, 20000));
  ASSERT_FALSE(window.lastResult()->error);
  EXPECT_GE(window.runPanels()->timelineModel()->rowCount(), 2);
  EXPECT_GT(window.runPanels()->eventsModel()->rowCount(), 0);
  ASSERT_FALSE(statuses.empty());
  EXPECT_NE(std::find(statuses.begin(), statuses.end(), "Running"), statuses.end());
  EXPECT_NE(std::find(statuses.begin(), statuses.end(), "Terminating"), statuses.end());
  EXPECT_EQ(window.lastResult()->record.outcome, core::RunOutcome::Stopped);
}

TEST(DocumentsTest, TheContainerdSettingsDialogChecksWhatIsTyped) {
  ContainerdSettings start;
  start.address = QStringLiteral("/tmp/c.sock");
  ContainerdSettingsDialog dialog(start);
  auto* ok = dialog.findChild<QDialogButtonBox*>()->button(QDialogButtonBox::Ok);
  EXPECT_TRUE(ok->isEnabled());
  dialog.namespaceEdit()->setText(QStringLiteral("team a"));
  EXPECT_FALSE(ok->isEnabled());
  EXPECT_TRUE(dialog.problem().contains(QStringLiteral("not a containerd namespace name")));
  dialog.namespaceEdit()->setText(QStringLiteral("team-a.dev"));
  dialog.addressEdit()->setText(QStringLiteral("localhost:1234"));
  EXPECT_FALSE(ok->isEnabled());
  dialog.addressEdit()->clear();
  dialog.stateDirEdit()->setText(QStringLiteral("/tmp/x/../podscope-state/"));
  EXPECT_TRUE(ok->isEnabled());
  const ContainerdSettings chosen = dialog.settings();
  EXPECT_EQ(chosen.address, QString::fromLatin1(kDefaultContainerdAddress));  // empty: the default
  EXPECT_EQ(chosen.containerdNamespace, QStringLiteral("team-a.dev"));
  EXPECT_EQ(chosen.stateDir, QStringLiteral("/tmp/podscope-state"));
}

TEST(DocumentsTest, HelpOpensGettingStarted) {
  MainWindow window;
  window.show();
  auto* gettingStarted = window.findChild<QAction*>(QStringLiteral("gettingStartedAction"));
  ASSERT_NE(gettingStarted, nullptr);
  gettingStarted->trigger();
  auto* box = window.findChild<QMessageBox*>(QStringLiteral("gettingStartedBox"));
  ASSERT_NE(box, nullptr);
  EXPECT_TRUE(box->isVisible());
  EXPECT_TRUE(box->text().contains(QStringLiteral("Run (F5)")));
  box->close();
}

TEST(DocumentsTest, F1OpensTheManualWithEveryDocPageAndLinksBetweenThem) {
  MainWindow window;
  window.show();
  ASSERT_TRUE(QTest::qWaitForWindowExposed(&window));
  QTest::keyClick(&window, Qt::Key_F1);
  auto* manual = window.findChild<ManualWindow*>(QStringLiteral("manualWindow"));
  ASSERT_NE(manual, nullptr);
  EXPECT_TRUE(manual->isVisible());
  // Every page of docs/ is there, titled by its heading, the scenario
  // language first.
  const QList<ManualPage> pages = manualPages();
  QStringList files;
  for (const ManualPage& page : pages) files << page.file;
  for (const char* file : {"simulation.md", "record-format.md", "containerd.md", "logs.md", "history.md"}) {
    EXPECT_TRUE(files.contains(QString::fromLatin1(file))) << file;
  }
  ASSERT_FALSE(pages.isEmpty());
  EXPECT_EQ(pages.front().file, QStringLiteral("simulation.md"));
  EXPECT_EQ(pages.front().title, QStringLiteral("The simulated runtime and its scenario language"));
  EXPECT_EQ(manual->pageList()->count(), pages.size());
  EXPECT_EQ(manual->currentPage(), QStringLiteral("simulation.md"));
  EXPECT_TRUE(manual->browser()->toPlainText().contains(QStringLiteral("podscope.dev/simulate")));
  if (const QByteArray dir = qgetenv("PODSCOPE_UI_SCREENSHOTS"); !dir.isEmpty()) {
    manual->grab().save(QString::fromLocal8Bit(dir) + QStringLiteral("/manual.png"));
  }
  // A link to another page opens it in the manual.
  emit manual->browser()->anchorClicked(QUrl(QStringLiteral("docs/record-format.md#signals")));
  EXPECT_EQ(manual->currentPage(), QStringLiteral("record-format.md"));
  EXPECT_EQ(manual->pageList()->currentItem()->data(Qt::UserRole).toString(), QStringLiteral("record-format.md"));
  EXPECT_TRUE(manual->browser()->toPlainText().contains(QStringLiteral("signals[]")));
  EXPECT_FALSE(manual->openPage(QStringLiteral("no-such-page.md")));
  // The same window comes back.
  EXPECT_EQ(window.showManual(QStringLiteral("logs.md")), manual);
  EXPECT_EQ(manual->currentPage(), QStringLiteral("logs.md"));
  manual->close();
}

}  // namespace
}  // namespace podscope::ui
