// The line diff model: rows, chunks, hunks, folds and highlights for known
// pairs of texts; patches checked by applying them with `patch` and
// `git apply` and against `diff -u`; random pairs checked against a
// longest-common-subsequence count and by rebuilding both texts.

#include "core/text_diff.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include "core/utf8_columns.h"
#include "support/test_files.h"

namespace podscope::core {
namespace {

namespace fs = std::filesystem;

std::string numbered(int count, const std::string& prefix = "line ") {
  std::string s;
  for (int i = 1; i <= count; ++i) s += prefix + std::to_string(i) + "\n";
  return s;
}

std::string ending(LineEnding e) {
  switch (e) {
    case LineEnding::None: return "";
    case LineEnding::Lf: return "\n";
    case LineEnding::CrLf: return "\r\n";
  }
  return "";
}

/// Both texts put back together from the rows.
std::pair<std::string, std::string> rebuild(const TextDiff& d) {
  std::pair<std::string, std::string> out;
  for (const DiffRow& row : d.rows) {
    if (!row.left.isFiller()) out.first += row.left.text + ending(row.left.ending);
    if (!row.right.isFiller()) out.second += row.right.text + ending(row.right.ending);
  }
  return out;
}

std::string kinds(const TextDiff& d) {
  std::string s;
  for (const DiffRow& row : d.rows) {
    switch (row.kind) {
      case DiffRowKind::Equal: s += '='; break;
      case DiffRowKind::Removed: s += '-'; break;
      case DiffRowKind::Added: s += '+'; break;
      case DiffRowKind::Changed: s += '~'; break;
    }
  }
  return s;
}

/// What the highlights of one side cover, as text.
std::vector<std::string> highlighted(const DiffLine& line) {
  std::vector<std::string> out;
  for (const ByteRange& r : line.highlights) out.push_back(line.text.substr(r.begin, r.end - r.begin));
  return out;
}

// ---------------------------------------------------------------------------
// Rows for known pairs.

struct RowsCase {
  const char* name;
  std::string left;
  std::string right;
  std::string kinds;  ///< one character per row: = - + ~
  int removed;
  int added;
};

class DiffRows : public ::testing::TestWithParam<RowsCase> {};

TEST_P(DiffRows, AlignsAndRebuildsBothTexts) {
  const RowsCase& c = GetParam();
  const TextDiff d = diffTexts(c.left, c.right);
  EXPECT_EQ(kinds(d), c.kinds);
  EXPECT_EQ(d.removedLines, c.removed);
  EXPECT_EQ(d.addedLines, c.added);
  const auto [left, right] = rebuild(d);
  EXPECT_EQ(left, c.left);
  EXPECT_EQ(right, c.right);
  EXPECT_EQ(d.identical(), c.left == c.right);
}

INSTANTIATE_TEST_SUITE_P(
    TextDiff, DiffRows,
    ::testing::Values(RowsCase{"BothEmpty", "", "", "", 0, 0}, RowsCase{"FromEmpty", "", "a\nb\n", "++", 0, 2},
                    RowsCase{"ToEmpty", "a\nb\n", "", "--", 2, 0}, RowsCase{"Identical", "a\nb\n", "a\nb\n", "==", 0, 0},
                    RowsCase{"OneChanged", "a\nb\nc\n", "a\nB\nc\n", "=~=", 1, 1},
                    RowsCase{"Inserted", "a\nc\n", "a\nb\nc\n", "=+=", 0, 1},
                    RowsCase{"Deleted", "a\nb\nc\n", "a\nc\n", "=-=", 1, 0},
                    RowsCase{"NoNewlineEitherSide", "a\nb", "a\nc", "=~", 1, 1},
                    RowsCase{"NewlineAddedAtEnd", "a\nb", "a\nb\n", "=~", 1, 1},
                    RowsCase{"OnlyNoNewline", "x", "x", "=", 0, 0},
                    RowsCase{"CrLf", "a\r\nb\r\nc\r\n", "a\r\nB\r\nc\r\n", "=~=", 1, 1},
                    RowsCase{"CrLfToLf", "a\r\nb\r\n", "a\nb\n", "~~", 2, 2},
                    RowsCase{"BlankLines", "\n\n\n", "\n\nx\n\n", "==+=", 0, 1},
                    // A changed line next to an inserted one pairs with its look-alike.
                    RowsCase{"InsertBeforeEdit", "a: 1\n  image: nginx:1.18\nz\n",
                             "a: 1\n  env: []\n  image: nginx:1.20\nz\n", "=+~=", 1, 2},
                    // Unlike lines share rows side by side.
                    RowsCase{"Rewritten", "a\nfoo\nbar\nz\n", "a\n12345\n67890\nz\n", "=~~=", 2, 2}),
    [](const ::testing::TestParamInfo<RowsCase>& info) { return std::string(info.param.name); });

TEST(TextDiff, RowsCarryLineNumbersAndFillers) {
  const TextDiff d = diffTexts("a\nb\nc\n", "a\nc\nd\n");
  ASSERT_EQ(kinds(d), "=-=+");
  EXPECT_EQ(d.rows[1].left.number, 2);
  EXPECT_EQ(d.rows[1].left.text, "b");
  EXPECT_TRUE(d.rows[1].right.isFiller());
  EXPECT_EQ(d.rows[2].left.number, 3);
  EXPECT_EQ(d.rows[2].right.number, 2);
  EXPECT_TRUE(d.rows[3].left.isFiller());
  EXPECT_EQ(d.rows[3].right.number, 3);
  EXPECT_EQ(d.rows[3].right.text, "d");
}

TEST(TextDiff, CrLfLinesShowWithoutTheCarriageReturn) {
  const TextDiff d = diffTexts("a\r\nb\r\n", "a\r\nc\r\n");
  ASSERT_EQ(d.rows.size(), 2u);
  EXPECT_EQ(d.rows[0].left.text, "a");
  EXPECT_EQ(d.rows[0].left.ending, LineEnding::CrLf);
  EXPECT_EQ(d.rows[1].right.text, "c");
}

TEST(TextDiff, ALineThatOnlyGainsItsNewlineIsChangedWithoutHighlights) {
  const TextDiff d = diffTexts("a\nb", "a\nb\n");
  ASSERT_EQ(kinds(d), "=~");
  EXPECT_EQ(d.rows[1].left.ending, LineEnding::None);
  EXPECT_EQ(d.rows[1].right.ending, LineEnding::Lf);
  EXPECT_TRUE(d.rows[1].left.highlights.empty());
  EXPECT_TRUE(d.rows[1].right.highlights.empty());
}

TEST(TextDiff, AnItemAddedToAYamlListStartsAtItsDash) {
  // Lines repeat around the insertion, so it could be drawn in three
  // places; the one that starts at the item's dash is the readable one.
  const std::string left =
      "containers:\n"
      "- name: a\n"
      "  image: nginx\n"
      "- name: c\n"
      "  image: nginx\n";
  const std::string right =
      "containers:\n"
      "- name: a\n"
      "  image: nginx\n"
      "- name: b\n"
      "  image: nginx\n"
      "- name: c\n"
      "  image: nginx\n";
  const TextDiff d = diffTexts(left, right);
  ASSERT_EQ(kinds(d), "===++==");
  EXPECT_EQ(d.rows[3].right.text, "- name: b");
  EXPECT_EQ(d.rows[4].right.text, "  image: nginx");
}

TEST(TextDiff, AnItemRemovedFromAnIndentedListStartsAtItsDash) {
  const std::string left =
      "  env:\n"
      "  - name: A\n"
      "    value: \"1\"\n"
      "  - name: B\n"
      "    value: \"1\"\n"
      "  ports: []\n";
  const std::string right =
      "  env:\n"
      "  - name: A\n"
      "    value: \"1\"\n"
      "  ports: []\n";
  const TextDiff d = diffTexts(left, right);
  ASSERT_EQ(kinds(d), "===--=");
  EXPECT_EQ(d.rows[3].left.text, "  - name: B");
}

// ---------------------------------------------------------------------------
// Intra-line highlights.

struct HighlightCase {
  const char* name;
  std::string before;
  std::string after;
  std::vector<std::string> beforeParts;
  std::vector<std::string> afterParts;
};

class LineHighlight : public ::testing::TestWithParam<HighlightCase> {};

TEST_P(LineHighlight, MarksTheWordsThatDiffer) {
  const HighlightCase& c = GetParam();
  const LineHighlights h = diffLinePair(c.before, c.after);
  std::vector<std::string> before, after;
  for (const ByteRange& r : h.before) before.push_back(c.before.substr(r.begin, r.end - r.begin));
  for (const ByteRange& r : h.after) after.push_back(c.after.substr(r.begin, r.end - r.begin));
  EXPECT_EQ(before, c.beforeParts);
  EXPECT_EQ(after, c.afterParts);
  for (const ByteRange& r : h.before) {
    EXPECT_LT(r.begin, r.end);
    EXPECT_FALSE(r.begin < static_cast<int>(c.before.size()) && isUtf8ContinuationByte(c.before[r.begin]));
    EXPECT_FALSE(r.end < static_cast<int>(c.before.size()) && isUtf8ContinuationByte(c.before[r.end]));
  }
  for (const ByteRange& r : h.after) {
    EXPECT_LT(r.begin, r.end);
    EXPECT_FALSE(r.begin < static_cast<int>(c.after.size()) && isUtf8ContinuationByte(c.after[r.begin]));
    EXPECT_FALSE(r.end < static_cast<int>(c.after.size()) && isUtf8ContinuationByte(c.after[r.end]));
  }
}

using Parts = std::vector<std::string>;

INSTANTIATE_TEST_SUITE_P(
    TextDiff, LineHighlight,
    ::testing::Values(
        HighlightCase{"ImageTag", "    image: nginx:1.18", "    image: nginx:1.20.1", Parts{"18"}, Parts{"20.1"}},
        HighlightCase{"Word", "  value: info", "  value: debug", Parts{"info"}, Parts{"debug"}},
        HighlightCase{"WholeWordNotLetters", "periodSeconds: 10", "periodSeconds: 15", Parts{"10"}, Parts{"15"}},
        HighlightCase{"TwoPlaces", "- --port=80 --verbose=false", "- --port=8080 --verbose=true", Parts{"80", "false"},
                      Parts{"8080", "true"}},
        HighlightCase{"Inserted", "args: [a, c]", "args: [a, b, c]", Parts{}, Parts{"b, "}},
        HighlightCase{"Deleted", "args: [a, b, c]", "args: [a, c]", Parts{"b, "}, Parts{}},
        HighlightCase{"Indentation", "  key: v", "    key: v", Parts{}, Parts{"  "}},
        HighlightCase{"AccentedLettersShareALeadByte", "name: café", "name: cafè", Parts{"café"}, Parts{"cafè"}},
        HighlightCase{"Emoji", "note: 👍 ok", "note: 👎 ok", Parts{"👍"}, Parts{"👎"}},
        HighlightCase{"CjkAppended", "title: 日本", "title: 日本語", Parts{}, Parts{"語"}},
        HighlightCase{"Same", "same", "same", Parts{}, Parts{}}),
    [](const ::testing::TestParamInfo<HighlightCase>& info) { return std::string(info.param.name); });

TEST(TextDiff, ChangedRowsCarryHighlights) {
  const TextDiff d = diffTexts("kind: Pod\nimage: nginx:1.18\n", "kind: Pod\nimage: nginx:1.20.1\n");
  ASSERT_EQ(kinds(d), "=~");
  EXPECT_EQ(highlighted(d.rows[1].left), Parts{"18"});
  EXPECT_EQ(highlighted(d.rows[1].right), Parts{"20.1"});
  EXPECT_TRUE(d.rows[0].left.highlights.empty());
}

TEST(TextDiff, VeryLongLinesGetOneBoundedHighlight) {
  std::string before(200000, 'x');
  std::string after = before;
  after[100000] = 'y';
  after[100002] = 'z';
  const auto start = std::chrono::steady_clock::now();
  const TextDiff d = diffTexts("a\n" + before + "\n", "a\n" + after + "\n");
  const auto elapsed = std::chrono::steady_clock::now() - start;
  ASSERT_EQ(kinds(d), "=~");
  ASSERT_EQ(d.rows[1].left.highlights.size(), 1u);
  EXPECT_EQ(d.rows[1].left.highlights[0], (ByteRange{100000, 100003}));
  EXPECT_EQ(d.rows[1].right.highlights[0], (ByteRange{100000, 100003}));
  EXPECT_LT(elapsed, std::chrono::seconds(1));
}

TEST(TextDiff, LongLinesOfManyWordsStayBelowTheBound) {
  // Every word differs: the word diff is skipped past the bound.
  std::string before, after;
  for (int i = 0; i < 5000; ++i) {
    before += "a" + std::to_string(i) + " ";
    after += "b" + std::to_string(i) + " ";
  }
  const LineHighlights h = diffLinePair(before, after, 4096);
  ASSERT_EQ(h.before.size(), 1u);
  EXPECT_EQ(h.before[0].begin, 0);
}

TEST(TextDiff, LongUtf8LineHighlightsEndOnCodePoints) {
  std::string before, after;
  for (int i = 0; i < 3000; ++i) before += "é";
  after = before;
  after.replace(3000, 2, "è");  // same lead byte, different continuation
  const LineHighlights h = diffLinePair(before, after, 100);
  ASSERT_EQ(h.before.size(), 1u);
  EXPECT_EQ(h.before[0], (ByteRange{3000, 3002}));
  EXPECT_EQ(h.after[0], (ByteRange{3000, 3002}));
}

// ---------------------------------------------------------------------------
// Hunks, folds, changes.

TEST(TextDiff, FoldsHideUnchangedRunsLongerThanTwiceTheContext) {
  std::string left = numbered(40);
  std::string right = left;
  right.replace(right.find("line 20\n"), 8, "line twenty\n");
  const TextDiff d = diffTexts(left, right);
  ASSERT_EQ(d.changes.size(), 1u);
  ASSERT_EQ(d.hunks.size(), 1u);
  EXPECT_EQ(d.hunks[0].header(), "@@ -17,7 +17,7 @@");
  ASSERT_EQ(d.folds.size(), 2u);
  EXPECT_EQ(d.folds[0].firstRow, 0);
  EXPECT_EQ(d.folds[0].rowCount, 16);
  EXPECT_EQ(d.folds[1].firstRow, 23);
  EXPECT_EQ(d.folds[1].rowCount, 17);

  TextDiffOptions wide;
  wide.context = 10;
  const TextDiff w = diffTexts(left, right, wide);
  ASSERT_EQ(w.folds.size(), 2u);
  EXPECT_EQ(w.folds[0].rowCount, 9);
  EXPECT_EQ(w.hunks[0].header(), "@@ -10,21 +10,21 @@");
}

struct FoldCase {
  int gap;  ///< unchanged lines between two changes
  std::size_t hunks;
  std::size_t folds;
};

class FoldGap : public ::testing::TestWithParam<FoldCase> {};

TEST_P(FoldGap, ChangesCloserThanTwiceTheContextShareAHunk) {
  const FoldCase& c = GetParam();
  std::string left = "a\n";
  for (int i = 0; i < c.gap; ++i) left += "same " + std::to_string(i) + "\n";
  left += "b\n";
  std::string right = "A\n" + left.substr(2, left.size() - 4) + "B\n";
  const TextDiff d = diffTexts(left, right);
  EXPECT_EQ(d.changes.size(), 2u);
  EXPECT_EQ(d.hunks.size(), c.hunks);
  EXPECT_EQ(d.folds.size(), c.folds);
  if (!d.folds.empty()) {
    EXPECT_EQ(d.folds[0].rowCount, c.gap - 6);
  }
}

INSTANTIATE_TEST_SUITE_P(TextDiff, FoldGap,
                         ::testing::Values(FoldCase{1, 1, 0}, FoldCase{5, 1, 0}, FoldCase{6, 1, 0}, FoldCase{7, 2, 1},
                                         FoldCase{30, 2, 1}));

TEST(TextDiff, IdenticalTextsHaveNoFoldsHunksOrChanges) {
  const TextDiff d = diffTexts(numbered(100), numbered(100));
  EXPECT_TRUE(d.identical());
  EXPECT_TRUE(d.folds.empty());
  EXPECT_TRUE(d.hunks.empty());
  EXPECT_EQ(d.rows.size(), 100u);
  EXPECT_EQ(unifiedPatch(d, "a.yaml", "a.yaml"), "");
}

TEST(TextDiff, ChangesIndexTheChangedChunksInOrder) {
  std::string left = numbered(60);
  std::string right = left;
  right.replace(right.find("line 5\n"), 7, "line five\n");
  right.replace(right.find("line 30\n"), 8, "");
  right += "line 61\n";
  const TextDiff d = diffTexts(left, right);
  ASSERT_EQ(d.changes.size(), 3u);
  std::vector<int> firstRows;
  for (int c : d.changes) {
    EXPECT_TRUE(d.chunks[c].changed);
    firstRows.push_back(d.chunks[c].firstRow);
  }
  EXPECT_EQ(firstRows, (std::vector<int>{4, 29, 60}));
  EXPECT_EQ(d.rows[29].kind, DiffRowKind::Removed);
  EXPECT_EQ(d.rows[60].kind, DiffRowKind::Added);
  // Unified lines: a changed chunk lists its removed lines, then its added ones.
  const DiffChunk& first = d.chunks[d.changes[0]];
  ASSERT_EQ(first.unifiedCount, 2);
  EXPECT_EQ(d.unified[first.firstUnified].side, UnifiedLine::Side::Left);
  EXPECT_EQ(d.unified[first.firstUnified + 1].side, UnifiedLine::Side::Right);
}

TEST(TextDiff, CancelledBeforeStartingReturnsAnIncompleteResult) {
  std::atomic<bool> cancel{true};
  TextDiffOptions options;
  options.cancel = &cancel;
  const TextDiff d = diffTexts(numbered(1000), numbered(1000, "other "), options);
  EXPECT_TRUE(d.cancelled);
  EXPECT_TRUE(d.rows.empty());
}

// ---------------------------------------------------------------------------
// Patches.

TEST(TextDiff, PatchHasGitStyleHeadersAndNoNewlineMarkers) {
  const std::string patch = unifiedPatch("a\nb", "a\nc", "web.yaml", "web.yaml");
  EXPECT_EQ(patch,
            "--- a/web.yaml\n"
            "+++ b/web.yaml\n"
            "@@ -1,2 +1,2 @@\n"
            " a\n"
            "-b\n"
            "\\ No newline at end of file\n"
            "+c\n"
            "\\ No newline at end of file\n");
}

TEST(TextDiff, PatchFromAndToEmpty) {
  EXPECT_EQ(unifiedPatch("", "x\n", "f", "f"), "--- a/f\n+++ b/f\n@@ -0,0 +1 @@\n+x\n");
  EXPECT_EQ(unifiedPatch("x\ny\n", "", "f", "f"), "--- a/f\n+++ b/f\n@@ -1,2 +0,0 @@\n-x\n-y\n");
}

/// A scratch directory for the external tools, removed afterwards.
class ScratchDir {
 public:
  ScratchDir() {
    std::string templ = (fs::temp_directory_path() / "podscope-diff-XXXXXX").string();
    if (mkdtemp(templ.data()) != nullptr) m_path = templ;
  }
  ~ScratchDir() {
    std::error_code ec;
    if (!m_path.empty()) fs::remove_all(m_path, ec);
  }
  const fs::path& path() const { return m_path; }
  void write(const std::string& name, const std::string& bytes) const {
    std::ofstream out(m_path / name, std::ios::binary);
    out << bytes;
  }
  std::string read(const std::string& name) const { return podscope::testing::readFileBytes(m_path / name); }
  int run(const std::string& command) const {
    return std::system(("cd '" + m_path.string() + "' && (" + command + ") >/dev/null 2>&1").c_str());
  }

