// The run's panels fed by a real simulated run: the timeline model, the
// events table and the links between them, checked with
// QAbstractItemModelTester throughout.

#include "ui/run_panels.h"

#include <gtest/gtest.h>

#include <QAbstractItemModelTester>
#include <QCheckBox>
#include <QLineEdit>
#include <QMainWindow>
#include <QPlainTextEdit>
#include <QSignalSpy>
#include <QTableView>
#include <QTest>
#include <QTreeWidget>

#include <csignal>

#include "core/manifest_reader.h"
#include "ui/details_panel.h"
#include "ui/events_model.h"
#include "ui/events_view.h"
#include "ui/logs_panel.h"
#include "ui/run_controller.h"
#include "ui/timeline_model.h"
#include "ui/timeline_view.h"
#include "ui_test_support.h"

namespace podscope::ui {
namespace {

using namespace std::chrono_literals;

// The Kubernetes docs' exec liveness probe: healthy for 30 s, then three
// failures get the container killed (by SIGKILL: a shell as PID 1 ignores
// SIGTERM) and restarted.
constexpr char kLivenessPod[] = R"(apiVersion: v1
kind: Pod
metadata:
  name: liveness-exec
spec:
  terminationGracePeriodSeconds: 5
  containers:
  - name: liveness
    image: registry.k8s.io/busybox:1.27.2
    args: [/bin/sh, -c, "touch /tmp/healthy; sleep 30; rm -f /tmp/healthy; sleep 600"]
    livenessProbe:
      exec:
        command: [cat, /tmp/healthy]
      initialDelaySeconds: 5
      periodSeconds: 5
)";

class RunPanelsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    m_window.resize(1200, 500);
    m_window.setCentralWidget(m_panels.timeline());
    m_window.show();
    ASSERT_TRUE(QTest::qWaitForWindowExposed(&m_window));
  }

  /// Runs `manifest` on the simulator and waits for it to end.
  void run(const char* manifest) {
    auto pod = core::readPod(manifest, "pod.yaml");
    ASSERT_TRUE(pod) << pod.error().toString();
    m_panels.beginRun(QString::fromUtf8(manifest), QStringLiteral("pod.yaml"), RuntimeKind::Simulated);
    bool finished = false;
    QObject context;
    QObject::connect(&m_runner, &RunController::runFinished, &context, [&](const RunResult& result) {
      m_result = result;
      finished = true;
    });
    RunRequest request;
    request.pod = *pod;
    ASSERT_NE(m_runner.start(std::move(request)), 0u);
    ASSERT_TRUE(QTest::qWaitFor([&] { return finished; }, 20000));
    ASSERT_FALSE(m_result.error) << m_result.error->toString();
  }

  int laneOf(TimelineLaneKind kind, const QString& subject) const {
    const TimelineModel& model = *m_panels.timelineModel();
    for (int i = 0; i < model.laneCount(); ++i) {
      if (model.lane(i).kind == kind && model.lane(i).subject == subject) return i;
    }
    return -1;
  }

  RunController m_runner;
  RunPanels m_panels{&m_runner};
  QMainWindow m_window;
  QAbstractItemModelTester m_timelineTester{m_panels.timelineModel(),
                                            QAbstractItemModelTester::FailureReportingMode::Fatal};
  QAbstractItemModelTester m_eventsTester{m_panels.eventsModel(), QAbstractItemModelTester::FailureReportingMode::Fatal};
  QAbstractItemModelTester m_filterTester{m_panels.events()->filterModel(),
                                          QAbstractItemModelTester::FailureReportingMode::Fatal};
  RunResult m_result;
};

