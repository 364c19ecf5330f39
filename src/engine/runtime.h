#pragma once
// The container runtime seam, shaped after the CRI: the engine decides, a
// Runtime does. Implementations: runtime/simulated (virtual time) and
// runtime/containerd (native gRPC API); tests use a recording fake.
//
// Thread contract: every method is called on the engine thread and must not
// block; every callback (and the exit handler) is invoked on the engine
// thread, posted through the Executor the runtime was built with.

#include <functional>
#include <string>
#include <vector>

#include "core/manifest.h"
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
};

struct ImageInfo {
  std::string reference;  ///< fully qualified, e.g. docker.io/library/busybox:latest
  std::string id;         ///< the image's config digest, when known
  bool present = false;   ///< already on this machine
};

struct ContainerConfig {
  std::string name;
  std::string image;  ///< as written in the manifest; the runtime resolves it
  std::vector<std::string> command;
  std::vector<std::string> args;
  bool init = false;
  int attempt = 0;      ///< restart count of this container when created
  std::string logPath;  ///< where stdout/stderr go; empty discards them
};

/// How a container's process ended.
struct ContainerExit {
  int exitCode = 0;
  int signal = 0;          ///< the signal that killed it, 0 if it exited
  bool oomKilled = false;  ///< the kernel's OOM killer ended it
};

class Runtime {
 public:
  using ExitHandler = std::function<void(const ContainerId&, const ContainerExit&)>;

  virtual ~Runtime() = default;

  /// "simulated", "containerd 1.6.20", ... for records and status lines.
  virtual std::string name() const = 0;

  using NoteHandler = std::function<void(const ContainerId&, const std::string&)>;

  /// Called whenever a started container's main process ends.
  void setExitHandler(ExitHandler handler) { m_exitHandler = std::move(handler); }
  /// Called with things the runtime wants the user to know about a
  /// container that are not state changes (e.g. a simulator's assumptions).
  void setNoteHandler(NoteHandler handler) { m_noteHandler = std::move(handler); }

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
  /// Sends `signal` to the container's main process.
  virtual void killContainer(const ContainerId& container, int signal, StatusCallback done) = 0;
  /// Removes an exited container and everything it held (task, snapshot).
  virtual void removeContainer(const ContainerId& container, StatusCallback done) = 0;

 protected:
  void notifyExit(const ContainerId& id, const ContainerExit& exit) {
    if (m_exitHandler) m_exitHandler(id, exit);
  }
  void notifyNote(const ContainerId& id, const std::string& note) {
    if (m_noteHandler) m_noteHandler(id, note);
  }

 private:
  ExitHandler m_exitHandler;
  NoteHandler m_noteHandler;
};

}  // namespace podscope::engine
