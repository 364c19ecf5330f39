#pragma once
// Internal to the record formats (run_record_json.cpp,
// rollout_record_json.cpp, record_json.cpp), not for other callers: the
// checked reader that names the JSON path of what is wrong, parsing with the
// size, depth and syntax checks every record gets, and the run record as a
// JSON object, so that a rollout record holds each pod's run record as the
// very object a "podscope.run-record" document is (one writer, one reader).
// Callers use run_record_json.h, rollout_record_json.h and record_json.h.
// Thread contract: free functions, and a reader object each call makes for
// itself; no shared state.

#include <nlohmann/json.hpp>

#include <array>
#include <cstddef>
#include <cstdint>
#include <exception>
#include <functional>
#include <limits>
#include <optional>
#include <string>
#include <string_view>

#include "core/result.h"
#include "core/rollout_record.h"
#include "core/run_record.h"

namespace podscope::core::record_json {

using Json = nlohmann::json;
/// Keeps insertion order, so the written key order is the documented one
/// rather than alphabetical.
using OrderedJson = nlohmann::ordered_json;

/// The values of the enumerations both records use, in the order messages
/// list them.
inline constexpr std::array kEventTypes = {EventType::Normal, EventType::Warning};
inline constexpr std::array kRunOutcomes = {RunOutcome::Running, RunOutcome::Succeeded, RunOutcome::Failed,
                                            RunOutcome::Stopped, RunOutcome::Deleted};

/// Deeper nesting is never valid in a record and only costs memory.
inline constexpr int kMaxDepth = 64;

/// A record's object was well-formed JSON with a wrong field: "path: what",
/// or `what` alone at the top level.
Error shapeError(const std::string& path, const std::string& what);

/// "integer", "number", "string", ... for messages.
std::string typeName(const Json& j);

/// `j` as compact JSON text, invalid UTF-8 replaced, for quoting in messages.
std::string quoted(const Json& j);

/// `path.key`, or `key` at the top level.
std::string join(const std::string& path, std::string_view key);

/// `path.key[index]`.
std::string element(const std::string& path, std::string_view key, std::size_t index);

/// Sets `<key>Ns` (the exact nanoseconds) and `<key>` (formatRunTime, for
/// people) on `object`: "timeNs"/"time", "createdNs"/"created", ...
void putTime(OrderedJson& object, std::string_view key, RunTime t);

/// Pretty-printed with two spaces, invalid UTF-8 written as U+FFFD (messages
/// from containers may carry any bytes), ending in a newline.
std::string dump(const OrderedJson& root);

/// Reads fields with their types and ranges checked. Each reader returns
/// the value, or records the first error (naming its JSON path) and
/// returns nothing; callers stop at the first error so it names the first
/// problem.
class Reader {
 public:
  std::optional<Error> error;

  /// The field, or nullptr when absent (an error when required). An
  /// optional field that is null counts as absent.
  const Json* field(const Json& object, const std::string& path, const char* key, bool required);

  /// An optional string is "" when absent.
  std::optional<std::string> string(const Json& object, const std::string& path, const char* key, bool required);

  /// An integer from `min` to `max`; an optional one is nullopt when absent
  /// (check `error` to tell the two apart).
  std::optional<std::int64_t> integer(const Json& object, const std::string& path, const char* key, bool required,
                                      std::int64_t min, std::int64_t max);

  /// The integer `j` (found at `where`), from `min` to `max`.
  std::optional<std::int64_t> integerValue(const Json& j, const std::string& where, std::int64_t min,
                                           std::int64_t max);

  /// An optional boolean is false when absent.
  std::optional<bool> boolean(const Json& object, const std::string& path, const char* key, bool required);

  /// A required object or array member.
  const Json* object(const Json& parent, const std::string& path, const char* key);
  const Json* array(const Json& parent, const std::string& path, const char* key);

