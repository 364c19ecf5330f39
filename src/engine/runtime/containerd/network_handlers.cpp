#include "engine/runtime/containerd/network_handlers.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <poll.h>
#include <sched.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/ssl.h>

#include <grpcpp/create_channel_posix.h>
#include <grpcpp/grpcpp.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <memory>
#include <mutex>
#include <optional>

#include "engine/host/deadline.h"
#include "engine/host/grpc_deadline.h"
#include "podscope/health/v1/health.grpc.pb.h"

namespace podscope::engine::containerd {
namespace {

using std::chrono::milliseconds;

// Response headers beyond this are not a health endpoint's (Go's default
// limit is 1 MiB; 64 KiB is plenty and bounds memory).
constexpr std::size_t kMaxHeaderBytes = 64 * 1024;

core::Error error(std::string message) { return core::Error{std::move(message), {}, {}}; }

// Go's syscall error texts are glibc's, starting in lower case.
std::string goErrno(int err) {
  std::string text = std::strerror(err);
  if (!text.empty()) text[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(text[0])));
  return text;
}

std::string hostPort(const std::string& host, int port) {
  if (host.find(':') != std::string::npos) return "[" + host + "]:" + std::to_string(port);
  return host + ":" + std::to_string(port);
}

std::string addressText(const sockaddr_storage& addr) {
  char text[INET6_ADDRSTRLEN] = {};
  if (addr.ss_family == AF_INET) {
    const auto& in = reinterpret_cast<const sockaddr_in&>(addr);
    ::inet_ntop(AF_INET, &in.sin_addr, text, sizeof(text));
    return hostPort(text, ntohs(in.sin_port));
  }
  const auto& in6 = reinterpret_cast<const sockaddr_in6&>(addr);
  ::inet_ntop(AF_INET6, &in6.sin6_addr, text, sizeof(text));
  return hostPort(text, ntohs(in6.sin6_port));
}

enum class Wait { Ready, TimedOut, Cancelled, Failed };

// Waits for `events` on `fd`, the deadline, or the cancel fd.
Wait waitFor(int fd, short events, const Deadline& deadline, int cancelFd) {
  while (true) {
    if (deadline.passed()) return Wait::TimedOut;
    pollfd fds[2] = {{fd, events, 0}, {cancelFd, POLLIN, 0}};
    int rc = ::poll(fds, cancelFd >= 0 ? 2 : 1, deadline.pollTimeout());
    if (rc < 0) {
      if (errno == EINTR) continue;
      return Wait::Failed;
    }
    if (cancelFd >= 0 && (fds[1].revents & POLLIN)) return Wait::Cancelled;
    if (fds[0].revents != 0) return Wait::Ready;
  }
}

/// An owned file descriptor.
class Fd {
 public:
  Fd() = default;
  explicit Fd(int fd) : m_fd(fd) {}
  ~Fd() { reset(); }
  Fd(Fd&& other) noexcept : m_fd(std::exchange(other.m_fd, -1)) {}
  Fd& operator=(Fd&& other) noexcept {
    if (this != &other) {
      reset();
      m_fd = std::exchange(other.m_fd, -1);
    }
    return *this;
  }
  int get() const { return m_fd; }
  int release() { return std::exchange(m_fd, -1); }
  void reset() {
    if (m_fd >= 0) ::close(m_fd);
    m_fd = -1;
  }

