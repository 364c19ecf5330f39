// The rollout record's JSON form ("podscope.rollout-record"): every field
// and enum value round-trips, the layout is the documented one, and input
// meant to hurt the reader (wrong types and missing fields at nested paths,
// a newer version, bad syntax, hostile strings, deep nesting, names listed
// twice or pointing nowhere) ends as an error naming its JSON path.

#include "core/rollout_record_json.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdint>
#include <functional>
#include <limits>
#include <string>
#include <utility>
#include <vector>

#include "core/pod_template_yaml.h"
#include "core/utf8_text.h"
#include "record_compare.h"
#include "rollout_samples.h"

namespace podscope::core {
namespace {

using std::chrono::nanoseconds;
using ::testing::HasSubstr;
using Json = nlohmann::json;

constexpr std::int64_t kMaxInt64 = std::numeric_limits<std::int64_t>::max();
constexpr std::int32_t kMaxInt32 = std::numeric_limits<std::int32_t>::max();

void expectRoundTrip(const RolloutRecord& r) {
  const std::string json = toJson(r);
  Result<RolloutRecord> back = rolloutRecordFromJson(json);
  ASSERT_TRUE(back) << back.error().toString();
  testing::expectSameRolloutRecord(*back, r);
  EXPECT_EQ(toJson(*back), json);
}

TEST(RolloutRecordJson, RoundTripsEveryFieldAndEnumValue) {
  RolloutRecord r;
  r.deploymentName = "web";
  r.deploymentNamespace = "team-a";
  r.runtimeName = "containerd";
  r.outcomeMessage = "deleted \u2014 \"quoted\"\n\ttabbed";
  r.append(Event{nanoseconds(0), EventType::Normal, "ScalingReplicaSet", "", "Scaled up replica set web-1 to 3"});
  r.append(Event{nanoseconds(kMaxInt64), EventType::Warning, "FailedCreate", "replicaset/web-1", "quota \u00e9"});

  ReplicaSetRecord first;
  first.name = "web-1";
  first.hash = "1";
  first.revision = 3;
  first.revisionHistory = {1, 2, kMaxInt64};
  first.changeCause = "kubectl set image deployment/web web=nginx:1.25 \u2192 \"quoted\"";
  first.annotations = {{std::string(kRevisionAnnotation), "3"},
                       {std::string(kRevisionHistoryAnnotation), "1,2"},
                       {"example.com/odd \"key\"\n", "value\twith\u00e9"},
                       {"", ""}};
  first.podTemplate = testing::sampleTemplate("nginx:1.25", "1");
  first.created = nanoseconds(7);
  first.deleted = nanoseconds(kMaxInt64);
  r.putReplicaSet(first);
  ReplicaSetRecord second;  // nothing optional set
  second.name = "web-2";
  second.hash = "2";
  second.podTemplate = testing::sampleTemplate("nginx:1.26", "2");
  r.putReplicaSet(second);

  r.append(ReplicaSetSample{nanoseconds(1), "web-1", 3, 2, 1, 0});
  r.append(ReplicaSetSample{nanoseconds(kMaxInt64), "web-2", kMaxInt32, kMaxInt32, kMaxInt32, kMaxInt32});
  DeploymentStatus status{kMaxInt64, kMaxInt64 - 1, kMaxInt32, 1, 2, 3, 4, 5};
  r.append(DeploymentStatusLine{nanoseconds(2), status, "3/2147483647", "2", "4", "2d2h"});
  r.append(deploymentStatusLine(nanoseconds(3), DeploymentStatus{}));
  for (ConditionStatus s : {ConditionStatus::True, ConditionStatus::False, ConditionStatus::Unknown}) {
    r.append(DeploymentCondition{nanoseconds(4), "Progressing", s, "DeploymentPaused", "Deployment is paused"});
  }
  r.append(DeploymentCondition{nanoseconds(5), "Available", ConditionStatus::False, "", ""});

  RolloutPod& finished = r.addPod("web-1-bcdfg", "web-1", nanoseconds(7));
  finished.finished = nanoseconds(kMaxInt64);
  finished.record = testing::samplePodRecord("web-1-bcdfg");
  RolloutPod& running = r.addPod("web-2-hjklm", "web-2", nanoseconds(kMaxInt64));
  running.record.podName = "web-2-hjklm";  // an empty record: no entries yet
  running.record.runtimeName = "containerd";

  for (RunOutcome outcome : {RunOutcome::Running, RunOutcome::Succeeded, RunOutcome::Failed, RunOutcome::Stopped,
                             RunOutcome::Deleted}) {
    SCOPED_TRACE(std::string(toString(outcome)));
    r.outcome = outcome;
    expectRoundTrip(r);
  }
}

TEST(RolloutRecordJson, AnEmptyRecordRoundTrips) {
  RolloutRecord r;
  expectRoundTrip(r);
  EXPECT_THAT(toJson(r), HasSubstr("\"replicaSets\": [],\n"));
}

TEST(RolloutRecordJson, KeysComeInTheDocumentedOrder) {
  const Json doc = Json::parse(toJson(testing::sampleRollout()));
  std::vector<std::string> keys;
  // nlohmann::json sorts keys; the text keeps the written order.
  const std::string text = toJson(testing::sampleRollout());
  for (const char* key : {"\"format\"", "\"version\"", "\"deployment\"", "\"runtime\"", "\"outcome\"", "\"events\"",
                          "\"replicaSets\"", "\"replicaSetSamples\"", "\"statusLines\"", "\"conditions\"",
                          "\"pods\""}) {
    keys.push_back(key);
    EXPECT_TRUE(doc.contains(std::string(key).substr(1, std::string(key).size() - 2))) << key;
  }
  std::size_t last = 0;
  for (const std::string& key : keys) {
    const std::size_t at = text.find("\n  " + key + ":");
    ASSERT_NE(at, std::string::npos) << key;
    EXPECT_GT(at, last) << key << " is out of order";
    last = at;
  }
  EXPECT_EQ(text.back(), '\n');
  EXPECT_EQ(text.rfind("}\n"), text.size() - 2);
}

TEST(RolloutRecordJson, ThePodTemplateIsItsCanonicalYaml) {
  const RolloutRecord r = testing::sampleRollout();
  const Json doc = Json::parse(toJson(r));
  const std::string yaml = doc["replicaSets"][0]["podTemplate"].get<std::string>();
  EXPECT_EQ(yaml, canonicalYaml(r.replicaSets()[0].podTemplate));
  EXPECT_THAT(yaml, HasSubstr("pod-template-hash: "));
  EXPECT_THAT(yaml, HasSubstr("image: nginx:1.25\n"));
}

TEST(RolloutRecordJson, InvalidUtf8IsReplacedWhenWriting) {
  RolloutRecord r = testing::sampleRollout();
  r.outcomeMessage = "bad \xff byte";
  r.append(Event{nanoseconds(9), EventType::Warning, "Odd\xc3", "replicaset/\xfe", "\xed\xa0\x80 surrogate"});
  Result<RolloutRecord> back = rolloutRecordFromJson(toJson(r));
  ASSERT_TRUE(back) << back.error().toString();
  EXPECT_EQ(back->outcomeMessage, "bad \xef\xbf\xbd byte");
  EXPECT_EQ(back->events().back().reason, "Odd\xef\xbf\xbd");
  EXPECT_EQ(back->events().back().object, "replicaset/\xef\xbf\xbd");
}

TEST(RolloutRecordJson, HostileStringsRoundTrip) {
  RolloutRecord r = testing::sampleRollout();
  const std::string hostile = std::string("<script>alert(1)</script> \"q\" \\ ") + '\0' + "\x01\x1b[31m \u2028 }]},{";
  r.deploymentName = hostile;
  r.outcomeMessage = hostile;
  r.append(Event{nanoseconds(9), EventType::Warning, hostile, hostile, hostile});
  r.append(DeploymentCondition{nanoseconds(9), hostile, ConditionStatus::Unknown, hostile, hostile});
  expectRoundTrip(r);
}

// ---- Hostile input ------------------------------------------------------------------

/// The sample record's JSON with `change` made to it.
std::string changed(const std::function<void(Json&)>& change) {
  Json doc = Json::parse(toJson(testing::sampleRollout()));
  change(doc);
  return doc.dump();
}

/// Sets (or, for a discarded value, removes) what `pointer` names.
std::function<void(Json&)> set(const std::string& pointer, Json value) {
  return [pointer, value](Json& doc) {
    const Json::json_pointer p(pointer);
    if (value.is_discarded()) {
      doc.at(p.parent_pointer()).erase(p.back());
    } else {
      doc[p] = value;
    }
  };
}
const Json kRemove = Json(Json::value_t::discarded);

struct BadCase {
  std::string pointer;
  Json value;
  std::string message;
};

TEST(RolloutRecordJson, BadFieldsNameTheirJsonPath) {
  const std::string sampleTemplateText = canonicalYaml(testing::sampleRollout().replicaSets()[0].podTemplate);
  const std::vector<BadCase> cases = {
      {"/deployment", kRemove, R"(missing required field "deployment")"},
      {"/deployment", "web", "deployment: expected an object, got string"},
      {"/deployment/name", 5, "deployment.name: expected a string, got integer"},
      {"/deployment/namespace", Json::array(), "deployment.namespace: expected a string, got array"},
      {"/runtime/name", kRemove, R"(runtime: missing required field "name")"},
      {"/outcome/status", "Done",
       R"(outcome.status: unknown value "Done" (expected Running, Succeeded, Failed, Stopped or Deleted))"},
      {"/events", Json::object(), "events: expected an array, got object"},
      {"/events/0", "Scaled", "events[0]: expected an object, got string"},
      {"/events/0/type", "Info", R"(events[0].type: unknown value "Info" (expected Normal or Warning))"},
      {"/events/0/timeNs", -1, "events[0].timeNs: must not be negative, got -1"},
      {"/events/0/reason", kRemove, R"(events[0]: missing required field "reason")"},
      {"/replicaSets", kRemove, R"(missing required field "replicaSets")"},
      {"/replicaSets/0/name", nullptr, "replicaSets[0].name: expected a string, got null"},
      {"/replicaSets/0/hash", kRemove, R"(replicaSets[0]: missing required field "hash")"},
      {"/replicaSets/0/revision", -1, "replicaSets[0].revision: must not be negative, got -1"},
      {"/replicaSets/0/revision", "2", "replicaSets[0].revision: expected an integer, got string"},
      {"/replicaSets/0/revisionHistory", "1,2", "replicaSets[0].revisionHistory: expected an array, got string"},
      {"/replicaSets/0/revisionHistory", Json::array({1, "2"}),
       "replicaSets[0].revisionHistory[1]: expected an integer, got string"},
      {"/replicaSets/0/revisionHistory", Json::array({1, -2}),
       "replicaSets[0].revisionHistory[1]: must not be negative, got -2"},
      {"/replicaSets/0/revisionHistory", Json::array({18446744073709551615ULL}),
       "replicaSets[0].revisionHistory[0]: value 18446744073709551615 is too large (at most 9223372036854775807)"},
      {"/replicaSets/0/changeCause", 1, "replicaSets[0].changeCause: expected a string, got integer"},
      {"/replicaSets/0/annotations", Json::array(), "replicaSets[0].annotations: expected an object, got array"},
      {"/replicaSets/0/annotations/a.b~1c", 1,
       R"(replicaSets[0].annotations["a.b/c"]: expected a string, got integer)"},
      {"/replicaSets/0/createdNs", kRemove, R"(replicaSets[0]: missing required field "createdNs")"},
      {"/replicaSets/0/deletedNs", 1.5, "replicaSets[0].deletedNs: expected an integer, got number"},
      {"/replicaSets/0/podTemplate", kRemove, R"(replicaSets[0]: missing required field "podTemplate")"},
      {"/replicaSets/0/podTemplate", Json::object(), "replicaSets[0].podTemplate: expected a string, got object"},
      {"/replicaSets/0/podTemplate", "spec:\n  containers: 5\n",
       "replicaSets[0].podTemplate: the pod template is not valid at line 2, column 15: spec.containers: Invalid "
       "value: 5: must be a list"},
      {"/replicaSets/0/podTemplate", sampleTemplateText + "  bogus: true\n",
       R"(replicaSets[0].podTemplate: the pod template is not valid at line )" +
           std::to_string(std::count(sampleTemplateText.begin(), sampleTemplateText.end(), '\n') + 1) +
           R"(, column 3: unknown field "spec.bogus")"},
      {"/replicaSets/0/podTemplate", "spec: [",
       "replicaSets[0].podTemplate: the pod template is not valid YAML at line 1, column 8: YAML syntax error: end "
       "of sequence flow not found; a ']' is missing: the list opened at line 1, column 7 is never closed"},
      {"/replicaSetSamples/0/replicaSet", "web-0",
       R"(replicaSetSamples[0].replicaSet: no ReplicaSet named "web-0" in replicaSets)"},
      {"/replicaSetSamples/0/desired", 2147483648LL,
       "replicaSetSamples[0].desired: value 2147483648 is too large (at most 2147483647)"},
      {"/replicaSetSamples/0/ready", kRemove, R"(replicaSetSamples[0]: missing required field "ready")"},
      {"/statusLines/0/status", "3/3", "statusLines[0].status: expected an object, got string"},
      {"/statusLines/0/status/replicas", kRemove, R"(statusLines[0].status: missing required field "replicas")"},
      {"/statusLines/0/status/generation", -3, "statusLines[0].status.generation: must not be negative, got -3"},
      {"/statusLines/0/status/unavailableReplicas", 4294967296LL,
       "statusLines[0].status.unavailableReplicas: value 4294967296 is too large (at most 2147483647)"},
      {"/statusLines/0/upToDate", 3, "statusLines[0].upToDate: expected a string, got integer"},
      {"/conditions/0/status", true, "conditions[0].status: expected a string, got boolean"},
      {"/conditions/0/status", "true",
       R"(conditions[0].status: unknown value "true" (expected True, False or Unknown))"},
      {"/conditions/0/type", kRemove, R"(conditions[0]: missing required field "type")"},
      {"/pods", nullptr, "pods: expected an array, got null"},
      {"/pods/0/replicaSet", "gone", R"(pods[0].replicaSet: no ReplicaSet named "gone" in replicaSets)"},
      {"/pods/0/createdNs", "0s", "pods[0].createdNs: expected an integer, got string"},
      {"/pods/0/finishedNs", -1, "pods[0].finishedNs: must not be negative, got -1"},
      {"/pods/0/record", kRemove, R"(pods[0]: missing required field "record")"},
      {"/pods/0/record", Json::array(), "pods[0].record: expected an object, got array"},
      {"/pods/0/record/format", kRemove, R"(pods[0].record: not a podscope run record: missing "format")"},
      {"/pods/0/record/format", "podscope.rollout-record",
       R"(pods[0].record.format: expected "podscope.run-record", got "podscope.rollout-record")"},
      {"/pods/0/record/version", 2,
       "pods[0].record.version: this record has format version 2, newer than this podscope reads (1); use a newer "
       "podscope"},
      {"/pods/0/record/pod/name", kRemove, R"(pods[0].record.pod: missing required field "name")"},
      {"/pods/0/record/transitions/1/kind", "foo",
       R"(pods[0].record.transitions[1].kind: unknown value "foo" (expected pod, init or container))"},
      {"/pods/0/record/attempts/0/result", "ok",
       R"(pods[0].record.attempts[0].result: unknown value "ok" (expected success, warning, failure or error))"},
      {"/pods/0/record/outcome/endedNs", -1, "pods[0].record.outcome.endedNs: must not be negative, got -1"},
      {"/format", "podscope.run-record", R"(format: expected "podscope.rollout-record", got "podscope.run-record")"},
      {"/format", kRemove, R"(not a podscope rollout record: missing "format")"},
      {"/version", 2,
       "version: this record has format version 2, newer than this podscope reads (1); use a newer podscope"},
      {"/version", 0, "version: value 0 is too small (at least 1)"},
      {"/version", "1", "version: expected an integer, got string"},
  };
  for (const BadCase& c : cases) {
    SCOPED_TRACE(c.pointer + " = " + (c.value.is_discarded() ? "(removed)" : c.value.dump()));
    Result<RolloutRecord> r = rolloutRecordFromJson(changed(set(c.pointer, c.value)));
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().message, c.message);
    EXPECT_EQ(r.error().kind, ErrorKind::Shape);
  }
}

// Found by tests/fuzz/record_fuzzer: yaml-cpp names the escape it does not
// know by one byte, so for "\é" the message held the lone first byte of é,
// and a message that is not UTF-8 breaks the desktop's dialog and the CLI's
// JSON output.
TEST(RolloutRecordJson, ATemplateErrorQuotingPartOfACharacterIsStillUtf8) {
  for (const std::string& text : {std::string("metadata:\n  labels:\n    app: \"\\\u00e9\"\n"),
                                  std::string("spec:\n  containers:\n  - name: \"\\\u4e2d\"\n"),
                                  std::string("spec: {hostname: \"\\\U0001F600\"}\n")}) {
    SCOPED_TRACE(text);
    Result<RolloutRecord> r = rolloutRecordFromJson(changed(set("/replicaSets/0/podTemplate", text)));
    ASSERT_FALSE(r);
    EXPECT_THAT(r.error().message,
                HasSubstr("replicaSets[0].podTemplate: the pod template is not valid YAML at line "));
    EXPECT_THAT(r.error().message, HasSubstr("unknown escape character: \ufffd"));
    EXPECT_EQ(replaceInvalidUtf8(r.error().message), r.error().message);
    // nlohmann's writer, like any strict JSON writer, refuses invalid UTF-8.
    EXPECT_NO_THROW((void)Json(r.error().message).dump());
  }
}

TEST(RolloutRecordJson, NamesListedTwiceAreRefused) {
  Result<RolloutRecord> replicaSets = rolloutRecordFromJson(changed([](Json& doc) {
    doc["replicaSets"].push_back(doc["replicaSets"][0]);
  }));
  ASSERT_FALSE(replicaSets);
  const std::string rs = testing::sampleRollout().replicaSets()[0].name;
  EXPECT_EQ(replicaSets.error().message,
            "replicaSets[2].name: \"" + rs + "\" is listed twice (also at replicaSets[0])");
  Result<RolloutRecord> pods = rolloutRecordFromJson(changed([](Json& doc) { doc["pods"].push_back(doc["pods"][1]); }));
  ASSERT_FALSE(pods);
  EXPECT_EQ(pods.error().message, "pods[2].name: \"" + testing::sampleRollout().pods()[1].name +
                                      "\" is listed twice (also at pods[1])");
}

TEST(RolloutRecordJson, UnknownFieldsAreIgnoredAtEveryLevel) {
  const std::string json = changed([](Json& doc) {
    doc["producer"] = "a later podscope";
    doc["deployment"]["uid"] = "1234";
    doc["events"][0]["count"] = 3;
    doc["replicaSets"][0]["status"] = {{"replicas", 3}};
    doc["replicaSetSamples"][0]["fullyLabeled"] = 3;
    doc["statusLines"][0]["status"]["collisionCount"] = 1;
    doc["conditions"][0]["lastUpdateTimeNs"] = 5;
    doc["pods"][0]["ip"] = "10.88.0.2";
    doc["pods"][0]["record"]["future"] = Json::array({Json::object()});
  });
  Result<RolloutRecord> r = rolloutRecordFromJson(json);
  ASSERT_TRUE(r) << r.error().toString();
  testing::expectSameRolloutRecord(*r, testing::sampleRollout());
}

TEST(RolloutRecordJson, OptionalFieldsMayBeAbsentOrNull) {
  for (const Json& absent : {kRemove, Json(nullptr)}) {
    SCOPED_TRACE(absent.is_null() ? "null" : "absent");
    auto clear = [&absent](Json& object, const char* key) {
      if (absent.is_discarded()) {
        object.erase(key);
      } else {
        object[key] = nullptr;
      }
    };
    Result<RolloutRecord> r = rolloutRecordFromJson(changed([&](Json& doc) {
      clear(doc["deployment"], "namespace");
      clear(doc["outcome"], "message");
      clear(doc["events"][0], "object");
      clear(doc["events"][0], "message");
      for (const char* key : {"revisionHistory", "changeCause", "annotations", "deletedNs", "deleted"}) {
        clear(doc["replicaSets"][0], key);
      }
      clear(doc["statusLines"][0], "age");
      clear(doc["conditions"][0], "reason");
      clear(doc["conditions"][0], "message");
      clear(doc["pods"][0], "finishedNs");
    }));
    ASSERT_TRUE(r) << r.error().toString();
    EXPECT_EQ(r->deploymentNamespace, "");
    EXPECT_EQ(r->outcomeMessage, "");
    EXPECT_EQ(r->events()[0].object, "");
    const ReplicaSetRecord& rs = r->replicaSets()[0];
    EXPECT_TRUE(rs.revisionHistory.empty());
    EXPECT_EQ(rs.changeCause, "");
    EXPECT_TRUE(rs.annotations.empty());
    EXPECT_FALSE(rs.deleted);
    EXPECT_EQ(r->statusLines()[0].age, "");
    EXPECT_EQ(r->conditions()[0].reason, "");
    EXPECT_FALSE(r->pods()[0].finished);
  }
}

TEST(RolloutRecordJson, NotJsonNamesLineColumnAndByte) {
  Result<RolloutRecord> r =
      rolloutRecordFromJson("{\n  \"format\": \"podscope.rollout-record\",\n  \"version\": 1,\n  oops\n}");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().kind, ErrorKind::Syntax);
  EXPECT_THAT(r.error().message, HasSubstr("not valid JSON at line 4, column 3 (byte offset 59)"));
  ASSERT_TRUE(r.error().pos);
  EXPECT_EQ(r.error().pos->line, 4);
  EXPECT_EQ(r.error().pos->column, 3);
  // Cut off in the middle of a pod's record.
  const std::string whole = toJson(testing::sampleRollout());
  Result<RolloutRecord> cut = rolloutRecordFromJson(whole.substr(0, whole.size() * 3 / 4));
  ASSERT_FALSE(cut);
  EXPECT_EQ(cut.error().kind, ErrorKind::Syntax);
  EXPECT_FALSE(rolloutRecordFromJson(""));
  EXPECT_FALSE(rolloutRecordFromJson("[1, 2"));
  EXPECT_EQ(rolloutRecordFromJson("[]").error().message, "(top level): expected an object, got array");
  EXPECT_EQ(rolloutRecordFromJson("\"podscope.rollout-record\"").error().message,
            "(top level): expected an object, got string");
}

