#include "core/run_record_json.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <string>
#include <utility>
#include <vector>

#include "record_compare.h"

namespace podscope::core {
namespace {

using std::chrono::milliseconds;
using std::chrono::nanoseconds;
using ::testing::HasSubstr;
using ::testing::Not;

RunRecord smallRecord() {
  RunRecord r;
  r.podName = "p";
  r.podNamespace = "default";
  r.runtimeName = "simulated";
  r.outcome = RunOutcome::Succeeded;
  r.append(Transition{milliseconds(0), SubjectKind::Pod, "p", "", "Pending", "", ""});
  r.append(Transition{milliseconds(1500), SubjectKind::Container, "c", "Running", "Terminated", "Completed",
                      "", 0});
  r.append(Event{milliseconds(12), EventType::Normal, "Started", "spec.containers{c}", "Started container c"});
  r.append(PodStatusLine{milliseconds(1500), "0/1", "Completed", "0", "1s"});
  HandlerAttempt a;
  a.start = milliseconds(1012);
  a.duration = milliseconds(3);
  a.kind = AttemptKind::ReadinessProbe;
  a.container = "c";
  a.handler = "exec [cat /tmp/ready]";
  a.result = AttemptResult::Success;
  a.output = "ok\n";
  a.consecutive = 1;
  a.published = true;
  r.append(std::move(a));
  r.append(ConditionChange{milliseconds(1015), SubjectKind::Container, "c", "Ready", true, "", ""});
  r.ended = milliseconds(1500);
  return r;
}

// Everything needed to build a valid record around one changed part.
std::string recordWith(const std::string& transitions,
                       const std::string& header = R"("format": "podscope.run-record", "version": 1)") {
  return "{" + header + R"(, "pod": {"name": "p", "namespace": "default"}, "runtime": {"name": "simulated"},
            "outcome": {"status": "Succeeded", "message": ""}, "transitions": )" +
         transitions + R"(, "events": []})";
}

TEST(RunRecordJson, RoundTripsEveryFieldAndEnumValue) {
  RunRecord r;
  r.podName = "web";
  r.podNamespace = "team-a";
  r.runtimeName = "containerd";
  r.outcome = RunOutcome::Failed;
  r.outcomeMessage = "container \"app\" exited with code 3 \u2014 \"quoted\"\n\ttabbed";
  const SubjectKind kinds[] = {SubjectKind::Pod, SubjectKind::InitContainer, SubjectKind::Container};
  int i = 0;
  for (SubjectKind kind : kinds) {
    r.append(Transition{nanoseconds(1'234'567'891LL + i), kind, "s" + std::to_string(i), "Waiting", "Terminated",
                        "Error", "msg " + std::to_string(i), -1 + i});
    r.append(Transition{nanoseconds(9'000'000'000'000LL + i), kind, "t", "", "Running", "", ""});
    ++i;
  }
  r.append(Transition{nanoseconds(0), SubjectKind::Pod, "web", "", "Pending", "", "", 2147483647});
  r.append(Event{nanoseconds(7), EventType::Normal, "Pulled", "spec.initContainers{init}", "ok"});
  r.append(Event{nanoseconds(8), EventType::Warning, "BackOff", "", "Back-off restarting"});
  r.append(PodStatusLine{nanoseconds(9), "0/1", "Init:0/2", "0", "0s"});
  r.append(PodStatusLine{nanoseconds(10), "1/1", "Running", "3 (15s ago)", "5m2s"});
  const AttemptKind attemptKinds[] = {AttemptKind::StartupProbe, AttemptKind::LivenessProbe,
                                      AttemptKind::ReadinessProbe, AttemptKind::PostStartHook,
                                      AttemptKind::PreStopHook};
  const AttemptResult results[] = {AttemptResult::Success, AttemptResult::Warning, AttemptResult::Failure,
                                   AttemptResult::Error};
  int n = 0;
  for (AttemptKind kind : attemptKinds) {
    for (AttemptResult result : results) {
      HandlerAttempt a;
      a.start = nanoseconds(1'000'000'007LL * n + 1);
      a.duration = nanoseconds(999'999 + n);
      a.kind = kind;
      a.containerKind = n % 2 == 0 ? SubjectKind::Container : SubjectKind::InitContainer;
      a.container = "c" + std::to_string(n);
      a.restartCount = n;
      a.handler = "httpGet http://10.88.0.2:80/\u00e9?q=\"x\"";
      a.result = result;
      a.output = "line 1\n\tline 2\r\n\u2026";
      a.consecutive = n % 4;
      a.published = n % 3 == 0;
      r.append(std::move(a));
      ++n;
    }
  }
  HandlerAttempt extreme;
  extreme.start = nanoseconds(std::numeric_limits<std::int64_t>::max());
  extreme.duration = nanoseconds(std::numeric_limits<std::int64_t>::max());
  extreme.restartCount = std::numeric_limits<int>::max();
  extreme.consecutive = std::numeric_limits<int>::max();
  r.append(std::move(extreme));
  r.append(ConditionChange{nanoseconds(11), SubjectKind::Pod, "web", "PodReadyToStartContainers", true, "", ""});
  r.append(ConditionChange{nanoseconds(12), SubjectKind::Pod, "web", "Ready", false, "ContainersNotReady",
                           "containers with unready status: [app]"});
  r.append(ConditionChange{nanoseconds(13), SubjectKind::InitContainer, "init", "Started", true, "", ""});
  r.append(ConditionChange{nanoseconds(14), SubjectKind::Container, "app", "Ready", false, "r", "m"});
  r.append(SignalSent{nanoseconds(15), SubjectKind::Container, "app", 3, 15, "SIGTERM"});
  r.append(SignalSent{nanoseconds(16), SubjectKind::InitContainer, "sidecar", 0, 3, "SIGQUIT"});
  r.append(SignalSent{nanoseconds(std::numeric_limits<std::int64_t>::max()), SubjectKind::Container, "app",
                      std::numeric_limits<int>::max(), 9, "SIGKILL"});
  r.ended = nanoseconds(std::numeric_limits<std::int64_t>::max());
  for (RunOutcome outcome : {RunOutcome::Running, RunOutcome::Succeeded, RunOutcome::Failed, RunOutcome::Stopped,
                             RunOutcome::Deleted}) {
    r.outcome = outcome;
    Result<RunRecord> back = runRecordFromJson(toJson(r));
    ASSERT_TRUE(back) << back.error().toString();
    testing::expectSameRunRecord(*back, r);
    EXPECT_EQ(toJson(*back), toJson(r));
  }
}

TEST(RunRecordJson, WritesTheDocumentedLayout) {
  EXPECT_EQ(toJson(smallRecord()), R"({
  "format": "podscope.run-record",
  "version": 1,
  "pod": {
    "name": "p",
    "namespace": "default"
  },
  "runtime": {
    "name": "simulated"
  },
  "outcome": {
    "status": "Succeeded",
    "message": "",
    "endedNs": 1500000000,
    "ended": "1.500s"
  },
  "transitions": [
    {
      "timeNs": 0,
      "time": "0.000s",
      "kind": "pod",
      "subject": "p",
      "from": "",
      "to": "Pending",
      "reason": "",
      "message": ""
    },
    {
      "timeNs": 1500000000,
      "time": "1.500s",
      "kind": "container",
      "subject": "c",
      "from": "Running",
      "to": "Terminated",
      "reason": "Completed",
      "message": "",
      "exitCode": 0
    }
  ],
  "events": [
    {
      "timeNs": 12000000,
      "time": "0.012s",
      "type": "Normal",
      "reason": "Started",
      "object": "spec.containers{c}",
      "message": "Started container c"
    }
  ],
  "statusLines": [
    {
      "timeNs": 1500000000,
      "time": "1.500s",
      "ready": "0/1",
      "status": "Completed",
      "restarts": "0",
      "age": "1s"
    }
  ],
  "attempts": [
    {
      "timeNs": 1012000000,
      "time": "1.012s",
      "durationNs": 3000000,
      "duration": "0.003s",
      "kind": "readinessProbe",
      "containerKind": "container",
      "container": "c",
      "restartCount": 0,
      "handler": "exec [cat /tmp/ready]",
      "result": "success",
      "output": "ok\n",
      "consecutive": 1,
      "published": true
    }
  ],
  "conditions": [
    {
      "timeNs": 1015000000,
      "time": "1.015s",
      "kind": "container",
      "subject": "c",
      "type": "Ready",
      "status": true,
      "reason": "",
      "message": ""
    }
  ],
  "signals": []
}
)");
}

// A valid record with `members` added at the top level.
std::string recordWithMembers(const std::string& members) {
  std::string json = recordWith("[]");
  json.pop_back();  // the closing brace
  return json + ", " + members + "}";
}

using Fields = std::vector<std::pair<std::string, std::string>>;  // key, JSON value

std::string object(const Fields& fields) {
  std::string json = "{";
  for (const auto& [key, value] : fields) json += (json.size() > 1 ? ", \"" : "\"") + key + "\": " + value;
  return json + "}";
}

// `fields` with `key` set to `value` (JSON), or left out when `value` is empty.
Fields with(Fields fields, const std::string& key, const std::string& value) {
  std::erase_if(fields, [&](const auto& field) { return field.first == key; });
  if (!value.empty()) fields.emplace_back(key, value);
  return fields;
}

const Fields kAttempt = {{"timeNs", "1"},
                         {"durationNs", "2"},
                         {"kind", R"("livenessProbe")"},
                         {"containerKind", R"("container")"},
                         {"container", R"("app")"},
                         {"handler", R"("exec [true]")"},
                         {"result", R"("success")"}};

const Fields kCondition = {
    {"timeNs", "1"}, {"kind", R"("pod")"}, {"subject", R"("p")"}, {"type", R"("Ready")"}, {"status", "true"}};

TEST(RunRecordJson, AcceptsVersion1RecordsWithoutTheNewerArrays) {
  Result<RunRecord> old = runRecordFromJson(R"({
  "format": "podscope.run-record",
  "version": 1,
  "pod": {"name": "p", "namespace": "default"},
  "runtime": {"name": "simulated"},
  "outcome": {"status": "Succeeded", "message": ""},
  "transitions": [{"timeNs": 0, "time": "0.000s", "kind": "pod", "subject": "p", "from": "", "to": "Pending",
                   "reason": "", "message": ""}],
  "events": []
}
)");
  ASSERT_TRUE(old) << old.error().toString();
  EXPECT_EQ(old->transitions().size(), 1u);
  EXPECT_TRUE(old->statusLines().empty());
  EXPECT_TRUE(old->attempts().empty());
  EXPECT_TRUE(old->conditions().empty());
  EXPECT_TRUE(old->signalsSent().empty());
  EXPECT_FALSE(old->ended);
  EXPECT_EQ(old->lastTime(), nanoseconds(0));

  Result<RunRecord> nulls = runRecordFromJson(
      recordWithMembers(R"("statusLines": null, "attempts": null, "conditions": null, "signals": null)"));
  ASSERT_TRUE(nulls) << nulls.error().toString();
  EXPECT_TRUE(nulls->statusLines().empty());
  EXPECT_TRUE(nulls->attempts().empty());
  EXPECT_TRUE(nulls->conditions().empty());
}

TEST(RunRecordJson, AttemptsAndConditionsDefaultTheirOptionalFields) {
  Result<RunRecord> r = runRecordFromJson(recordWithMembers(
      R"("attempts": [)" + object(kAttempt) + ", " +
      object(with(with(with(with(kAttempt, "output", "null"), "restartCount", "null"), "consecutive", "null"),
                  "published", "null")) +
      R"(], "conditions": [)" + object(kCondition) + ", " +
      object(with(with(kCondition, "reason", "null"), "message", "null")) + "]"));
  ASSERT_TRUE(r) << r.error().toString();
  HandlerAttempt expected;
  expected.start = nanoseconds(1);
  expected.duration = nanoseconds(2);
  expected.kind = AttemptKind::LivenessProbe;
  expected.containerKind = SubjectKind::Container;
  expected.container = "app";
  expected.restartCount = 0;
  expected.handler = "exec [true]";
  expected.result = AttemptResult::Success;
  expected.output = "";
  expected.consecutive = 0;
  expected.published = false;
  EXPECT_EQ(r->attempts(), (std::deque<HandlerAttempt>{expected, expected}));
  ConditionChange condition{nanoseconds(1), SubjectKind::Pod, "p", "Ready", true, "", ""};
  EXPECT_EQ(r->conditions(), (std::vector<ConditionChange>{condition, condition}));
}

TEST(RunRecordJson, BadAttemptsNameTheirPath) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {R"({"x": 1})", "attempts: expected an array, got object"},
      {"[1]", "attempts[0]: expected an object, got integer"},
      {"[" + object(with(kAttempt, "timeNs", "")) + "]", R"(attempts[0]: missing required field "timeNs")"},
      {"[" + object(with(kAttempt, "timeNs", "-5")) + "]", "attempts[0].timeNs: must not be negative, got -5"},
      {"[" + object(with(kAttempt, "durationNs", "")) + "]", R"(attempts[0]: missing required field "durationNs")"},
      {"[" + object(with(kAttempt, "durationNs", "0.5")) + "]",
       "attempts[0].durationNs: expected an integer, got number"},
      {"[" + object(with(kAttempt, "durationNs", "-1")) + "]", "attempts[0].durationNs: must not be negative, got -1"},
      {"[" + object(with(kAttempt, "durationNs", "9223372036854775808")) + "]",
       "attempts[0].durationNs: value 9223372036854775808 is too large (at most 9223372036854775807)"},
      {"[" + object(with(kAttempt, "kind", "")) + "]", R"(attempts[0]: missing required field "kind")"},
      {"[" + object(with(kAttempt, "kind", R"("livenessprobe")")) + "]",
       R"(attempts[0].kind: unknown value "livenessprobe" (expected startupProbe, livenessProbe, readinessProbe, postStart or preStop))"},
      {"[" + object(with(kAttempt, "containerKind", "")) + "]",
       R"(attempts[0]: missing required field "containerKind")"},
      {"[" + object(with(kAttempt, "containerKind", R"("pod")")) + "]",
       R"(attempts[0].containerKind: unknown value "pod" (expected init or container))"},
      {"[" + object(with(kAttempt, "container", "")) + "]", R"(attempts[0]: missing required field "container")"},
      {"[" + object(with(kAttempt, "container", "3")) + "]", "attempts[0].container: expected a string, got integer"},
      {"[" + object(with(kAttempt, "restartCount", "-1")) + "]",
       "attempts[0].restartCount: must not be negative, got -1"},
      {"[" + object(with(kAttempt, "restartCount", "2147483648")) + "]",
       "attempts[0].restartCount: value 2147483648 is too large (at most 2147483647)"},
      {"[" + object(with(kAttempt, "restartCount", R"("1")")) + "]",
       "attempts[0].restartCount: expected an integer, got string"},
      {"[" + object(with(kAttempt, "handler", "")) + "]", R"(attempts[0]: missing required field "handler")"},
      {"[" + object(with(kAttempt, "handler", "null")) + "]", "attempts[0].handler: expected a string, got null"},
      {"[" + object(with(kAttempt, "result", "")) + "]", R"(attempts[0]: missing required field "result")"},
      {"[" + object(kAttempt) + ", " + object(kAttempt) + ", " + object(kAttempt) + ", " +
           object(with(kAttempt, "result", R"("ok")")) + "]",
       R"(attempts[3].result: unknown value "ok" (expected success, warning, failure or error))"},
      {"[" + object(with(kAttempt, "output", R"(["x"])")) + "]", "attempts[0].output: expected a string, got array"},
      {"[" + object(with(kAttempt, "consecutive", "-2")) + "]",
       "attempts[0].consecutive: must not be negative, got -2"},
      {"[" + object(with(kAttempt, "consecutive", "4294967296")) + "]",
       "attempts[0].consecutive: value 4294967296 is too large (at most 2147483647)"},
      {"[" + object(with(kAttempt, "consecutive", "true")) + "]",
       "attempts[0].consecutive: expected an integer, got boolean"},
      {"[" + object(with(kAttempt, "published", R"("yes")")) + "]",
       "attempts[0].published: expected a boolean, got string"},
      {"[" + object(with(kAttempt, "published", "1")) + "]", "attempts[0].published: expected a boolean, got integer"},
  };
  for (const auto& [attempts, message] : cases) {
    Result<RunRecord> r = runRecordFromJson(recordWithMembers(R"("attempts": )" + attempts));
    ASSERT_FALSE(r) << attempts;
    EXPECT_EQ(r.error().message, message) << attempts;
    EXPECT_EQ(r.error().kind, ErrorKind::Shape) << attempts;
  }
}

