#include "core/report_html.h"

#include <algorithm>
#include <array>
#include <map>
#include <tuple>

#include "core/diagnostic.h"
#include "core/manifest_reader.h"
#include "core/report_explainer.h"
#include "core/report_palette.h"
#include "core/report_svg.h"
#include "core/run_record_json.h"

namespace podscope::core {

namespace {

std::string esc(std::string_view s) { return escapeXml(s); }

constexpr std::string_view kStyle = R"(
:root { --ink: #24292E; --muted: #6A737D; --rule: #D8DEE4; --paper: #F6F8FA; }
* { box-sizing: border-box; }
body { font-family: "DejaVu Sans", "Segoe UI", Helvetica, Arial, sans-serif; color: var(--ink); margin: 0 auto;
       max-width: 1180px; padding: 24px 28px 48px; line-height: 1.45; font-size: 14px; background: #FFFFFF; }
h1 { font-size: 22px; margin: 0 0 4px; }
h2 { font-size: 17px; margin: 28px 0 8px; padding-bottom: 4px; border-bottom: 1px solid var(--rule); }
h3 { font-size: 14px; margin: 16px 0 6px; }
.sub { color: var(--muted); margin: 0 0 12px; }
.badge { display: inline-block; padding: 1px 9px; border-radius: 10px; color: #FFFFFF; font-size: 13px;
         vertical-align: middle; margin-left: 6px; }
.o-Succeeded { background: #3B7DD8; } .o-Failed { background: #D9453B; } .o-Running { background: #3CA55C; }
.o-Stopped, .o-Deleted { background: #6A737D; }
nav { font-size: 13px; color: var(--muted); }
nav a { color: #1F6FEB; text-decoration: none; margin-right: 10px; }
pre, code { font-family: "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: 12.5px; }
pre { background: var(--paper); border: 1px solid var(--rule); border-radius: 4px; padding: 8px 10px;
      overflow-x: auto; margin: 6px 0; }
table { border-collapse: collapse; margin: 6px 0; font-size: 13px; }
th, td { text-align: left; vertical-align: top; padding: 3px 10px 3px 0; border-bottom: 1px solid #ECEFF2; }
th { color: var(--muted); font-weight: normal; border-bottom: 1px solid var(--rule); }
td.num { text-align: right; }
td pre.out { margin: 0; padding: 2px 6px; max-width: 560px; white-space: pre-wrap; word-break: break-all; }
.r-success { color: #2E8B4A; } .r-warning { color: #B07303; } .r-failure { color: #D9453B; font-weight: bold; }
.r-error { color: #8A929A; }
.never { color: var(--muted); }
ul.why { padding-left: 0; list-style: none; margin: 4px 0; display: grid; grid-template-columns: max-content auto;
         gap: 4px 14px; }
ul.why li { display: contents; }
ul.why time { color: var(--muted); font-variant-numeric: tabular-nums; text-align: right; }
.note { color: var(--muted); font-style: italic; margin: 4px 0; }
figure.timeline { margin: 6px 0; overflow-x: auto; border: 1px solid var(--rule); border-radius: 4px; }
figure.timeline svg { display: block; }
.findings li.error { color: #B3261E; } .findings li.warning { color: #8A5A00; }
pre.yaml .line { display: block; } pre.yaml .ln { color: #A0A5AB; display: inline-block; width: 3.2em;
      user-select: none; } pre.yaml .k { color: #0550AE; } pre.yaml .v { color: #0A3069; }
pre.yaml .c { color: #6A737D; font-style: italic; } pre.yaml .sep { color: #8250DF; font-weight: bold; }
dl.env { display: grid; grid-template-columns: max-content auto; gap: 2px 16px; margin: 6px 0; }
dl.env dt { color: var(--muted); } dl.env dd { margin: 0; }
@media print {
  body { max-width: none; padding: 0; font-size: 10.5pt; }
  nav { display: none; }
  h2 { break-after: avoid; page-break-after: avoid; }
  pre, table, figure, li { break-inside: avoid; page-break-inside: avoid; }
  pre { white-space: pre-wrap; overflow-wrap: anywhere; overflow: visible; font-size: 8pt; }
  .screen-only { display: none; }
  figure.timeline { overflow: visible; border: none; }
  figure.timeline svg { width: 100%; height: auto; }
  a { color: inherit; text-decoration: none; }
  .badge { border: 1px solid #6A737D; color: #24292E; background: none; }
}
)";

std::string resultClass(AttemptResult r) { return "r-" + std::string(toString(r)); }

/// A `<pre class="out">` with at most `maxBytes` of the output, and a note when cut.
std::string outputCell(const std::string& output, std::size_t maxBytes) {
  if (output.empty()) return "";
  Excerpt cut = excerpt(output, maxBytes);
  std::string html = "<pre class=\"out\">" + esc(cut.text) + "</pre>";
  if (cut.omittedBytes) {
    html += "<div class=\"note\">" + std::to_string(cut.omittedBytes) + " more bytes of output left out</div>";
  }
  return html;
}

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

void whySection(const std::vector<WhyFact>& why, std::string& o) {
  o += "<section id=\"why\"><h2>Why</h2>\n";
  std::optional<WhyTopic> topic;
  for (const WhyFact& f : why) {
    if (topic != f.topic) {
      if (topic) o += "</ul>\n";
      topic = f.topic;
      o += "<h3>" + esc(toString(f.topic)) + "</h3>\n<ul class=\"why\">\n";
    }
    o += "<li><time>" + esc(formatRunTime(f.time)) + "</time>" + esc(f.text) + "</li>\n";
  }
  if (topic) o += "</ul>\n";
  o += "</section>\n";
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
         "</code></td><td>" + outputCell(a->output, in.outputBytes) + "</td></tr>\n";
  }
  o += "</table></section>\n";
}

void manifestSection(const ReportInputs& in, std::string& o) {
  o += "<section id=\"manifest\"><h2>Manifest</h2>\n";
  if (in.manifestText.empty()) {
    o += "<p class=\"note\">No manifest was given with the record (podscope-cli report --manifest FILE adds it).</p>"
         "</section>\n";
    return;
  }
  const std::string file = in.manifestFile.empty() ? "manifest.yaml" : in.manifestFile;
  o += "<p class=\"sub\">" + esc(file) + "</p>\n";
  Manifest m = readManifest(in.manifestText, file);
  o += "<h3>Validation</h3>\n";
  if (m.diagnostics.empty()) {
    o += "<p>No findings: the manifest is valid.</p>\n";
  } else {
    o += "<ul class=\"findings\">\n";
    for (const Diagnostic& d : m.diagnostics) {
      o += "<li class=\"" + esc(toString(d.severity)) + "\"><code>" + esc(formatDiagnostic(d)) + "</code></li>\n";
    }
    o += "</ul>\n";
  }
  Excerpt text = excerpt(in.manifestText, in.maxManifestBytes);
  o += "<pre class=\"yaml\">" + highlightYaml(text.text) + "</pre>\n";
  if (text.omittedBytes) {
    o += "<p class=\"note\">The last " + std::to_string(text.omittedBytes) + " bytes of the manifest are left out.</p>\n";
  }
  o += "</section>\n";
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
  std::string o;
  o += "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n";
  // Nothing is fetched and nothing runs: the report is a document, not a page.
  o += "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\">\n";
  o += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n";
  o += "<title>" + esc("pod/" + r.podName + ": " + std::string(toString(r.outcome)) + " — Podscope report") + "</title>\n";
  o += "<style>" + std::string(kStyle) + "</style>\n</head>\n<body>\n";
  o += "<header><h1>pod/" + esc(r.podName) + "<span class=\"badge o-" + esc(toString(r.outcome)) + "\">" +
       esc(toString(r.outcome)) + "</span></h1>\n";
  o += "<p class=\"sub\">" + (r.podNamespace.empty() ? std::string() : "namespace " + esc(r.podNamespace) + " · ") +
       "ran on the " + esc(r.runtimeName) + " runtime · " + esc(formatRunTime(r.lastTime())) + " recorded</p>\n";
  o += "<nav><a href=\"#summary\">Summary</a><a href=\"#why\">Why</a><a href=\"#timeline\">Timeline</a>"
       "<a href=\"#events\">Events</a><a href=\"#probes\">Probes and hooks</a><a href=\"#manifest\">Manifest</a>"
       "<a href=\"#environment\">Environment</a></nav></header>\n";
  summarySection(r, why, o);
  whySection(why, o);
  SvgOptions svg;
  svg.width = in.timelineWidth;
  o += "<section id=\"timeline\"><h2>Timeline</h2>\n<figure class=\"timeline\">\n" + timelineSvg(r, svg, false) +
       "</figure>\n<p class=\"note screen-only\">Hover over a bar, dot or diamond for its details.</p></section>\n";
  o += "<section id=\"events\"><h2>Events</h2>\n<pre class=\"events\">" + esc(formatEvents(r)) + "</pre></section>\n";
  attemptsSection(r, in, o);
  manifestSection(in, o);
  o += "<section id=\"environment\"><h2>Environment</h2>\n<dl class=\"env\">";
  o += "<dt>Runtime</dt><dd>" + esc(r.runtimeName) + "</dd>";
  o += "<dt>Podscope</dt><dd>" + esc(in.podscopeVersion.empty() ? std::string("unknown") : in.podscopeVersion) + "</dd>";
  o += "<dt>Record</dt><dd>" + esc(kRunRecordFormat) + " version " + std::to_string(kRunRecordVersion) + ": " +
       std::to_string(r.transitions().size()) + " transitions, " + std::to_string(r.events().size()) + " events, " +
       std::to_string(r.attempts().size()) + " attempts, " + std::to_string(r.conditions().size()) +
       " condition changes, " + std::to_string(r.signalsSent().size()) + " signals</dd>";
  o += "</dl></section>\n</body>\n</html>\n";
  return o;
}

}  // namespace podscope::core
