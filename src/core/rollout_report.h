#pragma once
// Reports of a Deployment's rollout (a RolloutRecord), under the names of
// the pod reports so a caller holding either record can std::visit:
// htmlReport (one self-contained file: summary, Why, timeline, `kubectl
// rollout status`, the controllers' events, the conditions, the pods, the
// manifest with its findings, the environment), timelineSvg (a Deployment
// lane with its conditions and events, a lane per ReplicaSet with its counts
// over time, its pods beneath it), markdownReport (a summary to paste into
// an issue) and explainRollout (the Why facts). The summary and the pod
// table they share are public too. Everything rests on what the record
// holds: nothing is guessed (maxSurge, for one, is read from the new
// ReplicaSet's max-replicas annotation, and maxUnavailable, which no
// annotation holds, is not shown). Text from the record is escaped; sizes
// are bounded, however many replicas the rollout had.
// Thread contract: free functions without shared state; safe from any thread.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/report_explainer.h"
#include "core/report_svg.h"
#include "core/report_text.h"
#include "core/rollout_record.h"

namespace podscope::core {

/// How the rollout of the newest revision stood at the end of the record,
/// as `kubectl rollout status` would tell it.
enum class RolloutState { Complete, ProgressDeadlineExceeded, Paused, InProgress };
/// "Complete", "ProgressDeadlineExceeded", "Paused", "In progress".
std::string_view toString(RolloutState state);

/// One revision of the pod template, as its ReplicaSet carries it.
struct RolloutRevision {
  const ReplicaSetRecord* replicaSet = nullptr;
  /// "nginx=nginx:1.20.1" for each container, init containers first.
  std::vector<std::string> images;
};

/// The facts a rollout report opens with, read from the record alone.
struct RolloutSummary {
  RolloutState state = RolloutState::InProgress;
  /// `kubectl rollout status`'s last line, watching from `began`:
  /// `deployment "nginx" successfully rolled out`, `error: deployment
  /// "nginx" exceeded its progress deadline` or the last `Waiting for ...`.
  std::string rolloutStatus;
  RunTime end{0};                  ///< the record's last moment (rolloutEnd)
  std::optional<RunTime> deleted;  ///< when the Deployment was deleted
  /// How the record ended, as a sentence's start: "The Deployment was
  /// deleted at 24.000s", "The watch ended at 90.000s (watched for 1m30s)",
  /// "Succeeded at ...".
  std::string ending;
  /// The newest ReplicaSet (highest revision); null when none was made.
  const ReplicaSetRecord* newReplicaSet = nullptr;
  /// When the newest ReplicaSet was last scaled up from 0: the start of its
  /// rollout (its creation, or the rollback that brought it back).
  RunTime began{0};
  /// An older ReplicaSet had pods when the newest began: a rollout from one
  /// template to another rather than the Deployment's first.
  bool fromEarlier = false;
  std::int32_t desired = 0;  ///< spec.replicas, from the last status line
  /// The new ReplicaSet's max-replicas less its desired-replicas
  /// annotation: maxSurge as the controller resolved it.
  std::optional<std::int32_t> maxSurge;
  std::optional<RunTime> allAvailable;      ///< the new ReplicaSet first had all `desired` replicas available
  std::optional<RunTime> progressed;        ///< Progressing True, NewReplicaSetAvailable, for the new ReplicaSet
  std::optional<RunTime> deadlineExceeded;  ///< Progressing False, ProgressDeadlineExceeded, after `began`
  /// The older ReplicaSets' last pod was gone, each deleted by the
  /// replicaset controller (SuccessfulDelete) or gone before the
  /// Deployment's deletion; unset while one was left.
  std::optional<RunTime> oldPodsGone;
  std::int32_t peakReplicas = 0;     ///< most status.replicas from `began` on (Terminating pods not counted)
  std::int32_t peakPods = 0;         ///< most pods at once from `began` on, Terminating ones included
  std::int32_t lowestAvailable = 0;  ///< fewest available replicas from `began` on
  int restarts = 0;                  ///< container restarts across every pod
  int podsRestarted = 0;             ///< pods with at least one
  /// From `began` on: all replicas of the new ReplicaSet available,
  /// Progressing True (NewReplicaSetAvailable), Progressing False
  /// (ProgressDeadlineExceeded) when it happened, and the older
  /// ReplicaSets' last pod gone when there were older ones.
  std::vector<Milestone> milestones;
  RunTime tablesAt{0};  ///< when the tables below stand: the deletion, or the end
  /// Each ReplicaSet there then (the ones the deletion removed included),
  /// oldest first: its last sample, or zeros at its time when it had none.
  std::vector<ReplicaSetSample> replicaSetsAtEnd;
  std::string getDeployment;   ///< `kubectl get deployment` then
  std::string getReplicaSets;  ///< `kubectl get rs` then, from replicaSetsAtEnd
  std::vector<RolloutRevision> revisions;  ///< every ReplicaSet, by revision
};

/// The latest moment a rollout record speaks of, its pods' own records
/// included (placed on the rollout's axis).
RunTime rolloutEnd(const RolloutRecord& record);

RolloutSummary summarizeRollout(const RolloutRecord& record);

/// One pod of the rollout as the reports list it (times on the rollout's axis).
struct RolloutPodRow {
  const RolloutPod* pod = nullptr;
  std::optional<RunTime> firstReady;   ///< its Ready condition first True
  std::optional<RunTime> terminating;  ///< its STATUS first read Terminating: when it was deleted
  /// Its Ready condition was True at the end of its record, or, when it was
  /// deleted, just before (the deletion makes every pod unready).
  bool readyAtEnd = false;
  int restarts = 0;                    ///< of all its containers
  std::optional<PodStatusLine> last;   ///< its last `kubectl get pod` columns
  /// Worth showing first when not all can be: it was never Ready, it
  /// restarted, or it ended in a status other than Running, Completed or
  /// Terminating.
  bool notable = false;
};

/// Every pod, in order of creation.
std::vector<RolloutPodRow> rolloutPodRows(const RolloutRecord& record);

/// At most `limit` of `rows` (given in order of creation) when not all can
/// be shown: the notable ones first, then the first made; returned in
/// order of creation.
std::vector<const RolloutPodRow*> pickPodRows(const std::vector<const RolloutPodRow*>& rows, std::size_t limit);

/// The pod explainer's facts (explainRun) for one pod of the rollout, on
/// its own record's axis. A deleted pod is unready because of its
/// deletion; its Not ready facts tell how it stood just before it began
/// Terminating instead ("at the end" then meaning that moment).
std::vector<WhyFact> explainRolloutPod(const RolloutPodRow& row);

/// formatRolloutEvents, bounded to about `maxRows` rows: past that the
/// replicaset-controller's Normal events (a SuccessfulCreate and a
/// SuccessfulDelete per pod) are left out first, keeping the Deployment's
/// own and every Warning; if those are still too many, the first and last
/// maxRows / 2 of them stay. `note` says what was left out (empty when
/// nothing was).
struct RolloutEventsTable {
  std::string text;
  std::string note;
};
RolloutEventsTable boundedRolloutEvents(const RolloutRecord& record, std::size_t maxRows);

/// Why the rollout went as it did, in sentences from recorded facts with
/// their times: how the newest revision's rollout ended (completed, the
/// progress deadline with the condition's message and the last change
/// before it, paused, or not finished when the record ended) and the last
/// scaling step when it stalled (topic Rollout); which of the new
/// ReplicaSet's pods were not Ready at the end, with the pod explainer's
/// reason for one of them (NotReady); which pods restarted and why
/// (Restart); how the record ended (Outcome). Facts quoted from a pod's own
/// record keep that record's times, which count from the pod's creation
/// (the sentence says when that was); the fact's time is on the rollout's
/// axis.
std::vector<WhyFact> explainRollout(const RolloutRecord& record);

/// The HTML report (see report_html.h for its look): summary, Why,
/// timeline, rollout status, events, conditions, pods (a table of at most
/// inputs.maxPodRows, then a <details> for each of at most
/// inputs.maxPodDetails with its Why facts and events; a note says what
/// was left out), manifest, environment.
std::string htmlReport(const RolloutRecord& record, const ReportInputs& inputs = {});

/// The rollout's timeline as an SVG document (`standalone`: with its XML
/// prolog, for a .svg file): the Deployment lane (its status as bars, its
/// events as diamonds) with Progressing and Available bands; per
/// ReplicaSet a lane of its DESIRED, CURRENT and READY counts as step
/// graphs, then its pods (at most options.maxPodLanes, the rest summed up
/// in one lane), each a bar from creation to gone coloured by its STATUS,
/// with restart marks and its events; a time axis from the rollout's
/// start; a legend.
std::string timelineSvg(const RolloutRecord& record, const SvgOptions& options = {}, bool standalone = true);

/// A summary in Markdown for an issue: the outcome in `kubectl rollout
/// status` words, `kubectl get deployment` and `kubectl get rs`, the
/// revisions, the durations, the Why facts and the events in a fenced block.
std::string markdownReport(const RolloutRecord& record, const ReportInputs& inputs = {});

}  // namespace podscope::core
