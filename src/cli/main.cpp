// podscope-cli: run and check pod and Deployment manifests without the
// desktop.
//
// Exit codes: 0 the pod succeeded (or was stopped as asked), 1 the pod
// failed, 2 bad input or the runtime could not be reached. For a Deployment,
// 0 the rollout completed (or was stopped as asked), 1 it exceeded its
// progress deadline. `logs` and `rollout` exit 1 on any error, as kubectl
// does.

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <array>
#include <csignal>
#include <cstdio>
#include <iostream>
#include <memory>
#include <optional>
#include <random>

#include "cli/deployment_run.h"
#include "cli/gc.h"
#include "cli/logs.h"
#include "cli/report_command.h"
#include "cli/rollout.h"
#include "cli/run_support.h"
#include "core/duration.h"
#include "core/manifest_reader.h"
#include "core/run_record.h"
#include "core/run_record_json.h"
#include "core/scenario.h"
#include "core/user_dirs.h"
#include "engine/host/system_event_loop.h"
#include "engine/pod_status.h"
#include "engine/pod_worker.h"
#include "engine/runtime/containerd/containerd_probe.h"
#include "engine/runtime/containerd/containerd_runtime.h"
#include "engine/runtime/simulated/simulated_runtime.h"
#include "engine/virtual_event_loop.h"

