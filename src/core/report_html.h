#pragma once
// A run as one self-contained HTML file: inline CSS and SVG, no scripts, no
// network. Sections: summary (outcome, the `kubectl get pod` line, time to
// Initialized, to each container Started and to Ready, restarts and why),
// Why (explainRun), the timeline (timelineSvg), the events as kubectl
// describe shows them, the probe and hook attempts with their outputs, the
// manifest with its validation findings, and the environment. Everything
// taken from the record or the manifest is escaped; long outputs and long
// runs are cut with a note saying what was left out, so the file stays
// bounded. A print stylesheet lays it out for paper.
// Thread contract: free functions without shared state; safe from any thread.

#include <string>

#include "core/report_text.h"
#include "core/run_record.h"

namespace podscope::core {

std::string htmlReport(const RunRecord& record, const ReportInputs& inputs = {});

/// The manifest text as HTML: one line per `<span class="line">`, keys,
/// values, comments and document separators in spans of their own
/// (classes k, v, c, sep), everything escaped.
std::string highlightYaml(std::string_view text);

}  // namespace podscope::core
