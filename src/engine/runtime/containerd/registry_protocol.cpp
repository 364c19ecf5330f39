#include "engine/runtime/containerd/registry_protocol.h"

#include <algorithm>
#include <cctype>
#include <charconv>

#include <nlohmann/json.hpp>

namespace podscope::engine::containerd {
namespace {

using nlohmann::json;

core::Error error(std::string message) { return core::Error{std::move(message), {}, {}}; }

std::string lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

bool isDigits(std::string_view text) {
  return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// A dotted-quad IPv4 address in 127.0.0.0/8.
bool isLoopbackIPv4(std::string_view name) {
  int parts = 0;
  int first = -1;
  while (true) {
    auto dot = name.find('.');
    std::string_view part = name.substr(0, dot);
    int value = 0;
    auto [end, ec] = std::from_chars(part.data(), part.data() + part.size(), value);
    if (!isDigits(part) || ec != std::errc() || end != part.data() + part.size() || value > 255) return false;
    if (parts == 0) first = value;
    ++parts;
    if (dot == std::string_view::npos) break;
    name.remove_prefix(dot + 1);
  }
  return parts == 4 && first == 127;
}

// RFC 7230 token characters.
bool isTokenChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

void skipSpace(std::string_view& s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
}

std::string takeToken(std::string_view& s) {
  std::size_t n = 0;
  while (n < s.size() && isTokenChar(s[n])) ++n;
  std::string out(s.substr(0, n));
  s.remove_prefix(n);
  return out;
}

// A quoted-string with backslash escapes; false when unterminated.
bool takeQuoted(std::string_view& s, std::string& out) {
  s.remove_prefix(1);  // the opening quote
  while (!s.empty()) {
    char c = s.front();
    s.remove_prefix(1);
    if (c == '"') return true;
    if (c == '\\' && !s.empty()) {
      c = s.front();
      s.remove_prefix(1);
    }
    out += c;
  }
  return false;
}

}  // namespace

std::string registryApiHost(std::string_view domain) {
  if (domain == "docker.io") return "registry-1.docker.io";
  return std::string(domain);
}

bool usesPlainHttp(std::string_view host) {
  std::string_view name = host;
  if (name.starts_with('[')) {
    auto close = name.find(']');
    if (close == std::string_view::npos) return false;
    std::string_view rest = name.substr(close + 1);
    if (!rest.empty() && !(rest.front() == ':' && isDigits(rest.substr(1)))) return false;
    name = name.substr(1, close - 1);
    return name == "::1" || name == "0:0:0:0:0:0:0:1";
  }
  if (auto colon = name.rfind(':'); colon != std::string_view::npos) {
    if (!isDigits(name.substr(colon + 1))) return false;
    name = name.substr(0, colon);
  }
  return lower(name) == "localhost" || isLoopbackIPv4(name);
}

RegistryEndpoint registryEndpoint(const ImageReference& reference) {
  RegistryEndpoint endpoint;
  endpoint.host = registryApiHost(reference.domain);
  endpoint.scheme = usesPlainHttp(endpoint.host) ? "http" : "https";
  endpoint.repository = reference.path;
  return endpoint;
}

std::string manifestUrl(const RegistryEndpoint& endpoint, std::string_view tagOrDigest) {
  return endpoint.scheme + "://" + endpoint.host + "/v2/" + endpoint.repository + "/manifests/" +
         std::string(tagOrDigest);
}

std::string blobUrl(const RegistryEndpoint& endpoint, std::string_view digest) {
  return endpoint.scheme + "://" + endpoint.host + "/v2/" + endpoint.repository + "/blobs/" + std::string(digest);
}

std::string_view manifestAcceptHeader() {
  return "application/vnd.oci.image.index.v1+json, "
         "application/vnd.docker.distribution.manifest.list.v2+json, "
         "application/vnd.oci.image.manifest.v1+json, "
         "application/vnd.docker.distribution.manifest.v2+json";
}

std::string ingestRef(const BlobDescriptor& blob) {
  std::string_view kind = isIndexMediaType(blob.mediaType)      ? "index-"
                          : isManifestMediaType(blob.mediaType) ? "manifest-"
                          : isLayerMediaType(blob.mediaType)    ? "layer-"
                                                                : "config-";
  return std::string(kind) + blob.digest;
}

std::string manifestMediaType(std::string_view contentType, std::string_view body) {
  std::string type = lower(contentType.substr(0, contentType.find(';')));
  while (!type.empty() && (type.back() == ' ' || type.back() == '\t')) type.pop_back();
  while (!type.empty() && (type.front() == ' ' || type.front() == '\t')) type.erase(0, 1);
  if (isIndexMediaType(type) || isManifestMediaType(type)) return type;
  json doc = json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (doc.is_object()) {
    if (auto it = doc.find("mediaType"); it != doc.end() && it->is_string()) return it->get<std::string>();
    // An OCI index or manifest may leave mediaType out; its shape tells.
    if (doc.contains("manifests")) return "application/vnd.oci.image.index.v1+json";
    if (doc.contains("config") && doc.contains("layers")) return "application/vnd.oci.image.manifest.v1+json";
  }
  return type;
}

std::vector<AuthChallenge> parseAuthChallenges(const std::vector<std::string>& headerValues) {
  std::vector<AuthChallenge> out;
  for (const std::string& value : headerValues) {
    std::string_view s = value;
    AuthChallenge* current = nullptr;
    while (true) {
      skipSpace(s);
      while (!s.empty() && s.front() == ',') {
        s.remove_prefix(1);
        skipSpace(s);
      }
      if (s.empty()) break;
      std::string token = takeToken(s);
      if (token.empty()) {
        // Not a token: skip to the next comma and try again.
        auto comma = s.find(',');
        if (comma == std::string_view::npos) break;
        s.remove_prefix(comma);
        continue;
      }
      std::string_view afterToken = s;
      skipSpace(afterToken);
      if (!afterToken.empty() && afterToken.front() == '=' && current) {
        // name=value, a parameter of the current challenge.
        s = afterToken.substr(1);
        skipSpace(s);
        std::string paramValue;
        if (!s.empty() && s.front() == '"') {
          if (!takeQuoted(s, paramValue)) break;
        } else {
          // Unquoted: a token by the grammar, but registries put scopes
          // (with ':' and '/') here too; it ends at a comma or a blank.
          std::size_t n = 0;
          while (n < s.size() && s[n] != ',' && s[n] != ' ' && s[n] != '\t') ++n;
          paramValue = std::string(s.substr(0, n));
          s.remove_prefix(n);
        }
        current->params[lower(token)] = paramValue;
        continue;
      }
      // A new challenge: its scheme, then (after white space) parameters.
      out.push_back(AuthChallenge{lower(token), {}});
      current = &out.back();
    }
  }
  return out;
}

core::Result<std::string> tokenUrl(const AuthChallenge& challenge, std::string_view scope) {
  auto realm = challenge.params.find("realm");
  if (realm == challenge.params.end() || realm->second.empty()) {
    return error("no realm specified for token auth challenge");
  }
  const std::string& url = realm->second;
  if (!url.starts_with("https://") && !url.starts_with("http://")) {
    return error("invalid token auth challenge realm: \"" + url + "\" is not an http(s) URL");
  }
  std::string query;
  auto add = [&](std::string_view name, std::string_view value) {
    query += (query.empty() ? "" : "&") + std::string(name) + "=" + urlEncode(value);
  };
  if (auto service = challenge.params.find("service"); service != challenge.params.end() && !service->second.empty()) {
    add("service", service->second);
  }
  auto named = challenge.params.find("scope");
  std::string_view useScope = named != challenge.params.end() && !named->second.empty() ? std::string_view(named->second) : scope;
  if (!useScope.empty()) add("scope", useScope);
  if (query.empty()) return url;
  return url + (url.find('?') == std::string::npos ? "?" : "&") + query;
}

std::string pullScope(std::string_view repository) { return "repository:" + std::string(repository) + ":pull"; }

core::Result<std::string> parseTokenResponse(std::string_view body) {
  json doc = json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (!doc.is_object()) return error("unable to decode token response: it is not a JSON object");
  for (const char* key : {"token", "access_token"}) {
    if (auto it = doc.find(key); it != doc.end() && it->is_string() && !it->get<std::string>().empty()) {
      return it->get<std::string>();
    }
  }
  return error("authorization server did not include a token in the response");
}

std::string registryErrorMessage(std::string_view body) {
  json doc = json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (!doc.is_object()) return {};
  auto errors = doc.find("errors");
  if (errors == doc.end() || !errors->is_array()) return {};
  std::string out;
  for (const auto& e : *errors) {
    if (!e.is_object()) continue;
    std::string code = e.value("code", std::string());
    std::string message = e.value("message", std::string());
    std::string one = code.empty() ? message : message.empty() ? code : code + ": " + message;
    if (one.empty()) continue;
    out += (out.empty() ? "" : "; ") + one;
  }
  return out;
}

std::string urlEncode(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : text) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 0xf];
    }
  }
  return out;
}

std::string_view httpStatusText(long status) {
  switch (status) {
    case 200: return "OK";
    case 201: return "Created";
    case 202: return "Accepted";
    case 204: return "No Content";
    case 206: return "Partial Content";
    case 301: return "Moved Permanently";
    case 302: return "Found";
    case 307: return "Temporary Redirect";
    case 308: return "Permanent Redirect";
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 408: return "Request Timeout";
    case 416: return "Requested Range Not Satisfiable";
    case 429: return "Too Many Requests";
    case 500: return "Internal Server Error";
    case 502: return "Bad Gateway";
    case 503: return "Service Unavailable";
    case 504: return "Gateway Timeout";
    default: return "";
  }
}

}  // namespace podscope::engine::containerd
