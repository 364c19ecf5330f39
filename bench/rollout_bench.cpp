// A 1,000-replica Deployment rolled from nginx:1.18 to nginx:1.20.1 on the
// simulated runtime (default 25%/25%: 250 pods more, 250 fewer available at
// a time), each pod ready after its readiness probe passes at 5 s (a
// `podscope.dev/simulate` scenario, probed every 2 s). Prints the wall time
// of the rollout (apply to `successfully rolled out`) and its ratio to the
// 1 s target, and the same for creating the first 1,000 pods.
//
//   podscope_bench_rollout [replicas]

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "bench_support.h"
#include "engine/deployment_controller.h"

namespace {

using namespace podscope;
using bench::Clock;
using bench::millis;

core::Deployment deployment(int replicas, const std::string& image) {
  return bench::readWebDeployment(bench::webDeploymentYaml(replicas, image));
}

}  // namespace

int main(int argc, char** argv) {
  const int replicas = argc > 1 ? std::atoi(argv[1]) : 1000;
  constexpr double kTargetMs = 1000.0;

  bench::SimulatedRollout sim;
  engine::VirtualEventLoop& loop = sim.loop;
  core::RolloutRecord& record = sim.record;
  engine::DeploymentController& controller = sim.controller;

  const Clock::time_point t0 = Clock::now();
  loop.post([&] { controller.start(deployment(replicas, "nginx:1.18")); });
  const int firstSeconds = bench::untilRolledOut(loop, controller);
  const Clock::time_point t1 = Clock::now();

  const std::size_t eventsBefore = record.events().size();
  const Clock::time_point t2 = Clock::now();
  if (!controller.apply(deployment(replicas, "nginx:1.20.1"))) return 2;
  const int rolloutSeconds = bench::untilRolledOut(loop, controller);
  const Clock::time_point t3 = Clock::now();

  if (firstSeconds < 0 || rolloutSeconds < 0) {
    std::fprintf(stderr, "the rollout did not finish: %s\n", controller.rolloutStatus().text.c_str());
    return 1;
  }
  std::size_t steps = 0;
  for (std::size_t i = eventsBefore; i < record.events().size(); ++i) {
    steps += record.events()[i].reason == "ScalingReplicaSet";
  }
  std::printf("replicas: %d\n", replicas);
  std::printf("first rollout (%d pods): %.1f ms wall for %d s virtual (%.2fx the %.0f ms target)\n", replicas,
              millis(t1 - t0), firstSeconds, millis(t1 - t0) / kTargetMs, kTargetMs);
  std::printf("rolling update nginx:1.18 -> nginx:1.20.1: %.1f ms wall for %d s virtual, %zu scaling steps, %zu pods "
              "in all (%.2fx the %.0f ms target)\n",
              millis(t3 - t2), rolloutSeconds, steps, record.pods().size(), millis(t3 - t2) / kTargetMs, kTargetMs);
  return 0;
}
