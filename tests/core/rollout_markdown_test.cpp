// The Markdown summary of a rollout, against a golden file from
// examples/rolling-update.yaml rolled from nginx:1.18 to nginx:1.20.1 on the
// simulated runtime (virtual time and a fixed seed: the same file every
// time). To refresh it after a deliberate change:
//   PODSCOPE_UPDATE_GOLDEN=1 build/tests/core/podscope_core_tests --gtest_filter='*ReportMarkdown*'
// then read the diff of tests/data/reports/ before committing it.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "core/rollout_report.h"
#include "golden.h"
#include "report_checks.h"
#include "rollout_records.h"

namespace podscope::core {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

TEST(RolloutReportMarkdown, RollingUpdateMatchesTheGoldenFile) {
  const RolloutRecord r = testing::rollingUpdate(testing::readExample("rolling-update.yaml"));
  ReportInputs in;
  in.manifestFile = "examples/rolling-update.yaml";
  in.podscopeVersion = "test";
  testing::expectGolden("rolling-update.md", markdownReport(r, in));
}

TEST(RolloutReportMarkdown, AStalledRolloutSaysWhy) {
  const std::string md = markdownReport(testing::deadlineRollout());
  EXPECT_THAT(md, ::testing::StartsWith("### deployment/web: ProgressDeadlineExceeded\n\n"
                                        "**Outcome:** error: deployment \"web\" exceeded its progress deadline\n"));
  EXPECT_THAT(md, HasSubstr("| Progressing False: ProgressDeadlineExceeded | 34.000s | 31.000s |\n"));
  EXPECT_THAT(md, HasSubstr("**Pods at once:** at most 5 (desired 4 + maxSurge 1 = 5), 6 with Terminating ones; at "
                            "least 3 available."));
  EXPECT_THAT(md, HasSubstr("*Not ready*\n\n- `3.000s` All 2 pods ReplicaSet web-"));
}

TEST(RolloutReportMarkdown, HostileTextIsNotReadAsMarkupAndCannotCloseTheFence) {
  RolloutRecord r = testing::hostileRollout();
  r.append(Event{testing::sec(4), EventType::Warning, "Failed", "", "```\n# heading\n```` <img src=x>"});
  const std::string md = markdownReport(r);
  const testing::MarkdownProse outside = testing::markdownProse(md);
  const std::string& prose = outside.text;
  EXPECT_TRUE(outside.closed);
  EXPECT_THAT(prose, Not(HasSubstr("<script")));
  EXPECT_THAT(prose, Not(HasSubstr("<img")));
  EXPECT_THAT(prose, HasSubstr("evil&lt;script&gt;alert(1)&lt;/script&gt;"));
  EXPECT_THAT(md, HasSubstr("\n`````text\n"));
  EXPECT_EQ(md.find('\x1b'), std::string::npos);
  EXPECT_EQ(md.find('\x01'), std::string::npos);
}

TEST(RolloutReportMarkdown, AThousandReplicasStayShortEnoughToPaste) {
  const std::string md = markdownReport(testing::thousandReplicas());
  EXPECT_LT(md.size(), 20'000u) << md.size();
  EXPECT_THAT(md, HasSubstr("SuccessfulCreate and SuccessfulDelete events are left out, and so are "));
}

}  // namespace
}  // namespace podscope::core
