#pragma once
// Running the handler of a probe or a lifecycle hook the way the kubelet's
// prober (pkg/kubelet/prober, pkg/probe/...) and lifecycle handler runner
// (pkg/kubelet/lifecycle/handlers.go) do, through the Runtime: exec, httpGet
// (same-host redirects only, at most 10; 2xx success, 3xx not followed a
// warning; hooks ignore the status code), tcpSocket, grpc and sleep. The
// result comes with the words kubectl users know from events and statuses.
// Deciding *when* to probe and what a result leads to is the pod worker's.
//
// Thread contract: engine thread only; `done` is called once, on the engine
// thread, unless the call is cancelled first.

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/manifest.h"
#include "core/run_record.h"
#include "engine/clock.h"
#include "engine/runtime.h"

namespace podscope::engine {

/// The Kubernetes minor version whose behaviour the engine follows; it
/// appears in User-Agent headers (`kube-probe/1.31`).
inline constexpr std::string_view kKubernetesVersion = "1.31";

/// Where a handler runs: one container instance of one pod.
struct HandlerTarget {
  SandboxId sandbox;
  ContainerId container;
  std::string podIP;
  const core::Container* spec = nullptr;  ///< named ports, env for $(VAR) expansion
  std::string podName;
  std::string podNamespace;
  std::string podUid;
};

struct ProbeOutcome {
  /// Success, Warning (counts as success), Failure, or Error (the probe
  /// could not be run; the kubelet discards the attempt).
  core::AttemptResult result = core::AttemptResult::Success;
  /// What the kubelet puts in the event after "<Type> probe failed: ",
  /// "<Type> probe warning: " or "... resulted in <state> state: " — the
  /// command's output (at most 10 KiB), "HTTP probe failed with statuscode:
  /// 503", a Go-style dial error, ...
  std::string output;
  /// What ran, for the record: `exec [cat /tmp/healthy]`,
  /// `httpGet http://10.88.0.2:8080/healthz`, `tcpSocket 10.88.0.2:3306`,
  /// `grpc 10.88.0.2:9090 service=""`.
  core::SharedText handler;
};

struct HookOutcome {
  /// Success or Failure; Error when the handler cannot be run at all (a
  /// tcpSocket hook, an unknown named port) — which fails the hook too.
  core::AttemptResult result = core::AttemptResult::Success;
  std::string output;  ///< command output or response body, bounded
  /// For a failed hook, the kubelet's message, e.g. `Exec lifecycle hook
  /// ([sh -c exit 1]) for Container "c" in Pod "p_ns(uid)" failed - error:
  /// command 'sh -c exit 1' exited with 1: , message: ""`.
  std::string errorMessage;
  core::SharedText handler;  ///< as in ProbeOutcome
  /// Warning events the hook produced on the way (LifecycleHTTPFallback).
  std::vector<std::pair<std::string, std::string>> warnings;  ///< reason, message
};

class HandlerRunner {
 public:
  using CallId = std::uint64_t;
  // Opaque: defined in handlers.cpp, where the operations derive from them.
  struct Call;
  struct ExecPlan;

  HandlerRunner(Runtime& runtime, EventLoop& loop) : m_runtime(runtime), m_loop(loop) {}
  ~HandlerRunner();
  HandlerRunner(const HandlerRunner&) = delete;
  HandlerRunner& operator=(const HandlerRunner&) = delete;

  /// One attempt of `probe` (kind: a probe kind) against `target`, with the
  /// probe's timeoutSeconds. Errors are retried as the kubelet does
  /// (maxProbeRetries = 3) before an Error outcome is returned.
  CallId runProbe(const core::Probe& probe, core::AttemptKind kind, const HandlerTarget& target,
                  std::function<void(ProbeOutcome)> done);

  /// Runs a postStart or preStop handler (kind: a hook kind) to its end;
  /// hooks have no timeout.
  CallId runHook(const core::LifecycleHandler& handler, core::AttemptKind kind, const HandlerTarget& target,
                 std::function<void(HookOutcome)> done);

  /// The container ended while the call ran: a sleep hook fails with
  /// "container terminated before sleep hook finished" (its `done` still
  /// runs, once); any other call's `done` is dropped, even if its result
  /// was already on its way. Unknown or finished ids are ignored.
  void cancel(CallId id);

 private:
  CallId launch(std::shared_ptr<Call> call);
  /// What an exec probe sends for `probe` against `target`, worked out once
  /// per probe and container instance rather than on every attempt.
  std::shared_ptr<const ExecPlan> execPlan(const core::Probe& probe, core::AttemptKind kind,
                                           const HandlerTarget& target);

  Runtime& m_runtime;
  EventLoop& m_loop;
  // Implementation state (calls in flight, timers) is defined in handlers.cpp.
  // Calls in flight, in launch order: a handful at a time (one per probe or
  // hook), so a vector beats a map.
  std::vector<std::pair<CallId, std::shared_ptr<Call>>> m_calls;
  std::vector<std::shared_ptr<const ExecPlan>> m_execPlans;
  CallId m_nextId = 1;
};

/// `$(VAR)` expansion of a command against the container's literal env, as
/// the kubelet does for exec probes (ExpandContainerCommandOnlyStatic): `$$`
/// escapes, unknown names stay as written, and a name set by valueFrom
/// expands to its (empty) literal value, since the kubelet does not resolve
/// references here. Lifecycle hook commands are run as written.
std::vector<std::string> expandCommand(const std::vector<std::string>& argv, const core::Container& spec);

}  // namespace podscope::engine
