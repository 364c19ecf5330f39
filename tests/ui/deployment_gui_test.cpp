// A Deployment in the desktop app, on the simulated runtime: Run rolls it
// out with a lane per ReplicaSet and its pods beneath; Apply (and a file
// dropped on the timeline) rolls out a new revision or scales the running
// one; every template lands in the rollout history, which the History tab
// lists and rolls back from; Delete removes the pods gracefully.

#include <gtest/gtest.h>

#include <QAbstractItemModelTester>
#include <QAction>
#include <QApplication>
#include <QDir>
#include <QDropEvent>
#include <QMimeData>
#include <QSignalSpy>
#include <QTabWidget>
#include <QTableView>
#include <QTemporaryDir>
#include <QToolButton>
#include <QTest>
#include <QUrl>

#include "ui/document_tabs.h"
#include "ui/events_model.h"
#include "ui/history_panel.h"
#include "ui/main_window.h"
#include "ui/run_panels.h"
#include "ui/timeline_model.h"
#include "ui/timeline_view.h"
#include "ui_test_support.h"

namespace podscope::ui {
namespace {

constexpr int kWaitMs = 30000;
/// Ten seconds of rollout per second of the test.
constexpr double kSpeed = 10.0;

QByteArray deploymentManifest(const QString& image, int replicas) {
  return QStringLiteral(
             "apiVersion: apps/v1\n"
             "kind: Deployment\n"
             "metadata:\n"
             "  name: nginx\n"
             "  labels:\n"
             "    app: nginx\n"
             "spec:\n"
             "  replicas: %1\n"
             "  selector:\n"
             "    matchLabels:\n"
             "      app: nginx\n"
             "  template:\n"
             "    metadata:\n"
             "      labels:\n"
             "        app: nginx\n"
             "      annotations:\n"
             "        podscope.dev/simulate: |\n"
             "          readiness fails until 2s\n"
             "    spec:\n"
             "      containers:\n"
             "      - name: nginx\n"
             "        image: %2\n"
             "        ports:\n"
             "        - containerPort: 80\n"
             "        readinessProbe:\n"
             "          httpGet:\n"
             "            path: /\n"
             "            port: 80\n"
             "          periodSeconds: 1\n")
      .arg(replicas)
      .arg(image)
      .toUtf8();
}

class DeploymentGuiTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(m_data.isValid());
    // The rollout history goes to a folder of the test's own.
    m_savedDataHome = qgetenv("XDG_DATA_HOME");
    qputenv("XDG_DATA_HOME", m_data.path().toUtf8());
    m_window = std::make_unique<MainWindow>();
    m_window->setRolloutSpeed(kSpeed);
    m_window->setRuntime(RuntimeKind::Simulated, QString());
    m_window->resize(1500, 1000);
    m_window->show();
    ASSERT_TRUE(QTest::qWaitForWindowExposed(m_window.get()));
    m_timelineTester = std::make_unique<QAbstractItemModelTester>(
        m_window->runPanels()->timelineModel(), QAbstractItemModelTester::FailureReportingMode::Warning);
    m_eventsTester = std::make_unique<QAbstractItemModelTester>(
        m_window->runPanels()->eventsModel(), QAbstractItemModelTester::FailureReportingMode::Warning);
  }

  void TearDown() override {
    m_timelineTester.reset();
    m_eventsTester.reset();
    m_window.reset();
    if (m_savedDataHome.isEmpty()) {
      qunsetenv("XDG_DATA_HOME");
    } else {
      qputenv("XDG_DATA_HOME", m_savedDataHome);
    }
  }

  TimelineModel* timeline() const { return m_window->runPanels()->timelineModel(); }
  EventsModel* events() const { return m_window->runPanels()->eventsModel(); }

  QStringList lanesOf(TimelineLaneKind kind) const {
    QStringList names;
    for (int i = 0; i < timeline()->laneCount(); ++i) {
      const QModelIndex lane = timeline()->index(i, 0);
      if (lane.data(TimelineModel::LaneKindRole).toInt() == static_cast<int>(kind)) {
        names << lane.data(TimelineModel::SubjectRole).toString();
      }
    }
    return names;
  }

  bool hasEvent(const QString& reason, const QString& message) const {
    for (int row = 0; row < events()->rowCount(); ++row) {
      if (events()->index(row, 0).data(EventsModel::ReasonRole).toString() == reason &&
          events()->index(row, 0).data(EventsModel::MessageRole).toString() == message) {
        return true;
      }
    }
    return false;
  }

