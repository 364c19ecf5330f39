#include "core/pod_template_yaml.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <tuple>
#include <utility>
#include <vector>

#include "core/decoder.h"
#include "core/utf8_text.h"
#include "core/yaml_tree.h"

namespace podscope::core {

namespace {

// ---- Scalars ---------------------------------------------------------------

bool isControl(unsigned char c) { return c < 0x20 || c == 0x7f; }

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// Whether YAML would read `s` back as this very string when written plain.
// Deliberately strict: anything that could be taken for a number, a bool,
// null, an indicator or a comment is quoted.
bool plainSafe(std::string_view s) {
  if (s.empty()) return false;
  if (s.front() == ' ' || s.back() == ' ') return false;
  for (char c : s) {
    if (isControl(static_cast<unsigned char>(c))) return false;
  }
  static constexpr std::string_view kIndicators = "?:,[]{}#&*!|>'\"%@`";
  const char first = s.front();
  if (kIndicators.find(first) != std::string_view::npos) return false;
  if (first == '-' && (s.size() == 1 || s[1] == ' ')) return false;
  if (s.starts_with("---") || s.starts_with("...")) return false;
  if (s.find(": ") != std::string_view::npos || s.find(" #") != std::string_view::npos) return false;
  if (s.back() == ':') return false;
  if (s.find_first_of("[]{},#") != std::string_view::npos) return false;
  static constexpr std::array<std::string_view, 14> kWords = {"y",   "yes",  "n",     "no",   "true", "false", "on",
                                                              "off", "null", "~",     ".inf", "-.inf", "+.inf", ".nan"};
  const std::string l = lower(s);
  if (std::find(kWords.begin(), kWords.end(), l) != kWords.end()) return false;
  // Anything made only of characters that can spell a number (decimal,
  // hex, octal, binary, float, with `_` separators) is quoted.
  if (std::isdigit(static_cast<unsigned char>(first)) || first == '+' || first == '-' || first == '.') {
    static constexpr std::string_view kNumberChars = "0123456789abcdefABCDEFxXoObB_+-.eE";
    if (s.find_first_not_of(kNumberChars) == std::string_view::npos) return false;
  }
  return true;
}

std::string singleQuoted(std::string_view s) {
  std::string out = "'";
  for (char c : s) {
    if (c == '\'') out += '\'';
    out += c;
  }
  return out + "'";
}

std::string doubleQuoted(std::string_view s) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out = "\"";
  for (char c : s) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\t': out += "\\t"; break;
      case '\r': out += "\\r"; break;
      default:
        if (isControl(static_cast<unsigned char>(c))) {
          out += "\\x";
          out += kHex[(static_cast<unsigned char>(c) >> 4) & 0xF];
          out += kHex[static_cast<unsigned char>(c) & 0xF];
        } else {
          out += c;
        }
    }
  }
  return out + "\"";
}

// A literal block keeps several lines readable (kubectl prints a scenario
// annotation this way). It is used only where it reads back exactly: no
// control characters but newlines, no line ending in a blank, a first line
// that does not start with a space (which would need an indentation
// indicator), and at least one character that is not a newline.
bool literalBlockSafe(std::string_view s) {
  if (s.find('\n') == std::string_view::npos) return false;
  if (s.front() == ' ' || s.front() == '\n') return false;
  if (s.find_first_not_of('\n') == std::string_view::npos) return false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c != '\n' && isControl(c)) return false;
    if ((c == ' ') && (i + 1 == s.size() || s[i + 1] == '\n')) return false;
  }
  return true;
}

// ---- The writer ------------------------------------------------------------

class Writer {
 public:
  std::string take() { return std::move(m_out); }

