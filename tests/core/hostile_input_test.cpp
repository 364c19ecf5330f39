// The manifest reader against input meant to hurt it: oversized, binary or
// mis-encoded files, nesting and alias expansion meant to exhaust the stack
// or memory, and numbers that would wrap into plausible values. Each must
// end as a finding that says what is wrong and where, never as a crash, a
// hang or a silently wrong model. tests/fuzz covers the input nobody thought
// of; these pin down the cases somebody did.

#include <sys/resource.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <initializer_list>
#include <sstream>
#include <string>
#include <string_view>

#include "core/diagnostic.h"
#include "core/manifest_reader.h"
#include "core/yaml_tree.h"

namespace podscope::core {
namespace {

constexpr std::size_t kMiB = 1024 * 1024;

std::string seed(const std::string& name) {
  std::string path = std::string(PODSCOPE_SEEDS_DIR) + "/" + name;
  std::ifstream in(path, std::ios::binary);
  EXPECT_TRUE(in) << "seed manifest missing: " << path;
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string repeat(std::string_view piece, std::size_t times) {
  std::string out;
  out.reserve(piece.size() * times);
  for (std::size_t i = 0; i < times; ++i) out += piece;
  return out;
}

std::string allFindings(const std::vector<Diagnostic>& diagnostics) {
  std::string out;
  for (const Diagnostic& d : diagnostics) out += "\n  " + formatDiagnostic(d);
  return out.empty() ? "\n  (no findings)" : out;
}
std::string allFindings(const Manifest& m) { return allFindings(m.diagnostics); }

const Diagnostic* findRule(const std::vector<Diagnostic>& diagnostics, std::string_view rule) {
  auto it = std::find_if(diagnostics.begin(), diagnostics.end(), [&](const Diagnostic& d) { return d.rule == rule; });
  return it == diagnostics.end() ? nullptr : &*it;
}
const Diagnostic* findRule(const Manifest& m, std::string_view rule) { return findRule(m.diagnostics, rule); }

const Diagnostic* findErrorAt(const Manifest& m, std::string_view path) {
  auto it = std::find_if(m.diagnostics.begin(), m.diagnostics.end(),
                         [&](const Diagnostic& d) { return d.severity == Severity::Error && d.path == path; });
  return it == m.diagnostics.end() ? nullptr : &*it;
}

bool mentionsAny(std::string_view text, std::initializer_list<std::string_view> words) {
  return std::any_of(words.begin(), words.end(), [&](std::string_view w) { return text.find(w) != std::string_view::npos; });
}

// "line:column", so a failed comparison reads like the editor's status bar.
std::string at(SourcePos p) { return std::to_string(p.line) + ":" + std::to_string(p.column); }

std::size_t runnableCount(const Manifest& m) {
  return static_cast<std::size_t>(
      std::count_if(m.documents.begin(), m.documents.end(), [](const Document& d) { return d.runnable(); }));
}

// The process's high-water mark of resident memory. It only ever grows, so
// a difference across one call bounds what that call needed at its peak.
std::size_t peakRssBytes() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<std::size_t>(usage.ru_maxrss) * 1024;
}

const std::string kPod =
    "apiVersion: v1\n"
    "kind: Pod\n"
    "metadata:\n"
    "  name: p\n"
    "spec:\n"
    "  containers:\n"
    "  - name: c\n"
    "    image: busybox:1.36\n";

// --- the bytes themselves -------------------------------------------------

TEST(HostileInput, FileOverTheSizeLimitIsRefusedNamingSizeAndLimit) {
  std::string text = kPod + repeat("# padding to make the file large\n", 5 * kMiB / 33 + 1);
  text.resize(5 * kMiB);
  text.back() = '\n';

  Manifest m = readManifest(text, "big.yaml");

  const Diagnostic* d = findRule(m, "file-too-large");
  ASSERT_NE(d, nullptr) << allFindings(m);
  EXPECT_EQ(d->severity, Severity::Error);
  EXPECT_EQ(d->file, "big.yaml");
  EXPECT_TRUE(mentionsAny(d->message, {"5242880", "5 MiB", "5.0 MiB"})) << "names the file's size: " << d->message;
  EXPECT_TRUE(mentionsAny(d->message, {"4194304", "4 MiB", "4.0 MiB"})) << "names the limit: " << d->message;
  // Refused before parsing: nothing else to say about a file not read.
  EXPECT_EQ(m.diagnostics.size(), 1u) << allFindings(m);
  EXPECT_TRUE(m.documents.empty());
}

// One byte over: rounded to a tenth of a MiB, size and limit read the same
// ("4.0 MiB; larger than 4.0 MiB"), so the message must give the bytes.
TEST(HostileInput, FileJustOverTheSizeLimitSaysByHowMuch) {
  const std::size_t size = YamlLimits{}.maxBytes + 1;
  std::string text = kPod + std::string(size - kPod.size() - 1, '#') + "\n";

  Manifest m = readManifest(text, "big.yaml");
  const Diagnostic* d = findRule(m, "file-too-large");
  ASSERT_NE(d, nullptr) << allFindings(m);
  EXPECT_NE(d->message.find(std::to_string(size)), std::string::npos) << d->message;

  std::string path = testing::TempDir() + "podscope-just-over.yaml";
  {
    std::ofstream out(path, std::ios::binary);
    out << text;
  }
  Result<Manifest> fromFile = readManifestFile(path);
  std::remove(path.c_str());
  ASSERT_TRUE(fromFile.has_value()) << fromFile.error().toString();
  d = findRule(*fromFile, "file-too-large");
  ASSERT_NE(d, nullptr) << allFindings(*fromFile);
  EXPECT_NE(d->message.find(std::to_string(size)), std::string::npos) << d->message;
}

TEST(HostileInput, FileExactlyAtTheSizeLimitIsRead) {
  std::string text = kPod;
  std::string padding = "# padding\n";
  while (text.size() + padding.size() < YamlLimits{}.maxBytes) text += padding;
  text += std::string(YamlLimits{}.maxBytes - text.size() - 1, ' ') + "\n";
  ASSERT_EQ(text.size(), 4 * kMiB);

  Manifest m = readManifest(text, "limit.yaml");

  EXPECT_EQ(findRule(m, "file-too-large"), nullptr) << allFindings(m);
  ASSERT_NE(m.firstPod(), nullptr) << allFindings(m);
  EXPECT_EQ(m.firstPod()->pod->spec.containers.at(0).image, "busybox:1.36");
}

TEST(HostileInput, NulBytesMakeItABinaryFile) {
  std::string text = "apiVersion: v1\nkind: Pod";
  text += std::string("\0\0\x01\x02\0", 5);
  text += "\nmetadata: {name: p}\n";

  Manifest m = readManifest(text, "image.bin");

  const Diagnostic* d = findRule(m, "binary-file");
  ASSERT_NE(d, nullptr) << allFindings(m);
  EXPECT_EQ(d->severity, Severity::Error);
  EXPECT_NE(d->message.find("binary"), std::string::npos) << d->message;
  EXPECT_TRUE(m.documents.empty());
}

struct BadUtf8Case {
  const char* name;
  std::string text;
  int line;
  int column;
};

class InvalidUtf8 : public testing::TestWithParam<BadUtf8Case> {};

TEST_P(InvalidUtf8, NamesLineAndColumnOfTheFirstBadByte) {
  const BadUtf8Case& c = GetParam();

  Manifest m = readManifest(c.text, "bad.yaml");

  const Diagnostic* d = findRule(m, "invalid-utf8");
  ASSERT_NE(d, nullptr) << allFindings(m);
  EXPECT_EQ(d->severity, Severity::Error);
  EXPECT_EQ(d->range.begin.line, c.line) << formatDiagnostic(*d);
  EXPECT_EQ(d->range.begin.column, c.column) << formatDiagnostic(*d);
  EXPECT_NE(d->message.find("UTF-8"), std::string::npos) << d->message;
  EXPECT_TRUE(m.documents.empty());
  // One finding for the file, not one per bad byte.
  EXPECT_EQ(std::count_if(m.diagnostics.begin(), m.diagnostics.end(),
                          [](const Diagnostic& x) { return x.rule == "invalid-utf8"; }),
            1)
      << allFindings(m);
}

// Every bad byte follows ASCII on its line, so byte and character columns
// agree and the case does not depend on which of the two the reader counts.
INSTANTIATE_TEST_SUITE_P(
    HostileInput, InvalidUtf8,
    testing::Values(
        BadUtf8Case{"StrayContinuationByte", "apiVersion: v1\nkind: Pod\nmetadata:\n  name: abc\x80\xff\n", 4, 12},
        BadUtf8Case{"Latin1Byte", "apiVersion: v1\nkind: Pod\nmetadata: {name: caf\xe9}\n", 3, 21},
        BadUtf8Case{"OverlongSlash", "a: \xc0\xaf\n", 1, 4},
        BadUtf8Case{"Surrogate", "a: b\nc: \xed\xa0\x80\n", 2, 4},
        BadUtf8Case{"AboveU10FFFF", "a: \xf4\x90\x80\x80\n", 1, 4},
        BadUtf8Case{"CutOffAtEndOfFile", "a: b\nc: \xe2\x82", 2, 4},
        BadUtf8Case{"SecondOfTwo", "a: ok\nb: fine\n\nc: x\xff\nd: \xfe\n", 4, 5}),
    [](const testing::TestParamInfo<BadUtf8Case>& info) { return info.param.name; });

// The editor jumps to whatever column a finding names; an encoding error
// and a syntax error at the same spot must name the same column, whether
// the reader counts bytes or characters.
TEST(HostileInput, EncodingAndSyntaxErrorsCountColumnsAlike) {
  Manifest encoding = readManifest("a: \xc3\xa9\xff\n", "cols.yaml");
  Manifest syntax = readManifest("a: \xc3\xa9: b\n", "cols.yaml");

  const Diagnostic* e = findRule(encoding, "invalid-utf8");
  const Diagnostic* y = findRule(syntax, "yaml-syntax");
  ASSERT_NE(e, nullptr) << allFindings(encoding);
  ASSERT_NE(y, nullptr) << allFindings(syntax);
  EXPECT_EQ(e->range.begin.column, y->range.begin.column)
      << "both point just after \"a: \xc3\xa9\":\n  " << formatDiagnostic(*e) << "\n  " << formatDiagnostic(*y);
}

TEST(HostileInput, ValidMultiByteTextIsNotMistakenForBadUtf8) {
  std::string text = kPod + "    args: [\"caf\xc3\xa9\", \"\xe6\x97\xa5\xe6\x9c\xac\", \"\xf0\x9f\x9a\x80\"]\n";

  Manifest m = readManifest(text, "utf8.yaml");

  EXPECT_FALSE(m.hasErrors()) << allFindings(m);
  ASSERT_NE(m.firstPod(), nullptr);
  const Container& c = m.firstPod()->pod->spec.containers.at(0);
  ASSERT_EQ(c.args.size(), 3u);
  EXPECT_EQ(c.args[2], "\xf0\x9f\x9a\x80");
}

std::string utf16(std::string_view ascii, bool bigEndian) {
  std::string out = bigEndian ? "\xfe\xff" : "\xff\xfe";
  for (char ch : ascii) {
    out += bigEndian ? std::string{'\0', ch} : std::string{ch, '\0'};
  }
  return out;
}

TEST(HostileInput, Utf16IsRefusedWithAnEncodingHint) {
  for (bool bigEndian : {false, true}) {
    SCOPED_TRACE(bigEndian ? "UTF-16BE" : "UTF-16LE");
    Manifest m = readManifest(utf16(kPod, bigEndian), "wide.yaml");

    const Diagnostic* d = findRule(m, "encoding");
    ASSERT_NE(d, nullptr) << allFindings(m);
    EXPECT_EQ(d->severity, Severity::Error);
    EXPECT_NE(d->message.find("UTF-16"), std::string::npos) << "says what the file is: " << d->message;
    EXPECT_NE(d->message.find("UTF-8"), std::string::npos) << "says what to save it as: " << d->message;
    // Not also "binary file": the NUL bytes are how UTF-16 writes ASCII.
    EXPECT_EQ(findRule(m, "binary-file"), nullptr) << allFindings(m);
    EXPECT_TRUE(m.documents.empty());
  }
}

// yaml-cpp drops the mark before counting offsets; anything that indexes
// the text by yaml-cpp's offsets is three bytes off in the first document.
TEST(HostileInput, Utf8ByteOrderMarkIsAcceptedAndPositionsStayTrue) {
  Manifest m = readManifest("\xef\xbb\xbf" + kPod + "    args: [xx, yy]\n", "bom.yaml");

  EXPECT_FALSE(m.hasErrors()) << allFindings(m);
  ASSERT_NE(m.firstPod(), nullptr);
  const Document& doc = *m.firstPod();
  EXPECT_EQ(doc.pod->metadata.name, "p");
  EXPECT_EQ(doc.pod->spec.containers.at(0).range.begin.line, 7);
  ASSERT_EQ(doc.positions.count("spec.containers[0].args[1]"), 1u);
  const SourceRange yy = doc.positions.at("spec.containers[0].args[1]").value;
  EXPECT_EQ(at(yy.begin), "9:16");
  EXPECT_EQ(at(yy.end), "9:18");
}

// --- nesting and aliases ----------------------------------------------------

struct DeepCase {
  const char* name;
  std::string text;
  int line;
  int column;  ///< where the nesting passes the limit; 0: not checked
};

class DeepNesting : public testing::TestWithParam<DeepCase> {};

// yaml-cpp 0.7 stops recursing at its own guard (about 500 levels) with the
// message "bad file"; the reader must refuse at its limit first and in its
// own words, and must not itself recurse over the input.
TEST_P(DeepNesting, IsRefusedAtTheLimitWithoutOverflowingTheStack) {
  const DeepCase& c = GetParam();

  Manifest m = readManifest(c.text, "deep.yaml");

  const Diagnostic* d = findRule(m, "yaml-too-deep");
  ASSERT_NE(d, nullptr) << allFindings(m);
  EXPECT_EQ(d->severity, Severity::Error);
  EXPECT_NE(d->message.find(std::to_string(YamlLimits{}.maxDepth)), std::string::npos)
      << "names the limit: " << d->message;
  EXPECT_EQ(d->range.begin.line, c.line) << formatDiagnostic(*d);
  if (c.column > 0) {
    EXPECT_EQ(d->range.begin.column, c.column) << formatDiagnostic(*d);
  }
  for (const Diagnostic& x : m.diagnostics) {
    EXPECT_EQ(x.message.find("bad file"), std::string::npos) << "yaml-cpp's words leaked: " << formatDiagnostic(x);
  }
  EXPECT_EQ(runnableCount(m), 0u);
}

std::string indentedMaps(int levels) {
  std::string out;
  for (int i = 0; i < levels; ++i) out += std::string(static_cast<std::size_t>(2 * i), ' ') + "k:\n";
  return out + std::string(static_cast<std::size_t>(2 * levels), ' ') + "v\n";
}

INSTANTIATE_TEST_SUITE_P(
    HostileInput, DeepNesting,
    testing::Values(DeepCase{"FlowSequences", repeat("[", 100'000) + repeat("]", 100'000) + "\n", 1, 101},
                    DeepCase{"FlowMappings", repeat("{a: ", 100'000) + "1" + repeat("}", 100'000) + "\n", 1, 401},
                    // Unclosed, yaml-cpp reads each `[` as a sequence holding
                    // a one-entry mapping, so the limit falls half-way along.
                    DeepCase{"UnclosedFlowSequences", repeat("[", 100'000) + "\n", 1, 0},
                    DeepCase{"UnclosedFlowMappings", repeat("{a: ", 100'000) + "\n", 1, 0},
                    DeepCase{"BlockSequencesOnOneLine", repeat("- ", 100'000) + "x\n", 1, 201},
                    DeepCase{"BlockMappingsIndented", indentedMaps(150), 101, 0},
                    DeepCase{"InsideAPod", kPod + "    args: " + repeat("[", 100'000) + "\n", 9, 0}),
    [](const testing::TestParamInfo<DeepCase>& info) { return info.param.name; });

TEST(HostileInput, NestingUpToTheLimitIsNotTooDeep) {
  const int depth = YamlLimits{}.maxDepth;
  std::string text = repeat("[", static_cast<std::size_t>(depth)) + repeat("]", static_cast<std::size_t>(depth)) + "\n";

  Manifest m = readManifest(text, "deep.yaml");

  // Not a manifest (a list, not a mapping), but deep enough only at the limit.
  EXPECT_EQ(findRule(m, "yaml-too-deep"), nullptr) << allFindings(m);
}

// Ten levels of ten aliases: a 700-byte file that is 10^10 nodes once
// expanded.
std::string billionLaughs() {
  std::string text = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: lol\n  annotations:\n";
  text += "    l0: &l0 [x, x, x, x, x, x, x, x, x, x]\n";
  for (int i = 1; i <= 9; ++i) {
    std::string prev = "*l" + std::to_string(i - 1);
    text += "    l" + std::to_string(i) + ": &l" + std::to_string(i) + " [";
    for (int k = 0; k < 10; ++k) text += (k ? ", " : "") + prev;
    text += "]\n";
  }
  return text;
}

TEST(HostileInput, BillionLaughsIsRefusedInBoundedMemory) {
  std::size_t before = peakRssBytes();

  Manifest m = readManifest(billionLaughs(), "lol.yaml");

  std::size_t grown = peakRssBytes() - before;
  const Diagnostic* d = findRule(m, "yaml-alias-bomb");
  ASSERT_NE(d, nullptr) << allFindings(m);
  EXPECT_EQ(d->severity, Severity::Error);
  EXPECT_NE(d->message.find("alias"), std::string::npos) << d->message;
  EXPECT_NE(d->message.find(std::to_string(YamlLimits{}.maxNodes)), std::string::npos) << "names the limit: " << d->message;
  // Where the budget ran out: one of the alias lines, not the top of the file.
  EXPECT_GE(d->range.begin.line, 7) << formatDiagnostic(*d);
  EXPECT_LE(d->range.begin.line, 15) << formatDiagnostic(*d);
  EXPECT_EQ(runnableCount(m), 0u);
  // A million small nodes fit in a few hundred MiB; an expansion that is not
  // cut off at the budget needs terabytes.
  EXPECT_LT(grown, 512 * kMiB) << "peak resident memory grew by " << grown / kMiB << " MiB";
}

TEST(HostileInput, AliasBudgetCountsExpandedNodes) {
  // 13 nodes as written; 123 once the ten aliases are expanded.
  YamlChunk chunk{"a: &a [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]\nb: [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\n", 1, false};

  YamlLimits tight;
  tight.maxNodes = 60;
  YamlParse refused = parseYamlDocument(chunk, "budget.yaml", 0, tight);
  EXPECT_FALSE(refused.root.has_value());
  EXPECT_NE(findRule(refused.diagnostics, "yaml-alias-bomb"), nullptr) << allFindings(refused.diagnostics);

  YamlLimits roomy;
  roomy.maxNodes = 1000;
  YamlParse read = parseYamlDocument(chunk, "budget.yaml", 0, roomy);
  ASSERT_TRUE(read.root.has_value()) << allFindings(read.diagnostics);
  const YamlNode::Entry* b = read.root->find("b");
  ASSERT_NE(b, nullptr);
  ASSERT_EQ(b->value.items.size(), 10u);
  EXPECT_EQ(b->value.items[9].items.size(), 10u);
}

// An anchor is registered before its node ends, so yaml-cpp hands over an
// alias to a node that is still being built: expanding it naively recurses
// forever.
TEST(HostileInput, AliasInsideItsOwnAnchorIsAnErrorNotAHang) {
  for (std::string text : {"a: &a [*a]\n", "apiVersion: v1\nkind: Pod\nmetadata: &m {name: loop, labels: *m}\n",
                           "a: &a\n  b: &b\n    c: [*a, *b]\n"}) {
    SCOPED_TRACE(text);
    Manifest m = readManifest(text, "loop.yaml");
    // Not a null in place of the alias: the file says something else.
    auto it = std::find_if(m.diagnostics.begin(), m.diagnostics.end(), [](const Diagnostic& d) {
      return d.severity == Severity::Error && d.rule.rfind("yaml-", 0) == 0;
    });
    ASSERT_NE(it, m.diagnostics.end()) << allFindings(m);
    EXPECT_TRUE(it->range.begin.known()) << formatDiagnostic(*it);
  }
}

// Finding where a plain scalar ends must not scan to the end of the line
// for every item: on one long anchored or tagged list that is quadratic
// (a 200 KB line takes the better part of a minute), and the ranges it
// produces run to the end of the line.
TEST(HostileInput, ItemsOfAnAnchoredOrTaggedFlowListEndAtTheirComma) {
  for (std::string prefix : {"", "&list ", "!!seq "}) {
    SCOPED_TRACE(prefix);
    std::string line = "    args: " + prefix + "[" + repeat("xx, ", 20'000) + "xx]";
    Manifest m = readManifest(kPod + line + "\n", "flow.yaml");

    ASSERT_NE(m.firstPod(), nullptr) << allFindings(m);
    ASSERT_EQ(m.firstPod()->pod->spec.containers.at(0).args.size(), 20'001u);
    const Document& doc = *m.firstPod();
    ASSERT_EQ(doc.positions.count("spec.containers[0].args[1]"), 1u);
    const SourceRange second = doc.positions.at("spec.containers[0].args[1]").value;
    const int column = static_cast<int>(line.find('[')) + 6;
    EXPECT_EQ(at(second.begin), at({9, column}));
    EXPECT_EQ(at(second.end), at({9, column + 2}));
  }
}

// Each anchor keeps a copy of its node; anchors nested inside anchors copy
// the same leaves once per level, outside the node budget.
TEST(HostileInput, NestedAnchorsStayWithinBoundedMemory) {
  std::string text = "a: ";
  for (int i = 0; i < 40; ++i) text += "&a" + std::to_string(i) + " [";
  text += repeat("x,\n", 100'000) + "x" + repeat("]", 40) + "\n";
  std::size_t before = peakRssBytes();

  Manifest m = readManifest(text, "anchors.yaml");

  std::size_t grown = peakRssBytes() - before;
  EXPECT_LT(grown, 256 * kMiB) << "peak resident memory grew by " << grown / kMiB << " MiB for a "
                               << text.size() / 1024 << " KiB file" << allFindings(m);
}

// Aliases can stack nesting: each copy of a 99-deep list goes inside
// another, and what the limit keeps out of the file comes back through them.
TEST(HostileInput, DepthLimitHoldsAfterAliasExpansion) {
  std::string text = "a0: &a0 " + repeat("[", 99) + "x" + repeat("]", 99) + "\n";
  for (int i = 1; i < 20; ++i) {
    text += "a" + std::to_string(i) + ": &a" + std::to_string(i) + " " + repeat("[", 98) + "*a" +
            std::to_string(i - 1) + repeat("]", 98) + "\n";
  }

  Manifest m = readManifest(text, "deep-alias.yaml");

  const Diagnostic* d = findRule(m, "yaml-too-deep");
  ASSERT_NE(d, nullptr) << allFindings(m);
  EXPECT_EQ(d->range.begin.line, 2) << formatDiagnostic(*d);
}

// The node budget also stops a plain, alias-free file; saying "through its
// aliases" then sends the user looking for something that is not there.
TEST(HostileInput, TooManyNodesWithoutAliasesDoesNotBlameAliases) {
  std::string text = "items:\n" + repeat("- x\n", YamlLimits{}.maxNodes + 10);
  ASSERT_LT(text.size(), YamlLimits{}.maxBytes);

  Manifest m = readManifest(text, "nodes.yaml");

  ASSERT_TRUE(m.hasErrors()) << allFindings(m);
  const Diagnostic& d = m.diagnostics.front();
  EXPECT_EQ(d.message.find("alias"), std::string::npos) << formatDiagnostic(d);
  EXPECT_NE(d.message.find(std::to_string(YamlLimits{}.maxNodes)), std::string::npos) << formatDiagnostic(d);
  // Where the budget ran out, not the top of the file.
  EXPECT_GT(d.range.begin.line, 1000) << formatDiagnostic(d);
}

TEST(HostileInput, UnknownAliasIsASyntaxErrorAtTheAlias) {
  Manifest m = readManifest("apiVersion: v1\nkind: Pod\nmetadata: *nowhere\n", "alias.yaml");

  const Diagnostic* d = findRule(m, "yaml-syntax");
  ASSERT_NE(d, nullptr) << allFindings(m);
  EXPECT_EQ(d->range.begin.line, 3) << formatDiagnostic(*d);
  EXPECT_EQ(d->range.begin.column, 11) << formatDiagnostic(*d);
  EXPECT_NE(d->message.find("nowhere"), std::string::npos) << "names the anchor: " << d->message;
}

// --- size in other directions ----------------------------------------------

// Annotations would be refused past 256 KiB (the API server's limit), so the
// megabyte goes into an argument, which has no limit of its own.
TEST(HostileInput, VeryLongSingleLineIsReadWhole) {
  std::string value = repeat("y", 1'000'000);
  std::string text = kPod + "    args: [\"" + value + "\", second]\n";

  Manifest m = readManifest(text, "long.yaml");

  EXPECT_FALSE(m.hasErrors()) << allFindings(m).substr(0, 2000);
  ASSERT_NE(m.firstPod(), nullptr);
  const Container& c = m.firstPod()->pod->spec.containers.at(0);
  ASSERT_EQ(c.args.size(), 2u);
  EXPECT_EQ(c.args[0].size(), value.size());
  EXPECT_EQ(c.args[1], "second");
}

TEST(HostileInput, ErrorAtTheEndOfAVeryLongLineHasItsColumn) {
  std::string line3 = "metadata: {name: p, annotations: {a: \"" + repeat("y", 1'000'000) + "\"}}}";
  std::string text = "apiVersion: v1\nkind: Pod\n" + line3 + "\n";
  const int column = static_cast<int>(line3.rfind('}')) + 1;

  Manifest m = readManifest(text, "long.yaml");

  const Diagnostic* d = findRule(m, "yaml-syntax");
  ASSERT_NE(d, nullptr) << allFindings(m).substr(0, 2000);
  EXPECT_EQ(d->range.begin.line, 3);
  EXPECT_EQ(d->range.begin.column, column);
  // The message may quote the line, but not a megabyte of it.
  EXPECT_LT(d->message.size(), 1000u);
}

std::string podDocument(int i) {
  return "---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: p" + std::to_string(i) +
         "\nspec:\n  containers:\n  - name: c\n    image: busybox:1.36\n";
}

TEST(HostileInput, TenThousandDocumentsAreAllReadInOrder) {
  constexpr int kDocuments = 10'000;
  std::string text;
  for (int i = 0; i < kDocuments; ++i) text += podDocument(i);

  Manifest m = readManifest(text, "many.yaml");

  EXPECT_FALSE(m.hasErrors()) << allFindings(m).substr(0, 2000);
  ASSERT_EQ(m.documents.size(), static_cast<std::size_t>(kDocuments));
  for (int i : {0, 1, 4999, kDocuments - 1}) {
    const Document& doc = m.documents[static_cast<std::size_t>(i)];
    EXPECT_EQ(doc.index, i);
    EXPECT_EQ(doc.name, "p" + std::to_string(i));
    ASSERT_TRUE(doc.pod.has_value());
    // Nine lines per document, the container's mapping on the eighth.
    EXPECT_EQ(doc.pod->spec.containers.at(0).range.begin.line, 9 * i + 8) << "document " << i;
  }
}

TEST(HostileInput, OneBrokenDocumentAmongTenThousandIsTheOnlyError) {
  constexpr int kDocuments = 10'000;
  constexpr int kBroken = 6'789;
  std::string text;
  for (int i = 0; i < kDocuments; ++i) {
    text += i == kBroken ? "---\napiVersion: v1\nkind: Pod\nmetadata: {name: [unclosed\n" : podDocument(i);
  }

  Manifest m = readManifest(text, "many.yaml");

  std::vector<Diagnostic> errors;
  std::copy_if(m.diagnostics.begin(), m.diagnostics.end(), std::back_inserter(errors),
               [](const Diagnostic& d) { return d.severity == Severity::Error; });
  ASSERT_EQ(errors.size(), 1u) << allFindings(errors);
  EXPECT_EQ(errors[0].rule, "yaml-syntax");
  EXPECT_EQ(errors[0].document, kBroken);
  // On the broken document's own lines (it starts at line 9 * kBroken + 1),
  // not on a line of its neighbours.
  EXPECT_GE(errors[0].range.begin.line, 9 * kBroken + 4) << formatDiagnostic(errors[0]);
  EXPECT_LE(errors[0].range.begin.line, 9 * kBroken + 5) << formatDiagnostic(errors[0]);
  EXPECT_EQ(runnableCount(m), static_cast<std::size_t>(kDocuments - 1));
}

// --- syntax the user got wrong ----------------------------------------------

// yaml-cpp says "illegal map value" at the colon, or "illegal tab when
// looking for indentation"; neither says what to do.
TEST(HostileInput, TabIndentationIsASyntaxErrorAtTheTabWithAHint) {
  struct Case {
    std::string text;
    int line;
  };
  for (const Case& c : {Case{"apiVersion: v1\nkind: Pod\nmetadata:\n\tname: tabs\n", 4},
                        Case{"apiVersion: v1\nkind: Pod\nmetadata:\n  name: x\n\t  labels: {}\n", 5},
                        Case{kPod + "    command:\n\t- sh\n", 10}}) {
    SCOPED_TRACE(c.text);
    Manifest m = readManifest(c.text, "tabs.yaml");

    const Diagnostic* d = findRule(m, "yaml-syntax");
    ASSERT_NE(d, nullptr) << allFindings(m);
    EXPECT_EQ(d->range.begin.line, c.line) << formatDiagnostic(*d);
    EXPECT_EQ(d->range.begin.column, 1) << "points at the tab: " << formatDiagnostic(*d);
    EXPECT_NE(d->message.find("tab"), std::string::npos) << "says tabs are the problem: " << d->message;
    EXPECT_NE(d->message.find("spaces"), std::string::npos) << "says what to use instead: " << d->message;
  }
}

TEST(HostileInput, TabsThatAreNotIndentationAreFine) {
  Manifest m = readManifest(kPod + "    args:\t[\"a\tb\",\tc]   \t# trailing\n", "tabs.yaml");

  EXPECT_FALSE(m.hasErrors()) << allFindings(m);
  ASSERT_NE(m.firstPod(), nullptr);
  EXPECT_EQ(m.firstPod()->pod->spec.containers.at(0).args.at(0), "a\tb");
}

TEST(HostileInput, TruncatedFileIsASyntaxErrorAtTheCut) {
  // The seed stops inside `command: ["/bin/sh"` on its last line (16).
  Manifest m = readManifest(seed("pod-hook-exec.yaml"), "pod-hook-exec.yaml");

  const Diagnostic* d = findRule(m, "yaml-syntax");
  ASSERT_NE(d, nullptr) << allFindings(m);
  EXPECT_EQ(d->severity, Severity::Error);
  EXPECT_EQ(d->file, "pod-hook-exec.yaml");
  EXPECT_GE(d->range.begin.line, 16) << formatDiagnostic(*d);
  EXPECT_LE(d->range.begin.line, 17) << formatDiagnostic(*d);
  // yaml-cpp's "end of sequence flow not found" does not say what is missing.
  EXPECT_NE(d->message.find("]"), std::string::npos) << "says a ']' is missing: " << d->message;
  EXPECT_EQ(runnableCount(m), 0u);
}

// Without a final newline the file has no line after the cut; the finding
// must name a line the editor has.
TEST(HostileInput, CutWithoutFinalNewlineIsOnTheLastLine) {
  Manifest m = readManifest("apiVersion: v1\nkind: Pod\nmetadata: {name: [x", "cut.yaml");

  const Diagnostic* d = findRule(m, "yaml-syntax");
  ASSERT_NE(d, nullptr) << allFindings(m);
  EXPECT_EQ(d->range.begin.line, 3) << formatDiagnostic(*d);
}

// yaml-cpp places an empty value at the next token: the next key, lines
// further down, or past the end of the file when nothing follows. The
// editor would underline the wrong line, or none.
TEST(HostileInput, EmptyValueIsPositionedAfterItsKey) {
  for (const char* tail : {"spec:\n", "spec:", "spec:\n\n\n# trailing comment\n"}) {
    SCOPED_TRACE(tail);
    Manifest m = readManifest(std::string("apiVersion: v1\nkind: Pod\nmetadata:\n\n\n") + tail, "empty.yaml");

    ASSERT_EQ(m.documents.size(), 1u) << allFindings(m);
    const Document& doc = m.documents[0];
    ASSERT_EQ(doc.positions.count("metadata"), 1u);
    ASSERT_EQ(doc.positions.count("spec"), 1u);
    EXPECT_EQ(doc.positions.at("metadata").value.begin.line, 3);
    EXPECT_EQ(doc.positions.at("spec").value.begin.line, 6);
    for (const Diagnostic& d : m.diagnostics) EXPECT_LE(d.range.begin.line, 6) << formatDiagnostic(d);
  }
}

TEST(HostileInput, FileCutInsideAMultiByteCharacterIsInvalidUtf8) {
  std::string text = kPod + "    args: [\"caf\xc3";

  Manifest m = readManifest(text, "cut.yaml");

  const Diagnostic* d = findRule(m, "invalid-utf8");
  ASSERT_NE(d, nullptr) << allFindings(m);
  EXPECT_EQ(d->range.begin.line, 9);
}

// --- numbers that would wrap into plausible values --------------------------

struct WrapCase {
  const char* name;
  std::string text;
  const char* path;
};

class NumberOutOfRange : public testing::TestWithParam<WrapCase> {};

TEST_P(NumberOutOfRange, IsAnErrorOnItsFieldNotAWrappedValue) {
  const WrapCase& c = GetParam();

  Manifest m = readManifest(c.text, "numbers.yaml");

  EXPECT_NE(findErrorAt(m, c.path), nullptr) << "expected an error on " << c.path << allFindings(m);
}

const std::string kDeploymentHead =
    "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\nspec:\n"
    "  selector: {matchLabels: {app: d}}\n"
    "  template:\n    metadata: {labels: {app: d}}\n"
    "    spec: {containers: [{name: c, image: busybox:1.36}]}\n";

// Each value is 2^32 or 2^64 past a value the field would accept, so a
// truncating conversion yields something that passes validation.
INSTANTIATE_TEST_SUITE_P(
    HostileInput, NumberOutOfRange,
    testing::Values(
        WrapCase{"ContainerPort", kPod + "    ports: [{containerPort: 4294967377}]\n",
                 "spec.containers[0].ports[0].containerPort"},
        WrapCase{"ProbePeriod", kPod + "    livenessProbe: {tcpSocket: {port: 80}, periodSeconds: 4294967306}\n",
                 "spec.containers[0].livenessProbe.periodSeconds"},
        WrapCase{"GracePeriod", kPod + "  terminationGracePeriodSeconds: 18446744073709551646\n",
                 "spec.terminationGracePeriodSeconds"},
        WrapCase{"Replicas", kDeploymentHead + "  replicas: 4294967298\n", "spec.replicas"}),
    [](const testing::TestParamInfo<WrapCase>& info) { return info.param.name; });

TEST(HostileInput, HugeQuantityNeverWrapsNegative) {
  Manifest m = readManifest(kPod + "    resources:\n      limits: {memory: 99999999999999999999999Ei, cpu: "
                                   "\"9223372036854775807\"}\n",
                            "quantity.yaml");

  for (const Document& doc : m.documents) {
    if (!doc.pod) continue;
    for (const auto& [name, q] : doc.pod->spec.containers.at(0).resources.limits) {
      bool reported = findErrorAt(m, "spec.containers[0].resources.limits." + name) != nullptr;
      EXPECT_TRUE(reported || q.milliValue > 0) << name << " = " << q.text << " read as " << q.milliValue;
    }
  }
}

}  // namespace
}  // namespace podscope::core
