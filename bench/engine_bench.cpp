// Engine throughput on virtual time: how fast the lifecycle engine and the
// simulated runtime get through long runs. Run: build/bench/podscope_bench_engine

#include <benchmark/benchmark.h>

#include "core/manifest_reader.h"
#include "engine/pod_worker.h"
#include "engine/runtime/simulated/simulated_runtime.h"
#include "engine/virtual_event_loop.h"

namespace {

using namespace podscope;

core::Pod crashLoopPod() {
  return *core::readPod(R"(apiVersion: v1
kind: Pod
metadata: {name: bench}
spec:
  initContainers:
  - {name: init, image: busybox:1.36, command: [sh, -c, "sleep 1"]}
  containers:
  - {name: flaky, image: busybox:1.36, command: [sh, -c, "sleep 2; exit 1"]}
  - {name: ticker, image: busybox:1.36, command: [sh, -c, "while true; do echo tick; sleep 1; done"]}
)",
                        "bench.yaml");
}

// A pod crash-looping for `hours` of virtual time; reports transitions/s.
void BM_CrashLoopVirtualHours(benchmark::State& state) {
  core::Pod pod = crashLoopPod();
  size_t transitions = 0;
  for (auto _ : state) {
    engine::VirtualEventLoop loop;
    engine::SimulatedRuntime runtime(loop);
    engine::RunOptions options;
    options.stopAfter = std::chrono::hours(state.range(0));
    core::RunRecord record = engine::runPod(pod, runtime, loop, options);
    transitions += record.transitions().size();
    benchmark::DoNotOptimize(record);
  }
  state.counters["transitions"] = benchmark::Counter(static_cast<double>(transitions), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_CrashLoopVirtualHours)->Arg(1)->Arg(24)->Unit(benchmark::kMillisecond);

void BM_ReadManifest(benchmark::State& state) {
  std::string text;
  for (int i = 0; i < state.range(0); ++i) {
    text += "---\napiVersion: v1\nkind: Pod\nmetadata: {name: p" + std::to_string(i) +
            "}\nspec:\n  containers:\n  - name: c\n    image: busybox:1.36\n    command: [sh, -c, \"sleep 1\"]\n";
  }
  for (auto _ : state) {
    core::Manifest m = core::readManifest(text, "bench.yaml");
    benchmark::DoNotOptimize(m);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * text.size()));
}
BENCHMARK(BM_ReadManifest)->Arg(1)->Arg(100)->Unit(benchmark::kMicrosecond);

}  // namespace

BENCHMARK_MAIN();
