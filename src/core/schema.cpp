#include "core/schema.h"

#include <algorithm>
#include <initializer_list>
#include <utility>

namespace podscope::core {
namespace {

// Builds one FieldSchema in a line: F::str("image", "...").required().
class F {
 public:
  static F str(std::string_view n, std::string_view d) { return F(n, FieldType::String, d); }
  static F i32(std::string_view n, std::string_view d) { return F(n, FieldType::Int32, d); }
  static F i64(std::string_view n, std::string_view d) { return F(n, FieldType::Int64, d); }
  static F boolean(std::string_view n, std::string_view d) { return F(n, FieldType::Bool, d); }
  static F quantity(std::string_view n, std::string_view d) { return F(n, FieldType::Quantity, d); }
  static F intOrStr(std::string_view n, std::string_view d) { return F(n, FieldType::IntOrString, d); }
  static F obj(std::string_view n, std::string_view type, std::string_view d) {
    F f(n, FieldType::Object, d);
    f.m_f.typeName = type;
    return f;
  }
  static F list(std::string_view n, std::string_view type, std::string_view d) {
    F f(n, FieldType::List, d);
    f.m_f.elementType = FieldType::Object;
    f.m_f.typeName = type;
    return f;
  }
  static F strList(std::string_view n, std::string_view d) {
    F f(n, FieldType::List, d);
    f.m_f.elementType = FieldType::String;
    return f;
  }
  static F intList(std::string_view n, std::string_view d) {
    F f(n, FieldType::List, d);
    f.m_f.elementType = FieldType::Int64;
    return f;
  }
  static F strMap(std::string_view n, std::string_view d) { return F(n, FieldType::StringMap, d); }
  static F quantityMap(std::string_view n, std::string_view d) { return F(n, FieldType::QuantityMap, d); }
  static F opaque(std::string_view n, std::string_view d) { return F(n, FieldType::Opaque, d).notModelled(); }

  F&& byDefault(std::string_view value) && {
    m_f.defaultValue = value;
    return std::move(*this);
  }
  F&& oneOf(std::initializer_list<std::string_view> values) && {
    m_f.enumValues = values;
    return std::move(*this);
  }
  F&& notModelled() && {
    m_f.modelled = false;
    return std::move(*this);
  }
  F&& required() && {
    m_f.required = true;
    return std::move(*this);
  }
  operator FieldSchema() && { return std::move(m_f); }  // NOLINT(google-explicit-constructor)

