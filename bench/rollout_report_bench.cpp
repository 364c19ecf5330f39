// Reports of a 1,000-replica rollout: a Deployment rolled from nginx:1.18 to
// nginx:1.20.1 on the simulated runtime (default 25%/25%, each pod ready
// once its readiness probe passes at 5 s), 2,000 pods in all. Prints how
// long the rollout took to simulate and how long each report (HTML, SVG,
// Markdown) took to write and how large it is: the HTML must stay a file a
// browser opens at once, however many replicas there are.
//
//   podscope_bench_rollout_report [replicas] [--write DIR]

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include "bench_support.h"
#include "core/rollout_report.h"

namespace {

using namespace podscope;
using bench::Clock;
using bench::millis;
using bench::timed;

}  // namespace

int main(int argc, char** argv) {
  int replicas = 1000;
  std::string dir;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--write") == 0 && i + 1 < argc) {
      dir = argv[++i];
    } else {
      replicas = std::atoi(argv[i]);
    }
  }
  const std::string first = bench::webDeploymentYaml(replicas, "nginx:1.18");
  bench::SimulatedRollout sim;
  engine::VirtualEventLoop& loop = sim.loop;
  const core::RolloutRecord& record = sim.record;
  engine::DeploymentController& controller = sim.controller;
  const auto t0 = Clock::now();
  loop.post([&] { controller.start(bench::readWebDeployment(first)); });
  if (bench::untilRolledOut(loop, controller) < 0 ||
      !controller.apply(bench::readWebDeployment(bench::webDeploymentYaml(replicas, "nginx:1.20.1"))) ||
      bench::untilRolledOut(loop, controller) < 0) {
    std::fprintf(stderr, "the rollout did not finish: %s\n", controller.rolloutStatus().text.c_str());
    return 1;
  }
  const auto t1 = Clock::now();
  std::printf("%d replicas rolled out in %.1f ms: %zu pods, %zu events, %zu ReplicaSet samples, %zu status lines\n",
              replicas, millis(t1 - t0), record.pods().size(), record.events().size(),
              record.replicaSetSamples().size(), record.statusLines().size());
  core::ReportInputs inputs;
  inputs.manifestText = first;
  inputs.manifestFile = "web.yaml";
  inputs.podscopeVersion = "bench";
  timed("HTML", [&] { return core::htmlReport(record, inputs); }, dir, "rollout.html");
  timed("SVG", [&] { return core::timelineSvg(record); }, dir, "rollout.svg");
  timed("Markdown", [&] { return core::markdownReport(record, inputs); }, dir, "rollout.md");
  return 0;
}
