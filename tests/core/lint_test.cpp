// Timing lints: what the kubelet will do with a manifest's probes, hooks and
// grace periods, with the arithmetic spelled out (see
// docs/kubelet-semantics.md §5-§7 and §11 for the behaviour quoted).

#include "core/validation.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <utility>
#include <vector>

namespace podscope::core {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

struct Lint {
  Severity severity;
  std::string rule;
  std::string message;
  friend bool operator==(const Lint&, const Lint&) = default;
};

void PrintTo(const Lint& l, std::ostream* os) { *os << toString(l.severity) << " [" << l.rule << "] " << l.message; }

Container container(const std::string& name, const std::string& image = "nginx:1.27") {
  Container c;
  c.name = name;
  c.image = image;
  return c;
}

Pod podWith(Container c) {
  Pod p;
  p.metadata.name = "web";
  p.spec.containers.push_back(std::move(c));
  return p;
}

Document podDocument(Pod pod) {
  Document doc;
  doc.kind = "Pod";
  doc.pod = std::move(pod);
  return doc;
}

std::vector<Lint> lints(const Document& doc) {
  std::vector<Lint> out;
  for (const Diagnostic& d : lintDocument(doc, "f.yaml")) out.push_back({d.severity, d.rule, d.message});
  return out;
}

std::vector<Lint> lints(const Pod& pod) { return lints(podDocument(pod)); }

std::vector<Lint> only(const std::vector<Lint>& all, const std::string& rule) {
  std::vector<Lint> out;
  for (const Lint& l : all) {
    if (l.rule == rule) out.push_back(l);
  }
  return out;
}

Probe execProbe(std::vector<std::string> command = {"cat", "/tmp/healthy"}) {
  Probe p;
  p.exec = ExecAction{std::move(command)};
  return p;
}

Probe httpProbe(IntOrString port, std::string path = "/healthz") {
  Probe p;
  p.httpGet = HttpGetAction{};
  p.httpGet->port = std::move(port);
  p.httpGet->path = std::move(path);
  return p;
}

LifecycleHandler execHook(std::vector<std::string> command) {
  LifecycleHandler h;
  h.exec = ExecAction{std::move(command)};
  return h;
}

Pod withPreStop(LifecycleHandler h, std::int64_t grace) {
  Container c = container("app");
  c.lifecycle = Lifecycle{std::nullopt, std::move(h)};
  Pod p = podWith(c);
  p.spec.terminationGracePeriodSeconds = grace;
  return p;
}

TEST(Lint, APlainPodHasNothingToSay) { EXPECT_THAT(lints(podWith(container("app"))), IsEmpty()); }

// --- startup budget --------------------------------------------------------------

TEST(Lint, LivenessWithoutStartupProbeStatesItsStartupBudget) {
  Container c = container("app");
  c.livenessProbe = execProbe();
  EXPECT_THAT(lints(podWith(c)),
              ElementsAre(Lint{Severity::Info, "startup-budget",
                               "container \"app\": the liveness probe gives the container initialDelaySeconds + "
                               "failureThreshold × periodSeconds = 0 + 3 × 10 = 30s to start before it is killed and "
                               "restarted; if it can take longer, add a startupProbe"}));
}

TEST(Lint, StartupProbeStatesItsBudgetInstead) {
  Container c = container("app");
  c.livenessProbe = execProbe();
  c.startupProbe = execProbe();
  c.startupProbe->failureThreshold = 30;
  c.startupProbe->initialDelaySeconds = 5;
  EXPECT_THAT(only(lints(podWith(c)), "startup-budget"),
              ElementsAre(Lint{Severity::Info, "startup-budget",
                               "container \"app\": the startup probe gives the container initialDelaySeconds + "
                               "failureThreshold × periodSeconds = 5 + 30 × 10 = 305s to start before it is killed "
                               "and restarted; liveness and readiness probes wait until it succeeds"}));
}

TEST(Lint, InitialDelayBesideAStartupProbeCountsFromContainerStart) {
  Container c = container("app");
  c.startupProbe = execProbe();
  c.livenessProbe = execProbe();
  c.livenessProbe->initialDelaySeconds = 20;
  EXPECT_THAT(only(lints(podWith(c)), "initial-delay-with-startup"),
              ElementsAre(Lint{Severity::Info, "initial-delay-with-startup",
                               "container \"app\": the liveness probe's initialDelaySeconds (20s) counts from when the "
                               "container started, not from when the startup probe succeeded; the startup probe "
                               "already holds it back, so the delay only matters if startup succeeds in under 20s"}));
}

TEST(Lint, LivenessUnderRestartPolicyNeverIsNotRestarted) {
  Container c = container("app");
  c.livenessProbe = execProbe();
  Pod p = podWith(c);
  p.spec.restartPolicy = RestartPolicy::Never;
  std::vector<Lint> found = lints(p);
  EXPECT_THAT(only(found, "liveness-restart-never"),
              ElementsAre(Lint{Severity::Warning, "liveness-restart-never",
                               "container \"app\": restartPolicy is Never, so when the liveness probe fails the "
                               "container is killed and not restarted"}));
  ASSERT_EQ(only(found, "startup-budget").size(), 1u);
  EXPECT_THAT(only(found, "startup-budget")[0].message,
              ::testing::HasSubstr("killed (restartPolicy is Never, so it is not restarted)"));
}

// --- readiness -----------------------------------------------------------------------

TEST(Lint, ReadinessTimingArithmetic) {
  Container c = container("app");
  c.readinessProbe = httpProbe(IntOrString::fromInt(80));
  c.readinessProbe->initialDelaySeconds = 5;
  c.readinessProbe->periodSeconds = 3;
  c.readinessProbe->successThreshold = 2;
  EXPECT_THAT(lints(podWith(c)),
              ElementsAre(Lint{Severity::Info, "readiness-timing",
                               "container \"app\": the readiness probe first runs 5s after the container starts "
                               "(initialDelaySeconds) and then every 3s; once the checks start failing, the pod is "
                               "taken out of its Services after failureThreshold × periodSeconds = 3 × 3 = 9s at most, "
                               "and put back after successThreshold × periodSeconds = 2 × 3 = 6s of passing checks"}));
}

TEST(Lint, LivenessIdenticalToReadiness) {
  Container c = container("app");
  c.livenessProbe = httpProbe(IntOrString::fromInt(8080));
  c.readinessProbe = httpProbe(IntOrString::fromInt(8080));
  EXPECT_THAT(only(lints(podWith(c)), "liveness-equals-readiness"),
              ElementsAre(Lint{Severity::Warning, "liveness-equals-readiness",
                               "container \"app\": the liveness probe is the same check with the same timings as the "
                               "readiness probe, so both fail together after failureThreshold × periodSeconds = 3 × "
                               "10 = 30s: the pod leaves its Services and the container is killed and restarted at "
                               "the same moment, so readiness never gets to take load off on its own; give the "
                               "liveness probe a higher failureThreshold or a check that fails only when the process "
                               "is stuck"}));
}

TEST(Lint, LivenessThatDiffersFromReadinessIsFine) {
  Container c = container("app");
  c.livenessProbe = httpProbe(IntOrString::fromInt(8080));
  c.livenessProbe->failureThreshold = 6;
  c.readinessProbe = httpProbe(IntOrString::fromInt(8080));
  EXPECT_THAT(only(lints(podWith(c)), "liveness-equals-readiness"), IsEmpty());
  c.livenessProbe->failureThreshold = 3;
  c.livenessProbe->httpGet->path = "/livez";
  EXPECT_THAT(only(lints(podWith(c)), "liveness-equals-readiness"), IsEmpty());
}

TEST(Lint, TimeoutLongerThanPeriod) {
  Container c = container("app");
  c.readinessProbe = execProbe();
  c.readinessProbe->timeoutSeconds = 5;
  c.readinessProbe->periodSeconds = 3;
  EXPECT_THAT(only(lints(podWith(c)), "probe-timeout-exceeds-period"),
              ElementsAre(Lint{Severity::Warning, "probe-timeout-exceeds-period",
                               "container \"app\": the readiness probe's timeoutSeconds (5s) is not less than its "
                               "periodSeconds (3s): a check that hangs until its timeout is still running when the "
                               "next one is due, so hanging checks run back to back every 5s and failureThreshold × "
                               "timeoutSeconds = 3 × 5 = 15s pass before the probe counts as failed, not 3 × 3 = 9s"}));
}

TEST(Lint, TimeoutEqualToPeriod) {
  Container c = container("app");
  c.livenessProbe = execProbe();
  c.livenessProbe->timeoutSeconds = 10;
  EXPECT_THAT(only(lints(podWith(c)), "probe-timeout-exceeds-period"),
              ElementsAre(Lint{Severity::Warning, "probe-timeout-exceeds-period",
                               "container \"app\": the liveness probe's timeoutSeconds (10s) is not less than its "
                               "periodSeconds (10s): a check that hangs until its timeout is still running when the "
                               "next one is due, so hanging checks run back to back with no pause between them"}));
  c.livenessProbe->timeoutSeconds = 9;
  EXPECT_THAT(only(lints(podWith(c)), "probe-timeout-exceeds-period"), IsEmpty());
}

// --- ports and hosts ------------------------------------------------------------------

struct PortCase {
  std::string name;
  std::function<void(Container&)> edit;
  std::string message;
};

void PrintTo(const PortCase& c, std::ostream* os) { *os << c.name; }

class NamedPorts : public ::testing::TestWithParam<PortCase> {};

TEST_P(NamedPorts, AreResolvedAgainstTheContainersPorts) {
  Container c = container("app");
  ContainerPort http;
  http.name = "http";
  http.containerPort = 80;
  c.ports = {http};
  GetParam().edit(c);
  std::vector<Lint> found = only(lints(podWith(c)), "probe-port-not-found");
  if (GetParam().message.empty()) {
    EXPECT_THAT(found, IsEmpty());
  } else {
    EXPECT_THAT(found, ElementsAre(Lint{Severity::Warning, "probe-port-not-found", GetParam().message}));
  }
}

const PortCase kPortCases[] = {
    {"ReadinessFound", [](Container& c) { c.readinessProbe = httpProbe(IntOrString::fromString("http")); }, ""},
    {"ByNumberIsNotLooked", [](Container& c) { c.readinessProbe = httpProbe(IntOrString::fromInt(9090)); }, ""},
    {"InvalidNameIsAnErrorNotALint",
     [](Container& c) { c.readinessProbe = httpProbe(IntOrString::fromString("X")); }, ""},
    {"Readiness", [](Container& c) { c.readinessProbe = httpProbe(IntOrString::fromString("metrics")); },
     "container \"app\": the readiness probe's port \"metrics\" is not a port name of this container (its named "
     "ports: \"http\"); the kubelet cannot resolve it, so every check ends in an error that is discarded: the "
     "container never becomes ready"},
    {"Liveness",
     [](Container& c) {
       c.livenessProbe = Probe{};
       c.livenessProbe->tcpSocket = TcpSocketAction{"", IntOrString::fromString("admin")};
     },
     "container \"app\": the liveness probe's port \"admin\" is not a port name of this container (its named ports: "
     "\"http\"); the kubelet cannot resolve it, so every check ends in an error that is discarded: the probe never "
     "fails, so it never restarts the container"},
    {"Startup",
     [](Container& c) {
       c.ports.clear();
       c.startupProbe = httpProbe(IntOrString::fromString("http"));
     },
     "container \"app\": the startup probe's port \"http\" is not a port name of this container (it has no named "
     "ports); the kubelet cannot resolve it, so every check ends in an error that is discarded: the container never "
     "counts as started: liveness and readiness probes never run and it never becomes ready"},
    {"PostStartHook",
     [](Container& c) {
       LifecycleHandler h;
       h.httpGet = HttpGetAction{};
       h.httpGet->port = IntOrString::fromString("web");
       c.lifecycle = Lifecycle{h, std::nullopt};
     },
     "container \"app\": the postStart hook's port \"web\" is not a port name of this container (its named ports: "
     "\"http\"); the kubelet cannot resolve it and the hook fails, so the container is killed right after it starts "
     "(FailedPostStartHook)"},
};

INSTANTIATE_TEST_SUITE_P(Table, NamedPorts, ::testing::ValuesIn(kPortCases),
                         [](const ::testing::TestParamInfo<PortCase>& info) { return info.param.name; });

TEST(Lint, HttpGetHostSendsTheProbeElsewhere) {
  Container c = container("app");
  c.readinessProbe = httpProbe(IntOrString::fromInt(80));
  c.readinessProbe->httpGet->host = "example.com";
  EXPECT_THAT(only(lints(podWith(c)), "probe-host"),
              ElementsAre(Lint{Severity::Info, "probe-host",
                               "container \"app\": the readiness probe sends its request to \"example.com\", not to "
                               "the pod's IP, so it checks that host rather than this container"}));
}

// --- hooks -------------------------------------------------------------------------------

TEST(Lint, PreStopSleepInAShellOutlivesTheGracePeriod) {
  Document doc = podDocument(withPreStop(execHook({"/bin/sh", "-c", "sleep 10000000"}), 20));
  doc.positions["spec.containers[0].lifecycle.preStop"] = {{{35, 11}, {35, 18}}, {{36, 13}, {37, 1}}};
  std::vector<Diagnostic> found = lintDocument(doc, "f.yaml");
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].severity, Severity::Warning);
  EXPECT_EQ(found[0].rule, "prestop-exceeds-grace");
  EXPECT_EQ(found[0].path, "spec.containers[0].lifecycle.preStop");
  EXPECT_EQ(found[0].range.begin, (SourcePos{35, 11}));
  EXPECT_EQ(found[0].message,
            "container \"app\": the preStop hook sleeps 10000000s (about 116 days) but terminationGracePeriodSeconds "
            "is 20s: the kubelet stops waiting for the hook after 20s, then sends SIGTERM and, 2s later (the minimum "
            "it always allows), SIGKILL; the hook is cut short and the container is gone at most 22s after the pod is "
            "deleted");
}

