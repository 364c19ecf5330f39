#include "ui/run_panels.h"

#include <QFontDatabase>
#include <QPlainTextEdit>

#include <csignal>

#include "core/manifest_reader.h"
#include "ui/details_panel.h"
#include "ui/events_model.h"
#include "ui/events_view.h"
#include "ui/logs_panel.h"
#include "ui/timeline_model.h"
#include "ui/timeline_view.h"

namespace podscope::ui {

namespace {

QString fieldPathOf(const TimelineLane& lane) {
  switch (lane.subjectKind) {
    case core::SubjectKind::Pod: return {};
    case core::SubjectKind::InitContainer: return QStringLiteral("spec.initContainers{%1}").arg(lane.subject);
    case core::SubjectKind::Container: return QStringLiteral("spec.containers{%1}").arg(lane.subject);
  }
  return {};
}

}  // namespace

RunPanels::RunPanels(RunController* runner, QObject* parent) : QObject(parent) {
  m_timelineModel = new TimelineModel(this);
  m_eventsModel = new EventsModel(this);

  m_timeline = new TimelineWidget;
  m_timeline->view()->setModel(m_timelineModel);
  m_timeline->view()->setPlaceholderText(tr("Press Run to see what the pod does over time: init containers in order, "
                                            "container states, probes, hooks, restarts and termination."));
  m_output = new QPlainTextEdit;
  m_output->setObjectName(QStringLiteral("timelineOutput"));
  m_output->setReadOnly(true);
  m_output->setFrameShape(QFrame::NoFrame);
  m_output->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
  m_output->setPlaceholderText(tr("Click an item on the timeline to see what it was here: a probe's or hook's output, "
                                  "an event's message, a state's reason."));
  m_events = new EventsView;
  m_events->setModel(m_eventsModel);
  m_logs = new LogsPanel;
  m_logs->setRecordSource(m_timelineModel);
  m_details = new DetailsPanel;
  m_details->setRecordSource(m_timelineModel);

  connect(runner, &RunController::recordAppended, this, &RunPanels::onRecordAppended);
  connect(runner, &RunController::rolloutAppended, this, &RunPanels::onRolloutAppended);
  connect(runner, &RunController::runFinished, this, &RunPanels::onRunFinished);
  connect(runner, &RunController::logsLocated, m_logs, &LogsPanel::setLogDirectory);
  connect(m_timeline->view(), &TimelineView::itemClicked, this, &RunPanels::showItem);
  connect(m_events, &EventsView::eventSelected, this, &RunPanels::showEventOnTimeline);
  m_clock = new QTimer(this);
  m_clock->setInterval(1000);
  connect(m_clock, &QTimer::timeout, this, &RunPanels::tick);
}

qint64 RunPanels::present() const { return m_present.count(); }

void RunPanels::tick() {
  if (!m_running) return;
  setPresent(m_timelineModel->end() + std::chrono::milliseconds(m_sinceLastEntry.elapsed()));
}

void RunPanels::setPresent(core::RunTime now) {
  m_present = now;
  m_eventsModel->setNow(now);
  emit presentChanged(now.count());
}

RunPanels::~RunPanels() {
  // The widgets belong to whoever placed them; ones never placed are ours.
  for (QWidget* w : std::initializer_list<QWidget*>{m_timeline, m_output, m_events, m_logs, m_details}) {
    if (w && !w->parent()) delete w;
  }
}

TimelineWidget* RunPanels::timeline() const { return m_timeline; }
QPlainTextEdit* RunPanels::output() const { return m_output; }
EventsView* RunPanels::events() const { return m_events; }
LogsPanel* RunPanels::logs() const { return m_logs; }
DetailsPanel* RunPanels::details() const { return m_details; }

void RunPanels::beginRun(const QString& manifestText, const QString& fileName, RuntimeKind runtime) {
  const core::Manifest manifest = core::readManifest(manifestText.toStdString(), fileName.toStdString());
  const core::Document* doc = manifest.firstPod();
  m_output->clear();
  m_eventsModel->clear();
  m_running = true;
  m_sinceLastEntry.start();
  m_clock->start();
  setPresent({});
  m_timeline->view()->setSelectedIndex({});
  m_timeline->view()->setFollowing(true);
  if (!doc || !doc->pod) {
    m_timelineModel->clear();
    return;
  }
  m_timelineModel->setPod(*doc->pod);
  m_logs->beginRun(*doc->pod, runtime == RuntimeKind::Containerd);
  m_details->setSpec(*doc->pod, doc->defaults);
}

void RunPanels::startClock() {
  m_output->clear();
  m_eventsModel->clear();
  m_running = true;
  m_sinceLastEntry.start();
  m_clock->start();
  setPresent({});
  m_timeline->view()->setSelectedIndex({});
  m_timeline->view()->setFollowing(true);
}

void RunPanels::beginRollout(const core::Deployment& deployment) {
  startClock();
  m_timelineModel->setRollout(deployment);
  // A rollout takes tens of seconds, not the instant of a simulated pod:
  // half a minute across, so its first steps can be told apart.
  m_timeline->view()->setVisibleRange(core::RunTime{0}, std::chrono::seconds(30));
  m_timeline->view()->setFollowing(true);
  // The pods' logs and details are not shown one by one; Details shows the
  // pod template they are all made from.
  core::Pod templatePod;
  templatePod.metadata = deployment.spec.podTemplate.metadata;
  templatePod.metadata.name = deployment.metadata.name;
  templatePod.metadata.namespaceName = deployment.metadata.namespaceName;
  templatePod.spec = deployment.spec.podTemplate.spec;
  m_logs->beginRun(templatePod, false);
  m_details->setSpec(templatePod, {});
}

void RunPanels::showRollout(const core::RolloutRecord& record) {
  m_timelineModel->setRolloutRecord(record);
  m_eventsModel->setEvents(m_timelineModel->record().events());
  if (!m_running) setPresent(m_timelineModel->end());
  m_details->refresh();
}

void RunPanels::onRolloutAppended(const RolloutBatch& batch) {
  m_timelineModel->append(batch);
  m_sinceLastEntry.restart();
  if (m_timelineModel->end() > m_present) setPresent(m_timelineModel->end());
  // The model names each event's object (deployment/, replicaset/, pod/);
  // the table lists them as the model has them.
  const auto& events = m_timelineModel->record().events();
  for (size_t i = m_eventsModel->events().size(); i < events.size(); ++i) m_eventsModel->append(events[i]);
}

void RunPanels::showRecord(const core::RunRecord& record) {
  m_timelineModel->setRecord(record);
  m_eventsModel->setEvents(record.events());
  if (!m_running) setPresent(record.lastTime());
  m_details->refresh();
}

void RunPanels::onRecordAppended(const RecordBatch& batch) {
  m_timelineModel->append(batch);
  m_sinceLastEntry.restart();
  for (const RecordEntry& entry : batch) {
    if (const auto* event = std::get_if<core::Event>(&entry)) m_eventsModel->append(*event);
  }
}

void RunPanels::onRunFinished(const RunResult& result) {
  if (result.rollout) {
    const core::RolloutRecord& rollout = *result.rollout;
    size_t podEvents = 0;
    size_t podLines = 0;
    for (const core::RolloutPod& pod : rollout.pods()) {
      podEvents += pod.record.events().size();
      podLines += pod.record.statusLines().size();
    }
    const bool complete = m_timelineModel->isRollout() &&
                          m_timelineModel->record().events().size() == rollout.events().size() + podEvents &&
                          m_timelineModel->record().statusLines().size() == podLines &&
                          m_timelineModel->replicaSetSamples().size() == rollout.replicaSetSamples().size() &&
                          m_timelineModel->deploymentLines().size() == rollout.statusLines().size();
    m_running = false;
    m_clock->stop();
    if (!complete) showRollout(rollout);
    setPresent(m_timelineModel->end());
    if (m_timeline->view()->isFollowing()) m_timeline->view()->fit();
    m_details->refresh();
    return;
  }
  const core::RunRecord& record = result.record;
  const core::RunRecord& shown = m_timelineModel->record();
  // Every entry arrives before the run's end; should one have gone
  // missing on the way, the returned record is the truth.
  const bool complete = shown.transitions().size() == record.transitions().size() &&
                        shown.events().size() == record.events().size() &&
                        shown.attempts().size() == record.attempts().size() &&
                        shown.conditions().size() == record.conditions().size() &&
                        shown.signalsSent().size() == record.signalsSent().size();
  m_running = false;
  m_clock->stop();
  if (!complete) showRecord(record);
  setPresent(record.lastTime());
  // The run is over: show all of it, unless the user is looking elsewhere.
  if (m_timeline->view()->isFollowing()) m_timeline->view()->fit();
  m_details->refresh();
}

void RunPanels::showItem(const QModelIndex& index) {
  const TimelineItem* item = m_timelineModel->item(index);
  if (!item) return;
  const TimelineLane& lane = m_timelineModel->lane(index.parent().row());
  m_timeline->view()->setSelectedIndex(index);
  m_output->setPlainText(index.data(TimelineModel::DetailRole).toString());

  const QString object = fieldPathOf(lane);
  const core::RunRecord& record = m_timelineModel->record();
  switch (item->kind) {
    case TimelineItemKind::Event: m_events->selectEventRow(item->source); break;
    case TimelineItemKind::Signal:
      // The Killing event that began the stop.
      m_events->selectEventAt(item->start, QStringLiteral("Killing"), object);
      break;
    case TimelineItemKind::Probe:
    case TimelineItemKind::Hook: {
      const core::HandlerAttempt& a = record.attempts()[static_cast<size_t>(item->source)];
      QString reason;
      switch (a.result) {
        case core::AttemptResult::Success: break;
        case core::AttemptResult::Warning: reason = QStringLiteral("ProbeWarning"); break;
        case core::AttemptResult::Failure:
        case core::AttemptResult::Error:
          if (a.kind == core::AttemptKind::PostStartHook) {
            reason = QStringLiteral("FailedPostStartHook");
          } else if (a.kind == core::AttemptKind::PreStopHook) {
            reason = QStringLiteral("FailedPreStopHook");
          } else {
            reason = QStringLiteral("Unhealthy");
          }
          break;
      }
      // A passing attempt makes no event; there is nothing to select.
      if (reason.isEmpty()) {
        m_events->selectEventRow(-1);
      } else {
        m_events->selectEventAt(item->end, reason, object);
      }
      break;
    }
    case TimelineItemKind::Restart: m_events->selectEventAt(item->start, QStringLiteral("Started"), object); break;
    case TimelineItemKind::State: {
      const core::Transition& t = record.transitions()[static_cast<size_t>(item->source)];
      QString reason;
      if (t.reason == "CrashLoopBackOff") reason = QStringLiteral("BackOff");
      if (t.to == "Running" && t.kind != core::SubjectKind::Pod) reason = QStringLiteral("Started");
      m_events->selectEventAt(item->start, reason, object);
      break;
    }
    case TimelineItemKind::Condition: m_events->selectEventAt(item->start, {}, object); break;
    case TimelineItemKind::PodStatus:
      // The pod's own event nearest the moment its status changed.
      m_events->selectEventAt(item->start, {}, QStringLiteral("pod/%1").arg(lane.subject));
      break;
    case TimelineItemKind::Replicas:
      m_events->selectEventAt(item->start, {}, QStringLiteral("replicaset/%1").arg(lane.subject));
      break;
    case TimelineItemKind::DeploymentStatus:
    case TimelineItemKind::DeploymentCondition:
      m_events->selectEventAt(item->start, QStringLiteral("ScalingReplicaSet"), {});
      break;
  }
}

void RunPanels::showEventOnTimeline(int row) {
  const auto& events = m_timelineModel->record().events();
  if (row < 0 || row >= static_cast<int>(events.size())) return;
  const core::RunTime time = events[static_cast<size_t>(row)].time;
  for (int l = 0; l < m_timelineModel->laneCount(); ++l) {
    const TimelineLane& lane = m_timelineModel->lane(l);
    auto it = std::lower_bound(lane.marks.begin(), lane.marks.end(), time,
                               [](const TimelineItem& x, core::RunTime v) { return x.start < v; });
    for (; it != lane.marks.end() && it->start == time; ++it) {
      if (it->kind != TimelineItemKind::Event || it->source != row) continue;
      const QModelIndex index = m_timelineModel->markIndex(l, static_cast<int>(it - lane.marks.begin()));
      TimelineView* view = m_timeline->view();
      view->setSelectedIndex(index);
      m_output->setPlainText(index.data(TimelineModel::DetailRole).toString());
      if (time < view->visibleStart() || time > view->visibleStart() + view->visibleSpan()) {
        view->setVisibleRange(time - view->visibleSpan() / 2, view->visibleSpan());
      }
      return;
    }
  }
}

}  // namespace podscope::ui
