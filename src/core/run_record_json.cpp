#include "core/run_record_json.h"

#include <nlohmann/json.hpp>

#include <array>
#include <cstdint>
#include <exception>
#include <limits>
#include <optional>
#include <utility>

namespace podscope::core {

namespace {

using Json = nlohmann::json;
// Insertion order, so the written key order is the documented one rather
// than alphabetical.
using OrderedJson = nlohmann::ordered_json;

// Deeper nesting is never valid in a record and only costs memory.
constexpr int kMaxDepth = 64;

constexpr std::array kSubjectKinds = {SubjectKind::Pod, SubjectKind::InitContainer, SubjectKind::Container};
constexpr std::array kEventTypes = {EventType::Normal, EventType::Warning};
// Probes and hooks run in containers, never in the pod itself.
constexpr std::array kContainerKinds = {SubjectKind::InitContainer, SubjectKind::Container};
constexpr std::array kAttemptKinds = {AttemptKind::StartupProbe, AttemptKind::LivenessProbe,
                                      AttemptKind::ReadinessProbe, AttemptKind::PostStartHook,
                                      AttemptKind::PreStopHook};
constexpr std::array kAttemptResults = {AttemptResult::Success, AttemptResult::Warning, AttemptResult::Failure,
                                        AttemptResult::Error};
constexpr std::array kRunOutcomes = {RunOutcome::Running, RunOutcome::Succeeded, RunOutcome::Failed,
                                     RunOutcome::Stopped, RunOutcome::Deleted};

OrderedJson timeFields(OrderedJson object, RunTime t) {
  object["timeNs"] = static_cast<std::int64_t>(t.count());
  object["time"] = formatRunTime(t);
  return object;
}

OrderedJson durationFields(OrderedJson object, RunTime d) {
  object["durationNs"] = static_cast<std::int64_t>(d.count());
  object["duration"] = formatRunTime(d);
  return object;
}

struct TooDeep {};

Error shapeError(const std::string& path, const std::string& what) {
  Error e;
  e.message = path.empty() ? what : path + ": " + what;
  e.kind = ErrorKind::Shape;
  return e;
}

std::string typeName(const Json& j) {
  if (j.is_number_integer()) return "integer";
  if (j.is_number_float()) return "number";
  return j.type_name();
}

// Each reader returns the value, or fills `error` once and returns nothing;
// callers stop at the first error so it names the first problem.
class Reader {
 public:
  std::optional<Error> error;

  const Json* field(const Json& object, const std::string& path, const char* key, bool required) {
    auto it = object.find(key);
    if (it == object.end() || (!required && it->is_null())) {
      if (required) fail(path, std::string("missing required field \"") + key + "\"");
      return nullptr;
    }
    return &*it;
  }

  std::optional<std::string> string(const Json& object, const std::string& path, const char* key,
                                    bool required) {
    const Json* j = field(object, path, key, required);
    if (!j) return required ? std::nullopt : std::optional<std::string>(std::string());
    if (!j->is_string()) {
      fail(join(path, key), "expected a string, got " + typeName(*j));
      return std::nullopt;
    }
    return j->get<std::string>();
  }

  std::optional<std::int64_t> integer(const Json& object, const std::string& path, const char* key, bool required,
                                      std::int64_t min, std::int64_t max) {
    const Json* j = field(object, path, key, required);
    if (!j) return std::nullopt;
    std::string where = join(path, key);
    if (!j->is_number_integer()) {
      fail(where, "expected an integer, got " + typeName(*j));
      return std::nullopt;
    }
    if (j->is_number_unsigned() && j->get<std::uint64_t>() > static_cast<std::uint64_t>(max)) {
      fail(where, "value " + j->dump() + " is too large (at most " + std::to_string(max) + ")");
      return std::nullopt;
    }
    auto v = j->get<std::int64_t>();
    if (v < min) {
      fail(where, min == 0 ? "must not be negative, got " + std::to_string(v)
                           : "value " + std::to_string(v) + " is too small (at least " + std::to_string(min) + ")");
      return std::nullopt;
    }
    if (v > max) {
      fail(where, "value " + std::to_string(v) + " is too large (at most " + std::to_string(max) + ")");
      return std::nullopt;
    }
    return v;
  }

