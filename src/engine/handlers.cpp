#include "engine/handlers.h"

#include "engine/container_env.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <chrono>
#include <cstdio>
#include <optional>
#include <system_error>

#include "core/k8s_names.h"
#include "engine/container_env.h"

namespace podscope::engine {

namespace {

using Headers = std::vector<std::pair<std::string, std::string>>;

// The prober and the lifecycle handler runner read at most this much of a
// command's output or a response body (maxReadLength, maxRespBodyLength).
constexpr size_t kMaxOutput = 10 * 1024;
// prober.go: a probe that errors (as opposed to failing) is tried this many
// times in one go before the error is reported.
constexpr int kMaxProbeRetries = 3;
// net/http's default limit, kept by the kubelet's redirect checker.
constexpr int kMaxRedirectRequests = 10;

// --- Go's spellings -----------------------------------------------------

// strings.Join(argv, " ").
std::string join(const std::vector<std::string>& parts) {
  std::string out;
  for (size_t i = 0; i < parts.size(); ++i) out += (i == 0 ? "" : " ") + parts[i];
  return out;
}

// fmt's %v of a []string.
std::string goList(const std::vector<std::string>& parts) { return "[" + join(parts) + "]"; }

// net/url.Error.Error(): `Get "http://…": <cause>`.
std::string getError(const std::string& url, const std::string& cause) { return "Get " + core::quoteGo(url) + ": " + cause; }

// net.JoinHostPort.
std::string joinHostPort(const std::string& host, int port) {
  std::string h = host.find(':') != std::string::npos ? "[" + host + "]" : host;
  return h + ":" + std::to_string(port);
}

std::string bounded(std::string s) {
  if (s.size() > kMaxOutput) s.resize(kMaxOutput);
  return s;
}

// textproto.CanonicalMIMEHeaderKey, which http.Header.Add applies to every
// configured header name.
std::string canonicalHeaderKey(const std::string& key) {
  for (char c : key) {
    const bool token = std::isalnum(static_cast<unsigned char>(c)) || std::string_view("!#$%&'*+-.^_`|~").find(c) !=
                                                                          std::string_view::npos;
    if (!token) return key;  // Go leaves keys with invalid characters alone
  }
  std::string out = key;
  bool upper = true;
  for (char& c : out) {
    c = upper ? static_cast<char>(std::toupper(static_cast<unsigned char>(c)))
              : static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    upper = c == '-';
  }
  return out;
}

const std::string* findHeader(const Headers& headers, std::string_view name) {
  for (const auto& [k, v] : headers) {
    if (k == name) return &v;
  }
  return nullptr;
}

void removeHeader(Headers& headers, std::string_view name) {
  std::erase_if(headers, [&](const auto& h) { return h.first == name; });
}

// newProbeRequest (pkg/probe/http/request.go): the configured headers, plus
// a User-Agent and `Accept: */*` unless configured; an Accept configured
// empty means "send none".
Headers requestHeaders(const std::vector<core::HttpHeader>& configured, std::string_view userAgent) {
  Headers headers;
  for (const core::HttpHeader& h : configured) headers.emplace_back(canonicalHeaderKey(h.name), h.value);
  if (!findHeader(headers, "User-Agent")) headers.emplace_back("User-Agent", std::string(userAgent));
  if (const std::string* accept = findHeader(headers, "Accept")) {
    if (accept->empty()) removeHeader(headers, "Accept");
  } else {
    headers.emplace_back("Accept", "*/*");
  }
  return headers;
}

// pkg/kubelet/util/format.Pod.
std::string podFullName(const HandlerTarget& t) { return t.podName + "_" + t.podNamespace + "(" + t.podUid + ")"; }

// --- ports ----------------------------------------------------------------

// strconv.Atoi, with its error texts.
core::Result<std::int64_t> goAtoi(const std::string& text) {
  std::string_view digits = text;
  bool negative = false;
  if (!digits.empty() && (digits.front() == '+' || digits.front() == '-')) {
    negative = digits.front() == '-';
    digits.remove_prefix(1);
  }
  const auto syntax = core::Error{"strconv.Atoi: parsing " + core::quoteGo(text) + ": invalid syntax"};
  if (digits.empty() || !std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return syntax;
  }
  std::uint64_t magnitude = 0;
  auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), magnitude);
  const std::uint64_t limit = negative ? (std::uint64_t{1} << 63) : (std::uint64_t{1} << 63) - 1;
  if (ec == std::errc::result_out_of_range || magnitude > limit) {
    return core::Error{"strconv.Atoi: parsing " + core::quoteGo(text) + ": value out of range"};
  }
  if (negative) return magnitude == (std::uint64_t{1} << 63) ? INT64_MIN : -static_cast<std::int64_t>(magnitude);
  return static_cast<std::int64_t>(magnitude);
}

