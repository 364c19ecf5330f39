// The canonical rendering of a pod template, its pod-template-hash and
// EqualIgnoreHash: every template in the examples and test data reads back
// equal from its rendering; formatting never changes the hash and every
// modelled field does.

#include "core/pod_template_yaml.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <functional>
#include <set>
#include <string>
#include <vector>

#include "core/decoder.h"
#include "core/yaml_tree.h"
#include "test_files.h"

namespace podscope::core {
namespace {

namespace fs = std::filesystem;

struct Decoded {
  std::vector<Document> documents;
  std::vector<Diagnostic> diagnostics;
};

// Decodes every document without validation: the decoder fills pods and
// deployments best-effort even when a rule is broken, so templates from
// the rules' bad examples are round-tripped too.
Decoded decodeAll(const std::string& text) {
  Decoded out;
  int index = 0;
  for (const YamlChunk& chunk : splitYamlDocuments(text)) {
    if (chunk.blank) continue;
    YamlParse parse = parseYamlDocument(chunk, "t.yaml", index, {});
    if (!parse.root) continue;
    Document doc;
    doc.index = index++;
    decodeDocument(*parse.root, "t.yaml", doc, out.diagnostics);
    out.documents.push_back(std::move(doc));
  }
  return out;
}

std::string indented(const std::string& text, int by) {
  std::string out;
  std::string pad(static_cast<std::size_t>(by), ' ');
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    std::string line = text.substr(start, end - start);
    out += (line.empty() ? "" : pad) + line + "\n";
    start = end == std::string::npos ? text.size() : end + 1;
  }
  return out;
}

// The rendering put back where it belongs (spec.template) and read again.
struct ReadBack {
  PodTemplateSpec podTemplate;
  std::vector<Diagnostic> templateDiagnostics;  ///< findings about spec.template
};
ReadBack readBack(const PodTemplateSpec& t) {
  std::string text =
      "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: round-trip\nspec:\n  selector:\n    matchLabels:\n"
      "      app: round-trip\n  template:\n" +
      indented(canonicalYaml(t), 4);
  Decoded d = decodeAll(text);
  ReadBack out;
  EXPECT_EQ(d.documents.size(), 1u);
  if (d.documents.empty() || !d.documents[0].deployment) {
    ADD_FAILURE() << "no deployment read back from\n" << text;
    return out;
  }
  out.podTemplate = d.documents[0].deployment->spec.podTemplate;
  for (const Diagnostic& diag : d.diagnostics) {
    if (diag.path.rfind("spec.template", 0) == 0) out.templateDiagnostics.push_back(diag);
  }
  return out;
}

std::vector<fs::path> manifestFiles() {
  std::vector<fs::path> files;
  std::vector<fs::path> dirs = {fs::path(PODSCOPE_SOURCE_DIR) / "examples",
                                fs::path(PODSCOPE_SOURCE_DIR) / "tests/data/rules", fs::path(PODSCOPE_SEEDS_DIR)};
  for (const fs::path& dir : dirs) {
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(dir, ec)) {
      if (entry.path().extension() == ".yaml") files.push_back(entry.path());
    }
  }
  std::sort(files.begin(), files.end());
  return files;
}

TEST(CanonicalYaml, EveryTemplateInTheExamplesAndTestDataReadsBackEqual) {
  int templates = 0;
  int deployments = 0;
  for (const fs::path& file : manifestFiles()) {
    Decoded d = decodeAll(testing::readFileBytes(file));
    for (const Document& doc : d.documents) {
      std::optional<PodTemplateSpec> t;
      if (doc.deployment) {
        t = doc.deployment->spec.podTemplate;
        ++deployments;
      } else if (doc.pod) {
        t = PodTemplateSpec{doc.pod->metadata, doc.pod->spec};
      }
      if (!t) continue;
      ++templates;
      SCOPED_TRACE(file.filename().string() + " document " + std::to_string(doc.index));
      ReadBack back = readBack(*t);
      EXPECT_TRUE(equalIgnoreHash(*t, back.podTemplate)) << canonicalYaml(*t);
      // What a stored revision is read back with.
      Result<PodTemplateSpec> stored = readPodTemplate(canonicalYaml(*t));
      ASSERT_TRUE(stored) << stored.error().message;
      EXPECT_TRUE(equalIgnoreHash(*t, *stored));
      EXPECT_EQ(canonicalYaml(back.podTemplate), canonicalYaml(*t));
      for (const Diagnostic& diag : back.templateDiagnostics) {
        ADD_FAILURE() << "the rendering drew " << diag.path << ": " << diag.message << "\n" << canonicalYaml(*t);
      }
    }
  }
  EXPECT_GE(templates, 50) << "the test data should hold many templates";
  EXPECT_GE(deployments, 5);
}

