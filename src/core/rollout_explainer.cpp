// Why a rollout went as it did (explainRollout): sentences built from the
// rollout record's facts, and, for its pods, from the pod explainer.

#include <algorithm>

#include "core/rollout_report.h"

namespace podscope::core {

namespace {

/// Pods of one kind told one by one before the rest are only counted.
constexpr std::size_t kPodsTold = 3;

std::string at(RunTime t) { return formatRunTime(t); }

std::string revisionOf(const ReplicaSetRecord& rs) {
  std::string text = "revision " + std::to_string(rs.revision) + " (ReplicaSet " + rs.name;
  if (!rs.revisionHistory.empty()) {
    text += ", once revision " + std::to_string(rs.revisionHistory.back()) + ": its template came back";
  }
  return text + ")";
}

std::string statusWords(const DeploymentStatusLine& l) {
  return "READY " + l.ready + ", UP-TO-DATE " + l.upToDate + ", AVAILABLE " + l.available;
}

/// "Pod P, created at T (its own record's times count from then): "
std::string podIntro(const RolloutPod& p, std::optional<RunTime> deleted = std::nullopt) {
  std::string intro = "Pod " + p.name + ", created at " + at(p.created) + " (its own record's times count from then)";
  if (deleted) intro += ", up to its deletion at " + at(*deleted) + " of its own time";
  return intro + ": ";
}

/// What `r` held before `cut` (on its own axis), as if the record had
/// been taken then: how a pod stood before it was deleted.
RunRecord recordBefore(const RunRecord& r, RunTime cut) {
  RunRecord o;
  o.podName = r.podName;
  o.podNamespace = r.podNamespace;
  o.runtimeName = r.runtimeName;
  o.ended = cut;
  for (const Transition& t : r.transitions()) {
    if (t.time < cut) o.append(t);
  }
  for (const Event& e : r.events()) {
    if (e.time < cut) o.append(e);
  }
  for (const PodStatusLine& l : r.statusLines()) {
    if (l.time < cut) o.append(l);
  }
  for (const HandlerAttempt& a : r.attempts()) {
    if (a.start < cut) o.append(HandlerAttempt(a));
  }
  for (const ConditionChange& c : r.conditions()) {
    if (c.time < cut) o.append(c);
  }
  for (const SignalSent& s : r.signalsSent()) {
    if (s.time < cut) o.append(s);
  }
  return o;
}

std::string plural(std::size_t n, std::string_view one, std::string_view many) {
  return std::to_string(n) + " " + std::string(n == 1 ? one : many);
}

void explainEnding(const RolloutRecord& r, const RolloutSummary& s, std::vector<WhyFact>& out) {
  if (!s.newReplicaSet) {
    out.push_back({RunTime{0}, WhyTopic::Rollout, r.deploymentName,
                   "The Deployment made no ReplicaSet in this record (a Deployment created paused makes none)."});
    return;
  }
  const ReplicaSetRecord& rs = *s.newReplicaSet;
  const std::string began = s.fromEarlier ? "it began at " + at(s.began) : "the Deployment's first rollout, it began at " + at(s.began);
  const DeploymentCondition* progressing = nullptr;
  for (const DeploymentCondition& c : r.conditions()) {
    if (c.type == "Progressing" && c.time <= s.tablesAt) progressing = &c;
  }
  switch (s.state) {
    case RolloutState::Complete: {
      const RunTime done = s.progressed.value_or(s.allAvailable.value_or(s.began));
      std::string text = "The rollout of " + revisionOf(rs) + " completed at " + at(done) + ", " +
                         formatRunTime(done - s.began) + " after " + began + ".";
      if (s.progressed && progressing) {
        text += " Progressing became True with reason NewReplicaSetAvailable (“" + progressing->message + "”).";
      }
      out.push_back({done, WhyTopic::Rollout, rs.name, text});
      return;
    }
    case RolloutState::ProgressDeadlineExceeded: {
      const DeploymentCondition* deadline = nullptr;
      for (const DeploymentCondition& c : r.conditions()) {
        if (c.type == "Progressing" && c.reason == "ProgressDeadlineExceeded" && c.time >= s.began && !deadline) {
          deadline = &c;
        }
      }
      const RunTime when = deadline ? deadline->time : s.deadlineExceeded.value_or(s.began);
      std::string text = "The rollout of " + revisionOf(rs) + " did not complete: Progressing became False with reason "
                         "ProgressDeadlineExceeded at " + at(when);
      if (deadline) text += " (“" + deadline->message + "”)";
      text += ", " + formatRunTime(when - s.began) + " after " + began + ".";
      // The last change of the status before the deadline: the last progress there was.
      const DeploymentStatusLine* lastChange = nullptr;
      for (const DeploymentStatusLine& l : r.statusLines()) {
        if (l.time < when) lastChange = &l;
      }
      if (lastChange) {
        text += " The Deployment's status had last changed at " + at(lastChange->time) + " (" + statusWords(*lastChange) +
                "), " + formatRunTime(when - lastChange->time) + " before; the controller does not roll back.";
      }
      out.push_back({when, WhyTopic::Rollout, rs.name, text});
      break;
    }
    case RolloutState::Paused: {
      const RunTime when = progressing ? progressing->time : s.began;
      out.push_back({when, WhyTopic::Rollout, r.deploymentName,
                     "The Deployment was paused at " + at(when) +
                         ": Progressing became Unknown with reason DeploymentPaused. A paused Deployment scales its "
                         "ReplicaSets but makes no new one for a changed template."});
      break;
    }
    case RolloutState::InProgress: {
      std::string text = "The rollout of " + revisionOf(rs) + " had not completed when the record ended at " +
                         at(s.tablesAt) + " (" + began + ")";
      if (!s.rolloutStatus.empty()) text += ": kubectl rollout status last said “" + s.rolloutStatus + "”";
      out.push_back({s.tablesAt, WhyTopic::Rollout, rs.name, text + "."});
      break;
    }
  }
  // Where a stalled rollout stood: the last scaling step and the counts since.
  const Event* lastStep = nullptr;
  for (const Event& e : r.events()) {
    if (e.reason == "ScalingReplicaSet" && e.time >= s.began && e.time <= s.tablesAt) lastStep = &e;
  }
  if (lastStep && s.state != RolloutState::Complete) {
    std::string text = "The last scaling step was at " + at(lastStep->time) + ": “" + lastStep->message + "”.";
    std::string counts;
    for (const ReplicaSetSample& last : s.replicaSetsAtEnd) {
      if (last.desired == 0 && last.current == 0) continue;
      counts += (counts.empty() ? "" : "; ") + last.replicaSet + (last.replicaSet == rs.name ? " (new)" : " (old)") +
                " DESIRED " + std::to_string(last.desired) + ", READY " + std::to_string(last.ready) + ", AVAILABLE " +
                std::to_string(last.available);
    }
    if (!counts.empty()) text += " At " + at(s.tablesAt) + ": " + counts + ".";
    out.push_back({lastStep->time, WhyTopic::Rollout, rs.name, text});
  }
}

/// The pod explainer's facts of `topic` about a pod, its containers' first
/// (the pod's own statement only when there is nothing else).
std::vector<WhyFact> podFacts(const RolloutPodRow& row, WhyTopic topic) {
  std::vector<WhyFact> own;
  std::vector<WhyFact> containers;
  for (WhyFact& f : explainRolloutPod(row)) {
    if (f.topic != topic) continue;
    (f.subject == row.pod->record.podName ? own : containers).push_back(std::move(f));
  }
  return containers.empty() ? own : containers;
}

void explainNotReady(const RolloutSummary& s, const std::vector<RolloutPodRow>& rows,
                     std::vector<WhyFact>& out) {
  if (!s.newReplicaSet || s.state == RolloutState::Complete) return;
  std::vector<const RolloutPodRow*> fresh;
  std::vector<const RolloutPodRow*> notReady;
  for (const RolloutPodRow& row : rows) {
    if (row.pod->replicaSet != s.newReplicaSet->name || row.pod->created < s.began) continue;
    fresh.push_back(&row);
    // Gone before the end, and not by the Deployment's deletion.
    const bool gone = row.pod->finished && (s.deleted ? *row.pod->finished < *s.deleted : *row.pod->finished <= s.end);
    if (!gone && !row.readyAtEnd) notReady.push_back(&row);
  }
  if (notReady.empty()) return;
  std::size_t never = 0;
  for (const RolloutPodRow* row : notReady) never += !row->firstReady;
  const std::string made = " ReplicaSet " + s.newReplicaSet->name + " made";
  const std::string when = std::string(" not Ready ") +
                           (s.deleted ? "when the Deployment was deleted at " : "at the end, ") + at(s.tablesAt);
  std::string text;
  if (fresh.size() == 1) {
    text = "The pod" + made + " at " + at(fresh.front()->pod->created) + " was" + when +
           (never == 1 ? ", and it never had been" : "");
  } else {
    text = (notReady.size() == fresh.size() ? "All " + std::to_string(fresh.size()) + " pods"
                                            : std::to_string(notReady.size()) + " of the " +
                                                  std::to_string(fresh.size()) + " pods") +
           made + " from " + at(s.began) + " on were" + when;
    if (never == notReady.size()) {
      text += ", and none of them ever had been";
    } else if (never > 0) {
      text += " (" + std::to_string(never) + " never had been)";
    }
  }
  text += ": the Deployment counts a pod available only once it is Ready.";
  out.push_back({s.began, WhyTopic::NotReady, s.newReplicaSet->name, text});
  // One of them told in full, the first made; as it stood before its
  // deletion, if it was deleted (the deletion makes every pod unready).
  const RolloutPodRow& row = *notReady.front();
  const RolloutPod& p = *row.pod;
  std::optional<RunTime> deleted;
  if (row.terminating) deleted = *row.terminating - p.created;
  for (const WhyFact& f : podFacts(row, WhyTopic::NotReady)) {
    out.push_back({rolloutTime(p, f.time), WhyTopic::NotReady, p.name, podIntro(p, deleted) + f.text});
  }
}

void explainRestarts(const std::vector<RolloutPodRow>& rows, std::vector<WhyFact>& out) {
  std::size_t pods = 0;
  int restarts = 0;
  std::size_t told = 0;
  RunTime lastTold{0};
  for (const RolloutPodRow& row : rows) {
    if (row.restarts == 0) continue;
    ++pods;
    restarts += row.restarts;
    if (told == kPodsTold) continue;
    ++told;
    const RolloutPod& p = *row.pod;
    const std::vector<WhyFact> facts = podFacts(row, WhyTopic::Restart);
    std::string text = podIntro(p) + "restarted " + plural(static_cast<std::size_t>(row.restarts), "time", "times");
    text += facts.empty() ? "." : ". " + facts.front().text;
    lastTold = facts.empty() ? p.created : rolloutTime(p, facts.front().time);
    out.push_back({lastTold, WhyTopic::Restart, p.name, text});
  }
  if (pods > told) {
    std::string text = plural(pods, "pod", "pods") + " restarted, " + plural(static_cast<std::size_t>(restarts), "restart", "restarts") +
                       " in all; the pods table lists every one.";
    out.push_back({lastTold, WhyTopic::Restart, "", text});
  }
}

void explainOutcome(const RolloutRecord& r, const RolloutSummary& s, std::vector<WhyFact>& out) {
  std::string text;
  switch (r.outcome) {
    case RunOutcome::Deleted: {
      std::optional<RunTime> lastGone;
      for (const RolloutPod& p : r.pods()) {
        if (p.finished) lastGone = std::max(lastGone.value_or(RunTime{0}), *p.finished);
      }
      text = "The Deployment was deleted at " + at(s.deleted.value_or(s.end));
      if (lastGone && s.deleted && *lastGone >= *s.deleted) text += "; its last pod was gone at " + at(*lastGone);
      text += ".";
      break;
    }
    case RunOutcome::Running:
      text = "The record was taken while the rollout was running; its last entry is at " + at(s.end) + ".";
      break;
    case RunOutcome::Stopped:
    case RunOutcome::Succeeded:
    case RunOutcome::Failed:
      text = "The watch ended at " + at(s.end) + ": " + std::string(toString(r.outcome)) +
             (r.outcomeMessage.empty() ? "" : " (" + r.outcomeMessage + ")") + ".";
      break;
  }
  text += " It ran on the " + r.runtimeName + " runtime.";
  if (!r.statusLines().empty()) {
    const DeploymentStatusLine* last = nullptr;
    for (const DeploymentStatusLine& l : r.statusLines()) {
      if (l.time <= s.tablesAt) last = &l;
    }
    if (last) text += " kubectl get deployment: " + statusWords(*last) + ".";
  }
  out.push_back({s.deleted.value_or(s.end), WhyTopic::Outcome, r.deploymentName, text});
}

}  // namespace

std::vector<WhyFact> explainRolloutPod(const RolloutPodRow& row) {
  const RolloutPod& p = *row.pod;
  if (!row.terminating) return explainRun(p.record);
  const RunTime deleted = *row.terminating - p.created;
  std::vector<WhyFact> out;
  for (WhyFact& f : explainRun(recordBefore(p.record, deleted))) {
    if (f.topic == WhyTopic::NotReady) out.push_back(std::move(f));
  }
  for (WhyFact& f : explainRun(p.record)) {
    if (f.topic != WhyTopic::NotReady) out.push_back(std::move(f));
  }
  return out;
}

std::vector<WhyFact> explainRollout(const RolloutRecord& record) {
  const RolloutSummary s = summarizeRollout(record);
  const std::vector<RolloutPodRow> rows = rolloutPodRows(record);
  std::vector<WhyFact> out;
  explainEnding(record, s, out);
  explainNotReady(s, rows, out);
  explainRestarts(rows, out);
  explainOutcome(record, s, out);
  return out;
}

}  // namespace podscope::core
