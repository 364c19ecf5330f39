#pragma once
// Rollout records for the report tests, from Deployments run on the
// simulated runtime and virtual time (a fixed seed, so every run names its
// pods and plays out the same way): start one template, then apply the next,
// undo, or delete the Deployment as kubectl would, and take the record.

#include <gtest/gtest.h>

#include <chrono>
#include <optional>
#include <string>

#include "core/manifest_reader.h"
#include "core/rollout_record.h"
#include "engine/deployment_controller.h"
#include "engine/runtime/simulated/simulated_runtime.h"
#include "engine/virtual_event_loop.h"
#include "report_records.h"

namespace podscope::testing {

/// The first Deployment in `yaml`; a failed expectation names the error.
inline core::Deployment readDeployment(const std::string& yaml) {
  core::Manifest m = core::readManifest(yaml, "deployment.yaml");
  EXPECT_FALSE(m.hasErrors()) << (m.firstError() ? m.firstError()->toString() : "") << "\n" << yaml;
  for (const core::Document& d : m.documents) {
    if (d.deployment) return *d.deployment;
  }
  ADD_FAILURE() << "no Deployment in\n" << yaml;
  return {};
}

/// `text` with every `from` replaced by `to`: the next revision of a manifest.
inline std::string replaced(std::string text, const std::string& from, const std::string& to) {
  for (std::size_t at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size())) {
    text.replace(at, from.size(), to);
  }
  return text;
}

/// A Deployment `name` of `replicas` nginx pods whose readiness is played by
/// `scenario`, probed every second; `spec` adds lines under spec (strategy,
/// progressDeadlineSeconds, ...), `annotations` under metadata.annotations.
inline std::string deploymentYaml(const std::string& name, int replicas, const std::string& image,
                                  const std::string& scenario, const std::string& spec = {},
                                  const std::string& annotations = {}) {
  std::string text = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: " + name + "\n";
  if (!annotations.empty()) text += "  annotations:\n" + annotations;
  text += "spec:\n  replicas: " + std::to_string(replicas) + "\n" + spec +
          "  selector:\n    matchLabels:\n      app: web\n  template:\n    metadata:\n      labels:\n        app: web\n";
  if (!scenario.empty()) text += "      annotations:\n        podscope.dev/simulate: \"" + scenario + "\"\n";
  text += "    spec:\n      containers:\n      - name: nginx\n        image: " + image +
          "\n        readinessProbe:\n          httpGet: {path: /, port: 80}\n          periodSeconds: 1\n";
  return text;
}

/// One Deployment on the simulated runtime, driven step by step.
class RolloutSim {
 public:
  explicit RolloutSim(const core::Deployment& deployment, std::uint64_t seed = 7)
      : m_controller(m_runtime, m_loop, m_record, options(seed)) {
    m_loop.post([this, deployment] { m_controller.start(deployment); });
  }

  RolloutSim& runFor(std::chrono::nanoseconds d) {
    m_loop.runFor(d);
    return *this;
  }
  /// Runs a second at a time until `kubectl rollout status` would be done
  /// or report the deadline, at most `limit`.
  RolloutSim& untilSettled(std::chrono::seconds limit = std::chrono::seconds(600)) {
    for (std::chrono::seconds s{0}; s < limit; ++s) {
      m_loop.runFor(std::chrono::seconds(1));
      const core::RolloutStatusMessage m = m_controller.rolloutStatus();
      if (m.done || m.error) break;
    }
    return *this;
  }
  RolloutSim& apply(const core::Deployment& deployment) {
    expectOk(m_controller.apply(deployment));
    return *this;
  }
  RolloutSim& undo(std::int64_t toRevision = 0) {
    expectOk(m_controller.undo(toRevision));
    return *this;
  }
  /// `kubectl delete deployment`, then until its pods are gone.
  RolloutSim& remove() {
    expectOk(m_controller.remove());
    for (int s = 0; s < 600 && !m_controller.finished(); ++s) m_loop.runFor(std::chrono::seconds(1));
    return *this;
  }
  core::RunTime now() const { return m_loop.now(); }
  /// The record so far, ended Stopped at now() unless the Deployment was deleted.
  core::RolloutRecord record() const {
    core::RolloutRecord r = m_record;
    r.stopObserving();
    if (r.outcome == core::RunOutcome::Running) r.outcome = core::RunOutcome::Stopped;
    return r;
  }

 private:
  static engine::DeploymentRunOptions options(std::uint64_t seed) {
    engine::DeploymentRunOptions o;
    o.seed = seed;
    return o;
  }
  static void expectOk(const core::Result<std::string>& r) { EXPECT_TRUE(r.has_value()) << r.error().message; }

  engine::VirtualEventLoop m_loop;
  engine::SimulatedRuntime m_runtime{m_loop};
  core::RolloutRecord m_record;
  engine::DeploymentController m_controller;
};

/// examples/rolling-update.yaml as `podscope-cli run` plays it the second
/// time: its three nginx:1.18 pods come up, the template with nginx:1.20.1
/// (and the change-cause with it) is applied and rolled out, then the
/// Deployment is deleted.
inline core::RolloutRecord rollingUpdate(const std::string& example) {
  RolloutSim sim(readDeployment(example));
  sim.untilSettled();
  sim.apply(readDeployment(replaced(example, "1.18", "1.20.1")));
  sim.untilSettled();
  sim.remove();
  return sim.record();
}

