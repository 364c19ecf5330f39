// The registry client's parts with no daemon: the pure protocol pieces
// (plain-HTTP decision, URLs, Accept, WWW-Authenticate parsing, token URL
// and answer, error bodies), manifest parsing, and the client itself
// against a small in-process HTTP server that answers as a registry with
// anonymous token auth would (401 + Bearer challenge, a token server),
// including the ways such a server can fail.

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "engine/runtime/containerd/image_config.h"
#include "engine/runtime/containerd/image_reference.h"
#include "engine/runtime/containerd/registry_client.h"
#include "engine/runtime/containerd/registry_protocol.h"
#include "engine/runtime/containerd/sha256.h"

namespace podscope::engine::containerd {
namespace {

TEST(RegistryProtocolTest, PlainHttpOnlyForLoopback) {
  const std::vector<std::pair<std::string, bool>> cases = {
      {"localhost", true},          {"localhost:5000", true},       {"LOCALHOST:5000", true},
      {"127.0.0.1", true},          {"127.0.0.1:30698", true},      {"127.1.2.3:80", true},
      {"[::1]", true},              {"[::1]:5000", true},           {"registry-1.docker.io", false},
      {"registry.k8s.io", false},   {"10.0.0.1:5000", false},       {"128.0.0.1:5000", false},
      {"localhost.example.com", false}, {"127.0.0.1.example.com:5000", false}, {"[::2]:5000", false},
      {"localhost:http", false},    {"127.0.0:5000", false},        {"127.0.0.256:5000", false},
  };
  for (const auto& [host, plain] : cases) EXPECT_EQ(usesPlainHttp(host), plain) << host;
}

TEST(RegistryProtocolTest, EndpointsAndUrlsAsDockerResolvesThem) {
  auto hub = parseImageReference("busybox:1.36");
  ASSERT_TRUE(hub);
  RegistryEndpoint e = registryEndpoint(*hub);
  EXPECT_EQ(e.scheme, "https");
  EXPECT_EQ(e.host, "registry-1.docker.io");
  EXPECT_EQ(e.repository, "library/busybox");
  EXPECT_EQ(manifestUrl(e, "1.36"), "https://registry-1.docker.io/v2/library/busybox/manifests/1.36");
  const std::string digest = "sha256:" + std::string(64, 'b');
  EXPECT_EQ(blobUrl(e, digest), "https://registry-1.docker.io/v2/library/busybox/blobs/" + digest);

  auto local = parseImageReference("127.0.0.1:5000/team/app:dev");
  ASSERT_TRUE(local);
  e = registryEndpoint(*local);
  EXPECT_EQ(manifestUrl(e, "dev"), "http://127.0.0.1:5000/v2/team/app/manifests/dev");

  auto k8s = parseImageReference("registry.k8s.io/pause:3.9");
  ASSERT_TRUE(k8s);
  EXPECT_EQ(manifestUrl(registryEndpoint(*k8s), "3.9"), "https://registry.k8s.io/v2/pause/manifests/3.9");
}

TEST(RegistryProtocolTest, AcceptsTheFourManifestKindsPodscopeReads) {
  std::string accept(manifestAcceptHeader());
  for (const char* type : {"application/vnd.oci.image.index.v1+json",
                           "application/vnd.docker.distribution.manifest.list.v2+json",
                           "application/vnd.oci.image.manifest.v1+json",
                           "application/vnd.docker.distribution.manifest.v2+json"}) {
    EXPECT_NE(accept.find(type), std::string::npos) << type;
  }
  // Schema 1 cannot be run here, so it is not asked for.
  EXPECT_EQ(accept.find("prettyjws"), std::string::npos);
  EXPECT_EQ(accept.find("*/*"), std::string::npos);
}

TEST(RegistryProtocolTest, ManifestMediaTypeFromHeaderOrDocument) {
  EXPECT_EQ(manifestMediaType("application/vnd.oci.image.index.v1+json; charset=utf-8", ""),
            "application/vnd.oci.image.index.v1+json");
  EXPECT_EQ(manifestMediaType("application/json",
                              R"({"mediaType":"application/vnd.docker.distribution.manifest.v2+json"})"),
            "application/vnd.docker.distribution.manifest.v2+json");
  EXPECT_EQ(manifestMediaType("", R"({"schemaVersion":2,"manifests":[]})"), "application/vnd.oci.image.index.v1+json");
  EXPECT_EQ(manifestMediaType("text/plain", R"({"schemaVersion":2,"config":{},"layers":[]})"),
            "application/vnd.oci.image.manifest.v1+json");
}

TEST(RegistryProtocolTest, IngestRefsAreContainerds) {
  const std::string d = "sha256:" + std::string(64, 'c');
  EXPECT_EQ(ingestRef({"application/vnd.oci.image.index.v1+json", d, 1}), "index-" + d);
  EXPECT_EQ(ingestRef({"application/vnd.docker.distribution.manifest.v2+json", d, 1}), "manifest-" + d);
  EXPECT_EQ(ingestRef({"application/vnd.oci.image.config.v1+json", d, 1}), "config-" + d);
  EXPECT_EQ(ingestRef({"application/vnd.docker.image.rootfs.diff.tar.gzip", d, 1}), "layer-" + d);
}

TEST(RegistryProtocolTest, ParsesDockerHubsBearerChallenge) {
  auto challenges = parseAuthChallenges(
      {R"(Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/busybox:pull")"});
  ASSERT_EQ(challenges.size(), 1u);
  EXPECT_EQ(challenges[0].scheme, "bearer");
  EXPECT_EQ(challenges[0].params.at("realm"), "https://auth.docker.io/token");
  EXPECT_EQ(challenges[0].params.at("service"), "registry.docker.io");
  EXPECT_EQ(challenges[0].params.at("scope"), "repository:library/busybox:pull");
}

TEST(RegistryProtocolTest, ParsesSeveralChallengesQuotingAndCase) {
  auto challenges = parseAuthChallenges({R"(Basic realm="Registry Realm", BEARER Realm="https://x/t",error="insufficient_scope",scope=repository:a/b:pull)",
                                         R"(Bearer realm="https://y/t\"q\"")"});
  ASSERT_EQ(challenges.size(), 3u);
  EXPECT_EQ(challenges[0].scheme, "basic");
  EXPECT_EQ(challenges[0].params.at("realm"), "Registry Realm");
  EXPECT_EQ(challenges[1].scheme, "bearer");
  EXPECT_EQ(challenges[1].params.at("realm"), "https://x/t");
  EXPECT_EQ(challenges[1].params.at("error"), "insufficient_scope");
  EXPECT_EQ(challenges[1].params.at("scope"), "repository:a/b:pull");
  EXPECT_EQ(challenges[2].params.at("realm"), "https://y/t\"q\"");
}

TEST(RegistryProtocolTest, MalformedChallengesDoNotHangOrCrash) {
  for (const char* header : {"", ",,,", "Bearer", "Bearer realm=", "Bearer realm=\"unterminated", "= = =",
                             "Negotiate abc==", "Bearer ,realm=\"x\""}) {
    auto challenges = parseAuthChallenges({header});
    for (const auto& c : challenges) EXPECT_FALSE(c.scheme.empty()) << header;
  }
}

TEST(RegistryProtocolTest, TokenUrlAsksAnonymouslyForThePullScope) {
  AuthChallenge c{"bearer", {{"realm", "https://auth.docker.io/token"}, {"service", "registry.docker.io"}}};
  auto url = tokenUrl(c, pullScope("library/busybox"));
  ASSERT_TRUE(url) << url.error().message;
  EXPECT_EQ(*url, "https://auth.docker.io/token?service=registry.docker.io&scope=repository%3Alibrary%2Fbusybox%3Apull");

  c.params["scope"] = "repository:x/y:pull";
  url = tokenUrl(c, pullScope("library/busybox"));
  ASSERT_TRUE(url);
  EXPECT_EQ(*url, "https://auth.docker.io/token?service=registry.docker.io&scope=repository%3Ax%2Fy%3Apull");

  c.params["realm"] = "https://auth.example/token?account=anon";
  url = tokenUrl(c, "");
  ASSERT_TRUE(url);
  EXPECT_EQ(*url, "https://auth.example/token?account=anon&service=registry.docker.io&scope=repository%3Ax%2Fy%3Apull");

  auto noRealm = tokenUrl(AuthChallenge{"bearer", {}}, "s");
  ASSERT_FALSE(noRealm);
  EXPECT_EQ(noRealm.error().message, "no realm specified for token auth challenge");
  auto badRealm = tokenUrl(AuthChallenge{"bearer", {{"realm", "ftp://x"}}}, "s");
  ASSERT_FALSE(badRealm);
  EXPECT_NE(badRealm.error().message.find("invalid token auth challenge realm"), std::string::npos);
}

TEST(RegistryProtocolTest, TokenAnswers) {
  EXPECT_EQ(*parseTokenResponse(R"({"token":"abc","expires_in":300})"), "abc");
  EXPECT_EQ(*parseTokenResponse(R"({"access_token":"xyz"})"), "xyz");
  auto none = parseTokenResponse(R"({"expires_in":300})");
  ASSERT_FALSE(none);
  EXPECT_EQ(none.error().message, "authorization server did not include a token in the response");
  EXPECT_FALSE(parseTokenResponse("<html>"));
}

TEST(RegistryProtocolTest, RegistryErrorBodies) {
  EXPECT_EQ(registryErrorMessage(
                R"({"errors":[{"code":"MANIFEST_UNKNOWN","message":"manifest unknown","detail":{"Tag":"9"}}]})"),
            "MANIFEST_UNKNOWN: manifest unknown");
  EXPECT_EQ(registryErrorMessage(R"({"errors":[{"code":"A"},{"message":"b"}]})"), "A; b");
  EXPECT_EQ(registryErrorMessage("not json"), "");
  EXPECT_EQ(registryErrorMessage(R"({"other":1})"), "");
}

TEST(ImageManifestTest, ParsesConfigAndLayersAndRefusesWhatCannotBeUnpacked) {
  const std::string a = "sha256:" + std::string(64, 'a');
  const std::string b = "sha256:" + std::string(64, 'b');
  auto m = parseManifest(R"({"schemaVersion":2,"config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":")" + a +
                         R"(","size":10},"layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar+gzip","digest":")" + b +
                         R"(","size":20}]})");
  ASSERT_TRUE(m) << m.error().message;
  EXPECT_EQ(m->config.digest, a);
  ASSERT_EQ(m->layers.size(), 1u);
  EXPECT_EQ(m->layers[0].size, 20);

