// anyRecordFromJson: either kind of record from one document, told apart by
// its "format"; and the JSON examples in docs/record-format.md, which must be
// exactly what Podscope writes for the records they show.

#include "core/record_json.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>
#include <variant>
#include <vector>

#include "core/rollout_record_json.h"
#include "core/run_record_json.h"
#include "record_compare.h"
#include "rollout_samples.h"

namespace podscope::core {
namespace {

using ::testing::HasSubstr;

TEST(RecordJson, ReadsARunRecordAsOne) {
  const RunRecord pod = testing::samplePodRecord("web-1");
  Result<AnyRecord> r = anyRecordFromJson(toJson(pod));
  ASSERT_TRUE(r) << r.error().toString();
  ASSERT_TRUE(std::holds_alternative<RunRecord>(*r));
  testing::expectSameRunRecord(std::get<RunRecord>(*r), pod);
}

TEST(RecordJson, ReadsARolloutRecordAsOne) {
  const RolloutRecord rollout = testing::sampleRollout();
  Result<AnyRecord> r = anyRecordFromJson(toJson(rollout));
  ASSERT_TRUE(r) << r.error().toString();
  ASSERT_TRUE(std::holds_alternative<RolloutRecord>(*r));
  testing::expectSameRolloutRecord(std::get<RolloutRecord>(*r), rollout);
}

TEST(RecordJson, AMissingOrUnknownFormatNamesBothFormats) {
  EXPECT_EQ(anyRecordFromJson(R"({"version": 1, "pods": []})").error().message,
            R"(not a podscope record: missing "format" (expected "podscope.run-record" or "podscope.rollout-record"))");
  Result<AnyRecord> other = anyRecordFromJson(R"({"format": "podscope.history", "version": 1})");
  ASSERT_FALSE(other);
  EXPECT_EQ(other.error().message,
            R"(format: expected "podscope.run-record" or "podscope.rollout-record", got "podscope.history")");
  EXPECT_EQ(other.error().kind, ErrorKind::Shape);
  EXPECT_EQ(anyRecordFromJson(R"({"format": 5})").error().message,
            R"(format: expected "podscope.run-record" or "podscope.rollout-record", got 5)");
  EXPECT_EQ(anyRecordFromJson(R"({"format": "\u0000<\ud83d\ude00>"})").error().message,
            "format: expected \"podscope.run-record\" or \"podscope.rollout-record\", got \"\\u0000<\xf0\x9f\x98\x80>\"");
  EXPECT_EQ(anyRecordFromJson("[]").error().message, "(top level): expected an object, got array");
  EXPECT_EQ(anyRecordFromJson("12").error().message, "(top level): expected an object, got integer");
}

TEST(RecordJson, EachReadersErrorsComeThroughWithTheirPath) {
  std::string rollout = toJson(testing::sampleRollout());
  const std::string kind = "\"kind\": \"container\"";
  rollout.replace(rollout.find(kind), kind.size(), "\"kind\": \"sidecar\"");
  EXPECT_EQ(anyRecordFromJson(rollout).error().message,
            R"(pods[0].record.transitions[1].kind: unknown value "sidecar" (expected pod, init or container))");

  std::string pod = toJson(testing::samplePodRecord("web-1"));
  pod.replace(pod.find("\"version\": 1"), 12, "\"version\": 7");
  EXPECT_EQ(anyRecordFromJson(pod).error().message,
            "version: this record has format version 7, newer than this podscope reads (1); use a newer podscope");

  Result<AnyRecord> syntax = anyRecordFromJson("{\"format\": \"podscope.run-record\",}");
  ASSERT_FALSE(syntax);
  EXPECT_EQ(syntax.error().kind, ErrorKind::Syntax);
  EXPECT_THAT(syntax.error().message, HasSubstr("not valid JSON at line 1, column 34 (byte offset 33)"));
  EXPECT_EQ(anyRecordFromJson(std::string(1000, '[')).error().message, "nested deeper than 64 levels");
}

// ---- docs/record-format.md ----------------------------------------------------------

/// The ```json blocks of the document, each with its trailing newline.
std::vector<std::string> jsonBlocks(const std::string& markdown) {
  std::vector<std::string> blocks;
  std::istringstream lines(markdown);
  std::string block;
  bool inBlock = false;
  for (std::string line; std::getline(lines, line);) {
    if (!inBlock && line == "```json") {
      inBlock = true;
      block.clear();
    } else if (inBlock && line == "```") {
      inBlock = false;
      blocks.push_back(block);
    } else if (inBlock) {
      block += line + "\n";
    }
  }
  return blocks;
}

TEST(RecordJson, TheDocumentedExamplesAreWhatPodscopeWrites) {
  std::ifstream in(std::string(PODSCOPE_SOURCE_DIR) + "/docs/record-format.md", std::ios::binary);
  ASSERT_TRUE(in);
  std::stringstream text;
  text << in.rdbuf();
  const std::vector<std::string> blocks = jsonBlocks(text.str());
  int runs = 0;
  int rollouts = 0;
  for (const std::string& block : blocks) {
    Result<AnyRecord> r = anyRecordFromJson(block);
    ASSERT_TRUE(r) << r.error().toString() << "\n" << block;
    if (const RunRecord* run = std::get_if<RunRecord>(&*r)) {
      ++runs;
      EXPECT_EQ(toJson(*run), block);
    } else {
      ++rollouts;
      const RolloutRecord& rollout = std::get<RolloutRecord>(*r);
      EXPECT_EQ(toJson(rollout), block);
      // The example shows the record these tests use.
      EXPECT_EQ(block, toJson(testing::sampleRollout()));
    }
  }
  EXPECT_EQ(runs, 1);
  EXPECT_EQ(rollouts, 1);
}

}  // namespace
}  // namespace podscope::core
