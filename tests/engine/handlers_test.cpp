#include "engine/handlers.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <memory>
#include <optional>

#include "engine/virtual_event_loop.h"
#include "recording_runtime.h"

namespace podscope::engine {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;
using testing::Behaviour;
using testing::HandlerReply;
using testing::RecordingRuntime;
using Headers = std::vector<std::pair<std::string, std::string>>;

template <typename Outcome>
struct Got {
  std::optional<Outcome> outcome;
  TimePoint at{0};
  int calls = 0;
};

class HandlersTest : public ::testing::Test {
 protected:
  HandlersTest() {
    spec.name = "app";
    spec.ports = {core::ContainerPort{.name = "http-alt", .containerPort = 8081},
                  core::ContainerPort{.name = "db", .containerPort = 3306}};
    spec.env = {core::EnvVar{.name = "MARKER", .value = "/tmp/ready"},
                core::EnvVar{.name = "GREETING", .value = "hello"}};
  }

  /// A container that runs until killed, so exec calls reach it.
  ContainerId startContainer() {
    runtime.behaviours["app"] = Behaviour{Duration::max()};
    ContainerId id;
    runtime.createContainer("sandbox-1", ContainerConfig{.name = "app"}, [&](core::Result<ContainerId> r) { id = *r; });
    loop.run();
    runtime.startContainer(id, [](core::Status) {});
    loop.run();
    return id;
  }

  HandlerTarget target(ContainerId container = "gone") {
    return HandlerTarget{"sandbox-1", std::move(container), "10.88.0.2", &spec, "web", "default", "uid-1"};
  }

  Got<ProbeOutcome> probe(const core::Probe& p, core::AttemptKind kind = core::AttemptKind::LivenessProbe,
                          ContainerId container = "gone") {
    Got<ProbeOutcome> got;
    const TimePoint start = loop.now();
    runner->runProbe(p, kind, target(std::move(container)), [&, start](ProbeOutcome o) {
      got.outcome = std::move(o);
      got.at = loop.now() - start;
      ++got.calls;
    });
    EXPECT_FALSE(got.outcome) << "done must not run inside runProbe";
    loop.run();
    EXPECT_EQ(got.calls, 1);
    return got;
  }

  Got<HookOutcome> hook(const core::LifecycleHandler& h, core::AttemptKind kind = core::AttemptKind::PostStartHook,
                        ContainerId container = "gone") {
    Got<HookOutcome> got;
    const TimePoint start = loop.now();
    runner->runHook(h, kind, target(std::move(container)), [&, start](HookOutcome o) {
      got.outcome = std::move(o);
      got.at = loop.now() - start;
      ++got.calls;
    });
    EXPECT_FALSE(got.outcome) << "done must not run inside runHook";
    loop.run();
    EXPECT_EQ(got.calls, 1);
    return got;
  }

  static core::Probe execProbe(std::vector<std::string> command, int timeoutSeconds = 1) {
    core::Probe p;
    p.exec = core::ExecAction{std::move(command)};
    p.timeoutSeconds = timeoutSeconds;
    return p;
  }

  static core::Probe httpProbe(core::IntOrString port, std::string path = "/healthz", int timeoutSeconds = 1) {
    core::Probe p;
    p.httpGet = core::HttpGetAction{};
    p.httpGet->port = std::move(port);
    p.httpGet->path = std::move(path);
    p.timeoutSeconds = timeoutSeconds;
    return p;
  }

  static core::LifecycleHandler httpHook(core::IntOrString port, std::string path) {
    core::LifecycleHandler h;
    h.httpGet = core::HttpGetAction{};
    h.httpGet->port = std::move(port);
    h.httpGet->path = std::move(path);
    return h;
  }

