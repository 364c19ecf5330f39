#include "ui/report_export.h"

#include <QFile>
#include <QFileInfo>

#include <fstream>
#include <string>

#include "core/file_text.h"
#include "core/report_html.h"
#include "core/report_markdown.h"
#include "core/report_svg.h"
#include "core/run_record_json.h"
#include "render/atomic_file.h"
#include "render/pdf_writer.h"
#include "render/svg_image.h"

#ifndef PODSCOPE_VERSION
#define PODSCOPE_VERSION "unknown"
#endif

namespace podscope::ui {

namespace {

core::Error fileError(const QString& path, const QString& what) { return render::fileError(path, what); }

core::Status save(const QString& path, const std::string& text) {
  return render::saveAtomically(path, [&text](QIODevice& device, QString&) {
    return device.write(text.data(), static_cast<qint64>(text.size())) == static_cast<qint64>(text.size());
  });
}

}  // namespace

QString reportFileFilter() {
  return QObject::tr("HTML report (*.html);;PDF report, for print (*.pdf);;Timeline as SVG (*.svg);;"
                     "Timeline as PNG (*.png);;Markdown summary (*.md);;Run record, JSON (*.json)");
}

core::Status writeReport(const core::RunRecord& record, const QString& path, const ReportSource& source) {
  const QString suffix = QFileInfo(path).suffix().toLower();
  core::ReportInputs inputs;
  inputs.manifestText = source.manifestText.toStdString();
  inputs.manifestFile = source.manifestFile.toStdString();
  inputs.podscopeVersion = PODSCOPE_VERSION;
  if (suffix == QLatin1String("html") || suffix == QLatin1String("htm")) {
    return save(path, core::htmlReport(record, inputs));
  }
  if (suffix == QLatin1String("svg")) return save(path, core::timelineSvg(record));
  if (suffix == QLatin1String("md") || suffix == QLatin1String("markdown")) {
    return save(path, core::markdownReport(record, inputs));
  }
  if (suffix == QLatin1String("json")) return save(path, core::toJson(record));
  if (suffix == QLatin1String("pdf")) {
    // A timeline narrower than the screen's, so its words stay readable
    // once it is scaled to the page.
    inputs.timelineWidth = render::kPdfTimelineWidth;
    render::PdfOptions pdf;
    pdf.title = QStringLiteral("pod/%1").arg(QString::fromStdString(record.podName));
    pdf.creator = QStringLiteral("Podscope " PODSCOPE_VERSION);
    return render::writePdf(core::htmlReport(record, inputs), pdf, path);
  }
  if (suffix == QLatin1String("png")) return render::writePng(core::timelineSvg(record), source.pngScale, path);
  return fileError(path, QObject::tr("unknown report format \"%1\" (use .html, .pdf, .svg, .png, .md or .json)")
                             .arg(suffix.isEmpty() ? QObject::tr("no extension") : suffix));
}

core::Result<core::RunRecord> readRecordFile(const QString& path) {
  std::ifstream in(QFile::encodeName(path).constData(), std::ios::binary);
  if (!in) return fileError(path, QObject::tr("cannot be read"));
  std::string text;
  if (!core::readUpTo(in, core::kMaxRunRecordJsonBytes, text)) return fileError(path, QObject::tr("cannot be read"));
  // One byte past the cap says it is too large; the reader words that.
  core::Result<core::RunRecord> record = core::runRecordFromJson(text);
  if (!record) return fileError(path, QString::fromStdString(record.error().message));
  return record;
}

}  // namespace podscope::ui
