#include "engine/runtime/containerd/registry_client.h"

#include <curl/curl.h>
#include <dlfcn.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <mutex>
#include <optional>

#include "engine/runtime/containerd/sha256.h"

namespace podscope::engine::containerd {
namespace {

// containerd dials with a 30 s timeout.
constexpr long kConnectTimeoutMs = 30'000;
// Tokens, manifests and configs are small: two minutes is plenty.
constexpr long kSmallTransferTimeoutMs = 120'000;
// A blob download is ended when it moves less than 1 KiB/s for a minute.
constexpr long kStallBytesPerSecond = 1024;
constexpr long kStallSeconds = 60;
// Bodies of error answers are only read for their message.
constexpr std::size_t kMaxErrorBody = 64 * 1024;
constexpr long kMaxRedirects = 10;
// containerd's words for a request that got no answer; what follows is Go's
// url.Error ("Get \"URL\": dial tcp …").
constexpr std::string_view kRequestFailed = "failed to do request: ";

core::Error error(std::string message) { return core::Error{std::move(message), {}, {}}; }

std::string lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

// Go's net/http names methods so in url.Error: "Get", "Head".
std::string goMethod(const std::string& method) {
  std::string out = lower(method);
  if (!out.empty()) out[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(out[0])));
  return out;
}

// host (without port, without IPv6 brackets) of an http(s) URL.
std::string urlHostName(const std::string& url) {
  auto start = url.find("://");
  if (start == std::string::npos) return url;
  start += 3;
  auto end = url.find_first_of("/?#", start);
  std::string authority = url.substr(start, end == std::string::npos ? std::string::npos : end - start);
  if (authority.starts_with('[')) {
    auto close = authority.find(']');
    return authority.substr(1, close == std::string::npos ? std::string::npos : close - 1);
  }
  return authority.substr(0, authority.rfind(':'));
}

/// libcurl, loaded when the first transfer starts rather than linked: a
/// run that pulls nothing (most runs) then does not map libcurl and the two
/// dozen libraries it needs at every start (about 5 ms).
struct CurlApi {
  CURLcode (*globalInit)(long) = nullptr;
  CURL* (*easyInit)() = nullptr;
  CURLcode (*easySetopt)(CURL*, CURLoption, ...) = nullptr;
  CURLcode (*easyGetinfo)(CURL*, CURLINFO, ...) = nullptr;
  CURLcode (*easyPerform)(CURL*) = nullptr;
  void (*easyCleanup)(CURL*) = nullptr;
  const char* (*easyStrerror)(CURLcode) = nullptr;
  curl_slist* (*slistAppend)(curl_slist*, const char*) = nullptr;
  void (*slistFreeAll)(curl_slist*) = nullptr;
  /// Why libcurl cannot be used; empty when it can.
  std::string problem;
};

template <typename F>
bool bind(void* library, const char* name, F& function, std::string& problem) {
  function = reinterpret_cast<F>(::dlsym(library, name));
  if (!function && problem.empty()) problem = std::string("libcurl has no ") + name;
  return function != nullptr;
}

CurlApi loadCurl() {
  CurlApi api;
  void* library = ::dlopen("libcurl.so.4", RTLD_NOW | RTLD_LOCAL);
  if (!library) {
    const char* why = ::dlerror();
    api.problem = std::string("pulling images needs libcurl (the libcurl4 package): ") + (why ? why : "not found");
    return api;
  }
  bind(library, "curl_global_init", api.globalInit, api.problem);
  bind(library, "curl_easy_init", api.easyInit, api.problem);
  bind(library, "curl_easy_setopt", api.easySetopt, api.problem);
  bind(library, "curl_easy_getinfo", api.easyGetinfo, api.problem);
  bind(library, "curl_easy_perform", api.easyPerform, api.problem);
  bind(library, "curl_easy_cleanup", api.easyCleanup, api.problem);
  bind(library, "curl_easy_strerror", api.easyStrerror, api.problem);
  bind(library, "curl_slist_append", api.slistAppend, api.problem);
  bind(library, "curl_slist_free_all", api.slistFreeAll, api.problem);
  if (api.problem.empty()) api.globalInit(CURL_GLOBAL_DEFAULT);
  return api;
}

/// Loaded once, on first use, from any thread.
const CurlApi& curlLibrary() {
  static const CurlApi api = loadCurl();
  return api;
}

struct Transfer {
  const HttpExchange* exchange = nullptr;
  CancelToken* cancel = nullptr;
  CURL* curl = nullptr;
  HttpAnswer answer;
  std::optional<core::Error> sinkError;
  bool bodyTooLarge = false;
  std::size_t received = 0;
};

std::size_t onHeader(char* data, std::size_t size, std::size_t count, void* user) {
  auto* t = static_cast<Transfer*>(user);
  std::string_view line(data, size * count);
  if (line.starts_with("HTTP/")) {
    // A new answer (after a redirect or a 100 Continue): start over.
    t->answer.headers.clear();
    std::string_view rest = line.substr(line.find(' ') == std::string_view::npos ? line.size() : line.find(' ') + 1);
    t->answer.statusLine = std::string(trim(rest));
    return size * count;
  }
  auto colon = line.find(':');
  if (colon != std::string_view::npos) {
    t->answer.headers[lower(trim(line.substr(0, colon)))].emplace_back(trim(line.substr(colon + 1)));
  }
  return size * count;
}

std::size_t onBody(char* data, std::size_t size, std::size_t count, void* user) {
  auto* t = static_cast<Transfer*>(user);
  std::size_t length = size * count;
  long code = 0;
  curlLibrary().easyGetinfo(t->curl, CURLINFO_RESPONSE_CODE, &code);
  t->received += length;
  if (code >= 200 && code < 300 && t->exchange->sink) {
    if (auto st = t->exchange->sink(std::string_view(data, length)); !st) {
      t->sinkError = st.error();
      return 0;  // ends the transfer (CURLE_WRITE_ERROR)
    }
    return length;
  }
  std::size_t limit = code >= 200 && code < 300 ? t->exchange->maxBody : kMaxErrorBody;
  if (t->answer.body.size() + length > limit) {
    if (code >= 200 && code < 300) {
      t->bodyTooLarge = true;
      return 0;
    }
    t->answer.body.append(data, limit - t->answer.body.size());
    return length;  // the rest of an error page is not needed
  }
  t->answer.body.append(data, length);
  return length;
}

int onProgress(void* user, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
  return static_cast<Transfer*>(user)->cancel->cancelled() ? 1 : 0;
}

// The port of an http(s) URL, explicit or the scheme's.
std::string urlPort(const std::string& url) {
  auto start = url.find("://");
  if (start == std::string::npos) return {};
  auto end = url.find_first_of("/?#", start + 3);
  std::string authority = url.substr(start + 3, end == std::string::npos ? std::string::npos : end - start - 3);
  auto colon = authority.rfind(':');
  if (colon != std::string::npos && authority.find(']', colon) == std::string::npos) return authority.substr(colon + 1);
  return url.starts_with("https:") ? "443" : "80";
}

// What Go's dialer would say about the peer: "127.0.0.1:5000", "[::1]:5000".
std::string peerAddress(CURL* curl, const std::string& url) {
  char* ip = nullptr;
  curlLibrary().easyGetinfo(curl, CURLINFO_PRIMARY_IP, &ip);
  std::string host = ip && *ip ? std::string(ip) : urlHostName(url);
  std::string address = host.find(':') != std::string::npos ? "[" + host + "]" : host;
  return address + ":" + urlPort(url);
}

std::string transportError(CURLcode code, CURL* curl, const HttpExchange& exchange, const char* errorBuffer) {
  std::string prefix = goMethod(exchange.method) + " \"" + exchange.url + "\": ";
  std::string detail = errorBuffer && *errorBuffer ? errorBuffer : curlLibrary().easyStrerror(code);
  switch (code) {
    case CURLE_COULDNT_RESOLVE_HOST:
      return prefix + "dial tcp: lookup " + urlHostName(exchange.url) + ": no such host";
    case CURLE_COULDNT_CONNECT: {
      long osErrno = 0;
      curlLibrary().easyGetinfo(curl, CURLINFO_OS_ERRNO, &osErrno);
      std::string why = osErrno == ECONNREFUSED    ? "connection refused"
                        : osErrno == EHOSTUNREACH ? "no route to host"
                        : osErrno == ENETUNREACH  ? "network is unreachable"
                        : osErrno != 0            ? lower(std::strerror(static_cast<int>(osErrno)))
                                                  : detail;
      return prefix + "dial tcp " + peerAddress(curl, exchange.url) + ": connect: " + why;
    }
    case CURLE_OPERATION_TIMEDOUT: {
      long code2 = 0;
      curlLibrary().easyGetinfo(curl, CURLINFO_RESPONSE_CODE, &code2);
      if (code2 == 0) return prefix + "dial tcp " + peerAddress(curl, exchange.url) + ": i/o timeout (" + detail + ")";
      return prefix + "i/o timeout (" + detail + ")";
    }
    default:
      return prefix + detail;
  }
}

}  // namespace

