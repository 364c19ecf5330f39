// The API server's validation rules over the typed model: one row per rule,
// each with the exact message `kubectl apply` would print.

#include "core/validation.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <utility>
#include <vector>

namespace podscope::core {
namespace {

using ::testing::IsEmpty;

const std::string kSubdomainMsg =
    "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start "
    "and end with an alphanumeric character (e.g. 'example.com', regex used for validation is "
    "'[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const std::string kLabelMsg =
    "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end "
    "with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is "
    "'[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
const std::string kQualifiedNameMsg =
    "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an "
    "alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is "
    "'([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";
const std::string kLabelValueMsg =
    "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and "
    "end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is "
    "'(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";
const std::string kPercentMsg =
    "a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for "
    "validation is '[0-9]+%')";

Container container(const std::string& name, const std::string& image = "nginx:1.27") {
  Container c;
  c.name = name;
  c.image = image;
  return c;
}

Pod validPod() {
  Pod p;
  p.metadata.name = "web";
  p.spec.containers.push_back(container("app"));
  return p;
}

Deployment validDeployment() {
  Deployment d;
  d.metadata.name = "web";
  d.spec.selector.matchLabels = {{"app", "web"}};
  d.spec.podTemplate.metadata.labels = {{"app", "web"}};
  d.spec.podTemplate.spec.containers.push_back(container("app"));
  return d;
}

Document podDocument(Pod pod) {
  Document doc;
  doc.apiVersion = "v1";
  doc.kind = "Pod";
  doc.pod = std::move(pod);
  return doc;
}

Document deploymentDocument(Deployment d) {
  Document doc;
  doc.apiVersion = "apps/v1";
  doc.kind = "Deployment";
  doc.deployment = std::move(d);
  // A written selector is how the model tells "missing" from "empty".
  doc.positions["spec.selector"] = {{{8, 3}, {8, 12}}, {{9, 5}, {10, 1}}};
  return doc;
}

struct Finding {
  std::string rule;
  std::string message;
  friend bool operator==(const Finding&, const Finding&) = default;
};

void PrintTo(const Finding& f, std::ostream* os) { *os << "[" << f.rule << "] " << f.message; }

std::vector<Finding> findings(const std::vector<Diagnostic>& diagnostics) {
  std::vector<Finding> out;
  for (const Diagnostic& d : diagnostics) out.push_back({d.rule, d.message});
  return out;
}

struct PodCase {
  std::string name;
  std::function<void(Pod&)> edit;
  std::vector<Finding> expected;
};

void PrintTo(const PodCase& c, std::ostream* os) { *os << c.name; }

class PodRules : public ::testing::TestWithParam<PodCase> {};

TEST_P(PodRules, ReportExactlyTheApiServersErrors) {
  Pod pod = validPod();
  GetParam().edit(pod);
  std::vector<Diagnostic> found = validateDocument(podDocument(pod), "pod.yaml");
  EXPECT_EQ(findings(found), GetParam().expected);
  for (const Diagnostic& d : found) {
    EXPECT_EQ(d.severity, Severity::Error);
    EXPECT_EQ(d.file, "pod.yaml");
    EXPECT_FALSE(d.path.empty());
  }
}

Probe httpProbe(IntOrString port) {
  Probe p;
  p.httpGet = HttpGetAction{};
  p.httpGet->port = std::move(port);
  return p;
}

Probe execProbe() {
  Probe p;
  p.exec = ExecAction{{"cat", "/tmp/healthy"}};
  return p;
}

LifecycleHandler execHook(std::vector<std::string> command) {
  LifecycleHandler h;
  h.exec = ExecAction{std::move(command)};
  return h;
}

Quantity quantity(std::string text, std::int64_t milli) { return Quantity{std::move(text), milli}; }

const PodCase kPodCases[] = {
    {"ValidPod", [](Pod&) {}, {}},
    {"NameRequired", [](Pod& p) { p.metadata.name.clear(); },
     {{"required", "metadata.name: Required value: name or generateName is required"}}},
    {"GenerateNameStandsInForName",
     [](Pod& p) {
       p.metadata.name.clear();
       p.metadata.generateName = "web-";
     },
     {}},
    {"GenerateNameMustBeASubdomainPrefix",
     [](Pod& p) {
       p.metadata.name.clear();
       p.metadata.generateName = "Web_";
     },
     {{"invalid-name", "metadata.generateName: Invalid value: \"Web_\": " + kSubdomainMsg}}},
    {"NameIsASubdomain", [](Pod& p) { p.metadata.name = "My_Pod"; },
     {{"invalid-name", "metadata.name: Invalid value: \"My_Pod\": " + kSubdomainMsg}}},
    {"NameMayHaveDots", [](Pod& p) { p.metadata.name = "web.v1"; }, {}},
    {"NamespaceIsALabel", [](Pod& p) { p.metadata.namespaceName = "team.a"; },
     {{"invalid-name", "metadata.namespace: Invalid value: \"team.a\": must not contain dots"}}},
    {"NamespaceRegex", [](Pod& p) { p.metadata.namespaceName = "Team_A"; },
     {{"invalid-name", "metadata.namespace: Invalid value: \"Team_A\": " + kLabelMsg}}},
    {"LabelKey", [](Pod& p) { p.metadata.labels = {{"-app", "web"}}; },
     {{"invalid-label", "metadata.labels: Invalid value: \"-app\": " + kQualifiedNameMsg}}},
    {"LabelValue", [](Pod& p) { p.metadata.labels = {{"app", "web server"}}; },
     {{"invalid-label", "metadata.labels: Invalid value: \"web server\": " + kLabelValueMsg}}},
    {"LabelValueTooLong", [](Pod& p) { p.metadata.labels = {{"app", std::string(64, 'a')}}; },
     {{"invalid-label", "metadata.labels: Invalid value: \"" + std::string(64, 'a') +
                            "\": must be no more than 63 characters"}}},
    {"AnnotationKeyIgnoresCase", [](Pod& p) { p.metadata.annotations = {{"Example.COM/Note", "x"}}; }, {}},
    {"AnnotationKey", [](Pod& p) { p.metadata.annotations = {{"note!", "x"}}; },
     {{"invalid-annotation", "metadata.annotations: Invalid value: \"note!\": " + kQualifiedNameMsg}}},
    {"AnnotationsTotalSize",
     [](Pod& p) {
       p.metadata.annotations = {{"a", std::string(200 * 1024, 'x')}, {"b", std::string(60 * 1024, 'x')}};
     },
     {{"annotations-too-long", "metadata.annotations: Too long: must have at most 262144 bytes"}}},
    {"ContainersRequired", [](Pod& p) { p.spec.containers.clear(); },
     {{"required", "spec.containers: Required value"}}},
    {"ContainerNameRequired", [](Pod& p) { p.spec.containers[0].name.clear(); },
     {{"required", "spec.containers[0].name: Required value"}}},
    {"ContainerNameIsALabel", [](Pod& p) { p.spec.containers[0].name = "App"; },
     {{"invalid-name", "spec.containers[0].name: Invalid value: \"App\": " + kLabelMsg}}},
    {"ContainerNamesAreUnique", [](Pod& p) { p.spec.containers.push_back(container("app")); },
     {{"duplicate-name", "spec.containers[1].name: Duplicate value: \"app\""}}},
    {"InitContainerNamesAreUniqueAcrossBothLists",
     [](Pod& p) { p.spec.initContainers = {container("setup", "busybox:1.36"), container("app", "busybox:1.36")}; },
     {{"duplicate-name", "spec.initContainers[1].name: Duplicate value: \"app\""}}},
    {"ImageRequired", [](Pod& p) { p.spec.containers[0].image.clear(); },
     {{"required", "spec.containers[0].image: Required value"}}},
    {"InitContainerImageRequired", [](Pod& p) { p.spec.initContainers = {container("setup", "")}; },
     {{"required", "spec.initContainers[0].image: Required value"}}},
    {"ImageWhitespace", [](Pod& p) { p.spec.containers[0].image = "nginx:1.27 "; },
     {{"image-whitespace", "spec.containers[0].image: Invalid value: \"nginx:1.27 \": must not have leading or "
                           "trailing whitespace"}}},
    {"ContainerPortRequired", [](Pod& p) { p.spec.containers[0].ports = {ContainerPort{}}; },
     {{"required", "spec.containers[0].ports[0].containerPort: Required value"}}},
    {"ContainerPortRange",
     [](Pod& p) {
       ContainerPort port;
       port.containerPort = 70000;
       p.spec.containers[0].ports = {port};
     },
     {{"invalid-port", "spec.containers[0].ports[0].containerPort: Invalid value: 70000: must be between 1 and "
                       "65535, inclusive"}}},
    {"HostPortRange",
     [](Pod& p) {
       ContainerPort port;
       port.containerPort = 80;
       port.hostPort = -1;
       p.spec.containers[0].ports = {port};
     },
     {{"invalid-port", "spec.containers[0].ports[0].hostPort: Invalid value: -1: must be between 1 and 65535, "
                       "inclusive"}}},
    {"PortNameIsAnIanaName",
     [](Pod& p) {
       ContainerPort port;
       port.name = "HTTP";
       port.containerPort = 80;
       p.spec.containers[0].ports = {port};
     },
     {{"invalid-port", "spec.containers[0].ports[0].name: Invalid value: \"HTTP\": must contain only alpha-numeric "
                       "characters (a-z, 0-9), and hyphens (-)"},
      {"invalid-port", "spec.containers[0].ports[0].name: Invalid value: \"HTTP\": must contain at least one letter "
                       "(a-z)"}}},
    {"PortNameTooLong",
     [](Pod& p) {
       ContainerPort port;
       port.name = "my-very-long-port";
       port.containerPort = 80;
       p.spec.containers[0].ports = {port};
     },
     {{"invalid-port", "spec.containers[0].ports[0].name: Invalid value: \"my-very-long-port\": must be no more than "
                       "15 characters"}}},
    {"PortNamesAreUniquePerContainer",
     [](Pod& p) {
       ContainerPort a;
       a.name = "http";
       a.containerPort = 80;
       ContainerPort b = a;
       b.containerPort = 8080;
       p.spec.containers[0].ports = {a, b};
     },
     {{"duplicate-name", "spec.containers[0].ports[1].name: Duplicate value: \"http\""}}},
    {"HostPortsConflictAcrossContainers",
     [](Pod& p) {
       ContainerPort port;
       port.containerPort = 80;
       port.hostPort = 8080;
       p.spec.containers[0].ports = {port};
       Container other = container("other");
       other.ports = {port};
       p.spec.containers.push_back(other);
     },
     {{"duplicate-host-port", "spec.containers[1].ports[0].hostPort: Duplicate value: \"TCP//8080\""}}},
    {"EnvName", [](Pod& p) { p.spec.containers[0].env = {EnvVar{"1_PORT", "80", false}}; },
     {{"invalid-env-name",
       "spec.containers[0].env[0].name: Invalid value: \"1_PORT\": a valid environment variable name must consist of "
       "alphabetic characters, digits, '_', '-', or '.', and must not start with a digit (e.g. 'my.env-name',  or "
       "'MY_ENV.NAME',  or 'MyEnvName1', regex used for validation is '[-._a-zA-Z][-._a-zA-Z0-9]*')"}}},
    {"EnvNameRequired", [](Pod& p) { p.spec.containers[0].env = {EnvVar{"", "80", false}}; },
     {{"required", "spec.containers[0].env[0].name: Required value"}}},
    {"VolumeNameIsALabel",
     [](Pod& p) {
       Volume v;
       v.name = "Data";
       p.spec.volumes = {v};
     },
     {{"invalid-name", "spec.volumes[0].name: Invalid value: \"Data\": " + kLabelMsg}}},
    {"VolumeNamesAreUnique",
     [](Pod& p) {
       Volume v;
       v.name = "data";
       p.spec.volumes = {v, v};
     },
     {{"duplicate-name", "spec.volumes[1].name: Duplicate value: \"data\""}}},
    {"HostPathRequired",
     [](Pod& p) {
       Volume v;
       v.name = "host";
       v.source = Volume::Source::HostPath;
       p.spec.volumes = {v};
     },
     {{"required", "spec.volumes[0].hostPath.path: Required value"}}},
    {"HostPathType",
     [](Pod& p) {
       Volume v;
       v.name = "host";
       v.source = Volume::Source::HostPath;
       v.hostPath = "/var/log";
       v.hostPathType = "Folder";
       p.spec.volumes = {v};
     },
     {{"host-path-type", "spec.volumes[0].hostPath.type: Unsupported value: \"Folder\": supported values: \"\", "
                         "\"BlockDevice\", \"CharDevice\", \"Directory\", \"DirectoryOrCreate\", \"File\", "
                         "\"FileOrCreate\", \"Socket\""}}},
    {"HostPathBacksteps",
     [](Pod& p) {
       Volume v;
       v.name = "host";
       v.source = Volume::Source::HostPath;
       v.hostPath = "/var/../etc";
       p.spec.volumes = {v};
     },
     {{"invalid-path", "spec.volumes[0].hostPath.path: Invalid value: \"/var/../etc\": must not contain '..'"}}},
    {"NegativeEmptyDirSizeLimit",
     [](Pod& p) {
       Volume v;
       v.name = "scratch";
       v.emptyDirSizeLimit = quantity("-1Gi", -1024LL * 1024 * 1024 * 1000);
       p.spec.volumes = {v};
     },
     {{"invalid-quantity", "spec.volumes[0].emptyDir.sizeLimit: Forbidden: SizeLimit field must be a valid resource "
                           "quantity"}}},
    {"MountNeedsAVolume", [](Pod& p) { p.spec.containers[0].volumeMounts = {VolumeMount{"data", "/data", false, ""}}; },
     {{"volume-not-found", "spec.containers[0].volumeMounts[0].name: Not found: \"data\""}}},
    {"MountOfAnInvalidVolumeIsNotFound",
     [](Pod& p) {
       Volume v;
       v.name = "Data";
       p.spec.volumes = {v};
       p.spec.containers[0].volumeMounts = {VolumeMount{"Data", "/data", false, ""}};
     },
     {{"invalid-name", "spec.volumes[0].name: Invalid value: \"Data\": " + kLabelMsg},
      {"volume-not-found", "spec.containers[0].volumeMounts[0].name: Not found: \"Data\""}}},
    {"MountPathRequiredAndUnique",
     [](Pod& p) {
       Volume v;
       v.name = "data";
       p.spec.volumes = {v};
       p.spec.containers[0].volumeMounts = {VolumeMount{"data", "", false, ""}, VolumeMount{"data", "/d", false, ""},
                                            VolumeMount{"data", "/d", false, ""}};
     },
     {{"required", "spec.containers[0].volumeMounts[0].mountPath: Required value"},
      {"duplicate-mount-path", "spec.containers[0].volumeMounts[2].mountPath: Invalid value: \"/d\": must be unique"}}},
    {"SubPathIsRelative",
     [](Pod& p) {
       Volume v;
       v.name = "data";
       p.spec.volumes = {v};
       p.spec.containers[0].volumeMounts = {VolumeMount{"data", "/d", false, "/abs/../x"}};
     },
     {{"invalid-path", "spec.containers[0].volumeMounts.subPath: Invalid value: \"/abs/../x\": must be a relative path"},
      {"invalid-path", "spec.containers[0].volumeMounts.subPath: Invalid value: \"/abs/../x\": must not contain '..'"}}},
    {"RequestAboveLimit",
     [](Pod& p) {
       p.spec.containers[0].resources.limits = {{"cpu", quantity("500m", 500)}};
       p.spec.containers[0].resources.requests = {{"cpu", quantity("1", 1000)}};
     },
     {{"request-exceeds-limit",
       "spec.containers[0].resources.requests: Invalid value: \"1\": must be less than or equal to cpu limit of 500m"}}},
    {"RequestAboveLimitCanonicalMemory",
     [](Pod& p) {
       p.spec.containers[0].resources.limits = {{"memory", quantity("1024Mi", 1024LL * 1024 * 1024 * 1000)}};
       p.spec.containers[0].resources.requests = {{"memory", quantity("2Gi", 2048LL * 1024 * 1024 * 1000)}};
     },
     {{"request-exceeds-limit", "spec.containers[0].resources.requests: Invalid value: \"2Gi\": must be less than or "
                                "equal to memory limit of 1Gi"}}},
    {"NegativeQuantity", [](Pod& p) { p.spec.containers[0].resources.limits = {{"cpu", quantity("-100m", -100)}}; },
     {{"invalid-quantity", "spec.containers[0].resources.limits[cpu]: Invalid value: \"-100m\": must be greater than "
                           "or equal to 0"}}},
    {"ResourceNameForContainers",
     [](Pod& p) { p.spec.containers[0].resources.limits = {{"gpu", quantity("1", 1000)}}; },
     {{"invalid-resource-name", "spec.containers[0].resources.limits[gpu]: Invalid value: gpu: must be a standard "
                                "resource type or fully qualified"},
      {"invalid-resource-name", "spec.containers[0].resources.limits[gpu]: Invalid value: gpu: must be a standard "
                                "resource for containers"}}},
    {"ExtendedResourcesAreWholeAndEqual",
     [](Pod& p) {
       p.spec.containers[0].resources.limits = {{"example.com/gpu", quantity("2", 2000)}};
       p.spec.containers[0].resources.requests = {{"example.com/gpu", quantity("1500m", 1500)}};
     },
     {{"invalid-quantity",
       "spec.containers[0].resources.requests[example.com/gpu]: Invalid value: \"1500m\": must be an integer"},
      {"request-exceeds-limit",
       "spec.containers[0].resources.requests: Invalid value: \"1500m\": must be equal to example.com/gpu limit of 2"}}},
    {"ProbeNeedsAHandler", [](Pod& p) { p.spec.containers[0].livenessProbe = Probe{}; },
     {{"handler-count", "spec.containers[0].livenessProbe: Required value: must specify a handler type"}}},
    {"ProbeWithTwoHandlers",
     [](Pod& p) {
       Probe probe = execProbe();
       probe.tcpSocket = TcpSocketAction{"", IntOrString::fromInt(80)};
       p.spec.containers[0].livenessProbe = probe;
     },
     {{"handler-count", "spec.containers[0].livenessProbe.tcpSocket: Forbidden: may not specify more than 1 handler "
                        "type"}}},
    {"ProbeIntegersAreNonNegative",
     [](Pod& p) {
       Probe probe = execProbe();
       probe.initialDelaySeconds = -5;
       probe.periodSeconds = -1;
       p.spec.containers[0].readinessProbe = probe;
     },
     {{"negative-value", "spec.containers[0].readinessProbe.initialDelaySeconds: Invalid value: -5: must be greater "
                         "than or equal to 0"},
      {"negative-value", "spec.containers[0].readinessProbe.periodSeconds: Invalid value: -1: must be greater than or "
                         "equal to 0"}}},
    {"LivenessSuccessThresholdIsOne",
     [](Pod& p) {
       Probe probe = execProbe();
       probe.successThreshold = 2;
       p.spec.containers[0].livenessProbe = probe;
     },
     {{"success-threshold", "spec.containers[0].livenessProbe.successThreshold: Invalid value: 2: must be 1"}}},
    {"StartupSuccessThresholdIsOne",
     [](Pod& p) {
       Probe probe = execProbe();
       probe.successThreshold = 3;
       p.spec.containers[0].startupProbe = probe;
     },
     {{"success-threshold", "spec.containers[0].startupProbe.successThreshold: Invalid value: 3: must be 1"}}},
    {"ReadinessSuccessThresholdMayBeAboveOne",
     [](Pod& p) {
       Probe probe = execProbe();
       probe.successThreshold = 3;
       p.spec.containers[0].readinessProbe = probe;
     },
     {}},
    {"ProbeGracePeriodPositive",
     [](Pod& p) {
       Probe probe = execProbe();
       probe.terminationGracePeriodSeconds = 0;
       p.spec.containers[0].livenessProbe = probe;
     },
     {{"probe-grace-period",
       "spec.containers[0].livenessProbe.terminationGracePeriodSeconds: Invalid value: 0: must be greater than 0"}}},
    {"ProbeGracePeriodNotOnReadiness",
     [](Pod& p) {
       Probe probe = execProbe();
       probe.terminationGracePeriodSeconds = 10;
       p.spec.containers[0].readinessProbe = probe;
     },
     {{"probe-grace-period", "spec.containers[0].readinessProbe.terminationGracePeriodSeconds: Invalid value: 10: must "
                             "not be set for readinessProbes"}}},
    {"ProbePortNumber", [](Pod& p) { p.spec.containers[0].livenessProbe = httpProbe(IntOrString::fromInt(0)); },
     {{"invalid-port", "spec.containers[0].livenessProbe.httpGet.port: Invalid value: 0: must be between 1 and 65535, "
                       "inclusive"}}},
    {"ProbePortName", [](Pod& p) { p.spec.containers[0].readinessProbe = httpProbe(IntOrString::fromString("8080")); },
     {{"invalid-port", "spec.containers[0].readinessProbe.httpGet.port: Invalid value: \"8080\": must contain at least "
                       "one letter (a-z)"}}},
    {"ProbeNamedPortNeedNotExistForTheApiServer",
     [](Pod& p) { p.spec.containers[0].readinessProbe = httpProbe(IntOrString::fromString("metrics")); },
     {}},
    {"GrpcPort",
     [](Pod& p) {
       Probe probe;
       probe.grpc = GrpcAction{70000, ""};
       p.spec.containers[0].livenessProbe = probe;
     },
     {{"invalid-port", "spec.containers[0].livenessProbe.grpc.port: Invalid value: 70000: must be between 1 and 65535, "
                       "inclusive"}}},
    {"ExecCommandRequired",
     [](Pod& p) {
       Probe probe;
       probe.exec = ExecAction{};
       p.spec.containers[0].livenessProbe = probe;
     },
     {{"required", "spec.containers[0].livenessProbe.exec.command: Required value"}}},
    {"HttpHeaderName",
     [](Pod& p) {
       Probe probe = httpProbe(IntOrString::fromInt(80));
       probe.httpGet->httpHeaders = {HttpHeader{"X Bad", "1"}};
       p.spec.containers[0].livenessProbe = probe;
     },
     {{"invalid-http-header",
       "spec.containers[0].livenessProbe.httpGet.httpHeaders: Invalid value: \"X Bad\": a valid HTTP header must "
       "consist of alphanumeric characters or '-' (e.g. 'X-Header-Name', regex used for validation is "
       "'[-A-Za-z0-9]+')"}}},
    {"HookNeedsAHandler",
     [](Pod& p) {
       p.spec.containers[0].lifecycle = Lifecycle{};
       p.spec.containers[0].lifecycle->preStop = LifecycleHandler{};
     },
     {{"handler-count", "spec.containers[0].lifecycle.preStop: Required value: must specify a handler type"}}},
    {"HookWithTwoHandlers",
     [](Pod& p) {
       LifecycleHandler h = execHook({"true"});
       h.sleep = SleepAction{5};
       p.spec.containers[0].lifecycle = Lifecycle{h, std::nullopt};
     },
     {{"handler-count", "spec.containers[0].lifecycle.postStart.sleep: Forbidden: may not specify more than 1 "
                        "handler type"}}},
    {"SleepWithinGracePeriod",
     [](Pod& p) {
       LifecycleHandler h;
       h.sleep = SleepAction{31};
       p.spec.containers[0].lifecycle = Lifecycle{std::nullopt, h};
     },
     {{"sleep-seconds", "spec.containers[0].lifecycle.preStop.sleep: Invalid value: 31: must be greater than 0 and "
                        "less than terminationGracePeriodSeconds (30)"}}},
    {"SleepMustBePositive",
     [](Pod& p) {
       LifecycleHandler h;
       h.sleep = SleepAction{0};
       p.spec.containers[0].lifecycle = Lifecycle{std::nullopt, h};
     },
     {{"sleep-seconds", "spec.containers[0].lifecycle.preStop.sleep: Invalid value: 0: must be greater than 0 and "
                        "less than terminationGracePeriodSeconds (30)"}}},
    {"SleepAgainstANegativeGracePeriod",
     [](Pod& p) {
       p.spec.terminationGracePeriodSeconds = -5;  // stored as 1
       LifecycleHandler h;
       h.sleep = SleepAction{2};
       p.spec.containers[0].lifecycle = Lifecycle{std::nullopt, h};
     },
     {{"sleep-seconds", "spec.containers[0].lifecycle.preStop.sleep: Invalid value: 2: must be greater than 0 and "
                        "less than terminationGracePeriodSeconds (1)"}}},
    {"SleepEqualToGraceIsAllowed",
     [](Pod& p) {
       LifecycleHandler h;
       h.sleep = SleepAction{30};
       p.spec.containers[0].lifecycle = Lifecycle{std::nullopt, h};
     },
     {}},
    {"RegularInitContainerHasNoProbesOrHooks",
     [](Pod& p) {
       Container init = container("setup", "busybox:1.36");
       init.readinessProbe = execProbe();
       init.lifecycle = Lifecycle{execHook({"true"}), std::nullopt};
       p.spec.initContainers = {init};
     },
     {{"init-container-field", "spec.initContainers[0].lifecycle: Forbidden: may not be set for init containers "
                               "without restartPolicy=Always"},
      {"init-container-field", "spec.initContainers[0].readinessProbe: Forbidden: may not be set for init containers "
                               "without restartPolicy=Always"}}},
    {"SidecarMayHaveProbesAndTheyAreChecked",
     [](Pod& p) {
       Container sidecar = container("proxy", "envoy:1.30");
       sidecar.restartPolicy = RestartPolicy::Always;
       sidecar.readinessProbe = execProbe();
       sidecar.livenessProbe = execProbe();
       sidecar.livenessProbe->successThreshold = 2;
       p.spec.initContainers = {sidecar};
     },
     {{"success-threshold", "spec.initContainers[0].livenessProbe.successThreshold: Invalid value: 2: must be 1"}}},
    {"InitContainerRestartPolicyOnlyAlways",
     [](Pod& p) {
       Container init = container("setup", "busybox:1.36");
       init.restartPolicy = RestartPolicy::OnFailure;
       p.spec.initContainers = {init};
     },
     {{"container-restart-policy", "spec.initContainers[0].restartPolicy: Unsupported value: \"OnFailure\": supported "
                                   "values: \"Always\""}}},
    {"RegularContainerHasNoRestartPolicy", [](Pod& p) { p.spec.containers[0].restartPolicy = RestartPolicy::Always; },
     {{"container-restart-policy", "spec.containers[0].restartPolicy: Forbidden: may not be set for non-init "
                                   "containers"}}},
    {"ActiveDeadlinePositive", [](Pod& p) { p.spec.activeDeadlineSeconds = 0; },
     {{"active-deadline", "spec.activeDeadlineSeconds: Invalid value: 0: must be between 1 and 2147483647, "
                          "inclusive"}}},
    {"HostnameIsALabel", [](Pod& p) { p.spec.hostname = "web.local"; },
     {{"invalid-name", "spec.hostname: Invalid value: \"web.local\": must not contain dots"}}},
    {"NegativeGracePeriodIsNotAnError", [](Pod& p) { p.spec.terminationGracePeriodSeconds = -1; }, {}},
};

INSTANTIATE_TEST_SUITE_P(Table, PodRules, ::testing::ValuesIn(kPodCases),
                         [](const ::testing::TestParamInfo<PodCase>& info) { return info.param.name; });

struct DeploymentCase {
  std::string name;
  std::function<void(Deployment&, Document&)> edit;
  std::vector<Finding> expected;
};

void PrintTo(const DeploymentCase& c, std::ostream* os) { *os << c.name; }

class DeploymentRules : public ::testing::TestWithParam<DeploymentCase> {};

TEST_P(DeploymentRules, ReportExactlyTheApiServersErrors) {
  Deployment d = validDeployment();
  Document doc = deploymentDocument(d);
  GetParam().edit(*doc.deployment, doc);
  EXPECT_EQ(findings(validateDocument(doc, "deploy.yaml")), GetParam().expected);
}

const DeploymentCase kDeploymentCases[] = {
    {"ValidDeployment", [](Deployment&, Document&) {}, {}},
    {"NameIsASubdomain", [](Deployment& d, Document&) { d.metadata.name = "Web"; },
     {{"invalid-name", "metadata.name: Invalid value: \"Web\": " + kSubdomainMsg}}},
    {"ReplicasNonNegative", [](Deployment& d, Document&) { d.spec.replicas = -1; },
     {{"negative-value", "spec.replicas: Invalid value: -1: must be greater than or equal to 0"}}},
    {"SelectorRequired",
     [](Deployment& d, Document& doc) {
       doc.positions.erase("spec.selector");
       d.spec.selector = LabelSelector{};
     },
     {{"required", "spec.selector: Required value"}}},
    {"SelectorNotEmpty", [](Deployment& d, Document&) { d.spec.selector = LabelSelector{}; },
     {{"invalid-selector", "spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string(nil), "
                           "MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: empty selector is invalid for "
                           "deployment"}}},
    {"SelectorMatchesTemplate", [](Deployment& d, Document&) { d.spec.podTemplate.metadata.labels = {{"app", "x"}}; },
     {{"selector-mismatch", "spec.template.metadata.labels: Invalid value: map[string]string{\"app\":\"x\"}: "
                            "`selector` does not match template `labels`"}}},
    {"SelectorAgainstMissingLabels", [](Deployment& d, Document&) { d.spec.podTemplate.metadata.labels.clear(); },
     {{"selector-mismatch", "spec.template.metadata.labels: Invalid value: map[string]string(nil): `selector` does "
                            "not match template `labels`"}}},
    {"SelectorExpressions",
     [](Deployment& d, Document&) {
       d.spec.selector.matchExpressions = {{"tier", "In", {}}, {"env", "Exists", {"prod"}}, {"app", "Equals", {"web"}}};
     },
     {{"invalid-selector",
       "spec.selector.matchExpressions[0].values: Required value: must be specified when `operator` is 'In' or "
       "'NotIn'"},
      {"invalid-selector", "spec.selector.matchExpressions[1].values: Forbidden: may not be specified when `operator` "
                           "is 'Exists' or 'DoesNotExist'"},
      {"invalid-selector", "spec.selector.matchExpressions[2].operator: Invalid value: \"Equals\": not a valid "
                           "selector operator"}}},
    {"SelectorExpressionsMatchTheTemplate",
     [](Deployment& d, Document&) { d.spec.selector.matchExpressions = {{"app", "In", {"web", "api"}}}; }, {}},
    {"SelectorExpressionsThatMissTheTemplate",
     [](Deployment& d, Document&) { d.spec.selector.matchExpressions = {{"tier", "Exists", {}}}; },
     {{"selector-mismatch", "spec.template.metadata.labels: Invalid value: map[string]string{\"app\":\"web\"}: "
                            "`selector` does not match template `labels`"}}},
    {"TemplateLabelsUseTheApiServersPath",
     [](Deployment& d, Document&) {
       d.spec.selector.matchLabels = {{"app", "web"}};
       d.spec.podTemplate.metadata.labels = {{"app", "web"}, {"bad key", "x"}};
     },
     {{"invalid-label", "spec.template.labels: Invalid value: \"bad key\": " + kQualifiedNameMsg}}},
    {"TemplatePodSpecIsValidated",
     [](Deployment& d, Document&) { d.spec.podTemplate.spec.containers[0].image.clear(); },
     {{"required", "spec.template.spec.containers[0].image: Required value"}}},
    {"TemplateRestartPolicyAlways",
     [](Deployment& d, Document&) { d.spec.podTemplate.spec.restartPolicy = RestartPolicy::Never; },
     {{"template-restart-policy",
       "spec.template.spec.restartPolicy: Unsupported value: \"Never\": supported values: \"Always\""}}},
    {"TemplateActiveDeadline", [](Deployment& d, Document&) { d.spec.podTemplate.spec.activeDeadlineSeconds = 60; },
     {{"active-deadline", "spec.template.spec.activeDeadlineSeconds: Invalid value: 60: activeDeadlineSeconds in "
                          "ReplicaSet is not Supported"}}},
    {"MaxSurgePercentFormat",
     [](Deployment& d, Document&) { d.spec.strategy.maxSurge = IntOrString::fromString("25"); },
     {{"rolling-update", "spec.strategy.rollingUpdate.maxSurge: Invalid value: \"25\": " + kPercentMsg}}},
    {"MaxUnavailableNegative",
     [](Deployment& d, Document&) { d.spec.strategy.maxUnavailable = IntOrString::fromInt(-1); },
     {{"negative-value", "spec.strategy.rollingUpdate.maxUnavailable: Invalid value: -1: must be greater than or "
                         "equal to 0"}}},
    {"SurgeAndUnavailableNotBothZero",
     [](Deployment& d, Document&) {
       d.spec.strategy.maxSurge = IntOrString::fromString("0%");
       d.spec.strategy.maxUnavailable = IntOrString::fromInt(0);
     },
     {{"rolling-update", "spec.strategy.rollingUpdate.maxUnavailable: Invalid value: 0: may not be 0 when `maxSurge` "
                         "is 0"}}},
    {"MaxUnavailableAtMost100Percent",
     [](Deployment& d, Document&) { d.spec.strategy.maxUnavailable = IntOrString::fromString("110%"); },
     {{"rolling-update", "spec.strategy.rollingUpdate.maxUnavailable: Invalid value: \"110%\": must not be greater "
                         "than 100%"}}},
    {"MaxSurgeAbove100PercentIsFine",
     [](Deployment& d, Document&) { d.spec.strategy.maxSurge = IntOrString::fromString("200%"); }, {}},
    {"RecreateHasNoRollingUpdate",
     [](Deployment& d, Document& doc) {
       d.spec.strategy.type = DeploymentStrategy::Type::Recreate;
       doc.positions["spec.strategy.rollingUpdate"] = {{{20, 5}, {20, 18}}, {{21, 7}, {22, 1}}};
     },
     {{"recreate-rolling-update", "spec.strategy.rollingUpdate: Forbidden: may not be specified when strategy `type` "
                                  "is 'Recreate'"}}},
    {"RecreateWithDefaultsIsFine",
     [](Deployment& d, Document&) { d.spec.strategy.type = DeploymentStrategy::Type::Recreate; }, {}},
    {"MinReadySecondsNonNegative", [](Deployment& d, Document&) { d.spec.minReadySeconds = -1; },
     {{"negative-value", "spec.minReadySeconds: Invalid value: -1: must be greater than or equal to 0"}}},
    {"RevisionHistoryLimitNonNegative", [](Deployment& d, Document&) { d.spec.revisionHistoryLimit = -2; },
     {{"negative-value", "spec.revisionHistoryLimit: Invalid value: -2: must be greater than or equal to 0"}}},
    {"ProgressDeadlineAboveMinReady",
     [](Deployment& d, Document&) {
       d.spec.minReadySeconds = 30;
       d.spec.progressDeadlineSeconds = 30;
     },
     {{"progress-deadline", "spec.progressDeadlineSeconds: Invalid value: 30: must be greater than minReadySeconds"}}},
};

INSTANTIATE_TEST_SUITE_P(Table, DeploymentRules, ::testing::ValuesIn(kDeploymentCases),
                         [](const ::testing::TestParamInfo<DeploymentCase>& info) { return info.param.name; });

// --- where a finding points ---------------------------------------------------

FieldPosition at(int keyLine, int keyCol, int valueLine, int valueCol) {
  return {{{keyLine, keyCol}, {keyLine, keyCol + 1}}, {{valueLine, valueCol}, {valueLine, valueCol + 1}}};
}

TEST(ValidationRanges, InvalidValuePointsAtTheValue) {
  Pod pod = validPod();
  pod.spec.containers[0].name = "App";
  Document doc = podDocument(pod);
  doc.index = 2;
  doc.positions["spec.containers[0].name"] = at(8, 5, 8, 11);
  std::vector<Diagnostic> found = validateDocument(doc, "f.yaml");
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].range.begin, (SourcePos{8, 11}));
  EXPECT_EQ(found[0].path, "spec.containers[0].name");
  EXPECT_EQ(found[0].document, 2);
}

