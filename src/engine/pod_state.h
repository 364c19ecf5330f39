#pragma once
// What the engine knows about a pod and its containers at one moment: the
// input of computePodActions(). Plain values.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/manifest.h"
#include "engine/clock.h"
#include "engine/runtime.h"

namespace podscope::engine {

enum class PodPhase { Pending, Running, Succeeded, Failed };
enum class ContainerState { Waiting, Running, Terminated };

std::string_view toString(PodPhase phase);
std::string_view toString(ContainerState state);

/// Legal container state changes, as data tests can iterate.
bool isLegalTransition(ContainerState from, ContainerState to);

struct ContainerStatus {
  std::string name;
  bool init = false;
  ContainerState state = ContainerState::Waiting;
  std::string reason;  ///< waiting or terminated reason
  std::string message;
  int exitCode = 0;               ///< of the current instance, when Terminated
  std::optional<int> lastExitCode;  ///< lastState.terminated.exitCode
  int restartCount = 0;
  bool everStarted = false;  ///< some instance reached Running (or Terminated)
  bool busy = false;         ///< an operation on it is in flight
  bool killRequested = false;
  bool failedToStart = false;  ///< the latest attempt could not be created or started
  TimePoint finishedAt{0};  ///< when the latest instance ended
  std::optional<ContainerId> id;

  /// The exit code that decides restarts: the current instance's if it is
  /// Terminated, else the previous instance's.
  std::optional<int> latestExitCode() const;
  /// Whether an earlier attempt exists (ran and ended, or failed to start):
  /// starting again is then a restart, subject to the back-off.
  bool hasPreviousInstance() const {
    return state == ContainerState::Terminated || lastExitCode.has_value() || failedToStart;
  }
};

struct PodState {
  core::RestartPolicy restartPolicy = core::RestartPolicy::Always;
  bool sandboxReady = false;
  bool sandboxBusy = false;
  bool deleting = false;  ///< the pod has a deletionTimestamp
  bool failed = false;    ///< an unrecoverable error ended the pod
  std::vector<ContainerStatus> initContainers;
  std::vector<ContainerStatus> containers;
};

/// The kubelet's getPhase() for the containers this engine knows.
PodPhase computePhase(const PodState& state);

}  // namespace podscope::engine
