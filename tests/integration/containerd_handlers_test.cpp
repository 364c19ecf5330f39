// The probe and hook handlers of ContainerdRuntime against a real containerd
// (the private one CTest starts): exec in running containers, and HTTP, TCP
// and gRPC from inside a pod's network namespace to servers in the pod. The
// HTTP server is busybox httpd in a container; the gRPC health server runs in
// this test process, on a thread that entered the pod's network namespace
// (the busybox image has no gRPC server), with gRPC's own health service
// answering — the same protocol a server in a container would speak.

#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sched.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <csignal>
#include <filesystem>
#include <future>
#include <thread>

#include <grpcpp/grpcpp.h>
#include <grpcpp/health_check_service_interface.h>
#include <gtest/gtest.h>

#include "containerd_test_support.h"
#include "github.com/containerd/containerd/api/services/version/v1/version.grpc.pb.h"

namespace podscope::testing {
namespace {

using engine::ContainerConfig;
using std::chrono::milliseconds;
using std::chrono::seconds;
using Steady = std::chrono::steady_clock;

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

class ContainerdHandlersTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto st = m_harness.connect();
    ASSERT_TRUE(st) << st.error().message;
    m_pod = uniqueName("handlers");
    auto sandbox = m_harness.createSandbox(m_pod);
    ASSERT_TRUE(sandbox) << sandbox.error().message;
    m_sandbox = *sandbox;
  }

  void TearDown() override {
    if (!m_sandbox.empty()) {
      EXPECT_TRUE(m_harness.removeSandbox(m_sandbox));
    }
  }

  engine::ContainerId run(const std::string& name, const std::string& script) {
    ContainerConfig config;
    config.name = name;
    config.image = "busybox";
    config.command = {"sh", "-c", script};
    auto id = m_harness.createContainer(m_sandbox, config);
    EXPECT_TRUE(id) << id.error().message;
    if (!id) return {};
    auto started = m_harness.startContainer(*id);
    EXPECT_TRUE(started) << started.error().message;
    return *id;
  }

  std::string netnsPath() {
    return m_harness.runtime().options().stateDir + "/sandboxes/" + m_sandbox + "/net";
  }

  // Until something listens on `port` in the pod (servers take a moment).
  bool waitForPort(int port) {
    for (int i = 0; i < 100; ++i) {
      engine::TcpRequest request{"127.0.0.1", port, milliseconds(500)};
      if (m_harness.tcpConnect(m_sandbox, request)) return true;
      std::this_thread::sleep_for(milliseconds(50));
    }
    return false;
  }

  /// The exec output files of `container` left in the state directory
  /// (other tests running at the same time share the directory).
  std::vector<std::string> execFiles(const engine::ContainerId& container) {
    std::vector<std::string> files;
    std::error_code ec;
    for (const auto& entry : std::filesystem::directory_iterator(
             m_harness.runtime().options().stateDir + "/execs", ec)) {
      if (entry.path().filename().string().starts_with(container + ".")) files.push_back(entry.path().string());
    }
    return files;
  }

  RuntimeHarness m_harness;
  std::string m_pod;
  engine::SandboxId m_sandbox;
};

// --- exec ----------------------------------------------------------------------

TEST_F(ContainerdHandlersTest, ExecReportsExitCodeAndBothStreams) {
  engine::ContainerId id = run("main", "sleep 100");
  ASSERT_FALSE(id.empty());
  engine::ExecRequest request;
  request.argv = {"sh", "-c", "echo out; echo err >&2; exit 3"};
  request.timeout = seconds(10);
  auto result = m_harness.exec(id, request);
  ASSERT_TRUE(result) << result.error().message;
  EXPECT_EQ(result->exitCode, 3);
  EXPECT_FALSE(result->timedOut);
  EXPECT_TRUE(contains(result->output, "out\n")) << result->output;
  EXPECT_TRUE(contains(result->output, "err\n")) << result->output;

  // Success, and the command runs as the container's process does: its
  // environment (HOSTNAME is the pod's) and working directory.
  request.argv = {"sh", "-c", "echo $HOSTNAME; pwd"};
  result = m_harness.exec(id, request);
  ASSERT_TRUE(result) << result.error().message;
  EXPECT_EQ(result->exitCode, 0);
  EXPECT_EQ(result->output, m_pod + "\n/\n");

  // No shell unless asked for: argv is run as given.
  request.argv = {"echo", "$HOSTNAME"};
  result = m_harness.exec(id, request);
  ASSERT_TRUE(result) << result.error().message;
  EXPECT_EQ(result->output, "$HOSTNAME\n");

  EXPECT_TRUE(execFiles(id).empty());
  EXPECT_TRUE(m_harness.removeContainer(id));
}

