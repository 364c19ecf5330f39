#include "ui/manifest_analyzer.h"

#include <QElapsedTimer>
#include <QFutureWatcher>
#include <QTimer>
#include <QtConcurrent/QtConcurrentRun>

#include <algorithm>

#include "core/manifest_reader.h"
#include "core/text_lint.h"
#include "core/utf8_columns.h"

namespace podscope::ui {

namespace {

constexpr int kDefaultDelayMs = 150;

bool isSpace(char c) { return c == ' ' || c == '\t' || c == '\r'; }

/// Start offsets of every line; a text ending in '\n' has an empty last line.
std::vector<std::size_t> lineStarts(const std::string& text) {
  std::vector<std::size_t> starts{0};
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\n') starts.push_back(i + 1);
  }
  return starts;
}

void place(PlacedDiagnostic& p, const std::string& text, const std::vector<std::size_t>& starts) {
  const core::SourceRange& range = p.diagnostic.range;
  if (!range.begin.known()) {
    p.line = -1;
    return;
  }
  const std::size_t line = std::min<std::size_t>(static_cast<std::size_t>(range.begin.line - 1), starts.size() - 1);
  const std::size_t lineStart = starts[line];
  const std::size_t lineEnd = line + 1 < starts.size() ? starts[line + 1] - 1 : text.size();
  const std::string_view lineText(text.data() + lineStart, lineEnd - lineStart);
  std::size_t contentBegin = 0;
  while (contentBegin < lineText.size() && isSpace(lineText[contentBegin])) ++contentBegin;
  std::size_t contentEnd = lineText.size();
  while (contentEnd > contentBegin && isSpace(lineText[contentEnd - 1])) --contentEnd;

  std::size_t begin = range.begin.column > 0 ? core::byteOfColumn(lineText, range.begin.column - 1) : contentBegin;
  std::size_t end = begin;
  const core::SourcePos& to = range.end;
  if (to.known() && (to.line > range.begin.line || (to.line == range.begin.line && to.column > range.begin.column))) {
    end = to.line == range.begin.line ? core::byteOfColumn(lineText, to.column - 1) : std::max(contentEnd, begin);
  }
  if (end <= begin) {
    if (range.begin.column <= 0 || begin >= contentEnd) {
      // A point past the line's content (a missing value): the whole line.
      begin = contentBegin;
      end = contentEnd;
    } else {
      end = begin;
      while (end < lineText.size() && !isSpace(lineText[end])) ++end;
    }
  }
  // Tabs are what a tab finding points at, so they are not trimmed away.
  if (end <= begin && begin < lineText.size()) end = begin + 1;
  p.line = static_cast<int>(line);
  p.startByte = static_cast<int>(lineStart + begin);
  p.endByte = static_cast<int>(lineStart + std::min(end, lineText.size()));
}

}  // namespace

Analysis analyzeManifestText(const std::string& text, const std::string& fileName, quint64 generation) {
  QElapsedTimer clock;
  clock.start();
  Analysis out;
  out.generation = generation;
  out.manifest = core::readManifest(text, fileName);
  std::vector<core::Diagnostic> found = out.manifest.diagnostics;
  for (core::Diagnostic& tab : core::findTabCharacters(text, fileName)) {
    // The reader's syntax error already names a tab it stopped at; one finding is enough there.
    const bool said = std::any_of(found.begin(), found.end(), [&](const core::Diagnostic& d) {
      return d.range.begin == tab.range.begin && d.severity == core::Severity::Error;
    });
    if (!said) found.push_back(std::move(tab));
  }
  core::sortDiagnostics(found);

  const std::vector<std::size_t> starts = lineStarts(text);
  out.diagnostics.reserve(found.size());
  for (core::Diagnostic& d : found) {
    PlacedDiagnostic p;
    p.diagnostic = std::move(d);
    place(p, text, starts);
    out.diagnostics.push_back(std::move(p));
  }
  out.elapsedMs = static_cast<double>(clock.nsecsElapsed()) / 1e6;
  return out;
}

ManifestAnalyzer::ManifestAnalyzer(std::function<QByteArray()> text, QObject* parent)
    : QObject(parent), m_text(std::move(text)) {
  m_pause = new QTimer(this);
  m_pause->setSingleShot(true);
  m_pause->setInterval(kDefaultDelayMs);
  connect(m_pause, &QTimer::timeout, this, &ManifestAnalyzer::start);
  // One reader per editor: a newer text waits for the running read instead
  // of competing with it for the machine's cores.
  m_pool.setMaxThreadCount(1);
  m_watcher = new QFutureWatcher<std::shared_ptr<const Analysis>>(this);
  connect(m_watcher, &QFutureWatcherBase::finished, this, &ManifestAnalyzer::finished);
}

ManifestAnalyzer::~ManifestAnalyzer() {
  // The job owns copies of everything it reads; waiting only keeps it from
  // outliving the pool.
  m_watcher->disconnect(this);
  m_pool.waitForDone();
}

void ManifestAnalyzer::setDelay(int milliseconds) { m_pause->setInterval(std::max(milliseconds, 0)); }

int ManifestAnalyzer::delay() const { return m_pause->interval(); }

void ManifestAnalyzer::setFileName(const QString& name) {
  m_fileName = name.isEmpty() ? std::string("manifest.yaml") : name.toStdString();
}

void ManifestAnalyzer::textEdited() {
  ++m_generation;
  m_pause->start();
}

void ManifestAnalyzer::analyzeNow() {
  m_pause->stop();
  start();
}

bool ManifestAnalyzer::isBusy() const { return m_running || m_pause->isActive(); }

void ManifestAnalyzer::start() {
  if (m_running) {
    m_again = true;
    return;
  }
  m_running = true;
  m_again = false;
  const quint64 generation = m_generation;
  std::string text = m_text().toStdString();
  std::string fileName = m_fileName;
  m_watcher->setFuture(QtConcurrent::run(&m_pool, [text = std::move(text), fileName = std::move(fileName), generation] {
    return std::shared_ptr<const Analysis>(
        std::make_shared<Analysis>(analyzeManifestText(text, fileName, generation)));
  }));
}

void ManifestAnalyzer::finished() {
  m_running = false;
  std::shared_ptr<const Analysis> result = m_watcher->result();
  if (m_again) {
    start();
  }
  if (!result || result->generation != m_generation) return;  // the text has moved on
  m_latest = std::move(result);
  emit analyzed(m_latest);
}

}  // namespace podscope::ui
