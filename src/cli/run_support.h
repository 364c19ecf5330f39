#pragma once
// What `podscope-cli run` does around a run, for a Pod and a Deployment
// alike: the simulation scenario from a side file, the container log
// folder, the connection to containerd, and Ctrl-C ending the run cleanly.
// Each step prints its own problem to stderr in the CLI's words.
// Thread contract: main thread, except the signal watcher's callback, which
// runs on a thread of its own.

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <thread>

#include <csignal>

#include "core/manifest.h"
#include "core/result.h"
#include "core/scenario.h"
#include "engine/clock.h"
#include "engine/runtime/containerd/containerd_runtime.h"

namespace podscope::cli {

/// The scenario for a simulated run: --scenario FILE (`flag`), else the
/// side file next to `manifestPath` (none when it is empty or absent).
/// Containers the scenario names that `spec` lacks are warned about. Errors
/// are printed; nullopt then means "stop", an empty inner optional "none".
std::optional<std::optional<core::Scenario>> loadScenario(const std::string& flag, const std::string& manifestPath,
                                                          const core::PodSpec& spec);

/// The folder for container logs: --log-dir (`flag`), else the per-user
/// default `podscope-cli logs` reads; created private. Sets `dir` (empty
/// when logs cannot be kept, with a warning); false when --log-dir itself
/// cannot be used.
bool prepareLogDir(const std::string& flag, std::string& dir);

/// Connects to containerd; prints `containerd: <why>` when it cannot.
std::unique_ptr<engine::ContainerdRuntime> connectContainerd(engine::EventLoop& loop, const std::string& address,
                                                             const std::string& containerdNamespace,
                                                             const std::string& stateDir);

/// Ctrl-C (SIGINT) and SIGTERM end a run instead of killing the program with
/// containers left behind. Blocks them in the calling thread (construct it
/// before any other thread starts, so every thread inherits the mask);
/// watch() then calls `onSignal` from a thread of its own for each one
/// until stopWatching() or the destructor.
class StopSignals {
 public:
  StopSignals();
  ~StopSignals();
  StopSignals(const StopSignals&) = delete;
  StopSignals& operator=(const StopSignals&) = delete;

  void watch(std::function<void(int signal)> onSignal);
  /// Stops watching (the destructor does too): call it before whatever the
  /// callback uses goes away.
  void stopWatching();

 private:
  sigset_t m_signals;
  std::thread m_thread;
};

}  // namespace podscope::cli
