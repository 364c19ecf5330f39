#include "render/report_file.h"

#include "render/atomic_file.h"
#include "render/pdf_writer.h"
#include "render/svg_image.h"

namespace podscope::render {

int defaultTimelineWidth(core::ReportFormat format) {
  return format == core::ReportFormat::Pdf ? kPdfTimelineWidth : core::ReportInputs{}.timelineWidth;
}

core::Status writeDrawnReport(core::ReportRecord record, core::ReportFormat format, const QString& path,
                              const core::ReportInputs& inputs, double pngScale) {
  if (format == core::ReportFormat::Png) return writePng(core::reportText(record, format, inputs), pngScale, path);
  if (format != core::ReportFormat::Pdf) {
    return fileError(path, QStringLiteral("%1 is not a drawn format").arg(QString::fromUtf8(toString(format).data())));
  }
  PdfOptions pdf;
  pdf.title = QString::fromStdString(core::reportSubject(record));
  pdf.creator = inputs.podscopeVersion.empty() ? QStringLiteral("Podscope")
                                               : QStringLiteral("Podscope %1").arg(QString::fromStdString(inputs.podscopeVersion));
  return writePdf(core::reportText(record, format, inputs), pdf, path);
}

}  // namespace podscope::render
