#include "ui/report_export.h"

#include <QFile>
#include <QFileInfo>

#include <algorithm>
#include <fstream>
#include <optional>
#include <string>

#include "core/file_text.h"
#include "core/rollout_record_json.h"
#include "core/run_record_json.h"
#include "render/atomic_file.h"
#include "render/report_file.h"

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

core::Status writeReport(core::ReportRecord record, const QString& path, const ReportSource& source) {
  const std::optional<core::ReportFormat> format = core::reportFormatOfFile(path.toStdString());
  if (!format) {
    const QString suffix = QFileInfo(path).suffix();
    return fileError(path, QObject::tr("unknown report format \"%1\" (%2)")
                               .arg(suffix.isEmpty() ? QObject::tr("no extension") : suffix,
                                    QString::fromUtf8(core::reportFormatHint().data())));
  }
  core::ReportInputs inputs;
  inputs.manifestText = source.manifestText.toStdString();
  inputs.manifestFile = source.manifestFile.toStdString();
  inputs.podscopeVersion = PODSCOPE_VERSION;
  inputs.timelineWidth = render::defaultTimelineWidth(*format);
  if (core::isDrawn(*format)) return render::writeDrawnReport(record, *format, path, inputs, source.pngScale);
  return save(path, core::reportText(record, *format, inputs));
}

core::Result<core::AnyRecord> readRecordFile(const QString& path) {
  std::ifstream in(QFile::encodeName(path).constData(), std::ios::binary);
  if (!in) return fileError(path, QObject::tr("cannot be read"));
  std::string text;
  const std::size_t cap = std::max(core::kMaxRunRecordJsonBytes, core::kMaxRolloutRecordJsonBytes);
  if (!core::readUpTo(in, cap, text)) return fileError(path, QObject::tr("cannot be read"));
  // One byte past the cap says it is too large; the reader words that.
  core::Result<core::AnyRecord> record = core::anyRecordFromJson(text);
  if (!record) return fileError(path, QString::fromStdString(record.error().message));
  return record;
}

bool looksLikeRecordFile(const QString& path) {
  if (QFileInfo(path).suffix().compare(QLatin1String("json"), Qt::CaseInsensitive) != 0) return false;
  QFile file(path);
  if (!file.open(QIODevice::ReadOnly)) return false;
  // Podscope writes "format" first; a hand-made record has it near the top.
  const QByteArray head = file.read(4096);
  return head.contains(QByteArray("\"") + QByteArray(core::kRunRecordFormat.data(), core::kRunRecordFormat.size()) + '"') ||
         head.contains(QByteArray("\"") +
                       QByteArray(core::kRolloutRecordFormat.data(), core::kRolloutRecordFormat.size()) + '"');
}

}  // namespace podscope::ui
