// The structural diff of two pod templates, read from Deployment YAML the
// way revisions arrive: one table of (before, after, summary) cases, and
// the change records behind a few of them.

#include "core/template_diff.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "core/manifest_reader.h"

namespace podscope::core {
namespace {

/// The template of a Deployment whose `template:` is `body`.
PodTemplateSpec templateOf(const std::string& body) {
  std::string yaml =
      "apiVersion: apps/v1\n"
      "kind: Deployment\n"
      "metadata:\n"
      "  name: web\n"
      "spec:\n"
      "  selector:\n"
      "    matchLabels:\n"
      "      app: web\n"
      "  template:\n";
  std::size_t start = 0;
  while (start < body.size()) {
    const std::size_t nl = body.find('\n', start);
    const std::size_t end = nl == std::string::npos ? body.size() : nl;
    yaml += "    " + body.substr(start, end - start) + "\n";
    start = end + 1;
  }
  const Manifest m = readManifest(yaml, "web.yaml");
  for (const Diagnostic& d : m.diagnostics) {
    EXPECT_NE(d.severity, Severity::Error) << d.message << "\n" << yaml;
  }
  if (m.documents.empty() || !m.documents[0].deployment) {
    ADD_FAILURE() << "not a runnable Deployment:\n" << yaml;
    return {};
  }
  return m.documents[0].deployment->spec.podTemplate;
}

const std::string kBase = R"(metadata:
  labels:
    app: web
spec:
  containers:
  - name: web
    image: nginx:1.18
    args: [--port, "80"]
    ports:
    - containerPort: 80
    env:
    - name: LOG_LEVEL
      value: info
    livenessProbe:
      httpGet:
        path: /healthz
        port: 80
    readinessProbe:
      httpGet:
        path: /ready
        port: 80
      periodSeconds: 10
)";

/// `text` with each (from, to) replaced once; a `from` that is not there
/// fails the test, so a case cannot silently compare a template with itself.
std::string edit(std::string text, const std::vector<std::pair<std::string, std::string>>& edits) {
  for (const auto& [from, to] : edits) {
    const std::size_t at = text.find(from);
    if (at == std::string::npos) {
      ADD_FAILURE() << "no `" << from << "` in the template";
      continue;
    }
    text.replace(at, from.size(), to);
  }
  return text;
}

/// A second container after the first.
const std::string kSidecarContainer = R"(  - name: metrics
    image: prom/statsd-exporter:v0.26.0
)";

std::string twoContainers(const std::string& base) { return base + kSidecarContainer; }

std::string withInit(const std::string& base, const std::string& init) {
  return edit(base, {{"spec:\n", "spec:\n  initContainers:\n" + init}});
}

struct SummaryCase {
  const char* name;
  std::string before;
  std::string after;
  std::string summary;
};

class TemplateSummary : public ::testing::TestWithParam<SummaryCase> {};

TEST_P(TemplateSummary, SaysWhatChangedInPlainWords) {
  const SummaryCase& c = GetParam();
  const TemplateDiff diff = diffTemplates(templateOf(c.before), templateOf(c.after));
  EXPECT_EQ(diff.summary(), c.summary);
  EXPECT_EQ(diff.identical(), c.summary == "no changes");
}

const std::string kSetup = "  - name: setup\n    image: busybox:1.36\n";
const std::string kProxy = "  - name: proxy\n    image: envoy:1.30\n    restartPolicy: Always\n";

