#pragma once
// The run record as a versioned JSON document ("podscope.run-record", see
// docs/record-format.md), so a run can be saved, diffed and loaded back.
// Thread contract: free functions without shared state; safe from any thread.

#include <cstddef>
#include <string>
#include <string_view>

#include "core/result.h"
#include "core/run_record.h"

namespace podscope::core {

inline constexpr std::string_view kRunRecordFormat = "podscope.run-record";
inline constexpr int kRunRecordVersion = 1;
/// Larger inputs are refused before parsing: records are untrusted input.
inline constexpr std::size_t kMaxRunRecordJsonBytes = std::size_t{256} * 1024 * 1024;

/// The record as pretty-printed JSON with a fixed key order, ending in a
/// newline. Invalid UTF-8 in strings is written as U+FFFD.
std::string toJson(const RunRecord& record);

/// Reads a record written by toJson (or by hand). Unknown fields are ignored;
/// a newer version, an unknown enum value or a missing field is an error
/// naming its JSON path. The arrays added within version 1 (statusLines,
/// attempts, conditions) may be absent and then read as empty. Observers
/// (onTransition, onEvent and the rest) are left unset.
Result<RunRecord> runRecordFromJson(std::string_view json);

}  // namespace podscope::core
