// The timeline as SVG: well-formed, in the app's visual language, safe with
// hostile text and bounded for long runs.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "core/report_palette.h"
#include "core/report_explainer.h"
#include "core/report_svg.h"
#include "core/report_text.h"
#include "report_checks.h"
#include "report_records.h"
#include "support/xml_check.h"

namespace podscope::core {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using namespace std::chrono_literals;

using testing::occurrences;

TEST(ReportSvg, ExamplesAreWellFormedAndDrawEveryLane) {
  struct Run {
    const char* example;
    engine::RunOptions options;
  };
  for (const Run& run : {Run{"crash-loop.yaml", testing::watchFor(3min)},
                         Run{"readiness-scenario.yaml", testing::deleteAfter(70s)},
                         Run{"graceful-shutdown.yaml", testing::deleteAfter(20s)},
                         Run{"init-containers.yaml", testing::watchFor(1min)}}) {
    SCOPED_TRACE(run.example);
    const RunRecord r = testing::simulate(testing::readExample(run.example), run.options);
    const std::string svg = timelineSvg(r);
    EXPECT_EQ(testing::xmlError(svg), std::nullopt);
    EXPECT_THAT(svg, ::testing::StartsWith("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg "));
    // The pod lane and its condition bands, and the legend.
    for (const char* text : {">Initialized<", ">ContainersReady<", ">Ready<", "seconds since creation", ">Waiting<",
                             ">SIGKILL<", ">threshold<", ">restart<"}) {
      EXPECT_THAT(svg, HasSubstr(text));
    }
    EXPECT_THAT(svg, HasSubstr(r.podName));
  }
}

TEST(ReportSvg, DrawsStatesProbesSignalsAndRestartsInTheAppsColours) {
  const RunRecord r = testing::simulate(testing::readExample("readiness-scenario.yaml"), testing::deleteAfter(70s));
  const std::string svg = timelineSvg(r);
  EXPECT_THAT(svg, HasSubstr(">livenessProbe<"));
  EXPECT_THAT(svg, HasSubstr(">readinessProbe<"));
  EXPECT_THAT(svg, HasSubstr(">lifecycle<"));  // the preStop runs
  EXPECT_THAT(svg, HasSubstr(">preStop<"));
  EXPECT_THAT(svg, HasSubstr("fill=\"" + std::string(palette::kRunning) + "\""));
  EXPECT_THAT(svg, HasSubstr("fill=\"" + std::string(palette::kSucceeded) + "\""));  // exit 0
  // Failed attempts: hollow red dots; passed ones filled green.
  EXPECT_THAT(svg, HasSubstr("fill=\"#FFFFFF\" stroke=\"" + std::string(palette::kProbeFail) + "\""));
  EXPECT_THAT(svg, HasSubstr("fill=\"" + std::string(palette::kProbePass) + "\" stroke=\"" +
                             std::string(palette::kProbePass) + "\""));
  EXPECT_THAT(svg, HasSubstr("<title>SIGTERM sent to web at 65.000s</title>"));
  EXPECT_THAT(svg, HasSubstr("web: restart 1 at 65.000s"));
  EXPECT_THAT(svg, HasSubstr("↻1"));
  EXPECT_THAT(svg, HasSubstr("Warning Unhealthy at 40.000s: Liveness probe failed: Get &quot;http://10.88.0.2:80/healthz&quot;"));
  EXPECT_THAT(svg, HasSubstr("url(#ps-hatch)"));  // Waiting, hatched
}

TEST(ReportSvg, SigkillAndFailedExitAreRed) {
  const RunRecord r = testing::simulate(testing::readExample("graceful-shutdown.yaml"), testing::deleteAfter(20s));
  const std::string svg = timelineSvg(r);
  EXPECT_THAT(svg, HasSubstr("<title>SIGKILL sent to ignores-sigterm at 30.000s</title>"));
  EXPECT_THAT(svg, HasSubstr("stroke=\"" + std::string(palette::kSigkill) + "\""));
  EXPECT_THAT(svg, HasSubstr("fill=\"" + std::string(palette::kFailed) + "\""));
}

TEST(ReportSvg, HostileTextCannotInjectMarkup) {
  const std::string svg = timelineSvg(testing::hostileRecord());
  EXPECT_EQ(testing::xmlError(svg), std::nullopt) << svg;
  EXPECT_THAT(svg, Not(HasSubstr("<script")));
  EXPECT_THAT(svg, Not(HasSubstr("]]>")));
  EXPECT_THAT(svg, HasSubstr("&lt;script&gt;alert(1)&lt;/script&gt;"));
  EXPECT_THAT(svg, HasSubstr("␁␛[31m"));  // control characters shown, not written
  EXPECT_THAT(svg, HasSubstr("\xEF\xBF\xBD"));  // the byte that is not UTF-8
}

TEST(ReportSvg, EscapeXmlReplacesWhatXmlForbids) {
  EXPECT_EQ(escapeXml("a<b>&\"c'"), "a&lt;b&gt;&amp;&quot;c&#39;");
  EXPECT_EQ(escapeXml("tab\tnl\ncr\r"), "tab\tnl\ncr\r");
  EXPECT_EQ(escapeXml(std::string("nul\0", 4)), "nul␀");
  EXPECT_EQ(escapeXml("\x7f"), "␡");
  EXPECT_EQ(escapeXml("\xc3\xa9\xe2\x86\xbb"), "é↻");
  EXPECT_EQ(escapeXml("\xc3"), "\xEF\xBF\xBD");          // cut short
  EXPECT_EQ(escapeXml("\xc0\xbc"), "\xEF\xBF\xBD\xEF\xBF\xBD");  // an overlong '<'
  EXPECT_EQ(escapeXml("\xed\xa0\x80"), "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");  // a surrogate
  EXPECT_EQ(escapeXml("\xef\xbf\xbf"), "\xEF\xBF\xBD");  // U+FFFF
}

TEST(ReportSvg, CloseAttemptsAreDrawnOnceButAFailureAmongThemShows) {
  testing::RecordBuilder b("p");
  b.phase(0, "", "Running").state(0, "app", "", "Running", "Started");
  for (int i = 0; i < 10000; ++i) {
    const bool fail = i == 5000;
    b.attempt(i, 0.001, "app", AttemptKind::ReadinessProbe, fail ? AttemptResult::Failure : AttemptResult::Success,
              fail ? "the one failure" : "ok", 1, false);
  }
  b.end(10000, RunOutcome::Stopped);
  const std::string svg = timelineSvg(b.build());
  EXPECT_EQ(testing::xmlError(svg), std::nullopt);
  // ~870 px of plot at 3 px a dot: a few hundred dots, not 10,000.
  EXPECT_LT(occurrences(svg, "<circle"), 400u);
  EXPECT_THAT(svg, HasSubstr("readinessProbe failure at 5000.000s"));
  EXPECT_THAT(svg, HasSubstr("the one failure"));
  EXPECT_THAT(svg, ::testing::ContainsRegex("\\(3[0-9] attempts within this dot: 3[0-9] success, 1 failure\\)"));
}

TEST(ReportSvg, ADayLongRunStaysSmall) {
  const RunRecord r = testing::simulate(testing::kDayLongPod, testing::watchFor(24h));
  ASSERT_GT(r.attempts().size() + r.events().size(), 90000u);
  const std::string svg = timelineSvg(r);
  EXPECT_EQ(testing::xmlError(svg), std::nullopt);
  EXPECT_LT(svg.size(), 1000000u) << svg.size();
  // The failures from 30 to 35 min, and the threshold marks, are kept among 86,400 readiness dots.
  EXPECT_TRUE(svg.find("readinessProbe failure at 18") != std::string::npos);
  EXPECT_GE(occurrences(svg, "threshold reached: result published"), 4u);
}

}  // namespace
}  // namespace podscope::core

