// The HTML report of a rollout: every section, the pod report's skeleton
// (no scripts, nothing fetched), hostile text escaped, bounded for a
// thousand replicas; and the same names as the pod reports, so callers can
// std::visit either record.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <variant>

#include "core/report_html.h"
#include "core/report_markdown.h"
#include "core/report_svg.h"
#include "core/rollout_report.h"
#include "report_checks.h"
#include "report_records.h"
#include "rollout_records.h"
#include "support/xml_check.h"

namespace podscope::core {
namespace {

using ::testing::ContainsRegex;
using ::testing::HasSubstr;
using ::testing::Not;
using namespace std::chrono_literals;

using testing::occurrences;
using testing::svgOf;

using testing::reportInputs;

TEST(RolloutHtml, ACompletedRollingUpdateHasEverySection) {
  const std::string manifest = testing::readExample("rolling-update.yaml");
  const RolloutRecord r = testing::rollingUpdate(manifest);
  const std::string html = htmlReport(r, reportInputs(manifest, "examples/rolling-update.yaml"));
  testing::expectSelfContainedHtml(html);
  for (const char* id : {"summary", "why", "timeline", "status", "events", "conditions", "pods", "manifest", "environment"}) {
    EXPECT_THAT(html, HasSubstr("<section id=\"" + std::string(id) + "\">")) << id;
    EXPECT_THAT(html, HasSubstr("<a href=\"#" + std::string(id) + "\">")) << id;
  }
  const std::string old = r.replicaSets()[0].name;
  const std::string fresh = r.replicaSets()[1].name;
  EXPECT_THAT(html, HasSubstr("<h1>deployment/nginx<span class=\"badge o-Complete\">Complete</span></h1>"));
  // The summary: kubectl's words, its tables, the revisions, the durations and bounds.
  EXPECT_THAT(html, HasSubstr("<tr><th>Outcome</th><td><b>deployment &quot;nginx&quot; successfully rolled out</b>"));
  EXPECT_THAT(html, HasSubstr("<tr><th>Record</th><td>The Deployment was deleted at 24.000s</td></tr>"));
  EXPECT_THAT(html, HasSubstr("NAME   READY  UP-TO-DATE  AVAILABLE  AGE\nnginx  3/3    3           3          24s\n"));
  EXPECT_THAT(html, HasSubstr(fresh + "  3        3        3      18s\n"));
  EXPECT_THAT(html, HasSubstr("<td>" + old + "</td><td>nginx 1.18</td><td><code>nginx=nginx:1.18</code></td>"));
  EXPECT_THAT(html, HasSubstr("<td>" + fresh + " <small>(new)</small></td><td>nginx 1.20.1</td><td><code>nginx=nginx:1.20.1</code></td>"));
  EXPECT_THAT(html, HasSubstr("<tr><td>All 3 replicas of the new ReplicaSet available</td><td>24.000s</td><td>18.000s</td></tr>"));
  EXPECT_THAT(html, HasSubstr("<tr><td>Progressing True: NewReplicaSetAvailable</td><td>24.000s</td><td>18.000s</td></tr>"));
  EXPECT_THAT(html, HasSubstr("<td class=\"num\">4</td><td>desired 3 + maxSurge 1 = 4 (maxSurge from the new "
                              "ReplicaSet&#39;s max-replicas annotation)</td>"));
  EXPECT_THAT(html, HasSubstr("<tr><td>Fewest available</td><td class=\"num\">3</td>"));
  EXPECT_THAT(html, HasSubstr("<p>No container restarted.</p>"));
  // Why, rollout status, events with their object, conditions.
  EXPECT_THAT(html, HasSubstr("<h3>Rollout</h3>\n<ul class=\"why\">\n<li><time>24.000s</time>The rollout of revision 2"));
  EXPECT_THAT(html, HasSubstr("<pre class=\"status\">Waiting for deployment &quot;nginx&quot; rollout to finish: 1 out "
                              "of 3 new replicas have been updated...\n"));
  EXPECT_THAT(html, HasSubstr("deployment &quot;nginx&quot; successfully rolled out\n</pre>"));
  EXPECT_THAT(html, HasSubstr("Type    Reason             Age   From                   Object"));
  EXPECT_THAT(html, HasSubstr("replicaset/" + fresh + "  Created pod: " + fresh + "-"));
  EXPECT_THAT(html, HasSubstr("NewReplicaSetAvailable      ReplicaSet &quot;" + fresh + "&quot; has successfully progressed."));
  // The pods: a row each, and each told in full with its own Why and events.
  EXPECT_EQ(occurrences(html, "<tr><td>" + old + "-"), 3u);
  EXPECT_EQ(occurrences(html, "<tr><td>" + fresh + "-"), 3u);
  EXPECT_EQ(occurrences(html, "<details class=\"pod\">"), 6u);
  EXPECT_THAT(html, ContainsRegex("<tr><td>" + fresh + "-[a-z0-9]+</td><td>" + fresh +
                                  "</td><td>6\\.000s</td><td>12\\.000s</td><td>24\\.000s</td><td>24\\.000s</td>"
                                  "<td class=\"num\">0</td><td><code>0/1 Completed 0</code></td></tr>"));
  EXPECT_THAT(html, HasSubstr("<h4>Outcome</h4>"));
  EXPECT_THAT(html, HasSubstr("Normal   Scheduled"));
  // The manifest with its findings, and the environment.
  EXPECT_THAT(html, HasSubstr("<span class=\"k\">kind</span>: <span class=\"v\">Deployment</span>"));
  EXPECT_THAT(html, HasSubstr("<dt>Podscope</dt><dd>1.2.3-test</dd>"));
  EXPECT_THAT(html, HasSubstr("<dt>Record</dt><dd>rollout record: 2 ReplicaSets, "));
}

TEST(RolloutHtml, AStalledRolloutSaysWhyAndMarksTheDeadline) {
  const RolloutRecord r = testing::deadlineRollout();
  const std::string html = htmlReport(r, reportInputs());
  testing::expectSelfContainedHtml(html);
  EXPECT_THAT(html, HasSubstr("<span class=\"badge o-DeadlineExceeded\">ProgressDeadlineExceeded</span>"));
  EXPECT_THAT(html, HasSubstr("<b class=\"r-failure\">error: deployment &quot;web&quot; exceeded its progress deadline</b>"));
  EXPECT_THAT(html, HasSubstr("<tr><td>All 4 replicas of the new ReplicaSet available</td><td><span class=\"never\">not "
                              "in this run</span></td><td></td></tr>"));
  EXPECT_THAT(html, HasSubstr("<tr><td>Progressing False: ProgressDeadlineExceeded</td><td>34.000s</td><td>31.000s</td></tr>"));
  EXPECT_THAT(html, HasSubstr("<h3>Not ready</h3>"));
  EXPECT_THAT(html, HasSubstr("its last readiness probe failed at 30.000s (failure 31 in a row)"));
  EXPECT_THAT(html, HasSubstr("<td><span class=\"never\">never</span></td>"));  // the new pods' First Ready
  EXPECT_THAT(html, HasSubstr("Progress deadline exceeded at 34.000s"));
  // The pods worth a look are told open; the others closed.
  EXPECT_EQ(occurrences(html, "<details class=\"pod\" open>"), 2u);
  EXPECT_EQ(occurrences(html, "<details class=\"pod\">"), r.pods().size() - 2);
  EXPECT_THAT(html, HasSubstr("No manifest was given with the record"));
}

TEST(RolloutHtml, HostileTextIsEscapedEverywhere) {
  const std::string manifest = "# <script>alert(1)</script> ]]>\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n"
                               "  name: \"<script>\"\n";
  const std::string html = htmlReport(testing::hostileRollout(), reportInputs(manifest, "<script>.yaml"));
  testing::expectSelfContainedHtml(html);
  EXPECT_THAT(html, Not(HasSubstr("]]>")));
  EXPECT_THAT(html, HasSubstr("deployment/evil&lt;script&gt;alert(1)&lt;/script&gt;"));
  EXPECT_THAT(html, HasSubstr("pod&lt;script&gt;]]&gt;"));
  for (char c = 1; c < 0x20; ++c) {
    if (c != '\n' && c != '\t' && c != '\r') {
      EXPECT_EQ(html.find(c), std::string::npos) << int(c);
    }
  }
  EXPECT_THAT(html, HasSubstr("\xEF\xBF\xBD"));
  EXPECT_THAT(html, HasSubstr("␁␛[31m"));
}

TEST(RolloutHtml, AThousandReplicasGiveABoundedFile) {
  const RolloutRecord& r = testing::thousandReplicas();
  const std::string html = htmlReport(r, reportInputs());
  testing::expectSelfContainedHtml(html);
  EXPECT_LT(html.size(), 1'000'000u) << html.size();
  EXPECT_THAT(html, HasSubstr("2000 pods: this table lists 500 of them"));
  EXPECT_EQ(occurrences(html, "<details class=\"pod\""), ReportInputs{}.maxPodDetails);
  EXPECT_THAT(html, HasSubstr("more are left out, and each has its own record"));
  EXPECT_THAT(html, ContainsRegex("[0-9]+ events: the replicaset-controller&#39;s 3000 SuccessfulCreate and "
                                  "SuccessfulDelete events are left out, and so are [0-9]+ of the others"));
  EXPECT_THAT(html, ContainsRegex("[0-9]+ lines: the [0-9]+ from the middle are left out\\."));
  EXPECT_THAT(html, HasSubstr("desired 1000 + maxSurge 250 = 1250"));
}

TEST(RolloutHtml, AnEmptyRecordStillGivesAWholeReport) {
  RolloutRecord r;
  r.deploymentName = "idle";
  r.runtimeName = "simulated";
  const std::string html = htmlReport(r, reportInputs());
  testing::expectSelfContainedHtml(html);
  EXPECT_THAT(html, HasSubstr("<b>no rollout status</b>"));
  EXPECT_THAT(html, HasSubstr("The Deployment made no ReplicaSet in this record"));
  EXPECT_THAT(html, HasSubstr("The record holds no status of the Deployment."));
  EXPECT_THAT(html, HasSubstr("No pod was made."));
  EXPECT_EQ(testing::xmlError(timelineSvg(r)), std::nullopt);
  EXPECT_THAT(markdownReport(r), HasSubstr("**Outcome:** no rollout status\n"));
}

TEST(RolloutHtml, EitherRecordReportsUnderTheSameNames) {
  using AnyRecord = std::variant<RunRecord, RolloutRecord>;
  const std::vector<AnyRecord> records = {
      testing::simulate(testing::readExample("readiness-scenario.yaml"), testing::deleteAfter(70s)),
      testing::rollingUpdate(testing::readExample("rolling-update.yaml"))};
  std::vector<std::string> titles;
  for (const AnyRecord& record : records) {
    const std::string html = std::visit([](const auto& r) { return htmlReport(r); }, record);
    const std::string svg = std::visit([](const auto& r) { return timelineSvg(r, SvgOptions{}, true); }, record);
    const std::string md = std::visit([](const auto& r) { return markdownReport(r); }, record);
    EXPECT_EQ(testing::xmlError(svg), std::nullopt);
    EXPECT_THAT(md, ::testing::StartsWith("### "));
    titles.push_back(html.substr(html.find("<title>"), html.find("</title>") - html.find("<title>")));
  }
  EXPECT_EQ(titles, (std::vector<std::string>{"<title>pod/readiness-scenario: Deleted — Podscope report",
                                              "<title>deployment/nginx: Complete — Podscope report"}));
}

}  // namespace
}  // namespace podscope::core
