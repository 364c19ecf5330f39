// Reports of a 1,000-replica rollout: a Deployment rolled from nginx:1.18 to
// nginx:1.20.1 on the simulated runtime (default 25%/25%, each pod ready
// once its readiness probe passes at 5 s), 2,000 pods in all. Prints how
// long the rollout took to simulate and how long each report (HTML, SVG,
// Markdown) took to write and how large it is: the HTML must stay a file a
// browser opens at once, however many replicas there are.
//
//   podscope_bench_rollout_report [replicas] [--write DIR]

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <string>

#include "core/manifest_reader.h"
#include "core/rollout_report.h"
#include "engine/deployment_controller.h"
#include "engine/runtime/simulated/simulated_runtime.h"
#include "engine/virtual_event_loop.h"

namespace {

using namespace podscope;
using Clock = std::chrono::steady_clock;

std::string manifest(int replicas, const std::string& image) {
  return "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: " + std::to_string(replicas) +
         "\n  selector:\n    matchLabels: {app: web}\n  template:\n    metadata:\n      labels: {app: web}\n"
         "      annotations:\n        podscope.dev/simulate: \"readiness fails until 5s\"\n"
         "    spec:\n      containers:\n      - name: web\n        image: " +
         image + "\n        readinessProbe:\n          httpGet: {path: /, port: 80}\n          periodSeconds: 2\n";
}

core::Deployment deployment(const std::string& text) {
  core::Manifest m = core::readManifest(text, "web.yaml");
  if (m.hasErrors() || m.documents.empty() || !m.documents[0].deployment) {
    std::fprintf(stderr, "the benchmark's manifest does not read: %s\n",
                 m.firstError() ? m.firstError()->toString().c_str() : "no deployment");
    std::exit(2);
  }
  return *m.documents[0].deployment;
}

/// Runs virtual time a second at a time until the rollout is done.
bool untilRolledOut(engine::VirtualEventLoop& loop, engine::DeploymentController& controller) {
  for (int s = 1; s <= 3600; ++s) {
    loop.runFor(std::chrono::seconds(1));
    if (controller.rolloutStatus().done) return true;
  }
  return false;
}

double millis(Clock::duration d) { return std::chrono::duration<double, std::milli>(d).count(); }

template <typename Make>
void timed(const char* what, Make make, const std::string& dir, const char* file) {
  const auto t0 = Clock::now();
  const std::string out = make();
  const auto t1 = Clock::now();
  std::printf("%-9s %9.1f ms  %10zu bytes (%.2f MB)\n", what, millis(t1 - t0), out.size(), out.size() / 1e6);
  if (!dir.empty()) std::ofstream(dir + "/" + file, std::ios::binary) << out;
}

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
  const std::string first = manifest(replicas, "nginx:1.18");
  engine::VirtualEventLoop loop;
  engine::SimulatedRuntime runtime(loop);
  core::RolloutRecord record;
  engine::DeploymentRunOptions options;
  options.seed = 1;
  engine::DeploymentController controller(runtime, loop, record, options);
  const auto t0 = Clock::now();
  loop.post([&] { controller.start(deployment(first)); });
  if (!untilRolledOut(loop, controller) || !controller.apply(deployment(manifest(replicas, "nginx:1.20.1"))) ||
      !untilRolledOut(loop, controller)) {
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
