// Reports of a day-long run: a pod on the simulated runtime for 24 hours
// with a readiness probe every second and a liveness probe every 10 s, about
// 95,000 probe attempts and 1,200 events. Prints how long the simulation and
// each report (HTML, SVG, Markdown) took and how large each is; the HTML
// must stay a file a browser opens at once, not one line per attempt.
//
//   podscope_bench_report [hours] [--write DIR]

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <string>

#include "bench_support.h"
#include "day_long_pod.h"
#include "core/manifest_reader.h"
#include "core/report_html.h"
#include "core/report_markdown.h"
#include "core/report_svg.h"
#include "engine/pod_worker.h"
#include "engine/runtime/simulated/simulated_runtime.h"
#include "engine/virtual_event_loop.h"

namespace {

using namespace podscope;
using bench::Clock;
using bench::millis;
using bench::timed;
using testing::kDayLongPod;

}  // namespace

int main(int argc, char** argv) {
  int hours = 24;
  std::string dir;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--write") == 0 && i + 1 < argc) {
      dir = argv[++i];
    } else {
      hours = std::atoi(argv[i]);
    }
  }
  auto pod = core::readPod(kDayLongPod, "day-long.yaml");
  if (!pod) {
    std::fprintf(stderr, "%s\n", pod.error().toString().c_str());
    return 2;
  }
  engine::VirtualEventLoop loop;
  engine::SimulatedRuntime runtime(loop);
  engine::RunOptions options;
  options.runFor = std::chrono::hours(hours);
  const auto t0 = Clock::now();
  const core::RunRecord record = engine::runPod(*pod, runtime, loop, options);
  const auto t1 = Clock::now();
  const std::size_t items = record.transitions().size() + record.events().size() + record.attempts().size() +
                            record.conditions().size() + record.statusLines().size() + record.signalsSent().size();
  std::printf("%d h simulated in %.1f ms: %zu items (%zu attempts, %zu events)\n", hours, millis(t1 - t0), items,
              record.attempts().size(), record.events().size());
  core::ReportInputs inputs;
  inputs.manifestText = kDayLongPod;
  inputs.manifestFile = "day-long.yaml";
  inputs.podscopeVersion = "bench";
  timed("HTML", [&] { return core::htmlReport(record, inputs); }, dir, "day-long.html");
  timed("SVG", [&] { return core::timelineSvg(record); }, dir, "day-long.svg");
  timed("Markdown", [&] { return core::markdownReport(record, inputs); }, dir, "day-long.md");
  return 0;
}
