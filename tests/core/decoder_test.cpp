// The strict decoder: what `kubectl apply --validate=strict` rejects
// (unknown fields, wrong types, unsupported enum values), the defaults the
// API server fills in, and where every field was written. Runs on the YAML
// tree only, without the validator, so each finding here is the decoder's.

#include "core/decoder.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <functional>
#include <limits>
#include <map>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "core/schema.h"

namespace podscope::core {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

struct Decoded {
  Document doc;
  std::vector<Diagnostic> diagnostics;
};

Decoded decodeNode(const YamlNode& root) {
  Decoded d;
  decodeDocument(root, "t.yaml", d.doc, d.diagnostics);
  return d;
}

Decoded decode(const std::string& text) {
  YamlParse parse = parseYamlDocument(YamlChunk{text, 1, false}, "t.yaml", 0);
  EXPECT_TRUE(parse.diagnostics.empty()) << "test YAML must parse: " << text;
  if (!parse.root) return {};
  return decodeNode(*parse.root);
}

std::vector<Decoded> decodeFile(const std::string& text) {
  std::vector<Decoded> out;
  int index = 0;
  for (const YamlChunk& chunk : splitYamlDocuments(text)) {
    if (chunk.blank) continue;
    YamlParse parse = parseYamlDocument(chunk, "seed.yaml", index);
    if (parse.root) {
      Decoded d;
      d.doc.index = index;
      decodeDocument(*parse.root, "seed.yaml", d.doc, d.diagnostics);
      out.push_back(std::move(d));
    }
    ++index;
  }
  return out;
}

std::string seed(const std::string& name) {
  std::ifstream in(std::string(PODSCOPE_SEEDS_DIR) + "/" + name, std::ios::binary);
  EXPECT_TRUE(in) << "seed manifest missing: " << name;
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string listed(const std::vector<Diagnostic>& diagnostics) {
  std::string out;
  for (const Diagnostic& d : diagnostics) out += "\n  " + formatDiagnostic(d) + " {" + d.path + "}";
  return out.empty() ? "\n  (no findings)" : out;
}

std::vector<std::string> messages(const std::vector<Diagnostic>& diagnostics) {
  std::vector<std::string> out;
  for (const Diagnostic& d : diagnostics) out.push_back(d.message);
  return out;
}

const std::string kPodHead =
    "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: c\n    image: busybox:1.36\n";

const std::string kDeploymentHead =
    "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: d\nspec:\n"
    "  selector: {matchLabels: {app: d}}\n"
    "  template:\n    metadata: {labels: {app: d}}\n"
    "    spec: {containers: [{name: c, image: busybox:1.36}]}\n";

// --- the seed manifests ----------------------------------------------------------

TEST(DecoderSeeds, TomcatImagePullPolicyUnderSpecBelongsToTheContainer) {
  std::vector<Decoded> docs = decodeFile(seed("pod-tomcat.yaml"));
  ASSERT_EQ(docs.size(), 1u);
  const Decoded& d = docs[0];
  ASSERT_EQ(d.diagnostics.size(), 1u) << listed(d.diagnostics);
  const Diagnostic& e = d.diagnostics[0];
  EXPECT_EQ(e.severity, Severity::Error);
  EXPECT_EQ(e.rule, "unknown-field");
  EXPECT_EQ(e.path, "spec.imagePullPolicy");
  EXPECT_EQ(e.message,
            "unknown field \"spec.imagePullPolicy\"; imagePullPolicy belongs to a container: "
            "spec.containers[0].imagePullPolicy");
  // The key's own range: line 14 of the file as it is on disk.
  EXPECT_EQ(e.range.begin, (SourcePos{14, 3}));
  EXPECT_EQ(e.range.end, (SourcePos{14, 18}));
  // Best effort: the rest of the pod is still read.
  ASSERT_TRUE(d.doc.pod);
  EXPECT_EQ(d.doc.pod->spec.containers.at(0).image, "tomcat/tomcat-8.5-jre8:v1");
  EXPECT_EQ(d.doc.pod->metadata.labels.at("app"), "tomcat");
}

TEST(DecoderSeeds, FlattenedPodNamesWhereEachTopLevelFieldBelongs) {
  std::vector<Decoded> docs = decodeFile(seed("nginx-pod-flattened.yaml"));
  ASSERT_EQ(docs.size(), 1u);
  const Decoded& d = docs[0];
  EXPECT_THAT(messages(d.diagnostics),
              ElementsAre("unknown field \"name\"; name belongs to metadata: metadata.name",
                          "unknown field \"containers\"; containers belongs to the pod spec: spec.containers",
                          "unknown field \"image\"; image belongs to a container: spec.containers[0].image",
                          "unknown field \"ports\"; ports belongs to a container: spec.containers[0].ports"));
  EXPECT_EQ(d.diagnostics[0].range.begin, (SourcePos{4, 1}));
  EXPECT_EQ(d.diagnostics[3].range.begin, (SourcePos{9, 1}));
  // metadata and spec are null, so absent: the validator reports what is required.
  ASSERT_TRUE(d.doc.pod);
  EXPECT_EQ(d.doc.pod->metadata.name, "");
  EXPECT_THAT(d.doc.pod->spec.containers, IsEmpty());
  EXPECT_EQ(d.doc.name, "");
}

TEST(DecoderSeeds, NginxDeployment) {
  std::vector<Decoded> docs = decodeFile(seed("nginx-deploy.yaml"));
  ASSERT_EQ(docs.size(), 1u);
  const Decoded& d = docs[0];
  EXPECT_THAT(d.diagnostics, IsEmpty()) << listed(d.diagnostics);
  ASSERT_TRUE(d.doc.deployment);
  const Deployment& dep = *d.doc.deployment;
  EXPECT_EQ(d.doc.name, "nginx-test");
  EXPECT_EQ(dep.metadata.namespaceName, "default");
  EXPECT_EQ(dep.spec.replicas, 2);
  EXPECT_EQ(dep.spec.selector.matchLabels, (std::map<std::string, std::string>{{"app", "nginx"}}));
  const Container& c = dep.spec.podTemplate.spec.containers.at(0);
  EXPECT_EQ(c.name, "my-nginx");
  EXPECT_EQ(c.image, "nginx/nginx:v1");
  EXPECT_EQ(c.imagePullPolicy, PullPolicy::IfNotPresent);
  EXPECT_EQ(c.ports.at(0).containerPort, 80);
  EXPECT_EQ(c.range.begin, (SourcePos{18, 9}));
  EXPECT_EQ(d.doc.defaults.at("spec.strategy.type"), "RollingUpdate");
  EXPECT_EQ(d.doc.defaults.at("spec.strategy.rollingUpdate.maxSurge"), "25%");
  EXPECT_EQ(d.doc.defaults.at("spec.strategy.rollingUpdate.maxUnavailable"), "25%");
  EXPECT_EQ(d.doc.defaults.at("spec.revisionHistoryLimit"), "10");
  EXPECT_EQ(d.doc.defaults.at("spec.progressDeadlineSeconds"), "600");
  EXPECT_EQ(d.doc.defaults.count("spec.replicas"), 0u) << "written in the file";
  EXPECT_EQ(d.doc.defaults.at("spec.template.spec.restartPolicy"), "Always");
  EXPECT_EQ(d.doc.defaults.count("spec.template.spec.containers[0].imagePullPolicy"), 0u);
  const FieldPosition& replicas = d.doc.positions.at("spec.replicas");
  EXPECT_EQ(replicas.key.begin, (SourcePos{11, 3}));
  EXPECT_EQ(replicas.value.begin, (SourcePos{11, 13}));
  EXPECT_EQ(d.doc.positions.at("spec.selector.matchLabels[app]").value.begin, (SourcePos{10, 12}));
}

TEST(DecoderSeeds, HttpProbeDeploymentAndServiceDocument) {
  std::vector<Decoded> docs = decodeFile(seed("my-1-http-probe.yaml"));
  ASSERT_EQ(docs.size(), 2u);
  EXPECT_THAT(docs[0].diagnostics, IsEmpty()) << listed(docs[0].diagnostics);
  ASSERT_TRUE(docs[0].doc.deployment);
  const Deployment& dep = *docs[0].doc.deployment;
  EXPECT_EQ(dep.metadata.namespaceName, "myserver");
  const Container& c = dep.spec.podTemplate.spec.containers.at(0);
  ASSERT_TRUE(c.readinessProbe);
  const Probe& probe = *c.readinessProbe;
  ASSERT_TRUE(probe.httpGet);
  EXPECT_EQ(probe.httpGet->port, IntOrString::fromInt(80));
  EXPECT_EQ(probe.httpGet->path, "/index.html");
  EXPECT_EQ(probe.httpGet->scheme, UriScheme::HTTP);
  EXPECT_EQ(probe.initialDelaySeconds, 5);
  EXPECT_EQ(probe.periodSeconds, 3);
  EXPECT_EQ(probe.timeoutSeconds, 1);
  EXPECT_EQ(probe.successThreshold, 1);
  EXPECT_EQ(probe.failureThreshold, 3);
  EXPECT_FALSE(c.livenessProbe);
  const Document& doc = docs[0].doc;
  EXPECT_EQ(doc.defaults.at("spec.template.spec.containers[0].readinessProbe.httpGet.scheme"), "HTTP");
  EXPECT_EQ(doc.defaults.count("spec.template.spec.containers[0].readinessProbe.periodSeconds"), 0u);
  const FieldPosition& path = doc.positions.at("spec.template.spec.containers[0].readinessProbe.httpGet.path");
  EXPECT_EQ(path.key.begin, (SourcePos{28, 13}));
  EXPECT_EQ(path.value.begin, (SourcePos{28, 19}));
  EXPECT_EQ(path.value.end, (SourcePos{28, 30}));

  // Other kinds keep their kind and name, and nothing else is checked.
  const Decoded& service = docs[1];
  EXPECT_THAT(service.diagnostics, IsEmpty()) << listed(service.diagnostics);
  EXPECT_EQ(service.doc.kind, "Service");
  EXPECT_EQ(service.doc.apiVersion, "v1");
  EXPECT_EQ(service.doc.name, "myserver-mapp-frontend-label");
  EXPECT_FALSE(service.doc.runnable());
  EXPECT_THAT(service.doc.defaults, IsEmpty());
}

TEST(DecoderSeeds, InitContainerPodIsClean) {
  std::vector<Decoded> docs = decodeFile(seed("pod-initcontainer.yaml"));
  ASSERT_EQ(docs.size(), 1u);
  EXPECT_THAT(docs[0].diagnostics, IsEmpty()) << listed(docs[0].diagnostics);
  ASSERT_TRUE(docs[0].doc.pod);
  const Pod& pod = *docs[0].doc.pod;
  EXPECT_EQ(pod.metadata.namespaceName, "ww");
  ASSERT_EQ(pod.spec.initContainers.size(), 2u);
  EXPECT_EQ(pod.spec.initContainers[1].command.at(2),
            "until ping 192.168.253.150-c 1 ; do echo waiting for reids...; sleep 2; done;");
  EXPECT_FALSE(pod.spec.initContainers[0].isSidecar());
}

// --- apiVersion and kind ---------------------------------------------------------

TEST(Decoder, ApiVersionAndKindAreRequired) {
  Decoded d = decode("metadata:\n  name: x\n");
  EXPECT_THAT(messages(d.diagnostics), ElementsAre("apiVersion: Required value", "kind: Required value"));
  for (const Diagnostic& e : d.diagnostics) {
    EXPECT_EQ(e.rule, "required");
    EXPECT_EQ(e.range.begin, (SourcePos{1, 1}));
  }
  EXPECT_FALSE(d.doc.runnable());

  Decoded empty = decode("apiVersion: \"\"\nkind: Pod\n");
  EXPECT_THAT(messages(empty.diagnostics), ElementsAre("apiVersion: Required value"));
  EXPECT_FALSE(empty.doc.pod);

  Decoded number = decode("apiVersion: 1\nkind: Pod\n");
  EXPECT_THAT(messages(number.diagnostics),
              ElementsAre("apiVersion: Invalid value: 1: must be a string; write it in quotes: \"1\""));
  EXPECT_EQ(number.diagnostics[0].range.begin, (SourcePos{1, 13}));
}

TEST(Decoder, KindsAreMatchedWithTheirApiVersion) {
  Decoded old = decode("apiVersion: extensions/v1beta1\nkind: Deployment\nmetadata: {name: d}\nspec: {}\n");
  ASSERT_EQ(old.diagnostics.size(), 1u) << listed(old.diagnostics);
  EXPECT_EQ(old.diagnostics[0].rule, "no-kind-match");
  EXPECT_THAT(old.diagnostics[0].message,
              HasSubstr("no matches for kind \"Deployment\" in version \"extensions/v1beta1\""));
  EXPECT_THAT(old.diagnostics[0].message, HasSubstr("apps/v1"));
  EXPECT_EQ(old.diagnostics[0].range.begin, (SourcePos{1, 13}));
  EXPECT_FALSE(old.doc.deployment);
  EXPECT_EQ(old.doc.name, "d");

  Decoded pod = decode("apiVersion: apps/v1\nkind: Pod\nmetadata: {name: p}\n");
  ASSERT_EQ(pod.diagnostics.size(), 1u);
  EXPECT_THAT(pod.diagnostics[0].message, HasSubstr("no matches for kind \"Pod\" in version \"apps/v1\""));
  EXPECT_FALSE(pod.doc.pod);

  Decoded lower = decode("apiVersion: v1\nkind: pod\nmetadata: {name: p}\n");
  ASSERT_EQ(lower.diagnostics.size(), 1u);
  EXPECT_EQ(lower.diagnostics[0].message, "no matches for kind \"pod\" in version \"v1\"; did you mean kind \"Pod\"?");
  EXPECT_EQ(lower.diagnostics[0].range.begin, (SourcePos{2, 7}));
}

TEST(Decoder, OtherKindsAreKeptWithoutChecks) {
  Decoded d =
      decode("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cm, whatever: [1]}\ndata: {a: 1}\nbogus: true\n");
  EXPECT_THAT(d.diagnostics, IsEmpty()) << listed(d.diagnostics);
  EXPECT_EQ(d.doc.kind, "ConfigMap");
  EXPECT_EQ(d.doc.name, "cm");
  EXPECT_FALSE(d.doc.runnable());
}

TEST(Decoder, DocumentThatIsNotAMappingIsOneError) {
  Decoded d = decode("- a\n- b\n");
  ASSERT_EQ(d.diagnostics.size(), 1u);
  EXPECT_EQ(d.diagnostics[0].rule, "invalid-type");
  EXPECT_THAT(d.diagnostics[0].message, HasSubstr("must be a mapping"));
  EXPECT_THAT(d.diagnostics[0].message, HasSubstr("not a list"));
}

// --- wrong types ------------------------------------------------------------------

struct TypeCase {
  const char* name;
  std::string text;
  const char* path;
  const char* message;
  const char* rule = "invalid-type";
};

class WrongType : public testing::TestWithParam<TypeCase> {};

TEST_P(WrongType, IsOneErrorOnItsValue) {
  const TypeCase& c = GetParam();
  Decoded d = decode(c.text);
  ASSERT_EQ(d.diagnostics.size(), 1u) << listed(d.diagnostics);
  const Diagnostic& e = d.diagnostics[0];
  EXPECT_EQ(e.severity, Severity::Error);
  EXPECT_EQ(e.rule, c.rule);
  EXPECT_EQ(e.path, c.path);
  EXPECT_EQ(e.message, c.message);
  EXPECT_EQ(e.range, d.doc.positions.at(c.path).value) << "underlines the value";
  EXPECT_TRUE(d.doc.pod || d.doc.deployment) << "the object is still read as far as it goes";
}

const std::string kLabelled = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  labels:\n";

INSTANTIATE_TEST_SUITE_P(
    Decoder, WrongType,
    testing::Values(
        TypeCase{"WordForInteger", kPodHead + "    ports: [{containerPort: eighty}]\n",
                 "spec.containers[0].ports[0].containerPort",
                 "spec.containers[0].ports[0].containerPort: Invalid value: \"eighty\": must be an integer"},
        TypeCase{"QuotedReplicas", kDeploymentHead + "  replicas: \"2\"\n", "spec.replicas",
                 "spec.replicas: Invalid value: \"2\": a quoted string, must be an integer"},
        TypeCase{"Int32Overflow", kPodHead + "    ports: [{containerPort: 4294967377}]\n",
                 "spec.containers[0].ports[0].containerPort",
                 "spec.containers[0].ports[0].containerPort: Invalid value: 4294967377: must be an integer from "
                 "-2147483648 to 2147483647"},
        TypeCase{"Int64Overflow", kPodHead + "  terminationGracePeriodSeconds: 18446744073709551646\n",
                 "spec.terminationGracePeriodSeconds",
                 "spec.terminationGracePeriodSeconds: Invalid value: 18446744073709551646: must be an integer from "
                 "-9223372036854775808 to 9223372036854775807"},
        TypeCase{"FractionForInteger", kPodHead + "    ports: [{containerPort: 80.5}]\n",
                 "spec.containers[0].ports[0].containerPort",
                 "spec.containers[0].ports[0].containerPort: Invalid value: 80.5: must be an integer"},
        TypeCase{"BoolForInteger", kPodHead + "    livenessProbe: {exec: {command: [x]}, periodSeconds: true}\n",
                 "spec.containers[0].livenessProbe.periodSeconds",
                 "spec.containers[0].livenessProbe.periodSeconds: Invalid value: true: must be an integer"},
        TypeCase{"NumberForString", kPodHead + "    workingDir: 1\n", "spec.containers[0].workingDir",
                 "spec.containers[0].workingDir: Invalid value: 1: must be a string; write it in quotes: \"1\""},
        TypeCase{"Yaml11BoolForString", kPodHead + "    env: [{name: A, value: yes}]\n",
                 "spec.containers[0].env[0].value",
                 "spec.containers[0].env[0].value: Invalid value: yes: must be a string; write it in quotes: \"yes\""},
        TypeCase{"NumberAsLabelValue", kLabelled + "    version: 1.0\n", "metadata.labels[version]",
                 "metadata.labels[version]: Invalid value: 1.0: must be a string; write it in quotes: \"1.0\""},
        TypeCase{"NumberInStringList", kPodHead + "    args: [--port, 8080]\n", "spec.containers[0].args[1]",
                 "spec.containers[0].args[1]: Invalid value: 8080: must be a string; write it in quotes: \"8080\""},
        TypeCase{"ListForString", kPodHead + "    workingDir: [a]\n", "spec.containers[0].workingDir",
                 "spec.containers[0].workingDir: must be a string, not a list"},
        TypeCase{"StringForList", kPodHead + "    command: sleep 5\n", "spec.containers[0].command",
                 "spec.containers[0].command: Invalid value: \"sleep 5\": must be a list of strings"},
        TypeCase{"ScalarForObject", kPodHead + "    livenessProbe: yes\n", "spec.containers[0].livenessProbe",
                 "spec.containers[0].livenessProbe: Invalid value: yes: must be a mapping"},
        TypeCase{"MappingForList", kPodHead + "    ports: {containerPort: 80}\n", "spec.containers[0].ports",
                 "spec.containers[0].ports: must be a list, not a mapping"},
        TypeCase{"ListForObject", kPodHead + "  securityContext: [1]\n", "spec.securityContext",
                 "spec.securityContext: must be a mapping, not a list"},
        TypeCase{"QuotedBool", kPodHead + "    volumeMounts: [{name: v, mountPath: /v, readOnly: \"true\"}]\n",
                 "spec.containers[0].volumeMounts[0].readOnly",
                 "spec.containers[0].volumeMounts[0].readOnly: Invalid value: \"true\": a quoted string, must be "
                 "true or false"},
        TypeCase{"NumberForBool", kPodHead + "    securityContext: {privileged: 1}\n",
                 "spec.containers[0].securityContext.privileged",
                 "spec.containers[0].securityContext.privileged: Invalid value: 1: must be true or false"},
        TypeCase{"BoolForPort", kPodHead + "    livenessProbe: {tcpSocket: {port: true}}\n",
                 "spec.containers[0].livenessProbe.tcpSocket.port",
                 "spec.containers[0].livenessProbe.tcpSocket.port: Invalid value: true: must be an integer or a "
                 "string"},
        TypeCase{"FractionForPort", kPodHead + "    livenessProbe: {tcpSocket: {port: 80.5}}\n",
                 "spec.containers[0].livenessProbe.tcpSocket.port",
                 "spec.containers[0].livenessProbe.tcpSocket.port: Invalid value: 80.5: must be an integer or a "
                 "string"},
        TypeCase{"LabelsAsList", kLabelled + "    - app\n", "metadata.labels",
                 "metadata.labels: must be a mapping of strings to strings, not a list"},
        TypeCase{"LimitsAsNumber", kPodHead + "    resources: {limits: 1}\n", "spec.containers[0].resources.limits",
                 "spec.containers[0].resources.limits: Invalid value: 1: must be a mapping of resource names to "
                 "quantities"},
        TypeCase{"BadQuantity", kPodHead + "    resources: {limits: {memory: 1Qi}}\n",
                 "spec.containers[0].resources.limits[memory]",
                 "spec.containers[0].resources.limits[memory]: Invalid value: \"1Qi\": quantities must match the "
                 "regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'",
                 "invalid-quantity"},
        TypeCase{"BadQuantitySuffix", kPodHead + "    resources: {requests: {cpu: 1K}}\n",
                 "spec.containers[0].resources.requests[cpu]",
                 "spec.containers[0].resources.requests[cpu]: Invalid value: \"1K\": unable to parse quantity's "
                 "suffix",
                 "invalid-quantity"}),
    [](const testing::TestParamInfo<TypeCase>& info) { return info.param.name; });

TEST(Decoder, NumbersAsKubernetesYamlReadsThem) {
  struct Case {
    const char* written;
    std::int32_t value;
  };
  // yaml.v2 (YAML 1.1) number forms, and floats JSON carries as integers.
  for (const Case& c : std::vector<Case>{{"80", 80},
                                         {"+80", 80},
                                         {"0x50", 80},
                                         {"0o120", 80},
                                         {"0120", 80},
                                         {"080", 80},
                                         {"8_0", 80},
                                         {"80.0", 80},
                                         {"8e1", 80},
                                         {"-0", 0}}) {
    Decoded d = decode(kPodHead + "    ports: [{containerPort: " + c.written + "}]\n");
    EXPECT_THAT(d.diagnostics, IsEmpty()) << c.written << listed(d.diagnostics);
    ASSERT_TRUE(d.doc.pod) << c.written;
    EXPECT_EQ(d.doc.pod->spec.containers.at(0).ports.at(0).containerPort, c.value) << c.written;
  }
  for (const char* bad : {".inf", ".nan", "0x", "1e400", "'80'", "!!str 80", "2147483648", "-2147483649"}) {
    Decoded d = decode(kPodHead + "    ports: [{containerPort: " + bad + "}]\n");
    EXPECT_EQ(d.diagnostics.size(), 1u) << bad << listed(d.diagnostics);
  }
  Decoded lowest = decode(kPodHead + "    ports: [{containerPort: -2147483648}]\n");
  EXPECT_THAT(lowest.diagnostics, IsEmpty()) << listed(lowest.diagnostics);
}

TEST(Decoder, BooleansAsKubernetesYamlReadsThem) {
  // kubectl's YAML is YAML 1.1: yes/no/on/off are booleans where a boolean is
  // expected, and refused where a string is.
  for (const char* yes : {"true", "True", "TRUE", "yes", "Yes", "on", "y"}) {
    Decoded d = decode(kPodHead + "    securityContext: {privileged: " + yes + "}\n");
    EXPECT_THAT(d.diagnostics, IsEmpty()) << yes << listed(d.diagnostics);
    ASSERT_TRUE(d.doc.pod);
    EXPECT_EQ(d.doc.pod->spec.containers[0].securityContext->privileged, true) << yes;
  }
  for (const char* no : {"false", "no", "off", "N"}) {
    Decoded d = decode(kPodHead + "    securityContext: {privileged: " + no + "}\n");
    EXPECT_THAT(d.diagnostics, IsEmpty()) << no << listed(d.diagnostics);
    EXPECT_EQ(d.doc.pod->spec.containers[0].securityContext->privileged, false) << no;
  }
  for (const char* notBool : {"'yes'", "1", "enabled", "[true]"}) {
    Decoded d = decode(kPodHead + "    securityContext: {privileged: " + notBool + "}\n");
    EXPECT_EQ(d.diagnostics.size(), 1u) << notBool << listed(d.diagnostics);
  }
}

TEST(Decoder, StringsStayAsWritten) {
  Decoded d = decode(kPodHead +
                     "    args: ['1', \"true\", 2001-12-14, 1.2.3, 0x]\n"
                     "    env: [{name: A, value: \"\"}, {name: B, value: ~}, {name: C}]\n");
  ASSERT_TRUE(d.doc.pod);
  EXPECT_THAT(d.diagnostics, IsEmpty()) << listed(d.diagnostics);
  EXPECT_THAT(d.doc.pod->spec.containers[0].args, ElementsAre("1", "true", "2001-12-14", "1.2.3", "0x"));
  const std::vector<EnvVar>& env = d.doc.pod->spec.containers[0].env;
  ASSERT_EQ(env.size(), 3u);
  EXPECT_EQ(env[0].value, "");
  EXPECT_EQ(env[1].value, "");
  EXPECT_EQ(env[2].value, "");
}

TEST(Decoder, IntOrStringKeepsWhichItWas) {
  Decoded d = decode(kPodHead +
                     "    livenessProbe: {httpGet: {port: http}}\n"
                     "    readinessProbe: {tcpSocket: {port: \"8080\"}}\n"
                     "    startupProbe: {tcpSocket: {port: 8080}}\n");
  ASSERT_TRUE(d.doc.pod);
  EXPECT_THAT(d.diagnostics, IsEmpty()) << listed(d.diagnostics);
  const Container& c = d.doc.pod->spec.containers[0];
  EXPECT_EQ(c.livenessProbe->httpGet->port, IntOrString::fromString("http"));
  EXPECT_EQ(c.readinessProbe->tcpSocket->port, IntOrString::fromString("8080")) << "quoted: a (bad) port name";
  EXPECT_EQ(c.startupProbe->tcpSocket->port, IntOrString::fromInt(8080));
}

TEST(Decoder, QuantitiesAreParsed) {
  Decoded d = decode(kPodHead +
                     "    resources:\n      limits: {cpu: 500m, memory: 1.5Gi, nvidia.com/gpu: 1}\n"
                     "      requests: {cpu: 0.25, memory: \"64Mi\"}\n");
  ASSERT_TRUE(d.doc.pod);
  EXPECT_THAT(d.diagnostics, IsEmpty()) << listed(d.diagnostics);
  const ResourceRequirements& r = d.doc.pod->spec.containers[0].resources;
  EXPECT_EQ(r.limits.at("cpu"), (Quantity{"500m", 500}));
  EXPECT_EQ(r.limits.at("memory").milliValue, 1'610'612'736'000);
  EXPECT_EQ(r.limits.at("nvidia.com/gpu").milliValue, 1000);
  EXPECT_EQ(r.requests.at("cpu").milliValue, 250);
  EXPECT_EQ(r.requests.at("memory").text, "64Mi");
  EXPECT_EQ(d.doc.positions.at("spec.containers[0].resources.limits[nvidia.com/gpu]").key.begin, (SourcePos{10, 42}));
}

TEST(Decoder, QuantityTooLargeIsAWarningAndSaturates) {
  Decoded d = decode(kPodHead + "    resources: {limits: {memory: 99999999999999999999999Ei}}\n");
  ASSERT_EQ(d.diagnostics.size(), 1u) << listed(d.diagnostics);
  EXPECT_EQ(d.diagnostics[0].severity, Severity::Warning);
  EXPECT_EQ(d.diagnostics[0].rule, "quantity-too-large");
  ASSERT_TRUE(d.doc.pod);
  EXPECT_EQ(d.doc.pod->spec.containers[0].resources.limits.at("memory").milliValue,
            std::numeric_limits<std::int64_t>::max());
}

// --- enums -----------------------------------------------------------------------

struct EnumCase {
  const char* name;
  std::string text;
  const char* path;
  const char* message;
};

class UnsupportedValue : public testing::TestWithParam<EnumCase> {};

TEST_P(UnsupportedValue, ListsTheSupportedValues) {
  const EnumCase& c = GetParam();
  Decoded d = decode(c.text);
  ASSERT_EQ(d.diagnostics.size(), 1u) << listed(d.diagnostics);
  EXPECT_EQ(d.diagnostics[0].rule, "unsupported-value");
  EXPECT_EQ(d.diagnostics[0].path, c.path);
  EXPECT_EQ(d.diagnostics[0].message, c.message);
  EXPECT_EQ(d.diagnostics[0].range, d.doc.positions.at(c.path).value);
  EXPECT_EQ(d.doc.defaults.count(c.path), 0u) << "a rejected value is not defaulted over";
}

INSTANTIATE_TEST_SUITE_P(
    Decoder, UnsupportedValue,
    testing::Values(
        EnumCase{"RestartPolicy", kPodHead + "  restartPolicy: Sometimes\n", "spec.restartPolicy",
                 "spec.restartPolicy: Unsupported value: \"Sometimes\": supported values: \"Always\", \"OnFailure\", "
                 "\"Never\""},
        EnumCase{"PullPolicyCase", kPodHead + "    imagePullPolicy: always\n", "spec.containers[0].imagePullPolicy",
                 "spec.containers[0].imagePullPolicy: Unsupported value: \"always\": supported values: \"Always\", "
                 "\"IfNotPresent\", \"Never\""},
        EnumCase{"Protocol", kPodHead + "    ports: [{containerPort: 80, protocol: tcp}]\n",
                 "spec.containers[0].ports[0].protocol",
                 "spec.containers[0].ports[0].protocol: Unsupported value: \"tcp\": supported values: \"SCTP\", "
                 "\"TCP\", \"UDP\""},
        EnumCase{"Scheme", kPodHead + "    livenessProbe: {httpGet: {port: 80, scheme: http}}\n",
                 "spec.containers[0].livenessProbe.httpGet.scheme",
                 "spec.containers[0].livenessProbe.httpGet.scheme: Unsupported value: \"http\": supported values: "
                 "\"HTTP\", \"HTTPS\""},
        EnumCase{"MessagePolicy", kPodHead + "    terminationMessagePolicy: Logs\n",
                 "spec.containers[0].terminationMessagePolicy",
                 "spec.containers[0].terminationMessagePolicy: Unsupported value: \"Logs\": supported values: "
                 "\"File\", \"FallbackToLogsOnError\""},
        EnumCase{"StrategyType", kDeploymentHead + "  strategy: {type: BlueGreen}\n", "spec.strategy.type",
                 "spec.strategy.type: Unsupported value: \"BlueGreen\": supported values: \"Recreate\", "
                 "\"RollingUpdate\""},
        EnumCase{"SelectorOperator",
                 "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\nspec:\n"
                 "  selector: {matchExpressions: [{key: app, operator: Equals, values: [d]}]}\n",
                 "spec.selector.matchExpressions[0].operator",
                 "spec.selector.matchExpressions[0].operator: Unsupported value: \"Equals\": supported values: "
                 "\"In\", \"NotIn\", \"Exists\", \"DoesNotExist\""},
        EnumCase{"HostPathType", kPodHead + "  volumes: [{name: v, hostPath: {path: /x, type: Dir}}]\n",
                 "spec.volumes[0].hostPath.type",
                 "spec.volumes[0].hostPath.type: Unsupported value: \"Dir\": supported values: \"\", "
                 "\"DirectoryOrCreate\", \"Directory\", \"FileOrCreate\", \"File\", \"Socket\", \"CharDevice\", "
                 "\"BlockDevice\""}),
    [](const testing::TestParamInfo<EnumCase>& info) { return info.param.name; });

TEST(Decoder, EmptyEnumMeansTheDefault) {
  Decoded d = decode(kPodHead + "    imagePullPolicy: \"\"\n  restartPolicy: \"\"\n");
  EXPECT_THAT(d.diagnostics, IsEmpty()) << listed(d.diagnostics);
  EXPECT_EQ(d.doc.defaults.at("spec.restartPolicy"), "Always");
  EXPECT_EQ(d.doc.defaults.at("spec.containers[0].imagePullPolicy"), "IfNotPresent");
}

// --- unknown fields -----------------------------------------------------------------

struct UnknownCase {
  const char* name;
  std::string text;
  const char* message;
  const char* kind = "Pod";
};

class UnknownField : public testing::TestWithParam<UnknownCase> {};

TEST_P(UnknownField, SaysWhereItBelongsOrWhatWasMeant) {
  const UnknownCase& c = GetParam();
  Decoded d = decode(c.text);
  ASSERT_EQ(d.diagnostics.size(), 1u) << listed(d.diagnostics);
  const Diagnostic& e = d.diagnostics[0];
  EXPECT_EQ(e.rule, "unknown-field");
  EXPECT_EQ(e.message, c.message);
  EXPECT_EQ(e.range, d.doc.positions.at(e.path).key) << "underlines the key";
}

INSTANTIATE_TEST_SUITE_P(
    Decoder, UnknownField,
    testing::Values(
        UnknownCase{"Typo", kPodHead + "    imagePullPolicyy: Always\n",
                    "unknown field \"spec.containers[0].imagePullPolicyy\"; did you mean \"imagePullPolicy\"?"},
        UnknownCase{"WrongCase", kPodHead + "    ImagePullPolicy: Always\n",
                    "unknown field \"spec.containers[0].ImagePullPolicy\"; did you mean \"imagePullPolicy\"?"},
        UnknownCase{"DroppedPrefix", kPodHead + "    ports: [{port: 80}]\n",
                    "unknown field \"spec.containers[0].ports[0].port\"; did you mean \"containerPort\"?"},
        UnknownCase{"MountPath", kPodHead + "    volumeMounts: [{name: v, path: /v}]\n",
                    "unknown field \"spec.containers[0].volumeMounts[0].path\"; did you mean \"mountPath\"?"},
        UnknownCase{"IndentedTooDeep",
                    kPodHead + "    ports:\n    - containerPort: 80\n      imagePullPolicy: Always\n",
                    "unknown field \"spec.containers[0].ports[0].imagePullPolicy\"; imagePullPolicy belongs to a "
                    "container: spec.containers[0].imagePullPolicy"},
        UnknownCase{"MissingExec", kPodHead + "    livenessProbe:\n      command: [cat, /tmp/ok]\n",
                    "unknown field \"spec.containers[0].livenessProbe.command\"; command belongs to an exec action: "
                    "spec.containers[0].livenessProbe.exec.command"},
        UnknownCase{"SecondContainer", kPodHead + "  - name: d\n    image: busybox\n    mountPath: /x\n",
                    "unknown field \"spec.containers[1].mountPath\"; mountPath belongs to a volume mount: "
                    "spec.containers[1].volumeMounts[0].mountPath"},
        UnknownCase{"TypoOfAFieldElsewhere", kPodHead + "  livenesProbe: {}\n",
                    "unknown field \"spec.livenesProbe\"; did you mean spec.containers[0].livenessProbe?"},
        UnknownCase{"NothingClose", kPodHead + "  colour: blue\n", "unknown field \"spec.colour\""},
        UnknownCase{"DeploymentContainers", kDeploymentHead + "  containers: []\n",
                    "unknown field \"spec.containers\"; containers belongs to the pod spec: "
                    "spec.template.spec.containers"},
        UnknownCase{"DeploymentReplicasAtTop",
                    "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\nreplicas: 3\n",
                    "unknown field \"replicas\"; replicas belongs to the deployment spec: spec.replicas"},
        UnknownCase{"EmptyKey", kPodHead + "  \"\": x\n", "unknown field \"spec.\""}),
    [](const testing::TestParamInfo<UnknownCase>& info) { return info.param.name; });

TEST(Decoder, UnknownValuesAreNotLookedInto) {
  Decoded d = decode(kPodHead + "  extra:\n    containers: [{image: 1, bogus: true}]\n");
  ASSERT_EQ(d.diagnostics.size(), 1u) << listed(d.diagnostics);
  EXPECT_EQ(d.doc.positions.count("spec.extra.containers"), 0u);
}

TEST(Decoder, KnownUnmodelledFieldsAreAcceptedAsWritten) {
  Decoded d = decode(
      "apiVersion: v1\nkind: Pod\n"
      "metadata:\n  name: p\n  uid: 1234\n  resourceVersion: \"9\"\n  generation: 2\n"
      "  creationTimestamp: 2024-01-01T00:00:00Z\n  ownerReferences: [{kind: ReplicaSet, name: r}]\n"
      "  finalizers: [x]\n  managedFields: [{manager: kubectl}]\n"
      "spec:\n"
      "  nodeSelector: {disktype: ssd, zone: 1}\n"
      "  tolerations: [{key: k, operator: Exists, effect: NoSchedule, tolerationSeconds: 3600}]\n"
      "  affinity:\n    nodeAffinity:\n      requiredDuringSchedulingIgnoredDuringExecution: {nodeSelectorTerms: []}\n"
      "  serviceAccountName: builder\n  imagePullSecrets: [{name: regcred}]\n  dnsPolicy: Default\n"
      "  hostNetwork: yes\n  priorityClassName: high\n  topologySpreadConstraints: []\n"
      "  enableServiceLinks: false\n  shareProcessNamespace: true\n  readinessGates: [{conditionType: x}]\n"
      "  containers:\n  - name: c\n    image: busybox\n    tty: true\n    stdin: true\n"
      "    envFrom: [{configMapRef: {name: cm}}]\n    resizePolicy: [{resourceName: cpu, restartPolicy: NotRequired}]\n"
      "    securityContext: {capabilities: {add: [NET_ADMIN]}, seccompProfile: {type: RuntimeDefault}}\n"
      "status:\n  phase: Running\n  conditions: [{type: Ready, status: \"True\"}]\n");
  EXPECT_THAT(d.diagnostics, IsEmpty()) << listed(d.diagnostics);
  ASSERT_TRUE(d.doc.pod);
  EXPECT_EQ(d.doc.pod->metadata.name, "p");
  EXPECT_EQ(d.doc.positions.count("spec.nodeSelector"), 1u);
  EXPECT_EQ(d.doc.positions.count("spec.nodeSelector[disktype]"), 0u) << "not looked into";
  EXPECT_EQ(d.doc.positions.count("status.phase"), 0u);
  EXPECT_EQ(d.doc.defaults.count("spec.dnsPolicy"), 0u);
  EXPECT_EQ(d.doc.defaults.count("spec.enableServiceLinks"), 0u);
}

// --- the model -------------------------------------------------------------------------

TEST(Decoder, EnvValueFromIsMarkedNotResolved) {
  Decoded d = decode(kPodHead +
                     "    env:\n    - name: A\n      valueFrom: {configMapKeyRef: {name: c, key: k}}\n"
                     "    - name: B\n      valueFrom: {fieldRef: {fieldPath: status.podIP}}\n"
                     "    - name: C\n      valueFrom: {secretRef: {name: s}}\n");
  ASSERT_EQ(d.diagnostics.size(), 1u) << listed(d.diagnostics);
  EXPECT_EQ(d.diagnostics[0].path, "spec.containers[0].env[2].valueFrom.secretRef");
  EXPECT_THAT(d.diagnostics[0].message, HasSubstr("did you mean \"secretKeyRef\"?"));
  const std::vector<EnvVar>& env = d.doc.pod->spec.containers[0].env;
  ASSERT_EQ(env.size(), 3u);
  EXPECT_TRUE(env[0].valueFrom);
  EXPECT_TRUE(env[1].valueFrom);
  EXPECT_EQ(env[0].value, "");
}

TEST(Decoder, VolumeSources) {
  Decoded d = decode(kPodHead +
                     "  volumes:\n"
                     "  - name: scratch\n    emptyDir: {medium: Memory, sizeLimit: 64Mi}\n"
                     "  - name: host\n    hostPath: {path: /var/log, type: Directory}\n"
                     "  - name: config\n    configMap: {name: app-config}\n"
                     "  - name: claim\n    persistentVolumeClaim: {claimName: data}\n"
                     "  - name: bare\n");
  EXPECT_THAT(d.diagnostics, IsEmpty()) << listed(d.diagnostics);
  const std::vector<Volume>& v = d.doc.pod->spec.volumes;
  ASSERT_EQ(v.size(), 5u);
  EXPECT_EQ(v[0].source, Volume::Source::EmptyDir);
  EXPECT_EQ(v[0].emptyDirMedium, "Memory");
  EXPECT_EQ(v[0].emptyDirSizeLimit->milliValue, 64LL * 1024 * 1024 * 1000);
  EXPECT_EQ(v[1].source, Volume::Source::HostPath);
  EXPECT_EQ(v[1].hostPath, "/var/log");
  EXPECT_EQ(v[1].hostPathType, "Directory");
  EXPECT_EQ(v[2].source, Volume::Source::Unsupported);
  EXPECT_EQ(v[2].unsupportedKind, "configMap");
  EXPECT_EQ(v[3].unsupportedKind, "persistentVolumeClaim");
  // A volume without a source is an emptyDir, as the API server defaults it.
  EXPECT_EQ(v[4].source, Volume::Source::EmptyDir);
  EXPECT_EQ(d.doc.defaults.at("spec.volumes[4].emptyDir"), "{}");
}

TEST(Decoder, TwoVolumeSourcesAreForbidden) {
  Decoded d = decode(kPodHead + "  volumes:\n  - name: v\n    emptyDir: {}\n    hostPath: {path: /x}\n");
  ASSERT_EQ(d.diagnostics.size(), 1u) << listed(d.diagnostics);
  EXPECT_EQ(d.diagnostics[0].path, "spec.volumes[0].hostPath");
  EXPECT_EQ(d.diagnostics[0].message, "spec.volumes[0].hostPath: Forbidden: may not specify more than 1 volume type");
  EXPECT_EQ(d.diagnostics[0].range.begin, (SourcePos{12, 5}));
  EXPECT_EQ(d.doc.pod->spec.volumes[0].source, Volume::Source::EmptyDir) << "the first one is kept";
}

TEST(Decoder, SidecarIsAnInitContainerWithRestartPolicyAlways) {
  Decoded d = decode(kPodHead +
                     "  initContainers:\n"
                     "  - name: proxy\n    image: envoy:1.30\n    restartPolicy: Always\n"
                     "    readinessProbe: {tcpSocket: {port: 15000}}\n"
                     "  - name: migrate\n    image: busybox\n");
  EXPECT_THAT(d.diagnostics, IsEmpty()) << listed(d.diagnostics);
  const std::vector<Container>& init = d.doc.pod->spec.initContainers;
  ASSERT_EQ(init.size(), 2u);
  EXPECT_TRUE(init[0].isSidecar());
  EXPECT_EQ(init[0].restartPolicy, RestartPolicy::Always);
  EXPECT_FALSE(init[1].isSidecar());
  EXPECT_FALSE(init[1].restartPolicy.has_value());
  EXPECT_EQ(init[0].range.begin, (SourcePos{10, 5}));
}

TEST(Decoder, ContainerRestartPolicyIsLeftToTheValidatorWhenItIsAPolicy) {
  // OnFailure on an init container or Always on a regular one are the
  // validator's to report; the model must carry them there.
  Decoded kept = decode(kPodHead +
                        "    restartPolicy: Always\n"
                        "  initContainers: [{name: i, image: busybox, restartPolicy: OnFailure}]\n");
  EXPECT_THAT(kept.diagnostics, IsEmpty()) << listed(kept.diagnostics);
  EXPECT_EQ(kept.doc.pod->spec.containers[0].restartPolicy, RestartPolicy::Always);
  EXPECT_EQ(kept.doc.pod->spec.initContainers[0].restartPolicy, RestartPolicy::OnFailure);

  Decoded bad = decode(kPodHead +
                       "    restartPolicy: Sometimes\n"
                       "  initContainers: [{name: i, image: busybox, restartPolicy: \"\"}]\n");
  EXPECT_THAT(
      messages(bad.diagnostics),
      ElementsAre("spec.containers[0].restartPolicy: Forbidden: may not be set for non-init containers",
                  "spec.initContainers[0].restartPolicy: Unsupported value: \"\": supported values: \"Always\""));
  for (const Diagnostic& e : bad.diagnostics) EXPECT_EQ(e.rule, "container-restart-policy");
  EXPECT_FALSE(bad.doc.pod->spec.initContainers[0].restartPolicy);
}

TEST(Decoder, ProbesAndHooks) {
  Decoded d = decode(kPodHead +
                     "    livenessProbe:\n"
                     "      grpc: {port: 9090, service: health}\n"
                     "      initialDelaySeconds: 3\n      terminationGracePeriodSeconds: 5\n"
                     "    lifecycle:\n"
                     "      postStart: {httpGet: {port: 80, path: /warm, httpHeaders: [{name: X-A, value: b}]}}\n"
                     "      preStop: {sleep: {seconds: 5}}\n");
  EXPECT_THAT(d.diagnostics, IsEmpty()) << listed(d.diagnostics);
  const Container& c = d.doc.pod->spec.containers[0];
  ASSERT_TRUE(c.livenessProbe && c.livenessProbe->grpc);
  EXPECT_EQ(c.livenessProbe->grpc->port, 9090);
  EXPECT_EQ(c.livenessProbe->grpc->service, "health");
  EXPECT_EQ(c.livenessProbe->initialDelaySeconds, 3);
  EXPECT_EQ(c.livenessProbe->terminationGracePeriodSeconds, 5);
  ASSERT_TRUE(c.lifecycle && c.lifecycle->postStart && c.lifecycle->postStart->httpGet);
  EXPECT_EQ(c.lifecycle->postStart->httpGet->path, "/warm");
  ASSERT_EQ(c.lifecycle->postStart->httpGet->httpHeaders.size(), 1u);
  EXPECT_EQ(c.lifecycle->postStart->httpGet->httpHeaders[0].name, "X-A");
  ASSERT_TRUE(c.lifecycle->preStop && c.lifecycle->preStop->sleep);
  EXPECT_EQ(c.lifecycle->preStop->sleep->seconds, 5);
  EXPECT_EQ(d.doc.defaults.at("spec.containers[0].lifecycle.postStart.httpGet.scheme"), "HTTP");
}

// --- defaults ------------------------------------------------------------------------------

TEST(Decoder, PodDefaultsAreAppliedAndRecorded) {
  Decoded d = decode(kPodHead +
                     "    ports: [{containerPort: 80}]\n"
                     "    resources: {limits: {cpu: 500m, memory: 128Mi}, requests: {cpu: 100m}}\n"
                     "    livenessProbe: {httpGet: {port: 80, path: \"\"}, periodSeconds: 0, timeoutSeconds: 5}\n"
                     "  - name: latest\n    image: nginx\n");
  EXPECT_THAT(d.diagnostics, IsEmpty()) << listed(d.diagnostics);
  const Pod& pod = *d.doc.pod;
  EXPECT_EQ(pod.metadata.namespaceName, "default");
  EXPECT_EQ(d.doc.defaults.count("metadata.namespace"), 0u) << "not an API default";
  const std::map<std::string, std::string> expected = {
      {"spec.restartPolicy", "Always"},
      {"spec.terminationGracePeriodSeconds", "30"},
      {"spec.dnsPolicy", "ClusterFirst"},
      {"spec.schedulerName", "default-scheduler"},
      {"spec.enableServiceLinks", "true"},
      {"spec.containers[0].imagePullPolicy", "IfNotPresent"},
      {"spec.containers[0].terminationMessagePath", "/dev/termination-log"},
      {"spec.containers[0].terminationMessagePolicy", "File"},
      {"spec.containers[0].ports[0].protocol", "TCP"},
      {"spec.containers[0].resources.requests[memory]", "128Mi"},
      {"spec.containers[0].livenessProbe.httpGet.path", "/"},
      {"spec.containers[0].livenessProbe.httpGet.scheme", "HTTP"},
      {"spec.containers[0].livenessProbe.periodSeconds", "10"},
      {"spec.containers[0].livenessProbe.successThreshold", "1"},
      {"spec.containers[0].livenessProbe.failureThreshold", "3"},
      {"spec.containers[1].imagePullPolicy", "Always"},
      {"spec.containers[1].terminationMessagePath", "/dev/termination-log"},
      {"spec.containers[1].terminationMessagePolicy", "File"},
  };
  EXPECT_EQ(d.doc.defaults, expected);
  const Container& c = pod.spec.containers[0];
  EXPECT_EQ(c.resources.requests.at("cpu").text, "100m") << "written requests are kept";
  EXPECT_EQ(c.resources.requests.at("memory").text, "128Mi");
  EXPECT_EQ(c.livenessProbe->periodSeconds, 10);
  EXPECT_EQ(c.livenessProbe->timeoutSeconds, 5);
  EXPECT_EQ(c.livenessProbe->httpGet->path, "/");
  EXPECT_EQ(pod.spec.containers[1].imagePullPolicy, PullPolicy::Always);
  EXPECT_EQ(pod.spec.restartPolicy, RestartPolicy::Always);
  EXPECT_EQ(pod.spec.terminationGracePeriodSeconds, 30);
}

TEST(Decoder, NullIsAbsent) {
  Decoded d = decode(kPodHead + "    imagePullPolicy: ~\n    ports:\n    livenessProbe: null\n  restartPolicy:\n");
  EXPECT_THAT(d.diagnostics, IsEmpty()) << listed(d.diagnostics);
  EXPECT_EQ(d.doc.defaults.at("spec.restartPolicy"), "Always");
  EXPECT_EQ(d.doc.defaults.at("spec.containers[0].imagePullPolicy"), "IfNotPresent");
  EXPECT_FALSE(d.doc.pod->spec.containers[0].livenessProbe);
  EXPECT_EQ(d.doc.positions.count("spec.containers[0].livenessProbe"), 1u) << "written, though empty";
}

TEST(Decoder, DeploymentDefaults) {
  Decoded d = decode(kDeploymentHead);
  EXPECT_THAT(d.diagnostics, IsEmpty()) << listed(d.diagnostics);
  const DeploymentSpec& spec = d.doc.deployment->spec;
  EXPECT_EQ(spec.replicas, 1);
  EXPECT_EQ(spec.strategy.type, DeploymentStrategy::Type::RollingUpdate);
  EXPECT_EQ(spec.strategy.maxSurge, IntOrString::fromString("25%"));
  EXPECT_EQ(spec.strategy.maxUnavailable, IntOrString::fromString("25%"));
  EXPECT_EQ(spec.revisionHistoryLimit, 10);
  EXPECT_EQ(spec.progressDeadlineSeconds, 600);
  EXPECT_EQ(spec.minReadySeconds, 0);
  for (const char* path :
       {"spec.replicas", "spec.strategy.type", "spec.strategy.rollingUpdate.maxSurge",
        "spec.strategy.rollingUpdate.maxUnavailable", "spec.revisionHistoryLimit", "spec.progressDeadlineSeconds",
        "spec.template.spec.restartPolicy", "spec.template.spec.containers[0].imagePullPolicy"}) {
    EXPECT_EQ(d.doc.defaults.count(path), 1u) << path;
  }
  // Pod-only defaults wait until the pods are made from the template.
  EXPECT_EQ(d.doc.defaults.count("spec.template.spec.enableServiceLinks"), 0u);
  EXPECT_EQ(d.doc.defaults.count("spec.minReadySeconds"), 0u) << "zero, not defaulted";

  Decoded recreate = decode(kDeploymentHead + "  strategy: {type: Recreate}\n  replicas: 0\n");
  EXPECT_THAT(recreate.diagnostics, IsEmpty()) << listed(recreate.diagnostics);
  EXPECT_EQ(recreate.doc.deployment->spec.strategy.type, DeploymentStrategy::Type::Recreate);
  EXPECT_EQ(recreate.doc.deployment->spec.replicas, 0);
  EXPECT_EQ(recreate.doc.defaults.count("spec.strategy.rollingUpdate.maxSurge"), 0u);
  EXPECT_EQ(recreate.doc.defaults.count("spec.replicas"), 0u);

  Decoded rolling = decode(kDeploymentHead + "  strategy: {rollingUpdate: {maxSurge: 1, maxUnavailable: 0%}}\n");
  EXPECT_THAT(rolling.diagnostics, IsEmpty()) << listed(rolling.diagnostics);
  EXPECT_EQ(rolling.doc.deployment->spec.strategy.maxSurge, IntOrString::fromInt(1));
  EXPECT_EQ(rolling.doc.deployment->spec.strategy.maxUnavailable, IntOrString::fromString("0%"));
  EXPECT_EQ(rolling.doc.defaults.at("spec.strategy.type"), "RollingUpdate");
  EXPECT_EQ(rolling.doc.defaults.count("spec.strategy.rollingUpdate.maxSurge"), 0u);
}

// Every default the schema documents for a modelled field is one the decoder
// applies, at the place the schema says.
TEST(Decoder, SchemaDefaultsAreTheDecodersDefaults) {
  Decoded pod = decode(kPodHead + "    ports: [{containerPort: 80}]\n    livenessProbe: {httpGet: {port: 80}}\n");
  Decoded deployment = decode(kDeploymentHead);
  const std::vector<std::pair<std::string, const Decoded*>> objects = {
      {"spec", &pod},
      {"spec.containers[0]", &pod},
      {"spec.containers[0].ports[0]", &pod},
      {"spec.containers[0].livenessProbe", &pod},
      {"spec.containers[0].livenessProbe.httpGet", &pod},
      {"spec", &deployment},
      {"spec.strategy", &deployment},
      {"spec.strategy.rollingUpdate", &deployment},
      {"spec.template.spec", &deployment},
  };
  int checked = 0;
  for (const auto& [path, decoded] : objects) {
    const std::string kind = decoded == &pod ? "Pod" : "Deployment";
    const TypeSchema* type = typeForPath(kind, path);
    ASSERT_NE(type, nullptr) << kind << " " << path;
    for (const FieldSchema& f : type->fields) {
      if (f.defaultValue.empty()) continue;
      // SetDefaults_Pod, not SetDefaults_PodSpec: templates do not get it.
      if (kind == "Deployment" && f.name == "enableServiceLinks") continue;
      const std::string fieldPath = path + "." + std::string(f.name);
      auto it = decoded->doc.defaults.find(fieldPath);
      ASSERT_NE(it, decoded->doc.defaults.end()) << kind << " " << fieldPath;
      EXPECT_EQ(it->second, f.defaultValue) << kind << " " << fieldPath;
      ++checked;
    }
  }
  EXPECT_GE(checked, 20);
}

// --- any tree at all --------------------------------------------------------------------------

YamlNode scalar(std::string text, bool quoted = false) {
  YamlNode n;
  n.kind = YamlNode::Kind::Scalar;
  n.value = std::move(text);
  n.quoted = quoted;
  return n;
}

YamlNode mapping(std::vector<std::pair<std::string, YamlNode>> entries) {
  YamlNode n;
  n.kind = YamlNode::Kind::Map;
  for (auto& [k, v] : entries) n.entries.push_back(YamlNode::Entry{k, {}, std::move(v)});
  return n;
}

YamlNode sequence(std::vector<YamlNode> items) {
  YamlNode n;
  n.kind = YamlNode::Kind::Sequence;
  n.items = std::move(items);
  return n;
}

TEST(Decoder, OddShapesAreFindingsNotCrashes) {
  const std::vector<YamlNode> specs = {
      scalar("x"),
      sequence({YamlNode{}, YamlNode{}}),
      mapping({{"containers", scalar("nginx")}}),
      mapping({{"containers", sequence({YamlNode{}, scalar("c"), sequence({}), mapping({})})}}),
      mapping(
          {{"containers", sequence({mapping({{"", scalar("")}, {"ports", sequence({YamlNode{}, scalar("80")})}})})}}),
      mapping({{"containers", mapping({{"name", scalar("c")}})}}),
      mapping({{"terminationGracePeriodSeconds", scalar(std::string(10'000, '9'))}}),
      mapping({{"terminationGracePeriodSeconds", scalar("-" + std::string(30, '9'))}}),
      mapping({{"volumes", sequence({mapping({{"emptyDir", scalar("yes")}, {"hostPath", sequence({})}})})}}),
      mapping({{std::string(100'000, 'k'), scalar("v")}}),
  };
  for (const YamlNode& spec : specs) {
    YamlNode root = mapping({{"apiVersion", scalar("v1")}, {"kind", scalar("Pod")}, {"spec", spec}});
    Decoded d = decodeNode(root);
    ASSERT_TRUE(d.doc.pod);
    for (const Diagnostic& e : d.diagnostics) {
      EXPECT_FALSE(e.rule.empty());
      EXPECT_LT(e.message.size(), 1000u) << "values are shortened in messages";
    }
  }
  Decoded emptyContainer = decodeNode(mapping({{"apiVersion", scalar("v1")},
                                               {"kind", scalar("Pod")},
                                               {"spec", mapping({{"containers", sequence({YamlNode{}})}})}}));
  EXPECT_THAT(emptyContainer.diagnostics, IsEmpty()) << "a null item is an empty container; the validator names it";
  ASSERT_EQ(emptyContainer.doc.pod->spec.containers.size(), 1u);
  EXPECT_TRUE(decodeNode(YamlNode{}).doc.kind.empty());
  EXPECT_FALSE(decodeNode(scalar("just text")).diagnostics.empty());
}

TEST(Decoder, FindingsPerDocumentAreCapped) {
  std::string text = kPodHead + "    args:\n";
  for (int i = 0; i < 2000; ++i) text += "    - " + std::to_string(i) + "\n";
  Decoded d = decode(text);
  ASSERT_FALSE(d.diagnostics.empty());
  EXPECT_LE(d.diagnostics.size(), 501u);
  EXPECT_EQ(d.diagnostics.back().rule, "too-many-findings");
  EXPECT_THAT(d.diagnostics.back().message, HasSubstr("1500 more problems"));
}

// Random trees over the schema's own field names, so the decoder walks deep
// into every type with every wrong shape. Deterministic: a failure repeats.
TEST(Decoder, RandomTreesNeverBreakIt) {
  std::mt19937 rng(20240611);
  std::vector<std::string_view> names = fieldNamesOf("Deployment");
  // The root's apiVersion and kind are set below; a random second one would
  // only change which kind is decoded.
  std::erase_if(names, [](std::string_view n) { return n == "apiVersion" || n == "kind"; });
  names.push_back("");
  names.push_back("a.b/c");
  const std::vector<std::string> scalars = {"0",  "-1", "2147483648", "yes", "x",  "1.5", "0x",
                                            ".5", "~",  "25%",        "1Gi", "1Q", "",    "Always"};
  std::function<YamlNode(int)> make = [&](int depth) -> YamlNode {
    std::uniform_int_distribution<int> shape(0, depth > 6 ? 1 : 4);
    switch (shape(rng)) {
      case 0:
        return YamlNode{};
      case 1:
        return scalar(scalars[rng() % scalars.size()], rng() % 4 == 0);
      case 2: {
        std::vector<YamlNode> items;
        for (unsigned i = rng() % 4; i > 0; --i) items.push_back(make(depth + 1));
        return sequence(std::move(items));
      }
      default: {
        std::vector<std::pair<std::string, YamlNode>> entries;
        for (unsigned i = rng() % 6; i > 0; --i)
          entries.emplace_back(std::string(names[rng() % names.size()]), make(depth + 1));
        return mapping(std::move(entries));
      }
    }
  };
  for (int i = 0; i < 3000; ++i) {
    const bool pod = i % 2 == 0;
    YamlNode root = make(0);
    if (!root.isMap()) root = mapping({});
    root.entries.insert(root.entries.begin(), YamlNode::Entry{"kind", {}, scalar(pod ? "Pod" : "Deployment")});
    root.entries.insert(root.entries.begin(), YamlNode::Entry{"apiVersion", {}, scalar(pod ? "v1" : "apps/v1")});
    Decoded d = decodeNode(root);
    EXPECT_TRUE(pod ? d.doc.pod.has_value() : d.doc.deployment.has_value());
    for (const Diagnostic& e : d.diagnostics) ASSERT_FALSE(e.message.empty());
  }
}

}  // namespace
}  // namespace podscope::core
