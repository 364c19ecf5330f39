#pragma once
// A blocking client for the parts of containerd's native gRPC API the runtime
// uses, in plain C++ types: nothing generated leaks past containerd_client.cpp.
// Deleting what is already gone succeeds, so clean-up can always be retried.
//
// Thread contract: every method may be called from any thread and blocks
// until containerd answers or the call's timeout passes. EventSubscription's
// cancel() may be called from any thread, next() from one thread at a time.

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/result.h"
#include "engine/runtime/containerd/image_config.h"

namespace podscope::engine::containerd {

/// A mount as containerd's snapshotters describe one (types.Mount).
struct MountSpec {
  std::string type;
  std::string source;
  std::string target;
  std::vector<std::string> options;
};

/// Why a call failed, when the caller must tell cases apart.
enum class RpcFailure {
  None,
  NotFound,
  AlreadyExists,
  Unimplemented,
  Unavailable,
  DeadlineExceeded,
  FailedPrecondition,
  Cancelled,
  Other
};

/// A blob in the content store: its size and labels.
struct ContentInfo {
  std::int64_t size = 0;
  std::map<std::string, std::string> labels;
};

/// One blob on its way into containerd's content store (Content.Write):
/// written in pieces, visible to others only once committed under its
/// expected digest. Destroying an uncommitted writer leaves the partial
/// ingest for containerd's garbage collector (or the next writer of the same
/// ref, which starts it again from offset 0).
/// Thread contract: write() and commit() from one thread; cancel() from any
/// thread, to end a call blocked on containerd.
class ContentWriter {
 public:
  virtual ~ContentWriter() = default;
  /// Buffers `data`, sending it to containerd in large pieces.
  virtual core::Status write(std::string_view data) = 0;
  /// Sends what is buffered and commits the blob with `labels`; containerd
  /// checks the size and digest given when the writer was opened.
  virtual core::Status commit(const std::map<std::string, std::string>& labels) = 0;
  /// containerd already holds all of the blob's bytes for this writer (the
  /// blob is in another namespace, which containerd shares, or an earlier
  /// write got that far): commit() with nothing written commits them.
  virtual bool complete() const = 0;
  virtual void cancel() = 0;
};

/// A task's state (containerd.v1.types.Status).
enum class TaskState { Unknown, Created, Running, Stopped, Paused, Pausing };

struct TaskInfo {
  TaskState state = TaskState::Unknown;
  std::uint32_t pid = 0;
  std::uint32_t exitStatus = 0;
};

/// One event of interest from containerd's event stream.
struct TaskEvent {
  enum class Kind { Exit, Oom, Other };
  Kind kind = Kind::Other;
  std::string topic;
  std::string containerId;
  std::string processId;  ///< for exits: equals containerId for the task's init process
  std::uint32_t pid = 0;
  std::uint32_t exitStatus = 0;
};

struct NewContainer {
  std::string id;
  std::string image;
  std::string specJson;
  std::string snapshotKey;
  std::map<std::string, std::string> labels;
};

class EventSubscription {
 public:
  virtual ~EventSubscription() = default;
  /// Blocks for the next event; false once the stream ended (cancelled or
  /// broken), with the reason in `error` when it broke.
  virtual bool next(TaskEvent& event, std::string& error) = 0;
  /// Ends a blocked or future next().
  virtual void cancel() = 0;
};

class ContainerdClient {
 public:
  static constexpr const char* kSnapshotter = "overlayfs";
  static constexpr const char* kRuntimeName = "io.containerd.runc.v2";

  /// `socketPath` is a filesystem path; nothing is sent until the first call.
  ContainerdClient(const std::string& socketPath, std::string containerdNamespace);
  ~ContainerdClient();
  ContainerdClient(const ContainerdClient&) = delete;
  ContainerdClient& operator=(const ContainerdClient&) = delete;

  /// containerd's version string ("1.6.20~ds1"); `failure` says why it failed.
  core::Result<std::string> version(std::chrono::milliseconds timeout, RpcFailure* failure);
  core::Status ensureNamespace();