INSTANTIATE_TEST_SUITE_P(
    TemplateDiff, TemplateSummary,
    ::testing::Values(
        SummaryCase{"Identical", kBase, kBase, "no changes"},
        SummaryCase{"Image", kBase, edit(kBase, {{"nginx:1.18", "nginx:1.20.1"}}), "image nginx:1.18 → nginx:1.20.1"},
        SummaryCase{"ImageProbeAndEnv",
                    edit(kBase, {{"    readinessProbe:\n      httpGet:\n        path: /ready\n        port: 80\n"
                                  "      periodSeconds: 10\n",
                                  ""}}),
                    edit(kBase, {{"nginx:1.18", "nginx:1.20.1"}, {"value: info", "value: debug"}}),
                    "image nginx:1.18 → nginx:1.20.1; readinessProbe added; env LOG_LEVEL changed"},
        SummaryCase{"ProbeSetting", kBase, edit(kBase, {{"periodSeconds: 10", "periodSeconds: 5"}}),
                    "readinessProbe periodSeconds 10 → 5"},
        SummaryCase{"ProbeSettingsDefaulted", kBase,
                    edit(kBase, {{"periodSeconds: 10", "periodSeconds: 10\n      failureThreshold: 1\n"
                                                       "      timeoutSeconds: 2"}}),
                    "readinessProbe timeoutSeconds 1 → 2; readinessProbe failureThreshold 3 → 1"},
        SummaryCase{"ProbeHandler", kBase, edit(kBase, {{"path: /healthz", "path: /livez"}}),
                    "livenessProbe http-get http://:80/healthz → http-get http://:80/livez"},
        SummaryCase{"ProbeHandlerKind", kBase,
                    edit(kBase, {{"    livenessProbe:\n      httpGet:\n        path: /healthz\n        port: 80\n",
                                  "    livenessProbe:\n      exec:\n        command: [cat, /tmp/healthy]\n"}}),
                    "livenessProbe http-get http://:80/healthz → exec [cat /tmp/healthy]"},
        SummaryCase{"ProbeRemoved", kBase,
                    edit(kBase, {{"    livenessProbe:\n      httpGet:\n        path: /healthz\n        port: 80\n", ""}}),
                    "livenessProbe removed"},
        SummaryCase{"StartupProbeAdded", kBase,
                    edit(kBase, {{"    livenessProbe:\n",
                                  "    startupProbe:\n      tcpSocket:\n        port: 80\n      failureThreshold: 30\n"
                                  "    livenessProbe:\n"}}),
                    "startupProbe added"},
        SummaryCase{"EnvAddedAndRemoved", kBase,
                    edit(kBase, {{"    - name: LOG_LEVEL\n      value: info\n", "    - name: DEBUG\n      value: \"1\"\n"}}),
                    "env DEBUG added; env LOG_LEVEL removed"},
        SummaryCase{"EnvFromSecret", kBase,
                    edit(kBase, {{"      value: info\n",
                                  "      valueFrom:\n        secretKeyRef: {name: logging, key: level}\n"}}),
                    "env LOG_LEVEL changed"},
        SummaryCase{"Ports", kBase, edit(kBase, {{"- containerPort: 80\n", "- containerPort: 80\n      name: http\n"
                                                                          "    - containerPort: 9090\n"}}),
                    "port 80/TCP name http added; port 9090/TCP added"},
        SummaryCase{"Args", kBase, edit(kBase, {{"\"80\"", "\"8080\""}}), "args [--port 80] → [--port 8080]"},
        SummaryCase{"LongArgs", kBase,
                    edit(kBase, {{"args: [--port, \"80\"]",
                                  "args: [--port, \"80\", --config, /etc/nginx/conf.d/default-with-a-long-name.conf]"}}),
                    "args changed"},
        SummaryCase{"CommandAdded", kBase, edit(kBase, {{"    args:", "    command: [nginx]\n    args:"}}),
                    "command [nginx] added"},
        SummaryCase{"Resources",
                    edit(kBase, {{"    ports:", "    resources:\n      limits: {memory: 128Mi}\n    ports:"}}),
                    edit(kBase, {{"    ports:",
                                  "    resources:\n      limits: {memory: 256Mi}\n      requests: {cpu: 100m}\n"
                                  "    ports:"}}),
                    "limits.memory 128Mi → 256Mi; requests.cpu 100m added"},
        SummaryCase{"SameQuantityWrittenTwoWays",
                    edit(kBase, {{"    ports:", "    resources:\n      limits: {cpu: \"1\"}\n    ports:"}}),
                    edit(kBase, {{"    ports:", "    resources:\n      limits: {cpu: 1000m}\n    ports:"}}),
                    "no changes"},
        SummaryCase{"VolumeAndMount", kBase,
                    edit(kBase, {{"    ports:", "    volumeMounts:\n    - {name: data, mountPath: /data}\n    ports:"}}) +
                        "  volumes:\n  - name: data\n    emptyDir: {}\n",
                    "volumeMount /data added; volume data added"},
        SummaryCase{"MountReadOnly",
                    edit(kBase, {{"    ports:", "    volumeMounts:\n    - {name: data, mountPath: /data}\n    ports:"}}) +
                        "  volumes:\n  - name: data\n    emptyDir: {}\n",
                    edit(kBase, {{"    ports:",
                                  "    volumeMounts:\n    - {name: data, mountPath: /data, readOnly: true}\n    ports:"}}) +
                        "  volumes:\n  - name: data\n    hostPath: {path: /srv/data}\n",
                    "volumeMount /data readOnly false → true; volume data emptyDir → hostPath /srv/data"},
        SummaryCase{"PreStopAdded", kBase,
                    edit(kBase, {{"    ports:", "    lifecycle:\n      preStop:\n        exec: {command: [sleep, \"5\"]}\n"
                                                "    ports:"}}),
                    "preStop hook added"},
        SummaryCase{"PreStopChanged",
                    edit(kBase, {{"    ports:", "    lifecycle:\n      preStop:\n        exec: {command: [sleep, \"5\"]}\n"
                                                "    ports:"}}),
                    edit(kBase, {{"    ports:", "    lifecycle:\n      preStop:\n        sleep: {seconds: 10}\n"
                                                "      postStart:\n        httpGet: {path: /warm, port: 80}\n"
                                                "    ports:"}}),
                    "postStart hook added; preStop hook exec [sleep 5] → sleep 10s"},
        SummaryCase{"SecurityContext", kBase,
                    edit(kBase, {{"    ports:", "    securityContext:\n      runAsNonRoot: true\n      runAsUser: 1000\n"
                                                "    ports:"}}),
                    "securityContext runAsUser 1000 added; securityContext runAsNonRoot true added"},
        SummaryCase{"PodSecurityContext", kBase, kBase + "  securityContext:\n    fsGroup: 2000\n",
                    "pod securityContext fsGroup 2000 added"},
        SummaryCase{"GracePeriod", kBase, kBase + "  terminationGracePeriodSeconds: 60\n",
                    "terminationGracePeriodSeconds 30 → 60"},
        SummaryCase{"Labels", kBase, edit(kBase, {{"    app: web\n", "    app: web\n    tier: frontend\n"}}),
                    "label tier=frontend added"},
        SummaryCase{"LabelChanged", edit(kBase, {{"    app: web\n", "    app: web\n    tier: frontend\n"}}),
                    edit(kBase, {{"    app: web\n", "    app: web\n    tier: backend\n"}}), "label tier frontend → backend"},
        SummaryCase{"PodTemplateHashIsNotAChange",
                    edit(kBase, {{"    app: web\n", "    app: web\n    pod-template-hash: 5d59d67564\n"}}),
                    edit(kBase, {{"    app: web\n", "    app: web\n    pod-template-hash: 7c5ddbdf54\n"}}), "no changes"},
        SummaryCase{"Annotation", kBase,
                    edit(kBase, {{"metadata:\n", "metadata:\n  annotations:\n    example.com/owner: team-a\n"}}),
                    "annotation example.com/owner added"},
        SummaryCase{"RolloutRestart", kBase,
                    edit(kBase, {{"metadata:\n",
                                  "metadata:\n  annotations:\n    kubectl.kubernetes.io/restartedAt: "
                                  "\"2024-05-01T10:00:00Z\"\n"}}),
                    "restarted at 2024-05-01T10:00:00Z"},
        SummaryCase{"RestartedAgainWithAnImage",
                    edit(kBase, {{"metadata:\n",
                                  "metadata:\n  annotations:\n    kubectl.kubernetes.io/restartedAt: "
                                  "\"2024-05-01T10:00:00Z\"\n"}}),
                    edit(kBase, {{"metadata:\n",
                                  "metadata:\n  annotations:\n    kubectl.kubernetes.io/restartedAt: "
                                  "\"2024-05-02T08:30:00Z\"\n"},
                                 {"nginx:1.18", "nginx:1.19"}}),
                    "restarted at 2024-05-02T08:30:00Z; image nginx:1.18 → nginx:1.19"},
        SummaryCase{"ContainerAdded", kBase, twoContainers(edit(kBase, {{"nginx:1.18", "nginx:1.20.1"}})),
                    "web: image nginx:1.18 → nginx:1.20.1; container metrics added"},
        SummaryCase{"ContainerRemoved", twoContainers(kBase), kBase, "container metrics removed"},
        SummaryCase{"NamedWhenSeveral", twoContainers(kBase),
                    twoContainers(edit(kBase, {{"periodSeconds: 10", "periodSeconds: 5"}})),
                    "web: readinessProbe periodSeconds 10 → 5"},
        SummaryCase{"InitContainerAdded", kBase, withInit(kBase, kSetup), "init container setup added"},
        SummaryCase{"SidecarAdded", kBase, withInit(kBase, kProxy), "sidecar proxy added"},
        SummaryCase{"InitContainerBecomesSidecar",
                    withInit(kBase, "  - name: proxy\n    image: envoy:1.30\n"), withInit(kBase, kProxy),
                    "proxy: init container → sidecar"},
        SummaryCase{"SidecarImage", withInit(kBase, kProxy),
                    withInit(kBase, edit(kProxy, {{"envoy:1.30", "envoy:1.31"}})), "proxy: image envoy:1.30 → envoy:1.31"},
        SummaryCase{"ReorderedContainersAreTheSame", kBase + kSidecarContainer,
                    edit(kBase, {{"  containers:\n", "  containers:\n" + kSidecarContainer}}), "no changes"}),
    [](const ::testing::TestParamInfo<SummaryCase>& info) { return std::string(info.param.name); });