// probe.ResolveContainerPort: a number, or the name of one of the
// container's ports, or (last resort) a number written as a string.
core::Result<int> resolvePort(const core::IntOrString& port, const std::vector<core::ContainerPort>& ports) {
  std::int64_t value = port.intValue;
  if (!port.isInt) {
    auto named = std::find_if(ports.begin(), ports.end(), [&](const auto& p) { return p.name == port.strValue; });
    if (named != ports.end()) {
      value = named->containerPort;
    } else {
      core::Result<std::int64_t> parsed = goAtoi(port.strValue);
      if (!parsed) return parsed.error();
      value = *parsed;
    }
  }
  if (value > 0 && value < 65536) return static_cast<int>(value);
  return core::Error{"invalid port number: " + std::to_string(value)};
}

// --- URLs -----------------------------------------------------------------

/// An http(s) URL, kept close to how net/url holds it so that messages show
/// the URL as Go would print it.
struct Url {
  std::string scheme;     ///< lower-case
  std::string authority;  ///< host[:port] as written
  std::string hostname;   ///< without port or brackets (url.URL.Hostname)
  int port = 80;          ///< explicit, or the scheme's default
  std::string path;       ///< may be empty or relative-looking, as written
  std::optional<std::string> query;

  std::string pathAndQuery() const {
    std::string p = path.empty() ? "/" : (path.front() == '/' ? path : "/" + path);
    return query ? p + "?" + *query : p;
  }
  std::string toString() const {
    std::string p = path.empty() || path.front() == '/' ? path : "/" + path;
    return scheme + "://" + authority + p + (query ? "?" + *query : "");
  }
};

int defaultPort(const std::string& scheme) { return scheme == "https" ? 443 : 80; }

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// formatURL (pkg/probe/http/request.go): the configured path (which may
// carry a query) under scheme://host:port.
Url probeUrl(const std::string& scheme, const std::string& host, int port, const std::string& path) {
  Url u;
  u.scheme = scheme;
  u.authority = joinHostPort(host, port);
  u.hostname = host;
  u.port = port;
  std::string p = path.substr(0, path.find('#'));
  if (auto q = p.find('?'); q != std::string::npos) {
    u.query = p.substr(q + 1);
    p.resize(q);
  }
  u.path = p;
  return u;
}

// Splits "host[:port]" the way url.URL.Hostname/Port do. An error carries
// net/url's complaint about a bad port.
core::Result<Url> setAuthority(Url u, const std::string& authority) {
  u.authority = authority;
  std::string host = authority;
  std::string port;
  if (!host.empty() && host.front() == '[') {
    auto close = host.find(']');
    if (close == std::string::npos) return core::Error{"missing ']' in host"};
    port = host.substr(close + 1);
    host = host.substr(1, close - 1);
  } else if (auto colon = host.rfind(':'); colon != std::string::npos) {
    port = host.substr(colon);
    host.resize(colon);
  }
  u.hostname = host;
  u.port = defaultPort(u.scheme);
  if (!port.empty()) {
    const std::string digits = port.substr(1);
    if (port.front() != ':' ||
        !std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; })) {
      return core::Error{"invalid port " + core::quoteGo(port) + " after host"};
    }
    if (!digits.empty()) {
      int value = 0;
      auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
      if (ec != std::errc()) return core::Error{"invalid port " + core::quoteGo(port) + " after host"};
      u.port = value;
    }
  }
  return u;
}

// RFC 3986 5.2.4, as url.resolvePath does it.
std::string removeDotSegments(const std::string& path) {
  std::vector<std::string> out;
  size_t start = path.front() == '/' ? 1 : 0;
  std::string segment;
  bool trailingSlash = false;
  while (start <= path.size()) {
    size_t slash = path.find('/', start);
    segment = path.substr(start, slash == std::string::npos ? std::string::npos : slash - start);
    trailingSlash = false;
    if (segment == "..") {
      if (!out.empty()) out.pop_back();
      trailingSlash = true;
    } else if (segment == ".") {
      trailingSlash = true;
    } else {
      out.push_back(segment);
    }
    if (slash == std::string::npos) break;
    start = slash + 1;
  }
  std::string result;
  for (const std::string& s : out) result += "/" + s;
  if (trailingSlash) result += "/";
  return result.empty() ? "/" : result;
}

// url.URL.IsAbs for a reference: it starts with a scheme, i.e. a letter,
// then letters, digits or "+-.", then ':'.
bool hasScheme(const std::string& ref) {
  const size_t colon = ref.find(':');
  if (colon == std::string::npos || colon == 0 || !std::isalpha(static_cast<unsigned char>(ref[0]))) return false;
  return std::all_of(ref.begin(), ref.begin() + static_cast<std::ptrdiff_t>(colon), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '+' || c == '-' || c == '.';
  });
}

