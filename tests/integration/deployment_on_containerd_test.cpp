// A Deployment on a real containerd, run the way `podscope-cli run` runs
// one (cli::RolloutRun): three busybox replicas with an exec readiness
// probe come up, then a changed template (an env value) is rolled out with
// maxSurge 1 and maxUnavailable 0. The record must show the rolling
// update's +1/-1 steps, never fewer than 3 available pods nor more than 4
// in all, and nothing of the run may be left in containerd afterwards.

#include <chrono>
#include <map>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "cli/deployment_run.h"
#include "containerd_test_support.h"
#include "core/manifest_reader.h"
#include "core/pod_template_yaml.h"
#include "engine/host/system_event_loop.h"

namespace podscope::testing {
namespace {

using ::testing::ElementsAre;

std::string deploymentYaml(const std::string& name, const std::string& version) {
  return "apiVersion: apps/v1\n"
         "kind: Deployment\n"
         "metadata:\n"
         "  name: " + name + "\n"
         "spec:\n"
         "  replicas: 3\n"
         "  progressDeadlineSeconds: 120\n"
         "  strategy:\n"
         "    rollingUpdate: {maxSurge: 1, maxUnavailable: 0}\n"
         "  selector:\n"
         "    matchLabels: {app: " + name + "}\n"
         "  template:\n"
         "    metadata:\n"
         "      labels: {app: " + name + "}\n"
         "    spec:\n"
         "      terminationGracePeriodSeconds: 5\n"
         "      containers:\n"
         "      - name: app\n"
         "        image: busybox\n"
         // :latest would default to Always and pull from Docker Hub; the
         // copy containerd-start.sh imported is used as it is.
         "        imagePullPolicy: IfNotPresent\n"
         // Ready a second after starting; SIGTERM ends it (busybox sh as
         // PID 1 would ignore it otherwise).
         "        command: [\"sh\", \"-c\", \"trap 'exit 0' TERM; sleep 1; touch /tmp/ready; "
         "while true; do sleep 1; done\"]\n"
         "        env:\n"
         "        - {name: VERSION, value: \"" + version + "\"}\n"
         "        readinessProbe:\n"
         "          exec: {command: [cat, /tmp/ready]}\n"
         "          periodSeconds: 1\n";
}

core::Deployment readDeployment(const std::string& yaml) {
  core::Manifest m = core::readManifest(yaml, "deployment.yaml");
  EXPECT_FALSE(m.hasErrors()) << (m.firstError() ? m.firstError()->toString() : "");
  if (m.documents.empty() || !m.documents[0].deployment) return {};
  return *m.documents[0].deployment;
}

TEST(DeploymentOnContainerd, RollsFromOneTemplateToAnotherWithoutLosingAvailability) {
  const std::string name = uniqueName("roll");
  core::Deployment one = readDeployment(deploymentYaml(name, "one"));
  core::Deployment two = readDeployment(deploymentYaml(name, "two"));
  ASSERT_FALSE(one.metadata.name.empty());
  ASSERT_FALSE(two.metadata.name.empty());

  auto options = testOptions();
  ASSERT_TRUE(options) << options.error().message;
  TempDir logs("podscope-deployment-logs");
  std::optional<cli::RolloutResult> result;
  {
    engine::SystemEventLoop loop;
    auto runtime = engine::ContainerdRuntime::connect(loop, *options);
    ASSERT_TRUE(runtime) << runtime.error().message;

    cli::RolloutPlan plan;
    plan.target = two;
    plan.earlier = one.spec.podTemplate;
    cli::RolloutRun::Options runOptions;
    runOptions.deployment.runFor = std::chrono::seconds(150);  // a safety net: this takes ~15 s
    runOptions.deployment.pod.logDir = logs.path();
    cli::RolloutRun run(plan, **runtime, loop, runOptions);
    result = run.run();
    runtime->reset();
  }
  const core::RolloutRecord& record = result->record;
  SCOPED_TRACE(core::formatRolloutEvents(record));
  ASSERT_EQ(result->end, cli::RolloutEnd::Complete);
  EXPECT_THAT(record.runtimeName, ::testing::StartsWith("containerd"));
  EXPECT_GT(result->targetSince.count(), 0);

  // The two ReplicaSets, named after their templates' hashes.
  ASSERT_EQ(record.replicaSets().size(), 2u);
  const std::string a = record.replicaSets()[0].name;
  const std::string b = record.replicaSets()[1].name;
  EXPECT_EQ(a, name + "-" + core::podTemplateHash(one.spec.podTemplate));
  EXPECT_EQ(b, name + "-" + core::podTemplateHash(two.spec.podTemplate));

  std::vector<std::string> scaling;
  for (const core::Event& e : record.events()) {
    if (e.reason != "ScalingReplicaSet") continue;
    std::string m = e.message;
    for (const auto& [rs, letter] : {std::pair{a, std::string("A")}, std::pair{b, std::string("B")}}) {
      if (auto at = m.find(rs); at != std::string::npos) m.replace(at, rs.size(), letter);
    }
    scaling.push_back(m);
  }
  EXPECT_THAT(scaling, ElementsAre("Scaled up replica set A to 3", "Scaled up replica set B to 1",
                                   "Scaled down replica set A to 2", "Scaled up replica set B to 2",
                                   "Scaled down replica set A to 1", "Scaled up replica set B to 3",
                                   "Scaled down replica set A to 0"));

  // From the moment the new template was applied to the end of the
  // rollout: at least 3 available, at most 4 pods. A sync writes one sample
  // per ReplicaSet, one after the other, then the deployment's status line:
  // the counts are read as each sync left them, at its status line.
  int checked = 0;
  std::map<std::string, core::ReplicaSetSample> latest;
  const auto& samples = record.replicaSetSamples();
  std::size_t next = 0;
  for (const core::DeploymentStatusLine& line : record.statusLines()) {
    if (line.time > result->endedAt) break;
    while (next < samples.size() && samples[next].time <= line.time) {
      latest[samples[next].replicaSet] = samples[next];
      ++next;
    }
    if (line.time < result->targetSince) continue;
    int available = 0;
    int current = 0;
    for (const auto& [rs, sample] : latest) {
      available += sample.available;
      current += sample.current;
    }
    EXPECT_GE(available, 3) << "at " << core::formatRunTime(line.time);
    EXPECT_LE(current, 4) << "at " << core::formatRunTime(line.time);
    EXPECT_EQ(available, line.status.availableReplicas) << "at " << core::formatRunTime(line.time);
    ++checked;
  }
  EXPECT_GE(checked, 5);
  EXPECT_EQ(latest[a].desired, 0);
  EXPECT_EQ(latest[b].available, 3);
  // Each of B's pods ran the new template.
  int newPods = 0;
  for (const core::RolloutPod& p : record.pods()) {
    if (p.replicaSet == b) ++newPods;
  }
  EXPECT_EQ(newPods, 3);

  // The run deleted the deployment at its end: nothing is left.
  EXPECT_TRUE(ctrList("containers", name).empty());
  EXPECT_TRUE(ctrList("tasks", name).empty());
  EXPECT_TRUE(ctrList("snapshots", name).empty());
}

}  // namespace
}  // namespace podscope::testing
