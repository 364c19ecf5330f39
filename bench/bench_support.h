#pragma once
// What several benchmarks share: wall-clock milliseconds, a report timed and
// measured (and written out when asked), and the 1,000-replica Deployment
// of the rollout benchmarks with a way to run it until it has rolled out.

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>

#include "core/manifest_reader.h"
#include "engine/deployment_controller.h"
#include "engine/runtime/simulated/simulated_runtime.h"
#include "engine/virtual_event_loop.h"

namespace podscope::bench {

using Clock = std::chrono::steady_clock;

inline double millis(Clock::duration d) { return std::chrono::duration<double, std::milli>(d).count(); }

/// Makes one report, prints how long that took and its size, and writes it
/// to `dir`/`file` when `dir` is set.
template <typename Make>
std::string timed(const char* what, Make make, const std::string& dir, const char* file) {
  const auto t0 = Clock::now();
  std::string out = make();
  const auto t1 = Clock::now();
  std::printf("%-9s %9.1f ms  %10zu bytes (%.2f MB)\n", what, millis(t1 - t0), out.size(), out.size() / 1e6);
  if (!dir.empty()) std::ofstream(dir + "/" + file, std::ios::binary) << out;
  return out;
}

/// The rollout benchmarks' Deployment "web" as YAML: `replicas` pods of
/// `image`, each ready once its readiness probe (every 2 s) passes at 5 s.
inline std::string webDeploymentYaml(int replicas, const std::string& image) {
  return "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: " + std::to_string(replicas) +
         "\n  selector:\n    matchLabels: {app: web}\n  template:\n    metadata:\n"
         "      labels: {app: web}\n      annotations:\n"
         "        podscope.dev/simulate: \"readiness fails until 5s\"\n"
         "    spec:\n      containers:\n      - name: web\n        image: " +
         image + "\n        readinessProbe:\n          httpGet: {path: /, port: 80}\n          periodSeconds: 2\n";
}

/// The Deployment in `yaml`; exits with a message when it does not read.
inline core::Deployment readWebDeployment(const std::string& yaml) {
  core::Manifest m = core::readManifest(yaml, "web.yaml");
  if (m.hasErrors() || m.documents.empty() || !m.documents[0].deployment) {
    std::fprintf(stderr, "the benchmark's manifest does not read: %s\n",
                 m.firstError() ? m.firstError()->toString().c_str() : "no deployment");
    std::exit(2);
  }
  return *m.documents[0].deployment;
}

/// A Deployment controller on the simulated runtime and virtual time, its
/// pods named from seed 1, recording into `record`.
struct SimulatedRollout {
  static engine::DeploymentRunOptions seeded() {
    engine::DeploymentRunOptions o;
    o.seed = 1;
    return o;
  }
  engine::VirtualEventLoop loop;
  engine::SimulatedRuntime runtime{loop};
  core::RolloutRecord record;
  engine::DeploymentController controller{runtime, loop, record, seeded()};
};

/// Runs virtual time a second at a time until the rollout is done; returns
/// the virtual seconds it took, or -1 if it never finished within an hour.
inline int untilRolledOut(engine::VirtualEventLoop& loop, engine::DeploymentController& controller) {
  for (int s = 1; s <= 3600; ++s) {
    loop.runFor(std::chrono::seconds(1));
    if (controller.rolloutStatus().done) return s;
  }
  return -1;
}

}  // namespace podscope::bench
