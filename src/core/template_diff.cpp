#include "core/template_diff.h"

#include <algorithm>
#include <cctype>
#include <functional>
#include <optional>
#include <type_traits>
#include <utility>

namespace podscope::core {

namespace {

constexpr std::string_view kArrow = " → ";
constexpr std::string_view kRestartedAt = "kubectl.kubernetes.io/restartedAt";
constexpr std::string_view kPodTemplateHash = "pod-template-hash";
/// Values longer than this are left out of a phrase (`args changed`); the
/// change itself keeps them whole.
constexpr std::size_t kMaxPhraseValue = 48;

std::string joinList(const std::vector<std::string>& items) {
  // Go's %v of a string slice, as kubectl prints commands.
  std::string s = "[";
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i > 0) s += ' ';
    s += items[i];
  }
  return s + "]";
}

std::string seconds(std::int64_t s) { return std::to_string(s) + "s"; }

std::string hostPort(const std::string& host, const std::string& port) {
  // Go's net.JoinHostPort: an IPv6 literal goes in brackets.
  if (host.find(':') != std::string::npos) return "[" + host + "]:" + port;
  return host + ":" + port;
}

std::string describeHttpGet(const HttpGetAction& get) {
  std::string scheme(toString(get.scheme));
  std::transform(scheme.begin(), scheme.end(), scheme.begin(), [](unsigned char c) { return std::tolower(c); });
  std::string path = get.path;
  if (!path.empty() && path.front() != '/') path.insert(path.begin(), '/');
  return "http-get " + scheme + "://" + hostPort(get.host, get.port.toString()) + path;
}

std::string describeTcp(const TcpSocketAction& tcp) { return "tcp-socket " + tcp.host + ":" + tcp.port.toString(); }

std::string describeExec(const ExecAction& exec) { return "exec " + joinList(exec.command); }

std::string describeHeaders(const std::optional<HttpGetAction>& get) {
  if (!get) return {};
  std::string s;
  for (const HttpHeader& h : get->httpHeaders) s += h.name + ": " + h.value + "\n";
  return s;
}

/// The probe as kubectl describe prints it, handler and settings.
std::string describeProbe(const Probe& probe) {
  return describeHandler(probe) + " delay=" + seconds(probe.initialDelaySeconds) +
         " timeout=" + seconds(probe.timeoutSeconds) + " period=" + seconds(probe.periodSeconds) +
         " #success=" + std::to_string(probe.successThreshold) + " #failure=" + std::to_string(probe.failureThreshold);
}

std::string describeVolume(const Volume& v) {
  switch (v.source) {
    case Volume::Source::EmptyDir:
      return v.emptyDirMedium.empty() ? "emptyDir" : "emptyDir (" + v.emptyDirMedium + ")";
    case Volume::Source::HostPath:
      return "hostPath " + v.hostPath + (v.hostPathType.empty() ? "" : " (" + v.hostPathType + ")");
    case Volume::Source::Unsupported: return v.unsupportedKind;
  }
  return {};
}

std::string describeEnv(const EnvVar& e) { return e.valueFrom ? "(valueFrom)" : e.value; }

std::string boolText(bool b) { return b ? "true" : "false"; }

/// Collects changes, writing each one's phrase as it goes.
class Collector {
 public:
  explicit Collector(std::vector<TemplateChange>& out) : m_out(out) {}

  void changed(const std::string& path, const std::string& prefix, const std::string& what, const std::string& before,
               const std::string& after) {
    std::string phrase = prefix + what;
    if (before.size() > kMaxPhraseValue || after.size() > kMaxPhraseValue) {
      phrase += " changed";
    } else {
      phrase += " " + before + std::string(kArrow) + after;
    }
    m_out.push_back({path, TemplateChangeKind::Changed, before, after, std::move(phrase)});
  }
  /// `what` changed without its values in the phrase (env values, annotations).
  void changedQuietly(const std::string& path, const std::string& prefix, const std::string& what,
                      const std::string& before, const std::string& after) {
    m_out.push_back({path, TemplateChangeKind::Changed, before, after, prefix + what + " changed"});
  }
  void added(const std::string& path, const std::string& prefix, const std::string& what, const std::string& after,
             const std::string& shown = {}) {
    std::string phrase = prefix + what;
    if (!shown.empty() && shown.size() <= kMaxPhraseValue) phrase += " " + shown;
    m_out.push_back({path, TemplateChangeKind::Added, {}, after, phrase + " added"});
  }
  void removed(const std::string& path, const std::string& prefix, const std::string& what,
               const std::string& before, const std::string& shown = {}) {
    std::string phrase = prefix + what;
    if (!shown.empty() && shown.size() <= kMaxPhraseValue) phrase += " " + shown;
    m_out.push_back({path, TemplateChangeKind::Removed, before, {}, phrase + " removed"});
  }
  void raw(TemplateChange change) { m_out.push_back(std::move(change)); }

