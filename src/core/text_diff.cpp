#include "core/text_diff.h"

#include <algorithm>
#include <cmath>
#include <optional>
#include <unordered_map>
#include <utility>

#include "core/utf8_columns.h"

namespace podscope::core {

namespace {

// ---------------------------------------------------------------------------
// Myers' difference over integer ids (interned lines or words).

/// Marks, for each element of `a` and `b`, whether it is outside the common
/// subsequence found. Returns false when cancelled.
class Myers {
 public:
  Myers(const std::vector<int>& a, const std::vector<int>& b, const std::atomic<bool>* cancel)
      : m_a(a), m_b(b), m_cancel(cancel), m_changedA(a.size(), 0), m_changedB(b.size(), 0) {
    // Past this many edits in one box the search stops insisting on the
    // shortest script (see the file comment of text_diff.h).
    const double root = std::sqrt(static_cast<double>(a.size() + b.size()));
    m_maxCost = std::max(kMinCost, static_cast<int>(root) * 2);
  }

  bool run() {
    std::vector<Box> todo{{0, static_cast<int>(m_a.size()), 0, static_cast<int>(m_b.size())}};
    while (!todo.empty()) {
      if (cancelled()) return false;
      Box box = todo.back();
      todo.pop_back();
      while (box.aLo < box.aHi && box.bLo < box.bHi && m_a[box.aLo] == m_b[box.bLo]) {
        ++box.aLo;
        ++box.bLo;
      }
      while (box.aLo < box.aHi && box.bLo < box.bHi && m_a[box.aHi - 1] == m_b[box.bHi - 1]) {
        --box.aHi;
        --box.bHi;
      }
      if (box.aLo == box.aHi || box.bLo == box.bHi) {
        markAll(box);
        continue;
      }
      const std::optional<std::pair<int, int>> split = bisect(box);
      if (!split) {
        if (cancelled()) return false;
        markAll(box);
        continue;
      }
      const auto [x, y] = *split;
      todo.push_back({x, box.aHi, y, box.bHi});
      todo.push_back({box.aLo, x, box.bLo, y});
    }
    return true;
  }

  std::vector<char>& changedA() { return m_changedA; }
  std::vector<char>& changedB() { return m_changedB; }

 private:
  static constexpr int kMinCost = 256;

  struct Box {
    int aLo, aHi, bLo, bHi;
  };

  bool cancelled() const { return m_cancel != nullptr && m_cancel->load(std::memory_order_relaxed); }

  void markAll(const Box& box) {
    for (int i = box.aLo; i < box.aHi; ++i) m_changedA[i] = 1;
    for (int j = box.bLo; j < box.bHi; ++j) m_changedB[j] = 1;
  }

