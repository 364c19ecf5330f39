#pragma once
// The run as timeline lanes, the data behind the timeline (docs in ux.md,
// "Timeline visual grammar"): a pod lane with its phase and a band for each
// of the conditions Initialized, ContainersReady and Ready; then one lane per
// container (init containers in order, sidecars, app containers) with its
// state bars, and under it a lane for its lifecycle hooks and one per probe
// kind with an item per attempt. Signals, restarts and events are marks on
// the lane they concern.
//
// A Deployment's run (setRollout) has other lanes: the Deployment on top with
// its `kubectl get deployment` columns and the controllers' events, a band
// for each of its conditions Progressing and Available, then one lane per
// ReplicaSet drawing its DESIRED / READY counts over time, each followed by
// its pods as compact status bars. Every time there is on the rollout's
// axis; the record() then holds the rollout's events (Object
// `deployment/<name>`, `replicaset/<name>` or `pod/<name>`) and its pods'
// status lines, so events and tables read it as they read a pod's.
//
// A tree model: each top-level row is a lane, its children are the lane's
// items in order of time (spans first, then marks). Views read the roles;
// a painter that must reach 100,000 items a frame reads LaneDataRole, a
// pointer to the lane's sorted item vectors, instead of one index per item.

#include <QAbstractItemModel>
#include <QHash>
#include <QString>

#include <cstdint>
#include <optional>
#include <vector>

#include "core/manifest.h"
#include "core/run_record.h"
#include "ui/lane_layout.h"
#include "ui/run_controller.h"

namespace podscope::ui {

/// Which part of the pod a lane belongs to, in the order lanes are shown.
enum class LaneGroup : std::uint8_t { Pod, InitContainer, Sidecar, Container, Deployment, ReplicaSet };

/// What a lane draws.
enum class TimelineLaneKind : std::uint8_t {
  PodPhase,        ///< the pod's phase as bars
  PodCondition,    ///< one pod condition as True/False bands
  ContainerState,  ///< Waiting/Running/Terminated bars, with signals, restarts and events
  Hooks,           ///< postStart and preStop runs as bracketed spans
  Probe,           ///< one probe kind, an item per attempt
  Deployment,           ///< a Deployment's status over time, with the controllers' events
  DeploymentCondition,  ///< Progressing or Available as True/False/Unknown bands
  ReplicaSet,           ///< one ReplicaSet's DESIRED and READY counts over time
  RolloutPod,           ///< one pod of a rollout: its STATUS and READY as compact bars
};

enum class TimelineItemKind : std::uint8_t {
  State,      ///< a phase or container state, from a transition
  Condition,  ///< a pod condition's value, from a condition change
  Probe,      ///< a probe attempt
  Hook,       ///< a lifecycle hook run
  Signal,     ///< SIGTERM or SIGKILL sent to a container
  Restart,    ///< a container instance started after an earlier one ended
  Event,      ///< a kubectl describe-style event
  DeploymentStatus,     ///< a Deployment's `kubectl get deployment` columns, from a status line
  DeploymentCondition,  ///< a Deployment condition's value, from a condition change
  Replicas,             ///< a ReplicaSet's counts, from a sample
  PodStatus,            ///< a rollout pod's `kubectl get pod` columns, from its status line
};

/// One thing on a lane. Spans (State, Condition, Probe, Hook) cover
/// [start, end]; marks (Signal, Restart, Event) have end == start.
struct TimelineItem {
  core::RunTime start{0};
  core::RunTime end{0};
  /// Where it came from in the model's record: transitions for State and
  /// Restart, conditions for Condition, attempts for Probe and Hook, events
  /// for Event, signals for Signal.
  std::int32_t source = -1;
  TimelineItemKind kind = TimelineItemKind::Event;
  /// State and PodStatus: a LaneState; Condition: 1 for True;
  /// DeploymentCondition: a core::ConditionStatus; Probe and Hook: a
  /// core::AttemptResult; Event: a core::EventType; Signal: the signal number.
  std::uint8_t value = 0;
  /// State (Running): earlier runs of the container; Restart: the restart count.
  std::int32_t count = 0;
  bool ongoing = false;    ///< State and Condition: still so at the end of the record
  bool started = true;     ///< State (Running): started (postStart done, startup probe passed); PodStatus: all ready
  bool threshold = false;  ///< Probe: reached its threshold and changed the published result
  bool isMark() const {
    return kind == TimelineItemKind::Signal || kind == TimelineItemKind::Restart || kind == TimelineItemKind::Event;
  }
};

/// One lane: spans sorted by start with non-decreasing ends (states follow
/// each other; a probe's or hook's runs never overlap), marks sorted by time.
struct TimelineLane {
  TimelineLaneKind kind = TimelineLaneKind::ContainerState;
  LaneGroup group = LaneGroup::Container;
  core::SubjectKind subjectKind = core::SubjectKind::Container;
  QString subject;        ///< the pod's or container's name
  QString title;          ///< what the lane is called in the gutter
  core::AttemptKind probe = core::AttemptKind::LivenessProbe;  ///< Probe lanes
  QString condition;      ///< PodCondition and DeploymentCondition lanes: the condition type
  QString badge;          ///< a short note beside the title (a ReplicaSet's revision)
  std::int64_t revision = 0;  ///< ReplicaSet lanes: its deployment.kubernetes.io/revision
  std::vector<TimelineItem> spans;
  std::vector<TimelineItem> marks;
};

/// Thread contract: GUI thread only; entries from the engine arrive through
/// RunController, already on the GUI thread.
class TimelineModel final : public QAbstractItemModel {
  Q_OBJECT