struct SleepCase {
  std::string name;
  LifecycleHandler hook;
  std::int64_t grace;
  std::string expectedFragment;  ///< empty: no prestop warning
};

void PrintTo(const SleepCase& c, std::ostream* os) { *os << c.name; }

class PreStopSleeps : public ::testing::TestWithParam<SleepCase> {};

TEST_P(PreStopSleeps, AreComparedWithTheGracePeriod) {
  std::vector<Lint> found = only(lints(withPreStop(GetParam().hook, GetParam().grace)), "prestop-exceeds-grace");
  if (GetParam().expectedFragment.empty()) {
    EXPECT_THAT(found, IsEmpty());
    return;
  }
  ASSERT_EQ(found.size(), 1u);
  EXPECT_THAT(found[0].message, ::testing::HasSubstr(GetParam().expectedFragment));
}

LifecycleHandler sleepHook(std::int64_t seconds) {
  LifecycleHandler h;
  h.sleep = SleepAction{seconds};
  return h;
}

const SleepCase kSleepCases[] = {
    {"ArgvSleep", execHook({"sleep", "40"}), 30, "sleeps 40s but terminationGracePeriodSeconds is 30s"},
    {"ArgvSleepWithPath", execHook({"/bin/sleep", "40"}), 30, "sleeps 40s"},
    {"ArgvSleepEqualToGrace", execHook({"sleep", "30"}), 30, "the hook uses up the whole grace period"},
    {"ArgvSleepShorter", execHook({"sleep", "29"}), 30, ""},
    {"SleepHandlerEqualToGrace", sleepHook(30), 30, "the kubelet stops waiting for the hook after 30s"},
    {"SleepHandlerShorter", sleepHook(5), 30, ""},
    {"SleepHandlerLongerIsAnErrorNotALint", sleepHook(40), 30, ""},
    {"ShellScriptSumsItsSleeps", execHook({"sh", "-c", "sleep 10; nginx -s quit; sleep 25"}), 30, "sleeps 35s"},
    {"ShellFlagsBeforeC", execHook({"/bin/bash", "-ec", "echo bye && sleep 45"}), 30, "sleeps 45s"},
    {"QuotedScriptArgument", execHook({"sh", "-c", "sleep '50'"}), 30, "sleeps 50s"},
    {"Minutes", execHook({"sh", "-c", "sleep 1m"}), 30, "sleeps 60s but"},
    {"Fractions", execHook({"sleep", "30.5"}), 30, "sleeps 30.5s"},
    {"Infinity", execHook({"sleep", "infinity"}), 30, "sleeps forever"},
    {"AbsurdlyLong", execHook({"sleep", std::string(400, '9')}), 30, "sleeps forever"},
    {"NoSleep", execHook({"sh", "-c", "nginx -s quit"}), 30, ""},
    {"SleepOfAVariable", execHook({"sh", "-c", "sleep $DRAIN"}), 30, ""},
    {"NotAShell", execHook({"python3", "-c", "import time; time.sleep(100)"}), 30, ""},
    {"ZeroGraceStillGetsOneSecond", execHook({"sleep", "5"}), 0,
     "after 1s (the kubelet's minimum for a pod), then sends SIGTERM and, 2s later (the minimum it always allows), "
     "SIGKILL; the hook is cut short and the container is gone at most 3s after"},
};