 private:
  fs::path m_path;
};

bool haveTool(const char* probe) { return std::system((std::string(probe) + " >/dev/null 2>&1").c_str()) == 0; }

struct PatchCase {
  const char* name;
  std::string left;
  std::string right;
};

std::string yamlTemplate(const std::string& image, int period, bool withEnv) {
  std::string s =
      "metadata:\n"
      "  labels:\n"
      "    app: web\n"
      "spec:\n"
      "  containers:\n"
      "  - name: web\n"
      "    image: " +
      image +
      "\n"
      "    ports:\n"
      "    - containerPort: 80\n";
  if (withEnv) s += "    env:\n    - name: LOG_LEVEL\n      value: debug\n";
  s += "    readinessProbe:\n      httpGet:\n        path: /healthz\n        port: 80\n      periodSeconds: " +
       std::to_string(period) + "\n";
  for (int i = 0; i < 20; ++i) s += "  # filler " + std::to_string(i) + "\n";
  s += "  restartPolicy: Always\n";
  return s;
}

std::vector<PatchCase> patchCases() {
  std::vector<PatchCase> cases = {
      {"Template", yamlTemplate("nginx:1.18", 10, false), yamlTemplate("nginx:1.20.1", 5, true)},
      {"FromEmpty", "", "a\nb\n"},
      {"ToEmpty", "a\nb\n", ""},
      {"NoNewlineLeft", "a\nb\nc", "a\nb\nc\n"},
      {"NoNewlineRight", "a\nb\nc\n", "a\nB\nc"},
      {"NoNewlineBoth", "x\ny", "x\nz"},
      {"CrLf", "a\r\nb\r\nc\r\n", "a\r\nB\r\nc\r\nd\r\n"},
      {"Utf8", "name: café\nnote: 👍\n", "name: cafè\nnote: 👎\n"},
      {"FarApart", numbered(50), [] {
         std::string r = numbered(50);
         r.replace(r.find("line 3\n"), 7, "three\n");
         r.replace(r.find("line 45\n"), 8, "forty-five\n");
         return r;
       }()},
  };
  // Random pairs over a small alphabet: many repeated lines, many ways to align.
  std::mt19937 rng(20240501);
  for (int n = 0; n < 12; ++n) {
    std::string a, b;
    const int lines = 5 + static_cast<int>(rng() % 60);
    for (int i = 0; i < lines; ++i) {
      const std::string line = std::string(1, static_cast<char>('a' + rng() % 4)) + "\n";
      if (rng() % 5 != 0) a += line;
      if (rng() % 5 != 0) b += rng() % 7 == 0 ? std::string("x\n") : line;
    }
    if (n % 3 == 0 && !b.empty()) b.pop_back();  // no final newline
    cases.push_back({"Random", a, b});
  }
  return cases;
}

TEST(TextDiff, PatchAppliesWithPatchAndGitApply) {
  if (!haveTool("patch --version") || !haveTool("git --version")) GTEST_SKIP() << "patch or git is not installed";
  for (const PatchCase& c : patchCases()) {
    SCOPED_TRACE(c.name);
    ScratchDir dir;
    ASSERT_FALSE(dir.path().empty());
    const std::string patch = unifiedPatch(c.left, c.right, "pod-template.yaml", "pod-template.yaml");
    if (c.left == c.right) {
      EXPECT_TRUE(patch.empty());
      continue;
    }
    dir.write("change.patch", patch);
    dir.write("left.yaml", c.left);
    ASSERT_EQ(dir.run("patch --quiet --batch -o out.yaml left.yaml change.patch"), 0) << patch;
    EXPECT_EQ(dir.read("out.yaml"), c.right) << patch;

    dir.write("pod-template.yaml", c.left);
    ASSERT_EQ(dir.run("git apply --whitespace=nowarn change.patch"), 0) << patch;
    EXPECT_EQ(dir.read("pod-template.yaml"), c.right) << patch;
  }
}

TEST(TextDiff, PatchMatchesDiffUWhereTheAlignmentIsUnambiguous) {
  if (!haveTool("diff --version")) GTEST_SKIP() << "diff is not installed";
  std::string left = numbered(80);
  std::string right = left;
  right.replace(right.find("line 10\n"), 8, "line ten\n");
  right.replace(right.find("line 40\n"), 8, "line 40\nline 40.5\n");
  right.replace(right.find("line 77\n"), 8, "");
  const std::vector<std::pair<std::string, std::string>> pairs = {
      {left, right}, {"a\nb\nc", "a\nb\nd"}, {"", "one\n"}, {"x\r\ny\r\n", "x\r\nY\r\n"}};
  for (const auto& [l, r] : pairs) {
    ScratchDir dir;
    dir.write("l", l);
    dir.write("r", r);
    dir.run("diff -u l r > out.diff");
    std::string expected = dir.read("out.diff");
    // Drop `diff -u`'s two header lines (they carry timestamps).
    for (int i = 0; i < 2; ++i) expected.erase(0, expected.find('\n') + 1);
    std::string actual = unifiedPatch(l, r, "l", "r");
    for (int i = 0; i < 2; ++i) actual.erase(0, actual.find('\n') + 1);
    EXPECT_EQ(actual, expected);
  }
}

// ---------------------------------------------------------------------------
// Random pairs: the script is a shortest one, and both texts come back.

int lcsLength(const std::vector<std::string>& a, const std::vector<std::string>& b) {
  std::vector<std::vector<int>> t(a.size() + 1, std::vector<int>(b.size() + 1, 0));
  for (std::size_t i = 1; i <= a.size(); ++i) {
    for (std::size_t j = 1; j <= b.size(); ++j) {
      t[i][j] = a[i - 1] == b[j - 1] ? t[i - 1][j - 1] + 1 : std::max(t[i - 1][j], t[i][j - 1]);
    }
  }
  return t[a.size()][b.size()];
}

TEST(TextDiff, RandomPairsGetAShortestScript) {
  std::mt19937 rng(7);
  for (int n = 0; n < 200; ++n) {
    std::vector<std::string> a, b;
    std::string left, right;
    const int alphabet = 2 + static_cast<int>(rng() % 6);
    const int na = static_cast<int>(rng() % 40);
    const int nb = static_cast<int>(rng() % 40);
    for (int i = 0; i < na; ++i) a.push_back(std::to_string(rng() % alphabet));
    for (int i = 0; i < nb; ++i) b.push_back(std::to_string(rng() % alphabet));
    for (const std::string& s : a) left += s + "\n";
    for (const std::string& s : b) right += s + "\n";
    const TextDiff d = diffTexts(left, right);
    int equal = 0;
    for (const DiffRow& row : d.rows) equal += row.kind == DiffRowKind::Equal ? 1 : 0;
    EXPECT_EQ(equal, lcsLength(a, b)) << left << "---\n" << right;
    const auto [l, r] = rebuild(d);
    EXPECT_EQ(l, left);
    EXPECT_EQ(r, right);
    EXPECT_EQ(d.removedLines, na - equal);
    EXPECT_EQ(d.addedLines, nb - equal);
  }
}

TEST(TextDiff, LargeUnrelatedTextsFinishThroughTheCostBound) {
  // Thousands of edits: the search gives up on a shortest script and must
  // still produce a valid one, quickly.
  std::mt19937 rng(11);
  std::string left, right;
  for (int i = 0; i < 20000; ++i) left += std::to_string(rng() % 8) + "\n";
  for (int i = 0; i < 20000; ++i) right += std::to_string(rng() % 8) + "\n";
  const auto start = std::chrono::steady_clock::now();
  const TextDiff d = diffTexts(left, right);
  const auto elapsed = std::chrono::steady_clock::now() - start;
  const auto [l, r] = rebuild(d);
  EXPECT_EQ(l, left);
  EXPECT_EQ(r, right);
  EXPECT_FALSE(d.identical());
  EXPECT_LT(elapsed, std::chrono::seconds(5));
}

}  // namespace
}  // namespace podscope::core