 public:
  enum Role {
    LaneKindRole = Qt::UserRole + 1,  ///< int, a TimelineLaneKind (lanes)
    LaneGroupRole,                    ///< int, a LaneGroup (lanes)
    SubjectRole,                      ///< QString, the pod's or container's name (lanes and items)
    SubjectKindRole,                  ///< int, a core::SubjectKind (lanes and items)
    ItemKindRole,                     ///< int, a TimelineItemKind (items)
    StartRole,                        ///< qint64 ns since creation (items)
    EndRole,                          ///< qint64 ns; the record's end for ongoing spans (items)
    ValueRole,                        ///< int, TimelineItem::value (items)
    SourceRole,                       ///< int, TimelineItem::source (items)
    OngoingRole,                      ///< bool (items)
    OutputRole,                       ///< QString, a probe's or hook's output (items)
    DetailRole,                       ///< QString, a plain-text account of the item for an output pane
    LaneDataRole,                     ///< const TimelineLane*, valid until the next change of lanes (lanes)
    DesiredRole,                      ///< int, DESIRED of a Replicas item
    ReadyRole,                        ///< int, READY of a Replicas item
    AvailableRole,                    ///< int, AVAILABLE of a Replicas item
    RevisionRole,                     ///< qint64, a ReplicaSet lane's revision
  };
  Q_ENUM(Role)

  explicit TimelineModel(QObject* parent = nullptr);

  /// Starts over with the lanes `pod` will have, in the grammar's order.
  void setPod(const core::Pod& pod);
  /// Starts over with no lanes; lanes then appear as their subjects do.
  void clear();
  /// Starts over (keeping the pod's lanes, if any) with a whole record.
  void setRecord(const core::RunRecord& record);

  /// Starts over for a run of `deployment`: its lane and condition bands;
  /// ReplicaSets and pods get theirs as they appear.
  void setRollout(const core::Deployment& deployment);
  /// Starts over with a whole rollout's record.
  void setRolloutRecord(const core::RolloutRecord& record);
  void append(const RolloutBatch& batch);
  /// True after setRollout(): the lanes are a Deployment's.
  bool isRollout() const { return m_rollout; }
  /// The samples behind Replicas items, the status lines behind
  /// DeploymentStatus items and the conditions behind DeploymentCondition
  /// items (by their source).
  const std::vector<core::ReplicaSetSample>& replicaSetSamples() const { return m_samples; }
  const std::vector<core::DeploymentStatusLine>& deploymentLines() const { return m_deploymentLines; }
  const std::vector<core::DeploymentCondition>& deploymentConditions() const { return m_deploymentConditions; }
  /// The largest count any ReplicaSet had: the height of a lane's chart.
  std::int32_t maxReplicas() const { return m_maxReplicas; }
  /// The ReplicaSet a rollout pod belongs to, by pod name.
  QString replicaSetOf(const QString& pod) const { return m_podReplicaSets.value(pod); }

  void append(const RecordBatch& batch);
  void append(const core::Transition& transition);
  void append(const core::Event& event);
  void append(const core::PodStatusLine& line);
  void append(const core::HandlerAttempt& attempt);
  void append(const core::ConditionChange& change);
  void append(const core::SignalSent& signal);

