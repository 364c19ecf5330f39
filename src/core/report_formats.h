#pragma once
// The report formats in one place: which there are, which one a file name
// asks for, and the document of each for a record of either kind (a pod's
// run or a Deployment's rollout). The desktop's Export Report and
// podscope-cli report both go through here, so they write the same files.
// PNG and PDF are drawn from the SVG and the HTML this gives, by
// render/report_file.h, which needs Qt's GUI module.
// Thread contract: free functions without shared state; safe from any thread.

#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "core/report_text.h"
#include "core/rollout_record.h"
#include "core/run_record.h"

namespace podscope::core {

enum class ReportFormat { Html, Pdf, Svg, Png, Markdown, Json };

/// Its usual extension, without the dot: "html", "pdf", "svg", "png", "md", "json".
std::string_view toString(ReportFormat format);

/// The format a name stands for, as --format takes it or a file's
/// extension gives it, ignoring case: html (or htm), pdf, svg, png, md (or
/// markdown), json.
std::optional<ReportFormat> reportFormatNamed(std::string_view name);

/// The format `path`'s extension names; none without a known one.
std::optional<ReportFormat> reportFormatOfFile(std::string_view path);

/// "use .html, .pdf, .svg, .png, .md or .json": what to say after a name
/// that gave no format.
std::string_view reportFormatHint();

/// PNG and PDF are drawn (render/report_file.h); the rest are text.
bool isDrawn(ReportFormat format);

/// The record a report is about, of either kind; never null.
using ReportRecord = std::variant<const RunRecord*, const RolloutRecord*>;

/// "pod/web" or "deployment/nginx".
std::string reportSubject(ReportRecord record);

/// How the run or the rollout ended.
RunOutcome reportOutcome(ReportRecord record);

/// The document of a text format: the HTML report, the timeline's SVG (at
/// inputs.timelineWidth), the Markdown summary or the record's JSON. For
/// PDF, the HTML it lays out; for PNG, the SVG it draws.
std::string reportText(ReportRecord record, ReportFormat format, const ReportInputs& inputs);

}  // namespace podscope::core