TEST(TemplateDiff, ChangesCarryPathKindAndValues) {
  const TemplateDiff diff = diffTemplates(
      templateOf(kBase), templateOf(edit(kBase, {{"nginx:1.18", "nginx:1.20.1"}, {"value: info", "value: debug"}})));
  const std::vector<TemplateChange> expected = {
      {"spec.containers{web}.image", TemplateChangeKind::Changed, "nginx:1.18", "nginx:1.20.1",
       "image nginx:1.18 → nginx:1.20.1"},
      {"spec.containers{web}.env{LOG_LEVEL}", TemplateChangeKind::Changed, "info", "debug", "env LOG_LEVEL changed"},
  };
  EXPECT_EQ(diff.changes, expected);
}

TEST(TemplateDiff, AnAddedProbeKeepsItsWholeDescription) {
  const TemplateDiff diff = diffTemplates(
      templateOf(kBase),
      templateOf(edit(kBase, {{"    livenessProbe:\n",
                               "    startupProbe:\n      grpc: {port: 9090}\n      failureThreshold: 30\n"
                               "    livenessProbe:\n"}})));
  ASSERT_EQ(diff.changes.size(), 1u);
  EXPECT_EQ(diff.changes[0].path, "spec.containers{web}.startupProbe");
  EXPECT_EQ(diff.changes[0].kind, TemplateChangeKind::Added);
  EXPECT_EQ(diff.changes[0].after, "grpc <pod>:9090 delay=0s timeout=1s period=10s #success=1 #failure=30");
}

