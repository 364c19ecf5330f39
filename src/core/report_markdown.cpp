#include "core/report_markdown.h"

#include "core/report_explainer.h"
#include "core/report_markdown_parts.h"

namespace podscope::core {

using markdown::fenced;
using markdown::md;

std::string markdownReport(const RunRecord& r, const ReportInputs& in) {
  std::string o;
  o += "### pod/" + md(r.podName) + ": " + std::string(toString(r.outcome)) + "\n\n";
  o += "**Outcome:** " + std::string(toString(r.outcome));
  if (!r.outcomeMessage.empty()) o += " (" + md(r.outcomeMessage) + ")";
  o += " at " + formatRunTime(r.lastTime()) + " on the " + md(r.runtimeName) + " runtime";
  if (!in.manifestFile.empty()) o += ", from " + md(in.manifestFile);
  o += ".\n\n";
  const std::string get = formatGetPodLine(r);
  if (!get.empty()) o += fenced(get) + "\n";

  o += "| Milestone | Since creation |\n|---|---|\n";
  for (const Milestone& m : runMilestones(r)) {
    o += "| " + md(m.what, true) + " | " + (m.at ? formatRunTime(*m.at) : std::string("not in this run")) + " |\n";
  }
  std::string restarts;
  for (const RestartCount& c : restartCounts(r)) {
    if (c.restarts == 0) continue;
    restarts += (restarts.empty() ? "" : ", ") + md(c.container.name) + " " + std::to_string(c.restarts);
  }
  o += "\n**Restarts:** " + (restarts.empty() ? std::string("none") : restarts) + "\n";

  o += "\n#### Why\n\n" + markdown::whyList(explainRun(r));
  o += "\n#### Events\n\n" + fenced(formatEvents(r));
  o += "\n<sub>Podscope" + (in.podscopeVersion.empty() ? std::string() : " " + md(in.podscopeVersion)) +
       " report from a " + md(r.runtimeName) + " run record.</sub>\n";
  return o;
}

}  // namespace podscope::core