  /// The READY column of the Deployment's latest status line.
  QString deploymentReady() const {
    const auto& lines = timeline()->deploymentLines();
    return lines.empty() ? QString() : QString::fromStdString(lines.back().ready);
  }
  QString upToDate() const {
    const auto& lines = timeline()->deploymentLines();
    return lines.empty() ? QString() : QString::fromStdString(lines.back().upToDate);
  }

  /// The latest sample of `replicaSet`: DESIRED and READY.
  std::pair<int, int> countsOf(const QString& replicaSet) const {
    std::pair<int, int> counts{-1, -1};
    for (const core::ReplicaSetSample& s : timeline()->replicaSetSamples()) {
      if (QString::fromStdString(s.replicaSet) == replicaSet) counts = {s.desired, s.ready};
    }
    return counts;
  }

  void screenshot(const QString& name) {
    // Pictures for people to look at (scripts/screenshots.sh asks for them).
    const QByteArray dir = qgetenv("PODSCOPE_UI_SCREENSHOT_DIR");
    if (dir.isEmpty()) return;
    QTest::qWait(200);
    m_window->grab().save(QDir(QString::fromLocal8Bit(dir)).filePath(name));
  }

  QTemporaryDir m_data;
  QByteArray m_savedDataHome;
  test::TempFiles m_files;
  std::unique_ptr<MainWindow> m_window;
  std::unique_ptr<QAbstractItemModelTester> m_timelineTester;
  std::unique_ptr<QAbstractItemModelTester> m_eventsTester;
};