  /// The middle of a shortest edit script of the box (absolute indexes), or
  /// a good-enough point once the cost bound is passed; nullopt when the
  /// box has nothing in common or the search was cancelled.
  std::optional<std::pair<int, int>> bisect(const Box& box) {
    const int n = box.aHi - box.aLo;
    const int m = box.bHi - box.bLo;
    const int* a = m_a.data() + box.aLo;
    const int* b = m_b.data() + box.bLo;
    const int maxD = std::min((n + m + 1) / 2, m_maxCost);
    const int offset = maxD + 1;
    const int length = 2 * maxD + 3;
    m_forward.assign(static_cast<std::size_t>(length), -1);
    m_backward.assign(static_cast<std::size_t>(length), -1);
    int* v1 = m_forward.data();
    int* v2 = m_backward.data();
    v1[offset + 1] = 0;
    v2[offset + 1] = 0;
    const int delta = n - m;
    // With an odd delta the forward pass meets the backward one; with an
    // even delta the backward pass meets the forward one.
    const bool front = (delta % 2) != 0;
    int k1start = 0, k1end = 0, k2start = 0, k2end = 0;
    for (int d = 0; d <= maxD; ++d) {
      if ((d & 63) == 63 && cancelled()) return std::nullopt;
      for (int k1 = -d + k1start; k1 <= d - k1end; k1 += 2) {
        const int i1 = offset + k1;
        int x1 = (k1 == -d || (k1 != d && v1[i1 - 1] < v1[i1 + 1])) ? v1[i1 + 1] : v1[i1 - 1] + 1;
        int y1 = x1 - k1;
        while (x1 < n && y1 < m && a[x1] == b[y1]) {
          ++x1;
          ++y1;
        }
        v1[i1] = x1;
        if (x1 > n) {
          k1end += 2;  // ran off the right of the grid
        } else if (y1 > m) {
          k1start += 2;  // ran off the bottom
        } else if (front) {
          const int i2 = offset + delta - k1;
          if (i2 >= 0 && i2 < length && v2[i2] != -1 && x1 >= n - v2[i2]) {
            return std::make_pair(box.aLo + x1, box.bLo + y1);
          }
        }
      }
      for (int k2 = -d + k2start; k2 <= d - k2end; k2 += 2) {
        const int i2 = offset + k2;
        int x2 = (k2 == -d || (k2 != d && v2[i2 - 1] < v2[i2 + 1])) ? v2[i2 + 1] : v2[i2 - 1] + 1;
        int y2 = x2 - k2;
        while (x2 < n && y2 < m && a[n - x2 - 1] == b[m - y2 - 1]) {
          ++x2;
          ++y2;
        }
        v2[i2] = x2;
        if (x2 > n) {
          k2end += 2;
        } else if (y2 > m) {
          k2start += 2;
        } else if (!front) {
          const int i1 = offset + delta - k2;
          if (i1 >= 0 && i1 < length && v1[i1] != -1) {
            const int x1 = v1[i1];
            const int y1 = x1 - (i1 - offset);
            if (x1 >= n - x2) return std::make_pair(box.aLo + x1, box.bLo + y1);
          }
        }
      }
    }
    if (maxD < (n + m + 1) / 2) return cheapSplit(box, maxD);
    return std::nullopt;
  }

  /// After `d` rounds without meeting: the point furthest along either
  /// search, so each half is smaller and the recursion still ends.
  std::optional<std::pair<int, int>> cheapSplit(const Box& box, int d) const {
    const int n = box.aHi - box.aLo;
    const int m = box.bHi - box.bLo;
    const int offset = d + 1;
    int bestForward = -1, fx = 0, fy = 0;
    int bestBackward = -1, bx = 0, by = 0;
    for (int k = -d; k <= d; ++k) {
      const int x1 = m_forward[offset + k];
      const int y1 = x1 - k;
      if (x1 >= 0 && x1 <= n && y1 >= 0 && y1 <= m && x1 + y1 > bestForward) {
        bestForward = x1 + y1;
        fx = x1;
        fy = y1;
      }
      const int x2 = m_backward[offset + k];
      const int y2 = x2 - k;
      if (x2 >= 0 && x2 <= n && y2 >= 0 && y2 <= m && x2 + y2 > bestBackward) {
        bestBackward = x2 + y2;
        bx = n - x2;
        by = m - y2;
      }
    }
    const bool useForward = bestForward >= bestBackward;
    const int x = useForward ? fx : bx;
    const int y = useForward ? fy : by;
    if ((x == 0 && y == 0) || (x == n && y == m)) return std::nullopt;
    return std::make_pair(box.aLo + x, box.bLo + y);
  }

