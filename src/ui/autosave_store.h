#pragma once
// AutosaveStore: copies of unsaved buffers on disk, so a crash (of Podscope,
// the desktop or the machine) loses nothing that was typed.
//
// Each running window owns a session folder under the store's root,
// `<root>/<session>/`, with one `<id>.yaml` per unsaved buffer and a
// `<id>.json` saying which file it belongs to. A lock file held for the
// session's life tells a live session from one that ended without cleaning
// up: only the latter's copies are offered for recovery at the next start.

#include <QDateTime>
#include <QLockFile>
#include <QString>
#include <QStringList>

#include <memory>
#include <vector>

namespace podscope::ui {

/// One buffer left by a session that did not end cleanly.
struct RecoveredBuffer {
  QString id;
  QString text;
  QString originalPath;  ///< empty for a buffer never saved
  QString name;          ///< what its tab was called
  QDateTime savedAt;
  QString session;       ///< the folder it came from
};

/// Thread contract: GUI thread only.
class AutosaveStore {
 public:
  /// `root` empty: `<AppLocalDataLocation>/autosave`.
  explicit AutosaveStore(QString root = {});
  /// A clean end: removes this session's copies and its lock.
  ~AutosaveStore();
  AutosaveStore(const AutosaveStore&) = delete;
  AutosaveStore& operator=(const AutosaveStore&) = delete;

  /// False when the store's folder cannot be written; `problem` says why.
  bool isUsable() const { return m_usable; }
  const QString& problem() const { return m_problem; }
  const QString& root() const { return m_root; }

  /// Writes (replacing) the copy of one buffer. Written to a temporary
  /// file and renamed, so a crash mid-write leaves the previous copy.
  bool save(const QString& id, const QString& text, const QString& originalPath, const QString& name);
  /// Forgets a buffer (saved or closed).
  void discard(const QString& id);

  /// Buffers left by sessions that ended without cleaning up, newest first.
  std::vector<RecoveredBuffer> recoverable() const;
  /// Removes what recoverable() listed (after restoring or declining it).
  void forgetRecovered(const std::vector<RecoveredBuffer>& buffers);

 private:
  QString m_root;
  QString m_sessionDir;
  std::unique_ptr<QLockFile> m_lock;
  bool m_usable = false;
  QString m_problem;
};

}  // namespace podscope::ui