INSTANTIATE_TEST_SUITE_P(Table, PreStopSleeps, ::testing::ValuesIn(kSleepCases),
                         [](const ::testing::TestParamInfo<SleepCase>& info) { return info.param.name; });

TEST(Lint, PostStartThatSleepsBlocksTheContainer) {
  Container c = container("app");
  c.lifecycle = Lifecycle{execHook({"sh", "-c", "sleep 30 && touch /ready"}), std::nullopt};
  EXPECT_THAT(lints(podWith(c)),
              ElementsAre(Lint{Severity::Warning, "poststart-blocks",
                               "container \"app\": the postStart hook sleeps 30s: until it returns the container is "
                               "not reported Running (it stays ContainerCreating, or PodInitializing in a pod with "
                               "init containers) and the next container in the pod is not started; postStart hooks "
                               "have no timeout"}));
}

TEST(Lint, TcpSocketHooksAreNeverRun) {
  LifecycleHandler tcp;
  tcp.tcpSocket = TcpSocketAction{"", IntOrString::fromInt(80)};
  Container c = container("app");
  c.lifecycle = Lifecycle{tcp, tcp};
  EXPECT_THAT(only(lints(podWith(c)), "tcp-socket-hook"),
              ElementsAre(Lint{Severity::Warning, "tcp-socket-hook",
                               "container \"app\": the postStart hook uses tcpSocket, which the API server accepts "
                               "only for compatibility and the kubelet cannot run: the hook always fails, so the "
                               "container is killed right after it starts (FailedPostStartHook) and restarted "
                               "according to restartPolicy"},
                          Lint{Severity::Warning, "tcp-socket-hook",
                               "container \"app\": the preStop hook uses tcpSocket, which the API server accepts only "
                               "for compatibility and the kubelet cannot run: the hook always fails, so the container "
                               "is stopped without it (FailedPreStopHook)"}));
}

