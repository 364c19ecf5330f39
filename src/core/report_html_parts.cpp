#include "core/report_html_parts.h"

#include <optional>

#include "core/diagnostic.h"
#include "core/manifest_reader.h"
#include "core/report_html.h"

namespace podscope::core::html {

namespace {

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
.o-Complete { background: #3CA55C; } .o-DeadlineExceeded { background: #D9453B; } .o-InProgress { background: #E8B03C; }
.o-Paused { background: #6A737D; }
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
td.bad { color: #D9453B; }
details.pod { margin: 4px 0; border: 1px solid var(--rule); border-radius: 4px; padding: 2px 10px; }
details.pod summary { cursor: pointer; padding: 3px 0; }
details.pod[open] summary { border-bottom: 1px solid var(--rule); margin-bottom: 4px; }
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
  details.pod { break-inside: avoid; page-break-inside: avoid; }
  figure.timeline { overflow: visible; border: none; }
  figure.timeline svg { width: 100%; height: auto; }
  a { color: inherit; text-decoration: none; }
  .badge { border: 1px solid #6A737D; color: #24292E; background: none; }
}
)";

}  // namespace

std::string documentStart(const std::string& title) {
  std::string o;
  o += "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n";
  // Nothing is fetched and nothing runs: the report is a document, not a page.
  o += "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\">\n";
  o += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n";
  o += "<title>" + esc(title) + "</title>\n";
  o += "<style>" + std::string(kStyle) + "</style>\n</head>\n<body>\n";
  return o;
}

std::string pageHeader(const std::string& heading, const std::string& badgeClass, const std::string& badge,
                       const std::string& subHtml, const std::vector<NavLink>& nav) {
  std::string o = "<header><h1>" + esc(heading) + "<span class=\"badge o-" + esc(badgeClass) + "\">" + esc(badge) +
                  "</span></h1>\n";
  o += "<p class=\"sub\">" + subHtml + "</p>\n<nav>";
  for (const NavLink& l : nav) o += "<a href=\"#" + esc(l.id) + "\">" + esc(l.text) + "</a>";
  o += "</nav></header>\n";
  return o;
}

std::string outputCell(const std::string& output, std::size_t maxBytes) {
  if (output.empty()) return "";
  Excerpt cut = excerpt(output, maxBytes);
  std::string o = "<pre class=\"out\">" + esc(cut.text) + "</pre>";
  if (cut.omittedBytes) {
    o += "<div class=\"note\">" + std::to_string(cut.omittedBytes) + " more bytes of output left out</div>";
  }
  return o;
}

void whyList(const std::vector<WhyFact>& why, std::string_view heading, std::string& o) {
  std::optional<WhyTopic> topic;
  for (const WhyFact& f : why) {
    if (topic != f.topic) {
      if (topic) o += "</ul>\n";
      topic = f.topic;
      o += "<" + std::string(heading) + ">" + esc(toString(f.topic)) + "</" + std::string(heading) +
           ">\n<ul class=\"why\">\n";
    }
    o += "<li><time>" + esc(formatRunTime(f.time)) + "</time>" + esc(f.text) + "</li>\n";
  }
  if (topic) o += "</ul>\n";
}

void whySection(const std::vector<WhyFact>& why, std::string& o) {
  o += "<section id=\"why\"><h2>Why</h2>\n";
  whyList(why, "h3", o);
  o += "</section>\n";
}

void timelineSection(const std::string& svg, std::string& o) {
  o += "<section id=\"timeline\"><h2>Timeline</h2>\n<figure class=\"timeline\">\n" + svg +
       "</figure>\n<p class=\"note screen-only\">Hover over a bar, dot or diamond for its details.</p></section>\n";
}

void preSection(std::string_view id, std::string_view heading, std::string_view preClass, const std::string& text,
                std::string_view note, std::string& o) {
  o += "<section id=\"" + esc(id) + "\"><h2>" + esc(heading) + "</h2>\n";
  if (text.empty()) {
    o += "<p class=\"note\">" + esc(note) + "</p></section>\n";
    return;
  }
  o += "<pre class=\"" + esc(preClass) + "\">" + esc(text) + "</pre></section>\n";
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

void environmentSection(const std::vector<std::pair<std::string, std::string>>& rows, std::string& o) {
  o += "<section id=\"environment\"><h2>Environment</h2>\n<dl class=\"env\">";
  for (const auto& [term, description] : rows) o += "<dt>" + esc(term) + "</dt><dd>" + esc(description) + "</dd>";
  o += "</dl></section>\n";
}

}  // namespace podscope::core::html
