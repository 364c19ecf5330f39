#include "core/report_markdown.h"

#include <algorithm>
#include <optional>

#include "core/report_explainer.h"

namespace podscope::core {

namespace {

/// Text that Markdown shows as written: HTML and emphasis characters
/// neutralised, line breaks and control characters made visible in place.
std::string md(std::string_view text, bool tableCell = false) {
  std::string o;
  o.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '<': o += "&lt;"; break;
      case '>': o += "&gt;"; break;
      case '&': o += "&amp;"; break;
      case '*':
      case '_':
      case '`':
      case '[':
      case ']':
      case '\\': o += '\\'; o += c; break;
      case '|': o += tableCell ? "\\|" : "|"; break;
      case '\n': o += ' '; break;
      default:
        if (static_cast<unsigned char>(c) < 0x20 && c != '\t') {
          // U+2400 + c: the control picture, as the HTML report shows it.
          o += "\xE2\x90";
          o += static_cast<char>(0x80 + c);
        } else {
          o += c;
        }
    }
  }
  return o;
}

/// A fenced block that the text cannot close: its fence is longer than any
/// run of backticks inside.
std::string fenced(std::string_view text, std::string_view info = "text") {
  std::size_t longest = 0;
  std::size_t run = 0;
  for (char c : text) {
    run = c == '`' ? run + 1 : 0;
    longest = std::max(longest, run);
  }
  const std::string fence(std::max<std::size_t>(3, longest + 1), '`');
  // Code is shown as written, but terminal escapes and other control
  // characters are made visible rather than pasted.
  std::string body;
  for (char c : text) {
    if (static_cast<unsigned char>(c) < 0x20 && c != '\n' && c != '\t') {
      body += "\xE2\x90";
      body += static_cast<char>(0x80 + c);
    } else {
      body += c;
    }
  }
  if (!body.empty() && body.back() != '\n') body += '\n';
  return fence + std::string(info) + "\n" + body + fence + "\n";
}

}  // namespace

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

  o += "\n#### Why\n\n";
  std::optional<WhyTopic> topic;
  bool first = true;
  for (const WhyFact& f : explainRun(r)) {
    if (topic != f.topic) {
      topic = f.topic;
      o += std::string(first ? "" : "\n") + "*" + std::string(toString(f.topic)) + "*\n\n";
      first = false;
    }
    o += "- `" + formatRunTime(f.time) + "` " + md(f.text) + "\n";
  }
  o += "\n#### Events\n\n" + fenced(formatEvents(r));
  o += "\n<sub>Podscope" + (in.podscopeVersion.empty() ? std::string() : " " + md(in.podscopeVersion)) +
       " report from a " + md(r.runtimeName) + " run record.</sub>\n";
  return o;
}

}  // namespace podscope::core
