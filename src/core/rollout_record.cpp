#include "core/rollout_record.h"

#include <algorithm>
#include <array>
#include <tuple>

#include "core/text_table.h"

namespace podscope::core {

std::string_view toString(ConditionStatus status) {
  switch (status) {
    case ConditionStatus::True: return "True";
    case ConditionStatus::False: return "False";
    case ConditionStatus::Unknown: return "Unknown";
  }
  return "";
}

DeploymentStatusLine deploymentStatusLine(RunTime time, const DeploymentStatus& status) {
  DeploymentStatusLine line;
  line.time = time;
  line.status = status;
  line.ready = std::to_string(status.readyReplicas) + "/" + std::to_string(status.desiredReplicas);
  line.upToDate = std::to_string(status.updatedReplicas);
  line.available = std::to_string(status.availableReplicas);
  line.age = formatAge(time);
  return line;
}

std::string scalingReplicaSetMessage(std::string_view replicaSet, std::int32_t from, std::int32_t to) {
  return std::string(to > from ? "Scaled up" : "Scaled down") + " replica set " + std::string(replicaSet) + " to " +
         std::to_string(to);
}

// ---- The record ---------------------------------------------------------------

const ReplicaSetRecord* RolloutRecord::findReplicaSet(std::string_view name) const {
  for (const ReplicaSetRecord& rs : m_replicaSets) {
    if (rs.name == name) return &rs;
  }
  return nullptr;
}

const RolloutPod* RolloutRecord::findPod(std::string_view name) const {
  return const_cast<RolloutRecord*>(this)->mutablePod(name);
}

RolloutPod* RolloutRecord::mutablePod(std::string_view name) {
  // Most lookups are for recent pods.
  for (auto it = m_pods.rbegin(); it != m_pods.rend(); ++it) {
    if (it->name == name) return &*it;
  }
  return nullptr;
}

void RolloutRecord::append(Event e) {
  m_events.push_back(std::move(e));
  if (m_observer.onEvent) m_observer.onEvent(m_events.back());
}

void RolloutRecord::append(ReplicaSetSample sample) {
  m_samples.push_back(std::move(sample));
  if (m_observer.onReplicaSetSample) m_observer.onReplicaSetSample(m_samples.back());
}

void RolloutRecord::append(DeploymentStatusLine line) {
  m_statusLines.push_back(std::move(line));
  if (m_observer.onStatusLine) m_observer.onStatusLine(m_statusLines.back());
}

void RolloutRecord::append(DeploymentCondition condition) {
  m_conditions.push_back(std::move(condition));
  if (m_observer.onCondition) m_observer.onCondition(m_conditions.back());
}

void RolloutRecord::putReplicaSet(ReplicaSetRecord rs) {
  auto it = std::find_if(m_replicaSets.begin(), m_replicaSets.end(),
                         [&](const ReplicaSetRecord& r) { return r.name == rs.name; });
  if (it == m_replicaSets.end()) {
    m_replicaSets.push_back(std::move(rs));
    it = m_replicaSets.end() - 1;
  } else {
    *it = std::move(rs);
  }
  if (m_observer.onReplicaSet) m_observer.onReplicaSet(*it);
}

RolloutPod& RolloutRecord::addPod(std::string name, std::string replicaSet, RunTime created) {
  RolloutPod& pod = m_pods.emplace_back();
  pod.name = std::move(name);
  pod.replicaSet = std::move(replicaSet);
  pod.created = created;
  pod.record.observe(podObserverFor(pod));
  if (m_observer.onPodCreated) m_observer.onPodCreated(pod);
  return pod;
}

void RolloutRecord::podFinished(std::string_view name, RunTime time) {
  RolloutPod* pod = mutablePod(name);
  if (!pod) return;
  pod->finished = time;
  if (m_observer.onPodFinished) m_observer.onPodFinished(*pod);
}

void RolloutRecord::observe(RolloutObserver observer) { m_observer = std::move(observer); }

void RolloutRecord::stopObserving() {
  m_observer = {};
  for (RolloutPod& pod : m_pods) pod.record.stopObserving();
}

RecordObserver RolloutRecord::podObserverFor(const RolloutPod& pod) const {
  return m_observer.podObserver ? m_observer.podObserver(pod) : RecordObserver{};
}

// ---- Tables -------------------------------------------------------------------

std::string formatDeploymentLines(const RolloutRecord& record) {
  std::vector<std::array<std::string, 5>> rows;
  rows.push_back({"NAME", "READY", "UP-TO-DATE", "AVAILABLE", "AGE"});
  for (const DeploymentStatusLine& l : record.statusLines()) {
    rows.push_back({record.deploymentName, l.ready, l.upToDate, l.available, l.age});
  }
  return alignedTable(std::move(rows));
}

std::string formatReplicaSets(const RolloutRecord& record, std::optional<RunTime> at) {
  RunTime when{0};
  if (at) {
    when = *at;
  } else {
    auto later = [&](RunTime t) { when = std::max(when, t); };
    for (const ReplicaSetSample& s : record.replicaSetSamples()) later(s.time);
    for (const DeploymentStatusLine& l : record.statusLines()) later(l.time);
    for (const Event& e : record.events()) later(e.time);
    for (const ReplicaSetRecord& rs : record.replicaSets()) later(rs.deleted.value_or(rs.created));
  }
  std::vector<std::array<std::string, 5>> rows;
  rows.push_back({"NAME", "DESIRED", "CURRENT", "READY", "AGE"});
  for (const ReplicaSetRecord& rs : record.replicaSets()) {
    if (rs.created > when || (rs.deleted && *rs.deleted <= when)) continue;
    const ReplicaSetSample* last = nullptr;
    for (const ReplicaSetSample& s : record.replicaSetSamples()) {
      if (s.time > when) break;
      if (s.replicaSet == rs.name) last = &s;
    }
    ReplicaSetSample counts = last ? *last : ReplicaSetSample{};
    rows.push_back({rs.name, std::to_string(counts.desired), std::to_string(counts.current),
                    std::to_string(counts.ready), formatAge(when - rs.created)});
  }
  return alignedTable(std::move(rows));
}

std::string formatRolloutEvents(const RolloutRecord& record) {
  std::vector<std::array<std::string, 6>> rows;
  rows.push_back({"Type", "Reason", "Age", "From", "Object", "Message"});
  rows.push_back({"----", "------", "----", "----", "------", "-------"});
  for (const Event& e : record.events()) {
    std::string object = e.object.empty() ? "deployment/" + record.deploymentName : e.object;
    rows.push_back({std::string(toString(e.type)), e.reason, formatAge(e.time), std::string(eventSource(e)), object,
                    e.message});
  }
  return alignedTable(std::move(rows));
}

std::string formatDeploymentConditions(const RolloutRecord& record) {
  std::vector<std::array<std::string, 5>> rows;
  rows.push_back({"TIME", "TYPE", "STATUS", "REASON", "MESSAGE"});
  for (const DeploymentCondition& c : record.conditions()) {
    rows.push_back({formatRunTime(c.time), c.type, std::string(toString(c.status)), c.reason, c.message});
  }
  return alignedTable(std::move(rows));
}

std::string formatRolloutHistory(const RolloutRecord& record) {
  std::vector<const ReplicaSetRecord*> live;
  for (const ReplicaSetRecord& rs : record.replicaSets()) {
    if (!rs.deleted) live.push_back(&rs);
  }
  if (live.empty()) return "No rollout history found.\n";
  std::stable_sort(live.begin(), live.end(),
                   [](const ReplicaSetRecord* a, const ReplicaSetRecord* b) { return a->revision < b->revision; });
  std::vector<std::array<std::string, 2>> rows;
  rows.push_back({"REVISION", "CHANGE-CAUSE"});
  for (const ReplicaSetRecord* rs : live) {
    rows.push_back({std::to_string(rs->revision), rs->changeCause.empty() ? "<none>" : rs->changeCause});
  }
  return "deployment.apps/" + record.deploymentName + "\n" + alignedTable(std::move(rows));
}

// ---- kubectl rollout status ---------------------------------------------------------

RolloutStatusMessage rolloutStatusMessage(std::string_view deployment, const DeploymentStatus& status,
                                          bool progressDeadlineExceeded) {
  const std::string quoted = "\"" + std::string(deployment) + "\"";
  const std::string waiting = "Waiting for deployment " + quoted + " rollout to finish: ";
  if (status.generation > status.observedGeneration) {
    return {"Waiting for deployment spec update to be observed...", false, false};
  }
  if (progressDeadlineExceeded) return {"deployment " + quoted + " exceeded its progress deadline", false, true};
  if (status.updatedReplicas < status.desiredReplicas) {
    return {waiting + std::to_string(status.updatedReplicas) + " out of " + std::to_string(status.desiredReplicas) +
                " new replicas have been updated...",
            false, false};
  }
  if (status.replicas > status.updatedReplicas) {
    return {waiting + std::to_string(status.replicas - status.updatedReplicas) + " old replicas are pending termination...",
            false, false};
  }
  if (status.availableReplicas < status.updatedReplicas) {
    return {waiting + std::to_string(status.availableReplicas) + " of " + std::to_string(status.updatedReplicas) +
                " updated replicas are available...",
            false, false};
  }
  return {"deployment " + quoted + " successfully rolled out", true, false};
}

std::vector<std::string> rolloutStatusLines(const RolloutRecord& record, RunTime since) {
  // Walk status lines and condition changes in time order (a status line
  // before a condition recorded at the same time), asking the viewer after
  // each; what happened up to `since` only sets the state it starts from.
  const auto& lines = record.statusLines();
  const auto& conditions = record.conditions();
  std::vector<std::string> out;
  std::optional<DeploymentStatus> status;
  bool timedOut = false;
  std::string last;
  auto view = [&]() {
    if (!status) return false;
    RolloutStatusMessage m = rolloutStatusMessage(record.deploymentName, *status, timedOut);
    std::string text = m.error ? "error: " + m.text : m.text;
    if (text != last) {
      out.push_back(text);
      last = text;
    }
    return m.done || m.error;
  };
  std::size_t li = 0;
  std::size_t ci = 0;
  bool started = false;
  while (li < lines.size() || ci < conditions.size()) {
    const bool line = li < lines.size() && (ci == conditions.size() || lines[li].time <= conditions[ci].time);
    const RunTime at = line ? lines[li].time : conditions[ci].time;
    if (!started && at > since) {
      started = true;
      if (view()) return out;
    }
    if (line) {
      status = lines[li++].status;
    } else {
      const DeploymentCondition& c = conditions[ci++];
      if (c.type == "Progressing") timedOut = c.reason == "ProgressDeadlineExceeded";
    }
    if (started && view()) return out;
  }
  if (!started) view();
  return out;
}

}  // namespace podscope::core
