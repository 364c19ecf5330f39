// The Markdown summary, against golden files from deterministic simulated
// runs. To refresh the goldens after a deliberate change:
//   PODSCOPE_UPDATE_GOLDEN=1 build/tests/core/podscope_core_tests --gtest_filter='*ReportMarkdown*'
// then read the diff of tests/data/reports/ before committing it.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "core/report_markdown.h"
#include "golden.h"
#include "report_checks.h"
#include "report_records.h"

namespace podscope::core {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using namespace std::chrono_literals;

struct GoldenRun {
  std::string name;      ///< tests/data/reports/<name>.md
  std::string example;   ///< examples/<example>
  engine::RunOptions options;
  friend void PrintTo(const GoldenRun& r, std::ostream* os) { *os << r.name; }
};

class ReportMarkdownGolden : public ::testing::TestWithParam<GoldenRun> {};

TEST_P(ReportMarkdownGolden, MatchesTheGoldenFile) {
  const GoldenRun& run = GetParam();
  const RunRecord r = testing::simulate(testing::readExample(run.example), run.options);
  ReportInputs in;
  in.manifestFile = "examples/" + run.example;
  in.podscopeVersion = "test";
  testing::expectGolden(run.name + ".md", markdownReport(r, in));
}

INSTANTIATE_TEST_SUITE_P(Report, ReportMarkdownGolden,
                         ::testing::Values(GoldenRun{"crash-loop", "crash-loop.yaml", testing::watchFor(3min)},
                                           GoldenRun{"readiness-scenario", "readiness-scenario.yaml", testing::deleteAfter(70s)},
                                           GoldenRun{"graceful-shutdown", "graceful-shutdown.yaml", testing::deleteAfter(20s)},
                                           GoldenRun{"init-containers", "init-containers.yaml", testing::watchFor(1min)}),
                         [](const ::testing::TestParamInfo<GoldenRun>& info) {
                           std::string name = info.param.name;
                           std::erase(name, '-');
                           return name;
                         });

TEST(ReportMarkdown, HostileTextIsNotReadAsMarkupAndCannotCloseTheFence) {
  RunRecord r = testing::hostileRecord();
  r.append(Event{testing::sec(4), EventType::Warning, "Failed", "", "```\n# heading\n```` <img src=x>"});
  const std::string md = markdownReport(r, {});
  // Outside the fenced blocks, text from the record is escaped ...
  const testing::MarkdownProse outside = testing::markdownProse(md);
  const std::string& prose = outside.text;
  EXPECT_TRUE(outside.closed);
  EXPECT_THAT(prose, Not(HasSubstr("<script")));
  EXPECT_THAT(prose, Not(HasSubstr("<img")));
  EXPECT_THAT(prose, HasSubstr("&lt;script&gt;"));
  // ... the events' fence is longer than any run of backticks inside ...
  EXPECT_THAT(md, HasSubstr("\n`````text\n"));
  // ... and no control character is pasted, in a fence or out of it.
  EXPECT_EQ(md.find('\x1b'), std::string::npos);
  EXPECT_EQ(md.find('\x01'), std::string::npos);
}

}  // namespace
}  // namespace podscope::core
