#include "core/run_record_json.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

namespace podscope::core {
namespace {

using std::chrono::milliseconds;
using std::chrono::nanoseconds;
using ::testing::HasSubstr;

void expectSameRecord(const RunRecord& a, const RunRecord& b) {
  EXPECT_EQ(a.podName, b.podName);
  EXPECT_EQ(a.podNamespace, b.podNamespace);
  EXPECT_EQ(a.runtimeName, b.runtimeName);
  EXPECT_EQ(a.outcome, b.outcome);
  EXPECT_EQ(a.outcomeMessage, b.outcomeMessage);
  EXPECT_EQ(a.transitions(), b.transitions());
  EXPECT_EQ(a.events(), b.events());
  EXPECT_EQ(a.statusLines(), b.statusLines());
}

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
  for (RunOutcome outcome : {RunOutcome::Running, RunOutcome::Succeeded, RunOutcome::Failed, RunOutcome::Stopped,
                             RunOutcome::Deleted}) {
    r.outcome = outcome;
    Result<RunRecord> back = runRecordFromJson(toJson(r));
    ASSERT_TRUE(back) << back.error().toString();
    expectSameRecord(*back, r);
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
    "message": ""
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
  "statusLines": []
}
)");
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
