#include "core/run_record_json.h"

#include <array>
#include <cstdint>
#include <limits>
#include <optional>
#include <utility>

#include "core/record_json_detail.h"

namespace podscope::core {

namespace record_json {

namespace {

constexpr std::array kSubjectKinds = {SubjectKind::Pod, SubjectKind::InitContainer, SubjectKind::Container};
// Probes and hooks run in containers, never in the pod itself.
constexpr std::array kContainerKinds = {SubjectKind::InitContainer, SubjectKind::Container};
constexpr std::array kAttemptKinds = {AttemptKind::StartupProbe, AttemptKind::LivenessProbe,
                                      AttemptKind::ReadinessProbe, AttemptKind::PostStartHook,
                                      AttemptKind::PreStopHook};
constexpr std::array kAttemptResults = {AttemptResult::Success, AttemptResult::Warning, AttemptResult::Failure,
                                        AttemptResult::Error};

OrderedJson timeFields(OrderedJson object, RunTime t) {
  putTime(object, "time", t);
  return object;
}

OrderedJson durationFields(OrderedJson object, RunTime d) {
  putTime(object, "duration", d);
  return object;
}

}  // namespace

OrderedJson eventObject(const Event& e) {
  OrderedJson j = timeFields(OrderedJson::object(), e.time);
  j["type"] = toString(e.type);
  j["reason"] = e.reason;
  j["object"] = e.object;
  j["message"] = e.message;
  return j;
}

std::optional<Event> readEvent(Reader& r, const Json& j, const std::string& path) {
  if (!r.requireObject(j, path)) return std::nullopt;
  auto time = r.time(j, path);
  if (!time) return std::nullopt;
  auto type = r.enumeration(j, path, "type", kEventTypes);
  auto reason = r.string(j, path, "reason", true);
  auto object = r.string(j, path, "object", false);
  auto message = r.string(j, path, "message", false);
  if (r.error) return std::nullopt;
  Event e;
  e.time = *time;
  e.type = *type;
  e.reason = std::move(*reason);
  e.object = std::move(*object);
  e.message = std::move(*message);
  return e;
}

OrderedJson runRecordObject(const RunRecord& record) {
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
  for (const Event& e : record.events()) events.push_back(eventObject(e));
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
  if (record.ended) putTime(root["outcome"], "ended", *record.ended);
  root["transitions"] = std::move(transitions);
  root["events"] = std::move(events);
  root["statusLines"] = std::move(statusLines);
  root["attempts"] = std::move(attempts);
  root["conditions"] = std::move(conditions);
  root["signals"] = std::move(signals);
  return root;
}

Result<RunRecord> readRunRecord(const Json& root, const std::string& at) {
  if (std::optional<Error> e = checkFormat(root, at, kRunRecordFormat, kRunRecordVersion, "run record")) return *e;
  Reader r;
  const std::string podPath = join(at, "pod");
  const std::string runtimePath = join(at, "runtime");
  const std::string outcomePath = join(at, "outcome");

  RunRecord record;
  const Json* pod = r.object(root, at, "pod");
  if (!pod) return *r.error;
  auto podName = r.string(*pod, podPath, "name", true);
  auto podNamespace = r.string(*pod, podPath, "namespace", false);
  const Json* runtime = r.object(root, at, "runtime");
  if (!podName || !podNamespace || !runtime) return *r.error;
  auto runtimeName = r.string(*runtime, runtimePath, "name", true);
  const Json* outcome = r.object(root, at, "outcome");
  if (!runtimeName || !outcome) return *r.error;
  auto status = r.enumeration(*outcome, outcomePath, "status", kRunOutcomes);
  auto outcomeMessage = r.string(*outcome, outcomePath, "message", false);
  if (!status || !outcomeMessage) return *r.error;
  record.podName = std::move(*podName);
  record.podNamespace = std::move(*podNamespace);
  record.runtimeName = std::move(*runtimeName);
  record.outcome = *status;
  record.outcomeMessage = std::move(*outcomeMessage);
  if (auto ended = outcome->find("endedNs"); ended != outcome->end() && !ended->is_null()) {
    auto t = r.time(*outcome, outcomePath, "endedNs");
    if (!t) return *r.error;
    record.ended = *t;
  }

  const Json* transitions = r.array(root, at, "transitions");
  if (!transitions) return *r.error;
  for (std::size_t i = 0; i < transitions->size(); ++i) {
    const Json& j = (*transitions)[i];
    std::string path = element(at, "transitions", i);
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

  const Json* events = r.array(root, at, "events");
  if (!events) return *r.error;
  for (std::size_t i = 0; i < events->size(); ++i) {
    const Json& j = (*events)[i];
    std::string path = element(at, "events", i);
    std::optional<Event> e = readEvent(r, j, path);
    if (!e) return *r.error;
    record.append(std::move(*e));
  }

  // Arrays added within version 1: records written before them have none.
  // Absent and null both mean empty.
  auto present = [&root](const char* key) { return Reader::present(root, key); };
  if (present("statusLines")) {
    const Json* lines = r.array(root, at, "statusLines");
    if (!lines) return *r.error;
    for (std::size_t i = 0; i < lines->size(); ++i) {
      const Json& j = (*lines)[i];
      std::string path = element(at, "statusLines", i);
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
    const Json* attempts = r.array(root, at, "attempts");
    if (!attempts) return *r.error;
    for (std::size_t i = 0; i < attempts->size(); ++i) {
      const Json& j = (*attempts)[i];
      std::string path = element(at, "attempts", i);
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
    const Json* conditions = r.array(root, at, "conditions");
    if (!conditions) return *r.error;
    for (std::size_t i = 0; i < conditions->size(); ++i) {
      const Json& j = (*conditions)[i];
      std::string path = element(at, "conditions", i);
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
    const Json* signals = r.array(root, at, "signals");
    if (!signals) return *r.error;
    for (std::size_t i = 0; i < signals->size(); ++i) {
      const Json& j = (*signals)[i];
      std::string path = element(at, "signals", i);
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

}  // namespace record_json

std::string toJson(const RunRecord& record) { return record_json::dump(record_json::runRecordObject(record)); }

Result<RunRecord> runRecordFromJson(std::string_view json) {
  return record_json::readDocument<RunRecord>(json, kMaxRunRecordJsonBytes, "run record", [](const record_json::Json& root) {
    return record_json::readRunRecord(root, "");
  });
}

}  // namespace podscope::core
