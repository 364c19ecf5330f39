#include "core/record_json.h"

#include <algorithm>
#include <string>

#include "core/record_json_detail.h"
#include "core/rollout_record_json.h"
#include "core/run_record_json.h"

namespace podscope::core {

Result<AnyRecord> anyRecordFromJson(std::string_view json) {
  using record_json::Json;
  const std::string expected =
      "\"" + std::string(kRunRecordFormat) + "\" or \"" + std::string(kRolloutRecordFormat) + "\"";
  return record_json::readDocument<AnyRecord>(
      json, std::max(kMaxRunRecordJsonBytes, kMaxRolloutRecordJsonBytes), "record",
      [&expected](const Json& root) -> Result<AnyRecord> {
        record_json::Reader r;
        if (!r.requireObject(root, "")) return *r.error;
        auto format = root.find("format");
        if (format == root.end()) {
          return record_json::shapeError("", "not a podscope record: missing \"format\" (expected " + expected + ")");
        }
        if (format->is_string() && *format == kRunRecordFormat) {
          Result<RunRecord> run = record_json::readRunRecord(root, "");
          if (!run) return run.error();
          return AnyRecord(std::move(*run));
        }
        if (format->is_string() && *format == kRolloutRecordFormat) {
          Result<RolloutRecord> rollout = record_json::readRolloutRecord(root, "");
          if (!rollout) return rollout.error();
          return AnyRecord(std::move(*rollout));
        }
        return record_json::shapeError("format", "expected " + expected + ", got " + record_json::quoted(*format));
      });
}

}  // namespace podscope::core