  const std::vector<int>& m_a;
  const std::vector<int>& m_b;
  const std::atomic<bool>* m_cancel;
  int m_maxCost = kMinCost;
  std::vector<char> m_changedA;
  std::vector<char> m_changedB;
  std::vector<int> m_forward;
  std::vector<int> m_backward;
};

/// One run of the edit script: equal elements, or a change (a run removed
/// from `a` and one added from `b`, either possibly empty).
struct Block {
  bool changed = false;
  int aBegin = 0;
  int aCount = 0;
  int bBegin = 0;
  int bCount = 0;
};

std::vector<Block> blocksFromMarks(const std::vector<char>& changedA, const std::vector<char>& changedB) {
  std::vector<Block> blocks;
  const int n = static_cast<int>(changedA.size());
  const int m = static_cast<int>(changedB.size());
  int i = 0, j = 0;
  while (i < n || j < m) {
    Block block;
    block.aBegin = i;
    block.bBegin = j;
    if (i < n && j < m && !changedA[i] && !changedB[j]) {
      while (i < n && j < m && !changedA[i] && !changedB[j]) {
        ++i;
        ++j;
      }
    } else {
      block.changed = true;
      while (i < n && changedA[i]) ++i;
      while (j < m && changedB[j]) ++j;
    }
    block.aCount = i - block.aBegin;
    block.bCount = j - block.bBegin;
    blocks.push_back(block);
  }
  return blocks;
}

// ---------------------------------------------------------------------------
// Lines.

struct LineRef {
  std::string_view content;  ///< without the ending
  std::string_view key;      ///< with the ending: what is compared
  LineEnding ending = LineEnding::None;
};

std::vector<LineRef> splitLines(std::string_view text) {
  std::vector<LineRef> lines;
  std::size_t start = 0;
  while (start < text.size()) {
    const std::size_t nl = text.find('\n', start);
    LineRef line;
    if (nl == std::string_view::npos) {
      line.content = text.substr(start);
      line.key = line.content;
      line.ending = LineEnding::None;
      start = text.size();
    } else {
      line.key = text.substr(start, nl + 1 - start);
      const bool cr = nl > start && text[nl - 1] == '\r';
      line.content = text.substr(start, nl - start - (cr ? 1 : 0));
      line.ending = cr ? LineEnding::CrLf : LineEnding::Lf;
      start = nl + 1;
    }
    lines.push_back(line);
  }
  return lines;
}

class Interner {
 public:
  int id(std::string_view s) { return m_ids.try_emplace(s, static_cast<int>(m_ids.size())).first->second; }

 private:
  std::unordered_map<std::string_view, int> m_ids;
};

int indentation(std::string_view line) {
  std::size_t i = 0;
  while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) ++i;
  // A blank line is the worst place for a change to start.
  if (i == line.size()) return 1 << 20;
  return static_cast<int>(i);
}

/// Slides each pure insertion or deletion along the repeated lines around it
/// (a run [s, e) can move up one when line s-1 equals line e-1) to the
/// position whose first line is least indented, the lowest such on ties.
/// It never slides across another change.
void slideBlocks(std::vector<Block>& blocks, const std::vector<int>& idsA, const std::vector<int>& idsB,
                 const std::vector<LineRef>& linesA, const std::vector<LineRef>& linesB) {
  for (std::size_t c = 0; c < blocks.size(); ++c) {
    Block& block = blocks[c];
    if (!block.changed || (block.aCount > 0 && block.bCount > 0)) continue;
    const bool inA = block.aCount > 0;
    const std::vector<int>& ids = inA ? idsA : idsB;
    const std::vector<LineRef>& lines = inA ? linesA : linesB;
    const int begin = inA ? block.aBegin : block.bBegin;
    const int count = inA ? block.aCount : block.bCount;
    Block* prev = c > 0 ? &blocks[c - 1] : nullptr;
    Block* next = c + 1 < blocks.size() ? &blocks[c + 1] : nullptr;
    // An equal run that separates this change from another must keep a line.
    const int prevRoom = prev ? prev->aCount - (c > 1 ? 1 : 0) : 0;
    const int nextRoom = next ? next->aCount - (c + 2 < blocks.size() ? 1 : 0) : 0;
    int up = 0;
    while (up < prevRoom && ids[begin - up - 1] == ids[begin + count - up - 1]) ++up;
    int down = 0;
    while (down < nextRoom && ids[begin + down] == ids[begin + count + down]) ++down;
    if (up == 0 && down == 0) continue;
    int bestShift = 0;
    int bestScore = indentation(lines[begin].content);
    for (int shift = -up; shift <= down; ++shift) {
      const int score = indentation(lines[begin + shift].content);
      if (score < bestScore || (score == bestScore && shift > bestShift)) {
        bestScore = score;
        bestShift = shift;
      }
    }
    if (bestShift == 0) continue;
    // Both sides of the neighbouring equal runs move with the change.
    prev->aCount += bestShift;
    prev->bCount += bestShift;
    block.aBegin += bestShift;
    block.bBegin += bestShift;
    next->aBegin += bestShift;
    next->bBegin += bestShift;
    next->aCount -= bestShift;
    next->bCount -= bestShift;
  }
  blocks.erase(std::remove_if(blocks.begin(), blocks.end(),
                              [](const Block& b) { return !b.changed && b.aCount == 0; }),
               blocks.end());
}

// ---------------------------------------------------------------------------
// Words within a changed pair of lines.

enum class CharClass { Word, Space, Other };

CharClass classOf(unsigned char c) {
  if (c == ' ' || c == '\t') return CharClass::Space;
  if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c >= 0x80) {
    return CharClass::Word;  // letters of other scripts join words too
  }
  return CharClass::Other;
}