  /// `key: value` for a string value.
  void string(int indent, std::string_view key, std::string_view value) {
    pad(indent);
    m_out += keyText(key);
    m_out += ':';
    if (literalBlockSafe(value)) {
      literalBlock(indent, value);
      return;
    }
    m_out += ' ';
    m_out += scalarText(value);
    m_out += '\n';
  }
  void stringIfSet(int indent, std::string_view key, std::string_view value) {
    if (!value.empty()) string(indent, key, value);
  }
  void integer(int indent, std::string_view key, std::int64_t value) {
    pad(indent);
    m_out += keyText(key) + ": " + std::to_string(value) + "\n";
  }
  template <typename T>
  void integer(int indent, std::string_view key, const std::optional<T>& value) {
    if (value) integer(indent, key, static_cast<std::int64_t>(*value));
  }
  void boolean(int indent, std::string_view key, bool value) {
    pad(indent);
    m_out += keyText(key) + (value ? ": true\n" : ": false\n");
  }
  void boolean(int indent, std::string_view key, const std::optional<bool>& value) {
    if (value) boolean(indent, key, *value);
  }
  void intOrString(int indent, std::string_view key, const IntOrString& value) {
    if (value.isInt) {
      integer(indent, key, value.intValue);
    } else {
      string(indent, key, value.strValue);
    }
  }
  /// `key:` opening a mapping whose fields `body` writes at indent + 2;
  /// `key: {}` when it writes none.
  template <typename Body>
  void mapping(int indent, std::string_view key, Body body) {
    pad(indent);
    m_out += keyText(key) + ":\n";
    const std::size_t mark = m_out.size();
    body(indent + 2);
    if (m_out.size() == mark) {
      m_out.resize(mark - 1);
      m_out += " {}\n";
    }
  }
  void stringMap(int indent, std::string_view key, const std::map<std::string, std::string>& values) {
    if (values.empty()) return;
    mapping(indent, key, [&](int in) {
      for (const auto& [k, v] : values) string(in, k, v);
    });
  }
  void stringList(int indent, std::string_view key, const std::vector<std::string>& values) {
    if (values.empty()) return;
    pad(indent);
    m_out += keyText(key) + ":\n";
    for (const std::string& v : values) {
      pad(indent);
      if (literalBlockSafe(v)) {
        m_out += "-";
        literalBlock(indent, v);
      } else {
        m_out += "- " + scalarText(v) + "\n";
      }
    }
  }
  /// `key:` and one `- ` item per element, each a mapping that `item`
  /// writes at indent + 2 (kubectl's layout: the dash at the key's column).
  template <typename T, typename Item>
  void list(int indent, std::string_view key, const std::vector<T>& values, Item item) {
    if (values.empty()) return;
    pad(indent);
    m_out += keyText(key) + ":\n";
    for (const T& v : values) {
      const std::size_t mark = m_out.size();
      item(indent + 2, v);
      if (m_out.size() == mark) {
        pad(indent);
        m_out += "- {}\n";
      } else {
        m_out[mark + static_cast<std::size_t>(indent)] = '-';
      }
    }
  }

 private:
  void pad(int indent) { m_out.append(static_cast<std::size_t>(indent), ' '); }

  static std::string scalarText(std::string_view value) {
    if (plainSafe(value)) return std::string(value);
    for (char c : value) {
      if (isControl(static_cast<unsigned char>(c))) return doubleQuoted(value);
    }
    return singleQuoted(value);
  }
  static std::string keyText(std::string_view key) { return scalarText(key); }

  // After `key:` (or `-`): the block header, then the lines at indent + 2.
  void literalBlock(int indent, std::string_view value) {
    std::size_t trailing = 0;
    while (trailing < value.size() && value[value.size() - 1 - trailing] == '\n') ++trailing;
    m_out += trailing == 0 ? " |-\n" : trailing == 1 ? " |\n" : " |+\n";
    std::string_view body = value.substr(0, value.size() - trailing);
    std::size_t start = 0;
    while (start <= body.size()) {
      std::size_t end = body.find('\n', start);
      if (end == std::string_view::npos) end = body.size();
      std::string_view line = body.substr(start, end - start);
      if (!line.empty()) pad(indent + 2);
      m_out += line;
      m_out += '\n';
      start = end + 1;
    }
    for (std::size_t i = 1; i < trailing; ++i) m_out += '\n';
  }

  std::string m_out;
};

// ---- The model, field by field in alphabetical order ------------------------

void writeExec(Writer& w, int in, const ExecAction& exec) {
  w.mapping(in, "exec", [&](int i) { w.stringList(i, "command", exec.command); });
}

