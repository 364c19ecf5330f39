#include "engine/runtime/simulated/simulated_runtime.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <csignal>

#include "core/manifest_reader.h"
#include "engine/pod_worker.h"
#include "engine/virtual_event_loop.h"

namespace podscope::engine {
namespace {

core::Pod pod(const std::string& yaml) {
  core::Result<core::Pod> p = core::readPod(yaml, "test.yaml");
  EXPECT_TRUE(p) << (p ? "" : p.error().toString());
  return *p;
}

std::vector<std::string> summary(const core::RunRecord& r) {
  std::vector<std::string> out;
  for (const core::Transition& t : r.transitions()) {
    if (t.from.empty()) continue;
    out.push_back(core::formatRunTime(t.time) + " " + t.subject + " " + t.to + (t.message.empty() ? "" : " (" + t.message + ")"));
  }
  return out;
}

TEST(SimulatedRuntime, RunsInitContainersThenMainOnVirtualTime) {
  VirtualEventLoop loop;
  SimulatedRuntime rt(loop);
  core::RunRecord r = runPod(pod(R"(apiVersion: v1
kind: Pod
metadata: {name: demo}
spec:
  restartPolicy: Never
  initContainers:
  - {name: fetch, image: busybox:1.36, command: [sh, -c, "sleep 2"]}
  - {name: migrate, image: busybox:1.36, command: [sh, -c, "sleep 3; echo done"]}
  containers:
  - {name: app, image: busybox:1.36, command: [sh, -c, "sleep 10; exit 0"]}
)"),
                             rt, loop);
  EXPECT_EQ(r.runtimeName, "simulated");
  EXPECT_EQ(r.outcome, core::RunOutcome::Succeeded);
  EXPECT_THAT(summary(r), ::testing::ElementsAre(
                              "0.000s fetch Running", "2.000s fetch Terminated (exit code 0)",
                              "2.000s migrate Running", "5.000s migrate Terminated (exit code 0)", "5.000s app Running",
                              "5.000s demo Running", "15.000s app Terminated (exit code 0)", "15.000s demo Succeeded"));
}

TEST(SimulatedRuntime, ImagePullUnderAlwaysTakesSimulatedTime) {
  VirtualEventLoop loop;
  SimulatedRuntime rt(loop);
  core::RunRecord r = runPod(pod(R"(apiVersion: v1
kind: Pod
metadata: {name: pull}
spec:
  restartPolicy: Never
  containers:
  - {name: app, image: busybox:latest, command: ["true"]}
)"),
                             rt, loop);
  std::vector<std::string> reasons;
  for (const core::Event& e : r.events()) reasons.push_back(e.reason + "@" + core::formatRunTime(e.time));
  EXPECT_THAT(reasons, ::testing::ElementsAre("Scheduled@0.000s", "Pulling@0.000s", "Pulled@0.500s", "Created@0.500s",
                                              "Started@0.500s"));
}

TEST(SimulatedRuntime, ServerWithoutCommandStopsGracefullyAtTheLimit) {
  VirtualEventLoop loop;
  SimulatedRuntime rt(loop);
  RunOptions options;
  options.stopAfter = std::chrono::seconds(60);
  core::RunRecord r = runPod(pod(R"(apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  containers:
  - {name: nginx, image: nginx:1.25}
  - {name: sidecar, image: busybox:1.36, command: [sh, -c, "sleep 3600"]}
)"),
                             rt, loop, options);
  EXPECT_THAT(summary(r), ::testing::ElementsAre("0.000s nginx Running", "0.000s sidecar Running", "0.000s web Running",
                                                 "60.000s nginx Terminated (exit code 0)",
                                                 "90.000s sidecar Terminated (exit code 137 (SIGKILL))",
                                                 "90.000s web Failed"));
  EXPECT_EQ(r.outcome, core::RunOutcome::Stopped);
}

TEST(SimulatedRuntime, NotesAssumptionsAsEvents) {
  VirtualEventLoop loop;
  SimulatedRuntime rt(loop);
  core::RunRecord r = runPod(pod(R"(apiVersion: v1
kind: Pod
metadata: {name: notes}
spec:
  restartPolicy: Never
  containers:
  - {name: c, image: busybox:1.36, command: [sh, -c, "nslookup db && sleep 1"]}
)"),
                             rt, loop);
  bool noted = false;
  for (const core::Event& e : r.events()) {
    noted = noted || (e.reason == "Simulated" && e.object == "spec.containers{c}" &&
                      e.message == "`nslookup` is not simulated: taken to succeed at once");
  }
  EXPECT_TRUE(noted);
}

TEST(SimulatedRuntime, SeedInitContainerPodRunsAndIsStoppedAtTheLimit) {
  VirtualEventLoop loop;
  SimulatedRuntime rt(loop);
  core::Result<core::Manifest> m = core::readManifestFile(std::string(PODSCOPE_SEEDS_DIR) + "/pod-initcontainer.yaml");
  ASSERT_TRUE(m);
  ASSERT_NE(m->firstPod(), nullptr);
  RunOptions options;
  options.stopAfter = std::chrono::minutes(5);
  core::RunRecord r = runPod(*m->firstPod()->pod, rt, loop, options);
  EXPECT_EQ(r.outcome, core::RunOutcome::Stopped);
  EXPECT_THAT(summary(r), ::testing::Contains("0.000s main-container Running"));
}


// ---------------------------------------------------------------------------
// The runtime driven directly, at exact virtual times.

using std::chrono::milliseconds;
using std::chrono::seconds;

std::string at(Duration t) { return core::formatRunTime(t); }

/// A SimulatedRuntime on a virtual loop, with helpers that run the loop to an
/// absolute virtual time and keep what came back.
struct Sim {
  VirtualEventLoop loop;
  SimulatedRuntime rt;
  std::vector<std::string> exits;  ///< "<time> <container> <code>[ oom]"
  std::vector<std::string> notes;

