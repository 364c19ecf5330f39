// A report laid out on pages: what the HTML becomes for Qt's rich text, and
// the layout's promises — nothing wider than the page, no heading alone at
// a page's foot, no short table row or list item cut in two, header rows on
// every page of a long table, drawings readable.

#include "render/paged_report.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <QAbstractTextDocumentLayout>
#include <QBuffer>
#include <QPdfWriter>
#include <QTextBlock>
#include <QTextDocument>
#include <QTextFrame>
#include <QTextTable>

#include <fstream>
#include <sstream>

#include "core/manifest_reader.h"
#include "core/report_html.h"
#include "engine/pod_worker.h"
#include "engine/runtime/simulated/simulated_runtime.h"
#include "engine/virtual_event_loop.h"
#include "render/pdf_writer.h"

namespace podscope::render {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

std::string exampleText(const std::string& name) {
  std::ifstream in(std::string(PODSCOPE_SOURCE_DIR) + "/examples/" + name, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

/// The HTML report of `example` run on the simulator for `minutes`.
std::string reportOf(const std::string& example, int minutes) {
  const std::string manifest = exampleText(example);
  auto pod = core::readPod(manifest, example);
  EXPECT_TRUE(pod) << pod.error().toString();
  engine::VirtualEventLoop loop;
  engine::SimulatedRuntime runtime(loop);
  engine::RunOptions options;
  options.runFor = std::chrono::minutes(minutes);
  const core::RunRecord record = engine::runPod(*pod, runtime, loop, options);
  core::ReportInputs inputs;
  inputs.manifestText = manifest;
  inputs.manifestFile = example;
  inputs.podscopeVersion = "test";
  inputs.timelineWidth = kPdfTimelineWidth;
  return core::htmlReport(record, inputs);
}

/// A PDF writer to lay out for, as writePdf does.
struct PdfDevice {
  QBuffer buffer;
  QPdfWriter writer{&buffer};
  PdfDevice() { buffer.open(QIODevice::WriteOnly); }
};

std::vector<QTextTable*> tables(const QTextDocument& doc) {
  std::vector<QTextTable*> found;
  for (QTextFrame* frame : doc.rootFrame()->childFrames()) {
    if (auto* table = qobject_cast<QTextTable*>(frame)) found.push_back(table);
  }
  return found;
}

/// Rows (by the text of their first cell) whose content starts on one page
/// and ends on another, leaving out rows taller than `longest`.
std::vector<std::string> splitRows(const PagedReport& report, double longest) {
  const QTextDocument& doc = report.document();
  const double page = report.bodySize().height();
  std::vector<std::string> split;
  for (QTextTable* table : tables(doc)) {
    for (int r = 0; r < table->rows(); ++r) {
      double top = 1e12;
      double bottom = 0;
      for (int c = 0; c < table->columns(); ++c) {
        const QTextTableCell cell = table->cellAt(r, c);
        top = std::min(top, doc.documentLayout()->blockBoundingRect(cell.firstCursorPosition().block()).top());
        bottom = std::max(bottom, doc.documentLayout()->blockBoundingRect(cell.lastCursorPosition().block()).bottom());
      }
      if (bottom - top > longest) continue;
      // (Qt keeps positions in 1/64 pixel steps: a row at a page's top may
      // lie a hair above it.)
      if (static_cast<int>((top + 0.5) / page) != static_cast<int>((bottom - 1) / page)) {
        split.push_back(table->cellAt(r, 0).firstCursorPosition().block().text().toStdString());
      }
    }
  }
  return split;
}

TEST(RichTextHtml, RewritesWhatQtDrawsBadly) {
  const QString html = richTextHtml(QStringLiteral(
      "<html><head><style>:root { --ink: #123456; } body { color: var(--ink); font-size: 14px; margin: 28px; }"
      "@media print { nav { display: none; } }</style></head><body>"
      "<nav><a href=\"#a\">A</a></nav><p class=\"note screen-only\">Hover</p>"
      "<figure><svg xmlns=\"http://www.w3.org/2000/svg\" width=\"10\" height=\"10\"></svg></figure>"
      "<ul class=\"why\"><li><time>1.000s</time>first</li><li><time>2.000s</time>second</li></ul>"
      "<ul><li>plain</li></ul>"
      "<dl class=\"env\"><dt>Runtime</dt><dd>simulated</dd></dl>"
      "<pre class=\"yaml\"><span class=\"line\"><span class=\"ln\">1</span>a: b</span><span class=\"line\">"
      "<span class=\"ln\">10</span>c: d</span></pre>"
      "<h1>pod/x<span class=\"badge o-Failed\">Failed</span></h1><table><tr><th>T</th></tr></table>"
      "</body></html>"));
  EXPECT_THAT(html.toStdString(), HasSubstr("<img src=\"podscope-svg:0\">"));
  EXPECT_THAT(html.toStdString(), Not(HasSubstr("<svg")));
  EXPECT_THAT(html.toStdString(), Not(HasSubstr("<nav")));
  EXPECT_THAT(html.toStdString(), Not(HasSubstr("Hover")));
  EXPECT_THAT(html.toStdString(), HasSubstr("color: #123456"));  // custom properties resolved
  EXPECT_THAT(html.toStdString(), Not(HasSubstr("@media")));
  EXPECT_THAT(html.toStdString(), HasSubstr("font-size: 9pt"));  // 14px at the print scale
  EXPECT_THAT(html.toStdString(), HasSubstr("margin: 24px"));    // 28px at the print scale
  EXPECT_THAT(html.toStdString(),
              HasSubstr("<td class=\"time\" align=\"right\" bgcolor=\"#fdfcfa\">2.000s</td><td>second</td>"));
  EXPECT_THAT(html.toStdString(), HasSubstr("<ul><li>plain</li></ul>"));  // no times: left a list
  EXPECT_THAT(html.toStdString(), HasSubstr(">Runtime</th><td>simulated</td>"));
  // Lines of highlighted code start lines, their numbers one width.
  EXPECT_THAT(html.toStdString(), HasSubstr("<span class=\"ln\"> 1  </span>a: b</span>\n<span class=\"line\">"));
  EXPECT_THAT(html.toStdString(), HasSubstr("&nbsp;Failed&nbsp;</span>"));
  EXPECT_THAT(html.toStdString(), HasSubstr("<th bgcolor="));
}

TEST(PagedReport, ALivenessReportFitsItsPagesAndKeepsHeadingsWithTheirText) {
  PdfDevice pdf;
  PageSetup setup;
  const PagedReport report(reportOf("liveness-exec.yaml", 2), setup, pdf.writer);
  EXPECT_GE(report.pageCount(), 3);
  EXPECT_LE(report.pageCount(), 6);
  EXPECT_EQ(report.unreadableDrawings(), 0);
  EXPECT_LE(report.contentWidth(), report.bodySize().width() + 1);
  // A4 at the writer's resolution, inside 17 mm side margins.
  EXPECT_NEAR(report.paperSize().width() / pdf.writer.resolution() * 25.4, 210, 0.5);
  EXPECT_NEAR(report.bodySize().width() / pdf.writer.resolution() * 25.4, 176, 0.5);

  std::vector<std::string> sections;
  for (const HeadingPlace& h : report.headings()) {
    EXPECT_TRUE(h.followed) << h.text.toStdString() << " is alone at the foot of page " << h.page + 1;
    if (h.level == 2) sections.push_back(h.text.trimmed().toStdString());
  }
  EXPECT_EQ(sections, (std::vector<std::string>{"Summary", "Why", "Timeline", "Events", "Probes and hooks", "Manifest",
                                                "Environment"}));
  EXPECT_EQ(report.headings().front().page, 0);
  EXPECT_EQ(splitRows(report, report.bodySize().height() / 4), std::vector<std::string>{});
}

TEST(PagedReport, AnHourLongRunKeepsRowsWholeAndRepeatsTheTableHeader) {
  PdfDevice pdf;
  const PagedReport report(reportOf("liveness-exec.yaml", 60), PageSetup{}, pdf.writer);
  EXPECT_GE(report.pageCount(), 10);
  EXPECT_LE(report.contentWidth(), report.bodySize().width() + 1);
  EXPECT_EQ(splitRows(report, report.bodySize().height() / 4), std::vector<std::string>{});
  for (const HeadingPlace& h : report.headings()) EXPECT_TRUE(h.followed) << h.text.toStdString();
  // The attempts span pages; their header row is repeated on each.
  QTextTable* attempts = nullptr;
  for (QTextTable* table : tables(report.document())) {
    if (table->cellAt(0, 1).firstCursorPosition().block().text() == QStringLiteral("Container") &&
        table->columns() == 9) {
      attempts = table;
    }
  }
  ASSERT_NE(attempts, nullptr);
  EXPECT_EQ(attempts->format().headerRowCount(), 1);
  EXPECT_GT(attempts->rows(), 100);
}

TEST(PagedReport, HeadingsNeverEndAPageWhereverTheyFall) {
  // Headings pushed down a line at a time past every position on a page.
  PdfDevice pdf;
  for (int lines = 40; lines < 90; lines += 3) {
    std::string html = "<html><body>";
    for (int i = 0; i < lines; ++i) html += "<p>line " + std::to_string(i) + "</p>";
    html += "<h2>Events</h2><pre>Type Reason\nNormal Scheduled\nNormal Pulled\n</pre>";
    html += "<h3>Attempts</h3><table><tr><th>Time</th><th>Result</th></tr>";
    for (int i = 0; i < 30; ++i) html += "<tr><td>" + std::to_string(i) + ".000s</td><td>success</td></tr>";
    html += "</table><h2>Manifest</h2><p>No manifest.</p></body></html>";
    const PagedReport report(html, PageSetup{}, pdf.writer);
    for (const HeadingPlace& h : report.headings()) {
      EXPECT_TRUE(h.followed) << h.text.toStdString() << " after " << lines << " lines, page " << h.page + 1;
    }
    EXPECT_EQ(splitRows(report, report.bodySize().height() / 4), std::vector<std::string>{}) << lines;
  }
}

TEST(PagedReport, WideCodeAndLongWordsStayOnThePage) {
  PdfDevice pdf;
  const std::string wide(150, 'x');
  const std::string word(400, 'y');
  const std::string html = "<html><body><pre>" + wide +
                           "\nshort</pre><table><tr><th>Handler</th><th>Output</th></tr>"
                           "<tr><td>exec</td><td><pre class=\"out\">" +
                           word + "</pre></td></tr></table></body></html>";
  const PagedReport report(html, PageSetup{}, pdf.writer);
  EXPECT_LE(report.contentWidth(), report.bodySize().width() + 1);
  // The wide code block is made smaller, but not below 6.2pt.
  const QTextBlock first = report.document().begin();
  ASSERT_EQ(first.text().toStdString(), wide);
  const double size = first.begin().fragment().charFormat().fontPointSize();
  EXPECT_LT(size, 8);
  EXPECT_GE(size, 6.2);
}

TEST(PagedReport, ADrawingQtCannotReadIsCountedAndTheRestLaidOut) {
  PdfDevice pdf;
  const PagedReport report("<html><body><h2>Timeline</h2><svg>not a drawing</svg><p>after</p></body></html>",
                           PageSetup{}, pdf.writer);
  EXPECT_EQ(report.unreadableDrawings(), 1);
  EXPECT_EQ(report.pageCount(), 1);
  EXPECT_THAT(report.document().toPlainText().toStdString(), HasSubstr("after"));
}

}  // namespace
}  // namespace podscope::render
