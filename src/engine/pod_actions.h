#pragma once
// Decide, then do: computePodActions() is the pure half of a sync, in the
// shape of the kubelet's computePodActions(). The PodWorker carries out what
// it returns and records the result of every step.

#include <optional>
#include <vector>

#include "engine/backoff.h"
#include "engine/pod_state.h"

namespace podscope::engine {

struct ContainerRef {
  bool init = false;
  size_t index = 0;
  friend bool operator==(const ContainerRef&, const ContainerRef&) = default;
};

struct BackOffWait {
  ContainerRef container;
  Duration backoff{0};
  TimePoint readyAt{0};
};

struct KillAction {
  ContainerRef container;
  KillReason reason = KillReason::PodDeleted;
  friend bool operator==(const KillAction&, const KillAction&) = default;
};

struct PodActions {
  bool createSandbox = false;
  std::vector<ContainerRef> start;        ///< containers to (re)start now, in order
  std::vector<BackOffWait> backOff;       ///< containers waiting out CrashLoopBackOff
  std::vector<KillAction> kill;           ///< running containers to stop, and why
  bool removeSandbox = false;             ///< everything stopped: tear down
  bool podDone = false;                   ///< nothing more will run
  std::optional<TimePoint> resyncAt;      ///< sync again at this time
};

/// Back-off keys are per container name (one pod per worker).
PodActions computePodActions(const PodState& state, const Backoff& backoff, TimePoint now);

/// Whether an exited container must be restarted under the pod's policy.
bool shouldRestart(const PodState& state, const ContainerStatus& container);

/// The kubelet's backOffPeriod: a pod sync that failed is retried after it.
inline constexpr Duration kSyncRetryPeriod = std::chrono::seconds(10);

/// A container whose latest attempt was never created (CreateContainerError,
/// ErrImageNeverPull, ImageInspectError, ...): there is no exited instance
/// for the crash-loop back-off to apply to, so the kubelet keeps showing
/// the reason and retries with the failed sync, every kSyncRetryPeriod.
/// Pull failures have their own back-off (ImagePullBackOff).
bool retriedBySync(const ContainerStatus& container);

}  // namespace podscope::engine