  /// Everything the model has been given, as a record (without observers).
  const core::RunRecord& record() const { return m_record; }
  /// The latest time anything reaches.
  core::RunTime end() const { return m_end; }
  int laneCount() const { return static_cast<int>(m_lanes.size()); }
  const TimelineLane& lane(int row) const { return m_lanes[static_cast<size_t>(row)]; }
  /// The child index of a lane's span or mark.
  QModelIndex spanIndex(int lane, int span) const;
  QModelIndex markIndex(int lane, int mark) const;
  /// The item behind a child index, or null.
  const TimelineItem* item(const QModelIndex& index) const;

  /// Rich text for a tooltip on `item` of `lane`.
  QString toolTip(const TimelineLane& lane, const TimelineItem& item) const;
  /// Plain text for an output pane: what the item is, and its output.
  QString detail(const TimelineLane& lane, const TimelineItem& item) const;

  QModelIndex index(int row, int column, const QModelIndex& parent = {}) const override;
  QModelIndex parent(const QModelIndex& child) const override;
  int rowCount(const QModelIndex& parent = {}) const override;
  int columnCount(const QModelIndex& parent = {}) const override;
  QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
  QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
  QHash<int, QByteArray> roleNames() const override;

 signals:
  /// The record reaches a later time (ongoing spans grew).
  void endChanged(core::RunTime end);

 private:
  struct ContainerInfo {
    LaneGroup group = LaneGroup::Container;
  };
  /// What a container lane remembers between entries.
  struct ContainerTrack {
    int runs = 0;                             ///< Running bars so far
    std::optional<bool> started;              ///< the Started flag, once known
  };

  void reset();
  void buildPodLanes();
  void addPodLanes(const QString& podName);
  void addContainerLanes(const core::Container& container, core::SubjectKind kind, LaneGroup group);
  int findLane(TimelineLaneKind kind, core::SubjectKind subjectKind, const QString& subject,
               core::AttemptKind probe = core::AttemptKind::LivenessProbe, const QString& condition = {}) const;
  int ensureLane(TimelineLaneKind kind, core::SubjectKind subjectKind, const QString& subject,
                 core::AttemptKind probe = core::AttemptKind::LivenessProbe, const QString& condition = {});
  int insertLane(int row, TimelineLane lane);
  void rebuildLaneIndex();
  void addSpan(int lane, TimelineItem item);
  void addMark(int lane, TimelineItem item);
  /// Ends the lane's ongoing span at `time`.
  void closeSpan(int lane, core::RunTime time);
  void advanceEnd(core::RunTime time);
  void markStarted(int lane, core::RunTime time, bool started);
  LaneGroup groupOf(core::SubjectKind kind, const QString& subject) const;
  int containerLaneFor(const std::string& object);

  void appendRollout(const core::Event& e);
  void appendRollout(const core::ReplicaSetRecord& rs);
  void appendRollout(const core::ReplicaSetSample& sample);
  void appendRollout(const core::DeploymentStatusLine& line);
  void appendRollout(const core::DeploymentCondition& condition);
  void appendRollout(const RolloutPodCreated& pod);
  void appendRollout(const RolloutPodFinished& pod);
  void appendRollout(const RolloutPodEntry& entry);
  /// The lane of ReplicaSet `name`, made (after the last ReplicaSet's block) if new.
  int replicaSetLane(const QString& name);
  /// The row after the last lane of ReplicaSet lane `rsLane`'s block.
  int endOfBlock(int rsLane) const;
  void addEventMark(int lane, const core::Event& e);

  core::RunRecord m_record;
  std::vector<TimelineLane> m_lanes;
  QHash<QString, int> m_laneIndex;
  QHash<QString, ContainerInfo> m_containers;  ///< from the pod spec, by "kind/name"
  QHash<QString, ContainerTrack> m_tracks;     ///< by "kind/name"
  std::optional<core::Pod> m_pod;
  core::RunTime m_end{0};
  bool m_replaying = false;  ///< setRecord() is adding entries inside a reset

  // A rollout's lanes.
  bool m_rollout = false;
  QString m_deploymentName;
  std::vector<core::ReplicaSetSample> m_samples;
  std::vector<core::DeploymentStatusLine> m_deploymentLines;
  std::vector<core::DeploymentCondition> m_deploymentConditions;
  QHash<QString, QString> m_podReplicaSets;   ///< pod name to ReplicaSet name
  QHash<QString, core::RunTime> m_podCreated;  ///< pod name to its creation on the rollout's axis
  std::int32_t m_maxReplicas = 1;
};

}  // namespace podscope::ui