TEST(CanonicalYaml, TextThatIsNoTemplateIsRefusedWithWhy) {
  EXPECT_EQ(readPodTemplate("spec: [unclosed").error().message, "the stored pod template is not valid YAML");
  // A document marker inside a stored template is no marker: it is text
  // the template cannot hold.
  EXPECT_EQ(readPodTemplate("metadata: {}\n---\nspec: {}\n").error().message,
            "the stored pod template is not valid YAML");
}

// Text from a saved rollout record may have been written by hand: the
// strict reader refuses what the lenient one would quietly drop, and says
// where in the template's own text.
TEST(CanonicalYaml, StrictReadingNamesLineAndColumnInTheTemplate) {
  const std::string ok = "metadata:\n  labels:\n    app: web\nspec:\n  containers:\n  - image: nginx\n    name: web\n";
  Result<PodTemplateSpec> read = readPodTemplateStrictly(ok);
  ASSERT_TRUE(read) << read.error().message;
  EXPECT_EQ(read->spec.containers.at(0).image, "nginx");
  Result<PodTemplateSpec> again = readPodTemplateStrictly(canonicalYaml(*read));
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_EQ(canonicalYaml(*again), canonicalYaml(*read));

  const std::vector<std::pair<std::string, std::string>> cases = {
      {"spec:\n  containers: 5\n",
       "the pod template is not valid at line 2, column 15: spec.containers: Invalid value: 5: must be a list"},
      {ok + "    bogus: 1\n", R"(the pod template is not valid at line 8, column 5: unknown field "spec.containers[0].bogus")"},
      {"metadata:\n  labels: {a: 1}\n",
       "the pod template is not valid at line 2, column 15: metadata.labels[a]: Invalid value: 1: must be a string; "
       "write it in quotes: \"1\""},
      {ok + "    imagePullPolicy: Sometimes\n",
       "the pod template is not valid at line 8, column 22: spec.containers[0].imagePullPolicy: Unsupported value: "
       "\"Sometimes\": supported values: \"Always\", \"IfNotPresent\", \"Never\""},
      {"spec: [", "the pod template is not valid YAML at line 1, column 8: YAML syntax error: end of sequence flow not "
                  "found; a ']' is missing: the list opened at line 1, column 7 is never closed"},
  };
  for (const auto& [yaml, message] : cases) {
    Result<PodTemplateSpec> r = readPodTemplateStrictly(yaml);
    ASSERT_FALSE(r) << yaml;
    EXPECT_EQ(r.error().message, message) << yaml;
    // The lenient reader, for the history's own canonical text, keeps going.
    if (yaml != "spec: [") EXPECT_TRUE(readPodTemplate(yaml)) << yaml;
  }
}

TEST(CanonicalYaml, WritesKeysInOrderWithTheModelsDefaults) {
  Decoded d = decodeAll(R"(apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata:
      labels: {app: web, tier: "1"}
      annotations:
        podscope.dev/simulate: |
          readiness fails until 5s
          preStop takes 2s
    spec:
      containers:
      - name: web
        image: nginx:1.20.1
        args: ["-c", "echo hi: there"]
        env: [{name: MODE, value: "true"}]
        ports: [{containerPort: 80}]
        readinessProbe:
          httpGet: {path: /healthz, port: 80}
        resources:
          limits: {cpu: 500m, memory: 128Mi}
)");
  ASSERT_EQ(d.documents.size(), 1u);
  ASSERT_TRUE(d.documents[0].deployment);
  EXPECT_EQ(canonicalYaml(d.documents[0].deployment->spec.podTemplate), R"(metadata:
  annotations:
    podscope.dev/simulate: |
      readiness fails until 5s
      preStop takes 2s
  labels:
    app: web
    tier: '1'
spec:
  containers:
  - args:
    - '-c'
    - 'echo hi: there'
    env:
    - name: MODE
      value: 'true'
    image: nginx:1.20.1
    imagePullPolicy: IfNotPresent
    name: web
    ports:
    - containerPort: 80
      protocol: TCP
    readinessProbe:
      failureThreshold: 3
      httpGet:
        path: /healthz
        port: 80
        scheme: HTTP
      periodSeconds: 10
      successThreshold: 1
      timeoutSeconds: 1
    resources:
      limits:
        cpu: 500m
        memory: 128Mi
    terminationMessagePath: /dev/termination-log
    terminationMessagePolicy: File
  restartPolicy: Always
  terminationGracePeriodSeconds: 30
)");
}

