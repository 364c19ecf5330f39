#pragma once
// A fake Runtime for engine tests: records every call in order and plays
// each container's scripted behaviour on the loop's (virtual) clock.

#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "engine/runtime.h"

namespace podscope::testing {

using engine::Duration;

struct Behaviour {
  Duration runFor = std::chrono::seconds(1);  ///< Duration::max() runs until killed
  int exitCode = 0;
  bool honoursTerm = true;  ///< exits 143 on SIGTERM when true, ignores it otherwise
  std::optional<std::string> terminationMessage;  ///< what the exit reports as the file's tail
  std::optional<std::string> logTail;             ///< what the exit reports as the log's tail
};

/// What a probe or hook call gets back, and after how long.
struct HandlerReply {
  Duration takes{0};
  std::optional<std::string> error;  ///< the handler could not run at all
  int exitCode = 0;                  ///< exec
  std::string output;                ///< exec output or HTTP body
  int statusCode = 200;              ///< httpGet
  std::string location;              ///< httpGet
  bool refused = false;              ///< tcpConnect / httpGet: connection refused
  std::string grpcStatus = "SERVING";
};

/// Decides a handler call's reply from the container, what it is for, and
/// the time since the container's current instance started. Network calls
/// (httpGet, tcpConnect, grpcHealthCheck) name no container: they get an
/// empty name and the loop's current time instead.
using HandlerScript =
    std::function<HandlerReply(const std::string& container, engine::HandlerPurpose purpose, Duration sinceStart)>;

class RecordingRuntime final : public engine::Runtime {
 public:
  explicit RecordingRuntime(engine::EventLoop& loop) : m_loop(loop) {}

  std::string name() const override { return "recording"; }

  /// Behaviour per container name; later attempts use the same unless a
  /// per-attempt entry exists (see behaviourFor()).
  std::map<std::string, Behaviour> behaviours;
  std::map<std::pair<std::string, int>, Behaviour> attemptBehaviours;
  std::set<std::string> missingImages;
  std::set<std::string> failCreate;  ///< container names whose create fails
  bool failSandbox = false;
  /// Replies for exec/httpGet/tcpConnect/grpcHealthCheck; unset succeeds at once.
  HandlerScript handlers;
  /// When set, decides httpGet replies instead of `handlers`, from the
  /// request itself (per URL, per header, ...).
  std::function<HandlerReply(const engine::HttpRequest&)> httpReplies;

  /// Every handler request as it was made, in order.
  std::vector<engine::ExecRequest> execRequests;
  std::vector<engine::HttpRequest> httpRequests;
  std::vector<engine::TcpRequest> tcpRequests;
  std::vector<engine::GrpcRequest> grpcRequests;

  /// Every call, like "createContainer init-a#0", in order.
  std::vector<std::string> calls;
  /// What each createContainer was asked for, in order.
  std::vector<engine::ContainerConfig> configs;
  /// Container ids alive (created and not removed).
  std::set<engine::ContainerId> alive;

  /// The runtime stops answering: the engine is told, container calls fail
  /// with `message`, and exits are held back (processes go on meanwhile).
  void goDown(const std::string& message);
  /// It answers again: the engine is told first, then held exits arrive.
  /// Containers named in `lost` vanished meanwhile: they are reported lost.
  void comeBack(const std::set<std::string>& lost = {});
  bool down() const { return m_down; }

  void inspectImage(const std::string& image, engine::Callback<engine::ImageInfo> done) override;
  void pullImage(const std::string& image, engine::Callback<engine::ImageInfo> done) override;
  void createSandbox(const engine::SandboxConfig& config, engine::Callback<engine::SandboxId> done) override;
  void removeSandbox(const engine::SandboxId& sandbox, engine::StatusCallback done) override;
  void createContainer(const engine::SandboxId& sandbox, const engine::ContainerConfig& config,
                       engine::Callback<engine::ContainerId> done) override;
  void startContainer(const engine::ContainerId& container, engine::StatusCallback done) override;
  void killContainer(const engine::ContainerId& container, int signal, engine::StatusCallback done) override;
  void removeContainer(const engine::ContainerId& container, engine::StatusCallback done) override;
  std::string podIP(const engine::SandboxId& sandbox) const override;
  void exec(const engine::ContainerId& container, const engine::ExecRequest& request,
            engine::Callback<engine::ExecResult> done) override;
  void httpGet(const engine::SandboxId& sandbox, const engine::HttpRequest& request,
               engine::Callback<engine::HttpResponse> done) override;
  void tcpConnect(const engine::SandboxId& sandbox, const engine::TcpRequest& request,
                  engine::StatusCallback done) override;
  void grpcHealthCheck(const engine::SandboxId& sandbox, const engine::GrpcRequest& request,
                       engine::Callback<engine::GrpcResponse> done) override;

 private:
  struct Instance {
    engine::ContainerConfig config;
    bool running = false;
    bool exited = false;
    std::optional<engine::Executor::TimerId> timer;
    engine::TimePoint startedAt{0};
  };
  HandlerReply reply(const std::string& container, engine::HandlerPurpose purpose, Duration sinceStart) const;

  Behaviour behaviourFor(const engine::ContainerConfig& config) const;
  void exit(const engine::ContainerId& id, engine::ContainerExit exit);

  engine::EventLoop& m_loop;
  std::map<engine::ContainerId, Instance> m_instances;
  int m_next = 1;
  bool m_down = false;
  std::string m_downMessage;
  std::vector<std::pair<engine::ContainerId, engine::ContainerExit>> m_heldExits;
};

}  // namespace podscope::testing