TEST(Lint, SleepHandlerNeedsARecentCluster) {
  EXPECT_THAT(only(lints(withPreStop(sleepHook(5), 30)), "sleep-hook-version"),
              ElementsAre(Lint{Severity::Info, "sleep-hook-version",
                               "container \"app\": the preStop sleep handler needs Kubernetes 1.30 or later (1.29 only "
                               "with the PodLifecycleSleepAction feature gate); older API servers reject or drop it"}));
}

// --- grace period ---------------------------------------------------------------------

TEST(Lint, NegativeGracePeriodUsesTheApiServersWarning) {
  Pod p = podWith(container("app"));
  p.spec.terminationGracePeriodSeconds = -5;
  EXPECT_THAT(lints(p), ElementsAre(Lint{Severity::Warning, "negative-grace-period",
                                         "spec.terminationGracePeriodSeconds: must be >= 0; negative values are invalid "
                                         "and will be treated as 1"}));
}

TEST(Lint, ZeroGracePeriod) {
  Pod p = podWith(container("app"));
  p.spec.terminationGracePeriodSeconds = 0;
  EXPECT_THAT(lints(p), ElementsAre(Lint{Severity::Warning, "zero-grace-period",
                                         "terminationGracePeriodSeconds is 0: containers get no time to shut down "
                                         "cleanly; on deletion the kubelet still allows at least 1s for preStop hooks "
                                         "and then 2s between SIGTERM and SIGKILL, and a kill after a failed liveness "
                                         "or startup probe skips the preStop hook altogether"}));
}