  /// A scalar that may be unset on either side.
  void optionalValue(const std::string& path, const std::string& prefix, const std::string& what,
                     const std::optional<std::string>& before, const std::optional<std::string>& after) {
    if (before == after) return;
    if (!before) {
      added(path, prefix, what, *after, *after);
    } else if (!after) {
      removed(path, prefix, what, *before, *before);
    } else {
      changed(path, prefix, what, *before, *after);
    }
  }
  void value(const std::string& path, const std::string& prefix, const std::string& what, const std::string& before,
             const std::string& after) {
    if (before != after) changed(path, prefix, what, before, after);
  }

 private:
  std::vector<TemplateChange>& m_out;
};

template <typename T>
std::optional<std::string> text(const std::optional<T>& v) {
  if (!v) return std::nullopt;
  if constexpr (std::is_same_v<T, bool>) {
    return boolText(*v);
  } else {
    return std::to_string(*v);
  }
}

/// Items of two keyed lists: the ones in `after` in its order (paired with
/// their old value when there is one), then those only in `before`.
template <typename T, typename Key>
void matchByKey(const std::vector<T>& before, const std::vector<T>& after, Key key,
                const std::function<void(const T*, const T*)>& visit) {
  for (const T& a : after) {
    auto it = std::find_if(before.begin(), before.end(), [&](const T& b) { return key(b) == key(a); });
    visit(it == before.end() ? nullptr : &*it, &a);
  }
  for (const T& b : before) {
    auto it = std::find_if(after.begin(), after.end(), [&](const T& a) { return key(a) == key(b); });
    if (it == after.end()) visit(&b, nullptr);
  }
}

void diffSecurityContext(Collector& c, const std::string& path, const std::string& prefix,
                         const std::optional<SecurityContext>& before, const std::optional<SecurityContext>& after) {
  const SecurityContext b = before.value_or(SecurityContext{});
  const SecurityContext a = after.value_or(SecurityContext{});
  const std::string what = "securityContext ";
  c.optionalValue(path + ".runAsUser", prefix, what + "runAsUser", text(b.runAsUser), text(a.runAsUser));
  c.optionalValue(path + ".runAsGroup", prefix, what + "runAsGroup", text(b.runAsGroup), text(a.runAsGroup));
  c.optionalValue(path + ".runAsNonRoot", prefix, what + "runAsNonRoot", text(b.runAsNonRoot), text(a.runAsNonRoot));
  c.optionalValue(path + ".privileged", prefix, what + "privileged", text(b.privileged), text(a.privileged));
  c.optionalValue(path + ".readOnlyRootFilesystem", prefix, what + "readOnlyRootFilesystem",
                  text(b.readOnlyRootFilesystem), text(a.readOnlyRootFilesystem));
  c.optionalValue(path + ".allowPrivilegeEscalation", prefix, what + "allowPrivilegeEscalation",
                  text(b.allowPrivilegeEscalation), text(a.allowPrivilegeEscalation));
}

