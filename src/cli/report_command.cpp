#include "cli/report_command.h"

#include <CLI/CLI.hpp>

#include <algorithm>
#include <cctype>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <optional>
#include <sstream>

#include "cli/deployment_run.h"
#include "cli/run_support.h"
#include "core/duration.h"
#include "core/file_text.h"
#include "core/manifest_reader.h"
#include "core/record_json.h"
#include "core/report_formats.h"
#include "core/rollout_record_json.h"
#include "core/run_record_json.h"
#include "core/scenario.h"
#include "core/user_dirs.h"
#include "engine/host/system_event_loop.h"
#include "engine/pod_worker.h"
#include "engine/runtime/containerd/containerd_runtime.h"
#include "engine/runtime/simulated/simulated_runtime.h"
#include "engine/virtual_event_loop.h"

#ifdef PODSCOPE_HAVE_RENDER
#include "render/headless_app.h"
#include "render/report_file.h"
#include "render/svg_image.h"
#endif

namespace podscope::cli {

namespace {

constexpr int kExitFailed = 1;
constexpr int kExitError = 2;
constexpr std::size_t kMaxManifestBytes = std::size_t{4} * 1024 * 1024;

/// The whole file, or a message naming it and what went wrong.
std::optional<std::string> readText(const std::string& path, std::size_t maxBytes, std::string& error) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    error = path + ": cannot open the file for reading";
    return std::nullopt;
  }
  std::string text;
  if (!core::readUpTo(in, maxBytes, text)) {
    error = path + ": cannot read the file";
    return std::nullopt;
  }
  if (text.size() > maxBytes) {
    error = path + ": the file is larger than " + std::to_string(maxBytes / (1024 * 1024)) + " MiB";
    return std::nullopt;
  }
  return text;
}

std::optional<core::ReportFormat> formatFor(const ReportArgs& args, std::string& error) {
  if (!args.format.empty()) return core::reportFormatNamed(args.format);
  const std::string name = std::filesystem::path(args.output).filename().string();
  if (std::optional<core::ReportFormat> format = core::reportFormatOfFile(name)) return format;
  error = args.output + ": cannot tell the format from the name; end it in .html, .pdf, .svg, .png, .md or .json, "
                        "or pass --format";
  return std::nullopt;
}

/// Whether OUT can be written where it is, checked before a run that may
/// take minutes; the message names the file and why not.
bool outputPlaceOk(const std::string& output, std::string& error) {
  namespace fs = std::filesystem;
  const fs::path path(output);
  std::error_code ec;
  if (fs::is_directory(path, ec)) {
    error = output + ": cannot write the report here: it is a directory";
    return false;
  }
  const fs::path folder = path.has_parent_path() ? path.parent_path() : fs::path(".");
  if (!fs::is_directory(folder, ec)) {
    error = output + ": cannot write the report here: the folder " + folder.string() + " does not exist";
    return false;
  }
  return true;
}

std::string formatScale(double scale) {
  std::ostringstream s;
  s << scale;
  return s.str();
}

#ifdef PODSCOPE_HAVE_RENDER
/// Draws the PNG or PDF with Qt; false (after saying why) when it could not.
bool writeDrawn(core::ReportFormat format, const ReportArgs& args, core::ReportRecord record,
                const core::ReportInputs& inputs) {
  // Qt's fonts and images need an application object; on the offscreen
  // platform it needs no display (render/headless_app.h).
  const std::unique_ptr<QGuiApplication> app = render::startHeadlessGui("podscope-cli");
  const core::Status written = render::writeDrawnReport(record, format, QString::fromStdString(args.output), inputs,
                                                        args.scale > 0 ? args.scale : render::kDefaultPngScale);
  if (!written) {
    std::cerr << written.error().message << "\n";
    return false;
  }
  return true;
}
#endif