// --- CancelToken -------------------------------------------------------------

void CancelToken::cancel() {
  {
    // The hook runs under the lock, so whatever it touches cannot be
    // destroyed meanwhile: setHook({}) waits for it.
    std::lock_guard lock(m_mutex);
    m_cancelled = true;
    if (m_hook) m_hook();
  }
  m_wake.notify_all();
}

bool CancelToken::waitFor(std::chrono::milliseconds timeout) {
  std::unique_lock lock(m_mutex);
  return !m_wake.wait_for(lock, timeout, [this] { return m_cancelled.load(); });
}

void CancelToken::setHook(std::function<void()> hook) {
  std::lock_guard lock(m_mutex);
  m_hook = std::move(hook);
}

// --- HTTP --------------------------------------------------------------------

std::string HttpAnswer::header(const std::string& lowercaseName) const {
  auto it = headers.find(lowercaseName);
  return it == headers.end() || it->second.empty() ? std::string() : it->second.back();
}

core::Result<HttpAnswer> performHttp(const HttpExchange& exchange, CancelToken& cancel) {
  if (cancel.cancelled()) return error("context canceled");
  const CurlApi& api = curlLibrary();
  if (!api.problem.empty()) return error(api.problem);
  CURL* curl = api.easyInit();
  if (!curl) return error("cannot start an HTTP transfer (libcurl failed to initialise)");
  Transfer t;
  t.exchange = &exchange;
  t.cancel = &cancel;
  t.curl = curl;
  char errorBuffer[CURL_ERROR_SIZE] = {};

  curl_slist* headers = nullptr;
  for (const auto& h : exchange.headers) headers = api.slistAppend(headers, h.c_str());
  api.easySetopt(curl, CURLOPT_URL, exchange.url.c_str());
  if (exchange.method == "HEAD") {
    api.easySetopt(curl, CURLOPT_NOBODY, 1L);
  } else if (exchange.method != "GET") {
    api.easySetopt(curl, CURLOPT_CUSTOMREQUEST, exchange.method.c_str());
  }
  api.easySetopt(curl, CURLOPT_HTTPHEADER, headers);
  api.easySetopt(curl, CURLOPT_USERAGENT, "podscope");
  api.easySetopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
  api.easySetopt(curl, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
  // Blob downloads are often redirected to a storage service; libcurl
  // sends the Authorization header only to the host it was meant for.
  api.easySetopt(curl, CURLOPT_FOLLOWLOCATION, 1L);
  api.easySetopt(curl, CURLOPT_MAXREDIRS, kMaxRedirects);
  api.easySetopt(curl, CURLOPT_NOSIGNAL, 1L);
  api.easySetopt(curl, CURLOPT_CONNECTTIMEOUT_MS, kConnectTimeoutMs);
  if (exchange.longTransfer) {
    api.easySetopt(curl, CURLOPT_LOW_SPEED_LIMIT, kStallBytesPerSecond);
    api.easySetopt(curl, CURLOPT_LOW_SPEED_TIME, kStallSeconds);
  } else {
    api.easySetopt(curl, CURLOPT_TIMEOUT_MS, kSmallTransferTimeoutMs);
  }
  api.easySetopt(curl, CURLOPT_BUFFERSIZE, 512L * 1024L);
  api.easySetopt(curl, CURLOPT_HEADERFUNCTION, onHeader);
  api.easySetopt(curl, CURLOPT_HEADERDATA, &t);
  api.easySetopt(curl, CURLOPT_WRITEFUNCTION, onBody);
  api.easySetopt(curl, CURLOPT_WRITEDATA, &t);
  api.easySetopt(curl, CURLOPT_NOPROGRESS, 0L);
  api.easySetopt(curl, CURLOPT_XFERINFOFUNCTION, onProgress);
  api.easySetopt(curl, CURLOPT_XFERINFODATA, &t);
  api.easySetopt(curl, CURLOPT_ERRORBUFFER, errorBuffer);

  CURLcode code = api.easyPerform(curl);
  std::optional<core::Error> failure;
  if (code == CURLE_OK) {
    curlLibrary().easyGetinfo(curl, CURLINFO_RESPONSE_CODE, &t.answer.status);
    if (t.answer.statusLine.empty() || t.answer.statusLine.find(' ') == std::string::npos) {
      t.answer.statusLine = std::to_string(t.answer.status) + " " + std::string(httpStatusText(t.answer.status));
    }
  } else if (t.sinkError) {
    failure = *t.sinkError;
  } else if (code == CURLE_ABORTED_BY_CALLBACK || cancel.cancelled()) {
    failure = error("context canceled");
  } else if (t.bodyTooLarge) {
    failure = error(std::string(kRequestFailed) + goMethod(exchange.method) + " \"" + exchange.url +
                    "\": the answer is larger than " + std::to_string(exchange.maxBody) + " bytes");
  } else {
    failure = error(std::string(kRequestFailed) + transportError(code, curl, exchange, errorBuffer));
  }
  api.slistFreeAll(headers);
  api.easyCleanup(curl);
  if (failure) return *failure;
  return std::move(t.answer);
}

// --- RegistryClient ----------------------------------------------------------

namespace {

std::string unexpectedDigest(const BlobDescriptor& blob, const std::string& got) {
  return "failed commit on ref \"" + ingestRef(blob) + "\": unexpected commit digest " + got + ", expected " +
         blob.digest + ": failed precondition";
}

std::string unexpectedSize(const BlobDescriptor& blob, std::int64_t got) {
  return "failed commit on ref \"" + ingestRef(blob) + "\": unexpected commit size " + std::to_string(got) +
         ", expected " + std::to_string(blob.size) + ": failed precondition";
}

// containerd's fetcher, on an answer that is not 2xx.
std::string fetchStatusError(const std::string& url, const HttpAnswer& answer) {
  std::string prefix = "failed to copy: httpReadSeeker: failed open: ";
  if (answer.status == 404) return prefix + "content at " + url + " not found: not found";
  std::string message = registryErrorMessage(answer.body);
  return prefix + "unexpected status code " + url + ": " + answer.statusLine +
         (message.empty() ? std::string() : " - Server message: " + message);
}

}  // namespace

RegistryClient::RegistryClient(ImageReference reference, CancelToken& cancel)
    : m_reference(std::move(reference)), m_endpoint(registryEndpoint(m_reference)), m_cancel(cancel) {}

core::Status RegistryClient::authorize(const HttpAnswer& challenged) {
  auto found = challenged.headers.find("www-authenticate");
  std::vector<AuthChallenge> challenges =
      parseAuthChallenges(found == challenged.headers.end() ? std::vector<std::string>{} : found->second);
  const AuthChallenge* bearer = nullptr;
  bool basic = false;
  for (const auto& c : challenges) {
    if (c.scheme == "bearer" && !bearer) bearer = &c;
    if (c.scheme == "basic") basic = true;
  }
  if (!bearer) {
    if (basic) {
      return error("failed to find supported auth scheme: not implemented (the registry asks for a user name "
                   "and password; Podscope pulls anonymously and does not support registry credentials)");
    }
    return {};  // a 401 without a challenge stays a 401
  }
  m_triedToken = true;
  auto url = tokenUrl(*bearer, pullScope(m_endpoint.repository));
  if (!url) return error("failed to authorize: " + url.error().message);
  HttpExchange request;
  request.url = *url;
  request.maxBody = 1024 * 1024;
  auto answer = performHttp(request, m_cancel);
  if (!answer) {
    std::string message = answer.error().message;
    if (message.starts_with(kRequestFailed)) message.erase(0, kRequestFailed.size());
    return error("failed to authorize: failed to fetch anonymous token: " + message);
  }
  if (answer->status != 200) {
    return error("failed to authorize: failed to fetch anonymous token: unexpected status: " + answer->statusLine);
  }
  auto token = parseTokenResponse(answer->body);
  if (!token) return error("failed to authorize: failed to fetch anonymous token: " + token.error().message);
  m_token = *token;
  return {};
}

core::Result<HttpAnswer> RegistryClient::send(HttpExchange exchange) {
  const std::vector<std::string> baseHeaders = exchange.headers;
  for (int attempt = 0; attempt < 2; ++attempt) {
    exchange.headers = baseHeaders;
    if (!m_token.empty()) exchange.headers.push_back("Authorization: Bearer " + m_token);
    auto answer = performHttp(exchange, m_cancel);
    if (!answer) return answer.error();
    if (answer->status != 401 || m_triedToken) return answer;
    if (auto st = authorize(*answer); !st) return st.error();
    if (!m_triedToken) return answer;  // no Bearer challenge: nothing to retry with
  }
  return error(std::string(kRequestFailed) + goMethod(exchange.method) + " \"" + exchange.url + "\": unauthorized");
}

core::Result<BlobDescriptor> RegistryClient::resolve() {
  const std::string name = m_reference.toString();
  const bool byDigest = !m_reference.digest.empty();
  const std::string object = byDigest ? m_reference.digest : m_reference.tag;
  const std::string url = manifestUrl(m_endpoint, object);
  const std::string accept = "Accept: " + std::string(manifestAcceptHeader());

  auto statusError = [&](const HttpAnswer& answer) -> core::Error {
    if (answer.status == 404) return error(name + ": not found");
    if (answer.status == 401 || answer.status == 403) {
      std::string serverMessage;
      if (auto found = answer.headers.find("www-authenticate"); found != answer.headers.end()) {
        for (const auto& c : parseAuthChallenges(found->second)) {
          if (auto e = c.params.find("error"); e != c.params.end() && !e->second.empty()) {
            serverMessage = "server message: " + e->second + ": ";
          }
        }
      }
      if (serverMessage.empty()) {
        std::string body = registryErrorMessage(answer.body);
        if (!body.empty()) serverMessage = "server message: " + body + ": ";
      }
      return error("pull access denied, repository does not exist or may require authorization: " + serverMessage +
                   "authorization failed");
    }
    return error("pulling from host " + m_endpoint.host + " failed with status code [manifests " + object +
                 "]: " + answer.statusLine);
  };

  HttpExchange head;
  head.method = "HEAD";
  head.url = url;
  head.headers = {accept};
  auto answer = send(head);
  if (!answer) return answer.error();
  if (answer->status > 299) return statusError(*answer);

  BlobDescriptor desc;
  desc.mediaType = manifestMediaType(answer->header("content-type"), "");
  desc.digest = byDigest ? m_reference.digest : answer->header("docker-content-digest");
  std::string length = answer->header("content-length");
  desc.size = length.empty() ? -1 : std::atoll(length.c_str());
  if (desc.digest.empty() || desc.size <= 0 || !(isIndexMediaType(desc.mediaType) || isManifestMediaType(desc.mediaType))) {
    // The registry did not say enough: fetch the manifest itself.
    HttpExchange get;
    get.url = url;
    get.headers = {accept};
    get.maxBody = static_cast<std::size_t>(kMaxManifestSize);
    auto body = send(get);
    if (!body) return body.error();
    if (body->status > 299) return statusError(*body);
    std::string computed = "sha256:" + sha256Hex(body->body);
    if (byDigest && computed != m_reference.digest) {
      return error("the registry answered " + name + " with content whose digest is " + computed);
    }
    desc.digest = computed;
    desc.size = static_cast<std::int64_t>(body->body.size());
    desc.mediaType = manifestMediaType(body->header("content-type"), body->body);
  }
  if (!isSha256Digest(desc.digest)) {
    return error("\"" + desc.digest + "\" in header not a valid digest: only sha256 digests are supported");
  }
  if (desc.size > kMaxManifestSize) {
    return error("rejecting " + std::to_string(desc.size) + " byte manifest for " + name + ": not found");
  }
  if (!isIndexMediaType(desc.mediaType) && !isManifestMediaType(desc.mediaType)) {
    return error(name + " is a manifest of media type \"" + desc.mediaType +
                 "\", which Podscope cannot run (OCI and Docker schema 2 images only)");
  }
  return desc;
}

core::Result<std::string> RegistryClient::fetchManifest(const BlobDescriptor& manifest) {
  if (manifest.size > kMaxManifestSize) {
    return error("rejecting " + std::to_string(manifest.size) + " byte manifest " + manifest.digest);
  }
  HttpExchange get;
  get.url = manifestUrl(m_endpoint, manifest.digest);
  get.headers = {"Accept: " + std::string(manifestAcceptHeader())};
  get.maxBody = static_cast<std::size_t>(kMaxManifestSize);
  auto answer = send(get);
  if (!answer) {
    if (!answer.error().message.starts_with(kRequestFailed)) return answer.error();
    return error("failed to copy: httpReadSeeker: failed open: " + answer.error().message);
  }
  if (answer->status > 299) return error(fetchStatusError(get.url, *answer));
  if (static_cast<std::int64_t>(answer->body.size()) != manifest.size) {
    return error(unexpectedSize(manifest, static_cast<std::int64_t>(answer->body.size())));
  }
  std::string computed = "sha256:" + sha256Hex(answer->body);
  if (computed != manifest.digest) return error(unexpectedDigest(manifest, computed));
  return std::move(answer->body);
}

core::Status RegistryClient::fetchBlob(const BlobDescriptor& blob,
                                       const std::function<core::Status(std::string_view)>& sink) {
  Sha256 hash;
  std::int64_t received = 0;
  HttpExchange get;
  get.url = blobUrl(m_endpoint, blob.digest);
  get.longTransfer = true;
  get.sink = [&](std::string_view data) -> core::Status {
    received += static_cast<std::int64_t>(data.size());
    if (received > blob.size) return error(unexpectedSize(blob, received));
    hash.update(data);
    return sink(data);
  };
  auto answer = send(get);
  if (!answer) {
    const std::string& message = answer.error().message;
    if (!message.starts_with(kRequestFailed)) return answer.error();  // from the sink, or cancelled
    return error(received == 0 ? "failed to copy: httpReadSeeker: failed open: " + message
                               : "failed to copy: " + message.substr(std::string_view(kRequestFailed).size()));
  }
  if (answer->status > 299) return error(fetchStatusError(get.url, *answer));
  if (received != blob.size) return error(unexpectedSize(blob, received));
  std::string computed = "sha256:" + hash.finishHex();
  if (computed != blob.digest) return error(unexpectedDigest(blob, computed));
  return {};
}

core::Result<std::string> RegistryClient::fetchSmallBlob(const BlobDescriptor& blob, std::int64_t maxSize) {
  if (blob.size > maxSize) {
    return error("refusing blob " + blob.digest + " of " + std::to_string(blob.size) + " bytes (at most " +
                 std::to_string(maxSize) + " expected)");
  }
  std::string data;
  if (auto st = fetchBlob(blob, [&](std::string_view piece) {
        data.append(piece);
        return core::Status{};
      });
      !st) {
    return st.error();
  }
  return data;
}

}  // namespace podscope::engine::containerd
