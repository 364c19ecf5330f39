#include "engine/runtime/containerd/containerd_runtime.h"

#include <fcntl.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <atomic>
#include <cctype>
#include <cerrno>
#include <csignal>
#include <condition_variable>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <optional>
#include <random>
#include <future>
#include <set>
#include <thread>

#include "engine/host/machine_time.h"
#include "engine/host/output_pump.h"
#include "engine/host/timer_thread.h"
#include "engine/runtime/containerd/cgroup_oom.h"
#include "engine/runtime/containerd/containerd_client.h"
#include "engine/runtime/containerd/containerd_version.h"
#include "engine/runtime/containerd/image_config.h"
#include "engine/runtime/containerd/image_puller.h"
#include "engine/runtime/containerd/image_reference.h"
#include "engine/runtime/containerd/image_unpack.h"
#include "engine/runtime/containerd/network_handlers.h"
#include "engine/runtime/containerd/object_ids.h"
#include "engine/runtime/containerd/oci_spec.h"
#include "engine/runtime/containerd/pod_sandbox.h"
#include "engine/runtime/containerd/pod_volumes.h"
#include "engine/runtime/containerd/run_lock.h"

namespace podscope::engine {

using containerd::ContainerdClient;
using containerd::EventSubscription;
using containerd::TaskEvent;
using std::chrono::milliseconds;

namespace {

constexpr milliseconds kConnectTimeout{5'000};
// How long removal waits for a SIGKILLed task before deleting it anyway.
constexpr milliseconds kKillWaitTimeout{10'000};
// A subscription is live once an event published after it comes back.
constexpr int kMarkerAttempts = 50;
constexpr milliseconds kMarkerInterval{100};
constexpr milliseconds kResubscribeInterval{1'000};
constexpr milliseconds kHealthCheckTimeout{1'000};
// Manifests and configs are a few KiB; anything this big is not one.
constexpr std::int64_t kMaxMetadataBlob = 16 * 1024 * 1024;
// Kubernetes truncates a pod's hostname to a DNS label.
constexpr std::size_t kMaxHostnameLength = 63;
// How often an exec that may have ended unseen (killed at its timeout, its
// container gone, the event stream broken) is looked up in containerd.
constexpr milliseconds kExecCheckInterval{2'000};
// Every container and snapshot carries the run that made it and the state
// directory that run used; a sandbox folder holds the run id in a file
// (PodSandboxPaths::owner).
constexpr std::string_view kRunLabel = "podscope.io/run";
constexpr std::string_view kStateDirLabel = "podscope.io/state-dir";
// How long an exec's output may stay open once the process is deleted (a
// child that kept it open); what was read by then is the output.
constexpr milliseconds kOutputDrainTimeout{1'000};

const char* const kExitTopic = "/tasks/exit";
const char* const kOomTopic = "/tasks/oom";

core::Error error(std::string message) { return core::Error{std::move(message), {}, {}}; }

std::string socketPathOf(const std::string& address) {
  constexpr std::string_view kScheme = "unix://";
  if (address.starts_with(kScheme)) return address.substr(kScheme.size());
  return address;
}

std::string startHint() {
  return "start one with scripts/containerd-start.sh or pass --address";
}

core::Status checkSocket(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) {
    int err = errno;
    if (err == ENOENT || err == ENOTDIR) {
      return error("no containerd socket at " + path + ": " + startHint());
    }
    if (err == EACCES) {
      return error("permission denied reaching " + path +
                   ": containerd's socket is only open to root; run Podscope as root");
    }
    return error("cannot use " + path + ": " + std::strerror(err));
  }
  if (!S_ISSOCK(st.st_mode)) {
    return error(path + " is not a socket, so it is not containerd: pass containerd's socket "
                        "with --address, or " + startHint());
  }
  if (::faccessat(AT_FDCWD, path.c_str(), R_OK | W_OK, AT_EACCESS) != 0 && errno == EACCES) {
    return error("permission denied on " + path +
                 ": containerd's socket is only open to root; run Podscope as root");
  }

  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  if (path.size() >= sizeof(addr.sun_path)) {
    return error("the socket path " + path + " is too long for a unix socket (" +
                 std::to_string(path.size()) + " bytes, at most " +
                 std::to_string(sizeof(addr.sun_path) - 1) + ")");
  }
  std::memcpy(addr.sun_path, path.c_str(), path.size() + 1);
  int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return error(std::string("cannot open a unix socket: ") + std::strerror(errno));
  int rc = ::connect(fd, reinterpret_cast<const sockaddr*>(&addr), sizeof(addr));
  int err = errno;
  ::close(fd);
  if (rc == 0) return {};
  if (err == ECONNREFUSED) {
    return error("nothing is listening on " + path +
                 " (a socket left behind by a containerd that is no longer running?): " +
                 startHint());
  }
  if (err == EACCES || err == EPERM) {
    return error("permission denied on " + path +
                 ": containerd's socket is only open to root; run Podscope as root");
  }
  return error("cannot connect to " + path + ": " + std::strerror(err));
}

std::string stateDirByDefault() {
  if (::geteuid() == 0) return "/run/podscope";
  if (const char* runtimeDir = std::getenv("XDG_RUNTIME_DIR"); runtimeDir && *runtimeDir) {
    return std::string(runtimeDir) + "/podscope";
  }
  return "/tmp/podscope-" + std::to_string(::geteuid());
}

// "1.6.20~ds1" -> "1.6.20": the distribution's packaging suffix means nothing
// in a status line.
std::string shortVersion(std::string version) {
  if (version.starts_with('v')) version.erase(0, 1);
  if (auto cut = version.find_first_of("~+"); cut != std::string::npos) version.resize(cut);
  return version;
}

std::string podHostname(const SandboxConfig& config) {
  std::string name = config.hostname.empty() ? config.podName : config.hostname;
  if (name.size() > kMaxHostnameLength) {
    name.resize(kMaxHostnameLength);
    while (!name.empty() && (name.back() == '-' || name.back() == '.')) name.pop_back();
  }
  return name;
}


/// One thread running queued jobs in order.
/// Thread contract: push() from any thread; stop() once, from the owner.
class JobQueue {
 public:
  JobQueue() : m_thread([this] { run(); }) {}
  ~JobQueue() { stop(); }
  JobQueue(const JobQueue&) = delete;
  JobQueue& operator=(const JobQueue&) = delete;

  /// Jobs pushed after stop() are dropped.
  void push(std::function<void()> job) {
    {
      std::lock_guard lock(m_mutex);
      if (m_stopping) return;
      m_jobs.push_back(std::move(job));
    }
    m_wake.notify_one();
  }

  /// Runs what is queued (the engine may be waiting on it), then ends the thread.
  void stop() {
    {
      std::lock_guard lock(m_mutex);
      m_stopping = true;
    }
    m_wake.notify_all();
    if (m_thread.joinable()) m_thread.join();
  }

 private:
  void run() {
    while (true) {
      std::function<void()> job;
      {
        std::unique_lock lock(m_mutex);
        m_wake.wait(lock, [&] { return m_stopping || !m_jobs.empty(); });
        if (m_jobs.empty()) return;
        job = std::move(m_jobs.front());
        m_jobs.pop_front();
      }
      job();
    }
  }

  std::mutex m_mutex;
  std::condition_variable m_wake;
  std::deque<std::function<void()>> m_jobs;
  bool m_stopping = false;
  std::thread m_thread;
};

/// One thread per network handler: each enters a pod's network namespace,
/// which must never happen to a thread that runs anything else. Finished
/// threads are joined when the next one starts, the rest at joinAll().
/// Thread contract: spawn() from any thread; joinAll() once, from the owner.
class HandlerThreads {
 public:
  HandlerThreads() = default;
  ~HandlerThreads() { joinAll(); }
  HandlerThreads(const HandlerThreads&) = delete;
  HandlerThreads& operator=(const HandlerThreads&) = delete;

  /// False (and `work` not run) once joinAll() has begun.
  bool spawn(std::function<void()> work) {
    std::vector<std::thread> finished;
    {
      std::lock_guard lock(m_mutex);
      if (m_stopping) return false;
      for (std::uint64_t id : m_finished) {
        if (auto it = m_threads.find(id); it != m_threads.end()) {
          finished.push_back(std::move(it->second));
          m_threads.erase(it);
        }
      }
      m_finished.clear();
      std::uint64_t id = m_nextId++;
      m_threads.emplace(id, std::thread([this, id, work = std::move(work)]() mutable {
        work();
        work = nullptr;  // what it captured goes before the thread counts as finished
        std::lock_guard lock(m_mutex);
        m_finished.push_back(id);
      }));
    }
    for (auto& thread : finished) thread.join();
    return true;
  }

  void joinAll() {
    std::map<std::uint64_t, std::thread> threads;
    {
      std::lock_guard lock(m_mutex);
      m_stopping = true;
      threads.swap(m_threads);
    }
    for (auto& [id, thread] : threads) thread.join();
  }

 private:
  std::mutex m_mutex;
  std::map<std::uint64_t, std::thread> m_threads;
  std::vector<std::uint64_t> m_finished;
  std::uint64_t m_nextId = 0;
  bool m_stopping = false;
};

// An unpack Podscope starts itself (an image imported without unpacking)
// holds its snapshots under a lease that expires, like a pull's.
constexpr std::chrono::hours kUnpackLeaseExpiry{24};

std::string importHint(const std::string& socket, const std::string& ns) {
  return "import it from an image tar with `ctr -a " + socket + " -n " + ns +
         " images import FILE.tar` (a tar from `docker save`, or one written by "
         "scripts/make-test-image.sh)";
}

}  // namespace

class ContainerdRuntime::Impl {
 public:
  /// Lets posted exit notifications find the runtime, or see it is gone.
  struct Owner {
    ContainerdRuntime* runtime = nullptr;
  };

  Impl(Executor& executor, ContainerdOptions options, std::unique_ptr<ContainerdClient> client,
       std::string version)
      : m_executor(executor),
        m_options(std::move(options)),
        m_client(std::move(client)),
        m_version(std::move(version)),
        m_random(std::random_device{}()) {
    m_markerTopic = "/podscope/subscribed/" + randomHex(12);
    m_execPrefix = "exec-" + randomHex(8) + "-";
    // Readable once the runtime shuts down: network handlers wait on it.
    m_cancelFd = ::eventfd(0, EFD_CLOEXEC);
  }

  ~Impl() {
    shutdown();
    if (m_cancelFd >= 0) ::close(m_cancelFd);
  }

  /// Subscribes to task events and confirms, in the background, that they
  /// arrive.
  void startEvents();
  /// Waits for that confirmation: an error when events do not arrive.
  core::Status eventsFlowing();
  /// Picks this run's id and takes its lock (run_lock.h).
  core::Status claimRun() {
    m_runId = randomHex(12);
    auto lock = containerd::RunLock::acquire(m_options.stateDir, m_runId);
    if (!lock) return lock.error();
    m_runLock.emplace(std::move(*lock));
    return {};
  }
  void shutdown();

  void enqueue(std::function<void()> job) { m_worker.push(std::move(job)); }
  void enqueuePull(std::function<void()> job) { m_pullQueue.push(std::move(job)); }

  template <typename T>
  void reply(Callback<T> done, core::Result<T> result) {
    m_executor.post([done = std::move(done), result = std::move(result)]() mutable {
      if (done) done(std::move(result));
    });
  }
  void reply(StatusCallback done, core::Status status) {
    m_executor.post([done = std::move(done), status = std::move(status)] {
      if (done) done(status);
    });
  }

  // Worker-thread operations.
  core::Result<ImageInfo> inspect(const std::string& image);
  /// Starts inspecting `images` on the prefetch queue; inspect() takes the
  /// answers.
  void prefetch(const std::vector<std::string>& images);
  core::Result<ImageInfo> pull(const std::string& image);
  core::Result<SandboxId> createSandbox(const SandboxConfig& config);
  core::Status removeSandbox(const SandboxId& sandbox);
  core::Result<ContainerId> createContainer(const SandboxId& sandbox, const ContainerConfig& config);
  void startContainer(const ContainerId& id, StatusCallback done);
  core::Status killContainer(const ContainerId& id, int signal);
  /// The signal a SIGTERM to `id` becomes (the image's STOPSIGNAL).
  int stopSignalOf(const ContainerId& id) const {
    std::lock_guard lock(m_stateMutex);
    auto it = m_containers.find(id);
    return it == m_containers.end() ? SIGTERM : it->second.stopSignal;
  }
  core::Status removeContainer(const ContainerId& id);

  // Execs: started on the exec queue, ended by their exit event.
  void exec(const ContainerId& id, const ExecRequest& request, Callback<ExecResult> done);

  /// Runs `work` on a new thread inside the sandbox's network namespace and
  /// posts its result. `work` gets the fd that turns readable at shutdown.
  template <typename R, typename Done>
  void runInPodNetwork(const SandboxId& sandbox, std::function<R(int)> work, Done done);

  Executor& m_executor;
  ContainerdOptions m_options;
  std::unique_ptr<ContainerdClient> m_client;
  std::string m_version;
  std::shared_ptr<Owner> m_owner = std::make_shared<Owner>();

 private:
  struct LoadedImage {
    std::string reference;
    std::string configDigest;
    containerd::ImageConfig config;
    std::vector<containerd::BlobDescriptor> layers;  ///< from the manifest, base first
  };

  struct ContainerRecord {
    SandboxId sandbox;
    std::vector<containerd::MountSpec> rootfs;
    std::string logPath;
    std::string cgroupsPath;
    std::string specJson;  ///< its OCI spec, which execs derive their process from
    std::string terminationPath;  ///< the host file behind terminationMessagePath
    std::optional<OutputPump::Id> logPipe;  ///< the FIFO the pump copies into logPath
    int stopSignal = SIGTERM;     ///< the image's StopSignal
    bool startPosted = false;
    bool exitSeen = false;
    bool removing = false;
    bool oomKilled = false;
    std::optional<ContainerExit> pendingExit;
    std::set<int> signalsSent;
  };

  struct SandboxRecord {
    containerd::PodSandboxPaths paths;
    SandboxConfig config;
    std::string hostname;
  };

  struct PendingExec {
    ContainerId container;
    OutputPump::Id output = 0;
    std::size_t maxOutput = 0;
    Callback<ExecResult> done;
    bool timedOut = false;
    /// Its result is being made; nothing else may touch it.
    bool finishing = false;
  };

  void startExec(const ContainerId& id, const std::string& execId, const ExecRequest& request,
                 Callback<ExecResult> done);
  void execExited(const std::string& execId, std::uint32_t status);
  void execTimedOut(const std::string& execId);
  void scheduleExecCheck(const std::string& execId, milliseconds after);
  void checkExec(const std::string& execId, bool again);
  void checkExecsOf(const ContainerId& id);
  bool claimExec(const std::string& execId);
  void finishExec(const std::string& execId, std::optional<std::uint32_t> status);
  void abandonExecs();

  void eventsLoop();
  void handleEvent(const TaskEvent& event);
  void taskExited(const ContainerId& id, std::uint32_t status);
  void finishExit(const ContainerId& id, std::uint32_t status);
  void postExitLocked(const ContainerId& id, const ContainerExit& exit);
  static std::optional<std::string> readLogTail(const std::string& path);
  bool awaitMarker();
  /// The event stream ended: tells the engine when containerd stopped
  /// answering altogether.
  void noticeBrokenStream(const std::string& failure);
  void resync();
  /// A container whose task containerd no longer knows of.
  void containerLost(const ContainerId& id);
  void removeEverything();
  /// Reads the image's manifest and config; `target` is its descriptor
  /// when already looked up.
  core::Result<LoadedImage> loadImage(const std::string& reference,
                                      std::optional<containerd::BlobDescriptor> target = std::nullopt);
  /// Unpacks an image that is in the content store but not (fully) in the
  /// snapshotter; the chain ID of its top snapshot.
  core::Result<std::string> unpack(const LoadedImage& image);
  std::string randomHex(int digits);
  std::string notPresentMessage(const std::string& image, const std::string& reference) const;

  // Exec output; declared before the queues whose jobs use it, so it
  // outlives them.
  OutputPump m_outputPump;
  // Every runtime call, in the order the engine made them.
  JobQueue m_worker;
  // Exits, apart from the worker so a slow call never holds one back.
  JobQueue m_reaper;
  // Exec calls and their clean-up, apart from the worker so a slow
  // container call never delays a probe.
  JobQueue m_execQueue;
  // Image pulls, one at a time as the kubelet's serial puller, apart from
  // the worker so a long download never holds back other pods' containers.
  // Cancelled (transfers end within a second) when the runtime shuts down.
  containerd::CancelToken m_pullCancel;
  JobQueue m_pullQueue;
  // Look-ups of a starting pod's images, beside its sandbox's creation.
  JobQueue m_prefetchQueue;
  TimerThread m_timers;
  HandlerThreads m_handlers;
  int m_cancelFd = -1;
  bool m_shutDown = false;

  std::mutex m_execMutex;
  std::map<std::string, PendingExec> m_execs;
  std::string m_execPrefix;
  std::atomic<std::uint64_t> m_execCount{0};

  std::thread m_eventsThread;
  std::mutex m_eventsMutex;
  std::condition_variable m_eventsWake;
  std::unique_ptr<EventSubscription> m_subscription;
  bool m_stopEvents = false;
  std::string m_markerTopic;
  std::atomic<std::uint64_t> m_markersSeen{0};
  enum class Subscribed { Pending, Yes, No };
  Subscribed m_subscribed = Subscribed::Pending;  ///< guarded by m_eventsMutex
  std::atomic<bool> m_resyncQueued{false};
  /// The engine was told containerd cannot be reached.
  std::atomic<bool> m_unreachable{false};

  mutable std::mutex m_stateMutex;
  std::map<ContainerId, ContainerRecord> m_containers;
  std::map<SandboxId, SandboxRecord> m_sandboxes;

  // Worker thread only.
  std::mt19937_64 m_random;
  /// This run's claim on what it creates (run_lock.h); set by connect().
  std::optional<containerd::RunLock> m_runLock;
  std::string m_runId;
  std::mutex m_configMutex;  ///< guards m_configCache (worker and prefetch queue)
  std::map<std::string, containerd::ImageConfig> m_configCache;
  /// What the prefetch queue found, by image as written; taken once.
  struct Prefetched {
    core::Result<ImageInfo> info = core::Error{"not looked up", {}, {}};
    std::optional<LoadedImage> image;
  };
  std::mutex m_prefetchMutex;
  std::map<std::string, std::shared_future<std::shared_ptr<Prefetched>>> m_prefetched;
  /// inspect()'s work, without the prefetched answers.
  std::shared_ptr<Prefetched> lookUp(const std::string& image);
  /// Images as inspect() read them, by config digest: createContainer()
  /// takes the one the engine names (ContainerConfig::imageId) from here
  /// instead of reading it again. Content-addressed, so never stale.
  std::map<std::string, LoadedImage> m_inspected;
  /// Chain IDs known to be unpacked in the snapshotter during this run.
  std::set<std::string> m_unpackedChains;
};

// --- threads -----------------------------------------------------------------

void ContainerdRuntime::Impl::startEvents() {
  m_subscription = m_client->subscribe({kExitTopic, kOomTopic, m_markerTopic});
  m_eventsThread = std::thread([this] { eventsLoop(); });
  // Subscribe returns before containerd has registered the subscriber; an
  // exit in that gap would be lost, and the pod would wait forever. The
  // check runs beside the pod's first steps (sandbox, image, container),
  // on the reaper, which has nothing to do before a task runs; the first
  // task start waits for it (eventsFlowing).
  m_reaper.push([this] {
    bool flowing = awaitMarker();
    {
      std::lock_guard lock(m_eventsMutex);
      m_subscribed = flowing ? Subscribed::Yes : Subscribed::No;
    }
    m_eventsWake.notify_all();
  });
}

core::Status ContainerdRuntime::Impl::eventsFlowing() {
  {
    std::unique_lock lock(m_eventsMutex);
    m_eventsWake.wait(lock, [&] { return m_subscribed != Subscribed::Pending; });
    if (m_subscribed == Subscribed::Yes) return {};
  }
  // The check failed (a daemon slow under load, or one restarting): each
  // start asks again before it gives up, so one bad moment does not fail
  // every start after it.
  if (awaitMarker()) {
    std::lock_guard lock(m_eventsMutex);
    m_subscribed = Subscribed::Yes;
    return {};
  }
  return error("containerd at " + m_options.address +
               " does not deliver events to Podscope; without them container exits cannot be seen");
}

bool ContainerdRuntime::Impl::awaitMarker() {
  std::uint64_t before = m_markersSeen.load();
  for (int i = 0; i < kMarkerAttempts; ++i) {
    if (!m_client->publish(m_markerTopic)) return false;
    std::unique_lock lock(m_eventsMutex);
    m_eventsWake.wait_for(lock, kMarkerInterval,
                          [&] { return m_stopEvents || m_markersSeen.load() > before; });
    if (m_markersSeen.load() > before) return true;
    if (m_stopEvents) return false;
  }
  return false;
}

void ContainerdRuntime::Impl::eventsLoop() {
  while (true) {
    EventSubscription* subscription = nullptr;
    {
      std::lock_guard lock(m_eventsMutex);
      if (m_stopEvents) return;
      subscription = m_subscription.get();
    }
    TaskEvent event;
    std::string failure;
    while (subscription->next(event, failure)) handleEvent(event);

    // The stream broke (containerd restarted?): subscribe again, then catch
    // up on exits that happened in between.
    {
      std::lock_guard lock(m_eventsMutex);
      if (m_stopEvents) return;
    }
    noticeBrokenStream(failure);
    std::unique_lock lock(m_eventsMutex);
    if (m_stopEvents) return;
    m_eventsWake.wait_for(lock, kResubscribeInterval, [&] { return m_stopEvents; });
    if (m_stopEvents) return;
    m_subscription = m_client->subscribe({kExitTopic, kOomTopic, m_markerTopic});
    lock.unlock();
    if (!m_resyncQueued.exchange(true)) enqueue([this] { resync(); });
  }
}

void ContainerdRuntime::Impl::noticeBrokenStream(const std::string& failure) {
  // A stream can break while containerd stays up; only a daemon that does
  // not answer at all makes the runtime unreachable.
  containerd::RpcFailure why = containerd::RpcFailure::None;
  if (m_client->version(kHealthCheckTimeout, &why)) return;
  if (m_unreachable.exchange(true)) return;
  std::string message = "containerd at " + m_options.address + " is not reachable";
  if (!failure.empty()) message += ": " + failure;
  m_executor.post([owner = std::weak_ptr<Owner>(m_owner), message] {
    if (auto o = owner.lock(); o && o->runtime) o->runtime->deliverHealth(RuntimeHealth{false, message});
  });
}

void ContainerdRuntime::Impl::resync() {
  m_resyncQueued = false;
  if (!awaitMarker()) return;
  if (m_unreachable.exchange(false)) {
    // Before any exit found below, so the engine hears "reachable" first.
    m_executor.post([owner = std::weak_ptr<Owner>(m_owner)] {
      if (auto o = owner.lock(); o && o->runtime) o->runtime->deliverHealth(RuntimeHealth{true, {}});
    });
  }
  std::vector<ContainerId> running;
  {
    std::lock_guard lock(m_stateMutex);
    for (const auto& [id, rec] : m_containers) {
      if (rec.startPosted && !rec.exitSeen && !rec.removing) running.push_back(id);
    }
  }
  for (const auto& id : running) {
    auto task = m_client->getTask(id);
    if (!task) continue;  // unreachable again: the next resync asks again
    if (!*task) {
      containerLost(id);
    } else if ((*task)->state == containerd::TaskState::Stopped) {
      taskExited(id, (*task)->exitStatus);
    }
  }
  std::vector<std::string> execs;
  {
    std::lock_guard lock(m_execMutex);
    for (const auto& entry : m_execs) execs.push_back(entry.first);
  }
  for (const auto& execId : execs) {
    m_execQueue.push([this, execId] { checkExec(execId, /*again=*/false); });
  }
}

void ContainerdRuntime::Impl::handleEvent(const TaskEvent& event) {
  if (event.topic == m_markerTopic) {
    {
      std::lock_guard lock(m_eventsMutex);
      ++m_markersSeen;
    }
    m_eventsWake.notify_all();
    return;
  }
  switch (event.kind) {
    case TaskEvent::Kind::Exit:
      // Exec'd processes exit too; only a task's own process ends the container.
      if (event.processId == event.containerId) {
        taskExited(event.containerId, event.exitStatus);
        // Its execs die with it; their exits may never be published.
        checkExecsOf(event.containerId);
      } else {
        execExited(event.processId, event.exitStatus);
      }
      return;
    case TaskEvent::Kind::Oom: {
      std::lock_guard lock(m_stateMutex);
      if (auto it = m_containers.find(event.containerId); it != m_containers.end()) {
        it->second.oomKilled = true;
      }
      return;
    }
    case TaskEvent::Kind::Other:
      return;
  }
}

void ContainerdRuntime::Impl::taskExited(const ContainerId& id, std::uint32_t status) {
  {
    std::lock_guard lock(m_stateMutex);
    auto it = m_containers.find(id);
    // Not ours (another client of the namespace), or being removed: the
    // engine is not waiting for this exit.
    if (it == m_containers.end() || it->second.removing || it->second.exitSeen) return;
    it->second.exitSeen = true;
  }
  m_reaper.push([this, id, status] { finishExit(id, status); });
}

void ContainerdRuntime::Impl::containerLost(const ContainerId& id) {
  std::lock_guard lock(m_stateMutex);
  auto it = m_containers.find(id);
  if (it == m_containers.end() || it->second.removing || it->second.exitSeen) return;
  it->second.exitSeen = true;
  ContainerExit exit;
  exit.exitCode = 128 + SIGKILL;
  exit.lost = true;
  if (it->second.startPosted) {
    postExitLocked(id, exit);
  } else {
    it->second.pendingExit = exit;
  }
}

void ContainerdRuntime::Impl::finishExit(const ContainerId& id, std::uint32_t status) {
  std::string cgroupsPath;
  bool oomKilled = false;
  {
    std::lock_guard lock(m_stateMutex);
    auto it = m_containers.find(id);
    if (it == m_containers.end() || it->second.removing) return;
    cgroupsPath = it->second.cgroupsPath;
    oomKilled = it->second.oomKilled;
  }
  // Read before the task is deleted, which removes the cgroup: its counters
  // settle an OOM event that may still be on its way.
  if (!oomKilled && status != 0) oomKilled = containerd::cgroupRecordedOomKill(cgroupsPath);
  // The shim is still copying the process's last output into the log when
  // the exit is published; deleting the task waits for that copy (as the CRI
  // plugin does before it reports an exit), so the log is complete by the
  // time the engine hears of the exit. removeContainer retries on failure.
  (void)m_client->deleteTask(id);
  // Deleting the task closed the shim's ends of the log's FIFO: once the
  // pump has copied the rest, the log is complete.
  std::optional<OutputPump::Id> logPipe;
  {
    std::lock_guard lock(m_stateMutex);
    if (auto it = m_containers.find(id); it != m_containers.end()) logPipe = std::exchange(it->second.logPipe, std::nullopt);
  }
  if (logPipe) (void)m_outputPump.take(*logPipe, kOutputDrainTimeout);

  std::lock_guard lock(m_stateMutex);
  auto it = m_containers.find(id);
  if (it == m_containers.end() || it->second.removing) return;
  ContainerRecord& rec = it->second;
  rec.oomKilled = rec.oomKilled || oomKilled;

  ContainerExit exit;
  exit.exitCode = static_cast<int>(status);
  exit.oomKilled = rec.oomKilled;
  // The shim reports death by signal N as 128+N, as a shell would, so the
  // code alone cannot tell `kill -9` from `exit 137`; name the signal only
  // when it is known to have been sent.
  if (status > 128 && status <= 128 + 64) {
    int signal = static_cast<int>(status) - 128;
    if (rec.signalsSent.contains(signal) || (rec.oomKilled && signal == SIGKILL)) {
      exit.signal = signal;
    }
  }
  if (!rec.terminationPath.empty()) exit.terminationMessage = containerd::readTerminationMessage(rec.terminationPath);
  // For terminationMessagePolicy FallbackToLogsOnError: the log's tail (the
  // task is deleted, so the log is complete).
  if (!rec.logPath.empty()) exit.logTail = readLogTail(rec.logPath);
  if (rec.startPosted) {
    postExitLocked(id, exit);
  } else {
    rec.pendingExit = exit;
  }
}

/// The end of a container's log file, cut as the kubelet cuts it for a
/// termination message; unset when the file cannot be read.
std::optional<std::string> ContainerdRuntime::Impl::readLogTail(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  in.seekg(0, std::ios::end);
  std::streamoff size = in.tellg();
  // 80 lines within 2 KiB never need more than the last 2 KiB plus one line break.
  std::streamoff from = std::max<std::streamoff>(0, size - static_cast<std::streamoff>(kMaxTerminationMessageLogLength + 1));
  in.seekg(from);
  std::string text(static_cast<size_t>(size - from), '\0');
  in.read(text.data(), static_cast<std::streamsize>(text.size()));
  text.resize(static_cast<size_t>(in.gcount()));
  return tailForTerminationMessage(text);
}

void ContainerdRuntime::Impl::postExitLocked(const ContainerId& id, const ContainerExit& exit) {
  m_executor.post([owner = std::weak_ptr<Owner>(m_owner), id, exit] {
    if (auto o = owner.lock(); o && o->runtime) o->runtime->deliverExit(id, exit);
  });
}

void ContainerdRuntime::Impl::shutdown() {
  if (m_shutDown) return;
  m_shutDown = true;
  // Pulls end first: whatever they were downloading is not wanted now.
  m_pullCancel.cancel();
  m_pullQueue.stop();
  m_prefetchQueue.stop();
  // Handlers next: they end with an error result rather than hang on.
  m_timers.stop();
  m_execQueue.push([this] { abandonExecs(); });
  m_execQueue.stop();
  if (m_cancelFd >= 0) {
    std::uint64_t one = 1;
    (void)!::write(m_cancelFd, &one, sizeof(one));
  }
  m_handlers.joinAll();
  enqueue([this] { removeEverything(); });
  m_worker.stop();
  {
    std::lock_guard lock(m_eventsMutex);
    m_stopEvents = true;
    if (m_subscription) m_subscription->cancel();
  }
  m_eventsWake.notify_all();
  if (m_eventsThread.joinable()) m_eventsThread.join();
  m_subscription.reset();
  m_reaper.stop();
}

void ContainerdRuntime::Impl::removeEverything() {
  std::vector<ContainerId> containers;
  std::vector<SandboxId> sandboxes;
  {
    std::lock_guard lock(m_stateMutex);
    for (const auto& entry : m_containers) containers.push_back(entry.first);
    for (const auto& entry : m_sandboxes) sandboxes.push_back(entry.first);
  }
  for (const auto& id : containers) (void)removeContainer(id);
  for (const auto& id : sandboxes) (void)removeSandbox(id);
}

std::string ContainerdRuntime::Impl::randomHex(int digits) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (int i = 0; i < digits; ++i) out += kHex[m_random() & 0xf];
  return out;
}

// --- images ------------------------------------------------------------------

std::string ContainerdRuntime::Impl::notPresentMessage(const std::string& image,
                                                       const std::string& reference) const {
  std::string named = image == reference ? "image " + reference
                                         : "image \"" + image + "\" (" + reference + ")";
  return named + " is not in containerd's namespace \"" + m_options.containerdNamespace +
         "\": pull it (imagePullPolicy IfNotPresent or Always) or " +
         importHint(m_options.address, m_options.containerdNamespace);
}

core::Result<ContainerdRuntime::Impl::LoadedImage> ContainerdRuntime::Impl::loadImage(
    const std::string& reference, std::optional<containerd::BlobDescriptor> known) {
  if (!known) {
    auto target = m_client->getImage(reference);
    if (!target) return target.error();
    if (!*target) return error(notPresentMessage(reference, reference));
    known = **target;
  }
  containerd::BlobDescriptor manifest = *known;

  if (containerd::isIndexMediaType(manifest.mediaType)) {
    auto index = m_client->readBlob(manifest.digest, kMaxMetadataBlob);
    if (!index) return index.error();
    auto chosen = containerd::selectManifest(*index, "linux", containerd::hostArchitecture());
    if (!chosen) return error("image " + reference + ": " + chosen.error().message);
    manifest = *chosen;
  }
  if (!containerd::isManifestMediaType(manifest.mediaType)) {
    return error("image " + reference + " has a manifest of a kind Podscope cannot run (" +
                 manifest.mediaType + ")");
  }
  auto manifestJson = m_client->readBlob(manifest.digest, kMaxMetadataBlob);
  if (!manifestJson) return manifestJson.error();
  auto parsed = containerd::parseManifest(*manifestJson);
  if (!parsed) return error("image " + reference + ": " + parsed.error().message);

  LoadedImage loaded{reference, parsed->config.digest, {}, std::move(parsed->layers)};
  {
    std::lock_guard lock(m_configMutex);
    if (auto cached = m_configCache.find(loaded.configDigest); cached != m_configCache.end()) {
      loaded.config = cached->second;
      return loaded;
    }
  }
  auto configJson = m_client->readBlob(loaded.configDigest, kMaxMetadataBlob);
  if (!configJson) return configJson.error();
  auto config = containerd::parseImageConfig(*configJson);
  if (!config) return error("image " + reference + ": " + config.error().message);
  {
    std::lock_guard lock(m_configMutex);
    m_configCache.emplace(loaded.configDigest, *config);
  }
  loaded.config = std::move(*config);
  return loaded;
}

std::shared_ptr<ContainerdRuntime::Impl::Prefetched> ContainerdRuntime::Impl::lookUp(const std::string& image) {
  auto found = std::make_shared<Prefetched>();
  auto reference = containerd::normalizeImageReference(image);
  if (!reference) {
    found->info = reference.error();
    return found;
  }
  auto target = m_client->getImage(*reference);
  if (!target) {
    found->info = target.error();
    return found;
  }
  ImageInfo info;
  info.reference = *reference;
  if (*target) {
    info.present = true;
    // An image that cannot run here still counts as present, and creating
    // its container says what is wrong.
    if (auto loaded = loadImage(*reference, **target)) {
      info.id = loaded->configDigest;
      found->image = std::move(*loaded);
    }
  }
  found->info = std::move(info);
  return found;
}

void ContainerdRuntime::Impl::prefetch(const std::vector<std::string>& images) {
  for (const std::string& image : images) {
    auto promise = std::make_shared<std::promise<std::shared_ptr<Prefetched>>>();
    {
      std::lock_guard lock(m_prefetchMutex);
      if (m_prefetched.contains(image)) continue;
      m_prefetched.emplace(image, promise->get_future().share());
    }
    m_prefetchQueue.push([this, image, promise] { promise->set_value(lookUp(image)); });
  }
}

core::Result<ImageInfo> ContainerdRuntime::Impl::inspect(const std::string& image) {
  std::optional<std::shared_future<std::shared_ptr<Prefetched>>> early;
  {
    std::lock_guard lock(m_prefetchMutex);
    if (auto it = m_prefetched.find(image); it != m_prefetched.end()) {
      early = it->second;
      m_prefetched.erase(it);
    }
  }
  std::shared_ptr<Prefetched> found;
  // The answer looked up beside the sandbox, moments ago; a look-up still
  // queued when the runtime stops is done here instead.
  if (early && early->wait_for(kConnectTimeout) == std::future_status::ready) {
    try {
      found = early->get();
    } catch (const std::future_error&) {
      // Dropped unrun by a stopping queue.
    }
  }
  if (!found) found = lookUp(image);
  if (found->image) m_inspected.insert_or_assign(found->image->configDigest, *found->image);
  return found->info;
}

core::Result<std::string> ContainerdRuntime::Impl::unpack(const LoadedImage& image) {
  std::string unique = randomHex(12);
  std::string lease = "podscope-unpack-" + unique;
  if (auto st = m_client->createLease(lease, {{"containerd.io/gc.expire", utcTimestampAfter(kUnpackLeaseExpiry)}}); !st) {
    return st.error();
  }
  containerd::UnpackRequest request;
  request.configDigest = image.configDigest;
  request.diffIds = image.config.diffIds;
  request.layers = image.layers;
  request.leaseId = lease;
  request.unique = unique;
  auto top = containerd::unpackImage(*m_client, request);
  (void)m_client->deleteLease(lease);
  if (!top) {
    return error("failed to unpack image \"" + image.reference + "\" for the " +
                 std::string(ContainerdClient::kSnapshotter) + " snapshotter: " + top.error().message);
  }
  return top;
}

// On the pull queue: touches only the client (thread-safe) and the pull's
// own state, never the worker's.
core::Result<ImageInfo> ContainerdRuntime::Impl::pull(const std::string& image) {
  auto reference = containerd::parseImageReference(image);
  if (!reference) return reference.error();
  const std::string name = reference->toString();
  Stopwatch watch;
  containerd::ImagePuller puller(*m_client, m_pullCancel);
  bool resolveFailed = false;
  auto pulled = puller.pull(*reference, &resolveFailed);
  if (!pulled) {
    // containerd CRI's words, then (when the registry could not give the
    // image) how to do without one.
    std::string message = "failed to pull and unpack image \"" + name + "\": " + pulled.error().message;
    if (resolveFailed) {
      message += "; to run the image without a registry, " + importHint(m_options.address, m_options.containerdNamespace);
    }
    return error(message);
  }
  ImageInfo info;
  info.reference = name;
  info.id = pulled->configDigest;
  info.present = true;
  info.pullDuration = watch.elapsed();
  info.size = pulled->size;
  return info;
}

// --- sandboxes ---------------------------------------------------------------

core::Result<SandboxId> ContainerdRuntime::Impl::createSandbox(const SandboxConfig& config) {
  std::string hostname = podHostname(config);
  if (hostname.empty()) return error("the pod has no name to use as its hostname");
  std::string parent = m_options.stateDir + "/sandboxes";
  std::error_code ec;
  std::filesystem::create_directories(parent, ec);
  if (ec) return error("cannot create " + parent + ": " + ec.message());

  SandboxId id = containerd::makeSandboxId(config.podName, randomHex(8));
  auto paths = containerd::createPodSandbox(parent + "/" + id, hostname);
  if (!paths) return paths.error();
  // Whose it is, so a later run can tell it was left by a crash.
  {
    std::ofstream owner(paths->owner);
    owner << m_runId << "\n";
  }
  std::lock_guard lock(m_stateMutex);
  m_sandboxes[id] = SandboxRecord{*paths, config, hostname};
  return id;
}

core::Status ContainerdRuntime::Impl::removeSandbox(const SandboxId& sandbox) {
  std::vector<ContainerId> members;
  std::string dir;
  {
    std::lock_guard lock(m_stateMutex);
    for (const auto& [id, rec] : m_containers) {
      if (rec.sandbox == sandbox) members.push_back(id);
    }
    if (auto it = m_sandboxes.find(sandbox); it != m_sandboxes.end()) dir = it->second.paths.dir;
  }
  // As the kubelet's StopPodSandbox: whatever still runs in the pod goes too.
  for (const auto& id : members) {
    if (auto st = removeContainer(id); !st) return st;
  }
  if (!containerd::isValidIdentifier(sandbox)) return error("no sandbox " + sandbox);
  if (dir.empty()) dir = m_options.stateDir + "/sandboxes/" + sandbox;
  if (auto st = containerd::removePodVolumes(dir); !st) return st;
  if (auto st = containerd::removePodSandbox(dir); !st) return st;
  std::lock_guard lock(m_stateMutex);
  m_sandboxes.erase(sandbox);
  return {};
}

// --- containers --------------------------------------------------------------

core::Result<ContainerId> ContainerdRuntime::Impl::createContainer(const SandboxId& sandbox,
                                                                   const ContainerConfig& config) {
  SandboxRecord pod;
  {
    std::lock_guard lock(m_stateMutex);
    auto it = m_sandboxes.find(sandbox);
    if (it == m_sandboxes.end()) return error("no sandbox " + sandbox);
    pod = it->second;
  }
  auto reference = containerd::normalizeImageReference(config.image);
  if (!reference) return reference.error();
  std::optional<LoadedImage> image;
  // The image the engine just inspected or pulled, by its config digest.
  if (auto seen = m_inspected.find(config.imageId); !config.imageId.empty() && seen != m_inspected.end() &&
                                                    seen->second.reference == *reference) {
    image = seen->second;
  } else {
    auto target = m_client->getImage(*reference);
    if (!target) return target.error();
    if (!*target) return error(notPresentMessage(config.image, *reference));
    auto loaded = loadImage(*reference, **target);
    if (!loaded) return loaded.error();
    image = std::move(*loaded);
  }

  auto args = containerd::processArgs(image->config, config.command, config.args);
  if (!args) return args.error();
  auto user = containerd::parseImageUser(image->config.user);
  if (!user) return user.error();
  std::string parent = containerd::chainId(image->config.diffIds);
  if (!m_unpackedChains.contains(parent)) {
    auto unpacked = m_client->snapshotExists(parent);
    if (!unpacked) return unpacked.error();
    if (!*unpacked) {
      // In the content store but not in the snapshotter (pushed with
      // Content.Write, imported with --no-unpack, or its snapshots were
      // removed): unpack it now, as containerd's CRI would have at pull time.
      auto top = unpack(*image);
      if (!top) return top.error();
    }
    m_unpackedChains.insert(parent);
  }

  ContainerId id =
      containerd::makeContainerId(pod.config.podName, config.name, config.attempt, randomHex(6));

  int stopSignal = SIGTERM;
  if (!image->config.stopSignal.empty()) {
    auto parsed = containerd::parseSignal(image->config.stopSignal);
    if (!parsed) return parsed.error();
    stopSignal = *parsed;
  }

  containerd::RuntimeSpecInput spec;
  spec.args = std::move(*args);
  // The image's environment, then the manifest's: a name in both takes the
  // manifest's value in the image's place.
  spec.env = containerd::processEnv(image->config, pod.hostname);
  for (const auto& [name, value] : config.env) {
    std::string entry = name + "=" + value;
    auto same = std::find_if(spec.env.begin(), spec.env.end(),
                             [&](const std::string& e) { return e.compare(0, name.size() + 1, name + "=") == 0; });
    if (same != spec.env.end()) {
      *same = std::move(entry);
    } else {
      spec.env.push_back(std::move(entry));
    }
  }
  spec.cwd = !config.workingDir.empty()            ? config.workingDir
             : image->config.workingDir.empty() ? "/"
                                                 : image->config.workingDir;
  spec.uid = config.runAsUser ? static_cast<std::uint32_t>(*config.runAsUser) : user->uid;
  spec.gid = config.runAsGroup ? static_cast<std::uint32_t>(*config.runAsGroup) : user->gid;
  for (const VolumeMountConfig& m : config.mounts) {
    auto source = containerd::prepareVolume(pod.paths.dir, m);
    if (!source) return core::Error{"volume " + m.volume + ": " + source.error().message, {}, {}};
    spec.binds.push_back({m.mountPath, *source, m.readOnly});
  }
  if (config.resources.memoryBytes) spec.memoryLimitBytes = *config.resources.memoryBytes;
  if (config.resources.cpuLimitMillis) {
    spec.cpuQuotaMicros = containerd::cpuQuotaFromMillis(*config.resources.cpuLimitMillis, spec.cpuPeriodMicros);
  }
  if (config.resources.cpuRequestMillis) {
    spec.cpuShares = containerd::cpuSharesFromMillis(*config.resources.cpuRequestMillis);
  }
  spec.networkNamespace = pod.paths.network;
  spec.ipcNamespace = pod.paths.ipc;
  spec.utsNamespace = pod.paths.uts;
  spec.shmPath = pod.paths.shm;
  spec.hostsPath = pod.paths.hosts;
  spec.hostnamePath = pod.paths.hostname;
  spec.cgroupsPath = "/" + m_options.containerdNamespace + "/" + id;
  // The kubelet mounts a fresh file at terminationMessagePath for each
  // container instance and reads it when the container ends.
  std::string terminationPath;
  if (!config.terminationMessagePath.empty()) {
    auto file = containerd::createTerminationMessageFile(pod.paths.dir, id);
    if (!file) return file.error();
    terminationPath = *file;
    spec.binds.push_back({config.terminationMessagePath, terminationPath, false});
  }

  containerd::NewContainer container;
  container.id = id;
  container.image = *reference;
  container.snapshotKey = id;
  container.labels = {
      {"podscope.io/sandbox", sandbox},
      {"podscope.io/pod", pod.config.podName},
      {"podscope.io/pod-namespace", pod.config.podNamespace},
      {"podscope.io/pod-uid", pod.config.podUid},
      {"podscope.io/container", config.name},
      {"podscope.io/attempt", std::to_string(config.attempt)},
      {"podscope.io/init", config.init ? "true" : "false"},
      {std::string(kRunLabel), m_runId},
      {std::string(kStateDirLabel), m_options.stateDir},
  };
  if (!config.ports.empty()) {
    std::string ports;
    for (const std::string& p : config.ports) ports += (ports.empty() ? "" : ",") + p;
    container.labels["podscope.io/ports"] = ports;
  }
  for (const auto& [key, value] : container.labels) spec.annotations.emplace_back(key, value);
  container.specJson = containerd::buildRuntimeSpec(spec);

  // The lease keeps the new snapshot from the garbage collector until the
  // container that references it exists.
  if (auto st = m_client->createLease(id); !st) return st.error();
  auto mounts = m_client->prepareSnapshot(
      id, parent, id, {{std::string(kRunLabel), m_runId}, {std::string(kStateDirLabel), m_options.stateDir}});
  if (!mounts) {
    (void)m_client->deleteLease(id);
    return mounts.error();
  }
  if (auto st = m_client->createContainer(container, id); !st) {
    (void)m_client->removeSnapshot(id);
    (void)m_client->deleteLease(id);
    return st.error();
  }
  (void)m_client->deleteLease(id);

  std::string logPath = config.logPath;
  if (!logPath.empty()) {
    std::error_code ec;
    auto absolute = std::filesystem::absolute(logPath, ec);
    if (!ec) logPath = absolute.string();
  }
  std::lock_guard lock(m_stateMutex);
  ContainerRecord& rec = m_containers[id];
  rec.sandbox = sandbox;
  rec.rootfs = std::move(*mounts);
  rec.logPath = logPath;
  rec.cgroupsPath = spec.cgroupsPath;
  rec.specJson = container.specJson;
  rec.terminationPath = terminationPath;
  rec.stopSignal = stopSignal;
  return id;
}

void ContainerdRuntime::Impl::startContainer(const ContainerId& id, StatusCallback done) {
  std::vector<containerd::MountSpec> rootfs;
  std::string logPath;
  {
    std::lock_guard lock(m_stateMutex);
    auto it = m_containers.find(id);
    if (it == m_containers.end()) return reply(std::move(done), error("no container " + id));
    rootfs = it->second.rootfs;
    logPath = it->second.logPath;
  }
  // Its exit must not go unseen.
  if (auto st = eventsFlowing(); !st) return reply(std::move(done), st);
  // Empty stdio gives the process /dev/null (the shim's null IO) with no copy
  // loop. A log gets both streams, interleaved as written, through a FIFO
  // the output pump copies into the file as it arrives (output_pump.h says
  // why not a file:// URI).
  std::optional<OutputPump::Id> pipe;
  std::string fifo;
  if (!logPath.empty()) {
    std::error_code ec;
    std::filesystem::create_directories(m_options.stateDir + "/logs", ec);
    fifo = m_options.stateDir + "/logs/" + id + ".fifo";
    std::filesystem::create_directories(std::filesystem::path(logPath).parent_path(), ec);
    auto opened = m_outputPump.open(fifo, 0, logPath);
    if (!opened) return reply(std::move(done), core::Status(opened.error()));
    pipe = *opened;
  }
  auto dropPipe = [&] {
    if (pipe) m_outputPump.drop(*pipe);
  };
  if (auto st = m_client->createTask(id, rootfs, fifo, fifo); !st) {
    dropPipe();
    return reply(std::move(done), st);
  }
  // The shim opened its ends of the FIFO when it created the task.
  if (pipe) m_outputPump.writersOpened(*pipe);
  if (auto st = m_client->startTask(id); !st) {
    (void)m_client->deleteTask(id);
    dropPipe();
    return reply(std::move(done), st);
  }
  // Under the state lock, so an exit that raced ahead of this reply is
  // posted after it.
  std::lock_guard lock(m_stateMutex);
  auto it = m_containers.find(id);
  reply(std::move(done), core::Status::ok());
  if (it == m_containers.end()) {
    dropPipe();
    return;
  }
  it->second.logPipe = pipe;
  it->second.startPosted = true;
  if (it->second.pendingExit) {
    postExitLocked(id, *it->second.pendingExit);
    it->second.pendingExit.reset();
  }
}

core::Status ContainerdRuntime::Impl::killContainer(const ContainerId& id, int signal) {
  if (signal <= 0 || signal > 64) return error("invalid signal " + std::to_string(signal));
  {
    std::lock_guard lock(m_stateMutex);
    if (auto it = m_containers.find(id); it != m_containers.end()) {
      // SIGTERM is the engine's "stop": the image may ask for another
      // signal (STOPSIGNAL), which containerd's CRI plugin sends instead.
      if (signal == SIGTERM) signal = it->second.stopSignal;
      it->second.signalsSent.insert(signal);
    }
  }
  return m_client->killTask(id, static_cast<std::uint32_t>(signal));
}

core::Status ContainerdRuntime::Impl::removeContainer(const ContainerId& id) {
  {
    std::lock_guard lock(m_stateMutex);
    if (auto it = m_containers.find(id); it != m_containers.end()) it->second.removing = true;
  }
  auto task = m_client->getTask(id);
  if (!task) return task.error();
  if (*task) {
    if ((*task)->state != containerd::TaskState::Stopped) {
      (void)m_client->killTask(id, SIGKILL);
      (void)m_client->waitTask(id, kKillWaitTimeout);
    }
    if (auto st = m_client->deleteTask(id); !st) return st;
  }
  checkExecsOf(id);
  {
    std::lock_guard lock(m_stateMutex);
    if (auto it = m_containers.find(id); it != m_containers.end() && it->second.logPipe) {
      m_outputPump.drop(*it->second.logPipe);
      it->second.logPipe.reset();
    }
  }
  if (auto st = m_client->deleteContainer(id); !st) return st;
  if (auto st = m_client->removeSnapshot(id); !st) return st;
  std::lock_guard lock(m_stateMutex);
  m_containers.erase(id);
  return {};
}

// --- handlers: exec ------------------------------------------------------------

void ContainerdRuntime::Impl::exec(const ContainerId& id, const ExecRequest& request,
                                   Callback<ExecResult> done) {
  // Unique within this runtime, and a valid containerd identifier.
  std::string execId = m_execPrefix + std::to_string(++m_execCount);
  m_execQueue.push([this, id, execId, request, done = std::move(done)]() mutable {
    startExec(id, execId, request, std::move(done));
  });
}

void ContainerdRuntime::Impl::startExec(const ContainerId& id, const std::string& execId,
                                        const ExecRequest& request, Callback<ExecResult> done) {
  std::string specJson;
  {
    std::lock_guard lock(m_stateMutex);
    auto it = m_containers.find(id);
    if (it == m_containers.end() || it->second.removing) {
      return reply(std::move(done), core::Result<ExecResult>(error("no container " + id)));
    }
    specJson = it->second.specJson;
  }
  auto task = m_client->getTask(id);
  if (!task) return reply(std::move(done), core::Result<ExecResult>(task.error()));
  if (!*task || (*task)->state != containerd::TaskState::Running) {
    return reply(std::move(done),
                 core::Result<ExecResult>(error(
                     "cannot exec in container " + id + ": it is not running (its process "
                     "has exited or was never started)")));
  }
  auto process = containerd::execProcessSpec(specJson, request.argv);
  if (!process) return reply(std::move(done), core::Result<ExecResult>(process.error()));

  // stdout and stderr go to one FIFO in the state directory, interleaved as
  // written, which the output pump reads (output_pump.h says why not a file).
  std::string dir = m_options.stateDir + "/execs";
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) {
    return reply(std::move(done),
                 core::Result<ExecResult>(error("cannot create " + dir + ": " + ec.message())));
  }
  // Named after the container too, so leftovers say whose they were.
  const std::string fifo = dir + "/" + id + "." + execId + ".out";
  core::Result<OutputPump::Id> output = m_outputPump.open(fifo, request.maxOutput);
  if (!output) return reply(std::move(done), core::Result<ExecResult>(output.error()));
  if (auto st = m_client->execProcess(id, execId, *process, fifo, fifo); !st) {
    m_outputPump.drop(*output);
    return reply(std::move(done), core::Result<ExecResult>(st.error()));
  }
  // Known before it starts: its exit event may beat Start's reply.
  {
    std::lock_guard lock(m_execMutex);
    PendingExec& pending = m_execs[execId];
    pending.container = id;
    pending.output = *output;
    pending.maxOutput = request.maxOutput;
    pending.done = std::move(done);
  }
  if (auto st = m_client->startProcess(id, execId); !st) {
    Callback<ExecResult> failed;
    {
      std::lock_guard lock(m_execMutex);
      auto it = m_execs.find(execId);
      if (it != m_execs.end()) {
        failed = std::move(it->second.done);
        m_execs.erase(it);
      }
    }
    (void)m_client->deleteProcess(id, execId);
    m_outputPump.drop(*output);
    if (failed) reply(std::move(failed), core::Result<ExecResult>(st.error()));
    return;
  }
  // The shim opened its ends of the FIFO when the process started.
  m_outputPump.writersOpened(*output);
  if (request.timeout) {
    m_timers.schedule(*request.timeout,
                      [this, execId] { execTimedOut(execId); });
  }
}

// Events thread.
void ContainerdRuntime::Impl::execExited(const std::string& execId, std::uint32_t status) {
  if (!claimExec(execId)) return;  // another client's exec, or already handled
  m_execQueue.push([this, execId, status] { finishExec(execId, status); });
}

// Timer thread.
void ContainerdRuntime::Impl::execTimedOut(const std::string& execId) {
  ContainerId container;
  {
    std::lock_guard lock(m_execMutex);
    auto it = m_execs.find(execId);
    if (it == m_execs.end() || it->second.finishing) return;
    it->second.timedOut = true;
    container = it->second.container;
  }
  m_execQueue.push([this, container, execId] {
    // As the CRI's ExecSync: the command is killed, and its exit event
    // (status 137) then ends it as usual.
    (void)m_client->killProcess(container, execId, SIGKILL);
    scheduleExecCheck(execId, kExecCheckInterval);
  });
}

void ContainerdRuntime::Impl::scheduleExecCheck(const std::string& execId, milliseconds after) {
  m_timers.schedule(after, [this, execId] {
    m_execQueue.push([this, execId] { checkExec(execId, /*again=*/true); });
  });
}

void ContainerdRuntime::Impl::checkExecsOf(const ContainerId& id) {
  std::vector<std::string> execs;
  {
    std::lock_guard lock(m_execMutex);
    for (const auto& [execId, pending] : m_execs) {
      if (pending.container == id && !pending.finishing) execs.push_back(execId);
    }
  }
  for (const auto& execId : execs) scheduleExecCheck(execId, kExecCheckInterval);
}

// Exec queue. Only for execs whose exit may have gone unseen: the normal end
// is the exit event.
void ContainerdRuntime::Impl::checkExec(const std::string& execId, bool again) {
  ContainerId container;
  {
    std::lock_guard lock(m_execMutex);
    auto it = m_execs.find(execId);
    if (it == m_execs.end() || it->second.finishing) return;
    container = it->second.container;
  }
  auto process = m_client->getProcess(container, execId);
  if (process && (!*process || (*process)->state == containerd::TaskState::Stopped)) {
    if (!claimExec(execId)) return;
    std::optional<std::uint32_t> status;
    if (*process) status = (*process)->exitStatus;
    return finishExec(execId, status);
  }
  if (again) scheduleExecCheck(execId, kExecCheckInterval);
}

bool ContainerdRuntime::Impl::claimExec(const std::string& execId) {
  std::lock_guard lock(m_execMutex);
  auto it = m_execs.find(execId);
  if (it == m_execs.end() || it->second.finishing) return false;
  it->second.finishing = true;
  return true;
}

// Exec queue, for a claimed exec. `status` is unknown when the process went
// with its whole task.
void ContainerdRuntime::Impl::finishExec(const std::string& execId,
                                         std::optional<std::uint32_t> status) {
  PendingExec pending;
  {
    std::lock_guard lock(m_execMutex);
    auto it = m_execs.find(execId);
    if (it == m_execs.end()) return;
    pending = std::move(it->second);
    m_execs.erase(it);
  }
  // Waits (at most a couple of seconds) for the shim to copy the last
  // output, then closes its ends of the FIFO: the pump sees the end at once.
  (void)m_client->deleteProcess(pending.container, execId);

  ExecResult result;
  result.exitCode = status ? static_cast<int>(*status) : 137;
  result.timedOut = pending.timedOut;
  result.output = m_outputPump.take(pending.output, kOutputDrainTimeout);
  if (!status && !pending.timedOut) {
    return reply(std::move(pending.done),
                 core::Result<ExecResult>(error("container " + pending.container +
                                                " stopped before the command finished")));
  }
  reply(std::move(pending.done), core::Result<ExecResult>(std::move(result)));
}

// Exec queue, at shutdown.
void ContainerdRuntime::Impl::abandonExecs() {
  std::map<std::string, PendingExec> execs;
  {
    std::lock_guard lock(m_execMutex);
    execs.swap(m_execs);
  }
  for (auto& [execId, pending] : execs) {
    (void)m_client->killProcess(pending.container, execId, SIGKILL);
    (void)m_client->deleteProcess(pending.container, execId);
    m_outputPump.drop(pending.output);
    reply(std::move(pending.done),
          core::Result<ExecResult>(error("the runtime shut down before the command finished")));
  }
}

// --- handlers: network -----------------------------------------------------------

template <typename R, typename Done>
void ContainerdRuntime::Impl::runInPodNetwork(const SandboxId& sandbox, std::function<R(int)> work,
                                              Done done) {
  std::string netns;
  {
    std::lock_guard lock(m_stateMutex);
    if (auto it = m_sandboxes.find(sandbox); it != m_sandboxes.end()) netns = it->second.paths.network;
  }
  if (netns.empty()) return reply(std::move(done), R(error("no sandbox " + sandbox)));
  // The thread is left in the pod's namespace and ends with the handler, so
  // nothing else ever runs there by accident.
  bool started = m_handlers.spawn([this, netns, work = std::move(work), done]() mutable {
    if (auto entered = containerd::enterNetworkNamespace(netns); !entered) {
      return reply(std::move(done), R(entered.error()));
    }
    reply(std::move(done), work(m_cancelFd));
  });
  if (!started) reply(std::move(done), R(error("the runtime is shutting down")));
}

// --- ContainerdRuntime ---------------------------------------------------------

namespace {

struct OpenedClient {
  std::unique_ptr<ContainerdClient> client;
  std::string version;
};

// Resolves `resolved` (address as an absolute socket path, namespace and
// state directory filled in), checks the socket is containerd's, and opens
// a client in the namespace, creating it if needed.
core::Result<OpenedClient> openClient(ContainerdOptions& resolved) {
  resolved.address = socketPathOf(resolved.address);
  if (resolved.address.empty()) return error("no containerd address given: " + startHint());
  // gRPC would read a relative path as an authority, not a file.
  std::error_code ec;
  if (auto absolute = std::filesystem::absolute(resolved.address, ec); !ec) {
    resolved.address = absolute.lexically_normal().string();
  }
  if (resolved.containerdNamespace.empty()) resolved.containerdNamespace = "podscope";
  if (resolved.stateDir.empty()) resolved.stateDir = stateDirByDefault();

  if (auto st = checkSocket(resolved.address); !st) return st.error();

  auto client = std::make_unique<ContainerdClient>(resolved.address, resolved.containerdNamespace);
  containerd::RpcFailure failure = containerd::RpcFailure::None;
  auto version = client->version(kConnectTimeout, &failure);
  if (!version) {
    const std::string& path = resolved.address;
    switch (failure) {
      case containerd::RpcFailure::Unimplemented:
        return error(path + " is not containerd: it answered, but has no containerd Version "
                            "service; pass containerd's socket with --address");
      case containerd::RpcFailure::Unavailable:
        return error(path + " is not containerd: it accepted a connection but does not speak "
                            "containerd's gRPC API (" + version.error().message +
                     "); pass containerd's socket with --address");
      case containerd::RpcFailure::DeadlineExceeded:
        return error(path + " did not answer within 5s; is it containerd's socket? " +
                     startHint());
      case containerd::RpcFailure::None:
      case containerd::RpcFailure::NotFound:
      case containerd::RpcFailure::AlreadyExists:
      case containerd::RpcFailure::FailedPrecondition:
      case containerd::RpcFailure::Cancelled:
      case containerd::RpcFailure::Other:
        return error("containerd at " + path + " failed to report its version: " +
                     version.error().message);
    }
  }
  if (auto st = containerd::checkContainerdVersion(*version, resolved.address); !st) return st.error();
  if (auto st = client->ensureNamespace(); !st) return st.error();
  return OpenedClient{std::move(client), *version};
}

}  // namespace

core::Result<std::unique_ptr<ContainerdRuntime>> ContainerdRuntime::connect(
    Executor& executor, const ContainerdOptions& options) {
  ContainerdOptions resolved = options;
  auto opened = openClient(resolved);
  if (!opened) return opened.error();
  std::error_code ec;
  std::filesystem::create_directories(resolved.stateDir, ec);
  if (ec) return error("cannot create the state directory " + resolved.stateDir + ": " + ec.message());

  auto impl = std::make_unique<Impl>(executor, resolved, std::move(opened->client), opened->version);
  if (auto st = impl->claimRun(); !st) return st.error();
  impl->startEvents();
  return std::unique_ptr<ContainerdRuntime>(new ContainerdRuntime(std::move(impl)));
}

namespace {
core::Result<ContainerdLeftovers> leftoversSeenBy(ContainerdClient& client, const ContainerdOptions& resolved);
}  // namespace

std::string ContainerdRuntime::defaultStateDir() { return stateDirByDefault(); }

core::Result<ContainerdLeftovers> ContainerdRuntime::findLeftovers(const ContainerdOptions& options) {
  ContainerdOptions resolved = options;
  auto opened = openClient(resolved);
  if (!opened) return opened.error();
  return leftoversSeenBy(*opened->client, resolved);
}

core::Result<ContainerdLeftovers> ContainerdRuntime::leftovers() const {
  return leftoversSeenBy(*m_impl->m_client, m_impl->m_options);
}

namespace {
core::Result<ContainerdLeftovers> leftoversSeenBy(ContainerdClient& client, const ContainerdOptions& resolved) {
  ContainerdLeftovers found;
  std::set<std::string> runs;
  const std::string filter = "labels.\"" + std::string(kRunLabel) + "\"";
  auto leftBy = [&](const std::map<std::string, std::string>& labels) -> bool {
    auto run = labels.find(std::string(kRunLabel));
    auto dir = labels.find(std::string(kStateDirLabel));
    if (run == labels.end() || dir == labels.end() || dir->second != resolved.stateDir) return false;
    if (!containerd::runIsGone(resolved.stateDir, run->second)) return false;
    runs.insert(run->second);
    return true;
  };
  auto containers = client.listContainers(filter);
  if (!containers) return containers.error();
  for (const auto& [id, labels] : *containers) {
    if (leftBy(labels)) found.containers.push_back(id);
  }
  auto snapshots = client.listSnapshots(filter);
  if (!snapshots) return snapshots.error();
  for (const auto& [key, labels] : *snapshots) {
    // A container's snapshot has the container's id as its key and goes
    // with it.
    if (leftBy(labels) && std::find(found.containers.begin(), found.containers.end(), key) == found.containers.end()) {
      found.snapshots.push_back(key);
    }
  }
  std::error_code ec;
  const std::string sandboxes = resolved.stateDir + "/sandboxes";
  if (std::filesystem::is_directory(sandboxes, ec)) {
    for (const auto& entry : std::filesystem::directory_iterator(sandboxes, ec)) {
      std::ifstream owner(containerd::PodSandboxPaths::under(entry.path().string()).owner);
      std::string run;
      if (!(owner >> run) || !containerd::runIsGone(resolved.stateDir, run)) continue;
      runs.insert(run);
      found.sandboxes.push_back(entry.path().string());
    }
  }
  // Lock files of runs that are gone but left nothing else.
  const std::string lockDir = resolved.stateDir + "/runs";
  if (std::filesystem::is_directory(lockDir, ec)) {
    for (const auto& entry : std::filesystem::directory_iterator(lockDir, ec)) {
      if (entry.path().extension() != ".lock") continue;
      std::string run = entry.path().stem().string();
      if (containerd::runIsGone(resolved.stateDir, run)) runs.insert(run);
    }
  }
  // A run removes what it made before its lock goes, but it may have done
  // both between the listing above and the look at its lock: what is still
  // there now that its lock is known free was really left behind.
  if (!found.containers.empty() || !found.snapshots.empty() || !found.sandboxes.empty()) {
    auto stillThere = [](std::vector<std::string>& candidates, const auto& listed) {
      std::set<std::string> present;
      for (const auto& [name, labels] : listed) present.insert(name);
      std::erase_if(candidates, [&](const std::string& name) { return !present.contains(name); });
    };
    auto containersNow = client.listContainers(filter);
    if (!containersNow) return containersNow.error();
    stillThere(found.containers, *containersNow);
    auto snapshotsNow = client.listSnapshots(filter);
    if (!snapshotsNow) return snapshotsNow.error();
    stillThere(found.snapshots, *snapshotsNow);
    std::erase_if(found.sandboxes, [](const std::string& dir) {
      std::error_code gone;
      return !std::filesystem::exists(dir, gone);
    });
  }
  found.runs.assign(runs.begin(), runs.end());
  return found;
}
}  // namespace

std::vector<std::string> ContainerdRuntime::removeLeftovers(const ContainerdOptions& options,
                                                            const ContainerdLeftovers& leftovers,
                                                            const LeftoverRemovalProgress& progress) {
  std::vector<std::string> problems;
  ContainerdOptions resolved = options;
  auto opened = openClient(resolved);
  if (!opened) return {opened.error().message};
  ContainerdClient& client = *opened->client;
  auto note = [&](const core::Status& st) {
    if (!st) problems.push_back(st.error().message);
    return static_cast<bool>(st);
  };
  const std::size_t total = leftovers.objectCount();
  std::size_t done = 0;
  auto goOn = [&](LeftoverKind kind, const std::string& name) {
    const bool carryOn = !progress || progress(LeftoverRemovalStep{done, total, LeftoverObject{kind, name}});
    ++done;
    return carryOn;
  };
  for (const std::string& id : leftovers.containers) {
    if (!goOn(LeftoverKind::Container, id)) return problems;
    auto task = client.getTask(id);
    if (!note(task ? core::Status{} : core::Status{task.error()})) continue;
    if (*task) {
      if ((*task)->state != containerd::TaskState::Stopped) {
        (void)client.killTask(id, SIGKILL);
        (void)client.waitTask(id, kKillWaitTimeout);
      }
      if (!note(client.deleteTask(id))) continue;
    }
    if (!note(client.deleteContainer(id))) continue;
    note(client.removeSnapshot(id));
    // Its log's FIFO, and the output pipes of execs that ran in it.
    std::error_code ec;
    std::filesystem::remove(resolved.stateDir + "/logs/" + id + ".fifo", ec);
    const std::string execs = resolved.stateDir + "/execs";
    if (std::filesystem::is_directory(execs, ec)) {
      for (const auto& entry : std::filesystem::directory_iterator(execs, ec)) {
        if (entry.path().filename().string().rfind(id + ".", 0) == 0) std::filesystem::remove(entry.path(), ec);
      }
    }
  }
  for (const std::string& key : leftovers.snapshots) {
    if (!goOn(LeftoverKind::Snapshot, key)) return problems;
    note(client.removeSnapshot(key));
  }
  for (const std::string& dir : leftovers.sandboxes) {
    if (!goOn(LeftoverKind::Sandbox, dir)) return problems;
    if (note(containerd::removePodVolumes(dir))) note(containerd::removePodSandbox(dir));
  }
  for (const std::string& run : leftovers.runs) {
    if (!containerd::runIsGone(resolved.stateDir, run)) continue;
    std::error_code ec;
    std::filesystem::remove(containerd::runLockPath(resolved.stateDir, run), ec);
  }
  return problems;
}

ContainerdRuntime::ContainerdRuntime(std::unique_ptr<Impl> impl) : m_impl(std::move(impl)) {
  m_impl->m_owner->runtime = this;
}

ContainerdRuntime::~ContainerdRuntime() {
  // Exit notifications still queued on the loop must not reach a dead object.
  m_impl->m_owner->runtime = nullptr;
  m_impl->shutdown();
}

std::string ContainerdRuntime::name() const { return "containerd " + shortVersion(m_impl->m_version); }

const std::string& ContainerdRuntime::version() const { return m_impl->m_version; }

const ContainerdOptions& ContainerdRuntime::options() const { return m_impl->m_options; }

void ContainerdRuntime::prepareImages(const std::vector<std::string>& images) { m_impl->prefetch(images); }

void ContainerdRuntime::inspectImage(const std::string& image, Callback<ImageInfo> done) {
  m_impl->enqueue([impl = m_impl.get(), image, done = std::move(done)]() mutable {
    impl->reply(std::move(done), impl->inspect(image));
  });
}

void ContainerdRuntime::pullImage(const std::string& image, Callback<ImageInfo> done) {
  m_impl->enqueuePull([impl = m_impl.get(), image, done = std::move(done)]() mutable {
    impl->reply(std::move(done), impl->pull(image));
  });
}

void ContainerdRuntime::createSandbox(const SandboxConfig& config, Callback<SandboxId> done) {
  m_impl->enqueue([impl = m_impl.get(), config, done = std::move(done)]() mutable {
    impl->reply(std::move(done), impl->createSandbox(config));
  });
}

void ContainerdRuntime::removeSandbox(const SandboxId& sandbox, StatusCallback done) {
  m_impl->enqueue([impl = m_impl.get(), sandbox, done = std::move(done)]() mutable {
    impl->reply(std::move(done), impl->removeSandbox(sandbox));
  });
}

void ContainerdRuntime::createContainer(const SandboxId& sandbox, const ContainerConfig& config,
                                        Callback<ContainerId> done) {
  m_impl->enqueue([impl = m_impl.get(), sandbox, config, done = std::move(done)]() mutable {
    impl->reply(std::move(done), impl->createContainer(sandbox, config));
  });
}

void ContainerdRuntime::startContainer(const ContainerId& container, StatusCallback done) {
  m_impl->enqueue([impl = m_impl.get(), container, done = std::move(done)]() mutable {
    impl->startContainer(container, std::move(done));
  });
}

int ContainerdRuntime::stopSignal(const ContainerId& container) const {
  return m_impl->stopSignalOf(container);
}

void ContainerdRuntime::killContainer(const ContainerId& container, int signal,
                                      StatusCallback done) {
  m_impl->enqueue([impl = m_impl.get(), container, signal, done = std::move(done)]() mutable {
    impl->reply(std::move(done), impl->killContainer(container, signal));
  });
}

void ContainerdRuntime::removeContainer(const ContainerId& container, StatusCallback done) {
  m_impl->enqueue([impl = m_impl.get(), container, done = std::move(done)]() mutable {
    impl->reply(std::move(done), impl->removeContainer(container));
  });
}

// Pods here have a network namespace of their own with nothing but loopback
// in it (no CNI plugin, no veth): 127.0.0.1 is the one address on which the
// pod's containers, and handlers run inside its namespace, reach each other,
// and the address the pod's /etc/hosts gives. Every pod has it, each in its
// own namespace, so handlers always run from inside the pod they probe.
std::string ContainerdRuntime::podIP(const SandboxId& /*sandbox*/) const { return "127.0.0.1"; }

void ContainerdRuntime::exec(const ContainerId& container, const ExecRequest& request,
                             Callback<ExecResult> done) {
  m_impl->exec(container, request, std::move(done));
}

void ContainerdRuntime::httpGet(const SandboxId& sandbox, const HttpRequest& request,
                                Callback<HttpResponse> done) {
  m_impl->runInPodNetwork<core::Result<HttpResponse>>(
      sandbox, [request](int cancelFd) { return containerd::httpGet(request, cancelFd); },
      std::move(done));
}

void ContainerdRuntime::tcpConnect(const SandboxId& sandbox, const TcpRequest& request,
                                   StatusCallback done) {
  m_impl->runInPodNetwork<core::Status>(
      sandbox, [request](int cancelFd) { return containerd::tcpConnect(request, cancelFd); },
      std::move(done));
}

void ContainerdRuntime::grpcHealthCheck(const SandboxId& sandbox, const GrpcRequest& request,
                                        Callback<GrpcResponse> done) {
  m_impl->runInPodNetwork<core::Result<GrpcResponse>>(
      sandbox, [request](int cancelFd) { return containerd::grpcHealthCheck(request, cancelFd); },
      std::move(done));
}

}  // namespace podscope::engine
