#pragma once
// A line diff of two texts as a pure data model: the edit script grouped
// into chunks, the side-by-side rows those chunks lay out to (with
// intra-line highlights for changed pairs), the unified-order lines, the
// hunks a patch is made of, the unchanged stretches to fold away and the
// changes to step through. Widgets only draw it; `unifiedPatch` renders it
// as a patch that `patch` and `git apply` accept.
//
// The algorithm is Myers' O(ND) difference in linear space (the "middle
// snake" divide and conquer) over interned lines, after stripping the common
// prefix and suffix. Revisions of one template differ in a few places, so D
// is small and the cost is close to linear. For unrelated large inputs the
// search gives up on minimality once its cost passes a bound that grows with
// the square root of the input, and splits at the furthest-reaching point
// found so far (the heuristic GNU diff and git use), keeping the worst case
// near O(N^1.5). Pure insertions and deletions are then slid along runs of
// repeated lines to the position that starts at the shallowest indentation,
// so a YAML list item added to a list reads as `- name: ...` and what
// follows it, not as the tail of the previous item.
//
// Changed pairs of lines are diffed again by words (runs of letters and
// digits, runs of spaces, and single other characters, all whole UTF-8 code
// points), so highlights never split a code point.
//
// Thread contract: pure functions over values; safe from any thread. A
// TextDiff is a plain value, safe to share read-only.

#include <atomic>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace podscope::core {

/// How a line ends: lines are compared with their ending, so a CRLF line
/// differs from the same text ending in LF, and the patch keeps both.
enum class LineEnding { None, Lf, CrLf };

enum class DiffRowKind {
  Equal,    ///< the same line on both sides
  Removed,  ///< a line only on the left; the right side is filler
  Added,    ///< a line only on the right; the left side is filler
  Changed,  ///< a removed line and an added line shown side by side
};
std::string_view toString(DiffRowKind kind);

/// Bytes [begin, end) of a line's text.
struct ByteRange {
  int begin = 0;
  int end = 0;
  friend bool operator==(const ByteRange&, const ByteRange&) = default;
};

/// One side of a row. A filler side (no line there) has line number 0.
struct DiffLine {
  int number = 0;        ///< 1-based line number, 0 for filler
  std::string text;      ///< without its line ending
  LineEnding ending = LineEnding::None;
  std::vector<ByteRange> highlights;  ///< the parts that differ (Changed rows only)

  bool isFiller() const { return number == 0; }
};

/// One aligned row of the side-by-side view.
struct DiffRow {
  DiffRowKind kind = DiffRowKind::Equal;
  DiffLine left;
  DiffLine right;
};

/// A maximal run of equal lines, or one block of changes between two runs.
/// Lines are 0-based indexes into each text.
struct DiffChunk {
  bool changed = false;
  int leftBegin = 0;
  int leftCount = 0;
  int rightBegin = 0;
  int rightCount = 0;
  int firstRow = 0;  ///< into TextDiff::rows
  int rowCount = 0;
  int firstUnified = 0;  ///< into TextDiff::unified
  int unifiedCount = 0;
};

/// A line of the unified view: an equal row (context), or one side of a
/// changed block, removed lines before added ones.
struct UnifiedLine {
  enum class Side { Both, Left, Right };
  int row = 0;  ///< the DiffRow it shows
  Side side = Side::Both;
};

/// A hunk of the unified patch: changes with their context.
struct DiffHunk {
  int leftStart = 0;  ///< as in `@@ -leftStart,leftCount ...`: 1-based, or the line before an empty range
  int leftCount = 0;
  int rightStart = 0;
  int rightCount = 0;
  int firstRow = 0;
  int rowCount = 0;
  int firstUnified = 0;
  int unifiedCount = 0;
  /// `@@ -l,s +l,s @@`, leaving out `,1` the way `diff -u` does.
  std::string header() const;
};

/// Unchanged rows hidden behind a "⋯ N unchanged lines" row: everything
/// outside the hunks. The same stretch in rows and in unified lines.
struct DiffFold {
  int firstRow = 0;
  int rowCount = 0;
  int firstUnified = 0;
};

struct TextDiffOptions {
  /// Unchanged lines kept around each change; longer unchanged runs fold.
  int context = 3;
  /// Changed lines longer than this (bytes, either side) are not diffed by
  /// words: their highlight is the stretch between the common prefix and
  /// suffix.
  int maxWordDiffBytes = 4096;
  /// Set from another thread to abandon the diff; the result is then
  /// marked `cancelled` and incomplete.
  const std::atomic<bool>* cancel = nullptr;
};

struct TextDiff {
  std::vector<DiffRow> rows;
  std::vector<DiffChunk> chunks;
  std::vector<UnifiedLine> unified;
  std::vector<DiffHunk> hunks;
  std::vector<DiffFold> folds;
  /// Indexes into `chunks` of the changed blocks, in order: what next and
  /// previous change step through.
  std::vector<int> changes;
  int leftLineCount = 0;
  int rightLineCount = 0;
  int removedLines = 0;  ///< lines only on the left (changed pairs count on both sides)
  int addedLines = 0;
  bool cancelled = false;

  bool identical() const { return changes.empty(); }
};

/// Diffs `left` against `right` line by line (see the file comment).
TextDiff diffTexts(std::string_view left, std::string_view right, const TextDiffOptions& options = {});

/// The byte ranges of `after` that differ from `before` and of `before`
/// that differ from `after`, by words; at most `maxBytes` of either line
/// are diffed by words, a longer pair gets one range each.
struct LineHighlights {
  std::vector<ByteRange> before;
  std::vector<ByteRange> after;
};
LineHighlights diffLinePair(std::string_view before, std::string_view after, int maxBytes = 4096);

/// The diff as a unified patch (`--- a/<leftName>`, `+++ b/<rightName>`,
/// hunks with `\ No newline at end of file` where a side ends without
/// one). Empty when the texts are identical.
std::string unifiedPatch(const TextDiff& diff, std::string_view leftName, std::string_view rightName);

/// Diffs the two texts and renders the result as a unified patch.
std::string unifiedPatch(std::string_view left, std::string_view right, std::string_view leftName,
                         std::string_view rightName, int context = 3);

}  // namespace podscope::core