TEST(RunRecordJson, BadConditionsNameTheirPath) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {R"("none")", "conditions: expected an array, got string"},
      {"[null]", "conditions[0]: expected an object, got null"},
      {"[" + object(with(kCondition, "timeNs", "")) + "]", R"(conditions[0]: missing required field "timeNs")"},
      {"[" + object(with(kCondition, "timeNs", R"("1")")) + "]",
       "conditions[0].timeNs: expected an integer, got string"},
      {"[" + object(with(kCondition, "kind", "")) + "]", R"(conditions[0]: missing required field "kind")"},
      {"[" + object(kCondition) + ", " + object(with(kCondition, "kind", R"("Pod")")) + "]",
       R"(conditions[1].kind: unknown value "Pod" (expected pod, init or container))"},
      {"[" + object(with(kCondition, "subject", "")) + "]", R"(conditions[0]: missing required field "subject")"},
      {"[" + object(with(kCondition, "subject", "1")) + "]", "conditions[0].subject: expected a string, got integer"},
      {"[" + object(with(kCondition, "type", "")) + "]", R"(conditions[0]: missing required field "type")"},
      {"[" + object(with(kCondition, "type", "false")) + "]", "conditions[0].type: expected a string, got boolean"},
      {"[" + object(with(kCondition, "status", "")) + "]", R"(conditions[0]: missing required field "status")"},
      {"[" + object(with(kCondition, "status", R"("True")")) + "]",
       "conditions[0].status: expected a boolean, got string"},
      {"[" + object(with(kCondition, "status", "null")) + "]", "conditions[0].status: expected a boolean, got null"},
      {"[" + object(with(kCondition, "reason", "5")) + "]", "conditions[0].reason: expected a string, got integer"},
      {"[" + object(with(kCondition, "message", "{}")) + "]", "conditions[0].message: expected a string, got object"},
  };
  for (const auto& [conditions, message] : cases) {
    Result<RunRecord> r = runRecordFromJson(recordWithMembers(R"("conditions": )" + conditions));
    ASSERT_FALSE(r) << conditions;
    EXPECT_EQ(r.error().message, message) << conditions;
    EXPECT_EQ(r.error().kind, ErrorKind::Shape) << conditions;
  }
}

