#pragma once
// The typed manifest model: Pods, Deployments and the documents around them,
// as plain values with every default already applied (see `defaults` on
// Document for which ones were). Field names follow the Kubernetes API.
// Thread contract: plain values; safe to copy and share read-only.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/diagnostic.h"
#include "core/result.h"
#include "core/source_range.h"

namespace podscope::core {

enum class RestartPolicy { Always, OnFailure, Never };
enum class PullPolicy { Always, IfNotPresent, Never };
enum class TerminationMessagePolicy { File, FallbackToLogsOnError };
enum class Protocol { TCP, UDP, SCTP };
enum class UriScheme { HTTP, HTTPS };

std::string_view toString(RestartPolicy policy);
std::string_view toString(PullPolicy policy);
std::string_view toString(TerminationMessagePolicy policy);
std::string_view toString(Protocol protocol);
std::string_view toString(UriScheme scheme);

/// The pull policy Kubernetes defaults to for an image reference: Always for
/// `:latest` or no tag (and no digest), IfNotPresent otherwise.
PullPolicy defaultPullPolicy(std::string_view image);

/// An int-or-string field (ports by number or name, maxSurge "25%" or 1).
struct IntOrString {
  bool isInt = true;
  std::int64_t intValue = 0;
  std::string strValue;
  static IntOrString fromInt(std::int64_t v) { return {true, v, {}}; }
  static IntOrString fromString(std::string s) { return {false, 0, std::move(s)}; }
  std::string toString() const { return isInt ? std::to_string(intValue) : strValue; }
  friend bool operator==(const IntOrString&, const IntOrString&) = default;
};

/// A resource quantity ("100m", "128Mi", "1.5G"), kept as written plus its
/// value in thousandths of the base unit (milli-CPU, milli-bytes).
struct Quantity {
  std::string text;
  std::int64_t milliValue = 0;
  friend bool operator==(const Quantity&, const Quantity&) = default;
};

struct ExecAction {
  std::vector<std::string> command;
};
struct HttpHeader {
  std::string name;
  std::string value;
};
struct HttpGetAction {
  std::string host;  ///< empty: the pod's IP
  std::string path = "/";
  IntOrString port;
  UriScheme scheme = UriScheme::HTTP;
  std::vector<HttpHeader> httpHeaders;
};
struct TcpSocketAction {
  std::string host;
  IntOrString port;
};
struct GrpcAction {
  std::int32_t port = 0;
  std::string service;  ///< empty: the server's overall health
};
struct SleepAction {
  std::int64_t seconds = 0;
};

struct Probe {
  std::optional<ExecAction> exec;
  std::optional<HttpGetAction> httpGet;
  std::optional<TcpSocketAction> tcpSocket;
  std::optional<GrpcAction> grpc;
  std::int32_t initialDelaySeconds = 0;
  std::int32_t timeoutSeconds = 1;
  std::int32_t periodSeconds = 10;
  std::int32_t successThreshold = 1;
  std::int32_t failureThreshold = 3;
  std::optional<std::int64_t> terminationGracePeriodSeconds;
};

struct LifecycleHandler {
  std::optional<ExecAction> exec;
  std::optional<HttpGetAction> httpGet;
  std::optional<TcpSocketAction> tcpSocket;  ///< deprecated; accepted, never run by the kubelet
  std::optional<SleepAction> sleep;
};
struct Lifecycle {
  std::optional<LifecycleHandler> postStart;
  std::optional<LifecycleHandler> preStop;
};

struct EnvVar {
  std::string name;
  std::string value;
  bool valueFrom = false;  ///< set from a ConfigMap/Secret/field: not resolved locally
};

struct ContainerPort {
  std::string name;
  std::int32_t containerPort = 0;
  std::optional<std::int32_t> hostPort;
  Protocol protocol = Protocol::TCP;
  std::string hostIP;
};

struct ResourceRequirements {
  std::map<std::string, Quantity> limits;
  std::map<std::string, Quantity> requests;
};

struct VolumeMount {
  std::string name;
  std::string mountPath;
  bool readOnly = false;
  std::string subPath;
};

struct SecurityContext {
  std::optional<std::int64_t> runAsUser;
  std::optional<std::int64_t> runAsGroup;
  std::optional<bool> runAsNonRoot;
  std::optional<bool> privileged;
  std::optional<bool> readOnlyRootFilesystem;
  std::optional<bool> allowPrivilegeEscalation;
};

struct Container {
  std::string name;
  std::string image;
  PullPolicy imagePullPolicy = PullPolicy::IfNotPresent;
  std::vector<std::string> command;  ///< replaces the image's Entrypoint when set
  std::vector<std::string> args;     ///< replaces the image's Cmd when set
  std::string workingDir;
  std::vector<EnvVar> env;
  std::vector<ContainerPort> ports;
  ResourceRequirements resources;
  std::vector<VolumeMount> volumeMounts;
  std::optional<Probe> startupProbe;
  std::optional<Probe> livenessProbe;
  std::optional<Probe> readinessProbe;
  std::optional<Lifecycle> lifecycle;
  /// Only on init containers, and only "Always": makes it a sidecar.
  std::optional<RestartPolicy> restartPolicy;
  std::string terminationMessagePath = "/dev/termination-log";
  TerminationMessagePolicy terminationMessagePolicy = TerminationMessagePolicy::File;
  std::optional<SecurityContext> securityContext;
  SourceRange range;  ///< the container's mapping in the file

