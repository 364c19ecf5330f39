#include "cli/deployment_run.h"

#include <algorithm>
#include <csignal>
#include <iostream>
#include <memory>
#include <utility>

#include "cli/run_support.h"
#include "core/decoder.h"
#include "core/duration.h"
#include "core/pod_template_yaml.h"
#include "core/rollout_history.h"
#include "core/rollout_record_json.h"
#include "core/run_record.h"
#include "core/scenario.h"
#include "core/template_diff.h"
#include "core/user_dirs.h"
#include "core/yaml_tree.h"
#include "engine/host/system_event_loop.h"
#include "engine/runtime/containerd/containerd_runtime.h"
#include "engine/runtime/simulated/simulated_runtime.h"
#include "engine/virtual_event_loop.h"

namespace podscope::cli {

namespace {

constexpr int kExitFailed = 1;
constexpr int kExitError = 2;

/// Every line of `table` indented by two spaces, under a heading.
void printSection(const std::string& heading, const std::string& table) {
  std::cout << "\n" << heading << ":\n";
  std::size_t start = 0;
  while (start < table.size()) {
    std::size_t end = table.find('\n', start);
    if (end == std::string::npos) end = table.size();
    std::cout << "  " << table.substr(start, end - start) << "\n";
    start = end + 1;
  }
}

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

core::RevisionOutcome historyOutcome(RolloutEnd end) {
  switch (end) {
    case RolloutEnd::Complete: return core::RevisionOutcome::Complete;
    case RolloutEnd::ProgressDeadlineExceeded: return core::RevisionOutcome::ProgressDeadlineExceeded;
    case RolloutEnd::Stopped:
    case RolloutEnd::Interrupted: return core::RevisionOutcome::Stopped;
  }
  return core::RevisionOutcome::Stopped;
}

/// The Deployment as it ran with its earlier template.
core::Deployment earlierDeployment(const RolloutPlan& plan) {
  core::Deployment d = plan.target;
  d.spec.podTemplate = *plan.earlier;
  if (plan.earlierChangeCause.empty()) {
    d.metadata.annotations.erase(std::string(core::kChangeCauseAnnotation));
  } else {
    d.metadata.annotations[std::string(core::kChangeCauseAnnotation)] = plan.earlierChangeCause;
  }
  return d;
}

}  // namespace

// ---- Templates and the history ---------------------------------------------

std::vector<std::string> templateImages(const core::PodTemplateSpec& podTemplate) {
  std::vector<std::string> images;
  auto add = [&](const std::vector<core::Container>& containers) {
    for (const core::Container& c : containers) {
      if (std::find(images.begin(), images.end(), c.image) == images.end()) images.push_back(c.image);
    }
  };
  add(podTemplate.spec.initContainers);
  add(podTemplate.spec.containers);
  return images;
}

core::AppliedTemplate appliedTemplate(const core::Deployment& deployment, const core::PodTemplateSpec& podTemplate,
                                      const std::string& manifestPath) {
  core::AppliedTemplate applied;
  applied.templateYaml = core::canonicalYaml(podTemplate);
  applied.templateHash = core::podTemplateHash(podTemplate);
  applied.changeCause = deployment.changeCause();
  applied.images = templateImages(podTemplate);
  applied.manifestPath = manifestPath;
  applied.revisionHistoryLimit = deployment.spec.revisionHistoryLimit;
  return applied;
}

core::Result<core::HistoryStore> openHistory(const std::string& path) {
  std::string file = path.empty() ? core::HistoryStore::defaultPath() : path;
  if (file.empty()) {
    return core::Error{
        "no rollout history: neither XDG_DATA_HOME nor HOME is set to an absolute path (pass --history FILE)"};
  }
  return core::HistoryStore::open(file);
}

// ---- RolloutRun ------------------------------------------------------------------

RolloutRun::RolloutRun(RolloutPlan plan, engine::Runtime& runtime, engine::EventLoop& loop, Options options)
    : m_plan(std::move(plan)), m_runtime(runtime), m_loop(loop), m_options(std::move(options)) {}

core::RunTime RolloutRun::sinceStart() const { return m_loop.now() - m_started; }

RolloutResult RolloutRun::run() {
  m_phase = m_plan.earlier ? Phase::Earlier : Phase::Target;
  const core::Deployment first = m_plan.earlier ? earlierDeployment(m_plan) : m_plan.target;
  {
    engine::DeploymentController controller(m_runtime, m_loop, m_result.record, m_options.deployment);
    m_controller = &controller;
    auto queueCheck = [this] {
      if (m_checkQueued) return;
      m_checkQueued = true;
      m_loop.post([this] { check(); });
    };
    core::RolloutObserver observer;
    observer.onStatusLine = [queueCheck](const core::DeploymentStatusLine&) { queueCheck(); };
    observer.onCondition = [queueCheck](const core::DeploymentCondition&) { queueCheck(); };
    m_result.record.observe(std::move(observer));
    controller.onFinished = [this] { m_loop.quit(); };
    m_loop.post([this, &first] {
      m_started = m_loop.now();
      m_controller->start(first);
    });
    {
      std::lock_guard lock(m_mutex);
      m_running = true;
    }
    m_loop.run();
    {
      std::lock_guard lock(m_mutex);
      m_running = false;
    }
    if (m_phase != Phase::Ending) {
      // The watch limit ended it, or (on virtual time) nothing was left to
      // happen, such as a paused Deployment with no pods.
      m_result.end = RolloutEnd::Stopped;
      m_result.endedAt = m_result.record.outcome == core::RunOutcome::Stopped && m_options.deployment.runFor.count() > 0
                             ? m_options.deployment.runFor
                             : sinceStart();
      snapshot();
    }
    m_controller = nullptr;
  }
  m_result.record.stopObserving();
  return std::move(m_result);
}

void RolloutRun::interrupt() {
  std::lock_guard lock(m_mutex);
  if (!m_running) return;
  m_loop.post([this] {
    if (m_controller && m_phase != Phase::Ending && !m_controller->finished()) finish(RolloutEnd::Interrupted);
  });
}

void RolloutRun::check() {
  m_checkQueued = false;
  if (!m_controller || m_phase == Phase::Ending || m_controller->finished()) return;
  const core::RolloutStatusMessage status = m_controller->rolloutStatus();
  if (m_phase == Phase::Earlier) {
    const core::DeploymentStatus s = m_controller->status();
    const bool podsThere = s.observedGeneration >= s.generation && s.updatedReplicas >= s.desiredReplicas;
    if (!(status.done || status.error || (!m_plan.waitForEarlier && podsThere))) return;
    m_phase = Phase::Target;
    m_result.targetSince = sinceStart();
    core::Result<std::string> answer = m_controller->apply(m_plan.target);
    if (!answer) {
      // The plan keeps the selector, so this is not expected; end the run
      // rather than watch a template that was never applied.
      m_result.applyAnswer = core::kubectlErrorLine(answer.error().message);
      finish(RolloutEnd::Stopped);
      return;
    }
    m_result.applyAnswer = *answer;
    if (!m_checkQueued) {
      m_checkQueued = true;
      m_loop.post([this] { check(); });
    }
    return;
  }
  if (status.done) {
    finish(RolloutEnd::Complete);
  } else if (status.error) {
    finish(RolloutEnd::ProgressDeadlineExceeded);
  }
}

void RolloutRun::finish(RolloutEnd end) {
  m_phase = Phase::Ending;
  m_result.end = end;
  m_result.endedAt = sinceStart();
  snapshot();
  // The run is over: the Deployment is deleted, its pods gracefully.
  (void)m_controller->remove(m_options.gracePeriod);
}

void RolloutRun::snapshot() {
  if (m_snapshotTaken) return;
  m_snapshotTaken = true;
  const core::RolloutRecord& record = m_result.record;
  const core::DeploymentStatusLine* last = nullptr;
  for (const core::DeploymentStatusLine& line : record.statusLines()) {
    if (line.time <= m_result.endedAt) last = &line;
  }
  core::RolloutRecord at;
  at.deploymentName = record.deploymentName.empty() ? m_plan.target.metadata.name : record.deploymentName;
  if (last) at.append(core::deploymentStatusLine(m_result.endedAt, last->status));
  m_result.deploymentTable = core::formatDeploymentLines(at);
  m_result.replicaSetTable = core::formatReplicaSets(record, m_result.endedAt);
}

// ---- The command line ---------------------------------------------------------------

namespace {

/// What `kubectl rollout status` printed while the target rolled out, with
/// the deadline's error line kept apart for stderr.
struct StatusLines {
  std::vector<std::string> lines;
  std::string error;
};

StatusLines statusLinesOf(const RolloutResult& result) {
  // Start where the controller had seen the target: before that the state
  // is the earlier template's finished rollout.
  core::RunTime since = result.targetSince;
  if (since.count() > 0) {
    for (const core::DeploymentStatusLine& line : result.record.statusLines()) {
      if (line.time >= result.targetSince && line.status.observedGeneration >= line.status.generation &&
          line.status.generation > 1) {
        since = line.time;
        break;
      }
    }
  }
  StatusLines out;
  for (std::string& line : core::rolloutStatusLines(result.record, since)) {
    if (line.rfind("error: ", 0) == 0) {
      out.error = std::move(line);
    } else {
      out.lines.push_back(std::move(line));
    }
  }
  return out;
}

std::string describeEnd(const RolloutResult& result, const std::optional<engine::Duration>& watchFor) {
  switch (result.end) {
    case RolloutEnd::Complete: return "Complete";
    case RolloutEnd::ProgressDeadlineExceeded: return "ProgressDeadlineExceeded";
    case RolloutEnd::Stopped:
      if (watchFor && result.endedAt >= *watchFor) return "Stopped (watched for " + core::formatAge(*watchFor) + ")";
      return "Stopped (nothing left to happen)";
    case RolloutEnd::Interrupted: return "Stopped (interrupted)";
  }
  return "Stopped";
}

int printReport(const RolloutResult& result, const DeploymentRunArgs& args, std::int64_t revision,
                const std::optional<engine::Duration>& watchFor) {
  const StatusLines status = statusLinesOf(result);
  if (args.takeRecord) {
    args.takeRecord(result.record);
  } else if (args.json) {
    // As for a pod: the record alone, everything it holds included.
    std::cout << core::toJson(result.record);
  } else {
    for (const std::string& line : status.lines) std::cout << line << "\n";
    if (args.events) printSection("Events", core::formatRolloutEvents(result.record));
    if (args.conditions) printSection("Conditions", core::formatDeploymentConditions(result.record));
    std::cout << "\n" << result.deploymentTable << "\n" << result.replicaSetTable;
    std::cout << "\n"
              << core::deploymentRef(result.record.deploymentName) << " revision " << revision << ": "
              << describeEnd(result, watchFor) << " on " << result.record.runtimeName << "\n";
  }
  if (result.end == RolloutEnd::ProgressDeadlineExceeded) {
    std::cout.flush();
    std::cerr << (status.error.empty()
                      ? core::kubectlErrorLine("deployment \"" + result.record.deploymentName +
                                               "\" exceeded its progress deadline")
                      : status.error)
              << "\n";
    return kExitFailed;
  }
  return 0;
}

}  // namespace

int runRecordedRollout(const DeploymentRunArgs& args, core::HistoryStore& store, const RolloutPlan& plan,
                       const RecordedRollout& recorded, const std::string& manifestPath) {
  std::optional<engine::Duration> watchFor;
  std::optional<engine::Duration> grace;
  if (!parseDurationOption("--for", args.watchFor, watchFor) ||
      !parseDurationOption("--grace-period", args.gracePeriod, grace)) {
    return kExitError;
  }
  if (watchFor && watchFor->count() <= 0) {
    std::cerr << "--for: must be longer than 0s\n";
    return kExitError;
  }
  const bool simulated = args.runtime == "sim";
  RolloutRun::Options options;
  options.gracePeriod = grace;
  // On virtual time a paused Deployment, or one whose progress deadline is
  // far away, would otherwise keep the run going for ever.
  options.deployment.runFor = watchFor.value_or(simulated ? engine::Duration(std::chrono::hours(1)) : engine::Duration(0));
  if (simulated) options.deployment.seed = 1;  // the same pod names every run

  // Recorded once the runtime is ready, so a run that cannot start leaves
  // the history as it was.
  std::int64_t revision = 0;
  auto record = [&]() -> bool {
    core::Result<core::RecordResult> recordedResult = store.record(recorded.key, recorded.applied);
    if (!recordedResult) {
      std::cerr << recordedResult.error().message << "\n";
      return false;
    }
    revision = recordedResult->decision.number;
    if (recorded.previousRevision && *recorded.previousRevision != revision) {
      if (core::Status s = store.setOutcome(recorded.key, *recorded.previousRevision, recorded.previousOutcome); !s) {
        std::cerr << "warning: " << s.error().message << "\n";
      }
    }
    // With --output json, stdout holds the record alone.
    std::ostream& out = args.json || args.takeRecord ? std::cerr : std::cout;
    out << (recorded.header.empty() ? recordedResult->message : recorded.header) << "\n";
    if (plan.earlier) {
      out << "rolling out from the running template: " << core::diffTemplates(*plan.earlier, plan.target.spec.podTemplate).summary()
          << "\n";
    }
    out.flush();
    return true;
  };

  std::optional<RolloutResult> result;
  if (simulated) {
    if (!args.logDir.empty()) {
      std::cerr << "note: the simulated runtime writes no container logs; --log-dir is ignored\n";
    }
    std::optional<std::optional<core::Scenario>> loaded =
        loadScenario(args.scenario, manifestPath, plan.target.spec.podTemplate.spec);
    if (!loaded) return kExitError;
    std::optional<core::Scenario> scenario = std::move(*loaded);
    engine::VirtualEventLoop loop;
    std::unique_ptr<engine::SimulatedRuntime> runtime =
        scenario ? std::make_unique<engine::SimulatedRuntime>(loop, std::move(*scenario))
                 : std::make_unique<engine::SimulatedRuntime>(loop);
    if (!record()) return kExitError;
    RolloutRun run(plan, *runtime, loop, options);
    result = run.run();
  } else {
    // Ctrl-C ends the run and deletes the pods instead of leaving them behind.
    StopSignals stopSignals;
    engine::SystemEventLoop loop;
    std::unique_ptr<engine::ContainerdRuntime> runtime =
        connectContainerd(loop, args.address, args.containerdNamespace, args.stateDir);
    if (!runtime) return kExitError;
    if (!prepareLogDir(args.logDir, options.deployment.pod.logDir)) return kExitError;
    if (!record()) return kExitError;
    RolloutRun run(plan, *runtime, loop, options);
    stopSignals.watch([&run](int received) {
      std::cerr << "ending the run and deleting the deployment's pods (signal " << received << ")...\n";
      run.interrupt();
    });
    result = run.run();
    stopSignals.stopWatching();
  }

  if (core::Status s = store.setOutcome(recorded.key, revision, historyOutcome(result->end)); !s) {
    std::cerr << "warning: " << s.error().message << "\n";
  }
  if (!result->applyAnswer.empty() && result->applyAnswer.rfind("error: ", 0) == 0) {
    std::cerr << result->applyAnswer << "\n";
  }
  return printReport(*result, args, revision, options.deployment.runFor.count() > 0
                                                  ? std::optional<engine::Duration>(options.deployment.runFor)
                                                  : std::nullopt);
}

int runDeploymentFile(const DeploymentRunArgs& args, const std::string& file, const core::Deployment& deployment) {
  core::Result<core::HistoryStore> store = openHistory(args.history);
  if (!store) {
    std::cerr << store.error().toString() << "\n";
    return kExitError;
  }
  const core::DeploymentKey key{deployment.metadata.namespaceName, deployment.metadata.name};
  RolloutPlan plan;
  plan.target = deployment;
  RecordedRollout recorded;
  recorded.key = key;
  recorded.applied = appliedTemplate(deployment, deployment.spec.podTemplate, file);

  core::Result<std::optional<core::DeploymentHistory>> history = store->history(key);
  if (!history) {
    std::cerr << history.error().toString() << "\n";
    return kExitError;
  }
  if (*history) {
    const core::DeploymentHistory& h = **history;
    for (const core::Revision& r : h.revisions) {
      if (r.number != h.deployment.currentRevision || r.templateHash == recorded.applied.templateHash) continue;
      core::Result<core::PodTemplateSpec> earlier = core::readPodTemplate(r.templateYaml);
      if (!earlier) {
        std::cerr << "note: revision " << r.number << " in the history cannot be read back (" << earlier.error().message
                  << "); starting " << file << "'s template afresh\n";
      } else if (!deployment.spec.selector.matches(earlier->metadata.labels)) {
        std::cerr << "note: revision " << r.number << "'s pod labels do not match " << file
                  << "'s selector; starting its template afresh\n";
      } else {
        plan.earlier = std::move(*earlier);
        plan.earlierChangeCause = r.changeCause;
        plan.waitForEarlier = r.outcome == core::RevisionOutcome::Complete;
        std::cerr << "note: revision " << r.number << " is running first, as the deployment was; then " << file
                  << "'s template is applied\n";
      }
    }
  }
  return runRecordedRollout(args, *store, plan, recorded, file);
}

}  // namespace podscope::cli