void writeHttpGet(Writer& w, int in, const HttpGetAction& get) {
  w.mapping(in, "httpGet", [&](int i) {
    w.stringIfSet(i, "host", get.host);
    w.list(i, "httpHeaders", get.httpHeaders, [&](int j, const HttpHeader& h) {
      w.string(j, "name", h.name);
      w.string(j, "value", h.value);
    });
    w.string(i, "path", get.path);
    w.intOrString(i, "port", get.port);
    w.string(i, "scheme", toString(get.scheme));
  });
}

void writeTcpSocket(Writer& w, int in, const TcpSocketAction& tcp) {
  w.mapping(in, "tcpSocket", [&](int i) {
    w.stringIfSet(i, "host", tcp.host);
    w.intOrString(i, "port", tcp.port);
  });
}

void writeProbe(Writer& w, int in, std::string_view key, const std::optional<Probe>& probe) {
  if (!probe) return;
  const Probe& p = *probe;
  w.mapping(in, key, [&](int i) {
    if (p.exec) writeExec(w, i, *p.exec);
    w.integer(i, "failureThreshold", p.failureThreshold);
    if (p.grpc) {
      w.mapping(i, "grpc", [&](int j) {
        w.integer(j, "port", p.grpc->port);
        w.stringIfSet(j, "service", p.grpc->service);
      });
    }
    if (p.httpGet) writeHttpGet(w, i, *p.httpGet);
    if (p.initialDelaySeconds != 0) w.integer(i, "initialDelaySeconds", p.initialDelaySeconds);
    w.integer(i, "periodSeconds", p.periodSeconds);
    w.integer(i, "successThreshold", p.successThreshold);
    if (p.tcpSocket) writeTcpSocket(w, i, *p.tcpSocket);
    w.integer(i, "terminationGracePeriodSeconds", p.terminationGracePeriodSeconds);
    w.integer(i, "timeoutSeconds", p.timeoutSeconds);
  });
}

void writeHandler(Writer& w, int in, std::string_view key, const std::optional<LifecycleHandler>& handler) {
  if (!handler) return;
  w.mapping(in, key, [&](int i) {
    if (handler->exec) writeExec(w, i, *handler->exec);
    if (handler->httpGet) writeHttpGet(w, i, *handler->httpGet);
    if (handler->sleep) w.mapping(i, "sleep", [&](int j) { w.integer(j, "seconds", handler->sleep->seconds); });
    if (handler->tcpSocket) writeTcpSocket(w, i, *handler->tcpSocket);
  });
}

void writeQuantities(Writer& w, int in, std::string_view key, const std::map<std::string, Quantity>& values) {
  if (values.empty()) return;
  w.mapping(in, key, [&](int i) {
    for (const auto& [name, q] : values) w.string(i, name, q.text);
  });
}

