#pragma once
// Checks the report tests share: the inputs they report with, text lowered
// for case-blind searches, the inline SVG of an HTML report and what every
// HTML report keeps to, how often a string occurs, and what a Markdown text
// says outside its fenced blocks.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <cstddef>
#include <sstream>
#include <string>

#include "core/report_text.h"
#include "support/xml_check.h"

namespace podscope::testing {

/// What the HTML tests report with: the manifest and its file name (either
/// may be empty) and a fixed version.
inline core::ReportInputs reportInputs(std::string manifest = {}, std::string file = {}) {
  core::ReportInputs in;
  in.manifestText = std::move(manifest);
  in.manifestFile = std::move(file);
  in.podscopeVersion = "1.2.3-test";
  return in;
}

inline std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

/// The inline SVG of an HTML report, or "" when there is none.
inline std::string svgOf(const std::string& html) {
  const auto b = html.find("<svg ");
  const auto e = html.find("</svg>");
  if (b == std::string::npos || e == std::string::npos) return {};
  return html.substr(b, e + 6 - b);
}

/// How many times `what` occurs in `text`, without overlaps.
inline std::size_t occurrences(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (std::size_t p = text.find(what); p != std::string::npos; p = text.find(what, p + what.size())) ++n;
  return n;
}

/// What every HTML report keeps to: a document from its doctype to its
/// end, a policy and no script, nothing fetched, the print stylesheet, an
/// inline SVG that is well-formed, and every section, details and table
/// closed.
inline void expectSelfContainedHtml(const std::string& html) {
  using ::testing::HasSubstr;
  using ::testing::Not;
  EXPECT_THAT(html, ::testing::StartsWith("<!DOCTYPE html>\n<html lang=\"en\">"));
  EXPECT_THAT(html, HasSubstr("content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\""));
  EXPECT_THAT(html, HasSubstr("@media print"));
  EXPECT_THAT(lower(html), Not(HasSubstr("<script")));
  EXPECT_THAT(lower(html), Not(HasSubstr("src=")));
  EXPECT_THAT(lower(html), Not(HasSubstr("href=\"http")));
  EXPECT_THAT(lower(html), Not(HasSubstr("url(http")));
  EXPECT_THAT(lower(html), Not(HasSubstr("@import")));
  EXPECT_THAT(html, ::testing::EndsWith("</body>\n</html>\n"));
  EXPECT_EQ(xmlError(svgOf(html)), std::nullopt);
  EXPECT_EQ(occurrences(html, "<section "), occurrences(html, "</section>"));
  EXPECT_EQ(occurrences(html, "<details "), occurrences(html, "</details>"));
  EXPECT_EQ(occurrences(html, "<table"), occurrences(html, "</table>"));
}

/// The lines of `md` outside its fenced blocks; `closed` tells whether
/// every fence opened was closed again.
struct MarkdownProse {
  std::string text;
  bool closed = true;
};
inline MarkdownProse markdownProse(const std::string& md) {
  MarkdownProse out;
  bool inFence = false;
  std::string fence;
  std::istringstream lines(md);
  for (std::string line; std::getline(lines, line);) {
    if (!inFence && line.rfind("```", 0) == 0) {
      fence = line.substr(0, line.find_first_not_of('`'));
      inFence = true;
    } else if (inFence && line == fence) {
      inFence = false;
    } else if (!inFence) {
      out.text += line + "\n";
    }
  }
  out.closed = !inFence;
  return out;
}

}  // namespace podscope::testing
