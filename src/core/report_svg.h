#pragma once
// A run's timeline as one self-contained SVG document, drawn in the app's
// visual language (docs: the timeline's grammar): a pod lane with its phase
// and Initialized/ContainersReady/Ready bands; a lane per init container,
// sidecar and container (Waiting hatched grey, Running green and lighter
// before Started, Terminated blue for exit 0 and red otherwise); probe
// sub-lanes with a dot per attempt and threshold marks; hook spans; SIGTERM
// and SIGKILL arrows; restart rules with counts; event diamonds; a time axis
// in seconds from the pod's creation; a legend. Details are in <title>
// tooltips. All text from the record is escaped (see escapeXml), and
// attempts, events and marks closer together than a few pixels are drawn
// once, so the size depends on the width, not on the length of the run.
// Thread contract: free functions without shared state; safe from any thread.

#include <cstddef>
#include <string>

#include "core/run_record.h"

namespace podscope::core {

struct SvgOptions {
  int width = 1100;             ///< pixels, gutter included
  /// Probe dots of one result closer than this many pixels are drawn as
  /// one (whose tooltip counts them); failures never hide behind
  /// successes, and threshold marks are kept the same way.
  double dotSpacing = 3;
  /// Marks (events, signals, restarts) closer than this are drawn as one.
  double markSpacing = 4;
  std::size_t tooltipOutputBytes = 240;  ///< of a handler's output in a tooltip
  /// A rollout's timeline: pod lanes under each ReplicaSet; its other pods
  /// are summed up in one lane.
  std::size_t maxPodLanes = 24;
};

/// The SVG document (with `<?xml ...?>` prolog when `standalone`, ready to
/// be written to a .svg file; without it for inlining into HTML).
std::string timelineSvg(const RunRecord& record, const SvgOptions& options = {}, bool standalone = true);

}  // namespace podscope::core
