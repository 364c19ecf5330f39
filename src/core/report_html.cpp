#include "core/report_html.h"

#include <algorithm>
#include <array>
#include <map>
#include <tuple>

#include "core/report_explainer.h"
#include "core/report_html_parts.h"
#include "core/report_palette.h"
#include "core/report_svg.h"
#include "core/run_record_json.h"

namespace podscope::core {

namespace {

using html::esc;

std::string resultClass(AttemptResult r) { return "r-" + std::string(toString(r)); }

bool isHook(AttemptKind k) { return k == AttemptKind::PostStartHook || k == AttemptKind::PreStopHook; }

void summarySection(const RunRecord& r, const std::vector<WhyFact>& why, std::string& o) {
  o += "<section id=\"summary\"><h2>Summary</h2>\n<table class=\"outcome\">";
  o += "<tr><th>Outcome</th><td><b>" + esc(toString(r.outcome)) + "</b>" +
       (r.outcomeMessage.empty() ? "" : " — " + esc(r.outcomeMessage)) + "</td></tr>";
  o += "<tr><th>Ended</th><td>" + esc(formatRunTime(r.lastTime())) + " after the pod was created</td></tr>";
  o += "<tr><th>Runtime</th><td>" + esc(r.runtimeName) + "</td></tr></table>\n";
  const std::string get = formatGetPodLine(r);
  if (!get.empty()) o += "<h3>kubectl get pod</h3>\n<pre class=\"get\">" + esc(get) + "</pre>\n";
  o += "<h3>Durations since creation</h3>\n<table class=\"milestones\"><tr><th>Milestone</th><th>At</th></tr>";
  for (const Milestone& m : runMilestones(r)) {
    o += "<tr><td>" + esc(m.what) + "</td><td>" +
         (m.at ? esc(formatRunTime(*m.at)) : std::string("<span class=\"never\">not in this run</span>")) + "</td></tr>";
  }
  o += "</table>\n<h3>Restarts</h3>\n<table class=\"restarts\"><tr><th>Container</th><th>Restarts</th><th>Why</th></tr>";
  for (const RestartCount& c : restartCounts(r)) {
    std::string reasons;
    for (const WhyFact& f : why) {
      if (f.topic == WhyTopic::Restart && f.subject == c.container.name) reasons += "<div>" + esc(f.text) + "</div>";
    }
    o += "<tr><td>" + esc(c.container.name) +
         (c.container.kind == SubjectKind::InitContainer ? (c.container.sidecar ? " <small>(sidecar)</small>" : " <small>(init)</small>") : "") +
         "</td><td class=\"num\">" + std::to_string(c.restarts) + "</td><td>" + reasons + "</td></tr>";
  }
  o += "</table></section>\n";
}

void attemptsSection(const RunRecord& r, const ReportInputs& in, std::string& o) {
  o += "<section id=\"probes\"><h2>Probes and hooks</h2>\n";
  if (r.attempts().empty()) {
    o += "<p class=\"note\">No probe ran and no hook was run.</p></section>\n";
    return;
  }
  // Counts per container and kind: always whole, however long the run.
  std::map<std::tuple<int, std::string, int>, std::array<int, 4>> counts;
  for (const HandlerAttempt& a : r.attempts()) {
    ++counts[{static_cast<int>(a.containerKind), a.container, static_cast<int>(a.kind)}][static_cast<std::size_t>(a.result)];
  }
  o += "<table class=\"counts\"><tr><th>Container</th><th>Kind</th><th>Attempts</th><th>success</th><th>warning</th>"
       "<th>failure</th><th>error</th></tr>";
  for (const auto& [key, n] : counts) {
    o += "<tr><td>" + esc(std::get<1>(key)) + "</td><td>" + esc(toString(static_cast<AttemptKind>(std::get<2>(key)))) +
         "</td><td class=\"num\">" + std::to_string(n[0] + n[1] + n[2] + n[3]) + "</td>";
    for (int v : n) o += "<td class=\"num\">" + std::to_string(v) + "</td>";
    o += "</tr>";
  }
  o += "</table>\n";

  // The rows: every attempt when they fit, else those that say something
  // (failures, warnings, errors, thresholds, hooks), first and last.
  std::vector<const HandlerAttempt*> rows;
  for (const HandlerAttempt& a : r.attempts()) rows.push_back(&a);
  std::stable_sort(rows.begin(), rows.end(), [](const HandlerAttempt* a, const HandlerAttempt* b) { return a->start < b->start; });
  std::string note;
  if (rows.size() > in.maxAttemptRows) {
    const std::size_t all = rows.size();
    std::erase_if(rows, [](const HandlerAttempt* a) {
      return a->result == AttemptResult::Success && !a->published && !isHook(a->kind);
    });
    note = std::to_string(all) + " attempts: the " + std::to_string(all - rows.size()) +
           " plain successes are left out of this table (the counts above have them)";
    if (rows.size() > in.maxAttemptRows) {
      const std::size_t half = in.maxAttemptRows / 2;
      const std::size_t dropped = rows.size() - 2 * half;
      rows.erase(rows.begin() + static_cast<std::ptrdiff_t>(half), rows.end() - static_cast<std::ptrdiff_t>(half));
      note += ", and so are " + std::to_string(dropped) + " attempts from the middle of the run";
    }
    note += ".";
  }
  o += "<h3>Attempts</h3>\n";
  if (!note.empty()) o += "<p class=\"note\">" + esc(note) + "</p>\n";
  o += "<table class=\"attempts\"><tr><th>Time</th><th>Container</th><th>Kind</th><th>Result</th><th>Took</th>"
       "<th>Restart</th><th>In a row</th><th>Handler</th><th>Output</th></tr>\n";
  for (const HandlerAttempt* a : rows) {
    o += "<tr><td>" + esc(formatRunTime(a->start)) + "</td><td>" + esc(a->container) + "</td><td>" + esc(toString(a->kind)) +
         "</td><td class=\"" + resultClass(a->result) + "\">" + esc(toString(a->result)) +
         (a->published ? " <small>(threshold)</small>" : "") + "</td><td>" + esc(formatRunTime(a->duration)) +
         "</td><td class=\"num\">" + std::to_string(a->restartCount) + "</td><td class=\"num\">" +
         (isHook(a->kind) ? std::string() : std::to_string(a->consecutive)) + "</td><td><code>" + esc(a->handler.str()) +
         "</code></td><td>" + html::outputCell(a->output, in.outputBytes) + "</td></tr>\n";
  }
  o += "</table></section>\n";
}

/// Where a comment starts on a YAML line: a `#` at the start or after
/// blank space, outside quotes.
std::size_t commentStart(std::string_view line) {
  char quote = 0;
  for (std::size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (quote) {
      if (c == quote) quote = 0;
    } else if (c == '"' || c == '\'') {
      if (i == 0 || line[i - 1] == ' ' || line[i - 1] == ':' || line[i - 1] == '-' || line[i - 1] == '[' ||
          line[i - 1] == '{' || line[i - 1] == ',') {
        quote = c;
      }
    } else if (c == '#' && (i == 0 || line[i - 1] == ' ' || line[i - 1] == '\t')) {
      return i;
    }
  }
  return std::string_view::npos;
}

}  // namespace

std::string highlightYaml(std::string_view text) {
  std::string o;
  std::size_t lineNo = 0;
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(pos, end - pos);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    pos = end + 1;
    o += "<span class=\"line\"><span class=\"ln\">" + std::to_string(++lineNo) + "</span>";
    std::string_view comment;
    if (const std::size_t c = commentStart(line); c != std::string_view::npos) {
      comment = line.substr(c);
      line = line.substr(0, c);
    }
    if (line == "---" || line == "..." || line.substr(0, 4) == "--- ") {
      o += "<span class=\"sep\">" + esc(line) + "</span>";
    } else {
      // indent, "- " markers, then `key:` and the value.
      std::size_t i = 0;
      for (;;) {
        while (i < line.size() && line[i] == ' ') ++i;
        if (i < line.size() && line[i] == '-' && (i + 1 == line.size() || line[i + 1] == ' ')) {
          ++i;
          continue;
        }
        break;
      }
      o += esc(line.substr(0, i));
      std::string_view rest = line.substr(i);
      std::size_t colon = std::string_view::npos;
      if (!rest.empty() && rest[0] != '"' && rest[0] != '\'' && rest[0] != '{' && rest[0] != '[') {
        for (std::size_t k = 0; k < rest.size(); ++k) {
          if (rest[k] == ':' && (k + 1 == rest.size() || rest[k + 1] == ' ')) {
            colon = k;
            break;
          }
        }
      }
      if (colon != std::string_view::npos) {
        o += "<span class=\"k\">" + esc(rest.substr(0, colon)) + "</span>:";
        rest = rest.substr(colon + 1);
        const std::size_t lead = rest.find_first_not_of(' ');
        if (lead == std::string_view::npos) {
          o += esc(rest);
        } else {
          o += esc(rest.substr(0, lead)) + "<span class=\"v\">" + esc(rest.substr(lead)) + "</span>";
        }
      } else if (!rest.empty()) {
        o += "<span class=\"v\">" + esc(rest) + "</span>";
      }
    }
    if (!comment.empty()) o += "<span class=\"c\">" + esc(comment) + "</span>";
    o += "</span>";
  }
  return o;
}