/// Tokens as [begin, end) byte offsets: runs of word characters, runs of
/// spaces, and single other characters. Multi-byte code points are word
/// characters, so no token ends inside one.
std::vector<ByteRange> tokenize(std::string_view s) {
  std::vector<ByteRange> tokens;
  std::size_t i = 0;
  while (i < s.size()) {
    const CharClass cls = classOf(static_cast<unsigned char>(s[i]));
    std::size_t j = i + 1;
    if (cls != CharClass::Other) {
      while (j < s.size() && classOf(static_cast<unsigned char>(s[j])) == cls) ++j;
    }
    tokens.push_back({static_cast<int>(i), static_cast<int>(j)});
    i = j;
  }
  return tokens;
}

/// The common prefix and suffix of two strings in bytes, both ending on
/// code point boundaries and not overlapping.
std::pair<std::size_t, std::size_t> commonEnds(std::string_view a, std::string_view b) {
  std::size_t prefix = 0;
  const std::size_t shorter = std::min(a.size(), b.size());
  while (prefix < shorter && a[prefix] == b[prefix]) ++prefix;
  while (prefix > 0 && prefix < shorter && (isUtf8ContinuationByte(a[prefix]) || isUtf8ContinuationByte(b[prefix]))) {
    --prefix;
  }
  if (prefix == shorter && prefix < std::max(a.size(), b.size())) {
    const std::string_view longer = a.size() > b.size() ? a : b;
    while (prefix > 0 && isUtf8ContinuationByte(longer[prefix])) --prefix;
  }
  std::size_t suffix = 0;
  while (suffix < shorter - prefix && a[a.size() - 1 - suffix] == b[b.size() - 1 - suffix]) ++suffix;
  while (suffix > 0 && (isUtf8ContinuationByte(a[a.size() - suffix]) || isUtf8ContinuationByte(b[b.size() - suffix]))) {
    --suffix;
  }
  return {prefix, suffix};
}

void appendRange(std::vector<ByteRange>& ranges, int begin, int end) {
  if (end <= begin) return;
  if (!ranges.empty() && ranges.back().end >= begin) {
    ranges.back().end = std::max(ranges.back().end, end);
    return;
  }
  ranges.push_back({begin, end});
}

