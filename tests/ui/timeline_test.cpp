// TimelineModel built from hand-made entries, and TimelineView's zoom, pan
// and fit, without a run.

#include "ui/timeline_model.h"
#include "ui/timeline_view.h"

#include <gtest/gtest.h>

#include <QAbstractItemModelTester>
#include <QTest>
#include <QWheelEvent>

#include <csignal>

#include "core/manifest_reader.h"

namespace podscope::ui {
namespace {

using namespace std::chrono_literals;
using core::SubjectKind;

constexpr char kSidecarPod[] = R"(apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  initContainers:
  - name: setup
    image: busybox:1.36
  - name: proxy
    image: envoy:1.30
    restartPolicy: Always
    readinessProbe:
      tcpSocket: {port: 9901}
  containers:
  - name: app
    image: nginx:1.25
    startupProbe:
      httpGet: {path: /started, port: 80}
    livenessProbe:
      httpGet: {path: /healthz, port: 80}
    lifecycle:
      preStop:
        exec: {command: [sleep, "2"]}
)";

core::Pod sidecarPod() {
  auto pod = core::readPod(kSidecarPod, "web.yaml");
  EXPECT_TRUE(pod) << pod.error().toString();
  return *pod;
}

core::HandlerAttempt attempt(core::AttemptKind kind, const std::string& container, core::RunTime start,
                             core::AttemptResult result, bool published = false) {
  core::HandlerAttempt a;
  a.kind = kind;
  a.container = container;
  a.start = start;
  a.duration = 3ms;
  a.result = result;
  a.published = published;
  a.output = result == core::AttemptResult::Success ? "ok" : "connection refused";
  return a;
}

TEST(TimelineModel, LanesFollowTheGrammarsOrder) {
  TimelineModel model;
  QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
  model.setPod(sidecarPod());
  QStringList titles;
  std::vector<LaneGroup> groups;
  for (int i = 0; i < model.laneCount(); ++i) {
    titles << model.lane(i).subject + QLatin1Char(':') + model.lane(i).title;
    groups.push_back(model.lane(i).group);
  }
  EXPECT_EQ(titles, (QStringList{"web:web", "web:Initialized", "web:ContainersReady", "web:Ready", "setup:setup",
                                 "proxy:proxy", "proxy:readinessProbe", "app:app", "app:lifecycle", "app:startupProbe",
                                 "app:livenessProbe"}));
  EXPECT_EQ(groups[4], LaneGroup::InitContainer);
  EXPECT_EQ(groups[5], LaneGroup::Sidecar);
  EXPECT_EQ(groups[7], LaneGroup::Container);
}

TEST(TimelineModel, LanesAppearAsSubjectsDoWithoutAPod) {
  TimelineModel model;
  QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
  model.append(core::Transition{0s, SubjectKind::Pod, "p", "", "Pending", "", ""});
  model.append(attempt(core::AttemptKind::ReadinessProbe, "app", 5s, core::AttemptResult::Success));
  model.append(core::Transition{1s, SubjectKind::InitContainer, "init", "", "Running", "Started", ""});
  model.append(attempt(core::AttemptKind::StartupProbe, "app", 6s, core::AttemptResult::Success));
  model.append(core::ConditionChange{7s, SubjectKind::Pod, "p", "Ready", true, "", ""});
  model.append(core::ConditionChange{7s, SubjectKind::Pod, "p", "Initialized", true, "", ""});
  QStringList titles;
  for (int i = 0; i < model.laneCount(); ++i) titles << model.lane(i).title;
  EXPECT_EQ(titles, (QStringList{"p", "Initialized", "Ready", "init", "app", "startupProbe", "readinessProbe"}));
  EXPECT_EQ(model.end(), 7s);
}

TEST(TimelineModel, StatesCloseAndRunningTurnsStartedLater) {
  TimelineModel model;
  QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
  model.setPod(sidecarPod());
  model.append(core::ConditionChange{0s, SubjectKind::Container, "app", "Started", false, "", ""});
  model.append(core::Transition{1s, SubjectKind::Container, "app", "", "Waiting", "ContainerCreating", ""});
  model.append(core::Transition{2s, SubjectKind::Container, "app", "Waiting", "Running", "Started", ""});
  model.append(core::ConditionChange{5s, SubjectKind::Container, "app", "Started", true, "", ""});
  model.append(core::Transition{9s, SubjectKind::Container, "app", "Running", "Terminated", "Error", "", 1});

  const int app = 7;
  const TimelineLane& lane = model.lane(app);
  ASSERT_EQ(lane.spans.size(), 4u);
  EXPECT_EQ(static_cast<LaneState>(lane.spans[0].value), LaneState::Waiting);
  EXPECT_EQ(lane.spans[0].end, 2s);
  EXPECT_FALSE(lane.spans[1].started);
  EXPECT_EQ(lane.spans[1].start, 2s);
  EXPECT_EQ(lane.spans[1].end, 5s);
  EXPECT_TRUE(lane.spans[2].started);
  EXPECT_EQ(lane.spans[2].end, 9s);
  EXPECT_EQ(static_cast<LaneState>(lane.spans[3].value), LaneState::Failed);
  EXPECT_TRUE(lane.spans[3].ongoing);
  // The last state lasts as long as the record: its end is the record's.
  model.append(core::Event{12s, core::EventType::Normal, "BackOff", "spec.containers{app}", ""});
  EXPECT_EQ(model.index(3, 0, model.index(app, 0)).data(TimelineModel::EndRole).toLongLong(),
            std::chrono::nanoseconds(12s).count());
}

TEST(TimelineModel, SignalsAreDrawnWhereTheRecordSaysTheyWereSent) {
  TimelineModel model;
  QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
  model.setPod(sidecarPod());
  model.append(core::Transition{1s, SubjectKind::Container, "app", "", "Running", "Started", ""});
  model.append(core::Event{10s, core::EventType::Normal, "Killing", "spec.containers{app}", "Stopping container app"});
  core::HandlerAttempt preStop = attempt(core::AttemptKind::PreStopHook, "app", 10s, core::AttemptResult::Success);
  preStop.duration = 2s;
  model.append(preStop);
  model.append(core::SignalSent{12s, SubjectKind::Container, "app", 0, SIGTERM, "SIGTERM"});
  model.append(core::SignalSent{44s, SubjectKind::Container, "app", 0, SIGKILL, "SIGKILL"});
  model.append(core::Transition{44s, SubjectKind::Container, "app", "Running", "Terminated", "Error", "", 137});
  // The sidecar's stop signal comes after the app exited, whatever its
  // Killing event said; here the image asks for SIGQUIT.
  model.append(core::Transition{1s, SubjectKind::InitContainer, "proxy", "", "Running", "Started", ""});
  model.append(core::Event{10s, core::EventType::Normal, "Killing", "spec.initContainers{proxy}", "Stopping container proxy"});
  model.append(core::SignalSent{44s, SubjectKind::InitContainer, "proxy", 0, SIGQUIT, "SIGQUIT"});

  const TimelineLane& app = model.lane(7);
  std::vector<std::pair<core::RunTime, int>> sent;
  for (const TimelineItem& m : app.marks) {
    if (m.kind == TimelineItemKind::Signal) sent.emplace_back(m.start, m.value);
  }
  EXPECT_EQ(sent, (std::vector<std::pair<core::RunTime, int>>{{12s, SIGTERM}, {44s, SIGKILL}}));
  const TimelineLane& hooks = model.lane(8);
  ASSERT_EQ(hooks.spans.size(), 1u);
  EXPECT_EQ(hooks.spans[0].end, 12s);

  const TimelineLane& proxy = model.lane(5);
  std::vector<std::pair<core::RunTime, int>> toProxy;
  for (const TimelineItem& m : proxy.marks) {
    if (m.kind == TimelineItemKind::Signal) toProxy.emplace_back(m.start, m.value);
  }
  EXPECT_EQ(toProxy, (std::vector<std::pair<core::RunTime, int>>{{44s, SIGQUIT}}));
  // Hovering says what the signal was.
  const QModelIndex proxyLane = model.index(5, 0);
  bool described = false;
  for (int row = 0; row < model.rowCount(proxyLane); ++row) {
    const QModelIndex item = model.index(row, 0, proxyLane);
    if (model.item(item)->kind != TimelineItemKind::Signal) continue;
    const QString detail = item.data(TimelineModel::DetailRole).toString();
    EXPECT_TRUE(detail.startsWith(QStringLiteral("SIGQUIT to proxy at"))) << detail.toStdString();
    EXPECT_TRUE(detail.contains(QStringLiteral("STOPSIGNAL"))) << detail.toStdString();
    described = true;
  }
  EXPECT_TRUE(described);
}

TEST(TimelineModel, ARecordReadsTheSameWholeAsLive) {
  TimelineModel live;
  live.setPod(sidecarPod());
  core::RunRecord record;
  auto add = [&](auto entry) {
    live.append(entry);
    record.append(std::move(entry));
  };
  add(core::Transition{0s, SubjectKind::Pod, "web", "", "Pending", "", ""});
  add(core::Transition{1s, SubjectKind::Container, "app", "", "Running", "Started", ""});
  for (int i = 0; i < 20; ++i) {
    add(attempt(core::AttemptKind::LivenessProbe, "app", 2s + i * 1s,
                i % 4 == 3 ? core::AttemptResult::Failure : core::AttemptResult::Success));
  }
  add(core::Event{25s, core::EventType::Warning, "Unhealthy", "spec.containers{app}", "Liveness probe failed"});
  add(core::SignalSent{26s, SubjectKind::Container, "app", 0, SIGTERM, "SIGTERM"});
  add(core::Transition{30s, SubjectKind::Container, "app", "Running", "Terminated", "Completed", "", 0});

  TimelineModel whole;
  QAbstractItemModelTester tester(&whole, QAbstractItemModelTester::FailureReportingMode::Fatal);
  whole.setPod(sidecarPod());
  whole.setRecord(record);
  ASSERT_EQ(whole.laneCount(), live.laneCount());
  for (int i = 0; i < live.laneCount(); ++i) {
    ASSERT_EQ(whole.lane(i).spans.size(), live.lane(i).spans.size()) << i;
    ASSERT_EQ(whole.lane(i).marks.size(), live.lane(i).marks.size()) << i;
    for (size_t j = 0; j < live.lane(i).spans.size(); ++j) {
      EXPECT_EQ(whole.lane(i).spans[j].start, live.lane(i).spans[j].start);
      EXPECT_EQ(whole.lane(i).spans[j].value, live.lane(i).spans[j].value);
    }
    for (size_t j = 0; j < live.lane(i).marks.size(); ++j) {
      EXPECT_EQ(whole.lane(i).marks[j].kind, live.lane(i).marks[j].kind);
      EXPECT_EQ(whole.lane(i).marks[j].start, live.lane(i).marks[j].start);
      EXPECT_EQ(whole.lane(i).marks[j].value, live.lane(i).marks[j].value);
    }
  }
  EXPECT_EQ(whole.record().signalsSent(), record.signalsSent());
  const QModelIndex probe = whole.index(0, 0, whole.index(10, 0));
  EXPECT_EQ(probe.data(TimelineModel::OutputRole).toString(), QStringLiteral("ok"));
  EXPECT_TRUE(probe.data(Qt::ToolTipRole).toString().contains(QStringLiteral("livenessProbe")));
}

class TimelineViewTest : public ::testing::Test {
 protected:
  void SetUp() override {
    m_model.setPod(sidecarPod());
    m_model.append(core::Transition{0s, SubjectKind::Pod, "web", "", "Pending", "", ""});
    m_model.append(core::Transition{2s, SubjectKind::Container, "app", "", "Running", "Started", ""});
    for (int i = 0; i < 100; ++i) {
      m_model.append(attempt(core::AttemptKind::LivenessProbe, "app", 3s + i * 1s, core::AttemptResult::Success));
    }
    m_view.setModel(&m_model);
    m_view.resize(900, 400);
    m_view.show();
    ASSERT_TRUE(QTest::qWaitForWindowExposed(&m_view));
  }