PodTemplateSpec simpleTemplate() {
  PodTemplateSpec t;
  t.metadata.labels = {{"app", "web"}};
  Container c;
  c.name = "web";
  c.image = "nginx:1.18";
  t.spec.containers.push_back(c);
  return t;
}

TEST(CanonicalYaml, AwkwardStringsReadBackAsWritten) {
  const std::vector<std::string> values = {
      "",          "true",      "False",        "yes",          "~",           "null",         "123",
      "0x1F",      "1e3",       "-1",           ".5",           ".inf",        " leading",     "trailing ",
      "a: b",      "a #b",      "#x",           "[x]",          "{x}",         "x, y",         "'quoted'",
      "\"dq\"",    "-c",        "--flag=1",     "- item",       "?",           ":",            "@at",
      "%pct",      "!tag",      "&anchor",      "*alias",       "|pipe",       ">fold",        "---",
      "...",       "tab\there", "one\ntwo",     "one\ntwo\n",   "one\n\ntwo\n\n", "  indented\nx", "trailing \nx",
      "\x01ctl",   "café",      "a\\b",         "line\n  more\n"};
  PodTemplateSpec t = simpleTemplate();
  for (std::size_t i = 0; i < values.size(); ++i) {
    t.metadata.annotations["example.com/v" + std::to_string(i)] = values[i];
    t.spec.containers[0].env.push_back({"V" + std::to_string(i), values[i], false});
    t.spec.containers[0].args.push_back(values[i]);
  }
  // Keys need quoting too.
  t.metadata.labels["a: b"] = "x";
  ReadBack back = readBack(t);
  EXPECT_TRUE(equalIgnoreHash(t, back.podTemplate)) << canonicalYaml(t);
  ASSERT_EQ(back.podTemplate.spec.containers.size(), 1u);
  for (std::size_t i = 0; i < values.size(); ++i) {
    EXPECT_EQ(back.podTemplate.metadata.annotations["example.com/v" + std::to_string(i)], values[i]) << i;
    ASSERT_LT(i, back.podTemplate.spec.containers[0].args.size());
    EXPECT_EQ(back.podTemplate.spec.containers[0].args[i], values[i]) << i;
  }
}

TEST(PodTemplateHash, FnvAndTheSafeAlphabetAsKubernetesHasThem) {
  // FNV-1a 32-bit test vectors.
  EXPECT_EQ(fnv32a(""), 0x811c9dc5u);
  EXPECT_EQ(fnv32a("a"), 0xe40c292cu);
  EXPECT_EQ(fnv32a("foobar"), 0xbf9cf968u);
  // Decimal digits map to 4-9, b, c, d, f: hashes look like "648458674d".
  EXPECT_EQ(safeEncodeString("0123456789"), "456789bcdf");
  EXPECT_EQ(safeEncodeString("bcd"), "wxz");  // 98, 99, 100 modulo 27
}

TEST(PodTemplateHash, IsTheSafeEncodedDecimalOfFnvOverTheRendering) {
  PodTemplateSpec t = simpleTemplate();
  const std::string hash = podTemplateHash(t);
  EXPECT_EQ(hash, safeEncodeString(std::to_string(fnv32a(canonicalYaml(t)))));
  EXPECT_LE(hash.size(), 10u);
  EXPECT_EQ(hash.find_first_not_of("456789bcdf"), std::string::npos);
}

