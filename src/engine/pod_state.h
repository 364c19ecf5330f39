#pragma once
// What the engine knows about a pod and its containers at one moment: the
// input of computePodActions(). Plain values.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/manifest.h"
#include "engine/clock.h"
#include "engine/runtime.h"

namespace podscope::engine {

/// Unknown: the state of the pod could not be obtained, because the
/// container runtime cannot be reached (the kubelet never computes it; it
/// is what the API shows for a pod whose node does not answer).
enum class PodPhase { Pending, Running, Succeeded, Failed, Unknown };
enum class ContainerState { Waiting, Running, Terminated };

std::string_view toString(PodPhase phase);
std::string_view toString(ContainerState state);

/// Legal container state changes, as data tests can iterate.
bool isLegalTransition(ContainerState from, ContainerState to);

/// Why the engine stops a running container (kubelet killContainer reasons).
enum class KillReason {
  None,
  PodDeleted,      ///< the pod is being deleted ("Stopping container X")
  PodCompleted,    ///< the regular containers are done: sidecars are stopped
  LivenessProbe,   ///< "Container X failed liveness probe, will be restarted"
  StartupProbe,    ///< "Container X failed startup probe, will be restarted"
  PostStartHook,   ///< "FailedPostStartHook"
  RunEnded,        ///< the run is over: removed at once, not recorded
};

struct ContainerStatus {
  std::string name;
  bool init = false;
  bool sidecar = false;          ///< an init container with restartPolicy: Always
  bool hasStartupProbe = false;
  bool hasReadinessProbe = false;
  /// Published probe results for the current instance (reset on restart).
  bool startupSucceeded = false;
  bool readinessSucceeded = false;
  /// A liveness or startup failure (or a failed postStart hook) asks for
  /// this running container to be killed; restarted unless the policy is Never.
  KillReason killFor = KillReason::None;
  /// The latest instance was killed by the engine for a probe or hook
  /// failure: it restarts whatever its exit code, unless the policy is Never.
  bool restartAfterKill = false;
  ContainerState state = ContainerState::Waiting;
  std::string reason;  ///< waiting or terminated reason
  std::string message;
  int exitCode = 0;               ///< of the current instance, when Terminated
  std::optional<int> lastExitCode;  ///< lastState.terminated.exitCode
  std::optional<TimePoint> lastFinishedAt;  ///< lastState.terminated.finishedAt
  int restartCount = 0;
  bool everStarted = false;  ///< some instance reached Running (or Terminated)
  bool busy = false;         ///< an operation on it is in flight
  bool killRequested = false;
  bool failedToStart = false;  ///< the latest attempt could not be created or started
  TimePoint startedAt{0};   ///< when the latest instance's process started
  TimePoint finishedAt{0};  ///< when the latest instance ended
  int instance = 0;         ///< how many instances were started (probe results are per instance)
  /// Hash of the container's spec: part of its back-off key, so a changed
  /// spec (a new image) starts a fresh back-off, as in the kubelet.
  std::uint64_t specHash = 0;
  std::optional<ContainerId> id;

  /// The exit code that decides restarts: the current instance's if it is
  /// Terminated, else the previous instance's.
  std::optional<int> latestExitCode() const;
  /// Whether an earlier attempt exists (ran and ended, or failed to start):
  /// starting again is then a restart, subject to the back-off.
  bool hasPreviousInstance() const {
    return state == ContainerState::Terminated || lastExitCode.has_value() || failedToStart;
  }
  /// The kubelet's `started`: running, and its startup probe (if any) succeeded.
  bool isStarted() const {
    return state == ContainerState::Running && (!hasStartupProbe || startupSucceeded);
  }
  /// The kubelet's `ready` for a regular container or sidecar.
  bool isReady() const { return isStarted() && (!hasReadinessProbe || readinessSucceeded); }
  /// The crash-loop back-off key (kubelet: name plus spec hash).
  std::string backoffKey() const;
  /// A regular init container that finished its work.
  bool completedInit() const {
    return init && !sidecar && state == ContainerState::Terminated && exitCode == 0 && !failedToStart;
  }
};

struct PodState {
  core::RestartPolicy restartPolicy = core::RestartPolicy::Always;
  bool sandboxReady = false;
  bool sandboxBusy = false;
  bool deleting = false;  ///< the pod has a deletionTimestamp
  bool failed = false;    ///< an unrecoverable error ended the pod
  bool runEnded = false;  ///< the watch ended: everything is removed at once
  /// The container runtime cannot be reached: nothing is synced until it
  /// answers again, as the kubelet skips pod syncs while the runtime is down.
  bool runtimeDown = false;
  std::vector<ContainerStatus> initContainers;
  std::vector<ContainerStatus> containers;
};

/// A stable hash of what defines a container's instances (image, command,
/// args, working directory, env, ports, probes' presence, restart policy).
std::uint64_t containerSpecHash(const core::Container& container);

/// The kubelet's getPhase() for the containers this engine knows.
PodPhase computePhase(const PodState& state);

/// Init containers are done: every regular one succeeded and every sidecar
/// started, or some regular container has started already.
bool isInitialized(const PodState& state);

/// Every regular container ended and none will be restarted: the kubelet
/// then stops the pod (its sidecars).
bool regularContainersDone(const PodState& state);

}  // namespace podscope::engine
