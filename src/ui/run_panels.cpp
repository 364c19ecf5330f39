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