TEST_F(ContainerdHandlersTest, ExecOutputIsBounded) {
  engine::ContainerId id = run("main", "sleep 100");
  ASSERT_FALSE(id.empty());
  engine::ExecRequest request;
  request.argv = {"sh", "-c", "yes 0123456789 | head -c 100000"};
  request.maxOutput = 1000;
  auto result = m_harness.exec(id, request);
  ASSERT_TRUE(result) << result.error().message;
  EXPECT_EQ(result->exitCode, 0);
  EXPECT_EQ(result->output.size(), 1000u);
  EXPECT_TRUE(result->output.starts_with("0123456789\n0123456789\n")) << result->output.substr(0, 40);
  EXPECT_TRUE(m_harness.removeContainer(id));
}

TEST_F(ContainerdHandlersTest, ExecTimeoutKillsTheCommand) {
  engine::ContainerId id = run("main", "sleep 100");
  ASSERT_FALSE(id.empty());
  engine::ExecRequest request;
  request.argv = {"sleep", "30"};
  request.timeout = seconds(1);
  auto begin = Steady::now();
  auto result = m_harness.exec(id, request);
  auto took = Steady::now() - begin;
  ASSERT_TRUE(result) << result.error().message;
  EXPECT_TRUE(result->timedOut);
  EXPECT_EQ(result->exitCode, 137);
  EXPECT_GE(took, milliseconds(1000));
  EXPECT_LT(took, milliseconds(2500));

  // The command is gone (grep exits 1 when nothing matches), and so is
  // the exec's output file.
  engine::ExecRequest look;
  look.argv = {"sh", "-c", "ps | grep '[s]leep 30'"};
  look.timeout = seconds(10);
  auto left = m_harness.exec(id, look);
  ASSERT_TRUE(left) << left.error().message;
  EXPECT_EQ(left->exitCode, 1) << left->output;
  EXPECT_TRUE(execFiles(id).empty());
  EXPECT_TRUE(m_harness.removeContainer(id));
}

TEST_F(ContainerdHandlersTest, ExecsRunSideBySide) {
  engine::ContainerId id = run("main", "sleep 100");
  ASSERT_FALSE(id.empty());
  // A long hook-like exec does not hold up a quick probe-like one.
  std::promise<core::Result<engine::ExecResult>> slow;
  std::thread slowCaller([&] {
    engine::ExecRequest request;
    request.argv = {"sh", "-c", "sleep 3; echo slow"};
    slow.set_value(m_harness.exec(id, request));
  });
  std::this_thread::sleep_for(milliseconds(200));
  engine::ExecRequest quick;
  quick.argv = {"echo", "quick"};
  quick.timeout = seconds(5);
  auto begin = Steady::now();
  auto result = m_harness.exec(id, quick);
  EXPECT_LT(Steady::now() - begin, milliseconds(2000));
  ASSERT_TRUE(result) << result.error().message;
  EXPECT_EQ(result->output, "quick\n");
  auto slowResult = slow.get_future().get();
  slowCaller.join();
  ASSERT_TRUE(slowResult) << slowResult.error().message;
  EXPECT_EQ(slowResult->output, "slow\n");
  EXPECT_TRUE(m_harness.removeContainer(id));
}

TEST_F(ContainerdHandlersTest, ExecInAnExitedContainerIsAnError) {
  engine::ContainerId id = run("main", "exit 0");
  ASSERT_FALSE(id.empty());
  ASSERT_TRUE(m_harness.waitExit(id));
  engine::ExecRequest request;
  request.argv = {"true"};
  auto result = m_harness.exec(id, request);
  ASSERT_FALSE(result);
  EXPECT_TRUE(contains(result.error().message, "not running")) << result.error().message;

  auto unknown = m_harness.exec("no-such-container", request);
  ASSERT_FALSE(unknown);
  EXPECT_TRUE(contains(unknown.error().message, "no container no-such-container"))
      << unknown.error().message;
  EXPECT_TRUE(m_harness.removeContainer(id));
}