void diffProbe(Collector& c, const std::string& path, const std::string& prefix, const std::string& name,
               const std::optional<Probe>& before, const std::optional<Probe>& after) {
  if (!before && !after) return;
  if (!before) {
    c.added(path, prefix, name, describeProbe(*after));
    return;
  }
  if (!after) {
    c.removed(path, prefix, name, describeProbe(*before));
    return;
  }
  const std::string handlerBefore = describeHandler(*before);
  const std::string handlerAfter = describeHandler(*after);
  if (handlerBefore != handlerAfter) {
    c.changed(path, prefix, name, handlerBefore, handlerAfter);
  } else if (describeHeaders(before->httpGet) != describeHeaders(after->httpGet)) {
    c.changedQuietly(path + ".httpGet.httpHeaders", prefix, name + " httpHeaders", describeHeaders(before->httpGet),
                     describeHeaders(after->httpGet));
  }
  const std::pair<const char*, std::int32_t Probe::*> settings[] = {
      {"initialDelaySeconds", &Probe::initialDelaySeconds}, {"timeoutSeconds", &Probe::timeoutSeconds},
      {"periodSeconds", &Probe::periodSeconds},             {"successThreshold", &Probe::successThreshold},
      {"failureThreshold", &Probe::failureThreshold},
  };
  for (const auto& [field, member] : settings) {
    c.value(path + "." + field, prefix, name + " " + field, std::to_string((*before).*member),
            std::to_string((*after).*member));
  }
  c.optionalValue(path + ".terminationGracePeriodSeconds", prefix, name + " terminationGracePeriodSeconds",
                  text(before->terminationGracePeriodSeconds), text(after->terminationGracePeriodSeconds));
}

void diffHook(Collector& c, const std::string& path, const std::string& prefix, const std::string& name,
              const std::optional<LifecycleHandler>& before, const std::optional<LifecycleHandler>& after) {
  if (!before && !after) return;
  const std::string what = name + " hook";
  if (!before) {
    c.added(path, prefix, what, describeHandler(*after));
  } else if (!after) {
    c.removed(path, prefix, what, describeHandler(*before));
  } else if (describeHandler(*before) != describeHandler(*after)) {
    c.changed(path, prefix, what, describeHandler(*before), describeHandler(*after));
  } else if (describeHeaders(before->httpGet) != describeHeaders(after->httpGet)) {
    c.changedQuietly(path + ".httpGet.httpHeaders", prefix, what + " httpHeaders", describeHeaders(before->httpGet),
                     describeHeaders(after->httpGet));
  }
}

void diffQuantities(Collector& c, const std::string& path, const std::string& prefix, const std::string& what,
                    const std::map<std::string, Quantity>& before, const std::map<std::string, Quantity>& after) {
  for (const auto& [name, q] : after) {
    auto it = before.find(name);
    const std::string p = path + "{" + name + "}";
    if (it == before.end()) {
      c.added(p, prefix, what + "." + name, q.text, q.text);
    } else if (it->second.milliValue != q.milliValue) {
      c.changed(p, prefix, what + "." + name, it->second.text, q.text);
    }
  }
  for (const auto& [name, q] : before) {
    if (!after.count(name)) c.removed(path + "{" + name + "}", prefix, what + "." + name, q.text, q.text);
  }
}

std::string containerWord(const Container& c, bool init) {
  if (!init) return "container";
  return c.isSidecar() ? "sidecar" : "init container";
}