  VirtualEventLoop loop;
  RecordingRuntime runtime{loop};
  std::unique_ptr<HandlerRunner> runner = std::make_unique<HandlerRunner>(runtime, loop);
  core::Container spec;
};

using core::AttemptKind;
using core::AttemptResult;
using core::IntOrString;

// --- $(VAR) expansion ---------------------------------------------------------

TEST(ExpandCommandTest, FollowsKubernetesExpansionRules) {
  core::Container spec;
  spec.env = {core::EnvVar{.name = "GREETING", .value = "hello"},
              core::EnvVar{.name = "EMPTY", .value = ""},
              core::EnvVar{.name = "TWICE", .value = "first"},
              core::EnvVar{.name = "TWICE", .value = "second"},
              core::EnvVar{.name = "TOKEN", .value = "", .valueFrom = true}};
  const std::vector<std::pair<std::string, std::string>> table = {
      {"$(GREETING) world", "hello world"},
      {"say:$(GREETING)!", "say:hello!"},
      {"$(GREETING)$(GREETING)", "hellohello"},
      {"$$(GREETING)", "$(GREETING)"},       // $$ escapes the reference
      {"$$$(GREETING)", "$hello"},            // an escaped $, then a reference
      {"$$", "$"},
      {"a$$b", "a$b"},
      {"$(MISSING)", "$(MISSING)"},          // unknown names stay as written
      {"$(EMPTY)x", "x"},
      {"$(TWICE)", "second"},                // the later definition wins
      {"$(TOKEN)", ""},                      // valueFrom: only its (empty) literal value
      {"$", "$"},
      {"cost: 5$", "cost: 5$"},
      {"$HOME", "$HOME"},                    // not the $(...) syntax
      {"$(GREETING", "$(GREETING"},          // unterminated
      {"x$(", "x$("},
      {"$()", "$()"},
      {"$(A$(GREETING))", "$(A$(GREETING))"},  // the name runs to the first ')'
      {"plain", "plain"},
      {"", ""},
  };
  for (const auto& [input, expected] : table) {
    EXPECT_EQ(expandCommand({input}, spec), std::vector<std::string>{expected}) << "input: " << input;
  }
  EXPECT_EQ(expandCommand({"sh", "-c", "echo $(GREETING) > $(GREETING).txt"}, spec),
            (std::vector<std::string>{"sh", "-c", "echo hello > hello.txt"}));
}

// --- exec probes ----------------------------------------------------------------

TEST_F(HandlersTest, ExecProbeSucceedsOnExitZeroWithItsOutput) {
  ContainerId id = startContainer();
  runtime.handlers = [](const std::string&, HandlerPurpose, Duration) {
    return HandlerReply{.takes = milliseconds(150), .exitCode = 0, .output = "ok\n"};
  };
  auto got = probe(execProbe({"cat", "/tmp/healthy"}, 3), AttemptKind::LivenessProbe, id);
  EXPECT_EQ(got.outcome->result, AttemptResult::Success);
  EXPECT_EQ(got.outcome->output, "ok\n");
  EXPECT_EQ(got.outcome->handler, "exec [cat /tmp/healthy]");
  EXPECT_EQ(got.at, milliseconds(150));
  ASSERT_EQ(runtime.execRequests.size(), 1u);
  EXPECT_EQ(runtime.execRequests[0].timeout, seconds(3));
  EXPECT_EQ(runtime.execRequests[0].maxOutput, 10u * 1024);
  EXPECT_EQ(runtime.calls.back(), "exec app livenessProbe [cat /tmp/healthy]");
}

TEST_F(HandlersTest, ExecProbeExpandsTheCommandFromTheContainerEnv) {
  ContainerId id = startContainer();
  auto got = probe(execProbe({"test", "-f", "$(MARKER)", "$$(MARKER)", "$(UNSET)"}), AttemptKind::ReadinessProbe, id);
  ASSERT_EQ(runtime.execRequests.size(), 1u);
  EXPECT_EQ(runtime.execRequests[0].argv,
            (std::vector<std::string>{"test", "-f", "/tmp/ready", "$(MARKER)", "$(UNSET)"}));
  EXPECT_EQ(got.outcome->handler, "exec [test -f /tmp/ready $(MARKER) $(UNSET)]");
}

TEST_F(HandlersTest, ExecProbeNonZeroExitIsAFailureCarryingTheOutput) {
  ContainerId id = startContainer();
  runtime.handlers = [](const std::string&, HandlerPurpose, Duration) {
    return HandlerReply{.takes = milliseconds(200),
                        .exitCode = 1,
                        .output = "cat: can't open '/tmp/healthy': No such file or directory\n"};
  };
  auto got = probe(execProbe({"cat", "/tmp/healthy"}), AttemptKind::LivenessProbe, id);
  EXPECT_EQ(got.outcome->result, AttemptResult::Failure);
  EXPECT_EQ(got.outcome->output, "cat: can't open '/tmp/healthy': No such file or directory\n");
  EXPECT_EQ(got.at, milliseconds(200));
}

TEST_F(HandlersTest, ExecProbeTimeoutIsAFailureInTheKubeletsWords) {
  ContainerId id = startContainer();
  runtime.handlers = [](const std::string&, HandlerPurpose, Duration) {
    return HandlerReply{.takes = seconds(30), .exitCode = 0};
  };
  auto got = probe(execProbe({"sh", "-c", "sleep 30; echo \"done\""}, 2), AttemptKind::LivenessProbe, id);
  EXPECT_EQ(got.outcome->result, AttemptResult::Failure);
  EXPECT_EQ(got.outcome->output, R"m(command "sh -c sleep 30; echo \"done\"" timed out)m");
  EXPECT_EQ(got.at, seconds(2));
}

TEST_F(HandlersTest, ExecProbeThatCannotRunIsTriedThreeTimesThenAnError) {
  auto got = probe(execProbe({"cat", "/tmp/healthy"}), AttemptKind::StartupProbe, "gone");
  EXPECT_EQ(got.outcome->result, AttemptResult::Error);
  EXPECT_EQ(got.outcome->output, "container gone is not running");
  EXPECT_EQ(got.at, Duration::zero());
  EXPECT_EQ(runtime.calls, (std::vector<std::string>{"exec gone startupProbe [cat /tmp/healthy]",
                                                     "exec gone startupProbe [cat /tmp/healthy]",
                                                     "exec gone startupProbe [cat /tmp/healthy]"}));
}

TEST_F(HandlersTest, ExecProbeErrorThenResultUsesTheResult) {
  ContainerId id = startContainer();
  int n = 0;
  runtime.handlers = [&n](const std::string&, HandlerPurpose, Duration) {
    if (++n == 1) return HandlerReply{.takes = milliseconds(100), .error = "rpc error: code = Unavailable"};
    return HandlerReply{.takes = milliseconds(100), .exitCode = 1, .output = "not yet"};
  };
  auto got = probe(execProbe({"check"}), AttemptKind::LivenessProbe, id);
  EXPECT_EQ(got.outcome->result, AttemptResult::Failure);  // a failure is not retried
  EXPECT_EQ(got.outcome->output, "not yet");
  EXPECT_EQ(got.at, milliseconds(200));
  EXPECT_EQ(runtime.execRequests.size(), 2u);
}

TEST_F(HandlersTest, ExecProbeOutputIsBoundedTo10KiB) {
  ContainerId id = startContainer();
  runtime.handlers = [](const std::string&, HandlerPurpose, Duration) {
    return HandlerReply{.exitCode = 1, .output = std::string(20000, 'x')};
  };
  auto got = probe(execProbe({"spam"}), AttemptKind::LivenessProbe, id);
  EXPECT_EQ(got.outcome->output, std::string(10240, 'x'));
}

TEST_F(HandlersTest, ProbeKindsUseTheirPurpose) {
  ContainerId id = startContainer();
  probe(execProbe({"a"}), AttemptKind::StartupProbe, id);
  probe(execProbe({"b"}), AttemptKind::LivenessProbe, id);
  probe(execProbe({"c"}), AttemptKind::ReadinessProbe, id);
  ASSERT_EQ(runtime.execRequests.size(), 3u);
  EXPECT_EQ(runtime.execRequests[0].purpose, HandlerPurpose::StartupProbe);
  EXPECT_EQ(runtime.execRequests[1].purpose, HandlerPurpose::LivenessProbe);
  EXPECT_EQ(runtime.execRequests[2].purpose, HandlerPurpose::ReadinessProbe);
}

TEST_F(HandlersTest, ProbeWithoutAHandlerIsAnError) {
  auto got = probe(core::Probe{});
  EXPECT_EQ(got.outcome->result, AttemptResult::Error);
  EXPECT_EQ(got.outcome->output, "missing probe handler for web_default(uid-1):app");
}

// --- httpGet probes ---------------------------------------------------------------

TEST_F(HandlersTest, HttpProbeBuildsTheKubeletsRequest) {
  runtime.httpReplies = [](const HttpRequest&) { return HandlerReply{.takes = milliseconds(40), .output = "fine"}; };
  auto got = probe(httpProbe(IntOrString::fromInt(8080), "/healthz?verbose=1", 5), AttemptKind::ReadinessProbe);
  EXPECT_EQ(got.outcome->result, AttemptResult::Success);
  EXPECT_EQ(got.outcome->output, "fine");
  EXPECT_EQ(got.outcome->handler, "httpGet http://10.88.0.2:8080/healthz?verbose=1");
  EXPECT_EQ(got.at, milliseconds(40));
  ASSERT_EQ(runtime.httpRequests.size(), 1u);
  const HttpRequest& r = runtime.httpRequests[0];
  EXPECT_EQ(r.scheme, "http");
  EXPECT_EQ(r.host, "10.88.0.2");
  EXPECT_EQ(r.port, 8080);
  EXPECT_EQ(r.path, "/healthz?verbose=1");
  EXPECT_EQ(r.timeout, seconds(5));
  EXPECT_EQ(r.purpose, HandlerPurpose::ReadinessProbe);
  EXPECT_EQ(r.headers, (Headers{{"User-Agent", "kube-probe/1.31"}, {"Accept", "*/*"}}));
}

TEST_F(HandlersTest, HttpProbeLowerCasesTheSchemeAndUsesAConfiguredHost) {
  core::Probe p = httpProbe(IntOrString::fromInt(8443), "/");
  p.httpGet->scheme = core::UriScheme::HTTPS;
  p.httpGet->host = "status.internal";
  auto got = probe(p);
  EXPECT_EQ(got.outcome->handler, "httpGet https://status.internal:8443/");
  ASSERT_EQ(runtime.httpRequests.size(), 1u);
  EXPECT_EQ(runtime.httpRequests[0].scheme, "https");
  EXPECT_EQ(runtime.httpRequests[0].host, "status.internal");
}

TEST_F(HandlersTest, HttpProbeResolvesNamedPorts) {
  probe(httpProbe(IntOrString::fromString("http-alt")));
  probe(httpProbe(IntOrString::fromString("9090")));  // a number written as a string
  ASSERT_EQ(runtime.httpRequests.size(), 2u);
  EXPECT_EQ(runtime.httpRequests[0].port, 8081);
  EXPECT_EQ(runtime.httpRequests[1].port, 9090);
}

TEST_F(HandlersTest, HttpProbeWithAnUnknownPortNameIsAnError) {
  auto got = probe(httpProbe(IntOrString::fromString("metrics")));
  EXPECT_EQ(got.outcome->result, AttemptResult::Error);
  EXPECT_EQ(got.outcome->output, R"m(strconv.Atoi: parsing "metrics": invalid syntax)m");
  EXPECT_EQ(got.outcome->handler, "httpGet http://10.88.0.2:metrics/healthz");
  EXPECT_TRUE(runtime.httpRequests.empty());

  auto outOfRange = probe(httpProbe(IntOrString::fromInt(70000)));
  EXPECT_EQ(outOfRange.outcome->result, AttemptResult::Error);
  EXPECT_EQ(outOfRange.outcome->output, "invalid port number: 70000");
}

TEST_F(HandlersTest, HttpProbeHeaderRules) {
  struct Case {
    std::vector<core::HttpHeader> configured;
    Headers sent;
  };
  const std::vector<Case> cases = {
      {{}, {{"User-Agent", "kube-probe/1.31"}, {"Accept", "*/*"}}},
      // Names are canonicalised as net/http does; Host is passed on as given.
      {{{"x-custom-header", "a"}, {"Host", "svc.example"}},
       {{"X-Custom-Header", "a"}, {"Host", "svc.example"}, {"User-Agent", "kube-probe/1.31"}, {"Accept", "*/*"}}},
      {{{"user-agent", "my-checker/2"}}, {{"User-Agent", "my-checker/2"}, {"Accept", "*/*"}}},
      {{{"Accept", "application/json"}}, {{"Accept", "application/json"}, {"User-Agent", "kube-probe/1.31"}}},
      // An Accept configured empty means "send no Accept at all".
      {{{"Accept", ""}}, {{"User-Agent", "kube-probe/1.31"}}},
  };
  for (const Case& c : cases) {
    runtime.httpRequests.clear();
    core::Probe p = httpProbe(IntOrString::fromInt(80));
    p.httpGet->httpHeaders = c.configured;
    probe(p);
    ASSERT_EQ(runtime.httpRequests.size(), 1u);
    EXPECT_EQ(runtime.httpRequests[0].headers, c.sent);
  }
}

TEST_F(HandlersTest, HttpProbeNon2xxIsAFailureWithTheStatusCode) {
  runtime.httpReplies = [](const HttpRequest&) {
    return HandlerReply{.takes = milliseconds(10), .output = "database down", .statusCode = 503};
  };
  auto got = probe(httpProbe(IntOrString::fromInt(8080)));
  EXPECT_EQ(got.outcome->result, AttemptResult::Failure);
  EXPECT_EQ(got.outcome->output, "HTTP probe failed with statuscode: 503");
}

TEST_F(HandlersTest, HttpProbeTransportErrorIsAFailureNamingTheUrl) {
  runtime.httpReplies = [](const HttpRequest&) { return HandlerReply{.refused = true}; };
  auto got = probe(httpProbe(IntOrString::fromInt(8080)));
  EXPECT_EQ(got.outcome->result, AttemptResult::Failure);
  EXPECT_EQ(got.outcome->output,
            R"m(Get "http://10.88.0.2:8080/healthz": dial tcp 10.88.0.2:8080: connect: connection refused)m");
  EXPECT_EQ(runtime.httpRequests.size(), 1u);  // a failure, not an error: no retry
}

TEST_F(HandlersTest, HttpProbeTimesOutAtTimeoutSeconds) {
  runtime.httpReplies = [](const HttpRequest&) { return HandlerReply{.takes = seconds(3)}; };
  auto got = probe(httpProbe(IntOrString::fromInt(8080), "/healthz", 1));
  EXPECT_EQ(got.outcome->result, AttemptResult::Failure);
  EXPECT_EQ(got.outcome->output, R"m(Get "http://10.88.0.2:8080/healthz": context deadline exceeded )m"
                                 R"m((Client.Timeout exceeded while awaiting headers))m");
  EXPECT_EQ(got.at, seconds(1));
}

TEST_F(HandlersTest, HttpProbeFollowsSameHostRedirects) {
  runtime.httpReplies = [](const HttpRequest& r) {
    if (r.path == "/healthz") return HandlerReply{.takes = milliseconds(300), .statusCode = 302, .location = "ready"};
    if (r.path == "/ready") {
      return HandlerReply{.takes = milliseconds(300), .statusCode = 301, .location = "http://10.88.0.2:9090/ok"};
    }
    return HandlerReply{.takes = milliseconds(300), .output = "all good", .statusCode = 200};
  };
  auto got = probe(httpProbe(IntOrString::fromInt(8080), "/healthz", 2));
  EXPECT_EQ(got.outcome->result, AttemptResult::Success);
  EXPECT_EQ(got.outcome->output, "all good");
  EXPECT_EQ(got.outcome->handler, "httpGet http://10.88.0.2:8080/healthz");
  EXPECT_EQ(got.at, milliseconds(900));
  EXPECT_EQ(runtime.calls, (std::vector<std::string>{"httpGet livenessProbe http://10.88.0.2:8080/healthz",
                                                     "httpGet livenessProbe http://10.88.0.2:8080/ready",
                                                     "httpGet livenessProbe http://10.88.0.2:9090/ok"}));
  // All hops share the probe's timeout, and carry the original headers plus
  // the previous URL as Referer.
  EXPECT_EQ(runtime.httpRequests[0].timeout, seconds(2));
  EXPECT_EQ(runtime.httpRequests[1].timeout, milliseconds(1700));
  EXPECT_EQ(runtime.httpRequests[2].timeout, milliseconds(1400));
  EXPECT_EQ(runtime.httpRequests[1].headers, (Headers{{"User-Agent", "kube-probe/1.31"},
                                                      {"Accept", "*/*"},
                                                      {"Referer", "http://10.88.0.2:8080/healthz"}}));
}

TEST_F(HandlersTest, HttpProbeRedirectChainSharesOneTimeout) {
  int n = 0;
  runtime.httpReplies = [&n](const HttpRequest&) {
    ++n;
    return HandlerReply{.takes = milliseconds(400), .statusCode = 302, .location = "/r" + std::to_string(n)};
  };
  auto got = probe(httpProbe(IntOrString::fromInt(8080), "/healthz", 1));
  EXPECT_EQ(got.outcome->result, AttemptResult::Failure);
  EXPECT_EQ(got.outcome->output, R"m(Get "http://10.88.0.2:8080/r2": context deadline exceeded )m"
                                 R"m((Client.Timeout exceeded while awaiting headers))m");
  EXPECT_EQ(got.at, seconds(1));
  ASSERT_EQ(runtime.httpRequests.size(), 3u);
  EXPECT_EQ(runtime.httpRequests[2].timeout, milliseconds(200));
}

TEST_F(HandlersTest, HttpProbeRedirectToAnotherHostIsAWarning) {
  runtime.httpReplies = [](const HttpRequest&) {
    return HandlerReply{.output = "<a href=\"https://login.example.com/\">Found</a>",
                        .statusCode = 302,
                        .location = "https://login.example.com/"};
  };
  auto got = probe(httpProbe(IntOrString::fromInt(8080)));
  EXPECT_EQ(got.outcome->result, AttemptResult::Warning);
  EXPECT_EQ(got.outcome->output,
            "Probe terminated redirects, Response body: <a href=\"https://login.example.com/\">Found</a>");
  EXPECT_EQ(runtime.httpRequests.size(), 1u);
}

TEST_F(HandlersTest, HttpProbe3xxThatIsNoRedirectIsAWarning) {
  runtime.httpReplies = [](const HttpRequest&) { return HandlerReply{.output = "", .statusCode = 304}; };
  auto got = probe(httpProbe(IntOrString::fromInt(8080)));
  EXPECT_EQ(got.outcome->result, AttemptResult::Warning);
  EXPECT_EQ(got.outcome->output, "Probe terminated redirects, Response body: ");
}

TEST_F(HandlersTest, HttpProbeGivesUpWhenTheTenthRequestRedirectsAgain) {
  int n = 0;
  runtime.httpReplies = [&n](const HttpRequest&) {
    ++n;
    return HandlerReply{.statusCode = 302, .location = "/r" + std::to_string(n)};
  };
  auto got = probe(httpProbe(IntOrString::fromInt(8080)));
  EXPECT_EQ(got.outcome->result, AttemptResult::Failure);
  // net/http names the Location it refused to follow, as written.
  EXPECT_EQ(got.outcome->output, R"m(Get "/r10": stopped after 10 redirects)m");
  EXPECT_EQ(runtime.httpRequests.size(), 10u);
  EXPECT_EQ(runtime.httpRequests.back().path, "/r9");
}

TEST_F(HandlersTest, HttpProbeFollowsNineRedirectsToAnAnswer) {
  int n = 0;
  runtime.httpReplies = [&n](const HttpRequest&) {
    if (++n < 10) return HandlerReply{.statusCode = 307, .location = "/r" + std::to_string(n)};
    return HandlerReply{.output = "finally", .statusCode = 200};
  };
  auto got = probe(httpProbe(IntOrString::fromInt(8080)));
  EXPECT_EQ(got.outcome->result, AttemptResult::Success);
  EXPECT_EQ(got.outcome->output, "finally");
  EXPECT_EQ(runtime.httpRequests.size(), 10u);
}

TEST_F(HandlersTest, HttpProbeResolvesRelativeLocations) {
  runtime.httpReplies = [](const HttpRequest& r) {
    if (r.path == "/app/v1/health") return HandlerReply{.statusCode = 302, .location = "../v2/./health?full=1#top"};
    if (r.path == "/app/v2/health?full=1") return HandlerReply{.statusCode = 302, .location = "//10.88.0.2:7000/x"};
    return HandlerReply{.output = "ok"};
  };
  auto got = probe(httpProbe(IntOrString::fromInt(8080), "/app/v1/health"));
  EXPECT_EQ(got.outcome->result, AttemptResult::Success);
  EXPECT_EQ(runtime.calls, (std::vector<std::string>{"httpGet livenessProbe http://10.88.0.2:8080/app/v1/health",
                                                     "httpGet livenessProbe http://10.88.0.2:8080/app/v2/health?full=1",
                                                     "httpGet livenessProbe http://10.88.0.2:7000/x"}));
}

TEST_F(HandlersTest, ConfiguredHostHeaderSurvivesOnlyRelativeRedirects) {
  runtime.httpReplies = [](const HttpRequest& r) {
    if (r.path == "/a") return HandlerReply{.statusCode = 302, .location = "/b"};
    if (r.path == "/b") return HandlerReply{.statusCode = 302, .location = "http://10.88.0.2:8080/c"};
    return HandlerReply{.output = "ok"};
  };
  core::Probe p = httpProbe(IntOrString::fromInt(8080), "/a");
  p.httpGet->httpHeaders = {{"Host", "svc.example"}};
  probe(p);
  ASSERT_EQ(runtime.httpRequests.size(), 3u);
  auto hostOf = [](const HttpRequest& r) -> std::string {
    for (const auto& [k, v] : r.headers) {
      if (k == "Host") return v;
    }
    return "(none)";
  };
  EXPECT_EQ(hostOf(runtime.httpRequests[0]), "svc.example");
  EXPECT_EQ(hostOf(runtime.httpRequests[1]), "svc.example");
  EXPECT_EQ(hostOf(runtime.httpRequests[2]), "(none)");
}

// --- tcpSocket and grpc probes ----------------------------------------------------------

TEST_F(HandlersTest, TcpProbeConnects) {
  auto got = probe([] {
    core::Probe p;
    p.tcpSocket = core::TcpSocketAction{"", IntOrString::fromString("db")};
    p.timeoutSeconds = 2;
    return p;
  }());
  EXPECT_EQ(got.outcome->result, AttemptResult::Success);
  EXPECT_EQ(got.outcome->output, "");
  EXPECT_EQ(got.outcome->handler, "tcpSocket 10.88.0.2:3306");
  ASSERT_EQ(runtime.tcpRequests.size(), 1u);
  EXPECT_EQ(runtime.tcpRequests[0].host, "10.88.0.2");
  EXPECT_EQ(runtime.tcpRequests[0].port, 3306);
  EXPECT_EQ(runtime.tcpRequests[0].timeout, seconds(2));
  EXPECT_EQ(runtime.tcpRequests[0].purpose, HandlerPurpose::LivenessProbe);
}

TEST_F(HandlersTest, TcpProbeDialErrorsAreFailures) {
  core::Probe p;
  p.tcpSocket = core::TcpSocketAction{"", IntOrString::fromInt(3306)};
  runtime.handlers = [](const std::string&, HandlerPurpose, Duration) { return HandlerReply{.refused = true}; };
  auto refused = probe(p);
  EXPECT_EQ(refused.outcome->result, AttemptResult::Failure);
  EXPECT_EQ(refused.outcome->output, "dial tcp 10.88.0.2:3306: connect: connection refused");

  runtime.handlers = [](const std::string&, HandlerPurpose, Duration) { return HandlerReply{.takes = seconds(5)}; };
  auto slow = probe(p);
  EXPECT_EQ(slow.outcome->result, AttemptResult::Failure);
  EXPECT_EQ(slow.outcome->output, "dial tcp 10.88.0.2:3306: i/o timeout");
  EXPECT_EQ(slow.at, seconds(1));
}

TEST_F(HandlersTest, TcpProbeWithUnknownPortNameIsAnError) {
  core::Probe p;
  p.tcpSocket = core::TcpSocketAction{"", IntOrString::fromString("redis")};
  auto got = probe(p);
  EXPECT_EQ(got.outcome->result, AttemptResult::Error);
  EXPECT_EQ(got.outcome->output, R"m(strconv.Atoi: parsing "redis": invalid syntax)m");
  EXPECT_TRUE(runtime.tcpRequests.empty());
}

TEST_F(HandlersTest, GrpcProbeOutcomes) {
  core::Probe p;
  p.grpc = core::GrpcAction{9090, ""};
  auto serving = probe(p, AttemptKind::ReadinessProbe);
  EXPECT_EQ(serving.outcome->result, AttemptResult::Success);
  EXPECT_EQ(serving.outcome->output, "service healthy");
  EXPECT_EQ(serving.outcome->handler, R"m(grpc 10.88.0.2:9090 service="")m");
  ASSERT_EQ(runtime.grpcRequests.size(), 1u);
  EXPECT_EQ(runtime.grpcRequests[0].host, "10.88.0.2");
  EXPECT_EQ(runtime.grpcRequests[0].port, 9090);
  EXPECT_EQ(runtime.grpcRequests[0].timeout, seconds(1));
  EXPECT_EQ(runtime.grpcRequests[0].purpose, HandlerPurpose::ReadinessProbe);

  p.grpc->service = "orders";
  runtime.handlers = [](const std::string&, HandlerPurpose, Duration) {
    return HandlerReply{.grpcStatus = "NOT_SERVING"};
  };
  auto notServing = probe(p);
  EXPECT_EQ(notServing.outcome->result, AttemptResult::Failure);
  EXPECT_EQ(notServing.outcome->output, R"m(service unhealthy (responded with "NOT_SERVING"))m");
  EXPECT_EQ(notServing.outcome->handler, R"m(grpc 10.88.0.2:9090 service="orders")m");
  EXPECT_EQ(runtime.grpcRequests.back().service, "orders");

  runtime.handlers = [](const std::string&, HandlerPurpose, Duration) {
    return HandlerReply{.error = "rpc error: code = Unavailable desc = connection reset"};
  };
  auto rpcError = probe(p);
  EXPECT_EQ(rpcError.outcome->result, AttemptResult::Failure);
  EXPECT_EQ(rpcError.outcome->output,
            "error: health rpc probe failed: rpc error: code = Unavailable desc = connection reset");

  runtime.handlers = [](const std::string&, HandlerPurpose, Duration) { return HandlerReply{.takes = seconds(4)}; };
  auto slow = probe(p);
  EXPECT_EQ(slow.outcome->result, AttemptResult::Failure);
  EXPECT_EQ(slow.outcome->output, "timeout: health rpc did not complete within the timeout");
  EXPECT_EQ(slow.at, seconds(1));
}

// --- hooks ---------------------------------------------------------------------------------

TEST_F(HandlersTest, ExecHookRunsWithoutTimeoutAndAsWritten) {
  ContainerId id = startContainer();
  runtime.handlers = [](const std::string&, HandlerPurpose, Duration) {
    return HandlerReply{.takes = seconds(90), .exitCode = 0, .output = "warmed up\n"};
  };
  core::LifecycleHandler h;
  h.exec = core::ExecAction{{"sh", "-c", "echo $(GREETING)"}};
  auto got = hook(h, AttemptKind::PostStartHook, id);
  EXPECT_EQ(got.outcome->result, AttemptResult::Success);
  EXPECT_EQ(got.outcome->output, "warmed up\n");
  EXPECT_EQ(got.outcome->errorMessage, "");
  EXPECT_EQ(got.outcome->handler, "exec [sh -c echo $(GREETING)]");
  EXPECT_EQ(got.at, seconds(90));
  ASSERT_EQ(runtime.execRequests.size(), 1u);
  EXPECT_EQ(runtime.execRequests[0].timeout, std::nullopt);
  EXPECT_EQ(runtime.execRequests[0].purpose, HandlerPurpose::PostStartHook);
  // The kubelet's handler runner does not expand hook commands.
  EXPECT_EQ(runtime.execRequests[0].argv, (std::vector<std::string>{"sh", "-c", "echo $(GREETING)"}));
}

TEST_F(HandlersTest, ExecHookNonZeroExitFailsWithTheKubeletsMessage) {
  ContainerId id = startContainer();
  runtime.handlers = [](const std::string&, HandlerPurpose, Duration) {
    return HandlerReply{.exitCode = 3, .output = "bye\n"};
  };
  core::LifecycleHandler h;
  h.exec = core::ExecAction{{"sh", "-c", "echo bye >&2; exit 3"}};
  auto got = hook(h, AttemptKind::PreStopHook, id);
  EXPECT_EQ(got.outcome->result, AttemptResult::Failure);
  EXPECT_EQ(got.outcome->output, "bye\n");
  EXPECT_EQ(got.outcome->errorMessage,
            "Exec lifecycle hook ([sh -c echo bye >&2; exit 3]) for Container \"app\" in Pod "
            "\"web_default(uid-1)\" failed - error: command 'sh -c echo bye >&2; exit 3' exited with 3: bye\n"
            ", message: \"bye\\n\"");
  EXPECT_EQ(runtime.execRequests[0].purpose, HandlerPurpose::PreStopHook);
}

TEST_F(HandlersTest, ExecHookWithoutOutputMatchesTheDocumentedExample) {
  ContainerId id = startContainer();
  runtime.handlers = [](const std::string&, HandlerPurpose, Duration) { return HandlerReply{.exitCode = 1}; };
  core::LifecycleHandler h;
  h.exec = core::ExecAction{{"sh", "-c", "exit 1"}};
  auto got = hook(h, AttemptKind::PostStartHook, id);
  EXPECT_EQ(got.outcome->errorMessage,
            R"m(Exec lifecycle hook ([sh -c exit 1]) for Container "app" in Pod "web_default(uid-1)" failed - )m"
            R"m(error: command 'sh -c exit 1' exited with 1: , message: "")m");
}

TEST_F(HandlersTest, ExecHookThatCannotRunFailsOnce) {
  core::LifecycleHandler h;
  h.exec = core::ExecAction{{"/bin/drain"}};
  auto got = hook(h, AttemptKind::PreStopHook, "gone");
  EXPECT_EQ(got.outcome->result, AttemptResult::Failure);
  EXPECT_EQ(got.outcome->errorMessage,
            R"m(Exec lifecycle hook ([/bin/drain]) for Container "app" in Pod "web_default(uid-1)" failed - )m"
            R"m(error: container gone is not running, message: "")m");
  EXPECT_EQ(runtime.execRequests.size(), 1u);  // hooks are not retried
}

TEST_F(HandlersTest, HttpHookSucceedsWhateverTheStatusCode) {
  runtime.httpReplies = [](const HttpRequest&) {
    return HandlerReply{.takes = seconds(45), .output = "boom", .statusCode = 500};
  };
  auto got = hook(httpHook(IntOrString::fromInt(8080), "/shutdown"), AttemptKind::PreStopHook);
  EXPECT_EQ(got.outcome->result, AttemptResult::Success);
  EXPECT_EQ(got.outcome->output, "boom");
  EXPECT_EQ(got.outcome->handler, "httpGet http://10.88.0.2:8080/shutdown");
  EXPECT_EQ(got.at, seconds(45));
  ASSERT_EQ(runtime.httpRequests.size(), 1u);
  EXPECT_EQ(runtime.httpRequests[0].timeout, std::nullopt);
  EXPECT_EQ(runtime.httpRequests[0].purpose, HandlerPurpose::PreStopHook);
  EXPECT_EQ(runtime.httpRequests[0].headers, (Headers{{"User-Agent", "kube-lifecycle/1.31"}, {"Accept", "*/*"}}));
}

TEST_F(HandlersTest, HttpHookTransportErrorFails) {
  runtime.httpReplies = [](const HttpRequest&) { return HandlerReply{.refused = true}; };
  auto got = hook(httpHook(IntOrString::fromString("http-alt"), "/shutdown"));
  EXPECT_EQ(got.outcome->result, AttemptResult::Failure);
  EXPECT_EQ(got.outcome->errorMessage,
            R"m(HTTP lifecycle hook (/shutdown) for Container "app" in Pod "web_default(uid-1)" failed - error: )m"
            R"m(Get "http://10.88.0.2:8081/shutdown": dial tcp 10.88.0.2:8081: connect: connection refused)m");
}

TEST_F(HandlersTest, HttpHookWithUnknownPortNameCannotRun) {
  auto got = hook(httpHook(IntOrString::fromString("admin"), "/stop"));
  EXPECT_EQ(got.outcome->result, AttemptResult::Error);
  EXPECT_EQ(got.outcome->errorMessage,
            R"m(HTTP lifecycle hook (/stop) for Container "app" in Pod "web_default(uid-1)" failed - error: )m"
            R"m(strconv.Atoi: parsing "admin": invalid syntax)m");
  EXPECT_TRUE(runtime.httpRequests.empty());
}

TEST_F(HandlersTest, HttpHookFollowsSameHostRedirectsOnly) {
  runtime.httpReplies = [](const HttpRequest& r) {
    if (r.path == "/stop") return HandlerReply{.statusCode = 303, .location = "/stop/now"};
    return HandlerReply{.statusCode = 302, .location = "http://elsewhere.example/"};
  };
  auto got = hook(httpHook(IntOrString::fromInt(8080), "/stop"));
  EXPECT_EQ(got.outcome->result, AttemptResult::Success);
  EXPECT_EQ(runtime.calls, (std::vector<std::string>{"httpGet postStart http://10.88.0.2:8080/stop",
                                                     "httpGet postStart http://10.88.0.2:8080/stop/now"}));
}

TEST_F(HandlersTest, HttpHookFailsAfterTenRedirects) {
  int n = 0;
  runtime.httpReplies = [&n](const HttpRequest&) {
    ++n;
    return HandlerReply{.statusCode = 302, .location = "http://10.88.0.2:8080/hop" + std::to_string(n)};
  };
  auto got = hook(httpHook(IntOrString::fromInt(8080), "/stop"));
  EXPECT_EQ(got.outcome->result, AttemptResult::Failure);
  EXPECT_EQ(got.outcome->errorMessage,
            R"m(HTTP lifecycle hook (/stop) for Container "app" in Pod "web_default(uid-1)" failed - error: )m"
            R"m(Get "http://10.88.0.2:8080/hop10": stopped after 10 redirects)m");
  EXPECT_EQ(runtime.httpRequests.size(), 10u);
}

TEST_F(HandlersTest, HttpsHookAnsweredInHttpFallsBackToHttp) {
  runtime.httpReplies = [](const HttpRequest& r) {
    if (r.scheme == "https") {
      return HandlerReply{.takes = milliseconds(20), .error = "http: server gave HTTP response to HTTPS client"};
    }
    return HandlerReply{.takes = milliseconds(30), .output = "stopped"};
  };
  core::LifecycleHandler h = httpHook(IntOrString::fromInt(8443), "/stop");
  h.httpGet->scheme = core::UriScheme::HTTPS;
  h.httpGet->httpHeaders = {{"Authorization", "Bearer t0k3n"}, {"X-Reason", "shutdown"}};
  auto got = hook(h, AttemptKind::PreStopHook);
  EXPECT_EQ(got.outcome->result, AttemptResult::Success);
  EXPECT_EQ(got.outcome->output, "stopped");
  EXPECT_EQ(got.at, milliseconds(50));
  EXPECT_EQ(got.outcome->warnings,
            (std::vector<std::pair<std::string, std::string>>{
                {"LifecycleHTTPFallback",
                 "request to HTTPS lifecycle hook 10.88.0.2:8443 got HTTP response, retry with HTTP succeeded"}}));
  ASSERT_EQ(runtime.httpRequests.size(), 2u);
  EXPECT_EQ(runtime.httpRequests[1].scheme, "http");
  EXPECT_EQ(runtime.httpRequests[1].port, 8443);
  // The retry goes without credentials.
  EXPECT_EQ(runtime.httpRequests[1].headers,
            (Headers{{"X-Reason", "shutdown"}, {"User-Agent", "kube-lifecycle/1.31"}, {"Accept", "*/*"}}));
}

TEST_F(HandlersTest, FailedHttpFallbackReportsTheHttpsError) {
  runtime.httpReplies = [](const HttpRequest& r) {
    if (r.scheme == "https") return HandlerReply{.error = "http: server gave HTTP response to HTTPS client"};
    return HandlerReply{.refused = true};
  };
  core::LifecycleHandler h = httpHook(IntOrString::fromInt(8443), "/stop");
  h.httpGet->scheme = core::UriScheme::HTTPS;
  auto got = hook(h);
  EXPECT_EQ(got.outcome->result, AttemptResult::Failure);
  EXPECT_TRUE(got.outcome->warnings.empty());
  EXPECT_EQ(got.outcome->errorMessage,
            R"m(HTTP lifecycle hook (/stop) for Container "app" in Pod "web_default(uid-1)" failed - error: )m"
            R"m(Get "https://10.88.0.2:8443/stop": http: server gave HTTP response to HTTPS client)m");
}

TEST_F(HandlersTest, SleepHookSleeps) {
  core::LifecycleHandler h;
  h.sleep = core::SleepAction{5};
  auto got = hook(h, AttemptKind::PreStopHook);
  EXPECT_EQ(got.outcome->result, AttemptResult::Success);
  EXPECT_EQ(got.outcome->handler, "sleep 5s");
  EXPECT_EQ(got.at, seconds(5));
  EXPECT_TRUE(runtime.calls.empty());
}

TEST_F(HandlersTest, SleepHookCancelledFailsAndStillReports) {
  core::LifecycleHandler h;
  h.sleep = core::SleepAction{5};
  Got<HookOutcome> got;
  auto id = runner->runHook(h, AttemptKind::PreStopHook, target(), [&](HookOutcome o) {
    got.outcome = std::move(o);
    got.at = loop.now();
    ++got.calls;
  });
  loop.runFor(seconds(2));
  EXPECT_FALSE(got.outcome);
  runner->cancel(id);
  EXPECT_FALSE(got.outcome) << "done runs from the loop, not inside cancel()";
  loop.run();
  ASSERT_TRUE(got.outcome);
  EXPECT_EQ(got.calls, 1);
  EXPECT_EQ(got.at, seconds(2));
  EXPECT_EQ(got.outcome->result, AttemptResult::Failure);
  EXPECT_EQ(got.outcome->errorMessage,
            R"m(Sleep lifecycle hook (5) for Container "app" in Pod "web_default(uid-1)" failed - error: )m"
            "container terminated before sleep hook finished");
  runner->cancel(id);  // finished ids are ignored
  loop.run();
  EXPECT_EQ(got.calls, 1);
  EXPECT_TRUE(loop.idle());
}

TEST_F(HandlersTest, TcpSocketHookCannotRun) {
  core::LifecycleHandler h;
  h.tcpSocket = core::TcpSocketAction{"", IntOrString::fromInt(8080)};
  auto got = hook(h);
  EXPECT_EQ(got.outcome->result, AttemptResult::Error);
  EXPECT_EQ(got.outcome->errorMessage,
            "Cannot run handler: invalid handler: &LifecycleHandler{Exec:nil,HTTPGet:nil,"
            "TCPSocket:&TCPSocketAction{Port:{0 8080 },Host:,},Sleep:nil,}");
  EXPECT_EQ(got.outcome->handler, "tcpSocket 10.88.0.2:8080");
  EXPECT_EQ(got.at, Duration::zero());
  EXPECT_TRUE(runtime.calls.empty());

  h.tcpSocket = core::TcpSocketAction{"db.internal", IntOrString::fromString("db")};
  auto named = hook(h);
  EXPECT_EQ(named.outcome->errorMessage,
            "Cannot run handler: invalid handler: &LifecycleHandler{Exec:nil,HTTPGet:nil,"
            "TCPSocket:&TCPSocketAction{Port:{1 0 db},Host:db.internal,},Sleep:nil,}");
}

// --- cancellation and lifetime ------------------------------------------------------------------

TEST_F(HandlersTest, CancelDropsDone) {
  runtime.httpReplies = [](const HttpRequest&) { return HandlerReply{.takes = seconds(3)}; };
  int calls = 0;
  auto probeId = runner->runProbe(httpProbe(IntOrString::fromInt(80), "/", 10), AttemptKind::ReadinessProbe, target(),
                                  [&](ProbeOutcome) { ++calls; });
  auto hookId = runner->runHook(httpHook(IntOrString::fromInt(80), "/"), AttemptKind::PostStartHook, target(),
                                [&](HookOutcome) { ++calls; });
  loop.runFor(seconds(1));
  runner->cancel(probeId);
  runner->cancel(hookId);
  runner->cancel(9999);  // unknown ids are ignored
  loop.run();
  EXPECT_EQ(calls, 0);
  EXPECT_EQ(runtime.httpRequests.size(), 2u);
}

TEST_F(HandlersTest, CancelAfterTheResultButBeforeDeliveryStillDrops) {
  int calls = 0;
  core::LifecycleHandler h;
  h.tcpSocket = core::TcpSocketAction{"", IntOrString::fromInt(1)};
  // The tcpSocket hook decides at once; its delivery is queued on the loop.
  auto id = runner->runHook(h, AttemptKind::PostStartHook, target(), [&](HookOutcome) { ++calls; });
  runner->cancel(id);
  loop.run();
  EXPECT_EQ(calls, 0);
}

TEST_F(HandlersTest, DestroyingTheRunnerWithCallsInFlightIsSafe) {
  ContainerId id = startContainer();
  runtime.handlers = [](const std::string&, HandlerPurpose, Duration) { return HandlerReply{.takes = seconds(1)}; };
  runtime.httpReplies = [](const HttpRequest&) {
    return HandlerReply{.takes = milliseconds(500), .statusCode = 302, .location = "/next"};
  };
  int calls = 0;
  runner->runProbe(execProbe({"check"}, 5), AttemptKind::LivenessProbe, target(id), [&](ProbeOutcome) { ++calls; });
  runner->runProbe(httpProbe(IntOrString::fromInt(80), "/", 5), AttemptKind::ReadinessProbe, target(),
                   [&](ProbeOutcome) { ++calls; });
  core::LifecycleHandler sleep;
  sleep.sleep = core::SleepAction{10};
  runner->runHook(sleep, AttemptKind::PreStopHook, target(), [&](HookOutcome) { ++calls; });
  loop.runFor(milliseconds(700));
  runner.reset();
  loop.run();
  EXPECT_EQ(calls, 0);
  EXPECT_LT(loop.now(), seconds(10)) << "the sleep timer went with the runner";
}

TEST_F(HandlersTest, DoneMayDestroyTheRunner) {
  runtime.httpReplies = [](const HttpRequest& r) {
    return HandlerReply{.takes = r.path == "/fast" ? milliseconds(100) : seconds(2)};
  };
  int slowCalls = 0;
  bool fastDone = false;
  runner->runProbe(httpProbe(IntOrString::fromInt(80), "/slow", 5), AttemptKind::ReadinessProbe, target(),
                   [&](ProbeOutcome) { ++slowCalls; });
  runner->runProbe(httpProbe(IntOrString::fromInt(80), "/fast", 5), AttemptKind::LivenessProbe, target(),
                   [&](ProbeOutcome o) {
                     fastDone = o.result == AttemptResult::Success;
                     runner.reset();
                   });
  loop.run();
  EXPECT_TRUE(fastDone);
  EXPECT_EQ(slowCalls, 0);
  EXPECT_FALSE(runner);
}

}  // namespace
}  // namespace podscope::engine