// req.URL.Parse(location): a Location header resolved against the URL that
// returned it.
core::Result<Url> resolveLocation(const Url& base, const std::string& location) {
  std::string ref = location.substr(0, location.find('#'));
  std::optional<std::string> query;
  if (auto q = ref.find('?'); q != std::string::npos) {
    query = ref.substr(q + 1);
    ref.resize(q);
  }
  Url u = base;
  u.query = query;
  const size_t colon = ref.find(':');
  std::string rest = ref;
  if (hasScheme(ref)) {
    u.scheme = lower(ref.substr(0, colon));
    rest = ref.substr(colon + 1);
    if (rest.rfind("//", 0) != 0) {
      // No authority ("mailto:x"): nothing the prober could reach on the
      // same host, which the redirect check then refuses.
      u.authority.clear();
      u.hostname.clear();
      u.port = defaultPort(u.scheme);
      u.path = rest;
      return u;
    }
  }
  if (rest.rfind("//", 0) == 0) {
    size_t slash = rest.find('/', 2);
    std::string authority = rest.substr(2, slash == std::string::npos ? std::string::npos : slash - 2);
    core::Result<Url> withHost = setAuthority(u, authority);
    if (!withHost) return withHost;
    u = *withHost;
    u.path = slash == std::string::npos ? "" : removeDotSegments(rest.substr(slash));
    return u;
  }
  if (rest.empty()) {
    if (!query) u.query = base.query;
    return u;  // same document
  }
  if (rest.front() == '/') {
    u.path = removeDotSegments(rest);
    return u;
  }
  std::string dir = base.path.empty() ? "/" : base.path.substr(0, base.path.rfind('/') + 1);
  if (dir.empty() || dir.front() != '/') dir = "/" + dir;
  u.path = removeDotSegments(dir + rest);
  return u;
}

bool isFollowedRedirect(int code) { return code == 301 || code == 302 || code == 303 || code == 307 || code == 308; }

// The struct dump fmt's %v gives of a *v1.LifecycleHandler that holds only a
// tcpSocket action (or nothing), as it appears after "invalid handler: ".
std::string goHandlerDump(const core::LifecycleHandler& handler) {
  std::string tcp = "nil";
  if (handler.tcpSocket) {
    const core::IntOrString& p = handler.tcpSocket->port;
    // intstr.IntOrString prints as a plain struct: {Type IntVal StrVal}.
    std::string port = p.isInt ? "{0 " + std::to_string(p.intValue) + " }" : "{1 0 " + p.strValue + "}";
    tcp = "&TCPSocketAction{Port:" + port + ",Host:" + handler.tcpSocket->host + ",}";
  }
  return "&LifecycleHandler{Exec:nil,HTTPGet:nil,TCPSocket:" + tcp + ",Sleep:nil,}";
}

}  // namespace

// --- $(VAR) expansion -------------------------------------------------------

std::vector<std::string> expandCommand(const std::vector<std::string>& argv, const core::Container& spec) {
  const std::map<std::string, std::string> env = literalEnvMap(spec.env);
  std::vector<std::string> out;
  out.reserve(argv.size());
  for (const std::string& a : argv) out.push_back(expandVariables(a, env));
  return out;
}

// --- calls in flight ----------------------------------------------------------

namespace {

/// What a handler call knows about its container, copied when it starts so
/// that nothing points into the caller's objects while it runs.
struct TargetInfo {
  SandboxId sandbox;
  ContainerId container;
  std::string podIP;
  std::string containerName;
  std::vector<core::EnvVar> env;
  std::vector<core::ContainerPort> ports;
  std::string podFullName;
};

/// One HTTP GET with the redirects the kubelet follows.
struct HttpChain {
  Url original;
  Url current;
  Headers headers;  ///< of the first request; "Host" included if configured
  Headers sent;     ///< of the request in flight
  int requests = 0;
  std::optional<TimePoint> deadline;
};

struct HttpEnd {
  std::optional<HttpResponse> response;
  std::string error;  ///< `Get "<url>": …` when there is no response
};

}  // namespace

/// What the runner's call table holds: the operation itself.
struct HandlerRunner::Call {
  virtual ~Call() = default;
  virtual void start() = 0;
  /// The container ended. True when the operation reports that itself (a
  /// sleep hook); otherwise the runner drops it.
  virtual bool terminate() { return false; }
  /// The runner is going away: release what the loop holds for us.
  virtual void abandon() {}

  /// Set by the runner: removes the call from its table.
  std::function<void()> unregister;
};

/// An exec probe's request and handler text, derived from the probe, the
/// container's env and the instance it runs against. It records what it was
/// made from, so a look-up can tell whether it still applies.
struct HandlerRunner::ExecPlan {
  const core::Probe* probe = nullptr;
  const core::Container* spec = nullptr;
  core::AttemptKind kind = core::AttemptKind::LivenessProbe;
  std::int32_t timeoutSeconds = 1;
  std::vector<std::string> command;                         ///< the probe's, as written
  std::vector<std::pair<std::string, std::string>> env;     ///< the container's, name and value
  ContainerId container;
  ExecRequest request;  ///< argv after $(VAR) expansion
  core::SharedText handler;  ///< `exec [cat /tmp/healthy]`

