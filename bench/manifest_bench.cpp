// How much reading a manifest costs over parsing its YAML: the whole reader
// (split, tree, strict decode, validation, lints) against a bare
// YAML::LoadAll of the same 10,000-line text, measured in the same run, and
// the reader's stages on their own to show where the difference goes.
// The target is readManifest <= 2 x LoadAll; the last line prints the ratio
// as BM_ReadManifestOverLoadAll measures it, the two timed back to back.
// Run: build/bench/podscope_bench_manifest

#include <benchmark/benchmark.h>
#include <yaml-cpp/yaml.h>

#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <map>
#include <string>
#include <vector>

#include "core/decoder.h"
#include "core/diagnostic.h"
#include "core/manifest_reader.h"
#include "core/validation.h"
#include "core/yaml_tree.h"

namespace {

using namespace podscope;

const std::string kFile = "bench.yaml";
constexpr int kTargetLines = 10'000;

// What a real file of this size holds: Deployments, a few bare Pods, and the
// Services in front of them, with probes, env, ports and resources written
// out the way people write them (block style, some flow, comments, quotes).
class ManifestGenerator {
 public:
  std::string generate(int minLines) {
    for (int i = 0; m_lines < minLines; ++i) {
      if (i % 5 == 4) pod(i);
      else deployment(i);
      service(i);
    }
    return m_text;
  }
  int lines() const { return m_lines; }
  int documents() const { return m_documents; }

 private:
  void line(const std::string& s) {
    m_text += s;
    m_text += '\n';
    ++m_lines;
  }

  void container(const std::string& indent, const std::string& name, int i, bool main) {
    line(indent + "- name: " + name);
    line(indent + "  image: registry.example.com/team/" + name + ":1." + std::to_string(i % 17) + ".3");
    line(indent + "  imagePullPolicy: IfNotPresent");
    if (main) {
      line(indent + "  command: [\"/app/server\"]");
      line(indent + "  args:");
      line(indent + "  - --listen=:8080");
      line(indent + "  - --metrics=:9090");
      line(indent + "  - \"--log-level=info\"");
    } else {
      line(indent + "  args: [\"--upstream=127.0.0.1:8080\", \"--port=8443\"]");
    }
    line(indent + "  env:");
    line(indent + "  - name: APP_NAME");
    line(indent + "    value: " + name);
    line(indent + "  - name: REPLICA_HINT");
    line(indent + "    value: \"" + std::to_string(i % 7) + "\"");
    line(indent + "  - name: POD_NAME");
    line(indent + "    valueFrom:");
    line(indent + "      fieldRef: {fieldPath: metadata.name}");
    line(indent + "  - name: DB_PASSWORD");
    line(indent + "    valueFrom:");
    line(indent + "      secretKeyRef:");
    line(indent + "        name: db-credentials");
    line(indent + "        key: password");
    line(indent + "  ports:");
    if (main) {
      line(indent + "  - name: http");
      line(indent + "    containerPort: 8080");
      line(indent + "    protocol: TCP");
      line(indent + "  - {name: metrics, containerPort: 9090}");
    } else {
      line(indent + "  - {name: https, containerPort: 8443}");
    }
    line(indent + "  resources:");
    line(indent + "    requests:");
    line(indent + "      cpu: " + std::to_string(50 + 10 * (i % 10)) + "m");
    line(indent + "      memory: " + std::to_string(64 << (i % 3)) + "Mi");
    line(indent + "    limits:");
    line(indent + "      cpu: \"1\"");
    line(indent + "      memory: 512Mi");
    if (main) {
      line(indent + "  startupProbe:");
      line(indent + "    httpGet: {path: /healthz, port: http}");
      line(indent + "    failureThreshold: 30");
      line(indent + "    periodSeconds: 2");
      line(indent + "  livenessProbe:");
      line(indent + "    httpGet:");
      line(indent + "      path: /healthz");
      line(indent + "      port: 8080");
      line(indent + "      httpHeaders:");
      line(indent + "      - name: X-Probe");
      line(indent + "        value: liveness");
      line(indent + "    initialDelaySeconds: 10");
      line(indent + "    periodSeconds: 10");
      line(indent + "    timeoutSeconds: 2");
      line(indent + "    failureThreshold: 3");
      line(indent + "  readinessProbe:");
      line(indent + "    tcpSocket:");
      line(indent + "      port: 8080");
      line(indent + "    periodSeconds: 5");
      line(indent + "    successThreshold: 1");
      line(indent + "  lifecycle:");
      line(indent + "    preStop:");
      line(indent + "      exec:");
      line(indent + "        command: [\"/bin/sh\", \"-c\", \"sleep 5\"]");
      line(indent + "  volumeMounts:");
      line(indent + "  - name: cache");
      line(indent + "    mountPath: /var/cache/app");
      line(indent + "  - {name: config, mountPath: /etc/app, readOnly: true}");
    } else {
      line(indent + "  readinessProbe:");
      line(indent + "    exec:");
      line(indent + "      command: [cat, /tmp/ready]");
      line(indent + "    periodSeconds: 5");
    }
  }

