#include "core/yaml_tree.h"

#include <gtest/gtest.h>

namespace podscope::core {
namespace {

YamlParse parse(const std::string& text, int firstLine = 1) {
  YamlChunk chunk;
  chunk.text = text;
  chunk.firstLine = firstLine;
  chunk.blank = false;
  return parseYamlDocument(chunk, "f.yaml", 0);
}

TEST(YamlTree, KeepsKeyAndValueRanges) {
  YamlParse p = parse("metadata:\n  name: web  # comment\n  labels: {app: \"x y\", tier: db}\nlist:\n- 'a''b'\n- 42\n");
  ASSERT_TRUE(p.root);
  ASSERT_TRUE(p.diagnostics.empty());
  const YamlNode& root = *p.root;
  const YamlNode::Entry* meta = root.find("metadata");
  ASSERT_NE(meta, nullptr);
  EXPECT_EQ(meta->keyRange.begin, (SourcePos{1, 1}));
  const YamlNode::Entry* name = meta->value.find("name");
  ASSERT_NE(name, nullptr);
  EXPECT_EQ(name->keyRange.begin, (SourcePos{2, 3}));
  EXPECT_EQ(name->value.range.begin, (SourcePos{2, 9}));
  EXPECT_EQ(name->value.range.end, (SourcePos{2, 12}));
  EXPECT_FALSE(name->value.quoted);
  const YamlNode& labels = meta->value.find("labels")->value;
  const YamlNode::Entry* app = labels.find("app");
  EXPECT_EQ(app->value.value, "x y");
  EXPECT_TRUE(app->value.quoted);
  EXPECT_EQ(app->value.range.begin, (SourcePos{3, 17}));
  EXPECT_EQ(app->value.range.end, (SourcePos{3, 22}));
  EXPECT_EQ(labels.find("tier")->value.range.end, (SourcePos{3, 32}));
  const YamlNode& list = root.find("list")->value;
  ASSERT_EQ(list.items.size(), 2u);
  EXPECT_EQ(list.items[0].value, "a'b");
  EXPECT_EQ(list.items[0].range.end, (SourcePos{5, 9}));
  EXPECT_EQ(list.items[1].describe(), "a number");
}

TEST(YamlTree, LinesAreRelativeToTheFile) {
  YamlParse p = parse("   \nkind: Pod\n", 7);
  ASSERT_TRUE(p.root);
  EXPECT_EQ(p.root->find("kind")->keyRange.begin, (SourcePos{8, 1}));
}

TEST(YamlTree, NullsAndTypesAreDescribed) {
  YamlParse p = parse("a:\nb: ~\nc: null\nd: \"null\"\ne: true\nf: [1]\n");
  ASSERT_TRUE(p.root);
  EXPECT_TRUE(p.root->find("a")->value.isNull());
  EXPECT_TRUE(p.root->find("b")->value.isNull());
  EXPECT_TRUE(p.root->find("c")->value.isNull());
  EXPECT_EQ(p.root->find("d")->value.describe(), "a string");
  EXPECT_EQ(p.root->find("e")->value.describe(), "a boolean");
  EXPECT_EQ(p.root->find("f")->value.describe(), "a list");
}

TEST(YamlTree, DuplicateKeysAreReportedWithBothLines) {
  YamlParse p = parse("spec:\n  containers:\n  - name: a\n    image: x\n    image: y\n");
  ASSERT_TRUE(p.root);
  ASSERT_EQ(p.diagnostics.size(), 1u);
  const Diagnostic& d = p.diagnostics[0];
  EXPECT_EQ(d.rule, "yaml-duplicate-key");
  EXPECT_EQ(d.path, "spec.containers[0].image");
  EXPECT_EQ(d.range.begin, (SourcePos{5, 5}));
  EXPECT_EQ(d.message, "key \"image\" already set in map (first set at line 4); the later value is ignored");
  EXPECT_EQ(p.root->find("spec")->value.find("containers")->value.items[0].find("image")->value.value, "x");
}

TEST(YamlTree, AliasesAreExpanded) {
  YamlParse p = parse("base: &b {image: busybox}\nother: *b\n");
  ASSERT_TRUE(p.root);
  EXPECT_EQ(p.root->find("other")->value.find("image")->value.value, "busybox");
}

TEST(YamlTree, AliasBombIsRefused) {
  std::string text = "a: &a [x,x,x,x,x,x,x,x,x,x]\n";
  for (char c = 'b'; c <= 'j'; ++c) {
    std::string prev(1, static_cast<char>(c - 1));
    text += std::string(1, c) + ": &" + c + " [";
    for (int i = 0; i < 10; ++i) text += (i ? ",*" : "*") + prev;
    text += "]\n";
  }
  YamlParse p = parse(text);
  EXPECT_FALSE(p.root);
  ASSERT_EQ(p.diagnostics.size(), 1u);
  EXPECT_EQ(p.diagnostics[0].rule, "yaml-alias-bomb");
  EXPECT_GT(p.diagnostics[0].range.begin.line, 1);
}

TEST(YamlTree, DeepNestingIsRefused) {
  std::string text = "a: " + std::string(5000, '[') + std::string(5000, ']') + "\n";
  YamlParse p = parse(text);
  EXPECT_FALSE(p.root);
  ASSERT_EQ(p.diagnostics.size(), 1u);
  EXPECT_EQ(p.diagnostics[0].rule, "yaml-too-deep");
}

TEST(YamlTree, SyntaxErrorsNameLineAndColumnAndTabs) {
  YamlParse p = parse("spec:\n  containers:\n\t- name: a\n");
  EXPECT_FALSE(p.root);
  ASSERT_EQ(p.diagnostics.size(), 1u);
  EXPECT_EQ(p.diagnostics[0].rule, "yaml-syntax");
  EXPECT_NE(p.diagnostics[0].message.find("line 3 is indented with a tab"), std::string::npos)
      << p.diagnostics[0].message;
  EXPECT_TRUE(p.diagnostics[0].range.begin.known());
}

// Found by tests/fuzz (the record fuzzer, through a pod template; the
// manifest fuzzer fails on it too): yaml-cpp's "unknown escape character"
// names one byte, here the first of "é", and the finding was not UTF-8.
TEST(YamlTree, AnUnknownEscapeOfAMultiByteCharacterIsStillUtf8) {
  YamlParse p = parse("metadata:\n  name: \"\\\u00e9\"\n");
  EXPECT_FALSE(p.root);
  ASSERT_EQ(p.diagnostics.size(), 1u);
  EXPECT_EQ(p.diagnostics[0].message, "YAML syntax error: unknown escape character: \ufffd");
  EXPECT_EQ(p.diagnostics[0].range.begin.line, 2);
}

TEST(YamlText, RefusesBinaryInvalidUtf8AndOversize) {
  EXPECT_TRUE(checkYamlText("kind: Pod\nname: caf\xc3\xa9\n", "f").empty());
  auto binary = checkYamlText(std::string("kind: Pod\n\0x", 12), "f");
  ASSERT_EQ(binary.size(), 1u);
  EXPECT_EQ(binary[0].rule, "binary-file");
  auto bad = checkYamlText("a: 1\nb: \xff\n", "f");
  ASSERT_EQ(bad.size(), 1u);
  EXPECT_EQ(bad[0].rule, "invalid-utf8");
  EXPECT_EQ(bad[0].range.begin, (SourcePos{2, 4}));
  YamlLimits small;
  small.maxBytes = 10;
  auto big = checkYamlText("kind: Pod\nmetadata: {}\n", "f", small);
  ASSERT_EQ(big.size(), 1u);
  EXPECT_EQ(big[0].rule, "file-too-large");
  auto utf16 = checkYamlText("\xff\xfek\0", "f");
  ASSERT_EQ(utf16.size(), 1u);
  EXPECT_EQ(utf16[0].rule, "encoding");
}

TEST(YamlText, SplitsDocumentsKeepingLines) {
  std::vector<YamlChunk> chunks = splitYamlDocuments("a: 1\n---\nb: 2\n--- # c\n...\n---\n");
  ASSERT_EQ(chunks.size(), 4u);
  EXPECT_FALSE(chunks[0].blank);
  EXPECT_EQ(chunks[1].firstLine, 2);
  EXPECT_FALSE(chunks[1].blank);
  EXPECT_TRUE(chunks[2].blank);
  EXPECT_TRUE(chunks[3].blank);
}

}  // namespace
}  // namespace podscope::core
