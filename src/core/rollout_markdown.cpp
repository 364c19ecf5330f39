// A rollout summed up in Markdown (markdownReport for a RolloutRecord), for
// pasting into an issue; escaped as the pod's (report_markdown_parts.h).

#include "core/report_markdown_parts.h"
#include "core/rollout_report.h"

namespace podscope::core {

namespace {

using markdown::fenced;
using markdown::md;

/// Events past this many leave the replicaset-controller's per-pod ones out:
/// the summary stays short enough to paste.
constexpr std::size_t kMaxEvents = 60;

}  // namespace

std::string markdownReport(const RolloutRecord& r, const ReportInputs& in) {
  const RolloutSummary s = summarizeRollout(r);
  std::string o;
  o += "### deployment/" + md(r.deploymentName) + ": " + std::string(toString(s.state)) + "\n\n";
  o += "**Outcome:** " + (s.rolloutStatus.empty() ? std::string("no rollout status") : md(s.rolloutStatus)) + "\n\n";
  o += "**Record:** " + md(s.ending) + "; " + formatRunTime(s.end) +
       " recorded on the " + md(r.runtimeName) + " runtime";
  if (!in.manifestFile.empty()) o += ", from " + md(in.manifestFile);
  o += ".\n\n";
  if (!s.getDeployment.empty()) o += fenced(s.getDeployment + "\n" + s.getReplicaSets) + "\n";

  if (!s.revisions.empty()) {
    o += "| Revision | ReplicaSet | Change-cause | Images |\n|---|---|---|---|\n";
    for (const RolloutRevision& v : s.revisions) {
      const ReplicaSetRecord& rs = *v.replicaSet;
      std::string images;
      for (const std::string& i : v.images) images += (images.empty() ? "" : " ") + i;
      o += "| " + std::to_string(rs.revision) + " | " + md(rs.name, true) +
           (&rs == s.newReplicaSet ? " (new)" : "") + " | " +
           (rs.changeCause.empty() ? std::string("&lt;none&gt;") : md(rs.changeCause, true)) + " | " +
           md(images, true) + " |\n";
    }
    o += "\n";
  }
  if (s.newReplicaSet) {
    o += "| Since revision " + std::to_string(s.newReplicaSet->revision) + " began at " + formatRunTime(s.began) +
         " | At | After |\n|---|---|---|\n";
    for (const Milestone& m : s.milestones) {
      o += "| " + md(m.what, true) + " | " + (m.at ? formatRunTime(*m.at) : std::string("not in this run")) + " | " +
           (m.at ? formatRunTime(*m.at - s.began) : std::string()) + " |\n";
    }
    o += "\n";
  }
  o += "**Pods at once:** at most " + std::to_string(s.peakReplicas) + " (desired " + std::to_string(s.desired);
  if (s.maxSurge) {
    o += " + maxSurge " + std::to_string(*s.maxSurge) + " = " + std::to_string(s.desired + *s.maxSurge);
  }
  o += "), " + std::to_string(s.peakPods) + " with Terminating ones; at least " + std::to_string(s.lowestAvailable) +
       " available.\n\n";
  o += "**Restarts:** " +
       (s.restarts == 0 ? std::string("none")
                        : std::to_string(s.restarts) + " across " + std::to_string(s.podsRestarted) +
                              (s.podsRestarted == 1 ? " pod" : " pods")) +
       "\n";

  o += "\n#### Why\n\n" + markdown::whyList(explainRollout(r));
  const RolloutEventsTable events = boundedRolloutEvents(r, kMaxEvents);
  o += "\n#### Events\n\n";
  if (!events.note.empty()) o += md(events.note) + "\n\n";
  o += fenced(events.text);
  o += "\n<sub>Podscope" + (in.podscopeVersion.empty() ? std::string() : " " + md(in.podscopeVersion)) +
       " report from a " + md(r.runtimeName) + " rollout record.</sub>\n";
  return o;
}

}  // namespace podscope::core