namespace {

using namespace podscope;

constexpr int kExitFailed = 1;
constexpr int kExitError = 2;

void printErrors(const core::Manifest& manifest) {
  for (const core::Diagnostic& d : manifest.diagnostics) {
    if (d.severity == core::Severity::Error) std::cerr << core::formatDiagnostic(d) << "\n";
  }
}

nlohmann::json toJson(const core::Manifest& m) {
  nlohmann::json documents = nlohmann::json::array();
  for (const core::Document& d : m.documents) {
    documents.push_back({{"index", d.index},
                         {"apiVersion", d.apiVersion},
                         {"kind", d.kind},
                         {"name", d.name},
                         {"line", d.range.begin.line},
                         {"runnable", d.runnable()}});
  }
  nlohmann::json diagnostics = nlohmann::json::array();
  for (const core::Diagnostic& d : m.diagnostics) {
    diagnostics.push_back({{"severity", core::toString(d.severity)},
                           {"line", d.range.begin.line},
                           {"column", d.range.begin.column},
                           {"endLine", d.range.end.line},
                           {"endColumn", d.range.end.column},
                           {"document", d.document},
                           {"path", d.path},
                           {"rule", d.rule},
                           {"message", d.message}});
  }
  return {{"file", m.file}, {"documents", documents}, {"diagnostics", diagnostics}};
}

int validate(const std::vector<std::string>& files, const std::string& output) {
  nlohmann::json all = nlohmann::json::array();
  int errors = 0;
  int warnings = 0;
  bool unreadable = false;
  for (const std::string& file : files) {
    core::Result<core::Manifest> manifest = core::readManifestFile(file);
    if (!manifest) {
      unreadable = true;
      if (output == "json") {
        all.push_back({{"file", file}, {"error", manifest.error().message}});
      } else {
        std::cerr << manifest.error().toString() << "\n";
      }
      continue;
    }
    for (const core::Diagnostic& d : manifest->diagnostics) {
      if (d.severity == core::Severity::Error) ++errors;
      if (d.severity == core::Severity::Warning) ++warnings;
      if (output == "text") std::cout << core::formatDiagnostic(d) << "\n";
    }
    if (output == "json") all.push_back(toJson(*manifest));
  }
  if (output == "json") {
    std::cout << nlohmann::json{{"files", all}, {"errors", errors}, {"warnings", warnings}}.dump(2) << "\n";
  } else {
    std::cout.flush();  // the summary on stderr comes after the findings on stdout
    std::cerr << errors << (errors == 1 ? " error, " : " errors, ") << warnings
              << (warnings == 1 ? " warning" : " warnings") << " in " << files.size()
              << (files.size() == 1 ? " file" : " files") << "\n";
  }
  if (unreadable) return kExitError;
  return errors > 0 ? kExitFailed : 0;
}

struct RunArgs {
  std::string file;
  std::string runtime = "sim";
  std::string address = "/run/containerd/containerd.sock";
  std::string containerdNamespace = "podscope";
  std::string watchFor;
  std::string deleteAfter;
  std::string gracePeriod;
  std::string logDir;
  std::string stateDir;
  std::string output = "text";
  std::string scenario;
  std::string history;
  bool events = false;
  bool probes = false;
  bool conditions = false;
};

/// Indents every line of `table` by two spaces, under a heading.
void printSection(const std::string& heading, const std::string& table) {
  std::cout << "\n" << heading << ":\n";
  size_t start = 0;
  while (start < table.size()) {
    size_t end = table.find('\n', start);
    if (end == std::string::npos) end = table.size();
    std::cout << "  " << table.substr(start, end - start) << "\n";
    start = end + 1;
  }
}

/// Parses a duration option, or says what is wrong with it.
bool parseDurationOption(const std::string& name, const std::string& text, std::optional<engine::Duration>& out) {
  if (text.empty()) return true;
  auto d = core::parseDuration(text);
  if (!d) {
    std::cerr << name << ": " << d.error().message << "\n";
    return false;
  }
  out = *d;
  return true;
}

/// `run` for a Deployment (cli/deployment_run.h).
int runDeployment(const RunArgs& args, const core::Deployment& deployment, const core::Manifest& manifest) {
  printErrors(manifest);  // other documents' problems, for the record
  if (!args.deleteAfter.empty()) {
    std::cerr << "--delete-after: applies to a Pod; a Deployment's run ends when its rollout completes or exceeds "
                 "its progress deadline (or at --for)\n";
    return kExitError;
  }
  if (args.probes) std::cerr << "note: --probes applies to a Pod; each of a Deployment's pods keeps its own record\n";
  cli::DeploymentRunArgs run;
  run.runtime = args.runtime;
  run.address = args.address;
  run.containerdNamespace = args.containerdNamespace;
  run.stateDir = args.stateDir;
  run.logDir = args.logDir;
  run.scenario = args.scenario;
  run.watchFor = args.watchFor;
  run.gracePeriod = args.gracePeriod;
  run.history = args.history;
  run.events = args.events;
  run.conditions = args.conditions;
  run.json = args.output == "json";
  return cli::runDeploymentFile(run, args.file, deployment);
}

int run(const RunArgs& args) {
  core::Result<core::Manifest> manifest = core::readManifestFile(args.file);
  if (!manifest) {
    std::cerr << manifest.error().toString() << "\n";
    return kExitError;
  }
  // The first runnable document in file order is run.
  const core::Document* first = nullptr;
  bool pods = false;
  bool deployments = false;
  for (const core::Document& d : manifest->documents) {
    if (d.runnable() && !first) first = &d;
    pods = pods || d.pod.has_value();
    deployments = deployments || d.deployment.has_value();
  }
  if (pods && deployments) {
    std::cerr << "note: " << args.file << " holds Pods and Deployments; running the first, "
              << (first->pod ? "pod/" : "deployment.apps/") << first->name << " (document " << first->index + 1
              << ")\n";
  }
  if (first && first->deployment) return runDeployment(args, *first->deployment, *manifest);
  const core::Document* doc = manifest->firstPod();
  if (!doc) {
    printErrors(*manifest);
    if (!manifest->hasErrors()) std::cerr << args.file << ": the file holds no Pod to run\n";
    return kExitError;
  }
  printErrors(*manifest);  // other documents' problems, for the record

  engine::RunOptions options;
  bool simulated = args.runtime == "sim";
  if (simulated && !args.logDir.empty()) {
    std::cerr << "note: the simulated runtime writes no container logs; --log-dir is ignored\n";
  }
  std::optional<engine::Duration> watchFor;
  std::optional<engine::Duration> deleteAfter;
  if (!parseDurationOption("--for", args.watchFor, watchFor) ||
      !parseDurationOption("--delete-after", args.deleteAfter, deleteAfter) ||
      !parseDurationOption("--grace-period", args.gracePeriod, options.gracePeriod)) {
    return kExitError;
  }
  // Zero would mean "never" to the engine, and a pod that never ends would
  // keep the run going for ever.
  for (auto [name, value] : {std::pair{"--for", watchFor}, std::pair{"--delete-after", deleteAfter}}) {
    if (value && value->count() <= 0) {
      std::cerr << name << ": must be longer than 0s\n";
      return kExitError;
    }
  }
  if (deleteAfter) {
    options.deleteAfter = *deleteAfter;
    // A deleted pod always ends; watch it to the end unless told otherwise.
    if (watchFor) options.runFor = *watchFor;
  } else {
    options.runFor = watchFor.value_or(simulated ? engine::Duration(std::chrono::minutes(5))
                                                 : engine::Duration(std::chrono::seconds(60)));
  }

  core::RunRecord record;
  if (simulated) {
    // A side file wins over the pod's podscope.dev/simulate annotations:
    // --scenario FILE, else FILE.simulate next to the manifest.
    std::optional<std::optional<core::Scenario>> loaded = cli::loadScenario(args.scenario, args.file, doc->pod->spec);
    if (!loaded) return kExitError;
    std::optional<core::Scenario> scenario = std::move(*loaded);
    engine::VirtualEventLoop loop;
    std::unique_ptr<engine::SimulatedRuntime> runtime =
        scenario ? std::make_unique<engine::SimulatedRuntime>(loop, std::move(*scenario))
                 : std::make_unique<engine::SimulatedRuntime>(loop);
    record = engine::runPod(*doc->pod, *runtime, loop, options);
  } else {
    // Ctrl-C deletes the pod gracefully instead of leaving containers behind.
    cli::StopSignals stopSignals;
    engine::SystemEventLoop loop;
    std::unique_ptr<engine::ContainerdRuntime> runtime =
        cli::connectContainerd(loop, args.address, args.containerdNamespace, args.stateDir);
    if (!runtime) return kExitError;
    // A new UID for every run, as a pod created again gets one: each run's
    // logs then have a directory of their own (the log files are opened for
    // appending, so a run under the same UID would add to the last one's).
    options.podUid = engine::newPodUid();
    // Container logs go to --log-dir, else to the per-user default that
    // `podscope-cli logs` reads.
    if (!cli::prepareLogDir(args.logDir, options.logDir)) return kExitError;
    engine::RunControl control;
    stopSignals.watch([&control](int received) {
      std::cerr << "deleting the pod (signal " << received << ")...\n";
      control.requestDelete();
    });
    record = engine::runPod(*doc->pod, *runtime, loop, options, {}, &control);
    stopSignals.stopWatching();
    // Say so when earlier runs crashed and left pods behind; asked after the
    // run, through its own connection, so the pod's start waits for nothing.
    if (auto left = runtime->leftovers();
        left && left->objectsLeft()) {
      std::cerr << "note: runs that ended without cleaning up left " << engine::describeObjects(*left)
                << "; `podscope-cli gc"
                << (args.address == RunArgs{}.address ? "" : " --address " + args.address)
                << (args.containerdNamespace == RunArgs{}.containerdNamespace ? ""
                                                                              : " --namespace " + args.containerdNamespace)
                << (args.stateDir.empty() ? "" : " --state-dir " + args.stateDir) << "` removes them\n";
    }
  }

  if (args.output == "json") {
    std::cout << core::toJson(record);
  } else {
    std::cout << core::formatTransitions(record);
    if (args.probes) printSection("Probes and hooks", core::formatAttempts(record));
    if (args.conditions) printSection("Conditions", core::formatConditions(record));
    if (args.events) printSection("Events", core::formatEvents(record));
    if (!record.statusLines().empty()) {
    const core::PodStatusLine& last = record.statusLines().back();
    std::cout << "\n"
              << engine::formatGetPods({engine::GetPodLine{
                     record.podName, engine::KubectlRow{last.ready, last.status, last.restarts, last.age}}});
  }
  std::cout << "\npod/" << record.podName << ": " << core::toString(record.outcome);
    if (!record.outcomeMessage.empty()) std::cout << " (" << record.outcomeMessage << ")";
    std::cout << " on " << record.runtimeName << "\n";
  }
  return record.outcome == core::RunOutcome::Failed ? kExitFailed : 0;  // Stopped/Deleted/Running were asked for
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Run Kubernetes pod manifests locally and print what happened.", "podscope-cli"};
  app.require_subcommand(1);
  // --version also says which containerd answers at --address. The option
  // is declared before the version flag so that its value is stored by the
  // time the flag's callback runs (CLI11 runs them in declaration order).
  std::string versionAddress = RunArgs{}.address;
  CLI::Option* versionAddressOpt =
      app.add_option("--address", versionAddress, "With --version: the containerd socket to ask for its version")
          ->capture_default_str();
  app.set_version_flag("--version", [&versionAddress] {
    return std::string("podscope-cli ") + PODSCOPE_VERSION + "\n" +
           engine::containerd::describeContainerdAt(versionAddress);
  });

  std::vector<std::string> validateFiles;
  std::string validateOutput = "text";
  CLI::App* validateCmd = app.add_subcommand(
      "validate", "Check manifests as the API server would; print file:line:col: severity: message [rule]");
  validateCmd->add_option("FILE", validateFiles, "Manifest files (YAML)")->required();
  validateCmd->add_option("-o,--output", validateOutput, "text or json")
      ->check(CLI::IsMember({"text", "json"}))
      ->capture_default_str();

  RunArgs runArgs;
  CLI::App* runCmd = app.add_subcommand(
      "run", "Run the first Pod or Deployment in FILE and print its transitions or its rollout");
  runCmd->add_option("FILE", runArgs.file, "Manifest file (YAML)")->required();
  runCmd->add_option("--runtime", runArgs.runtime, "sim (virtual time) or containerd")
      ->check(CLI::IsMember({"sim", "containerd"}))
      ->capture_default_str();
  runCmd->add_option("--address", runArgs.address, "containerd socket")->capture_default_str();
  runCmd->add_option("--namespace", runArgs.containerdNamespace, "containerd namespace")->capture_default_str();
  runCmd->add_option("--state-dir", runArgs.stateDir,
                     "Where pods' namespaces, /dev/shm and volumes live on the host (default /run/podscope as "
                     "root, else $XDG_RUNTIME_DIR/podscope)");
  runCmd->add_option("--for", runArgs.watchFor,
                     "Watch the pod this long, then end the run where it is (default 5m simulated, 60s on "
                     "containerd; with --delete-after, until the pod is gone)");
  runCmd->add_option("--delete-after", runArgs.deleteAfter,
                     "Delete the pod gracefully this long after it was created, like kubectl delete pod");
  // Earlier name of --delete-after.
  runCmd->add_option("--stop-after", runArgs.deleteAfter)->group("");
  runCmd->add_option("--grace-period", runArgs.gracePeriod,
                     "Grace period for that deletion (default: spec.terminationGracePeriodSeconds)");
  runCmd->add_option("--log-dir", runArgs.logDir,
                     "Keep container logs under this directory (default on containerd: $XDG_STATE_HOME/podscope/logs, "
                     "else ~/.local/state/podscope/logs; the simulated runtime writes none)");
  runCmd->add_option("--scenario", runArgs.scenario,
                     "Simulation scenario file (docs/simulation.md); default FILE.simulate when it exists");
  runCmd->add_option("--history", runArgs.history,
                     "A Deployment's rollout history file (default: $XDG_DATA_HOME/podscope/history.sqlite, else "
                     "~/.local/share/podscope/history.sqlite)");
  runCmd->add_flag("--probes", runArgs.probes, "Also print every probe attempt and hook run");
  runCmd->add_flag("--conditions", runArgs.conditions, "Also print the pod conditions and container flags over time");
  runCmd->add_flag("--events", runArgs.events, "Also print the events, like kubectl describe (json always has them)");
  runCmd->add_option("-o,--output", runArgs.output,
                     "text, or json: the pod's run record or the Deployment's rollout record (docs/record-format.md) "
                     "alone on stdout")
      ->check(CLI::IsMember({"text", "json"}))
      ->capture_default_str();

  cli::LogsArgs logsArgs;
  CLI::App* logsCmd =
      app.add_subcommand("logs", "Print a container's log from a run, like kubectl logs (docs/logs.md)");
  logsCmd->add_option("POD", logsArgs.pod, "The pod: NAME or pod/NAME")->required();
  logsCmd->add_option("CONTAINER", logsArgs.containerArg, "Same as -c (kubectl's older form)");
  logsCmd->add_option("-c,--container", logsArgs.container, "The container; needed when the pod has several");
  logsCmd->add_option("-n,--namespace", logsArgs.namespaceName, "The pod's namespace")->capture_default_str();
  logsCmd->add_flag("-p,--previous", logsArgs.previous, "Print the log of the instance before the last restart");
  logsCmd->add_flag("-f,--follow", logsArgs.follow,
                    "Keep printing what the container writes, across restarts, until interrupted");
  logsCmd->add_option("--tail", logsArgs.tail, "Print only this many lines from the end; -1 prints all")
      ->capture_default_str();
  logsCmd->add_flag("--all-containers", logsArgs.allContainers, "Print every container's log, in name order");
  logsCmd->add_flag("--prefix", logsArgs.prefix, "Begin each line with [pod/NAME/CONTAINER]");
  logsCmd->add_option("--log-dir", logsArgs.logDir,
                      "Where the run kept the logs (default: $XDG_STATE_HOME/podscope/logs, else "
                      "~/.local/state/podscope/logs)");
  // Stops --follow after this long (for tests and scripts).
  logsCmd->add_option("--follow-timeout", logsArgs.followTimeout)->group("");

  cli::GcArgs gcArgs;
  CLI::App* gcCmd = app.add_subcommand(
      "gc", "Remove what runs that ended without cleaning up (a crash, a kill -9) left in containerd and on disk");
  gcCmd->add_option("--address", gcArgs.address, "containerd socket")->capture_default_str();
  gcCmd->add_option("--namespace", gcArgs.containerdNamespace, "containerd namespace")->capture_default_str();
  gcCmd->add_option("--state-dir", gcArgs.stateDir, "The runs' state directory (as given to run --state-dir)");
  gcCmd->add_flag("--dry-run", gcArgs.dryRun, "Only list what would be removed");

  cli::RolloutCommand rolloutCmd(app);
  cli::ReportArgs reportArgs;
  CLI::App* reportCmd = cli::addReportCommand(app, reportArgs);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    if (e.get_exit_code() != 0 && logsCmd->parsed()) {
      std::cerr << "error: " << e.what() << "\nSee 'podscope-cli logs --help'.\n";
      return kExitFailed;  // kubectl logs exits 1 on every error
    }
    return app.exit(e) == 0 ? 0 : kExitError;
  }
  if (versionAddressOpt->count() > 0) {
    std::cerr << "error: --address before the subcommand only goes with --version; put it after the subcommand\n";
    return kExitError;
  }
  if (*validateCmd) return validate(validateFiles, validateOutput);
  if (*logsCmd) return cli::logs(logsArgs);
  if (*gcCmd) return cli::gc(gcArgs);
  if (rolloutCmd.parsed()) return rolloutCmd.run();
  if (*reportCmd) return cli::report(reportArgs);
  return run(runArgs);
}