void diffContainer(Collector& c, const std::string& path, const std::string& prefix, const Container& b,
                   const Container& a, bool init) {
  c.value(path + ".image", prefix, "image", b.image, a.image);
  c.value(path + ".imagePullPolicy", prefix, "imagePullPolicy", std::string(toString(b.imagePullPolicy)),
          std::string(toString(a.imagePullPolicy)));
  if (b.command != a.command) {
    c.optionalValue(path + ".command", prefix, "command",
                    b.command.empty() ? std::nullopt : std::optional(joinList(b.command)),
                    a.command.empty() ? std::nullopt : std::optional(joinList(a.command)));
  }
  if (b.args != a.args) {
    c.optionalValue(path + ".args", prefix, "args", b.args.empty() ? std::nullopt : std::optional(joinList(b.args)),
                    a.args.empty() ? std::nullopt : std::optional(joinList(a.args)));
  }
  c.optionalValue(path + ".workingDir", prefix, "workingDir",
                  b.workingDir.empty() ? std::nullopt : std::optional(b.workingDir),
                  a.workingDir.empty() ? std::nullopt : std::optional(a.workingDir));

  diffProbe(c, path + ".startupProbe", prefix, "startupProbe", b.startupProbe, a.startupProbe);
  diffProbe(c, path + ".livenessProbe", prefix, "livenessProbe", b.livenessProbe, a.livenessProbe);
  diffProbe(c, path + ".readinessProbe", prefix, "readinessProbe", b.readinessProbe, a.readinessProbe);

  matchByKey<EnvVar>(b.env, a.env, [](const EnvVar& e) { return e.name; }, [&](const EnvVar* eb, const EnvVar* ea) {
    const std::string p = path + ".env{" + (ea ? ea->name : eb->name) + "}";
    if (!eb) {
      c.added(p, prefix, "env " + ea->name, describeEnv(*ea));
    } else if (!ea) {
      c.removed(p, prefix, "env " + eb->name, describeEnv(*eb));
    } else if (eb->value != ea->value || eb->valueFrom != ea->valueFrom) {
      c.changedQuietly(p, prefix, "env " + ea->name, describeEnv(*eb), describeEnv(*ea));
    }
  });

  auto portKey = [](const ContainerPort& p) {
    return std::to_string(p.containerPort) + "/" + std::string(toString(p.protocol));
  };
  matchByKey<ContainerPort>(b.ports, a.ports, portKey, [&](const ContainerPort* pb, const ContainerPort* pa) {
    const std::string key = portKey(pa ? *pa : *pb);
    const std::string p = path + ".ports{" + key + "}";
    if (!pb) {
      c.added(p, prefix, "port " + key, key);
    } else if (!pa) {
      c.removed(p, prefix, "port " + key, key);
    } else {
      const std::string what = "port " + key + " ";
      c.optionalValue(p + ".name", prefix, what + "name", pb->name.empty() ? std::nullopt : std::optional(pb->name),
                      pa->name.empty() ? std::nullopt : std::optional(pa->name));
      c.optionalValue(p + ".hostPort", prefix, what + "hostPort", text(pb->hostPort), text(pa->hostPort));
      c.optionalValue(p + ".hostIP", prefix, what + "hostIP",
                      pb->hostIP.empty() ? std::nullopt : std::optional(pb->hostIP),
                      pa->hostIP.empty() ? std::nullopt : std::optional(pa->hostIP));
    }
  });

  diffQuantities(c, path + ".resources.limits", prefix, "limits", b.resources.limits, a.resources.limits);
  diffQuantities(c, path + ".resources.requests", prefix, "requests", b.resources.requests, a.resources.requests);

  matchByKey<VolumeMount>(
      b.volumeMounts, a.volumeMounts, [](const VolumeMount& m) { return m.mountPath; },
      [&](const VolumeMount* mb, const VolumeMount* ma) {
        const std::string mountPath = ma ? ma->mountPath : mb->mountPath;
        const std::string p = path + ".volumeMounts{" + mountPath + "}";
        const std::string what = "volumeMount " + mountPath;
        if (!mb) {
          c.added(p, prefix, what, ma->name);
        } else if (!ma) {
          c.removed(p, prefix, what, mb->name);
        } else {
          c.value(p + ".name", prefix, what + " volume", mb->name, ma->name);
          c.value(p + ".readOnly", prefix, what + " readOnly", boolText(mb->readOnly), boolText(ma->readOnly));
          c.optionalValue(p + ".subPath", prefix, what + " subPath",
                          mb->subPath.empty() ? std::nullopt : std::optional(mb->subPath),
                          ma->subPath.empty() ? std::nullopt : std::optional(ma->subPath));
        }
      });

  const Lifecycle lb = b.lifecycle.value_or(Lifecycle{});
  const Lifecycle la = a.lifecycle.value_or(Lifecycle{});
  diffHook(c, path + ".lifecycle.postStart", prefix, "postStart", lb.postStart, la.postStart);
  diffHook(c, path + ".lifecycle.preStop", prefix, "preStop", lb.preStop, la.preStop);

  diffSecurityContext(c, path + ".securityContext", prefix, b.securityContext, a.securityContext);

  if (init && b.isSidecar() != a.isSidecar()) {
    // The name goes in even for a lone container: the phrase is about it.
    const std::string from = containerWord(b, true);
    const std::string to = containerWord(a, true);
    c.raw({path + ".restartPolicy", TemplateChangeKind::Changed,
           b.restartPolicy ? std::string(toString(*b.restartPolicy)) : std::string(),
           a.restartPolicy ? std::string(toString(*a.restartPolicy)) : std::string(),
           a.name + ": " + from + std::string(kArrow) + to});
  }
  c.value(path + ".terminationMessagePath", prefix, "terminationMessagePath", b.terminationMessagePath,
          a.terminationMessagePath);
  c.value(path + ".terminationMessagePolicy", prefix, "terminationMessagePolicy",
          std::string(toString(b.terminationMessagePolicy)), std::string(toString(a.terminationMessagePolicy)));
}