TEST(RolloutRecordJson, DeepNestingIsRefusedWithoutRecursingIntoIt) {
  // Deep inside an unknown field, where nothing would look at it.
  const std::string deep = std::string(100000, '[') + std::string(100000, ']');
  std::string json = toJson(testing::sampleRollout());
  json.insert(1, "\"future\": " + deep + ",");
  Result<RolloutRecord> r = rolloutRecordFromJson(json);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().message, "nested deeper than 64 levels");
  // Within the limit it is an unknown field like any other.
  std::string shallow = toJson(testing::sampleRollout());
  shallow.insert(1, "\"future\": " + std::string(50, '[') + std::string(50, ']') + ",");
  EXPECT_TRUE(rolloutRecordFromJson(shallow));
}

TEST(RolloutRecordJson, BadBytesInTheInputAreASyntaxError) {
  std::string json = toJson(testing::sampleRollout());
  const std::size_t at = json.find("\"web\"");
  ASSERT_NE(at, std::string::npos);
  json.replace(at + 1, 3, "w\xff\xfe");
  Result<RolloutRecord> r = rolloutRecordFromJson(json);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().kind, ErrorKind::Syntax);
  EXPECT_THAT(r.error().message, HasSubstr("not valid JSON at line 5"));
}

}  // namespace
}  // namespace podscope::core
