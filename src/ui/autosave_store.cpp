#include "ui/autosave_store.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>
#include <QStandardPaths>
#include <QUuid>

#include <algorithm>

namespace podscope::ui {

namespace {

constexpr char kLockName[] = "session.lock";

QString defaultRoot() {
  const QString base = QStandardPaths::writableLocation(QStandardPaths::AppLocalDataLocation);
  return base.isEmpty() ? QString() : base + QStringLiteral("/autosave");
}

bool writeAtomically(const QString& path, const QByteArray& bytes) {
  QSaveFile file(path);
  if (!file.open(QIODevice::WriteOnly)) return false;
  file.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner);
  if (file.write(bytes) != bytes.size()) {
    file.cancelWriting();
    return false;
  }
  return file.commit();
}

}  // namespace

AutosaveStore::AutosaveStore(QString root) : m_root(root.isEmpty() ? defaultRoot() : std::move(root)) {
  if (m_root.isEmpty()) {
    m_problem = QObject::tr("there is no folder for application data (HOME is not set)");
    return;
  }
  const QString session = QUuid::createUuid().toString(QUuid::WithoutBraces);
  m_sessionDir = m_root + QLatin1Char('/') + session;
  if (!QDir().mkpath(m_sessionDir)) {
    m_problem = QObject::tr("cannot create %1").arg(m_sessionDir);
    return;
  }
  // Unsaved manifests may hold secrets: only the user may read them.
  QFile::setPermissions(m_root, QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner);
  QFile::setPermissions(m_sessionDir, QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner);
  m_lock = std::make_unique<QLockFile>(m_sessionDir + QLatin1Char('/') + QLatin1String(kLockName));
  m_lock->setStaleLockTime(0);
  if (!m_lock->tryLock(0)) {
    m_problem = QObject::tr("cannot lock %1").arg(m_sessionDir);
    m_lock.reset();
    return;
  }
  m_usable = true;
}

AutosaveStore::~AutosaveStore() {
  if (!m_usable) return;
  m_lock->unlock();
  QDir(m_sessionDir).removeRecursively();
}

bool AutosaveStore::save(const QString& id, const QString& text, const QString& originalPath, const QString& name) {
  if (!m_usable || id.isEmpty()) return false;
  QJsonObject meta;
  meta.insert(QStringLiteral("originalPath"), originalPath);
  meta.insert(QStringLiteral("name"), name);
  meta.insert(QStringLiteral("savedAt"), QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs));
  const QString base = m_sessionDir + QLatin1Char('/') + id;
  // The text first: a copy whose description is missing is still found.
  return writeAtomically(base + QStringLiteral(".yaml"), text.toUtf8()) &&
         writeAtomically(base + QStringLiteral(".json"), QJsonDocument(meta).toJson(QJsonDocument::Compact));
}

void AutosaveStore::discard(const QString& id) {
  if (!m_usable || id.isEmpty()) return;
  const QString base = m_sessionDir + QLatin1Char('/') + id;
  QFile::remove(base + QStringLiteral(".yaml"));
  QFile::remove(base + QStringLiteral(".json"));
}

std::vector<RecoveredBuffer> AutosaveStore::recoverable() const {
  std::vector<RecoveredBuffer> out;
  if (m_root.isEmpty()) return out;
  const QDir root(m_root);
  for (const QFileInfo& session : root.entryInfoList(QDir::Dirs | QDir::NoDotAndDotDot)) {
    if (session.absoluteFilePath() == QFileInfo(m_sessionDir).absoluteFilePath()) continue;
    // A session whose lock is held is another window still open.
    QLockFile lock(session.absoluteFilePath() + QLatin1Char('/') + QLatin1String(kLockName));
    lock.setStaleLockTime(0);
    if (!lock.tryLock(0)) continue;
    lock.unlock();
    const QDir dir(session.absoluteFilePath());
    for (const QFileInfo& copy : dir.entryInfoList({QStringLiteral("*.yaml")}, QDir::Files)) {
      QFile text(copy.absoluteFilePath());
      if (!text.open(QIODevice::ReadOnly)) continue;
      RecoveredBuffer buffer;
      buffer.id = copy.completeBaseName();
      buffer.text = QString::fromUtf8(text.readAll());
      buffer.session = session.absoluteFilePath();
      buffer.savedAt = copy.lastModified();
      QFile metaFile(dir.filePath(buffer.id + QStringLiteral(".json")));
      if (metaFile.open(QIODevice::ReadOnly)) {
        const QJsonObject meta = QJsonDocument::fromJson(metaFile.readAll()).object();
        buffer.originalPath = meta.value(QStringLiteral("originalPath")).toString();
        buffer.name = meta.value(QStringLiteral("name")).toString();
        const QDateTime at = QDateTime::fromString(meta.value(QStringLiteral("savedAt")).toString(), Qt::ISODateWithMs);
        if (at.isValid()) buffer.savedAt = at;
      }
      if (buffer.name.isEmpty()) {
        buffer.name = buffer.originalPath.isEmpty() ? QStringLiteral("untitled.yaml")
                                                    : QFileInfo(buffer.originalPath).fileName();
      }
      out.push_back(std::move(buffer));
    }
  }
  std::sort(out.begin(), out.end(),
            [](const RecoveredBuffer& a, const RecoveredBuffer& b) { return a.savedAt > b.savedAt; });
  return out;
}

void AutosaveStore::forgetRecovered(const std::vector<RecoveredBuffer>& buffers) {
  QStringList sessions;
  for (const RecoveredBuffer& b : buffers) {
    QFile::remove(b.session + QLatin1Char('/') + b.id + QStringLiteral(".yaml"));
    QFile::remove(b.session + QLatin1Char('/') + b.id + QStringLiteral(".json"));
    if (!sessions.contains(b.session)) sessions << b.session;
  }
  for (const QString& session : sessions) {
    QDir dir(session);
    // Only once nothing of it is left: a copy that could not be read stays.
    if (dir.entryList({QStringLiteral("*.yaml")}, QDir::Files).isEmpty()) dir.removeRecursively();
  }
}

}  // namespace podscope::ui