void writeContainer(Writer& w, int in, const Container& c) {
  w.stringList(in, "args", c.args);
  w.stringList(in, "command", c.command);
  w.list(in, "env", c.env, [&](int i, const EnvVar& e) {
    w.string(i, "name", e.name);
    w.stringIfSet(i, "value", e.value);
    if (e.valueFrom) w.mapping(i, "valueFrom", [](int) {});
  });
  w.stringIfSet(in, "image", c.image);
  w.string(in, "imagePullPolicy", toString(c.imagePullPolicy));
  if (c.lifecycle) {
    w.mapping(in, "lifecycle", [&](int i) {
      writeHandler(w, i, "postStart", c.lifecycle->postStart);
      writeHandler(w, i, "preStop", c.lifecycle->preStop);
    });
  }
  writeProbe(w, in, "livenessProbe", c.livenessProbe);
  w.stringIfSet(in, "name", c.name);
  w.list(in, "ports", c.ports, [&](int i, const ContainerPort& p) {
    w.integer(i, "containerPort", p.containerPort);
    w.stringIfSet(i, "hostIP", p.hostIP);
    w.integer(i, "hostPort", p.hostPort);
    w.stringIfSet(i, "name", p.name);
    w.string(i, "protocol", toString(p.protocol));
  });
  writeProbe(w, in, "readinessProbe", c.readinessProbe);
  w.mapping(in, "resources", [&](int i) {
    writeQuantities(w, i, "limits", c.resources.limits);
    writeQuantities(w, i, "requests", c.resources.requests);
  });
  if (c.restartPolicy) w.string(in, "restartPolicy", toString(*c.restartPolicy));
  if (c.securityContext) {
    const SecurityContext& s = *c.securityContext;
    w.mapping(in, "securityContext", [&](int i) {
      w.boolean(i, "allowPrivilegeEscalation", s.allowPrivilegeEscalation);
      w.boolean(i, "privileged", s.privileged);
      w.boolean(i, "readOnlyRootFilesystem", s.readOnlyRootFilesystem);
      w.integer(i, "runAsGroup", s.runAsGroup);
      w.boolean(i, "runAsNonRoot", s.runAsNonRoot);
      w.integer(i, "runAsUser", s.runAsUser);
    });
  }
  writeProbe(w, in, "startupProbe", c.startupProbe);
  w.string(in, "terminationMessagePath", c.terminationMessagePath);
  w.string(in, "terminationMessagePolicy", toString(c.terminationMessagePolicy));
  w.list(in, "volumeMounts", c.volumeMounts, [&](int i, const VolumeMount& m) {
    w.string(i, "mountPath", m.mountPath);
    w.string(i, "name", m.name);
    if (m.readOnly) w.boolean(i, "readOnly", true);
    w.stringIfSet(i, "subPath", m.subPath);
  });
  w.stringIfSet(in, "workingDir", c.workingDir);
}

void writeVolume(Writer& w, int in, const Volume& v) {
  // The source's key sorts with `name`; unsupported kinds keep their key
  // (their fields are not modelled).
  std::string sourceKey;
  switch (v.source) {
    case Volume::Source::EmptyDir: sourceKey = "emptyDir"; break;
    case Volume::Source::HostPath: sourceKey = "hostPath"; break;
    case Volume::Source::Unsupported: sourceKey = v.unsupportedKind; break;
  }
  auto source = [&] {
    switch (v.source) {
      case Volume::Source::EmptyDir:
        w.mapping(in, sourceKey, [&](int i) {
          w.stringIfSet(i, "medium", v.emptyDirMedium);
          if (v.emptyDirSizeLimit) w.string(i, "sizeLimit", v.emptyDirSizeLimit->text);
        });
        break;
      case Volume::Source::HostPath:
        w.mapping(in, sourceKey, [&](int i) {
          w.string(i, "path", v.hostPath);
          w.stringIfSet(i, "type", v.hostPathType);
        });
        break;
      case Volume::Source::Unsupported:
        if (!sourceKey.empty()) w.mapping(in, sourceKey, [](int) {});
        break;
    }
  };
  if (sourceKey < "name") source();
  w.stringIfSet(in, "name", v.name);
  if (!(sourceKey < "name")) source();
}

void writeTemplate(Writer& w, const PodTemplateSpec& t) {
  const ObjectMeta& m = t.metadata;
  w.mapping(0, "metadata", [&](int in) {
    w.stringMap(in, "annotations", m.annotations);
    w.stringIfSet(in, "generateName", m.generateName);
    w.stringMap(in, "labels", m.labels);
    w.stringIfSet(in, "name", m.name);
    // The decoder gives every object a namespace; "default" is what an
    // absent one means, so only another namespace is written.
    if (m.namespaceName != "default") w.string(in, "namespace", m.namespaceName);
  });
  const PodSpec& s = t.spec;
  w.mapping(0, "spec", [&](int in) {
    w.integer(in, "activeDeadlineSeconds", s.activeDeadlineSeconds);
    w.list(in, "containers", s.containers, [&](int i, const Container& c) { writeContainer(w, i, c); });
    w.stringIfSet(in, "hostname", s.hostname);
    w.list(in, "initContainers", s.initContainers, [&](int i, const Container& c) { writeContainer(w, i, c); });
    w.string(in, "restartPolicy", toString(s.restartPolicy));
    if (s.securityContext) {
      const PodSecurityContext& p = *s.securityContext;
      w.mapping(in, "securityContext", [&](int i) {
        w.integer(i, "fsGroup", p.fsGroup);
        w.integer(i, "runAsGroup", p.runAsGroup);
        w.boolean(i, "runAsNonRoot", p.runAsNonRoot);
        w.integer(i, "runAsUser", p.runAsUser);
      });
    }
    w.integer(in, "terminationGracePeriodSeconds", s.terminationGracePeriodSeconds);
    w.list(in, "volumes", s.volumes, [&](int i, const Volume& v) { writeVolume(w, i, v); });
  });
}