  bool matches(const core::Probe& p, core::AttemptKind k, const HandlerTarget& target) const {
    if (&p != probe || target.spec != spec || k != kind || p.timeoutSeconds != timeoutSeconds ||
        target.container != container || !p.exec || p.exec->command != command) {
      return false;
    }
    const std::vector<core::EnvVar> none;
    const std::vector<core::EnvVar>& vars = target.spec ? target.spec->env : none;
    if (vars.size() != env.size()) return false;
    for (size_t i = 0; i < vars.size(); ++i) {
      if (vars[i].name != env[i].first || vars[i].value != env[i].second) return false;
    }
    return true;
  }
};

namespace {

/// One probe or hook call. Owned by the runner's call table only, so a call
/// that was cancelled, or whose runner is gone, simply no longer exists:
/// every continuation holds a weak reference and checks it first.
class Operation : public HandlerRunner::Call, public std::enable_shared_from_this<Operation> {
 public:
  Operation(Runtime& runtime, EventLoop& loop, HandlerPurpose purpose)
      : m_runtime(runtime), m_loop(loop), m_purpose(purpose) {}
  Operation(const Operation&) = delete;
  Operation& operator=(const Operation&) = delete;

 protected:
  // Wraps a runtime's reply so it runs only while this operation is alive
  // and undecided. `f` may capture `this`. Replies arrive from the loop, so
  // an outcome reached inside one is delivered at once.
  template <typename F>
  auto guarded(F f) {
    return [weak = weak_from_this(), f = std::move(f)](auto&&... args) mutable {
      std::shared_ptr<Operation> self = weak.lock();
      if (!self || self->m_finished) return;
      self->m_onLoop = true;
      f(std::forward<decltype(args)>(args)...);
      self->m_onLoop = false;  // `self` keeps this operation until we return
    };
  }

  // Hands the outcome (kept by the operation until then) over: at once from
  // a reply, otherwise on the loop, never from inside the caller's stack (a
  // handler that cannot even start, a cancelled sleep hook); a call
  // cancelled before then is dropped.
  void finish() {
    if (m_finished) return;
    m_finished = true;
    if (m_onLoop) {
      handOver();
      return;
    }
    m_loop.post([weak = weak_from_this()] {
      std::shared_ptr<Operation> self = weak.lock();
      if (self) self->handOver();
    });
  }
  void handOver() {
    if (unregister) unregister();
    deliver();  // may destroy the runner; the caller holds this operation until it returns
  }
  /// Calls `done` with the outcome; once, after finish().
  virtual void deliver() = 0;

  void sendHttp(const SandboxId& sandbox, std::shared_ptr<HttpChain> chain, std::function<void(HttpEnd)> then);