TEST_F(DeploymentGuiTest, RollsOutAppliesANewRevisionRecordsTheHistoryAndDeletes) {
  const QString path = m_files.write(QStringLiteral("nginx.yaml"), deploymentManifest(QStringLiteral("nginx:1.14.2"), 3));
  ASSERT_TRUE(m_window->openFile(path));
  QSignalSpy finished(m_window.get(), &MainWindow::runFinished);
  m_window->run();
  ASSERT_TRUE(m_window->isRunningDeployment());
  EXPECT_FALSE(m_window->runButton()->isEnabled());
  EXPECT_TRUE(m_window->applyAction()->isEnabled());

  // The first rollout: one ReplicaSet, its three pods nested beneath it, all
  // ready once their readiness probes pass at 2 s.
  ASSERT_TRUE(QTest::qWaitFor([&] { return deploymentReady() == QLatin1String("3/3"); }, kWaitMs)) << deploymentReady().toStdString();
  const QStringList firstSets = lanesOf(TimelineLaneKind::ReplicaSet);
  ASSERT_EQ(firstSets.size(), 1);
  const QString oldSet = firstSets.front();
  EXPECT_TRUE(oldSet.startsWith(QLatin1String("nginx-"))) << oldSet.toStdString();
  EXPECT_EQ(timeline()->index(0, 0).data(TimelineModel::LaneKindRole).toInt(),
            static_cast<int>(TimelineLaneKind::Deployment));
  const QStringList pods = lanesOf(TimelineLaneKind::RolloutPod);
  ASSERT_EQ(pods.size(), 3);
  for (const QString& pod : pods) {
    EXPECT_TRUE(pod.startsWith(oldSet + QLatin1Char('-'))) << pod.toStdString();
    EXPECT_EQ(timeline()->replicaSetOf(pod), oldSet);
  }
  EXPECT_EQ(countsOf(oldSet), std::make_pair(3, 3));
  // The ReplicaSet lane says its revision.
  const int oldLane = 3;
  EXPECT_EQ(timeline()->index(oldLane, 0).data(TimelineModel::SubjectRole).toString(), oldSet);
  EXPECT_EQ(timeline()->index(oldLane, 0).data(TimelineModel::RevisionRole).toLongLong(), 1);

  // The events: the controllers' and the pods' kubelet events, each with
  // its object.
  EXPECT_TRUE(hasEvent(QStringLiteral("ScalingReplicaSet"), QStringLiteral("Scaled up replica set %1 to 3").arg(oldSet)));
  EXPECT_TRUE(hasEvent(QStringLiteral("SuccessfulCreate"), QStringLiteral("Created pod: %1").arg(pods.front())));
  bool kubeletEventWithPod = false;
  for (int row = 0; row < events()->rowCount(); ++row) {
    const QModelIndex index = events()->index(row, 0);
    if (index.data(EventsModel::FromRole).toString() == QLatin1String("kubelet") &&
        index.data(EventsModel::ObjectRole).toString() == QStringLiteral("pod/%1").arg(pods.front())) {
      kubeletEventWithPod = true;
    }
    if (index.data(EventsModel::ReasonRole).toString() == QLatin1String("ScalingReplicaSet")) {
      EXPECT_EQ(index.data(EventsModel::FromRole).toString(), QStringLiteral("deployment-controller"));
      EXPECT_EQ(index.data(EventsModel::ObjectRole).toString(), QStringLiteral("deployment/nginx"));
    }
  }
  EXPECT_TRUE(kubeletEventWithPod);
  // The status bar shows the `kubectl get deployment` columns.
  EXPECT_TRUE(m_window->statusText().contains(QString::fromUtf8("READY 3/3 · UP-TO-DATE 3 · AVAILABLE 3")))
      << m_window->statusText().toStdString();

  // Apply a new image while it runs: a second ReplicaSet takes over, one
  // pod at a time (+1 on the new, -1 on the old).
  m_window->setManifest(QString::fromUtf8(deploymentManifest(QStringLiteral("nginx:1.16.1"), 3)), path);
  m_window->applyAction()->trigger();
  ASSERT_TRUE(QTest::qWaitFor([&] { return lanesOf(TimelineLaneKind::ReplicaSet).size() == 2; }, kWaitMs));
  const QString newSet = lanesOf(TimelineLaneKind::ReplicaSet).back();
  EXPECT_NE(newSet, oldSet);
  ASSERT_TRUE(QTest::qWaitFor([&] { return countsOf(newSet).second == 1; }, kWaitMs));
  screenshot(QStringLiteral("rollout-mid-way.png"));
  ASSERT_TRUE(QTest::qWaitFor([&] { return countsOf(newSet) == std::make_pair(3, 3) && countsOf(oldSet).first == 0; },
                              kWaitMs));
  EXPECT_TRUE(hasEvent(QStringLiteral("ScalingReplicaSet"), QStringLiteral("Scaled up replica set %1 to 1").arg(newSet)));
  EXPECT_TRUE(hasEvent(QStringLiteral("ScalingReplicaSet"), QStringLiteral("Scaled down replica set %1 to 2").arg(oldSet)));
  EXPECT_TRUE(hasEvent(QStringLiteral("ScalingReplicaSet"), QStringLiteral("Scaled down replica set %1 to 0").arg(oldSet)));
  const int newLane = timeline()->laneCount() - 1 - static_cast<int>(lanesOf(TimelineLaneKind::RolloutPod).filter(newSet).size());
  EXPECT_EQ(timeline()->index(newLane, 0).data(TimelineModel::SubjectRole).toString(), newSet);
  EXPECT_EQ(timeline()->index(newLane, 0).data(TimelineModel::RevisionRole).toLongLong(), 2);
  ASSERT_TRUE(QTest::qWaitFor([&] { return upToDate() == QLatin1String("3") && deploymentReady() == QLatin1String("3/3"); },
                              kWaitMs));

  // The history has both revisions; the History tab lists them.
  auto* tabs = m_window->findChild<QTabWidget*>(QStringLiteral("bottomTabs"));
  ASSERT_NE(tabs, nullptr);
  tabs->setCurrentWidget(m_window->historyPanel());
  RevisionsModel* revisions = m_window->historyPanel()->model();
  QAbstractItemModelTester revisionsTester(revisions, QAbstractItemModelTester::FailureReportingMode::Warning);
  ASSERT_TRUE(QTest::qWaitFor([&] { return revisions->rowCount() == 2; }, kWaitMs));
  EXPECT_EQ(revisions->index(0, RevisionsModel::ImagesColumn).data().toString(), QStringLiteral("nginx:1.14.2"));
  EXPECT_EQ(revisions->index(1, RevisionsModel::ImagesColumn).data().toString(), QStringLiteral("nginx:1.16.1"));
  EXPECT_EQ(revisions->index(0, RevisionsModel::OutcomeColumn).data().toString(), QStringLiteral("Complete"));
  ASSERT_TRUE(QTest::qWaitFor(
      [&] { return revisions->index(1, RevisionsModel::OutcomeColumn).data().toString() == QLatin1String("Complete"); },
      kWaitMs));
  const auto history = m_window->historyPanel()->model()->history();
  ASSERT_EQ(history.revisions.size(), 2u);
  EXPECT_EQ(history.deployment.manifestPath, path.toStdString());
  EXPECT_EQ(history.revisions[1].templateHash, newSet.mid(QStringLiteral("nginx-").size()).toStdString());
  screenshot(QStringLiteral("rollout-history.png"));

  // A file dropped on the timeline of the running Deployment is applied
  // once the user agrees: four replicas scale the new ReplicaSet.
  tabs->setCurrentIndex(0);
  QString asked;
  m_window->setApplyPrompt([&](const QString& file, const QString& deployment) {
    asked = file + QLatin1Char(' ') + deployment;
    return true;
  });
  const QString scaled =
      m_files.write(QStringLiteral("nginx-4.yaml"), deploymentManifest(QStringLiteral("nginx:1.16.1"), 4));
  TimelineWidget* timelineWidget = m_window->runPanels()->timeline();
  QMimeData mime;
  mime.setUrls({QUrl::fromLocalFile(scaled)});
  const QPoint at = timelineWidget->view()->viewport()->mapTo(m_window.get(), QPoint(200, 40));
  // As a file manager drags: enter, then drop.
  QDragEnterEvent enter(at, Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
  QApplication::sendEvent(m_window.get(), &enter);
  ASSERT_TRUE(enter.isAccepted());
  QDropEvent drop(QPointF(at), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
  QApplication::sendEvent(m_window.get(), &drop);
  EXPECT_EQ(asked, QStringLiteral("nginx-4.yaml nginx"));
  ASSERT_TRUE(QTest::qWaitFor([&] { return countsOf(newSet).first == 4; }, kWaitMs));
  EXPECT_TRUE(hasEvent(QStringLiteral("ScalingReplicaSet"), QStringLiteral("Scaled up replica set %1 to 4").arg(newSet)));
  EXPECT_EQ(m_window->documentTabs()->count(), 1);  // applied, not opened

  // Roll back in the History tab while it runs: the old template returns
  // to the running Deployment, and its ReplicaSet scales up again.
  tabs->setCurrentWidget(m_window->historyPanel());
  m_window->historyPanel()->setConfirm([](const QString&, QWidget*) { return true; });
  auto rolledBack = m_window->historyPanel()->rollBack(1, false);
  ASSERT_TRUE(rolledBack) << rolledBack.error().message;
  ASSERT_TRUE(QTest::qWaitFor([&] { return countsOf(oldSet).first == 4 && countsOf(newSet).first == 0; }, kWaitMs));
  EXPECT_EQ(lanesOf(TimelineLaneKind::ReplicaSet).size(), 2);  // no third ReplicaSet: the old one is reused
  EXPECT_EQ(timeline()->index(oldLane, 0).data(TimelineModel::RevisionRole).toLongLong(), 3);

  // Delete: the pods terminate, then the run ends as Deleted.
  tabs->setCurrentIndex(0);
  m_window->stop();
  ASSERT_TRUE(QTest::qWaitFor([&] { return finished.count() == 1; }, kWaitMs));
  const RunResult& result = *m_window->lastResult();
  ASSERT_TRUE(result.rollout.has_value());
  EXPECT_EQ(result.rollout->outcome, core::RunOutcome::Deleted);
  for (const core::RolloutPod& pod : result.rollout->pods()) EXPECT_TRUE(pod.finished.has_value()) << pod.name;
  bool terminating = false;
  for (const core::PodStatusLine& line : timeline()->record().statusLines()) terminating |= line.status == "Terminating";
  EXPECT_TRUE(terminating);
  EXPECT_FALSE(m_window->isRunningDeployment());
  EXPECT_FALSE(m_window->applyAction()->isEnabled());
  EXPECT_TRUE(m_window->statusText().contains(QLatin1String("Deleted"))) << m_window->statusText().toStdString();
}

TEST_F(DeploymentGuiTest, ThePodPathStillRunsPods) {
  const QString path = m_files.write(QStringLiteral("pod.yaml"), test::kInitContainerPod);
  ASSERT_TRUE(m_window->openFile(path));
  QSignalSpy finished(m_window.get(), &MainWindow::runFinished);
  m_window->run();
  EXPECT_FALSE(m_window->isRunningDeployment());
  ASSERT_TRUE(QTest::qWaitFor([&] { return finished.count() == 1; }, kWaitMs));
  const RunResult& result = *m_window->lastResult();
  EXPECT_FALSE(result.rollout.has_value());
  EXPECT_FALSE(timeline()->isRollout());
  EXPECT_EQ(timeline()->index(0, 0).data(TimelineModel::LaneKindRole).toInt(),
            static_cast<int>(TimelineLaneKind::PodPhase));
  EXPECT_FALSE(result.record.transitions().empty());
}

}  // namespace
}  // namespace podscope::ui