  auto foreign = parseManifest(R"({"config":{"digest":")" + a + R"(","size":10},"layers":[{"mediaType":"application/x-thing","digest":")" +
                               b + R"(","size":20}]})");
  ASSERT_FALSE(foreign);
  EXPECT_NE(foreign.error().message.find("application/x-thing"), std::string::npos);
  auto badDigest = parseManifest(R"({"config":{"digest":"md5:00","size":10},"layers":[]})");
  ASSERT_FALSE(badDigest);
  EXPECT_NE(badDigest.error().message.find("md5:00"), std::string::npos);
  EXPECT_FALSE(parseManifest(R"({"config":{"digest":")" + a + R"(","size":10},"layers":[]})"));
}

// --- the client against a fake registry ---------------------------------------

/// A one-thread HTTP/1.1 server on 127.0.0.1: each request gets the answer
/// its handler returns ("METHOD /path" keys; query strings kept in the path).
class FakeRegistry {
 public:
  struct Answer {
    int status = 200;
    std::vector<std::string> headers;
    std::string body;
  };
  using Handler = std::function<Answer(const std::string& path, const std::map<std::string, std::string>& headers)>;

  FakeRegistry() {
    m_listen = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    int one = 1;
    ::setsockopt(m_listen, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    EXPECT_EQ(::bind(m_listen, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
    socklen_t len = sizeof addr;
    ::getsockname(m_listen, reinterpret_cast<sockaddr*>(&addr), &len);
    m_port = ntohs(addr.sin_port);
    EXPECT_EQ(::listen(m_listen, 16), 0);
    m_thread = std::thread([this] { serve(); });
  }

  ~FakeRegistry() {
    m_stop = true;
    ::shutdown(m_listen, SHUT_RDWR);
    ::close(m_listen);
    m_thread.join();
  }

  std::string host() const { return "127.0.0.1:" + std::to_string(m_port); }
  void on(const std::string& methodAndPath, Handler handler) {
    std::lock_guard lock(m_mutex);
    m_handlers[methodAndPath] = std::move(handler);
  }
  std::vector<std::string> requests() {
    std::lock_guard lock(m_mutex);
    return m_requests;
  }

 private:
  void serve() {
    while (!m_stop) {
      int fd = ::accept4(m_listen, nullptr, nullptr, SOCK_CLOEXEC);
      if (fd < 0) return;
      std::string request;
      char buffer[4096];
      while (request.find("\r\n\r\n") == std::string::npos) {
        ssize_t n = ::read(fd, buffer, sizeof buffer);
        if (n <= 0) break;
        request.append(buffer, static_cast<std::size_t>(n));
      }
      std::string line = request.substr(0, request.find("\r\n"));
      std::string method = line.substr(0, line.find(' '));
      std::string path = line.substr(method.size() + 1, line.rfind(' ') - method.size() - 1);
      std::map<std::string, std::string> headers;
      std::size_t at = request.find("\r\n") + 2;
      while (at < request.size()) {
        std::size_t end = request.find("\r\n", at);
        if (end == std::string::npos || end == at) break;
        std::string h = request.substr(at, end - at);
        if (auto colon = h.find(':'); colon != std::string::npos) {
          std::string name = h.substr(0, colon);
          for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
          headers[name] = h.substr(h.find_first_not_of(' ', colon + 1));
        }
        at = end + 2;
      }
      Handler handler;
      {
        std::lock_guard lock(m_mutex);
        m_requests.push_back(method + " " + path + (headers.count("authorization") ? " [" + headers["authorization"] + "]" : ""));
        if (auto it = m_handlers.find(method + " " + path); it != m_handlers.end()) handler = it->second;
      }
      Answer answer = handler ? handler(path, headers) : Answer{404, {}, R"({"errors":[{"code":"NOT_FOUND"}]})"};
      std::string reply = "HTTP/1.1 " + std::to_string(answer.status) + " " +
                          std::string(httpStatusText(answer.status)) + "\r\n";
      for (const auto& h : answer.headers) reply += h + "\r\n";
      reply += "Content-Length: " + std::to_string(answer.body.size()) + "\r\nConnection: close\r\n\r\n";
      if (method != "HEAD") reply += answer.body;
      (void)!::write(fd, reply.data(), reply.size());
      ::close(fd);
    }
  }

  int m_listen = -1;
  int m_port = 0;
  std::atomic<bool> m_stop{false};
  std::mutex m_mutex;
  std::map<std::string, Handler> m_handlers;
  std::vector<std::string> m_requests;
  std::thread m_thread;
};

const std::string kManifestType = "application/vnd.oci.image.manifest.v1+json";

// A registry that wants a token for everything under /v2/, served by its
// own token endpoint, holding one manifest under tag "1".
struct TokenRegistry {
  FakeRegistry server;
  std::string manifest = R"({"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json"})";
  std::string digest = "sha256:" + sha256Hex(manifest);

  TokenRegistry() {
    auto guarded = [this](FakeRegistry::Answer ok) {
      return [this, ok](const std::string&, const std::map<std::string, std::string>& h) -> FakeRegistry::Answer {
        auto auth = h.find("authorization");
        if (auth == h.end() || auth->second != "Bearer tok-123") {
          return {401,
                  {"WWW-Authenticate: Bearer realm=\"http://" + server.host() +
                   "/token\",service=\"fake\",scope=\"repository:team/app:pull\""},
                  R"({"errors":[{"code":"UNAUTHORIZED"}]})"};
        }
        return ok;
      };
    };
    FakeRegistry::Answer found{200, {"Content-Type: " + kManifestType, "Docker-Content-Digest: " + digest}, manifest};
    server.on("HEAD /v2/team/app/manifests/1", guarded(found));
    server.on("GET /v2/team/app/manifests/" + digest, guarded(found));
    server.on("GET /token?service=fake&scope=repository%3Ateam%2Fapp%3Apull",
              [](const std::string&, const auto&) { return FakeRegistry::Answer{200, {}, R"({"token":"tok-123"})"}; });
  }
  ImageReference reference(const std::string& tag = "1") {
    return *parseImageReference(server.host() + "/team/app:" + tag);
  }
};

TEST(RegistryClientTest, GetsAnAnonymousTokenAndRetries) {
  TokenRegistry registry;
  CancelToken cancel;
  RegistryClient client(registry.reference(), cancel);
  auto desc = client.resolve();
  ASSERT_TRUE(desc) << desc.error().message;
  EXPECT_EQ(desc->digest, registry.digest);
  EXPECT_EQ(desc->mediaType, kManifestType);
  EXPECT_EQ(desc->size, static_cast<std::int64_t>(registry.manifest.size()));
  auto body = client.fetchManifest(*desc);
  ASSERT_TRUE(body) << body.error().message;
  EXPECT_EQ(*body, registry.manifest);
  // One anonymous try, the token, then every request with it.
  EXPECT_EQ(registry.server.requests(),
            (std::vector<std::string>{"HEAD /v2/team/app/manifests/1",
                                      "GET /token?service=fake&scope=repository%3Ateam%2Fapp%3Apull",
                                      "HEAD /v2/team/app/manifests/1 [Bearer tok-123]",
                                      "GET /v2/team/app/manifests/" + registry.digest + " [Bearer tok-123]"}));
}

TEST(RegistryClientTest, MissingTagIsContainerdsNotFound) {
  TokenRegistry registry;
  CancelToken cancel;
  RegistryClient client(registry.reference("9"), cancel);
  registry.server.on("HEAD /v2/team/app/manifests/9", [](const std::string&, const auto& h) {
    return h.count("authorization") ? FakeRegistry::Answer{404, {}, ""}
                                    : FakeRegistry::Answer{401, {"WWW-Authenticate: Bearer realm=\"http://127.0.0.1:1/none\""}, ""};
  });
  // The token server in this challenge is unreachable: the message says so.
  auto desc = client.resolve();
  ASSERT_FALSE(desc);
  EXPECT_EQ(desc.error().message.rfind("failed to authorize: failed to fetch anonymous token: Get \"http://127.0.0.1:1/none", 0), 0u)
      << desc.error().message;
  EXPECT_NE(desc.error().message.find("connect: connection refused"), std::string::npos) << desc.error().message;

  registry.server.on("HEAD /v2/team/app/manifests/9", [&](const std::string&, const auto&) {
    return FakeRegistry::Answer{404, {}, ""};
  });
  RegistryClient again(registry.reference("9"), cancel);
  desc = again.resolve();
  ASSERT_FALSE(desc);
  EXPECT_EQ(desc.error().message, registry.server.host() + "/team/app:9: not found");
}

TEST(RegistryClientTest, DeniedAfterTheTokenIsPullAccessDenied) {
  TokenRegistry registry;
  registry.server.on("HEAD /v2/team/app/manifests/2", [&](const std::string&, const auto& h) -> FakeRegistry::Answer {
    std::string challenge = "WWW-Authenticate: Bearer realm=\"http://" + registry.server.host() +
                            "/token\",service=\"fake\",scope=\"repository:team/app:pull\"";
    if (h.count("authorization")) challenge += ",error=\"insufficient_scope\"";
    return {401, {challenge}, ""};
  });
  CancelToken cancel;
  RegistryClient client(registry.reference("2"), cancel);
  auto desc = client.resolve();
  ASSERT_FALSE(desc);
  EXPECT_EQ(desc.error().message,
            "pull access denied, repository does not exist or may require authorization: server message: "
            "insufficient_scope: authorization failed");
}

TEST(RegistryClientTest, BasicAuthIsNotSupportedAndSaysSo) {
  FakeRegistry server;
  server.on("HEAD /v2/team/app/manifests/1", [](const std::string&, const auto&) {
    return FakeRegistry::Answer{401, {"WWW-Authenticate: Basic realm=\"Registry\""}, ""};
  });
  CancelToken cancel;
  RegistryClient client(*parseImageReference(server.host() + "/team/app:1"), cancel);
  auto desc = client.resolve();
  ASSERT_FALSE(desc);
  EXPECT_EQ(desc.error().message.rfind("failed to find supported auth scheme: not implemented", 0), 0u);
  EXPECT_NE(desc.error().message.find("does not support registry credentials"), std::string::npos);
}

TEST(RegistryClientTest, BlobsAreCheckedAgainstTheirDigestAndSize) {
  FakeRegistry server;
  const std::string blob = "layer bytes";
  const std::string digest = "sha256:" + sha256Hex(blob);
  server.on("GET /v2/team/app/blobs/" + digest,
            [&](const std::string&, const auto&) { return FakeRegistry::Answer{200, {}, "LAYER bytes"}; });
  CancelToken cancel;
  RegistryClient client(*parseImageReference(server.host() + "/team/app:1"), cancel);
  BlobDescriptor desc{"application/vnd.oci.image.layer.v1.tar", digest, static_cast<std::int64_t>(blob.size())};
  std::string received;
  auto st = client.fetchBlob(desc, [&](std::string_view data) {
    received.append(data);
    return core::Status{};
  });
  ASSERT_FALSE(st);
  EXPECT_EQ(st.error().message, "failed commit on ref \"layer-" + digest + "\": unexpected commit digest sha256:" +
                                    sha256Hex("LAYER bytes") + ", expected " + digest + ": failed precondition");

  desc.size = 5;  // the registry sends more than the manifest said
  st = client.fetchBlob(desc, [](std::string_view) { return core::Status{}; });
  ASSERT_FALSE(st);
  EXPECT_NE(st.error().message.find("unexpected commit size"), std::string::npos) << st.error().message;

  BlobDescriptor missing{"application/vnd.oci.image.layer.v1.tar", "sha256:" + std::string(64, '0'), 3};
  st = client.fetchBlob(missing, [](std::string_view) { return core::Status{}; });
  ASSERT_FALSE(st);
  EXPECT_EQ(st.error().message, "failed to copy: httpReadSeeker: failed open: content at http://" + server.host() +
                                    "/v2/team/app/blobs/" + missing.digest + " not found: not found");
}

TEST(RegistryClientTest, RefusedConnectionInGosWords) {
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  socklen_t len = sizeof addr;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  int port = ntohs(addr.sin_port);
  ::close(fd);  // nothing listens there now

  CancelToken cancel;
  RegistryClient client(*parseImageReference("127.0.0.1:" + std::to_string(port) + "/team/app:1"), cancel);
  auto desc = client.resolve();
  ASSERT_FALSE(desc);
  std::string url = "http://127.0.0.1:" + std::to_string(port) + "/v2/team/app/manifests/1";
  EXPECT_EQ(desc.error().message, "failed to do request: Head \"" + url + "\": dial tcp 127.0.0.1:" +
                                      std::to_string(port) + ": connect: connection refused");
}

TEST(RegistryClientTest, CancellingEndsAStalledRequestWithinAboutASecond) {
  FakeRegistry server;
  std::atomic<bool> release{false};
  server.on("HEAD /v2/team/app/manifests/1", [&](const std::string&, const auto&) {
    // A registry that never answers (until the test ends).
    for (int i = 0; i < 300 && !release; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
    return FakeRegistry::Answer{404, {}, ""};
  });
  CancelToken cancel;
  RegistryClient client(*parseImageReference(server.host() + "/team/app:1"), cancel);
  auto started = std::chrono::steady_clock::now();
  std::thread canceller([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    cancel.cancel();
  });
  auto desc = client.resolve();
  auto took = std::chrono::steady_clock::now() - started;
  canceller.join();
  release = true;
  ASSERT_FALSE(desc);
  EXPECT_EQ(desc.error().message, "context canceled");
  EXPECT_LT(took, std::chrono::milliseconds(2'000));
}

TEST(RegistryClientTest, CancelledBeforeStartingSaysContextCanceled) {
  FakeRegistry server;
  CancelToken cancel;
  cancel.cancel();
  RegistryClient client(*parseImageReference(server.host() + "/team/app:1"), cancel);
  auto desc = client.resolve();
  ASSERT_FALSE(desc);
  EXPECT_EQ(desc.error().message, "context canceled");
  EXPECT_TRUE(server.requests().empty());
}

}  // namespace
}  // namespace podscope::engine::containerd
