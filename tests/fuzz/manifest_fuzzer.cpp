// libFuzzer target for the manifest reader: any bytes at all must come back
// as a Manifest with readable findings, never as a crash, a hang, a leak or a
// runaway allocation. Besides what the sanitizers catch, it checks the few
// promises every caller relies on (see checkDiagnostic), because a finding
// that points past the end of the file or carries broken UTF-8 crashes or
// garbles the editor and the JSON report later, far from the cause.
// Build and run: scripts/fuzz.sh [SECONDS]

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "core/diagnostic.h"
#include "core/manifest.h"
#include "core/manifest_reader.h"

namespace {

using namespace podscope::core;

const std::string kFileName = "fuzz.yaml";

[[noreturn]] void violated(const char* what, const std::string& detail) {
  std::fprintf(stderr, "manifest_fuzzer: %s: %s\n", what, detail.c_str());
  std::abort();
}

// An upper bound on the lines an editor could show for `text`, whatever
// line-break convention the parser follows (LF, CRLF, lone CR, or YAML 1.1's
// NEL/LS/PS), so that a finding on the last line is never a false alarm.
int maxLine(std::string_view text) {
  int breaks = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    if (c == '\n' || c == '\r') ++breaks;
    else if (c == 0xC2 && i + 1 < text.size() && static_cast<unsigned char>(text[i + 1]) == 0x85) ++breaks;
    else if (c == 0xE2 && i + 2 < text.size() && static_cast<unsigned char>(text[i + 1]) == 0x80 &&
             (static_cast<unsigned char>(text[i + 2]) & 0xFE) == 0xA8) ++breaks;
  }
  return breaks + 1;
}

bool validUtf8(std::string_view s) {
  std::size_t i = 0;
  while (i < s.size()) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    std::size_t n = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 0;
    if (n == 0 || i + n > s.size()) return false;
    for (std::size_t k = 1; k < n; ++k) {
      if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return false;
    }
    i += n;
  }
  return true;
}

void checkRange(const SourceRange& range, int lines, const std::string& where) {
  if (!range.begin.known()) return;
  if (range.begin.line > lines || range.begin.column < 1) {
    violated("position outside the file",
             where + " at " + std::to_string(range.begin.line) + ":" + std::to_string(range.begin.column) +
                 " (the input has at most " + std::to_string(lines) + " lines)");
  }
  if (range.end.known() && (range.end.line < range.begin.line ||
                            (range.end.line == range.begin.line && range.end.column < range.begin.column))) {
    violated("range ends before it begins", where + " (ends at " + std::to_string(range.end.line) + ":" +
                                                std::to_string(range.end.column) + ")");
  }
}

void checkDiagnostic(const Diagnostic& d, int lines) {
  std::string text = formatDiagnostic(d);
  if (d.file != kFileName) violated("finding names another file", text);
  if (d.rule.empty()) violated("finding without a rule", text);
  if (d.message.empty()) violated("finding without a message", text);
  // Messages quote the user's text; cutting a quote short must not split a
  // multi-byte character, or the Problems list and the JSON report break.
  if (!validUtf8(text)) violated("finding is not valid UTF-8", text);
  checkRange(d.range, lines, text);
}

// Reads every field, so that a model left half-built (a dangling string, an
// uninitialised enum) is touched while the sanitizers watch.
class Toucher {
 public:
  void str(const std::string& s) { m_sum += s.size() + (s.empty() ? 0 : static_cast<unsigned char>(s.back())); }
  void num(std::int64_t v) { m_sum += static_cast<std::size_t>(v); }
  template <typename E>
  void en(E e) { str(std::string(toString(e))); }
  template <typename T>
  void opt(const std::optional<T>& o) { if (o) num(static_cast<std::int64_t>(*o)); }

  void strings(const std::vector<std::string>& v) { for (const auto& s : v) str(s); }
  void stringMap(const std::map<std::string, std::string>& m) {
    for (const auto& [k, v] : m) { str(k); str(v); }
  }
  void intOrString(const IntOrString& v) { str(v.toString()); }
  void quantity(const Quantity& q) { str(q.text); num(q.milliValue); }

  void exec(const std::optional<ExecAction>& a) { if (a) strings(a->command); }
  void httpGet(const std::optional<HttpGetAction>& a) {
    if (!a) return;
    str(a->host); str(a->path); intOrString(a->port); en(a->scheme);
    for (const auto& h : a->httpHeaders) { str(h.name); str(h.value); }
  }
  void tcp(const std::optional<TcpSocketAction>& a) { if (a) { str(a->host); intOrString(a->port); } }

  void probe(const std::optional<Probe>& p) {
    if (!p) return;
    exec(p->exec); httpGet(p->httpGet); tcp(p->tcpSocket);
    if (p->grpc) { num(p->grpc->port); str(p->grpc->service); }
    num(p->initialDelaySeconds); num(p->timeoutSeconds); num(p->periodSeconds);
    num(p->successThreshold); num(p->failureThreshold); opt(p->terminationGracePeriodSeconds);
  }
  void handler(const std::optional<LifecycleHandler>& h) {
    if (!h) return;
    exec(h->exec); httpGet(h->httpGet); tcp(h->tcpSocket);
    if (h->sleep) num(h->sleep->seconds);
  }

