#pragma once
// The rollout record (one Deployment run) as a versioned JSON document
// ("podscope.rollout-record", see docs/record-format.md), so a rollout can
// be saved, diffed and loaded back. Each pod's own record in it is the very
// object a "podscope.run-record" document is.
// Thread contract: free functions without shared state; safe from any thread.

#include <cstddef>
#include <string>
#include <string_view>

#include "core/result.h"
#include "core/rollout_record.h"

namespace podscope::core {

inline constexpr std::string_view kRolloutRecordFormat = "podscope.rollout-record";
inline constexpr int kRolloutRecordVersion = 1;
/// Larger inputs are refused before parsing: records are untrusted input.
inline constexpr std::size_t kMaxRolloutRecordJsonBytes = std::size_t{256} * 1024 * 1024;

/// The record as pretty-printed JSON with a fixed key order, ending in a
/// newline. Invalid UTF-8 in strings is written as U+FFFD. Each
/// ReplicaSet's pod template is written as its canonical YAML
/// (canonicalYaml()).
std::string toJson(const RolloutRecord& record);

/// Reads a record written by toJson (or by hand). Unknown fields are
/// ignored; a newer version, an unknown enum value, a missing or mistyped
/// field, a pod template that does not read back, a ReplicaSet or pod
/// listed twice, or a pod or sample naming a ReplicaSet the record lacks is
/// an error naming its JSON path (`pods[2].record.transitions[5].kind:
/// unknown value ...`). Reading what toJson wrote and writing it again
/// gives the same bytes. Observers are left unset.
Result<RolloutRecord> rolloutRecordFromJson(std::string_view json);

}  // namespace podscope::core
