#include "ui/report_export.h"

#include <QByteArray>
#include <QFile>
#include <QFileInfo>
#include <QImage>
#include <QPageLayout>
#include <QPageSize>
#include <QPainter>
#include <QPdfWriter>
#include <QRegularExpression>
#include <QTextDocument>
#include <QUrl>
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

/// The timeline's SVG drawn into an image `scale` times its size.
QImage timelineImage(const core::RunRecord& record, double scale) {
  QSvgRenderer renderer(bytes(core::timelineSvg(record)));
  if (!renderer.isValid()) return {};
  const QSize size = (QSizeF(renderer.defaultSize()) * scale).toSize();
  QImage image(size, QImage::Format_ARGB32_Premultiplied);
  image.setDevicePixelRatio(scale);
  image.fill(Qt::white);
  QPainter painter(&image);
  renderer.render(&painter, QRectF(QPointF(0, 0), QSizeF(renderer.defaultSize())));
  return image;
}

/// The HTML report as a paged PDF on A4: Qt's rich text lays the report
/// out and breaks it into pages. Rich text draws no SVG, so the timeline
/// goes in as a sharp image of it; and it knows less CSS than a browser, so
/// the spacing the stylesheet gives is written out, and outputs in tables
/// become wrapping text instead of preformatted blocks that would starve
/// the other columns.
core::Status writePdf(const core::RunRecord& record, const QString& path, const core::ReportInputs& inputs) {
  QString html = QString::fromStdString(core::htmlReport(record, inputs));
  QTextDocument document;
  const qsizetype svgStart = html.indexOf(QLatin1String("<svg"));
  const qsizetype svgEnd = svgStart < 0 ? -1 : html.indexOf(QLatin1String("</svg>"), svgStart);
  const QImage timeline = timelineImage(record, 3.0);
  if (svgStart >= 0 && svgEnd > svgStart && !timeline.isNull()) {
    const QUrl name(QStringLiteral("podscope:timeline.png"));
    document.addResource(QTextDocument::ImageResource, name, timeline);
    html.replace(svgStart, svgEnd + 6 - svgStart,
                 QStringLiteral("<img src=\"%1\" width=\"500\">").arg(name.toString()));
  }
  html.replace(QStringLiteral("<span class=\"badge"), QStringLiteral("&nbsp;&nbsp;<span class=\"badge"));
  html.replace(QStringLiteral("</a><a "), QStringLiteral("</a> \u00b7 <a "));
  html.replace(QStringLiteral("</time>"), QStringLiteral("</time>&nbsp;&nbsp;"));
  html.replace(QStringLiteral("<table"), QStringLiteral("<table width=\"100%\" cellpadding=\"3\" cellspacing=\"0\""));
  static const QRegularExpression tableOutput(QStringLiteral("<pre class=\"out\">(.*?)</pre>"),
                                              QRegularExpression::DotMatchesEverythingOption);
  for (QRegularExpressionMatch m = tableOutput.match(html); m.hasMatch(); m = tableOutput.match(html, m.capturedStart())) {
    QString text = m.captured(1);
    text.replace(QLatin1Char('\n'), QStringLiteral("<br>"));
    html.replace(m.capturedStart(), m.capturedLength(), QStringLiteral("<code>%1</code>").arg(text));
  }

  QSaveFile file(path);
  if (!file.open(QIODevice::WriteOnly)) return fileError(path, file.errorString());
  {
    QPdfWriter writer(&file);
    writer.setTitle(QStringLiteral("pod/%1").arg(QString::fromStdString(record.podName)));
    writer.setCreator(QStringLiteral("Podscope " PODSCOPE_VERSION));
    writer.setPageLayout(QPageLayout(QPageSize(QPageSize::A4), QPageLayout::Portrait, QMarginsF(15, 15, 15, 15),
                                     QPageLayout::Millimeter));
    document.setDefaultStyleSheet(
        QStringLiteral("body { font-size: 9pt; } pre, code { font-size: 8pt; } pre { white-space: pre-wrap; }"));
    document.setHtml(html);
    document.print(&writer);
  }
  if (!file.commit()) return fileError(path, file.errorString());
  return {};
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
    return save(path, bytes(core::htmlReport(record, inputs)));
  }
  if (suffix == QLatin1String("svg")) return save(path, bytes(core::timelineSvg(record)));
  if (suffix == QLatin1String("md") || suffix == QLatin1String("markdown")) {
    return save(path, bytes(core::markdownReport(record, inputs)));
  }
  if (suffix == QLatin1String("json")) return save(path, bytes(core::toJson(record)));
  if (suffix == QLatin1String("pdf")) return writePdf(record, path, inputs);
  if (suffix == QLatin1String("png")) {
    const QImage image = timelineImage(record, source.pngScale > 0 ? source.pngScale : 1.0);
    if (image.isNull()) return fileError(path, QObject::tr("the timeline could not be drawn"));
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || !image.save(&file, "PNG") || !file.commit()) {
      return fileError(path, file.errorString());
    }
    return {};
  }
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