const Fields kSignal = {
    {"timeNs", "5"}, {"kind", R"("container")"}, {"container", R"("app")"}, {"signal", "15"}};

TEST(RunRecordJson, SignalsDefaultTheirOptionalFields) {
  Result<RunRecord> r = runRecordFromJson(recordWithMembers(
      R"("signals": [)" + object(kSignal) + ", " +
      object(with(with(with(kSignal, "restartCount", "2"), "name", R"("SIGTERM")"), "signal", "9")) + "]"));
  ASSERT_TRUE(r) << r.error().toString();
  EXPECT_EQ(r->signalsSent(), (std::vector<SignalSent>{{nanoseconds(5), SubjectKind::Container, "app", 0, 15, ""},
                                                       {nanoseconds(5), SubjectKind::Container, "app", 2, 9, "SIGTERM"}}));
}

TEST(RunRecordJson, BadSignalsAndEndNameTheirPath) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {R"("signals": 1)", "signals: expected an array, got integer"},
      {R"("signals": [[]])", "signals[0]: expected an object, got array"},
      {R"("signals": [)" + object(with(kSignal, "signal", "")) + "]", R"(signals[0]: missing required field "signal")"},
      {R"("signals": [)" + object(with(kSignal, "signal", "0")) + "]", "signals[0].signal: value 0 is too small (at least 1)"},
      {R"("signals": [)" + object(with(kSignal, "signal", "65")) + "]",
       "signals[0].signal: value 65 is too large (at most 64)"},
      {R"("outcome": {"status": "Succeeded", "endedNs": -1})", "outcome.endedNs: must not be negative, got -1"},
      {R"("signals": [)" + object(with(kSignal, "kind", R"("sidecar")")) + "]",
       R"(signals[0].kind: unknown value "sidecar" (expected pod, init or container))"},
      {R"("signals": [)" + object(with(kSignal, "container", "")) + "]",
       R"(signals[0]: missing required field "container")"},
      {R"("signals": [)" + object(with(kSignal, "name", "7")) + "]", "signals[0].name: expected a string, got integer"},
  };
  for (const auto& [members, message] : cases) {
    Result<RunRecord> r = runRecordFromJson(recordWithMembers(members));
    ASSERT_FALSE(r) << members;
    EXPECT_EQ(r.error().message, message) << members;
  }
}