  bool m_finished = false;
  bool m_onLoop = false;  ///< inside a runtime's reply
  Runtime& m_runtime;
  EventLoop& m_loop;
  HandlerPurpose m_purpose;
};

// The kubelet's http.Client with RedirectChecker(false): follow a redirect
// only to the same hostname, and give up when the tenth request is answered
// with yet another one. With a deadline (probes), the whole chain shares it.
void Operation::sendHttp(const SandboxId& sandbox, std::shared_ptr<HttpChain> chain,
                         std::function<void(HttpEnd)> then) {
  HttpRequest request;
  request.scheme = chain->current.scheme;
  request.host = chain->current.hostname;
  request.port = chain->current.port;
  request.path = chain->current.pathAndQuery();
  request.headers = chain->requests == 0 ? chain->headers : chain->sent;
  request.maxBody = kMaxOutput;
  request.purpose = m_purpose;
  if (chain->deadline) {
    Duration remaining = *chain->deadline - m_loop.now();
    if (remaining <= Duration::zero()) {
      then({std::nullopt, getError(chain->current.toString(),
                                   "context deadline exceeded (Client.Timeout exceeded while awaiting headers)")});
      return;
    }
    request.timeout = remaining;
  }
  chain->sent = request.headers;
  ++chain->requests;
  m_runtime.httpGet(sandbox, request, guarded([this, sandbox, chain, then](core::Result<HttpResponse> reply) {
    if (!reply) {
      then({std::nullopt, getError(chain->current.toString(), reply.error().message)});
      return;
    }
    HttpResponse response = std::move(*reply);
    response.body = bounded(std::move(response.body));
    // net/http returns a 3xx it will not follow, or one without Location,
    // as the response.
    if (!isFollowedRedirect(response.statusCode) || response.location.empty()) {
      then({std::move(response), {}});
      return;
    }
    core::Result<Url> next = resolveLocation(chain->current, response.location);
    if (!next) {
      then({std::nullopt, getError(chain->current.toString(),
                                   "failed to parse Location header " + core::quoteGo(response.location) + ": parse " +
                                       core::quoteGo(response.location) + ": " + next.error().message)});
      return;
    }
    if (next->hostname != chain->original.hostname) {
      then({std::move(response), {}});  // http.ErrUseLastResponse
      return;
    }
    if (chain->requests >= kMaxRedirectRequests) {
      // net/http reports the Location it refused to follow.
      then({std::nullopt, getError(response.location, "stopped after 10 redirects")});
      return;
    }
    // The next hop carries the first request's headers; a configured Host
    // survives only a relative redirect (net/http, issue 22233), and the
    // previous URL becomes the Referer unless that would leak https to http.
    Headers headers = chain->headers;
    if (hasScheme(response.location)) removeHeader(headers, "Host");
    if (!findHeader(headers, "Referer") && !(chain->current.scheme == "https" && next->scheme == "http")) {
      headers.emplace_back("Referer", chain->current.toString());
    }
    chain->current = std::move(*next);
    chain->sent = std::move(headers);
    sendHttp(sandbox, chain, then);
  }));
}

TargetInfo targetInfo(const HandlerTarget& target, const Runtime& runtime) {
  TargetInfo t;
  t.sandbox = target.sandbox;
  t.container = target.container;
  t.podIP = target.podIP.empty() ? runtime.podIP(target.sandbox) : target.podIP;
  if (target.spec) {
    t.containerName = target.spec->name;
    t.env = target.spec->env;
    t.ports = target.spec->ports;
  }
  t.podFullName = podFullName(target);
  return t;
}

std::string userAgent(std::string_view purpose) { return "kube-" + std::string(purpose) + "/" + std::string(kKubernetesVersion); }

// --- probes -------------------------------------------------------------------

class ProbeOperation final : public Operation {
 public:
  /// `exec`: the plan of an exec probe, which then needs nothing else
  /// copied; other handlers copy the probe and the target.
  ProbeOperation(Runtime& runtime, EventLoop& loop, const core::Probe& probe, core::AttemptKind kind,
                 const HandlerTarget& target, std::shared_ptr<const HandlerRunner::ExecPlan> exec,
                 std::function<void(ProbeOutcome)> done)
      : Operation(runtime, loop, kind),
        m_timeoutSeconds(probe.timeoutSeconds),
        m_exec(std::move(exec)),
        m_done(std::move(done)) {
    if (!m_exec) {
      m_probe = probe;
      m_target = targetInfo(target, runtime);
    }
  }

  void start() override { attempt(); }

 private:
  Duration timeout() const { return std::chrono::seconds(std::max<std::int32_t>(m_timeoutSeconds, 1)); }

  void attempt() {
    ++m_tries;
    if (m_exec) return runExec();
    if (m_probe->httpGet) return runHttp();
    if (m_probe->tcpSocket) return runTcp();
    if (m_probe->grpc) return runGrpc();
    errored("missing probe handler for " + m_target->podFullName + ":" + m_target->containerName);
  }

  void runExec() {
    // The plan holds the expanded argv, the request and the handler text.
    m_runtime.exec(m_exec->container, m_exec->request, guarded([this](core::Result<ExecResult>&& reply) {
      if (!reply) return errored(reply.error().message);
      if (reply->timedOut) {
        // The CRI client's DeadlineExceeded text; with ExecProbeTimeout (GA)
        // it becomes the probe's output.
        return complete(core::AttemptResult::Failure, "command " + core::quoteGo(join(m_exec->request.argv)) + " timed out");
      }
      if (reply->output.size() > kMaxOutput) reply->output.resize(kMaxOutput);
      complete(reply->exitCode == 0 ? core::AttemptResult::Success : core::AttemptResult::Failure,
               std::move(reply->output));
    }));
  }

  void runHttp() {
    const core::HttpGetAction& action = *m_probe->httpGet;
    const std::string scheme = lower(std::string(core::toString(action.scheme)));
    const std::string host = action.host.empty() ? m_target->podIP : action.host;
    core::Result<int> port = resolvePort(action.port, m_target->ports);
    if (!port) {
      m_handler = "httpGet " + scheme + "://" + host + ":" + action.port.toString() + action.path;
      return errored(port.error().message);
    }
    auto chain = std::make_shared<HttpChain>();
    chain->original = chain->current = probeUrl(scheme, host, *port, action.path);
    chain->headers = requestHeaders(action.httpHeaders, userAgent("probe"));
    chain->deadline = m_loop.now() + timeout();
    m_handler = "httpGet " + chain->original.toString();
    sendHttp(m_target->sandbox, chain, [this](HttpEnd end) {
      if (!end.response) return complete(core::AttemptResult::Failure, end.error);
      const HttpResponse& r = *end.response;
      if (r.statusCode >= 200 && r.statusCode < 300) return complete(core::AttemptResult::Success, r.body);
      if (r.statusCode >= 300 && r.statusCode < 400) {
        return complete(core::AttemptResult::Warning, "Probe terminated redirects, Response body: " + r.body);
      }
      // The kubelet keeps the body out of this message on purpose.
      complete(core::AttemptResult::Failure, "HTTP probe failed with statuscode: " + std::to_string(r.statusCode));
    });
  }

