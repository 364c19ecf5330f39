#pragma once
// Writing a run up for others, and reading a saved run back: the desktop's
// side of the reports core writes (core/report_*.h) and of the run record's
// JSON (docs/record-format.md). The format follows the file's extension:
// .html, .svg, .md, .json, and, drawn by render/ as podscope-cli draws
// them, .png (the timeline at a scale) and .pdf (the report on A4 pages).
// Thread contract: GUI thread (drawing uses Qt's fonts and SVG renderer).

#include <QString>

#include "core/result.h"
#include "core/run_record.h"

namespace podscope::ui {

/// What goes into a report besides the record.
struct ReportSource {
  QString manifestText;  ///< the manifest that ran, for the report's manifest section
  QString manifestFile;  ///< its name
  double pngScale = 2.0; ///< device pixels per SVG pixel, for .png (render::kMinPngScale..kMaxPngScale)
};

/// The file-dialog filter of the formats writeReport() knows.
QString reportFileFilter();

/// Writes `record` to `path` in the format its extension names. The error
/// names the file and what went wrong; nothing is left half-written (the
/// report goes to a temporary file first).
core::Status writeReport(const core::RunRecord& record, const QString& path, const ReportSource& source);

/// Reads a run record saved as JSON (`podscope-cli run --output json`, or
/// an export); the error names the file and, for bad JSON, line and column.
core::Result<core::RunRecord> readRecordFile(const QString& path);

}  // namespace podscope::ui