TEST(RunRecordJson, IgnoresUnknownFieldsAndDefaultsOptionalOnes) {
  Result<RunRecord> r = runRecordFromJson(recordWith(
      R"([{"timeNs": 5, "kind": "init", "subject": "i", "to": "Running", "future": {"x": [1]}, "exitCode": null}])",
      R"("format": "podscope.run-record", "version": 1, "producer": "someone else")"));
  ASSERT_TRUE(r) << r.error().toString();
  ASSERT_EQ(r->transitions().size(), 1u);
  EXPECT_EQ(r->transitions()[0].time, nanoseconds(5));
  EXPECT_EQ(r->transitions()[0].kind, SubjectKind::InitContainer);
  EXPECT_EQ(r->transitions()[0].from, "");
  EXPECT_FALSE(r->transitions()[0].exitCode);
}

TEST(RunRecordJson, NotJsonNamesLineColumnAndByte) {
  Result<RunRecord> r = runRecordFromJson("{\n  \"format\": nope\n}");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().kind, ErrorKind::Syntax);
  EXPECT_THAT(r.error().message, HasSubstr("not valid JSON at line 2, column 14 (byte offset 15)"));
  ASSERT_TRUE(r.error().pos);
  EXPECT_EQ(r.error().pos->line, 2);
  EXPECT_FALSE(runRecordFromJson(""));
  EXPECT_FALSE(runRecordFromJson("[1, 2"));
}