  /// The time under viewport x, to the microsecond (a pixel is wider).
  long long timeAt(double x) const {
    return std::chrono::duration_cast<std::chrono::microseconds>(m_view.xToTime(x)).count();
  }

  TimelineModel m_model;
  TimelineView m_view;
};

TEST_F(TimelineViewTest, ZoomKeepsTheTimeUnderTheCursor) {
  m_view.fit();
  const double x = 500;
  const long long before = timeAt(x);
  const core::RunTime spanBefore = m_view.visibleSpan();
  m_view.zoomBy(4, x);
  EXPECT_NEAR(timeAt(x), before, 1);
  EXPECT_LT(m_view.visibleSpan(), spanBefore);
  m_view.zoomBy(0.5, x);
  EXPECT_NEAR(timeAt(x), before, 1);

  // Ctrl+wheel does the same around the mouse.
  const QPointF at(600, 200);
  const long long under = timeAt(at.x());
  QWheelEvent wheel(at, m_view.viewport()->mapToGlobal(at), QPoint(), QPoint(0, 240), Qt::NoButton,
                    Qt::ControlModifier, Qt::NoScrollPhase, false);
  QApplication::sendEvent(m_view.viewport(), &wheel);
  EXPECT_NEAR(timeAt(at.x()), under, 1);
  EXPECT_LT(m_view.visibleSpan(), spanBefore / 2);
}

TEST_F(TimelineViewTest, KeysZoomPanAndFit) {
  m_view.fit();
  const core::RunTime fitted = m_view.visibleSpan();
  EXPECT_LE(m_view.visibleStart(), 0s);
  EXPECT_GE(m_view.visibleStart() + fitted, m_model.end());

  m_view.setFocus();
  QTest::keyClick(&m_view, Qt::Key_Plus);
  EXPECT_LT(m_view.visibleSpan(), fitted);
  const core::RunTime start = m_view.visibleStart();
  QTest::keyClick(&m_view, Qt::Key_Right);
  EXPECT_GT(m_view.visibleStart(), start);
  QTest::keyClick(&m_view, Qt::Key_Left);
  EXPECT_EQ(m_view.visibleStart(), start);
  QTest::keyClick(&m_view, Qt::Key_Minus);
  QTest::keyClick(&m_view, Qt::Key_F);
  EXPECT_EQ(m_view.visibleSpan(), fitted);
}

TEST_F(TimelineViewTest, DraggingPansByTheDistanceMoved) {
  m_view.setVisibleRange(40s, 20s);
  const long long before = timeAt(500);
  QTest::mousePress(m_view.viewport(), Qt::LeftButton, {}, QPoint(500, 100));
  QMouseEvent move(QEvent::MouseMove, QPointF(400, 100), m_view.viewport()->mapToGlobal(QPointF(400, 100)),
                   Qt::NoButton, Qt::LeftButton, Qt::NoModifier);
  QApplication::sendEvent(m_view.viewport(), &move);
  QTest::mouseRelease(m_view.viewport(), Qt::LeftButton, {}, QPoint(400, 100));
  // What was under x = 500 is now under x = 400.
  EXPECT_NEAR(timeAt(400), before, 1);
}

TEST_F(TimelineViewTest, FollowsThePresentUntilTheUserMovesAway) {
  m_view.setVisibleRange(0s, 30s);
  m_view.setFollowing(true);
  m_model.append(core::Transition{200s, SubjectKind::Container, "app", "Running", "Terminated", "Completed", "", 0});
  EXPECT_GE(m_view.visibleStart() + m_view.visibleSpan(), 200s);
  EXPECT_TRUE(m_view.isFollowing());

  m_view.setVisibleRange(10s, 30s);  // away from the present
  EXPECT_FALSE(m_view.isFollowing());
  m_model.append(core::Event{260s, core::EventType::Normal, "Killing", "spec.containers{app}", ""});
  EXPECT_EQ(m_view.visibleStart(), 10s);
  QTest::keyClick(&m_view, Qt::Key_End);
  EXPECT_TRUE(m_view.isFollowing());
  EXPECT_GE(m_view.visibleStart() + m_view.visibleSpan(), 260s);
}

TEST_F(TimelineViewTest, HoverShowsTheTimeAndClickPicksTheNearestDot) {
  m_view.setVisibleRange(0s, 20s);
  const int probe = 10;  // web, 3 conditions, setup, proxy, its probe, app, lifecycle, startup, liveness
  ASSERT_EQ(m_model.lane(probe).probe, core::AttemptKind::LivenessProbe);
  const TimelineItem& fifth = m_model.lane(probe).spans[4];
  const QPoint at = m_view.itemPoint(probe, fifth) + QPoint(2, 1);
  QTest::mouseMove(m_view.viewport(), at);
  ASSERT_TRUE(m_view.cursorTime().has_value());
  EXPECT_NEAR(static_cast<double>(m_view.cursorTime()->count()), static_cast<double>(m_view.xToTime(at.x()).count()), 1);
  const QModelIndex index = m_view.indexAt(at);
  EXPECT_EQ(m_model.item(index), &fifth);
}

}  // namespace
}  // namespace podscope::ui