TEST_F(RunPanelsTest, ALivenessRunShowsLanesProbeDotsSignalsRestartsAndEvents) {
  run(kLivenessPod);
  const TimelineModel& model = *m_panels.timelineModel();
  // Everything the engine recorded arrived live, in order.
  EXPECT_EQ(model.record().transitions(), m_result.record.transitions());
  EXPECT_EQ(model.record().events(), m_result.record.events());
  EXPECT_EQ(model.record().attempts(), m_result.record.attempts());
  EXPECT_EQ(model.record().conditions(), m_result.record.conditions());
  EXPECT_EQ(model.record().signalsSent(), m_result.record.signalsSent());
  EXPECT_EQ(m_panels.eventsModel()->events(), m_result.record.events());

  ASSERT_EQ(model.laneCount(), 6);  // pod, 3 conditions, container, its liveness probe
  EXPECT_EQ(model.lane(0).kind, TimelineLaneKind::PodPhase);
  EXPECT_EQ(model.lane(1).condition, QStringLiteral("Initialized"));
  EXPECT_EQ(model.lane(2).condition, QStringLiteral("ContainersReady"));
  EXPECT_EQ(model.lane(3).condition, QStringLiteral("Ready"));
  const int container = laneOf(TimelineLaneKind::ContainerState, QStringLiteral("liveness"));
  const int probe = laneOf(TimelineLaneKind::Probe, QStringLiteral("liveness"));
  ASSERT_EQ(container, 4);
  ASSERT_EQ(probe, 5);
  EXPECT_EQ(model.lane(probe).probe, core::AttemptKind::LivenessProbe);

  const TimelineLane& probes = model.lane(probe);
  ASSERT_EQ(probes.spans.size(), m_result.record.attempts().size());
  const auto failed = std::count_if(probes.spans.begin(), probes.spans.end(), [](const TimelineItem& i) {
    return static_cast<core::AttemptResult>(i.value) == core::AttemptResult::Failure;
  });
  const auto crossings = std::count_if(probes.spans.begin(), probes.spans.end(), [](const TimelineItem& i) {
    return i.threshold;
  });
  EXPECT_GE(failed, 3);
  EXPECT_GE(crossings, 1);

  const TimelineLane& lane = model.lane(container);
  auto count = [&](TimelineItemKind kind, int value = -1) {
    return std::count_if(lane.marks.begin(), lane.marks.end(), [&](const TimelineItem& i) {
      return i.kind == kind && (value < 0 || i.value == value);
    });
  };
  EXPECT_GE(count(TimelineItemKind::Restart), 1);
  // Each signal the engine sent, where it sent it.
  EXPECT_EQ(static_cast<size_t>(count(TimelineItemKind::Signal)), m_result.record.signalsSent().size());
  EXPECT_GE(count(TimelineItemKind::Signal, SIGTERM), 1);
  EXPECT_GE(count(TimelineItemKind::Signal, SIGKILL), 1);
  EXPECT_GE(count(TimelineItemKind::Event, static_cast<int>(core::EventType::Warning)), 3);  // Unhealthy
  // Every event is a diamond on some lane.
  size_t diamonds = 0;
  for (int i = 0; i < model.laneCount(); ++i) {
    const auto& marks = model.lane(i).marks;
    diamonds += static_cast<size_t>(std::count_if(marks.begin(), marks.end(), [](const TimelineItem& m) {
      return m.kind == TimelineItemKind::Event;
    }));
  }
  EXPECT_EQ(diamonds, m_result.record.events().size());
  // After the run the view shows all of it.
  const TimelineView* view = m_panels.timeline()->view();
  EXPECT_LE(view->visibleStart(), core::RunTime{0});
  EXPECT_GE(view->visibleStart() + view->visibleSpan(), model.end());
}

TEST_F(RunPanelsTest, ClickingAFailedProbeDotSelectsItsEventAndShowsTheOutput) {
  run(kLivenessPod);
  const TimelineModel& model = *m_panels.timelineModel();
  const int probe = laneOf(TimelineLaneKind::Probe, QStringLiteral("liveness"));
  ASSERT_GE(probe, 0);
  const TimelineLane& lane = model.lane(probe);
  auto failure = std::find_if(lane.spans.begin(), lane.spans.end(), [](const TimelineItem& i) {
    return static_cast<core::AttemptResult>(i.value) == core::AttemptResult::Failure;
  });
  ASSERT_NE(failure, lane.spans.end());

  TimelineView* view = m_panels.timeline()->view();
  // Zoomed in around the failure, so its dot has room of its own.
  view->setVisibleRange(failure->start - 10s, 20s);
  QSignalSpy clicked(view, &TimelineView::itemClicked);
  const QPoint at = view->itemPoint(probe, *failure);
  QTest::mouseClick(view->viewport(), Qt::LeftButton, {}, at);
  ASSERT_EQ(clicked.size(), 1);
  const QModelIndex index = clicked.front().front().toModelIndex();
  EXPECT_EQ(model.item(index), &*failure);

  const core::HandlerAttempt& attempt = model.record().attempts()[static_cast<size_t>(failure->source)];
  const QString output = QString::fromStdString(attempt.output);
  ASSERT_FALSE(output.isEmpty());
  EXPECT_TRUE(m_panels.output()->toPlainText().contains(output.trimmed()));
  EXPECT_TRUE(m_panels.output()->toPlainText().contains(QStringLiteral("livenessProbe")));

  const int row = m_panels.events()->selectedEventRow();
  ASSERT_GE(row, 0);
  const core::Event& event = m_panels.eventsModel()->events()[static_cast<size_t>(row)];
  EXPECT_EQ(event.reason, "Unhealthy");
  EXPECT_EQ(event.object, "spec.containers{liveness}");
  EXPECT_EQ(event.time, attempt.start + attempt.duration);
  EXPECT_EQ(view->selectedIndex(), index);
}

TEST_F(RunPanelsTest, SelectingAnEventHighlightsItsDiamond) {
  run(kLivenessPod);
  const int row = m_panels.eventsModel()->findEvent(40s, QStringLiteral("Killing"));
  ASSERT_GE(row, 0);
  EventsView* events = m_panels.events();
  const QModelIndex proxy = events->filterModel()->mapFromSource(m_panels.eventsModel()->index(row, 0));
  events->table()->setCurrentIndex(proxy);
  const TimelineItem* item = m_panels.timelineModel()->item(m_panels.timeline()->view()->selectedIndex());
  ASSERT_NE(item, nullptr);
  EXPECT_EQ(item->kind, TimelineItemKind::Event);
  EXPECT_EQ(item->source, row);
  EXPECT_TRUE(m_panels.output()->toPlainText().contains(QStringLiteral("Killing")));
}