  explicit Sim(std::optional<core::Scenario> side = std::nullopt)
      : rt(side ? SimulatedRuntime(loop, std::move(*side)) : SimulatedRuntime(loop)) {
    rt.setExitHandler([this](const ContainerId& id, const ContainerExit& e) {
      exits.push_back(at(loop.now()) + " " + id + " " + std::to_string(e.exitCode) + (e.oomKilled ? " oom" : ""));
    });
    rt.setNoteHandler([this](const ContainerId&, const std::string& n) { notes.push_back(n); });
  }
  void runTo(Duration t) { loop.runFor(t - loop.now()); }

  core::Result<SandboxId> sandbox(std::map<std::string, std::string> annotations = {}) {
    std::optional<core::Result<SandboxId>> got;
    SandboxConfig config{"pod", "default", "uid", "pod", std::move(annotations)};
    rt.createSandbox(config, [&](core::Result<SandboxId> r) { got = std::move(r); });
    loop.runFor(Duration{0});
    return got ? *got : core::Result<SandboxId>(core::Error{"no answer"});
  }
  ContainerId container(const SandboxId& sb, const std::string& name, std::vector<std::string> command = {},
                        int attempt = 0) {
    ContainerId id;
    ContainerConfig config;
    config.name = name;
    config.image = "busybox:1.36";
    config.command = std::move(command);
    config.attempt = attempt;
    rt.createContainer(sb, config, [&](core::Result<ContainerId> r) { id = r ? *r : "?"; });
    loop.runFor(Duration{0});
    return id;
  }
  /// Starts, runs the loop to `until` (default: now) and says when the
  /// start was acknowledged ("<time> ok"), if it was by then.
  std::string start(const ContainerId& id, std::optional<Duration> until = std::nullopt) {
    std::string started;
    rt.startContainer(id, [&](core::Status s) { started = at(loop.now()) + (s ? " ok" : " " + s.error().message); });
    runTo(until.value_or(loop.now()));
    return started;
  }
  void kill(const ContainerId& id, int signal) {
    rt.killContainer(id, signal, [](core::Status) {});
  }
  /// Starts an exec; the answer lands in `out` as "<time> <code>|<output>",
  /// "<time> timed out|<output>" or "<time> error: <message>".
  void exec(const ContainerId& id, std::vector<std::string> argv, HandlerPurpose purpose, std::string& out,
            std::optional<Duration> timeout = std::nullopt) {
    ExecRequest req;
    req.argv = std::move(argv);
    req.purpose = purpose;
    req.timeout = timeout;
    rt.exec(id, req, [this, &out](core::Result<ExecResult> r) {
      out = at(loop.now()) + " " +
            (!r ? "error: " + r.error().message
                : (r->timedOut ? std::string("timed out") : std::to_string(r->exitCode)) + "|" + r->output);
    });
  }
  std::string execNow(const ContainerId& id, std::vector<std::string> argv,
                      HandlerPurpose purpose = HandlerPurpose::LivenessProbe) {
    std::string out;
    exec(id, std::move(argv), purpose, out);
    loop.runFor(Duration{0});
    return out;
  }
  /// One GET, with the loop run to `until` (default: now).
  std::string http(const SandboxId& sb, HandlerPurpose purpose, std::optional<Duration> timeout = std::nullopt,
                   std::optional<Duration> until = std::nullopt) {
    HttpRequest req;
    req.host = rt.podIP(sb);
    req.port = 8080;
    req.path = "/healthz";
    req.purpose = purpose;
    req.timeout = timeout;
    std::string out;
    rt.httpGet(sb, req, [&](core::Result<HttpResponse> r) {
      out = at(loop.now()) + " " +
            (r ? std::to_string(r->statusCode) + " " + r->body : "error: " + r.error().message);
    });
    runTo(until.value_or(loop.now()));
    return out;
  }
};

TEST(SimulatedRuntimeHandlers, DocsLivenessExampleFailsItsExecProbeFrom30s) {
  Sim sim;
  SandboxId sb = *sim.sandbox();
  ContainerId c = sim.container(sb, "liveness", {"/bin/sh", "-c", "touch /tmp/healthy; sleep 30; rm -f /tmp/healthy; sleep 600"});
  EXPECT_EQ(sim.start(c), "0.000s ok");
  sim.runTo(seconds(5));
  EXPECT_EQ(sim.execNow(c, {"cat", "/tmp/healthy"}), "5.000s 0|");
  sim.runTo(milliseconds(29'999));
  EXPECT_EQ(sim.execNow(c, {"cat", "/tmp/healthy"}), "29.999s 0|");
  sim.runTo(seconds(30));
  EXPECT_EQ(sim.execNow(c, {"cat", "/tmp/healthy"}),
            "30.000s 1|cat: can't open '/tmp/healthy': No such file or directory\n");
  EXPECT_TRUE(sim.exits.empty());
}

TEST(SimulatedRuntimeHandlers, ExecHooksTakeTheirCommandsTimeAndHonourTimeouts) {
  Sim sim;
  SandboxId sb = *sim.sandbox();
  ContainerId c = sim.container(sb, "app");
  sim.start(c);
  std::string hook;
  sim.exec(c, {"/bin/sh", "-c", "sleep 10000000"}, HandlerPurpose::PreStopHook, hook);
  sim.runTo(seconds(9'999'999));
  EXPECT_EQ(hook, "");
  sim.runTo(seconds(10'000'000));
  EXPECT_EQ(hook, "10000000.000s 0|");

  std::string probe;
  sim.exec(c, {"sh", "-c", "echo checking; sleep 5"}, HandlerPurpose::ReadinessProbe, probe, seconds(1));
  sim.runTo(seconds(10'000'001));
  EXPECT_EQ(probe, "10000001.000s timed out|checking\n");

  // The hook's file is there for the probe.
  EXPECT_EQ(sim.execNow(c, {"sh", "-c", "echo up > /tmp/ready"}, HandlerPurpose::PostStartHook), "10000001.000s 0|");
  EXPECT_EQ(sim.execNow(c, {"cat", "/tmp/ready"}), "10000001.000s 0|up\n");
}

TEST(SimulatedRuntimeHandlers, ExecInAStoppedContainerIsAnError) {
  Sim sim;
  SandboxId sb = *sim.sandbox();
  ContainerId c = sim.container(sb, "app", {"sh", "-c", "exit 2"});
  EXPECT_EQ(sim.execNow(c, {"true"}), "0.000s error: container is not running");
  sim.start(c);
  sim.runTo(seconds(1));
  EXPECT_EQ(sim.exits, (std::vector<std::string>{"0.000s " + c + " 2"}));
  EXPECT_EQ(sim.execNow(c, {"true"}), "1.000s error: container is not running");
  EXPECT_EQ(sim.execNow("sim-nope-9", {"true"}), "1.000s error: container is not running");

  // A command still running when the container ends ends with it.
  ContainerId d = sim.container(sb, "app2", {"sleep", "3"});
  sim.start(d);
  std::string hook;
  sim.exec(d, {"sleep", "60"}, HandlerPurpose::PreStopHook, hook);
  sim.runTo(seconds(10));
  EXPECT_EQ(hook, "4.000s error: container is not running: it exited while the command ran");
}

TEST(SimulatedRuntimeHandlers, PodIPsAreDeterministic) {
  Sim sim;
  SandboxId a = *sim.sandbox();
  SandboxId b = *sim.sandbox();
  EXPECT_EQ(sim.rt.podIP(a), "10.88.0.2");
  EXPECT_EQ(sim.rt.podIP(b), "10.88.0.3");
  EXPECT_EQ(sim.rt.podIP("sim-sandbox-99"), "");
}

TEST(SimulatedRuntimeHandlers, NetworkProbesSucceedWithoutAScenario) {
  Sim sim;
  SandboxId sb = *sim.sandbox();
  sim.start(sim.container(sb, "web"));
  EXPECT_EQ(sim.http(sb, HandlerPurpose::ReadinessProbe), "0.000s 200 ok");
  std::string tcp;
  sim.rt.tcpConnect(sb, TcpRequest{"", 5432, seconds(1), HandlerPurpose::LivenessProbe},
                    [&](core::Status s) { tcp = s ? "ok" : s.error().message; });
  std::string grpc;
  sim.rt.grpcHealthCheck(sb, GrpcRequest{"", 9090, "", seconds(1), HandlerPurpose::ReadinessProbe},
                         [&](core::Result<GrpcResponse> r) { grpc = r ? r->status : r.error().message; });
  sim.loop.runFor(Duration{0});
  EXPECT_EQ(tcp, "ok");
  EXPECT_EQ(grpc, "SERVING");
}

TEST(SimulatedRuntimeScenario, ProbeResultsFollowTheScenarioOverTime) {
  Sim sim;
  SandboxId sb = *sim.sandbox({{"podscope.dev/simulate", R"(container web:
  starts after 2s
  readiness fails until 12s
  liveness fails from 40s with connection refused
  startup takes 3s
)"}});
  ContainerId web = sim.container(sb, "web");
  EXPECT_EQ(sim.start(web, milliseconds(1999)), "");
  sim.runTo(seconds(2));
  EXPECT_EQ(sim.execNow(web, {"true"}), "2.000s 0|");
  // Times count from the start (2 s): readiness fails until 14 s on the clock.
  sim.runTo(seconds(13));
  EXPECT_EQ(sim.http(sb, HandlerPurpose::ReadinessProbe), "13.000s 503 ");
  sim.runTo(seconds(14));
  EXPECT_EQ(sim.http(sb, HandlerPurpose::ReadinessProbe), "14.000s 200 ok");
  EXPECT_EQ(sim.http(sb, HandlerPurpose::LivenessProbe), "14.000s 200 ok");
  sim.runTo(seconds(42));
  EXPECT_EQ(sim.http(sb, HandlerPurpose::LivenessProbe),
            "42.000s error: dial tcp 10.88.0.2:8080: connect: connection refused");
  // A probe slower than its timeout.
  sim.runTo(seconds(42));
  EXPECT_EQ(sim.http(sb, HandlerPurpose::StartupProbe, seconds(1), seconds(43)),
            "43.000s error: context deadline exceeded (Client.Timeout exceeded "
            "while awaiting headers)");
  EXPECT_EQ(sim.http(sb, HandlerPurpose::StartupProbe, seconds(5), seconds(46)), "46.000s 200 ok");
  std::string tcp;
  sim.rt.tcpConnect(sb, TcpRequest{"", 8080, seconds(1), HandlerPurpose::StartupProbe},
                    [&](core::Status s) { tcp = at(sim.loop.now()) + " " + (s ? "ok" : s.error().message); });
  sim.runTo(seconds(50));
  EXPECT_EQ(tcp, "47.000s dial tcp 10.88.0.2:8080: i/o timeout");
}

TEST(SimulatedRuntimeScenario, ExecProbesAndHooksFromTheScenario) {
  Sim sim;
  SandboxId sb = *sim.sandbox({{"podscope.dev/simulate.app", R"(liveness fails from 40s with "cat: can't open '/tmp/healthy': No such file or directory"
readiness errors
postStart fails with exit code 2 and "mkdir: can't create directory '/data': Permission denied"
preStop takes 15s
)"}});
  ContainerId c = sim.container(sb, "app", {"sleep", "3600"});
  sim.start(c);
  EXPECT_EQ(sim.execNow(c, {"cat", "/tmp/healthy"}), "0.000s 0|");  // the scenario, not the file system
  sim.runTo(seconds(40));
  EXPECT_EQ(sim.execNow(c, {"cat", "/tmp/healthy"}),
            "40.000s 1|cat: can't open '/tmp/healthy': No such file or directory");
  EXPECT_EQ(sim.execNow(c, {"true"}, HandlerPurpose::ReadinessProbe),
            "40.000s error: the readiness handler could not be run (as the scenario says)");
  EXPECT_EQ(sim.execNow(c, {"true"}, HandlerPurpose::PostStartHook),
            "40.000s 2|mkdir: can't create directory '/data': Permission denied");
  std::string preStop;
  sim.exec(c, {"sh", "-c", "nginx -s quit"}, HandlerPurpose::PreStopHook, preStop);
  sim.runTo(seconds(54));
  EXPECT_EQ(preStop, "");
  sim.runTo(seconds(55));
  EXPECT_EQ(preStop, "55.000s 0|");
  EXPECT_TRUE(sim.notes.empty());  // the scenario decided; nothing was assumed
}

TEST(SimulatedRuntimeScenario, ExitsAndSigtermHandling) {
  Sim sim;
  SandboxId sb = *sim.sandbox({{"podscope.dev/simulate", R"(container crash:
  exits 3 after 30s
container graceful:
  on SIGTERM exit 0 after 3s
container stubborn:
  runs until stopped
  ignores SIGTERM
container app:
  runs until stopped
container oom:
  oom-killed after 20s
)"}});
  ContainerId crash = sim.container(sb, "crash", {"sh", "-c", "sleep 5"});  // the scenario wins over the command
  ContainerId graceful = sim.container(sb, "graceful", {"sh", "-c", "sleep 3600"});
  ContainerId stubborn = sim.container(sb, "stubborn");
  ContainerId app = sim.container(sb, "app");
  ContainerId oom = sim.container(sb, "oom");
  for (const ContainerId& c : {crash, graceful, stubborn, app, oom}) sim.start(c);
  sim.runTo(seconds(10));
  for (const ContainerId& c : {graceful, stubborn, app}) sim.kill(c, SIGTERM);
  sim.runTo(seconds(12));
  sim.kill(stubborn, SIGKILL);
  sim.runTo(seconds(60));
  EXPECT_EQ(sim.exits, (std::vector<std::string>{"10.000s " + app + " 0", "12.000s " + stubborn + " 137",
                                                 "13.000s " + graceful + " 0", "20.000s " + oom + " 137 oom",
                                                 "30.000s " + crash + " 3"}));
}

TEST(SimulatedRuntimeScenario, AttemptsLetACrashLoopRecover) {
  Sim sim;
  SandboxId sb = *sim.sandbox({{"podscope.dev/simulate", "attempts 1-3: exits 1 after 2s\non attempt 4: runs until stopped\n"}});
  std::vector<ContainerId> ids;
  for (int restarts = 0; restarts < 4; ++restarts) {
    ContainerId c = sim.container(sb, "app", {}, restarts);
    sim.start(c);
    sim.runTo(sim.loop.now() + seconds(10));
    ids.push_back(c);
  }
  EXPECT_EQ(sim.exits, (std::vector<std::string>{"2.000s " + ids[0] + " 1", "12.000s " + ids[1] + " 1",
                                                 "22.000s " + ids[2] + " 1"}));
}

TEST(SimulatedRuntimeScenario, SideFileWinsAndBrokenAnnotationsFailTheSandbox) {
  core::ScenarioParse side = core::parseScenario("container app:\n  exits 4 after 1s\n");
  ASSERT_TRUE(side.ok());
  Sim sim(side.scenario);
  SandboxId sb = *sim.sandbox({{"podscope.dev/simulate.app", "exits 9 after 5s"}});
  ContainerId c = sim.container(sb, "app");
  sim.start(c);
  sim.runTo(seconds(10));
  EXPECT_EQ(sim.exits, (std::vector<std::string>{"1.000s " + c + " 4"}));

  core::Result<SandboxId> broken = sim.sandbox({{"podscope.dev/simulate", "container app:\n  readiness fails until 12x\n"}});
  ASSERT_FALSE(broken);
  EXPECT_EQ(broken.error().message,
            "the simulation scenario in annotation podscope.dev/simulate is not valid: line 2, column 25: invalid time "
            "`12x`: use a number with a unit, like 12s, 500ms, 2m or 1h30m");
}

TEST(SimulatedRuntimeScenario, GrpcFromTheScenario) {
  Sim sim;
  SandboxId sb = *sim.sandbox({{"podscope.dev/simulate", "readiness fails until 5s\nliveness fails with status SERVICE_UNKNOWN\n"}});
  sim.start(sim.container(sb, "api"));
  auto check = [&](HandlerPurpose purpose) {
    std::string out;
    sim.rt.grpcHealthCheck(sb, GrpcRequest{"", 9090, "", seconds(1), purpose},
                           [&](core::Result<GrpcResponse> r) { out = r ? r->status : r.error().message; });
    sim.loop.runFor(Duration{0});
    return out;
  };
  EXPECT_EQ(check(HandlerPurpose::ReadinessProbe), "NOT_SERVING");
  EXPECT_EQ(check(HandlerPurpose::LivenessProbe), "SERVICE_UNKNOWN");
  sim.runTo(seconds(5));
  EXPECT_EQ(check(HandlerPurpose::ReadinessProbe), "SERVING");
}

}  // namespace
}  // namespace podscope::engine
