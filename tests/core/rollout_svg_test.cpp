// A rollout's timeline as SVG: well-formed, every lane in the desktop's
// rollout language, hostile text escaped, and bounded however many
// replicas there are.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <functional>

#include "core/report_palette.h"
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
using ::testing::StartsWith;

using testing::occurrences;

std::string fill(std::string_view colour) { return "fill=\"" + std::string(colour) + "\""; }

TEST(RolloutSvg, WellFormedWithALaneForTheDeploymentEachReplicaSetAndEachPod) {
  const std::vector<std::pair<std::string, std::function<RolloutRecord()>>> runs = {
      {"complete", [] { return testing::rollingUpdate(testing::readExample("rolling-update.yaml")); }},
      {"deadline", testing::deadlineRollout},
      {"crash loop", testing::crashLoopRollout},
      {"rollback", testing::rollbackRollout}};
  for (const auto& [name, run] : runs) {
    SCOPED_TRACE(name);
    const RolloutRecord r = run();
    const std::string svg = timelineSvg(r);
    EXPECT_EQ(testing::xmlError(svg), std::nullopt);
    EXPECT_THAT(svg, StartsWith("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg "));
    EXPECT_THAT(svg, HasSubstr("<title>Timeline of deployment " + r.deploymentName + "</title>"));
    EXPECT_THAT(svg, HasSubstr(">" + r.deploymentName + " <tspan dx=\"3\" font-size=\"10\" fill=\"#6A737D\">deployment</tspan>"));
    for (const char* text : {">Progressing<", ">Available<", "seconds since the rollout began", ">Terminating<",
                             ">not Ready<", ">ready replicas<", ">desired<", ">restart<", ">Warning<"}) {
      EXPECT_THAT(svg, HasSubstr(text));
    }
    for (const ReplicaSetRecord& rs : r.replicaSets()) {
      EXPECT_THAT(svg, HasSubstr("<title>" + rs.name + "</title>"));
      EXPECT_THAT(svg, HasSubstr(">rev " + std::to_string(rs.revision) + "</tspan>"));
    }
    for (const RolloutPod& p : r.pods()) EXPECT_THAT(svg, HasSubstr(">" + p.name + "</text>"));
    // One step chart per ReplicaSet: CURRENT and READY areas, DESIRED line.
    EXPECT_EQ(occurrences(svg, "fill-opacity=\"" + std::string(palette::kReadyReplicasOpacity) + "\"/>"),
              r.replicaSets().size() + 1);  // and the legend's
    EXPECT_EQ(occurrences(svg, "stroke=\"" + std::string(palette::kDesiredReplicas) + "\" stroke-width=\"1.5\"/>"),
              r.replicaSets().size() + 1);
    EXPECT_THAT(timelineSvg(r, {}, false), StartsWith("<svg "));
  }
}

TEST(RolloutSvg, DrawsTheStalledRolloutInTheAppsColours) {
  const RolloutRecord r = testing::deadlineRollout();
  const std::string svg = timelineSvg(r);
  const std::string fresh = r.replicaSets()[1].name;
  // The deadline as a False band with its reason; the earlier progress True.
  EXPECT_THAT(svg, ContainsRegex(fill(palette::kConditionFalse) + "><title>Progressing False from 34\\.000s to "
                                 "36\\.000s: ProgressDeadlineExceeded \\(ReplicaSet &quot;web-[a-z0-9]+&quot; has timed out "
                                 "progressing\\.\\)</title>"));
  EXPECT_THAT(svg, HasSubstr(fill(palette::kFailed) + " fill-opacity=\"0.85\"><title>Progress deadline exceeded at "
                                                     "34.000s: ReplicaSet &quot;" + fresh + "&quot; has timed out"));
  EXPECT_THAT(svg, HasSubstr(fill(palette::kConditionTrue) + "><title>Progressing True from 3.000s to 34.000s: "
                                                              "ReplicaSetUpdated"));
  // The Deployment never complete after 3 s: the lighter green of not ready.
  EXPECT_THAT(svg, HasSubstr(fill(palette::kRunningNotStarted) + " rx=\"3\"><title>deployment web from 3.000s to "
                                                                  "36.000s: READY 3/4 · UP-TO-DATE 2 · AVAILABLE 3</title>"));
  // The new ReplicaSet's counts, and its pods never Ready.
  EXPECT_THAT(svg, HasSubstr("<title>" + fresh + " from 3.000s to 34.000s: DESIRED 2, CURRENT 2, READY 0, AVAILABLE 0"));
  EXPECT_THAT(svg, ContainsRegex(fill(palette::kRunningNotStarted) + " rx=\"2\"><title>pod " + fresh +
                                 "-[a-z0-9]+: Running 0/1 from 3\\.000s to 34\\.000s, restarts 0</title>"));
  // Old pods Ready; one deleted at 3 s by the scale-down: Terminating, hatched.
  EXPECT_THAT(svg, ContainsRegex(fill(palette::kRunning) + " rx=\"2\"><title>pod web-[a-z0-9]+-[a-z0-9]+: Running 1/1 "
                                                           "from 3\\.000s to 34\\.000s"));
  EXPECT_THAT(svg, HasSubstr("fill=\"url(#ps-hatch)\" rx=\"2\" stroke=\"#9EA4AB\" stroke-width=\"1\"><title>pod web-"));
  // The controllers' events as diamonds on their lanes, the readiness failures on the pods'.
  EXPECT_THAT(svg, HasSubstr("<title>Normal ScalingReplicaSet at 3.000s: Scaled up replica set " + fresh));
  EXPECT_THAT(svg, HasSubstr("<title>Normal SuccessfulCreate at 3.000s: Created pod: " + fresh));
  EXPECT_THAT(svg, HasSubstr("<title>Warning Unhealthy at "));
}