TEST_F(ContainerdHandlersTest, ExecOfAMissingProgramIsAnError) {
  engine::ContainerId id = run("main", "sleep 100");
  ASSERT_FALSE(id.empty());
  engine::ExecRequest request;
  request.argv = {"/no/such/program"};
  request.timeout = seconds(10);
  auto result = m_harness.exec(id, request);
  ASSERT_FALSE(result);
  EXPECT_TRUE(contains(result.error().message, "/no/such/program")) << result.error().message;
  EXPECT_TRUE(execFiles(id).empty());
  // The container is unharmed.
  request.argv = {"true"};
  auto after = m_harness.exec(id, request);
  ASSERT_TRUE(after) << after.error().message;
  EXPECT_EQ(after->exitCode, 0);
  EXPECT_TRUE(m_harness.removeContainer(id));
}

TEST_F(ContainerdHandlersTest, ExecEndsWhenItsContainerIsRemoved) {
  engine::ContainerId id = run("main", "sleep 100");
  ASSERT_FALSE(id.empty());
  std::promise<core::Result<engine::ExecResult>> hook;
  std::thread caller([&] {
    engine::ExecRequest request;
    request.argv = {"sleep", "60"};  // no timeout, as a hook
    hook.set_value(m_harness.exec(id, request));
  });
  std::this_thread::sleep_for(milliseconds(500));
  EXPECT_TRUE(m_harness.removeContainer(id));
  auto future = hook.get_future();
  ASSERT_EQ(future.wait_for(seconds(15)), std::future_status::ready);
  caller.join();
  auto result = future.get();
  // Killed with its container: either way it is over, not hanging.
  if (result) {
    EXPECT_NE(result->exitCode, 0);
  }
  EXPECT_TRUE(execFiles(id).empty());
}

// --- httpGet / tcpConnect ------------------------------------------------------------

// busybox httpd passes a CGI's output through as is when it starts with
// "HTTP", so scripts can send any response.
const char* const kWebServer =
    "mkdir -p /www/cgi-bin && echo hello from httpd > /www/index.html && "
    "head -c 50000 /dev/zero | tr '\\0' x > /www/big.txt && "
    "printf '#!/bin/sh\\nprintf \"HTTP/1.1 302 Found\\\\r\\\\nLocation: /elsewhere\\\\r\\\\n"
    "Content-Length: 5\\\\r\\\\n\\\\r\\\\nmoved\"\\n' > /www/cgi-bin/redirect && "
    "printf '#!/bin/sh\\nprintf \"HTTP/1.1 200 OK\\\\r\\\\nTransfer-Encoding: chunked\\\\r\\\\n"
    "\\\\r\\\\n5\\\\r\\\\nhello\\\\r\\\\n7\\\\r\\\\n chunks\\\\r\\\\n0\\\\r\\\\n\\\\r\\\\n\"\\n' "
    "> /www/cgi-bin/chunked && "
    "printf '#!/bin/sh\\nsleep 5\\necho\\necho late\\n' > /www/cgi-bin/slow && "
    "printf '#!/bin/sh\\nsleep 100\\n' > /www/cgi-bin/hang && "
    "chmod +x /www/cgi-bin/* && exec httpd -f -p 8080 -h /www";

engine::HttpRequest get(const std::string& path, int port = 8080) {
  engine::HttpRequest request;
  request.host = "127.0.0.1";
  request.port = port;
  request.path = path;
  request.timeout = seconds(5);
  request.headers = {{"User-Agent", "kube-probe/1.30"}, {"Accept", "*/*"}};
  return request;
}