// ---- Equality ---------------------------------------------------------------
// Field by field (the model's structs have no operator==, and Container's
// source range must not count).

bool eq(const ExecAction& a, const ExecAction& b) { return a.command == b.command; }
bool eq(const HttpHeader& a, const HttpHeader& b) { return a.name == b.name && a.value == b.value; }
bool eq(const HttpGetAction& a, const HttpGetAction& b) {
  return a.host == b.host && a.path == b.path && a.port == b.port && a.scheme == b.scheme &&
         std::equal(a.httpHeaders.begin(), a.httpHeaders.end(), b.httpHeaders.begin(), b.httpHeaders.end(),
                    [](const HttpHeader& x, const HttpHeader& y) { return eq(x, y); });
}
bool eq(const TcpSocketAction& a, const TcpSocketAction& b) { return a.host == b.host && a.port == b.port; }
bool eq(const GrpcAction& a, const GrpcAction& b) { return a.port == b.port && a.service == b.service; }
bool eq(const SleepAction& a, const SleepAction& b) { return a.seconds == b.seconds; }

bool eq(const Probe& a, const Probe& b);
bool eq(const LifecycleHandler& a, const LifecycleHandler& b);
bool eq(const Lifecycle& a, const Lifecycle& b);
bool eq(const EnvVar& a, const EnvVar& b);
bool eq(const ContainerPort& a, const ContainerPort& b);
bool eq(const VolumeMount& a, const VolumeMount& b);
bool eq(const SecurityContext& a, const SecurityContext& b);
bool eq(const PodSecurityContext& a, const PodSecurityContext& b);
bool eq(const Container& a, const Container& b);
bool eq(const Volume& a, const Volume& b);

template <typename T>
bool eq(const std::optional<T>& a, const std::optional<T>& b) {
  if (a.has_value() != b.has_value()) return false;
  return !a || eq(*a, *b);
}
template <typename T>
bool eq(const std::vector<T>& a, const std::vector<T>& b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end(), [](const T& x, const T& y) { return eq(x, y); });
}

