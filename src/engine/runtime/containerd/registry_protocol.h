#pragma once
// The pure parts of speaking to an OCI / Docker registry (the distribution
// API, /v2/): where a repository is served and over what, the URLs of its
// manifests and blobs, the Accept header that says which manifests Podscope
// reads, anonymous token auth (WWW-Authenticate challenges and the token
// server's answer), and the registry's error bodies. No I/O here: the HTTP
// transfers are in registry_client.h.
// Thread contract: pure functions; safe from any thread.

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "engine/runtime/containerd/image_config.h"
#include "engine/runtime/containerd/image_reference.h"

namespace podscope::engine::containerd {

/// Where one repository is served.
struct RegistryEndpoint {
  std::string scheme;      ///< "https", or "http" for loopback registries
  std::string host;        ///< "registry-1.docker.io", "127.0.0.1:5000"
  std::string repository;  ///< "library/busybox"
};

/// The host that serves a registry's API: docker.io's is
/// registry-1.docker.io (as Docker and containerd resolve it); any other
/// registry serves its API on its own name.
std::string registryApiHost(std::string_view domain);

/// Plain HTTP for registries on loopback (`localhost`, `127.0.0.0/8`,
/// `[::1]`, with or without a port), as Docker treats localhost as an
/// insecure registry; HTTPS for everything else.
bool usesPlainHttp(std::string_view host);

RegistryEndpoint registryEndpoint(const ImageReference& reference);

/// scheme://host/v2/<repository>/manifests/<tag or digest>
std::string manifestUrl(const RegistryEndpoint& endpoint, std::string_view tagOrDigest);
/// scheme://host/v2/<repository>/blobs/<digest>
std::string blobUrl(const RegistryEndpoint& endpoint, std::string_view digest);

/// The Accept header value for manifest requests: OCI index, Docker
/// manifest list, OCI manifest, Docker schema 2 manifest. (Docker schema 1
/// is not asked for: it cannot be run here.)
std::string_view manifestAcceptHeader();

/// The name containerd's fetcher gives a blob's ingest ("manifest-sha256:…",
/// "index-…", "config-…", "layer-…"); writers of the same blob share it, so
/// concurrent pulls of one blob wait for each other instead of racing.
std::string ingestRef(const BlobDescriptor& blob);

/// The media type of a manifest response: its Content-Type without
/// parameters, or, when that says nothing useful (text/plain,
/// application/json, missing), the document's own `mediaType` field.
std::string manifestMediaType(std::string_view contentType, std::string_view body);

/// One challenge of a WWW-Authenticate header (RFC 7235).
struct AuthChallenge {
  std::string scheme;  ///< lowercase: "bearer", "basic"
  std::map<std::string, std::string> params;  ///< names lowercase
};

/// Every challenge in the WWW-Authenticate header values given; malformed
/// parts are skipped.
std::vector<AuthChallenge> parseAuthChallenges(const std::vector<std::string>& headerValues);

/// The token server URL for a Bearer challenge, asked anonymously:
/// realm?service=…&scope=…. `scope` is used when the challenge names none.
/// An Error when the challenge has no usable realm.
core::Result<std::string> tokenUrl(const AuthChallenge& challenge, std::string_view scope);

/// The pull scope of a repository: "repository:<name>:pull".
std::string pullScope(std::string_view repository);

/// The token in a token server's JSON answer (`token`, else
/// `access_token`).
core::Result<std::string> parseTokenResponse(std::string_view body);

/// "NAME_UNKNOWN: repository name not known to registry" from a registry's
/// JSON error body ({"errors":[{"code","message"}]}); empty when the body is
/// not one.
std::string registryErrorMessage(std::string_view body);

/// Percent-encoding for a URL query value.
std::string urlEncode(std::string_view text);

/// Go's http.StatusText for a status code ("Not Found"), or "" when unknown.
std::string_view httpStatusText(long status);

}  // namespace podscope::engine::containerd
