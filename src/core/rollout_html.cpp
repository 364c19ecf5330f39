// A rollout as one self-contained HTML file (htmlReport for a
// RolloutRecord), on the pod report's stylesheet and skeleton
// (report_html_parts.h).

#include <algorithm>

#include "core/report_html_parts.h"
#include "core/rollout_report.h"

namespace podscope::core {

namespace {

using html::esc;

std::string timeCell(const std::optional<RunTime>& t, std::string_view never = "never") {
  return t ? esc(formatRunTime(*t)) : "<span class=\"never\">" + esc(never) + "</span>";
}

std::string badgeClass(RolloutState s) {
  switch (s) {
    case RolloutState::Complete: return "Complete";
    case RolloutState::ProgressDeadlineExceeded: return "DeadlineExceeded";
    case RolloutState::Paused: return "Paused";
    case RolloutState::InProgress: return "InProgress";
  }
  return "InProgress";
}

std::string join(const std::vector<std::string>& parts, std::string_view sep) {
  std::string o;
  for (const std::string& p : parts) o += (o.empty() ? "" : std::string(sep)) + p;
  return o;
}

void summarySection(const RolloutRecord& r, const RolloutSummary& s, std::string& o) {
  o += "<section id=\"summary\"><h2>Summary</h2>\n<table class=\"outcome\">";
  const bool failed = s.state == RolloutState::ProgressDeadlineExceeded;
  o += "<tr><th>Outcome</th><td><b" + std::string(failed ? " class=\"r-failure\"" : "") + ">" +
       esc(s.rolloutStatus.empty() ? std::string("no rollout status") : s.rolloutStatus) + "</b></td></tr>";
  o += "<tr><th>Record</th><td>" + esc(s.ending) + "</td></tr>";
  o += "<tr><th>Runtime</th><td>" + esc(r.runtimeName) + "</td></tr></table>\n";
  const std::string when = s.deleted ? " when the Deployment was deleted, at " + formatRunTime(*s.deleted)
                                     : " at the end, " + formatRunTime(s.tablesAt);
  if (!s.getDeployment.empty()) {
    o += "<h3>kubectl get deployment</h3>\n<p class=\"sub\">" + esc(when.substr(1)) + "</p>\n<pre class=\"get\">" +
         esc(s.getDeployment) + "</pre>\n";
  }
  if (!s.getReplicaSets.empty()) {
    o += "<h3>kubectl get rs</h3>\n<pre class=\"get\">" + esc(s.getReplicaSets) + "</pre>\n";
  }

  o += "<h3>Revisions</h3>\n<table class=\"revisions\"><tr><th>Revision</th><th>ReplicaSet</th><th>Change-cause</th>"
       "<th>Images</th><th>Created</th><th>Removed</th></tr>";
  for (const RolloutRevision& v : s.revisions) {
    const ReplicaSetRecord& rs = *v.replicaSet;
    std::string revision = std::to_string(rs.revision);
    if (!rs.revisionHistory.empty()) {
      std::vector<std::string> earlier;
      for (std::int64_t n : rs.revisionHistory) earlier.push_back(std::to_string(n));
      revision += " <small>(was " + esc(join(earlier, ", ")) + ")</small>";
    }
    const bool isNew = &rs == s.newReplicaSet;
    o += "<tr><td class=\"num\">" + revision + "</td><td>" + esc(rs.name) + (isNew ? " <small>(new)</small>" : "") +
         "</td><td>" + (rs.changeCause.empty() ? "<span class=\"never\">&lt;none&gt;</span>" : esc(rs.changeCause)) +
         "</td><td><code>" + esc(join(v.images, " ")) + "</code></td><td>" + esc(formatRunTime(rs.created)) +
         "</td><td>" + timeCell(rs.deleted, "") + "</td></tr>";
  }
  o += "</table>\n";

  if (s.newReplicaSet) {
    o += "<h3>Durations</h3>\n<p class=\"sub\">revision " + std::to_string(s.newReplicaSet->revision) + " began at " +
         esc(formatRunTime(s.began)) + ", when ReplicaSet " + esc(s.newReplicaSet->name) +
         (s.fromEarlier ? " was scaled up from 0 beside the older ReplicaSets" : " was scaled up from 0, the first") +
         "</p>\n<table class=\"milestones\"><tr><th>Milestone</th><th>At</th><th>After it began</th></tr>";
    for (const Milestone& m : s.milestones) {
      o += "<tr><td>" + esc(m.what) + "</td><td>" + timeCell(m.at, "not in this run") + "</td><td>" +
           (m.at ? esc(formatRunTime(*m.at - s.began)) : std::string()) + "</td></tr>";
    }
    o += "</table>\n";
  }

  o += "<h3>Pods at once</h3>\n<table class=\"bounds\"><tr><th>Since " + esc(formatRunTime(s.began)) +
       "</th><th>Count</th><th>Against</th></tr>";
  std::string surge = "desired " + std::to_string(s.desired);
  if (s.maxSurge) {
    surge += " + maxSurge " + std::to_string(*s.maxSurge) + " = " + std::to_string(s.desired + *s.maxSurge) +
             " (maxSurge from the new ReplicaSet's max-replicas annotation)";
  }
  o += "<tr><td>Most pods (status.replicas: Terminating ones not counted)</td><td class=\"num\">" +
       std::to_string(s.peakReplicas) + "</td><td>" + esc(surge) + "</td></tr>";
  o += "<tr><td>Most pods, Terminating ones included</td><td class=\"num\">" + std::to_string(s.peakPods) +
       "</td><td></td></tr>";
  o += "<tr><td>Fewest available</td><td class=\"num\">" + std::to_string(s.lowestAvailable) + "</td><td>desired " +
       std::to_string(s.desired) + " (maxUnavailable is not in the record)</td></tr></table>\n";
  o += "<h3>Restarts</h3>\n<p>" +
       (s.restarts == 0 ? std::string("No container restarted.")
                        : std::to_string(s.restarts) + " container restarts across " + std::to_string(s.podsRestarted) +
                              (s.podsRestarted == 1 ? " pod" : " pods") + " (see Why and the pods below).") +
       "</p></section>\n";
}

void eventsSection(const RolloutRecord& r, const ReportInputs& in, std::string& o) {
  const RolloutEventsTable events = boundedRolloutEvents(r, in.maxEventRows);
  o += "<section id=\"events\"><h2>Events</h2>\n<p class=\"sub\">as kubectl describe deployment shows them, with the "
       "object each is about; ages count from the rollout's start</p>\n";
  if (!events.note.empty()) {
    o += "<p class=\"note\">" + esc(events.note) +
         " The pods table has each pod's creation and deletion, and the timeline marks every event.</p>\n";
  }
  o += "<pre class=\"events\">" + esc(events.text) + "</pre></section>\n";
}

void statusSection(const RolloutRecord& r, const RolloutSummary& s, std::size_t maxLines, std::string& o) {
  o += "<section id=\"status\"><h2>Rollout status</h2>\n<p class=\"sub\">what kubectl rollout status deployment/" +
       esc(r.deploymentName) + " would have printed, watching from " + esc(formatRunTime(s.began)) + "</p>\n";
  std::vector<std::string> lines = rolloutStatusLines(r, s.began);
  if (lines.empty()) {
    o += "<p class=\"note\">The record holds no status of the Deployment.</p></section>\n";
    return;
  }
  // A large rollout prints a line each time one more replica is available.
  if (lines.size() > maxLines) {
    const std::size_t half = maxLines / 2;
    const std::size_t middle = lines.size() - 2 * half;
    lines.erase(lines.begin() + static_cast<std::ptrdiff_t>(half), lines.end() - static_cast<std::ptrdiff_t>(half));
    o += "<p class=\"note\">" +
         esc(std::to_string(lines.size() + middle) + " lines: the " + std::to_string(middle) +
             " from the middle are left out.") +
         "</p>\n";
  }
  std::string text;
  for (const std::string& l : lines) text += l + "\n";
  o += "<pre class=\"status\">" + esc(text) + "</pre></section>\n";
}

void podsSection(const RolloutRecord& r, const ReportInputs& in, std::string& o) {
  const std::vector<RolloutPodRow> rows = rolloutPodRows(r);
  std::vector<const RolloutPodRow*> all;
  for (const RolloutPodRow& row : rows) all.push_back(&row);
  o += "<section id=\"pods\"><h2>Pods</h2>\n";
  if (rows.empty()) {
    o += "<p class=\"note\">No pod was made.</p></section>\n";
    return;
  }
  std::size_t notable = 0;
  for (const RolloutPodRow& row : rows) notable += row.notable;
  const std::vector<const RolloutPodRow*> shown = pickPodRows(all, in.maxPodRows);
  if (shown.size() < rows.size()) {
    o += "<p class=\"note\">" +
         esc(std::to_string(rows.size()) + " pods: this table lists " + std::to_string(shown.size()) + " of them — " +
             (notable > 0 ? "first the " + std::to_string(std::min(notable, shown.size())) +
                                " that were never Ready, restarted or ended in another status, then "
                          : std::string()) +
             "the first made; the summary's counts cover them all.") +
         "</p>\n";
  }
  o += "<table class=\"pods\"><tr><th>Pod</th><th>ReplicaSet</th><th>Created</th><th>First Ready</th><th>Deleted</th>"
       "<th>Gone</th><th>Restarts</th><th>Last READY STATUS RESTARTS</th></tr>\n";
  for (const RolloutPodRow* row : shown) {
    const RolloutPod& p = *row->pod;
    std::string status;
    if (row->last) status = row->last->ready + " " + row->last->status + " " + row->last->restarts;
    o += "<tr><td>" + esc(p.name) + "</td><td>" + esc(p.replicaSet) + "</td><td>" + esc(formatRunTime(p.created)) +
         "</td><td>" + timeCell(row->firstReady) + "</td><td>" + timeCell(row->terminating, "") + "</td><td>" +
         timeCell(p.finished, "") + "</td><td class=\"num" + (row->restarts > 0 ? " bad" : "") + "\">" +
         std::to_string(row->restarts) + "</td><td><code>" + esc(status) + "</code></td></tr>\n";
  }
  o += "</table>\n<h3>Each pod</h3>\n";
  const std::vector<const RolloutPodRow*> told = pickPodRows(all, in.maxPodDetails);
  if (told.size() < rows.size()) {
    o += "<p class=\"note\">" +
         esc("The " + std::to_string(told.size()) + " pods below are told in full (" +
             (notable > 0 ? "those worth a look first, then the first made" : std::string("the first made")) +
             "); " + std::to_string(rows.size() - told.size()) +
             " more are left out, and each has its own record for podscope-cli report.") +
         "</p>\n";
  }
  for (const RolloutPodRow* row : told) {
    const RolloutPod& p = *row->pod;
    // Those worth a look open, so they show on paper too.
    o += std::string(row->notable ? "<details class=\"pod\" open>" : "<details class=\"pod\">") + "<summary><b>" +
         esc(p.name) + "</b> · " + esc(p.replicaSet) + " · created " +
         esc(formatRunTime(p.created)) +
         (row->last ? " · " + esc(row->last->status) + " " + esc(row->last->ready) : std::string()) + "</summary>\n";
    std::string note = "Times below count from the pod's creation, at " + formatRunTime(p.created) +
                       " on the rollout's axis.";
    if (row->terminating) {
      note += " It was deleted at " + formatRunTime(*row->terminating - p.created) +
              " of its own time; “at the end” under Not ready means then.";
    }
    o += "<p class=\"sub\">" + esc(note) + "</p>\n";
    html::whyList(explainRolloutPod(*row), "h4", o);
    o += "<pre class=\"events\">" + esc(formatEvents(p.record)) + "</pre></details>\n";
  }
  o += "</section>\n";
}

}  // namespace

std::string htmlReport(const RolloutRecord& r, const ReportInputs& in) {
  const RolloutSummary s = summarizeRollout(r);
  const std::string state(toString(s.state));
  std::string o = html::documentStart("deployment/" + r.deploymentName + ": " + state + " — Podscope report");
  o += html::pageHeader(
      "deployment/" + r.deploymentName, badgeClass(s.state), state,
      (r.deploymentNamespace.empty() ? std::string() : "namespace " + esc(r.deploymentNamespace) + " · ") +
          std::to_string(r.replicaSets().size()) + (r.replicaSets().size() == 1 ? " ReplicaSet" : " ReplicaSets") +
          " and " + std::to_string(r.pods().size()) + (r.pods().size() == 1 ? " pod" : " pods") + " on the " +
          esc(r.runtimeName) + " runtime · " + esc(formatRunTime(s.end)) + " recorded",
      {{"summary", "Summary"},
       {"why", "Why"},
       {"timeline", "Timeline"},
       {"status", "Rollout status"},
       {"events", "Events"},
       {"conditions", "Conditions"},
       {"pods", "Pods"},
       {"manifest", "Manifest"},
       {"environment", "Environment"}});
  summarySection(r, s, o);
  html::whySection(explainRollout(r), o);
  SvgOptions svg;
  svg.width = in.timelineWidth;
  html::timelineSection(timelineSvg(r, svg, false), o);
  statusSection(r, s, in.maxStatusLines, o);
  eventsSection(r, in, o);
  html::preSection("conditions", "Conditions", "conditions",
                   r.conditions().empty() ? std::string() : formatDeploymentConditions(r),
                   "The record holds no condition of the Deployment.", o);
  podsSection(r, in, o);
  html::manifestSection(in, o);
  std::size_t podEntries = 0;
  for (const RolloutPod& p : r.pods()) {
    const RunRecord& x = p.record;
    podEntries += x.transitions().size() + x.events().size() + x.statusLines().size() + x.attempts().size() +
                  x.conditions().size() + x.signalsSent().size();
  }
  html::environmentSection(
      {{"Runtime", r.runtimeName},
       {"Podscope", in.podscopeVersion.empty() ? std::string("unknown") : in.podscopeVersion},
       {"Record", "rollout record: " + std::to_string(r.replicaSets().size()) + " ReplicaSets, " +
                      std::to_string(r.replicaSetSamples().size()) + " ReplicaSet samples, " +
                      std::to_string(r.statusLines().size()) + " status lines, " +
                      std::to_string(r.conditions().size()) + " condition changes, " +
                      std::to_string(r.events().size()) + " events, " + std::to_string(r.pods().size()) +
                      " pods with " + std::to_string(podEntries) + " entries in their own records"}},
      o);
  o += html::kDocumentEnd;
  return o;
}

}  // namespace podscope::core