  bool isSidecar() const { return restartPolicy == RestartPolicy::Always; }
};

struct Volume {
  enum class Source { EmptyDir, HostPath, Unsupported };
  std::string name;
  Source source = Source::EmptyDir;
  std::string emptyDirMedium;               ///< "" or "Memory"
  std::optional<Quantity> emptyDirSizeLimit;
  std::string hostPath;
  std::string hostPathType;
  std::string unsupportedKind;  ///< e.g. "configMap", for Source::Unsupported
};

struct PodSecurityContext {
  std::optional<std::int64_t> runAsUser;
  std::optional<std::int64_t> runAsGroup;
  std::optional<bool> runAsNonRoot;
  std::optional<std::int64_t> fsGroup;
};

struct PodSpec {
  std::vector<Container> initContainers;
  std::vector<Container> containers;
  std::vector<Volume> volumes;
  RestartPolicy restartPolicy = RestartPolicy::Always;
  std::int64_t terminationGracePeriodSeconds = 30;
  std::optional<std::int64_t> activeDeadlineSeconds;
  std::string hostname;
  std::optional<PodSecurityContext> securityContext;
};

struct ObjectMeta {
  std::string name;
  std::string generateName;
  std::string namespaceName = "default";
  std::map<std::string, std::string> labels;
  std::map<std::string, std::string> annotations;
};

struct Pod {
  ObjectMeta metadata;
  PodSpec spec;
};

struct PodTemplateSpec {
  ObjectMeta metadata;
  PodSpec spec;
};

struct LabelSelectorRequirement {
  std::string key;
  std::string op;  ///< In, NotIn, Exists, DoesNotExist
  std::vector<std::string> values;
};
struct LabelSelector {
  std::map<std::string, std::string> matchLabels;
  std::vector<LabelSelectorRequirement> matchExpressions;
  /// Whether `labels` satisfy this selector.
  bool matches(const std::map<std::string, std::string>& labels) const;
};

struct DeploymentStrategy {
  enum class Type { RollingUpdate, Recreate };
  Type type = Type::RollingUpdate;
  IntOrString maxSurge = IntOrString::fromString("25%");
  IntOrString maxUnavailable = IntOrString::fromString("25%");
};

struct DeploymentSpec {
  std::int32_t replicas = 1;
  LabelSelector selector;
  PodTemplateSpec podTemplate;  ///< `template` in YAML
  DeploymentStrategy strategy;
  std::int32_t minReadySeconds = 0;
  std::int32_t revisionHistoryLimit = 10;
  std::int32_t progressDeadlineSeconds = 600;
  bool paused = false;
};

struct Deployment {
  ObjectMeta metadata;
  DeploymentSpec spec;
  /// The `kubernetes.io/change-cause` annotation, or empty.
  std::string changeCause() const;
};

/// Where a field was written: its key and its value.
struct FieldPosition {
  SourceRange key;
  SourceRange value;
};

/// One YAML document of a manifest file.
struct Document {
  int index = 0;  ///< 0-based position among the file's documents
  std::string apiVersion;
  std::string kind;
  std::string name;
  SourceRange range;
  std::optional<Pod> pod;                ///< kind Pod (v1), read without errors
  std::optional<Deployment> deployment;  ///< kind Deployment (apps/v1), read without errors
  /// Field path ("spec.containers[0].image") to where it is written.
  std::unordered_map<std::string, FieldPosition> positions;
  /// Field path to the default value applied there, as YAML text, for each
  /// field the manifest left out and the API server would have defaulted.
  std::map<std::string, std::string> defaults;

  /// Pod and Deployment documents are run; other kinds are listed only.
  bool runnable() const { return pod.has_value() || deployment.has_value(); }
  /// The position of `path`, or of its nearest written ancestor.
  SourceRange rangeOf(const std::string& path) const;
};

/// Everything read from one file. Documents with errors that keep them from
/// being read are not runnable; every finding is in `diagnostics`.
struct Manifest {
  std::string file;
  std::vector<Document> documents;
  std::vector<Diagnostic> diagnostics;

  /// The first document that is a runnable Pod, if any.
  const Document* firstPod() const;
  bool hasErrors() const { return core::hasErrors(diagnostics); }
  /// The error-severity diagnostics as Errors (for callers that show them
  /// one at a time), in file order.
  std::vector<Error> errors() const;
  std::optional<Error> firstError() const;
};

}  // namespace podscope::core
