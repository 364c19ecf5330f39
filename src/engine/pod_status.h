#pragma once
// What Kubernetes would publish for a pod: its conditions (kubelet
// status/generate.go) and its `kubectl get pods` row (kubectl printPod).
// Pure functions of a PodStatusInput, which carries the parts of the API
// status that PodState does not model (ready/started, lastState, signals).

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/manifest.h"
#include "engine/clock.h"
#include "engine/pod_state.h"

namespace podscope::engine {

struct LastTermination {
  int exitCode = 0;
  std::string reason;
  /// Unset when the instance's end time is not known; kubectl then cannot
  /// print "(X ago)" for it.
  std::optional<TimePoint> finishedAt;
};

/// One v1.ContainerStatus, reduced to what the printers and conditions read.
struct ContainerStatusInput {
  std::string name;
  bool isInit = false;
  bool isSidecar = false;  ///< init container with restartPolicy: Always
  ContainerState state = ContainerState::Waiting;
  std::string reason;  ///< waiting or terminated reason
  int exitCode = 0;    ///< when Terminated
  int signal = 0;      ///< when Terminated; CRI normally reports 0
  int restartCount = 0;
  bool ready = false;
  bool started = false;
  std::optional<LastTermination> lastTerminated;
};

struct PodStatusInput {
  PodPhase phase = PodPhase::Pending;
  std::string reason;  ///< status.reason, e.g. Evicted, DeadlineExceeded
  bool deleting = false;  ///< deletionTimestamp is set
  bool sandboxReady = false;
  std::optional<TimePoint> createdAt;
  /// In spec order; one entry per spec container (the kubelet always reports
  /// every container, defaulting to waiting PodInitializing/ContainerCreating).
  std::vector<ContainerStatusInput> initContainers;
  std::vector<ContainerStatusInput> containers;
};

/// Builds the input from the engine's state. `started` and `ready` follow
/// the published probe results in `state` (a container without a
/// startup/readiness probe is started/ready once running). Phase comes from
/// computePhase().
PodStatusInput makePodStatusInput(const PodState& state, const core::PodSpec& spec);

inline constexpr std::string_view kConditionPodReadyToStartContainers = "PodReadyToStartContainers";
inline constexpr std::string_view kConditionInitialized = "Initialized";
inline constexpr std::string_view kConditionReady = "Ready";
inline constexpr std::string_view kConditionContainersReady = "ContainersReady";
inline constexpr std::string_view kConditionPodScheduled = "PodScheduled";

struct PodCondition {
  std::string type;
  bool status = false;
  std::string reason;
  std::string message;
  friend bool operator==(const PodCondition&, const PodCondition&) = default;
};

/// In `kubectl describe` order: PodReadyToStartContainers, Initialized,
/// Ready, ContainersReady, PodScheduled. The pod has no readiness gates.
std::vector<PodCondition> computeConditions(const PodStatusInput& input);

struct KubectlRow {
  std::string ready;     ///< "1/2"
  std::string status;    ///< "Init:0/2", "CrashLoopBackOff", "Terminating", ...
  std::string restarts;  ///< "3" or "3 (15s ago)"
  std::string age;       ///< "5m2s", or "<unknown>" without createdAt
  friend bool operator==(const KubectlRow&, const KubectlRow&) = default;
};

/// kubectl 1.31 printPod: a deleted pod that already reached a terminal
/// phase prints its outcome, not Terminating.
KubectlRow kubectlColumns(const PodStatusInput& input, TimePoint now);

/// apimachinery duration.HumanDuration.
std::string humanDuration(Duration d);

/// The kubelet's Pulled event after a pull (image_manager.go): `Successfully
/// pulled image "busybox" in 1.2s (1.5s including waiting). Image size: N
/// bytes.`, the size left out when unknown (0), as older kubelets print it.
std::string pulledImageMessage(const std::string& image, Duration pulled, Duration includingWaiting,
                               std::int64_t size);

struct GetPodLine {
  std::string name;
  KubectlRow row;
};

/// `kubectl get pods` output: header plus one line per pod, each ending in
/// '\n', aligned as kubectl's tabwriter does (min width 6, padding 3).
std::string formatGetPods(const std::vector<GetPodLine>& lines);

}  // namespace podscope::engine