  void runTcp() {
    const core::TcpSocketAction& action = *m_probe->tcpSocket;
    const std::string host = action.host.empty() ? m_target->podIP : action.host;
    core::Result<int> port = resolvePort(action.port, m_target->ports);
    if (!port) {
      m_handler = "tcpSocket " + host + ":" + action.port.toString();
      return errored(port.error().message);
    }
    m_handler = "tcpSocket " + joinHostPort(host, *port);
    TcpRequest request{host, *port, timeout(), m_purpose};
    m_runtime.tcpConnect(m_target->sandbox, request, guarded([this](core::Status status) {
      // The prober turns every dial error into a failure, timeouts included.
      if (!status) return complete(core::AttemptResult::Failure, status.error().message);
      complete(core::AttemptResult::Success, "");
    }));
  }

  void runGrpc() {
    const core::GrpcAction& action = *m_probe->grpc;
    m_handler = "grpc " + joinHostPort(m_target->podIP, action.port) + " service=" + core::quoteGo(action.service);
    GrpcRequest request{m_target->podIP, action.port, action.service, timeout(), m_purpose};
    m_runtime.grpcHealthCheck(m_target->sandbox, request, guarded([this](core::Result<GrpcResponse> reply) {
      if (!reply) {
        // pkg/probe/grpc reports every error as a failure, in words that
        // start with "timeout: " or "error: ". A runtime that already
        // speaks them is passed through; anything else is an RPC error.
        const std::string& message = reply.error().message;
        if (message.rfind("timeout: ", 0) == 0 || message.rfind("error: ", 0) == 0) {
          return complete(core::AttemptResult::Failure, message);
        }
        return complete(core::AttemptResult::Failure, "error: health rpc probe failed: " + message);
      }
      if (reply->status != "SERVING") {
        return complete(core::AttemptResult::Failure,
                        "service unhealthy (responded with " + core::quoteGo(reply->status) + ")");
      }
      complete(core::AttemptResult::Success, "service healthy");
    }));
  }

  // The probe could not be run: the prober tries again at once, up to
  // maxProbeRetries times in all, then reports the last error.
  void errored(std::string message) {
    if (m_tries < kMaxProbeRetries) return attempt();
    complete(core::AttemptResult::Error, bounded(std::move(message)));
  }

  void complete(core::AttemptResult result, std::string output) {
    if (m_finished) return;  // the first outcome stands
    m_outcome.result = result;
    m_outcome.output = std::move(output);
    m_outcome.handler = m_exec ? m_exec->handler : core::SharedText(m_handler);
    finish();
  }

  void deliver() override {
    std::function<void(ProbeOutcome)> done = std::move(m_done);
    done(std::move(m_outcome));
  }

  std::int32_t m_timeoutSeconds;
  std::shared_ptr<const HandlerRunner::ExecPlan> m_exec;
  std::optional<core::Probe> m_probe;   ///< unless m_exec
  std::optional<TargetInfo> m_target;   ///< unless m_exec
  std::function<void(ProbeOutcome)> m_done;
  ProbeOutcome m_outcome;
  int m_tries = 0;
  std::string m_handler;
};

// --- hooks --------------------------------------------------------------------

class HookOperation final : public Operation {
 public:
  HookOperation(Runtime& runtime, EventLoop& loop, const core::LifecycleHandler& handler, core::AttemptKind kind,
                const HandlerTarget& target, std::function<void(HookOutcome)> done)
      : Operation(runtime, loop, kind),
        m_handler(handler),
        m_target(targetInfo(target, runtime)),
        m_done(std::move(done)) {}

  void start() override {
    // handlers.go checks exec, then httpGet, then sleep; anything else
    // (a tcpSocket action) cannot be run.
    if (m_handler.exec) return runExec();
    if (m_handler.httpGet) return runHttp();
    if (m_handler.sleep) return runSleep();
    if (m_handler.tcpSocket) {
      const core::TcpSocketAction& tcp = *m_handler.tcpSocket;
      m_outcome.handler = "tcpSocket " + (tcp.host.empty() ? m_target.podIP : tcp.host) + ":" + tcp.port.toString();
    }
    const std::string message = "Cannot run handler: invalid handler: " + goHandlerDump(m_handler);
    complete(core::AttemptResult::Error, message);
  }