  void podSpec(const std::string& indent, int i) {
    line(indent + "terminationGracePeriodSeconds: 30");
    line(indent + "securityContext:");
    line(indent + "  runAsNonRoot: true");
    line(indent + "  runAsUser: 10001");
    line(indent + "initContainers:");
    line(indent + "- name: wait-for-db");
    line(indent + "  image: busybox:1.36");
    line(indent + "  command: ['sh', '-c', 'until nc -z db 5432; do sleep 1; done']");
    line(indent + "containers:");
    container(indent, "app-" + std::to_string(i), i, true);
    container(indent, "proxy", i, false);
    line(indent + "volumes:");
    line(indent + "- name: cache");
    line(indent + "  emptyDir: {sizeLimit: 256Mi}");
    line(indent + "- name: config");
    line(indent + "  emptyDir: {}");
  }

  void separator() {
    if (m_documents++ > 0) line("---");
  }

  void deployment(int i) {
    std::string name = "service-" + std::to_string(i);
    separator();
    line("# " + name + ": the API tier, rolled out one pod at a time");
    line("apiVersion: apps/v1");
    line("kind: Deployment");
    line("metadata:");
    line("  name: " + name);
    line("  namespace: shop");
    line("  labels:");
    line("    app: " + name);
    line("    app.kubernetes.io/part-of: shop");
    line("  annotations:");
    line("    kubernetes.io/change-cause: \"image 1." + std::to_string(i % 17) + ".3\"");
    line("spec:");
    line("  replicas: " + std::to_string(1 + i % 4));
    line("  revisionHistoryLimit: 5");
    line("  minReadySeconds: 5");
    line("  strategy:");
    line("    type: RollingUpdate");
    line("    rollingUpdate: {maxSurge: 1, maxUnavailable: 0}");
    line("  selector:");
    line("    matchLabels:");
    line("      app: " + name);
    line("  template:");
    line("    metadata:");
    line("      labels:");
    line("        app: " + name);
    line("        tier: api");
    line("    spec:");
    podSpec("      ", i);
  }

  void pod(int i) {
    std::string name = "job-" + std::to_string(i);
    separator();
    line("apiVersion: v1");
    line("kind: Pod");
    line("metadata:");
    line("  name: " + name);
    line("  labels: {app: " + name + ", tier: batch}");
    line("spec:");
    line("  restartPolicy: OnFailure");
    podSpec("  ", i);
  }

  void service(int i) {
    separator();
    line("apiVersion: v1");
    line("kind: Service");
    line("metadata:");
    line("  name: svc-" + std::to_string(i));
    line("spec:");
    line("  type: ClusterIP");
    line("  selector: {app: service-" + std::to_string(i) + "}");
    line("  ports:");
    line("  - name: http");
    line("    port: 80");
    line("    targetPort: http");
  }

  std::string m_text;
  int m_lines = 0;
  int m_documents = 0;
};

struct Corpus {
  std::string text;
  int lines = 0;
  int documents = 0;
};

const Corpus& corpus() {
  static const Corpus c = [] {
    ManifestGenerator g;
    Corpus out;
    out.text = g.generate(kTargetLines);
    out.lines = g.lines();
    out.documents = g.documents();
    return out;
  }();
  return c;
}

void setCounters(benchmark::State& state) {
  const Corpus& c = corpus();
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) * static_cast<std::int64_t>(c.text.size()));
  state.counters["lines/s"] =
      benchmark::Counter(static_cast<double>(state.iterations()) * c.lines, benchmark::Counter::kIsRate);
}

// (a) The whole reader: what opening or re-validating a file costs.
void BM_ReadManifest(benchmark::State& state) {
  const std::string& text = corpus().text;
  for (auto _ : state) {
    core::Manifest m = core::readManifest(text, kFile);
    benchmark::DoNotOptimize(m);
  }
  setCounters(state);
}
BENCHMARK(BM_ReadManifest)->Unit(benchmark::kMillisecond);

