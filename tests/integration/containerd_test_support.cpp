#include "containerd_test_support.h"

#include <array>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>

namespace podscope::testing {

core::Result<std::string> containerdAddress() {
  const char* address = std::getenv("PODSCOPE_CONTAINERD_ADDRESS");
  if (!address || !*address) {
    return core::Error{
        "PODSCOPE_CONTAINERD_ADDRESS is not set: run these tests through ctest, which starts a "
        "private containerd (fixture `containerd`), or start one yourself with "
        "`export PODSCOPE_CONTAINERD_ADDRESS=$(scripts/containerd-start.sh)`",
        {}, {}};
  }
  return std::string(address);
}

core::Result<engine::ContainerdOptions> testOptions() {
  auto address = containerdAddress();
  if (!address) return address.error();
  engine::ContainerdOptions options;
  options.address = *address;
  options.containerdNamespace = "podscope";
  std::string dir = address->substr(0, address->rfind('/'));
  options.stateDir = (dir.empty() ? std::string("/tmp") : dir) + "/podscope-state";
  return options;
}

std::string uniqueName(const std::string& prefix) {
  static std::mt19937_64 random(std::random_device{}());
  static std::mutex mutex;
  std::lock_guard lock(mutex);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out = prefix + "-";
  for (int i = 0; i < 6; ++i) out += kHex[random() & 0xf];
  return out;
}

std::string runCommand(const std::string& command) {
  std::string out;
  FILE* pipe = ::popen(command.c_str(), "r");
  if (!pipe) return out;
  std::array<char, 4096> buffer{};
  std::size_t n = 0;
  while ((n = std::fread(buffer.data(), 1, buffer.size(), pipe)) > 0) out.append(buffer.data(), n);
  ::pclose(pipe);
  return out;
}

std::vector<std::string> ctrList(const std::string& kind, const std::string& needle) {
  std::vector<std::string> found;
  auto address = containerdAddress();
  if (!address) return {"(no containerd address)"};
  // `ctr snapshots ls` has no -q: its first column is the key, under a
  // KEY header.
  const bool snapshots = kind == "snapshots";
  std::istringstream lines(
      runCommand("ctr -a '" + *address + "' -n podscope " + kind + (snapshots ? " ls" : " ls -q") + " 2>&1"));
  for (std::string line; std::getline(lines, line);) {
    if (snapshots) {
      line = line.substr(0, line.find_first_of(" \t"));
      if (line == "KEY") continue;
    }
    if (line.find(needle) != std::string::npos) found.push_back(line);
  }
  return found;
}

std::string readFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

TempDir::TempDir(const std::string& prefix)
    : m_path((std::filesystem::temp_directory_path() / uniqueName(prefix)).string()) {
  std::filesystem::create_directories(m_path);
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(m_path, ec);
}

RuntimeHarness::RuntimeHarness() : m_loopThread([this] { m_loop.run(); }) {}

RuntimeHarness::~RuntimeHarness() {
  destroyRuntime();
  m_loop.quit();
  m_loopThread.join();
}

core::Status RuntimeHarness::connect() {
  auto options = testOptions();
  if (!options) return options.error();
  return connect(*options);
}

core::Status RuntimeHarness::connect(const engine::ContainerdOptions& options) {
  std::promise<core::Status> connected;
  m_loop.post([&] {
    auto runtime = engine::ContainerdRuntime::connect(m_loop, options);
    if (!runtime) {
      connected.set_value(runtime.error());
      return;
    }
    m_runtime = std::move(*runtime);
    m_runtime->setExitHandler([this](const engine::ContainerId& id, const engine::ContainerExit& exit) {
      {
        std::lock_guard lock(m_mutex);
        m_exits[id] = exit;
      }
      note("exited:" + id);
    });
    connected.set_value(core::Status::ok());
  });
  return connected.get_future().get();
}

void RuntimeHarness::destroyRuntime() {
  std::promise<void> done;
  m_loop.post([&] {
    m_runtime.reset();
    done.set_value();
  });
  done.get_future().wait();
}

void RuntimeHarness::note(const std::string& entry) {
  {
    std::lock_guard lock(m_mutex);
    m_journal.push_back(entry);
  }
  m_changed.notify_all();
}

template <typename T>
core::Result<T> RuntimeHarness::await(std::function<void(engine::Callback<T>)> call) {
  auto promise = std::make_shared<std::promise<core::Result<T>>>();
  auto future = promise->get_future();
  m_loop.post([call, promise] {
    call([promise](core::Result<T> result) { promise->set_value(std::move(result)); });
  });
  if (future.wait_for(kTimeout) != std::future_status::ready) {
    return core::Error{"timed out waiting for the runtime", {}, {}};
  }
  return future.get();
}

core::Status RuntimeHarness::awaitStatus(std::function<void(engine::StatusCallback)> call) {
  auto promise = std::make_shared<std::promise<core::Status>>();
  auto future = promise->get_future();
  m_loop.post([call, promise] {
    call([promise](core::Status status) { promise->set_value(std::move(status)); });
  });
  if (future.wait_for(kTimeout) != std::future_status::ready) {
    return core::Error{"timed out waiting for the runtime", {}, {}};
  }
  return future.get();
}

core::Result<engine::ImageInfo> RuntimeHarness::inspectImage(const std::string& image) {
  return await<engine::ImageInfo>(
      [this, image](engine::Callback<engine::ImageInfo> done) { m_runtime->inspectImage(image, done); });
}

core::Result<engine::ImageInfo> RuntimeHarness::pullImage(const std::string& image) {
  return await<engine::ImageInfo>(
      [this, image](engine::Callback<engine::ImageInfo> done) { m_runtime->pullImage(image, done); });
}

core::Result<engine::SandboxId> RuntimeHarness::createSandbox(const std::string& podName) {
  engine::SandboxConfig config;
  config.podName = podName;
  config.podNamespace = "default";
  config.podUid = podName + "-uid";
  config.hostname = podName;
  return await<engine::SandboxId>([this, config](engine::Callback<engine::SandboxId> done) {
    m_runtime->createSandbox(config, done);
  });
}

core::Status RuntimeHarness::removeSandbox(const engine::SandboxId& sandbox) {
  return awaitStatus(
      [this, sandbox](engine::StatusCallback done) { m_runtime->removeSandbox(sandbox, done); });
}

core::Result<engine::ContainerId> RuntimeHarness::createContainer(
    const engine::SandboxId& sandbox, const engine::ContainerConfig& config) {
  return await<engine::ContainerId>(
      [this, sandbox, config](engine::Callback<engine::ContainerId> done) {
        m_runtime->createContainer(sandbox, config, done);
      });
}

core::Status RuntimeHarness::startContainer(const engine::ContainerId& id) {
  return awaitStatus([this, id](engine::StatusCallback done) {
    m_runtime->startContainer(id, [this, id, done](core::Status status) {
      if (status) note("started:" + id);
      done(status);
    });
  });
}

core::Status RuntimeHarness::killContainer(const engine::ContainerId& id, int signal) {
  return awaitStatus(
      [this, id, signal](engine::StatusCallback done) { m_runtime->killContainer(id, signal, done); });
}

core::Status RuntimeHarness::removeContainer(const engine::ContainerId& id) {
  return awaitStatus(
      [this, id](engine::StatusCallback done) { m_runtime->removeContainer(id, done); });
}

core::Result<engine::ExecResult> RuntimeHarness::exec(const engine::ContainerId& id,
                                                      const engine::ExecRequest& request) {
  return await<engine::ExecResult>([this, id, request](engine::Callback<engine::ExecResult> done) {
    m_runtime->exec(id, request, done);
  });
}

core::Result<engine::HttpResponse> RuntimeHarness::httpGet(const engine::SandboxId& sandbox,
                                                           const engine::HttpRequest& request) {
  return await<engine::HttpResponse>(
      [this, sandbox, request](engine::Callback<engine::HttpResponse> done) {
        m_runtime->httpGet(sandbox, request, done);
      });
}

core::Status RuntimeHarness::tcpConnect(const engine::SandboxId& sandbox,
                                        const engine::TcpRequest& request) {
  return awaitStatus([this, sandbox, request](engine::StatusCallback done) {
    m_runtime->tcpConnect(sandbox, request, done);
  });
}

core::Result<engine::GrpcResponse> RuntimeHarness::grpcHealthCheck(
    const engine::SandboxId& sandbox, const engine::GrpcRequest& request) {
  return await<engine::GrpcResponse>(
      [this, sandbox, request](engine::Callback<engine::GrpcResponse> done) {
        m_runtime->grpcHealthCheck(sandbox, request, done);
      });
}

std::optional<engine::ContainerExit> RuntimeHarness::waitExit(const engine::ContainerId& id,
                                                              std::chrono::milliseconds timeout) {
  std::unique_lock lock(m_mutex);
  if (!m_changed.wait_for(lock, timeout, [&] { return m_exits.contains(id); })) return std::nullopt;
  return m_exits.at(id);
}

std::vector<std::string> RuntimeHarness::journal() {
  std::lock_guard lock(m_mutex);
  return m_journal;
}

}  // namespace podscope::testing