// Found by tests/fuzz/record_fuzzer: nlohmann's parser throws a range error
// without a position for a number no double can hold, and that came out as
// "cannot read the run record: [json.exception.out_of_range.406] ...".
TEST(RunRecordJson, ANumberTooLargeForADoubleIsASyntaxErrorAtTheNumber) {
  Result<RunRecord> r = runRecordFromJson(recordWith("[]", R"("format": "podscope.run-record", "version": 1,
    "future": [0, 1e400])"));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().kind, ErrorKind::Syntax);
  EXPECT_EQ(r.error().message, "not valid JSON at line 2, column 19 (byte offset 66): number overflow parsing '1e400'");
  ASSERT_TRUE(r.error().pos);
  EXPECT_EQ(r.error().pos->line, 2);
  EXPECT_EQ(r.error().pos->column, 19);
  // Wherever it is, a required field's value included.
  Result<RunRecord> time = runRecordFromJson(recordWith(R"([{"timeNs": -2.5e999999, "kind": "pod"}])"));
  ASSERT_FALSE(time);
  EXPECT_THAT(time.error().message, HasSubstr("number overflow parsing '-2.5e999999'"));
  Result<RunRecord> huge = runRecordFromJson(recordWith(R"([{"timeNs": )" + std::string(400, '9') + ".0}]"));
  ASSERT_FALSE(huge);
  EXPECT_EQ(huge.error().kind, ErrorKind::Syntax);
  EXPECT_THAT(huge.error().message, Not(HasSubstr("json.exception")));
}

// Found by tests/fuzz/record_fuzzer: the syntax error quoted the bytes the
// parser last read, invalid UTF-8 and all, into a message the desktop shows
// and the CLI prints. Columns count characters, as SourcePos does.
TEST(RunRecordJson, BytesThatAreNotUtf8AreNotQuotedIntoTheMessage) {
  Result<RunRecord> r = runRecordFromJson("{\"format\": \"caf\u00e9\xff\xfe\"}");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().kind, ErrorKind::Syntax);
  EXPECT_THAT(r.error().message, HasSubstr("not valid JSON at line 1, column 17 (byte offset 17): "));
  EXPECT_THAT(r.error().message, HasSubstr("ill-formed UTF-8 byte"));
  EXPECT_THAT(r.error().message, HasSubstr("caf\u00e9\ufffd"));
  EXPECT_THAT(r.error().message, Not(HasSubstr("\xff")));
  EXPECT_EQ(r.error().pos->column, 17);
  // A cut-off sequence, a surrogate and an overlong form are replaced too.
  for (const char* bad : {"\xe2\x82", "\xed\xa0\x80", "\xc0\xaf", "\xf4\x90\x80\x80"}) {
    Result<RunRecord> e = runRecordFromJson(std::string("{\"format\": \"x") + bad + "\"}");
    ASSERT_FALSE(e);
    EXPECT_THAT(e.error().message, HasSubstr("\ufffd")) << e.error().message;
    EXPECT_EQ(e.error().message.find(bad), std::string::npos) << e.error().message;
  }
}