TEST(ValidationRanges, DuplicateValuePointsAtTheValue) {
  Pod pod = validPod();
  pod.spec.containers.push_back(container("app"));
  Document doc = podDocument(pod);
  doc.positions["spec.containers[1].name"] = at(12, 5, 12, 11);
  std::vector<Diagnostic> found = validateDocument(doc, "f.yaml");
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].range.begin, (SourcePos{12, 11}));
}

TEST(ValidationRanges, MissingFieldPointsAtTheNearestWrittenParent) {
  Pod pod = validPod();
  pod.spec.containers[0].image.clear();
  Document doc = podDocument(pod);
  doc.positions["spec.containers[0]"] = at(7, 3, 7, 5);
  std::vector<Diagnostic> found = validateDocument(doc, "f.yaml");
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].path, "spec.containers[0].image");
  EXPECT_EQ(found[0].range.begin, (SourcePos{7, 3}));
}

TEST(ValidationRanges, LabelFindingsPointAtTheEntry) {
  Pod pod = validPod();
  pod.metadata.labels = {{"-app", "web server"}};
  Document doc = podDocument(pod);
  doc.positions["metadata.labels"] = at(4, 3, 5, 5);
  doc.positions["metadata.labels[-app]"] = at(5, 5, 5, 11);
  std::vector<Diagnostic> found = validateDocument(doc, "f.yaml");
  ASSERT_EQ(found.size(), 2u);
  EXPECT_EQ(found[0].range.begin, (SourcePos{5, 5}));   // the key is wrong
  EXPECT_EQ(found[1].range.begin, (SourcePos{5, 11}));  // the value is wrong
}

TEST(ValidationRanges, AFieldWrittenWithTheWrongTypeIsNotAlsoMissing) {
  // The decoder reports `name: [web]` and leaves the model's name empty.
  Pod pod = validPod();
  pod.metadata.name.clear();
  pod.spec.containers[0].image.clear();
  Document doc = podDocument(pod);
  doc.positions["metadata.name"] = at(3, 3, 3, 9);
  doc.positions["spec.containers[0].image"] = at(9, 5, 9, 12);
  EXPECT_THAT(validateDocument(doc, "f.yaml"), IsEmpty());
}

TEST(Validation, OtherKindsAreNotValidated) {
  Document doc;
  doc.kind = "Service";
  EXPECT_THAT(validateDocument(doc, "f.yaml"), IsEmpty());
  EXPECT_THAT(lintDocument(doc, "f.yaml"), IsEmpty());
}

}  // namespace
}  // namespace podscope::core
