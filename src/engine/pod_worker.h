#pragma once
// PodWorker: runs one pod the way the kubelet's pod worker does. Each sync
// asks computePodActions() (pure) what to do, then does it through the
// Runtime and records every transition and event in the RunRecord.
//
// Thread contract: engine thread only (the thread running the EventLoop).

#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "core/manifest.h"
#include "core/run_record.h"
#include "engine/clock.h"
#include "engine/runtime.h"

namespace podscope::engine {

struct RunOptions {
  /// Delete the pod gracefully this long after it was created, as a run
  /// limit (outcome Stopped); zero lets it run until it ends by itself.
  Duration stopAfter{0};
  /// Delete the pod gracefully this long after it was created, as asked
  /// (`--delete-after`; outcome Deleted); zero never does.
  Duration deleteAfter{0};
  /// Watch the pod this long, then end the run where it is (`--for`;
  /// outcome Stopped): the record ends there and whatever still runs is
  /// removed without being recorded. Zero watches until the pod ends.
  Duration runFor{0};
  /// Grace period for that deletion, like `kubectl delete --grace-period`;
  /// unset uses spec.terminationGracePeriodSeconds.
  std::optional<Duration> gracePeriod;
  /// Directory for per-container, per-attempt log files; empty keeps none.
  std::string logDir;
  /// The pod's UID; generated from the name when empty.
  std::string podUid;
  /// The node name used in events ("Successfully assigned ns/pod to NODE").
  std::string nodeName = "podscope";
};

class PodWorker {
 public:
  PodWorker(core::Pod pod, Runtime& runtime, EventLoop& loop, core::RunRecord& record,
            RunOptions options = {});
  ~PodWorker();
  PodWorker(const PodWorker&) = delete;
  PodWorker& operator=(const PodWorker&) = delete;

  /// Admits the pod and starts syncing.
  void start();
  /// Deletes the pod gracefully (`kubectl delete pod`); `grace` overrides
  /// the pod's terminationGracePeriodSeconds.
  void requestDelete(std::optional<Duration> grace = std::nullopt);
  /// True once the pod reached its end and its sandbox is gone.
  bool finished() const;

  /// Called once, on the engine thread, when finished() becomes true.
  std::function<void()> onFinished;

 private:
  class Impl;
  std::unique_ptr<Impl> m_impl;
};

/// Lets another thread (a GUI's, a signal handler's) ask a runPod() in
/// progress to delete its pod. Thread contract: requestDelete() from any thread.
class RunControl {
 public:
  /// Deletes the pod gracefully; before the run starts, it is remembered.
  void requestDelete(std::optional<Duration> grace = std::nullopt);

 private:
  friend core::RunRecord runPod(const core::Pod&, Runtime&, EventLoop&, const RunOptions&, core::RecordObserver,
                                RunControl*);
  void attach(EventLoop* loop, PodWorker* worker);

  std::mutex m_mutex;
  EventLoop* m_loop = nullptr;
  PodWorker* m_worker = nullptr;
  bool m_pending = false;
  std::optional<Duration> m_pendingGrace;
};

/// A random version 4 UUID, as the API server gives each pod it creates: a
/// run on a real runtime takes one, so its logs have a folder of their own.
std::string newPodUid();

/// Runs `pod` on `loop` until the pod is finished, on the calling thread
/// (which becomes the engine thread), and returns what was recorded.
/// `observer` hears each entry as it is recorded (engine thread); the
/// returned record has no observer left.
core::RunRecord runPod(const core::Pod& pod, Runtime& runtime, EventLoop& loop,
                       const RunOptions& options = {},
                       core::RecordObserver observer = {},
                       RunControl* control = nullptr);

}  // namespace podscope::engine
