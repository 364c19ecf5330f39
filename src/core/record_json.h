#pragma once
// Either kind of record from one JSON document: a pod's run record
// ("podscope.run-record") or a Deployment's rollout record
// ("podscope.rollout-record"), told apart by the document's "format" and
// parsed once. For callers that open whatever record they are given (the
// CLI's report, the desktop's Open).
// Thread contract: free functions without shared state; safe from any thread.

#include <string_view>
#include <variant>

#include "core/result.h"
#include "core/rollout_record.h"
#include "core/run_record.h"

namespace podscope::core {

/// A pod's run record or a Deployment's rollout record.
using AnyRecord = std::variant<RunRecord, RolloutRecord>;

/// Reads a document of either format, with the strictness of
/// runRecordFromJson and rolloutRecordFromJson (size and depth limits,
/// syntax errors with line and column, shape errors naming the JSON path,
/// newer versions refused). A document without a "format", or with
/// another, is an error naming both formats.
Result<AnyRecord> anyRecordFromJson(std::string_view json);

}  // namespace podscope::core
