#include "engine/runtime/containerd/image_reference.h"

#include <cctype>
#include <regex>

namespace podscope::engine::containerd {
namespace {

constexpr std::string_view kDefaultDomain = "docker.io";
constexpr std::string_view kLegacyDefaultDomain = "index.docker.io";
constexpr std::string_view kOfficialRepoPrefix = "library/";
constexpr std::string_view kDefaultTag = "latest";
// distribution/reference's NameTotalLengthMax.
constexpr std::size_t kMaxNameLength = 255;

// The grammar of github.com/distribution/reference (reference/regexp.go).
const std::regex& componentPattern() {
  static const std::regex re("[a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*");
  return re;
}
const std::regex& domainPattern() {
  static const std::regex re(
      "(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])"
      "(?:\\.(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9]))*(?::[0-9]+)?");
  return re;
}
const std::regex& tagPattern() {
  static const std::regex re("[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}");
  return re;
}
const std::regex& digestPattern() {
  static const std::regex re("[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-zA-Z0-9=_-]{32,}");
  return re;
}

core::Error invalid(std::string_view image, const std::string& why) {
  return core::Error{"invalid image reference \"" + std::string(image) + "\": " + why, {}, {}};
}

bool looksLikeDomain(std::string_view part) {
  // Docker's rule: the first component is a registry only when it could not
  // be a repository name (it has a dot or a port, or is localhost).
  return part.find_first_of(".:") != std::string_view::npos || part == "localhost";
}

}  // namespace

std::string ImageReference::toString() const {
  std::string out = domain + "/" + path;
  if (!tag.empty()) out += ":" + tag;
  if (!digest.empty()) out += "@" + digest;
  return out;
}

core::Result<ImageReference> parseImageReference(std::string_view image) {
  if (image.empty()) return invalid(image, "it is empty");
  for (char c : image) {
    if (std::isspace(static_cast<unsigned char>(c))) {
      return invalid(image, "it contains white space");
    }
  }

  ImageReference ref;
  std::string_view rest = image;
  if (auto at = rest.find('@'); at != std::string_view::npos) {
    ref.digest = std::string(rest.substr(at + 1));
    rest = rest.substr(0, at);
    if (!std::regex_match(ref.digest, digestPattern())) {
      return invalid(image, "the digest must look like sha256:<hex>");
    }
    if (ref.digest.starts_with("sha256:") && ref.digest.size() != 7 + 64) {
      return invalid(image, "a sha256 digest has 64 hex digits");
    }
  }

  std::string_view name = rest;
  if (auto slash = name.find('/'); slash != std::string_view::npos &&
                                    looksLikeDomain(name.substr(0, slash))) {
    ref.domain = std::string(name.substr(0, slash));
    name = name.substr(slash + 1);
  } else {
    ref.domain = std::string(kDefaultDomain);
  }

  // After the domain, a colon can only start the tag.
  if (auto colon = name.rfind(':'); colon != std::string_view::npos) {
    ref.tag = std::string(name.substr(colon + 1));
    name = name.substr(0, colon);
    if (!std::regex_match(ref.tag, tagPattern())) {
      return invalid(image, "the tag \"" + ref.tag +
                                "\" may only hold letters, digits, '_', '.' and '-' (at most 128)");
    }
  }

  if (!std::regex_match(ref.domain, domainPattern())) {
    return invalid(image, "\"" + ref.domain + "\" is not a registry host name");
  }
  if (name.empty()) return invalid(image, "the repository name is missing");
  std::string_view components = name;
  while (true) {
    auto slash = components.find('/');
    std::string component(components.substr(0, slash));
    if (component.empty()) return invalid(image, "the repository name has an empty path component");
    if (!std::regex_match(component, componentPattern())) {
      for (char c : component) {
        if (std::isupper(static_cast<unsigned char>(c))) {
          return invalid(image, "repository names must be lowercase");
        }
      }
      return invalid(image, "\"" + component +
                                "\" may only hold lowercase letters, digits and separators "
                                "(., _, __, -) between them");
    }
    if (slash == std::string_view::npos) break;
    components = components.substr(slash + 1);
  }

  if (ref.domain == kLegacyDefaultDomain) ref.domain = std::string(kDefaultDomain);
  ref.path = std::string(name);
  if (ref.domain == kDefaultDomain && ref.path.find('/') == std::string::npos) {
    ref.path = std::string(kOfficialRepoPrefix) + ref.path;
  }
  if (ref.tag.empty() && ref.digest.empty()) ref.tag = std::string(kDefaultTag);
  if (ref.domain.size() + 1 + ref.path.size() > kMaxNameLength) {
    return invalid(image, "the name is longer than 255 characters");
  }
  return ref;
}

core::Result<std::string> normalizeImageReference(std::string_view image) {
  auto ref = parseImageReference(image);
  if (!ref) return ref.error();
  return ref->toString();
}

}  // namespace podscope::engine::containerd
