#pragma once
// RunPanels: the panels that show one run as it happens — the timeline with
// an output pane for the item clicked, the events table, the container logs
// and the pod's details — fed from a RunController, and linked: clicking an
// item on the timeline selects its event and shows its output; selecting an
// event highlights it on the timeline.

#include <QObject>
#include <QPlainTextEdit>
#include <QElapsedTimer>
#include <QPointer>
#include <QTimer>
#include <QString>

#include "core/run_record.h"
#include "ui/run_controller.h"


namespace podscope::ui {

class DetailsPanel;
class EventsModel;
class EventsView;
class LogsPanel;
class TimelineModel;
class TimelineWidget;

/// Thread contract: GUI thread only.
class RunPanels final : public QObject {
  Q_OBJECT

 public:
  /// Creates the widgets (without a parent: whoever places them owns them)
  /// and listens to `runner`.
  explicit RunPanels(RunController* runner, QObject* parent = nullptr);
  ~RunPanels() override;

  /// Starts over for a run of the first pod in `manifestText` on `runtime`.
  void beginRun(const QString& manifestText, const QString& fileName, RuntimeKind runtime);
  /// Starts over for a run of `deployment`: its rollout's lanes, events
  /// and the pod template's details.
  void beginRollout(const core::Deployment& deployment);
  /// Shows a whole record, as at the end of a run.
  void showRecord(const core::RunRecord& record);
  /// Shows a whole rollout's record, as at the end of a Deployment's run.
  void showRollout(const core::RolloutRecord& record);

  TimelineWidget* timeline() const;
  QPlainTextEdit* output() const;
  EventsView* events() const;
  LogsPanel* logs() const;
  DetailsPanel* details() const;
  TimelineModel* timelineModel() const { return m_timelineModel; }
  EventsModel* eventsModel() const { return m_eventsModel; }

  /// The run's present, in nanoseconds of run time: the time of the latest
  /// entry plus the wall time since it arrived while a run goes on, the end
  /// of the record once it is over.
  qint64 present() const;

  /// What a click on the timeline at `index` (a TimelineModel child) does.
  void showItem(const QModelIndex& index);
  /// Highlights the event at `row` of the events model on the timeline.
  void showEventOnTimeline(int row);

 signals:
  /// The present moved (each second while a run goes on, and when it ends).
  void presentChanged(qint64 runTimeNs);

 private:
  void onRecordAppended(const RecordBatch& batch);
  void onRolloutAppended(const RolloutBatch& batch);
  void startClock();
  void onRunFinished(const RunResult& result);
  void tick();
  void setPresent(core::RunTime now);

  TimelineModel* m_timelineModel = nullptr;
  EventsModel* m_eventsModel = nullptr;
  QPointer<TimelineWidget> m_timeline;
  QPointer<QPlainTextEdit> m_output;
  QPointer<EventsView> m_events;
  QPointer<LogsPanel> m_logs;
  QPointer<DetailsPanel> m_details;
  QTimer* m_clock = nullptr;         ///< ticks each second while a run goes on
  QElapsedTimer m_sinceLastEntry;    ///< wall time since the latest entry arrived
  core::RunTime m_present{0};
  bool m_running = false;
};

}  // namespace podscope::ui