 private:
  int m_fd = -1;
};

/// Why a dial failed, for callers that word timeouts their own way.
enum class DialFailure { None, TimedOut, Other };

// Connects a TCP socket (non-blocking from here on). Errors read like Go's
// net.Dial: "dial tcp 127.0.0.1:8080: connect: connection refused".
core::Result<Fd> dial(const std::string& host, int port, const Deadline& deadline, int cancelFd,
                      DialFailure* failure) {
  *failure = DialFailure::Other;
  std::string target = hostPort(host, port);
  if (port <= 0 || port > 65535) return error("dial tcp " + target + ": invalid port");
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_NUMERICSERV;
  addrinfo* found = nullptr;
  std::string service = std::to_string(port);
  if (int rc = ::getaddrinfo(host.c_str(), service.c_str(), &hints, &found); rc != 0) {
    std::string why = (rc == EAI_NONAME || rc == EAI_NODATA) ? "no such host" : ::gai_strerror(rc);
    return error("dial tcp: lookup " + host + ": " + why);
  }
  std::unique_ptr<addrinfo, decltype(&::freeaddrinfo)> addresses(found, &::freeaddrinfo);

  std::optional<core::Error> first;
  for (addrinfo* a = addresses.get(); a; a = a->ai_next) {
    sockaddr_storage remote{};
    std::memcpy(&remote, a->ai_addr, a->ai_addrlen);
    std::string prefix = "dial tcp " + addressText(remote) + ": ";
    Fd fd(::socket(a->ai_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0));
    if (fd.get() < 0) {
      if (!first) first = error(prefix + "socket: " + goErrno(errno));
      continue;
    }
    int rc = ::connect(fd.get(), a->ai_addr, a->ai_addrlen);
    if (rc != 0 && errno != EINPROGRESS) {
      if (!first) first = error(prefix + "connect: " + goErrno(errno));
      continue;
    }
    if (rc != 0) {
      switch (waitFor(fd.get(), POLLOUT, deadline, cancelFd)) {
        case Wait::Ready: break;
        case Wait::TimedOut:
          *failure = DialFailure::TimedOut;
          return error(prefix + "i/o timeout");
        case Wait::Cancelled: return error(prefix + "operation was canceled");
        case Wait::Failed: return error(prefix + "poll: " + goErrno(errno));
      }
      int soError = 0;
      socklen_t len = sizeof(soError);
      ::getsockopt(fd.get(), SOL_SOCKET, SO_ERROR, &soError, &len);
      if (soError != 0) {
        if (!first) first = error(prefix + "connect: " + goErrno(soError));
        continue;
      }
    }
    *failure = DialFailure::None;
    return fd;
  }
  return first ? *first : error("dial tcp " + target + ": no address");
}

// --- streams -----------------------------------------------------------------

enum class IoKind { Ok, Eof, TimedOut, Cancelled, Failed };

struct Io {
  IoKind kind = IoKind::Ok;
  std::size_t bytes = 0;
  std::string text;  ///< what failed, for Failed
};

/// A connected byte stream with deadlines: plain TCP or TLS over it.
class Stream {
 public:
  virtual ~Stream() = default;
  virtual Io writeAll(std::string_view data, const Deadline& deadline) = 0;
  /// Some bytes, or Eof once the peer closed.
  virtual Io read(char* buffer, std::size_t size, const Deadline& deadline) = 0;
};

Io fromWait(Wait wait) {
  switch (wait) {
    case Wait::Ready: return {};
    case Wait::TimedOut: return {IoKind::TimedOut, 0, {}};
    case Wait::Cancelled: return {IoKind::Cancelled, 0, {}};
    case Wait::Failed: return {IoKind::Failed, 0, "poll: " + goErrno(errno)};
  }
  return {};
}

// Go: "read tcp 127.0.0.1:41234->127.0.0.1:8080: read: connection reset by peer".
std::string socketOpError(int fd, const char* op, int err) {
  sockaddr_storage local{}, remote{};
  socklen_t localLen = sizeof(local), remoteLen = sizeof(remote);
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&local), &localLen);
  ::getpeername(fd, reinterpret_cast<sockaddr*>(&remote), &remoteLen);
  return std::string(op) + " tcp " + addressText(local) + "->" + addressText(remote) + ": " + op +
         ": " + goErrno(err);
}

class PlainStream final : public Stream {
 public:
  PlainStream(int fd, int cancelFd) : m_fd(fd), m_cancelFd(cancelFd) {}

