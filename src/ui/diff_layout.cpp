#include "ui/diff_layout.h"

#include <QElapsedTimer>
#include <QStringList>

#include <algorithm>

#include "core/template_diff.h"

namespace podscope::ui {

namespace {

constexpr std::size_t kWidestCandidates = 16;

/// UTF-16 position of each UTF-8 byte offset that starts a code point, by
/// walking the line once.
class Utf16Positions {
 public:
  explicit Utf16Positions(const std::string& utf8) : m_positions(utf8.size() + 1, 0) {
    int units = 0;
    for (std::size_t i = 0; i < utf8.size(); ++i) {
      m_positions[i] = units;
      const auto c = static_cast<unsigned char>(utf8[i]);
      if ((c & 0xC0) != 0x80) units += c >= 0xF0 ? 2 : 1;  // four-byte sequences are surrogate pairs
    }
    m_positions[utf8.size()] = units;
  }
  int at(int byte) const { return m_positions[static_cast<std::size_t>(byte)]; }

 private:
  std::vector<int> m_positions;
};

/// Tabs as →, other control characters as their Unicode pictures: one
/// UTF-16 unit each, so positions do not move.
void makeVisible(QString& text) {
  for (QChar& ch : text) {
    const char16_t u = ch.unicode();
    if (u == u'\t') {
      ch = QChar(0x2192);
    } else if (u < 0x20) {
      ch = QChar(0x2400 + u);
    } else if (u == 0x7F) {
      ch = QChar(0x2421);
    }
  }
}

DrawnLine draw(const core::DiffLine& line) {
  DrawnLine out;
  out.number = line.number;
  out.ending = line.ending;
  if (line.isFiller()) return out;
  out.text = QString::fromUtf8(line.text.data(), static_cast<qsizetype>(line.text.size()));
  makeVisible(out.text);
  if (!line.highlights.empty()) {
    const Utf16Positions positions(line.text);
    for (const core::ByteRange& r : line.highlights) out.highlights.append({positions.at(r.begin), positions.at(r.end)});
  }
  return out;
}

/// A rough width in columns: wide East Asian text counts twice.
int roughColumns(const QString& text) {
  int columns = 0;
  for (QChar ch : text) columns += ch.unicode() >= 0x1100 && !ch.isLowSurrogate() ? 2 : 1;
  return columns;
}

std::vector<int> widest(const std::vector<DrawnLine>& lines) {
  std::vector<std::pair<int, int>> byWidth;  // (columns, row)
  byWidth.reserve(lines.size());
  for (std::size_t r = 0; r < lines.size(); ++r) {
    if (!lines[r].text.isEmpty()) byWidth.emplace_back(roughColumns(lines[r].text), static_cast<int>(r));
  }
  const std::size_t n = std::min(kWidestCandidates, byWidth.size());
  std::partial_sort(byWidth.begin(), byWidth.begin() + static_cast<std::ptrdiff_t>(n), byWidth.end(),
                    [](const auto& a, const auto& b) { return a.first > b.first; });
  std::vector<int> rows;
  for (std::size_t i = 0; i < n; ++i) rows.push_back(byWidth[i].second);
  return rows;
}

}  // namespace

QString DiffLayout::patch() const {
  return QString::fromStdString(core::unifiedPatch(diff, fileName.toStdString(), fileName.toStdString()));
}

std::shared_ptr<const DiffLayout> layoutDiff(const DiffRequest& request, quint64 job, const std::atomic<bool>* cancel) {
  QElapsedTimer clock;
  clock.start();
  auto out = std::make_shared<DiffLayout>();
  out->job = job;
  out->leftTitle = request.left.title;
  out->rightTitle = request.right.title;
  out->fileName = request.fileName;
  auto cancelled = [&] { return cancel != nullptr && cancel->load(std::memory_order_relaxed); };

  core::TextDiffOptions options;
  options.context = request.context;
  options.cancel = cancel;
  out->diff = core::diffTexts(request.left.text, request.right.text, options);
  if (out->diff.cancelled || cancelled()) {
    out->cancelled = true;
    return out;
  }
  out->left.reserve(out->diff.rows.size());
  out->right.reserve(out->diff.rows.size());
  for (std::size_t r = 0; r < out->diff.rows.size(); ++r) {
    if ((r & 1023) == 1023 && cancelled()) {
      out->cancelled = true;
      return out;
    }
    out->left.push_back(draw(out->diff.rows[r].left));
    out->right.push_back(draw(out->diff.rows[r].right));
  }
  out->widestLeft = widest(out->left);
  out->widestRight = widest(out->right);
  out->maxLineNumber = std::max(out->diff.leftLineCount, out->diff.rightLineCount);

  if (request.left.podTemplate && request.right.podTemplate) {
    out->summary = QString::fromStdString(core::diffTemplates(*request.left.podTemplate, *request.right.podTemplate).summary());
  } else {
    out->summary = request.summary;
  }
  out->elapsedMs = static_cast<double>(clock.nsecsElapsed()) / 1e6;
  return out;
}

QString revisionTitle(int revision, const core::PodTemplateSpec& podTemplate) {
  QStringList images;
  for (const auto* list : {&podTemplate.spec.initContainers, &podTemplate.spec.containers}) {
    for (const core::Container& c : *list) {
      const QString image = QString::fromStdString(c.image);
      if (!images.contains(image)) images << image;
    }
  }
  QString title = QStringLiteral("Revision %1").arg(revision);
  if (!images.isEmpty()) title += QStringLiteral(" · ") + images.join(QStringLiteral(", "));
  return title;
}

DiffDisplay DiffDisplay::build(const core::TextDiff& diff, bool unified, const std::set<int>& openFolds) {
  DiffDisplay out;
  const int count = static_cast<int>(unified ? diff.unified.size() : diff.rows.size());
  out.lines.reserve(static_cast<std::size_t>(count));
  std::size_t nextFold = 0;
  std::size_t nextChange = 0;
  for (int i = 0; i < count;) {
    if (nextFold < diff.folds.size()) {
      const core::DiffFold& fold = diff.folds[nextFold];
      const int foldStart = unified ? fold.firstUnified : fold.firstRow;
      if (i == foldStart) {
        const bool open = openFolds.count(static_cast<int>(nextFold)) > 0;
        ++nextFold;
        if (!open) {
          out.lines.push_back({DisplayLine::Type::Fold, static_cast<int>(nextFold - 1)});
          i += fold.rowCount;  // equal rows: as many unified lines as rows
          continue;
        }
      }
    }
    if (nextChange < diff.changes.size()) {
      const core::DiffChunk& chunk = diff.chunks[static_cast<std::size_t>(diff.changes[nextChange])];
      if (i == (unified ? chunk.firstUnified : chunk.firstRow)) {
        out.changeLines.push_back(static_cast<int>(out.lines.size()));
        ++nextChange;
      }
    }
    out.lines.push_back({unified ? DisplayLine::Type::Unified : DisplayLine::Type::Row, i});
    ++i;
  }
  return out;
}

int DiffDisplay::lineOfRow(const core::TextDiff& diff, int row) const {
  auto firstRow = [&diff](const DisplayLine& line) {
    switch (line.type) {
      case DisplayLine::Type::Row: return line.index;
      case DisplayLine::Type::Unified: return diff.unified[static_cast<std::size_t>(line.index)].row;
      case DisplayLine::Type::Fold: return diff.folds[static_cast<std::size_t>(line.index)].firstRow;
    }
    return 0;
  };
  auto it = std::upper_bound(lines.begin(), lines.end(), row,
                             [&](int r, const DisplayLine& line) { return r < firstRow(line); });
  if (it == lines.begin()) return 0;
  return static_cast<int>(it - lines.begin()) - 1;
}

}  // namespace podscope::ui