  bool terminate() override {
    if (!m_handler.sleep || m_handler.exec || m_handler.httpGet) return false;
    if (m_finished) return true;  // already slept to the end; that result stands
    if (m_sleepTimer) m_loop.cancel(*m_sleepTimer);
    m_sleepTimer.reset();
    complete(core::AttemptResult::Failure, "Sleep lifecycle hook (" + std::to_string(m_handler.sleep->seconds) +
                                               ") for Container " + core::quoteGo(m_target.containerName) + " in Pod " +
                                               core::quoteGo(m_target.podFullName) +
                                               " failed - error: container terminated before sleep hook finished");
    return true;
  }

  void abandon() override {
    if (m_sleepTimer) m_loop.cancel(*m_sleepTimer);
    m_sleepTimer.reset();
  }

 private:
  void runExec() {
    // The lifecycle handler runner passes the command to the runtime as
    // written: unlike exec probes, hooks get no $(VAR) expansion.
    const std::vector<std::string> argv = m_handler.exec->command;
    m_outcome.handler = "exec " + goList(argv);
    ExecRequest request{argv, std::nullopt, kMaxOutput, m_purpose};
    m_runtime.exec(m_target.container, request, guarded([this, argv](core::Result<ExecResult> reply) {
      if (!reply) return execFailed(argv, reply.error().message, "");
      m_outcome.output = bounded(reply->output);
      if (reply->timedOut) return execFailed(argv, "command " + core::quoteGo(join(argv)) + " timed out", m_outcome.output);
      if (reply->exitCode != 0) {
        // The CRI client's CodeExitError. It quotes the command's stderr,
        // which the runtime seam does not keep apart from stdout, so the
        // combined output stands in for it.
        return execFailed(argv,
                          "command '" + join(argv) + "' exited with " + std::to_string(reply->exitCode) + ": " +
                              m_outcome.output,
                          m_outcome.output);
      }
      complete(core::AttemptResult::Success, {});
    }));
  }

  void execFailed(const std::vector<std::string>& argv, const std::string& error, const std::string& output) {
    complete(core::AttemptResult::Failure, "Exec lifecycle hook (" + goList(argv) + ") for Container " +
                                               core::quoteGo(m_target.containerName) + " in Pod " +
                                               core::quoteGo(m_target.podFullName) + " failed - error: " + error +
                                               ", message: " + core::quoteGo(output));
  }

  std::string httpFailure(const std::string& error) const {
    return "HTTP lifecycle hook (" + m_handler.httpGet->path + ") for Container " + core::quoteGo(m_target.containerName) +
           " in Pod " + core::quoteGo(m_target.podFullName) + " failed - error: " + error;
  }

  void runHttp() {
    const core::HttpGetAction& action = *m_handler.httpGet;
    const std::string scheme = lower(std::string(core::toString(action.scheme)));
    const std::string host = action.host.empty() ? m_target.podIP : action.host;
    core::Result<int> port = resolvePort(action.port, m_target.ports);
    if (!port) {
      m_outcome.handler = "httpGet " + scheme + "://" + host + ":" + action.port.toString() + action.path;
      return complete(core::AttemptResult::Error, httpFailure(port.error().message));
    }
    auto chain = std::make_shared<HttpChain>();
    chain->original = chain->current = probeUrl(scheme, host, *port, action.path);
    chain->headers = requestHeaders(action.httpHeaders, userAgent("lifecycle"));
    m_outcome.handler = "httpGet " + chain->original.toString();
    sendHttp(m_target.sandbox, chain, [this, chain](HttpEnd end) {
      if (end.response) return httpDone(*end.response);
      // An https hook answered in plain http is tried once more over http,
      // without credentials; if that fails too, the first error stands.
      if (chain->original.scheme == "https" &&
          end.error.find("server gave HTTP response to HTTPS client") != std::string::npos) {
        auto retry = std::make_shared<HttpChain>();
        retry->original = chain->original;
        retry->original.scheme = "http";
        retry->current = retry->original;
        retry->headers = chain->headers;
        removeHeader(retry->headers, "Authorization");
        const std::string firstError = end.error;
        const std::string hostPort = chain->original.authority;
        return sendHttp(m_target.sandbox, retry, [this, firstError, hostPort](HttpEnd second) {
          if (!second.response) return complete(core::AttemptResult::Failure, httpFailure(firstError));
          m_outcome.warnings.emplace_back(
              "LifecycleHTTPFallback",
              "request to HTTPS lifecycle hook " + hostPort + " got HTTP response, retry with HTTP succeeded");
          httpDone(*second.response);
        });
      }
      complete(core::AttemptResult::Failure, httpFailure(end.error));
    });
  }

  // Any response is a success: the kubelet never looks at the status code
  // of a hook.
  void httpDone(const HttpResponse& response) {
    m_outcome.output = response.body;
    complete(core::AttemptResult::Success, {});
  }

