#pragma once
// The container runtime seam, shaped after the CRI: the engine decides, a
// Runtime does. Implementations: runtime/simulated (virtual time) and
// runtime/containerd (native gRPC API); tests use a recording fake.
//
// Thread contract: every method is called on the engine thread and must not
// block; every callback (and the exit handler) is invoked on the engine
// thread, posted through the Executor the runtime was built with.

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/manifest.h"
#include "core/run_record.h"
#include "core/result.h"
#include "engine/clock.h"

namespace podscope::engine {

template <typename T>
using Callback = std::function<void(core::Result<T>)>;
using StatusCallback = std::function<void(core::Status)>;

using SandboxId = std::string;
using ContainerId = std::string;

struct SandboxConfig {
  std::string podName;
  std::string podNamespace;
  std::string podUid;
  std::string hostname;  ///< the pod's name, as the kubelet sets it
  /// The pod's annotations, as the CRI passes them to a runtime (the
  /// simulator reads its scenario from `podscope.dev/simulate`).
  std::map<std::string, std::string> annotations;
};

struct ImageInfo {
  std::string reference;  ///< fully qualified, e.g. docker.io/library/busybox:latest
  std::string id;         ///< the image's config digest, when known
  bool present = false;   ///< already on this machine
  /// After a pull: how long the pull itself took (without waiting for
  /// earlier pulls), when the runtime measured it.
  std::optional<Duration> pullDuration;
  /// After a pull: the image's size in bytes as the runtime reports it
  /// (the kubelet's "Image size: N bytes."), 0 when unknown.
  std::int64_t size = 0;
};

/// A pod volume mounted into a container. emptyDir volumes live as long
/// as the pod and are shared by its containers; hostPath volumes are the
/// host's own files.
struct VolumeMountConfig {
  enum class Source { EmptyDir, HostPath };
  std::string volume;  ///< the pod's volume name
  Source source = Source::EmptyDir;
  bool memory = false;         ///< emptyDir.medium: Memory (a tmpfs)
  std::string hostPath;        ///< hostPath.path
  std::string hostPathType;    ///< hostPath.type: "", Directory, DirectoryOrCreate, File, FileOrCreate, Socket, ...
  std::string mountPath;
  std::string subPath;
  bool readOnly = false;
};

/// resources.limits and requests as cgroup settings.
struct ResourceLimits {
  std::optional<std::int64_t> memoryBytes;       ///< limits.memory
  std::optional<std::int64_t> cpuLimitMillis;    ///< limits.cpu
  std::optional<std::int64_t> cpuRequestMillis;  ///< requests.cpu (CPU shares)
};

struct ContainerConfig {
  std::string name;
  std::string image;  ///< as written in the manifest; the runtime resolves it
  /// The image's id (config digest) as inspectImage or pullImage just
  /// reported it, so the runtime need not look the image up again; empty
  /// when unknown.
  std::string imageId;
  std::vector<std::string> command;
  std::vector<std::string> args;
  bool init = false;
  int attempt = 0;      ///< restart count of this container when created
  std::string logPath;  ///< where stdout/stderr go; empty discards them
  /// Where the container may write why it ended (spec.terminationMessagePath).
  std::string terminationMessagePath = "/dev/termination-log";
  /// The manifest's environment, resolved, in order; the runtime puts it
  /// after the image's (a name in both takes the manifest's value).
  std::vector<std::pair<std::string, std::string>> env;
  std::string workingDir;  ///< empty: the image's
  /// securityContext, the container's over the pod's; unset: the image's user.
  std::optional<std::int64_t> runAsUser;
  std::optional<std::int64_t> runAsGroup;
  std::vector<VolumeMountConfig> mounts;
  ResourceLimits resources;
  std::vector<std::string> ports;  ///< recorded, e.g. "http:8080/TCP"
};

/// Which probe or hook a handler call is for (the record's AttemptKind). A
/// real runtime ignores it; the simulator uses it to play a scenario
/// ("readiness fails until 12s").
using HandlerPurpose = core::AttemptKind;

/// A command run inside a running container, like CRI ExecSync: no shell
/// unless argv asks for one.
struct ExecRequest {
  std::vector<std::string> argv;
  /// Kill the command and report `timedOut` after this long; unset waits
  /// as long as it takes (hooks).
  std::optional<Duration> timeout;
  /// Keep at most this many bytes of output (the last ones are dropped).
  size_t maxOutput = 10 * 1024;
  HandlerPurpose purpose = HandlerPurpose::LivenessProbe;
};

struct ExecResult {
  int exitCode = 0;
  std::string output;     ///< stdout and stderr as they interleaved
  bool timedOut = false;  ///< the command was killed at the timeout
};

/// One HTTP GET from inside the pod's network (redirects are not followed:
/// the engine decides which ones to follow, as the kubelet does).
struct HttpRequest {
  std::string scheme = "http";  ///< "http" or "https"; https skips certificate checks
  std::string host;             ///< an IP or name; the pod's IP by default (set by the engine)
  int port = 80;
  std::string path = "/";       ///< with any query string
  std::vector<std::pair<std::string, std::string>> headers;  ///< in order; "Host" sets the host
  std::optional<Duration> timeout;  ///< for the whole request including the body
  size_t maxBody = 10 * 1024;
  HandlerPurpose purpose = HandlerPurpose::ReadinessProbe;
};

struct HttpResponse {
  int statusCode = 0;
  std::string location;  ///< the Location header, if any
  std::string body;      ///< at most maxBody bytes
};

struct TcpRequest {
  std::string host;  ///< the pod's IP by default (set by the engine)
  int port = 0;
  Duration timeout{0};
  HandlerPurpose purpose = HandlerPurpose::ReadinessProbe;
};

/// A grpc.health.v1.Health/Check call in plaintext.
struct GrpcRequest {
  std::string host;  ///< the pod's IP (set by the engine)
  int port = 0;
  std::string service;
  Duration timeout{0};
  HandlerPurpose purpose = HandlerPurpose::ReadinessProbe;
};

struct GrpcResponse {
  /// The serving status by name: "SERVING", "NOT_SERVING", "UNKNOWN",
  /// "SERVICE_UNKNOWN".
  std::string status;
};

/// How a container's process ended.
struct ContainerExit {
  int exitCode = 0;
  int signal = 0;          ///< the signal that killed it, 0 if it exited
  bool oomKilled = false;  ///< the kernel's OOM killer ended it
  /// The last 4096 bytes of the file at terminationMessagePath, when the
  /// container wrote one (the kubelet reads the tail, not the head).
  std::optional<std::string> terminationMessage;
  /// The last 80 lines of the container's output, at most 2048 bytes, for
  /// terminationMessagePolicy FallbackToLogsOnError; unset when the runtime
  /// keeps no output.
  std::optional<std::string> logTail;
  /// The runtime no longer knows the container (it vanished while the
  /// runtime was unreachable): the kubelet reports such an instance as
  /// terminated, reason ContainerStatusUnknown, exit code 137.
  bool lost = false;
};

/// Whether the runtime can be reached, as the kubelet's runtime status
/// check sees it. While it cannot, the kubelet syncs no pod, and pods show
/// phase Unknown.
struct RuntimeHealth {
  bool reachable = true;
  /// Why it cannot be reached ("containerd at /run/containerd/containerd.sock
  /// is not reachable: connection refused"); empty when reachable.
  std::string message;
};

/// The kubelet's limits on termination messages (container/runtime.go).
inline constexpr size_t kMaxTerminationMessageLength = 4096;
inline constexpr size_t kMaxTerminationMessageLogLines = 80;
inline constexpr size_t kMaxTerminationMessageLogLength = 2048;

/// The last `maxLines` lines of `text`, then at most its last `maxBytes`
/// bytes, as the kubelet cuts a log for a termination message.
std::string tailForTerminationMessage(const std::string& text, size_t maxLines = kMaxTerminationMessageLogLines,
                                      size_t maxBytes = kMaxTerminationMessageLogLength);

class Runtime {
 public:
  using ExitHandler = std::function<void(const ContainerId&, const ContainerExit&)>;

