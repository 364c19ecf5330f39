#include "engine/pod_actions.h"

#include <algorithm>
#include <cstdio>

namespace podscope::engine {

std::string_view toString(PodPhase phase) {
  switch (phase) {
    case PodPhase::Pending: return "Pending";
    case PodPhase::Running: return "Running";
    case PodPhase::Succeeded: return "Succeeded";
    case PodPhase::Failed: return "Failed";
    case PodPhase::Unknown: return "Unknown";
  }
  return "";
}

std::string_view toString(ContainerState state) {
  switch (state) {
    case ContainerState::Waiting: return "Waiting";
    case ContainerState::Running: return "Running";
    case ContainerState::Terminated: return "Terminated";
  }
  return "";
}

bool isLegalTransition(ContainerState from, ContainerState to) {
  switch (from) {
    case ContainerState::Waiting:
      // A start that fails outright ends as Terminated (StartError).
      return to == ContainerState::Running || to == ContainerState::Terminated;
    case ContainerState::Running:
      return to == ContainerState::Terminated;
    case ContainerState::Terminated:
      // Restarted at once (Running), or held in CrashLoopBackOff (Waiting).
      return to == ContainerState::Running || to == ContainerState::Waiting;
  }
  return false;
}

std::string ContainerStatus::backoffKey() const {
  char hex[17];
  std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(specHash));
  return name + "_" + hex;
}

std::uint64_t containerSpecHash(const core::Container& c) {
  // FNV-1a over the fields, each followed by a separator byte.
  std::uint64_t h = 1469598103934665603ULL;
  auto add = [&h](std::string_view s) {
    for (unsigned char ch : s) h = (h ^ ch) * 1099511628211ULL;
    h = (h ^ 0xff) * 1099511628211ULL;
  };
  add(c.name);
  add(c.image);
  for (const std::string& s : c.command) add(s);
  add("args");
  for (const std::string& s : c.args) add(s);
  add(c.workingDir);
  for (const core::EnvVar& e : c.env) {
    add(e.name);
    add(e.value);
  }
  for (const core::ContainerPort& p : c.ports) add(std::to_string(p.containerPort) + "/" + p.name);
  add(c.startupProbe ? "s" : "");
  add(c.livenessProbe ? "l" : "");
  add(c.readinessProbe ? "r" : "");
  add(c.lifecycle ? "h" : "");
  add(c.isSidecar() ? "Always" : "");
  return h;
}

std::optional<int> ContainerStatus::latestExitCode() const {
  if (state == ContainerState::Terminated) return exitCode;
  return lastExitCode;
}

PodPhase computePhase(const PodState& state) {
  if (state.failed) return PodPhase::Failed;
  if (state.runtimeDown) return PodPhase::Unknown;
  int pendingInit = 0;
  int failedInit = 0;
  int running = 0;
  int stopped = 0;
  int succeeded = 0;
  int waiting = 0;
  for (const ContainerStatus& c : state.initContainers) {
    std::optional<int> exit = c.latestExitCode();
    if (c.sidecar) {
      // A stopped sidecar never makes the pod fail or succeed.
      if (c.state == ContainerState::Running) {
        if (!c.isStarted()) ++pendingInit;
        ++running;
      } else if (c.state == ContainerState::Waiting && !exit) {
        ++pendingInit;
        ++waiting;
      }
      continue;
    }
    if (c.state == ContainerState::Running || (c.state == ContainerState::Waiting && !exit)) {
      ++pendingInit;
    } else if (exit && *exit != 0) {
      ++failedInit;
    }
  }
  bool anyRegularStarted = false;
  for (const ContainerStatus& c : state.containers) {
    anyRegularStarted = anyRegularStarted || c.everStarted || c.hasPreviousInstance();
    std::optional<int> exit = c.latestExitCode();
    if (c.state == ContainerState::Running) {
      ++running;
    } else if (exit) {
      ++stopped;
      if (*exit == 0) ++succeeded;
    } else {
      ++waiting;
    }
  }

  if (failedInit > 0 && state.restartPolicy == core::RestartPolicy::Never) return PodPhase::Failed;
  if ((pendingInit > 0 && !anyRegularStarted) || waiting > 0) return PodPhase::Pending;
  if (running > 0) return PodPhase::Running;
  if (stopped > 0) {
    if (state.deleting) return stopped == succeeded ? PodPhase::Succeeded : PodPhase::Failed;
    if (state.restartPolicy == core::RestartPolicy::Always) return PodPhase::Running;
    if (stopped == succeeded) return PodPhase::Succeeded;
    if (state.restartPolicy == core::RestartPolicy::Never) return PodPhase::Failed;
    return PodPhase::Running;
  }
  return PodPhase::Pending;
}

bool isInitialized(const PodState& state) {
  for (const ContainerStatus& c : state.containers) {
    if (c.everStarted || c.hasPreviousInstance()) return true;
  }
  for (const ContainerStatus& c : state.initContainers) {
    if (c.sidecar ? !c.isStarted() : !c.completedInit()) return false;
  }
  return true;
}

bool regularContainersDone(const PodState& state) {
  if (state.containers.empty()) return false;
  for (const ContainerStatus& c : state.containers) {
    if (c.busy || c.state == ContainerState::Running || !c.hasPreviousInstance()) return false;
    if (shouldRestart(state, c)) return false;
  }
  return true;
}