TEST_F(ContainerdHandlersTest, HttpGetReachesAServerInThePod) {
  engine::ContainerId web = run("web", kWebServer);
  ASSERT_FALSE(web.empty());
  ASSERT_TRUE(waitForPort(8080));
  EXPECT_EQ(m_harness.runtime().podIP(m_sandbox), "127.0.0.1");

  auto ok = m_harness.httpGet(m_sandbox, get("/index.html"));
  ASSERT_TRUE(ok) << ok.error().message;
  EXPECT_EQ(ok->statusCode, 200);
  EXPECT_EQ(ok->body, "hello from httpd\n");

  auto missing = m_harness.httpGet(m_sandbox, get("/nothing-here"));
  ASSERT_TRUE(missing) << missing.error().message;
  EXPECT_EQ(missing->statusCode, 404);

  auto moved = m_harness.httpGet(m_sandbox, get("/cgi-bin/redirect"));
  ASSERT_TRUE(moved) << moved.error().message;
  EXPECT_EQ(moved->statusCode, 302);
  EXPECT_EQ(moved->location, "/elsewhere");
  EXPECT_EQ(moved->body, "moved");

  auto chunked = m_harness.httpGet(m_sandbox, get("/cgi-bin/chunked"));
  ASSERT_TRUE(chunked) << chunked.error().message;
  EXPECT_EQ(chunked->statusCode, 200);
  EXPECT_EQ(chunked->body, "hello chunks");

  engine::HttpRequest big = get("/big.txt");
  big.maxBody = 100;
  auto bounded = m_harness.httpGet(m_sandbox, big);
  ASSERT_TRUE(bounded) << bounded.error().message;
  EXPECT_EQ(bounded->statusCode, 200);
  EXPECT_EQ(bounded->body, std::string(100, 'x'));

  // A pod's port is not reachable from another pod.
  auto other = m_harness.createSandbox(uniqueName("elsewhere"));
  ASSERT_TRUE(other) << other.error().message;
  auto stranger = m_harness.httpGet(*other, get("/index.html"));
  ASSERT_FALSE(stranger);
  EXPECT_TRUE(contains(stranger.error().message, "connection refused")) << stranger.error().message;
  EXPECT_TRUE(m_harness.removeSandbox(*other));
  EXPECT_TRUE(m_harness.removeContainer(web));
}

TEST_F(ContainerdHandlersTest, HttpGetReportsNetworkErrorsInGoWords) {
  engine::ContainerId web = run("web", kWebServer);
  ASSERT_FALSE(web.empty());
  ASSERT_TRUE(waitForPort(8080));

  auto refused = m_harness.httpGet(m_sandbox, get("/healthz", 8081));
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().message,
            "dial tcp 127.0.0.1:8081: connect: "
            "connection refused");

  engine::HttpRequest slow = get("/cgi-bin/slow");
  slow.timeout = seconds(1);
  auto begin = Steady::now();
  auto late = m_harness.httpGet(m_sandbox, slow);
  auto took = Steady::now() - begin;
  ASSERT_FALSE(late);
  EXPECT_EQ(late.error().message,
            "context deadline exceeded "
            "(Client.Timeout exceeded while awaiting headers)");
  EXPECT_GE(took, milliseconds(1000));
  EXPECT_LT(took, milliseconds(2500));

  // A plain HTTP server that answers whatever it is sent (busybox httpd
  // would wait for a line end the TLS hello may not contain).
  engine::ContainerId plainServer =
      run("plain",
          "printf '#!/bin/sh\\nprintf \"HTTP/1.1 400 Bad Request\\\\r\\\\n\\\\r\\\\n\"\\nsleep 2\\n'"
          " > /answer && chmod +x /answer && exec nc -ll -p 8444 -e /answer");
  ASSERT_FALSE(plainServer.empty());
  ASSERT_TRUE(waitForPort(8444));
  engine::HttpRequest tls = get("/index.html", 8444);
  tls.scheme = "https";
  auto plain = m_harness.httpGet(m_sandbox, tls);
  ASSERT_FALSE(plain);
  EXPECT_TRUE(contains(plain.error().message, "server gave HTTP response to HTTPS client"))
      << plain.error().message;

  auto noSandbox = m_harness.httpGet("no-such-sandbox", get("/"));
  ASSERT_FALSE(noSandbox);
  EXPECT_TRUE(contains(noSandbox.error().message, "no sandbox")) << noSandbox.error().message;
  EXPECT_TRUE(m_harness.removeContainer(web));
  EXPECT_TRUE(m_harness.removeContainer(plainServer));
}

