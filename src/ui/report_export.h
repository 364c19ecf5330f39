#pragma once
// Writing a run up for others, and reading a saved run back: the desktop's
// side of the reports (core/report_formats.h, render/report_file.h) and of
// the records' JSON (docs/record-format.md), for a pod's run and a
// Deployment's rollout alike. The format follows the file's extension:
// .html, .svg, .md, .json, and, drawn as podscope-cli draws them, .png (the
// timeline at a scale) and .pdf (the report on A4 pages).
// Thread contract: GUI thread (drawing uses Qt's fonts and SVG renderer).

#include <QString>

#include "core/record_json.h"
#include "core/report_formats.h"
#include "core/result.h"

namespace podscope::ui {

/// What goes into a report besides the record.
struct ReportSource {
  QString manifestText;  ///< the manifest that ran, for the report's manifest section
  QString manifestFile;  ///< its name
  double pngScale = 2.0; ///< device pixels per SVG pixel, for .png (render::kMinPngScale..kMaxPngScale)
};

/// The file-dialog filter of the formats writeReport() knows.
QString reportFileFilter();

/// Writes `record` (a pod's run or a rollout) to `path` in the format its
/// extension names. The error names the file and what went wrong; nothing
/// is left half-written (the report goes to a temporary file first).
core::Status writeReport(core::ReportRecord record, const QString& path, const ReportSource& source);

/// Reads a record saved as JSON, a pod's run or a Deployment's rollout
/// (`podscope-cli run --output json`, or an export); the error names the
/// file and, for bad JSON, line and column.
core::Result<core::AnyRecord> readRecordFile(const QString& path);

/// Whether `path` looks like a saved record rather than a manifest: a .json
/// file that names one of the record formats near its start. Opening such
/// a file (from the command line, a drop or File → Open) shows the run.
bool looksLikeRecordFile(const QString& path);

}  // namespace podscope::ui