/// How alike two lines are, 0..1: the share of their (indentation-stripped)
/// bytes in a common prefix and suffix. Cheap enough to pair lines by.
double similarity(std::string_view a, std::string_view b) {
  auto strip = [](std::string_view s) {
    std::size_t i = 0;
    while (i < s.size() && (s[i] == ' ' || s[i] == '\t')) ++i;
    return s.substr(i);
  };
  a = strip(a);
  b = strip(b);
  if (a.empty() && b.empty()) return 1.0;
  const auto [prefix, suffix] = commonEnds(a, b);
  return 2.0 * static_cast<double>(prefix + suffix) / static_cast<double>(a.size() + b.size());
}

constexpr double kPairSimilarity = 0.5;
constexpr std::size_t kMaxPairingCells = 40000;

/// Which lines of a changed block to show side by side: an order-keeping
/// matching that maximises the similarity of paired lines, over pairs alike
/// enough to be one line edited. Returns (left, right) index pairs.
std::vector<std::pair<int, int>> pairLines(const std::vector<LineRef>& left, int leftBegin, int leftCount,
                                           const std::vector<LineRef>& right, int rightBegin, int rightCount) {
  std::vector<std::pair<int, int>> pairs;
  if (leftCount == 0 || rightCount == 0) return pairs;
  if (static_cast<std::size_t>(leftCount) * static_cast<std::size_t>(rightCount) > kMaxPairingCells) return pairs;
  const int w = rightCount + 1;
  std::vector<double> score(static_cast<std::size_t>((leftCount + 1) * w), 0.0);
  std::vector<double> sim(static_cast<std::size_t>(leftCount * rightCount), 0.0);
  for (int i = 1; i <= leftCount; ++i) {
    for (int j = 1; j <= rightCount; ++j) {
      const double s = similarity(left[leftBegin + i - 1].content, right[rightBegin + j - 1].content);
      sim[(i - 1) * rightCount + (j - 1)] = s;
      double best = std::max(score[(i - 1) * w + j], score[i * w + j - 1]);
      if (s >= kPairSimilarity) best = std::max(best, score[(i - 1) * w + j - 1] + s);
      score[i * w + j] = best;
    }
  }
  int i = leftCount, j = rightCount;
  while (i > 0 && j > 0) {
    const double s = sim[(i - 1) * rightCount + (j - 1)];
    if (s >= kPairSimilarity && score[i * w + j] == score[(i - 1) * w + j - 1] + s) {
      pairs.emplace_back(i - 1, j - 1);
      --i;
      --j;
    } else if (score[i * w + j] == score[(i - 1) * w + j]) {
      --i;
    } else {
      --j;
    }
  }
  std::reverse(pairs.begin(), pairs.end());
  return pairs;
}

DiffLine makeLine(const LineRef& ref, int index) {
  DiffLine line;
  line.number = index + 1;
  line.text = std::string(ref.content);
  line.ending = ref.ending;
  return line;
}

}  // namespace

std::string_view toString(DiffRowKind kind) {
  switch (kind) {
    case DiffRowKind::Equal: return "equal";
    case DiffRowKind::Removed: return "removed";
    case DiffRowKind::Added: return "added";
    case DiffRowKind::Changed: return "changed";
  }
  return "equal";
}

std::string DiffHunk::header() const {
  auto range = [](int start, int count) {
    std::string s = std::to_string(start);
    if (count != 1) s += "," + std::to_string(count);
    return s;
  };
  return "@@ -" + range(leftStart, leftCount) + " +" + range(rightStart, rightCount) + " @@";
}