// openssl's test server, started from here inside the pod's namespace (the
// busybox image has no TLS server): a certificate nobody signed, which the
// prober must accept.
TEST_F(ContainerdHandlersTest, HttpsSkipsCertificateChecks) {
  TempDir dir("podscope-tls");
  std::string key = dir.path() + "/key.pem", cert = dir.path() + "/cert.pem";
  runCommand("openssl req -x509 -newkey rsa:2048 -nodes -subj /CN=probe-test -days 1 -keyout " +
             key + " -out " + cert + " 2>/dev/null");
  ASSERT_TRUE(std::filesystem::exists(cert));
  std::string pid = runCommand("nsenter --net=" + netnsPath() +
                               " openssl s_server -quiet -www -accept 8443 -cert " + cert +
                               " -key " + key + " </dev/null >/dev/null 2>&1 & echo $!");
  ASSERT_FALSE(pid.empty());
  ASSERT_TRUE(waitForPort(8443));
  engine::HttpRequest request = get("/", 8443);
  request.scheme = "https";
  auto response = m_harness.httpGet(m_sandbox, request);
  ::kill(std::stoi(pid), SIGTERM);
  ASSERT_TRUE(response) << response.error().message;
  EXPECT_EQ(response->statusCode, 200);
  EXPECT_TRUE(contains(response->body, "s_server")) << response->body;
}

TEST_F(ContainerdHandlersTest, TcpConnectToOpenAndClosedPorts) {
  engine::ContainerId server = run("listener", "exec httpd -f -p 9000 -h /");
  ASSERT_FALSE(server.empty());
  ASSERT_TRUE(waitForPort(9000));
  EXPECT_TRUE(m_harness.tcpConnect(m_sandbox, {"127.0.0.1", 9000, seconds(1)}));
  auto refused = m_harness.tcpConnect(m_sandbox, {"127.0.0.1", 9001, seconds(1)});
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().message, "dial tcp 127.0.0.1:9001: connect: connection refused");
  // A name resolves as in the pod (from /etc/hosts here).
  EXPECT_TRUE(m_harness.tcpConnect(m_sandbox, {"localhost", 9000, seconds(1)}));
  EXPECT_TRUE(m_harness.removeContainer(server));
}

// --- grpc --------------------------------------------------------------------------

// A gRPC server with gRPC's own health service, listening inside a pod's
// network namespace: it is built on a thread that entered the namespace and
// does nothing else, so its listening socket is made there (a socket keeps
// the namespace it was made in, whichever thread later serves it).
class HealthServerInPod {
 public:
  HealthServerInPod(const std::string& netns, int port) {
    std::thread builder([&] {
      int ns = ::open(netns.c_str(), O_RDONLY | O_CLOEXEC);
      if (ns < 0 || ::setns(ns, CLONE_NEWNET) != 0) {
        m_error = "cannot enter " + netns;
        if (ns >= 0) ::close(ns);
        return;
      }
      ::close(ns);
      grpc::EnableDefaultHealthCheckService(true);
      grpc::ServerBuilder build;
      int bound = 0;
      build.AddListeningPort("127.0.0.1:" + std::to_string(port),
                             grpc::InsecureServerCredentials(), &bound);
      // gRPC adds its health service only to a server with synchronous
      // methods; any service will do (this one answers Unimplemented).
      build.RegisterService(&m_placeholder);
      m_server = build.BuildAndStart();
      if (!m_server || bound != port) m_error = "cannot listen on port " + std::to_string(port);
    });
    builder.join();
  }

  ~HealthServerInPod() {
    if (m_server) m_server->Shutdown();
  }

  const std::string& error() const { return m_error; }
  void set(const std::string& service, bool serving) {
    m_server->GetHealthCheckService()->SetServingStatus(service, serving);
  }

 private:
  containerd::services::version::v1::Version::Service m_placeholder;
  std::unique_ptr<grpc::Server> m_server;
  std::string m_error;
};