TEST(RunRecordJson, RefusesOtherFormatsAndNewerVersions) {
  Result<RunRecord> other = runRecordFromJson(recordWith("[]", R"("format": "something.else", "version": 1)"));
  ASSERT_FALSE(other);
  EXPECT_EQ(other.error().message, R"(format: expected "podscope.run-record", got "something.else")");
  Result<RunRecord> none = runRecordFromJson(R"({"version": 1})");
  ASSERT_FALSE(none);
  EXPECT_THAT(none.error().message, HasSubstr("not a podscope run record"));
  Result<RunRecord> v2 = runRecordFromJson(recordWith("[]", R"("format": "podscope.run-record", "version": 2)"));
  ASSERT_FALSE(v2);
  EXPECT_EQ(v2.error().message,
            "version: this record has format version 2, newer than this podscope reads (1); use a newer podscope");
  EXPECT_FALSE(runRecordFromJson(recordWith("[]", R"("format": "podscope.run-record", "version": 0)")));
  EXPECT_FALSE(runRecordFromJson(R"(["podscope.run-record"])"));
}

TEST(RunRecordJson, MissingOrMistypedFieldsNameTheirPath) {
  Result<RunRecord> missing = runRecordFromJson(
      R"({"format": "podscope.run-record", "version": 1, "pod": {"name": "p"}, "runtime": {"name": "sim"},
          "outcome": {"status": "Running"}, "events": []})");
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().message, R"(missing required field "transitions")");
  EXPECT_EQ(missing.error().kind, ErrorKind::Shape);

  Result<RunRecord> noTo = runRecordFromJson(recordWith(R"([{"timeNs": 0, "kind": "pod", "subject": "p"}])"));
  ASSERT_FALSE(noTo);
  EXPECT_EQ(noTo.error().message, R"(transitions[0]: missing required field "to")");

  Result<RunRecord> wrongType = runRecordFromJson(recordWith(R"({"a": 1})"));
  ASSERT_FALSE(wrongType);
  EXPECT_EQ(wrongType.error().message, "transitions: expected an array, got object");
}