LineHighlights diffLinePair(std::string_view before, std::string_view after, int maxBytes) {
  LineHighlights out;
  if (before == after) return out;
  const auto [prefix, suffix] = commonEnds(before, after);
  const std::string_view midA = before.substr(prefix, before.size() - prefix - suffix);
  const std::string_view midB = after.substr(prefix, after.size() - prefix - suffix);
  const int base = static_cast<int>(prefix);
  if (midA.empty() || midB.empty() || static_cast<int>(std::max(before.size(), after.size())) > maxBytes) {
    appendRange(out.before, base, base + static_cast<int>(midA.size()));
    appendRange(out.after, base, base + static_cast<int>(midB.size()));
    return out;
  }
  // Whole words: widen the middles to the words they cut into.
  const std::vector<ByteRange> tokensA = tokenize(before);
  const std::vector<ByteRange> tokensB = tokenize(after);
  auto firstToken = [](const std::vector<ByteRange>& tokens, int byte) {
    return static_cast<int>(std::upper_bound(tokens.begin(), tokens.end(), byte,
                                             [](int b, const ByteRange& t) { return b < t.end; }) -
                            tokens.begin());
  };
  // Tokens wholly inside the common prefix and suffix are equal on both
  // sides and in the same number; diff only the ones between.
  const int headA = firstToken(tokensA, base);
  const int headB = firstToken(tokensB, base);
  const int head = std::min(headA, headB);
  int tail = 0;
  while (tail < static_cast<int>(tokensA.size()) - head && tail < static_cast<int>(tokensB.size()) - head) {
    const ByteRange& ta = tokensA[tokensA.size() - 1 - tail];
    const ByteRange& tb = tokensB[tokensB.size() - 1 - tail];
    if (before.substr(ta.begin, ta.end - ta.begin) != after.substr(tb.begin, tb.end - tb.begin)) break;
    ++tail;
  }
  Interner interner;
  std::vector<int> idsA, idsB;
  for (int t = head; t < static_cast<int>(tokensA.size()) - tail; ++t) {
    idsA.push_back(interner.id(before.substr(tokensA[t].begin, tokensA[t].end - tokensA[t].begin)));
  }
  for (int t = head; t < static_cast<int>(tokensB.size()) - tail; ++t) {
    idsB.push_back(interner.id(after.substr(tokensB[t].begin, tokensB[t].end - tokensB[t].begin)));
  }
  Myers myers(idsA, idsB, nullptr);
  (void)myers.run();
  std::vector<Block> blocks = blocksFromMarks(myers.changedA(), myers.changedB());
  // A sliver of equal text between two changes (a dot between version
  // numbers) reads better as part of one change than as confetti.
  for (std::size_t c = 1; c + 1 < blocks.size(); ++c) {
    Block& block = blocks[c];
    if (block.changed || !blocks[c - 1].changed || !blocks[c + 1].changed) continue;
    const int bytes = tokensA[head + block.aBegin + block.aCount - 1].end - tokensA[head + block.aBegin].begin;
    if (bytes <= 2) block.changed = true;
  }
  for (const Block& block : blocks) {
    if (!block.changed) continue;
    if (block.aCount > 0) {
      appendRange(out.before, tokensA[head + block.aBegin].begin, tokensA[head + block.aBegin + block.aCount - 1].end);
    }
    if (block.bCount > 0) {
      appendRange(out.after, tokensB[head + block.bBegin].begin, tokensB[head + block.bBegin + block.bCount - 1].end);
    }
  }
  return out;
}

