#include "ui/main_window.h"

#include <gtest/gtest.h>

#include <QApplication>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QMimeData>
#include <QPushButton>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTest>
#include <QThread>
#include <QToolButton>

#include "ui/manifest_editor.h"
#include "ui/message_banner.h"
#include "ui/run_controller.h"
#include "ui/run_panels.h"
#include "ui/timeline_model.h"
#include "ui/transition_model.h"
#include "ui_test_support.h"

namespace podscope::ui {
namespace {

constexpr int kRunTimeoutMs = 20000;

int findRow(const TransitionModel& model, core::SubjectKind kind, const std::string& subject, const std::string& to) {
  const auto& rows = model.transitions();
  for (size_t i = 0; i < rows.size(); ++i) {
    if (rows[i].kind == kind && rows[i].subject == subject && rows[i].to == to) return static_cast<int>(i);
  }
  return -1;
}

bool waitForRunToFinish(const MainWindow& window) {
  return QTest::qWaitFor([&] { return !window.isRunning() && window.lastResult().has_value(); }, kRunTimeoutMs);
}

/// Sends a drag-enter and a drop of `urls` to the window, as a file manager
/// would; returns whether the drag was accepted.
bool dropUrls(MainWindow& window, const QList<QUrl>& urls) {
  QMimeData mime;
  mime.setUrls(urls);
  const QPoint at = window.rect().center();
  QDragEnterEvent enter(at, Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
  QApplication::sendEvent(&window, &enter);
  if (!enter.isAccepted()) return false;
  QDropEvent drop(QPointF(at), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
  QApplication::sendEvent(&window, &drop);
  return true;
}

class MainWindowTest : public ::testing::Test {
 protected:
  void SetUp() override {
    m_window.show();
    ASSERT_TRUE(QTest::qWaitForWindowExposed(&m_window));
  }

  test::TempFiles m_files;
  MainWindow m_window;
};

TEST_F(MainWindowTest, StartsWithARunnableTemplateAndTheSimulatedRuntime) {
  EXPECT_FALSE(m_window.manifestText().isEmpty());
  EXPECT_TRUE(m_window.filePath().isEmpty());
  EXPECT_EQ(m_window.runtime(), RuntimeKind::Simulated);
  EXPECT_TRUE(m_window.runButton()->isEnabled());
  EXPECT_FALSE(m_window.stopButton()->isEnabled());
  EXPECT_FALSE(m_window.windowIcon().isNull());
}

TEST_F(MainWindowTest, RunButtonRunsTheInitContainerBeforeTheApp) {
  const QString path = m_files.write(QStringLiteral("init-demo.yaml"), test::kInitContainerPod);
  ASSERT_TRUE(m_window.openFile(path));
  EXPECT_EQ(m_window.manifestText(), QString::fromUtf8(test::kInitContainerPod));
  EXPECT_TRUE(m_window.windowTitle().contains(QStringLiteral("init-demo.yaml")));

  QSignalSpy finished(&m_window, &MainWindow::runFinished);
  QTest::mouseClick(m_window.runButton(), Qt::LeftButton);
  // Nothing has been delivered back yet: the GUI thread has not spun.
  EXPECT_TRUE(m_window.isRunning());
  EXPECT_FALSE(m_window.runButton()->isEnabled());
  EXPECT_TRUE(m_window.stopButton()->isEnabled());

  ASSERT_TRUE(waitForRunToFinish(m_window));
  EXPECT_EQ(finished.size(), 1);
  const RunResult& result = *m_window.lastResult();
  ASSERT_FALSE(result.error) << result.error->toString();
  EXPECT_EQ(result.record.podName, "init-demo");

  const TransitionModel& model = *m_window.transitionModel();
  ASSERT_GT(model.rowCount(), 0);
  EXPECT_EQ(model.transitions(), result.record.transitions());
  const int initStarted = findRow(model, core::SubjectKind::InitContainer, "init-setup", "Running");
  const int initDone = findRow(model, core::SubjectKind::InitContainer, "init-setup", "Terminated");
  const int appStarted = findRow(model, core::SubjectKind::Container, "app", "Running");
  ASSERT_GE(initStarted, 0);
  ASSERT_GE(initDone, 0);
  ASSERT_GE(appStarted, 0);
  EXPECT_LT(initStarted, initDone);
  EXPECT_LT(initDone, appStarted);
  EXPECT_LE(model.transitions()[initDone].time, model.transitions()[appStarted].time);
  for (int row = 1; row < model.rowCount(); ++row) {
    EXPECT_LE(model.transitions()[row - 1].time, model.transitions()[row].time) << "row " << row;
  }

  // The pod with its three condition bands, init-setup, app.
  const TimelineModel* lanes = m_window.runPanels()->timelineModel();
  ASSERT_EQ(lanes->laneCount(), 6);
  EXPECT_EQ(lanes->lane(0).kind, TimelineLaneKind::PodPhase);
  EXPECT_EQ(lanes->lane(4).subject, QStringLiteral("init-setup"));
  EXPECT_EQ(lanes->lane(4).group, LaneGroup::InitContainer);
  EXPECT_EQ(lanes->lane(5).subject, QStringLiteral("app"));
  EXPECT_EQ(lanes->record().transitions(), result.record.transitions());
  EXPECT_TRUE(m_window.runButton()->isEnabled());
  EXPECT_FALSE(m_window.stopButton()->isEnabled());
  EXPECT_TRUE(m_window.statusText().contains(QStringLiteral("init-demo")));
  EXPECT_EQ(m_window.manifestText(), QString::fromUtf8(test::kInitContainerPod));
}

TEST_F(MainWindowTest, RunTakesTheEditorTextNotTheFileOnDisk) {
  const QString path = m_files.write(QStringLiteral("init-demo.yaml"), test::kInitContainerPod);
  ASSERT_TRUE(m_window.openFile(path));
  QString edited = m_window.manifestText();
  edited.replace(QStringLiteral("name: init-demo"), QStringLiteral("name: edited-in-place"));
  m_window.editor()->setText(edited);

  m_window.run();
  ASSERT_TRUE(waitForRunToFinish(m_window));
  ASSERT_FALSE(m_window.lastResult()->error);
  EXPECT_EQ(m_window.lastResult()->record.podName, "edited-in-place");
}

TEST_F(MainWindowTest, EachRunStartsWithAnEmptyTable) {
  m_window.setManifest(QString::fromUtf8(test::kInitContainerPod), {});
  m_window.run();
  ASSERT_TRUE(waitForRunToFinish(m_window));
  const int firstRows = m_window.transitionModel()->rowCount();
  ASSERT_GT(firstRows, 0);
  m_window.run();
  ASSERT_TRUE(waitForRunToFinish(m_window));
  EXPECT_EQ(m_window.transitionModel()->rowCount(), firstRows);
}

TEST_F(MainWindowTest, RunOfAnInvalidPodMarksTheLineAndSaysWhere) {
  const QString text = QStringLiteral(
      "apiVersion: v1\n"
      "kind: Pod\n"
      "metadata:\n"
      "  name: no-image\n"
      "spec:\n"
      "  containers:\n"
      "  - name: app\n"
      "    imagePullPolicy: Sometimes\n"
      "    image: busybox\n");
  m_window.setManifest(text, QStringLiteral("no-image.yaml"));
  QSignalSpy finished(&m_window, &MainWindow::runFinished);
  m_window.run();
  ASSERT_EQ(finished.size(), 1);  // at once: nothing was started
  EXPECT_FALSE(m_window.isRunning());
  ASSERT_TRUE(m_window.lastResult()->error);
  EXPECT_EQ(m_window.editor()->problemLine(), 8);
  EXPECT_FALSE(m_window.editor()->annotation(7).isEmpty());
  const QString banner = m_window.messageBanner()->text();
  EXPECT_TRUE(banner.contains(QStringLiteral("no-image.yaml:8:"))) << banner.toStdString();
  EXPECT_TRUE(banner.contains(QStringLiteral("Sometimes"))) << banner.toStdString();
  EXPECT_EQ(m_window.transitionModel()->rowCount(), 0);

  // Editing the text retires the marker: it describes text no longer there.
  m_window.editor()->insertAt(QStringLiteral("# fixed\n"), 0, 0);
  EXPECT_EQ(m_window.editor()->problemLine(), 0);
}

TEST_F(MainWindowTest, OpeningBrokenYamlSaysLineAndColumnAndKeepsTheBuffer) {
  const QString previous = QString::fromUtf8(test::kInitContainerPod);
  const QString previousPath = m_files.write(QStringLiteral("good.yaml"), test::kInitContainerPod);
  ASSERT_TRUE(m_window.openFile(previousPath));
  const QString broken = m_files.write(QStringLiteral("broken.yaml"),
                                       "apiVersion: v1\nkind: Pod\nmetadata:\n  name: x\n  labels: {a: b\nspec: {}\n");

  EXPECT_FALSE(m_window.openFile(broken));
  const QString banner = m_window.messageBanner()->text();
  EXPECT_TRUE(banner.contains(QRegularExpression(QStringLiteral(R"(broken\.yaml:\d+:\d+: YAML syntax error)"))))
      << banner.toStdString();
  EXPECT_EQ(m_window.manifestText(), previous);
  EXPECT_EQ(m_window.filePath(), previousPath);
  EXPECT_TRUE(m_window.statusText().contains(QStringLiteral("broken.yaml:"))) << m_window.statusText().toStdString();

  // The banner offers to open it anyway, to fix it in place.
  QPushButton* openAnyway = m_window.messageBanner()->actionButton();
  ASSERT_FALSE(openAnyway->isHidden());
  QTest::mouseClick(openAnyway, Qt::LeftButton);
  EXPECT_EQ(m_window.filePath(), broken);
  EXPECT_TRUE(m_window.manifestText().contains(QStringLiteral("labels: {a: b")));
  EXPECT_GT(m_window.editor()->problemLine(), 0);
}

TEST_F(MainWindowTest, OpeningAManifestWithAWrongFieldOpensItWithTheMistakeMarked) {
  const QString path = m_files.write(QStringLiteral("typo.yaml"),
                                     "apiVersion: v1\nkind: Pod\nmetadata:\n  name: typo\nspec:\n"
                                     "  restartPolicy: Sometimes\n  containers:\n  - name: app\n    image: busybox\n");
  ASSERT_TRUE(m_window.openFile(path));
  EXPECT_EQ(m_window.filePath(), path);
  EXPECT_EQ(m_window.editor()->problemLine(), 6);
  EXPECT_EQ(m_window.messageBanner()->kind(), MessageBanner::Kind::Warning);
  EXPECT_TRUE(m_window.messageBanner()->text().contains(QStringLiteral("typo.yaml:6:")));
}

TEST_F(MainWindowTest, OpeningYamlThatIsNotAManifestKeepsTheBuffer) {
  const QString before = m_window.manifestText();
  const QString path = m_files.write(QStringLiteral("compose.yml"), "services:\n  web:\n    image: nginx\n");
  EXPECT_FALSE(m_window.openFile(path));
  EXPECT_TRUE(m_window.messageBanner()->text().contains(QStringLiteral("compose.yml was not opened")))
      << m_window.messageBanner()->text().toStdString();
  EXPECT_EQ(m_window.manifestText(), before);
}

TEST_F(MainWindowTest, OpeningAMissingFileSaysSoAndKeepsTheBuffer) {
  const QString before = m_window.manifestText();
  EXPECT_FALSE(m_window.openFile(QStringLiteral("/nonexistent/podscope/pod.yaml")));
  EXPECT_TRUE(m_window.messageBanner()->text().contains(QStringLiteral("does not exist")));
  EXPECT_EQ(m_window.manifestText(), before);
}

TEST_F(MainWindowTest, DroppingABinaryFileExplainsAndKeepsTheBuffer) {
  const QString before = m_window.manifestText();
  const QString png = m_files.write(QStringLiteral("photo.png"), QByteArray("\x89PNG\r\n\x1a\n\0\0\0\rIHDR", 16));
  ASSERT_TRUE(dropUrls(m_window, {QUrl::fromLocalFile(png)}));
  const QString banner = m_window.messageBanner()->text();
  EXPECT_TRUE(banner.contains(QStringLiteral("photo.png is not a text file"))) << banner.toStdString();
  EXPECT_TRUE(banner.contains(QStringLiteral(".yaml"))) << banner.toStdString();
  EXPECT_EQ(m_window.messageBanner()->kind(), MessageBanner::Kind::Error);
  EXPECT_EQ(m_window.manifestText(), before);
}

TEST_F(MainWindowTest, DroppingATextFileThatIsNotAManifestExplains) {
  const QString before = m_window.manifestText();
  const QString notes = m_files.write(QStringLiteral("notes.txt"), "remember to buy milk\n");
  ASSERT_TRUE(dropUrls(m_window, {QUrl::fromLocalFile(notes)}));
  const QString banner = m_window.messageBanner()->text();
  EXPECT_TRUE(banner.contains(QStringLiteral("notes.txt does not look like a Kubernetes manifest")))
      << banner.toStdString();
  EXPECT_EQ(m_window.manifestText(), before);
}

TEST_F(MainWindowTest, DroppingAManifestOpensIt) {
  const QString path = m_files.write(QStringLiteral("dropped.yml"), test::kInitContainerPod);
  ASSERT_TRUE(dropUrls(m_window, {QUrl::fromLocalFile(path)}));
  EXPECT_EQ(m_window.filePath(), path);
  EXPECT_EQ(m_window.manifestText(), QString::fromUtf8(test::kInitContainerPod));
  EXPECT_TRUE(m_window.messageBanner()->isHidden());
}

TEST_F(MainWindowTest, DraggingTextWithoutUrlsIsNotTakenByTheWindow) {
  QMimeData mime;
  mime.setText(QStringLiteral("just text"));
  QDragEnterEvent enter(QPoint(10, 10), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
  QApplication::sendEvent(&m_window, &enter);
  EXPECT_FALSE(enter.isAccepted());
}

TEST_F(MainWindowTest, ContainerdChoiceShowsTheSocketAndAnUnreachableDaemonIsExplained) {
  auto* address = m_window.findChild<QWidget*>(QStringLiteral("addressEdit"));
  ASSERT_NE(address, nullptr);
  EXPECT_FALSE(address->isVisible());
  m_window.setRuntime(RuntimeKind::Containerd, QStringLiteral("/nonexistent/podscope-test.sock"));
  // The toolbar shows its widgets on its next layout pass.
  EXPECT_TRUE(QTest::qWaitFor([&] { return address->isVisible(); }, 2000));
  if (!containerdAvailable()) GTEST_SKIP() << "built without the containerd runtime";

  m_window.setManifest(QString::fromUtf8(test::kInitContainerPod), {});
  m_window.run();
  ASSERT_TRUE(waitForRunToFinish(m_window));
  ASSERT_TRUE(m_window.lastResult()->error);
  const QString banner = m_window.messageBanner()->text();
  EXPECT_TRUE(banner.contains(QStringLiteral("/nonexistent/podscope-test.sock"))) << banner.toStdString();
  EXPECT_TRUE(banner.contains(QStringLiteral("Simulated runtime"))) << banner.toStdString();
  EXPECT_TRUE(m_window.runButton()->isEnabled());
}

TEST(RunControllerTest, DeliversEveryTransitionOnTheGuiThreadThenTheResult) {
  RunController controller;
  std::vector<core::Transition> seen;
  bool allOnGuiThread = true;
  QObject context;
  QObject::connect(&controller, &RunController::transitionRecorded, &context, [&](const core::Transition& t) {
    allOnGuiThread = allOnGuiThread && QThread::currentThread() == qApp->thread();
    seen.push_back(t);
  });
  std::optional<RunResult> result;
  QObject::connect(&controller, &RunController::runFinished, &context, [&](const RunResult& r) { result = r; });

  auto pod = core::Pod{};
  pod.metadata.name = "solo";
  core::Container container;
  container.name = "app";
  container.image = "busybox";
  container.command = {"sh", "-c", "exit 0"};
  pod.spec.containers.push_back(container);
  pod.spec.restartPolicy = core::RestartPolicy::Never;

  const quint64 id = controller.start(RunRequest{pod, RuntimeKind::Simulated, {}});
  EXPECT_NE(id, 0u);
  EXPECT_EQ(controller.start(RunRequest{pod, RuntimeKind::Simulated, {}}), 0u) << "one run at a time";
  ASSERT_TRUE(QTest::qWaitFor([&] { return result.has_value(); }, kRunTimeoutMs));
  EXPECT_EQ(result->runId, id);
  EXPECT_FALSE(result->error);
  EXPECT_TRUE(allOnGuiThread);
  EXPECT_EQ(seen, result->record.transitions());
  EXPECT_FALSE(controller.isRunning());
}

}  // namespace
}  // namespace podscope::ui