void diffContainers(Collector& c, const std::string& list, const std::vector<Container>& before,
                    const std::vector<Container>& after, bool init, bool nameEach) {
  matchByKey<Container>(before, after, [](const Container& k) { return k.name; },
                        [&](const Container* b, const Container* a) {
                          const std::string name = a ? a->name : b->name;
                          const std::string path = "spec." + list + "{" + name + "}";
                          if (!b) {
                            c.raw({path, TemplateChangeKind::Added, {}, a->image,
                                   containerWord(*a, init) + " " + name + " added"});
                          } else if (!a) {
                            c.raw({path, TemplateChangeKind::Removed, b->image, {},
                                   containerWord(*b, init) + " " + name + " removed"});
                          } else {
                            diffContainer(c, path, nameEach ? name + ": " : std::string(), *b, *a, init);
                          }
                        });
}

void diffStringMap(Collector& c, const std::string& path, const std::string& word,
                   const std::map<std::string, std::string>& before, const std::map<std::string, std::string>& after,
                   bool showValues, const std::function<bool(const std::string&)>& skip) {
  for (const auto& [key, value] : after) {
    if (skip(key)) continue;
    const std::string p = path + "{" + key + "}";
    auto it = before.find(key);
    if (it == before.end()) {
      c.added(p, "", word + " " + key + (showValues && value.size() <= kMaxPhraseValue ? "=" + value : ""), value);
    } else if (it->second != value) {
      if (showValues) {
        c.changed(p, "", word + " " + key, it->second, value);
      } else {
        c.changedQuietly(p, "", word + " " + key, it->second, value);
      }
    }
  }
  for (const auto& [key, value] : before) {
    if (skip(key) || after.count(key)) continue;
    c.removed(path + "{" + key + "}", "", word + " " + key, value);
  }
}

std::size_t containerCount(const PodSpec& spec) { return spec.containers.size() + spec.initContainers.size(); }

}  // namespace

std::string_view toString(TemplateChangeKind kind) {
  switch (kind) {
    case TemplateChangeKind::Added: return "added";
    case TemplateChangeKind::Removed: return "removed";
    case TemplateChangeKind::Changed: return "changed";
  }
  return "changed";
}

std::string describeHandler(const Probe& probe) {
  if (probe.exec) return describeExec(*probe.exec);
  if (probe.httpGet) return describeHttpGet(*probe.httpGet);
  if (probe.tcpSocket) return describeTcp(*probe.tcpSocket);
  if (probe.grpc) {
    std::string s = "grpc <pod>:" + std::to_string(probe.grpc->port);
    if (!probe.grpc->service.empty()) s += " " + probe.grpc->service;
    return s;
  }
  return "unknown";
}

std::string describeHandler(const LifecycleHandler& handler) {
  if (handler.exec) return describeExec(*handler.exec);
  if (handler.httpGet) return describeHttpGet(*handler.httpGet);
  if (handler.tcpSocket) return describeTcp(*handler.tcpSocket);
  if (handler.sleep) return "sleep " + seconds(handler.sleep->seconds);
  return "unknown";
}

std::string TemplateDiff::summary() const {
  if (changes.empty()) return "no changes";
  std::string s;
  for (const TemplateChange& change : changes) {
    if (!s.empty()) s += "; ";
    s += change.phrase;
  }
  return s;
}