// (b) The reference: yaml-cpp building its own node trees for the same text,
// with nothing checked.
void BM_YamlCppLoadAll(benchmark::State& state) {
  const std::string& text = corpus().text;
  for (auto _ : state) {
    std::vector<YAML::Node> docs = YAML::LoadAll(text);
    benchmark::DoNotOptimize(docs);
  }
  setCounters(state);
}
BENCHMARK(BM_YamlCppLoadAll)->Unit(benchmark::kMillisecond);

// (a) / (b) measured back to back in every iteration, alternating which goes
// first, so that the machine's slow and fast spells (it is shared) fall on
// both alike. This is the ratio the last line prints.
void BM_ReadManifestOverLoadAll(benchmark::State& state) {
  using Clock = std::chrono::steady_clock;
  const std::string& text = corpus().text;
  Clock::duration reader{};
  Clock::duration reference{};
  auto timeReader = [&] {
    Clock::time_point start = Clock::now();
    {
      core::Manifest m = core::readManifest(text, kFile);
      benchmark::DoNotOptimize(m);
    }
    reader += Clock::now() - start;
  };
  auto timeReference = [&] {
    Clock::time_point start = Clock::now();
    {
      std::vector<YAML::Node> docs = YAML::LoadAll(text);
      benchmark::DoNotOptimize(docs);
    }
    reference += Clock::now() - start;
  };
  bool readerFirst = true;
  for (auto _ : state) {
    if (readerFirst) {
      timeReader();
      timeReference();
    } else {
      timeReference();
      timeReader();
    }
    readerFirst = !readerFirst;
  }
  state.counters["ratio"] = static_cast<double>(reader.count()) / static_cast<double>(reference.count());
}
BENCHMARK(BM_ReadManifestOverLoadAll)->Unit(benchmark::kMillisecond);

// The reader's stages, each fed the previous stage's output prepared once,
// so the share of each in BM_ReadManifest can be read off directly.
void BM_Stage1_CheckText(benchmark::State& state) {
  const std::string& text = corpus().text;
  for (auto _ : state) benchmark::DoNotOptimize(core::checkYamlText(text, kFile));
  setCounters(state);
}
BENCHMARK(BM_Stage1_CheckText)->Unit(benchmark::kMillisecond);

void BM_Stage2_Split(benchmark::State& state) {
  const std::string& text = corpus().text;
  for (auto _ : state) benchmark::DoNotOptimize(core::splitYamlDocuments(text));
  setCounters(state);
}
BENCHMARK(BM_Stage2_Split)->Unit(benchmark::kMillisecond);

void BM_Stage3_Tree(benchmark::State& state) {
  std::vector<core::YamlChunk> chunks = core::splitYamlDocuments(corpus().text);
  for (auto _ : state) {
    int index = 0;
    for (const core::YamlChunk& chunk : chunks) {
      if (chunk.blank) continue;
      benchmark::DoNotOptimize(core::parseYamlDocument(chunk, kFile, index++));
    }
  }
  setCounters(state);
}
BENCHMARK(BM_Stage3_Tree)->Unit(benchmark::kMillisecond);

std::vector<core::YamlNode> trees() {
  std::vector<core::YamlNode> out;
  int index = 0;
  for (const core::YamlChunk& chunk : core::splitYamlDocuments(corpus().text)) {
    if (chunk.blank) continue;
    core::YamlParse parse = core::parseYamlDocument(chunk, kFile, index++);
    if (parse.root) out.push_back(std::move(*parse.root));
  }
  return out;
}

void BM_Stage4_Decode(benchmark::State& state) {
  std::vector<core::YamlNode> roots = trees();
  for (auto _ : state) {
    std::vector<core::Diagnostic> findings;
    for (std::size_t i = 0; i < roots.size(); ++i) {
      core::Document doc;
      doc.index = static_cast<int>(i);
      core::decodeDocument(roots[i], kFile, doc, findings);
      benchmark::DoNotOptimize(doc);
    }
    benchmark::DoNotOptimize(findings);
  }
  setCounters(state);
}
BENCHMARK(BM_Stage4_Decode)->Unit(benchmark::kMillisecond);