  void runSleep() {
    const std::int64_t seconds = m_handler.sleep->seconds;
    m_outcome.handler = "sleep " + std::to_string(seconds) + "s";
    m_sleepTimer = m_loop.postAfter(std::chrono::seconds(std::max<std::int64_t>(seconds, 0)), guarded([this] {
                                      m_sleepTimer.reset();
                                      complete(core::AttemptResult::Success, {});
                                    }));
  }

  void complete(core::AttemptResult result, std::string errorMessage) {
    if (m_finished) return;  // the first outcome stands
    m_outcome.result = result;
    m_outcome.errorMessage = std::move(errorMessage);
    finish();
  }

  void deliver() override {
    std::function<void(HookOutcome)> done = std::move(m_done);
    done(std::move(m_outcome));
  }

  core::LifecycleHandler m_handler;
  TargetInfo m_target;
  std::function<void(HookOutcome)> m_done;
  HookOutcome m_outcome;
  std::optional<Executor::TimerId> m_sleepTimer;
};

}  // namespace

// --- the runner -----------------------------------------------------------------

namespace {
// Plans kept at once; a pod has a few probes and each container instance
// needs its own, so this only guards against unbounded growth.
constexpr size_t kMaxExecPlans = 64;
}  // namespace

HandlerRunner::~HandlerRunner() {
  for (auto& [id, call] : m_calls) call->abandon();
  m_calls.clear();  // drops every operation, so late replies find nothing
}

HandlerRunner::CallId HandlerRunner::launch(std::shared_ptr<Call> call) {
  const CallId id = m_nextId++;
  call->unregister = [this, id] {
    auto it = std::find_if(m_calls.begin(), m_calls.end(), [id](const auto& c) { return c.first == id; });
    if (it != m_calls.end()) m_calls.erase(it);
  };
  std::shared_ptr<Call> operation = call;
  m_calls.emplace_back(id, std::move(call));
  operation->start();
  return id;
}

std::shared_ptr<const HandlerRunner::ExecPlan> HandlerRunner::execPlan(const core::Probe& probe,
                                                                       core::AttemptKind kind,
                                                                       const HandlerTarget& target) {
  for (const auto& plan : m_execPlans) {
    if (plan->matches(probe, kind, target)) return plan;
  }
  // A plan for an earlier instance of this probe's container is done with.
  std::erase_if(m_execPlans, [&](const auto& plan) { return plan->probe == &probe && plan->kind == kind; });
  if (m_execPlans.size() >= kMaxExecPlans) m_execPlans.erase(m_execPlans.begin());
  auto plan = std::make_shared<ExecPlan>();
  plan->probe = &probe;
  plan->spec = target.spec;
  plan->kind = kind;
  plan->timeoutSeconds = probe.timeoutSeconds;
  plan->command = probe.exec->command;
  std::vector<core::EnvVar> env;
  if (target.spec) env = target.spec->env;
  for (const core::EnvVar& e : env) plan->env.emplace_back(e.name, e.value);
  plan->container = target.container;
  const auto vars = literalEnvMap(env);
  std::vector<std::string> argv;
  for (const std::string& a : probe.exec->command) argv.push_back(expandVariables(a, vars));
  plan->handler = "exec " + goList(argv);
  plan->request = ExecRequest{std::move(argv), std::chrono::seconds(std::max<std::int32_t>(probe.timeoutSeconds, 1)),
                              kMaxOutput, kind};
  m_execPlans.push_back(plan);
  return plan;
}

HandlerRunner::CallId HandlerRunner::runProbe(const core::Probe& probe, core::AttemptKind kind,
                                              const HandlerTarget& target, std::function<void(ProbeOutcome)> done) {
  std::shared_ptr<const ExecPlan> plan = probe.exec ? execPlan(probe, kind, target) : nullptr;
  return launch(
      std::make_shared<ProbeOperation>(m_runtime, m_loop, probe, kind, target, std::move(plan), std::move(done)));
}

HandlerRunner::CallId HandlerRunner::runHook(const core::LifecycleHandler& handler, core::AttemptKind kind,
                                             const HandlerTarget& target, std::function<void(HookOutcome)> done) {
  return launch(std::make_shared<HookOperation>(m_runtime, m_loop, handler, kind, target, std::move(done)));
}

void HandlerRunner::cancel(CallId id) {
  auto byId = [id](const auto& c) { return c.first == id; };
  auto it = std::find_if(m_calls.begin(), m_calls.end(), byId);
  if (it == m_calls.end()) return;
  std::shared_ptr<Call> operation = it->second;
  if (operation->terminate()) return;
  it = std::find_if(m_calls.begin(), m_calls.end(), byId);  // terminate() may have changed the table
  if (it != m_calls.end()) m_calls.erase(it);
}

}  // namespace podscope::engine
