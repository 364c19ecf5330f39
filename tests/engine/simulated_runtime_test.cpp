#include "engine/runtime/simulated/simulated_runtime.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "core/manifest_reader.h"
#include "engine/pod_worker.h"
#include "engine/virtual_event_loop.h"

namespace podscope::engine {
namespace {

core::Pod pod(const std::string& yaml) {
  core::Result<core::Pod> p = core::readPod(yaml, "test.yaml");
  EXPECT_TRUE(p) << (p ? "" : p.error().toString());
  return *p;
}

std::vector<std::string> summary(const core::RunRecord& r) {
  std::vector<std::string> out;
  for (const core::Transition& t : r.transitions()) {
    if (t.from.empty()) continue;
    out.push_back(core::formatRunTime(t.time) + " " + t.subject + " " + t.to + (t.message.empty() ? "" : " (" + t.message + ")"));
  }
  return out;
}

TEST(SimulatedRuntime, RunsInitContainersThenMainOnVirtualTime) {
  VirtualEventLoop loop;
  SimulatedRuntime rt(loop);
  core::RunRecord r = runPod(pod(R"(apiVersion: v1
kind: Pod
metadata: {name: demo}
spec:
  restartPolicy: Never
  initContainers:
  - {name: fetch, image: busybox:1.36, command: [sh, -c, "sleep 2"]}
  - {name: migrate, image: busybox:1.36, command: [sh, -c, "sleep 3; echo done"]}
  containers:
  - {name: app, image: busybox:1.36, command: [sh, -c, "sleep 10; exit 0"]}
)"),
                             rt, loop);
  EXPECT_EQ(r.runtimeName, "simulated");
  EXPECT_EQ(r.outcome, core::RunOutcome::Succeeded);
  EXPECT_THAT(summary(r), ::testing::ElementsAre(
                              "0.000s fetch Running", "2.000s fetch Terminated (exit code 0)",
                              "2.000s migrate Running", "5.000s migrate Terminated (exit code 0)", "5.000s app Running",
                              "5.000s demo Running", "15.000s app Terminated (exit code 0)", "15.000s demo Succeeded"));
}

TEST(SimulatedRuntime, ImagePullUnderAlwaysTakesSimulatedTime) {
  VirtualEventLoop loop;
  SimulatedRuntime rt(loop);
  core::RunRecord r = runPod(pod(R"(apiVersion: v1
kind: Pod
metadata: {name: pull}
spec:
  restartPolicy: Never
  containers:
  - {name: app, image: busybox:latest, command: ["true"]}
)"),
                             rt, loop);
  std::vector<std::string> reasons;
  for (const core::Event& e : r.events()) reasons.push_back(e.reason + "@" + core::formatRunTime(e.time));
  EXPECT_THAT(reasons, ::testing::ElementsAre("Scheduled@0.000s", "Pulling@0.000s", "Pulled@0.500s", "Created@0.500s",
                                              "Started@0.500s"));
}

TEST(SimulatedRuntime, ServerWithoutCommandStopsGracefullyAtTheLimit) {
  VirtualEventLoop loop;
  SimulatedRuntime rt(loop);
  RunOptions options;
  options.stopAfter = std::chrono::seconds(60);
  core::RunRecord r = runPod(pod(R"(apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  containers:
  - {name: nginx, image: nginx:1.25}
  - {name: sidecar, image: busybox:1.36, command: [sh, -c, "sleep 3600"]}
)"),
                             rt, loop, options);
  EXPECT_THAT(summary(r), ::testing::ElementsAre("0.000s nginx Running", "0.000s sidecar Running", "0.000s web Running",
                                                 "60.000s nginx Terminated (exit code 0)",
                                                 "90.000s sidecar Terminated (exit code 137 (SIGKILL))",
                                                 "90.000s web Failed"));
  EXPECT_EQ(r.outcome, core::RunOutcome::Stopped);
}

TEST(SimulatedRuntime, NotesAssumptionsAsEvents) {
  VirtualEventLoop loop;
  SimulatedRuntime rt(loop);
  core::RunRecord r = runPod(pod(R"(apiVersion: v1
kind: Pod
metadata: {name: notes}
spec:
  restartPolicy: Never
  containers:
  - {name: c, image: busybox:1.36, command: [sh, -c, "nslookup db && sleep 1"]}
)"),
                             rt, loop);
  bool noted = false;
  for (const core::Event& e : r.events()) {
    noted = noted || (e.reason == "Simulated" && e.object == "spec.containers{c}" &&
                      e.message == "`nslookup` is not simulated: taken to succeed at once");
  }
  EXPECT_TRUE(noted);
}

TEST(SimulatedRuntime, SeedInitContainerPodRunsAndIsStoppedAtTheLimit) {
  VirtualEventLoop loop;
  SimulatedRuntime rt(loop);
  core::Result<core::Manifest> m = core::readManifestFile(std::string(PODSCOPE_SEEDS_DIR) + "/pod-initcontainer.yaml");
  ASSERT_TRUE(m);
  ASSERT_NE(m->firstPod(), nullptr);
  RunOptions options;
  options.stopAfter = std::chrono::minutes(5);
  core::RunRecord r = runPod(*m->firstPod()->pod, rt, loop, options);
  EXPECT_EQ(r.outcome, core::RunOutcome::Stopped);
  EXPECT_THAT(summary(r), ::testing::Contains("0.000s main-container Running"));
}

}  // namespace
}  // namespace podscope::engine
