#include "cli/rollout.h"

#include <algorithm>
#include <charconv>
#include <ctime>
#include <iostream>
#include <optional>
#include <set>

#include "core/history_store.h"
#include "core/manifest_reader.h"
#include "core/pod_template_yaml.h"
#include "core/rollout_history.h"
#include "core/template_diff.h"
#include "core/text_diff.h"

namespace podscope::cli {

namespace {

constexpr int kExitFailed = 1;

/// kubectl's names for Deployments: singular, plural, short, with the group
/// and with the version.
bool isDeploymentType(const std::string& type) {
  static const std::set<std::string> kNames = {
      "deployment",         "deployments",         "deploy",         "deployment.apps",
      "deployments.apps",   "deploy.apps",         "deployment.v1.apps", "deployments.v1.apps",
  };
  std::string lower = type;
  std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
  return kNames.count(lower) > 0;
}

/// Kinds Podscope knows of whose rollouts it does not keep.
bool isOtherRolloutType(const std::string& type) {
  static const std::set<std::string> kNames = {
      "daemonset",  "daemonsets", "ds",          "statefulset", "statefulsets", "sts",  "daemonset.apps",
      "daemonsets.apps", "statefulset.apps", "statefulsets.apps", "pod", "pods", "po", "replicaset", "replicasets", "rs"};
  return kNames.count(type) > 0;
}

int fail(const std::string& message) {
  std::cout.flush();
  std::cerr << core::kubectlErrorLine(message) << "\n";
  return kExitFailed;
}

int notFound(const std::string& name) {
  std::cout.flush();
  std::cerr << "Error from server (NotFound): deployments.apps \"" << name << "\" not found\n";
  return kExitFailed;
}

const core::Revision* findRevision(const core::DeploymentHistory& h, std::int64_t number) {
  for (const core::Revision& r : h.revisions) {
    if (r.number == number) return &r;
  }
  return nullptr;
}

/// The Deployment's history, or nullopt after printing why there is none.
struct Loaded {
  core::HistoryStore store;
  core::DeploymentHistory history;
};
std::optional<Loaded> load(const std::string& historyFile, const core::DeploymentKey& key, int& exitCode) {
  core::Result<core::HistoryStore> store = openHistory(historyFile);
  if (!store) {
    exitCode = fail(store.error().toString());
    return std::nullopt;
  }
  core::Result<std::optional<core::DeploymentHistory>> history = store->history(key);
  if (!history) {
    exitCode = fail(history.error().toString());
    return std::nullopt;
  }
  if (!*history || (*history)->revisions.empty()) {
    exitCode = notFound(key.name);
    return std::nullopt;
  }
  return Loaded{std::move(*store), std::move(**history)};
}

/// The Deployment's spec (replicas, strategy, selector, ...) from the
/// manifest it was run from, or from `-f FILE`: the history keeps templates
/// only.
core::Result<core::Deployment> loadDeployment(const std::string& filename, const std::string& storedPath,
                                              const core::DeploymentKey& key) {
  const std::string& path = filename.empty() ? storedPath : filename;
  if (path.empty()) {
    return core::Error{"the history does not say which manifest " + core::deploymentRef(key.name) +
                       " was run from; pass -f FILE"};
  }
  core::Result<core::Manifest> manifest = core::readManifestFile(path);
  if (!manifest) {
    return core::Error{manifest.error().toString() + " (the deployment's spec comes from the manifest it was run from;"
                       " pass -f FILE)"};
  }
  for (const core::Document& d : manifest->documents) {
    if (d.deployment && d.deployment->metadata.name == key.name && d.deployment->metadata.namespaceName == key.ns) {
      return *d.deployment;
    }
  }
  return core::Error{path + " holds no readable Deployment \"" + key.name + "\" in namespace " + key.ns +
                     " (pass -f FILE)"};
}

std::optional<std::int64_t> parseRevision(const std::string& text) {
  std::int64_t n = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
  if (ec != std::errc() || end != text.data() + text.size() || n <= 0) return std::nullopt;
  return n;
}

/// `kubectl.kubernetes.io/restartedAt`'s value: now in RFC 3339, local
/// time with its offset, as Go's time.Now().Format(time.RFC3339).
std::string rfc3339Now() {
  std::time_t t = std::time(nullptr);
  std::tm local{};
  localtime_r(&t, &local);
  char text[64];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%S", &local);
  std::string out = text;
  long offset = local.tm_gmtoff;
  if (offset == 0) return out + "Z";
  char sign = offset < 0 ? '-' : '+';
  offset = offset < 0 ? -offset : offset;
  char zone[32];
  std::snprintf(zone, sizeof zone, "%c%02ld:%02ld", sign, offset / 3600, (offset % 3600) / 60);
  return out + zone;
}

/// The plan for rolling from the current revision to `target`.
RolloutPlan planFrom(const core::Revision& current, const core::PodTemplateSpec& currentTemplate,
                     core::Deployment target) {
  RolloutPlan plan;
  plan.target = std::move(target);
  plan.earlier = currentTemplate;
  plan.earlierChangeCause = current.changeCause;
  plan.waitForEarlier = current.outcome == core::RevisionOutcome::Complete;
  return plan;
}

void setChangeCause(core::Deployment& d, const std::string& cause) {
  if (cause.empty()) {
    d.metadata.annotations.erase(std::string(core::kChangeCauseAnnotation));
  } else {
    d.metadata.annotations[std::string(core::kChangeCauseAnnotation)] = cause;
  }
}

void addRunOptions(CLI::App* cmd, DeploymentRunArgs& run) {
  cmd->add_option("--runtime", run.runtime, "sim (virtual time) or containerd")
      ->check(CLI::IsMember({"sim", "containerd"}))
      ->capture_default_str();
  cmd->add_option("--address", run.address, "containerd socket")->capture_default_str();
  cmd->add_option("--containerd-namespace", run.containerdNamespace, "containerd namespace")->capture_default_str();
  cmd->add_option("--state-dir", run.stateDir, "Where pods' namespaces and volumes live on the host");
  cmd->add_option("--log-dir", run.logDir, "Keep container logs under this directory (containerd)");
  cmd->add_option("--scenario", run.scenario, "Simulation scenario file (docs/simulation.md)");
  cmd->add_option("--for", run.watchFor,
                  "Watch the rollout at most this long (default: until it completes or exceeds its progress "
                  "deadline; 1h of virtual time on sim)");
  cmd->add_option("--grace-period", run.gracePeriod,
                  "Grace period for deleting the pods when the run ends (default: each pod's own)");
  cmd->add_flag("--events", run.events, "Also print the controllers' events");
  cmd->add_flag("--conditions", run.conditions, "Also print the Progressing and Available conditions over time");
}

}  // namespace

core::Result<ResourceArg> parseDeploymentArg(const std::vector<std::string>& args) {
  if (args.empty()) return core::Error{"required resource not specified"};
  ResourceArg out;
  const std::string& first = args.front();
  std::size_t slash = first.find('/');
  std::string type;
  std::size_t next = 1;
  if (slash != std::string::npos) {
    type = first.substr(0, slash);
    out.name = first.substr(slash + 1);
    if (type.empty() || out.name.empty() || out.name.find('/') != std::string::npos) {
      return core::Error{"arguments in resource/name form must have a single resource and name"};
    }
  } else {
    type = first;
    if (args.size() > 1) {
      if (args[1].find('/') != std::string::npos) {
        return core::Error{"there is no need to specify a resource type as a separate argument when passing "
                           "arguments in resource/name form (e.g. 'kubectl get resource/<resource_name>' instead of "
                           "'kubectl get resource resource/<resource_name>'"};
      }
      out.name = args[1];
      next = 2;
    }
  }
  if (!isDeploymentType(type)) {
    if (isOtherRolloutType(type)) return core::Error{"Podscope keeps rollouts of Deployments only, not of \"" + type + "\""};
    return core::Error{"the server doesn't have a resource type \"" + type + "\""};
  }
  out.rest.assign(args.begin() + static_cast<std::ptrdiff_t>(next), args.end());
  return out;
}

RolloutCommand::RolloutCommand(CLI::App& app) {
  m_rollout = app.add_subcommand("rollout", "Manage the rollout of a Deployment, like kubectl rollout (docs/deployments.md)");
  m_rollout->require_subcommand(1);

  auto common = [this](CLI::App* cmd) {
    cmd->add_option("-n,--namespace", m_namespace, "The deployment's namespace")->capture_default_str();
    cmd->add_option("--history", m_historyFile,
                    "The rollout history file (default: $XDG_DATA_HOME/podscope/history.sqlite, else "
                    "~/.local/share/podscope/history.sqlite)");
  };

  m_history = m_rollout->add_subcommand("history", "View the rollout history: revisions and their change-cause");
  m_history->add_option("RESOURCE", m_args, "deployment/NAME, or deployment NAME (deployment alone: all)");
  m_history->add_option("--revision", m_revision, "See the details of this revision, with its pod template");
  common(m_history);

  m_diff = m_rollout->add_subcommand(
      "diff", "Compare two revisions' pod templates: a summary line, then a unified patch (default: previous vs current)");
  m_diff->add_option("ARGS", m_args, "deployment/NAME [REV_A [REV_B]]");
  m_diff->add_flag("--summary", m_summaryOnly, "Print the summary line alone");
  common(m_diff);

  m_undo = m_rollout->add_subcommand("undo", "Roll back to a previous revision, then run the rollout");
  m_undo->add_option("RESOURCE", m_args, "deployment/NAME");
  m_undo->add_option("--to-revision", m_toRevision, "The revision to roll back to (0: the previous one)")
      ->capture_default_str();
  m_undo->add_flag("--dry-run", m_dryRun, "Print what would change, and change nothing");
  m_undo->add_option("-f,--filename", m_filename,
                     "The manifest to take the deployment's spec from (default: the one it was last run from)");
  addRunOptions(m_undo, m_run);
  common(m_undo);

  m_restart = m_rollout->add_subcommand("restart", "Restart the pods: a new revision, then run the rollout");
  m_restart->add_option("RESOURCE", m_args, "deployment/NAME");
  m_restart->add_option("-f,--filename", m_filename,
                        "The manifest to take the deployment's spec from (default: the one it was last run from)");
  addRunOptions(m_restart, m_run);
  common(m_restart);

  m_status = m_rollout->add_subcommand("status", "Show how the last recorded rollout ended");
  m_status->add_option("RESOURCE", m_args, "deployment/NAME");
  m_status->add_option("--revision", m_revision, "Pin to this revision: fail when another one is running");
  common(m_status);
}

bool RolloutCommand::parsed() const { return m_rollout->parsed(); }

int RolloutCommand::run() {
  m_run.history = m_historyFile;
  if (m_history->parsed()) return history();
  if (m_diff->parsed()) return diff();
  if (m_undo->parsed()) return undo();
  if (m_restart->parsed()) return restart();
  return status();
}

int RolloutCommand::history() {
  core::Result<ResourceArg> arg = parseDeploymentArg(m_args);
  if (!arg) return fail(arg.error().message);
  if (!arg->rest.empty()) return fail("one deployment at a time: unexpected \"" + arg->rest.front() + "\"");
  if (arg->name.empty()) {
    // `kubectl rollout history deployment`: every deployment in the namespace.
    core::Result<core::HistoryStore> store = openHistory(m_historyFile);
    if (!store) return fail(store.error().toString());
    core::Result<std::vector<core::DeploymentSummary>> all = store->listDeployments();
    if (!all) return fail(all.error().toString());
    bool any = false;
    for (const core::DeploymentSummary& d : *all) {
      if (d.key.ns != m_namespace) continue;
      core::Result<std::optional<core::DeploymentHistory>> h = store->history(d.key);
      if (!h) return fail(h.error().toString());
      if (!*h) continue;
      any = true;
      std::cout << core::formatRolloutHistory(d.key.name, (*h)->revisions);
    }
    if (!any) std::cerr << "No resources found in " << m_namespace << " namespace.\n";
    return 0;
  }
  int exitCode = 0;
  std::optional<Loaded> loaded = load(m_historyFile, {m_namespace, arg->name}, exitCode);
  if (!loaded) return exitCode;
  if (m_revision != 0) {
    core::Result<std::string> text =
        core::formatRolloutHistoryRevision(arg->name, loaded->history.revisions, m_revision);
    if (!text) return fail(text.error().message);
    std::cout << *text;
    return 0;
  }
  std::cout << core::formatRolloutHistory(arg->name, loaded->history.revisions);
  return 0;
}

int RolloutCommand::diff() {
  core::Result<ResourceArg> arg = parseDeploymentArg(m_args);
  if (!arg) return fail(arg.error().message);
  if (arg->name.empty()) return fail("a deployment name is required: deployment/NAME");
  if (arg->rest.size() > 2) return fail("at most two revisions to compare, not " + std::to_string(arg->rest.size()));
  std::vector<std::int64_t> asked;
  for (const std::string& text : arg->rest) {
    std::optional<std::int64_t> n = parseRevision(text);
    if (!n) return fail("invalid revision \"" + text + "\": a revision is a number from 1 up");
    asked.push_back(*n);
  }
  int exitCode = 0;
  std::optional<Loaded> loaded = load(m_historyFile, {m_namespace, arg->name}, exitCode);
  if (!loaded) return exitCode;
  const core::DeploymentHistory& h = loaded->history;
  const std::int64_t current = h.deployment.currentRevision;
  std::int64_t left = 0;
  std::int64_t right = current;
  if (asked.empty()) {
    // The previous revision, as `rollout undo` picks it: the second highest.
    for (const core::Revision& r : h.revisions) {
      if (r.number != current) left = std::max(left, r.number);
    }
    if (left == 0) return fail("deployment \"" + arg->name + "\" has one revision only: nothing to compare it with");
  } else {
    left = asked[0];
    if (asked.size() == 2) right = asked[1];
  }
  const core::Revision* a = findRevision(h, left);
  const core::Revision* b = findRevision(h, right);
  if (!a || !b) return fail("unable to find the specified revision");

  core::Result<core::PodTemplateSpec> before = core::readPodTemplate(a->templateYaml);
  core::Result<core::PodTemplateSpec> after = core::readPodTemplate(b->templateYaml);
  if (before && after) {
    std::cout << core::diffTemplates(*before, *after).summary() << "\n";
  } else {
    std::cout << "(no summary: " << (before ? after.error().message : before.error().message) << ")\n";
  }
  if (!m_summaryOnly) {
    std::cout << core::unifiedPatch(a->templateYaml, b->templateYaml, "revision-" + std::to_string(left),
                                    "revision-" + std::to_string(right));
  }
  return 0;
}

int RolloutCommand::undo() {
  core::Result<ResourceArg> arg = parseDeploymentArg(m_args);
  if (!arg) return fail(arg.error().message);
  if (arg->name.empty()) return fail("a deployment name is required: deployment/NAME");
  if (!arg->rest.empty()) return fail("one deployment at a time: unexpected \"" + arg->rest.front() + "\"");
  const core::DeploymentKey key{m_namespace, arg->name};
  int exitCode = 0;
  std::optional<Loaded> loaded = load(m_historyFile, key, exitCode);
  if (!loaded) return exitCode;
  core::Result<core::UndoPlan> plan = loaded->store.undo(key, m_toRevision);
  if (!plan) return fail(plan.error().message);
  if (plan->kind == core::UndoPlan::Kind::Skip) {
    std::cout << plan->message << "\n";
    return 0;
  }
  const core::Revision* current = findRevision(loaded->history, loaded->history.deployment.currentRevision);
  if (!current) return fail("the history names revision " + std::to_string(loaded->history.deployment.currentRevision) +
                            " as current, but has no such revision");
  if (m_dryRun) {
    core::Result<core::PodTemplateSpec> before = core::readPodTemplate(current->templateYaml);
    core::Result<core::PodTemplateSpec> after = core::readPodTemplate(plan->templateYaml);
    if (before && after) std::cout << core::diffTemplates(*before, *after).summary() << "\n";
    std::cout << core::unifiedPatch(current->templateYaml, plan->templateYaml,
                                    "revision-" + std::to_string(current->number),
                                    "revision-" + std::to_string(plan->revision));
    std::cout << plan->message << " (dry run)\n";
    return 0;
  }
  core::Result<core::Deployment> deployment =
      loadDeployment(m_filename, loaded->history.deployment.manifestPath, key);
  if (!deployment) return fail(deployment.error().message);
  core::Result<core::PodTemplateSpec> currentTemplate = core::readPodTemplate(current->templateYaml);
  core::Result<core::PodTemplateSpec> target = core::readPodTemplate(plan->templateYaml);
  if (!currentTemplate) return fail("revision " + std::to_string(current->number) + ": " + currentTemplate.error().message);
  if (!target) return fail("revision " + std::to_string(plan->revision) + ": " + target.error().message);

  core::Deployment rolledBack = *deployment;
  rolledBack.spec.podTemplate = *target;
  setChangeCause(rolledBack, plan->changeCause);
  RolloutPlan rollout = planFrom(*current, *currentTemplate, std::move(rolledBack));

  RecordedRollout recorded;
  recorded.key = key;
  recorded.applied.templateYaml = plan->templateYaml;
  recorded.applied.templateHash = plan->templateHash;
  recorded.applied.changeCause = plan->changeCause;
  recorded.applied.images = plan->images;
  recorded.applied.revisionHistoryLimit = deployment->spec.revisionHistoryLimit;
  recorded.header = plan->message;
  recorded.previousRevision = current->number;
  recorded.previousOutcome = core::RevisionOutcome::RolledBack;
  const std::string manifestPath = m_filename.empty() ? loaded->history.deployment.manifestPath : m_filename;
  return runRecordedRollout(m_run, loaded->store, rollout, recorded, manifestPath);
}

int RolloutCommand::restart() {
  core::Result<ResourceArg> arg = parseDeploymentArg(m_args);
  if (!arg) return fail(arg.error().message);
  if (arg->name.empty()) return fail("a deployment name is required: deployment/NAME");
  if (!arg->rest.empty()) return fail("one deployment at a time: unexpected \"" + arg->rest.front() + "\"");
  const core::DeploymentKey key{m_namespace, arg->name};
  int exitCode = 0;
  std::optional<Loaded> loaded = load(m_historyFile, key, exitCode);
  if (!loaded) return exitCode;
  const core::Revision* current = findRevision(loaded->history, loaded->history.deployment.currentRevision);
  if (!current) return fail("the history names revision " + std::to_string(loaded->history.deployment.currentRevision) +
                            " as current, but has no such revision");
  core::Result<core::Deployment> deployment =
      loadDeployment(m_filename, loaded->history.deployment.manifestPath, key);
  if (!deployment) return fail(deployment.error().message);
  core::Result<core::PodTemplateSpec> currentTemplate = core::readPodTemplate(current->templateYaml);
  if (!currentTemplate) return fail("revision " + std::to_string(current->number) + ": " + currentTemplate.error().message);

  core::PodTemplateSpec restarted = *currentTemplate;
  restarted.metadata.annotations[std::string(core::kRestartedAtAnnotation)] = rfc3339Now();
  core::Deployment target = *deployment;
  target.spec.podTemplate = restarted;
  setChangeCause(target, current->changeCause);
  RolloutPlan rollout = planFrom(*current, *currentTemplate, target);

  RecordedRollout recorded;
  recorded.key = key;
  recorded.applied = appliedTemplate(target, restarted, "");
  recorded.header = core::deploymentRef(arg->name) + " restarted";
  const std::string manifestPath = m_filename.empty() ? loaded->history.deployment.manifestPath : m_filename;
  return runRecordedRollout(m_run, loaded->store, rollout, recorded, manifestPath);
}

int RolloutCommand::status() {
  core::Result<ResourceArg> arg = parseDeploymentArg(m_args);
  if (!arg) return fail(arg.error().message);
  if (arg->name.empty()) return fail("a deployment name is required: deployment/NAME");
  if (!arg->rest.empty()) return fail("one deployment at a time: unexpected \"" + arg->rest.front() + "\"");
  int exitCode = 0;
  std::optional<Loaded> loaded = load(m_historyFile, {m_namespace, arg->name}, exitCode);
  if (!loaded) return exitCode;
  const std::int64_t running = loaded->history.deployment.currentRevision;
  if (m_revision > 0 && m_revision != running) {
    return fail("desired revision (" + std::to_string(m_revision) + ") is different from the running revision (" +
                std::to_string(running) + ")");
  }
  const core::Revision* current = findRevision(loaded->history, running);
  if (!current) return notFound(arg->name);
  const std::string quoted = "deployment \"" + arg->name + "\"";
  switch (current->outcome) {
    case core::RevisionOutcome::Complete:
      std::cout << quoted << " successfully rolled out\n";
      return 0;
    case core::RevisionOutcome::ProgressDeadlineExceeded:
      return fail(quoted + " exceeded its progress deadline");
    case core::RevisionOutcome::Progressing:
      std::cout << quoted << " revision " << running
                << ": no finished run has recorded how its rollout went (it may be running elsewhere)\n";
      return kExitFailed;
    case core::RevisionOutcome::Stopped:
      std::cout << quoted << " revision " << running << ": its last run was stopped before the rollout finished\n";
      return kExitFailed;
    case core::RevisionOutcome::RolledBack:
      std::cout << quoted << " revision " << running << ": rolled back away from before its rollout finished\n";
      return kExitFailed;
  }
  return kExitFailed;
}

}  // namespace podscope::cli
