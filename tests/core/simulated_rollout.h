#pragma once
// A Deployment rolled from one revision to the next on the simulated
// runtime (virtual time, a fixed seed for pod names), so every run gives
// the same RolloutRecord: for golden files and round-trip tests.

#include <gtest/gtest.h>

#include <string>

#include "core/manifest_reader.h"
#include "core/rollout_record.h"
#include "engine/deployment_controller.h"
#include "engine/runtime/simulated/simulated_runtime.h"
#include "engine/virtual_event_loop.h"
#include "report_records.h"

namespace podscope::testing {

/// `text` with every `from` replaced by `to`.
inline std::string replacedAll(std::string text, const std::string& from, const std::string& to) {
  for (std::size_t at = 0; (at = text.find(from, at)) != std::string::npos; at += to.size()) text.replace(at, from.size(), to);
  return text;
}

/// The first Deployment in `yaml`.
inline core::Deployment readDeployment(const std::string& yaml) {
  core::Manifest m = core::readManifest(yaml, "deployment.yaml");
  EXPECT_FALSE(m.hasErrors()) << (m.firstError() ? m.firstError()->toString() : "");
  for (const core::Document& d : m.documents) {
    if (d.deployment) return *d.deployment;
  }
  ADD_FAILURE() << "no Deployment in\n" << yaml;
  return {};
}

/// examples/rolling-update.yaml rolled out as `podscope-cli run` does on
/// its second run: its nginx:1.18 template comes up, nginx:1.20.1 (with its
/// own change-cause) is applied at 20 s, and the deployment is deleted at
/// 50 s, its pods gracefully. Two ReplicaSets, six pods, outcome Deleted.
inline core::RolloutRecord simulateRollingUpdate() {
  const std::string first = readExample("rolling-update.yaml");
  EXPECT_NE(first.find("image: nginx:1.18"), std::string::npos);
  const std::string second =
      replacedAll(replacedAll(first, "image: nginx:1.18", "image: nginx:1.20.1"), "\"nginx 1.18\"", "\"nginx 1.20.1\"");
  core::RolloutRecord record;
  engine::VirtualEventLoop loop;
  engine::SimulatedRuntime runtime(loop);
  engine::DeploymentRunOptions options;
  options.seed = 1;
  {
    engine::DeploymentController controller(runtime, loop, record, options);
    controller.onFinished = [&loop] { loop.quit(); };
    loop.post([&controller, d = readDeployment(first)] { controller.start(d); });
    loop.runFor(std::chrono::seconds(20));
    EXPECT_TRUE(controller.apply(readDeployment(second)).has_value());
    loop.runFor(std::chrono::seconds(30));
    EXPECT_TRUE(controller.remove().has_value());
    loop.run();
    EXPECT_TRUE(controller.finished());
  }
  record.stopObserving();
  return record;
}

}  // namespace podscope::testing
