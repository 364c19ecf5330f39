#pragma once
// A report as a PDF for print: its HTML laid out on A4 pages (PagedReport),
// with a running header, "Page N of M" footers and the inline drawings (the
// timeline) as vectors, so they stay sharp at any zoom.
// Thread contract: free functions without shared state; they need a
// QGuiApplication (fonts) and may run on any thread once it exists.

#include <QString>

#include <string_view>

#include "core/result.h"

namespace podscope::render {

/// The width, in CSS pixels, to draw a timeline at for a PDF: scaled to
/// the page's width its 11px words come out at about 7pt, still readable.
inline constexpr int kPdfTimelineWidth = 820;

/// What a PDF says about itself.
struct PdfOptions {
  /// The document's title, e.g. "pod/web"; its pages' running header says
  /// "TITLE · Podscope report".
  QString title;
  /// The program that made it, e.g. "Podscope 1.0": the PDF's creator, and
  /// the left of every page's footer.
  QString creator;
};

/// Writes `html` (a report from core/report_html.h, or any HTML of the same
/// vocabulary) to `path` as a paged A4 PDF, atomically: the file appears
/// whole or not at all. The error names the file.
core::Status writePdf(std::string_view html, const PdfOptions& options, const QString& path);

}  // namespace podscope::render
