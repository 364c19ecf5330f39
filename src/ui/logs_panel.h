#pragma once
// LogsPanel: a container's log, one attempt (instance) at a time, read from
// the files a containerd run keeps (docs/logs.md, core/log_files.h) and
// followed as they grow: a QFileSystemWatcher says when, a timer covers file
// systems that do not tell, and only the bytes appended since the last read
// are read. On request, the container's probe and hook outputs from the
// record are shown between the log's chunks, at their times. Log files
// carry no times of their own: a chunk counts as written when it was read
// (the record's latest time then), so text already on disk when the panel
// first reads it comes before everything the record adds later.

#include <QPointer>
#include <QString>
#include <QStringList>
#include <QWidget>

#include <vector>

#include "core/manifest.h"
#include "core/run_record.h"

class QCheckBox;
class QComboBox;
class QFileSystemWatcher;
class QLabel;
class QPlainTextEdit;
class QTimer;

namespace podscope::ui {

class TimelineModel;

/// Thread contract: GUI thread only.
class LogsPanel final : public QWidget {
  Q_OBJECT

 public:
  explicit LogsPanel(QWidget* parent = nullptr);

  /// Starts over for a run of `pod`: its containers in the chooser, no
  /// folder yet, and `hasLogs` false for a runtime that writes none.
  void beginRun(const core::Pod& pod, bool hasLogs);
  /// The run's log folder, LOGDIR/<namespace>_<pod>_<uid>.
  void setLogDirectory(const QString& podLogDir);
  QString logDirectory() const { return m_dir; }
  /// Where probe and hook outputs, and the record's current time, come from.
  void setRecordSource(TimelineModel* model);

  /// Shows `container`'s log; `attempt` -1 follows the latest instance.
  void showContainer(const QString& container, int attempt = -1);
  void setInterleaveOutputs(bool interleave);
  /// Reads what was appended since the last read (also done on its own).
  void refresh();

  QString text() const;
  QString currentContainer() const;
  /// The attempt shown, or -1 when none.
  int currentAttempt() const { return m_attempt; }
  QString message() const;
  QComboBox* containerBox() const { return m_containerBox; }
  QComboBox* attemptBox() const { return m_attemptBox; }
  QCheckBox* interleaveBox() const { return m_interleave; }

 private:
  struct Chunk {
    core::RunTime time{0};
    QString text;
  };

  void updateAttempts();
  void openAttempt(int attempt);
  void render();
  void appendAttemptsSince(size_t first);
  QString attemptText(const core::HandlerAttempt& attempt) const;
  void setMessage(const QString& text);
  QString containerDir() const;
  QString attemptPath(int attempt) const;
  void watch();

  QPointer<TimelineModel> m_record;
  QString m_dir;
  bool m_hasLogs = false;
  QStringList m_containers;
  int m_attempt = -1;
  bool m_followLatest = true;
  qint64 m_offset = 0;
  std::vector<Chunk> m_chunks;
  size_t m_attemptsShown = 0;  ///< record attempts already considered for interleaving

  QComboBox* m_containerBox = nullptr;
  QComboBox* m_attemptBox = nullptr;
  QCheckBox* m_interleave = nullptr;
  QLabel* m_message = nullptr;
  QPlainTextEdit* m_text = nullptr;
  QFileSystemWatcher* m_watcher = nullptr;
  QTimer* m_poll = nullptr;
  bool m_updatingBoxes = false;
};

}  // namespace podscope::ui