  /// The image's target, or nullopt when no image has that name.
  core::Result<std::optional<BlobDescriptor>> getImage(const std::string& name);
  /// A blob from the content store; refuses blobs over `maxSize` bytes.
  core::Result<std::string> readBlob(const std::string& digest, std::int64_t maxSize);
  /// The blob's size and labels, or nullopt when the store does not have it.
  core::Result<std::optional<ContentInfo>> contentInfo(const std::string& digest);
  /// Sets (adds or replaces) these labels of a blob, leaving its others.
  core::Status setContentLabels(const std::string& digest,
                                const std::map<std::string, std::string>& labels);
  /// Starts writing `blob` (its digest and size are checked at commit) under
  /// the ingest name `ref`, protected by `leaseId`. nullptr when the store
  /// already has the blob. `failure` tells a ref another writer holds
  /// (Unavailable) from other errors.
  core::Result<std::unique_ptr<ContentWriter>> openContentWriter(const std::string& ref,
                                                                 const BlobDescriptor& blob,
                                                                 const std::string& leaseId,
                                                                 RpcFailure* failure = nullptr);
  /// Creates the image `name` pointing at `target`, or points an existing
  /// one there.
  core::Status putImage(const std::string& name, const BlobDescriptor& target);
  /// Applies a layer blob from the content store onto `mounts` through
  /// containerd's diff service; the digest of what was applied (the layer's
  /// uncompressed digest, its diff ID).
  core::Result<std::string> applyLayer(const BlobDescriptor& layer, const std::vector<MountSpec>& mounts);

  core::Result<bool> snapshotExists(const std::string& key);
  /// An active snapshot on top of `parent`, created under `leaseId` so the
  /// garbage collector leaves it alone until the container references it.
  core::Result<std::vector<MountSpec>> prepareSnapshot(const std::string& key,
                                                       const std::string& parent,
                                                       const std::string& leaseId,
                                                       const std::map<std::string, std::string>& labels = {},
                                                       RpcFailure* failure = nullptr);
  /// Commits the active snapshot `key` as the read-only snapshot `name`.
  core::Status commitSnapshot(const std::string& name, const std::string& key, const std::string& leaseId,
                              const std::map<std::string, std::string>& labels, RpcFailure* failure = nullptr);
  core::Status removeSnapshot(const std::string& key);
  /// Snapshots (key and labels) matching a containerd filter such as
  /// `labels."podscope.io/run"`.
  core::Result<std::vector<std::pair<std::string, std::map<std::string, std::string>>>> listSnapshots(
      const std::string& filter);

  core::Status createLease(const std::string& id, const std::map<std::string, std::string>& labels = {});
  core::Status deleteLease(const std::string& id);

  core::Status createContainer(const NewContainer& container, const std::string& leaseId);
  core::Status deleteContainer(const std::string& id);
  /// Containers (id and labels) matching a containerd filter.
  core::Result<std::vector<std::pair<std::string, std::map<std::string, std::string>>>> listContainers(
      const std::string& filter);

  /// stdout and stderr are URIs (file:///abs/path); both must be set.
  core::Status createTask(const std::string& containerId, const std::vector<MountSpec>& rootfs,
                          const std::string& stdoutUri, const std::string& stderrUri);
  core::Status startTask(const std::string& containerId);
  /// nullopt when the container has no task.
  core::Result<std::optional<TaskInfo>> getTask(const std::string& containerId);
  /// A task that is gone or already exited counts as signalled.
  core::Status killTask(const std::string& containerId, std::uint32_t signal);
  /// Blocks until the task exits (or `timeout`); its exit status.
  core::Result<std::uint32_t> waitTask(const std::string& containerId,
                                       std::chrono::milliseconds timeout);
  core::Status deleteTask(const std::string& containerId);

  // Extra processes in a running task (exec). `processSpecJson` is an OCI
  // process object; stdout and stderr are URIs, both set (the 1.6 shim
  // crashes the whole task on an exec with only one of them).
  core::Status execProcess(const std::string& containerId, const std::string& execId,
                           const std::string& processSpecJson, const std::string& stdoutUri,
                           const std::string& stderrUri);
  core::Status startProcess(const std::string& containerId, const std::string& execId);
  /// nullopt when there is no such process (any more).
  core::Result<std::optional<TaskInfo>> getProcess(const std::string& containerId,
                                                   const std::string& execId);
  /// A process that is gone or already exited counts as signalled.
  core::Status killProcess(const std::string& containerId, const std::string& execId,
                           std::uint32_t signal);
  /// Waits (briefly) for the shim to finish copying the process's output,
  /// then forgets the process; a process already gone is fine.
  core::Status deleteProcess(const std::string& containerId, const std::string& execId);

  /// Streams events whose topic is one of `topics`, in this namespace only.
  std::unique_ptr<EventSubscription> subscribe(const std::vector<std::string>& topics);
  /// Publishes an empty event on `topic` (used to learn that a subscription
  /// is live).
  core::Status publish(const std::string& topic);

 private:
  class Stubs;
  std::string m_namespace;
  std::unique_ptr<Stubs> m_stubs;
};

}  // namespace podscope::engine::containerd