  Io writeAll(std::string_view data, const Deadline& deadline) override {
    while (!data.empty()) {
      ssize_t n = ::send(m_fd, data.data(), data.size(), MSG_NOSIGNAL);
      if (n > 0) {
        data.remove_prefix(static_cast<std::size_t>(n));
        continue;
      }
      if (n < 0 && errno == EINTR) continue;
      if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
        if (Io io = fromWait(waitFor(m_fd, POLLOUT, deadline, m_cancelFd)); io.kind != IoKind::Ok) {
          return io;
        }
        continue;
      }
      return {IoKind::Failed, 0, socketOpError(m_fd, "write", errno)};
    }
    return {};
  }

  Io read(char* buffer, std::size_t size, const Deadline& deadline) override {
    while (true) {
      ssize_t n = ::recv(m_fd, buffer, size, 0);
      if (n > 0) return {IoKind::Ok, static_cast<std::size_t>(n), {}};
      if (n == 0) return {IoKind::Eof, 0, {}};
      if (errno == EINTR) continue;
      if (errno == EAGAIN || errno == EWOULDBLOCK) {
        if (Io io = fromWait(waitFor(m_fd, POLLIN, deadline, m_cancelFd)); io.kind != IoKind::Ok) {
          return io;
        }
        continue;
      }
      return {IoKind::Failed, 0, socketOpError(m_fd, "read", errno)};
    }
  }

 private:
  int m_fd;
  int m_cancelFd;
};

std::string tlsErrorText() {
  unsigned long code = ERR_get_error();
  ERR_clear_error();
  if (code == 0) return "tls: handshake failed";
  const char* reason = ERR_reason_error_string(code);
  return std::string("tls: ") + (reason ? reason : "handshake failed");
}

// Keeps the first bytes read off the socket: Go tells a plain HTTP server
// apart by its first record header, and so does the handshake below.
long recordFirstBytes(BIO* bio, int oper, const char* argp, std::size_t /*len*/, int /*argi*/,
                      long /*argl*/, int ret, std::size_t* processed) {
  if (oper == (BIO_CB_READ | BIO_CB_RETURN) && ret > 0 && processed && argp) {
    auto* seen = reinterpret_cast<std::string*>(BIO_get_callback_arg(bio));
    if (seen && seen->size() < 5) seen->append(argp, std::min(*processed, 5 - seen->size()));
  }
  return ret;
}

/// TLS over a connected non-blocking socket, certificates not checked (as
/// the kubelet's prober: InsecureSkipVerify).
class TlsStream final : public Stream {
 public:
  TlsStream(int fd, int cancelFd) : m_fd(fd), m_cancelFd(cancelFd) {}
  ~TlsStream() override {
    if (m_ssl) SSL_free(m_ssl);
    if (m_ctx) SSL_CTX_free(m_ctx);
  }

  /// An error worded like Go's client; `httpReply` tells the caller the
  /// server answered in plain HTTP.
  Io handshake(const std::string& serverName, const Deadline& deadline, bool* httpReply) {
    *httpReply = false;
    m_ctx = SSL_CTX_new(TLS_client_method());
    if (!m_ctx) return {IoKind::Failed, 0, tlsErrorText()};
    SSL_CTX_set_verify(m_ctx, SSL_VERIFY_NONE, nullptr);
    // A server that just closes (no close_notify) ends the body, as in Go.
    SSL_CTX_set_options(m_ctx, SSL_OP_IGNORE_UNEXPECTED_EOF);
    m_ssl = SSL_new(m_ctx);
    if (!m_ssl || SSL_set_fd(m_ssl, m_fd) != 1) return {IoKind::Failed, 0, tlsErrorText()};
    in6_addr ignored{};
    bool isAddress = ::inet_pton(AF_INET, serverName.c_str(), &ignored) == 1 ||
                     ::inet_pton(AF_INET6, serverName.c_str(), &ignored) == 1;
    if (!isAddress) SSL_set_tlsext_host_name(m_ssl, serverName.c_str());
    BIO* socketBio = SSL_get_rbio(m_ssl);
    BIO_set_callback_arg(socketBio, reinterpret_cast<char*>(&m_firstBytes));
    BIO_set_callback_ex(socketBio, recordFirstBytes);
    auto failed = [&](Io io) {
      if (m_firstBytes == "HTTP/") {
        *httpReply = true;
        return Io{IoKind::Failed, 0, "http: server gave HTTP response to HTTPS client"};
      }
      return io;
    };
    while (true) {
      ERR_clear_error();
      int rc = SSL_connect(m_ssl);
      if (rc == 1) return {};
      int err = SSL_get_error(m_ssl, rc);
      if (err == SSL_ERROR_WANT_READ || err == SSL_ERROR_WANT_WRITE) {
        short events = err == SSL_ERROR_WANT_READ ? POLLIN : POLLOUT;
        if (Io io = fromWait(waitFor(m_fd, events, deadline, m_cancelFd)); io.kind != IoKind::Ok) {
          return io;
        }
        continue;
      }
      if (err == SSL_ERROR_SYSCALL || err == SSL_ERROR_ZERO_RETURN) {
        if (ERR_peek_error() == 0) {
          return failed(errno != 0 && err == SSL_ERROR_SYSCALL
                            ? Io{IoKind::Failed, 0, socketOpError(m_fd, "read", errno)}
                            : Io{IoKind::Eof, 0, {}});
        }
      }
      return failed(Io{IoKind::Failed, 0, tlsErrorText()});
    }
  }

