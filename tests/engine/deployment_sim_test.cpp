// Deployments on the simulated runtime and virtual time: the rolling update
// the Kubernetes articles walk through, reproduced event for event, and the
// rest of the controller's behaviour (stalls, readiness and minReadySeconds,
// progress deadlines, Recreate, scaling, rollback numbering, pause/resume,
// restart, revisionHistoryLimit, deletion). Readiness comes from each pod's
// own readiness probe, played by a `podscope.dev/simulate` scenario.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <regex>
#include <set>

#include "core/manifest_reader.h"
#include "core/pod_template_yaml.h"
#include "engine/deployment_controller.h"
#include "engine/runtime/simulated/simulated_runtime.h"
#include "engine/virtual_event_loop.h"

namespace podscope::engine {
namespace {

using std::chrono::seconds;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

struct Spec {
  int replicas = 3;
  std::string image = "nginx:1.18";
  std::string scenario = "readiness fails until 5s";
  std::string strategy;  ///< extra lines under spec.strategy
  std::string extra;     ///< extra lines under spec
  std::string annotations;
};

core::Deployment deployment(const Spec& s) {
  std::string text = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: nginx\n";
  if (!s.annotations.empty()) text += "  annotations:\n" + s.annotations;
  text += "spec:\n  replicas: " + std::to_string(s.replicas) + "\n" + s.extra +
          "  selector:\n    matchLabels:\n      app: nginx\n";
  if (!s.strategy.empty()) text += "  strategy:\n" + s.strategy;
  text += "  template:\n    metadata:\n      labels:\n        app: nginx\n";
  if (!s.scenario.empty()) text += "      annotations:\n        podscope.dev/simulate: \"" + s.scenario + "\"\n";
  text +=
      "    spec:\n      containers:\n      - name: nginx\n        image: " + s.image +
      "\n        readinessProbe:\n          httpGet: {path: /, port: 80}\n          periodSeconds: 1\n";
  core::Manifest m = core::readManifest(text, "nginx.yaml");
  EXPECT_FALSE(m.hasErrors()) << (m.firstError() ? m.firstError()->toString() : "") << "\n" << text;
  if (m.documents.empty() || !m.documents[0].deployment) return {};
  return *m.documents[0].deployment;
}

class Rollout {
 public:
  explicit Rollout(core::Deployment d, std::uint64_t seed = 7) : m_controller(m_runtime, m_loop, record, options(seed)) {
    m_loop.post([this, d = std::move(d)] { m_controller.start(d); });
  }

  void runFor(Duration d) { m_loop.runFor(d); }
  DeploymentController& controller() { return m_controller; }
  core::RunTime now() const { return m_loop.now(); }

  /// The ScalingReplicaSet messages, with `nginx-<hash>` names replaced by
  /// the revision letters given.
  std::vector<std::string> scaling(core::RunTime since = core::RunTime{0}) const {
    std::vector<std::string> out;
    for (const core::Event& e : record.events()) {
      if (e.reason == "ScalingReplicaSet" && e.time >= since) out.push_back(named(e.message));
    }
    return out;
  }

  /// `rs/<name>` → "A", "B", ... by creation order, so expectations read
  /// like the articles.
  std::string named(std::string text) const {
    const auto& rss = record.replicaSets();
    for (std::size_t i = 0; i < rss.size(); ++i) {
      std::string letter(1, static_cast<char>('A' + i));
      for (std::size_t at; (at = text.find(rss[i].name)) != std::string::npos;) text.replace(at, rss[i].name.size(), letter);
    }
    return text;
  }

  std::vector<std::int64_t> history() const {
    std::vector<std::int64_t> out;
    for (const core::ReplicaSetRecord& rs : record.replicaSets()) {
      if (!rs.deleted) out.push_back(rs.revision);
    }
    std::sort(out.begin(), out.end());
    return out;
  }

  const core::DeploymentCondition* lastCondition(const std::string& type) const {
    const core::DeploymentCondition* last = nullptr;
    for (const core::DeploymentCondition& c : record.conditions()) {
      if (c.type == type) last = &c;
    }
    return last;
  }

  core::RolloutRecord record;