bool shouldRestart(const PodState& state, const ContainerStatus& c) {
  if (state.deleting) return false;
  if (c.failedToStart) return true;  // it never ran: the kubelet tries again
  std::optional<int> exit = c.latestExitCode();
  if (!exit) return true;
  if (c.sidecar) return true;  // sidecars restart whatever the exit code and policy
  // Killed for a liveness/startup failure: restarted even after exit 0 (OnFailure).
  if (c.restartAfterKill) return state.restartPolicy != core::RestartPolicy::Never;
  switch (state.restartPolicy) {
    case core::RestartPolicy::Never: return false;
    case core::RestartPolicy::OnFailure: return *exit != 0;
    case core::RestartPolicy::Always:
      // Init containers run to completion: under Always they use OnFailure.
      return c.init ? *exit != 0 : true;
  }
  return false;
}

bool retriedBySync(const ContainerStatus& c) {
  return c.failedToStart && c.state == ContainerState::Waiting && c.reason != "ErrImagePull" &&
         c.reason != "ImagePullBackOff";
}

namespace {

/// Adds a start or a back-off wait for a container that needs (re)starting.
void startOrBackOff(const ContainerStatus& c, ContainerRef ref, const Backoff& backoff, TimePoint now,
                    PodActions& actions) {
  if (retriedBySync(c)) {
    TimePoint retryAt = c.finishedAt + kSyncRetryPeriod;
    if (now < retryAt) {
      actions.resyncAt = actions.resyncAt ? std::min(*actions.resyncAt, retryAt) : retryAt;
      return;
    }
    actions.start.push_back(ref);
    return;
  }
  std::string key = c.backoffKey();
  if (c.hasPreviousInstance() && backoff.inBackOff(key, c.finishedAt, now)) {
    TimePoint readyAt = backoff.readyAt(key, c.finishedAt);
    actions.backOff.push_back({ref, backoff.current(key), readyAt});
    actions.resyncAt = actions.resyncAt ? std::min(*actions.resyncAt, readyAt) : readyAt;
    return;
  }
  actions.start.push_back(ref);
}

/// Stops everything still running, with `reason`; once nothing runs or is
/// in flight, removes the sandbox, then reports the pod done.
void tearDown(const PodState& state, KillReason reason, PodActions& actions) {
  bool anyActive = false;
  auto visit = [&](const std::vector<ContainerStatus>& list, bool init) {
    for (size_t i = 0; i < list.size(); ++i) {
      const ContainerStatus& c = list[i];
      bool killing = reason == KillReason::RunEnded ? c.killFor == KillReason::RunEnded : c.killRequested;
      if (c.state == ContainerState::Running && !killing && !c.busy) actions.kill.push_back({{init, i}, reason});
      if (c.state == ContainerState::Running || c.busy || c.killRequested) anyActive = true;
    }
  };
  visit(state.initContainers, true);
  visit(state.containers, false);
  if (anyActive || state.sandboxBusy) return;
  actions.removeSandbox = state.sandboxReady;
  actions.podDone = !state.sandboxReady;
}

/// Running containers whose probe or hook failed are killed (and later
/// restarted, unless the policy is Never).
void killFailed(const std::vector<ContainerStatus>& list, bool init, PodActions& actions) {
  for (size_t i = 0; i < list.size(); ++i) {
    const ContainerStatus& c = list[i];
    if (c.killFor != KillReason::None && !c.killRequested && !c.busy && c.state == ContainerState::Running)
      actions.kill.push_back({{init, i}, c.killFor});
  }
}

}  // namespace

PodActions computePodActions(const PodState& state, const Backoff& backoff, TimePoint now) {
  PodActions actions;
  // The kubelet syncs no pod while the runtime is down; what is due then
  // happens once it answers again.
  if (state.runtimeDown) return actions;
  if (state.runEnded) {
    tearDown(state, KillReason::RunEnded, actions);
    return actions;
  }
  if (state.deleting || state.failed) {
    tearDown(state, KillReason::PodDeleted, actions);
    return actions;
  }
  PodPhase phase = computePhase(state);
  if (phase == PodPhase::Succeeded || phase == PodPhase::Failed) {
    tearDown(state, KillReason::PodDeleted, actions);
    return actions;
  }
  if (regularContainersDone(state)) {
    // Only sidecars are left: the kubelet stops the pod.
    tearDown(state, KillReason::PodCompleted, actions);
    return actions;
  }
  if (!state.sandboxReady) {
    actions.createSandbox = !state.sandboxBusy;
    return actions;
  }
  killFailed(state.initContainers, true, actions);
  killFailed(state.containers, false, actions);

  // Init containers strictly in order: at most the next one per sync. A
  // sidecar lets the next one start once it is started (not ready); once the
  // pod is initialized, exited sidecars are restarted without holding
  // anything up, and regular init containers are not run again.
  bool initialized = isInitialized(state);
  for (size_t i = 0; i < state.initContainers.size(); ++i) {
    const ContainerStatus& c = state.initContainers[i];
    if (c.sidecar) {
      if (c.busy || c.killRequested) {
        if (initialized) continue;
        return actions;
      }
      if (c.state == ContainerState::Running) {
        if (c.isStarted() || initialized) continue;
        return actions;
      }
      startOrBackOff(c, {true, i}, backoff, now, actions);
      if (initialized) continue;
      return actions;
    }
    if (initialized || c.completedInit()) continue;
    if (c.busy || c.state == ContainerState::Running) return actions;
    if (!c.hasPreviousInstance() || shouldRestart(state, c)) startOrBackOff(c, {true, i}, backoff, now, actions);
    return actions;
  }

  // Regular containers, one after another in spec order within one sync.
  for (size_t i = 0; i < state.containers.size(); ++i) {
    const ContainerStatus& c = state.containers[i];
    if (c.busy || c.killRequested || c.state == ContainerState::Running) continue;
    if (!c.hasPreviousInstance() || shouldRestart(state, c)) startOrBackOff(c, {false, i}, backoff, now, actions);
  }
  return actions;
}

}  // namespace podscope::engine
