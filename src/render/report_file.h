#pragma once
// The drawn report formats for a record of either kind: the timeline as a
// PNG at a scale, the whole report as a paged PDF. The text formats come
// from core/report_formats.h; the desktop's Export Report and podscope-cli
// report both write through the two, so their files are the same.
// Thread contract: free functions without shared state; they need a
// QGuiApplication (fonts) and may run on any thread once it exists.

#include <QString>

#include "core/report_formats.h"
#include "core/result.h"

namespace podscope::render {

/// The timeline's width, in pixels, for `format` unless the user chose one:
/// narrower in a PDF (kPdfTimelineWidth), so its words stay readable once
/// it is scaled to the page.
int defaultTimelineWidth(core::ReportFormat format);

/// Writes the PNG or PDF of `record` to `path`, atomically; `pngScale` is
/// for a PNG (kMinPngScale..kMaxPngScale). The PDF's title is the record's
/// subject ("pod/web", "deployment/nginx") and its creator Podscope and
/// inputs.podscopeVersion. The error names the file.
core::Status writeDrawnReport(core::ReportRecord record, core::ReportFormat format, const QString& path,
                              const core::ReportInputs& inputs, double pngScale);

}  // namespace podscope::render