TEST(TemplateDiff, ContainerAddedOrRemovedCarriesItsImage) {
  const TemplateDiff diff = diffTemplates(templateOf(kBase), templateOf(withInit(kBase, kProxy)));
  ASSERT_EQ(diff.changes.size(), 1u);
  EXPECT_EQ(diff.changes[0].path, "spec.initContainers{proxy}");
  EXPECT_EQ(diff.changes[0].kind, TemplateChangeKind::Added);
  EXPECT_EQ(diff.changes[0].after, "envoy:1.30");
}

TEST(TemplateDiff, PodFieldsADeploymentCannotSetAreComparedToo) {
  // A Deployment's pods always restart; templates kept for bare pods may not.
  PodTemplateSpec before = templateOf(kBase);
  PodTemplateSpec after = before;
  after.spec.restartPolicy = RestartPolicy::Never;
  after.spec.activeDeadlineSeconds = 600;
  after.spec.hostname = "web-0";
  EXPECT_EQ(diffTemplates(before, after).summary(),
            "restartPolicy Always → Never; activeDeadlineSeconds 600 added; hostname web-0 added");
}

struct HandlerCase {
  const char* yaml;
  const char* described;
};

class ProbeHandler : public ::testing::TestWithParam<HandlerCase> {};

TEST_P(ProbeHandler, IsDescribedAsKubectlDescribeDoes) {
  const PodTemplateSpec t =
      templateOf(edit(kBase, {{"      httpGet:\n        path: /healthz\n        port: 80\n", GetParam().yaml}}));
  ASSERT_FALSE(t.spec.containers.empty());
  ASSERT_TRUE(t.spec.containers[0].livenessProbe);
  EXPECT_EQ(describeHandler(*t.spec.containers[0].livenessProbe), GetParam().described);
}

INSTANTIATE_TEST_SUITE_P(
    TemplateDiff, ProbeHandler,
    ::testing::Values(HandlerCase{"      httpGet: {path: /healthz, port: 8080}\n", "http-get http://:8080/healthz"},
                      HandlerCase{"      httpGet: {path: /healthz, port: 8443, scheme: HTTPS, host: 10.0.0.1}\n",
                                  "http-get https://10.0.0.1:8443/healthz"},
                      HandlerCase{"      httpGet: {path: /healthz, port: http}\n", "http-get http://:http/healthz"},
                      HandlerCase{"      exec: {command: [cat, /tmp/healthy]}\n", "exec [cat /tmp/healthy]"},
                      HandlerCase{"      tcpSocket: {port: 6379}\n", "tcp-socket :6379"},
                      HandlerCase{"      grpc: {port: 9090, service: health}\n", "grpc <pod>:9090 health"}));

}  // namespace
}  // namespace podscope::core