 private:
  static DeploymentRunOptions options(std::uint64_t seed) {
    DeploymentRunOptions o;
    o.seed = seed;
    return o;
  }
  VirtualEventLoop m_loop;
  SimulatedRuntime m_runtime{m_loop};
  DeploymentController m_controller;
};

std::string ok(const core::Result<std::string>& r) { return r ? *r : "error: " + r.error().message; }
void must(const core::Result<std::string>& r) { EXPECT_TRUE(r.has_value()) << r.error().message; }

TEST(DeploymentSim, FirstRolloutCreatesAReplicaSetNamedAfterItsTemplateHash) {
  core::Deployment d = deployment({});
  Rollout r(d);
  r.runFor(seconds(30));
  ASSERT_EQ(r.record.replicaSets().size(), 1u);
  const core::ReplicaSetRecord& rs = r.record.replicaSets()[0];
  EXPECT_EQ(rs.hash, core::podTemplateHash(d.spec.podTemplate));
  EXPECT_EQ(rs.name, "nginx-" + rs.hash);
  EXPECT_EQ(rs.revision, 1);
  EXPECT_EQ(rs.podTemplate.metadata.labels.at("pod-template-hash"), rs.hash);
  EXPECT_EQ(rs.annotations.at("deployment.kubernetes.io/desired-replicas"), "3");
  EXPECT_EQ(rs.annotations.at("deployment.kubernetes.io/max-replicas"), "4");
  EXPECT_THAT(r.scaling(), ElementsAre("Scaled up replica set A to 3"));
  ASSERT_EQ(r.record.pods().size(), 3u);
  const std::regex podName("nginx-" + rs.hash + "-[bcdfghjklmnpqrstvwxz2456789]{5}");
  for (const core::RolloutPod& p : r.record.pods()) {
    EXPECT_TRUE(std::regex_match(p.name, podName)) << p.name;
    EXPECT_EQ(p.replicaSet, rs.name);
  }
  std::vector<std::string> creates;
  for (const core::Event& e : r.record.events()) {
    if (e.reason == "SuccessfulCreate") {
      EXPECT_EQ(e.object, "replicaset/" + rs.name);
      creates.push_back(e.message);
    }
  }
  EXPECT_EQ(creates.size(), 3u);
  EXPECT_THAT(creates[0], HasSubstr("Created pod: nginx-" + rs.hash + "-"));
  EXPECT_EQ(r.record.statusLines().back().ready, "3/3");
  EXPECT_EQ(r.lastCondition("Progressing")->reason, "NewReplicaSetAvailable");
  EXPECT_EQ(r.lastCondition("Progressing")->message, "ReplicaSet \"" + rs.name + "\" has successfully progressed.");
  EXPECT_EQ(r.lastCondition("Available")->reason, "MinimumReplicasAvailable");
  EXPECT_EQ(r.controller().rolloutStatus().text, "deployment \"nginx\" successfully rolled out");
}

// The sequence every rolling-update article shows: 3 replicas, the default
// 25%/25% (surge 1, unavailable 0), nginx:1.18 -> nginx:1.20.1.
TEST(DeploymentSim, ThreeReplicasRollOneByOneAsTheArticlesShow) {
  Rollout r(deployment({}));
  r.runFor(seconds(30));
  const core::RunTime applied = r.now();
  EXPECT_EQ(ok(r.controller().apply(deployment({.image = "nginx:1.20.1"}))), "deployment.apps/nginx configured");
  r.runFor(seconds(60));
  EXPECT_THAT(r.scaling(applied), ElementsAre("Scaled up replica set B to 1", "Scaled down replica set A to 2",
                                              "Scaled up replica set B to 2", "Scaled down replica set A to 1",
                                              "Scaled up replica set B to 3", "Scaled down replica set A to 0"));
  // Never more than replicas + maxSurge pods, never fewer available than
  // replicas - maxUnavailable.
  for (const core::DeploymentStatusLine& l : r.record.statusLines()) {
    if (l.time < applied) continue;
    EXPECT_LE(l.status.replicas, 4) << core::formatRunTime(l.time);
    EXPECT_GE(l.status.availableReplicas, 3) << core::formatRunTime(l.time);
  }
  // Each scale-down waited for a new pod to become ready.
  int creates = 0;
  int deletes = 0;
  for (const core::Event& e : r.record.events()) {
    if (e.time < applied) continue;
    creates += e.reason == "SuccessfulCreate";
    deletes += e.reason == "SuccessfulDelete";
  }
  EXPECT_EQ(creates, 3);
  EXPECT_EQ(deletes, 3);
  EXPECT_EQ(r.history(), (std::vector<std::int64_t>{1, 2}));
  EXPECT_EQ(r.record.replicaSets()[1].podTemplate.spec.containers[0].image, "nginx:1.20.1");
  std::string table = core::formatReplicaSets(r.record, r.now());
  table = std::regex_replace(table, std::regex(" +"), " ");
  EXPECT_EQ(table, "NAME DESIRED CURRENT READY AGE\n" + r.record.replicaSets()[0].name + " 0 0 0 90s\n" +
                       r.record.replicaSets()[1].name + " 3 3 3 60s\n");
  // The deleted old pods went through Terminating in their own records.
  int terminated = 0;
  for (const core::RolloutPod& p : r.record.pods()) {
    if (p.replicaSet != r.record.replicaSets()[0].name) continue;
    ASSERT_TRUE(p.finished) << p.name;
    bool terminating = std::any_of(p.record.statusLines().begin(), p.record.statusLines().end(),
                                   [](const core::PodStatusLine& l) { return l.status == "Terminating"; });
    EXPECT_TRUE(terminating) << p.name;
    EXPECT_EQ(p.record.outcome, core::RunOutcome::Deleted);
    ++terminated;
  }
  EXPECT_EQ(terminated, 3);
  EXPECT_THAT(core::rolloutStatusLines(r.record, applied),
              ElementsAre("Waiting for deployment \"nginx\" rollout to finish: 1 out of 3 new replicas have been updated...",
                          "Waiting for deployment \"nginx\" rollout to finish: 2 out of 3 new replicas have been updated...",
                          "Waiting for deployment \"nginx\" rollout to finish: 1 old replicas are pending termination...",
                          "deployment \"nginx\" successfully rolled out"));
}

TEST(DeploymentSim, TenReplicasSurgeThreeUnavailableTwo) {
  Rollout r(deployment({.replicas = 10}));
  r.runFor(seconds(30));
  const core::RunTime applied = r.now();
  must(r.controller().apply(deployment({.replicas = 10, .image = "nginx:1.20.1"})));
  r.runFor(seconds(120));
  std::vector<std::string> steps = r.scaling(applied);
  ASSERT_GE(steps.size(), 3u);
  EXPECT_THAT(std::vector<std::string>(steps.begin(), steps.begin() + 3),
              ElementsAre("Scaled up replica set B to 3", "Scaled down replica set A to 8", "Scaled up replica set B to 5"));
  EXPECT_EQ(steps.back(), "Scaled down replica set A to 0");
  for (const core::DeploymentStatusLine& l : r.record.statusLines()) {
    if (l.time < applied) continue;
    EXPECT_LE(l.status.replicas, 13);
    EXPECT_GE(l.status.availableReplicas, 8);
  }
  EXPECT_EQ(r.record.statusLines().back().ready, "10/10");
}

TEST(DeploymentSim, NewPodsThatNeverGetReadyStallTheRolloutUntilTheDeadline) {
  const std::string deadline = "  progressDeadlineSeconds: 30\n";
  Rollout r(deployment({.replicas = 10, .extra = deadline}));
  r.runFor(seconds(30));
  const core::RunTime applied = r.now();
  must(r.controller().apply(
      deployment({.replicas = 10, .image = "nginx:1.20.1", .scenario = "readiness fails", .extra = deadline})));
  r.runFor(seconds(120));
  EXPECT_THAT(r.scaling(applied), ElementsAre("Scaled up replica set B to 3", "Scaled down replica set A to 8",
                                              "Scaled up replica set B to 5"));
  const core::ReplicaSetSample* lastNew = nullptr;
  const core::ReplicaSetSample* lastOld = nullptr;
  for (const core::ReplicaSetSample& s : r.record.replicaSetSamples()) {
    (s.replicaSet == r.record.replicaSets()[1].name ? lastNew : lastOld) = &s;
  }
  ASSERT_TRUE(lastNew && lastOld);
  EXPECT_EQ(lastNew->desired, 5);
  EXPECT_EQ(lastNew->available, 0);
  EXPECT_EQ(lastOld->desired, 8);
  EXPECT_EQ(lastOld->available, 8);
  // No progress for 30 s (the last was the scale to 5 at the start) ->
  // Progressing False, checked a second after the deadline as the
  // controller requeues; nothing is rolled back.
  const core::DeploymentCondition* p = r.lastCondition("Progressing");
  ASSERT_TRUE(p);
  EXPECT_EQ(p->status, core::ConditionStatus::False);
  EXPECT_EQ(p->reason, "ProgressDeadlineExceeded");
  EXPECT_EQ(p->message, "ReplicaSet \"" + r.record.replicaSets()[1].name + "\" has timed out progressing.");
  EXPECT_EQ(p->time - applied, core::RunTime(seconds(31)));
  EXPECT_EQ(r.controller().rolloutStatus().text, "deployment \"nginx\" exceeded its progress deadline");
  EXPECT_EQ(core::rolloutStatusLines(r.record, applied).back(), "error: deployment \"nginx\" exceeded its progress deadline");
}

TEST(DeploymentSim, OldPodsGoOnlyOnceNewOnesAreReady) {
  Rollout r(deployment({.replicas = 1}));
  r.runFor(seconds(30));
  const core::RunTime applied = r.now();
  must(r.controller().apply(deployment({.replicas = 1, .image = "nginx:1.20.1", .scenario = "readiness fails until 20s"})));
  r.runFor(seconds(60));
  EXPECT_THAT(r.scaling(applied), ElementsAre("Scaled up replica set B to 1", "Scaled down replica set A to 0"));
  const core::RolloutPod& fresh = r.record.pods().back();
  core::RunTime ready{0};
  for (const core::ConditionChange& c : fresh.record.conditions()) {
    if (c.kind == core::SubjectKind::Pod && c.type == "Ready" && c.status) ready = core::rolloutTime(fresh, c.time);
  }
  ASSERT_GE(ready, applied + seconds(20));
  auto scaledDown = std::find_if(r.record.events().begin(), r.record.events().end(), [&](const core::Event& e) {
    return e.time >= applied && e.message.rfind("Scaled down", 0) == 0;
  });
  ASSERT_NE(scaledDown, r.record.events().end());
  EXPECT_EQ(scaledDown->time, ready);
}

TEST(DeploymentSim, MinReadySecondsDelaysEachStep) {
  Rollout r(deployment({.replicas = 1, .extra = "  minReadySeconds: 10\n"}));
  r.runFor(seconds(40));
  const core::RunTime applied = r.now();
  must(r.controller().apply(deployment({.replicas = 1, .image = "nginx:1.20.1", .extra = "  minReadySeconds: 10\n"})));
  r.runFor(seconds(60));
  const core::RolloutPod& fresh = r.record.pods().back();
  core::RunTime ready{0};
  for (const core::ConditionChange& c : fresh.record.conditions()) {
    if (c.kind == core::SubjectKind::Pod && c.type == "Ready" && c.status) ready = core::rolloutTime(fresh, c.time);
  }
  ASSERT_GT(ready, applied);
  core::RunTime scaledDown{0};
  for (const core::Event& e : r.record.events()) {
    if (e.time >= applied && e.message.find("Scaled down") == 0) scaledDown = e.time;
  }
  EXPECT_EQ(scaledDown, ready + seconds(10));
  // READY counts it at once, AVAILABLE ten seconds later.
  bool readyNotAvailable = false;
  for (const core::ReplicaSetSample& s : r.record.replicaSetSamples()) {
    if (s.replicaSet == fresh.replicaSet && s.ready == 1 && s.available == 0) readyNotAvailable = true;
  }
  EXPECT_TRUE(readyNotAvailable);
}

TEST(DeploymentSim, RecreateRemovesEveryOldPodBeforeTheFirstNewOne) {
  const std::string recreate = "    type: Recreate\n";
  // Old pods take 3 s to stop.
  const std::string scenario = "readiness fails until 5s\\non SIGTERM exit 0 after 3s";
  Rollout r(deployment({.scenario = scenario, .strategy = recreate}));
  r.runFor(seconds(30));
  const core::RunTime applied = r.now();
  must(r.controller().apply(deployment({.image = "nginx:1.20.1", .scenario = scenario, .strategy = recreate})));
  r.runFor(seconds(90));
  EXPECT_THAT(r.scaling(applied), ElementsAre("Scaled down replica set A to 0", "Scaled up replica set B to 3"));
  core::RunTime lastOldGone{0};
  core::RunTime firstNew = core::RunTime::max();
  for (const core::RolloutPod& p : r.record.pods()) {
    if (p.replicaSet == r.record.replicaSets()[0].name) {
      ASSERT_TRUE(p.finished);
      lastOldGone = std::max(lastOldGone, *p.finished);
    } else {
      firstNew = std::min(firstNew, p.created);
    }
  }
  EXPECT_EQ(lastOldGone, applied + seconds(3));
  EXPECT_LE(lastOldGone, firstNew);
  EXPECT_EQ(r.record.statusLines().back().ready, "3/3");
}

TEST(DeploymentSim, ScalingMakesNoRevision) {
  Rollout r(deployment({}));
  r.runFor(seconds(30));
  EXPECT_EQ(ok(r.controller().scale(5)), "deployment.apps/nginx scaled");
  r.runFor(seconds(30));
  EXPECT_EQ(ok(r.controller().apply(deployment({.replicas = 2}))), "deployment.apps/nginx configured");
  r.runFor(seconds(30));
  EXPECT_EQ(ok(r.controller().apply(deployment({.replicas = 2}))), "deployment.apps/nginx unchanged");
  EXPECT_THAT(r.scaling(), ElementsAre("Scaled up replica set A to 3", "Scaled up replica set A to 5",
                                       "Scaled down replica set A to 2"));
  EXPECT_EQ(r.history(), (std::vector<std::int64_t>{1}));
  EXPECT_EQ(r.record.replicaSets()[0].annotations.at("deployment.kubernetes.io/desired-replicas"), "2");
  EXPECT_EQ(r.record.statusLines().back().ready, "2/2");
  EXPECT_FALSE(r.controller().scale(-1).has_value());
  EXPECT_EQ(r.controller().scale(-1).error().message,
            "The Deployment \"nginx\" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0");
}

// The documentation's proportional scaling example: 10 replicas, surge 3,
// unavailable 2, stuck at old 8 / new 5, scaled to 15.
TEST(DeploymentSim, ScalingMidRolloutIsProportional) {
  const std::string fenceposts = "    rollingUpdate:\n      maxSurge: 3\n      maxUnavailable: 2\n";
  Rollout r(deployment({.replicas = 10, .strategy = fenceposts}));
  r.runFor(seconds(30));
  must(r.controller().apply(
      deployment({.replicas = 10, .image = "nginx:1.20.1", .scenario = "readiness fails", .strategy = fenceposts})));
  r.runFor(seconds(30));
  const core::RunTime scaled = r.now();
  must(r.controller().scale(15));
  r.runFor(seconds(30));
  EXPECT_THAT(r.scaling(scaled), ElementsAre("Scaled up replica set A to 11", "Scaled up replica set B to 7"));
  EXPECT_EQ(r.history(), (std::vector<std::int64_t>{1, 2}));
}

TEST(DeploymentSim, RollbackRenumbersTheRevisionItReturnsTo) {
  Rollout r(deployment({}));
  r.runFor(seconds(30));
  EXPECT_EQ(r.controller().undo().error().message, "no rollout history found for deployment \"nginx\"");
  must(r.controller().apply(deployment({.image = "nginx:1.19"})));
  r.runFor(seconds(60));
  must(r.controller().apply(deployment({.image = "nginx:1.20.1"})));
  r.runFor(seconds(60));
  EXPECT_EQ(r.history(), (std::vector<std::int64_t>{1, 2, 3}));
  const std::size_t before = r.record.replicaSets().size();

  EXPECT_EQ(ok(r.controller().undo()), "deployment.apps/nginx rolled back");
  r.runFor(seconds(60));
  EXPECT_EQ(r.history(), (std::vector<std::int64_t>{1, 3, 4}));
  EXPECT_EQ(r.record.replicaSets().size(), before) << "no new ReplicaSet, no new hash";
  const core::ReplicaSetRecord& back = r.record.replicaSets()[1];
  EXPECT_EQ(back.podTemplate.spec.containers[0].image, "nginx:1.19");
  EXPECT_EQ(back.revision, 4);
  EXPECT_EQ(back.revisionHistory, (std::vector<std::int64_t>{2}));
  EXPECT_EQ(back.annotations.at("deployment.kubernetes.io/revision-history"), "2");
  EXPECT_EQ(r.controller().deployment().spec.podTemplate.spec.containers[0].image, "nginx:1.19");
  EXPECT_EQ(r.record.statusLines().back().ready, "3/3");

  EXPECT_EQ(ok(r.controller().undo(4)),
            "deployment.apps/nginx skipped rollback (current template already matches revision 4)");
  EXPECT_EQ(r.controller().undo(2).error().message, "unable to find specified revision 2 in history");
  EXPECT_EQ(r.controller().undo(-1).error().message, "unable to find specified revision -1 in history");
  EXPECT_EQ(ok(r.controller().undo(1)), "deployment.apps/nginx rolled back");
  r.runFor(seconds(60));
  EXPECT_EQ(r.history(), (std::vector<std::int64_t>{3, 4, 5}));
  EXPECT_EQ(core::formatRolloutHistory(r.record),
            "deployment.apps/nginx\nREVISION  CHANGE-CAUSE\n3         <none>\n4         <none>\n5         <none>\n");
}

TEST(DeploymentSim, ChangeCauseFollowsTheRevisionBackOnUndo) {
  auto annotated = [](const std::string& image, const std::string& cause) {
    return deployment({.image = image, .annotations = "    kubernetes.io/change-cause: \"" + cause + "\"\n"});
  };
  Rollout r(annotated("nginx:1.18", "first"));
  r.runFor(seconds(30));
  must(r.controller().apply(annotated("nginx:1.20.1", "second")));
  r.runFor(seconds(60));
  must(r.controller().undo());
  r.runFor(seconds(60));
  EXPECT_EQ(r.controller().deployment().changeCause(), "first");
  EXPECT_EQ(core::formatRolloutHistory(r.record),
            "deployment.apps/nginx\nREVISION  CHANGE-CAUSE\n2         second\n3         first\n");
}

TEST(DeploymentSim, PausedDeploymentsOnlyScale) {
  Rollout r(deployment({}));
  r.runFor(seconds(30));
  EXPECT_EQ(ok(r.controller().pause()), "deployment.apps/nginx paused");
  EXPECT_EQ(r.controller().pause().error().message, "deployments.apps \"nginx\" is already paused");
  core::Deployment changed = deployment({.image = "nginx:1.20.1"});
  changed.spec.paused = true;
  must(r.controller().apply(changed));
  r.runFor(seconds(30));
  EXPECT_EQ(r.record.replicaSets().size(), 1u) << "no rollout while paused";
  EXPECT_EQ(r.lastCondition("Progressing")->reason, "DeploymentPaused");
  EXPECT_EQ(r.lastCondition("Progressing")->status, core::ConditionStatus::Unknown);
  EXPECT_EQ(r.lastCondition("Progressing")->message, "Deployment is paused");
  EXPECT_EQ(r.controller().undo().error().message,
            "no rollout history found for deployment \"nginx\"");
  EXPECT_EQ(r.controller().restart("2024-05-01T10:00:00Z").error().message,
            "deployments.apps \"nginx\" can't restart paused deployment (run rollout resume first)");
  must(r.controller().scale(4));
  r.runFor(seconds(30));
  EXPECT_THAT(r.scaling(), ElementsAre("Scaled up replica set A to 3", "Scaled up replica set A to 4"));
  EXPECT_EQ(r.controller().rolloutStatus().text,
            "Waiting for deployment \"nginx\" rollout to finish: 0 out of 4 new replicas have been updated...");

  EXPECT_EQ(ok(r.controller().resume()), "deployment.apps/nginx resumed");
  EXPECT_EQ(r.controller().resume().error().message, "deployments.apps \"nginx\" is not paused");
  r.runFor(seconds(90));
  EXPECT_EQ(r.record.replicaSets().size(), 2u);
  EXPECT_EQ(r.record.statusLines().back().ready, "4/4");
  std::vector<std::string> reasons;
  for (const core::DeploymentCondition& c : r.record.conditions()) {
    if (c.type == "Progressing") reasons.push_back(c.reason);
  }
  EXPECT_THAT(reasons, ElementsAre("NewReplicaSetCreated", "ReplicaSetUpdated", "NewReplicaSetAvailable",
                                   "DeploymentPaused",
                                   "DeploymentResumed", "NewReplicaSetCreated", "ReplicaSetUpdated",
                                   "NewReplicaSetAvailable"));
}

TEST(DeploymentSim, PausedDeploymentsCannotBeRolledBack) {
  Rollout r(deployment({}));
  r.runFor(seconds(30));
  must(r.controller().apply(deployment({.image = "nginx:1.20.1"})));
  r.runFor(seconds(60));
  must(r.controller().pause());
  EXPECT_EQ(r.controller().undo().error().message,
            "you cannot rollback a paused deployment; resume it first with 'kubectl rollout resume "
            "deployment/nginx' and try again");
}

TEST(DeploymentSim, RestartMakesANewRevision) {
  Rollout r(deployment({}));
  r.runFor(seconds(30));
  EXPECT_EQ(ok(r.controller().restart("2024-05-01T10:00:00Z")), "deployment.apps/nginx restarted");
  r.runFor(seconds(60));
  EXPECT_EQ(r.history(), (std::vector<std::int64_t>{1, 2}));
  const core::ReplicaSetRecord& fresh = r.record.replicaSets()[1];
  EXPECT_EQ(fresh.podTemplate.metadata.annotations.at("kubectl.kubernetes.io/restartedAt"), "2024-05-01T10:00:00Z");
  EXPECT_NE(fresh.hash, r.record.replicaSets()[0].hash);
  EXPECT_EQ(r.record.statusLines().back().ready, "3/3");
  // The same moment again changes nothing.
  must(r.controller().restart("2024-05-01T10:00:00Z"));
  r.runFor(seconds(30));
  EXPECT_EQ(r.history(), (std::vector<std::int64_t>{1, 2}));
}

TEST(DeploymentSim, RevisionHistoryLimitDeletesTheOldestEmptyReplicaSets) {
  const std::string limit = "  revisionHistoryLimit: 1\n";
  Rollout r(deployment({.extra = limit}));
  r.runFor(seconds(30));
  for (const char* image : {"nginx:1.19", "nginx:1.20", "nginx:1.21"}) {
    must(r.controller().apply(deployment({.image = image, .extra = limit})));
    r.runFor(seconds(60));
  }
  EXPECT_EQ(r.history(), (std::vector<std::int64_t>{3, 4}));
  ASSERT_EQ(r.record.replicaSets().size(), 4u);
  EXPECT_TRUE(r.record.replicaSets()[0].deleted);
  EXPECT_TRUE(r.record.replicaSets()[1].deleted);
  EXPECT_FALSE(r.record.replicaSets()[2].deleted);
  EXPECT_THAT(core::formatReplicaSets(r.record), HasSubstr(r.record.replicaSets()[2].name));
  EXPECT_THAT(core::formatReplicaSets(r.record), ::testing::Not(HasSubstr(r.record.replicaSets()[0].name)));
}

TEST(DeploymentSim, TheSelectorCannotChange) {
  Rollout r(deployment({}));
  r.runFor(seconds(5));
  core::Deployment other = deployment({});
  other.spec.selector.matchLabels = {{"app", "web"}};
  EXPECT_EQ(r.controller().apply(other).error().message,
            "The Deployment \"nginx\" is invalid: spec.selector: Invalid value: "
            "v1.LabelSelector{MatchLabels:map[string]string{\"app\":\"web\"}, "
            "MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: field is immutable");
}

TEST(DeploymentSim, DeletingRemovesEveryPodGracefully) {
  // The pods ignore SIGTERM, so each runs out the grace period given.
  Rollout r(deployment({.scenario = "readiness fails until 5s\\nignores SIGTERM"}));
  r.runFor(seconds(30));
  const core::RunTime deleted = r.now();
  EXPECT_EQ(ok(r.controller().remove(seconds(5))), "deployment.apps \"nginx\" deleted");
  EXPECT_EQ(r.controller().scale(2).error().message, "deployments.apps \"nginx\" is being deleted");
  r.runFor(seconds(30));
  EXPECT_TRUE(r.controller().finished());
  EXPECT_EQ(r.record.outcome, core::RunOutcome::Deleted);
  ASSERT_EQ(r.record.pods().size(), 3u);
  for (const core::RolloutPod& p : r.record.pods()) {
    ASSERT_TRUE(p.finished) << p.name;
    EXPECT_GE(*p.finished, deleted + seconds(5)) << p.name;
    EXPECT_LT(*p.finished, deleted + seconds(10)) << p.name;
    EXPECT_EQ(p.record.outcome, core::RunOutcome::Deleted) << p.name;
  }
  for (const core::ReplicaSetRecord& rs : r.record.replicaSets()) EXPECT_EQ(rs.deleted, deleted);
  EXPECT_EQ(core::formatRolloutHistory(r.record), "No rollout history found.\n");
}

TEST(DeploymentSim, ControlRequestsWaitForTheRunAndAreRefusedAfterIt) {
  VirtualEventLoop loop;
  SimulatedRuntime runtime(loop);
  DeploymentControl control;
  std::vector<std::string> replies;
  auto reply = [&](const core::Result<std::string>& r) { replies.push_back(ok(r)); };
  DeploymentRunOptions options;
  options.seed = 3;
  options.runFor = seconds(20);
  control.scale(5, reply);
  control.undo(0, reply);
  core::RolloutRecord record = runDeployment(deployment({}), runtime, loop, options, {}, &control);
  EXPECT_THAT(replies, ElementsAre("deployment.apps/nginx scaled",
                                   "error: no rollout history found for deployment \"nginx\""));
  EXPECT_EQ(record.outcome, core::RunOutcome::Stopped);
  EXPECT_EQ(record.pods().size(), 5u);
  EXPECT_EQ(record.statusLines().back().ready, "5/5");
  control.resume(reply);
  EXPECT_EQ(replies.back(), "error: the deployment run has ended");
}

TEST(DeploymentSim, PodNamesFollowTheSeed) {
  auto names = [](std::uint64_t seed) {
    VirtualEventLoop loop;
    SimulatedRuntime runtime(loop);
    DeploymentRunOptions options;
    options.seed = seed;
    options.runFor = seconds(20);
    core::RolloutRecord record = runDeployment(deployment({}), runtime, loop, options);
    EXPECT_EQ(record.outcome, core::RunOutcome::Stopped);
    std::vector<std::string> out;
    for (const core::RolloutPod& p : record.pods()) out.push_back(p.name);
    return out;
  };
  EXPECT_EQ(names(11), names(11));
  EXPECT_NE(names(11), names(12));
  EXPECT_EQ(names(11).size(), 3u);
}

TEST(DeploymentSim, ObserversStreamTheRolloutAndEachPod) {
  VirtualEventLoop loop;
  SimulatedRuntime runtime(loop);
  DeploymentRunOptions options;
  options.seed = 1;
  options.runFor = seconds(20);
  int events = 0;
  int podEvents = 0;
  int lines = 0;
  core::RolloutObserver observer;
  observer.onEvent = [&](const core::Event&) { ++events; };
  observer.onStatusLine = [&](const core::DeploymentStatusLine&) { ++lines; };
  observer.podObserver = [&](const core::RolloutPod&) {
    core::RecordObserver o;
    o.onEvent = [&](const core::Event&) { ++podEvents; };
    return o;
  };
  core::RolloutRecord record = runDeployment(deployment({}), runtime, loop, options, observer);
  EXPECT_EQ(events, static_cast<int>(record.events().size()));
  EXPECT_EQ(lines, static_cast<int>(record.statusLines().size()));
  int recorded = 0;
  for (const core::RolloutPod& p : record.pods()) recorded += static_cast<int>(p.record.events().size());
  EXPECT_EQ(podEvents, recorded);
  EXPECT_GT(podEvents, 0);
}

// Decide, then do: one sync's decision from a plain description.
TEST(DecideSync, CreatesTheFirstReplicaSetWithAllReplicas) {
  DeploymentObserved in;
  in.deployment = deployment({});
  SyncPlan plan = decideSync(in, seconds(0));
  ASSERT_EQ(plan.changes.size(), 1u);
  EXPECT_EQ(plan.changes[0].kind, ReplicaSetChange::Kind::Create);
  EXPECT_EQ(plan.changes[0].replicaSet.replicas, 3);
  EXPECT_EQ(plan.changes[0].replicaSet.revision(), 1);
  EXPECT_EQ(plan.revision, 1);
  ASSERT_TRUE(plan.progressing);
  EXPECT_EQ(plan.progressing->reason, "NewReplicaSetCreated");
  ASSERT_TRUE(plan.available);
  EXPECT_EQ(plan.available->status, core::ConditionStatus::False);
}

TEST(DecideSync, AHashCollisionCountsAndRetries) {
  DeploymentObserved in;
  in.deployment = deployment({.image = "nginx:1.20.1"});
  ReplicaSetState squatter;
  squatter.name = "nginx-" + core::podTemplateHash(in.deployment.spec.podTemplate);
  squatter.podTemplate = deployment({}).spec.podTemplate;  // another template under that name
  squatter.annotations["deployment.kubernetes.io/revision"] = "1";
  squatter.replicas = 3;
  in.replicaSets.push_back(squatter);
  SyncPlan plan = decideSync(in, seconds(0));
  EXPECT_TRUE(plan.retry);
  EXPECT_EQ(plan.collisionCount, 1);
  EXPECT_TRUE(plan.changes.empty());
  in.collisionCount = plan.collisionCount;
  plan = decideSync(in, seconds(0));
  ASSERT_FALSE(plan.retry);
  ASSERT_EQ(plan.changes.size(), 1u);
  EXPECT_EQ(plan.changes[0].replicaSet.name, "nginx-" + core::podTemplateHash(in.deployment.spec.podTemplate, 1));
  EXPECT_EQ(plan.changes[0].replicaSet.revision(), 2);
}

TEST(DecideSync, PodsToDeleteNotReadyFirstThenNewest) {
  std::vector<PodRank> pods = {{"old-ready", true, seconds(1), 0},
                               {"new-ready", true, seconds(5), 1},
                               {"starting", false, seconds(0), 2},
                               {"older-starting", false, seconds(0), 1}};
  EXPECT_THAT(podsToDelete(pods, 3), ElementsAre("starting", "older-starting", "new-ready"));
}

}  // namespace
}  // namespace podscope::engine