bool eq(const Probe& a, const Probe& b) {
  return eq(a.exec, b.exec) && eq(a.httpGet, b.httpGet) && eq(a.tcpSocket, b.tcpSocket) && eq(a.grpc, b.grpc) &&
         std::tie(a.initialDelaySeconds, a.timeoutSeconds, a.periodSeconds, a.successThreshold, a.failureThreshold,
                  a.terminationGracePeriodSeconds) ==
             std::tie(b.initialDelaySeconds, b.timeoutSeconds, b.periodSeconds, b.successThreshold, b.failureThreshold,
                      b.terminationGracePeriodSeconds);
}
bool eq(const LifecycleHandler& a, const LifecycleHandler& b) {
  return eq(a.exec, b.exec) && eq(a.httpGet, b.httpGet) && eq(a.tcpSocket, b.tcpSocket) && eq(a.sleep, b.sleep);
}
bool eq(const Lifecycle& a, const Lifecycle& b) { return eq(a.postStart, b.postStart) && eq(a.preStop, b.preStop); }
bool eq(const EnvVar& a, const EnvVar& b) {
  return std::tie(a.name, a.value, a.valueFrom) == std::tie(b.name, b.value, b.valueFrom);
}
bool eq(const ContainerPort& a, const ContainerPort& b) {
  return std::tie(a.name, a.containerPort, a.hostPort, a.protocol, a.hostIP) ==
         std::tie(b.name, b.containerPort, b.hostPort, b.protocol, b.hostIP);
}
bool eq(const VolumeMount& a, const VolumeMount& b) {
  return std::tie(a.name, a.mountPath, a.readOnly, a.subPath) == std::tie(b.name, b.mountPath, b.readOnly, b.subPath);
}
bool eq(const SecurityContext& a, const SecurityContext& b) {
  return std::tie(a.runAsUser, a.runAsGroup, a.runAsNonRoot, a.privileged, a.readOnlyRootFilesystem,
                  a.allowPrivilegeEscalation) == std::tie(b.runAsUser, b.runAsGroup, b.runAsNonRoot, b.privileged,
                                                          b.readOnlyRootFilesystem, b.allowPrivilegeEscalation);
}
bool eq(const PodSecurityContext& a, const PodSecurityContext& b) {
  return std::tie(a.runAsUser, a.runAsGroup, a.runAsNonRoot, a.fsGroup) ==
         std::tie(b.runAsUser, b.runAsGroup, b.runAsNonRoot, b.fsGroup);
}
bool eq(const Container& a, const Container& b) {
  return a.name == b.name && a.image == b.image && a.imagePullPolicy == b.imagePullPolicy && a.command == b.command &&
         a.args == b.args && a.workingDir == b.workingDir && eq(a.env, b.env) && eq(a.ports, b.ports) &&
         a.resources.limits == b.resources.limits && a.resources.requests == b.resources.requests &&
         eq(a.volumeMounts, b.volumeMounts) && eq(a.startupProbe, b.startupProbe) &&
         eq(a.livenessProbe, b.livenessProbe) && eq(a.readinessProbe, b.readinessProbe) &&
         eq(a.lifecycle, b.lifecycle) && a.restartPolicy == b.restartPolicy &&
         a.terminationMessagePath == b.terminationMessagePath &&
         a.terminationMessagePolicy == b.terminationMessagePolicy && eq(a.securityContext, b.securityContext);
}
bool eq(const Volume& a, const Volume& b) {
  return std::tie(a.name, a.source, a.emptyDirMedium, a.emptyDirSizeLimit, a.hostPath, a.hostPathType,
                  a.unsupportedKind) == std::tie(b.name, b.source, b.emptyDirMedium, b.emptyDirSizeLimit, b.hostPath,
                                                 b.hostPathType, b.unsupportedKind);
}
bool eq(const PodSpec& a, const PodSpec& b) {
  return eq(a.initContainers, b.initContainers) && eq(a.containers, b.containers) && eq(a.volumes, b.volumes) &&
         a.restartPolicy == b.restartPolicy && a.terminationGracePeriodSeconds == b.terminationGracePeriodSeconds &&
         a.activeDeadlineSeconds == b.activeDeadlineSeconds && a.hostname == b.hostname &&
         eq(a.securityContext, b.securityContext);
}

std::map<std::string, std::string> withoutHash(std::map<std::string, std::string> labels) {
  labels.erase(std::string(kPodTemplateHashLabel));
  return labels;
}

}  // namespace

std::string canonicalYaml(const PodTemplateSpec& podTemplate) {
  Writer w;
  writeTemplate(w, podTemplate);
  return w.take();
}

std::uint32_t fnv32a(std::string_view bytes, std::uint32_t hash) {
  for (char c : bytes) {
    hash ^= static_cast<unsigned char>(c);
    hash *= 16777619u;
  }
  return hash;
}

std::string safeEncodeString(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) out += kSafeAlphabet[static_cast<unsigned char>(c) % kSafeAlphabet.size()];
  return out;
}

std::string podTemplateHash(const PodTemplateSpec& podTemplate, std::optional<std::int32_t> collisionCount) {
  std::uint32_t hash;
  if (podTemplate.metadata.labels.count(std::string(kPodTemplateHashLabel))) {
    PodTemplateSpec copy = podTemplate;
    copy.metadata.labels.erase(std::string(kPodTemplateHashLabel));
    hash = fnv32a(canonicalYaml(copy));
  } else {
    hash = fnv32a(canonicalYaml(podTemplate));
  }
  if (collisionCount) {
    const auto n = static_cast<std::uint32_t>(*collisionCount);
    char bytes[8] = {static_cast<char>(n & 0xff), static_cast<char>((n >> 8) & 0xff),
                     static_cast<char>((n >> 16) & 0xff), static_cast<char>((n >> 24) & 0xff), 0, 0, 0, 0};
    hash = fnv32a(std::string_view(bytes, sizeof bytes), hash);
  }
  return safeEncodeString(std::to_string(hash));
}

