#include "engine/runtime/containerd/containerd_client.h"

#include <grpcpp/grpcpp.h>

#include "engine/host/grpc_deadline.h"
#include "github.com/containerd/containerd/api/events/task.pb.h"
#include "github.com/containerd/containerd/api/services/containers/v1/containers.grpc.pb.h"
#include "github.com/containerd/containerd/api/services/content/v1/content.grpc.pb.h"
#include "github.com/containerd/containerd/api/services/diff/v1/diff.grpc.pb.h"
#include "github.com/containerd/containerd/api/services/events/v1/events.grpc.pb.h"
#include "github.com/containerd/containerd/api/services/images/v1/images.grpc.pb.h"
#include "github.com/containerd/containerd/api/services/leases/v1/leases.grpc.pb.h"
#include "github.com/containerd/containerd/api/services/namespaces/v1/namespace.grpc.pb.h"
#include "github.com/containerd/containerd/api/services/snapshots/v1/snapshots.grpc.pb.h"
#include "github.com/containerd/containerd/api/services/tasks/v1/tasks.grpc.pb.h"
#include "github.com/containerd/containerd/api/services/version/v1/version.grpc.pb.h"

namespace podscope::engine::containerd {
namespace {

namespace containers_v1 = ::containerd::services::containers::v1;
namespace content_v1 = ::containerd::services::content::v1;
namespace diff_v1 = ::containerd::services::diff::v1;
namespace events_v1 = ::containerd::services::events::v1;
namespace images_v1 = ::containerd::services::images::v1;
namespace leases_v1 = ::containerd::services::leases::v1;
namespace namespaces_v1 = ::containerd::services::namespaces::v1;
namespace snapshots_v1 = ::containerd::services::snapshots::v1;
namespace tasks_v1 = ::containerd::services::tasks::v1;
namespace version_v1 = ::containerd::services::version::v1;

using std::chrono::milliseconds;

// Generous: creating a task starts a shim and runc, which can take seconds on
// a loaded machine; the point is only never to hang forever.
constexpr milliseconds kCallTimeout{60'000};
constexpr milliseconds kQuickTimeout{10'000};
// Applying a layer decompresses and writes all of it; a big one on a slow
// disk takes minutes.
constexpr milliseconds kApplyTimeout{30 * 60'000};
// A blob's write stream stays open while the blob arrives from a registry;
// the puller ends it sooner (cancel()) when the download stalls or the
// runtime shuts down.
constexpr milliseconds kWriteStreamTimeout{6 * 60 * 60'000};
// containerd's own client sends blobs in pieces of this size.
constexpr std::size_t kWriteChunk = 1 << 20;

constexpr const char* kSpecTypeUrl = "types.containerd.io/opencontainers/runtime-spec/1/Spec";
constexpr const char* kProcessTypeUrl =
    "types.containerd.io/opencontainers/runtime-spec/1/Process";

core::Error rpcError(const std::string& what, const grpc::Status& status) {
  std::string message = status.error_message();
  if (message.empty()) message = "gRPC status " + std::to_string(status.error_code());
  return core::Error{"containerd: " + what + ": " + message, {}, {}};
}

RpcFailure failureOf(const grpc::Status& status) {
  switch (status.error_code()) {
    case grpc::StatusCode::OK: return RpcFailure::None;
    case grpc::StatusCode::NOT_FOUND: return RpcFailure::NotFound;
    case grpc::StatusCode::ALREADY_EXISTS: return RpcFailure::AlreadyExists;
    case grpc::StatusCode::FAILED_PRECONDITION: return RpcFailure::FailedPrecondition;
    case grpc::StatusCode::CANCELLED: return RpcFailure::Cancelled;
    case grpc::StatusCode::UNIMPLEMENTED: return RpcFailure::Unimplemented;
    case grpc::StatusCode::UNAVAILABLE: return RpcFailure::Unavailable;
    case grpc::StatusCode::DEADLINE_EXCEEDED: return RpcFailure::DeadlineExceeded;
    default: return RpcFailure::Other;
  }
}

TaskState stateOf(::containerd::v1::types::Status status) {
  switch (status) {
    case ::containerd::v1::types::CREATED: return TaskState::Created;
    case ::containerd::v1::types::RUNNING: return TaskState::Running;
    case ::containerd::v1::types::STOPPED: return TaskState::Stopped;
    case ::containerd::v1::types::PAUSED: return TaskState::Paused;
    case ::containerd::v1::types::PAUSING: return TaskState::Pausing;
    default: return TaskState::Unknown;
  }
}

MountSpec fromProto(const ::containerd::types::Mount& m) {
  MountSpec out{m.type(), m.source(), m.target(), {}};
  for (const auto& o : m.options()) out.options.push_back(o);
  return out;
}

void toProto(const MountSpec& m, ::containerd::types::Mount* out) {
  out->set_type(m.type);
  out->set_source(m.source);
  out->set_target(m.target);
  for (const auto& o : m.options) out->add_options(o);
}

void setFailure(RpcFailure* failure, const grpc::Status& status) {
  if (failure) *failure = failureOf(status);
}

class GrpcEventSubscription final : public EventSubscription {
 public:
  GrpcEventSubscription(events_v1::Events::Stub& stub, const std::string& ns,
                        const std::vector<std::string>& topics) {
    m_context.AddMetadata("containerd-namespace", ns);
    events_v1::SubscribeRequest request;
    for (const auto& topic : topics) {
      request.add_filters("namespace==\"" + ns + "\",topic==\"" + topic + "\"");
    }
    m_reader = stub.Subscribe(&m_context, request);
  }

  ~GrpcEventSubscription() override {
    m_context.TryCancel();
    if (m_reader) (void)m_reader->Finish();
  }

  bool next(TaskEvent& event, std::string& error) override {
    events_v1::Envelope envelope;
    if (!m_reader->Read(&envelope)) {
      grpc::Status status = m_reader->Finish();
      m_reader.reset();
      if (status.error_code() != grpc::StatusCode::CANCELLED) {
        error = status.error_message().empty() ? "the event stream ended"
                                               : status.error_message();
      }
      return false;
    }
    event = TaskEvent{};
    event.topic = envelope.topic();
    // containerd's type URLs ("containerd.events.TaskExit") lack the '/'
    // that Any::UnpackTo expects, so the payload is parsed directly.
    if (event.topic == "/tasks/exit") {
      ::containerd::events::TaskExit exit;
      if (exit.ParseFromString(envelope.event().value())) {
        event.kind = TaskEvent::Kind::Exit;
        event.containerId = exit.container_id();
        event.processId = exit.id();
        event.pid = exit.pid();
        event.exitStatus = exit.exit_status();
      }
    } else if (event.topic == "/tasks/oom") {
      ::containerd::events::TaskOOM oom;
      if (oom.ParseFromString(envelope.event().value())) {
        event.kind = TaskEvent::Kind::Oom;
        event.containerId = oom.container_id();
      }
    }
    return true;
  }

  void cancel() override { m_context.TryCancel(); }

 private:
  grpc::ClientContext m_context;
  std::unique_ptr<grpc::ClientReader<events_v1::Envelope>> m_reader;
};

/// Content.Write as containerd's own client speaks it: a STAT opens the
/// ingest, each WRITE carries the offset it continues from, COMMIT names the
/// expected size and digest.
class GrpcContentWriter final : public ContentWriter {
 public:
  GrpcContentWriter(std::unique_ptr<grpc::ClientContext> context,
                    std::unique_ptr<grpc::ClientReaderWriter<content_v1::WriteContentRequest,
                                                             content_v1::WriteContentResponse>> stream,
                    std::string ref, BlobDescriptor blob, std::int64_t existing)
      : m_context(std::move(context)),
        m_stream(std::move(stream)),
        m_ref(std::move(ref)),
        m_blob(std::move(blob)),
        m_existing(existing) {
    m_buffer.reserve(kWriteChunk);
  }

  bool complete() const override { return m_blob.size > 0 && m_existing == m_blob.size; }

  ~GrpcContentWriter() override {
    if (!m_finished) {
      m_context->TryCancel();
      (void)m_stream->Finish();
    }
  }

  core::Status write(std::string_view data) override {
    while (!data.empty()) {
      std::size_t take = std::min(data.size(), kWriteChunk - m_buffer.size());
      m_buffer.append(data.substr(0, take));
      data.remove_prefix(take);
      if (m_buffer.size() == kWriteChunk) {
        if (auto st = flush(); !st) return st;
      }
    }
    return {};
  }

  core::Status commit(const std::map<std::string, std::string>& labels) override {
    content_v1::WriteContentRequest request;
    request.set_action(content_v1::COMMIT);
    // Nothing written: commit what containerd holds (offset 0 would make it
    // start the ingest over).
    bool asIs = m_offset == 0 && m_buffer.empty() && complete();
    request.set_offset(asIs ? m_existing : m_offset);
    request.set_data(std::move(m_buffer));
    m_buffer.clear();
    request.set_total(m_blob.size);
    request.set_expected(m_blob.digest);
    for (const auto& [key, value] : labels) (*request.mutable_labels())[key] = value;
    content_v1::WriteContentResponse response;
    if (!m_stream->Write(request) || !m_stream->Read(&response)) return finishWithError("committing");
    m_stream->WritesDone();
    // containerd sends its last answer once more as the stream ends; the
    // stream cannot finish while an answer is unread.
    while (m_stream->Read(&response)) {
    }
    grpc::Status status = m_stream->Finish();
    m_finished = true;
    if (!status.ok() && status.error_code() != grpc::StatusCode::ALREADY_EXISTS) {
      return rpcError("failed commit on ref \"" + m_ref + "\"", status);
    }
    return {};
  }

  void cancel() override { m_context->TryCancel(); }

 private:
  core::Status flush() {
    if (m_buffer.empty()) return {};
    content_v1::WriteContentRequest request;
    request.set_action(content_v1::WRITE);
    request.set_offset(m_offset);
    std::int64_t length = static_cast<std::int64_t>(m_buffer.size());
    request.set_data(m_buffer);
    m_buffer.clear();
    content_v1::WriteContentResponse response;
    if (!m_stream->Write(request) || !m_stream->Read(&response)) return finishWithError("writing");
    if (response.offset() != m_offset + length) {
      return core::Error{"containerd: writing " + m_ref + ": containerd holds " + std::to_string(response.offset()) +
                             " bytes after a write that should end at " + std::to_string(m_offset + length),
                         {}, {}};
    }
    m_offset += length;
    return {};
  }

  core::Error finishWithError(const std::string& what) {
    grpc::Status status = m_stream->Finish();
    m_finished = true;
    if (status.ok()) status = grpc::Status(grpc::StatusCode::UNKNOWN, "the write stream ended early");
    return rpcError(what + " " + m_ref, status);
  }

  std::unique_ptr<grpc::ClientContext> m_context;
  std::unique_ptr<grpc::ClientReaderWriter<content_v1::WriteContentRequest, content_v1::WriteContentResponse>>
      m_stream;
  std::string m_ref;
  BlobDescriptor m_blob;
  std::string m_buffer;
  std::int64_t m_existing = 0;  ///< bytes containerd held when the writer opened
  std::int64_t m_offset = 0;
  bool m_finished = false;
};

}  // namespace

class ContainerdClient::Stubs {
 public:
  explicit Stubs(const std::string& socketPath) {
    grpc::ChannelArguments args;
    // containerd's own clients send this authority; some proxies insist.
    args.SetString(GRPC_ARG_DEFAULT_AUTHORITY, "localhost");
    // After containerd restarts, reconnect within a second: gRPC's default
    // back-off grows to two minutes, and every call fails until it connects.
    args.SetInt(GRPC_ARG_INITIAL_RECONNECT_BACKOFF_MS, 100);
    args.SetInt(GRPC_ARG_MIN_RECONNECT_BACKOFF_MS, 100);
    args.SetInt(GRPC_ARG_MAX_RECONNECT_BACKOFF_MS, 1'000);
    channel = grpc::CreateCustomChannel("unix://" + socketPath, grpc::InsecureChannelCredentials(),
                                        args);
    containers = containers_v1::Containers::NewStub(channel);
    content = content_v1::Content::NewStub(channel);
    diff = diff_v1::Diff::NewStub(channel);
    events = events_v1::Events::NewStub(channel);
    images = images_v1::Images::NewStub(channel);
    leases = leases_v1::Leases::NewStub(channel);
    namespaces = namespaces_v1::Namespaces::NewStub(channel);
    snapshots = snapshots_v1::Snapshots::NewStub(channel);
    tasks = tasks_v1::Tasks::NewStub(channel);
    version = version_v1::Version::NewStub(channel);
  }

  std::shared_ptr<grpc::Channel> channel;
  std::unique_ptr<containers_v1::Containers::Stub> containers;
  std::unique_ptr<content_v1::Content::Stub> content;
  std::unique_ptr<diff_v1::Diff::Stub> diff;
  std::unique_ptr<events_v1::Events::Stub> events;
  std::unique_ptr<images_v1::Images::Stub> images;
  std::unique_ptr<leases_v1::Leases::Stub> leases;
  std::unique_ptr<namespaces_v1::Namespaces::Stub> namespaces;
  std::unique_ptr<snapshots_v1::Snapshots::Stub> snapshots;
  std::unique_ptr<tasks_v1::Tasks::Stub> tasks;
  std::unique_ptr<version_v1::Version::Stub> version;
};

namespace {

// Every call names the namespace; calls that create garbage-collectable
// resources also name the lease that protects them.
void prepare(grpc::ClientContext& context, const std::string& ns, milliseconds timeout,
             const std::string& leaseId = {}) {
  context.AddMetadata("containerd-namespace", ns);
  if (!leaseId.empty()) context.AddMetadata("containerd-lease", leaseId);
  setGrpcTimeout(context, timeout);
}

}  // namespace

ContainerdClient::ContainerdClient(const std::string& socketPath, std::string containerdNamespace)
    : m_namespace(std::move(containerdNamespace)), m_stubs(std::make_unique<Stubs>(socketPath)) {}

ContainerdClient::~ContainerdClient() = default;

core::Result<std::string> ContainerdClient::version(milliseconds timeout, RpcFailure* failure) {
  grpc::ClientContext context;
  setGrpcTimeout(context, timeout);
  google::protobuf::Empty request;
  version_v1::VersionResponse response;
  grpc::Status status = m_stubs->version->Version(&context, request, &response);
  if (failure) *failure = failureOf(status);
  if (!status.ok()) return rpcError("version", status);
  return response.version();
}

core::Status ContainerdClient::ensureNamespace() {
  {
    grpc::ClientContext context;
    setGrpcTimeout(context, kQuickTimeout);
    namespaces_v1::GetNamespaceRequest request;
    request.set_name(m_namespace);
    namespaces_v1::GetNamespaceResponse response;
    grpc::Status status = m_stubs->namespaces->Get(&context, request, &response);
    if (status.ok()) return {};
    if (status.error_code() != grpc::StatusCode::NOT_FOUND) {
      return rpcError("looking up namespace " + m_namespace, status);
    }
  }
  grpc::ClientContext context;
  setGrpcTimeout(context, kQuickTimeout);
  namespaces_v1::CreateNamespaceRequest request;
  request.mutable_namespace_()->set_name(m_namespace);
  namespaces_v1::CreateNamespaceResponse response;
  grpc::Status status = m_stubs->namespaces->Create(&context, request, &response);
  if (!status.ok() && status.error_code() != grpc::StatusCode::ALREADY_EXISTS) {
    return rpcError("creating namespace " + m_namespace, status);
  }
  return {};
}

core::Result<std::optional<BlobDescriptor>> ContainerdClient::getImage(const std::string& name) {
  grpc::ClientContext context;
  prepare(context, m_namespace, kQuickTimeout);
  images_v1::GetImageRequest request;
  request.set_name(name);
  images_v1::GetImageResponse response;
  grpc::Status status = m_stubs->images->Get(&context, request, &response);
  if (status.error_code() == grpc::StatusCode::NOT_FOUND) return std::optional<BlobDescriptor>();
  if (!status.ok()) return rpcError("looking up image " + name, status);
  const auto& target = response.image().target();
  return std::optional<BlobDescriptor>(
      BlobDescriptor{target.media_type(), target.digest(), target.size()});
}

core::Result<std::string> ContainerdClient::readBlob(const std::string& digest,
                                                     std::int64_t maxSize) {
  grpc::ClientContext context;
  prepare(context, m_namespace, kCallTimeout);
  content_v1::ReadContentRequest request;
  request.set_digest(digest);
  auto reader = m_stubs->content->Read(&context, request);
  std::string data;
  content_v1::ReadContentResponse chunk;
  while (reader->Read(&chunk)) {
    if (static_cast<std::int64_t>(data.size() + chunk.data().size()) > maxSize) {
      context.TryCancel();
      (void)reader->Finish();
      return core::Error{"containerd: blob " + digest + " is larger than expected (over " +
                             std::to_string(maxSize) + " bytes)",
                         {}, {}};
    }
    data += chunk.data();
  }
  grpc::Status status = reader->Finish();
  if (!status.ok()) return rpcError("reading blob " + digest, status);
  return data;
}

core::Result<std::optional<ContentInfo>> ContainerdClient::contentInfo(const std::string& digest) {
  grpc::ClientContext context;
  prepare(context, m_namespace, kQuickTimeout);
  content_v1::InfoRequest request;
  request.set_digest(digest);
  content_v1::InfoResponse response;
  grpc::Status status = m_stubs->content->Info(&context, request, &response);
  if (status.error_code() == grpc::StatusCode::NOT_FOUND) return std::optional<ContentInfo>();
  if (!status.ok()) return rpcError("looking up blob " + digest, status);
  ContentInfo info;
  info.size = response.info().size();
  info.labels.insert(response.info().labels().begin(), response.info().labels().end());
  return std::optional<ContentInfo>(std::move(info));
}

core::Status ContainerdClient::setContentLabels(const std::string& digest,
                                                const std::map<std::string, std::string>& labels) {
  if (labels.empty()) return {};
  grpc::ClientContext context;
  prepare(context, m_namespace, kQuickTimeout);
  content_v1::UpdateRequest request;
  request.mutable_info()->set_digest(digest);
  for (const auto& [key, value] : labels) {
    (*request.mutable_info()->mutable_labels())[key] = value;
    request.mutable_update_mask()->add_paths("labels." + key);
  }
  content_v1::UpdateResponse response;
  grpc::Status status = m_stubs->content->Update(&context, request, &response);
  if (!status.ok()) return rpcError("labelling blob " + digest, status);
  return {};
}

core::Result<std::unique_ptr<ContentWriter>> ContainerdClient::openContentWriter(const std::string& ref,
                                                                                 const BlobDescriptor& blob,
                                                                                 const std::string& leaseId,
                                                                                 RpcFailure* failure) {
  if (failure) *failure = RpcFailure::None;
  auto context = std::make_unique<grpc::ClientContext>();
  prepare(*context, m_namespace, kWriteStreamTimeout, leaseId);
  auto stream = m_stubs->content->Write(context.get());
  content_v1::WriteContentRequest request;
  request.set_action(content_v1::STAT);
  request.set_ref(ref);
  request.set_total(blob.size);
  request.set_expected(blob.digest);
  content_v1::WriteContentResponse response;
  if (!stream->Write(request) || !stream->Read(&response)) {
    grpc::Status status = stream->Finish();
    if (status.error_code() == grpc::StatusCode::ALREADY_EXISTS) return std::unique_ptr<ContentWriter>();
    setFailure(failure, status);
    if (status.ok()) status = grpc::Status(grpc::StatusCode::UNKNOWN, "the write stream ended early");
    return rpcError("opening a writer for " + ref, status);
  }
  return std::unique_ptr<ContentWriter>(
      std::make_unique<GrpcContentWriter>(std::move(context), std::move(stream), ref, blob, response.offset()));
}

core::Status ContainerdClient::putImage(const std::string& name, const BlobDescriptor& target) {
  auto fill = [&](images_v1::Image* image) {
    image->set_name(name);
    image->mutable_target()->set_media_type(target.mediaType);
    image->mutable_target()->set_digest(target.digest);
    image->mutable_target()->set_size(target.size);
  };
  {
    grpc::ClientContext context;
    prepare(context, m_namespace, kQuickTimeout);
    images_v1::CreateImageRequest request;
    fill(request.mutable_image());
    images_v1::CreateImageResponse response;
    grpc::Status status = m_stubs->images->Create(&context, request, &response);
    if (status.ok()) return {};
    if (status.error_code() != grpc::StatusCode::ALREADY_EXISTS) return rpcError("creating image " + name, status);
  }
  grpc::ClientContext context;
  prepare(context, m_namespace, kQuickTimeout);
  images_v1::UpdateImageRequest request;
  fill(request.mutable_image());
  request.mutable_update_mask()->add_paths("target");
  images_v1::UpdateImageResponse response;
  grpc::Status status = m_stubs->images->Update(&context, request, &response);
  if (!status.ok()) return rpcError("updating image " + name, status);
  return {};
}

core::Result<std::string> ContainerdClient::applyLayer(const BlobDescriptor& layer,
                                                       const std::vector<MountSpec>& mounts) {
  grpc::ClientContext context;
  prepare(context, m_namespace, kApplyTimeout);
  diff_v1::ApplyRequest request;
  request.mutable_diff()->set_media_type(layer.mediaType);
  request.mutable_diff()->set_digest(layer.digest);
  request.mutable_diff()->set_size(layer.size);
  for (const auto& m : mounts) toProto(m, request.add_mounts());
  diff_v1::ApplyResponse response;
  grpc::Status status = m_stubs->diff->Apply(&context, request, &response);
  if (!status.ok()) return rpcError("failed to extract layer " + layer.digest, status);
  return response.applied().digest();
}

core::Status ContainerdClient::commitSnapshot(const std::string& name, const std::string& key,
                                              const std::string& leaseId,
                                              const std::map<std::string, std::string>& labels,
                                              RpcFailure* failure) {
  if (failure) *failure = RpcFailure::None;
  grpc::ClientContext context;
  prepare(context, m_namespace, kCallTimeout, leaseId);
  snapshots_v1::CommitSnapshotRequest request;
  request.set_snapshotter(kSnapshotter);
  request.set_name(name);
  request.set_key(key);
  for (const auto& [k, v] : labels) (*request.mutable_labels())[k] = v;
  google::protobuf::Empty response;
  grpc::Status status = m_stubs->snapshots->Commit(&context, request, &response);
  setFailure(failure, status);
  if (!status.ok()) return rpcError("failed to commit snapshot " + key, status);
  return {};
}

core::Result<bool> ContainerdClient::snapshotExists(const std::string& key) {
  grpc::ClientContext context;
  prepare(context, m_namespace, kQuickTimeout);
  snapshots_v1::StatSnapshotRequest request;
  request.set_snapshotter(kSnapshotter);
  request.set_key(key);
  snapshots_v1::StatSnapshotResponse response;
  grpc::Status status = m_stubs->snapshots->Stat(&context, request, &response);
  if (status.error_code() == grpc::StatusCode::NOT_FOUND) return false;
  if (!status.ok()) return rpcError("looking up snapshot " + key, status);
  return true;
}

core::Result<std::vector<MountSpec>> ContainerdClient::prepareSnapshot(const std::string& key,
                                                                       const std::string& parent,
                                                                       const std::string& leaseId,
                                                                       const std::map<std::string, std::string>& labels,
                                                                       RpcFailure* failure) {
  if (failure) *failure = RpcFailure::None;
  grpc::ClientContext context;
  prepare(context, m_namespace, kCallTimeout, leaseId);
  snapshots_v1::PrepareSnapshotRequest request;
  request.set_snapshotter(kSnapshotter);
  request.set_key(key);
  request.set_parent(parent);
  for (const auto& [name, value] : labels) (*request.mutable_labels())[name] = value;
  snapshots_v1::PrepareSnapshotResponse response;
  grpc::Status status = m_stubs->snapshots->Prepare(&context, request, &response);
  setFailure(failure, status);
  if (!status.ok()) return rpcError("preparing snapshot " + key, status);
  std::vector<MountSpec> mounts;
  for (const auto& m : response.mounts()) mounts.push_back(fromProto(m));
  return mounts;
}

core::Status ContainerdClient::removeSnapshot(const std::string& key) {
  grpc::ClientContext context;
  prepare(context, m_namespace, kCallTimeout);
  snapshots_v1::RemoveSnapshotRequest request;
  request.set_snapshotter(kSnapshotter);
  request.set_key(key);
  google::protobuf::Empty response;
  grpc::Status status = m_stubs->snapshots->Remove(&context, request, &response);
  if (!status.ok() && status.error_code() != grpc::StatusCode::NOT_FOUND) {
    return rpcError("removing snapshot " + key, status);
  }
  return {};
}

core::Status ContainerdClient::createLease(const std::string& id,
                                         const std::map<std::string, std::string>& labels) {
  grpc::ClientContext context;
  prepare(context, m_namespace, kQuickTimeout);
  leases_v1::CreateRequest request;
  request.set_id(id);
  for (const auto& [key, value] : labels) (*request.mutable_labels())[key] = value;
  leases_v1::CreateResponse response;
  grpc::Status status = m_stubs->leases->Create(&context, request, &response);
  if (!status.ok()) return rpcError("creating lease " + id, status);
  return {};
}

core::Status ContainerdClient::deleteLease(const std::string& id) {
  grpc::ClientContext context;
  prepare(context, m_namespace, kQuickTimeout);
  leases_v1::DeleteRequest request;
  request.set_id(id);
  google::protobuf::Empty response;
  grpc::Status status = m_stubs->leases->Delete(&context, request, &response);
  if (!status.ok() && status.error_code() != grpc::StatusCode::NOT_FOUND) {
    return rpcError("deleting lease " + id, status);
  }
  return {};
}

core::Status ContainerdClient::createContainer(const NewContainer& container,
                                               const std::string& leaseId) {
  grpc::ClientContext context;
  prepare(context, m_namespace, kCallTimeout, leaseId);
  containers_v1::CreateContainerRequest request;
  auto* c = request.mutable_container();
  c->set_id(container.id);
  c->set_image(container.image);
  for (const auto& [key, value] : container.labels) (*c->mutable_labels())[key] = value;
  c->mutable_runtime()->set_name(kRuntimeName);
  c->mutable_spec()->set_type_url(kSpecTypeUrl);
  c->mutable_spec()->set_value(container.specJson);
  c->set_snapshotter(kSnapshotter);
  c->set_snapshot_key(container.snapshotKey);
  containers_v1::CreateContainerResponse response;
  grpc::Status status = m_stubs->containers->Create(&context, request, &response);
  if (!status.ok()) return rpcError("creating container " + container.id, status);
  return {};
}

core::Result<std::vector<std::pair<std::string, std::map<std::string, std::string>>>>
ContainerdClient::listContainers(const std::string& filter) {
  grpc::ClientContext context;
  prepare(context, m_namespace, kCallTimeout);
  containers_v1::ListContainersRequest request;
  if (!filter.empty()) request.add_filters(filter);
  containers_v1::ListContainersResponse response;
  grpc::Status status = m_stubs->containers->List(&context, request, &response);
  if (!status.ok()) return rpcError("listing containers", status);
  std::vector<std::pair<std::string, std::map<std::string, std::string>>> out;
  for (const auto& c : response.containers()) {
    out.emplace_back(c.id(), std::map<std::string, std::string>(c.labels().begin(), c.labels().end()));
  }
  return out;
}

core::Result<std::vector<std::pair<std::string, std::map<std::string, std::string>>>>
ContainerdClient::listSnapshots(const std::string& filter) {
  grpc::ClientContext context;
  prepare(context, m_namespace, kCallTimeout);
  snapshots_v1::ListSnapshotsRequest request;
  request.set_snapshotter(kSnapshotter);
  if (!filter.empty()) request.add_filters(filter);
  auto reader = m_stubs->snapshots->List(&context, request);
  std::vector<std::pair<std::string, std::map<std::string, std::string>>> out;
  snapshots_v1::ListSnapshotsResponse response;
  while (reader->Read(&response)) {
    for (const auto& info : response.info()) {
      out.emplace_back(info.name(), std::map<std::string, std::string>(info.labels().begin(), info.labels().end()));
    }
  }
  grpc::Status status = reader->Finish();
  if (!status.ok()) return rpcError("listing snapshots", status);
  return out;
}

core::Status ContainerdClient::deleteContainer(const std::string& id) {
  grpc::ClientContext context;
  prepare(context, m_namespace, kCallTimeout);
  containers_v1::DeleteContainerRequest request;
  request.set_id(id);
  google::protobuf::Empty response;
  grpc::Status status = m_stubs->containers->Delete(&context, request, &response);
  if (!status.ok() && status.error_code() != grpc::StatusCode::NOT_FOUND) {
    return rpcError("deleting container " + id, status);
  }
  return {};
}

core::Status ContainerdClient::createTask(const std::string& containerId,
                                          const std::vector<MountSpec>& rootfs,
                                          const std::string& stdoutUri,
                                          const std::string& stderrUri) {
  grpc::ClientContext context;
  prepare(context, m_namespace, kCallTimeout);
  tasks_v1::CreateTaskRequest request;
  request.set_container_id(containerId);
  for (const auto& m : rootfs) {
    auto* mount = request.add_rootfs();
    mount->set_type(m.type);
    mount->set_source(m.source);
    mount->set_target(m.target);
    for (const auto& o : m.options) mount->add_options(o);
  }
  request.set_stdout(stdoutUri);
  request.set_stderr(stderrUri);
  request.set_terminal(false);
  tasks_v1::CreateTaskResponse response;
  grpc::Status status = m_stubs->tasks->Create(&context, request, &response);
  if (!status.ok()) return rpcError("creating the task", status);
  return {};
}

core::Status ContainerdClient::startTask(const std::string& containerId) {
  grpc::ClientContext context;
  prepare(context, m_namespace, kCallTimeout);
  tasks_v1::StartRequest request;
  request.set_container_id(containerId);
  tasks_v1::StartResponse response;
  grpc::Status status = m_stubs->tasks->Start(&context, request, &response);
  if (!status.ok()) return rpcError("starting the task", status);
  return {};
}

core::Result<std::optional<TaskInfo>> ContainerdClient::getTask(const std::string& containerId) {
  grpc::ClientContext context;
  prepare(context, m_namespace, kQuickTimeout);
  tasks_v1::GetRequest request;
  request.set_container_id(containerId);
  tasks_v1::GetResponse response;
  grpc::Status status = m_stubs->tasks->Get(&context, request, &response);
  if (status.error_code() == grpc::StatusCode::NOT_FOUND) return std::optional<TaskInfo>();
  if (!status.ok()) return rpcError("looking up the task of " + containerId, status);
  const auto& p = response.process();
  return std::optional<TaskInfo>(TaskInfo{stateOf(p.status()), p.pid(), p.exit_status()});
}

core::Status ContainerdClient::killTask(const std::string& containerId, std::uint32_t signal) {
  grpc::ClientContext context;
  prepare(context, m_namespace, kQuickTimeout);
  tasks_v1::KillRequest request;
  request.set_container_id(containerId);
  request.set_signal(signal);
  request.set_all(false);
  google::protobuf::Empty response;
  grpc::Status status = m_stubs->tasks->Kill(&context, request, &response);
  // NOT_FOUND covers both "no such task" and "process already finished".
  if (!status.ok() && status.error_code() != grpc::StatusCode::NOT_FOUND) {
    return rpcError("sending signal " + std::to_string(signal) + " to " + containerId, status);
  }
  return {};
}

core::Result<std::uint32_t> ContainerdClient::waitTask(const std::string& containerId,
                                                       milliseconds timeout) {
  grpc::ClientContext context;
  prepare(context, m_namespace, timeout);
  tasks_v1::WaitRequest request;
  request.set_container_id(containerId);
  tasks_v1::WaitResponse response;
  grpc::Status status = m_stubs->tasks->Wait(&context, request, &response);
  if (!status.ok()) return rpcError("waiting for " + containerId, status);
  return response.exit_status();
}

core::Status ContainerdClient::deleteTask(const std::string& containerId) {
  grpc::ClientContext context;
  prepare(context, m_namespace, kCallTimeout);
  tasks_v1::DeleteTaskRequest request;
  request.set_container_id(containerId);
  tasks_v1::DeleteResponse response;
  grpc::Status status = m_stubs->tasks->Delete(&context, request, &response);
  if (!status.ok() && status.error_code() != grpc::StatusCode::NOT_FOUND) {
    return rpcError("deleting the task of " + containerId, status);
  }
  return {};
}

core::Status ContainerdClient::execProcess(const std::string& containerId,
                                          const std::string& execId,
                                          const std::string& processSpecJson,
                                          const std::string& stdoutUri,
                                          const std::string& stderrUri) {
  grpc::ClientContext context;
  prepare(context, m_namespace, kCallTimeout);
  tasks_v1::ExecProcessRequest request;
  request.set_container_id(containerId);
  request.set_exec_id(execId);
  request.set_stdout(stdoutUri);
  request.set_stderr(stderrUri);
  request.set_terminal(false);
  request.mutable_spec()->set_type_url(kProcessTypeUrl);
  request.mutable_spec()->set_value(processSpecJson);
  google::protobuf::Empty response;
  grpc::Status status = m_stubs->tasks->Exec(&context, request, &response);
  if (!status.ok()) return rpcError("exec in " + containerId, status);
  return {};
}

core::Status ContainerdClient::startProcess(const std::string& containerId,
                                           const std::string& execId) {
  grpc::ClientContext context;
  prepare(context, m_namespace, kCallTimeout);
  tasks_v1::StartRequest request;
  request.set_container_id(containerId);
  request.set_exec_id(execId);
  tasks_v1::StartResponse response;
  grpc::Status status = m_stubs->tasks->Start(&context, request, &response);
  if (!status.ok()) return rpcError("starting the command in " + containerId, status);
  return {};
}

core::Result<std::optional<TaskInfo>> ContainerdClient::getProcess(const std::string& containerId,
                                                                   const std::string& execId) {
  grpc::ClientContext context;
  prepare(context, m_namespace, kQuickTimeout);
  tasks_v1::GetRequest request;
  request.set_container_id(containerId);
  request.set_exec_id(execId);
  tasks_v1::GetResponse response;
  grpc::Status status = m_stubs->tasks->Get(&context, request, &response);
  if (status.error_code() == grpc::StatusCode::NOT_FOUND) return std::optional<TaskInfo>();
  if (!status.ok()) return rpcError("looking up process " + execId + " of " + containerId, status);
  const auto& p = response.process();
  return std::optional<TaskInfo>(TaskInfo{stateOf(p.status()), p.pid(), p.exit_status()});
}

core::Status ContainerdClient::killProcess(const std::string& containerId,
                                          const std::string& execId, std::uint32_t signal) {
  grpc::ClientContext context;
  prepare(context, m_namespace, kQuickTimeout);
  tasks_v1::KillRequest request;
  request.set_container_id(containerId);
  request.set_exec_id(execId);
  request.set_signal(signal);
  request.set_all(false);
  google::protobuf::Empty response;
  grpc::Status status = m_stubs->tasks->Kill(&context, request, &response);
  if (!status.ok() && status.error_code() != grpc::StatusCode::NOT_FOUND) {
    return rpcError("sending signal " + std::to_string(signal) + " to process " + execId +
                        " of " + containerId,
                    status);
  }
  return {};
}

core::Status ContainerdClient::deleteProcess(const std::string& containerId,
                                            const std::string& execId) {
  grpc::ClientContext context;
  prepare(context, m_namespace, kCallTimeout);
  tasks_v1::DeleteProcessRequest request;
  request.set_container_id(containerId);
  request.set_exec_id(execId);
  tasks_v1::DeleteResponse response;
  grpc::Status status = m_stubs->tasks->DeleteProcess(&context, request, &response);
  if (!status.ok() && status.error_code() != grpc::StatusCode::NOT_FOUND) {
    return rpcError("deleting process " + execId + " of " + containerId, status);
  }
  return {};
}

std::unique_ptr<EventSubscription> ContainerdClient::subscribe(
    const std::vector<std::string>& topics) {
  return std::make_unique<GrpcEventSubscription>(*m_stubs->events, m_namespace, topics);
}

core::Status ContainerdClient::publish(const std::string& topic) {
  grpc::ClientContext context;
  prepare(context, m_namespace, kQuickTimeout);
  events_v1::PublishRequest request;
  request.set_topic(topic);
  request.mutable_event()->set_type_url("types.podscope.io/marker");
  google::protobuf::Empty response;
  grpc::Status status = m_stubs->events->Publish(&context, request, &response);
  if (!status.ok()) return rpcError("publishing on " + topic, status);
  return {};
}

}  // namespace podscope::engine::containerd
