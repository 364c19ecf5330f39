#include "cli/run_support.h"

#include <pthread.h>

#include <iostream>
#include <utility>

#include "core/user_dirs.h"

namespace podscope::cli {

std::optional<std::optional<core::Scenario>> loadScenario(const std::string& flag, const std::string& manifestPath,
                                                          const core::PodSpec& spec) {
  std::optional<core::Scenario> scenario;
  if (!flag.empty()) {
    auto read = core::readScenarioFile(flag);
    if (!read) {
      std::cerr << read.error().toString() << "\n";
      return std::nullopt;
    }
    scenario = std::move(*read);
  } else if (!manifestPath.empty()) {
    auto found = core::findScenarioFile(manifestPath);
    if (!found) {
      std::cerr << found.error().toString() << "\n";
      return std::nullopt;
    }
    scenario = std::move(*found);
  }
  if (scenario) {
    const std::string path = flag.empty() ? core::scenarioSideFilePath(manifestPath) : flag;
    for (const core::ScenarioError& e : core::checkScenarioContainers(*scenario, spec)) {
      std::cerr << path << ":" << e.line << ":" << e.column << ": warning: " << e.message << "\n";
    }
  }
  return scenario;
}

bool prepareLogDir(const std::string& flag, std::string& dir) {
  dir = flag.empty() ? core::defaultLogDir() : flag;
  if (dir.empty()) {
    std::cerr << "warning: neither XDG_STATE_HOME nor HOME is set to an absolute path, so container logs are not "
                 "kept (pass --log-dir DIR to keep them)\n";
    return true;
  }
  if (core::Status made = core::makePrivateDirectories(dir); !made) {
    if (!flag.empty()) {
      std::cerr << "--log-dir: " << made.error().message << "\n";
      return false;
    }
    std::cerr << "warning: " << made.error().message << "; container logs are not kept (pass --log-dir DIR)\n";
    dir.clear();
  }
  return true;
}

std::unique_ptr<engine::ContainerdRuntime> connectContainerd(engine::EventLoop& loop, const std::string& address,
                                                             const std::string& containerdNamespace,
                                                             const std::string& stateDir) {
  engine::ContainerdOptions options;
  options.address = address;
  options.containerdNamespace = containerdNamespace;
  options.stateDir = stateDir;
  auto runtime = engine::ContainerdRuntime::connect(loop, options);
  if (!runtime) {
    std::cerr << "containerd: " << runtime.error().message << "\n";
    return nullptr;
  }
  return std::move(*runtime);
}

StopSignals::StopSignals() {
  sigemptyset(&m_signals);
  sigaddset(&m_signals, SIGINT);
  sigaddset(&m_signals, SIGTERM);
  sigaddset(&m_signals, SIGUSR1);  // tells the watcher the run is over
  pthread_sigmask(SIG_BLOCK, &m_signals, nullptr);
}

StopSignals::~StopSignals() { stopWatching(); }

void StopSignals::stopWatching() {
  if (!m_thread.joinable()) return;
  pthread_kill(m_thread.native_handle(), SIGUSR1);
  m_thread.join();
}

void StopSignals::watch(std::function<void(int)> onSignal) {
  m_thread = std::thread([this, onSignal = std::move(onSignal)] {
    int received = 0;
    while (sigwait(&m_signals, &received) == 0) {
      if (received == SIGUSR1) return;
      onSignal(received);
    }
  });
}

}  // namespace podscope::cli