bool equalIgnoreHash(const PodTemplateSpec& a, const PodTemplateSpec& b) {
  const ObjectMeta& x = a.metadata;
  const ObjectMeta& y = b.metadata;
  return x.name == y.name && x.generateName == y.generateName && x.namespaceName == y.namespaceName &&
         x.annotations == y.annotations && withoutHash(x.labels) == withoutHash(y.labels) && eq(a.spec, b.spec);
}

namespace {

// The template is read as the spec.template of a Deployment; its text starts
// on this line of the wrapper, indented by this many columns.
constexpr int kWrapperLines = 6;
constexpr int kWrapperIndent = 4;

/// `d` as " at line L, column C: message", its position moved from the wrapper
/// back into the template's own text and its field path made the
/// template's own (`spec.containers[0]`, not `spec.template.spec...`).
std::string describeInTemplate(const Diagnostic& d) {
  std::string message = d.message;
  constexpr std::string_view kPrefix = "spec.template.";
  for (std::size_t at = 0; (at = message.find(kPrefix, at)) != std::string::npos;) message.erase(at, kPrefix.size());
  const int line = d.range.begin.line - kWrapperLines;
  if (line < 1) return ": " + message;
  const int column = std::max(1, d.range.begin.column - kWrapperIndent);
  return " at line " + std::to_string(line) + ", column " + std::to_string(column) + ": " + message;
}

const Diagnostic* firstError(const std::vector<Diagnostic>& diagnostics) {
  for (const Diagnostic& d : diagnostics) {
    if (d.severity == Severity::Error) return &d;
  }
  return nullptr;
}

Result<PodTemplateSpec> readTemplate(std::string_view text, bool strict) {
  if (strict) {
    // Syntax errors are found in the text as written, so their positions
    // (and those their messages mention) are the text's own.
    YamlParse own = parseYamlDocument(YamlChunk{std::string(text), 1, false}, "template.yaml", 0);
    if (const Diagnostic* d = firstError(own.diagnostics)) {
      const SourcePos at = d->range.begin;
      // yaml-cpp quotes the byte it stopped at, which can be one byte of a
      // multi-byte character ("unknown escape character"): the message is
      // made valid UTF-8 before it is shown or written to JSON.
      return Error{"the pod template is not valid YAML" +
                   (at.known() ? " at line " + std::to_string(at.line) + ", column " + std::to_string(at.column)
                               : std::string()) +
                   ": " + replaceInvalidUtf8(d->message)};
    }
  }
  std::string wrapped = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: revision\nspec:\n  template:\n";
  std::size_t begin = 0;
  while (begin < text.size()) {
    std::size_t end = text.find('\n', begin);
    if (end == std::string_view::npos) end = text.size();
    if (end > begin) wrapped += std::string(kWrapperIndent, ' ');
    wrapped.append(text.substr(begin, end - begin));
    wrapped += '\n';
    begin = end + 1;
  }
  const std::string what = strict ? "the pod template" : "the stored pod template";
  const std::vector<YamlChunk> chunks = splitYamlDocuments(wrapped);
  if (chunks.size() != 1) return Error{what + " is not one YAML document"};
  YamlParse parse = parseYamlDocument(chunks.front(), "revision.yaml", 0);
  if (!parse.root || hasErrors(parse.diagnostics)) return Error{what + " is not valid YAML"};
  Document doc;
  std::vector<Diagnostic> found;
  decodeDocument(*parse.root, "revision.yaml", doc, found);
  if (strict) {
    if (const Diagnostic* d = firstError(found)) {
      return Error{what + " is not valid" + replaceInvalidUtf8(describeInTemplate(*d))};
    }
  }
  if (!doc.deployment) return Error{what + " could not be read"};
  return doc.deployment->spec.podTemplate;
}

}  // namespace

Result<PodTemplateSpec> readPodTemplate(std::string_view canonical) { return readTemplate(canonical, false); }

Result<PodTemplateSpec> readPodTemplateStrictly(std::string_view yaml) { return readTemplate(yaml, true); }

}  // namespace podscope::core