  Io writeAll(std::string_view data, const Deadline& deadline) override {
    while (!data.empty()) {
      ERR_clear_error();
      int n = SSL_write(m_ssl, data.data(), static_cast<int>(data.size()));
      if (n > 0) {
        data.remove_prefix(static_cast<std::size_t>(n));
        continue;
      }
      if (Io io = retry(n, deadline); io.kind != IoKind::Ok) return io;
    }
    return {};
  }

  Io read(char* buffer, std::size_t size, const Deadline& deadline) override {
    while (true) {
      ERR_clear_error();
      int n = SSL_read(m_ssl, buffer, static_cast<int>(std::min<std::size_t>(size, 1 << 20)));
      if (n > 0) return {IoKind::Ok, static_cast<std::size_t>(n), {}};
      if (Io io = retry(n, deadline); io.kind != IoKind::Ok) return io;
    }
  }

 private:
  Io retry(int rc, const Deadline& deadline) {
    int err = SSL_get_error(m_ssl, rc);
    switch (err) {
      case SSL_ERROR_WANT_READ: return fromWait(waitFor(m_fd, POLLIN, deadline, m_cancelFd));
      case SSL_ERROR_WANT_WRITE: return fromWait(waitFor(m_fd, POLLOUT, deadline, m_cancelFd));
      case SSL_ERROR_ZERO_RETURN: return {IoKind::Eof, 0, {}};
      case SSL_ERROR_SYSCALL:
        if (ERR_peek_error() == 0) {
          if (errno == 0) return {IoKind::Eof, 0, {}};
          return {IoKind::Failed, 0, socketOpError(m_fd, "read", errno)};
        }
        return {IoKind::Failed, 0, tlsErrorText()};
      default: return {IoKind::Failed, 0, tlsErrorText()};
    }
  }

  int m_fd;
  int m_cancelFd;
  std::string m_firstBytes;
  SSL_CTX* m_ctx = nullptr;
  SSL* m_ssl = nullptr;
};

// --- HTTP ----------------------------------------------------------------------