bool parseDurationOption(const std::string& name, const std::string& text, std::optional<engine::Duration>& out) {
  if (text.empty()) return true;
  auto d = core::parseDuration(text);
  if (!d) {
    std::cerr << name << ": " << d.error().message << "\n";
    return false;
  }
  if (d->count() <= 0 && name != "--grace-period") {
    std::cerr << name << ": must be longer than 0s\n";
    return false;
  }
  out = *d;
  return true;
}

/// Runs the Pod of `doc` as `podscope-cli run` does, or says why not.
std::optional<core::RunRecord> runPodFor(const ReportArgs& args, const core::Document* doc) {
  engine::RunOptions options;
  const bool simulated = args.runtime == "sim";
  std::optional<engine::Duration> watchFor;
  std::optional<engine::Duration> deleteAfter;
  if (!parseDurationOption("--for", args.watchFor, watchFor) ||
      !parseDurationOption("--delete-after", args.deleteAfter, deleteAfter) ||
      !parseDurationOption("--grace-period", args.gracePeriod, options.gracePeriod)) {
    return std::nullopt;
  }
  if (deleteAfter) {
    options.deleteAfter = *deleteAfter;
    if (watchFor) options.runFor = *watchFor;
  } else {
    options.runFor = watchFor.value_or(simulated ? engine::Duration(std::chrono::minutes(5))
                                                 : engine::Duration(std::chrono::seconds(60)));
  }
  if (simulated) {
    std::optional<std::optional<core::Scenario>> loaded = loadScenario(args.scenario, args.run, doc->pod->spec);
    if (!loaded) return std::nullopt;
    std::optional<core::Scenario> scenario = std::move(*loaded);
    engine::VirtualEventLoop loop;
    auto runtime = scenario ? std::make_unique<engine::SimulatedRuntime>(loop, std::move(*scenario))
                            : std::make_unique<engine::SimulatedRuntime>(loop);
    return engine::runPod(*doc->pod, *runtime, loop, options);
  }
  // Ctrl-C deletes the pod gracefully, as `run` does.
  StopSignals stopSignals;
  engine::SystemEventLoop loop;
  std::unique_ptr<engine::ContainerdRuntime> runtime =
      connectContainerd(loop, args.address, args.containerdNamespace, args.stateDir);
  if (!runtime) return std::nullopt;
  options.podUid = engine::newPodUid();
  if (!prepareLogDir({}, options.logDir)) return std::nullopt;
  engine::RunControl control;
  stopSignals.watch([&control](int received) {
    std::cerr << "deleting the pod (signal " << received << ")...\n";
    control.requestDelete();
  });
  core::RunRecord record = engine::runPod(*doc->pod, *runtime, loop, options, {}, &control);
  stopSignals.stopWatching();
  return record;
}

/// Runs the Deployment of `doc` as `podscope-cli run` does (from the
/// history's current revision to the file's), or says why not. The exit code
/// of the run is kept in `exitCode` (1: its progress deadline was exceeded).
std::optional<core::RolloutRecord> runDeploymentFor(const ReportArgs& args, const core::Document* doc, int& exitCode) {
  if (!args.deleteAfter.empty()) {
    std::cerr << "--delete-after: applies to a Pod; a Deployment's run ends when its rollout completes or exceeds "
                 "its progress deadline (or at --for)\n";
    return std::nullopt;
  }
  DeploymentRunArgs run;
  run.runtime = args.runtime;
  run.address = args.address;
  run.containerdNamespace = args.containerdNamespace;
  run.stateDir = args.stateDir;
  run.scenario = args.scenario;
  run.watchFor = args.watchFor;
  run.gracePeriod = args.gracePeriod;
  run.history = args.history;
  std::optional<core::RolloutRecord> record;
  run.takeRecord = [&record](core::RolloutRecord taken) { record = std::move(taken); };
  exitCode = runDeploymentFile(run, args.run, *doc->deployment);
  return record;
}

}  // namespace