  /// An optional boolean is false when absent.
  std::optional<bool> boolean(const Json& object, const std::string& path, const char* key, bool required) {
    const Json* j = field(object, path, key, required);
    if (!j) return required ? std::nullopt : std::optional<bool>(false);
    if (!j->is_boolean()) {
      fail(join(path, key), "expected a boolean, got " + typeName(*j));
      return std::nullopt;
    }
    return j->get<bool>();
  }

  const Json* object(const Json& parent, const std::string& path, const char* key) {
    const Json* j = field(parent, path, key, true);
    if (j && !j->is_object()) {
      fail(join(path, key), "expected an object, got " + typeName(*j));
      return nullptr;
    }
    return j;
  }

  const Json* array(const Json& parent, const std::string& path, const char* key) {
    const Json* j = field(parent, path, key, true);
    if (j && !j->is_array()) {
      fail(join(path, key), "expected an array, got " + typeName(*j));
      return nullptr;
    }
    return j;
  }

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
    fail(join(path, key), "unknown value " + Json(*s).dump(-1, ' ', false, Json::error_handler_t::replace) +
                              " (expected " + expected + ")");
    return std::nullopt;
  }

  std::optional<RunTime> time(const Json& object, const std::string& path, const char* key = "timeNs") {
    auto ns = integer(object, path, key, true, 0, std::numeric_limits<std::int64_t>::max());
    if (!ns) return std::nullopt;
    return RunTime(*ns);
  }

  bool requireObject(const Json& j, const std::string& path) {
    if (j.is_object()) return true;
    fail(path, "expected an object, got " + typeName(j));
    return false;
  }

  static std::string join(const std::string& path, const char* key) { return path.empty() ? key : path + "." + key; }