TextDiff diffTexts(std::string_view left, std::string_view right, const TextDiffOptions& options) {
  TextDiff out;
  const std::vector<LineRef> linesA = splitLines(left);
  const std::vector<LineRef> linesB = splitLines(right);
  out.leftLineCount = static_cast<int>(linesA.size());
  out.rightLineCount = static_cast<int>(linesB.size());

  Interner interner;
  std::vector<int> idsA, idsB;
  idsA.reserve(linesA.size());
  idsB.reserve(linesB.size());
  for (const LineRef& line : linesA) idsA.push_back(interner.id(line.key));
  for (const LineRef& line : linesB) idsB.push_back(interner.id(line.key));

  Myers myers(idsA, idsB, options.cancel);
  if (!myers.run()) {
    out.cancelled = true;
    return out;
  }
  std::vector<Block> blocks = blocksFromMarks(myers.changedA(), myers.changedB());
  slideBlocks(blocks, idsA, idsB, linesA, linesB);

  // Rows and unified lines, chunk by chunk.
  for (const Block& block : blocks) {
    if (options.cancel != nullptr && options.cancel->load(std::memory_order_relaxed)) {
      out.cancelled = true;
      return out;
    }
    DiffChunk chunk;
    chunk.changed = block.changed;
    chunk.leftBegin = block.aBegin;
    chunk.leftCount = block.aCount;
    chunk.rightBegin = block.bBegin;
    chunk.rightCount = block.bCount;
    chunk.firstRow = static_cast<int>(out.rows.size());
    chunk.firstUnified = static_cast<int>(out.unified.size());
    if (!block.changed) {
      for (int k = 0; k < block.aCount; ++k) {
        DiffRow row;
        row.kind = DiffRowKind::Equal;
        row.left = makeLine(linesA[block.aBegin + k], block.aBegin + k);
        row.right = makeLine(linesB[block.bBegin + k], block.bBegin + k);
        out.unified.push_back({static_cast<int>(out.rows.size()), UnifiedLine::Side::Both});
        out.rows.push_back(std::move(row));
      }
    } else {
      out.changes.push_back(static_cast<int>(out.chunks.size()));
      out.removedLines += block.aCount;
      out.addedLines += block.bCount;
      std::vector<std::pair<int, int>> pairs =
          pairLines(linesA, block.aBegin, block.aCount, linesB, block.bBegin, block.bCount);
      pairs.emplace_back(block.aCount, block.bCount);  // the end, as a last pair
      int i = 0, j = 0;
      for (const auto& [pi, pj] : pairs) {
        // Unpaired lines before the pair share rows side by side, then the
        // rest stand alone.
        while (i < pi || j < pj) {
          DiffRow row;
          if (i < pi) row.left = makeLine(linesA[block.aBegin + i], block.aBegin + i);
          if (j < pj) row.right = makeLine(linesB[block.bBegin + j], block.bBegin + j);
          row.kind = i < pi && j < pj ? DiffRowKind::Changed : (i < pi ? DiffRowKind::Removed : DiffRowKind::Added);
          if (i < pi) ++i;
          if (j < pj) ++j;
          out.rows.push_back(std::move(row));
        }
        if (pi == block.aCount) break;
        DiffRow row;
        row.kind = DiffRowKind::Changed;
        row.left = makeLine(linesA[block.aBegin + pi], block.aBegin + pi);
        row.right = makeLine(linesB[block.bBegin + pj], block.bBegin + pj);
        LineHighlights h = diffLinePair(row.left.text, row.right.text, options.maxWordDiffBytes);
        row.left.highlights = std::move(h.before);
        row.right.highlights = std::move(h.after);
        out.rows.push_back(std::move(row));
        i = pi + 1;
        j = pj + 1;
      }
      for (int r = chunk.firstRow; r < static_cast<int>(out.rows.size()); ++r) {
        if (!out.rows[r].left.isFiller()) out.unified.push_back({r, UnifiedLine::Side::Left});
      }
      for (int r = chunk.firstRow; r < static_cast<int>(out.rows.size()); ++r) {
        if (!out.rows[r].right.isFiller()) out.unified.push_back({r, UnifiedLine::Side::Right});
      }
    }
    chunk.rowCount = static_cast<int>(out.rows.size()) - chunk.firstRow;
    chunk.unifiedCount = static_cast<int>(out.unified.size()) - chunk.firstUnified;
    out.chunks.push_back(chunk);
  }
  if (out.changes.empty()) return out;

  // Hunks: each change with up to `context` equal rows around it; changes
  // closer than twice that share a hunk, as in `diff -u`.
  const int context = std::max(options.context, 0);
  const int rowCount = static_cast<int>(out.rows.size());
  std::vector<int> rowToUnified(static_cast<std::size_t>(rowCount) + 1, static_cast<int>(out.unified.size()));
  for (const DiffChunk& chunk : out.chunks) {
    for (int k = 0; k < chunk.rowCount; ++k) {
      rowToUnified[chunk.firstRow + k] = chunk.changed ? chunk.firstUnified : chunk.firstUnified + k;
    }
  }
  std::vector<int> leftBefore(static_cast<std::size_t>(rowCount) + 1, 0);
  std::vector<int> rightBefore(static_cast<std::size_t>(rowCount) + 1, 0);
  for (int r = 0; r < rowCount; ++r) {
    leftBefore[r + 1] = leftBefore[r] + (out.rows[r].left.isFiller() ? 0 : 1);
    rightBefore[r + 1] = rightBefore[r] + (out.rows[r].right.isFiller() ? 0 : 1);
  }
  std::vector<std::pair<int, int>> spans;  // row ranges [begin, end)
  for (int c : out.changes) {
    const DiffChunk& chunk = out.chunks[c];
    const int before = c > 0 ? std::min(context, out.chunks[c - 1].rowCount) : 0;
    const int after = c + 1 < static_cast<int>(out.chunks.size()) ? std::min(context, out.chunks[c + 1].rowCount) : 0;
    const int begin = chunk.firstRow - before;
    const int end = chunk.firstRow + chunk.rowCount + after;
    if (!spans.empty() && begin <= spans.back().second) {
      spans.back().second = end;
    } else {
      spans.emplace_back(begin, end);
    }
  }
  int foldFrom = 0;
  for (const auto& [begin, end] : spans) {
    DiffHunk hunk;
    hunk.firstRow = begin;
    hunk.rowCount = end - begin;
    hunk.leftCount = leftBefore[end] - leftBefore[begin];
    hunk.rightCount = rightBefore[end] - rightBefore[begin];
    hunk.leftStart = leftBefore[begin] + (hunk.leftCount > 0 ? 1 : 0);
    hunk.rightStart = rightBefore[begin] + (hunk.rightCount > 0 ? 1 : 0);
    hunk.firstUnified = rowToUnified[begin];
    hunk.unifiedCount = rowToUnified[end] - hunk.firstUnified;
    out.hunks.push_back(hunk);
    if (begin > foldFrom) out.folds.push_back({foldFrom, begin - foldFrom, rowToUnified[foldFrom]});
    foldFrom = end;
  }
  if (foldFrom < rowCount) out.folds.push_back({foldFrom, rowCount - foldFrom, rowToUnified[foldFrom]});
  return out;
}

