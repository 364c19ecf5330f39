#pragma once
// ManifestAnalyzer: reads and validates the editor's text off the GUI
// thread while the user types. Each edit bumps a generation number and
// restarts a short pause; when the pause ends, the text of that moment is
// read by core (the same reader and rules as opening a file or running)
// on a worker thread. At most one read runs at a time: edits made during a
// read are gathered into the next one, and a result that is not for the
// latest generation is dropped, never shown.
// Thread contract: the object lives on the GUI thread; analyzeManifestText
// is a pure function, safe from any thread.

#include <QByteArray>
#include <QObject>
#include <QString>
#include <QThreadPool>

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "core/diagnostic.h"
#include "core/manifest.h"

class QTimer;
template <typename T>
class QFutureWatcher;

namespace podscope::ui {

/// A finding placed on the text: where to underline, in bytes of the UTF-8
/// text (what Scintilla positions count).
struct PlacedDiagnostic {
  core::Diagnostic diagnostic;
  int line = 0;       ///< 0-based line of the underline and the margin marker
  int startByte = 0;  ///< underline, [startByte, endByte) in the whole text
  int endByte = 0;
};

/// What one analysis found, for one generation of the text.
struct Analysis {
  quint64 generation = 0;
  core::Manifest manifest;                   ///< documents with positions and defaults, for hover text
  std::vector<PlacedDiagnostic> diagnostics;  ///< file order
  double elapsedMs = 0;                       ///< time spent on the worker thread
};

/// Reads `text` as a manifest, adds the tab findings, and places every
/// finding on the text. A finding that names only a point is underlined
/// over the word there (the whole line's content when the point is past
/// its end); one spanning lines is underlined on its first line.
Analysis analyzeManifestText(const std::string& text, const std::string& fileName, quint64 generation);

/// Thread contract: GUI thread only (see the file comment).
class ManifestAnalyzer final : public QObject {
  Q_OBJECT

 public:
  /// `text` is called on the GUI thread when a pause ends, for the text to read.
  explicit ManifestAnalyzer(std::function<QByteArray()> text, QObject* parent = nullptr);
  ~ManifestAnalyzer() override;

  /// The pause after the last edit before reading; 150 ms unless set.
  void setDelay(int milliseconds);
  int delay() const;
  /// The file name findings carry (only its name is shown).
  void setFileName(const QString& name);

  /// The text changed: a new generation; reads it once the pause ends.
  void textEdited();
  /// Reads the current text without waiting for the pause.
  void analyzeNow();

  /// The generation of the text as last edited.
  quint64 generation() const { return m_generation; }
  /// The latest result delivered; null before the first one.
  std::shared_ptr<const Analysis> latest() const { return m_latest; }
  /// Whether `latest()` describes the text as it is now.
  bool isCurrent() const { return m_latest && m_latest->generation == m_generation; }
  /// Whether a read is running or waiting for its pause.
  bool isBusy() const;

 signals:
  /// A result for the latest generation: the text has not changed since it was read.
  void analyzed(std::shared_ptr<const podscope::ui::Analysis> analysis);

 private:
  void start();
  void finished();

  std::function<QByteArray()> m_text;
  std::string m_fileName = "manifest.yaml";
  QTimer* m_pause = nullptr;
  QThreadPool m_pool;
  QFutureWatcher<std::shared_ptr<const Analysis>>* m_watcher = nullptr;
  quint64 m_generation = 0;
  bool m_running = false;
  bool m_again = false;  ///< an edit (or a request) arrived while reading
  std::shared_ptr<const Analysis> m_latest;
};

}  // namespace podscope::ui
