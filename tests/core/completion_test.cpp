#include "core/completion.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "core/field_help.h"
#include "core/manifest_reader.h"
#include "core/text_lint.h"

namespace podscope::core {
namespace {

/// Text with a `|` where the cursor is, split into the text and the cursor.
struct Marked {
  std::string text;
  SourcePos cursor;
};

Marked marked(std::string withCursor) {
  const std::size_t at = withCursor.find('|');
  EXPECT_NE(at, std::string::npos) << "no cursor in the text";
  Marked out;
  out.text = withCursor.erase(at, 1);
  const std::string before = out.text.substr(0, at);
  out.cursor.line = static_cast<int>(std::count(before.begin(), before.end(), '\n')) + 1;
  const std::size_t lineStart = before.rfind('\n');
  out.cursor.column = static_cast<int>(at - (lineStart == std::string::npos ? 0 : lineStart + 1)) + 1;
  return out;
}

std::vector<std::string> labels(const Completion& c) {
  std::vector<std::string> out;
  for (const CompletionItem& item : c.items) out.push_back(item.label);
  return out;
}

bool contains(const std::vector<std::string>& v, const std::string& s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

const char kPodHead[] =
    "apiVersion: v1\n"
    "kind: Pod\n"
    "metadata:\n"
    "  name: web\n"
    "spec:\n";

struct PathCase {
  const char* name;
  std::string text;
  YamlCursor::Slot slot;
  const char* objectPath;
  const char* key;
  const char* prefix;
};

class LocateCursorTest : public ::testing::TestWithParam<PathCase> {};

TEST_P(LocateCursorTest, FindsTheMappingFromIndentation) {
  const PathCase& c = GetParam();
  const Marked m = marked(c.text);
  const YamlCursor at = locateCursor(m.text, m.cursor);
  EXPECT_EQ(at.slot, c.slot);
  EXPECT_EQ(at.objectPath, c.objectPath);
  EXPECT_EQ(at.key, c.key);
  EXPECT_EQ(at.prefix, c.prefix);
}

INSTANTIATE_TEST_SUITE_P(
    Paths, LocateCursorTest,
    ::testing::Values(
        PathCase{"Root", "apiVersion: v1\nki|", YamlCursor::Slot::Key, "", "", "ki"},
        PathCase{"UnderSpec", std::string(kPodHead) + "  res|", YamlCursor::Slot::Key, "spec", "", "res"},
        PathCase{"ContainerItemCompactStyle",
                 std::string(kPodHead) + "  containers:\n  - name: app\n    ima|", YamlCursor::Slot::Key,
                 "spec.containers[]", "", "ima"},
        PathCase{"ContainerItemIndentedStyle",
                 std::string(kPodHead) + "  containers:\n    - name: app\n      image: busybox\n      |",
                 YamlCursor::Slot::Key, "spec.containers[]", "", ""},
        PathCase{"NewListItem", std::string(kPodHead) + "  containers:\n  - |", YamlCursor::Slot::Key,
                 "spec.containers[]", "", ""},
        PathCase{"SecondItemAfterANestedList",
                 std::string(kPodHead) +
                     "  containers:\n  - name: a\n    env:\n    - name: X\n      value: y\n  - name: b\n    liv|",
                 YamlCursor::Slot::Key, "spec.containers[]", "", "liv"},
        PathCase{"InsideAProbe",
                 std::string(kPodHead) + "  containers:\n  - name: app\n    livenessProbe:\n      httpGet:\n"
                                         "        path: /\n      per|",
                 YamlCursor::Slot::Key, "spec.containers[].livenessProbe", "", "per"},
        PathCase{"KeyOnTheDashLineOwnsTheList",
                 std::string(kPodHead) + "  containers:\n  - ports:\n    - containerPort: 80\n      proto|",
                 YamlCursor::Slot::Key, "spec.containers[].ports[]", "", "proto"},
        PathCase{"BlankLinesAndCommentsAreSkipped",
                 std::string(kPodHead) + "  # the app\n\n  containers:\n\n  # first\n  - name: app\n\n    ima|",
                 YamlCursor::Slot::Key, "spec.containers[]", "", "ima"},
        PathCase{"ValueOfAnEnum", std::string(kPodHead) + "  restartPolicy: On|", YamlCursor::Slot::Value, "spec",
                 "restartPolicy", "On"},
        PathCase{"ValueOnADashLine",
                 std::string(kPodHead) + "  containers:\n  - name: app\n    ports:\n    - protocol: |",
                 YamlCursor::Slot::Value, "spec.containers[].ports[]", "protocol", ""},
        PathCase{"QuotedValue", std::string(kPodHead) + "  restartPolicy: \"Ne|", YamlCursor::Slot::Value, "spec",
                 "restartPolicy", "Ne"},
        PathCase{"DeploymentTemplate",
                 "apiVersion: apps/v1\nkind: Deployment\nspec:\n  template:\n    spec:\n      containers:\n"
                 "      - name: app\n        readinessProbe:\n          |",
                 YamlCursor::Slot::Key, "spec.template.spec.containers[].readinessProbe", "", ""},
        PathCase{"SecondDocument",
                 "apiVersion: v1\nkind: Service\nspec:\n  ports: []\n---\napiVersion: v1\nkind: Pod\nspec:\n  con|",
                 YamlCursor::Slot::Key, "spec", "", "con"},
        PathCase{"Comment", std::string(kPodHead) + "  # restart|", YamlCursor::Slot::None, "", "", ""},
        PathCase{"BlockScalar", std::string(kPodHead) + "  containers:\n  - name: a\n    args:\n    - >\n      ech|",
                 YamlCursor::Slot::None, "", "", ""},
        PathCase{"FlowValue", std::string(kPodHead) + "  nodeSelector: {a|", YamlCursor::Slot::None, "", "", ""},
        PathCase{"UnderAScalar", std::string(kPodHead) + "  hostname: web\n    x|", YamlCursor::Slot::None, "", "",
                 ""}),
    [](const ::testing::TestParamInfo<PathCase>& info) { return std::string(info.param.name); });

TEST(LocateCursorTest, ToleratesBrokenYamlElsewhere) {
  // An unclosed flow sequence above and a half-typed line below do not
  // matter to the place of the cursor.
  const Marked m = marked(std::string(kPodHead) +
                          "  containers:\n  - name: app\n    command: [\"sh\"\n    imagePullPolicy: |\n  volumes:\n  - {");
  const YamlCursor at = locateCursor(m.text, m.cursor);
  EXPECT_EQ(at.slot, YamlCursor::Slot::Value);
  EXPECT_EQ(at.fieldPath(), "spec.containers[].imagePullPolicy");
  EXPECT_EQ(at.kind, "Pod");
}

TEST(LocateCursorTest, CollectsTheKeysAlreadyWrittenAboveAndBelow) {
  const Marked m = marked(std::string(kPodHead) +
                          "  containers:\n  - name: app\n    |\n    image: busybox\n    env:\n    - name: A\n"
                          "  restartPolicy: Never\n");
  const YamlCursor at = locateCursor(m.text, m.cursor);
  ASSERT_EQ(at.slot, YamlCursor::Slot::Key);
  EXPECT_EQ(at.keyIndent, 4);
  std::vector<std::string> siblings = at.siblings;
  std::sort(siblings.begin(), siblings.end());
  EXPECT_EQ(siblings, (std::vector<std::string>{"env", "image", "name"}));
}

TEST(CompleteAtTest, OffersTheFieldsOfAContainerInsideAListItem) {
  const Marked m = marked(std::string(kPodHead) + "  containers:\n  - name: app\n    |");
  const Completion c = completeAt(m.text, m.cursor);
  const std::vector<std::string> names = labels(c);
  EXPECT_TRUE(contains(names, "image"));
  EXPECT_TRUE(contains(names, "livenessProbe"));
  EXPECT_TRUE(contains(names, "imagePullPolicy"));
  EXPECT_FALSE(contains(names, "name")) << "already written";
  EXPECT_FALSE(contains(names, "containers")) << "a pod spec field, not a container's";
  const auto image = std::find_if(c.items.begin(), c.items.end(), [](const auto& i) { return i.label == "image"; });
  ASSERT_NE(image, c.items.end());
  EXPECT_EQ(image->detail, "string");
  EXPECT_FALSE(image->description.empty());
  EXPECT_EQ(image->insertText, "image: ");
}

TEST(CompleteAtTest, FiltersByThePrefixWithoutRegardToCase) {
  const Marked m = marked(std::string(kPodHead) + "  containers:\n  - name: app\n    livenessProbe:\n      PER|");
  const Completion c = completeAt(m.text, m.cursor);
  EXPECT_EQ(labels(c), (std::vector<std::string>{"periodSeconds"}));
  EXPECT_EQ(c.items.front().defaultValue, "10");
  EXPECT_EQ(c.at.prefixColumn, 7);
}

TEST(CompleteAtTest, ObjectsAndListsOpenTheirBlock) {
  const Marked m = marked(std::string(kPodHead) + "  containers:\n  - name: app\n    |");
  const Completion c = completeAt(m.text, m.cursor);
  auto find = [&](const std::string& label) {
    return std::find_if(c.items.begin(), c.items.end(), [&](const auto& i) { return i.label == label; });
  };
  ASSERT_NE(find("livenessProbe"), c.items.end());
  EXPECT_EQ(find("livenessProbe")->insertText, "livenessProbe:\n      ");
  EXPECT_EQ(find("livenessProbe")->detail, "Probe");
  ASSERT_NE(find("ports"), c.items.end());
  EXPECT_EQ(find("ports")->insertText, "ports:\n    - ");
  EXPECT_EQ(find("ports")->detail, "[]ContainerPort");
}

TEST(CompleteAtTest, RootOffersTheTopLevelFieldsOfTheKind) {
  const Marked m = marked("apiVersion: apps/v1\nkind: Deployment\n|");
  EXPECT_EQ(labels(completeAt(m.text, m.cursor)), (std::vector<std::string>{"metadata", "spec"}));
}

TEST(CompleteAtTest, DeploymentSpecFields) {
  const Marked m = marked("apiVersion: apps/v1\nkind: Deployment\nspec:\n  str|");
  EXPECT_EQ(labels(completeAt(m.text, m.cursor)), (std::vector<std::string>{"strategy"}));
}

struct ValueCase {
  const char* name;
  std::string text;
  std::vector<std::string> values;
};

class CompleteValueTest : public ::testing::TestWithParam<ValueCase> {};

TEST_P(CompleteValueTest, OffersTheAllowedValues) {
  const Marked m = marked(GetParam().text);
  const Completion c = completeAt(m.text, m.cursor);
  EXPECT_EQ(labels(c), GetParam().values);
  for (const CompletionItem& item : c.items) EXPECT_EQ(item.kind, CompletionItem::Kind::Value);
}

INSTANTIATE_TEST_SUITE_P(
    Values, CompleteValueTest,
    ::testing::Values(
        ValueCase{"RestartPolicy", std::string(kPodHead) + "  restartPolicy: |", {"Always", "OnFailure", "Never"}},
        ValueCase{"RestartPolicyPrefix", std::string(kPodHead) + "  restartPolicy: on|", {"OnFailure"}},
        ValueCase{"ImagePullPolicy",
                  std::string(kPodHead) + "  containers:\n  - name: app\n    imagePullPolicy: |",
                  {"Always", "IfNotPresent", "Never"}},
        ValueCase{"Protocol",
                  std::string(kPodHead) + "  containers:\n  - name: app\n    ports:\n    - containerPort: 80\n"
                                          "      protocol: |",
                  {"SCTP", "TCP", "UDP"}},
        ValueCase{"Scheme",
                  std::string(kPodHead) + "  containers:\n  - name: app\n    readinessProbe:\n      httpGet:\n"
                                          "        scheme: |",
                  {"HTTP", "HTTPS"}},
        ValueCase{"Boolean", std::string(kPodHead) + "  hostNetwork: |", {"true", "false"}},
        ValueCase{"Kind", "apiVersion: v1\nkind: |", {"Pod", "Deployment"}},
        ValueCase{"ApiVersionOfADeployment", "apiVersion: |\nkind: Deployment\n", {"apps/v1"}},
        ValueCase{"StrategyType", "apiVersion: apps/v1\nkind: Deployment\nspec:\n  strategy:\n    type: |",
                  {"Recreate", "RollingUpdate"}},
        ValueCase{"FreeText", std::string(kPodHead) + "  hostname: |", {}}),
    [](const ::testing::TestParamInfo<ValueCase>& info) { return std::string(info.param.name); });

TEST(FieldHelpTest, ADecodedDocumentGivesTheDefaultsAppliedInsideAKey) {
  const std::string text = std::string(kPodHead) +
                           "  containers:\n  - name: app\n    image: busybox:1.36\n    livenessProbe:\n"
                           "      exec:\n        command: [cat, /tmp/ok]\n  dnsPolicy:\n";
  const Manifest manifest = readManifest(text, "pod.yaml");
  ASSERT_EQ(manifest.documents.size(), 1u);
  const Document& doc = manifest.documents.front();

  // "    livenessProbe:" is line 9; its key starts at column 5.
  std::optional<FieldHelp> probe = fieldHelpAt(doc, {9, 6});
  ASSERT_TRUE(probe);
  EXPECT_EQ(probe->path, "spec.containers[0].livenessProbe");
  ASSERT_NE(probe->field, nullptr);
  EXPECT_EQ(probe->field->name, "livenessProbe");
  auto has = [&](const std::string& name, const std::string& value) {
    return std::find(probe->defaultsInside.begin(), probe->defaultsInside.end(), std::pair(name, value)) !=
           probe->defaultsInside.end();
  };
  EXPECT_TRUE(has("periodSeconds", "10"));
  EXPECT_TRUE(has("timeoutSeconds", "1"));
  EXPECT_TRUE(has("failureThreshold", "3"));

  std::optional<FieldHelp> container = fieldHelpAt(doc, {8, 6});  // "image"
  ASSERT_TRUE(container);
  EXPECT_EQ(container->path, "spec.containers[0].image");
  EXPECT_TRUE(container->defaultsInside.empty());

  std::optional<FieldHelp> dns = fieldHelpAt(doc, {12, 3});  // "  dnsPolicy:" left empty
  ASSERT_TRUE(dns);
  EXPECT_EQ(dns->defaultApplied, "ClusterFirst");

  EXPECT_FALSE(fieldHelpAt(doc, {8, 12})) << "on the value, not the key";
}

TEST(FieldHelpTest, TextAloneGivesTheSchemaOfTheKeyEvenWhenItDoesNotParse) {
  const std::string text = std::string(kPodHead) + "  containers:\n  - name: app\n    imagePullPolicy: [\n";
  std::optional<FieldHelp> help = fieldHelpAt(text, {8, 8});
  ASSERT_TRUE(help);
  EXPECT_EQ(help->path, "spec.containers[].imagePullPolicy");
  ASSERT_NE(help->field, nullptr);
  EXPECT_EQ(help->field->enumValues.size(), 3u);
  EXPECT_EQ(help->keyRange.begin.column, 5);
  EXPECT_EQ(help->keyRange.end.column, 20);
  EXPECT_FALSE(fieldHelpAt(text, {8, 22}));
  std::optional<FieldHelp> metadata = fieldHelpAt(text, {3, 1});
  ASSERT_TRUE(metadata);
  EXPECT_EQ(metadata->path, "metadata");
  EXPECT_EQ(metadata->field->typeName, "ObjectMeta");
}

TEST(TextLintTest, TabsInIndentationAreErrorsAndElsewhereNotes) {
  const std::string text = "apiVersion: v1\nkind: Pod\nmetadata:\n\tname: x\n  labels: {a: \"b\tc\"}\n";
  const std::vector<Diagnostic> found = findTabCharacters(text, "pod.yaml");
  ASSERT_EQ(found.size(), 2u);
  EXPECT_EQ(found[0].severity, Severity::Error);
  EXPECT_EQ(found[0].rule, "tab-indentation");
  EXPECT_EQ(found[0].message, "tab character: YAML indentation must use spaces");
  EXPECT_EQ(found[0].range.begin, (SourcePos{4, 1}));
  EXPECT_EQ(found[0].range.end, (SourcePos{4, 2}));
  EXPECT_EQ(found[1].severity, Severity::Info);
  EXPECT_EQ(found[1].range.begin, (SourcePos{5, 17}));
  EXPECT_TRUE(findTabCharacters("a: b\n", "x").empty());
}

}  // namespace
}  // namespace podscope::core