TemplateDiff diffTemplates(const PodTemplateSpec& before, const PodTemplateSpec& after) {
  TemplateDiff out;
  Collector c(out.changes);

  // A restart is why such a revision exists: it comes first.
  const auto& annotationsBefore = before.metadata.annotations;
  const auto& annotationsAfter = after.metadata.annotations;
  const auto restartedBefore = annotationsBefore.find(std::string(kRestartedAt));
  const auto restartedAfter = annotationsAfter.find(std::string(kRestartedAt));
  const std::string restartPath = "metadata.annotations{" + std::string(kRestartedAt) + "}";
  if (restartedAfter != annotationsAfter.end() &&
      (restartedBefore == annotationsBefore.end() || restartedBefore->second != restartedAfter->second)) {
    c.raw({restartPath,
           restartedBefore == annotationsBefore.end() ? TemplateChangeKind::Added : TemplateChangeKind::Changed,
           restartedBefore == annotationsBefore.end() ? std::string() : restartedBefore->second,
           restartedAfter->second, "restarted at " + restartedAfter->second});
  } else if (restartedAfter == annotationsAfter.end() && restartedBefore != annotationsBefore.end()) {
    c.removed(restartPath, "", "annotation " + std::string(kRestartedAt), restartedBefore->second);
  }

  const bool nameEach = containerCount(before.spec) > 1 || containerCount(after.spec) > 1;
  diffContainers(c, "initContainers", before.spec.initContainers, after.spec.initContainers, true, nameEach);
  diffContainers(c, "containers", before.spec.containers, after.spec.containers, false, nameEach);

  matchByKey<Volume>(before.spec.volumes, after.spec.volumes, [](const Volume& v) { return v.name; },
                     [&](const Volume* vb, const Volume* va) {
                       const std::string name = va ? va->name : vb->name;
                       const std::string p = "spec.volumes{" + name + "}";
                       if (!vb) {
                         c.added(p, "", "volume " + name, describeVolume(*va));
                       } else if (!va) {
                         c.removed(p, "", "volume " + name, describeVolume(*vb));
                       } else {
                         c.value(p, "", "volume " + name, describeVolume(*vb), describeVolume(*va));
                         c.optionalValue(p + ".emptyDir.sizeLimit", "", "volume " + name + " sizeLimit",
                                         vb->emptyDirSizeLimit ? std::optional(vb->emptyDirSizeLimit->text) : std::nullopt,
                                         va->emptyDirSizeLimit ? std::optional(va->emptyDirSizeLimit->text) : std::nullopt);
                       }
                     });

  const PodSpec& b = before.spec;
  const PodSpec& a = after.spec;
  c.value("spec.restartPolicy", "", "restartPolicy", std::string(toString(b.restartPolicy)),
          std::string(toString(a.restartPolicy)));
  c.value("spec.terminationGracePeriodSeconds", "", "terminationGracePeriodSeconds",
          std::to_string(b.terminationGracePeriodSeconds), std::to_string(a.terminationGracePeriodSeconds));
  c.optionalValue("spec.activeDeadlineSeconds", "", "activeDeadlineSeconds", text(b.activeDeadlineSeconds),
                  text(a.activeDeadlineSeconds));
  c.optionalValue("spec.hostname", "", "hostname", b.hostname.empty() ? std::nullopt : std::optional(b.hostname),
                  a.hostname.empty() ? std::nullopt : std::optional(a.hostname));
  {
    const PodSecurityContext sb = b.securityContext.value_or(PodSecurityContext{});
    const PodSecurityContext sa = a.securityContext.value_or(PodSecurityContext{});
    const std::string what = "pod securityContext ";
    c.optionalValue("spec.securityContext.runAsUser", "", what + "runAsUser", text(sb.runAsUser), text(sa.runAsUser));
    c.optionalValue("spec.securityContext.runAsGroup", "", what + "runAsGroup", text(sb.runAsGroup),
                    text(sa.runAsGroup));
    c.optionalValue("spec.securityContext.runAsNonRoot", "", what + "runAsNonRoot", text(sb.runAsNonRoot),
                    text(sa.runAsNonRoot));
    c.optionalValue("spec.securityContext.fsGroup", "", what + "fsGroup", text(sb.fsGroup), text(sa.fsGroup));
  }

  diffStringMap(c, "metadata.labels", "label", before.metadata.labels, after.metadata.labels, true,
                [](const std::string& key) { return key == kPodTemplateHash; });
  diffStringMap(c, "metadata.annotations", "annotation", annotationsBefore, annotationsAfter, false,
                [](const std::string& key) { return key == kRestartedAt; });
  return out;
}

}  // namespace podscope::core
