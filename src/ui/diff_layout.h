#pragma once
// The comparison of two revisions laid out for drawing: core's line diff
// with each side's text as QStrings, highlights in UTF-16 positions, the
// longest lines to measure, and the structural summary of the two pod
// templates when they are known. Built off the GUI thread; the view only
// picks rows out of it.
//
// DiffDisplay turns a layout into the lines a pane draws for one mode
// (side by side or unified) and the folds the user has opened.
//
// Thread contract: plain values and pure functions; a DiffLayout is built
// on any thread and then shared read-only.

#include <QString>
#include <QVector>

#include <atomic>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "core/manifest.h"
#include "core/text_diff.h"

namespace podscope::ui {

/// One side of a comparison.
struct DiffSource {
  QString title;  ///< the header above its pane, e.g. "Revision 2 · nginx:1.18"
  std::string text;
  std::optional<core::PodTemplateSpec> podTemplate;  ///< for the structural summary
};

struct DiffRequest {
  DiffSource left;
  DiffSource right;
  QString fileName = QStringLiteral("pod-template.yaml");  ///< named in the patch's headers
  /// Shown above the text when the templates are not given.
  QString summary;
  int context = 3;
};

/// A line of one side as drawn: tabs and control characters replaced by
/// visible one-unit stand-ins, so highlight positions still hold.
struct DrawnLine {
  int number = 0;  ///< 0: filler, no line on this side
  QString text;
  QVector<QPair<int, int>> highlights;  ///< [begin, end) in UTF-16 units
  core::LineEnding ending = core::LineEnding::None;
};

struct DiffLayout {
  quint64 job = 0;
  core::TextDiff diff;
  std::vector<DrawnLine> left;   ///< one per row of diff.rows
  std::vector<DrawnLine> right;
  /// Rows of the lines likely widest on each side (longest first), for the
  /// view to measure instead of measuring every line.
  std::vector<int> widestLeft;
  std::vector<int> widestRight;
  int maxLineNumber = 0;
  QString leftTitle;
  QString rightTitle;
  QString fileName;
  QString summary;  ///< the structural summary, or the request's
  double elapsedMs = 0;  ///< time spent building it
  bool cancelled = false;

  /// The unified patch of the comparison (empty when identical).
  QString patch() const;
};

/// Diffs the request's texts and lays the result out; returns early with
/// `cancelled` set once `cancel` becomes true.
std::shared_ptr<const DiffLayout> layoutDiff(const DiffRequest& request, quint64 job,
                                             const std::atomic<bool>* cancel = nullptr);

/// "Revision 2 · nginx:1.18": the revision and its containers' images.
QString revisionTitle(int revision, const core::PodTemplateSpec& podTemplate);

/// A line a pane draws: a row of the side-by-side view, a line of the
/// unified view, or a folded stretch of unchanged lines.
struct DisplayLine {
  enum class Type { Row, Unified, Fold };
  Type type = Type::Row;
  int index = 0;  ///< into diff.rows, diff.unified or diff.folds
};

/// The lines shown for one mode with some folds opened, and where each
/// change lands among them.
struct DiffDisplay {
  std::vector<DisplayLine> lines;
  std::vector<int> changeLines;  ///< display line of each change's first line, in order

  static DiffDisplay build(const core::TextDiff& diff, bool unified, const std::set<int>& openFolds);
  /// The display line showing `row` (a fold that hides it, when folded).
  int lineOfRow(const core::TextDiff& diff, int row) const;
};

}  // namespace podscope::ui
