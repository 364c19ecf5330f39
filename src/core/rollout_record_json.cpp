#include "core/rollout_record_json.h"

#include <array>
#include <cstdint>
#include <limits>
#include <map>
#include <optional>
#include <utility>

#include "core/pod_template_yaml.h"
#include "core/record_json_detail.h"

namespace podscope::core {

namespace record_json {

namespace {

constexpr std::array kConditionStatuses = {ConditionStatus::True, ConditionStatus::False, ConditionStatus::Unknown};

constexpr std::int64_t kMaxInt64 = std::numeric_limits<std::int64_t>::max();
constexpr std::int64_t kMaxInt32 = std::numeric_limits<std::int32_t>::max();

OrderedJson timed(RunTime t) {
  OrderedJson j = OrderedJson::object();
  putTime(j, "time", t);
  return j;
}

OrderedJson replicaSetObject(const ReplicaSetRecord& rs) {
  OrderedJson j = OrderedJson::object();
  j["name"] = rs.name;
  j["hash"] = rs.hash;
  j["revision"] = rs.revision;
  j["revisionHistory"] = rs.revisionHistory;
  j["changeCause"] = rs.changeCause;
  OrderedJson annotations = OrderedJson::object();
  for (const auto& [key, value] : rs.annotations) annotations[key] = value;
  j["annotations"] = std::move(annotations);
  putTime(j, "created", rs.created);
  if (rs.deleted) putTime(j, "deleted", *rs.deleted);
  j["podTemplate"] = canonicalYaml(rs.podTemplate);
  return j;
}

OrderedJson statusObject(const DeploymentStatus& s) {
  OrderedJson j = OrderedJson::object();
  j["generation"] = s.generation;
  j["observedGeneration"] = s.observedGeneration;
  j["desiredReplicas"] = s.desiredReplicas;
  j["replicas"] = s.replicas;
  j["updatedReplicas"] = s.updatedReplicas;
  j["readyReplicas"] = s.readyReplicas;
  j["availableReplicas"] = s.availableReplicas;
  j["unavailableReplicas"] = s.unavailableReplicas;
  return j;
}

OrderedJson rolloutRecordObject(const RolloutRecord& record) {
  OrderedJson root = OrderedJson::object();
  root["format"] = kRolloutRecordFormat;
  root["version"] = kRolloutRecordVersion;
  root["deployment"] = {{"name", record.deploymentName}, {"namespace", record.deploymentNamespace}};
  root["runtime"] = {{"name", record.runtimeName}};
  root["outcome"] = {{"status", toString(record.outcome)}, {"message", record.outcomeMessage}};

  OrderedJson events = OrderedJson::array();
  for (const Event& e : record.events()) events.push_back(eventObject(e));
  root["events"] = std::move(events);

  OrderedJson replicaSets = OrderedJson::array();
  for (const ReplicaSetRecord& rs : record.replicaSets()) replicaSets.push_back(replicaSetObject(rs));
  root["replicaSets"] = std::move(replicaSets);

  OrderedJson samples = OrderedJson::array();
  for (const ReplicaSetSample& s : record.replicaSetSamples()) {
    OrderedJson j = timed(s.time);
    j["replicaSet"] = s.replicaSet;
    j["desired"] = s.desired;
    j["current"] = s.current;
    j["ready"] = s.ready;
    j["available"] = s.available;
    samples.push_back(std::move(j));
  }
  root["replicaSetSamples"] = std::move(samples);

  OrderedJson lines = OrderedJson::array();
  for (const DeploymentStatusLine& l : record.statusLines()) {
    OrderedJson j = timed(l.time);
    j["ready"] = l.ready;
    j["upToDate"] = l.upToDate;
    j["available"] = l.available;
    j["age"] = l.age;
    j["status"] = statusObject(l.status);
    lines.push_back(std::move(j));
  }
  root["statusLines"] = std::move(lines);

  OrderedJson conditions = OrderedJson::array();
  for (const DeploymentCondition& c : record.conditions()) {
    OrderedJson j = timed(c.time);
    j["type"] = c.type;
    j["status"] = toString(c.status);
    j["reason"] = c.reason;
    j["message"] = c.message;
    conditions.push_back(std::move(j));
  }
  root["conditions"] = std::move(conditions);

  OrderedJson pods = OrderedJson::array();
  for (const RolloutPod& p : record.pods()) {
    OrderedJson j = OrderedJson::object();
    j["name"] = p.name;
    j["replicaSet"] = p.replicaSet;
    putTime(j, "created", p.created);
    if (p.finished) putTime(j, "finished", *p.finished);
    j["record"] = runRecordObject(p.record);
    pods.push_back(std::move(j));
  }
  root["pods"] = std::move(pods);
  return root;
}

std::optional<ReplicaSetRecord> readReplicaSet(Reader& r, const Json& j, const std::string& path) {
  if (!r.requireObject(j, path)) return std::nullopt;
  ReplicaSetRecord rs;
  auto name = r.string(j, path, "name", true);
  auto hash = r.string(j, path, "hash", true);
  if (r.error) return std::nullopt;
  auto revision = r.integer(j, path, "revision", true, 0, kMaxInt64);
  if (!revision) return std::nullopt;
  rs.name = std::move(*name);
  rs.hash = std::move(*hash);
  rs.revision = *revision;
  if (Reader::present(j, "revisionHistory")) {
    const Json* history = r.array(j, path, "revisionHistory");
    if (!history) return std::nullopt;
    const std::string historyPath = join(path, "revisionHistory");
    for (std::size_t i = 0; i < history->size(); ++i) {
      auto value = r.integerValue((*history)[i], element(path, "revisionHistory", i), 0, kMaxInt64);
      if (!value) return std::nullopt;
      rs.revisionHistory.push_back(*value);
    }
  }
  auto changeCause = r.string(j, path, "changeCause", false);
  if (!changeCause) return std::nullopt;
  rs.changeCause = std::move(*changeCause);
  if (Reader::present(j, "annotations")) {
    const Json* annotations = r.object(j, path, "annotations");
    if (!annotations) return std::nullopt;
    for (const auto& [key, value] : annotations->items()) {
      if (!value.is_string()) {
        r.fail(join(path, "annotations") + "[" + quoted(Json(key)) + "]", "expected a string, got " + typeName(value));
        return std::nullopt;
      }
      rs.annotations[key] = value.get<std::string>();
    }
  }
  auto created = r.time(j, path, "createdNs");
  if (!created) return std::nullopt;
  rs.created = *created;
  rs.deleted = r.optionalTime(j, path, "deletedNs");
  if (r.error) return std::nullopt;
  auto podTemplate = r.string(j, path, "podTemplate", true);
  if (!podTemplate) return std::nullopt;
  Result<PodTemplateSpec> read = readPodTemplateStrictly(*podTemplate);
  if (!read) {
    r.fail(join(path, "podTemplate"), read.error().message);
    return std::nullopt;
  }
  rs.podTemplate = std::move(*read);
  return rs;
}

std::optional<DeploymentStatus> readStatus(Reader& r, const Json& parent, const std::string& path) {
  const Json* j = r.object(parent, path, "status");
  if (!j) return std::nullopt;
  const std::string at = join(path, "status");
  auto generation = r.integer(*j, at, "generation", true, 0, kMaxInt64);
  auto observed = r.integer(*j, at, "observedGeneration", true, 0, kMaxInt64);
  auto desired = r.integer(*j, at, "desiredReplicas", true, 0, kMaxInt32);
  auto replicas = r.integer(*j, at, "replicas", true, 0, kMaxInt32);
  auto updated = r.integer(*j, at, "updatedReplicas", true, 0, kMaxInt32);
  auto ready = r.integer(*j, at, "readyReplicas", true, 0, kMaxInt32);
  auto available = r.integer(*j, at, "availableReplicas", true, 0, kMaxInt32);
  auto unavailable = r.integer(*j, at, "unavailableReplicas", true, 0, kMaxInt32);
  if (r.error) return std::nullopt;
  DeploymentStatus s;
  s.generation = *generation;
  s.observedGeneration = *observed;
  s.desiredReplicas = static_cast<std::int32_t>(*desired);
  s.replicas = static_cast<std::int32_t>(*replicas);
  s.updatedReplicas = static_cast<std::int32_t>(*updated);
  s.readyReplicas = static_cast<std::int32_t>(*ready);
  s.availableReplicas = static_cast<std::int32_t>(*available);
  s.unavailableReplicas = static_cast<std::int32_t>(*unavailable);
  return s;
}

/// Reads the array `key` of `root`, each entry (an object) by
/// `read(entry, entryPath)`; false, with `r.error` set, at the first wrong
/// one.
template <typename Read>
bool eachEntry(Reader& r, const Json& root, const std::string& at, const char* key, Read read) {
  const Json* array = r.array(root, at, key);
  if (!array) return false;
  for (std::size_t i = 0; i < array->size(); ++i) {
    const std::string path = element(at, key, i);
    if (!r.requireObject((*array)[i], path) || !read((*array)[i], path)) return false;
  }
  return true;
}

}  // namespace

Result<RolloutRecord> readRolloutRecord(const Json& root, const std::string& at) {
  if (std::optional<Error> e = checkFormat(root, at, kRolloutRecordFormat, kRolloutRecordVersion, "rollout record")) {
    return *e;
  }
  Reader r;
  RolloutRecord record;
  const Json* deployment = r.object(root, at, "deployment");
  if (!deployment) return *r.error;
  const std::string deploymentPath = join(at, "deployment");
  auto name = r.string(*deployment, deploymentPath, "name", true);
  auto namespaceName = r.string(*deployment, deploymentPath, "namespace", false);
  if (r.error) return *r.error;
  const Json* runtime = r.object(root, at, "runtime");
  if (!runtime) return *r.error;
  auto runtimeName = r.string(*runtime, join(at, "runtime"), "name", true);
  if (!runtimeName) return *r.error;
  const Json* outcome = r.object(root, at, "outcome");
  if (!outcome) return *r.error;
  auto status = r.enumeration(*outcome, join(at, "outcome"), "status", kRunOutcomes);
  auto outcomeMessage = r.string(*outcome, join(at, "outcome"), "message", false);
  if (r.error) return *r.error;
  record.deploymentName = std::move(*name);
  record.deploymentNamespace = std::move(*namespaceName);
  record.runtimeName = std::move(*runtimeName);
  record.outcome = *status;
  record.outcomeMessage = std::move(*outcomeMessage);

  const bool eventsRead = eachEntry(r, root, at, "events", [&](const Json& j, const std::string& path) {
    std::optional<Event> e = readEvent(r, j, path);
    if (e) record.append(std::move(*e));
    return e.has_value();
  });
  if (!eventsRead) return *r.error;

  // Where each ReplicaSet and pod was listed, to name both places when one
  // is listed twice and to check what names a ReplicaSet.
  std::map<std::string, std::string, std::less<>> replicaSetPaths;
  const bool replicaSetsRead = eachEntry(r, root, at, "replicaSets", [&](const Json& j, const std::string& path) {
    std::optional<ReplicaSetRecord> rs = readReplicaSet(r, j, path);
    if (!rs) return false;
    auto [it, added] = replicaSetPaths.emplace(rs->name, path);
    if (!added) {
      r.fail(join(path, "name"), quoted(Json(rs->name)) + " is listed twice (also at " + it->second + ")");
      return false;
    }
    record.putReplicaSet(std::move(*rs));
    return true;
  });
  if (!replicaSetsRead) return *r.error;
  auto knownReplicaSet = [&](const std::string& name, const std::string& path) {
    if (replicaSetPaths.count(name)) return true;
    r.fail(join(path, "replicaSet"), "no ReplicaSet named " + quoted(Json(name)) + " in " + join(at, "replicaSets"));
    return false;
  };

  const bool samplesRead = eachEntry(r, root, at, "replicaSetSamples", [&](const Json& j, const std::string& path) {
    auto time = r.time(j, path);
    if (!time) return false;
    auto replicaSet = r.string(j, path, "replicaSet", true);
    if (!replicaSet || !knownReplicaSet(*replicaSet, path)) return false;
    auto desired = r.integer(j, path, "desired", true, 0, kMaxInt32);
    auto current = r.integer(j, path, "current", true, 0, kMaxInt32);
    auto ready = r.integer(j, path, "ready", true, 0, kMaxInt32);
    auto available = r.integer(j, path, "available", true, 0, kMaxInt32);
    if (r.error) return false;
    record.append(ReplicaSetSample{*time, std::move(*replicaSet), static_cast<std::int32_t>(*desired),
                                   static_cast<std::int32_t>(*current), static_cast<std::int32_t>(*ready),
                                   static_cast<std::int32_t>(*available)});
    return true;
  });
  if (!samplesRead) return *r.error;

  const bool linesRead = eachEntry(r, root, at, "statusLines", [&](const Json& j, const std::string& path) {
    auto time = r.time(j, path);
    if (!time) return false;
    auto ready = r.string(j, path, "ready", true);
    auto upToDate = r.string(j, path, "upToDate", true);
    auto available = r.string(j, path, "available", true);
    auto age = r.string(j, path, "age", false);
    if (r.error) return false;
    auto status = readStatus(r, j, path);
    if (!status) return false;
    DeploymentStatusLine line;
    line.time = *time;
    line.status = *status;
    line.ready = std::move(*ready);
    line.upToDate = std::move(*upToDate);
    line.available = std::move(*available);
    line.age = std::move(*age);
    record.append(std::move(line));
    return true;
  });
  if (!linesRead) return *r.error;

  const bool conditionsRead = eachEntry(r, root, at, "conditions", [&](const Json& j, const std::string& path) {
    auto time = r.time(j, path);
    if (!time) return false;
    auto type = r.string(j, path, "type", true);
    if (!type) return false;
    auto status = r.enumeration(j, path, "status", kConditionStatuses);
    if (!status) return false;
    auto reason = r.string(j, path, "reason", false);
    auto message = r.string(j, path, "message", false);
    if (r.error) return false;
    record.append(DeploymentCondition{*time, std::move(*type), *status, std::move(*reason), std::move(*message)});
    return true;
  });
  if (!conditionsRead) return *r.error;

  std::map<std::string, std::string, std::less<>> podPaths;
  const bool podsRead = eachEntry(r, root, at, "pods", [&](const Json& j, const std::string& path) {
    auto podName = r.string(j, path, "name", true);
    if (!podName) return false;
    if (auto [it, added] = podPaths.emplace(*podName, path); !added) {
      r.fail(join(path, "name"), quoted(Json(*podName)) + " is listed twice (also at " + it->second + ")");
      return false;
    }
    auto replicaSet = r.string(j, path, "replicaSet", true);
    if (!replicaSet || !knownReplicaSet(*replicaSet, path)) return false;
    auto created = r.time(j, path, "createdNs");
    if (!created) return false;
    auto finished = r.optionalTime(j, path, "finishedNs");
    if (r.error) return false;
    const Json* podRecord = r.object(j, path, "record");
    if (!podRecord) return false;
    Result<RunRecord> read = readRunRecord(*podRecord, join(path, "record"));
    if (!read) {
      r.error = read.error();
      return false;
    }
    RolloutPod& pod = record.addPod(std::move(*podName), std::move(*replicaSet), *created);
    pod.finished = finished;
    pod.record = std::move(*read);
    return true;
  });
  if (!podsRead) return *r.error;
  return record;
}

}  // namespace record_json

std::string toJson(const RolloutRecord& record) {
  return record_json::dump(record_json::rolloutRecordObject(record));
}

Result<RolloutRecord> rolloutRecordFromJson(std::string_view json) {
  return record_json::readDocument<RolloutRecord>(
      json, kMaxRolloutRecordJsonBytes, "rollout record",
      [](const record_json::Json& root) { return record_json::readRolloutRecord(root, ""); });
}

}  // namespace podscope::core