TEST_F(RunPanelsTest, EventAgesCountBackFromTheEndOfTheRunAsKubectlDoes) {
  run(kLivenessPod);
  const core::RunTime end = m_result.record.lastTime();
  ASSERT_TRUE(m_result.record.ended);
  EXPECT_EQ(m_panels.present(), end.count());
  EventsModel* events = m_panels.eventsModel();
  ASSERT_GT(events->rowCount(), 1);
  const core::Event& first = events->events().front();
  EXPECT_EQ(events->index(0, EventsModel::AgeColumn).data().toString().toStdString(), core::formatAge(end - first.time));
  const int last = events->rowCount() - 1;
  EXPECT_EQ(events->index(last, EventsModel::AgeColumn).data().toString().toStdString(),
            core::formatAge(end - events->events().back().time));
  EXPECT_TRUE(events->index(0, EventsModel::AgeColumn).data(Qt::ToolTipRole).toString().contains(
      QString::fromStdString(core::formatRunTime(first.time))));
  // A later present ages every row.
  QSignalSpy changed(events, &QAbstractItemModel::dataChanged);
  events->setNow(end + 10min);
  EXPECT_EQ(changed.size(), 1);
  EXPECT_EQ(events->index(0, EventsModel::AgeColumn).data().toString().toStdString(),
            core::formatAge(end + 10min - first.time));
}

TEST_F(RunPanelsTest, TheEventsFilterKeepsMatchingRowsAndWarnings) {
  run(kLivenessPod);
  EventsView* events = m_panels.events();
  const int all = m_panels.eventsModel()->rowCount();
  ASSERT_GT(all, 5);
  events->filterEdit()->setText(QStringLiteral("unhealthy"));
  const int unhealthy = events->filterModel()->rowCount();
  EXPECT_GE(unhealthy, 3);
  EXPECT_LT(unhealthy, all);
  for (int r = 0; r < unhealthy; ++r) {
    EXPECT_EQ(events->filterModel()->index(r, EventsModel::ReasonColumn).data().toString(), QStringLiteral("Unhealthy"));
  }
  events->filterEdit()->clear();
  events->warningsOnlyBox()->setChecked(true);
  const int warnings = events->filterModel()->rowCount();
  EXPECT_GE(warnings, unhealthy);
  EXPECT_LT(warnings, all);
  for (int r = 0; r < warnings; ++r) {
    EXPECT_EQ(events->filterModel()->index(r, EventsModel::TypeColumn).data().toString(), QStringLiteral("Warning"));
  }
  // A Normal event cannot be selected while only warnings show.
  EXPECT_FALSE(events->selectEventAt(0s, QStringLiteral("Scheduled")));
  events->warningsOnlyBox()->setChecked(false);
  EXPECT_TRUE(events->selectEventAt(0s, QStringLiteral("Scheduled")));
  EXPECT_EQ(events->filterModel()->rowCount(), all);
}

TEST_F(RunPanelsTest, TheDetailsListConditionsContainersAndDefaults) {
  run(kLivenessPod);
  DetailsPanel* details = m_panels.details();
  details->refresh();
  QStringList conditions;
  for (int i = 0; i < details->conditionsTree()->topLevelItemCount(); ++i) {
    conditions << details->conditionsTree()->topLevelItem(i)->text(0);
  }
  for (const char* type : {"Initialized", "Ready", "ContainersReady", "PodScheduled"}) {
    EXPECT_TRUE(conditions.contains(QString::fromLatin1(type))) << type << " in " << conditions.join(u',').toStdString();
  }
  ASSERT_EQ(details->containersTree()->topLevelItemCount(), 1);
  const QTreeWidgetItem* container = details->containersTree()->topLevelItem(0);
  EXPECT_EQ(container->text(0), QStringLiteral("liveness"));
  EXPECT_GE(container->text(3).toInt(), 1);  // restarts
  EXPECT_TRUE(container->text(2).contains(QStringLiteral("Terminated")));  // last state

  // periodSeconds was written, timeoutSeconds was left to its default.
  const auto items = details->specTree()->findItems(QStringLiteral("timeoutSeconds"), Qt::MatchRecursive);
  ASSERT_EQ(items.size(), 1);
  EXPECT_TRUE(items.front()->text(1).contains(QStringLiteral("(default)")));
  const auto written = details->specTree()->findItems(QStringLiteral("periodSeconds"), Qt::MatchRecursive);
  ASSERT_EQ(written.size(), 1);
  EXPECT_EQ(written.front()->text(1), QStringLiteral("5"));
}

TEST_F(RunPanelsTest, TheSimulatedRuntimeSaysItWritesNoLogs) {
  run(kLivenessPod);
  EXPECT_TRUE(m_panels.logs()->message().contains(QStringLiteral("simulated runtime writes no log files")));
  EXPECT_TRUE(m_panels.logs()->text().isEmpty());
}

}  // namespace
}  // namespace podscope::ui