std::string unifiedPatch(const TextDiff& diff, std::string_view leftName, std::string_view rightName) {
  std::string out;
  if (diff.hunks.empty()) return out;
  out.append("--- a/").append(leftName).append("\n");
  out.append("+++ b/").append(rightName).append("\n");
  auto appendLine = [&out](char mark, const DiffLine& line) {
    out.push_back(mark);
    out.append(line.text);
    switch (line.ending) {
      case LineEnding::Lf: out.append("\n"); break;
      case LineEnding::CrLf: out.append("\r\n"); break;
      case LineEnding::None: out.append("\n\\ No newline at end of file\n"); break;
    }
  };
  for (const DiffHunk& hunk : diff.hunks) {
    out.append(hunk.header()).append("\n");
    for (int u = hunk.firstUnified; u < hunk.firstUnified + hunk.unifiedCount; ++u) {
      const UnifiedLine& line = diff.unified[u];
      const DiffRow& row = diff.rows[line.row];
      switch (line.side) {
        case UnifiedLine::Side::Both: appendLine(' ', row.left); break;
        case UnifiedLine::Side::Left: appendLine('-', row.left); break;
        case UnifiedLine::Side::Right: appendLine('+', row.right); break;
      }
    }
  }
  return out;
}

std::string unifiedPatch(std::string_view left, std::string_view right, std::string_view leftName,
                         std::string_view rightName, int context) {
  TextDiffOptions options;
  options.context = context;
  return unifiedPatch(diffTexts(left, right, options), leftName, rightName);
}

}  // namespace podscope::core