TEST(PodTemplateHash, CollisionCountIsHashedAsEightBytes) {
  PodTemplateSpec t = simpleTemplate();
  const std::string text = canonicalYaml(t);
  const std::string zero(8, '\0');
  std::string two(8, '\0');
  two[0] = 2;
  EXPECT_EQ(podTemplateHash(t, 0), safeEncodeString(std::to_string(fnv32a(zero, fnv32a(text)))));
  EXPECT_EQ(podTemplateHash(t, 2), safeEncodeString(std::to_string(fnv32a(two, fnv32a(text)))));
  std::set<std::string> distinct = {podTemplateHash(t), podTemplateHash(t, 0), podTemplateHash(t, 1),
                                    podTemplateHash(t, 2)};
  EXPECT_EQ(distinct.size(), 4u);
}

TEST(PodTemplateHash, CommentsFormattingAndTheHashLabelDoNotCount) {
  const std::string block = R"(apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
      - name: web
        image: nginx:1.18
        ports:
        - containerPort: 80
)";
  const std::string flow = R"(# the same deployment, written differently
kind: Deployment
apiVersion: apps/v1
metadata: {name: web}
spec:
  template:
    spec:
      containers: [{image: "nginx:1.18", name: web,   ports: [{containerPort: 80, protocol: TCP}]}]   # TCP is the default
    metadata: {labels: {"app": web}}
  selector: {matchLabels: {app: web}}
)";
  Decoded a = decodeAll(block);
  Decoded b = decodeAll(flow);
  ASSERT_TRUE(a.documents.at(0).deployment);
  ASSERT_TRUE(b.documents.at(0).deployment);
  PodTemplateSpec ta = a.documents[0].deployment->spec.podTemplate;
  PodTemplateSpec tb = b.documents[0].deployment->spec.podTemplate;
  EXPECT_EQ(podTemplateHash(ta), podTemplateHash(tb));
  EXPECT_TRUE(equalIgnoreHash(ta, tb));
  // The ReplicaSet's copy carries the label; it neither changes the hash nor equality.
  tb.metadata.labels[std::string(kPodTemplateHashLabel)] = podTemplateHash(tb);
  EXPECT_EQ(podTemplateHash(ta), podTemplateHash(tb));
  EXPECT_TRUE(equalIgnoreHash(ta, tb));
}

struct Mutation {
  const char* name;
  std::function<void(PodTemplateSpec&)> apply;
};

PodTemplateSpec richTemplate() {
  PodTemplateSpec t = simpleTemplate();
  Container& c = t.spec.containers[0];
  c.command = {"sh", "-c"};
  c.args = {"sleep 3600"};
  c.env = {{"MODE", "fast", false}};
  c.ports = {{"http", 80, std::nullopt, Protocol::TCP, ""}};
  c.readinessProbe = Probe{};
  c.readinessProbe->httpGet = HttpGetAction{};
  c.readinessProbe->httpGet->port = IntOrString::fromInt(80);
  c.resources.limits["cpu"] = Quantity{"500m", 500};
  c.volumeMounts = {{"data", "/data", false, ""}};
  c.lifecycle = Lifecycle{};
  c.lifecycle->preStop = LifecycleHandler{};
  c.lifecycle->preStop->sleep = SleepAction{5};
  Volume v;
  v.name = "data";
  t.spec.volumes.push_back(v);
  t.metadata.annotations["note"] = "x";
  return t;
}