TEST_F(ContainerdHandlersTest, GrpcHealthCheckFromThePodsNetwork) {
  HealthServerInPod server(netnsPath(), 50051);
  ASSERT_EQ(server.error(), "");
  server.set("ready", true);
  server.set("draining", false);

  engine::GrpcRequest request{"127.0.0.1", 50051, "", seconds(5)};
  auto overall = m_harness.grpcHealthCheck(m_sandbox, request);
  ASSERT_TRUE(overall) << overall.error().message;
  EXPECT_EQ(overall->status, "SERVING");

  request.service = "ready";
  auto ready = m_harness.grpcHealthCheck(m_sandbox, request);
  ASSERT_TRUE(ready) << ready.error().message;
  EXPECT_EQ(ready->status, "SERVING");

  request.service = "draining";
  auto draining = m_harness.grpcHealthCheck(m_sandbox, request);
  ASSERT_TRUE(draining) << draining.error().message;
  EXPECT_EQ(draining->status, "NOT_SERVING");

  request.service = "no-such-service";
  auto unknown = m_harness.grpcHealthCheck(m_sandbox, request);
  ASSERT_FALSE(unknown);
  EXPECT_TRUE(unknown.error().message.starts_with("rpc error: code = NotFound desc = "))
      << unknown.error().message;

  request.port = 50052;
  auto refused = m_harness.grpcHealthCheck(m_sandbox, request);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().message, "dial tcp 127.0.0.1:50052: connect: connection refused");

  // The server is in this pod only.
  auto other = m_harness.createSandbox(uniqueName("elsewhere"));
  ASSERT_TRUE(other) << other.error().message;
  request.port = 50051;
  request.service = "";
  auto stranger = m_harness.grpcHealthCheck(*other, request);
  ASSERT_FALSE(stranger);
  EXPECT_TRUE(contains(stranger.error().message, "connection refused"))
      << stranger.error().message;
  EXPECT_TRUE(m_harness.removeSandbox(*other));
}

TEST_F(ContainerdHandlersTest, GrpcHealthCheckOfANonGrpcServerIsAnError) {
  engine::ContainerId web = run("web", kWebServer);
  ASSERT_FALSE(web.empty());
  ASSERT_TRUE(waitForPort(8080));
  engine::GrpcRequest request{"127.0.0.1", 8080, "", seconds(2)};
  auto begin = Steady::now();
  auto result = m_harness.grpcHealthCheck(m_sandbox, request);
  EXPECT_LT(Steady::now() - begin, milliseconds(3500));
  ASSERT_FALSE(result);
  EXPECT_TRUE(result.error().message.starts_with("rpc error: code = "))
      << result.error().message;
  EXPECT_TRUE(m_harness.removeContainer(web));
}

// --- shutdown ----------------------------------------------------------------------

TEST_F(ContainerdHandlersTest, DestroyingTheRuntimeEndsRunningHandlers) {
  engine::ContainerId id = run("main", "sleep 100");
  ASSERT_FALSE(id.empty());
  // A hook-like exec with no timeout, and an HTTP GET with no timeout that
  // never gets an answer: neither may hold up shutdown.
  engine::ContainerId web = run("web", kWebServer);
  ASSERT_FALSE(web.empty());
  ASSERT_TRUE(waitForPort(8080));
  std::promise<core::Result<engine::ExecResult>> hook;
  std::promise<core::Result<engine::HttpResponse>> http;
  std::thread execCaller([&] {
    engine::ExecRequest request;
    request.argv = {"sleep", "60"};
    hook.set_value(m_harness.exec(id, request));
  });
  std::thread httpCaller([&] {
    engine::HttpRequest request = get("/cgi-bin/hang");
    request.timeout.reset();
    http.set_value(m_harness.httpGet(m_sandbox, request));
  });
  std::this_thread::sleep_for(milliseconds(700));
  auto begin = Steady::now();
  m_harness.destroyRuntime();
  EXPECT_LT(Steady::now() - begin, seconds(15));
  auto hookResult = hook.get_future().get();
  auto httpResult = http.get_future().get();
  execCaller.join();
  httpCaller.join();
  EXPECT_FALSE(hookResult);
  EXPECT_FALSE(httpResult);
  EXPECT_TRUE(ctrList("tasks", m_pod).empty());
  m_sandbox.clear();  // removed with the runtime
}

}  // namespace
}  // namespace podscope::testing
