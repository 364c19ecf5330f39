// The HTML report: every section, no scripts and nothing fetched, hostile
// text escaped, long outputs and long runs cut with a note.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "core/report_html.h"
#include "report_checks.h"
#include "report_records.h"
#include "support/xml_check.h"

namespace podscope::core {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using namespace std::chrono_literals;

using testing::lower;
using testing::svgOf;

using testing::reportInputs;

TEST(ReportHtml, HasEverySectionAndNoScriptOrNetwork) {
  const std::string manifest = testing::readExample("readiness-scenario.yaml");
  const RunRecord r = testing::simulate(manifest, testing::deleteAfter(70s));
  const std::string html = htmlReport(r, reportInputs(manifest, "examples/readiness-scenario.yaml"));
  testing::expectSelfContainedHtml(html);
  for (const char* id : {"summary", "why", "timeline", "events", "probes", "manifest", "environment"}) {
    EXPECT_THAT(html, HasSubstr("<section id=\"" + std::string(id) + "\">")) << id;
  }
  EXPECT_EQ(std::count(html.begin(), html.end(), '\n') > 0, true);

  // The summary: outcome, kubectl get, durations, restarts.
  EXPECT_THAT(html, HasSubstr("<b>Deleted</b> — deleted; pod phase Succeeded"));
  EXPECT_THAT(html, HasSubstr("NAME                 READY   STATUS      RESTARTS      AGE\n"
                              "readiness-scenario   0/1     Completed   1 (10s ago)   75s\n"));
  EXPECT_THAT(html, HasSubstr("<tr><td>Ready</td><td>15.000s</td></tr>"));
  EXPECT_THAT(html, HasSubstr("<tr><td>web Started</td><td>0.000s</td></tr>"));
  EXPECT_THAT(html, HasSubstr("Restart 1 of container web at 65.000s: its liveness probe failed 3 times in a row"));
  // The events as kubectl describe lays them out.
  EXPECT_THAT(html, HasSubstr("Type     Reason     Age                From               Message\n"
                              "----     ------     ----               ----               -------\n"));
  // The attempts, with outputs, and the counts.
  EXPECT_THAT(html, HasSubstr("<pre class=\"out\">HTTP probe failed with statuscode: 503</pre>"));
  EXPECT_THAT(html, HasSubstr("<td>preStop</td>"));
  // The manifest, highlighted, and its findings.
  EXPECT_THAT(html, HasSubstr("<span class=\"k\">kind</span>: <span class=\"v\">Pod</span>"));
  EXPECT_THAT(html, HasSubstr("<span class=\"c\"># A web server whose behaviour comes from a simulation scenario"));
  EXPECT_THAT(html, HasSubstr("<li class=\"info\"><code>examples/readiness-scenario.yaml:24:5: info: container "
                              "&quot;web&quot;: the readiness probe runs from the moment the container starts"));
  // The environment.
  EXPECT_THAT(html, HasSubstr("<dt>Podscope</dt><dd>1.2.3-test</dd>"));
  EXPECT_THAT(html, HasSubstr("<dt>Runtime</dt><dd>simulated</dd>"));
}

TEST(ReportHtml, HostileTextIsEscapedEverywhere) {
  const std::string manifest = "# <script>alert(1)</script> ]]>\napiVersion: v1\nkind: Pod\nmetadata:\n  name: \"<script>\"\n"
                               "spec:\n  containers:\n  - name: app\n    image: x\n    command: [\"]]>\", \"<script>\"]\n";
  const std::string html = htmlReport(testing::hostileRecord(), reportInputs(manifest, "<script>.yaml"));
  EXPECT_THAT(lower(html), Not(HasSubstr("<script")));
  EXPECT_THAT(html, Not(HasSubstr("]]>")));
  EXPECT_THAT(html, HasSubstr("&lt;script&gt;alert(1)&lt;/script&gt;"));
  EXPECT_EQ(testing::xmlError(svgOf(html)), std::nullopt);
  for (char c = 1; c < 0x20; ++c) {
    if (c != '\n' && c != '\t' && c != '\r') {
      EXPECT_EQ(html.find(c), std::string::npos) << int(c);
    }
  }
  // The manifest's own findings name the bad name, escaped.
  EXPECT_THAT(html, HasSubstr("class=\"findings\""));
}

TEST(ReportHtml, LongOutputsAreCutWithANote) {
  testing::RecordBuilder b("p");
  b.phase(0, "", "Running").state(0, "app", "", "Running", "Started");
  b.attempt(1, 0.1, "app", AttemptKind::LivenessProbe, AttemptResult::Failure, std::string(10000, 'x') + "END", 1);
  b.end(2, RunOutcome::Stopped);
  ReportInputs in = reportInputs();
  in.outputBytes = 500;
  const std::string html = htmlReport(b.build(), in);
  EXPECT_THAT(html, HasSubstr("9503 more bytes of output left out"));
  EXPECT_THAT(html, Not(HasSubstr("END")));
  EXPECT_THAT(html, HasSubstr("No manifest was given with the record"));
}

TEST(ReportHtml, ADayLongRunIsBounded) {
  const RunRecord r = testing::simulate(testing::kDayLongPod, testing::watchFor(24h));
  ASSERT_GT(r.attempts().size(), 90000u);
  const std::string html = htmlReport(r, reportInputs(testing::kDayLongPod, "day-long.yaml"));
  EXPECT_LT(html.size(), 2'000'000u);
  EXPECT_THAT(html, HasSubstr("plain successes are left out of this table (the counts above have them)"));
  EXPECT_EQ(testing::xmlError(svgOf(html)), std::nullopt);
}

TEST(ReportHtml, HighlightsYamlKeysValuesAndComments) {
  EXPECT_EQ(highlightYaml("a: 1 # one\n- b: \"x # y\"\n---\n  - plain\n"),
            "<span class=\"line\"><span class=\"ln\">1</span><span class=\"k\">a</span>: <span class=\"v\">1 </span>"
            "<span class=\"c\"># one</span></span>"
            "<span class=\"line\"><span class=\"ln\">2</span>- <span class=\"k\">b</span>: <span class=\"v\">&quot;x # "
            "y&quot;</span></span>"
            "<span class=\"line\"><span class=\"ln\">3</span><span class=\"sep\">---</span></span>"
            "<span class=\"line\"><span class=\"ln\">4</span>  - <span class=\"v\">plain</span></span>");
}

}  // namespace
}  // namespace podscope::core
