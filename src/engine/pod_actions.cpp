#include "engine/pod_actions.h"

#include <algorithm>

namespace podscope::engine {

std::string_view toString(PodPhase phase) {
  switch (phase) {
    case PodPhase::Pending: return "Pending";
    case PodPhase::Running: return "Running";
    case PodPhase::Succeeded: return "Succeeded";
    case PodPhase::Failed: return "Failed";
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

std::optional<int> ContainerStatus::latestExitCode() const {
  if (state == ContainerState::Terminated) return exitCode;
  return lastExitCode;
}

PodPhase computePhase(const PodState& state) {
  if (state.failed) return PodPhase::Failed;
  int pendingInit = 0;
  int failedInit = 0;
  for (const ContainerStatus& c : state.initContainers) {
    std::optional<int> exit = c.latestExitCode();
    if (c.state == ContainerState::Running || (c.state == ContainerState::Waiting && !exit)) {
      ++pendingInit;
    } else if (exit && *exit != 0) {
      ++failedInit;
    }
  }
  int running = 0;
  int stopped = 0;
  int succeeded = 0;
  int waiting = 0;
  bool anyRegularStarted = false;
  for (const ContainerStatus& c : state.containers) {
    anyRegularStarted = anyRegularStarted || c.everStarted;
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

bool shouldRestart(const PodState& state, const ContainerStatus& c) {
  if (state.deleting) return false;
  if (c.failedToStart) return true;  // it never ran: the kubelet tries again
  std::optional<int> exit = c.latestExitCode();
  if (!exit) return true;
  switch (state.restartPolicy) {
    case core::RestartPolicy::Never: return false;
    case core::RestartPolicy::OnFailure: return *exit != 0;
    case core::RestartPolicy::Always:
      // Init containers run to completion: under Always they use OnFailure.
      return c.init ? *exit != 0 : true;
  }
  return false;
}

namespace {

/// Adds a start or a back-off wait for a container that needs (re)starting.
void startOrBackOff(const ContainerStatus& c, ContainerRef ref, const Backoff& backoff, TimePoint now,
                    PodActions& actions) {
  if (c.hasPreviousInstance() && backoff.inBackOff(c.name, c.finishedAt, now)) {
    TimePoint readyAt = backoff.readyAt(c.name, c.finishedAt);
    actions.backOff.push_back({ref, backoff.current(c.name), readyAt});
    actions.resyncAt = actions.resyncAt ? std::min(*actions.resyncAt, readyAt) : readyAt;
    return;
  }
  actions.start.push_back(ref);
}

void tearDown(const PodState& state, PodActions& actions) {
  bool anyActive = false;
  auto visit = [&](const std::vector<ContainerStatus>& list, bool init) {
    for (size_t i = 0; i < list.size(); ++i) {
      const ContainerStatus& c = list[i];
      if (c.state == ContainerState::Running && !c.killRequested && !c.busy) {
        actions.kill.push_back({init, i});
      }
      if (c.state == ContainerState::Running || c.busy) anyActive = true;
    }
  };
  visit(state.initContainers, true);
  visit(state.containers, false);
  if (anyActive || state.sandboxBusy) return;
  actions.removeSandbox = state.sandboxReady;
  actions.podDone = !state.sandboxReady;
}

}  // namespace

PodActions computePodActions(const PodState& state, const Backoff& backoff, TimePoint now) {
  PodActions actions;
  if (state.deleting || state.failed) {
    tearDown(state, actions);
    return actions;
  }
  PodPhase phase = computePhase(state);
  if (phase == PodPhase::Succeeded || phase == PodPhase::Failed) {
    tearDown(state, actions);
    return actions;
  }
  if (!state.sandboxReady) {
    actions.createSandbox = !state.sandboxBusy;
    return actions;
  }

  // Init containers strictly in order: at most the next one per sync.
  for (size_t i = 0; i < state.initContainers.size(); ++i) {
    const ContainerStatus& c = state.initContainers[i];
    if (c.busy || c.state == ContainerState::Running) return actions;
    if (c.state == ContainerState::Terminated && c.exitCode == 0 && !c.failedToStart) continue;
    if (!c.hasPreviousInstance() || shouldRestart(state, c)) startOrBackOff(c, {true, i}, backoff, now, actions);
    return actions;
  }

  // Regular containers, one after another in spec order within one sync.
  for (size_t i = 0; i < state.containers.size(); ++i) {
    const ContainerStatus& c = state.containers[i];
    if (c.busy || c.state == ContainerState::Running) continue;
    if (!c.hasPreviousInstance() || shouldRestart(state, c)) startOrBackOff(c, {false, i}, backoff, now, actions);
  }
  return actions;
}

}  // namespace podscope::engine
