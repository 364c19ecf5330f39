#pragma once
// The durable rollout history: every revision of every Deployment the user
// has run, kept in an SQLite file across runs so `podscope-cli rollout
// history|undo` and the GUI's History tab can list, show and roll back
// revisions as `kubectl rollout` does. What a change does to the history is
// decided by the pure functions of core/rollout_history.h; this class keeps
// the result on disk, one transaction per change. docs/history.md describes
// the file, its schema and its versions.
//
// Thread contract: every method may be called from any thread; an internal
// mutex serialises the calls on one store (one SQLite connection). Other
// stores on the same file — in this process or another, such as the CLI
// while the GUI runs — each have their own connection: SQLite's locks keep
// them consistent and a busy timeout makes a writer wait its turn.

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "core/rollout_history.h"

namespace podscope::core {

/// A template the caller has just applied to a Deployment.
struct AppliedTemplate {
  std::string templateYaml;  ///< canonical YAML of the pod template
  std::string templateHash;  ///< its pod-template-hash
  /// `kubernetes.io/change-cause` of the applied Deployment. Empty leaves a
  /// reused revision's own, as the controller copies only the annotations
  /// the Deployment has.
  std::string changeCause;
  std::vector<std::string> images;
  std::string manifestPath;  ///< where the Deployment came from; empty keeps the stored one
  int revisionHistoryLimit = kDefaultRevisionHistoryLimit;
  std::string recordRef;  ///< the run's record, for a new or renumbered revision
};

/// What record() did.
struct RecordResult {
  ApplyDecision decision;
  std::vector<std::int64_t> pruned;  ///< revisions deleted by revisionHistoryLimit, lowest first
  std::string message;               ///< describeApply's line
};

/// A Deployment the store knows.
struct DeploymentSummary {
  DeploymentKey key;
  std::string manifestPath;
  std::int64_t currentRevision = 0;
  int revisionHistoryLimit = kDefaultRevisionHistoryLimit;
  std::int64_t revisionCount = 0;
  std::int64_t updatedMs = 0;  ///< last change (UTC ms since the epoch)
  friend bool operator==(const DeploymentSummary&, const DeploymentSummary&) = default;
};

/// A Deployment and all its revisions, in number order.
struct DeploymentHistory {
  DeploymentSummary deployment;
  std::vector<Revision> revisions;
};

struct UndoOptions {
  bool paused = false;  ///< the Deployment is paused: undo is refused, as kubectl does
  /// The template the Deployment runs, when it is not its current revision's.
  std::optional<std::string> currentTemplateHash;
};

struct HistoryStoreOptions {
  /// How long a write waits for another connection's write to finish.
  int busyTimeoutMs = 5000;
  /// Wall-clock time, UTC ms since the epoch; unset reads the system clock.
  std::function<std::int64_t()> nowMs;
  /// Called inside every write transaction, after its changes and before
  /// COMMIT: the seam the crash test uses to be killed mid-write.
  std::function<void()> beforeCommit;
};

class HistoryStore {
 public:
  /// The schema this build writes (`PRAGMA user_version`); older files are
  /// migrated up to it, newer ones refused.
  static constexpr int kSchemaVersion = 1;
  /// `PRAGMA application_id` of a Podscope history ("PDSH").
  static constexpr std::int32_t kApplicationId = 0x50445348;

  /// $XDG_DATA_HOME/podscope/history.sqlite, else
  /// $HOME/.local/share/podscope/history.sqlite; empty when neither
  /// variable holds an absolute path.
  static std::string defaultPath();

  /// Opens the history at `path`, creating it (mode 0600, missing parent
  /// directories 0700) when it does not exist and migrating an older schema.
  /// Refuses, naming the file and leaving it as it is: a file that is not an
  /// SQLite database, one of another program, a corrupt one, and one
  /// written by a newer Podscope.
  static Result<HistoryStore> open(const std::string& path, HistoryStoreOptions options = {});

  HistoryStore(HistoryStore&&) noexcept;
  HistoryStore& operator=(HistoryStore&&) noexcept;
  ~HistoryStore();

  const std::string& path() const;

  /// Records a template applied to `key`: nothing new when it is the
  /// current revision's, the older revision renumbered when one had it,
  /// else a new revision; then prunes old revisions beyond the limit.
  Result<RecordResult> record(const DeploymentKey& key, const AppliedTemplate& applied);

  /// `kubectl rollout undo --to-revision=N` (0: the previous revision):
  /// the template to apply, or kubectl's error. Changes nothing: applying
  /// the plan's template and recording it renumbers the revision.
  Result<UndoPlan> undo(const DeploymentKey& key, std::int64_t toRevision, const UndoOptions& options = {});

  /// Sets how a revision's rollout went / which run record it has.
  Status setOutcome(const DeploymentKey& key, std::int64_t revision, RevisionOutcome outcome);
  Status setRecordRef(const DeploymentKey& key, std::int64_t revision, std::string_view recordRef);

  /// Every Deployment with a history, by namespace then name.
  Result<std::vector<DeploymentSummary>> listDeployments();
  /// A Deployment's history; nullopt when the store has none for it.
  Result<std::optional<DeploymentHistory>> history(const DeploymentKey& key);
  /// Forgets a Deployment and all its revisions; false when there was none.
  Result<bool> removeDeployment(const DeploymentKey& key);

  /// `PRAGMA integrity_check`'s answer: "ok", or SQLite's findings.
  Result<std::string> integrityCheck();

 private:
  struct Impl;
  explicit HistoryStore(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> m_impl;
};

}  // namespace podscope::core