CLI::App* addReportCommand(CLI::App& app, ReportArgs& args) {
  CLI::App* cmd = app.add_subcommand(
      "report",
      "Write a run up as HTML, a PDF for print, the timeline as SVG or PNG, Markdown or JSON, from a saved record "
      "or from a new run");
  cmd->add_option("RECORD", args.record, "A pod's run record or a Deployment's rollout record (podscope-cli run --output json)");
  cmd->add_option("--run", args.run,
                  "Run the first Pod or Deployment in this manifest as podscope-cli run does, and report on it");
  cmd->add_option("-o,--output", args.output,
                  "Where to write the report; its extension sets the format: .html, .pdf (A4 pages for print), "
                  ".svg or .png (the timeline alone), .md or .json")
      ->required();
  cmd->add_option("--format", args.format, "html, pdf, svg, png, md or json (default: from the output's extension)")
      ->check(CLI::IsMember({"html", "pdf", "svg", "png", "md", "json"}));
  cmd->add_option("--scale", args.scale,
                  "For PNG: device pixels per pixel of the timeline, from 0.5 to 8 (default 2, for sharp pictures "
                  "on high-density screens)");
  cmd->add_option("--manifest", args.manifest, "The manifest the record came from, for the HTML and PDF reports");
  cmd->add_option("--runtime", args.runtime, "With --run: sim (virtual time) or containerd")
      ->check(CLI::IsMember({"sim", "containerd"}))
      ->capture_default_str();
  cmd->add_option("--address", args.address, "With --run: containerd socket")->capture_default_str();
  cmd->add_option("--namespace", args.containerdNamespace, "With --run: containerd namespace")->capture_default_str();
  cmd->add_option("--state-dir", args.stateDir, "With --run: as for podscope-cli run");
  cmd->add_option("--for", args.watchFor,
                  "With --run: watch the pod this long (default 5m simulated, 60s containerd), or the Deployment "
                  "(default: until its rollout ends)");
  cmd->add_option("--history", args.history, "With --run of a Deployment: the rollout history file (as for run)");
  cmd->add_option("--delete-after", args.deleteAfter, "With --run: delete the pod this long after its creation");
  cmd->add_option("--grace-period", args.gracePeriod, "With --run: grace period for that deletion");
  cmd->add_option("--scenario", args.scenario, "With --run: simulation scenario file (default MANIFEST.simulate)");
  cmd->add_option("--width", args.width,
                  "Width of the timeline in pixels (default 1100; 820 in a PDF, scaled to the page)")
      ->check(CLI::Range(400, 20000));
  return cmd;
}

