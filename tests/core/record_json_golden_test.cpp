// The records' JSON against golden files from deterministic simulated runs
// (tests/data/records/README.md): pod runs of the examples, and
// examples/rolling-update.yaml rolled from one revision to the next. Each
// golden file must also read back to the record it came from and be
// written again byte for byte. To refresh the goldens after a deliberate
// change:
//   PODSCOPE_UPDATE_GOLDEN=1 build/tests/core/podscope_core_tests --gtest_filter='*RecordJsonGolden*'
// then read the diff of tests/data/records/ before committing it.

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <variant>

#include "core/record_json.h"
#include "core/rollout_record_json.h"
#include "core/run_record_json.h"
#include "record_compare.h"
#include "report_records.h"
#include "simulated_rollout.h"

namespace podscope::core {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

// Goldens are for reading in a diff: each stays well under this.
constexpr std::uintmax_t kMaxGoldenBytes = 300 * 1024;

fs::path goldenPath(const std::string& name) {
  return fs::path(PODSCOPE_SOURCE_DIR) / "tests/data/records" / (name + ".json");
}

/// Compares `actual` with the golden file `name` (or rewrites it when
/// PODSCOPE_UPDATE_GOLDEN is set); returns the golden text.
std::string checkGolden(const std::string& name, const std::string& actual) {
  const fs::path path = goldenPath(name);
  if (std::getenv("PODSCOPE_UPDATE_GOLDEN")) std::ofstream(path, std::ios::binary) << actual;
  EXPECT_TRUE(fs::exists(path)) << "no golden file " << path << "; run with PODSCOPE_UPDATE_GOLDEN=1";
  std::ifstream in(path, std::ios::binary);
  std::stringstream expected;
  expected << in.rdbuf();
  EXPECT_EQ(actual, expected.str())
      << "to refresh: PODSCOPE_UPDATE_GOLDEN=1 podscope_core_tests --gtest_filter='*RecordJsonGolden*'";
  EXPECT_LT(fs::file_size(path), kMaxGoldenBytes) << path << " is too large to read in a diff; run it for less time";
  return expected.str();
}

struct GoldenPodRun {
  std::string name;     ///< tests/data/records/<name>.json
  std::string example;  ///< examples/<example>
  engine::RunOptions options;
  friend void PrintTo(const GoldenPodRun& r, std::ostream* os) { *os << r.name; }
};

class RunRecordJsonGolden : public ::testing::TestWithParam<GoldenPodRun> {};

TEST_P(RunRecordJsonGolden, MatchesTheGoldenFileAndReadsBack) {
  const GoldenPodRun& run = GetParam();
  const RunRecord record = testing::simulate(testing::readExample(run.example), run.options);
  ASSERT_FALSE(record.transitions().empty());
  const std::string golden = checkGolden(run.name, toJson(record));

  Result<RunRecord> back = runRecordFromJson(golden);
  ASSERT_TRUE(back) << back.error().toString();
  testing::expectSameRunRecord(*back, record);
  EXPECT_EQ(toJson(*back), golden);

  Result<AnyRecord> any = anyRecordFromJson(golden);
  ASSERT_TRUE(any) << any.error().toString();
  ASSERT_TRUE(std::holds_alternative<RunRecord>(*any));
  EXPECT_EQ(toJson(std::get<RunRecord>(*any)), golden);
}

INSTANTIATE_TEST_SUITE_P(Examples, RunRecordJsonGolden,
                         ::testing::Values(GoldenPodRun{"crash-loop", "crash-loop.yaml", testing::watchFor(3min)},
                                           GoldenPodRun{"init-containers", "init-containers.yaml",
                                                        testing::watchFor(1min)},
                                           GoldenPodRun{"readiness-scenario", "readiness-scenario.yaml",
                                                        testing::deleteAfter(70s)},
                                           GoldenPodRun{"graceful-shutdown", "graceful-shutdown.yaml",
                                                        testing::deleteAfter(20s)}),
                         [](const ::testing::TestParamInfo<GoldenPodRun>& info) {
                           std::string name = info.param.name;
                           std::erase(name, '-');
                           return name;
                         });

TEST(RolloutRecordJsonGolden, RollingUpdateMatchesTheGoldenFileAndReadsBack) {
  const RolloutRecord record = testing::simulateRollingUpdate();
  // What the golden is for: a rollout from one ReplicaSet to the next.
  ASSERT_EQ(record.replicaSets().size(), 2u);
  EXPECT_EQ(record.replicaSets()[0].revision, 1);
  EXPECT_EQ(record.replicaSets()[1].revision, 2);
  EXPECT_EQ(record.replicaSets()[1].changeCause, "nginx 1.20.1");
  EXPECT_EQ(record.pods().size(), 6u);
  EXPECT_EQ(record.outcome, RunOutcome::Deleted);
  const std::string golden = checkGolden("rolling-update", toJson(record));

  Result<RolloutRecord> back = rolloutRecordFromJson(golden);
  ASSERT_TRUE(back) << back.error().toString();
  testing::expectSameRolloutRecord(*back, record);
  EXPECT_EQ(toJson(*back), golden);

  Result<AnyRecord> any = anyRecordFromJson(golden);
  ASSERT_TRUE(any) << any.error().toString();
  ASSERT_TRUE(std::holds_alternative<RolloutRecord>(*any));
  EXPECT_EQ(toJson(std::get<RolloutRecord>(*any)), golden);
}

// Each pod's record inside a rollout record is a run record document of
// its own: cut out, it reads as one.
TEST(RolloutRecordJsonGolden, EachPodsRecordIsARunRecordDocument) {
  std::ifstream in(goldenPath("rolling-update"), std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  Result<RolloutRecord> rollout = rolloutRecordFromJson(text.str());
  ASSERT_TRUE(rollout) << rollout.error().toString();
  ASSERT_FALSE(rollout->pods().empty());
  for (const RolloutPod& pod : rollout->pods()) {
    const std::string alone = toJson(pod.record);
    EXPECT_NE(text.str().find(pod.record.podName), std::string::npos);
    Result<RunRecord> read = runRecordFromJson(alone);
    ASSERT_TRUE(read) << read.error().toString();
    testing::expectSameRunRecord(*read, pod.record, pod.name);
  }
}

}  // namespace
}  // namespace podscope::core