  virtual ~Runtime() = default;

  /// "simulated", "containerd 1.6.20", ... for records and status lines.
  virtual std::string name() const = 0;

  using NoteHandler = std::function<void(const ContainerId&, const std::string&)>;
  using HealthHandler = std::function<void(const RuntimeHealth&)>;

  /// Called whenever a started container's main process ends.
  void setExitHandler(ExitHandler handler) { m_exitHandler = std::move(handler); }
  /// Called with things the runtime wants the user to know about a
  /// container that are not state changes (e.g. a simulator's assumptions).
  void setNoteHandler(NoteHandler handler) { m_noteHandler = std::move(handler); }
  /// Called when the runtime stops answering and when it answers again;
  /// calls in between fail. Exits that happened meanwhile arrive after
  /// the call that says it is reachable again.
  void setHealthHandler(HealthHandler handler) { m_healthHandler = std::move(handler); }

  /// A hint when a pod starts: the images its containers use, so a runtime
  /// may look them up while the sandbox is made. inspectImage() is still
  /// called for each; nothing may depend on this having happened.
  virtual void prepareImages(const std::vector<std::string>& images) { (void)images; }
  /// Looks the image up locally. Not finding it is not an error
  /// (`present == false`); failing to ask is.
  virtual void inspectImage(const std::string& image, Callback<ImageInfo> done) = 0;
  /// Fetches the image; an error says why and what to do instead.
  virtual void pullImage(const std::string& image, Callback<ImageInfo> done) = 0;

