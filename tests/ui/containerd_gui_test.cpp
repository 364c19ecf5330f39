// The window against a real containerd: a run shows its rows live, Stop
// deletes the pod gracefully, and closing the window mid-run does not hang.
// Registered apart from the other UI tests, with the integration tests'
// `containerd` fixture; they fail (never skip) without a daemon.

#include <gtest/gtest.h>

#include <QApplication>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFile>
#include <QFileInfo>
#include <QMimeData>
#include <QTemporaryDir>
#include <QTreeView>
#include <QElapsedTimer>
#include <QTest>
#include <QToolButton>

#include <cstdlib>
#include <memory>
#include <optional>
#include <algorithm>
#include <variant>
#include <vector>

#include "ui/main_window.h"
#include "ui/manifest_editor.h"
#include "ui/problems_view.h"
#include "ui/run_controller.h"
#include "ui/run_panels.h"
#include "ui/events_model.h"
#include "ui/timeline_model.h"
#include "ui/transition_model.h"

namespace podscope::ui {
namespace {

constexpr int kStartTimeoutMs = 60000;
constexpr int kStopTimeoutMs = 30000;

const char kLongRunningPod[] = R"(apiVersion: v1
kind: Pod
metadata:
  name: gui-stop-demo
spec:
  terminationGracePeriodSeconds: 5
  initContainers:
  - name: init-setup
    image: busybox:1.30
    command: ['sh', '-c', 'sleep 1']
  containers:
  - name: app
    image: busybox:1.30
    command: ['sh', '-c', 'trap "exit 0" TERM; while true; do sleep 1; done']
)";

QString containerdAddress() {
  const char* address = std::getenv("PODSCOPE_CONTAINERD_ADDRESS");
  return address ? QString::fromLocal8Bit(address) : QString();
}

bool appIsRunning(const MainWindow& window) {
  for (const core::Transition& t : window.transitionModel()->transitions()) {
    if (t.kind == core::SubjectKind::Container && t.subject == "app" && t.to == "Running") return true;
  }
  return false;
}

TEST(ContainerdGuiTest, StopDeletesTheRunningPodGracefully) {
  const QString address = containerdAddress();
  ASSERT_FALSE(address.isEmpty()) << "set PODSCOPE_CONTAINERD_ADDRESS (ctest starts a daemon for this test)";
  MainWindow window;
  window.show();
  window.setRuntime(RuntimeKind::Containerd, address);
  window.setManifest(QString::fromUtf8(kLongRunningPod), {});

  QTest::mouseClick(window.runButton(), Qt::LeftButton);
  ASSERT_TRUE(QTest::qWaitFor([&] { return appIsRunning(window) || !window.isRunning(); }, kStartTimeoutMs));
  ASSERT_TRUE(window.isRunning()) << (window.lastResult() && window.lastResult()->error
                                          ? window.lastResult()->error->toString()
                                          : std::string("the run ended before the app started"));

  QElapsedTimer stopping;
  stopping.start();
  QTest::mouseClick(window.stopButton(), Qt::LeftButton);
  ASSERT_TRUE(QTest::qWaitFor([&] { return !window.isRunning(); }, kStopTimeoutMs));
  EXPECT_LT(stopping.elapsed(), kStopTimeoutMs);

  const RunResult& result = *window.lastResult();
  ASSERT_FALSE(result.error) << result.error->toString();
  EXPECT_EQ(result.record.outcome, core::RunOutcome::Deleted);
  const auto& rows = result.record.transitions();
  ASSERT_FALSE(rows.empty());
  // Deleted by the user, well before the 60 s run limit would have done it.
  EXPECT_LT(rows.back().time, std::chrono::seconds(50));
  bool appTerminated = false;
  for (const core::Transition& t : rows) {
    if (t.subject == "app" && t.to == "Terminated") appTerminated = true;
  }
  EXPECT_TRUE(appTerminated);
  EXPECT_TRUE(window.runButton()->isEnabled());
}

TEST(ContainerdGuiTest, ClosingTheWindowMidRunReturnsPromptly) {
  const QString address = containerdAddress();
  ASSERT_FALSE(address.isEmpty()) << "set PODSCOPE_CONTAINERD_ADDRESS (ctest starts a daemon for this test)";
  auto window = std::make_unique<MainWindow>();
  window->show();
  window->setRuntime(RuntimeKind::Containerd, address);
  window->setManifest(QString::fromUtf8(kLongRunningPod), {});
  window->run();
  ASSERT_TRUE(QTest::qWaitFor([&] { return appIsRunning(*window) || !window->isRunning(); }, kStartTimeoutMs));
  ASSERT_TRUE(window->isRunning());

  QElapsedTimer closing;
  closing.start();
  window.reset();
  EXPECT_LT(closing.elapsed(), kStopTimeoutMs);
}

const char kIgnoresSigterm[] = R"(apiVersion: v1
kind: Pod
metadata:
  name: gui-grace-demo
spec:
  terminationGracePeriodSeconds: 30
  containers:
  - name: app
    image: busybox:1.30
    command: ['sleep', '3600']
)";