  /// A required string that must be toString() of one of `values`.
  template <typename Enum, std::size_t N>
  std::optional<Enum> enumeration(const Json& object, const std::string& path, const char* key,
                                  const std::array<Enum, N>& values) {
    std::optional<std::string> s = string(object, path, key, true);
    if (!s) return std::nullopt;
    std::string expected;
    for (std::size_t i = 0; i < N; ++i) {
      if (toString(values[i]) == *s) return values[i];
      expected += (i == 0 ? "" : i + 1 == N ? " or " : ", ") + std::string(toString(values[i]));
    }
    fail(join(path, key), "unknown value " + quoted(Json(*s)) + " (expected " + expected + ")");
    return std::nullopt;
  }

  /// A required time in nanoseconds, 0 to the largest int64.
  std::optional<RunTime> time(const Json& object, const std::string& path, const char* key = "timeNs");

  /// An optional time: nullopt when absent or null (check `error`).
  std::optional<RunTime> optionalTime(const Json& object, const std::string& path, const char* key);

  /// Whether `key` is there and not null.
  static bool present(const Json& object, const char* key);

  /// `j` is an object, else an error at `path` ("(top level)" for "").
  bool requireObject(const Json& j, const std::string& path);

  /// Records `what` at `path` unless an error was recorded already.
  void fail(const std::string& path, const std::string& what);
};

/// Checks the "format" and "version" members of a record object at `path`:
/// the format must be `format`, the version from 1 to `version`. `kind`
/// names the record in the message for a missing format ("run record").
std::optional<Error> checkFormat(const Json& object, const std::string& path, std::string_view format,
                                 int version, std::string_view kind);

/// Parses `json` and hands the document to `read`, refusing first what is
/// larger than `maxBytes`, nested deeper than kMaxDepth, or not JSON (with
/// line, column and byte offset). `kind` names the document in messages
/// ("run record"). Never throws.
template <typename T>
Result<T> readDocument(std::string_view json, std::size_t maxBytes, std::string_view kind,
                       const std::function<Result<T>(const Json&)>& read);

/// An event as the object both records write, and read back from one at
/// `path` (nullopt with `r.error` set when it is wrong).
OrderedJson eventObject(const Event& e);
std::optional<Event> readEvent(Reader& r, const Json& j, const std::string& path);

/// The run record as the object a "podscope.run-record" document is.
OrderedJson runRecordObject(const RunRecord& record);

/// Reads a run record object at `path` ("" for a document of its own).
Result<RunRecord> readRunRecord(const Json& object, const std::string& path);

/// Reads a rollout record object at `path`.
Result<RolloutRecord> readRolloutRecord(const Json& object, const std::string& path);

// ---- Parsing ---------------------------------------------------------------------

/// Thrown by the depth check inside the parser's callback; never escapes.
struct TooDeep {};

/// The parse error at nlohmann's byte count as our Error: line, column and
/// 0-based byte offset, and nlohmann's explanation without its own prefix.
Error syntaxError(std::string_view text, std::size_t byte, const std::string& what);

/// Parses with the depth check (throws what nlohmann throws, and TooDeep).
Json parseLimited(std::string_view json);

/// `json` parsed with the depth check, or the error readDocument returns for
/// it: not JSON (with line, column and byte offset, a number too large for
/// a double included) or nested too deep. `kind` names the document in
/// messages. Never throws.
Result<Json> parseDocument(std::string_view json, std::string_view kind);

template <typename T>
Result<T> readDocument(std::string_view json, std::size_t maxBytes, std::string_view kind,
                       const std::function<Result<T>(const Json&)>& read) {
  if (json.size() > maxBytes) {
    Error e;
    e.message = "the " + std::string(kind) + " is too large (" + std::to_string(json.size()) + " bytes; at most " +
                std::to_string(maxBytes) + ")";
    return e;
  }
  Result<Json> root = parseDocument(json, kind);
  if (!root) return root.error();
  try {
    return read(*root);
  } catch (const std::exception& e) {
    // Reading only uses checked accessors; this is a last line of defence
    // so no exception leaves the module.
    Error err;
    err.message = "cannot read the " + std::string(kind) + ": " + e.what();
    return err;
  }
}

}  // namespace podscope::core::record_json
