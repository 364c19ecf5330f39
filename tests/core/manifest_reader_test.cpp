#include "core/manifest_reader.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

namespace podscope::core {
namespace {

std::string seed(const std::string& name) {
  std::string path = std::string(PODSCOPE_SEEDS_DIR) + "/" + name;
  std::ifstream in(path);
  EXPECT_TRUE(in) << "seed manifest missing: " << path;
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

TEST(ManifestReader, ReadsPodWithInitContainersInOrder) {
  Manifest m = readManifest(seed("pod-initcontainer.yaml"), "pod-initcontainer.yaml");
  ASSERT_TRUE(m.errors.empty()) << m.errors.front().toString();
  ASSERT_EQ(m.documents.size(), 1u);
  const Document* doc = m.firstPod();
  ASSERT_NE(doc, nullptr);
  const Pod& pod = *doc->pod;
  EXPECT_EQ(pod.metadata.name, "pod-initcontainer");
  EXPECT_EQ(pod.metadata.namespaceName, "ww");
  ASSERT_EQ(pod.spec.initContainers.size(), 2u);
  EXPECT_EQ(pod.spec.initContainers[0].name, "test-mysql");
  EXPECT_EQ(pod.spec.initContainers[1].name, "test-redis");
  EXPECT_EQ(pod.spec.initContainers[0].image, "busybox:1.30");
  EXPECT_EQ(pod.spec.initContainers[0].command.size(), 3u);
  EXPECT_EQ(pod.spec.initContainers[0].command[0], "sh");
  ASSERT_EQ(pod.spec.containers.size(), 1u);
  EXPECT_EQ(pod.spec.containers[0].name, "main-container");
  EXPECT_EQ(pod.spec.containers[0].image, "nginx:1.17.1");
  EXPECT_EQ(pod.spec.restartPolicy, RestartPolicy::Always);
  EXPECT_EQ(pod.spec.terminationGracePeriodSeconds, 30);
  // Source positions are 1-based lines of the file.
  EXPECT_EQ(pod.spec.containers[0].range.begin.line, 8);
  EXPECT_EQ(pod.spec.initContainers[1].range.begin.line, 17);
}

TEST(ManifestReader, TruncatedFlowSequenceIsSyntaxErrorWithPosition) {
  Manifest m = readManifest(seed("pod-hook-exec.yaml"), "pod-hook-exec.yaml");
  ASSERT_EQ(m.errors.size(), 1u);
  const Error& e = m.errors.front();
  EXPECT_EQ(e.file, "pod-hook-exec.yaml");
  ASSERT_TRUE(e.pos.has_value());
  EXPECT_GE(e.pos->line, 15);  // the cut-off last line or just past it
  EXPECT_NE(e.message.find("YAML syntax error"), std::string::npos) << e.message;
  EXPECT_TRUE(m.documents.empty());
}

TEST(ManifestReader, BrokenSecondDocumentKeepsFirst) {
  Manifest m = readManifest(seed("my-2-tcp-probe.yaml"), "my-2-tcp-probe.yaml");
  ASSERT_EQ(m.documents.size(), 1u);
  EXPECT_EQ(m.documents[0].kind, "Deployment");
  EXPECT_EQ(m.documents[0].name, "myserver-myapp-frontend-deploy");
  ASSERT_EQ(m.errors.size(), 1u);
  ASSERT_TRUE(m.errors[0].pos.has_value());
  // The sequence at column 1 after `ports:` (file line 50 or 51).
  EXPECT_GE(m.errors[0].pos->line, 46);
}

TEST(ManifestReader, TwoValidDocumentsAreListed) {
  Manifest m = readManifest(seed("my-1-http-probe.yaml"), "my-1-http-probe.yaml");
  EXPECT_TRUE(m.errors.empty());
  ASSERT_EQ(m.documents.size(), 2u);
  EXPECT_EQ(m.documents[0].kind, "Deployment");
  EXPECT_EQ(m.documents[1].kind, "Service");
  EXPECT_EQ(m.documents[1].index, 1);
  EXPECT_EQ(m.documents[1].range.begin.line, 37);
  EXPECT_EQ(m.firstPod(), nullptr);
}

TEST(ManifestReader, FlattenedPodReportsRequiredName) {
  Manifest m = readManifest(seed("nginx-pod-flattened.yaml"), "nginx-pod-flattened.yaml");
  ASSERT_EQ(m.errors.size(), 1u);
  EXPECT_EQ(m.errors[0].message, "metadata.name: Required value");
  ASSERT_TRUE(m.errors[0].pos.has_value());
  EXPECT_EQ(m.errors[0].pos->line, 1);
}

TEST(ManifestReader, EverySeedLoadsWithoutThrowing) {
  for (const char* name : {"pod-initcontainer.yaml", "pod-hook-exec.yaml", "my-1-http-probe.yaml",
                           "my-2-tcp-probe.yaml", "my-1-myserver-myapp1-postStart-preStop.yaml", "pod-tomcat.yaml",
                           "nginx-deploy.yaml", "nginx-pod-flattened.yaml"}) {
    Manifest m = readManifest(seed(name), name);
    EXPECT_FALSE(m.documents.empty() && m.errors.empty()) << name;
  }
}

TEST(ManifestReader, ShapeErrorsNameFieldAndLine) {
  const char* text =
      "apiVersion: v1\n"
      "kind: Pod\n"
      "metadata:\n"
      "  name: p\n"
      "spec:\n"
      "  containers:\n"
      "  - name: a\n"
      "    image: busybox\n"
      "    command: sleep 5\n";
  Result<Pod> pod = readPod(text, "p.yaml");
  ASSERT_FALSE(pod);
  EXPECT_EQ(pod.error().message, "spec.containers[0].command: expected a list of strings, found a string");
  EXPECT_EQ(pod.error().pos->line, 9);
  EXPECT_EQ(pod.error().pos->column, 14);
  EXPECT_EQ(pod.error().toString(), "p.yaml:9:14: spec.containers[0].command: expected a list of strings, found a string");
}

TEST(ManifestReader, RejectsUnknownRestartPolicyWithSupportedValues) {
  const char* text =
      "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  restartPolicy: Sometimes\n"
      "  containers: [{name: a, image: busybox}]\n";
  Result<Pod> pod = readPod(text, "p.yaml");
  ASSERT_FALSE(pod);
  EXPECT_EQ(pod.error().message,
            "spec.restartPolicy: Unsupported value: \"Sometimes\": supported values: \"Always\", \"OnFailure\", \"Never\"");
  EXPECT_EQ(pod.error().pos->line, 5);
}

TEST(ManifestReader, MissingImageIsRequired) {
  Result<Pod> pod = readPod("apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: a\n", "f");
  ASSERT_FALSE(pod);
  EXPECT_EQ(pod.error().message, "spec.containers[0].image: Required value");
}

TEST(ManifestReader, NoPodSaysWhatWasFound) {
  Result<Pod> pod = readPod(seed("nginx-deploy.yaml"), "nginx-deploy.yaml");
  ASSERT_FALSE(pod);
  EXPECT_EQ(pod.error().message, "the file holds no Pod to run (found: Deployment)");
}

TEST(ManifestReader, EmptyAndGarbageInputNeverThrow) {
  EXPECT_TRUE(readManifest("", "e").documents.empty());
  EXPECT_TRUE(readManifest("---\n---\n", "e").errors.empty());
  Manifest scalar = readManifest("just a string\n", "s");
  ASSERT_EQ(scalar.errors.size(), 1u);
  EXPECT_NE(scalar.errors[0].message.find("must be a mapping"), std::string::npos);
  Manifest binary = readManifest(std::string("\x00\x01\xff{[", 5), "b");
  EXPECT_FALSE(binary.errors.empty());
  Manifest tabs = readManifest("a:\n\t- b\n", "t");
  EXPECT_FALSE(tabs.errors.empty());
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
}

}  // namespace
}  // namespace podscope::core