TEST(RunRecordJson, UnknownKindIsAnError) {
  std::string ok = R"({"timeNs": 0, "kind": "pod", "subject": "p", "to": "Pending"})";
  Result<RunRecord> r = runRecordFromJson(
      recordWith("[" + ok + "," + ok + "," + ok + R"(, {"timeNs": 1, "kind": "foo", "subject": "p", "to": "x"}])"));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().message,
            R"(transitions[3].kind: unknown value "foo" (expected pod, init or container))");
}

TEST(RunRecordJson, TimesMustBeNonNegativeIntegers) {
  Result<RunRecord> negative =
      runRecordFromJson(recordWith(R"([{"timeNs": -1, "kind": "pod", "subject": "p", "to": "Pending"}])"));
  ASSERT_FALSE(negative);
  EXPECT_EQ(negative.error().message, "transitions[0].timeNs: must not be negative, got -1");
  Result<RunRecord> fraction =
      runRecordFromJson(recordWith(R"([{"timeNs": 1.5, "kind": "pod", "subject": "p", "to": "Pending"}])"));
  ASSERT_FALSE(fraction);
  EXPECT_EQ(fraction.error().message, "transitions[0].timeNs: expected an integer, got number");
  Result<RunRecord> huge = runRecordFromJson(
      recordWith(R"([{"timeNs": 18446744073709551615, "kind": "pod", "subject": "p", "to": "Pending"}])"));
  ASSERT_FALSE(huge);
  EXPECT_THAT(huge.error().message, HasSubstr("transitions[0].timeNs: value 18446744073709551615 is too large"));
  Result<RunRecord> exitCode = runRecordFromJson(
      recordWith(R"([{"timeNs": 0, "kind": "pod", "subject": "p", "to": "Pending", "exitCode": 4294967296}])"));
  ASSERT_FALSE(exitCode);
  EXPECT_THAT(exitCode.error().message, HasSubstr("transitions[0].exitCode: value 4294967296 is too large"));
}

TEST(RunRecordJson, RefusesHostileShapes) {
  EXPECT_THAT(runRecordFromJson(std::string(100, '[') + std::string(100, ']')).error().message,
              HasSubstr("nested deeper than 64 levels"));
  Result<RunRecord> badUtf8 = runRecordFromJson("{\"format\": \"\xff\"}");
  EXPECT_FALSE(badUtf8);
}

TEST(RunRecordJson, InvalidUtf8IsReplacedWhenWriting) {
  RunRecord r = smallRecord();
  r.outcomeMessage = "bad \xff byte";
  Result<RunRecord> back = runRecordFromJson(toJson(r));
  ASSERT_TRUE(back) << back.error().toString();
  EXPECT_EQ(back->outcomeMessage, "bad \xef\xbf\xbd byte");
}

}  // namespace
}  // namespace podscope::core