int report(const ReportArgs& args) {
  if (args.record.empty() == args.run.empty()) {
    std::cerr << "report: give either a RECORD.json or --run MANIFEST\n";
    return kExitError;
  }
  if (!args.run.empty() && !args.manifest.empty()) {
    std::cerr << "report: --manifest is for a record; with --run the report shows the manifest that ran\n";
    return kExitError;
  }
  std::string error;
  const std::optional<core::ReportFormat> format = formatFor(args, error);
  if (!format) {
    std::cerr << error << "\n";
    return kExitError;
  }
  if (args.scale != 0 && !(args.scale >= 0.5 && args.scale <= 8)) {
    std::cerr << "report: --scale " << formatScale(args.scale) << " is out of range; give a scale from 0.5 to 8\n";
    return kExitError;
  }
  if (args.scale != 0 && *format != core::ReportFormat::Png) {
    std::cerr << "report: --scale is for a PNG; " << args.output << " is written as " << core::toString(*format) << "\n";
    return kExitError;
  }
#ifndef PODSCOPE_HAVE_RENDER
  if (core::isDrawn(*format)) {
    std::cerr << args.output << ": this podscope-cli was built without Qt, so it writes no " << core::toString(*format)
              << "; write .html, .svg, .md or .json\n";
    return kExitError;
  }
#endif
  if (!outputPlaceOk(args.output, error)) {
    std::cerr << error << "\n";
    return kExitError;
  }

  core::ReportInputs inputs;
  inputs.podscopeVersion = PODSCOPE_VERSION;
#ifdef PODSCOPE_HAVE_RENDER
  inputs.timelineWidth = args.width > 0 ? args.width : render::defaultTimelineWidth(*format);
#else
  inputs.timelineWidth = args.width > 0 ? args.width : kTimelineWidth;
#endif
  std::optional<core::AnyRecord> record;
  int runExit = 0;
  if (!args.record.empty()) {
    std::optional<std::string> json =
        readText(args.record, std::max(core::kMaxRunRecordJsonBytes, core::kMaxRolloutRecordJsonBytes), error);
    if (!json) {
      std::cerr << error << "\n";
      return kExitError;
    }
    core::Result<core::AnyRecord> read = core::anyRecordFromJson(*json);
    if (!read) {
      std::cerr << args.record << ": " << read.error().message << "\n";
      return kExitError;
    }
    record = std::move(*read);
    if (!args.manifest.empty()) {
      std::optional<std::string> text = readText(args.manifest, kMaxManifestBytes, error);
      if (!text) {
        std::cerr << error << "\n";
        return kExitError;
      }
      inputs.manifestText = std::move(*text);
      inputs.manifestFile = args.manifest;
    }
  } else {
    std::optional<std::string> text = readText(args.run, kMaxManifestBytes, error);
    if (!text) {
      std::cerr << error << "\n";
      return kExitError;
    }
    core::Manifest manifest = core::readManifest(*text, args.run);
    // The first runnable document in file order, as `run` takes it.
    const auto first = std::find_if(manifest.documents.begin(), manifest.documents.end(),
                                    [](const core::Document& d) { return d.runnable(); });
    if (first == manifest.documents.end()) {
      for (const core::Diagnostic& d : manifest.diagnostics) {
        if (d.severity == core::Severity::Error) std::cerr << core::formatDiagnostic(d) << "\n";
      }
      if (!manifest.hasErrors()) std::cerr << args.run << ": the file holds no Pod or Deployment to run\n";
      return kExitError;
    }
    if (first->pod) {
      std::optional<core::RunRecord> ran = runPodFor(args, &*first);
      if (!ran) return kExitError;
      if (ran->outcome == core::RunOutcome::Failed) runExit = kExitFailed;
      record = std::move(*ran);
    } else {
      std::optional<core::RolloutRecord> ran = runDeploymentFor(args, &*first, runExit);
      if (!ran) return runExit == 0 ? kExitError : runExit;
      record = std::move(*ran);
    }
    inputs.manifestText = std::move(*text);
    inputs.manifestFile = args.run;
  }

  const core::ReportRecord about = std::visit([](const auto& r) { return core::ReportRecord(&r); }, *record);
  std::uintmax_t bytes = 0;
  if (core::isDrawn(*format)) {
#ifdef PODSCOPE_HAVE_RENDER
    if (!writeDrawn(*format, args, about, inputs)) return kExitError;
    std::error_code ec;
    bytes = std::filesystem::file_size(args.output, ec);
#endif
  } else {
    const std::string out = core::reportText(about, *format, inputs);
    std::ofstream file(args.output, std::ios::binary | std::ios::trunc);
    if (!file || !file.write(out.data(), static_cast<std::streamsize>(out.size())) || !file.flush()) {
      std::cerr << args.output << ": cannot write the report here\n";
      return kExitError;
    }
    bytes = out.size();
  }
  std::cerr << "wrote " << args.output << " (" << core::toString(*format) << ", " << bytes << " bytes) for "
            << core::reportSubject(about) << ": " << core::toString(core::reportOutcome(about)) << "\n";
  return runExit;
}

}  // namespace podscope::cli
