#pragma once
// A Deployment's rollout history as kubectl sees it: the revisions, how an
// applied template changes them (a new revision, an old one renumbered, or
// nothing), what `kubectl rollout undo` picks, and the text of `kubectl
// rollout history` and `undo`. Everything here is pure: HistoryStore keeps
// the revisions on disk and asks these functions what to do; the CLI and
// the GUI print with them. The rules are those of the Deployment controller
// (deployment_util.go, sync.go) and kubectl (history.go, rollback.go);
// docs/history.md says which and where Podscope differs.
// Thread contract: plain values and pure functions, safe from any thread.

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace podscope::core {

/// A Deployment is known by its namespace and name, as in a cluster.
struct DeploymentKey {
  std::string ns;
  std::string name;
  friend bool operator==(const DeploymentKey&, const DeploymentKey&) = default;
};

/// How the rollout of one revision went, as far as Podscope saw it.
enum class RevisionOutcome {
  Progressing,               ///< being rolled out (or the run ended before anyone said otherwise)
  Complete,                  ///< every replica updated and available
  ProgressDeadlineExceeded,  ///< Progressing went False: no progress for progressDeadlineSeconds
  RolledBack,                ///< the user rolled back away from it while it was current
  Stopped,                   ///< the run was stopped (deleted) while this revision was current
};
std::string_view toString(RevisionOutcome outcome);
/// The outcome whose toString() is `text`; nullopt for any other text.
std::optional<RevisionOutcome> revisionOutcomeFromString(std::string_view text);

/// One revision: a pod template the Deployment ran, under its current number.
struct Revision {
  std::int64_t number = 0;
  std::string templateYaml;  ///< the pod template, canonical YAML
  std::string templateHash;  ///< the pod-template-hash the caller computed
  std::string changeCause;   ///< `kubernetes.io/change-cause`; empty when unset
  std::vector<std::string> images;  ///< the containers' images, in template order
  /// Numbers this template had before (oldest first), as the ReplicaSet's
  /// `deployment.kubernetes.io/revision-history` annotation.
  std::vector<std::int64_t> revisionHistory;
  std::int64_t createdMs = 0;   ///< when the template was first applied (UTC, ms since the epoch)
  std::int64_t numberedMs = 0;  ///< when it got its current number (== createdMs unless renumbered)
  RevisionOutcome outcome = RevisionOutcome::Progressing;
  std::string recordRef;  ///< the run's record (a path or id); empty when none
  friend bool operator==(const Revision&, const Revision&) = default;
};

/// The controller's `revisionHistoryLimit` default (apps/v1).
inline constexpr int kDefaultRevisionHistoryLimit = 10;

/// The longest `revision-history` text the controller keeps, in characters
/// (its maxRevHistoryLengthInChars); the oldest numbers go first.
inline constexpr std::size_t kMaxRevisionHistoryChars = 2000;

/// `numbers` joined with commas, as the annotation holds them.
std::string joinRevisionHistory(std::span<const std::int64_t> numbers);
/// The numbers of a `revision-history` text; nullopt when it is not a
/// comma-separated list of positive numbers (an empty text is an empty list).
std::optional<std::vector<std::int64_t>> parseRevisionHistory(std::string_view text);
/// `history` with `number` appended, dropping the oldest entries while the
/// joined text would be longer than kMaxRevisionHistoryChars.
std::vector<std::int64_t> appendRevisionHistory(std::vector<std::int64_t> history, std::int64_t number);

// --- Applying a template -----------------------------------------------------

/// What applying a template does to the history, decided before anything is
/// written (see decideApply).
struct ApplyDecision {
  enum class Kind {
    Unchanged,  ///< the template is the current revision's: no new revision
    Renumbered, ///< an older revision had it: that one becomes max+1
    Created,    ///< a template not seen before: a new revision max+1
  };
  Kind kind = Kind::Created;
  /// The revision that is current afterwards.
  std::int64_t number = 0;
  /// Renumbered: the number the revision had before.
  std::int64_t previousNumber = 0;
  friend bool operator==(const ApplyDecision&, const ApplyDecision&) = default;
};

/// What applying a template with `templateHash` does, given the
/// Deployment's revisions (any order) and its current revision (0 when it
/// has none). The new number is the highest number among the other
/// revisions plus one, as the controller numbers a new ReplicaSet from the
/// old ones.
ApplyDecision decideApply(std::span<const Revision> revisions, std::int64_t currentRevision,
                          std::string_view templateHash);

/// The revisions to delete so that at most `limit` revisions besides
/// `currentRevision` remain: the lowest numbers first, never the current
/// one. A negative limit is taken as 0.
std::vector<std::int64_t> revisionsToPrune(std::span<const Revision> revisions, std::int64_t currentRevision,
                                           int limit);

// --- kubectl rollout undo ----------------------------------------------------

/// What `kubectl rollout undo` does: roll back to a revision's template, or
/// skip because the Deployment already runs it.
struct UndoPlan {
  enum class Kind { RollBack, Skip };
  Kind kind = Kind::RollBack;
  /// The revision selected (its number in the history).
  std::int64_t revision = 0;
  /// Its template, change-cause and images: what to apply to roll back.
  std::string templateYaml;
  std::string templateHash;
  std::string changeCause;
  std::vector<std::string> images;
  /// kubectl's line: `deployment.apps/<d> rolled back`, or
  /// `deployment.apps/<d> skipped rollback (current template already matches revision <N>)`.
  std::string message;
};

/// kubectl rollout undo's choice, with its errors (messages without
/// kubectl's `error: ` prefix, see kubectlErrorLine):
/// - toRevision 0 selects the second-highest revision, else exactly
///   toRevision: `unable to find specified revision <N> in history`, or
///   with no earlier revision `no rollout history found for deployment "<d>"`;
/// - a paused Deployment: `you cannot rollback a paused deployment; resume it
///   first with 'kubectl rollout resume' and try again`;
/// - a selected template that is already `currentTemplateHash`: Skip, whose
///   message names toRevision as given (so 0 for the default, as kubectl).
Result<UndoPlan> planUndo(std::string_view deploymentName, std::span<const Revision> revisions,
                          std::string_view currentTemplateHash, std::int64_t toRevision, bool paused);

// --- Text --------------------------------------------------------------------

/// `deployment.apps/<name>`, the way kubectl names a Deployment in its output.
std::string deploymentRef(std::string_view name);

/// kubectl's line for a failed command: `error: <message>`.
std::string kubectlErrorLine(std::string_view message);

/// `kubectl rollout history deployment/<name>`: the header line (kubectl
/// ends it with a space), `REVISION  CHANGE-CAUSE`, a line per revision in
/// number order with its change-cause or `<none>`, and a blank line; with no
/// revisions `No rollout history found.` instead of the table.
std::string formatRolloutHistory(std::string_view deploymentName, std::span<const Revision> revisions);

/// `kubectl rollout history deployment/<name> --revision=N`:
/// `deployment.apps/<name> with revision #N`, then the pod template (as its
/// canonical YAML, where kubectl describes it) and a blank line. Errors as
/// kubectl: `unable to find the specified revision`, and with no revisions
/// at all the text `No rollout history found.` (not an error).
Result<std::string> formatRolloutHistoryRevision(std::string_view deploymentName,
                                                 std::span<const Revision> revisions, std::int64_t revision);

/// What recording an applied template did, in a line for people.
std::string describeApply(std::string_view deploymentName, const ApplyDecision& decision);

/// One row of the richer listing the GUI's History tab (and `--wide`) shows.
struct RevisionRow {
  std::int64_t number = 0;
  std::string changeCause;  ///< `<none>` when unset
  std::string age;          ///< kubectl's compact age since the revision got its number
  std::string images;       ///< the images joined with ","
  RevisionOutcome outcome = RevisionOutcome::Progressing;
  bool current = false;
  friend bool operator==(const RevisionRow&, const RevisionRow&) = default;
};

/// The rows in number order, ages as at `nowMs` (UTC ms since the epoch).
std::vector<RevisionRow> revisionRows(std::span<const Revision> revisions, std::int64_t currentRevision,
                                      std::int64_t nowMs);

/// The rows as an aligned table: REVISION CHANGE-CAUSE AGE IMAGES OUTCOME,
/// the current revision's number marked with `*`. Columns are aligned by
/// code points and separated by at least two spaces; no trailing spaces.
std::string formatRevisionTable(std::span<const RevisionRow> rows);

}  // namespace podscope::core