 private:
  F(std::string_view n, FieldType t, std::string_view d) {
    m_f.name = n;
    m_f.type = t;
    m_f.description = d;
  }
  FieldSchema m_f;
};

std::vector<TypeSchema> buildTypes() {
  std::vector<TypeSchema> t;

  t.push_back({"Pod",
               "a pod",
               "A group of containers that share a network namespace and volumes and run on one node.",
               {
                   F::str("apiVersion", "API group and version of the object: v1 for a Pod.").required(),
                   F::str("kind", "Kind of object: Pod.").required(),
                   F::obj("metadata", "ObjectMeta", "Name, namespace, labels and annotations.").required(),
                   F::obj("spec", "PodSpec", "What the pod runs: containers, volumes and policies.").required(),
                   F::opaque("status", "Observed state, written by the cluster; ignored when read."),
               }});

  t.push_back({"Deployment",
               "a deployment",
               "Keeps a number of identical pods running and rolls out changes to them.",
               {
                   F::str("apiVersion", "API group and version of the object: apps/v1 for a Deployment.").required(),
                   F::str("kind", "Kind of object: Deployment.").required(),
                   F::obj("metadata", "ObjectMeta", "Name, namespace, labels and annotations.").required(),
                   F::obj("spec", "DeploymentSpec", "Desired replicas, pod template and rollout strategy.").required(),
                   F::opaque("status", "Observed state, written by the cluster; ignored when read."),
               }});

  t.push_back({"ObjectMeta",
               "metadata",
               "Identity of an object: name, namespace, labels and annotations.",
               {
                   F::str("name", "Name, unique among objects of this kind in the namespace.").required(),
                   F::str("generateName", "Prefix for a name the server generates when name is empty."),
                   F::str("namespace", "Namespace the object lives in; \"default\" when left out."),
                   F::strMap("labels", "Key/value pairs that selectors match on."),
                   F::strMap("annotations", "Key/value notes for tools and people; not used for selection."),
                   F::str("uid", "Unique id the cluster assigns.").notModelled(),
                   F::str("resourceVersion", "Version the cluster stamps on every change.").notModelled(),
                   F::i64("generation", "Number of changes to the desired state, set by the cluster.").notModelled(),
                   F::str("creationTimestamp", "When the object was created, set by the cluster.").notModelled(),
                   F::str("deletionTimestamp", "When deletion was requested, set by the cluster.").notModelled(),
                   F::i64("deletionGracePeriodSeconds", "Grace period of a requested deletion.").notModelled(),
                   F::list("ownerReferences", "OwnerReference", "Objects this one belongs to, for garbage collection.")
                       .notModelled(),
                   F::strList("finalizers", "Conditions that must clear before the object is deleted.").notModelled(),
                   F::list("managedFields", "ManagedFieldsEntry", "Which manager set which fields (server-side apply).")
                       .notModelled(),
                   F::str("selfLink", "Deprecated link to the object; no longer set.").notModelled(),
               }});

  t.push_back(
      {"PodSpec",
       "the pod spec",
       "What a pod runs and how.",
       {
           F::list("containers", "Container", "Containers that run in the pod; at least one.").required(),
           F::list("initContainers", "Container",
                   "Containers run one by one to completion before the others start; restartPolicy: Always "
                   "makes one a sidecar."),
           F::list("volumes", "Volume", "Volumes the containers can mount."),
           F::str("restartPolicy", "When containers are restarted after they exit.")
               .oneOf({"Always", "OnFailure", "Never"})
               .byDefault("Always"),
           F::i64("terminationGracePeriodSeconds",
                  "Seconds between the stop signal and the kill; includes the preStop hook.")
               .byDefault("30"),
           F::i64("activeDeadlineSeconds", "Seconds the pod may be active before it is failed."),
           F::str("hostname", "Hostname inside the pod; the pod's name when left out."),
           F::obj("securityContext", "PodSecurityContext", "User, group and filesystem settings for all containers."),
           F::list("ephemeralContainers", "EphemeralContainer", "Debugging containers added to a running pod.")
               .notModelled(),
           F::list("imagePullSecrets", "LocalObjectReference", "Secrets with registry credentials for pulling images.")
               .notModelled(),
           F::strMap("nodeSelector", "Labels a node must have for the pod to be scheduled there.").notModelled(),
           F::str("nodeName", "Node to run on, bypassing the scheduler.").notModelled(),
           F::obj("affinity", "Affinity", "Node and pod affinity and anti-affinity rules for scheduling.")
               .notModelled(),
           F::list("tolerations", "Toleration", "Node taints the pod tolerates.").notModelled(),
           F::str("serviceAccountName", "Service account the pod runs as.").notModelled(),
           F::str("serviceAccount", "Deprecated alias of serviceAccountName.").notModelled(),
           F::boolean("automountServiceAccountToken", "Whether the service account token is mounted.").notModelled(),
           F::str("dnsPolicy", "How DNS is set up for the pod.")
               .oneOf({"ClusterFirstWithHostNet", "ClusterFirst", "Default", "None"})
               .byDefault("ClusterFirst")
               .notModelled(),
           F::obj("dnsConfig", "PodDNSConfig", "Extra DNS nameservers, searches and options.").notModelled(),
           F::boolean("hostNetwork", "Use the node's network namespace.").notModelled(),
           F::boolean("hostPID", "Use the node's process namespace.").notModelled(),
           F::boolean("hostIPC", "Use the node's IPC namespace.").notModelled(),
           F::boolean("hostUsers", "Use the node's user namespace; false isolates users.").notModelled(),
           F::boolean("shareProcessNamespace", "Let containers see each other's processes.").notModelled(),
           F::str("subdomain", "Subdomain for the pod's DNS name, with hostname.").notModelled(),
           F::boolean("setHostnameAsFQDN", "Use the fully qualified domain name as hostname.").notModelled(),
           F::list("hostAliases", "HostAlias", "Extra /etc/hosts entries.").notModelled(),
           F::str("priorityClassName", "Priority class for scheduling and preemption.").notModelled(),
           F::i32("priority", "Priority value, set from priorityClassName.").notModelled(),
           F::str("preemptionPolicy", "Whether the pod may preempt lower-priority pods.")
               .oneOf({"PreemptLowerPriority", "Never"})
               .notModelled(),
           F::str("schedulerName", "Scheduler that places the pod.").byDefault("default-scheduler").notModelled(),
           F::list("readinessGates", "PodReadinessGate", "Extra conditions that must be true for readiness.")
               .notModelled(),
           F::str("runtimeClassName", "Runtime class that runs the containers.").notModelled(),
           F::boolean("enableServiceLinks", "Put service addresses into environment variables.")
               .byDefault("true")
               .notModelled(),
           F::quantityMap("overhead", "Resources the pod's sandbox uses, set from the runtime class.").notModelled(),
           F::list("topologySpreadConstraints", "TopologySpreadConstraint",
                   "How pods are spread across zones, nodes or other domains.")
               .notModelled(),
           F::obj("os", "PodOS", "Operating system the pod needs.").notModelled(),
           F::list("schedulingGates", "PodSchedulingGate", "Gates that hold the pod back from scheduling.")
               .notModelled(),
           F::list("resourceClaims", "PodResourceClaim", "Dynamic resources the pod claims.").notModelled(),
       }});

  t.push_back(
      {"Container",
       "a container",
       "One container of a pod: image, command, ports, probes and hooks.",
       {
           F::str("name", "Name, unique within the pod (DNS label).").required(),
           F::str("image", "Image to run, e.g. nginx:1.27 or registry.example/app@sha256:...").required(),
           F::str("imagePullPolicy",
                  "When to pull the image; Always for :latest or untagged images, else IfNotPresent, when "
                  "left out.")
               .oneOf({"Always", "IfNotPresent", "Never"}),
           F::strList("command", "Replaces the image's ENTRYPOINT; not run in a shell."),
           F::strList("args", "Replaces the image's CMD; $(VAR) expands from env."),
           F::str("workingDir", "Working directory; the image's when left out."),
           F::list("ports", "ContainerPort", "Ports the container listens on (informational)."),
           F::list("env", "EnvVar", "Environment variables."),
           F::obj("resources", "ResourceRequirements", "CPU and memory requests and limits."),
           F::list("volumeMounts", "VolumeMount", "Pod volumes mounted into the container."),
           F::obj("livenessProbe", "Probe", "Restarts the container when it fails."),
           F::obj("readinessProbe", "Probe", "Takes the pod out of service while it fails."),
           F::obj("startupProbe", "Probe", "Holds the other probes back until it succeeds once."),
           F::obj("lifecycle", "Lifecycle", "Hooks run after start and before stop."),
           F::str("restartPolicy", "Only on init containers: Always makes it a sidecar that keeps running.")
               .oneOf({"Always"}),
           F::str("terminationMessagePath", "File whose contents become the termination message.")
               .byDefault("/dev/termination-log"),
           F::str("terminationMessagePolicy",
                  "Where the termination message comes from; FallbackToLogsOnError uses the log tail on error.")
               .oneOf({"File", "FallbackToLogsOnError"})
               .byDefault("File"),
           F::obj("securityContext", "SecurityContext", "Privileges and user for this container."),
           F::list("envFrom", "EnvFromSource", "Environment variables from whole ConfigMaps or Secrets.").notModelled(),
           F::boolean("stdin", "Keep a stdin buffer open.").notModelled(),
           F::boolean("stdinOnce", "Close stdin after the first attach ends.").notModelled(),
           F::boolean("tty", "Allocate a terminal.").notModelled(),
           F::list("resizePolicy", "ContainerResizePolicy", "Whether resizing a resource restarts the container.")
               .notModelled(),
           F::list("volumeDevices", "VolumeDevice", "Raw block devices from volumes.").notModelled(),
       }});

  t.push_back({"ContainerPort",
               "a container port",
               "A port a container listens on.",
               {
                   F::str("name", "Name that probes and services can use instead of the number (IANA service name)."),
                   F::i32("containerPort", "Port number inside the pod, 1-65535.").required(),
                   F::i32("hostPort", "Port on the node mapped to containerPort."),
                   F::str("protocol", "Transport protocol.").oneOf({"SCTP", "TCP", "UDP"}).byDefault("TCP"),
                   F::str("hostIP", "Node address hostPort binds to."),
               }});

  t.push_back(
      {"EnvVar",
       "an environment variable",
       "One environment variable of a container.",
       {
           F::str("name", "Variable name.").required(),
           F::str("value", "Value; $(VAR) expands from earlier variables."),
           F::obj("valueFrom", "EnvVarSource", "Take the value from a ConfigMap, Secret, pod field or resource."),
       }});

  t.push_back({"EnvVarSource",
               "an environment variable source",
               "Where an environment variable's value comes from.",
               {
                   F::obj("configMapKeyRef", "ConfigMapKeySelector", "A key of a ConfigMap.").notModelled(),
                   F::obj("secretKeyRef", "SecretKeySelector", "A key of a Secret.").notModelled(),
                   F::obj("fieldRef", "ObjectFieldSelector", "A field of the pod, e.g. metadata.name.").notModelled(),
                   F::obj("resourceFieldRef", "ResourceFieldSelector", "A container's resource request or limit.")
                       .notModelled(),
               }});

  t.push_back({"ConfigMapKeySelector",
               "a ConfigMap key reference",
               "A key of a ConfigMap.",
               {
                   F::str("name", "ConfigMap name.").notModelled(),
                   F::str("key", "Key in the ConfigMap.").required().notModelled(),
                   F::boolean("optional", "Whether a missing ConfigMap or key is fine.").notModelled(),
               }});

  t.push_back({"SecretKeySelector",
               "a Secret key reference",
               "A key of a Secret.",
               {
                   F::str("name", "Secret name.").notModelled(),
                   F::str("key", "Key in the Secret.").required().notModelled(),
                   F::boolean("optional", "Whether a missing Secret or key is fine.").notModelled(),
               }});

  t.push_back({"ObjectFieldSelector",
               "a pod field reference",
               "A field of the pod.",
               {
                   F::str("apiVersion", "Version the field path is written in.").byDefault("v1").notModelled(),
                   F::str("fieldPath", "Path of the field, e.g. status.podIP.").required().notModelled(),
               }});

  t.push_back({"ResourceFieldSelector",
               "a resource reference",
               "A container's resource request or limit.",
               {
                   F::str("containerName", "Container whose resources are read; this one when left out.").notModelled(),
                   F::str("resource", "Resource, e.g. limits.memory.").required().notModelled(),
                   F::quantity("divisor", "Unit the value is expressed in.").notModelled(),
               }});

  t.push_back(
      {"ResourceRequirements",
       "resource requirements",
       "Requests and limits of compute resources.",
       {
           F::quantityMap("limits", "Most of each resource the container may use."),
           F::quantityMap("requests", "Resources reserved for scheduling; equal to limits for each resource left out."),
           F::list("claims", "ResourceClaim", "Dynamic resource claims of the pod this container uses.").notModelled(),
       }});

  t.push_back({"VolumeMount",
               "a volume mount",
               "Where a pod volume appears in a container.",
               {
                   F::str("name", "Name of the pod volume.").required(),
                   F::str("mountPath", "Path in the container; must not contain ':'.").required(),
                   F::boolean("readOnly", "Mount read-only."),
                   F::str("subPath", "Path inside the volume to mount instead of its root."),
                   F::str("subPathExpr", "Like subPath, with $(VAR) expanded from env.").notModelled(),
                   F::str("mountPropagation", "How mounts propagate between host and container.")
                       .oneOf({"None", "HostToContainer", "Bidirectional"})
                       .notModelled(),
                   F::str("recursiveReadOnly", "Whether readOnly also applies to submounts.")
                       .oneOf({"Disabled", "IfPossible", "Enabled"})
                       .notModelled(),
               }});

  t.push_back(
      {"Volume",
       "a volume",
       "A named volume of the pod and the one source it comes from.",
       {
           F::str("name", "Name that volumeMounts refer to (DNS label).").required(),
           F::obj("emptyDir", "EmptyDirVolumeSource", "An empty directory that lives as long as the pod."),
           F::obj("hostPath", "HostPathVolumeSource", "A file or directory of the node."),
           F::obj("configMap", "ConfigMapVolumeSource", "Keys of a ConfigMap as files.").notModelled(),
           F::obj("secret", "SecretVolumeSource", "Keys of a Secret as files.").notModelled(),
           F::obj("persistentVolumeClaim", "PersistentVolumeClaimVolumeSource", "A claimed persistent volume.")
               .notModelled(),
           F::obj("projected", "ProjectedVolumeSource", "Several sources merged into one directory.").notModelled(),
           F::obj("downwardAPI", "DownwardAPIVolumeSource", "Pod fields as files.").notModelled(),
           F::obj("ephemeral", "EphemeralVolumeSource", "A volume claimed for the pod's lifetime.").notModelled(),
           F::obj("csi", "CSIVolumeSource", "A volume from a CSI driver.").notModelled(),
           F::obj("nfs", "NFSVolumeSource", "An NFS export.").notModelled(),
           F::obj("iscsi", "ISCSIVolumeSource", "An iSCSI disk.").notModelled(),
           F::obj("fc", "FCVolumeSource", "A Fibre Channel disk.").notModelled(),
           F::obj("rbd", "RBDVolumeSource", "A Ceph RBD image.").notModelled(),
           F::obj("cephfs", "CephFSVolumeSource", "A CephFS mount.").notModelled(),
           F::obj("glusterfs", "GlusterfsVolumeSource", "A GlusterFS mount.").notModelled(),
           F::obj("gitRepo", "GitRepoVolumeSource", "Deprecated: a cloned git repository.").notModelled(),
           F::obj("image", "ImageVolumeSource", "Contents of an OCI image.").notModelled(),
           F::obj("awsElasticBlockStore", "AWSElasticBlockStoreVolumeSource", "Deprecated: an AWS EBS disk.")
               .notModelled(),
           F::obj("gcePersistentDisk", "GCEPersistentDiskVolumeSource", "Deprecated: a GCE persistent disk.")
               .notModelled(),
           F::obj("azureDisk", "AzureDiskVolumeSource", "Deprecated: an Azure data disk.").notModelled(),
           F::obj("azureFile", "AzureFileVolumeSource", "Deprecated: an Azure file share.").notModelled(),
           F::obj("cinder", "CinderVolumeSource", "Deprecated: an OpenStack Cinder volume.").notModelled(),
           F::obj("vsphereVolume", "VsphereVirtualDiskVolumeSource", "Deprecated: a vSphere disk.").notModelled(),
           F::obj("flexVolume", "FlexVolumeSource", "Deprecated: a FlexVolume driver.").notModelled(),
           F::obj("flocker", "FlockerVolumeSource", "Deprecated: a Flocker dataset.").notModelled(),
           F::obj("quobyte", "QuobyteVolumeSource", "Deprecated: a Quobyte volume.").notModelled(),
           F::obj("photonPersistentDisk", "PhotonPersistentDiskVolumeSource", "Deprecated: a Photon disk.")
               .notModelled(),
           F::obj("portworxVolume", "PortworxVolumeSource", "Deprecated: a Portworx volume.").notModelled(),
           F::obj("scaleIO", "ScaleIOVolumeSource", "Deprecated: a ScaleIO volume.").notModelled(),
           F::obj("storageos", "StorageOSVolumeSource", "Deprecated: a StorageOS volume.").notModelled(),
       }});

  t.push_back({"EmptyDirVolumeSource",
               "an emptyDir volume",
               "An empty directory that lives as long as the pod.",
               {
                   F::str("medium", "Backing storage: empty for the node's disk, Memory for tmpfs."),
                   F::quantity("sizeLimit", "Most space the directory may use."),
               }});

  t.push_back({"HostPathVolumeSource",
               "a hostPath volume",
               "A file or directory of the node.",
               {
                   F::str("path", "Path on the node.").required(),
                   F::str("type", "What must exist at path; empty checks nothing.")
                       .oneOf({"", "DirectoryOrCreate", "Directory", "FileOrCreate", "File", "Socket", "CharDevice",
                               "BlockDevice"}),
               }});

  t.push_back(
      {"Probe",
       "a probe",
       "A periodic check of a container: one handler plus timing.",
       {
           F::obj("exec", "ExecAction", "Run a command in the container; exit 0 is success."),
           F::obj("httpGet", "HTTPGetAction", "HTTP GET; a status from 200 to 399 is success."),
           F::obj("tcpSocket", "TCPSocketAction", "Open a TCP connection; connecting is success."),
           F::obj("grpc", "GRPCAction", "gRPC health check; SERVING is success."),
           F::i32("initialDelaySeconds", "Seconds after the container starts before the first probe; 0 when left out."),
           F::i32("timeoutSeconds", "Seconds before one probe attempt times out.").byDefault("1"),
           F::i32("periodSeconds", "Seconds between probe attempts.").byDefault("10"),
           F::i32("successThreshold",
                  "Successes in a row that count as passing after a failure; 1 for liveness and startup.")
               .byDefault("1"),
           F::i32("failureThreshold", "Failures in a row that count as failing.").byDefault("3"),
           F::i64("terminationGracePeriodSeconds",
                  "Grace period used when this probe's failure kills the container; overrides the pod's."),
       }});

  t.push_back({"ExecAction",
               "an exec action",
               "A command run inside the container.",
               {
                   F::strList("command", "Command and arguments; not run in a shell."),
               }});

  t.push_back(
      {"HTTPGetAction",
       "an HTTP GET action",
       "An HTTP GET request to the container.",
       {
           F::str("path", "Request path.").byDefault("/"),
           F::intOrStr("port", "Port number or a container port's name.").required(),
           F::str("host", "Host to connect to; the pod's IP when left out."),
           F::str("scheme", "HTTP or HTTPS; certificates are not verified.").oneOf({"HTTP", "HTTPS"}).byDefault("HTTP"),
           F::list("httpHeaders", "HTTPHeader", "Extra request headers."),
       }});

  t.push_back({"HTTPHeader",
               "an HTTP header",
               "One request header.",
               {
                   F::str("name", "Header name.").required(),
                   F::str("value", "Header value.").required(),
               }});

  t.push_back({"TCPSocketAction",
               "a TCP socket action",
               "A TCP connection to the container.",
               {
                   F::intOrStr("port", "Port number or a container port's name.").required(),
                   F::str("host", "Host to connect to; the pod's IP when left out."),
               }});

  t.push_back({"GRPCAction",
               "a gRPC action",
               "A gRPC health check (grpc.health.v1).",
               {
                   F::i32("port", "Port number of the gRPC service.").required(),
                   F::str("service", "Service name sent in the request; empty checks the whole server."),
               }});

  t.push_back({"SleepAction",
               "a sleep action",
               "A pause of the hook, without running anything in the container.",
               {
                   F::i64("seconds", "Seconds to sleep.").required(),
               }});

  t.push_back(
      {"Lifecycle",
       "lifecycle hooks",
       "Actions run right after a container starts and before it stops.",
       {
           F::obj("postStart", "LifecycleHandler",
                  "Runs right after the container is created; the container is not running until it ends."),
           F::obj("preStop", "LifecycleHandler", "Runs before the stop signal; counts against the grace period."),
       }});

  t.push_back({"LifecycleHandler",
               "a lifecycle hook",
               "One hook action.",
               {
                   F::obj("exec", "ExecAction", "Run a command in the container."),
                   F::obj("httpGet", "HTTPGetAction", "Send an HTTP GET request."),
                   F::obj("tcpSocket", "TCPSocketAction", "Deprecated: accepted, but the kubelet never runs it."),
                   F::obj("sleep", "SleepAction", "Sleep for some seconds."),
               }});

  t.push_back(
      {"SecurityContext",
       "a container security context",
       "Privileges and identity of one container.",
       {
           F::i64("runAsUser", "User id the process runs as."),
           F::i64("runAsGroup", "Group id the process runs as."),
           F::boolean("runAsNonRoot", "Refuse to start the container as root."),
           F::boolean("privileged", "Run with all host privileges."),
           F::boolean("readOnlyRootFilesystem", "Mount the root filesystem read-only."),
           F::boolean("allowPrivilegeEscalation", "Whether a process may gain more privileges than its parent."),
           F::obj("capabilities", "Capabilities", "Linux capabilities to add and drop.").notModelled(),
           F::obj("seLinuxOptions", "SELinuxOptions", "SELinux context.").notModelled(),
           F::obj("seccompProfile", "SeccompProfile", "Seccomp profile.").notModelled(),
           F::obj("appArmorProfile", "AppArmorProfile", "AppArmor profile.").notModelled(),
           F::str("procMount", "Which /proc mount type to use.").oneOf({"Default", "Unmasked"}).notModelled(),
           F::obj("windowsOptions", "WindowsSecurityContextOptions", "Windows-only settings.").notModelled(),
       }});

  t.push_back({"PodSecurityContext",
               "the pod security context",
               "Identity and filesystem settings for all containers.",
               {
                   F::i64("runAsUser", "User id the containers run as."),
                   F::i64("runAsGroup", "Group id the containers run as."),
                   F::boolean("runAsNonRoot", "Refuse to start containers as root."),
                   F::i64("fsGroup", "Group that owns volumes and is added to every process."),
                   F::intList("supplementalGroups", "Extra groups added to every process.").notModelled(),
                   F::str("supplementalGroupsPolicy", "How supplementalGroups combine with the image's groups.")
                       .oneOf({"Merge", "Strict"})
                       .notModelled(),
                   F::str("fsGroupChangePolicy", "When volume ownership is changed to fsGroup.")
                       .oneOf({"OnRootMismatch", "Always"})
                       .notModelled(),
                   F::obj("seLinuxOptions", "SELinuxOptions", "SELinux context.").notModelled(),
                   F::obj("seccompProfile", "SeccompProfile", "Seccomp profile.").notModelled(),
                   F::obj("appArmorProfile", "AppArmorProfile", "AppArmor profile.").notModelled(),
                   F::list("sysctls", "Sysctl", "Namespaced kernel parameters.").notModelled(),
                   F::obj("windowsOptions", "WindowsSecurityContextOptions", "Windows-only settings.").notModelled(),
               }});

  t.push_back(
      {"DeploymentSpec",
       "the deployment spec",
       "How many pods, from which template, rolled out how.",
       {
           F::i32("replicas", "Number of pods to keep running.").byDefault("1"),
           F::obj("selector", "LabelSelector", "Which pods belong to the deployment; must match the template's labels.")
               .required(),
           F::obj("template", "PodTemplateSpec", "The pods to create; changing it starts a rollout.").required(),
           F::obj("strategy", "DeploymentStrategy", "How old pods are replaced by new ones."),
           F::i32("minReadySeconds", "Seconds a new pod must be ready before it counts as available; 0 when left out."),
           F::i32("revisionHistoryLimit", "Old ReplicaSets kept for rollback.").byDefault("10"),
           F::i32("progressDeadlineSeconds", "Seconds without progress before the rollout is reported as stalled.")
               .byDefault("600"),
           F::boolean("paused", "Hold rollouts of template changes."),
       }});

  t.push_back({"DeploymentStrategy",
               "the deployment strategy",
               "How a deployment replaces old pods.",
               {
                   F::str("type", "Recreate stops all old pods first; RollingUpdate replaces them gradually.")
                       .oneOf({"Recreate", "RollingUpdate"})
                       .byDefault("RollingUpdate"),
                   F::obj("rollingUpdate", "RollingUpdateDeployment",
                          "Limits of a rolling update; only with type RollingUpdate."),
               }});

  t.push_back(
      {"RollingUpdateDeployment",
       "the rolling update settings",
       "How fast a rolling update may go.",
       {
           F::intOrStr("maxUnavailable", "Pods that may be unavailable during the update: a number or a percentage.")
               .byDefault("25%"),
           F::intOrStr("maxSurge", "Pods that may exist above replicas during the update: a number or a percentage.")
               .byDefault("25%"),
       }});

  t.push_back({"LabelSelector",
               "a label selector",
               "Matches objects by their labels; all terms must hold.",
               {
                   F::strMap("matchLabels", "Labels that must be present with exactly these values."),
                   F::list("matchExpressions", "LabelSelectorRequirement", "Set-based requirements on labels."),
               }});

  t.push_back({"LabelSelectorRequirement",
               "a label selector requirement",
               "One set-based requirement on a label.",
               {
                   F::str("key", "Label key.").required(),
                   F::str("operator", "How the label's value relates to values.")
                       .oneOf({"In", "NotIn", "Exists", "DoesNotExist"})
                       .required(),
                   F::strList("values", "Values for In and NotIn; empty for Exists and DoesNotExist."),
               }});

  t.push_back(
      {"PodTemplateSpec",
       "the pod template",
       "The pods a controller creates.",
       {
           F::obj("metadata", "ObjectMeta", "Labels and annotations of the pods; labels must match the selector."),
           F::obj("spec", "PodSpec", "What the pods run."),
       }});

  return t;
}

struct Segment {
  std::string_view name;
  bool indexed = false;  ///< followed by [..]
};

// Splits "spec.containers[0].env[1]" into names and whether each is indexed.
// A bracket holds a list index or a map key; keys may contain dots.
bool splitPath(std::string_view path, std::vector<Segment>& out) {
  std::size_t i = 0;
  while (i < path.size()) {
    std::size_t end = path.find_first_of(".[", i);
    if (end == std::string_view::npos) end = path.size();
    Segment s{path.substr(i, end - i), false};
    if (s.name.empty()) return false;
    i = end;
    while (i < path.size() && path[i] == '[') {
      std::size_t close = path.find(']', i);
      if (close == std::string_view::npos) return false;
      if (s.indexed) return false;  // no lists of lists in these types
      s.indexed = true;
      i = close + 1;
    }
    out.push_back(s);
    if (i < path.size()) {
      if (path[i] != '.') return false;
      ++i;
      if (i == path.size()) return false;
    }
  }
  return true;
}

struct PathTarget {
  const TypeSchema* type = nullptr;    ///< the object at the path, when it is one
  const FieldSchema* field = nullptr;  ///< the field named by the last segment
  bool valid = false;
};

PathTarget resolvePath(std::string_view kind, std::string_view path) {
  PathTarget target;
  target.type = rootType(kind);
  if (!target.type) return {};
  std::vector<Segment> segments;
  if (!splitPath(path, segments)) return {};
  for (const Segment& s : segments) {
    if (!target.type) return {};
    const FieldSchema* f = target.type->field(s.name);
    if (!f) return {};
    target.field = f;
    const bool objectList = f->type == FieldType::List && f->elementType == FieldType::Object;
    if (s.indexed && f->type != FieldType::List) return {};
    if (f->type == FieldType::Object || objectList) {
      target.type = findType(f->typeName);
    } else {
      target.type = nullptr;
    }
  }
  target.valid = true;
  return target;
}

void collectPaths(const TypeSchema& type, std::string_view field, const std::string& prefix, int depth,
                  std::vector<std::pair<int, std::string>>& out) {
  // The described types do not nest recursively; the bound guards against
  // a future table that does.
  if (depth > 16) return;
  for (const FieldSchema& f : type.fields) {
    std::string path = prefix.empty() ? std::string(f.name) : prefix + "." + std::string(f.name);
    if (f.name == field) out.emplace_back(depth, path);
    const bool objectList = f.type == FieldType::List && f.elementType == FieldType::Object;
    if (f.type != FieldType::Object && !objectList) continue;
    const TypeSchema* child = findType(f.typeName);
    if (!child) continue;
    collectPaths(*child, field, objectList ? path + "[*]" : path, depth + 1, out);
  }
}

}  // namespace

std::string_view toString(FieldType type) {
  switch (type) {
    case FieldType::String:
      return "string";
    case FieldType::Int32:
      return "int32";
    case FieldType::Int64:
      return "int64";
    case FieldType::Bool:
      return "boolean";
    case FieldType::Quantity:
      return "Quantity";
    case FieldType::IntOrString:
      return "IntOrString";
    case FieldType::Object:
      return "object";
    case FieldType::List:
      return "list";
    case FieldType::StringMap:
      return "map[string]string";
    case FieldType::QuantityMap:
      return "map[string]Quantity";
    case FieldType::Opaque:
      return "any";
  }
  return "";
}

std::string FieldSchema::typeLabel() const {
  switch (type) {
    case FieldType::Object:
      return std::string(typeName);
    case FieldType::List:
      return "[]" + std::string(elementType == FieldType::Object ? typeName : toString(elementType));
    case FieldType::String:
    case FieldType::Int32:
    case FieldType::Int64:
    case FieldType::Bool:
    case FieldType::Quantity:
    case FieldType::IntOrString:
    case FieldType::StringMap:
    case FieldType::QuantityMap:
    case FieldType::Opaque:
      return std::string(toString(type));
  }
  return "";
}

const FieldSchema* TypeSchema::field(std::string_view fieldName) const {
  auto it = std::find_if(fields.begin(), fields.end(), [&](const FieldSchema& f) { return f.name == fieldName; });
  return it == fields.end() ? nullptr : &*it;
}

const std::vector<TypeSchema>& allTypes() {
  static const std::vector<TypeSchema> kTypes = buildTypes();
  return kTypes;
}

const TypeSchema* findType(std::string_view typeName) {
  const std::vector<TypeSchema>& types = allTypes();
  auto it = std::find_if(types.begin(), types.end(), [&](const TypeSchema& t) { return t.name == typeName; });
  return it == types.end() ? nullptr : &*it;
}

const TypeSchema* rootType(std::string_view kind) {
  if (kind != "Pod" && kind != "Deployment") return nullptr;
  return findType(kind);
}

const TypeSchema* typeForPath(std::string_view kind, std::string_view path) {
  PathTarget t = resolvePath(kind, path);
  return t.valid ? t.type : nullptr;
}

const FieldSchema* fieldForPath(std::string_view kind, std::string_view path) {
  PathTarget t = resolvePath(kind, path);
  return t.valid ? t.field : nullptr;
}

std::vector<std::string> pathsDefiningField(std::string_view kind, std::string_view field) {
  const TypeSchema* root = rootType(kind);
  if (!root) return {};
  std::vector<std::pair<int, std::string>> found;
  collectPaths(*root, field, "", 0, found);
  std::stable_sort(found.begin(), found.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<std::string> out;
  out.reserve(found.size());
  for (auto& [depth, path] : found) out.push_back(std::move(path));
  return out;
}

std::vector<std::string_view> fieldNamesOf(std::string_view kind) {
  std::vector<std::string_view> names;
  const TypeSchema* root = rootType(kind);
  if (!root) return names;
  std::vector<const TypeSchema*> pending{root};
  std::vector<const TypeSchema*> seen;
  while (!pending.empty()) {
    const TypeSchema* type = pending.back();
    pending.pop_back();
    if (std::find(seen.begin(), seen.end(), type) != seen.end()) continue;
    seen.push_back(type);
    for (const FieldSchema& f : type->fields) {
      if (std::find(names.begin(), names.end(), f.name) == names.end()) names.push_back(f.name);
      if (const TypeSchema* child = f.typeName.empty() ? nullptr : findType(f.typeName)) pending.push_back(child);
    }
  }
  return names;
}

}  // namespace podscope::core