TEST(PodTemplateHash, EveryModelledChangeChangesItAndEquality) {
  const std::vector<Mutation> mutations = {
      {"image", [](PodTemplateSpec& t) { t.spec.containers[0].image = "nginx:1.20.1"; }},
      {"image pull policy", [](PodTemplateSpec& t) { t.spec.containers[0].imagePullPolicy = PullPolicy::Always; }},
      {"command", [](PodTemplateSpec& t) { t.spec.containers[0].command = {"sh"}; }},
      {"args", [](PodTemplateSpec& t) { t.spec.containers[0].args.push_back("x"); }},
      {"env value", [](PodTemplateSpec& t) { t.spec.containers[0].env[0].value = "slow"; }},
      {"env from", [](PodTemplateSpec& t) { t.spec.containers[0].env[0].valueFrom = true; }},
      {"port", [](PodTemplateSpec& t) { t.spec.containers[0].ports[0].containerPort = 8080; }},
      {"port protocol", [](PodTemplateSpec& t) { t.spec.containers[0].ports[0].protocol = Protocol::UDP; }},
      {"probe period", [](PodTemplateSpec& t) { t.spec.containers[0].readinessProbe->periodSeconds = 5; }},
      {"probe delay", [](PodTemplateSpec& t) { t.spec.containers[0].readinessProbe->initialDelaySeconds = 3; }},
      {"probe port name",
       [](PodTemplateSpec& t) { t.spec.containers[0].readinessProbe->httpGet->port = IntOrString::fromString("80"); }},
      {"liveness probe", [](PodTemplateSpec& t) { t.spec.containers[0].livenessProbe = Probe{}; }},
      {"cpu limit", [](PodTemplateSpec& t) { t.spec.containers[0].resources.limits["cpu"] = Quantity{"1", 1000}; }},
      {"memory request",
       [](PodTemplateSpec& t) { t.spec.containers[0].resources.requests["memory"] = Quantity{"64Mi", 64LL * 1024 * 1024 * 1000}; }},
      {"mount read-only", [](PodTemplateSpec& t) { t.spec.containers[0].volumeMounts[0].readOnly = true; }},
      {"preStop sleep", [](PodTemplateSpec& t) { t.spec.containers[0].lifecycle->preStop->sleep->seconds = 6; }},
      {"security context", [](PodTemplateSpec& t) { t.spec.containers[0].securityContext = SecurityContext{}; }},
      {"working dir", [](PodTemplateSpec& t) { t.spec.containers[0].workingDir = "/app"; }},
      {"termination message path", [](PodTemplateSpec& t) { t.spec.containers[0].terminationMessagePath = "/m"; }},
      {"container name", [](PodTemplateSpec& t) { t.spec.containers[0].name = "app"; }},
      {"second container", [](PodTemplateSpec& t) { t.spec.containers.push_back(t.spec.containers[0]); }},
      {"init container", [](PodTemplateSpec& t) { t.spec.initContainers.push_back(t.spec.containers[0]); }},
      {"volume medium", [](PodTemplateSpec& t) { t.spec.volumes[0].emptyDirMedium = "Memory"; }},
      {"volume host path",
       [](PodTemplateSpec& t) {
         t.spec.volumes[0].source = Volume::Source::HostPath;
         t.spec.volumes[0].hostPath = "/tmp";
       }},
      {"grace period", [](PodTemplateSpec& t) { t.spec.terminationGracePeriodSeconds = 5; }},
      {"active deadline", [](PodTemplateSpec& t) { t.spec.activeDeadlineSeconds = 60; }},
      {"hostname", [](PodTemplateSpec& t) { t.spec.hostname = "h"; }},
      {"pod security context", [](PodTemplateSpec& t) { t.spec.securityContext = PodSecurityContext{}; }},
      {"label", [](PodTemplateSpec& t) { t.metadata.labels["tier"] = "front"; }},
      {"annotation", [](PodTemplateSpec& t) { t.metadata.annotations["note"] = "y"; }},
      {"restartedAt",
       [](PodTemplateSpec& t) { t.metadata.annotations["kubectl.kubernetes.io/restartedAt"] = "2024-01-01T00:00:00Z"; }},
  };
  const PodTemplateSpec base = richTemplate();
  std::set<std::string> hashes = {podTemplateHash(base)};
  for (const Mutation& m : mutations) {
    SCOPED_TRACE(m.name);
    PodTemplateSpec t = base;
    m.apply(t);
    EXPECT_NE(podTemplateHash(t), podTemplateHash(base));
    EXPECT_FALSE(equalIgnoreHash(t, base));
    EXPECT_TRUE(equalIgnoreHash(t, t));
    hashes.insert(podTemplateHash(t));
    // The change survives the round trip.
    EXPECT_TRUE(equalIgnoreHash(readBack(t).podTemplate, t)) << canonicalYaml(t);
  }
  EXPECT_EQ(hashes.size(), mutations.size() + 1);
}

}  // namespace
}  // namespace podscope::core
