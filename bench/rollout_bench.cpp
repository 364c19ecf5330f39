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

#include "core/manifest_reader.h"
#include "engine/deployment_controller.h"
#include "engine/runtime/simulated/simulated_runtime.h"
#include "engine/virtual_event_loop.h"

namespace {

using namespace podscope;
using Clock = std::chrono::steady_clock;

core::Deployment deployment(int replicas, const std::string& image) {
  const std::string text = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: " +
                           std::to_string(replicas) +
                           "\n  selector:\n    matchLabels: {app: web}\n  template:\n    metadata:\n"
                           "      labels: {app: web}\n      annotations:\n"
                           "        podscope.dev/simulate: \"readiness fails until 5s\"\n"
                           "    spec:\n      containers:\n      - name: web\n        image: " +
                           image +
                           "\n        readinessProbe:\n          httpGet: {path: /, port: 80}\n"
                           "          periodSeconds: 2\n";
  core::Manifest m = core::readManifest(text, "web.yaml");
  if (m.hasErrors() || m.documents.empty() || !m.documents[0].deployment) {
    std::fprintf(stderr, "the benchmark's manifest does not read: %s\n",
                 m.firstError() ? m.firstError()->toString().c_str() : "no deployment");
    std::exit(2);
  }
  return *m.documents[0].deployment;
}

// Runs virtual time a second at a time until the rollout is done; returns
// the virtual seconds it took, or -1 if it never finished.
int untilRolledOut(engine::VirtualEventLoop& loop, engine::DeploymentController& controller) {
  for (int s = 1; s <= 3600; ++s) {
    loop.runFor(std::chrono::seconds(1));
    if (controller.rolloutStatus().done) return s;
  }
  return -1;
}

double ms(Clock::duration d) { return std::chrono::duration<double, std::milli>(d).count(); }

}  // namespace

int main(int argc, char** argv) {
  const int replicas = argc > 1 ? std::atoi(argv[1]) : 1000;
  constexpr double kTargetMs = 1000.0;

  engine::VirtualEventLoop loop;
  engine::SimulatedRuntime runtime(loop);
  core::RolloutRecord record;
  engine::DeploymentRunOptions options;
  options.seed = 1;
  engine::DeploymentController controller(runtime, loop, record, options);

  const Clock::time_point t0 = Clock::now();
  loop.post([&] { controller.start(deployment(replicas, "nginx:1.18")); });
  const int firstSeconds = untilRolledOut(loop, controller);
  const Clock::time_point t1 = Clock::now();

  const std::size_t eventsBefore = record.events().size();
  const Clock::time_point t2 = Clock::now();
  if (!controller.apply(deployment(replicas, "nginx:1.20.1"))) return 2;
  const int rolloutSeconds = untilRolledOut(loop, controller);
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
              ms(t1 - t0), firstSeconds, ms(t1 - t0) / kTargetMs, kTargetMs);
  std::printf("rolling update nginx:1.18 -> nginx:1.20.1: %.1f ms wall for %d s virtual, %zu scaling steps, %zu pods "
              "in all (%.2fx the %.0f ms target)\n",
              ms(t3 - t2), rolloutSeconds, steps, record.pods().size(), ms(t3 - t2) / kTargetMs, kTargetMs);
  return 0;
}
