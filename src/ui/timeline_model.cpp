#include "ui/timeline_model.h"

#include <algorithm>
#include <array>
#include <csignal>

namespace podscope::ui {

namespace {

constexpr quintptr kLaneId = 0;
const std::array<QString, 3> kPodConditions = {QStringLiteral("Initialized"), QStringLiteral("ContainersReady"),
                                               QStringLiteral("Ready")};

QString qs(const std::string& s) { return QString::fromStdString(s); }
QString timeText(core::RunTime t) { return qs(core::formatRunTime(t)); }

QString containerKey(core::SubjectKind kind, const QString& name) {
  return QString::number(static_cast<int>(kind)) + QLatin1Char('/') + name;
}

QString laneKey(TimelineLaneKind kind, core::SubjectKind subjectKind, const QString& subject, core::AttemptKind probe,
                const QString& condition) {
  return QStringLiteral("%1/%2/%3/%4/%5")
      .arg(static_cast<int>(kind))
      .arg(static_cast<int>(subjectKind))
      .arg(subject)
      .arg(kind == TimelineLaneKind::Probe ? static_cast<int>(probe) : -1)
      .arg(condition);
}

/// Sub-lanes under a container lane, in the order they are shown.
int subLaneRank(const TimelineLane& lane) {
  if (lane.kind == TimelineLaneKind::Hooks) return 0;
  switch (lane.probe) {
    case core::AttemptKind::StartupProbe: return 1;
    case core::AttemptKind::LivenessProbe: return 2;
    case core::AttemptKind::ReadinessProbe: return 3;
    case core::AttemptKind::PostStartHook:
    case core::AttemptKind::PreStopHook: return 0;
  }
  return 4;
}

int conditionRank(const QString& type) {
  for (size_t i = 0; i < kPodConditions.size(); ++i) {
    if (kPodConditions[i] == type) return static_cast<int>(i);
  }
  return static_cast<int>(kPodConditions.size());
}

QString probeTitle(core::AttemptKind kind) {
  switch (kind) {
    case core::AttemptKind::StartupProbe: return QStringLiteral("startupProbe");
    case core::AttemptKind::LivenessProbe: return QStringLiteral("livenessProbe");
    case core::AttemptKind::ReadinessProbe: return QStringLiteral("readinessProbe");
    case core::AttemptKind::PostStartHook:
    case core::AttemptKind::PreStopHook: return QStringLiteral("lifecycle");
  }
  return {};
}

bool isProbe(core::AttemptKind kind) {
  return kind == core::AttemptKind::StartupProbe || kind == core::AttemptKind::LivenessProbe ||
         kind == core::AttemptKind::ReadinessProbe;
}

QString signalName(int signal) {
  if (signal == SIGKILL) return QStringLiteral("SIGKILL");
  if (signal == SIGTERM) return QStringLiteral("SIGTERM");
  return QStringLiteral("signal %1").arg(signal);
}

/// What a probe attempt that reached its threshold changed.
QString thresholdMeaning(core::AttemptKind kind, core::AttemptResult result) {
  const bool passed = result == core::AttemptResult::Success || result == core::AttemptResult::Warning;
  switch (kind) {
    case core::AttemptKind::StartupProbe:
      return passed ? TimelineModel::tr("the container is Started") : TimelineModel::tr("the container is restarted");
    case core::AttemptKind::LivenessProbe:
      return passed ? TimelineModel::tr("liveness passes again") : TimelineModel::tr("the container is restarted");
    case core::AttemptKind::ReadinessProbe:
      return passed ? TimelineModel::tr("the container is Ready") : TimelineModel::tr("the container is not Ready");
    case core::AttemptKind::PostStartHook:
    case core::AttemptKind::PreStopHook: break;
  }
  return {};
}

QString durationText(core::RunTime d) {
  using namespace std::chrono;
  const double seconds = duration<double>(d).count();
  if (seconds < 1) return QStringLiteral("%1ms").arg(duration_cast<milliseconds>(d).count());
  if (seconds < 120) return QStringLiteral("%1s").arg(seconds, 0, 'f', seconds < 10 ? 3 : 1);
  const auto s = duration_cast<std::chrono::seconds>(d).count();
  if (s < 3600) return QStringLiteral("%1m%2s").arg(s / 60).arg(s % 60);
  return QStringLiteral("%1h%2m").arg(s / 3600).arg((s % 3600) / 60);
}

QString laneName(const TimelineLane& lane) {
  switch (lane.kind) {
    case TimelineLaneKind::PodPhase: return TimelineModel::tr("pod %1").arg(lane.subject);
    case TimelineLaneKind::PodCondition: return TimelineModel::tr("condition %1").arg(lane.condition);
    case TimelineLaneKind::ContainerState: return lane.subject;
    case TimelineLaneKind::Hooks: return TimelineModel::tr("%1, lifecycle hooks").arg(lane.subject);
    case TimelineLaneKind::Probe: return TimelineModel::tr("%1, %2").arg(lane.subject, qs(std::string(core::toString(lane.probe))));
    case TimelineLaneKind::Deployment: return TimelineModel::tr("deployment %1").arg(lane.subject);
    case TimelineLaneKind::DeploymentCondition: return TimelineModel::tr("condition %1").arg(lane.condition);
    case TimelineLaneKind::ReplicaSet:
      return lane.revision > 0 ? TimelineModel::tr("replicaset %1, revision %2").arg(lane.subject).arg(lane.revision)
                               : TimelineModel::tr("replicaset %1").arg(lane.subject);
    case TimelineLaneKind::RolloutPod: return TimelineModel::tr("pod %1").arg(lane.subject);
  }
  return lane.subject;
}

/// How a rollout pod's STATUS column reads as a bar.
LaneState podStatusState(const std::string& status) {
  if (status == "Running") return LaneState::Running;
  if (status == "Completed") return LaneState::Succeeded;
  if (status == "Terminating") return LaneState::Waiting;
  if (status == "Pending" || status == "ContainerCreating" || status == "PodInitializing" ||
      status.rfind("Init:", 0) == 0) {
    return LaneState::Pending;
  }
  if (status == "Unknown") return LaneState::Unknown;
  return LaneState::Failed;  // CrashLoopBackOff, Error, OOMKilled, ImagePullBackOff, ...
}

/// READY "n/n" with n > 0.
bool allReady(const std::string& ready) {
  const size_t slash = ready.find('/');
  if (slash == std::string::npos || slash == 0) return false;
  return ready.substr(0, slash) == ready.substr(slash + 1) && ready.substr(0, slash) != "0";
}

QString conditionStatusText(core::ConditionStatus status) { return qs(std::string(core::toString(status))); }

}  // namespace

TimelineModel::TimelineModel(QObject* parent) : QAbstractItemModel(parent) {}

void TimelineModel::reset() {
  m_record = core::RunRecord{};
  m_lanes.clear();
  m_laneIndex.clear();
  m_containers.clear();
  m_tracks.clear();
  m_end = core::RunTime{0};
  m_rollout = false;
  m_deploymentName.clear();
  m_samples.clear();
  m_deploymentLines.clear();
  m_deploymentConditions.clear();
  m_podReplicaSets.clear();
  m_podCreated.clear();
  m_maxReplicas = 1;
}

void TimelineModel::clear() {
  beginResetModel();
  reset();
  m_pod.reset();
  endResetModel();
  emit endChanged(m_end);
}

void TimelineModel::setPod(const core::Pod& pod) {
  beginResetModel();
  reset();
  m_pod = pod;
  buildPodLanes();
  endResetModel();
  emit endChanged(m_end);
}

void TimelineModel::buildPodLanes() {
  if (!m_pod) return;
  const core::Pod& pod = *m_pod;
  m_record.podName = pod.metadata.name;
  m_record.podNamespace = pod.metadata.namespaceName;
  addPodLanes(qs(pod.metadata.name));
  for (const core::Container& c : pod.spec.initContainers) {
    if (!c.isSidecar()) addContainerLanes(c, core::SubjectKind::InitContainer, LaneGroup::InitContainer);
  }
  for (const core::Container& c : pod.spec.initContainers) {
    if (c.isSidecar()) addContainerLanes(c, core::SubjectKind::InitContainer, LaneGroup::Sidecar);
  }
  for (const core::Container& c : pod.spec.containers) {
    addContainerLanes(c, core::SubjectKind::Container, LaneGroup::Container);
  }
  rebuildLaneIndex();
}

void TimelineModel::setRecord(const core::RunRecord& record) {
  beginResetModel();
  reset();
  buildPodLanes();
  m_record.podName = record.podName;
  m_record.podNamespace = record.podNamespace;
  m_record.runtimeName = record.runtimeName;
  m_record.outcome = record.outcome;
  m_record.outcomeMessage = record.outcomeMessage;
  m_record.ended = record.ended;
  // Entries are replayed in the order kinds interleave in time, which is
  // what the live path sees; each kind keeps its own order. The reset
  // covers every change, so the replay itself tells no one.
  m_replaying = true;
  const auto& ts = record.transitions();
  const auto& es = record.events();
  const auto& as = record.attempts();
  const auto& cs = record.conditions();
  const auto& ls = record.statusLines();
  const auto& ss = record.signalsSent();
  size_t t = 0, e = 0, a = 0, c = 0, l = 0, g = 0;
  const auto attemptTime = [](const core::HandlerAttempt& x) { return x.start + x.duration; };
  while (t < ts.size() || e < es.size() || a < as.size() || c < cs.size() || l < ls.size() || g < ss.size()) {
    constexpr core::RunTime kNever = core::RunTime::max();
    const core::RunTime tt = t < ts.size() ? ts[t].time : kNever;
    const core::RunTime et = e < es.size() ? es[e].time : kNever;
    const core::RunTime at = a < as.size() ? attemptTime(as[a]) : kNever;
    const core::RunTime ct = c < cs.size() ? cs[c].time : kNever;
    const core::RunTime lt = l < ls.size() ? ls[l].time : kNever;
    const core::RunTime gt = g < ss.size() ? ss[g].time : kNever;
    const core::RunTime first = std::min({tt, et, at, ct, lt, gt});
    if (tt == first) {
      append(ts[t++]);
    } else if (ct == first) {
      append(cs[c++]);
    } else if (at == first) {
      append(as[a++]);
    } else if (et == first) {
      append(es[e++]);
    } else if (gt == first) {
      append(ss[g++]);
    } else {
      append(ls[l++]);
    }
  }
  m_replaying = false;
  endResetModel();
  emit endChanged(m_end);
}

void TimelineModel::addPodLanes(const QString& podName) {
  TimelineLane phase;
  phase.kind = TimelineLaneKind::PodPhase;
  phase.group = LaneGroup::Pod;
  phase.subjectKind = core::SubjectKind::Pod;
  phase.subject = podName;
  phase.title = podName;
  m_lanes.push_back(phase);
  for (const QString& type : kPodConditions) {
    TimelineLane band = phase;
    band.kind = TimelineLaneKind::PodCondition;
    band.condition = type;
    band.title = type;
    m_lanes.push_back(band);
  }
}

void TimelineModel::addContainerLanes(const core::Container& container, core::SubjectKind kind, LaneGroup group) {
  const QString name = qs(container.name);
  ContainerInfo info;
  info.group = group;
  m_containers.insert(containerKey(kind, name), info);

  TimelineLane state;
  state.kind = TimelineLaneKind::ContainerState;
  state.group = group;
  state.subjectKind = kind;
  state.subject = name;
  state.title = name;
  m_lanes.push_back(state);
  if (container.lifecycle && (container.lifecycle->postStart || container.lifecycle->preStop)) {
    TimelineLane hooks = state;
    hooks.kind = TimelineLaneKind::Hooks;
    hooks.title = probeTitle(core::AttemptKind::PostStartHook);
    m_lanes.push_back(hooks);
  }
  const std::array<std::pair<core::AttemptKind, bool>, 3> probes = {
      std::pair{core::AttemptKind::StartupProbe, container.startupProbe.has_value()},
      std::pair{core::AttemptKind::LivenessProbe, container.livenessProbe.has_value()},
      std::pair{core::AttemptKind::ReadinessProbe, container.readinessProbe.has_value()}};
  for (const auto& [probe, present] : probes) {
    if (!present) continue;
    TimelineLane lane = state;
    lane.kind = TimelineLaneKind::Probe;
    lane.probe = probe;
    lane.title = probeTitle(probe);
    m_lanes.push_back(lane);
  }
}

void TimelineModel::rebuildLaneIndex() {
  m_laneIndex.clear();
  for (int i = 0; i < static_cast<int>(m_lanes.size()); ++i) {
    const TimelineLane& l = m_lanes[static_cast<size_t>(i)];
    m_laneIndex.insert(laneKey(l.kind, l.subjectKind, l.subject, l.probe, l.condition), i);
  }
}

int TimelineModel::findLane(TimelineLaneKind kind, core::SubjectKind subjectKind, const QString& subject,
                            core::AttemptKind probe, const QString& condition) const {
  return m_laneIndex.value(laneKey(kind, subjectKind, subject, probe, condition), -1);
}

LaneGroup TimelineModel::groupOf(core::SubjectKind kind, const QString& subject) const {
  auto it = m_containers.find(containerKey(kind, subject));
  if (it != m_containers.end()) return it->group;
  switch (kind) {
    case core::SubjectKind::Pod: return LaneGroup::Pod;
    case core::SubjectKind::InitContainer: return LaneGroup::InitContainer;
    case core::SubjectKind::Container: return LaneGroup::Container;
  }
  return LaneGroup::Container;
}

int TimelineModel::insertLane(int row, TimelineLane lane) {
  if (!m_replaying) beginInsertRows({}, row, row);
  m_lanes.insert(m_lanes.begin() + row, std::move(lane));
  rebuildLaneIndex();
  if (!m_replaying) endInsertRows();
  return row;
}

int TimelineModel::ensureLane(TimelineLaneKind kind, core::SubjectKind subjectKind, const QString& subject,
                              core::AttemptKind probe, const QString& condition) {
  if (int found = findLane(kind, subjectKind, subject, probe, condition); found >= 0) return found;
  const int count = static_cast<int>(m_lanes.size());
  TimelineLane lane;
  lane.kind = kind;
  lane.subjectKind = subjectKind;
  lane.subject = subject;
  lane.probe = probe;
  lane.condition = condition;
  switch (kind) {
    case TimelineLaneKind::PodPhase: {
      lane.group = LaneGroup::Pod;
      lane.title = subject;
      return insertLane(0, std::move(lane));
    }
    case TimelineLaneKind::PodCondition: {
      lane.group = LaneGroup::Pod;
      lane.title = condition;
      int row = 0;
      while (row < count && m_lanes[static_cast<size_t>(row)].group == LaneGroup::Pod &&
             (m_lanes[static_cast<size_t>(row)].kind == TimelineLaneKind::PodPhase ||
              conditionRank(m_lanes[static_cast<size_t>(row)].condition) <= conditionRank(condition))) {
        ++row;
      }
      return insertLane(row, std::move(lane));
    }
    case TimelineLaneKind::ContainerState: {
      lane.group = groupOf(subjectKind, subject);
      lane.title = subject;
      int row = 0;
      while (row < count && m_lanes[static_cast<size_t>(row)].group <= lane.group) ++row;
      return insertLane(row, std::move(lane));
    }
    case TimelineLaneKind::Hooks:
    case TimelineLaneKind::Probe: {
      const int owner = ensureLane(TimelineLaneKind::ContainerState, subjectKind, subject);
      lane.group = m_lanes[static_cast<size_t>(owner)].group;
      lane.title = probeTitle(kind == TimelineLaneKind::Hooks ? core::AttemptKind::PostStartHook : probe);
      int row = owner + 1;
      const int rank = subLaneRank(lane);
      while (row < static_cast<int>(m_lanes.size())) {
        const TimelineLane& next = m_lanes[static_cast<size_t>(row)];
        const bool sameContainer = next.subject == subject && next.subjectKind == subjectKind &&
                                   (next.kind == TimelineLaneKind::Hooks || next.kind == TimelineLaneKind::Probe);
        if (!sameContainer || subLaneRank(next) > rank) break;
        ++row;
      }
      return insertLane(row, std::move(lane));
    }
    case TimelineLaneKind::Deployment:
    case TimelineLaneKind::DeploymentCondition: {
      lane.group = LaneGroup::Deployment;
      lane.title = kind == TimelineLaneKind::Deployment ? subject : condition;
      int row = 0;
      while (row < count && m_lanes[static_cast<size_t>(row)].group == LaneGroup::Deployment) ++row;
      return insertLane(kind == TimelineLaneKind::Deployment ? 0 : row, std::move(lane));
    }
    case TimelineLaneKind::ReplicaSet:
    case TimelineLaneKind::RolloutPod: {
      lane.group = LaneGroup::ReplicaSet;
      lane.title = subject;
      return insertLane(count, std::move(lane));
    }
  }
  return -1;
}

void TimelineModel::addSpan(int laneRow, TimelineItem item) {
  TimelineLane& lane = m_lanes[static_cast<size_t>(laneRow)];
  // Attempts arrive in the order they finish; within one lane that is the
  // order they started, but a late one still goes where it belongs.
  auto at = std::upper_bound(lane.spans.begin(), lane.spans.end(), item.start,
                             [](core::RunTime t, const TimelineItem& x) { return t < x.start; });
  const int row = static_cast<int>(at - lane.spans.begin());
  if (!m_replaying) beginInsertRows(index(laneRow, 0), row, row);
  lane.spans.insert(at, item);
  if (!m_replaying) endInsertRows();
}

void TimelineModel::addMark(int laneRow, TimelineItem item) {
  TimelineLane& lane = m_lanes[static_cast<size_t>(laneRow)];
  auto at = std::upper_bound(lane.marks.begin(), lane.marks.end(), item.start,
                             [](core::RunTime t, const TimelineItem& x) { return t < x.start; });
  const int row = static_cast<int>(lane.spans.size() + (at - lane.marks.begin()));
  if (!m_replaying) beginInsertRows(index(laneRow, 0), row, row);
  lane.marks.insert(at, item);
  if (!m_replaying) endInsertRows();
}

void TimelineModel::closeSpan(int laneRow, core::RunTime time) {
  TimelineLane& lane = m_lanes[static_cast<size_t>(laneRow)];
  if (lane.spans.empty() || !lane.spans.back().ongoing) return;
  TimelineItem& last = lane.spans.back();
  last.ongoing = false;
  last.end = std::max(time, last.start);
  if (m_replaying) return;
  const QModelIndex changed = spanIndex(laneRow, static_cast<int>(lane.spans.size()) - 1);
  emit dataChanged(changed, changed);
}

void TimelineModel::advanceEnd(core::RunTime time) {
  if (time <= m_end) return;
  m_end = time;
  if (!m_replaying) emit endChanged(m_end);
}

void TimelineModel::append(const RecordBatch& batch) {
  for (const RecordEntry& entry : batch) {
    std::visit([this](const auto& e) { append(e); }, entry);
  }
}

void TimelineModel::append(const core::Transition& t) {
  const auto source = static_cast<std::int32_t>(m_record.transitions().size());
  m_record.append(t);
  const QString subject = qs(t.subject);
  const std::optional<int> exitCode = t.exitCode;
  const LaneState state = classifyState(t.kind, qs(t.to), qs(t.reason), exitCode);
  TimelineItem bar;
  bar.kind = TimelineItemKind::State;
  bar.start = t.time;
  bar.end = t.time;
  bar.source = source;
  bar.value = static_cast<std::uint8_t>(state);
  bar.ongoing = true;

  if (t.kind == core::SubjectKind::Pod) {
    const int lane = ensureLane(TimelineLaneKind::PodPhase, t.kind, subject);
    closeSpan(lane, t.time);
    addSpan(lane, bar);
    advanceEnd(t.time);
    return;
  }
  const int lane = ensureLane(TimelineLaneKind::ContainerState, t.kind, subject);
  ContainerTrack& track = m_tracks[containerKey(t.kind, subject)];
  closeSpan(lane, t.time);
  if (state == LaneState::Running) {
    bar.count = track.runs++;
    // Until the container's Started flag is known, it counts as started:
    // records written before flags were recorded have none.
    bar.started = track.started.value_or(true);
    if (bar.count > 0) {
      TimelineItem restart;
      restart.kind = TimelineItemKind::Restart;
      restart.start = restart.end = t.time;
      restart.source = source;
      restart.count = bar.count;
      addMark(lane, restart);
    }
  }
  addSpan(lane, bar);
  advanceEnd(t.time);
}

int TimelineModel::containerLaneFor(const std::string& object) {
  // spec.containers{name} or spec.initContainers{name}
  const size_t open = object.find('{');
  if (open == std::string::npos || object.back() != '}') return -1;
  const std::string field = object.substr(0, open);
  const QString name = qs(object.substr(open + 1, object.size() - open - 2));
  if (field == "spec.containers") {
    return ensureLane(TimelineLaneKind::ContainerState, core::SubjectKind::Container, name);
  }
  if (field == "spec.initContainers") {
    return ensureLane(TimelineLaneKind::ContainerState, core::SubjectKind::InitContainer, name);
  }
  return -1;
}

void TimelineModel::append(const core::Event& e) {
  const auto source = static_cast<std::int32_t>(m_record.events().size());
  m_record.append(e);
  int lane = e.object.empty() ? -1 : containerLaneFor(e.object);
  const bool onContainer = lane >= 0;
  if (!onContainer) {
    const QString pod = m_record.podName.empty() ? (m_pod ? qs(m_pod->metadata.name) : QString()) : qs(m_record.podName);
    lane = findLane(TimelineLaneKind::PodPhase, core::SubjectKind::Pod, pod);
    if (lane < 0) {
      // The pod's name comes with its first transition; until then, the
      // first pod lane there is.
      auto it = std::find_if(m_lanes.begin(), m_lanes.end(),
                             [](const TimelineLane& l) { return l.kind == TimelineLaneKind::PodPhase; });
      lane = it != m_lanes.end() ? static_cast<int>(it - m_lanes.begin())
                                 : ensureLane(TimelineLaneKind::PodPhase, core::SubjectKind::Pod, pod);
    }
  }
  TimelineItem mark;
  mark.kind = TimelineItemKind::Event;
  mark.start = mark.end = e.time;
  mark.source = source;
  mark.value = static_cast<std::uint8_t>(e.type);
  addMark(lane, mark);

  advanceEnd(e.time);
}

void TimelineModel::append(const core::PodStatusLine& line) {
  m_record.append(line);
  advanceEnd(line.time);
}

void TimelineModel::append(const core::HandlerAttempt& a) {
  const auto source = static_cast<std::int32_t>(m_record.attempts().size());
  m_record.append(core::HandlerAttempt(a));
  const QString subject = qs(a.container);
  const bool probe = isProbe(a.kind);
  const int lane = ensureLane(probe ? TimelineLaneKind::Probe : TimelineLaneKind::Hooks, a.containerKind, subject,
                              probe ? a.kind : core::AttemptKind::LivenessProbe);
  TimelineItem span;
  span.kind = probe ? TimelineItemKind::Probe : TimelineItemKind::Hook;
  span.start = a.start;
  span.end = a.start + a.duration;
  span.source = source;
  span.value = static_cast<std::uint8_t>(a.result);
  span.threshold = probe && a.published;
  addSpan(lane, span);
  advanceEnd(span.end);
}

void TimelineModel::append(const core::SignalSent& sig) {
  const auto source = static_cast<std::int32_t>(m_record.signalsSent().size());
  m_record.append(sig);
  const int lane = ensureLane(TimelineLaneKind::ContainerState, sig.kind, qs(sig.container));
  TimelineItem mark;
  mark.kind = TimelineItemKind::Signal;
  mark.start = mark.end = sig.time;
  mark.source = source;
  mark.value = static_cast<std::uint8_t>(sig.number);
  addMark(lane, mark);
  advanceEnd(sig.time);
}

void TimelineModel::append(const core::ConditionChange& c) {
  const auto source = static_cast<std::int32_t>(m_record.conditions().size());
  m_record.append(c);
  const QString subject = qs(c.subject);
  const QString type = qs(c.type);
  if (c.kind == core::SubjectKind::Pod) {
    if (conditionRank(type) >= static_cast<int>(kPodConditions.size())) {
      advanceEnd(c.time);
      return;
    }
    const int lane = ensureLane(TimelineLaneKind::PodCondition, c.kind, subject, core::AttemptKind::LivenessProbe, type);
    closeSpan(lane, c.time);
    TimelineItem band;
    band.kind = TimelineItemKind::Condition;
    band.start = band.end = c.time;
    band.source = source;
    band.value = c.status ? 1 : 0;
    band.ongoing = true;
    addSpan(lane, band);
  } else if (type == QLatin1String("Started")) {
    const int lane = ensureLane(TimelineLaneKind::ContainerState, c.kind, subject);
    m_tracks[containerKey(c.kind, subject)].started = c.status;
    markStarted(lane, c.time, c.status);
  }
  advanceEnd(c.time);
}

void TimelineModel::markStarted(int laneRow, core::RunTime time, bool started) {
  TimelineLane& lane = m_lanes[static_cast<size_t>(laneRow)];
  if (lane.spans.empty()) return;
  TimelineItem& last = lane.spans.back();
  if (!last.ongoing || last.value != static_cast<std::uint8_t>(LaneState::Running) || last.started == started) return;
  if (time <= last.start) {
    last.started = started;
    if (m_replaying) return;
    const QModelIndex changed = spanIndex(laneRow, static_cast<int>(lane.spans.size()) - 1);
    emit dataChanged(changed, changed);
    return;
  }
  // The same run, from here on (not) started: the bar changes shade.
  TimelineItem rest = last;
  closeSpan(laneRow, time);
  rest.start = rest.end = time;
  rest.started = started;
  rest.ongoing = true;
  addSpan(laneRow, rest);
}

// --- a Deployment's rollout ---------------------------------------------------

void TimelineModel::setRollout(const core::Deployment& deployment) {
  beginResetModel();
  reset();
  m_pod.reset();
  m_rollout = true;
  m_deploymentName = qs(deployment.metadata.name);
  m_record.podName = deployment.metadata.name;
  m_record.podNamespace = deployment.metadata.namespaceName;
  TimelineLane top;
  top.kind = TimelineLaneKind::Deployment;
  top.group = LaneGroup::Deployment;
  top.subjectKind = core::SubjectKind::Pod;
  top.subject = m_deploymentName;
  top.title = m_deploymentName;
  top.badge = tr("deployment");
  m_lanes.push_back(top);
  for (const char* type : {"Progressing", "Available"}) {
    TimelineLane band;
    band.kind = TimelineLaneKind::DeploymentCondition;
    band.group = LaneGroup::Deployment;
    band.subjectKind = core::SubjectKind::Pod;
    band.subject = m_deploymentName;
    band.condition = QString::fromLatin1(type);
    band.title = band.condition;
    m_lanes.push_back(band);
  }
  rebuildLaneIndex();
  endResetModel();
  emit endChanged(m_end);
}

void TimelineModel::setRolloutRecord(const core::RolloutRecord& record) {
  core::Deployment deployment;
  deployment.metadata.name = record.deploymentName;
  deployment.metadata.namespaceName = record.deploymentNamespace;
  setRollout(deployment);
  beginResetModel();
  m_record.runtimeName = record.runtimeName;
  m_record.outcome = record.outcome;
  m_record.outcomeMessage = record.outcomeMessage;
  m_replaying = true;
  append(rolloutBatchOf(record));
  m_replaying = false;
  endResetModel();
  emit endChanged(m_end);
}

void TimelineModel::append(const RolloutBatch& batch) {
  if (!m_rollout) return;
  for (const RolloutEntry& entry : batch) {
    std::visit([this](const auto& e) { appendRollout(e); }, entry);
  }
}

int TimelineModel::replicaSetLane(const QString& name) {
  if (int found = findLane(TimelineLaneKind::ReplicaSet, core::SubjectKind::Pod, name); found >= 0) return found;
  TimelineLane lane;
  lane.kind = TimelineLaneKind::ReplicaSet;
  lane.group = LaneGroup::ReplicaSet;
  lane.subjectKind = core::SubjectKind::Pod;
  lane.subject = name;
  lane.title = name;
  // ReplicaSets are made one after another: a new one goes below the others.
  return insertLane(static_cast<int>(m_lanes.size()), std::move(lane));
}

int TimelineModel::endOfBlock(int rsLane) const {
  int row = rsLane + 1;
  while (row < static_cast<int>(m_lanes.size()) && m_lanes[static_cast<size_t>(row)].kind == TimelineLaneKind::RolloutPod) {
    ++row;
  }
  return row;
}

void TimelineModel::addEventMark(int lane, const core::Event& e) {
  TimelineItem mark;
  mark.kind = TimelineItemKind::Event;
  mark.start = mark.end = e.time;
  mark.source = static_cast<std::int32_t>(m_record.events().size());
  mark.value = static_cast<std::uint8_t>(e.type);
  m_record.append(e);
  if (lane >= 0) addMark(lane, mark);
  advanceEnd(e.time);
}

void TimelineModel::appendRollout(const core::Event& e) {
  core::Event event = e;
  int lane = 0;  // the Deployment's
  constexpr std::string_view kReplicaSetPrefix = "replicaset/";
  if (event.object.empty()) {
    event.object = "deployment/" + m_deploymentName.toStdString();
  } else if (event.object.rfind(kReplicaSetPrefix, 0) == 0) {
    lane = replicaSetLane(qs(event.object.substr(kReplicaSetPrefix.size())));
  }
  addEventMark(lane, event);
}

void TimelineModel::appendRollout(const core::ReplicaSetRecord& rs) {
  const int lane = replicaSetLane(qs(rs.name));
  TimelineLane& l = m_lanes[static_cast<size_t>(lane)];
  l.revision = rs.revision;
  l.badge = rs.revision > 0 ? tr("rev %1").arg(rs.revision) : QString();
  if (rs.deleted) {
    closeSpan(lane, *rs.deleted);
    advanceEnd(*rs.deleted);
  }
  if (!m_replaying) {
    const QModelIndex changed = index(lane, 0);
    emit dataChanged(changed, changed);
  }
}

void TimelineModel::appendRollout(const core::ReplicaSetSample& sample) {
  const int lane = replicaSetLane(qs(sample.replicaSet));
  TimelineItem item;
  item.kind = TimelineItemKind::Replicas;
  item.start = item.end = sample.time;
  item.source = static_cast<std::int32_t>(m_samples.size());
  item.ongoing = true;
  item.started = sample.ready >= sample.desired;
  m_samples.push_back(sample);
  m_maxReplicas = std::max({m_maxReplicas, sample.desired, sample.current});
  closeSpan(lane, sample.time);
  addSpan(lane, item);
  advanceEnd(sample.time);
}

void TimelineModel::appendRollout(const core::DeploymentStatusLine& line) {
  TimelineItem item;
  item.kind = TimelineItemKind::DeploymentStatus;
  item.start = item.end = line.time;
  item.source = static_cast<std::int32_t>(m_deploymentLines.size());
  item.ongoing = true;
  const core::DeploymentStatus& s = line.status;
  // Complete: every replica updated and available, and no old pod left.
  item.started = s.updatedReplicas == s.desiredReplicas && s.availableReplicas == s.desiredReplicas &&
                 s.replicas == s.desiredReplicas;
  item.value = static_cast<std::uint8_t>(item.started ? LaneState::Running : LaneState::Pending);
  m_deploymentLines.push_back(line);
  closeSpan(0, line.time);
  addSpan(0, item);
  advanceEnd(line.time);
}

void TimelineModel::appendRollout(const core::DeploymentCondition& condition) {
  const int lane = ensureLane(TimelineLaneKind::DeploymentCondition, core::SubjectKind::Pod, m_deploymentName,
                              core::AttemptKind::LivenessProbe, qs(condition.type));
  TimelineItem item;
  item.kind = TimelineItemKind::DeploymentCondition;
  item.start = item.end = condition.time;
  item.source = static_cast<std::int32_t>(m_deploymentConditions.size());
  item.value = static_cast<std::uint8_t>(condition.status);
  item.ongoing = true;
  m_deploymentConditions.push_back(condition);
  closeSpan(lane, condition.time);
  addSpan(lane, item);
  advanceEnd(condition.time);
}

void TimelineModel::appendRollout(const RolloutPodCreated& pod) {
  const QString name = qs(pod.name);
  const QString replicaSet = qs(pod.replicaSet);
  m_podReplicaSets.insert(name, replicaSet);
  m_podCreated.insert(name, pod.created);
  const int rsLane = replicaSetLane(replicaSet);
  TimelineLane lane;
  lane.kind = TimelineLaneKind::RolloutPod;
  lane.group = LaneGroup::ReplicaSet;
  lane.subjectKind = core::SubjectKind::Pod;
  lane.subject = name;
  lane.title = name;
  insertLane(endOfBlock(rsLane), std::move(lane));
  advanceEnd(pod.created);
}

void TimelineModel::appendRollout(const RolloutPodFinished& pod) {
  const int lane = findLane(TimelineLaneKind::RolloutPod, core::SubjectKind::Pod, qs(pod.name));
  if (lane >= 0) closeSpan(lane, pod.time);
  advanceEnd(pod.time);
}

void TimelineModel::appendRollout(const RolloutPodEntry& entry) {
  const QString name = qs(entry.pod);
  const int lane = findLane(TimelineLaneKind::RolloutPod, core::SubjectKind::Pod, name);
  const core::RunTime offset = m_podCreated.value(name, core::RunTime{0});
  if (const auto* e = std::get_if<core::Event>(&entry.entry)) {
    core::Event event = *e;
    event.time += offset;
    // As `kubectl get events` names it; the container is in the message.
    event.object = "pod/" + entry.pod;
    addEventMark(lane, event);
  } else if (const auto* l = std::get_if<core::PodStatusLine>(&entry.entry)) {
    core::PodStatusLine line = *l;
    line.time += offset;
    TimelineItem item;
    item.kind = TimelineItemKind::PodStatus;
    item.start = item.end = line.time;
    item.source = static_cast<std::int32_t>(m_record.statusLines().size());
    item.value = static_cast<std::uint8_t>(podStatusState(line.status));
    item.started = allReady(line.ready);
    item.ongoing = true;
    m_record.append(line);
    if (lane >= 0) {
      closeSpan(lane, line.time);
      addSpan(lane, item);
    }
    advanceEnd(line.time);
  }
}

QModelIndex TimelineModel::spanIndex(int lane, int span) const { return createIndex(span, 0, quintptr(lane) + 1); }

QModelIndex TimelineModel::markIndex(int lane, int mark) const {
  return createIndex(static_cast<int>(m_lanes[static_cast<size_t>(lane)].spans.size()) + mark, 0, quintptr(lane) + 1);
}

const TimelineItem* TimelineModel::item(const QModelIndex& index) const {
  if (!index.isValid() || index.model() != this || index.internalId() == kLaneId) return nullptr;
  const size_t laneRow = index.internalId() - 1;
  if (laneRow >= m_lanes.size()) return nullptr;
  const TimelineLane& lane = m_lanes[laneRow];
  const auto row = static_cast<size_t>(index.row());
  if (row < lane.spans.size()) return &lane.spans[row];
  if (row - lane.spans.size() < lane.marks.size()) return &lane.marks[row - lane.spans.size()];
  return nullptr;
}

QModelIndex TimelineModel::index(int row, int column, const QModelIndex& parent) const {
  if (row < 0 || column != 0) return {};
  if (!parent.isValid()) {
    return row < static_cast<int>(m_lanes.size()) ? createIndex(row, 0, kLaneId) : QModelIndex();
  }
  if (parent.internalId() != kLaneId || parent.column() != 0) return {};
  const int lane = parent.row();
  if (lane < 0 || lane >= static_cast<int>(m_lanes.size())) return {};
  const TimelineLane& l = m_lanes[static_cast<size_t>(lane)];
  if (row >= static_cast<int>(l.spans.size() + l.marks.size())) return {};
  return createIndex(row, 0, quintptr(lane) + 1);
}

QModelIndex TimelineModel::parent(const QModelIndex& child) const {
  if (!child.isValid() || child.internalId() == kLaneId) return {};
  return createIndex(static_cast<int>(child.internalId() - 1), 0, kLaneId);
}

int TimelineModel::rowCount(const QModelIndex& parent) const {
  if (!parent.isValid()) return static_cast<int>(m_lanes.size());
  if (parent.internalId() != kLaneId || parent.column() != 0) return 0;
  const TimelineLane& lane = m_lanes[static_cast<size_t>(parent.row())];
  return static_cast<int>(lane.spans.size() + lane.marks.size());
}

int TimelineModel::columnCount(const QModelIndex&) const { return 1; }

QVariant TimelineModel::headerData(int section, Qt::Orientation orientation, int role) const {
  if (orientation == Qt::Horizontal && role == Qt::DisplayRole && section == 0) return tr("Lane");
  return QAbstractItemModel::headerData(section, orientation, role);
}

QHash<int, QByteArray> TimelineModel::roleNames() const {
  QHash<int, QByteArray> names = QAbstractItemModel::roleNames();
  names.insert(LaneKindRole, "laneKind");
  names.insert(LaneGroupRole, "laneGroup");
  names.insert(SubjectRole, "subject");
  names.insert(SubjectKindRole, "subjectKind");
  names.insert(ItemKindRole, "itemKind");
  names.insert(StartRole, "start");
  names.insert(EndRole, "end");
  names.insert(ValueRole, "value");
  names.insert(SourceRole, "source");
  names.insert(OngoingRole, "ongoing");
  names.insert(OutputRole, "output");
  names.insert(DetailRole, "detail");
  names.insert(LaneDataRole, "laneData");
  names.insert(DesiredRole, "desired");
  names.insert(ReadyRole, "ready");
  names.insert(AvailableRole, "available");
  names.insert(RevisionRole, "revision");
  return names;
}

QVariant TimelineModel::data(const QModelIndex& index, int role) const {
  if (!checkIndex(index, CheckIndexOption::IndexIsValid)) return {};
  if (index.internalId() == kLaneId) {
    const TimelineLane& lane = m_lanes[static_cast<size_t>(index.row())];
    switch (role) {
      case Qt::DisplayRole: return lane.title;
      case Qt::ToolTipRole: return laneName(lane);
      case LaneKindRole: return static_cast<int>(lane.kind);
      case LaneGroupRole: return static_cast<int>(lane.group);
      case SubjectRole: return lane.subject;
      case SubjectKindRole: return static_cast<int>(lane.subjectKind);
      case LaneDataRole: return QVariant::fromValue(static_cast<const void*>(&lane));
      case RevisionRole: return QVariant::fromValue<qint64>(lane.revision);
      default: return {};
    }
  }
  const TimelineItem* it = item(index);
  if (!it) return {};
  const TimelineLane& lane = m_lanes[index.internalId() - 1];
  switch (role) {
    case Qt::DisplayRole: {
      const QString firstLine = detail(lane, *it).section(QLatin1Char('\n'), 0, 0);
      return firstLine;
    }
    case Qt::ToolTipRole: return toolTip(lane, *it);
    case SubjectRole: return lane.subject;
    case SubjectKindRole: return static_cast<int>(lane.subjectKind);
    case ItemKindRole: return static_cast<int>(it->kind);
    case StartRole: return QVariant::fromValue<qint64>(it->start.count());
    case EndRole: return QVariant::fromValue<qint64>((it->ongoing ? std::max(m_end, it->start) : it->end).count());
    case ValueRole: return static_cast<int>(it->value);
    case SourceRole: return it->source;
    case OngoingRole: return it->ongoing;
    case OutputRole:
      if ((it->kind == TimelineItemKind::Probe || it->kind == TimelineItemKind::Hook) && it->source >= 0) {
        return qs(m_record.attempts()[static_cast<size_t>(it->source)].output);
      }
      return QString();
    case DetailRole: return detail(lane, *it);
    case DesiredRole:
    case ReadyRole:
    case AvailableRole: {
      if (it->kind != TimelineItemKind::Replicas) return {};
      const core::ReplicaSetSample& sample = m_samples[static_cast<size_t>(it->source)];
      return role == DesiredRole ? sample.desired : role == ReadyRole ? sample.ready : sample.available;
    }
    default: return {};
  }
}

QString TimelineModel::detail(const TimelineLane& lane, const TimelineItem& it) const {
  const core::RunTime end = it.ongoing ? std::max(m_end, it.start) : it.end;
  switch (it.kind) {
    case TimelineItemKind::State: {
      const core::Transition& t = m_record.transitions()[static_cast<size_t>(it.source)];
      QString head = lane.kind == TimelineLaneKind::PodPhase ? tr("pod %1: %2").arg(lane.subject, qs(t.to))
                                                             : tr("%1: %2").arg(lane.subject, qs(t.to));
      if (!t.reason.empty()) head += tr(" (%1)").arg(qs(t.reason));
      if (t.exitCode) head += tr(", exit code %1").arg(*t.exitCode);
      if (static_cast<LaneState>(it.value) == LaneState::Running) {
        if (!it.started) head += tr(", not started yet");
        if (it.count > 0) head += tr(", restart %1").arg(it.count);
      }
      QString text = head + QLatin1Char('\n') +
                     tr("from %1 to %2 (%3)").arg(timeText(it.start), it.ongoing ? tr("the end of the record") : timeText(end),
                                                  durationText(end - it.start));
      if (!t.message.empty()) text += QLatin1Char('\n') + qs(t.message);
      return text;
    }
    case TimelineItemKind::Condition: {
      const core::ConditionChange& c = m_record.conditions()[static_cast<size_t>(it.source)];
      QString text = tr("%1 = %2").arg(qs(c.type), c.status ? QStringLiteral("True") : QStringLiteral("False"));
      if (!c.reason.empty()) text += tr(" (%1)").arg(qs(c.reason));
      text += QLatin1Char('\n') + tr("from %1 to %2").arg(timeText(it.start), it.ongoing ? tr("the end of the record") : timeText(end));
      if (!c.message.empty()) text += QLatin1Char('\n') + qs(c.message);
      return text;
    }
    case TimelineItemKind::Probe:
    case TimelineItemKind::Hook: {
      const core::HandlerAttempt& a = m_record.attempts()[static_cast<size_t>(it.source)];
      QString head = tr("%1 of %2: %3").arg(qs(std::string(core::toString(a.kind))), qs(a.container),
                                            qs(std::string(core::toString(a.result))));
      if (it.kind == TimelineItemKind::Probe && a.consecutive > 0) head += tr(", %n in a row", nullptr, a.consecutive);
      if (it.threshold) head += tr(": threshold reached, %1").arg(thresholdMeaning(a.kind, a.result));
      QString text = head + QLatin1Char('\n') +
                     tr("started %1, took %2, container restart count %3")
                         .arg(timeText(a.start), durationText(a.duration))
                         .arg(a.restartCount) +
                     QLatin1Char('\n') + qs(a.handler.str());
      if (!a.output.empty()) text += QStringLiteral("\n\n") + qs(a.output);
      return text;
    }
    case TimelineItemKind::Event: {
      const core::Event& e = m_record.events()[static_cast<size_t>(it.source)];
      QString text = tr("%1 %2 at %3").arg(qs(std::string(core::toString(e.type))), qs(e.reason), timeText(e.time));
      text += QLatin1Char('\n') + (e.object.empty() ? tr("pod %1").arg(lane.subject) : qs(e.object));
      if (!e.message.empty()) text += QLatin1Char('\n') + qs(e.message);
      return text;
    }
    case TimelineItemKind::Signal: {
      const core::SignalSent& sig = m_record.signalsSent()[static_cast<size_t>(it.source)];
      QString text = tr("%1 to %2 at %3").arg(sig.name.empty() ? signalName(sig.number) : qs(sig.name), lane.subject,
                                              timeText(it.start));
      if (sig.number == SIGKILL) {
        text += QLatin1Char('\n') + tr("The grace period ran out before the container exited: it is killed (exit code 137).");
      } else if (sig.number == SIGTERM) {
        text += QLatin1Char('\n') + tr("The stop signal, once the preStop hook (if any) returned.");
      } else {
        text += QLatin1Char('\n') + tr("The image's stop signal (its STOPSIGNAL, sent instead of SIGTERM), once the "
                                       "preStop hook (if any) returned.");
      }
      return text;
    }
    case TimelineItemKind::Restart:
      return tr("%1 restarted at %2\nrestart count %3").arg(lane.subject, timeText(it.start)).arg(it.count);
    case TimelineItemKind::DeploymentStatus: {
      const core::DeploymentStatusLine& l = m_deploymentLines[static_cast<size_t>(it.source)];
      return tr("deployment %1: READY %2, UP-TO-DATE %3, AVAILABLE %4")
                 .arg(lane.subject, qs(l.ready), qs(l.upToDate), qs(l.available)) +
             QLatin1Char('\n') +
             tr("from %1 to %2 (%3)")
                 .arg(timeText(it.start), it.ongoing ? tr("the end of the record") : timeText(end),
                      durationText(end - it.start));
    }
    case TimelineItemKind::DeploymentCondition: {
      const core::DeploymentCondition& c = m_deploymentConditions[static_cast<size_t>(it.source)];
      QString text = tr("%1 = %2").arg(qs(c.type), conditionStatusText(c.status));
      if (!c.reason.empty()) text += tr(" (%1)").arg(qs(c.reason));
      text += QLatin1Char('\n') +
              tr("from %1 to %2").arg(timeText(it.start), it.ongoing ? tr("the end of the record") : timeText(end));
      if (!c.message.empty()) text += QLatin1Char('\n') + qs(c.message);
      return text;
    }
    case TimelineItemKind::Replicas: {
      const core::ReplicaSetSample& sample = m_samples[static_cast<size_t>(it.source)];
      const QString name = lane.revision > 0 ? tr("%1 (revision %2)").arg(lane.subject).arg(lane.revision) : lane.subject;
      return tr("%1: DESIRED %2, CURRENT %3, READY %4, AVAILABLE %5")
                 .arg(name)
                 .arg(sample.desired)
                 .arg(sample.current)
                 .arg(sample.ready)
                 .arg(sample.available) +
             QLatin1Char('\n') +
             tr("from %1 to %2 (%3)")
                 .arg(timeText(it.start), it.ongoing ? tr("the end of the record") : timeText(end),
                      durationText(end - it.start));
    }
    case TimelineItemKind::PodStatus: {
      const core::PodStatusLine& l = m_record.statusLines()[static_cast<size_t>(it.source)];
      return tr("pod %1: READY %2, STATUS %3, RESTARTS %4").arg(lane.subject, qs(l.ready), qs(l.status), qs(l.restarts)) +
             QLatin1Char('\n') +
             tr("from %1 to %2 (%3)")
                 .arg(timeText(it.start), it.ongoing ? tr("the end of the record") : timeText(end),
                      durationText(end - it.start)) +
             QLatin1Char('\n') + tr("replicaset %1").arg(m_podReplicaSets.value(lane.subject));
    }
  }
  return {};
}

QString TimelineModel::toolTip(const TimelineLane& lane, const TimelineItem& it) const {
  const QStringList lines = detail(lane, it).split(QLatin1Char('\n'));
  QString html = QStringLiteral("<b>%1</b>").arg(lines.value(0).toHtmlEscaped());
  int i = 1;
  for (; i < lines.size() && !lines[i].isEmpty(); ++i) html += QStringLiteral("<br>") + lines[i].toHtmlEscaped();
  if (i < lines.size()) {
    // Output: the first lines, in a fixed font.
    QStringList output = lines.mid(i + 1);
    constexpr int kMaxLines = 8;
    const bool cut = output.size() > kMaxLines;
    output = output.mid(0, kMaxLines);
    html += QStringLiteral("<pre style='margin-top:4px'>%1%2</pre>")
                .arg(output.join(QLatin1Char('\n')).toHtmlEscaped(), cut ? QStringLiteral("\n…") : QString());
  }
  return html;
}

}  // namespace podscope::ui
