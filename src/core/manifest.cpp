#include "core/manifest.h"

#include <algorithm>

namespace podscope::core {

std::string_view toString(RestartPolicy policy) {
  switch (policy) {
    case RestartPolicy::Always: return "Always";
    case RestartPolicy::OnFailure: return "OnFailure";
    case RestartPolicy::Never: return "Never";
  }
  return "";
}

std::string_view toString(PullPolicy policy) {
  switch (policy) {
    case PullPolicy::Always: return "Always";
    case PullPolicy::IfNotPresent: return "IfNotPresent";
    case PullPolicy::Never: return "Never";
  }
  return "";
}

std::string_view toString(TerminationMessagePolicy policy) {
  switch (policy) {
    case TerminationMessagePolicy::File: return "File";
    case TerminationMessagePolicy::FallbackToLogsOnError: return "FallbackToLogsOnError";
  }
  return "";
}

std::string_view toString(Protocol protocol) {
  switch (protocol) {
    case Protocol::TCP: return "TCP";
    case Protocol::UDP: return "UDP";
    case Protocol::SCTP: return "SCTP";
  }
  return "";
}

std::string_view toString(UriScheme scheme) {
  switch (scheme) {
    case UriScheme::HTTP: return "HTTP";
    case UriScheme::HTTPS: return "HTTPS";
  }
  return "";
}

PullPolicy defaultPullPolicy(std::string_view image) {
  if (image.find('@') != std::string_view::npos) return PullPolicy::IfNotPresent;
  // The tag follows the last ':' that comes after the last '/', so a
  // registry port (localhost:5000/busybox) is not taken for a tag.
  size_t slash = image.rfind('/');
  size_t colon = image.rfind(':');
  if (colon == std::string_view::npos || (slash != std::string_view::npos && colon < slash)) {
    return PullPolicy::Always;
  }
  return image.substr(colon + 1) == "latest" ? PullPolicy::Always : PullPolicy::IfNotPresent;
}

bool LabelSelector::matches(const std::map<std::string, std::string>& labels) const {
  for (const auto& [key, value] : matchLabels) {
    auto it = labels.find(key);
    if (it == labels.end() || it->second != value) return false;
  }
  for (const LabelSelectorRequirement& r : matchExpressions) {
    auto it = labels.find(r.key);
    bool has = it != labels.end();
    bool in = has && std::find(r.values.begin(), r.values.end(), it->second) != r.values.end();
    if (r.op == "In" && !in) return false;
    if (r.op == "NotIn" && in) return false;
    if (r.op == "Exists" && !has) return false;
    if (r.op == "DoesNotExist" && has) return false;
  }
  return true;
}

std::string Deployment::changeCause() const {
  auto it = metadata.annotations.find("kubernetes.io/change-cause");
  return it == metadata.annotations.end() ? std::string() : it->second;
}

SourceRange Document::rangeOf(const std::string& path) const {
  std::string p = path;
  while (!p.empty()) {
    auto it = positions.find(p);
    if (it != positions.end()) return it->second.key.known() ? it->second.key : it->second.value;
    // Drop the last step: ".field" or "[i]".
    size_t cut = p.find_last_of(".[");
    if (cut == std::string::npos) break;
    p.resize(cut);
  }
  return range;
}

const Document* Manifest::firstPod() const {
  for (const Document& d : documents) {
    if (d.pod) return &d;
  }
  return nullptr;
}

std::optional<Error> Manifest::firstError() const {
  std::vector<Error> all = errors();
  if (all.empty()) return std::nullopt;
  return all.front();
}

std::vector<Error> Manifest::errors() const {
  std::vector<Error> out;
  for (const Diagnostic& d : diagnostics) {
    if (d.severity != Severity::Error) continue;
    ErrorKind kind = ErrorKind::Shape;
    if (d.rule.rfind("yaml-", 0) == 0) kind = ErrorKind::Syntax;
    if (d.rule == "file-too-large" || d.rule == "binary-file" || d.rule == "invalid-utf8" || d.rule == "encoding") {
      kind = ErrorKind::Io;
    }
    std::optional<SourcePos> pos;
    if (d.range.begin.known()) pos = d.range.begin;
    out.push_back(Error{d.message, d.file, pos, kind});
  }
  return out;
}

}  // namespace podscope::core
