#include "render/atomic_file.h"

#include <QDir>
#include <QFileInfo>
#include <QSaveFile>

namespace podscope::render {

core::Error fileError(const QString& path, const QString& what) {
  // The path is in the message, which is what front ends show; `file` stays
  // empty so toString() does not say it twice.
  return core::Error{(path + QStringLiteral(": ") + what).toStdString(), {}, std::nullopt, core::ErrorKind::Io};
}

core::Status saveAtomically(const QString& path, const std::function<bool(QIODevice& device, QString& why)>& write) {
  const QFileInfo info(path);
  if (info.isDir()) return fileError(path, QStringLiteral("is a directory, not a file"));
  if (!info.absoluteDir().exists()) {
    return fileError(path, QStringLiteral("cannot be written: the folder %1 does not exist").arg(info.absolutePath()));
  }
  QSaveFile file(path);
  if (!file.open(QIODevice::WriteOnly)) {
    return fileError(path, QStringLiteral("cannot be written: %1").arg(file.errorString()));
  }
  QString why;
  if (!write(file, why)) {
    file.cancelWriting();
    return fileError(path, QStringLiteral("cannot be written: %1").arg(why.isEmpty() ? file.errorString() : why));
  }
  if (!file.commit()) return fileError(path, QStringLiteral("cannot be written: %1").arg(file.errorString()));
  return {};
}

}  // namespace podscope::render