  virtual void createSandbox(const SandboxConfig& config, Callback<SandboxId> done) = 0;
  virtual void removeSandbox(const SandboxId& sandbox, StatusCallback done) = 0;

  virtual void createContainer(const SandboxId& sandbox, const ContainerConfig& config,
                               Callback<ContainerId> done) = 0;
  /// Succeeds once the process runs; its end arrives through the exit handler.
  virtual void startContainer(const ContainerId& container, StatusCallback done) = 0;
  /// Sends `signal` to the container's main process. SIGTERM means "stop":
  /// a runtime sends the image's stop signal instead, when it has one.
  virtual void killContainer(const ContainerId& container, int signal, StatusCallback done) = 0;
  /// The signal a SIGTERM to `container` really is: the image's STOPSIGNAL
  /// when the runtime knows one, else SIGTERM.
  virtual int stopSignal(const ContainerId& container) const;
  /// Removes an exited container and everything it held (task, snapshot).
  virtual void removeContainer(const ContainerId& container, StatusCallback done) = 0;

  // Handlers for probes and lifecycle hooks. An error result means the
  // handler could not be run at all (the kubelet's "probe errored"), not
  // that it failed: a command that exits 1 or an HTTP 500 is a result.
  // Network errors are reported in Go's words ("dial tcp 10.88.0.2:8080:
  // connect: connection refused"), since users know them from kubectl.

  /// The pod's IP address, as probes and hooks without `host` use it.
  virtual std::string podIP(const SandboxId& sandbox) const = 0;
  /// Runs a command in a running container (CRI ExecSync).
  virtual void exec(const ContainerId& container, const ExecRequest& request, Callback<ExecResult> done) = 0;
  /// Sends one HTTP GET from the pod's network.
  virtual void httpGet(const SandboxId& sandbox, const HttpRequest& request, Callback<HttpResponse> done) = 0;
  /// Opens (and closes) a TCP connection from the pod's network.
  virtual void tcpConnect(const SandboxId& sandbox, const TcpRequest& request, StatusCallback done) = 0;
  /// Asks a gRPC health service from the pod's network.
  virtual void grpcHealthCheck(const SandboxId& sandbox, const GrpcRequest& request,
                               Callback<GrpcResponse> done) = 0;

 protected:
  void notifyExit(const ContainerId& id, const ContainerExit& exit) {
    if (m_exitHandler) m_exitHandler(id, exit);
  }
  void notifyNote(const ContainerId& id, const std::string& note) {
    if (m_noteHandler) m_noteHandler(id, note);
  }
  void notifyHealth(const RuntimeHealth& health) {
    if (m_healthHandler) m_healthHandler(health);
  }

 private:
  ExitHandler m_exitHandler;
  NoteHandler m_noteHandler;
  HealthHandler m_healthHandler;
};

}  // namespace podscope::engine