namespace podscope::core {
namespace {

TEST(ReportSvg, InitContainersAndSidecarsAreToldApart) {
  const RunRecord r = testing::simulate(R"(apiVersion: v1
kind: Pod
metadata:
  name: with-sidecar
  annotations:
    podscope.dev/simulate: |
      container app:
        on SIGTERM exit 0 after 3s
      container proxy:
        on SIGTERM exit 0 after 1s
spec:
  initContainers:
  - {name: setup, image: busybox:1.36, command: [sh, -c, "sleep 2"]}
  - {name: proxy, image: busybox:1.36, restartPolicy: Always}
  containers:
  - {name: app, image: busybox:1.36}
)",
                                        testing::deleteAfter(10s));
  const std::vector<RunContainer> containers = runContainers(r);
  ASSERT_EQ(containers.size(), 3u);
  EXPECT_EQ(containers[0].name, "setup");
  EXPECT_FALSE(containers[0].sidecar);
  EXPECT_EQ(containers[1].name, "proxy");
  EXPECT_TRUE(containers[1].sidecar);
  EXPECT_EQ(containers[2].name, "app");
  const std::string svg = timelineSvg(r);
  EXPECT_EQ(testing::xmlError(svg), std::nullopt);
  EXPECT_THAT(svg, HasSubstr("setup <tspan dx=\"3\" font-size=\"10\" fill=\"#6A737D\">init</tspan>"));
  EXPECT_THAT(svg, HasSubstr("proxy <tspan dx=\"3\" font-size=\"10\" fill=\"#6A737D\">sidecar</tspan>"));
  // The sidecar's SIGTERM comes after the app has exited (13 s), as the kubelet orders them.
  EXPECT_THAT(svg, HasSubstr("<title>SIGTERM sent to proxy at 13.000s</title>"));
  std::vector<std::string> stopping;
  for (const WhyFact& f : explainRun(r)) {
    if (f.topic == WhyTopic::Stopping && f.subject == "proxy") stopping.push_back(f.text);
  }
  EXPECT_EQ(stopping, (std::vector<std::string>{
                          "The kubelet stopped sidecar proxy at 10.000s: “Stopping container proxy” (Killing). SIGTERM "
                          "waited 3s for its turn: a sidecar is stopped only after the containers declared after it "
                          "have exited (app at 13.000s). SIGTERM was sent at 13.000s. It exited with code 0 "
                          "(Completed) at 14.000s, 1s after SIGTERM, inside the grace period."}));
}

}  // namespace
}  // namespace podscope::core