 private:
  void fail(const std::string& path, const std::string& what) {
    if (!error) error = shapeError(path, what);
  }
};

Error syntaxError(std::string_view text, std::size_t byte, const std::string& what) {
  // nlohmann counts the bytes read up to and including the offending one.
  std::size_t offset = byte == 0 ? 0 : std::min(byte - 1, text.size());
  int line = 1;
  int column = 1;
  for (std::size_t i = 0; i < offset; ++i) {
    if (text[i] == '\n') {
      ++line;
      column = 1;
    } else {
      ++column;
    }
  }
  // Keep nlohmann's explanation, without its "[json.exception...] parse
  // error at line L, column C: " prefix: the position is given our way.
  std::string detail = what;
  if (auto colon = detail.find(": "); colon != std::string::npos) detail = detail.substr(colon + 2);
  Error e;
  e.message = "not valid JSON at line " + std::to_string(line) + ", column " + std::to_string(column) +
              " (byte offset " + std::to_string(offset) + "): " + detail;
  e.pos = SourcePos{line, column};
  e.kind = ErrorKind::Syntax;
  return e;
}

Result<RunRecord> readRecord(const Json& root) {
  Reader r;
  if (!r.requireObject(root, "(top level)")) return *r.error;
  auto format = root.find("format");
  if (format == root.end()) return shapeError("", "not a podscope run record: missing \"format\"");
  if (!format->is_string() || format->get<std::string>() != kRunRecordFormat) {
    return shapeError("format", "expected \"" + std::string(kRunRecordFormat) + "\", got " +
                                    format->dump(-1, ' ', false, Json::error_handler_t::replace));
  }
  auto version = r.integer(root, "", "version", true, 1, std::numeric_limits<std::int32_t>::max());
  if (!version) return *r.error;
  if (*version > kRunRecordVersion) {
    return shapeError("version", "this record has format version " + std::to_string(*version) +
                                     ", newer than this podscope reads (" + std::to_string(kRunRecordVersion) +
                                     "); use a newer podscope");
  }

  RunRecord record;
  const Json* pod = r.object(root, "", "pod");
  if (!pod) return *r.error;
  auto podName = r.string(*pod, "pod", "name", true);
  auto podNamespace = r.string(*pod, "pod", "namespace", false);
  const Json* runtime = r.object(root, "", "runtime");
  if (!podName || !podNamespace || !runtime) return *r.error;
  auto runtimeName = r.string(*runtime, "runtime", "name", true);
  const Json* outcome = r.object(root, "", "outcome");
  if (!runtimeName || !outcome) return *r.error;
  auto status = r.enumeration(*outcome, "outcome", "status", kRunOutcomes);
  auto outcomeMessage = r.string(*outcome, "outcome", "message", false);
  if (!status || !outcomeMessage) return *r.error;
  record.podName = std::move(*podName);
  record.podNamespace = std::move(*podNamespace);
  record.runtimeName = std::move(*runtimeName);
  record.outcome = *status;
  record.outcomeMessage = std::move(*outcomeMessage);
  if (auto ended = outcome->find("endedNs"); ended != outcome->end() && !ended->is_null()) {
    auto t = r.time(*outcome, "outcome", "endedNs");
    if (!t) return *r.error;
    record.ended = *t;
  }

  const Json* transitions = r.array(root, "", "transitions");
  if (!transitions) return *r.error;
  for (std::size_t i = 0; i < transitions->size(); ++i) {
    const Json& j = (*transitions)[i];
    std::string path = "transitions[" + std::to_string(i) + "]";
    if (!r.requireObject(j, path)) return *r.error;
    Transition t;
    auto time = r.time(j, path);
    if (!time) return *r.error;
    auto kind = r.enumeration(j, path, "kind", kSubjectKinds);
    auto subject = r.string(j, path, "subject", true);
    auto from = r.string(j, path, "from", false);
    auto to = r.string(j, path, "to", true);
    auto reason = r.string(j, path, "reason", false);
    auto message = r.string(j, path, "message", false);
    if (r.error) return *r.error;
    auto exitCode = r.integer(j, path, "exitCode", false, std::numeric_limits<int>::min(),
                              std::numeric_limits<int>::max());
    if (r.error) return *r.error;
    t.time = *time;
    t.kind = *kind;
    t.subject = std::move(*subject);
    t.from = std::move(*from);
    t.to = std::move(*to);
    t.reason = std::move(*reason);
    t.message = std::move(*message);
    if (exitCode) t.exitCode = static_cast<int>(*exitCode);
    record.append(std::move(t));
  }

  const Json* events = r.array(root, "", "events");
  if (!events) return *r.error;
  for (std::size_t i = 0; i < events->size(); ++i) {
    const Json& j = (*events)[i];
    std::string path = "events[" + std::to_string(i) + "]";
    if (!r.requireObject(j, path)) return *r.error;
    Event e;
    auto time = r.time(j, path);
    if (!time) return *r.error;
    auto type = r.enumeration(j, path, "type", kEventTypes);
    auto reason = r.string(j, path, "reason", true);
    auto object = r.string(j, path, "object", false);
    auto message = r.string(j, path, "message", false);
    if (r.error) return *r.error;
    e.time = *time;
    e.type = *type;
    e.reason = std::move(*reason);
    e.object = std::move(*object);
    e.message = std::move(*message);
    record.append(std::move(e));
  }

  // Arrays added within version 1: records written before them have none.
  // Absent and null both mean empty.
  auto present = [&root](const char* key) {
    auto it = root.find(key);
    return it != root.end() && !it->is_null();
  };
  if (present("statusLines")) {
    const Json* lines = r.array(root, "", "statusLines");
    if (!lines) return *r.error;
    for (std::size_t i = 0; i < lines->size(); ++i) {
      const Json& j = (*lines)[i];
      std::string path = "statusLines[" + std::to_string(i) + "]";
      if (!r.requireObject(j, path)) return *r.error;
      PodStatusLine line;
      auto time = r.time(j, path);
      if (!time) return *r.error;
      auto ready = r.string(j, path, "ready", true);
      auto status = r.string(j, path, "status", true);
      auto restarts = r.string(j, path, "restarts", true);
      auto age = r.string(j, path, "age", false);
      if (r.error) return *r.error;
      line.time = *time;
      line.ready = std::move(*ready);
      line.status = std::move(*status);
      line.restarts = std::move(*restarts);
      line.age = std::move(*age);
      record.append(std::move(line));
    }
  }

  if (present("attempts")) {
    const Json* attempts = r.array(root, "", "attempts");
    if (!attempts) return *r.error;
    for (std::size_t i = 0; i < attempts->size(); ++i) {
      const Json& j = (*attempts)[i];
      std::string path = "attempts[" + std::to_string(i) + "]";
      if (!r.requireObject(j, path)) return *r.error;
      auto time = r.time(j, path);
      if (!time) return *r.error;
      auto duration = r.time(j, path, "durationNs");
      if (!duration) return *r.error;
      auto kind = r.enumeration(j, path, "kind", kAttemptKinds);
      if (!kind) return *r.error;
      auto containerKind = r.enumeration(j, path, "containerKind", kContainerKinds);
      if (!containerKind) return *r.error;
      auto container = r.string(j, path, "container", true);
      if (!container) return *r.error;
      auto restartCount = r.integer(j, path, "restartCount", false, 0, std::numeric_limits<int>::max());
      if (r.error) return *r.error;
      auto handler = r.string(j, path, "handler", true);
      if (!handler) return *r.error;
      auto result = r.enumeration(j, path, "result", kAttemptResults);
      if (!result) return *r.error;
      auto output = r.string(j, path, "output", false);
      auto consecutive = r.integer(j, path, "consecutive", false, 0, std::numeric_limits<int>::max());
      if (r.error) return *r.error;
      auto published = r.boolean(j, path, "published", false);
      if (r.error) return *r.error;
      HandlerAttempt a;
      a.start = *time;
      a.duration = *duration;
      a.kind = *kind;
      a.containerKind = *containerKind;
      a.container = std::move(*container);
      a.restartCount = restartCount ? static_cast<int>(*restartCount) : 0;
      a.handler = std::move(*handler);
      a.result = *result;
      a.output = std::move(*output);
      a.consecutive = consecutive ? static_cast<int>(*consecutive) : 0;
      a.published = *published;
      record.append(std::move(a));
    }
  }

  if (present("conditions")) {
    const Json* conditions = r.array(root, "", "conditions");
    if (!conditions) return *r.error;
    for (std::size_t i = 0; i < conditions->size(); ++i) {
      const Json& j = (*conditions)[i];
      std::string path = "conditions[" + std::to_string(i) + "]";
      if (!r.requireObject(j, path)) return *r.error;
      auto time = r.time(j, path);
      if (!time) return *r.error;
      auto kind = r.enumeration(j, path, "kind", kSubjectKinds);
      if (!kind) return *r.error;
      auto subject = r.string(j, path, "subject", true);
      auto type = r.string(j, path, "type", true);
      if (r.error) return *r.error;
      auto status = r.boolean(j, path, "status", true);
      if (!status) return *r.error;
      auto reason = r.string(j, path, "reason", false);
      auto message = r.string(j, path, "message", false);
      if (r.error) return *r.error;
      ConditionChange c;
      c.time = *time;
      c.kind = *kind;
      c.subject = std::move(*subject);
      c.type = std::move(*type);
      c.status = *status;
      c.reason = std::move(*reason);
      c.message = std::move(*message);
      record.append(std::move(c));
    }
  }
  if (present("signals")) {
    const Json* signals = r.array(root, "", "signals");
    if (!signals) return *r.error;
    for (std::size_t i = 0; i < signals->size(); ++i) {
      const Json& j = (*signals)[i];
      std::string path = "signals[" + std::to_string(i) + "]";
      if (!r.requireObject(j, path)) return *r.error;
      auto time = r.time(j, path);
      if (!time) return *r.error;
      auto kind = r.enumeration(j, path, "kind", kSubjectKinds);
      if (!kind) return *r.error;
      auto container = r.string(j, path, "container", true);
      if (!container) return *r.error;
      auto restartCount = r.integer(j, path, "restartCount", false, 0, std::numeric_limits<int>::max());
      if (r.error) return *r.error;
      auto number = r.integer(j, path, "signal", true, 1, 64);
      if (!number) return *r.error;
      auto name = r.string(j, path, "name", false);
      if (r.error) return *r.error;
      SignalSent sig;
      sig.time = *time;
      sig.kind = *kind;
      sig.container = std::move(*container);
      sig.restartCount = restartCount ? static_cast<int>(*restartCount) : 0;
      sig.number = static_cast<int>(*number);
      sig.name = std::move(*name);
      record.append(std::move(sig));
    }
  }
  return record;
}

}  // namespace