std::string htmlReport(const RunRecord& r, const ReportInputs& in) {
  const std::vector<WhyFact> why = explainRun(r);
  std::string o = html::documentStart("pod/" + r.podName + ": " + std::string(toString(r.outcome)) + " — Podscope report");
  o += html::pageHeader("pod/" + r.podName, std::string(toString(r.outcome)), std::string(toString(r.outcome)),
                        (r.podNamespace.empty() ? std::string() : "namespace " + esc(r.podNamespace) + " · ") +
                            "ran on the " + esc(r.runtimeName) + " runtime · " + esc(formatRunTime(r.lastTime())) +
                            " recorded",
                        {{"summary", "Summary"},
                         {"why", "Why"},
                         {"timeline", "Timeline"},
                         {"events", "Events"},
                         {"probes", "Probes and hooks"},
                         {"manifest", "Manifest"},
                         {"environment", "Environment"}});
  summarySection(r, why, o);
  html::whySection(why, o);
  SvgOptions svg;
  svg.width = in.timelineWidth;
  html::timelineSection(timelineSvg(r, svg, false), o);
  html::preSection("events", "Events", "events", formatEvents(r), "", o);
  attemptsSection(r, in, o);
  html::manifestSection(in, o);
  html::environmentSection(
      {{"Runtime", r.runtimeName},
       {"Podscope", in.podscopeVersion.empty() ? std::string("unknown") : in.podscopeVersion},
       {"Record", std::string(kRunRecordFormat) + " version " + std::to_string(kRunRecordVersion) + ": " +
                      std::to_string(r.transitions().size()) + " transitions, " + std::to_string(r.events().size()) +
                      " events, " + std::to_string(r.attempts().size()) + " attempts, " +
                      std::to_string(r.conditions().size()) + " condition changes, " +
                      std::to_string(r.signalsSent().size()) + " signals"}},
      o);
  o += html::kDocumentEnd;
  return o;
}

}  // namespace podscope::core
