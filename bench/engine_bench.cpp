// Engine throughput on virtual time: how fast the lifecycle engine and the
// simulated runtime get through long runs. Run: build/bench/podscope_bench_engine

#include <benchmark/benchmark.h>
#include <malloc.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <new>

#include "core/manifest_reader.h"
#include "engine/pod_worker.h"
#include "engine/runtime/simulated/simulated_runtime.h"
#include "engine/virtual_event_loop.h"

// Live heap bytes and allocation count, so the record's footprint can be
// measured. Counting is switched on only for a footprint run outside the
// timed loop: the timed runs pay nothing but a relaxed load per allocation.
std::atomic<bool> g_counting{false};
std::atomic<long long> g_liveBytes{0};
std::atomic<long long> g_allocations{0};

// The replacements pair malloc with free; GCC cannot see that and warns.
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
void* operator new(std::size_t size) {
  void* p = std::malloc(size == 0 ? 1 : size);
  if (!p) throw std::bad_alloc();
  if (g_counting.load(std::memory_order_relaxed)) {
    g_liveBytes += static_cast<long long>(malloc_usable_size(p));
    ++g_allocations;
  }
  return p;
}
void operator delete(void* p) noexcept {
  if (!p) return;
  if (g_counting.load(std::memory_order_relaxed)) g_liveBytes -= static_cast<long long>(malloc_usable_size(p));
  std::free(p);
}
void operator delete(void* p, std::size_t) noexcept { operator delete(p); }

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
    options.runFor = std::chrono::hours(state.range(0));
    core::RunRecord record = engine::runPod(pod, runtime, loop, options);
    transitions += record.transitions().size();
    benchmark::DoNotOptimize(record);
  }
  state.counters["transitions"] = benchmark::Counter(static_cast<double>(transitions), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_CrashLoopVirtualHours)->Arg(1)->Arg(24)->Unit(benchmark::kMillisecond);

core::Pod probedPod() {
  return *core::readPod(R"(apiVersion: v1
kind: Pod
metadata: {name: probed}
spec:
  containers:
  - name: web
    image: busybox:1.36
    startupProbe: {exec: {command: [cat, /tmp/started]}, periodSeconds: 1, failureThreshold: 30}
    livenessProbe: {exec: {command: [cat, /tmp/healthy]}, periodSeconds: 1}
    readinessProbe: {exec: {command: [cat, /tmp/ready]}, periodSeconds: 1}
    command: [sh, -c, "touch /tmp/healthy; sleep 5; touch /tmp/started; sleep 10; touch /tmp/ready; sleep 100000000"]
  - name: flaky
    image: busybox:1.36
    command: [sh, -c, "sleep 30; exit 1"]
)",
                        "bench.yaml");
}

size_t entries(const core::RunRecord& r) {
  return r.transitions().size() + r.events().size() + r.attempts().size() + r.statusLines().size() +
         r.conditions().size();
}

// The issue's scenario: 24 h of virtual time of a pod whose container has
// startup, liveness and readiness probes at a 1 s period, beside a
// crash-looping container. Reports record entries (transitions, events,
// probe attempts, status lines, condition changes) per second of wall time,
// and the record's heap footprint per entry.
core::RunRecord threeProbesDay(const core::Pod& pod) {
  engine::VirtualEventLoop loop;
  engine::SimulatedRuntime runtime(loop);
  engine::RunOptions options;
  options.runFor = std::chrono::hours(24);
  return engine::runPod(pod, runtime, loop, options);
}

void BM_ThreeProbesAndCrashLoop24h(benchmark::State& state) {
  core::Pod pod = probedPod();
  // The footprint run, untimed: the record's live bytes once the loop and
  // runtime are gone, and the allocations made on the way.
  g_liveBytes = 0;
  g_allocations = 0;
  g_counting = true;
  core::RunRecord measured = threeProbesDay(pod);
  g_counting = false;
  const long long bytes = g_liveBytes.load();
  const long long allocs = g_allocations.load();
  const size_t perRun = entries(measured);
  size_t total = 0;
  for (auto _ : state) {
    core::RunRecord record = threeProbesDay(pod);
    total += entries(record);
    benchmark::DoNotOptimize(record);
  }
  state.counters["entries"] = static_cast<double>(perRun);
  state.counters["entries/s"] = benchmark::Counter(static_cast<double>(total), benchmark::Counter::kIsRate);
  state.counters["bytes/entry"] = perRun ? static_cast<double>(bytes) / static_cast<double>(perRun) : 0.0;
  state.counters["allocs/entry"] = perRun ? static_cast<double>(allocs) / static_cast<double>(perRun) : 0.0;
  state.counters["target_ms"] = 100;
}
BENCHMARK(BM_ThreeProbesAndCrashLoop24h)->Unit(benchmark::kMillisecond)->MinTime(2.0);

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