// --- images, env, volumes ---------------------------------------------------------------

TEST(Lint, ImagesThatArePulledOnEveryStart) {
  Container untagged = container("app", "nginx");
  untagged.imagePullPolicy = PullPolicy::Always;
  EXPECT_THAT(lints(podWith(untagged)),
              ElementsAre(Lint{Severity::Info, "image-latest",
                               "container \"app\": image \"nginx\" has no tag, so imagePullPolicy defaults to Always: "
                               "every container start, restarts included, asks the registry for the image, and a run "
                               "without network access fails with ErrImagePull; pin a version tag to make runs "
                               "repeatable"}));
  Container latest = container("app", "nginx:latest");
  latest.imagePullPolicy = PullPolicy::Always;
  EXPECT_THAT(only(lints(podWith(latest)), "image-latest")[0].message,
              ::testing::HasSubstr("image \"nginx:latest\" uses the latest tag, so"));

  // Pinned by the manifest: not a default, so the other wording.
  Document doc = podDocument(podWith(latest));
  doc.positions["spec.containers[0].imagePullPolicy"] = {{{9, 5}, {9, 20}}, {{9, 22}, {9, 28}}};
  EXPECT_THAT(lints(doc), ElementsAre(Lint{Severity::Info, "pull-always",
                                           "container \"app\": imagePullPolicy is Always: every container start, "
                                           "restarts included, asks the registry for the image, and a run without "
                                           "network access fails with ErrImagePull"}));

  Container pinned = container("app", "nginx:1.27");
  pinned.imagePullPolicy = PullPolicy::IfNotPresent;
  EXPECT_THAT(lints(podWith(pinned)), IsEmpty());
}