/// Four replicas (whose pods take 2 s to stop) rolled to a template whose
/// readiness probe never passes: the rollout stalls at two new pods beside
/// three old ones until the 30 s progress deadline, then the Deployment is
/// deleted.
inline core::RolloutRecord deadlineRollout() {
  const std::string spec = "  progressDeadlineSeconds: 30\n";
  RolloutSim sim(readDeployment(
      deploymentYaml("web", 4, "nginx:1.18", "readiness fails until 3s\\non SIGTERM exit 0 after 2s", spec)));
  sim.untilSettled();
  sim.apply(readDeployment(
      deploymentYaml("web", 4, "nginx:1.20.1", "readiness fails with status 503 and \\\"warming up\\\"", spec)));
  sim.untilSettled();
  sim.remove();
  return sim.record();
}

/// Two replicas rolled to a template whose container exits 1 after 2 s,
/// before its readiness probe passes: the new pods crash-loop until the
/// 60 s deadline; the watch ends 10 s later.
inline core::RolloutRecord crashLoopRollout() {
  const std::string spec = "  progressDeadlineSeconds: 60\n";
  RolloutSim sim(readDeployment(deploymentYaml("web", 2, "nginx:1.18", "readiness fails until 3s", spec)));
  sim.untilSettled();
  sim.apply(readDeployment(deploymentYaml("web", 2, "nginx:1.20.1", "readiness fails until 5s\\nexits 1 after 2s", spec)));
  sim.untilSettled();
  sim.runFor(std::chrono::seconds(10));
  return sim.record();
}

/// nginx:1.18, then 1.19, then 1.20.1, each rolled out, then `kubectl
/// rollout undo`: the 1.19 ReplicaSet comes back as revision 4 (was 2).
inline core::RolloutRecord rollbackRollout() {
  const std::string base = deploymentYaml("web", 3, "nginx:1.18", "readiness fails until 2s");
  RolloutSim sim(readDeployment(base));
  sim.untilSettled();
  sim.apply(readDeployment(replaced(base, "1.18", "1.19"))).untilSettled();
  sim.apply(readDeployment(replaced(base, "1.18", "1.20.1"))).untilSettled();
  sim.undo().untilSettled();
  sim.runFor(std::chrono::seconds(5));
  return sim.record();
}

/// A 1,000-replica Deployment rolled from nginx:1.18 to nginx:1.20.1 (the
/// default 25%: 250 pods more and fewer at a time), 2,000 pods in all; run
/// once and kept, as several tests read it.
inline const core::RolloutRecord& thousandReplicas() {
  static const core::RolloutRecord record = [] {
    const std::string yaml = deploymentYaml("big", 1000, "nginx:1.18", "readiness fails until 5s");
    RolloutSim sim(readDeployment(yaml), 1);
    sim.untilSettled();
    sim.apply(readDeployment(replaced(yaml, "1.18", "1.20.1"))).untilSettled();
    return sim.record();
  }();
  return record;
}

/// A rollout record written by hand whose every name, reason, message,
/// change-cause, image and output is hostile (kHostile), its pod's record
/// hostileRecord().
inline core::RolloutRecord hostileRollout() {
  core::RolloutRecord r;
  r.deploymentName = "evil<script>alert(1)</script>";
  r.deploymentNamespace = kHostile;
  r.runtimeName = "sim<script>";
  r.outcome = core::RunOutcome::Stopped;
  r.outcomeMessage = kHostile;
  for (int revision : {1, 2}) {
    core::ReplicaSetRecord rs;
    rs.name = "rs" + std::to_string(revision) + "<script>]]>";
    rs.hash = "<script>";
    rs.revision = revision;
    rs.revisionHistory = {revision + 7};
    rs.changeCause = kHostile;
    rs.annotations[std::string(core::kMaxReplicasAnnotation)] = "<script>";
    core::Container c;
    c.name = "c<script>";
    c.image = kHostile;
    rs.podTemplate.spec.containers.push_back(c);
    rs.created = sec(revision == 1 ? 0 : 2);
    r.putReplicaSet(rs);
    r.append(core::ReplicaSetSample{rs.created, rs.name, 2, 2, revision == 1 ? 2 : 0, revision == 1 ? 2 : 0});
    r.append(core::Event{rs.created, core::EventType::Normal, "ScalingReplicaSet", "", kHostile});
    r.append(core::Event{rs.created, core::EventType::Warning, "Failed<script>", "replicaset/" + rs.name, kHostile});
  }
  core::DeploymentStatus status;
  status.desiredReplicas = 2;
  status.replicas = 4;
  core::DeploymentStatusLine line = core::deploymentStatusLine(sec(2), status);
  line.ready = "<script>";
  line.upToDate = kHostile;
  r.append(line);
  r.append(core::DeploymentCondition{sec(0), "Progressing", core::ConditionStatus::True, "R<script>", kHostile});
  r.append(core::DeploymentCondition{sec(3), "Progressing", core::ConditionStatus::False, "ProgressDeadlineExceeded",
                                     "ReplicaSet \"rs2<script>]]>\" " + kHostile});
  r.append(core::DeploymentCondition{sec(0), "Available", core::ConditionStatus::Unknown, kHostile, kHostile});
  core::RolloutPod& pod = r.addPod("pod<script>]]>", "rs2<script>]]>", sec(2));
  pod.record = hostileRecord();
  r.podFinished(pod.name, sec(7));
  return r;
}

}  // namespace podscope::testing
