// The facts every rollout report opens with (summarizeRollout), the pods as
// the reports list them (rolloutPodRows) and the end of a rollout record.

#include <algorithm>
#include <array>
#include <charconv>
#include <map>
#include <set>

#include "core/rollout_report.h"
#include "core/text_table.h"

namespace podscope::core {

namespace {

std::optional<std::int32_t> annotationNumber(const ReplicaSetRecord& rs, std::string_view key) {
  const auto it = rs.annotations.find(std::string(key));
  if (it == rs.annotations.end()) return std::nullopt;
  std::int32_t value = 0;
  const char* first = it->second.data();
  const char* last = first + it->second.size();
  const auto [end, ec] = std::from_chars(first, last, value);
  if (ec != std::errc() || end != last) return std::nullopt;
  return value;
}

std::vector<std::string> templateImages(const PodTemplateSpec& t) {
  std::vector<std::string> out;
  for (const Container& c : t.spec.initContainers) out.push_back(c.name + "=" + c.image);
  for (const Container& c : t.spec.containers) out.push_back(c.name + "=" + c.image);
  return out;
}

/// The newest ReplicaSet: the highest revision, the later one of equals.
const ReplicaSetRecord* newestReplicaSet(const RolloutRecord& r) {
  const ReplicaSetRecord* best = nullptr;
  for (const ReplicaSetRecord& rs : r.replicaSets()) {
    if (!best || rs.revision >= best->revision) best = &rs;
  }
  return best;
}

/// The last sample of `rs` at or before `at`.
const ReplicaSetSample* sampleAt(const RolloutRecord& r, const std::string& rs, RunTime at) {
  const ReplicaSetSample* last = nullptr;
  for (const ReplicaSetSample& s : r.replicaSetSamples()) {
    if (s.time > at) break;
    if (s.replicaSet == rs) last = &s;
  }
  return last;
}

/// Each ReplicaSet there at `at`, with its counts then; the ones the
/// Deployment's deletion removed (at `deleted`) are still there.
std::vector<ReplicaSetSample> replicaSetsAt(const RolloutRecord& r, RunTime at, std::optional<RunTime> deleted) {
  std::vector<ReplicaSetSample> out;
  for (const ReplicaSetRecord& rs : r.replicaSets()) {
    const bool removedWithTheDeployment = deleted && rs.deleted == deleted;
    if (rs.created > at || (rs.deleted && *rs.deleted <= at && !removedWithTheDeployment)) continue;
    const ReplicaSetSample* last = sampleAt(r, rs.name, at);
    out.push_back(last ? *last : ReplicaSetSample{rs.created, rs.name, 0, 0, 0, 0});
  }
  return out;
}

bool contains(std::string_view text, std::string_view what) { return text.find(what) != std::string_view::npos; }

}  // namespace

std::string_view toString(RolloutState state) {
  switch (state) {
    case RolloutState::Complete: return "Complete";
    case RolloutState::ProgressDeadlineExceeded: return "ProgressDeadlineExceeded";
    case RolloutState::Paused: return "Paused";
    case RolloutState::InProgress: return "In progress";
  }
  return "In progress";
}

RunTime rolloutEnd(const RolloutRecord& r) {
  RunTime end{0};
  auto later = [&](RunTime t) { end = std::max(end, t); };
  for (const Event& e : r.events()) later(e.time);
  for (const ReplicaSetSample& s : r.replicaSetSamples()) later(s.time);
  for (const DeploymentStatusLine& l : r.statusLines()) later(l.time);
  for (const DeploymentCondition& c : r.conditions()) later(c.time);
  for (const ReplicaSetRecord& rs : r.replicaSets()) later(rs.deleted.value_or(rs.created));
  for (const RolloutPod& p : r.pods()) {
    later(p.finished.value_or(p.created));
    later(rolloutTime(p, p.record.lastTime()));
  }
  return end;
}

RolloutSummary summarizeRollout(const RolloutRecord& r) {
  RolloutSummary s;
  s.end = rolloutEnd(r);
  if (r.outcome == RunOutcome::Deleted) {
    // The Deployment's deletion removes every ReplicaSet left at once: the latest removal.
    for (const ReplicaSetRecord& rs : r.replicaSets()) {
      if (rs.deleted) s.deleted = std::max(s.deleted.value_or(RunTime{0}), *rs.deleted);
    }
  }
  s.tablesAt = s.deleted.value_or(s.end);
  const std::string message = r.outcomeMessage.empty() ? std::string() : " (" + r.outcomeMessage + ")";
  switch (r.outcome) {
    // The engine's message for a deletion only repeats what this says.
    case RunOutcome::Deleted: s.ending = "The Deployment was deleted at " + formatRunTime(s.tablesAt); break;
    case RunOutcome::Stopped: s.ending = "The watch ended at " + formatRunTime(s.end) + message; break;
    case RunOutcome::Running: s.ending = "Taken while the rollout was running, at " + formatRunTime(s.end); break;
    case RunOutcome::Succeeded:
    case RunOutcome::Failed:
      s.ending = std::string(toString(r.outcome)) + " at " + formatRunTime(s.end) + message;
      break;
  }
  s.newReplicaSet = newestReplicaSet(r);

  if (s.newReplicaSet) {
    const std::string& name = s.newReplicaSet->name;
    s.began = s.newReplicaSet->created;
    std::int32_t previous = 0;
    for (const ReplicaSetSample& sample : r.replicaSetSamples()) {
      if (sample.replicaSet != name) continue;
      if (sample.desired > 0 && previous == 0) s.began = sample.time;
      previous = sample.desired;
    }
    for (const ReplicaSetRecord& rs : r.replicaSets()) {
      if (&rs == s.newReplicaSet) continue;
      const ReplicaSetSample* at = sampleAt(r, rs.name, s.began);
      if (at && (at->current > 0 || at->desired > 0)) s.fromEarlier = true;
    }
    const auto maxReplicas = annotationNumber(*s.newReplicaSet, kMaxReplicasAnnotation);
    const auto desiredReplicas = annotationNumber(*s.newReplicaSet, kDesiredReplicasAnnotation);
    if (maxReplicas && desiredReplicas) s.maxSurge = *maxReplicas - *desiredReplicas;
  }

  // The Deployment's status: spec.replicas, and the extremes since `began`.
  const DeploymentStatusLine* lastLine = nullptr;
  const DeploymentStatusLine* atBegin = nullptr;
  for (const DeploymentStatusLine& l : r.statusLines()) {
    if (l.time > s.tablesAt) break;
    lastLine = &l;
    if (l.time <= s.began) atBegin = &l;
  }
  if (lastLine) s.desired = lastLine->status.desiredReplicas;
  bool first = true;
  auto extremes = [&](const DeploymentStatus& st) {
    s.peakReplicas = first ? st.replicas : std::max(s.peakReplicas, st.replicas);
    s.lowestAvailable = first ? st.availableReplicas : std::min(s.lowestAvailable, st.availableReplicas);
    first = false;
  };
  if (atBegin) extremes(atBegin->status);
  for (const DeploymentStatusLine& l : r.statusLines()) {
    if (l.time > s.began && l.time <= s.tablesAt) extremes(l.status);
  }

  // Pods at once, Terminating ones included: +1 at creation, -1 when gone
  // (a pod gone at the moment another is made is counted out first).
  std::vector<std::pair<RunTime, int>> steps;
  int existing = 0;
  for (const RolloutPod& p : r.pods()) {
    const bool before = p.created <= s.began;
    const bool goneBefore = p.finished && *p.finished <= s.began;
    if (before && !goneBefore) ++existing;
    if (!before) steps.emplace_back(p.created, +1);
    if (p.finished && !goneBefore) steps.emplace_back(*p.finished, -1);
  }
  std::stable_sort(steps.begin(), steps.end());
  s.peakPods = existing;
  for (const auto& [t, d] : steps) {
    existing += d;
    s.peakPods = std::max(s.peakPods, existing);
  }

  if (s.newReplicaSet) {
    const std::string& name = s.newReplicaSet->name;
    for (const ReplicaSetSample& sample : r.replicaSetSamples()) {
      if (sample.replicaSet == name && sample.time >= s.began && sample.desired > 0 && sample.desired == s.desired &&
          sample.available >= sample.desired) {
        s.allAvailable = sample.time;
        break;
      }
    }
    const std::string quoted = "\"" + name + "\"";
    for (const DeploymentCondition& c : r.conditions()) {
      if (c.type != "Progressing" || c.time < s.began || !contains(c.message, quoted)) continue;
      if (!s.progressed && c.status == ConditionStatus::True && c.reason == "NewReplicaSetAvailable") s.progressed = c.time;
      if (!s.deadlineExceeded && c.status == ConditionStatus::False && c.reason == "ProgressDeadlineExceeded") {
        s.deadlineExceeded = c.time;
      }
    }
    if (s.fromEarlier) {
      std::set<std::string> deletedByTheController;
      constexpr std::string_view kDeletedPod = "Deleted pod: ";
      for (const Event& e : r.events()) {
        if (e.reason == "SuccessfulDelete" && e.message.rfind(kDeletedPod, 0) == 0) {
          deletedByTheController.insert(e.message.substr(kDeletedPod.size()));
        }
      }
      std::optional<RunTime> lastGone;
      bool allGone = true;
      for (const RolloutPod& p : r.pods()) {
        if (p.replicaSet == name || p.created > s.began) continue;
        const bool goneBefore = p.finished && (!s.deleted || *p.finished < *s.deleted);
        if (!p.finished || (!goneBefore && !deletedByTheController.count(p.name))) {
          allGone = false;
        } else if (*p.finished >= s.began) {
          lastGone = std::max(lastGone.value_or(RunTime{0}), *p.finished);
        }
      }
      if (allGone) s.oldPodsGone = lastGone;
    }
  }

  if (s.newReplicaSet) {
    s.milestones.push_back({"All " + std::to_string(s.desired) + " replicas of the new ReplicaSet available", s.allAvailable});
    s.milestones.push_back({"Progressing True: NewReplicaSetAvailable", s.progressed});
    if (s.deadlineExceeded) s.milestones.push_back({"Progressing False: ProgressDeadlineExceeded", s.deadlineExceeded});
    if (s.fromEarlier) s.milestones.push_back({"The older ReplicaSets' last pod gone", s.oldPodsGone});
  }

  const std::vector<std::string> lines = rolloutStatusLines(r, s.began);
  if (!lines.empty()) s.rolloutStatus = lines.back();
  const DeploymentCondition* progressing = nullptr;
  for (const DeploymentCondition& c : r.conditions()) {
    if (c.type == "Progressing" && c.time <= s.tablesAt) progressing = &c;
  }
  if (s.rolloutStatus.rfind("error: ", 0) == 0) {
    s.state = RolloutState::ProgressDeadlineExceeded;
  } else if (contains(s.rolloutStatus, "successfully rolled out")) {
    s.state = RolloutState::Complete;
  } else if (progressing && progressing->reason == "DeploymentPaused") {
    s.state = RolloutState::Paused;
  }

  for (const RolloutPod& p : r.pods()) {
    int restarts = 0;
    for (const RestartCount& c : restartCounts(p.record)) restarts += c.restarts;
    s.restarts += restarts;
    s.podsRestarted += restarts > 0;
  }

  // The tables as they stood at the end, or when the Deployment was deleted
  // (the ReplicaSets it removed then included).
  if (lastLine) {
    std::vector<std::array<std::string, 5>> line;
    line.push_back({"NAME", "READY", "UP-TO-DATE", "AVAILABLE", "AGE"});
    line.push_back({r.deploymentName, lastLine->ready, lastLine->upToDate, lastLine->available, formatAge(s.tablesAt)});
    s.getDeployment = alignedTable(std::move(line));
  }
  s.replicaSetsAtEnd = replicaSetsAt(r, s.tablesAt, s.deleted);
  if (!s.replicaSetsAtEnd.empty()) {
    std::vector<std::array<std::string, 5>> rows;
    rows.push_back({"NAME", "DESIRED", "CURRENT", "READY", "AGE"});
    for (const ReplicaSetSample& counts : s.replicaSetsAtEnd) {
      const ReplicaSetRecord* rs = r.findReplicaSet(counts.replicaSet);
      rows.push_back({counts.replicaSet, std::to_string(counts.desired), std::to_string(counts.current),
                      std::to_string(counts.ready), formatAge(s.tablesAt - (rs ? rs->created : RunTime{0}))});
    }
    s.getReplicaSets = alignedTable(std::move(rows));
  }

  for (const ReplicaSetRecord& rs : r.replicaSets()) s.revisions.push_back({&rs, templateImages(rs.podTemplate)});
  std::stable_sort(s.revisions.begin(), s.revisions.end(), [](const RolloutRevision& a, const RolloutRevision& b) {
    return a.replicaSet->revision < b.replicaSet->revision;
  });
  return s;
}

std::vector<RolloutPodRow> rolloutPodRows(const RolloutRecord& r) {
  std::vector<RolloutPodRow> rows;
  rows.reserve(r.pods().size());
  for (const RolloutPod& p : r.pods()) {
    RolloutPodRow row;
    row.pod = &p;
    std::optional<RunTime> terminating;  // on the pod's own axis
    for (const PodStatusLine& l : p.record.statusLines()) {
      if (l.status == "Terminating") {
        terminating = l.time;
        row.terminating = rolloutTime(p, l.time);
        break;
      }
    }
    for (const ConditionChange& c : p.record.conditions()) {
      if (c.kind != SubjectKind::Pod || c.type != "Ready") continue;
      if (c.status && !row.firstReady) row.firstReady = rolloutTime(p, c.time);
      if (!terminating || c.time < *terminating) row.readyAtEnd = c.status;
    }
    for (const RestartCount& c : restartCounts(p.record)) row.restarts += c.restarts;
    if (!p.record.statusLines().empty()) row.last = p.record.statusLines().back();
    const std::string status = row.last ? row.last->status : std::string();
    const bool usual = status == "Running" || status == "Completed" || status == "Terminating";
    row.notable = !row.firstReady || row.restarts > 0 || !usual;
    rows.push_back(std::move(row));
  }
  return rows;
}

std::vector<const RolloutPodRow*> pickPodRows(const std::vector<const RolloutPodRow*>& rows, std::size_t limit) {
  if (rows.size() <= limit) return rows;
  std::vector<bool> keep(rows.size(), false);
  std::size_t kept = 0;
  for (bool notable : {true, false}) {
    for (std::size_t i = 0; i < rows.size() && kept < limit; ++i) {
      if (rows[i]->notable == notable) {
        keep[i] = true;
        ++kept;
      }
    }
  }
  std::vector<const RolloutPodRow*> out;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    if (keep[i]) out.push_back(rows[i]);
  }
  return out;
}

RolloutEventsTable boundedRolloutEvents(const RolloutRecord& r, std::size_t maxRows) {
  if (r.events().size() <= maxRows) return {formatRolloutEvents(r), {}};
  std::vector<const Event*> kept;
  std::size_t perPod = 0;
  for (const Event& e : r.events()) {
    if (e.type == EventType::Normal && eventSource(e) == "replicaset-controller") {
      ++perPod;
    } else {
      kept.push_back(&e);
    }
  }
  std::string note = std::to_string(r.events().size()) + " events: the replicaset-controller's " +
                     std::to_string(perPod) + " SuccessfulCreate and SuccessfulDelete events are left out";
  std::size_t middle = 0;
  if (kept.size() > maxRows) {
    const std::size_t half = maxRows / 2;
    middle = kept.size() - 2 * half;
    kept.erase(kept.begin() + static_cast<std::ptrdiff_t>(half), kept.end() - static_cast<std::ptrdiff_t>(half));
    note += ", and so are " + std::to_string(middle) + " of the others from the middle of the rollout";
  }
  RolloutRecord shown;
  shown.deploymentName = r.deploymentName;
  for (const Event* e : kept) shown.append(*e);
  return {formatRolloutEvents(shown), note + "."};
}

}  // namespace podscope::core