TEST(Lint, EnvFromReferencesAndRepeats) {
  Container c = container("app");
  c.env = {EnvVar{"MODE", "a", false}, EnvVar{"TOKEN", "", true}, EnvVar{"MODE", "b", false}};
  EXPECT_THAT(lints(podWith(c)),
              ElementsAre(Lint{Severity::Info, "unsupported-locally",
                               "container \"app\": env TOKEN takes its value from valueFrom (a ConfigMap, Secret, "
                               "field or resource reference), which local runs do not resolve"},
                          Lint{Severity::Warning, "duplicate-env",
                               "container \"app\": env[2] sets MODE again (first set by env[0]); the last definition "
                               "wins, and kubectl apply can drop one of them"}));
}

TEST(Lint, VolumeKindsALocalRunCannotProvide) {
  Pod p = podWith(container("app"));
  Volume v;
  v.name = "config";
  v.source = Volume::Source::Unsupported;
  v.unsupportedKind = "configMap";
  p.spec.volumes = {v};
  EXPECT_THAT(lints(p), ElementsAre(Lint{Severity::Warning, "unsupported-locally",
                                         "volume \"config\" is a configMap volume; local runs provide emptyDir and "
                                         "hostPath volumes only, so it is not available to the containers that mount "
                                         "it"}));
}

// --- which containers, which paths -------------------------------------------------------

TEST(Lint, RegularInitContainersGetNoProbeLints) {
  Pod p = podWith(container("app"));
  Container init = container("setup", "busybox:1.36");
  init.livenessProbe = execProbe();
  p.spec.initContainers = {init};
  EXPECT_THAT(lints(p), IsEmpty());
}

TEST(Lint, SidecarsAreLintedLikeContainers) {
  Pod p = podWith(container("app"));
  Container sidecar = container("proxy", "envoy:1.30");
  sidecar.restartPolicy = RestartPolicy::Always;
  sidecar.livenessProbe = execProbe();
  p.spec.initContainers = {sidecar};
  // A sidecar restarts whatever the pod's restartPolicy says.
  p.spec.restartPolicy = RestartPolicy::Never;
  EXPECT_THAT(lints(p), ElementsAre(Lint{Severity::Info, "startup-budget",
                                         "sidecar \"proxy\": the liveness probe gives the container initialDelaySeconds "
                                         "+ failureThreshold × periodSeconds = 0 + 3 × 10 = 30s to start before it is "
                                         "killed and restarted; if it can take longer, add a startupProbe"}));
}

TEST(Lint, DeploymentFindingsUseTheTemplatePaths) {
  Deployment d;
  d.metadata.name = "web";
  Container c = container("app");
  c.lifecycle = Lifecycle{std::nullopt, execHook({"/bin/sh", "-c", "sleep 10000000"})};
  d.spec.podTemplate.spec.containers = {c};
  d.spec.podTemplate.spec.terminationGracePeriodSeconds = -1;
  Document doc;
  doc.kind = "Deployment";
  doc.deployment = d;
  std::vector<Diagnostic> found = lintDocument(doc, "f.yaml");
  ASSERT_EQ(found.size(), 2u);
  EXPECT_EQ(found[0].path, "spec.template.spec.terminationGracePeriodSeconds");
  EXPECT_EQ(found[0].message,
            "spec.template.spec.terminationGracePeriodSeconds: must be >= 0; negative values are invalid and will be "
            "treated as 1");
  EXPECT_EQ(found[1].path, "spec.template.spec.containers[0].lifecycle.preStop");
  EXPECT_THAT(found[1].message, ::testing::HasSubstr("terminationGracePeriodSeconds is -1s: the kubelet stops waiting "
                                                     "for the hook after 1s (the kubelet's minimum for a pod)"));
}

}  // namespace
}  // namespace podscope::core
