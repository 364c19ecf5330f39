#include "render/pdf_writer.h"

#include <QPageLayout>
#include <QPainter>
#include <QPdfWriter>

#include "render/atomic_file.h"
#include "render/paged_report.h"

namespace podscope::render {

core::Status writePdf(std::string_view html, const PdfOptions& options, const QString& path) {
  return saveAtomically(path, [&](QIODevice& device, QString& why) {
    QPdfWriter writer(&device);
    writer.setTitle(options.title);
    writer.setCreator(options.creator);
    // The pages are drawn whole (header and footer included), from the
    // paper's corner.
    writer.setPageLayout(
        QPageLayout(QPageSize(QPageSize::A4), QPageLayout::Portrait, QMarginsF(0, 0, 0, 0), QPageLayout::Millimeter));
    PageSetup setup;
    setup.paper = QPageSize(QPageSize::A4);
    setup.header = options.title.isEmpty() ? QStringLiteral("Podscope report")
                                           : options.title + QStringLiteral(" · Podscope report");
    setup.footer = options.creator;
    const PagedReport report(html, setup, writer);
    QPainter painter;
    if (!painter.begin(&writer)) {
      why = QStringLiteral("the PDF could not be started");
      return false;
    }
    for (int page = 0; page < report.pageCount(); ++page) {
      if (page > 0 && !writer.newPage()) {
        why = QStringLiteral("page %1 could not be added").arg(page + 1);
        return false;
      }
      report.paintPage(painter, page);
    }
    if (!painter.end()) {
      why = QStringLiteral("the PDF could not be finished");
      return false;
    }
    return true;
  });
}

}  // namespace podscope::render