TEST(RolloutSvg, CrashLoopingPodsAreRedWithTheirRestarts) {
  const RolloutRecord r = testing::crashLoopRollout();
  const std::string svg = timelineSvg(r);
  const std::string pod = r.pods().back().name;
  EXPECT_THAT(svg, HasSubstr(fill(palette::kFailed) + " rx=\"2\"><title>pod " + pod + ": CrashLoopBackOff 0/1 from "));
  EXPECT_THAT(svg, HasSubstr(fill(palette::kRestartRule) + "><title>pod " + pod + ": container nginx restart 1 at 5.000s"));
  EXPECT_EQ(occurrences(svg, ": container nginx restart "), 3u);
}

TEST(RolloutSvg, HostileTextCannotInjectMarkup) {
  const std::string svg = timelineSvg(testing::hostileRollout());
  EXPECT_EQ(testing::xmlError(svg), std::nullopt) << svg;
  EXPECT_THAT(svg, Not(HasSubstr("<script")));
  EXPECT_THAT(svg, Not(HasSubstr("]]>")));
  EXPECT_THAT(svg, HasSubstr("evil&lt;script&gt;alert(1)&lt;/script&gt;"));
  EXPECT_THAT(svg, HasSubstr("rs2&lt;script&gt;]]&gt;"));
  EXPECT_THAT(svg, HasSubstr("␁␛[31m"));
  EXPECT_THAT(svg, HasSubstr("\xEF\xBF\xBD"));
  // The pod's Unknown-status and the Available condition's Unknown band.
  EXPECT_THAT(svg, HasSubstr(fill(palette::kConditionUnknown)));
}

TEST(RolloutSvg, PodsPastTheLimitAreSummedUpInOneLane) {
  const RolloutRecord r = testing::crashLoopRollout();
  SvgOptions options;
  options.maxPodLanes = 1;
  const std::string svg = timelineSvg(r, options);
  EXPECT_EQ(testing::xmlError(svg), std::nullopt);
  EXPECT_THAT(svg, HasSubstr(">+1 more pods</text>"));
  EXPECT_THAT(svg, ContainsRegex(">1 more pods of web-[a-z0-9]+ are not drawn \\(each was Ready, none "
                                 "restarted\\); the report&#39;s pod table lists them</text>"));
  // The crash-looping pod is the one worth a lane when only one fits... and it is alone in its ReplicaSet.
  EXPECT_THAT(svg, HasSubstr(">" + r.pods().back().name + "</text>"));
}

TEST(RolloutSvg, AThousandReplicasStaySmall) {
  const RolloutRecord& r = testing::thousandReplicas();
  ASSERT_EQ(r.pods().size(), 2000u);
  ASSERT_GT(r.replicaSetSamples().size() + r.statusLines().size() + r.events().size(), 6000u);
  const std::string svg = timelineSvg(r);
  EXPECT_EQ(testing::xmlError(svg), std::nullopt);
  EXPECT_LT(svg.size(), 200'000u) << svg.size();
  EXPECT_EQ(occurrences(svg, "font-size=\"9\">Running 1/1</text>"), 2u * SvgOptions{}.maxPodLanes);
  EXPECT_EQ(occurrences(svg, ">+976 more pods</text>"), 2u);
}

}  // namespace
}  // namespace podscope::core