/// Starts the pod and waits until its app container runs.
void startAndAwaitApp(MainWindow& window, const char* manifest) {
  window.show();
  window.setRuntime(RuntimeKind::Containerd, containerdAddress());
  window.setManifest(QString::fromUtf8(manifest), {});
  window.run();
  ASSERT_TRUE(QTest::qWaitFor([&] { return appIsRunning(window) || !window.isRunning(); }, kStartTimeoutMs));
  ASSERT_TRUE(window.isRunning());
}

/// The app container's end: exit code and time since the Killing event.
struct AppEnd {
  int exitCode = -1;
  std::chrono::nanoseconds afterKilling{-1};
};

AppEnd appEnd(const core::RunRecord& record) {
  AppEnd end;
  std::optional<core::RunTime> killing;
  for (const core::Event& e : record.events()) {
    if (e.reason == "Killing") killing = e.time;
  }
  for (const core::Transition& t : record.transitions()) {
    if (t.subject == "app" && t.to == "Terminated" && t.exitCode) {
      end.exitCode = *t.exitCode;
      if (killing) end.afterKilling = t.time - *killing;
    }
  }
  return end;
}

TEST(ContainerdGuiTest, DeleteWithAShorterGracePeriodKillsWhenItEnds) {
  ASSERT_FALSE(containerdAddress().isEmpty()) << "set PODSCOPE_CONTAINERD_ADDRESS";
  MainWindow window;
  startAndAwaitApp(window, kIgnoresSigterm);
  // sleep as PID 1 ignores SIGTERM: it lives until SIGKILL at the end of the
  // grace period, 3 s here instead of the pod's 30 s.
  window.stop(std::chrono::seconds(3));
  ASSERT_TRUE(QTest::qWaitFor([&] { return !window.isRunning(); }, kStopTimeoutMs));
  const RunResult& result = *window.lastResult();
  ASSERT_FALSE(result.error) << result.error->toString();
  EXPECT_EQ(result.record.outcome, core::RunOutcome::Deleted);
  const AppEnd end = appEnd(result.record);
  EXPECT_EQ(end.exitCode, 137);
  EXPECT_GE(end.afterKilling, std::chrono::seconds(3));
  EXPECT_LT(end.afterKilling, std::chrono::seconds(20));
}

TEST(ContainerdGuiTest, ForceDeleteStopsAfterTheKubeletsMinimumGrace) {
  ASSERT_FALSE(containerdAddress().isEmpty()) << "set PODSCOPE_CONTAINERD_ADDRESS";
  MainWindow window;
  startAndAwaitApp(window, kIgnoresSigterm);
  window.forceDelete();
  ASSERT_TRUE(QTest::qWaitFor([&] { return !window.isRunning(); }, kStopTimeoutMs));
  const RunResult& result = *window.lastResult();
  ASSERT_FALSE(result.error) << result.error->toString();
  const AppEnd end = appEnd(result.record);
  EXPECT_EQ(end.exitCode, 137);
  // The kubelet never gives a container less than 2 s after SIGTERM.
  EXPECT_GE(end.afterKilling, std::chrono::seconds(2));
  EXPECT_LT(end.afterKilling, std::chrono::seconds(20));
}

