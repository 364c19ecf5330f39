#pragma once
// What every report of a run shares: text from a record made safe for XML
// and HTML, bounded excerpts, the `kubectl get pod` line, the containers of
// a run in timeline order, and the milestones of a run (Initialized, each
// container Started, Ready). Only the record is read; no Qt.
// Thread contract: free functions without shared state; safe from any thread.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/run_record.h"

namespace podscope::core {

/// What a report shows besides the record, and its bounds.
struct ReportInputs {
  std::string manifestText;     ///< the manifest that ran; empty when not known
  std::string manifestFile;     ///< its file name, for headings and findings
  std::string podscopeVersion;  ///< e.g. "0.9.0"
  int timelineWidth = 1100;     ///< of the SVG, in pixels
  std::size_t outputBytes = 2000;       ///< of one attempt's output in the tables
  std::size_t maxAttemptRows = 1000;    ///< rows of the probe and hook table
  std::size_t maxManifestBytes = 256 * 1024;
  std::size_t maxEventRows = 500;  ///< a rollout's events table
  std::size_t maxStatusLines = 200;  ///< a rollout's `kubectl rollout status` lines
  std::size_t maxPodRows = 500;    ///< a rollout's pod table
  std::size_t maxPodDetails = 20;  ///< a rollout's pods told in full (Why and events)
};

/// `text` for XML 1.0 and HTML, in element content and in quoted attribute
/// values: `&`, `<`, `>`, `"` and `'` become references; control
/// characters that XML 1.0 does not allow (all below U+0020 but tab, line
/// feed and carriage return) become their Control Pictures symbol (U+2400
/// and on, so ESC shows as "␛"), and bytes that are not UTF-8 become U+FFFD.
std::string escapeXml(std::string_view text);

/// At most `maxBytes` of `text`, cut at a UTF-8 character boundary, and how
/// many bytes were left off.
struct Excerpt {
  std::string text;
  std::size_t omittedBytes = 0;
};
Excerpt excerpt(std::string_view text, std::size_t maxBytes);

/// kubectl's aligned `get pod` table for the last status line of the
/// record: the header `NAME READY STATUS RESTARTS AGE` and one row, each
/// line ending in '\n'. Empty when the record has no status line.
std::string formatGetPodLine(const RunRecord& record);

/// A container of the run, as the timeline groups them.
struct RunContainer {
  SubjectKind kind = SubjectKind::Container;
  std::string name;
  /// An init container that kept running beside the others: it had probes
  /// or hooks, ran while a regular container started, or was started again
  /// after exiting 0. The record does not say restartPolicy, so this is read
  /// from what happened.
  bool sidecar = false;
};

/// The containers named in the record: init containers and sidecars in the
/// order they first appear, then the regular containers in that order.
std::vector<RunContainer> runContainers(const RunRecord& record);

/// A moment worth a line in a summary: when the pod became Initialized, a
/// container first Started, the pod first Ready.
struct Milestone {
  std::string what;  ///< "Initialized", "web Started", "Ready"
  std::optional<RunTime> at;  ///< unset: it never happened in this run
};
std::vector<Milestone> runMilestones(const RunRecord& record);

/// How many times each container was started again, in runContainers()
/// order (containers that never restarted included, with 0).
struct RestartCount {
  RunContainer container;
  int restarts = 0;
};
std::vector<RestartCount> restartCounts(const RunRecord& record);

/// The field path an event names for a container: `spec.containers{name}`
/// or `spec.initContainers{name}`.
std::string containerFieldPath(SubjectKind kind, std::string_view name);

/// "SIGTERM" for 15 and so on; the number as text for signals without a
/// well-known name.
std::string signalName(int number);

}  // namespace podscope::core