std::string toJson(const RunRecord& record) {
  OrderedJson transitions = OrderedJson::array();
  for (const Transition& t : record.transitions()) {
    OrderedJson j = timeFields(OrderedJson::object(), t.time);
    j["kind"] = toString(t.kind);
    j["subject"] = t.subject;
    j["from"] = t.from;
    j["to"] = t.to;
    j["reason"] = t.reason;
    j["message"] = t.message;
    if (t.exitCode) j["exitCode"] = *t.exitCode;
    transitions.push_back(std::move(j));
  }
  OrderedJson events = OrderedJson::array();
  for (const Event& e : record.events()) {
    OrderedJson j = timeFields(OrderedJson::object(), e.time);
    j["type"] = toString(e.type);
    j["reason"] = e.reason;
    j["object"] = e.object;
    j["message"] = e.message;
    events.push_back(std::move(j));
  }
  OrderedJson statusLines = OrderedJson::array();
  for (const PodStatusLine& l : record.statusLines()) {
    OrderedJson j = timeFields(OrderedJson::object(), l.time);
    j["ready"] = l.ready;
    j["status"] = l.status;
    j["restarts"] = l.restarts;
    j["age"] = l.age;
    statusLines.push_back(std::move(j));
  }
  OrderedJson attempts = OrderedJson::array();
  for (const HandlerAttempt& a : record.attempts()) {
    OrderedJson j = durationFields(timeFields(OrderedJson::object(), a.start), a.duration);
    j["kind"] = toString(a.kind);
    j["containerKind"] = toString(a.containerKind);
    j["container"] = a.container;
    j["restartCount"] = a.restartCount;
    j["handler"] = a.handler.str();
    j["result"] = toString(a.result);
    j["output"] = a.output;
    j["consecutive"] = a.consecutive;
    j["published"] = a.published;
    attempts.push_back(std::move(j));
  }
  OrderedJson conditions = OrderedJson::array();
  for (const ConditionChange& c : record.conditions()) {
    OrderedJson j = timeFields(OrderedJson::object(), c.time);
    j["kind"] = toString(c.kind);
    j["subject"] = c.subject;
    j["type"] = c.type;
    j["status"] = c.status;
    j["reason"] = c.reason;
    j["message"] = c.message;
    conditions.push_back(std::move(j));
  }
  OrderedJson signals = OrderedJson::array();
  for (const SignalSent& sig : record.signalsSent()) {
    OrderedJson j = timeFields(OrderedJson::object(), sig.time);
    j["kind"] = toString(sig.kind);
    j["container"] = sig.container;
    j["restartCount"] = sig.restartCount;
    j["signal"] = sig.number;
    j["name"] = sig.name;
    signals.push_back(std::move(j));
  }
  OrderedJson root = OrderedJson::object();
  root["format"] = kRunRecordFormat;
  root["version"] = kRunRecordVersion;
  root["pod"] = {{"name", record.podName}, {"namespace", record.podNamespace}};
  root["runtime"] = {{"name", record.runtimeName}};
  root["outcome"] = {{"status", toString(record.outcome)}, {"message", record.outcomeMessage}};
  if (record.ended) {
    root["outcome"]["endedNs"] = static_cast<std::int64_t>(record.ended->count());
    root["outcome"]["ended"] = formatRunTime(*record.ended);
  }
  root["transitions"] = std::move(transitions);
  root["events"] = std::move(events);
  root["statusLines"] = std::move(statusLines);
  root["attempts"] = std::move(attempts);
  root["conditions"] = std::move(conditions);
  root["signals"] = std::move(signals);
  // Container messages may carry arbitrary bytes; replacing invalid UTF-8
  // keeps the output valid JSON instead of throwing.
  return root.dump(2, ' ', false, OrderedJson::error_handler_t::replace) + "\n";
}

Result<RunRecord> runRecordFromJson(std::string_view json) {
  if (json.size() > kMaxRunRecordJsonBytes) {
    Error e;
    e.message = "the run record is too large (" + std::to_string(json.size()) + " bytes; at most " +
                std::to_string(kMaxRunRecordJsonBytes) + ")";
    return e;
  }
  try {
    Json::parser_callback_t limitDepth = [](int depth, Json::parse_event_t, Json&) {
      if (depth > kMaxDepth) throw TooDeep{};
      return true;
    };
    Json root = Json::parse(json.begin(), json.end(), limitDepth);
    return readRecord(root);
  } catch (const Json::parse_error& e) {
    return syntaxError(json, e.byte, e.what());
  } catch (const TooDeep&) {
    return shapeError("", "nested deeper than " + std::to_string(kMaxDepth) + " levels");
  } catch (const std::exception& e) {
    // Reading only uses checked accessors; this is a last line of defence
    // so no exception leaves the module.
    Error err;
    err.message = std::string("cannot read the run record: ") + e.what();
    return err;
  }
}

}  // namespace podscope::core
