#pragma once
// What the HTML reports share — the pod's (report_html.cpp) and the
// rollout's (rollout_html.cpp): one stylesheet (screen and print), the
// document's head with its Content-Security-Policy, the page header with
// its badge and navigation, and the sections both have: Why, the timeline
// figure, a preformatted table, the manifest with its findings and the
// environment. Everything taken from a record or a manifest is escaped here
// or by the caller, as each function says. Internal to the reports.
// Thread contract: free functions without shared state; safe from any thread.

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/report_explainer.h"
#include "core/report_text.h"

namespace podscope::core::html {

/// `text` escaped for element content and quoted attributes.
inline std::string esc(std::string_view text) { return escapeXml(text); }

/// From the doctype to the opening <body>: the charset, a policy that
/// fetches and runs nothing, the <title> (`title` escaped here) and the
/// stylesheet.
std::string documentStart(const std::string& title);

/// A link of the page's navigation: the section's id and its heading.
struct NavLink {
  std::string_view id;
  std::string_view text;
};

/// The page's <header>: `heading` as the <h1> (escaped here) with a badge
/// reading `badge` in the colour of CSS class `o-<badgeClass>`, the `subHtml`
/// line under it (HTML, escaped by the caller) and the navigation.
std::string pageHeader(const std::string& heading, const std::string& badgeClass, const std::string& badge,
                       const std::string& subHtml, const std::vector<NavLink>& nav);

/// A `<pre class="out">` with at most `maxBytes` of `output`, and a note
/// when it was cut; empty for an empty output.
std::string outputCell(const std::string& output, std::size_t maxBytes);

/// The facts under a heading per topic (`heading`: "h3", "h4"), each with its time.
void whyList(const std::vector<WhyFact>& facts, std::string_view heading, std::string& o);

/// `<section id="why">`: whyList with h3 headings.
void whySection(const std::vector<WhyFact>& facts, std::string& o);

/// `<section id="timeline">`: the inline SVG in a figure, and a hint to hover.
void timelineSection(const std::string& svg, std::string& o);

/// A section holding one preformatted text (a kubectl table), escaped here;
/// `note` (escaped here) is shown instead when the text is empty.
void preSection(std::string_view id, std::string_view heading, std::string_view preClass, const std::string& text,
                std::string_view note, std::string& o);

/// `<section id="manifest">`: the manifest's file name, its validation
/// findings as `podscope-cli validate` reports them, and the YAML
/// highlighted (bounded by inputs.maxManifestBytes), or a note saying how
/// to add it.
void manifestSection(const ReportInputs& inputs, std::string& o);

/// `<section id="environment">`: term and description pairs, both escaped here.
void environmentSection(const std::vector<std::pair<std::string, std::string>>& rows, std::string& o);

/// The last part of the page.
inline constexpr std::string_view kDocumentEnd = "</body>\n</html>\n";

}  // namespace podscope::core::html