TEST(ContainerdGuiTest, RestartDeletesThePodAndRunsItAgain) {
  ASSERT_FALSE(containerdAddress().isEmpty()) << "set PODSCOPE_CONTAINERD_ADDRESS";
  MainWindow window;
  startAndAwaitApp(window, kLongRunningPod);
  std::vector<core::RunOutcome> outcomes;
  QObject::connect(&window, &MainWindow::runFinished, &window,
                   [&](const RunResult& result) { outcomes.push_back(result.record.outcome); });
  window.restart();
  // The first run ends deleted; the second starts and its app runs again.
  ASSERT_TRUE(QTest::qWaitFor([&] { return outcomes.size() == 1 && window.isRunning() && appIsRunning(window); },
                              kStartTimeoutMs + kStopTimeoutMs));
  EXPECT_EQ(outcomes.front(), core::RunOutcome::Deleted);
  window.stop();
  ASSERT_TRUE(QTest::qWaitFor([&] { return !window.isRunning(); }, kStopTimeoutMs));
  EXPECT_EQ(outcomes.size(), 2u);
}

TEST(ContainerdGuiTest, DropEditRunAndDeleteFromTheWindowEndToEnd) {
  ASSERT_FALSE(containerdAddress().isEmpty()) << "set PODSCOPE_CONTAINERD_ADDRESS";
  QTemporaryDir dir;
  const QString path = dir.filePath(QStringLiteral("stop-demo.yaml"));
  {
    QFile file(path);
    ASSERT_TRUE(file.open(QIODevice::WriteOnly));
    file.write(kLongRunningPod);
  }
  MainWindow window;
  window.show();
  ASSERT_TRUE(QTest::qWaitForWindowExposed(&window));
  window.setRuntime(RuntimeKind::Containerd, containerdAddress());

  // Dropped on the window, as from a file manager.
  QMimeData mime;
  mime.setUrls({QUrl::fromLocalFile(path)});
  const QPoint at = window.rect().center();
  QDragEnterEvent enter(at, Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
  QApplication::sendEvent(&window, &enter);
  ASSERT_TRUE(enter.isAccepted());
  QDropEvent drop(QPointF(at), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
  QApplication::sendEvent(&window, &drop);
  ASSERT_EQ(window.filePath(), QFileInfo(path).absoluteFilePath());

  // A mistake typed in shows up as a problem; taking it out clears it.
  ProblemsView* problems = window.problemsView();
  const auto problemCount = [&] { return problems->view()->model()->rowCount(); };
  ASSERT_TRUE(QTest::qWaitFor([&] { return problemCount() == 0; }, 5000));
  window.editor()->setFocus();
  // The end of "  terminationGracePeriodSeconds: 5": "5s" is not a number.
  window.editor()->setCursorPosition(5, window.editor()->text(5).trimmed().size() + 2);
  QTest::keyClicks(window.editor(), QStringLiteral("s"));
  ASSERT_TRUE(QTest::qWaitFor([&] { return problemCount() > 0; }, 5000));
  QTest::keyClick(window.editor(), Qt::Key_Backspace);
  ASSERT_TRUE(QTest::qWaitFor([&] { return problemCount() == 0; }, 5000));

  // Run for real; the timeline and the events fill in as it goes.
  QTest::mouseClick(window.runButton(), Qt::LeftButton);
  ASSERT_TRUE(QTest::qWaitFor([&] { return appIsRunning(window) || !window.isRunning(); }, kStartTimeoutMs));
  ASSERT_TRUE(window.isRunning());
  EXPECT_GE(window.runPanels()->timelineModel()->rowCount(), 3);  // the pod, init-setup, app
  EXPECT_GT(window.runPanels()->eventsModel()->rowCount(), 0);

  // Delete: Terminating, then gone.
  std::vector<std::string> statuses;
  QObject::connect(window.findChild<RunController*>(), &RunController::recordAppended, &window,
                   [&](const RecordBatch& batch) {
                     for (const RecordEntry& entry : batch) {
                       if (const auto* line = std::get_if<core::PodStatusLine>(&entry)) statuses.push_back(line->status);
                     }
                   });
  QTest::mouseClick(window.stopButton(), Qt::LeftButton);
  ASSERT_TRUE(QTest::qWaitFor([&] { return !window.isRunning(); }, kStopTimeoutMs));
  EXPECT_NE(std::find(statuses.begin(), statuses.end(), "Terminating"), statuses.end());
  ASSERT_TRUE(window.lastResult());
  EXPECT_EQ(window.lastResult()->record.outcome, core::RunOutcome::Deleted);
  EXPECT_TRUE(window.statusText().contains(QStringLiteral("Deleted"))) << window.statusText().toStdString();
}

}  // namespace
}  // namespace podscope::ui
