#include "core/validation.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <limits>
#include <map>
#include <optional>
#include <set>
#include <string_view>

#include "core/k8s_names.h"
#include "core/name_suggestions.h"
#include "core/scenario.h"

namespace podscope::core {
namespace {

// ---------------------------------------------------------------------------
// Paths and values as the API server prints them.

/// A field as the API server names it in a message (`api`) and as
/// Document::positions names it (`doc`). They differ only where upstream
/// validation uses a path that is not the field's own, e.g. a pod
/// template's labels are reported as `spec.template.labels`.
struct FieldPath {
  std::string api;
  std::string doc;

  FieldPath child(std::string_view name) const { return {join(api, name), join(doc, name)}; }
  FieldPath index(size_t i) const {
    std::string suffix = "[" + std::to_string(i) + "]";
    return {api + suffix, doc + suffix};
  }
  static std::string join(const std::string& base, std::string_view name) {
    return base.empty() ? std::string(name) : base + "." + std::string(name);
  }
};

FieldPath root(std::string_view path) { return {std::string(path), std::string(path)}; }

std::string quoted(std::string_view s) { return quoteGo(s); }
std::string number(std::int64_t v) { return std::to_string(v); }
std::string intOrString(const IntOrString& v) { return v.isInt ? number(v.intValue) : quoted(v.strValue); }

std::string seconds(std::int64_t s) { return std::to_string(s) + "s"; }

// ---------------------------------------------------------------------------
// Resource quantities.

bool isBinaryQuantity(std::string_view text) {
  return text.size() >= 2 && text.back() == 'i';
}

/// The canonical form Quantity.String() prints ("1000m" -> "1", "1024Mi" ->
/// "1Gi"), which is what the API server quotes in its messages.
std::string canonicalQuantity(const Quantity& q) {
  std::int64_t milli = q.milliValue;
  bool negative = milli < 0;
  std::uint64_t magnitude = negative ? 0 - static_cast<std::uint64_t>(milli) : static_cast<std::uint64_t>(milli);
  std::string sign = negative ? "-" : "";
  if (magnitude % 1000 != 0) return sign + std::to_string(magnitude) + "m";
  std::uint64_t value = magnitude / 1000;
  if (value == 0) return "0";
  if (isBinaryQuantity(q.text) && value >= 1024) {
    static constexpr std::string_view kSuffixes[] = {"Ki", "Mi", "Gi", "Ti", "Pi", "Ei"};
    int exponent = 0;
    while (exponent < 6 && value % 1024 == 0) {
      value /= 1024;
      ++exponent;
    }
    return sign + std::to_string(value) + (exponent > 0 ? std::string(kSuffixes[exponent - 1]) : "");
  }
  static constexpr std::string_view kSuffixes[] = {"k", "M", "G", "T", "P", "E"};
  int exponent = 0;
  while (exponent < 6 && value % 1000 == 0) {
    value /= 1000;
    ++exponent;
  }
  return sign + std::to_string(value) + (exponent > 0 ? std::string(kSuffixes[exponent - 1]) : "");
}

bool isStandardContainerResource(std::string_view name) {
  return name == "cpu" || name == "memory" || name == "ephemeral-storage" || name.substr(0, 10) == "hugepages-";
}

/// Quota and object-count names: standard, but not for containers.
bool isStandardResource(std::string_view name) {
  static const std::set<std::string_view> kNames = {
      "cpu", "memory", "ephemeral-storage", "requests.cpu", "requests.memory", "requests.ephemeral-storage",
      "limits.cpu", "limits.memory", "limits.ephemeral-storage", "pods", "services", "replicationcontrollers",
      "resourcequotas", "secrets", "configmaps", "persistentvolumeclaims", "storage", "requests.storage",
      "services.nodeports", "services.loadbalancers"};
  return kNames.count(name) > 0 || name.substr(0, 10) == "hugepages-" || name.substr(0, 19) == "requests.hugepages-" ||
         name.substr(0, 17) == "limits.hugepages-";
}

bool isNativeResource(std::string_view name) {
  return name.find('/') == std::string_view::npos || name.find("kubernetes.io/") != std::string_view::npos;
}

bool isExtendedResource(std::string_view name) {
  return !isNativeResource(name) && name.substr(0, 9) != "requests.";
}

/// Requests of these may differ from their limits.
bool isOvercommitAllowed(std::string_view name) {
  return isNativeResource(name) && name.substr(0, 10) != "hugepages-";
}

// ---------------------------------------------------------------------------
// Commands that visibly sleep, for the hook lints.

std::string_view baseName(std::string_view path) {
  size_t slash = path.rfind('/');
  return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

/// One argument of `sleep`: 30, 2.5, 5m, 1h, infinity (busybox and GNU).
std::optional<double> parseSleepArgument(std::string_view token) {
  if (token == "infinity" || token == "inf") return std::numeric_limits<double>::infinity();
  if (token.empty()) return std::nullopt;
  double multiplier = 1;
  switch (token.back()) {
    case 's': multiplier = 1; token.remove_suffix(1); break;
    case 'm': multiplier = 60; token.remove_suffix(1); break;
    case 'h': multiplier = 3600; token.remove_suffix(1); break;
    case 'd': multiplier = 86400; token.remove_suffix(1); break;
    default: break;
  }
  if (token.empty()) return std::nullopt;
  double whole = 0;
  double fraction = 0;
  double scale = 1;
  bool inFraction = false;
  for (char c : token) {
    if (c == '.' && !inFraction) {
      inFraction = true;
    } else if (c >= '0' && c <= '9') {
      if (inFraction) {
        scale /= 10;
        fraction += (c - '0') * scale;
      } else {
        whole = whole * 10 + (c - '0');
      }
    } else {
      return std::nullopt;
    }
  }
  return (whole + fraction) * multiplier;
}

std::string stripQuotes(std::string token) {
  while (token.size() >= 2 && (token.front() == '\'' || token.front() == '"') && token.back() == token.front()) {
    token = token.substr(1, token.size() - 2);
  }
  return token;
}

/// Seconds spent in `sleep` calls of a shell script, summed; the script's
/// loops and conditions are not followed, so this is what it sleeps at least
/// once it reaches them.
std::optional<double> scriptSleepSeconds(std::string_view script) {
  std::vector<std::string> tokens;
  std::string current;
  for (char c : script) {
    if (c == ' ' || c == '\t' || c == '\n' || c == ';' || c == '&' || c == '|' || c == '(' || c == ')' ||
        c == '{' || c == '}') {
      if (!current.empty()) tokens.push_back(stripQuotes(current));
      current.clear();
    } else {
      current += c;
    }
  }
  if (!current.empty()) tokens.push_back(stripQuotes(current));
  double total = 0;
  bool found = false;
  for (size_t i = 0; i < tokens.size(); ++i) {
    if (baseName(tokens[i]) != "sleep") continue;
    for (size_t k = i + 1; k < tokens.size(); ++k) {
      std::optional<double> s = parseSleepArgument(tokens[k]);
      if (!s) break;
      total += *s;
      found = true;
    }
  }
  if (!found) return std::nullopt;
  return total;
}

bool isShell(std::string_view program) {
  std::string_view name = baseName(program);
  return name == "sh" || name == "bash" || name == "ash" || name == "dash" || name == "zsh" || name == "ksh";
}

/// How long an exec handler sleeps, when the command says so plainly:
/// ["sleep", "30"], ["/bin/sh", "-c", "sleep 10000000"].
std::optional<double> commandSleepSeconds(const std::vector<std::string>& argv) {
  if (argv.empty()) return std::nullopt;
  if (baseName(argv[0]) == "sleep") {
    double total = 0;
    bool found = false;
    for (size_t i = 1; i < argv.size(); ++i) {
      std::optional<double> s = parseSleepArgument(argv[i]);
      if (!s) return found ? std::optional<double>(total) : std::nullopt;
      total += *s;
      found = true;
    }
    return found ? std::optional<double>(total) : std::nullopt;
  }
  if (!isShell(argv[0])) return std::nullopt;
  for (size_t i = 1; i + 1 < argv.size(); ++i) {
    const std::string& flag = argv[i];
    if (flag.size() >= 2 && flag[0] == '-' && flag[1] != '-' && flag.find('c') != std::string::npos) {
      return scriptSleepSeconds(argv[i + 1]);
    }
  }
  return std::nullopt;
}

std::optional<double> handlerSleepSeconds(const LifecycleHandler& h) {
  if (h.sleep) return static_cast<double>(h.sleep->seconds);
  if (h.exec) return commandSleepSeconds(h.exec->command);
  return std::nullopt;
}

std::string formatSeconds(double s) {
  // Past ~30,000 years the exact figure says nothing more, and converting it
  // to an integer would overflow.
  if (std::isinf(s) || s >= 1e12) return "forever";
  std::string out;
  if (s == std::floor(s)) {
    out = std::to_string(static_cast<std::int64_t>(s)) + "s";
  } else {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.1fs", s);
    out = buf;
  }
  if (s >= 2 * 86400) {
    out += " (about " + std::to_string(static_cast<std::int64_t>(std::llround(s / 86400))) + " days)";
  } else if (s >= 2 * 3600) {
    out += " (about " + std::to_string(static_cast<std::int64_t>(std::llround(s / 3600))) + " hours)";
  } else if (s >= 120) {
    out += " (about " + std::to_string(static_cast<std::int64_t>(std::llround(s / 60))) + " minutes)";
  }
  return out;
}

/// Since 1.27 the API server stores a negative grace period as 1 before it
/// validates anything else against it.
std::int64_t effectiveGracePeriod(const PodSpec& s) {
  return s.terminationGracePeriodSeconds < 0 ? 1 : s.terminationGracePeriodSeconds;
}

// ---------------------------------------------------------------------------
// Findings.

class Reporter {
 public:
  Reporter(const Document& doc, const std::string& file) : m_doc(doc), m_file(file) {}

  std::vector<Diagnostic> take() { return std::move(m_out); }
  const Document& doc() const { return m_doc; }
  size_t count() const { return m_out.size(); }

  bool written(const std::string& docPath) const { return m_doc.positions.count(docPath) > 0; }

  /// The path of a map entry, as Document::positions spells it.
  static std::string keyPath(const std::string& base, const std::string& key) { return base + "[" + key + "]"; }

  SourceRange rangeFor(const std::string& docPath, bool preferValue) const {
    auto it = m_doc.positions.find(docPath);
    if (it != m_doc.positions.end()) {
      const FieldPosition& p = it->second;
      if (preferValue && p.value.known()) return p.value;
      return p.key.known() ? p.key : p.value;
    }
    return m_doc.rangeOf(docPath);
  }

  void add(Severity severity, std::string_view rule, const std::string& docPath, SourceRange range,
           std::string message) {
    Diagnostic d;
    d.severity = severity;
    d.file = m_file;
    d.document = m_doc.index;
    d.path = docPath;
    d.range = range;
    d.rule = std::string(rule);
    d.message = std::move(message);
    m_out.push_back(std::move(d));
  }

  // field.Error, one helper per ErrorType.
  void required(const FieldPath& f, std::string_view rule, std::string_view detail = {}) {
    std::string body = "Required value";
    if (!detail.empty()) body += ": " + std::string(detail);
    add(Severity::Error, rule, f.doc, rangeFor(f.doc, false), f.api + ": " + body);
  }
  /// A missing field. One that is written but read as empty had the wrong
  /// type, which the decoder has already reported.
  void requiredIfMissing(const FieldPath& f, std::string_view rule, std::string_view detail = {}) {
    if (!written(f.doc)) required(f, rule, detail);
  }
  void invalid(const FieldPath& f, const std::string& value, std::string_view detail, std::string_view rule,
               bool valueRange = true) {
    add(Severity::Error, rule, f.doc, rangeFor(f.doc, valueRange),
        f.api + ": Invalid value: " + value + ": " + std::string(detail));
  }
  void duplicate(const FieldPath& f, const std::string& value, std::string_view rule) {
    add(Severity::Error, rule, f.doc, rangeFor(f.doc, true), f.api + ": Duplicate value: " + value);
  }
  void notSupported(const FieldPath& f, const std::string& value, const std::vector<std::string>& supported,
                    std::string_view rule) {
    std::string list;
    for (const std::string& s : supported) list += (list.empty() ? "" : ", ") + quoted(s);
    add(Severity::Error, rule, f.doc, rangeFor(f.doc, true),
        f.api + ": Unsupported value: " + value + ": supported values: " + list);
  }
  void forbidden(const FieldPath& f, std::string_view detail, std::string_view rule) {
    add(Severity::Error, rule, f.doc, rangeFor(f.doc, false), f.api + ": Forbidden: " + std::string(detail));
  }
  void notFound(const FieldPath& f, const std::string& value, std::string_view rule) {
    add(Severity::Error, rule, f.doc, rangeFor(f.doc, true), f.api + ": Not found: " + value);
  }
  void tooLong(const FieldPath& f, std::string_view detail, std::string_view rule) {
    add(Severity::Error, rule, f.doc, rangeFor(f.doc, false), f.api + ": Too long: " + std::string(detail));
  }

 private:
  const Document& m_doc;
  const std::string& m_file;
  std::vector<Diagnostic> m_out;
};

// Rule ids: stable, listed once so tests and docs can refer to them.
constexpr std::string_view kRequired = "required";
constexpr std::string_view kInvalidName = "invalid-name";
constexpr std::string_view kDuplicateName = "duplicate-name";
constexpr std::string_view kInvalidLabel = "invalid-label";
constexpr std::string_view kInvalidAnnotation = "invalid-annotation";
constexpr std::string_view kAnnotationsTooLong = "annotations-too-long";
constexpr std::string_view kInvalidSelector = "invalid-selector";
constexpr std::string_view kSelectorMismatch = "selector-mismatch";
constexpr std::string_view kInvalidPort = "invalid-port";
constexpr std::string_view kDuplicateHostPort = "duplicate-host-port";
constexpr std::string_view kInvalidEnvName = "invalid-env-name";
constexpr std::string_view kVolumeNotFound = "volume-not-found";
constexpr std::string_view kDuplicateMountPath = "duplicate-mount-path";
constexpr std::string_view kInvalidPath = "invalid-path";
constexpr std::string_view kHostPathType = "host-path-type";
constexpr std::string_view kInvalidResourceName = "invalid-resource-name";
constexpr std::string_view kInvalidQuantity = "invalid-quantity";
constexpr std::string_view kRequestExceedsLimit = "request-exceeds-limit";
constexpr std::string_view kHandlerCount = "handler-count";
constexpr std::string_view kNegativeValue = "negative-value";
constexpr std::string_view kSuccessThreshold = "success-threshold";
constexpr std::string_view kProbeGracePeriod = "probe-grace-period";
constexpr std::string_view kSleepSeconds = "sleep-seconds";
constexpr std::string_view kInitContainerField = "init-container-field";
constexpr std::string_view kContainerRestartPolicy = "container-restart-policy";
constexpr std::string_view kActiveDeadline = "active-deadline";
constexpr std::string_view kTemplateRestartPolicy = "template-restart-policy";
constexpr std::string_view kRollingUpdate = "rolling-update";
constexpr std::string_view kRecreateRollingUpdate = "recreate-rolling-update";
constexpr std::string_view kProgressDeadline = "progress-deadline";
constexpr std::string_view kInvalidHttpHeader = "invalid-http-header";
constexpr std::string_view kImageWhitespace = "image-whitespace";

constexpr std::string_view kStartupBudget = "startup-budget";
constexpr std::string_view kPreStopExceedsGrace = "prestop-exceeds-grace";
constexpr std::string_view kPostStartBlocks = "poststart-blocks";
constexpr std::string_view kLivenessEqualsReadiness = "liveness-equals-readiness";
constexpr std::string_view kProbeTimeoutExceedsPeriod = "probe-timeout-exceeds-period";
constexpr std::string_view kReadinessTiming = "readiness-timing";
constexpr std::string_view kInitialDelayWithStartup = "initial-delay-with-startup";
constexpr std::string_view kProbePortNotFound = "probe-port-not-found";
constexpr std::string_view kProbeHost = "probe-host";
constexpr std::string_view kLivenessRestartNever = "liveness-restart-never";
constexpr std::string_view kTcpSocketHook = "tcp-socket-hook";
constexpr std::string_view kSleepHookVersion = "sleep-hook-version";
constexpr std::string_view kUnsupportedLocally = "unsupported-locally";
constexpr std::string_view kSimulateScenario = "simulate-scenario";
constexpr std::string_view kImageLatest = "image-latest";
constexpr std::string_view kPullAlways = "pull-always";
constexpr std::string_view kZeroGracePeriod = "zero-grace-period";
constexpr std::string_view kNegativeGracePeriod = "negative-grace-period";
constexpr std::string_view kDuplicateEnv = "duplicate-env";

constexpr std::string_view kMustBeNonNegative = "must be greater than or equal to 0";
constexpr std::int64_t kMaxInt32 = std::numeric_limits<std::int32_t>::max();

// ---------------------------------------------------------------------------
// Validation: the API server's rules (pkg/apis/core/validation,
// pkg/apis/apps/validation, apimachinery), in the order it checks them.

class Validator {
 public:
  explicit Validator(Reporter& r) : m_r(r) {}

  void validatePod(const Pod& pod) {
    validateObjectMeta(pod.metadata, root("metadata"));
    validatePodSpec(pod.spec, root("spec"), /*isPod=*/true);
  }

  void validateDeployment(const Deployment& d) {
    validateObjectMeta(d.metadata, root("metadata"));
    const DeploymentSpec& spec = d.spec;
    FieldPath specPath = root("spec");
    nonNegative(spec.replicas, specPath.child("replicas"));

    FieldPath selectorPath = specPath.child("selector");
    bool selectorEmpty = spec.selector.matchLabels.empty() && spec.selector.matchExpressions.empty();
    bool selectorUsable = true;
    if (!m_r.written(selectorPath.doc)) {
      m_r.required(selectorPath, kRequired);
    } else {
      size_t before = m_r.count();
      validateLabelSelector(spec.selector, selectorPath);
      // A selector the API server cannot build is not matched against the
      // template: its own errors say what to fix.
      selectorUsable = m_r.count() == before;
      if (selectorEmpty) {
        bool labelsWritten = m_r.written(selectorPath.doc + ".matchLabels");
        m_r.invalid(selectorPath,
                    "v1.LabelSelector{MatchLabels:" + goStringMap(spec.selector.matchLabels, !labelsWritten) +
                        ", MatchExpressions:[]v1.LabelSelectorRequirement(nil)}",
                    "empty selector is invalid for deployment", kInvalidSelector, /*valueRange=*/false);
      }
    }

    const PodTemplateSpec& tmpl = spec.podTemplate;
    FieldPath templatePath = specPath.child("template");
    if (selectorUsable && !selectorEmpty && !spec.selector.matches(tmpl.metadata.labels)) {
      FieldPath labels = templatePath.child("metadata").child("labels");
      m_r.invalid(labels, goStringMap(tmpl.metadata.labels, !m_r.written(labels.doc)),
                  "`selector` does not match template `labels`", kSelectorMismatch, /*valueRange=*/false);
    }
    // ValidatePodTemplateSpec reports the template's labels and annotations
    // as spec.template.labels, without "metadata".
    validateLabels(tmpl.metadata.labels, {templatePath.api + ".labels", templatePath.doc + ".metadata.labels"});
    validateAnnotations(tmpl.metadata.annotations,
                        {templatePath.api + ".annotations", templatePath.doc + ".metadata.annotations"});
    FieldPath podSpecPath = templatePath.child("spec");
    validatePodSpec(tmpl.spec, podSpecPath, /*isPod=*/false);
    if (tmpl.spec.restartPolicy != RestartPolicy::Always) {
      m_r.notSupported(podSpecPath.child("restartPolicy"), quoted(toString(tmpl.spec.restartPolicy)), {"Always"},
                       kTemplateRestartPolicy);
    }
    if (tmpl.spec.activeDeadlineSeconds) {
      m_r.invalid(podSpecPath.child("activeDeadlineSeconds"), number(*tmpl.spec.activeDeadlineSeconds),
                  "activeDeadlineSeconds in ReplicaSet is not Supported", kActiveDeadline);
    }

    validateStrategy(spec.strategy, specPath.child("strategy"));
    nonNegative(spec.minReadySeconds, specPath.child("minReadySeconds"));
    nonNegative(spec.revisionHistoryLimit, specPath.child("revisionHistoryLimit"));
    FieldPath deadline = specPath.child("progressDeadlineSeconds");
    nonNegative(spec.progressDeadlineSeconds, deadline);
    if (spec.progressDeadlineSeconds <= spec.minReadySeconds) {
      m_r.invalid(deadline, number(spec.progressDeadlineSeconds), "must be greater than minReadySeconds",
                  kProgressDeadline);
    }
  }

 private:
  Reporter& m_r;

  void nonNegative(std::int64_t value, const FieldPath& f) {
    if (value < 0) m_r.invalid(f, number(value), kMustBeNonNegative, kNegativeValue);
  }

  // --- metadata ------------------------------------------------------------

  void validateObjectMeta(const ObjectMeta& m, const FieldPath& p) {
    if (!m.generateName.empty()) {
      for (const std::string& msg : nameIsDnsSubdomain(m.generateName, true)) {
        m_r.invalid(p.child("generateName"), quoted(m.generateName), msg, kInvalidName);
      }
    }
    FieldPath name = p.child("name");
    if (m.name.empty()) {
      // The API server fills the name in from generateName before it
      // validates; a local run does the same.
      if (m.generateName.empty()) m_r.requiredIfMissing(name, kRequired, "name or generateName is required");
    } else {
      for (const std::string& msg : nameIsDnsSubdomain(m.name, false)) {
        m_r.invalid(name, quoted(m.name), msg, kInvalidName);
      }
    }
    if (!m.namespaceName.empty()) {
      for (const std::string& msg : nameIsDnsLabel(m.namespaceName, false)) {
        m_r.invalid(p.child("namespace"), quoted(m.namespaceName), msg, kInvalidName);
      }
    }
    validateLabels(m.labels, p.child("labels"));
    validateAnnotations(m.annotations, p.child("annotations"));
  }

  /// Upstream reports every label problem at the map's path; the range still
  /// points at the entry.
  void validateLabels(const std::map<std::string, std::string>& labels, const FieldPath& p,
                      std::string_view rule = kInvalidLabel) {
    for (const auto& [key, value] : labels) {
      FieldPath entry{p.api, m_r.keyPath(p.doc, key)};
      for (const std::string& msg : isQualifiedName(key)) m_r.invalid(entry, quoted(key), msg, rule, false);
      for (const std::string& msg : isValidLabelValue(value)) m_r.invalid(entry, quoted(value), msg, rule, true);
    }
  }

  void validateAnnotations(const std::map<std::string, std::string>& annotations, const FieldPath& p) {
    std::int64_t total = 0;
    for (const auto& [key, value] : annotations) {
      FieldPath entry{p.api, m_r.keyPath(p.doc, key)};
      std::string lower = key;
      std::transform(lower.begin(), lower.end(), lower.begin(),
                     [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
      for (const std::string& msg : isQualifiedName(lower)) {
        m_r.invalid(entry, quoted(key), msg, kInvalidAnnotation, false);
      }
      total += static_cast<std::int64_t>(key.size() + value.size());
    }
    if (total > kTotalAnnotationSizeLimitBytes) {
      m_r.tooLong(p, "must have at most " + std::to_string(kTotalAnnotationSizeLimitBytes) + " bytes",
                  kAnnotationsTooLong);
    }
  }

  void validateLabelSelector(const LabelSelector& s, const FieldPath& p) {
    validateLabels(s.matchLabels, p.child("matchLabels"), kInvalidSelector);
    for (size_t i = 0; i < s.matchExpressions.size(); ++i) {
      const LabelSelectorRequirement& r = s.matchExpressions[i];
      FieldPath rp = p.child("matchExpressions").index(i);
      if (r.op == "In" || r.op == "NotIn") {
        if (r.values.empty()) {
          m_r.required(rp.child("values"), kInvalidSelector, "must be specified when `operator` is 'In' or 'NotIn'");
        }
      } else if (r.op == "Exists" || r.op == "DoesNotExist") {
        if (!r.values.empty()) {
          m_r.forbidden(rp.child("values"), "may not be specified when `operator` is 'Exists' or 'DoesNotExist'",
                        kInvalidSelector);
        }
      } else if (!r.op.empty() || !m_r.written(rp.child("operator").doc)) {
        // An operator written but read as empty was not one of the four;
        // the decoder has said so.
        m_r.invalid(rp.child("operator"), quoted(r.op), "not a valid selector operator", kInvalidSelector);
      }
      for (const std::string& msg : isQualifiedName(r.key)) {
        m_r.invalid(rp.child("key"), quoted(r.key), msg, kInvalidSelector);
      }
      for (size_t v = 0; v < r.values.size(); ++v) {
        for (const std::string& msg : isValidLabelValue(r.values[v])) {
          m_r.invalid(rp.child("values").index(v), quoted(r.values[v]), msg, kInvalidSelector);
        }
      }
    }
  }

  // --- pod spec --------------------------------------------------------------

  void validatePodSpec(const PodSpec& s, const FieldPath& p, bool isPod) {
    std::set<std::string> volumes = validateVolumes(s.volumes, p.child("volumes"));
    std::int64_t grace = effectiveGracePeriod(s);
    validateContainers(s, volumes, p.child("containers"), grace);
    validateInitContainers(s, volumes, p.child("initContainers"), grace);
    if (s.activeDeadlineSeconds) {
      std::int64_t value = *s.activeDeadlineSeconds;
      if (value < 1 || value > kMaxInt32) {
        m_r.invalid(p.child("activeDeadlineSeconds"), number(value), inclusiveRangeError(1, kMaxInt32),
                    kActiveDeadline);
      }
    }
    if (!s.hostname.empty()) {
      for (const std::string& msg : isDns1123Label(s.hostname)) {
        m_r.invalid(p.child("hostname"), quoted(s.hostname), msg, kInvalidName);
      }
    }
    if (isPod) {
      imageWhitespace(s.containers, p.child("containers"));
      imageWhitespace(s.initContainers, p.child("initContainers"));
    }
  }

  void imageWhitespace(const std::vector<Container>& containers, const FieldPath& p) {
    for (size_t i = 0; i < containers.size(); ++i) {
      const std::string& image = containers[i].image;
      if (image.empty()) continue;
      auto space = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f'; };
      if (space(image.front()) || space(image.back())) {
        m_r.invalid(p.index(i).child("image"), quoted(image), "must not have leading or trailing whitespace",
                    kImageWhitespace);
      }
    }
  }

  std::set<std::string> validateVolumes(const std::vector<Volume>& volumes, const FieldPath& p) {
    std::set<std::string> valid;
    for (size_t i = 0; i < volumes.size(); ++i) {
      const Volume& v = volumes[i];
      FieldPath vp = p.index(i);
      size_t before = m_r.count();
      switch (v.source) {
        case Volume::Source::EmptyDir:
          if (v.emptyDirSizeLimit && v.emptyDirSizeLimit->milliValue < 0) {
            m_r.forbidden(vp.child("emptyDir").child("sizeLimit"), "SizeLimit field must be a valid resource quantity",
                          kInvalidQuantity);
          }
          break;
        case Volume::Source::HostPath: {
          FieldPath hp = vp.child("hostPath");
          if (v.hostPath.empty()) {
            m_r.requiredIfMissing(hp.child("path"), kRequired);
            break;
          }
          noBacksteps(v.hostPath, hp.child("path"));
          static const std::vector<std::string> kTypes = {"",     "BlockDevice",  "CharDevice", "Directory",
                                                          "DirectoryOrCreate", "File", "FileOrCreate", "Socket"};
          if (std::find(kTypes.begin(), kTypes.end(), v.hostPathType) == kTypes.end()) {
            m_r.notSupported(hp.child("type"), quoted(v.hostPathType), kTypes, kHostPathType);
          }
          break;
        }
        case Volume::Source::Unsupported:
          break;
      }
      FieldPath name = vp.child("name");
      if (v.name.empty()) {
        m_r.requiredIfMissing(name, kRequired);
      } else {
        for (const std::string& msg : isDns1123Label(v.name)) m_r.invalid(name, quoted(v.name), msg, kInvalidName);
      }
      if (valid.count(v.name)) m_r.duplicate(name, quoted(v.name), kDuplicateName);
      // Like the API server, only a volume without errors can be mounted.
      if (m_r.count() == before && !v.name.empty()) valid.insert(v.name);
    }
    return valid;
  }

  void noBacksteps(const std::string& path, const FieldPath& f) {
    size_t start = 0;
    while (start <= path.size()) {
      size_t slash = path.find('/', start);
      size_t length = slash == std::string::npos ? std::string::npos : slash - start;
      std::string_view part = std::string_view(path).substr(start, length);
      if (part == "..") {
        m_r.invalid(f, quoted(path), "must not contain '..'", kInvalidPath);
        return;
      }
      if (slash == std::string::npos) return;
      start = slash + 1;
    }
  }

  void validateContainerCommon(const Container& c, const std::set<std::string>& volumes, const FieldPath& p) {
    FieldPath name = p.child("name");
    if (c.name.empty()) {
      m_r.requiredIfMissing(name, kRequired);
    } else {
      for (const std::string& msg : isDns1123Label(c.name)) m_r.invalid(name, quoted(c.name), msg, kInvalidName);
    }
    if (c.image.empty()) m_r.requiredIfMissing(p.child("image"), kRequired);
    validatePorts(c.ports, p.child("ports"));
    validateEnv(c.env, p.child("env"));
    validateVolumeMounts(c.volumeMounts, volumes, p.child("volumeMounts"));
    validateResources(c.resources, p.child("resources"));
  }

  void validateContainers(const PodSpec& s, const std::set<std::string>& volumes, const FieldPath& p,
                          std::int64_t grace) {
    if (s.containers.empty()) {
      m_r.requiredIfMissing(p, kRequired);
      return;
    }
    std::set<std::string> names;
    for (size_t i = 0; i < s.containers.size(); ++i) {
      const Container& c = s.containers[i];
      FieldPath cp = p.index(i);
      validateContainerCommon(c, volumes, cp);
      if (names.count(c.name)) {
        m_r.duplicate(cp.child("name"), quoted(c.name), kDuplicateName);
      } else {
        names.insert(c.name);
      }
      validateProbesAndLifecycle(c, cp, grace);
      if (c.restartPolicy) {
        m_r.forbidden(cp.child("restartPolicy"), "may not be set for non-init containers", kContainerRestartPolicy);
      }
    }
    hostPortConflicts(s.containers, p);
  }

  void validateInitContainers(const PodSpec& s, const std::set<std::string>& volumes, const FieldPath& p,
                              std::int64_t grace) {
    std::set<std::string> names;
    for (const Container& c : s.containers) names.insert(c.name);
    for (size_t i = 0; i < s.initContainers.size(); ++i) {
      const Container& c = s.initContainers[i];
      FieldPath cp = p.index(i);
      validateContainerCommon(c, volumes, cp);
      bool restartAlways = false;
      if (c.restartPolicy) {
        if (*c.restartPolicy != RestartPolicy::Always) {
          m_r.notSupported(cp.child("restartPolicy"), quoted(toString(*c.restartPolicy)), {"Always"},
                           kContainerRestartPolicy);
        }
        restartAlways = *c.restartPolicy == RestartPolicy::Always;
      }
      if (names.count(c.name)) {
        m_r.duplicate(cp.child("name"), quoted(c.name), kDuplicateName);
      } else if (!c.name.empty()) {
        names.insert(c.name);
      }
      // Init containers run one at a time, so each is checked on its own;
      // upstream names the container [0] in this message whatever its index.
      hostPortConflicts({c}, p, i);
      if (restartAlways) {
        validateProbesAndLifecycle(c, cp, grace);
        continue;
      }
      constexpr std::string_view kNotForInit = "may not be set for init containers without restartPolicy=Always";
      if (c.lifecycle) m_r.forbidden(cp.child("lifecycle"), kNotForInit, kInitContainerField);
      if (c.livenessProbe) m_r.forbidden(cp.child("livenessProbe"), kNotForInit, kInitContainerField);
      if (c.readinessProbe) m_r.forbidden(cp.child("readinessProbe"), kNotForInit, kInitContainerField);
      if (c.startupProbe) m_r.forbidden(cp.child("startupProbe"), kNotForInit, kInitContainerField);
    }
  }

  void hostPortConflicts(const std::vector<Container>& containers, const FieldPath& p,
                         std::optional<size_t> docIndex = std::nullopt) {
    std::set<std::string> seen;
    for (size_t ci = 0; ci < containers.size(); ++ci) {
      FieldPath cp = p.index(ci);
      if (docIndex) cp.doc = p.index(*docIndex).doc;
      for (size_t pi = 0; pi < containers[ci].ports.size(); ++pi) {
        const ContainerPort& port = containers[ci].ports[pi];
        if (!port.hostPort || *port.hostPort == 0) continue;
        std::string key = std::string(toString(port.protocol)) + "/" + port.hostIP + "/" + number(*port.hostPort);
        if (seen.count(key)) {
          m_r.duplicate(cp.child("ports").index(pi).child("hostPort"), quoted(key), kDuplicateHostPort);
        } else {
          seen.insert(key);
        }
      }
    }
  }

  void validatePorts(const std::vector<ContainerPort>& ports, const FieldPath& p) {
    std::set<std::string> names;
    for (size_t i = 0; i < ports.size(); ++i) {
      const ContainerPort& port = ports[i];
      FieldPath pp = p.index(i);
      if (!port.name.empty()) {
        std::vector<std::string> msgs = isValidPortName(port.name);
        for (const std::string& msg : msgs) m_r.invalid(pp.child("name"), quoted(port.name), msg, kInvalidPort);
        if (msgs.empty()) {
          if (names.count(port.name)) {
            m_r.duplicate(pp.child("name"), quoted(port.name), kDuplicateName);
          } else {
            names.insert(port.name);
          }
        }
      }
      if (port.containerPort == 0) {
        m_r.requiredIfMissing(pp.child("containerPort"), kRequired);
      } else {
        for (const std::string& msg : isValidPortNum(port.containerPort)) {
          m_r.invalid(pp.child("containerPort"), number(port.containerPort), msg, kInvalidPort);
        }
      }
      if (port.hostPort && *port.hostPort != 0) {
        for (const std::string& msg : isValidPortNum(*port.hostPort)) {
          m_r.invalid(pp.child("hostPort"), number(*port.hostPort), msg, kInvalidPort);
        }
      }
    }
  }

  void validateEnv(const std::vector<EnvVar>& env, const FieldPath& p) {
    for (size_t i = 0; i < env.size(); ++i) {
      FieldPath name = p.index(i).child("name");
      if (env[i].name.empty()) {
        m_r.requiredIfMissing(name, kRequired);
        continue;
      }
      for (const std::string& msg : isEnvVarName(env[i].name)) {
        m_r.invalid(name, quoted(env[i].name), msg, kInvalidEnvName);
      }
    }
  }

  void validateVolumeMounts(const std::vector<VolumeMount>& mounts, const std::set<std::string>& volumes,
                            const FieldPath& p) {
    std::set<std::string> mountPoints;
    for (size_t i = 0; i < mounts.size(); ++i) {
      const VolumeMount& m = mounts[i];
      FieldPath mp = p.index(i);
      if (m.name.empty()) {
        m_r.requiredIfMissing(mp.child("name"), kRequired);
      } else if (!volumes.count(m.name)) {
        m_r.notFound(mp.child("name"), quoted(m.name), kVolumeNotFound);
      }
      if (m.mountPath.empty()) m_r.requiredIfMissing(mp.child("mountPath"), kRequired);
      if (mountPoints.count(m.mountPath)) {
        m_r.invalid(mp.child("mountPath"), quoted(m.mountPath), "must be unique", kDuplicateMountPath);
      }
      mountPoints.insert(m.mountPath);
      if (!m.subPath.empty()) {
        // Upstream names the list, not the entry, in subPath messages.
        FieldPath sub{p.api + ".subPath", mp.doc + ".subPath"};
        if (m.subPath.front() == '/') m_r.invalid(sub, quoted(m.subPath), "must be a relative path", kInvalidPath);
        noBacksteps(m.subPath, sub);
      }
    }
  }

  void validateResourceName(const std::string& name, const FieldPath& f) {
    // ResourceName prints unquoted: it is a fmt.Stringer.
    std::vector<std::string> msgs = isQualifiedName(name);
    for (const std::string& msg : msgs) m_r.invalid(f, name, msg, kInvalidResourceName, false);
    if (name.find('/') == std::string::npos) {
      if (msgs.empty() && !isStandardResource(name)) {
        m_r.invalid(f, name, "must be a standard resource type or fully qualified", kInvalidResourceName, false);
      }
      if (!isStandardContainerResource(name)) {
        m_r.invalid(f, name, "must be a standard resource for containers", kInvalidResourceName, false);
      }
    } else if (!isNativeResource(name) && !isExtendedResource(name)) {
      m_r.invalid(f, name, "doesn't follow extended resource name standard", kInvalidResourceName, false);
    }
  }

  void validateQuantity(const std::string& name, const Quantity& q, const FieldPath& f) {
    if (q.milliValue < 0) {
      m_r.invalid(f, quoted(canonicalQuantity(q)), kMustBeNonNegative, kInvalidQuantity);
    }
    if (isExtendedResource(name) && q.milliValue % 1000 != 0) {
      m_r.invalid(f, quoted(canonicalQuantity(q)), "must be an integer", kInvalidQuantity);
    }
  }

  void validateResources(const ResourceRequirements& r, const FieldPath& p) {
    FieldPath limits = p.child("limits");
    FieldPath requests = p.child("requests");
    for (const auto& [name, q] : r.limits) {
      FieldPath f{limits.api + "[" + name + "]", m_r.keyPath(limits.doc, name)};
      validateResourceName(name, f);
      validateQuantity(name, q, f);
    }
    for (const auto& [name, q] : r.requests) {
      FieldPath f{requests.api + "[" + name + "]", m_r.keyPath(requests.doc, name)};
      validateResourceName(name, f);
      validateQuantity(name, q, f);
      // Upstream names the requests map here, not the entry.
      FieldPath at{requests.api, f.doc};
      auto limit = r.limits.find(name);
      if (limit != r.limits.end()) {
        if (q.milliValue != limit->second.milliValue && !isOvercommitAllowed(name)) {
          m_r.invalid(at, quoted(canonicalQuantity(q)),
                      "must be equal to " + name + " limit of " + canonicalQuantity(limit->second),
                      kRequestExceedsLimit);
        } else if (q.milliValue > limit->second.milliValue) {
          m_r.invalid(at, quoted(canonicalQuantity(q)),
                      "must be less than or equal to " + name + " limit of " + canonicalQuantity(limit->second),
                      kRequestExceedsLimit);
        }
      } else if (!isOvercommitAllowed(name)) {
        m_r.required(FieldPath{limits.api, f.doc}, kRequestExceedsLimit,
                     "Limit must be set for non overcommitable resources");
      }
    }
  }

  // --- probes and hooks ------------------------------------------------------

  void validateProbesAndLifecycle(const Container& c, const FieldPath& p, std::int64_t grace) {
    if (c.lifecycle) {
      if (c.lifecycle->postStart) validateHook(*c.lifecycle->postStart, p.child("lifecycle").child("postStart"), grace);
      if (c.lifecycle->preStop) validateHook(*c.lifecycle->preStop, p.child("lifecycle").child("preStop"), grace);
    }
    if (c.livenessProbe) {
      FieldPath lp = p.child("livenessProbe");
      validateProbe(*c.livenessProbe, lp);
      if (c.livenessProbe->successThreshold != 1) {
        m_r.invalid(lp.child("successThreshold"), number(c.livenessProbe->successThreshold), "must be 1",
                    kSuccessThreshold);
      }
    }
    if (c.readinessProbe) {
      FieldPath rp = p.child("readinessProbe");
      validateProbe(*c.readinessProbe, rp);
      if (c.readinessProbe->terminationGracePeriodSeconds) {
        m_r.invalid(rp.child("terminationGracePeriodSeconds"), number(*c.readinessProbe->terminationGracePeriodSeconds),
                    "must not be set for readinessProbes", kProbeGracePeriod);
      }
    }
    if (c.startupProbe) {
      FieldPath sp = p.child("startupProbe");
      validateProbe(*c.startupProbe, sp);
      if (c.startupProbe->successThreshold != 1) {
        m_r.invalid(sp.child("successThreshold"), number(c.startupProbe->successThreshold), "must be 1",
                    kSuccessThreshold);
      }
    }
  }

  void validatePortNumOrName(const IntOrString& port, const FieldPath& f) {
    if (port.isInt) {
      for (const std::string& msg : isValidPortNum(port.intValue)) {
        m_r.invalid(f, number(port.intValue), msg, kInvalidPort);
      }
    } else {
      for (const std::string& msg : isValidPortName(port.strValue)) {
        m_r.invalid(f, quoted(port.strValue), msg, kInvalidPort);
      }
    }
  }

  void validateHttpGet(const HttpGetAction& h, const FieldPath& p) {
    if (h.path.empty()) m_r.requiredIfMissing(p.child("path"), kRequired);
    validatePortNumOrName(h.port, p.child("port"));
    for (const HttpHeader& header : h.httpHeaders) {
      for (const std::string& msg : isHttpHeaderName(header.name)) {
        m_r.invalid(p.child("httpHeaders"), quoted(header.name), msg, kInvalidHttpHeader);
      }
    }
  }

  /// Counts handlers the way validateHandler does: the second and later
  /// ones are Forbidden at their own path, none at all is Required.
  class HandlerCounter {
   public:
    HandlerCounter(Reporter& r, const FieldPath& p) : m_r(r), m_p(p) {}
    bool take(bool present, std::string_view name) {
      if (!present) return false;
      if (m_count++ > 0) {
        m_r.forbidden(m_p.child(name), "may not specify more than 1 handler type", kHandlerCount);
        return false;
      }
      return true;
    }
    void finish() {
      if (m_count == 0) m_r.required(m_p, kHandlerCount, "must specify a handler type");
    }

   private:
    Reporter& m_r;
    FieldPath m_p;
    int m_count = 0;
  };

  void validateExec(const ExecAction& e, const FieldPath& p) {
    if (e.command.empty()) m_r.requiredIfMissing(p.child("command"), kRequired);
  }

  void validateProbe(const Probe& probe, const FieldPath& p) {
    HandlerCounter handlers(m_r, p);
    if (handlers.take(probe.exec.has_value(), "exec")) validateExec(*probe.exec, p.child("exec"));
    if (handlers.take(probe.httpGet.has_value(), "httpGet")) validateHttpGet(*probe.httpGet, p.child("httpGet"));
    if (handlers.take(probe.tcpSocket.has_value(), "tcpSocket")) {
      validatePortNumOrName(probe.tcpSocket->port, p.child("tcpSocket").child("port"));
    }
    if (handlers.take(probe.grpc.has_value(), "grpc")) {
      validatePortNumOrName(IntOrString::fromInt(probe.grpc->port), p.child("grpc").child("port"));
    }
    handlers.finish();
    nonNegative(probe.initialDelaySeconds, p.child("initialDelaySeconds"));
    nonNegative(probe.timeoutSeconds, p.child("timeoutSeconds"));
    nonNegative(probe.periodSeconds, p.child("periodSeconds"));
    nonNegative(probe.successThreshold, p.child("successThreshold"));
    nonNegative(probe.failureThreshold, p.child("failureThreshold"));
    if (probe.terminationGracePeriodSeconds && *probe.terminationGracePeriodSeconds <= 0) {
      m_r.invalid(p.child("terminationGracePeriodSeconds"), number(*probe.terminationGracePeriodSeconds),
                  "must be greater than 0", kProbeGracePeriod);
    }
  }

  void validateHook(const LifecycleHandler& h, const FieldPath& p, std::int64_t grace) {
    HandlerCounter handlers(m_r, p);
    if (handlers.take(h.exec.has_value(), "exec")) validateExec(*h.exec, p.child("exec"));
    if (handlers.take(h.httpGet.has_value(), "httpGet")) validateHttpGet(*h.httpGet, p.child("httpGet"));
    if (handlers.take(h.tcpSocket.has_value(), "tcpSocket")) {
      validatePortNumOrName(h.tcpSocket->port, p.child("tcpSocket").child("port"));
    }
    if (handlers.take(h.sleep.has_value(), "sleep")) {
      // 1.29-1.31 wording; 1.32+ allows 0 behind a gate and says
      // "must be non-negative and less than ...".
      if (h.sleep->seconds <= 0 || h.sleep->seconds > grace) {
        m_r.invalid(p.child("sleep"), number(h.sleep->seconds),
                    "must be greater than 0 and less than terminationGracePeriodSeconds (" + number(grace) + ")",
                    kSleepSeconds);
      }
    }
    handlers.finish();
  }

  // --- deployment strategy ---------------------------------------------------

  static std::optional<std::int64_t> percentValue(const IntOrString& v) {
    if (v.isInt || !isValidPercent(v.strValue).empty()) return std::nullopt;
    std::string digits = v.strValue.substr(0, v.strValue.size() - 1);
    std::int64_t value = 0;
    for (char c : digits) {
      value = value * 10 + (c - '0');
      if (value > kMaxInt32) return kMaxInt32;
    }
    return value;
  }

  /// intstr.IntValue(): a string that is not a percentage counts as its
  /// integer value, or 0.
  static std::int64_t intOrPercentValue(const IntOrString& v) {
    if (std::optional<std::int64_t> p = percentValue(v)) return *p;
    if (v.isInt) return v.intValue;
    const std::string& s = v.strValue;
    if (s.empty()) return 0;
    size_t start = (s[0] == '-' || s[0] == '+') ? 1 : 0;
    if (start == s.size()) return 0;
    std::int64_t value = 0;
    for (size_t i = start; i < s.size(); ++i) {
      if (s[i] < '0' || s[i] > '9') return 0;
      value = value * 10 + (s[i] - '0');
      if (value > kMaxInt32) return 0;
    }
    return s[0] == '-' ? -value : value;
  }

  void positiveIntOrPercent(const IntOrString& v, const FieldPath& f) {
    if (v.isInt) {
      nonNegative(v.intValue, f);
      return;
    }
    for (const std::string& msg : isValidPercent(v.strValue)) m_r.invalid(f, quoted(v.strValue), msg, kRollingUpdate);
  }

  void validateStrategy(const DeploymentStrategy& s, const FieldPath& p) {
    FieldPath rolling = p.child("rollingUpdate");
    if (s.type == DeploymentStrategy::Type::Recreate) {
      if (m_r.written(rolling.doc)) {
        m_r.forbidden(rolling, "may not be specified when strategy `type` is 'Recreate'", kRecreateRollingUpdate);
      }
      return;
    }
    FieldPath maxUnavailable = rolling.child("maxUnavailable");
    FieldPath maxSurge = rolling.child("maxSurge");
    positiveIntOrPercent(s.maxUnavailable, maxUnavailable);
    positiveIntOrPercent(s.maxSurge, maxSurge);
    if (intOrPercentValue(s.maxUnavailable) == 0 && intOrPercentValue(s.maxSurge) == 0) {
      m_r.invalid(maxUnavailable, intOrString(s.maxUnavailable), "may not be 0 when `maxSurge` is 0", kRollingUpdate);
    }
    if (std::optional<std::int64_t> percent = percentValue(s.maxUnavailable); percent && *percent > 100) {
      m_r.invalid(maxUnavailable, intOrString(s.maxUnavailable), "must not be greater than 100%", kRollingUpdate);
    }
  }
};

// ---------------------------------------------------------------------------
// Lints: what the kubelet will do with these timings, in plain sentences
// with the arithmetic shown.

enum class ContainerKind { Init, Sidecar, Regular };

std::string describe(const Container& c, ContainerKind kind) {
  switch (kind) {
    case ContainerKind::Init: return "init container " + quoted(c.name);
    case ContainerKind::Sidecar: return "sidecar " + quoted(c.name);
    case ContainerKind::Regular: return "container " + quoted(c.name);
  }
  return "container " + quoted(c.name);
}

bool sameHandler(const Probe& a, const Probe& b) {
  auto sameHttp = [](const HttpGetAction& x, const HttpGetAction& y) {
    if (x.host != y.host || x.path != y.path || !(x.port == y.port) || x.scheme != y.scheme) return false;
    if (x.httpHeaders.size() != y.httpHeaders.size()) return false;
    for (size_t i = 0; i < x.httpHeaders.size(); ++i) {
      const HttpHeader& hx = x.httpHeaders[i];
      const HttpHeader& hy = y.httpHeaders[i];
      if (hx.name != hy.name || hx.value != hy.value) return false;
    }
    return true;
  };
  if (a.exec.has_value() != b.exec.has_value() || a.httpGet.has_value() != b.httpGet.has_value() ||
      a.tcpSocket.has_value() != b.tcpSocket.has_value() || a.grpc.has_value() != b.grpc.has_value()) {
    return false;
  }
  if (a.exec && a.exec->command != b.exec->command) return false;
  if (a.httpGet && !sameHttp(*a.httpGet, *b.httpGet)) return false;
  if (a.tcpSocket && (a.tcpSocket->host != b.tcpSocket->host || !(a.tcpSocket->port == b.tcpSocket->port))) {
    return false;
  }
  if (a.grpc && (a.grpc->port != b.grpc->port || a.grpc->service != b.grpc->service)) return false;
  return a.exec || a.httpGet || a.tcpSocket || a.grpc;
}

std::string namedPorts(const Container& c) {
  std::string out;
  for (const ContainerPort& p : c.ports) {
    if (p.name.empty()) continue;
    out += (out.empty() ? "" : ", ") + quoted(p.name);
  }
  return out.empty() ? "it has no named ports" : "its named ports: " + out;
}

bool hasPortNamed(const Container& c, const std::string& name) {
  return std::any_of(c.ports.begin(), c.ports.end(), [&](const ContainerPort& p) { return p.name == name; });
}

class Linter {
 public:
  explicit Linter(Reporter& r) : m_r(r) {}

  void lintPodSpec(const PodSpec& s, const FieldPath& p) {
    lintGracePeriod(s, p);
    for (size_t i = 0; i < s.volumes.size(); ++i) {
      const Volume& v = s.volumes[i];
      if (v.source != Volume::Source::Unsupported) continue;
      std::string kind = v.unsupportedKind.empty() ? "a" : "a " + v.unsupportedKind;
      m_r.add(Severity::Warning, kUnsupportedLocally, p.child("volumes").index(i).doc,
              m_r.rangeFor(p.child("volumes").index(i).doc, false),
              "volume " + quoted(v.name) + " is " + kind +
                  " volume; local runs provide emptyDir and hostPath volumes only, so it is not available to the "
                  "containers that mount it");
    }
    for (size_t i = 0; i < s.initContainers.size(); ++i) {
      const Container& c = s.initContainers[i];
      ContainerKind kind = c.isSidecar() ? ContainerKind::Sidecar : ContainerKind::Init;
      lintContainer(s, c, kind, p.child("initContainers").index(i));
    }
    for (size_t i = 0; i < s.containers.size(); ++i) {
      lintContainer(s, s.containers[i], ContainerKind::Regular, p.child("containers").index(i));
    }
  }

 private:
  Reporter& m_r;

  void note(Severity severity, std::string_view rule, const FieldPath& f, std::string message) {
    m_r.add(severity, rule, f.doc, m_r.rangeFor(f.doc, false), std::move(message));
  }

  void lintGracePeriod(const PodSpec& s, const FieldPath& p) {
    FieldPath grace = p.child("terminationGracePeriodSeconds");
    if (s.terminationGracePeriodSeconds < 0) {
      // The API server's own warning (pkg/api/pod/warnings.go), word for word.
      note(Severity::Warning, kNegativeGracePeriod, grace,
           grace.api + ": must be >= 0; negative values are invalid and will be treated as 1");
    } else if (s.terminationGracePeriodSeconds == 0) {
      note(Severity::Warning, kZeroGracePeriod, grace,
           "terminationGracePeriodSeconds is 0: containers get no time to shut down cleanly; on deletion the kubelet "
           "still allows at least 1s for preStop hooks and then 2s between SIGTERM and SIGKILL, and a kill after a "
           "failed liveness or startup probe skips the preStop hook altogether");
    }
  }

  void lintContainer(const PodSpec& s, const Container& c, ContainerKind kind, const FieldPath& p) {
    std::string who = describe(c, kind);
    lintImage(c, who, p);
    lintEnv(c, who, p);
    if (kind == ContainerKind::Init) return;  // probes and hooks are errors there
    lintProbes(s, c, kind, who, p);
    if (c.lifecycle) lintHooks(s, c, who, p.child("lifecycle"));
  }

  void lintImage(const Container& c, const std::string& who, const FieldPath& p) {
    if (c.image.empty() || c.imagePullPolicy != PullPolicy::Always) return;
    FieldPath policy = p.child("imagePullPolicy");
    if (m_r.written(policy.doc)) {
      note(Severity::Info, kPullAlways, policy,
           who + ": imagePullPolicy is Always: every container start, restarts included, asks the registry for the "
                 "image, and a run without network access fails with ErrImagePull");
      return;
    }
    if (defaultPullPolicy(c.image) != PullPolicy::Always) return;
    bool latest = c.image.size() > 7 && c.image.compare(c.image.size() - 7, 7, ":latest") == 0;
    note(Severity::Info, kImageLatest, p.child("image"),
         who + ": image " + quoted(c.image) + (latest ? " uses the latest tag" : " has no tag") +
             ", so imagePullPolicy defaults to Always: every container start, restarts included, asks the registry "
             "for the image, and a run without network access fails with ErrImagePull; pin a version tag to make "
             "runs repeatable");
  }

  void lintEnv(const Container& c, const std::string& who, const FieldPath& p) {
    std::map<std::string, size_t> first;
    for (size_t i = 0; i < c.env.size(); ++i) {
      const EnvVar& e = c.env[i];
      FieldPath ep = p.child("env").index(i);
      if (e.valueFrom) {
        note(Severity::Info, kUnsupportedLocally, ep,
             who + ": env " + e.name +
                 " takes its value from valueFrom (a ConfigMap, Secret, field or resource reference), which local "
                 "runs do not resolve");
      }
      if (e.name.empty()) continue;
      auto [it, inserted] = first.emplace(e.name, i);
      if (!inserted) {
        note(Severity::Warning, kDuplicateEnv, ep,
             who + ": env[" + std::to_string(i) + "] sets " + e.name + " again (first set by env[" +
                 std::to_string(it->second) + "]); the last definition wins, and kubectl apply can drop one of them");
      }
    }
  }

  void lintProbes(const PodSpec& s, const Container& c, ContainerKind kind, const std::string& who,
                  const FieldPath& p) {
    struct Named {
      const std::optional<Probe>& probe;
      std::string_view field;
      std::string_view words;
    };
    const Named probes[] = {{c.startupProbe, "startupProbe", "startup"},
                            {c.livenessProbe, "livenessProbe", "liveness"},
                            {c.readinessProbe, "readinessProbe", "readiness"}};
    for (const Named& n : probes) {
      if (!n.probe) continue;
      FieldPath pp = p.child(n.field);
      lintProbeTimeout(*n.probe, who, n.words, pp);
      lintProbePort(*n.probe, c, who, n.words, pp);
    }

    bool neverRestarts = kind == ContainerKind::Regular && s.restartPolicy == RestartPolicy::Never;
    std::string killed =
        neverRestarts ? "killed (restartPolicy is Never, so it is not restarted)" : "killed and restarted";
    if (c.startupProbe) {
      const Probe& sp = *c.startupProbe;
      note(Severity::Info, kStartupBudget, p.child("startupProbe"),
           who + ": the startup probe gives the container initialDelaySeconds + failureThreshold × periodSeconds = " +
               budget(sp) + " to start before it is " + killed +
               "; liveness and readiness probes wait until it succeeds");
    } else if (c.livenessProbe) {
      const Probe& lp = *c.livenessProbe;
      note(Severity::Info, kStartupBudget, p.child("livenessProbe"),
           who + ": the liveness probe gives the container initialDelaySeconds + failureThreshold × periodSeconds = " +
               budget(lp) + " to start before it is " + killed + "; if it can take longer, add a startupProbe");
    }

    if (c.startupProbe) {
      for (const Named& n : probes) {
        if (!n.probe || n.field == "startupProbe" || n.probe->initialDelaySeconds <= 0) continue;
        std::string delay = seconds(n.probe->initialDelaySeconds);
        note(Severity::Info, kInitialDelayWithStartup, p.child(n.field).child("initialDelaySeconds"),
             who + ": the " + std::string(n.words) + " probe's initialDelaySeconds (" + delay +
                 ") counts from when the container started, not from when the startup probe succeeded; the startup "
                 "probe already holds it back, so the delay only matters if startup succeeds in under " + delay);
      }
    }

    if (c.readinessProbe) {
      const Probe& rp = *c.readinessProbe;
      std::string start = rp.initialDelaySeconds > 0 ? "first runs " + seconds(rp.initialDelaySeconds) +
                                                           " after the container starts (initialDelaySeconds)"
                                                     : "runs from the moment the container starts";
      std::string message = who + ": the readiness probe " + start + " and then every " + seconds(rp.periodSeconds) +
                            "; once the checks start failing, the pod is taken out of its Services after "
                            "failureThreshold × periodSeconds = " +
                            std::to_string(rp.failureThreshold) + " × " + std::to_string(rp.periodSeconds) + " = " +
                            seconds(static_cast<std::int64_t>(rp.failureThreshold) * rp.periodSeconds) + " at most";
      if (rp.successThreshold > 1) {
        message += ", and put back after successThreshold × periodSeconds = " + std::to_string(rp.successThreshold) +
                   " × " + std::to_string(rp.periodSeconds) + " = " +
                   seconds(static_cast<std::int64_t>(rp.successThreshold) * rp.periodSeconds) + " of passing checks";
      }
      note(Severity::Info, kReadinessTiming, p.child("readinessProbe"), message);
    }

    if (c.livenessProbe && c.readinessProbe) {
      const Probe& l = *c.livenessProbe;
      const Probe& r = *c.readinessProbe;
      if (sameHandler(l, r) && l.initialDelaySeconds == r.initialDelaySeconds && l.periodSeconds == r.periodSeconds &&
          l.timeoutSeconds == r.timeoutSeconds && l.failureThreshold == r.failureThreshold) {
        note(Severity::Warning, kLivenessEqualsReadiness, p.child("livenessProbe"),
             who + ": the liveness probe is the same check with the same timings as the readiness probe, so both "
                   "fail together after failureThreshold × periodSeconds = " +
                 std::to_string(l.failureThreshold) + " × " + std::to_string(l.periodSeconds) + " = " +
                 seconds(static_cast<std::int64_t>(l.failureThreshold) * l.periodSeconds) +
                 ": the pod leaves its Services and the container is " + killed +
                 " at the same moment, so readiness never gets to take load off on its own; give the liveness probe "
                 "a higher failureThreshold or a check that fails only when the process is stuck");
      }
    }

    if (neverRestarts && (c.livenessProbe || c.startupProbe)) {
      FieldPath at = p.child(c.livenessProbe ? "livenessProbe" : "startupProbe");
      note(Severity::Warning, kLivenessRestartNever, at,
           who + ": restartPolicy is Never, so when the " + std::string(c.livenessProbe ? "liveness" : "startup") +
               " probe fails the container is killed and not restarted");
    }
  }

  static std::string budget(const Probe& p) {
    std::int64_t total = p.initialDelaySeconds + static_cast<std::int64_t>(p.failureThreshold) * p.periodSeconds;
    return std::to_string(p.initialDelaySeconds) + " + " + std::to_string(p.failureThreshold) + " × " +
           std::to_string(p.periodSeconds) + " = " + seconds(total);
  }

  void lintProbeTimeout(const Probe& probe, const std::string& who, std::string_view words, const FieldPath& p) {
    if (probe.timeoutSeconds < probe.periodSeconds || probe.periodSeconds <= 0) return;
    std::int64_t f = probe.failureThreshold;
    std::string t = seconds(probe.timeoutSeconds);
    std::string message = who + ": the " + std::string(words) + " probe's timeoutSeconds (" + t +
                          ") is not less than its periodSeconds (" + seconds(probe.periodSeconds) +
                          "): a check that hangs until its timeout is still running when the next one is due, so "
                          "hanging checks run back to back";
    if (probe.timeoutSeconds > probe.periodSeconds) {
      message += " every " + t + " and failureThreshold × timeoutSeconds = " + std::to_string(f) + " × " +
                 std::to_string(probe.timeoutSeconds) + " = " + seconds(f * probe.timeoutSeconds) +
                 " pass before the probe counts as failed, not " + std::to_string(f) + " × " +
                 std::to_string(probe.periodSeconds) + " = " + seconds(f * probe.periodSeconds);
    } else {
      message += " with no pause between them";
    }
    note(Severity::Warning, kProbeTimeoutExceedsPeriod, p.child("timeoutSeconds"), message);
  }

  void lintProbePort(const Probe& probe, const Container& c, const std::string& who, std::string_view words,
                     const FieldPath& p) {
    const IntOrString* port = nullptr;
    FieldPath at = p;
    if (probe.httpGet) {
      port = &probe.httpGet->port;
      at = p.child("httpGet");
      if (!probe.httpGet->host.empty()) {
        note(Severity::Info, kProbeHost, at.child("host"),
             who + ": the " + std::string(words) + " probe sends its request to " + quoted(probe.httpGet->host) +
                 ", not to the pod's IP, so it checks that host rather than this container");
      }
    } else if (probe.tcpSocket) {
      port = &probe.tcpSocket->port;
      at = p.child("tcpSocket");
    }
    if (!port || port->isInt || !isValidPortName(port->strValue).empty() || hasPortNamed(c, port->strValue)) return;
    std::string consequence;
    if (words == "readiness") {
      consequence = "the container never becomes ready";
    } else if (words == "liveness") {
      consequence = "the probe never fails, so it never restarts the container";
    } else {
      consequence = "the container never counts as started: liveness and readiness probes never run and it never "
                    "becomes ready";
    }
    note(Severity::Warning, kProbePortNotFound, at.child("port"),
         who + ": the " + std::string(words) + " probe's port " + quoted(port->strValue) +
             " is not a port name of this container (" + namedPorts(c) +
             "); the kubelet cannot resolve it, so every check ends in an error that is discarded: " + consequence);
  }

  void lintHooks(const PodSpec& s, const Container& c, const std::string& who, const FieldPath& p) {
    const Lifecycle& l = *c.lifecycle;
    if (l.postStart) lintHook(s, c, *l.postStart, /*preStop=*/false, who, p.child("postStart"));
    if (l.preStop) lintHook(s, c, *l.preStop, /*preStop=*/true, who, p.child("preStop"));
  }

  void lintHook(const PodSpec& s, const Container& c, const LifecycleHandler& h, bool preStop, const std::string& who,
                const FieldPath& p) {
    std::string hook = preStop ? "preStop" : "postStart";
    if (h.tcpSocket) {
      note(Severity::Warning, kTcpSocketHook, p.child("tcpSocket"),
           who + ": the " + hook +
               " hook uses tcpSocket, which the API server accepts only for compatibility and the kubelet cannot run: "
               "the hook always fails, " +
               (preStop ? "so the container is stopped without it (FailedPreStopHook)"
                        : "so the container is killed right after it starts (FailedPostStartHook) and restarted "
                          "according to restartPolicy"));
    }
    if (h.sleep) {
      note(Severity::Info, kSleepHookVersion, p.child("sleep"),
           who + ": the " + hook +
               " sleep handler needs Kubernetes 1.30 or later (1.29 only with the PodLifecycleSleepAction feature "
               "gate); older API servers reject or drop it");
    }
    const IntOrString* port = h.httpGet ? &h.httpGet->port : h.tcpSocket ? &h.tcpSocket->port : nullptr;
    if (port && !port->isInt && isValidPortName(port->strValue).empty() && !hasPortNamed(c, port->strValue)) {
      FieldPath at = p.child(h.httpGet ? "httpGet" : "tcpSocket").child("port");
      note(Severity::Warning, kProbePortNotFound, at,
           who + ": the " + hook + " hook's port " + quoted(port->strValue) +
               " is not a port name of this container (" + namedPorts(c) +
               "); the kubelet cannot resolve it and the hook fails, " +
               (preStop ? "so the container is stopped without it (FailedPreStopHook)"
                        : "so the container is killed right after it starts (FailedPostStartHook)"));
    }
    if (h.httpGet && !h.httpGet->host.empty()) {
      note(Severity::Info, kProbeHost, p.child("httpGet").child("host"),
           who + ": the " + hook + " hook sends its request to " + quoted(h.httpGet->host) + ", not to the pod's IP");
    }

    std::optional<double> sleep = handlerSleepSeconds(h);
    if (!sleep || *sleep <= 0) return;
    // A sleep handler longer than the grace period is already an error.
    if (h.sleep && h.sleep->seconds > effectiveGracePeriod(s)) return;
    if (!preStop) {
      note(Severity::Warning, kPostStartBlocks, p,
           who + ": the postStart hook sleeps " + formatSeconds(*sleep) +
               ": until it returns the container is not reported Running (it stays ContainerCreating, or "
               "PodInitializing in a pod with init containers) and the next container in the pod is not started; "
               "postStart hooks have no timeout");
      return;
    }
    std::int64_t grace = s.terminationGracePeriodSeconds;
    // The kubelet never gives a pod being deleted less than 1s.
    std::int64_t window = std::max<std::int64_t>(grace, 1);
    if (*sleep < static_cast<double>(window)) return;
    std::string g = seconds(grace);
    std::string windowNote = grace < 1 ? " (the kubelet's minimum for a pod)" : "";
    std::string outcome = *sleep > static_cast<double>(window) ? "the hook is cut short"
                                                               : "the hook uses up the whole grace period";
    note(Severity::Warning, kPreStopExceedsGrace, p,
         who + ": the preStop hook sleeps " + formatSeconds(*sleep) + " but terminationGracePeriodSeconds is " + g +
             ": the kubelet stops waiting for the hook after " + seconds(window) + windowNote +
             ", then sends SIGTERM and, 2s later (the minimum it always allows), SIGKILL; " + outcome +
             " and the container is gone at most " + seconds(window + 2) + " after the pod is deleted");
  }
};

// ---------------------------------------------------------------------------
// Simulation scenarios in annotations (core/scenario.h).

/// Where a mistake at `e` (line/column within the annotation's text) is in
/// the file. Exact for plain and simply quoted one-line values; for a block
/// scalar (`|`) the line is exact and the column assumes the usual two-space
/// indent under the key; otherwise the whole value.
SourceRange scenarioErrorRange(const FieldPosition& at, const std::string& text, const ScenarioError& e) {
  const SourceRange& v = at.value;
  if (!v.known()) return at.key;
  auto span = [&](int line, int column) {
    return SourceRange{{line, column}, {line, column + std::max(1, e.length)}};
  };
  bool oneLineValue = v.begin.line == v.end.line;
  if (text.find('\n') == std::string::npos && oneLineValue && e.line == 1) {
    int width = v.end.column - v.begin.column;
    if (width == static_cast<int>(text.size())) return span(v.begin.line, v.begin.column + e.column - 1);
    if (width == static_cast<int>(text.size()) + 2) return span(v.begin.line, v.begin.column + e.column);
  } else if (oneLineValue && at.key.known()) {
    return span(v.begin.line + e.line, at.key.begin.column + 2 + e.column - 1);
  }
  return v;
}

void lintScenarioAnnotations(Reporter& r, const std::map<std::string, std::string>& annotations, const PodSpec& spec,
                             const std::string& docPath) {
  for (const auto& [key, value] : annotations) {
    if (key.rfind(kSimulateAnnotation, 0) != 0) continue;
    std::string entry = Reporter::keyPath(docPath, key);
    auto it = r.doc().positions.find(entry);
    FieldPosition at = it != r.doc().positions.end() ? it->second : FieldPosition{r.rangeFor(entry, false), {}};
    std::string container;
    if (key != kSimulateAnnotation) {
      container = key.substr(kSimulateAnnotation.size());
      bool named = container.size() > 1 && container[0] == '.';
      container = named ? container.substr(1) : std::string();
      std::vector<std::string_view> names;
      for (const Container& c : spec.initContainers) names.push_back(c.name);
      for (const Container& c : spec.containers) names.push_back(c.name);
      if (!named) {
        r.add(Severity::Error, kSimulateScenario, entry, at.key,
              "annotation " + key + " is not read by the simulator: use " + std::string(kSimulateAnnotation) +
                  " for the pod or " + std::string(kSimulateContainerPrefix) + "<container> for one container");
        continue;
      }
      if (std::find(names.begin(), names.end(), container) == names.end()) {
        std::optional<std::string_view> near = closestName(container, names);
        r.add(Severity::Error, kSimulateScenario, entry, at.key,
              "annotation " + key + ": the pod has no container named " + quoted(container) +
                  (near ? " (did you mean " + std::string(kSimulateContainerPrefix) + std::string(*near) + "?)" : ""));
        continue;
      }
    }
    ScenarioParse parse = parseScenario(value, container.empty() ? ScenarioForm::Pod : ScenarioForm::Container,
                                        container.empty() ? "*" : container);
    std::vector<ScenarioError> errors = parse.errors;
    if (container.empty()) {
      for (ScenarioError& e : checkScenarioContainers(parse.scenario, spec)) errors.push_back(std::move(e));
    }
    for (const ScenarioError& e : errors) {
      r.add(Severity::Error, kSimulateScenario, entry, scenarioErrorRange(at, value, e),
            "annotation " + key + ", " + e.toString());
    }
  }
}

}  // namespace

std::vector<Diagnostic> validateDocument(const Document& doc, const std::string& file) {
  Reporter reporter(doc, file);
  Validator validator(reporter);
  if (doc.pod) validator.validatePod(*doc.pod);
  if (doc.deployment) validator.validateDeployment(*doc.deployment);
  return reporter.take();
}

std::vector<Diagnostic> lintDocument(const Document& doc, const std::string& file) {
  Reporter reporter(doc, file);
  Linter linter(reporter);
  if (doc.pod) linter.lintPodSpec(doc.pod->spec, root("spec"));
  if (doc.deployment) linter.lintPodSpec(doc.deployment->spec.podTemplate.spec, root("spec.template.spec"));
  if (doc.pod) lintScenarioAnnotations(reporter, doc.pod->metadata.annotations, doc.pod->spec, "metadata.annotations");
  if (doc.deployment) {
    const PodTemplateSpec& t = doc.deployment->spec.podTemplate;
    lintScenarioAnnotations(reporter, t.metadata.annotations, t.spec, "spec.template.metadata.annotations");
  }
  return reporter.take();
}

}  // namespace podscope::core