void BM_Stage5_ValidateAndLint(benchmark::State& state) {
  core::Manifest m = core::readManifest(corpus().text, kFile);
  for (auto _ : state) {
    for (const core::Document& doc : m.documents) {
      benchmark::DoNotOptimize(core::validateDocument(doc, kFile));
      benchmark::DoNotOptimize(core::lintDocument(doc, kFile));
    }
  }
  setCounters(state);
}
BENCHMARK(BM_Stage5_ValidateAndLint)->Unit(benchmark::kMillisecond);

// Prints as usual and keeps, per benchmark, the median (or, without
// repetitions, the only) CPU time per iteration and ratio counter.
class RatioReporter : public benchmark::ConsoleReporter {
 public:
  explicit RatioReporter(OutputOptions options) : ConsoleReporter(options) {}

  void ReportRuns(const std::vector<Run>& runs) override {
    for (const Run& run : runs) {
      if (run.error_occurred) continue;
      bool median = run.run_type == Run::RT_Aggregate && run.aggregate_name == "median";
      bool single = run.run_type == Run::RT_Iteration && run.repetitions <= 1;
      if (!median && !single) continue;
      const std::string& name = run.run_name.function_name;
      m_cpuTime[name] = run.GetAdjustedCPUTime();
      if (auto it = run.counters.find("ratio"); it != run.counters.end()) m_ratio[name] = it->second.value;
    }
    ConsoleReporter::ReportRuns(runs);
  }
  double cpuTime(const std::string& name) const { return find(m_cpuTime, name); }
  double ratio(const std::string& name) const { return find(m_ratio, name); }

 private:
  static double find(const std::map<std::string, double>& values, const std::string& name) {
    auto it = values.find(name);
    return it == values.end() ? 0.0 : it->second;
  }
  std::map<std::string, double> m_cpuTime;
  std::map<std::string, double> m_ratio;
};

}  // namespace

int main(int argc, char** argv) {
  // Defaults for a shared, noisy machine: medians of nine short runs, the
  // benchmarks' runs shuffled together so no benchmark gets all of a slow
  // spell. Flags on the command line override them.
  std::vector<std::string> defaults = {"--benchmark_repetitions=9", "--benchmark_min_time=0.2",
                                       "--benchmark_enable_random_interleaving=true"};
  std::vector<char*> args(argv, argv + argc);
  for (std::string& flag : defaults) {
    std::string name = flag.substr(0, flag.find('='));
    bool given = false;
    for (int i = 1; i < argc; ++i) given = given || std::string(argv[i]).rfind(name, 0) == 0;
    if (!given) args.insert(args.begin() + 1, flag.data());
  }
  int count = static_cast<int>(args.size());
  benchmark::Initialize(&count, args.data());
  if (benchmark::ReportUnrecognizedArguments(count, args.data())) return 1;

  // A reader that fails on this text would be timed on its error path.
  const Corpus& c = corpus();
  core::Manifest check = core::readManifest(c.text, kFile);
  if (check.hasErrors() || check.documents.size() != static_cast<std::size_t>(c.documents)) {
    std::fprintf(stderr, "manifest_bench: the generated manifest does not read cleanly (%zu of %d documents):\n",
                 check.documents.size(), c.documents);
    int shown = 0;
    for (const core::Diagnostic& d : check.diagnostics) {
      if (d.severity != core::Severity::Error) continue;
      std::fprintf(stderr, "  %s\n", core::formatDiagnostic(d).c_str());
      if (++shown == 10) break;
    }
    return 1;
  }
  std::printf("manifest: %d lines, %d documents, %zu bytes, %zu findings (warnings and notes)\n", c.lines,
              c.documents, c.text.size(), check.diagnostics.size());

  RatioReporter reporter(isatty(fileno(stdout)) ? benchmark::ConsoleReporter::OO_ColorTabular
                                                : benchmark::ConsoleReporter::OO_Tabular);
  benchmark::RunSpecifiedBenchmarks(&reporter);
  benchmark::Shutdown();

  double paired = reporter.ratio("BM_ReadManifestOverLoadAll");
  double reader = reporter.cpuTime("BM_ReadManifest");
  double reference = reporter.cpuTime("BM_YamlCppLoadAll");
  char separately[32] = "n/a";
  if (reader > 0 && reference > 0) std::snprintf(separately, sizeof separately, "%.2f", reader / reference);
  if (paired > 0) {
    std::printf("ratio readManifest/yaml-cpp LoadAll: %.2f (target <= 2.00; from separate medians: %s)\n", paired,
                separately);
  } else {
    std::printf("ratio readManifest/yaml-cpp LoadAll: not measured (run BM_ReadManifestOverLoadAll)\n");
  }
  return 0;
}
