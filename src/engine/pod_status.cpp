#include "engine/pod_status.h"

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <utility>

#include "engine/backoff.h"

namespace podscope::engine {

namespace {

bool isRunning(const ContainerStatusInput& c) { return c.state == ContainerState::Running; }

bool isTerminated(const ContainerStatusInput& c) { return c.state == ContainerState::Terminated; }

ContainerStatusInput toInput(const ContainerStatus& status, const core::Container* spec,
                             bool podHasInitContainers) {
  ContainerStatusInput c;
  c.name = status.name;
  c.isInit = status.init;
  c.isSidecar = status.init && spec != nullptr && spec->isSidecar();
  c.state = status.state;
  c.reason = status.reason;
  c.exitCode = status.exitCode;
  c.restartCount = status.restartCount;
  switch (status.state) {
    case ContainerState::Waiting:
      // The kubelet never reports an empty waiting reason (convertToAPIContainerStatuses).
      if (c.reason.empty()) c.reason = podHasInitContainers ? "PodInitializing" : "ContainerCreating";
      break;
    case ContainerState::Running:
      break;
    case ContainerState::Terminated:
      // containerd always supplies one of these for an exited task.
      if (c.reason.empty()) c.reason = status.exitCode == 0 ? "Completed" : "Error";
      break;
  }
  if (status.lastExitCode) {
    LastTermination last;
    last.exitCode = *status.lastExitCode;
    last.reason = last.exitCode == 0 ? "Completed" : "Error";
    // While the latest instance is itself terminated, lastState is the one before it.
    if (status.state != ContainerState::Terminated) {
      last.finishedAt = status.finishedAt;
    } else if (status.lastFinishedAt) {
      last.finishedAt = *status.lastFinishedAt;
    }
    c.lastTerminated = std::move(last);
  }
  if (c.isInit && !c.isSidecar) {
    // The prober manager marks a regular init container ready exactly when it succeeded.
    c.started = isRunning(c) || isTerminated(c);
    c.ready = isTerminated(c) && c.exitCode == 0;
  } else {
    // Probe results come from the engine's prober; a container with no
    // such probe is started (ready) as soon as it runs.
    bool hasStartupProbe = status.hasStartupProbe || (spec != nullptr && spec->startupProbe.has_value());
    bool hasReadinessProbe = status.hasReadinessProbe || (spec != nullptr && spec->readinessProbe.has_value());
    c.started = isRunning(c) && (!hasStartupProbe || status.startupSucceeded);
    c.ready = c.started && (!hasReadinessProbe || status.readinessSucceeded);
  }
  return c;
}

/// Go's fmt %v of a []string.
std::string goList(const std::vector<std::string>& names) {
  std::string out = "[";
  for (size_t i = 0; i < names.size(); ++i) {
    if (i > 0) out += ' ';
    out += names[i];
  }
  out += ']';
  return out;
}

std::string joinMessages(const std::vector<std::string>& unknown, const std::string& unknownLabel,
                         const std::vector<std::string>& other, const std::string& otherLabel) {
  std::string message;
  if (!unknown.empty()) message = "containers with " + unknownLabel + " status: " + goList(unknown);
  if (!other.empty()) {
    if (!message.empty()) message += ", ";
    message += "containers with " + otherLabel + " status: " + goList(other);
  }
  return message;
}

// kubecontainer.HasAnyRegularContainerStarted: a runtime instance exists.
bool hasAnyRegularContainerStarted(const PodStatusInput& input) {
  return std::any_of(input.containers.begin(), input.containers.end(), [](const ContainerStatusInput& c) {
    return c.state != ContainerState::Waiting || c.lastTerminated.has_value();
  });
}

PodCondition initializedCondition(const PodStatusInput& input) {
  PodCondition condition{std::string(kConditionInitialized), true, "", ""};
  std::vector<std::string> incomplete;
  for (const ContainerStatusInput& c : input.initContainers) {
    bool complete = c.isSidecar ? c.started : c.ready;
    if (!complete) incomplete.push_back(c.name);
  }
  if (input.phase == PodPhase::Succeeded) {
    condition.reason = "PodCompleted";
    return condition;
  }
  if (hasAnyRegularContainerStarted(input) || incomplete.empty()) return condition;
  condition.status = false;
  condition.reason = "ContainersNotInitialized";
  condition.message = joinMessages({}, "unknown", incomplete, "incomplete");
  return condition;
}

PodCondition containersReadyCondition(const PodStatusInput& input) {
  PodCondition condition{std::string(kConditionContainersReady), true, "", ""};
  std::vector<std::string> unready;
  for (const ContainerStatusInput& c : input.initContainers) {
    if (c.isSidecar && !c.ready) unready.push_back(c.name);
  }
  for (const ContainerStatusInput& c : input.containers) {
    if (!c.ready) unready.push_back(c.name);
  }
  switch (input.phase) {
    case PodPhase::Succeeded:
      condition.status = false;
      condition.reason = "PodCompleted";
      return condition;
    case PodPhase::Failed:
      // Containers may still be terminating, so readiness is forced off.
      condition.status = false;
      condition.reason = "PodFailed";
      return condition;
    case PodPhase::Pending:
    case PodPhase::Running:
    case PodPhase::Unknown:
      break;
  }
  if (unready.empty()) return condition;
  condition.status = false;
  condition.reason = "ContainersNotReady";
  condition.message = joinMessages({}, "unknown", unready, "unready");
  return condition;
}

std::string terminatedStatus(const ContainerStatusInput& c, const std::string& prefix) {
  if (!c.reason.empty()) return prefix + c.reason;
  if (c.signal != 0) return prefix + "Signal:" + std::to_string(c.signal);
  return prefix + "ExitCode:" + std::to_string(c.exitCode);
}

void noteLastRestart(const ContainerStatusInput& c, std::optional<TimePoint>& latest) {
  if (!c.lastTerminated || !c.lastTerminated->finishedAt) return;
  TimePoint finished = *c.lastTerminated->finishedAt;
  if (!latest || *latest < finished) latest = finished;
}

bool conditionTrue(const std::vector<PodCondition>& conditions, std::string_view type) {
  return std::any_of(conditions.begin(), conditions.end(),
                     [&](const PodCondition& c) { return c.type == type && c.status; });
}

}  // namespace

PodStatusInput makePodStatusInput(const PodState& state, const core::PodSpec& spec) {
  PodStatusInput input;
  input.phase = computePhase(state);
  input.deleting = state.deleting;
  input.sandboxReady = state.sandboxReady;
  bool hasInit = !state.initContainers.empty();
  for (size_t i = 0; i < state.initContainers.size(); ++i) {
    const core::Container* c = i < spec.initContainers.size() ? &spec.initContainers[i] : nullptr;
    input.initContainers.push_back(toInput(state.initContainers[i], c, hasInit));
  }
  for (size_t i = 0; i < state.containers.size(); ++i) {
    const core::Container* c = i < spec.containers.size() ? &spec.containers[i] : nullptr;
    input.containers.push_back(toInput(state.containers[i], c, hasInit));
  }
  return input;
}

std::vector<PodCondition> computeConditions(const PodStatusInput& input) {
  PodCondition containersReady = containersReadyCondition(input);
  // Without readiness gates, Ready is ContainersReady under another name.
  PodCondition ready = containersReady;
  ready.type = std::string(kConditionReady);
  if (input.phase == PodPhase::Unknown) {
    // The node controller's MarkPodsNotReady: only the pod's Ready
    // condition turns False; container statuses keep what was last known.
    ready = PodCondition{std::string(kConditionReady), false, "", ""};
  }
  return {
      PodCondition{std::string(kConditionPodReadyToStartContainers), input.sandboxReady, "", ""},
      initializedCondition(input),
      std::move(ready),
      std::move(containersReady),
      PodCondition{std::string(kConditionPodScheduled), true, "", ""},
  };
}

KubectlRow kubectlColumns(const PodStatusInput& input, TimePoint now) {
  std::string status = input.reason.empty() ? std::string(toString(input.phase)) : input.reason;
  size_t totalContainers = input.containers.size();
  size_t readyContainers = 0;
  int restarts = 0;
  int sidecarRestarts = 0;
  std::optional<TimePoint> lastRestart;
  std::optional<TimePoint> sidecarLastRestart;
  for (const ContainerStatusInput& c : input.initContainers) {
    if (c.isSidecar) ++totalContainers;
  }

  bool initializing = false;
  for (size_t i = 0; i < input.initContainers.size(); ++i) {
    const ContainerStatusInput& c = input.initContainers[i];
    restarts += c.restartCount;
    noteLastRestart(c, lastRestart);
    if (c.isSidecar) {
      sidecarRestarts += c.restartCount;
      noteLastRestart(c, sidecarLastRestart);
    }
    if (isTerminated(c) && c.exitCode == 0) continue;
    if (c.isSidecar && c.started) {
      if (c.ready) ++readyContainers;
      continue;
    }
    if (isTerminated(c)) {
      status = terminatedStatus(c, "Init:");
    } else if (c.state == ContainerState::Waiting && !c.reason.empty() && c.reason != "PodInitializing") {
      status = "Init:" + c.reason;
    } else {
      status = "Init:" + std::to_string(i) + "/" + std::to_string(input.initContainers.size());
    }
    initializing = true;
    break;
  }

  std::vector<PodCondition> conditions = computeConditions(input);
  if (!initializing || conditionTrue(conditions, kConditionInitialized)) {
    // Once initialized, only sidecar restarts still count among init containers.
    restarts = sidecarRestarts;
    lastRestart = sidecarLastRestart;
    bool hasRunning = false;
    // Reverse order, so the first container's state is the one printed.
    for (auto it = input.containers.rbegin(); it != input.containers.rend(); ++it) {
      const ContainerStatusInput& c = *it;
      restarts += c.restartCount;
      noteLastRestart(c, lastRestart);
      switch (c.state) {
        case ContainerState::Waiting:
          if (!c.reason.empty()) status = c.reason;
          break;
        case ContainerState::Terminated:
          status = terminatedStatus(c, "");
          break;
        case ContainerState::Running:
          if (c.ready) {
            hasRunning = true;
            ++readyContainers;
          }
          break;
      }
    }
    if (status == "Completed" && hasRunning) {
      status = conditionTrue(conditions, kConditionReady) ? "Running" : "NotReady";
    }
  }

  bool terminal = input.phase == PodPhase::Succeeded || input.phase == PodPhase::Failed;
  if (input.deleting && input.reason == "NodeLost") {
    status = "Unknown";
  } else if (input.deleting && !terminal) {
    status = "Terminating";
  }

  KubectlRow row;
  row.ready = std::to_string(readyContainers) + "/" + std::to_string(totalContainers);
  row.status = std::move(status);
  row.restarts = std::to_string(restarts);
  if (restarts != 0 && lastRestart) row.restarts += " (" + humanDuration(now - *lastRestart) + " ago)";
  row.age = input.createdAt ? humanDuration(now - *input.createdAt) : "<unknown>";
  return row;
}

std::string pulledImageMessage(const std::string& image, Duration pulled, Duration includingWaiting,
                               std::int64_t size) {
  std::string message = "Successfully pulled image \"" + image + "\" in " + formatGoDuration(pulled) + " (" +
                        formatGoDuration(includingWaiting) + " including waiting)";
  if (size > 0) message += ". Image size: " + std::to_string(size) + " bytes.";
  return message;
}

std::string humanDuration(Duration d) {
  using std::chrono::duration_cast;
  // Truncation toward zero, as Go's int(d.Seconds()).
  std::int64_t seconds = duration_cast<std::chrono::seconds>(d).count();
  // Up to a second in the future is clock skew, shown as now.
  if (seconds < -1) return "<invalid>";
  if (seconds < 0) return "0s";
  if (seconds < 60 * 2) return std::to_string(seconds) + "s";
  std::int64_t minutes = duration_cast<std::chrono::minutes>(d).count();
  if (minutes < 10) {
    std::int64_t s = seconds % 60;
    if (s == 0) return std::to_string(minutes) + "m";
    return std::to_string(minutes) + "m" + std::to_string(s) + "s";
  }
  if (minutes < 60 * 3) return std::to_string(minutes) + "m";
  std::int64_t hours = duration_cast<std::chrono::hours>(d).count();
  if (hours < 8) {
    std::int64_t m = minutes % 60;
    if (m == 0) return std::to_string(hours) + "h";
    return std::to_string(hours) + "h" + std::to_string(m) + "m";
  }
  if (hours < 48) return std::to_string(hours) + "h";
  if (hours < 24 * 8) {
    std::int64_t h = hours % 24;
    if (h == 0) return std::to_string(hours / 24) + "d";
    return std::to_string(hours / 24) + "d" + std::to_string(h) + "h";
  }
  if (hours < 24 * 365 * 2) return std::to_string(hours / 24) + "d";
  if (hours < 24 * 365 * 8) {
    std::int64_t dy = (hours / 24) % 365;
    if (dy == 0) return std::to_string(hours / 24 / 365) + "y";
    return std::to_string(hours / 24 / 365) + "y" + std::to_string(dy) + "d";
  }
  return std::to_string(hours / 24 / 365) + "y";
}

std::string formatGetPods(const std::vector<GetPodLine>& lines) {
  std::vector<std::vector<std::string>> table;
  table.push_back({"NAME", "READY", "STATUS", "RESTARTS", "AGE"});
  for (const GetPodLine& line : lines) {
    table.push_back({line.name, line.row.ready, line.row.status, line.row.restarts, line.row.age});
  }
  // kubectl's tabwriter: minwidth 6, padding 3; the last cell is not padded.
  constexpr size_t kMinWidth = 6;
  constexpr size_t kPadding = 3;
  constexpr size_t kColumns = 5;
  std::vector<size_t> widths(kColumns - 1, kMinWidth);
  for (const auto& cells : table) {
    for (size_t col = 0; col + 1 < kColumns; ++col) widths[col] = std::max(widths[col], cells[col].size() + kPadding);
  }
  std::string out;
  for (const auto& cells : table) {
    for (size_t col = 0; col + 1 < kColumns; ++col) {
      out += cells[col];
      out.append(widths[col] - cells[col].size(), ' ');
    }
    out += cells[kColumns - 1];
    out += '\n';
  }
  return out;
}

}  // namespace podscope::engine