  void container(const Container& c) {
    str(c.name); str(c.image); en(c.imagePullPolicy);
    strings(c.command); strings(c.args); str(c.workingDir);
    for (const auto& e : c.env) { str(e.name); str(e.value); num(e.valueFrom); }
    for (const auto& p : c.ports) { str(p.name); num(p.containerPort); opt(p.hostPort); en(p.protocol); str(p.hostIP); }
    for (const auto& [k, q] : c.resources.limits) { str(k); quantity(q); }
    for (const auto& [k, q] : c.resources.requests) { str(k); quantity(q); }
    for (const auto& m : c.volumeMounts) { str(m.name); str(m.mountPath); num(m.readOnly); str(m.subPath); }
    probe(c.startupProbe); probe(c.livenessProbe); probe(c.readinessProbe);
    if (c.lifecycle) { handler(c.lifecycle->postStart); handler(c.lifecycle->preStop); }
    if (c.restartPolicy) en(*c.restartPolicy);
    num(c.isSidecar());
    str(c.terminationMessagePath); en(c.terminationMessagePolicy);
    if (const auto& s = c.securityContext) {
      opt(s->runAsUser); opt(s->runAsGroup); opt(s->runAsNonRoot);
      opt(s->privileged); opt(s->readOnlyRootFilesystem); opt(s->allowPrivilegeEscalation);
    }
  }

  void meta(const ObjectMeta& m) {
    str(m.name); str(m.generateName); str(m.namespaceName); stringMap(m.labels); stringMap(m.annotations);
  }

  void podSpec(const PodSpec& s) {
    for (const auto& c : s.initContainers) container(c);
    for (const auto& c : s.containers) container(c);
    for (const auto& v : s.volumes) {
      str(v.name); num(static_cast<int>(v.source)); str(v.emptyDirMedium);
      if (v.emptyDirSizeLimit) quantity(*v.emptyDirSizeLimit);
      str(v.hostPath); str(v.hostPathType); str(v.unsupportedKind);
    }
    en(s.restartPolicy); num(s.terminationGracePeriodSeconds); opt(s.activeDeadlineSeconds); str(s.hostname);
    if (const auto& p = s.securityContext) { opt(p->runAsUser); opt(p->runAsGroup); opt(p->runAsNonRoot); opt(p->fsGroup); }
  }

  void deployment(const Deployment& d) {
    meta(d.metadata);
    const DeploymentSpec& s = d.spec;
    num(s.replicas);
    stringMap(s.selector.matchLabels);
    for (const auto& r : s.selector.matchExpressions) { str(r.key); str(r.op); strings(r.values); }
    num(s.selector.matches(s.podTemplate.metadata.labels));
    meta(s.podTemplate.metadata);
    podSpec(s.podTemplate.spec);
    num(static_cast<int>(s.strategy.type)); intOrString(s.strategy.maxSurge); intOrString(s.strategy.maxUnavailable);
    num(s.minReadySeconds); num(s.revisionHistoryLimit); num(s.progressDeadlineSeconds); num(s.paused);
    str(d.changeCause());
  }

  void document(const Document& doc, int lines) {
    num(doc.index); str(doc.apiVersion); str(doc.kind); str(doc.name);
    checkRange(doc.range, lines, "document " + std::to_string(doc.index));
    if (doc.pod) { meta(doc.pod->metadata); podSpec(doc.pod->spec); }
    if (doc.deployment) deployment(*doc.deployment);
    num(doc.runnable());
    for (const auto& [path, pos] : doc.positions) {
      str(path);
      checkRange(pos.key, lines, "key of " + path);
      checkRange(pos.value, lines, "value of " + path);
      checkRange(doc.rangeOf(path), lines, "rangeOf " + path);
    }
    for (const auto& [path, value] : doc.defaults) { str(path); str(value); }
  }

  std::size_t sum() const { return m_sum; }

 private:
  std::size_t m_sum = 0;
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  const int lines = maxLine(text);

  Manifest manifest = readManifest(text, kFileName);

  Toucher touch;
  for (const Diagnostic& d : manifest.diagnostics) checkDiagnostic(d, lines);
  int previousIndex = -1;
  for (const Document& doc : manifest.documents) {
    if (doc.index <= previousIndex) violated("documents out of order", std::to_string(doc.index));
    previousIndex = doc.index;
    touch.document(doc, lines);
  }
  if (const Document* pod = manifest.firstPod(); pod && !pod->pod) violated("firstPod without a pod", pod->kind);
  if (auto error = manifest.firstError()) touch.str(error->toString());
  if (manifest.hasErrors() != !!manifest.firstError()) violated("hasErrors disagrees with firstError", "");

  // Keeps the reads above from being optimised away.
  std::size_t sum = touch.sum();
  asm volatile("" : : "r"(sum) : "memory");
  return 0;
}
