#include "ui/report_export.h"

#include <QByteArray>
#include <QFile>
#include <QFileInfo>
#include <QImage>
#include <QPainter>
#include <QSaveFile>
#include <QSvgRenderer>

#include <fstream>
#include <string>

#include "core/file_text.h"
#include "core/report_html.h"
#include "core/report_markdown.h"
#include "core/report_svg.h"
#include "core/run_record_json.h"

#ifndef PODSCOPE_VERSION
#define PODSCOPE_VERSION "unknown"
#endif

namespace podscope::ui {

namespace {

core::Error fileError(const QString& path, const QString& what) {
  return core::Error{(path + QStringLiteral(": ") + what).toStdString(), {}, std::nullopt};
}

core::Status save(const QString& path, const QByteArray& bytes) {
  QSaveFile file(path);
  if (!file.open(QIODevice::WriteOnly)) return fileError(path, file.errorString());
  if (file.write(bytes) != bytes.size()) return fileError(path, file.errorString());
  if (!file.commit()) return fileError(path, file.errorString());
  return {};
}

QByteArray bytes(const std::string& text) { return QByteArray(text.data(), static_cast<qsizetype>(text.size())); }

}  // namespace

QString reportFileFilter() {
  return QObject::tr("HTML report (*.html);;Timeline as SVG (*.svg);;Timeline as PNG (*.png);;"
                     "Markdown summary (*.md);;Run record, JSON (*.json)");
}

core::Status writeReport(const core::RunRecord& record, const QString& path, const ReportSource& source) {
  const QString suffix = QFileInfo(path).suffix().toLower();
  core::ReportInputs inputs;
  inputs.manifestText = source.manifestText.toStdString();
  inputs.manifestFile = source.manifestFile.toStdString();
  inputs.podscopeVersion = PODSCOPE_VERSION;
  if (suffix == QLatin1String("html") || suffix == QLatin1String("htm")) {
    return save(path, bytes(core::htmlReport(record, inputs)));
  }
  if (suffix == QLatin1String("svg")) return save(path, bytes(core::timelineSvg(record)));
  if (suffix == QLatin1String("md") || suffix == QLatin1String("markdown")) {
    return save(path, bytes(core::markdownReport(record, inputs)));
  }
  if (suffix == QLatin1String("json")) return save(path, bytes(core::toJson(record)));
  if (suffix == QLatin1String("png")) {
    QSvgRenderer renderer(bytes(core::timelineSvg(record)));
    if (!renderer.isValid()) return fileError(path, QObject::tr("the timeline could not be drawn"));
    const double scale = source.pngScale > 0 ? source.pngScale : 1.0;
    const QSize size = (QSizeF(renderer.defaultSize()) * scale).toSize();
    QImage image(size, QImage::Format_ARGB32_Premultiplied);
    image.setDevicePixelRatio(scale);
    image.fill(Qt::white);
    QPainter painter(&image);
    renderer.render(&painter, QRectF(QPointF(0, 0), QSizeF(renderer.defaultSize())));
    painter.end();
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || !image.save(&file, "PNG") || !file.commit()) {
      return fileError(path, file.errorString());
    }
    return {};
  }
  return fileError(path, QObject::tr("unknown report format \"%1\" (use .html, .svg, .png, .md or .json)")
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