bool equalsIgnoreCase(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

/// Reads a response off a stream, buffering what came beyond what was asked.
class ResponseReader {
 public:
  ResponseReader(Stream& stream, const Deadline& deadline)
      : m_stream(stream), m_deadline(deadline) {}

  /// Appends more bytes to the buffer; false at EOF or on error (in m_last).
  bool fill() {
    char chunk[16 * 1024];
    Io io = m_stream.read(chunk, sizeof(chunk), m_deadline);
    m_last = io;
    if (io.kind != IoKind::Ok) return false;
    m_buffer.append(chunk, io.bytes);
    return true;
  }

  /// One line without its CRLF; false when the stream ended first.
  bool line(std::string& out, std::size_t limit) {
    while (true) {
      if (auto at = m_buffer.find('\n', m_pos); at != std::string::npos) {
        out.assign(m_buffer, m_pos, at - m_pos);
        if (!out.empty() && out.back() == '\r') out.pop_back();
        m_pos = at + 1;
        compact();
        return true;
      }
      if (m_buffer.size() - m_pos > limit) {
        m_last = {IoKind::Failed, 0, "net/http: response line too long"};
        return false;
      }
      if (!fill()) return false;
    }
  }

  /// Up to `count` bytes (fewer only at EOF); false on an error.
  bool bytes(std::size_t count, std::string& out) {
    while (m_buffer.size() - m_pos < count) {
      if (!fill()) {
        if (m_last.kind != IoKind::Eof) return false;
        break;
      }
    }
    std::size_t take = std::min(count, m_buffer.size() - m_pos);
    out.append(m_buffer, m_pos, take);
    m_pos += take;
    compact();
    return true;
  }

  const Io& last() const { return m_last; }

 private:
  void compact() {
    if (m_pos > 64 * 1024) {
      m_buffer.erase(0, m_pos);
      m_pos = 0;
    }
  }

  Stream& m_stream;
  const Deadline& m_deadline;
  std::string m_buffer;
  std::size_t m_pos = 0;
  Io m_last;
};

struct Head {
  int status = 0;
  std::string location;
  std::optional<std::uint64_t> contentLength;
  bool chunked = false;
};

// Go's client errors for the phase before the headers are in.
std::string headerPhaseError(const Io& io) {
  switch (io.kind) {
    case IoKind::Ok: return {};
    case IoKind::Eof: return "EOF";
    case IoKind::TimedOut:
      return "context deadline exceeded (Client.Timeout exceeded while awaiting headers)";
    case IoKind::Cancelled: return "context canceled";
    case IoKind::Failed: return io.text;
  }
  return io.text;
}

std::string bodyPhaseError(const Io& io) {
  switch (io.kind) {
    case IoKind::Ok: return {};
    case IoKind::Eof: return "unexpected EOF";
    case IoKind::TimedOut:
      return "context deadline exceeded (Client.Timeout or context cancellation while reading body)";
    case IoKind::Cancelled: return "context canceled";
    case IoKind::Failed: return io.text;
  }
  return io.text;
}

core::Result<Head> readHead(ResponseReader& reader) {
  while (true) {
    std::string statusLine;
    if (!reader.line(statusLine, kMaxHeaderBytes)) return error(headerPhaseError(reader.last()));
    // "HTTP/1.1 200 OK"
    Head head;
    if (!statusLine.starts_with("HTTP/") || statusLine.size() < 12 || statusLine[8] != ' ' ||
        !std::isdigit(static_cast<unsigned char>(statusLine[9])) ||
        !std::isdigit(static_cast<unsigned char>(statusLine[10])) ||
        !std::isdigit(static_cast<unsigned char>(statusLine[11]))) {
      return error("malformed HTTP response \"" + statusLine.substr(0, 64) + "\"");
    }
    head.status = std::stoi(statusLine.substr(9, 3));
    std::size_t headerBytes = 0;
    while (true) {
      std::string line;
      if (!reader.line(line, kMaxHeaderBytes)) return error(headerPhaseError(reader.last()));
      headerBytes += line.size();
      if (headerBytes > kMaxHeaderBytes) return error("net/http: response headers too large");
      if (line.empty()) break;
      auto colon = line.find(':');
      if (colon == std::string::npos) return error("malformed MIME header line: " + line);
      std::string_view name = trim(std::string_view(line).substr(0, colon));
      std::string_view value = trim(std::string_view(line).substr(colon + 1));
      if (equalsIgnoreCase(name, "Location")) {
        head.location = value;
      } else if (equalsIgnoreCase(name, "Content-Length")) {
        std::uint64_t length = 0;
        bool valid = !value.empty();
        for (char c : value) {
          if (!std::isdigit(static_cast<unsigned char>(c))) valid = false;
          else length = length * 10 + static_cast<std::uint64_t>(c - '0');
        }
        if (!valid) return error("bad Content-Length \"" + std::string(value) + "\"");
        head.contentLength = length;
      } else if (equalsIgnoreCase(name, "Transfer-Encoding")) {
        head.chunked = equalsIgnoreCase(value, "chunked");
      }
    }
    // Interim responses (100 Continue, 103 Early Hints) precede the real one.
    if (head.status >= 100 && head.status < 200 && head.status != 101) continue;
    return head;
  }
}

core::Result<std::string> readBody(ResponseReader& reader, const Head& head, std::size_t maxBody) {
  std::string body;
  if (head.status == 204 || head.status == 304 || head.status == 101) return body;
  if (head.chunked) {
    while (body.size() < maxBody) {
      std::string sizeLine;
      if (!reader.line(sizeLine, 1024)) return error(bodyPhaseError(reader.last()));
      std::size_t size = 0;
      std::size_t digits = 0;
      for (char c : sizeLine) {
        if (!std::isxdigit(static_cast<unsigned char>(c))) break;
        if (++digits > 15) return error("http chunk length too large");
        size = size * 16 + static_cast<std::size_t>(std::isdigit(static_cast<unsigned char>(c))
                                                        ? c - '0'
                                                        : std::tolower(c) - 'a' + 10);
      }
      if (digits == 0) return error("invalid byte in chunk length");
      if (size == 0) break;
      std::size_t want = std::min(size, maxBody - body.size());
      std::size_t before = body.size();
      if (!reader.bytes(want, body)) return error(bodyPhaseError(reader.last()));
      if (body.size() - before < want) return error("unexpected EOF");
      if (want < size) break;  // enough read; the rest is never looked at
      std::string crlf;
      if (!reader.line(crlf, 2) || !crlf.empty()) {
        if (reader.last().kind != IoKind::Ok) return error(bodyPhaseError(reader.last()));
        return error("malformed chunked encoding");
      }
    }
    return body;
  }
  if (head.contentLength) {
    std::size_t want = static_cast<std::size_t>(std::min<std::uint64_t>(*head.contentLength, maxBody));
    if (!reader.bytes(want, body)) return error(bodyPhaseError(reader.last()));
    if (body.size() < want) return error("unexpected EOF");
    return body;
  }
  // No length: the body runs until the server closes.
  if (!reader.bytes(maxBody, body)) return error(bodyPhaseError(reader.last()));
  return body;
}

}  // namespace

