#pragma once
// Running a Deployment from the command line: `podscope-cli run FILE` when
// the file's first runnable document is a Deployment, and the runs that
// `rollout undo` and `rollout restart` start.
//
// A run is a rollout from the template the Deployment ran before (its
// current revision in the history) to the one asked for: the earlier
// template's pods come up first, then the new template is applied and the
// controller rolls from one to the other, as a cluster would after
// `kubectl apply`. The run ends when that rollout completes or exceeds its
// progress deadline (or at --for, or on Ctrl-C); the pods are then deleted.
// RolloutRun is the engine side (no I/O but the runtime's); the rest opens
// the runtime, keeps the history and prints.
//
// Thread contract: RolloutRun::run() on the thread that becomes the engine
// thread; RolloutRun::interrupt() from any thread while it runs. The free
// functions are for the CLI's main thread.

#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "core/history_store.h"
#include "core/manifest.h"
#include "core/result.h"
#include "core/rollout_record.h"
#include "engine/clock.h"
#include "engine/deployment_controller.h"
#include "engine/runtime.h"

namespace podscope::cli {

// ---- Templates and the history ---------------------------------------------

/// The images of a template, init containers first, each once, as the
/// history lists them.
std::vector<std::string> templateImages(const core::PodTemplateSpec& podTemplate);

/// What the history records when `podTemplate` is applied to `deployment`.
core::AppliedTemplate appliedTemplate(const core::Deployment& deployment, const core::PodTemplateSpec& podTemplate,
                                      const std::string& manifestPath);

/// The history at `path`, else at HistoryStore::defaultPath(); the error
/// says how to name a file when there is no default.
core::Result<core::HistoryStore> openHistory(const std::string& path);

// ---- The rollout on a runtime ------------------------------------------------

/// What a run rolls out.
struct RolloutPlan {
  /// The Deployment to end with (its template is the one rolled out).
  core::Deployment target;
  /// The template the Deployment ran before, when it differs: started first.
  std::optional<core::PodTemplateSpec> earlier;
  /// The change-cause the Deployment had with the earlier template.
  std::string earlierChangeCause;
  /// Wait for the earlier template's rollout to complete before applying
  /// the target; when false (its last rollout did not complete), the target
  /// is applied as soon as the earlier template's pods exist.
  bool waitForEarlier = true;
};

/// How a run ended.
enum class RolloutEnd {
  Complete,                  ///< every replica updated and available
  ProgressDeadlineExceeded,  ///< Progressing turned False
  Stopped,                   ///< the watch limit (--for), or nothing left to happen
  Interrupted,               ///< asked to stop (Ctrl-C)
};

struct RolloutResult {
  core::RolloutRecord record;
  RolloutEnd end = RolloutEnd::Stopped;
  /// When the run ended, on the record's axis.
  core::RunTime endedAt{0};
  /// When the target template was applied (0 when the run started with it).
  core::RunTime targetSince{0};
  /// The controller's answer to applying the target, when it was applied.
  std::string applyAnswer;
  /// `kubectl get deployment` and `kubectl get rs` as they were at endedAt.
  std::string deploymentTable;
  std::string replicaSetTable;
};

/// One run of a RolloutPlan on a runtime.
class RolloutRun {
 public:
  struct Options {
    engine::DeploymentRunOptions deployment;
    /// Grace for deleting the pods at the end (unset: each pod's own).
    std::optional<engine::Duration> gracePeriod;
  };

  RolloutRun(RolloutPlan plan, engine::Runtime& runtime, engine::EventLoop& loop, Options options);

  /// Runs to the end (see the file comment) on the calling thread.
  RolloutResult run();

  /// Ends the run where it is and deletes the pods; from any thread.
  void interrupt();

 private:
  void check();
  void finish(RolloutEnd end);
  core::RunTime sinceStart() const;
  void snapshot();

  RolloutPlan m_plan;
  engine::Runtime& m_runtime;
  engine::EventLoop& m_loop;
  Options m_options;

  enum class Phase { Earlier, Target, Ending };
  Phase m_phase = Phase::Target;
  engine::DeploymentController* m_controller = nullptr;
  RolloutResult m_result;
  engine::TimePoint m_started{0};
  bool m_checkQueued = false;
  bool m_snapshotTaken = false;

  std::mutex m_mutex;  ///< guards m_running for interrupt()
  bool m_running = false;
};

// ---- The command line around it -------------------------------------------

/// The options `run`, `rollout undo` and `rollout restart` share.
struct DeploymentRunArgs {
  std::string runtime = "sim";
  std::string address = "/run/containerd/containerd.sock";
  std::string containerdNamespace = "podscope";
  std::string stateDir;
  std::string logDir;
  std::string scenario;
  std::string watchFor;
  std::string gracePeriod;
  std::string history;
  bool events = false;
  bool conditions = false;
  /// `--output json`: the rollout record (docs/record-format.md) alone on
  /// stdout; kubectl's answer goes to stderr and the rollout's status lines
  /// and tables are left out, as a pod's are.
  bool json = false;
  /// When set, the rollout record is handed here at the end instead of
  /// being printed, and stdout is left alone as with `json`: for `report
  /// --run`, which writes the record up itself.
  std::function<void(core::RolloutRecord)> takeRecord;
};

/// `podscope-cli run FILE` for a Deployment: records the file's template
/// in the history, rolls out from the current revision to it and prints
/// what happened. Returns the exit code (0 complete or stopped as asked,
/// 1 progress deadline exceeded, 2 bad input or no runtime).
int runDeploymentFile(const DeploymentRunArgs& args, const std::string& file, const core::Deployment& deployment);

/// The run `rollout undo` and `rollout restart` start once the history has
/// decided: rolls `plan` out, recording `applied` just before it starts and
/// the outcome after. `previousRevision`, when set, gets `previousOutcome`
/// once the new template is recorded. Prints as `run` does; `header` is
/// printed on stdout once the runtime is ready (kubectl's answer).
struct RecordedRollout {
  core::DeploymentKey key;
  core::AppliedTemplate applied;
  std::string header;
  std::optional<std::int64_t> previousRevision;
  core::RevisionOutcome previousOutcome = core::RevisionOutcome::RolledBack;
};
int runRecordedRollout(const DeploymentRunArgs& args, core::HistoryStore& store, const RolloutPlan& plan,
                       const RecordedRollout& recorded, const std::string& manifestPath);

}  // namespace podscope::cli
