// The reader end to end, over the seed manifests: what their README says a
// correct tool reports for each.

#include "core/manifest_reader.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

namespace podscope::core {
namespace {

using ::testing::HasSubstr;

std::string seedPath(const std::string& name) { return std::string(PODSCOPE_SEEDS_DIR) + "/" + name; }

Manifest seed(const std::string& name) {
  Result<Manifest> m = readManifestFile(seedPath(name));
  EXPECT_TRUE(m) << "seed manifest missing: " << seedPath(name);
  return m ? *m : Manifest{};
}

std::vector<Diagnostic> withSeverity(const Manifest& m, Severity s) {
  std::vector<Diagnostic> out;
  for (const Diagnostic& d : m.diagnostics) {
    if (d.severity == s) out.push_back(d);
  }
  return out;
}

std::vector<Diagnostic> errors(const Manifest& m) { return withSeverity(m, Severity::Error); }

const Diagnostic* findRule(const Manifest& m, const std::string& rule) {
  for (const Diagnostic& d : m.diagnostics) {
    if (d.rule == rule) return &d;
  }
  return nullptr;
}

TEST(SeedManifests, PodInitContainerIsValidAndRunnable) {
  Manifest m = seed("pod-initcontainer.yaml");
  EXPECT_THAT(errors(m), ::testing::IsEmpty());
  const Document* doc = m.firstPod();
  ASSERT_NE(doc, nullptr);
  const Pod& pod = *doc->pod;
  EXPECT_EQ(pod.metadata.name, "pod-initcontainer");
  EXPECT_EQ(pod.metadata.namespaceName, "ww");
  ASSERT_EQ(pod.spec.initContainers.size(), 2u);
  EXPECT_EQ(pod.spec.initContainers[0].name, "test-mysql");
  EXPECT_EQ(pod.spec.initContainers[1].name, "test-redis");
  EXPECT_EQ(pod.spec.containers[0].ports[0].name, "nginx-port");
  EXPECT_EQ(pod.spec.containers[0].ports[0].containerPort, 80);
  EXPECT_EQ(pod.spec.containers[0].range.begin.line, 8);
  EXPECT_EQ(pod.spec.initContainers[1].range.begin.line, 17);
  // Defaults the API server would apply are recorded, so the editor can show them.
  EXPECT_EQ(doc->defaults.at("spec.restartPolicy"), "Always");
  EXPECT_EQ(doc->defaults.at("spec.containers[0].imagePullPolicy"), "IfNotPresent");
}

TEST(SeedManifests, TruncatedFlowSequenceIsASyntaxErrorWithPosition) {
  Manifest m = seed("pod-hook-exec.yaml");
  ASSERT_EQ(errors(m).size(), 1u);
  const Diagnostic e = errors(m)[0];
  EXPECT_EQ(e.rule, "yaml-syntax");
  EXPECT_GE(e.range.begin.line, 15);
  EXPECT_GT(e.range.begin.column, 0);
  EXPECT_THAT(formatDiagnostic(e), ::testing::MatchesRegex(".*pod-hook-exec.yaml:[0-9]+:[0-9]+: error: YAML syntax error: .*"));
  EXPECT_TRUE(m.documents.empty());
}

TEST(SeedManifests, HttpProbeDeploymentAndServiceAreValid) {
  Manifest m = seed("my-1-http-probe.yaml");
  EXPECT_THAT(errors(m), ::testing::IsEmpty());
  ASSERT_EQ(m.documents.size(), 2u);
  const Document& deploy = m.documents[0];
  ASSERT_TRUE(deploy.deployment);
  const Probe& probe = *deploy.deployment->spec.podTemplate.spec.containers[0].readinessProbe;
  ASSERT_TRUE(probe.httpGet);
  EXPECT_EQ(probe.httpGet->port, IntOrString::fromInt(80));
  EXPECT_EQ(probe.httpGet->path, "/index.html");
  EXPECT_EQ(probe.initialDelaySeconds, 5);
  EXPECT_EQ(probe.periodSeconds, 3);
  EXPECT_EQ(probe.timeoutSeconds, 1);
  EXPECT_EQ(probe.successThreshold, 1);
  EXPECT_EQ(probe.failureThreshold, 3);
  EXPECT_EQ(m.documents[1].kind, "Service");
  EXPECT_FALSE(m.documents[1].runnable());
  const Diagnostic* notRun = findRule(m, "not-run");
  ASSERT_NE(notRun, nullptr);
  EXPECT_EQ(notRun->severity, Severity::Info);
  EXPECT_EQ(notRun->range.begin.line, 37);
}

TEST(SeedManifests, BrokenServiceKeepsTheTcpProbeDeploymentUsable) {
  Manifest m = seed("my-2-tcp-probe.yaml");
  ASSERT_EQ(errors(m).size(), 1u);
  EXPECT_EQ(errors(m)[0].rule, "yaml-syntax");
  EXPECT_EQ(errors(m)[0].document, 1);
  EXPECT_GE(errors(m)[0].range.begin.line, 46);
  ASSERT_FALSE(m.documents.empty());
  ASSERT_TRUE(m.documents[0].deployment);
  const Probe& probe = *m.documents[0].deployment->spec.podTemplate.spec.containers[0].readinessProbe;
  ASSERT_TRUE(probe.tcpSocket);
  EXPECT_EQ(probe.tcpSocket->port, IntOrString::fromInt(80));
  EXPECT_EQ(probe.timeoutSeconds, 2);
}

TEST(SeedManifests, PreStopThatOutlivesTheGracePeriodIsWarned) {
  Manifest m = seed("my-1-myserver-myapp1-postStart-preStop.yaml");
  ASSERT_EQ(errors(m).size(), 1u);
  EXPECT_EQ(errors(m)[0].rule, "yaml-syntax");
  ASSERT_FALSE(m.documents.empty());
  ASSERT_TRUE(m.documents[0].deployment);
  EXPECT_EQ(m.documents[0].deployment->spec.podTemplate.spec.terminationGracePeriodSeconds, 20);
  const Diagnostic* warning = findRule(m, "prestop-exceeds-grace");
  ASSERT_NE(warning, nullptr);
  EXPECT_EQ(warning->severity, Severity::Warning);
  EXPECT_THAT(warning->message, HasSubstr("20"));
  EXPECT_THAT(warning->path, HasSubstr("spec.template.spec.containers[0].lifecycle.preStop"));
}

TEST(SeedManifests, TomcatImagePullPolicyUnderSpecIsAnUnknownFieldWithTheRightPlace) {
  Manifest m = seed("pod-tomcat.yaml");
  ASSERT_EQ(errors(m).size(), 1u);
  const Diagnostic e = errors(m)[0];
  EXPECT_EQ(e.rule, "unknown-field");
  EXPECT_EQ(e.range.begin, (SourcePos{14, 3}));
  EXPECT_THAT(e.message, HasSubstr("unknown field \"spec.imagePullPolicy\""));
  EXPECT_THAT(e.message, HasSubstr("spec.containers[0].imagePullPolicy"));
  EXPECT_EQ(m.firstPod(), nullptr);
}

TEST(SeedManifests, NginxDeploymentIsValid) {
  Manifest m = seed("nginx-deploy.yaml");
  EXPECT_THAT(errors(m), ::testing::IsEmpty());
  ASSERT_EQ(m.documents.size(), 1u);
  ASSERT_TRUE(m.documents[0].deployment);
  const Deployment& d = *m.documents[0].deployment;
  EXPECT_EQ(d.spec.replicas, 2);
  EXPECT_TRUE(d.spec.selector.matches(d.spec.podTemplate.metadata.labels));
  EXPECT_EQ(m.documents[0].defaults.at("spec.strategy.rollingUpdate.maxSurge"), "25%");
  EXPECT_EQ(m.documents[0].defaults.at("spec.revisionHistoryLimit"), "10");
}

TEST(SeedManifests, FlattenedPodNamesTheRequiredAndTheMisplacedFields) {
  Manifest m = seed("nginx-pod-flattened.yaml");
  std::vector<std::string> messages;
  for (const Diagnostic& d : errors(m)) messages.push_back(d.message);
  EXPECT_THAT(messages, ::testing::Contains(HasSubstr("metadata.name: Required value")));
  EXPECT_THAT(messages, ::testing::Contains(HasSubstr("spec.containers: Required value")));
  for (const char* field : {"name", "containers", "image", "ports"}) {
    EXPECT_THAT(messages, ::testing::Contains(HasSubstr(std::string("unknown field \"") + field + "\"")));
  }
  EXPECT_EQ(m.firstPod(), nullptr);
}

TEST(ManifestReader, EverySeedLoads) {
  for (const char* name : {"pod-initcontainer.yaml", "pod-hook-exec.yaml", "my-1-http-probe.yaml",
                           "my-2-tcp-probe.yaml", "my-1-myserver-myapp1-postStart-preStop.yaml", "pod-tomcat.yaml",
                           "nginx-deploy.yaml", "nginx-pod-flattened.yaml"}) {
    Manifest m = seed(name);
    EXPECT_FALSE(m.documents.empty() && m.diagnostics.empty()) << name;
    for (const Diagnostic& d : m.diagnostics) {
      EXPECT_TRUE(d.range.begin.known()) << name << ": " << formatDiagnostic(d);
      EXPECT_FALSE(d.rule.empty()) << formatDiagnostic(d);
    }
  }
}

TEST(ManifestReader, ReadPodReportsTheFirstBlockingError) {
  Result<Pod> pod = readPod(
      "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: a\n    image: busybox\n"
      "    command: sleep 5\n",
      "p.yaml");
  ASSERT_FALSE(pod);
  EXPECT_EQ(pod.error().pos->line, 9);
  EXPECT_THAT(pod.error().message, HasSubstr("spec.containers[0].command"));
}

TEST(ManifestReader, NoPodSaysWhatWasFound) {
  Result<Pod> pod = readPod("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n", "c.yaml");
  ASSERT_FALSE(pod);
  EXPECT_EQ(pod.error().message, "the file holds no Pod to run (found: ConfigMap)");
}

TEST(ManifestReader, EmptyAndGarbageInputNeverThrow) {
  EXPECT_TRUE(readManifest("", "e").documents.empty());
  EXPECT_TRUE(readManifest("---\n---\n", "e").diagnostics.empty());
  Manifest scalar = readManifest("just a string\n", "s");
  EXPECT_TRUE(scalar.hasErrors());
  Manifest binary = readManifest(std::string("\x00\x01\xff{[", 5), "b");
  EXPECT_TRUE(binary.hasErrors());
  EXPECT_TRUE(readManifest("a:\n\t- b\n", "t").hasErrors());
  EXPECT_TRUE(readManifest("[[[[", "t").hasErrors());
}

TEST(ManifestReader, DefaultsPullPolicyFromTag) {
  EXPECT_EQ(defaultPullPolicy("busybox"), PullPolicy::Always);
  EXPECT_EQ(defaultPullPolicy("busybox:latest"), PullPolicy::Always);
  EXPECT_EQ(defaultPullPolicy("busybox:1.36"), PullPolicy::IfNotPresent);
  EXPECT_EQ(defaultPullPolicy("localhost:5000/busybox"), PullPolicy::Always);
  EXPECT_EQ(defaultPullPolicy("localhost:5000/busybox:1"), PullPolicy::IfNotPresent);
  EXPECT_EQ(defaultPullPolicy("busybox@sha256:abcd"), PullPolicy::IfNotPresent);
}

TEST(ManifestReader, UnreadableFileIsAnError) {
  Result<Manifest> m = readManifestFile("/nonexistent/podscope.yaml");
  ASSERT_FALSE(m);
  EXPECT_EQ(m.error().toString(), "/nonexistent/podscope.yaml: cannot open the file for reading");
  Result<Manifest> dir = readManifestFile("/tmp");
  ASSERT_FALSE(dir);
  EXPECT_EQ(dir.error().toString(), "/tmp: is a folder, not a manifest file");
}

}  // namespace
}  // namespace podscope::core