core::Status enterNetworkNamespace(const std::string& path) {
  Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (fd.get() < 0) {
    int err = errno;
    if (err == ENOENT) return error("the pod's network namespace is gone (" + path + ")");
    return error("cannot open the pod's network namespace " + path + ": " + std::strerror(err));
  }
  if (::setns(fd.get(), CLONE_NEWNET) != 0) {
    int err = errno;
    return error("cannot enter the pod's network namespace " + path + ": " + std::strerror(err) +
                 (err == EPERM ? " (this needs root)" : ""));
  }
  return {};
}

core::Result<HttpResponse> httpGet(const HttpRequest& request, int cancelFd) {
  std::string scheme = request.scheme.empty() ? "http" : request.scheme;
  std::transform(scheme.begin(), scheme.end(), scheme.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  std::string path = request.path.empty() ? "/" : request.path;
  if (path.front() != '/') path.insert(path.begin(), '/');
  std::string authority = hostPort(request.host, request.port);
  // The runtime reports why the request failed in Go's words; the engine
  // adds the `Get "<url>": ` in front, since it knows the URL of each hop.
  const std::string prefix;
  if (scheme != "http" && scheme != "https") {
    return error(prefix + "unsupported protocol scheme \"" + scheme + "\"");
  }

  Deadline deadline(request.timeout);
  DialFailure failure = DialFailure::None;
  auto fd = dial(request.host, request.port, deadline, cancelFd, &failure);
  if (!fd) {
    std::string text = fd.error().message;
    if (failure == DialFailure::TimedOut) text += " (Client.Timeout exceeded while awaiting headers)";
    return error(prefix + text);
  }

  std::unique_ptr<Stream> stream;
  if (scheme == "https") {
    auto tls = std::make_unique<TlsStream>(fd->get(), cancelFd);
    bool httpReply = false;
    if (Io io = tls->handshake(request.host, deadline, &httpReply); io.kind != IoKind::Ok) {
      return error(prefix + headerPhaseError(io));
    }
    stream = std::move(tls);
  } else {
    stream = std::make_unique<PlainStream>(fd->get(), cancelFd);
  }

  std::string host = authority;
  for (const auto& [name, value] : request.headers) {
    if (equalsIgnoreCase(name, "Host")) host = value;
  }
  std::string message = "GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\n";
  for (const auto& [name, value] : request.headers) {
    if (equalsIgnoreCase(name, "Host") || equalsIgnoreCase(name, "Connection")) continue;
    // Header injection would let a manifest forge requests; Go refuses too.
    if (name.find_first_of("\r\n:") != std::string::npos ||
        value.find_first_of("\r\n") != std::string::npos) {
      return error(prefix + "net/http: invalid header field \"" + name + "\"");
    }
    message += name + ": " + value + "\r\n";
  }
  message += "Connection: close\r\n\r\n";
  if (Io io = stream->writeAll(message, deadline); io.kind != IoKind::Ok) {
    return error(prefix + headerPhaseError(io));
  }

  ResponseReader reader(*stream, deadline);
  auto head = readHead(reader);
  if (!head) return error(prefix + head.error().message);
  auto body = readBody(reader, *head, request.maxBody);
  if (!body) return error(prefix + body.error().message);
  HttpResponse response;
  response.statusCode = head->status;
  response.location = head->location;
  response.body = std::move(*body);
  return response;
}

core::Status tcpConnect(const TcpRequest& request, int cancelFd) {
  Deadline deadline(request.timeout);
  DialFailure failure = DialFailure::None;
  auto fd = dial(request.host, request.port, deadline, cancelFd, &failure);
  if (!fd) return fd.error();
  return {};
}

namespace {

// Go's codes.Code String(), as `rpc error: code = ... desc = ...` shows it.
const char* goCodeName(grpc::StatusCode code) {
  switch (code) {
    case grpc::StatusCode::OK: return "OK";
    case grpc::StatusCode::CANCELLED: return "Canceled";
    case grpc::StatusCode::UNKNOWN: return "Unknown";
    case grpc::StatusCode::INVALID_ARGUMENT: return "InvalidArgument";
    case grpc::StatusCode::DEADLINE_EXCEEDED: return "DeadlineExceeded";
    case grpc::StatusCode::NOT_FOUND: return "NotFound";
    case grpc::StatusCode::ALREADY_EXISTS: return "AlreadyExists";
    case grpc::StatusCode::PERMISSION_DENIED: return "PermissionDenied";
    case grpc::StatusCode::RESOURCE_EXHAUSTED: return "ResourceExhausted";
    case grpc::StatusCode::FAILED_PRECONDITION: return "FailedPrecondition";
    case grpc::StatusCode::ABORTED: return "Aborted";
    case grpc::StatusCode::OUT_OF_RANGE: return "OutOfRange";
    case grpc::StatusCode::UNIMPLEMENTED: return "Unimplemented";
    case grpc::StatusCode::INTERNAL: return "Internal";
    case grpc::StatusCode::UNAVAILABLE: return "Unavailable";
    case grpc::StatusCode::DATA_LOSS: return "DataLoss";
    case grpc::StatusCode::UNAUTHENTICATED: return "Unauthenticated";
    case grpc::StatusCode::DO_NOT_USE: break;
  }
  return "Unknown";
}

}  // namespace

core::Result<GrpcResponse> grpcHealthCheck(const GrpcRequest& request, int cancelFd) {
  Deadline deadline(request.timeout);
  DialFailure failure = DialFailure::None;
  auto fd = dial(request.host, request.port, deadline, cancelFd, &failure);
  if (!fd) return fd.error();

  Fd finished(::eventfd(0, EFD_CLOEXEC));
  if (finished.get() < 0) return error(std::string("eventfd: ") + std::strerror(errno));

  // The channel owns the socket from here and closes it when it goes.
  auto channel = grpc::CreateInsecureChannelFromFd(hostPort(request.host, request.port),
                                                   fd->release());
  auto stub = grpc::health::v1::Health::NewStub(channel);
  grpc::ClientContext context;
  if (auto left = deadline.remaining()) setGrpcTimeout(context, *left);
  grpc::health::v1::HealthCheckRequest call;
  call.set_service(request.service);
  grpc::health::v1::HealthCheckResponse response;

  // The callback API, so that waiting can also watch the cancel fd.
  std::mutex mutex;
  grpc::Status status;
  stub->async()->Check(&context, &call, &response, [&](grpc::Status result) {
    {
      std::lock_guard lock(mutex);
      status = std::move(result);
    }
    std::uint64_t one = 1;
    (void)!::write(finished.get(), &one, sizeof(one));
  });
  if (waitFor(finished.get(), POLLIN, Deadline(std::nullopt), cancelFd) != Wait::Ready) {
    context.TryCancel();
    // The callback runs soon after a cancel, and it uses this frame.
    (void)waitFor(finished.get(), POLLIN, Deadline(std::nullopt), -1);
  }

  std::lock_guard lock(mutex);
  if (!status.ok()) {
    return error("rpc error: code = " + std::string(goCodeName(status.error_code())) +
                 " desc = " + status.error_message());
  }
  return GrpcResponse{grpc::health::v1::HealthCheckResponse::ServingStatus_Name(response.status())};
}

}  // namespace podscope::engine::containerd
