#include "core/decoder.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <limits>
#include <optional>
#include <string_view>
#include <system_error>
#include <utility>

#include "core/name_suggestions.h"
#include "core/quantity.h"
#include "core/schema.h"

namespace podscope::core {
namespace {

// Beyond this many findings in one document the rest are counted, not
// listed: a generated file with a million bad items must not drown the
// first, useful ones.
constexpr std::size_t kMaxFindingsPerDocument = 500;
// Suggestions search the whole schema; past this many unknown fields in a
// document (pasted junk) they stop.
constexpr int kMaxSuggestedUnknownFields = 100;
constexpr std::size_t kMaxShownValueBytes = 80;

const YamlNode& nullNode() {
  static const YamlNode kNull;
  return kNull;
}

// ---------------------------------------------------------------------------
// Scalars as Kubernetes sees them. kubectl turns YAML into JSON with
// gopkg.in/yaml.v2 (YAML 1.1 resolution) before decoding it, so an unquoted
// `yes` is a boolean and `1.0` a number even where a string is expected; the
// JSON decoder then refuses them for string fields.

enum class ScalarKind { Null, Bool, Int, Float, String };

struct Scalar {
  ScalarKind kind = ScalarKind::String;
  bool boolValue = false;
  bool negative = false;
  std::uint64_t magnitude = 0;  ///< Int: |value|; up to 2^64-1 as yaml.v2 allows
  double floatValue = 0;
};

bool isDigit(char c) { return c >= '0' && c <= '9'; }

std::optional<Scalar> parseGoInt(std::string_view s) {
  Scalar out;
  out.kind = ScalarKind::Int;
  char sign = 0;
  if (!s.empty() && (s[0] == '+' || s[0] == '-')) {
    sign = s[0];
    s.remove_prefix(1);
  }
  unsigned base = 10;
  if (s.size() > 1 && s[0] == '0') {
    char p = static_cast<char>(s[1] | 0x20);
    if (p == 'x') {
      base = 16;
      s.remove_prefix(2);
    } else if (p == 'o') {
      base = 8;
      s.remove_prefix(2);
    } else if (p == 'b') {
      base = 2;
      s.remove_prefix(2);
    } else {
      base = 8;
      s.remove_prefix(1);
    }
  }
  if (s.empty()) return std::nullopt;
  std::uint64_t value = 0;
  for (char c : s) {
    unsigned digit = 0;
    if (isDigit(c)) {
      digit = static_cast<unsigned>(c - '0');
    } else if (c >= 'a' && c <= 'f') {
      digit = static_cast<unsigned>(c - 'a' + 10);
    } else if (c >= 'A' && c <= 'F') {
      digit = static_cast<unsigned>(c - 'A' + 10);
    } else {
      return std::nullopt;
    }
    if (digit >= base) return std::nullopt;
    if (value > (std::numeric_limits<std::uint64_t>::max() - digit) / base) return std::nullopt;
    value = value * base + digit;
  }
  constexpr std::uint64_t kInt64Max = static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max());
  // strconv.ParseInt takes a sign and int64; ParseUint takes no sign.
  if (sign == '-' && value > kInt64Max + 1) return std::nullopt;
  if (sign == '+' && value > kInt64Max) return std::nullopt;
  out.negative = sign == '-' && value != 0;
  out.magnitude = value;
  return out;
}

std::optional<double> parseFloat(std::string_view s) {
  if (!s.empty() && s[0] == '+') s.remove_prefix(1);
  if (s.empty() || s[0] == '+') return std::nullopt;
  double v = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v, std::chars_format::general);
  if (ec != std::errc() || end != s.data() + s.size()) return std::nullopt;
  return v;
}

// yaml.v2's `^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$`
bool looksLikeYamlFloat(std::string_view s) {
  std::size_t i = 0;
  if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
  if (i < s.size() && s[i] == '.') {
    ++i;
    std::size_t start = i;
    while (i < s.size() && isDigit(s[i])) ++i;
    if (i == start) return false;
  } else {
    std::size_t start = i;
    while (i < s.size() && isDigit(s[i])) ++i;
    if (i == start) return false;
    if (i < s.size() && s[i] == '.') {
      ++i;
      while (i < s.size() && isDigit(s[i])) ++i;
    }
  }
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
    std::size_t start = i;
    while (i < s.size() && isDigit(s[i])) ++i;
    if (i == start) return false;
  }
  return i == s.size();
}

Scalar resolvePlain(std::string_view text) {
  Scalar s;
  static constexpr std::string_view kTrue[] = {"y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON"};
  static constexpr std::string_view kFalse[] = {"n",     "N",     "no",  "No",  "NO", "false",
                                                "False", "FALSE", "off", "Off", "OFF"};
  static constexpr std::string_view kNull[] = {"", "~", "null", "Null", "NULL"};
  static constexpr std::string_view kSpecialFloats[] = {".inf",  ".Inf",  ".INF",  "+.inf", "+.Inf", "+.INF",
                                                        "-.inf", "-.Inf", "-.INF", ".nan",  ".NaN",  ".NAN"};
  auto in = [&](const auto& list) { return std::find(std::begin(list), std::end(list), text) != std::end(list); };
  if (in(kNull)) {
    s.kind = ScalarKind::Null;
    return s;
  }
  if (in(kTrue) || in(kFalse)) {
    s.kind = ScalarKind::Bool;
    s.boolValue = in(kTrue);
    return s;
  }
  if (in(kSpecialFloats)) {
    s.kind = ScalarKind::Float;
    s.floatValue =
        text.find("nan") != std::string_view::npos || text.find("NaN") != std::string_view::npos ||
                text.find("NAN") != std::string_view::npos
            ? std::numeric_limits<double>::quiet_NaN()
            : (text[0] == '-' ? -std::numeric_limits<double>::infinity() : std::numeric_limits<double>::infinity());
    return s;
  }
  const char first = text[0];
  if (first == '.') {
    if (std::optional<double> v = parseFloat(text)) {
      s.kind = ScalarKind::Float;
      s.floatValue = *v;
    }
    return s;
  }
  if (!isDigit(first) && first != '+' && first != '-') return s;
  std::string plain(text);
  plain.erase(std::remove(plain.begin(), plain.end(), '_'), plain.end());
  if (std::optional<Scalar> i = parseGoInt(plain)) return *i;
  if (looksLikeYamlFloat(plain)) {
    if (std::optional<double> v = parseFloat(plain)) {
      s.kind = ScalarKind::Float;
      s.floatValue = *v;
    }
  }
  return s;
}

bool hasStringTag(const YamlNode& node) {
  return node.tag == "!!str" || node.tag == "tag:yaml.org,2002:str" || node.tag == "!";
}

Scalar resolveScalar(const YamlNode& node) {
  if (node.isNull()) return Scalar{ScalarKind::Null};
  if (node.quoted || hasStringTag(node)) return Scalar{};
  return resolvePlain(node.value);
}

// Would this text be a number if it were not quoted? For "remove the quotes".
bool numericText(std::string_view text) {
  if (text.empty()) return false;
  ScalarKind k = resolvePlain(text).kind;
  return k == ScalarKind::Int || k == ScalarKind::Float;
}

// Go's %q, shortened: values in messages are quoted as the API server quotes them.
std::string goQuote(std::string_view text) {
  std::string out = "\"";
  std::size_t shown = std::min(text.size(), kMaxShownValueBytes);
  // Never cut a UTF-8 sequence in half.
  while (shown < text.size() && shown > 0 && (static_cast<unsigned char>(text[shown]) & 0xC0) == 0x80) --shown;
  for (std::size_t i = 0; i < shown; ++i) {
    const char c = text[i];
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\r':
        out += "\\r";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
          static constexpr char kHex[] = "0123456789abcdef";
          out += "\\x";
          out += kHex[(static_cast<unsigned char>(c) >> 4) & 0xF];
          out += kHex[static_cast<unsigned char>(c) & 0xF];
        } else {
          out += c;
        }
    }
  }
  if (shown < text.size()) out += "...";
  return out + "\"";
}

// A value as the API server prints it in "Invalid value: ...": strings
// quoted, numbers and booleans bare.
std::string shownValue(const YamlNode& node) {
  if (resolveScalar(node).kind == ScalarKind::String) return goQuote(node.value);
  std::string text = node.value.substr(0, kMaxShownValueBytes);
  if (text.size() < node.value.size()) text += "...";
  return text;
}

std::string shapeOf(const YamlNode& node) {
  switch (node.kind) {
    case YamlNode::Kind::Null:
      return "null";
    case YamlNode::Kind::Sequence:
      return "a list";
    case YamlNode::Kind::Map:
      return "a mapping";
    case YamlNode::Kind::Scalar:
      break;
  }
  switch (resolveScalar(node).kind) {
    case ScalarKind::Null:
      return "null";
    case ScalarKind::Bool:
      return "a boolean";
    case ScalarKind::Int:
    case ScalarKind::Float:
      return "a number";
    case ScalarKind::String:
      break;
  }
  return "a string";
}

std::string childPath(const std::string& parent, std::string_view field) {
  return parent.empty() ? std::string(field) : parent + "." + std::string(field);
}
std::string indexPath(const std::string& parent, std::size_t index) {
  return parent + "[" + std::to_string(index) + "]";
}
std::string keyPath(const std::string& parent, std::string_view key) { return parent + "[" + std::string(key) + "]"; }

std::string quotedList(const std::vector<std::string_view>& values) {
  std::string out;
  for (std::string_view v : values) out += (out.empty() ? "" : ", ") + goQuote(v);
  return out;
}

std::string trimmed(std::string_view s) {
  const char* ws = " \t\r\n\f\v";
  std::size_t b = s.find_first_not_of(ws);
  if (b == std::string_view::npos) return {};
  std::size_t e = s.find_last_not_of(ws);
  return std::string(s.substr(b, e - b + 1));
}

bool equalsIgnoringCase(std::string_view a, std::string_view b) {
  auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; };
  return a.size() == b.size() &&
         std::equal(a.begin(), a.end(), b.begin(), [&](char x, char y) { return lower(x) == lower(y); });
}

std::optional<RestartPolicy> restartPolicyFrom(std::string_view s) {
  if (s == "Always") return RestartPolicy::Always;
  if (s == "OnFailure") return RestartPolicy::OnFailure;
  if (s == "Never") return RestartPolicy::Never;
  return std::nullopt;
}
std::optional<PullPolicy> pullPolicyFrom(std::string_view s) {
  if (s == "Always") return PullPolicy::Always;
  if (s == "IfNotPresent") return PullPolicy::IfNotPresent;
  if (s == "Never") return PullPolicy::Never;
  return std::nullopt;
}
std::optional<TerminationMessagePolicy> messagePolicyFrom(std::string_view s) {
  if (s == "File") return TerminationMessagePolicy::File;
  if (s == "FallbackToLogsOnError") return TerminationMessagePolicy::FallbackToLogsOnError;
  return std::nullopt;
}
std::optional<Protocol> protocolFrom(std::string_view s) {
  if (s == "TCP") return Protocol::TCP;
  if (s == "UDP") return Protocol::UDP;
  if (s == "SCTP") return Protocol::SCTP;
  return std::nullopt;
}
std::optional<UriScheme> schemeFrom(std::string_view s) {
  if (s == "HTTP") return UriScheme::HTTP;
  if (s == "HTTPS") return UriScheme::HTTPS;
  return std::nullopt;
}

// Path segments with list indices replaced by [*], to compare a concrete
// path with the schema's patterns.
std::vector<std::string> patternSegments(std::string_view path) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start < path.size()) {
    std::size_t end = path.find('.', start);
    if (end == std::string_view::npos) end = path.size();
    out.emplace_back(path.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

std::string wildcardIndex(std::string segment) {
  std::size_t open = segment.find('[');
  if (open != std::string::npos) segment = segment.substr(0, open) + "[*]";
  return segment;
}

std::string firstIndex(std::string segment) {
  std::size_t open = segment.find("[*]");
  if (open != std::string::npos) segment.replace(open, 3, "[0]");
  return segment;
}

std::string joinSegments(const std::vector<std::string>& segments, std::size_t count) {
  std::string out;
  for (std::size_t i = 0; i < count && i < segments.size(); ++i) out += (i ? "." : "") + segments[i];
  return out;
}

// ---------------------------------------------------------------------------

class Decoder {
 public:
  Decoder(const std::string& file, Document& doc, std::vector<Diagnostic>& out)
      : m_file(file), m_doc(doc), m_out(out) {}

  void run(const YamlNode& root) {
    m_doc.range = root.range;
    if (!root.isNull() && !root.isMap()) {
      report(Severity::Error, "invalid-type", "", root.range,
             "a manifest document must be a mapping with apiVersion, kind, metadata and spec, not " + shapeOf(root));
      finish();
      return;
    }
    std::optional<std::string> apiVersion = rootString(root, "apiVersion");
    std::optional<std::string> kind = rootString(root, "kind");
    if (apiVersion) m_doc.apiVersion = *apiVersion;
    if (kind) m_doc.kind = *kind;
    if (apiVersion && kind) {
      if (*kind == "Pod" || *kind == "Deployment") {
        const std::string_view wanted = *kind == "Pod" ? "v1" : "apps/v1";
        if (*apiVersion == wanted) {
          m_kind = *kind;
          if (m_kind == "Pod") {
            decodePod(root);
          } else {
            decodeDeployment(root);
          }
          finish();
          return;
        }
        noMatch(root, *kind, *apiVersion, {});
      } else {
        for (std::string_view known : {"Pod", "Deployment"}) {
          if (equalsIgnoringCase(*kind, known)) noMatch(root, *kind, *apiVersion, known);
        }
      }
    }
    readNameOnly(root);
    finish();
  }

 private:
  /// The known fields of one mapping that hold a value (null is absent).
  class Present {
   public:
    explicit Present(const TypeSchema* type) : m_type(type), m_nodes(type ? type->fields.size() : 0, nullptr) {}
    void set(const FieldSchema& f, const YamlNode& value) {
      m_nodes[static_cast<std::size_t>(&f - m_type->fields.data())] = &value;
    }
    const YamlNode* node(std::string_view name) const {
      for (std::size_t i = 0; i < m_nodes.size(); ++i) {
        if (m_type->fields[i].name == name) return m_nodes[i];
      }
      return nullptr;
    }
    bool has(std::string_view name) const { return node(name) != nullptr; }
    /// The value was a mapping; false for null and for the wrong shape.
    bool mapping() const { return m_mapping; }
    void setMapping() { m_mapping = true; }

   private:
    const TypeSchema* m_type;
    std::vector<const YamlNode*> m_nodes;
    bool m_mapping = false;
  };

  struct Field {
    const FieldSchema& schema;
    const YamlNode::Entry& entry;
    std::string path;
    bool is(std::string_view name) const { return schema.name == name; }
    const YamlNode& value() const { return entry.value; }
  };

  // --- reporting -----------------------------------------------------------

  void report(Severity severity, std::string rule, std::string path, SourceRange range, std::string message) {
    if (m_findings >= kMaxFindingsPerDocument) {
      ++m_suppressed;
      if (severity == Severity::Error) ++m_suppressedErrors;
      return;
    }
    ++m_findings;
    Diagnostic d;
    d.severity = severity;
    d.file = m_file;
    d.document = m_doc.index;
    d.path = std::move(path);
    d.range = range;
    d.rule = std::move(rule);
    d.message = std::move(message);
    m_out.push_back(std::move(d));
  }

  void finish() {
    if (m_suppressed == 0) return;
    Diagnostic d;
    d.severity = m_suppressedErrors > 0 ? Severity::Error : Severity::Warning;
    d.file = m_file;
    d.document = m_doc.index;
    d.range = m_doc.range;
    d.rule = "too-many-findings";
    d.message =
        std::to_string(m_suppressed) + " more problems in this document are not listed; fix the ones above first";
    m_out.push_back(std::move(d));
  }

  static std::string prefixed(const std::string& path, const std::string& message) {
    return path.empty() ? message : path + ": " + message;
  }

  void invalidValue(const std::string& path, const YamlNode& node, const std::string& detail,
                    std::string rule = "invalid-type") {
    report(Severity::Error, std::move(rule), path, node.range,
           prefixed(path, "Invalid value: " + shownValue(node) + ": " + detail));
  }

  // `expected` reads after "must be": "an integer", "a mapping", ...
  void wrongShape(const std::string& path, const YamlNode& node, const std::string& expected) {
    if (node.isScalar()) {
      invalidValue(path, node, "must be " + expected);
      return;
    }
    report(Severity::Error, "invalid-type", path, node.range,
           prefixed(path, "must be " + expected + ", not " + shapeOf(node)));
  }

  void recordPosition(const std::string& path, SourceRange key, SourceRange value) {
    m_doc.positions[path] = {key, value};
  }
  void recordDefault(const std::string& path, std::string yamlText) { m_doc.defaults[path] = std::move(yamlText); }

  // --- unknown fields and where they belong ----------------------------------

  void unknownField(const TypeSchema& type, const std::string& parentPath, const YamlNode::Entry& entry,
                    const std::string& fieldPath) {
    std::string message = "unknown field " + goQuote(fieldPath);
    if (m_unknownFields++ < kMaxSuggestedUnknownFields) message += suggestionFor(type, parentPath, entry.key);
    report(Severity::Error, "unknown-field", fieldPath, entry.keyRange, std::move(message));
  }

  /// The nearest place `field` is defined, related to `parentPath` as an
  /// enclosing object (indented too deep) or an object inside it (indented
  /// too shallow); empty when there is none.
  std::string placeFor(std::string_view field, const std::string& parentPath, std::string* owner) const {
    const std::vector<std::string> here = patternSegments(parentPath);
    std::vector<std::string> herePattern;
    herePattern.reserve(here.size());
    for (const std::string& s : here) herePattern.push_back(wildcardIndex(s));
    std::optional<std::vector<std::string>> best;
    std::size_t bestDistance = std::numeric_limits<std::size_t>::max();
    for (const std::string& candidate : pathsDefiningField(m_kind, field)) {
      std::vector<std::string> segments = patternSegments(candidate);
      const std::size_t parentLength = segments.size() - 1;
      const std::size_t shared = std::min(parentLength, herePattern.size());
      if (!std::equal(segments.begin(), segments.begin() + static_cast<std::ptrdiff_t>(shared), herePattern.begin()))
        continue;
      if (parentLength == herePattern.size()) continue;  // would have been known here
      // Ties go inward: `command` under a probe more likely lost its `exec:`
      // than strayed from the container.
      const std::size_t distance = parentLength > herePattern.size() ? 2 * (parentLength - herePattern.size())
                                                                     : 2 * (herePattern.size() - parentLength) + 1;
      if (distance < bestDistance) {
        bestDistance = distance;
        best = std::move(segments);
      }
    }
    if (!best) return {};
    std::vector<std::string> concrete;
    for (std::size_t i = 0; i < best->size(); ++i) {
      concrete.push_back(i < here.size() && i + 1 < best->size() ? here[i] : firstIndex((*best)[i]));
    }
    if (owner) {
      std::string ownerPattern = joinSegments(*best, best->size() - 1);
      const TypeSchema* ownerType = typeForPath(m_kind, ownerPattern);
      *owner = ownerType ? std::string(ownerType->noun) : std::string();
    }
    return joinSegments(concrete, concrete.size());
  }

  std::string suggestionFor(const TypeSchema& type, const std::string& parentPath, const std::string& key) const {
    std::string owner;
    std::string place = placeFor(key, parentPath, &owner);
    if (!place.empty() && !owner.empty()) return "; " + key + " belongs to " + owner + ": " + place;
    std::vector<std::string_view> siblings;
    for (const FieldSchema& f : type.fields) siblings.push_back(f.name);
    if (std::optional<std::string_view> near = closestName(key, siblings)) {
      return "; did you mean " + goQuote(*near) + "?";
    }
    if (std::optional<std::string_view> near = closestName(key, fieldNamesOf(m_kind))) {
      std::string elsewhere = placeFor(*near, parentPath, nullptr);
      if (!elsewhere.empty()) return "; did you mean " + elsewhere + "?";
    }
    return {};
  }

  // --- walking mappings and lists ---------------------------------------------

  template <typename Fn>
  Present forEachField(const YamlNode& node, std::string_view typeName, const std::string& path, Fn&& fn) {
    const TypeSchema* type = findType(typeName);
    Present present(type);
    if (!type || node.isNull()) return present;
    if (!node.isMap()) {
      wrongShape(path, node, "a mapping");
      return present;
    }
    present.setMapping();
    for (const YamlNode::Entry& entry : node.entries) {
      std::string fieldPath = childPath(path, entry.key);
      recordPosition(fieldPath, entry.keyRange, entry.value.range);
      const FieldSchema* f = type->field(entry.key);
      if (!f) {
        unknownField(*type, path, entry, fieldPath);
        continue;
      }
      if (entry.value.isNull()) continue;
      present.set(*f, entry.value);
      fn(Field{*f, entry, std::move(fieldPath)});
    }
    return present;
  }

  template <typename Fn>
  void forEachItem(const YamlNode& node, const std::string& path, const std::string& expected, Fn&& fn) {
    if (!node.isSequence()) {
      wrongShape(path, node, expected);
      return;
    }
    for (std::size_t i = 0; i < node.items.size(); ++i) {
      std::string itemPath = indexPath(path, i);
      recordPosition(itemPath, node.items[i].range, node.items[i].range);
      fn(node.items[i], itemPath);
    }
  }

  template <typename Fn>
  void forEachItem(const Field& f, Fn&& fn) {
    forEachItem(f.value(), f.path, "a list", std::forward<Fn>(fn));
  }

  // --- scalars ------------------------------------------------------------------

  std::optional<std::string> stringValue(const YamlNode& node, const std::string& path) {
    if (node.isNull()) return std::string();
    if (!node.isScalar()) {
      wrongShape(path, node, "a string");
      return std::nullopt;
    }
    Scalar s = resolveScalar(node);
    if (s.kind == ScalarKind::String) return node.value;
    invalidValue(path, node, "must be a string; write it in quotes: " + goQuote(node.value));
    return std::nullopt;
  }

  bool readString(const Field& f, std::string& out) {
    std::optional<std::string> v = stringValue(f.value(), f.path);
    if (v) out = std::move(*v);
    return v.has_value();
  }

  std::optional<std::int64_t> integerValue(const YamlNode& node, const std::string& path, int bits) {
    if (!node.isScalar()) {
      wrongShape(path, node, "an integer");
      return std::nullopt;
    }
    const std::int64_t max =
        bits == 32 ? std::numeric_limits<std::int32_t>::max() : std::numeric_limits<std::int64_t>::max();
    const std::int64_t min =
        bits == 32 ? std::numeric_limits<std::int32_t>::min() : std::numeric_limits<std::int64_t>::min();
    const std::string range = "must be an integer from " + std::to_string(min) + " to " + std::to_string(max);
    Scalar s = resolveScalar(node);
    switch (s.kind) {
      case ScalarKind::Int: {
        const std::uint64_t limit =
            s.negative ? static_cast<std::uint64_t>(-(min + 1)) + 1 : static_cast<std::uint64_t>(max);
        if (s.magnitude > limit) {
          invalidValue(path, node, range);
          return std::nullopt;
        }
        if (!s.negative) return static_cast<std::int64_t>(s.magnitude);
        return s.magnitude == limit ? min : -static_cast<std::int64_t>(s.magnitude);
      }
      case ScalarKind::Float: {
        // yaml.v2 makes 80.0 a float, and JSON carries it as 80: accepted.
        const double v = s.floatValue;
        if (!std::isfinite(v) || v != std::trunc(v) || std::fabs(v) >= 1e21) {
          invalidValue(path, node, "must be an integer");
          return std::nullopt;
        }
        if (v < static_cast<double>(min) || v >= -static_cast<double>(min)) {
          invalidValue(path, node, range);
          return std::nullopt;
        }
        return static_cast<std::int64_t>(v);
      }
      case ScalarKind::String:
        invalidValue(
            path, node,
            node.quoted && numericText(node.value) ? "a quoted string, must be an integer" : "must be an integer");
        return std::nullopt;
      case ScalarKind::Bool:
      case ScalarKind::Null:
        break;
    }
    invalidValue(path, node, "must be an integer");
    return std::nullopt;
  }

  template <typename Int>
  bool readInt(const Field& f, Int& out) {
    std::optional<std::int64_t> v = integerValue(f.value(), f.path, sizeof(Int) == 4 ? 32 : 64);
    if (v) out = static_cast<Int>(*v);
    return v.has_value();
  }

  template <typename Int>
  void readOptionalInt(const Field& f, std::optional<Int>& out) {
    Int v{};
    if (readInt(f, v)) out = v;
  }

  std::optional<bool> boolValue(const YamlNode& node, const std::string& path) {
    if (!node.isScalar()) {
      wrongShape(path, node, "true or false");
      return std::nullopt;
    }
    Scalar s = resolveScalar(node);
    if (s.kind == ScalarKind::Bool) return s.boolValue;
    bool quotedBool = node.quoted && resolvePlain(node.value).kind == ScalarKind::Bool;
    invalidValue(path, node, quotedBool ? "a quoted string, must be true or false" : "must be true or false");
    return std::nullopt;
  }

  void readOptionalBool(const Field& f, std::optional<bool>& out) {
    if (std::optional<bool> v = boolValue(f.value(), f.path)) out = *v;
  }

  std::optional<IntOrString> intOrStringValue(const YamlNode& node, const std::string& path) {
    if (!node.isScalar()) {
      wrongShape(path, node, "an integer or a string");
      return std::nullopt;
    }
    Scalar s = resolveScalar(node);
    if (s.kind == ScalarKind::String) return IntOrString::fromString(node.value);
    const bool integral = s.kind == ScalarKind::Int || (s.kind == ScalarKind::Float && std::isfinite(s.floatValue) &&
                                                        s.floatValue == std::trunc(s.floatValue));
    if (integral) {
      std::optional<std::int64_t> v = integerValue(node, path, 32);
      if (!v) return std::nullopt;
      return IntOrString::fromInt(*v);
    }
    invalidValue(path, node, "must be an integer or a string");
    return std::nullopt;
  }

  void readIntOrString(const Field& f, IntOrString& out) {
    if (std::optional<IntOrString> v = intOrStringValue(f.value(), f.path)) out = std::move(*v);
  }

  std::optional<Quantity> quantityValue(const YamlNode& node, const std::string& path) {
    if (!node.isScalar()) {
      wrongShape(path, node, "a quantity such as 500m or 128Mi");
      return std::nullopt;
    }
    const std::string text = trimmed(node.value);
    Result<Quantity> q = parseQuantity(text);
    if (!q) {
      // yaml.v2 reads 0x10 or 1_000 as a number and JSON carries its
      // decimal form, which is what the API server parses.
      Scalar s = resolveScalar(node);
      if (s.kind == ScalarKind::Int) {
        std::string decimal = (s.negative ? "-" : "") + std::to_string(s.magnitude);
        if (Result<Quantity> again = parseQuantity(decimal)) {
          again->text = text;
          q = std::move(again);
        }
      }
    }
    if (!q) {
      invalidValue(path, node, q.error().message, "invalid-quantity");
      return std::nullopt;
    }
    if (milliValueSaturated(*q)) {
      report(
          Severity::Warning, "quantity-too-large", path, node.range,
          prefixed(path, "Invalid value: " + shownValue(node) +
                             ": too large to represent in thousandths; Podscope uses the largest value it can hold"));
    }
    return std::move(*q);
  }

  /// nullopt: reported as unsupported or mistyped. "": empty, so the default applies.
  std::optional<std::string> enumValue(const Field& f, bool emptyMeansDefault) {
    std::optional<std::string> v = stringValue(f.value(), f.path);
    if (!v) return std::nullopt;
    if (v->empty() && emptyMeansDefault) return v;
    const std::vector<std::string_view>& allowed = f.schema.enumValues;
    if (std::find(allowed.begin(), allowed.end(), *v) != allowed.end()) return v;
    report(Severity::Error, "unsupported-value", f.path, f.value().range,
           prefixed(f.path, "Unsupported value: " + goQuote(*v) + ": supported values: " + quotedList(allowed)));
    return std::nullopt;
  }

  std::vector<std::string> stringList(const Field& f) {
    std::vector<std::string> out;
    forEachItem(f.value(), f.path, "a list of strings", [&](const YamlNode& item, const std::string& itemPath) {
      if (std::optional<std::string> v = stringValue(item, itemPath)) out.push_back(std::move(*v));
    });
    return out;
  }

  void stringMap(const Field& f, std::map<std::string, std::string>& out) {
    const YamlNode& node = f.value();
    if (!node.isMap()) {
      wrongShape(f.path, node, "a mapping of strings to strings");
      return;
    }
    for (const YamlNode::Entry& e : node.entries) {
      std::string path = keyPath(f.path, e.key);
      recordPosition(path, e.keyRange, e.value.range);
      if (std::optional<std::string> v = stringValue(e.value, path)) out[e.key] = std::move(*v);
    }
  }

  void quantityMap(const Field& f, std::map<std::string, Quantity>& out) {
    const YamlNode& node = f.value();
    if (!node.isMap()) {
      wrongShape(f.path, node, "a mapping of resource names to quantities");
      return;
    }
    for (const YamlNode::Entry& e : node.entries) {
      std::string path = keyPath(f.path, e.key);
      recordPosition(path, e.keyRange, e.value.range);
      if (e.value.isNull()) continue;
      if (std::optional<Quantity> q = quantityValue(e.value, path)) out[e.key] = std::move(*q);
    }
  }

  // --- the document ------------------------------------------------------------------

  std::optional<std::string> rootString(const YamlNode& root, std::string_view name) {
    const YamlNode::Entry* entry = nullptr;
    for (const YamlNode::Entry& e : root.entries) {
      if (e.key == name) entry = &e;
    }
    if (entry) recordPosition(std::string(name), entry->keyRange, entry->value.range);
    if (entry && !entry->value.isNull()) {
      std::optional<std::string> v = stringValue(entry->value, std::string(name));
      if (!v) return std::nullopt;  // reported as mistyped
      if (!v->empty()) return v;
    }
    report(Severity::Error, "required", std::string(name), root.range, std::string(name) + ": Required value");
    return std::nullopt;
  }

  void noMatch(const YamlNode& root, const std::string& kind, const std::string& apiVersion, std::string_view meant) {
    const YamlNode::Entry* at = nullptr;
    for (const YamlNode::Entry& e : root.entries) {
      if (e.key == (meant.empty() ? "apiVersion" : "kind")) at = &e;
    }
    std::string message = "no matches for kind " + goQuote(kind) + " in version " + goQuote(apiVersion);
    if (!meant.empty()) {
      message += "; did you mean kind " + goQuote(meant) + "?";
    } else {
      message += "; use apiVersion: " + std::string(kind == "Pod" ? "v1" : "apps/v1") + " for a " + kind;
      if (kind == "Deployment" &&
          (apiVersion == "extensions/v1beta1" || apiVersion == "apps/v1beta1" || apiVersion == "apps/v1beta2")) {
        message += " (" + apiVersion + " was removed in Kubernetes 1.16)";
      }
    }
    report(Severity::Error, "no-kind-match", at ? at->key : std::string(), at ? at->value.range : root.range, message);
  }

  // For kinds that are listed, not run: the name, quietly.
  void readNameOnly(const YamlNode& root) {
    if (!root.isMap()) return;
    for (const YamlNode::Entry& e : root.entries) {
      if (e.key != "metadata" || !e.value.isMap()) continue;
      recordPosition("metadata", e.keyRange, e.value.range);
      for (const YamlNode::Entry& m : e.value.entries) {
        if (m.key != "name" || !m.value.isScalar()) continue;
        recordPosition("metadata.name", m.keyRange, m.value.range);
        m_doc.name = m.value.value;
      }
    }
  }

  void decodePod(const YamlNode& root) {
    Pod pod;
    const YamlNode* meta = &nullNode();
    const YamlNode* spec = &nullNode();
    forEachField(root, "Pod", "", [&](const Field& f) {
      if (f.is("metadata")) meta = &f.value();
      if (f.is("spec")) spec = &f.value();
    });
    decodeMeta(*meta, "metadata", pod.metadata);
    decodePodSpec(*spec, "spec", pod.spec, /*isPod=*/true);
    m_doc.name = pod.metadata.name;
    m_doc.pod = std::move(pod);
  }

  void decodeDeployment(const YamlNode& root) {
    Deployment deployment;
    const YamlNode* meta = &nullNode();
    const YamlNode* spec = &nullNode();
    forEachField(root, "Deployment", "", [&](const Field& f) {
      if (f.is("metadata")) meta = &f.value();
      if (f.is("spec")) spec = &f.value();
    });
    decodeMeta(*meta, "metadata", deployment.metadata);
    decodeDeploymentSpec(*spec, "spec", deployment.spec);
    m_doc.name = deployment.metadata.name;
    m_doc.deployment = std::move(deployment);
  }

  void decodeMeta(const YamlNode& node, const std::string& path, ObjectMeta& meta) {
    forEachField(node, "ObjectMeta", path, [&](const Field& f) {
      if (f.is("name")) readString(f, meta.name);
      if (f.is("generateName")) readString(f, meta.generateName);
      if (f.is("namespace")) readString(f, meta.namespaceName);
      if (f.is("labels")) stringMap(f, meta.labels);
      if (f.is("annotations")) stringMap(f, meta.annotations);
    });
    // Not an API default (the namespace comes from the request), so it is
    // not listed in Document::defaults.
    if (meta.namespaceName.empty()) meta.namespaceName = "default";
  }

  static bool absentOrEmpty(const YamlNode* node) {
    return !node || (node->isScalar() && node->value.empty() && resolveScalar(*node).kind == ScalarKind::String);
  }

  void decodePodSpec(const YamlNode& node, const std::string& path, PodSpec& spec, bool isPod) {
    std::optional<std::string> restartPolicy;
    Present p = forEachField(node, "PodSpec", path, [&](const Field& f) {
      if (f.is("containers")) {
        forEachItem(f, [&](const YamlNode& item, const std::string& itemPath) {
          spec.containers.push_back(decodeContainer(item, itemPath, isPod, /*isInit=*/false));
        });
      }
      if (f.is("initContainers")) {
        forEachItem(f, [&](const YamlNode& item, const std::string& itemPath) {
          spec.initContainers.push_back(decodeContainer(item, itemPath, isPod, /*isInit=*/true));
        });
      }
      if (f.is("volumes")) {
        forEachItem(f, [&](const YamlNode& item, const std::string& itemPath) {
          spec.volumes.push_back(decodeVolume(item, itemPath));
        });
      }
      if (f.is("restartPolicy")) restartPolicy = enumValue(f, true);
      if (f.is("terminationGracePeriodSeconds")) readInt(f, spec.terminationGracePeriodSeconds);
      if (f.is("activeDeadlineSeconds")) readOptionalInt(f, spec.activeDeadlineSeconds);
      if (f.is("hostname")) readString(f, spec.hostname);
      if (f.is("securityContext")) spec.securityContext = decodePodSecurityContext(f.value(), f.path);
    });
    if (restartPolicy && !restartPolicy->empty()) spec.restartPolicy = *restartPolicyFrom(*restartPolicy);
    if (!p.has("restartPolicy") || (restartPolicy && restartPolicy->empty())) {
      spec.restartPolicy = RestartPolicy::Always;
      recordDefault(childPath(path, "restartPolicy"), "Always");
    }
    if (!p.has("terminationGracePeriodSeconds")) {
      spec.terminationGracePeriodSeconds = 30;
      recordDefault(childPath(path, "terminationGracePeriodSeconds"), "30");
    }
    // Not modelled, but the API server fills them in and the editor shows them.
    if (absentOrEmpty(p.node("dnsPolicy"))) recordDefault(childPath(path, "dnsPolicy"), "ClusterFirst");
    if (absentOrEmpty(p.node("schedulerName"))) recordDefault(childPath(path, "schedulerName"), "default-scheduler");
    if (isPod && !p.has("enableServiceLinks")) recordDefault(childPath(path, "enableServiceLinks"), "true");
  }

  // Any pod restart policy is kept for the validator, which knows the rules
  // (sidecars only, and only Always); what fits no policy at all is reported
  // here, as the validator would never see it.
  void readContainerRestartPolicy(const Field& f, bool isInit, std::optional<RestartPolicy>& out) {
    std::optional<std::string> v = stringValue(f.value(), f.path);
    if (!v) return;
    if (std::optional<RestartPolicy> policy = restartPolicyFrom(*v)) {
      out = policy;
    } else if (isInit) {
      report(Severity::Error, "container-restart-policy", f.path, f.value().range,
             prefixed(f.path,
                      "Unsupported value: " + goQuote(*v) + ": supported values: " + quotedList(f.schema.enumValues)));
    } else {
      report(Severity::Error, "container-restart-policy", f.path, f.entry.keyRange,
             prefixed(f.path, "Forbidden: may not be set for non-init containers"));
    }
  }

  Container decodeContainer(const YamlNode& node, const std::string& path, bool isPod, bool isInit) {
    Container c;
    c.range = node.range;
    std::optional<std::string> pullPolicy;
    std::optional<std::string> messagePolicy;
    Present p = forEachField(node, "Container", path, [&](const Field& f) {
      if (f.is("name")) readString(f, c.name);
      if (f.is("image")) readString(f, c.image);
      if (f.is("imagePullPolicy")) pullPolicy = enumValue(f, true);
      if (f.is("command")) c.command = stringList(f);
      if (f.is("args")) c.args = stringList(f);
      if (f.is("workingDir")) readString(f, c.workingDir);
      if (f.is("ports")) {
        forEachItem(f, [&](const YamlNode& item, const std::string& itemPath) {
          c.ports.push_back(decodePort(item, itemPath));
        });
      }
      if (f.is("env")) {
        forEachItem(f, [&](const YamlNode& item, const std::string& itemPath) {
          c.env.push_back(decodeEnvVar(item, itemPath));
        });
      }
      if (f.is("resources")) decodeResources(f.value(), f.path, c.resources);
      if (f.is("volumeMounts")) {
        forEachItem(f, [&](const YamlNode& item, const std::string& itemPath) {
          c.volumeMounts.push_back(decodeVolumeMount(item, itemPath));
        });
      }
      if (f.is("livenessProbe")) c.livenessProbe = decodeProbe(f.value(), f.path);
      if (f.is("readinessProbe")) c.readinessProbe = decodeProbe(f.value(), f.path);
      if (f.is("startupProbe")) c.startupProbe = decodeProbe(f.value(), f.path);
      if (f.is("lifecycle")) c.lifecycle = decodeLifecycle(f.value(), f.path);
      if (f.is("restartPolicy")) readContainerRestartPolicy(f, isInit, c.restartPolicy);
      if (f.is("terminationMessagePath")) readString(f, c.terminationMessagePath);
      if (f.is("terminationMessagePolicy")) messagePolicy = enumValue(f, true);
      if (f.is("securityContext")) c.securityContext = decodeSecurityContext(f.value(), f.path);
    });
    if (pullPolicy && !pullPolicy->empty()) c.imagePullPolicy = *pullPolicyFrom(*pullPolicy);
    if (!p.has("imagePullPolicy") || (pullPolicy && pullPolicy->empty())) {
      c.imagePullPolicy = defaultPullPolicy(c.image);
      recordDefault(childPath(path, "imagePullPolicy"), std::string(toString(c.imagePullPolicy)));
    }
    if (!p.has("terminationMessagePath") || c.terminationMessagePath.empty()) {
      c.terminationMessagePath = "/dev/termination-log";
      recordDefault(childPath(path, "terminationMessagePath"), c.terminationMessagePath);
    }
    if (messagePolicy && !messagePolicy->empty()) c.terminationMessagePolicy = *messagePolicyFrom(*messagePolicy);
    if (!p.has("terminationMessagePolicy") || (messagePolicy && messagePolicy->empty())) {
      c.terminationMessagePolicy = TerminationMessagePolicy::File;
      recordDefault(childPath(path, "terminationMessagePolicy"), "File");
    }
    // SetDefaults_Pod, not SetDefaults_PodSpec: templates keep requests
    // empty; the pods made from them get this when they are created.
    if (isPod) {
      for (const auto& [resource, limit] : c.resources.limits) {
        if (c.resources.requests.emplace(resource, limit).second) {
          recordDefault(keyPath(childPath(path, "resources.requests"), resource), limit.text);
        }
      }
    }
    return c;
  }

  ContainerPort decodePort(const YamlNode& node, const std::string& path) {
    ContainerPort port;
    std::optional<std::string> protocol;
    Present p = forEachField(node, "ContainerPort", path, [&](const Field& f) {
      if (f.is("name")) readString(f, port.name);
      if (f.is("containerPort")) readInt(f, port.containerPort);
      if (f.is("hostPort")) readOptionalInt(f, port.hostPort);
      if (f.is("protocol")) protocol = enumValue(f, true);
      if (f.is("hostIP")) readString(f, port.hostIP);
    });
    if (protocol && !protocol->empty()) port.protocol = *protocolFrom(*protocol);
    if (!p.has("protocol") || (protocol && protocol->empty())) {
      port.protocol = Protocol::TCP;
      recordDefault(childPath(path, "protocol"), "TCP");
    }
    return port;
  }

  EnvVar decodeEnvVar(const YamlNode& node, const std::string& path) {
    EnvVar env;
    forEachField(node, "EnvVar", path, [&](const Field& f) {
      if (f.is("name")) readString(f, env.name);
      if (f.is("value")) readString(f, env.value);
      if (f.is("valueFrom")) {
        // The sources themselves are not resolved locally; the linter says so.
        env.valueFrom = forEachField(f.value(), "EnvVarSource", f.path, [](const Field&) {}).mapping();
      }
    });
    return env;
  }

  void decodeResources(const YamlNode& node, const std::string& path, ResourceRequirements& resources) {
    forEachField(node, "ResourceRequirements", path, [&](const Field& f) {
      if (f.is("limits")) quantityMap(f, resources.limits);
      if (f.is("requests")) quantityMap(f, resources.requests);
    });
  }

  VolumeMount decodeVolumeMount(const YamlNode& node, const std::string& path) {
    VolumeMount mount;
    forEachField(node, "VolumeMount", path, [&](const Field& f) {
      if (f.is("name")) readString(f, mount.name);
      if (f.is("mountPath")) readString(f, mount.mountPath);
      if (f.is("readOnly")) {
        if (std::optional<bool> v = boolValue(f.value(), f.path)) mount.readOnly = *v;
      }
      if (f.is("subPath")) readString(f, mount.subPath);
    });
    return mount;
  }

  Volume decodeVolume(const YamlNode& node, const std::string& path) {
    Volume volume;
    bool haveSource = false;
    forEachField(node, "Volume", path, [&](const Field& f) {
      if (f.is("name")) {
        readString(f, volume.name);
        return;
      }
      if (haveSource) {
        // The model holds one source, so this is the only place that can
        // see a second one.
        report(Severity::Error, "multiple-volume-sources", f.path, f.entry.keyRange,
               f.path + ": Forbidden: may not specify more than 1 volume type");
        return;
      }
      haveSource = true;
      if (f.is("emptyDir")) {
        volume.source = Volume::Source::EmptyDir;
        forEachField(f.value(), "EmptyDirVolumeSource", f.path, [&](const Field& g) {
          if (g.is("medium")) readString(g, volume.emptyDirMedium);
          if (g.is("sizeLimit")) volume.emptyDirSizeLimit = quantityValue(g.value(), g.path);
        });
      } else if (f.is("hostPath")) {
        volume.source = Volume::Source::HostPath;
        forEachField(f.value(), "HostPathVolumeSource", f.path, [&](const Field& g) {
          if (g.is("path")) readString(g, volume.hostPath);
          if (g.is("type")) {
            if (std::optional<std::string> v = enumValue(g, false)) volume.hostPathType = *v;
          }
        });
      } else {
        volume.source = Volume::Source::Unsupported;
        volume.unsupportedKind = std::string(f.schema.name);
      }
    });
    if (!haveSource) {
      volume.source = Volume::Source::EmptyDir;
      recordDefault(childPath(path, "emptyDir"), "{}");
    }
    return volume;
  }

  // Every probe integer but initialDelaySeconds: left out or 0 means the default.
  void probeDefault(const Present& p, std::int32_t& value, std::int32_t fallback, const std::string& path,
                    std::string_view field) {
    if (p.has(field) && value != 0) return;
    value = fallback;
    recordDefault(childPath(path, field), std::to_string(fallback));
  }

  std::optional<Probe> decodeProbe(const YamlNode& node, const std::string& path) {
    Probe probe;
    Present p = forEachField(node, "Probe", path, [&](const Field& f) {
      if (f.is("exec")) probe.exec = decodeExec(f.value(), f.path);
      if (f.is("httpGet")) probe.httpGet = decodeHttpGet(f.value(), f.path);
      if (f.is("tcpSocket")) probe.tcpSocket = decodeTcpSocket(f.value(), f.path);
      if (f.is("grpc")) probe.grpc = decodeGrpc(f.value(), f.path);
      if (f.is("initialDelaySeconds")) readInt(f, probe.initialDelaySeconds);
      if (f.is("timeoutSeconds")) readInt(f, probe.timeoutSeconds);
      if (f.is("periodSeconds")) readInt(f, probe.periodSeconds);
      if (f.is("successThreshold")) readInt(f, probe.successThreshold);
      if (f.is("failureThreshold")) readInt(f, probe.failureThreshold);
      if (f.is("terminationGracePeriodSeconds")) readOptionalInt(f, probe.terminationGracePeriodSeconds);
    });
    if (!p.mapping()) return std::nullopt;
    probeDefault(p, probe.timeoutSeconds, 1, path, "timeoutSeconds");
    probeDefault(p, probe.periodSeconds, 10, path, "periodSeconds");
    probeDefault(p, probe.successThreshold, 1, path, "successThreshold");
    probeDefault(p, probe.failureThreshold, 3, path, "failureThreshold");
    return probe;
  }

  std::optional<ExecAction> decodeExec(const YamlNode& node, const std::string& path) {
    ExecAction exec;
    Present p = forEachField(node, "ExecAction", path, [&](const Field& f) {
      if (f.is("command")) exec.command = stringList(f);
    });
    if (!p.mapping()) return std::nullopt;
    return exec;
  }

  std::optional<HttpGetAction> decodeHttpGet(const YamlNode& node, const std::string& path) {
    HttpGetAction get;
    std::optional<std::string> scheme;
    Present p = forEachField(node, "HTTPGetAction", path, [&](const Field& f) {
      if (f.is("path")) readString(f, get.path);
      if (f.is("port")) readIntOrString(f, get.port);
      if (f.is("host")) readString(f, get.host);
      if (f.is("scheme")) scheme = enumValue(f, true);
      if (f.is("httpHeaders")) {
        forEachItem(f, [&](const YamlNode& item, const std::string& itemPath) {
          HttpHeader header;
          forEachField(item, "HTTPHeader", itemPath, [&](const Field& g) {
            if (g.is("name")) readString(g, header.name);
            if (g.is("value")) readString(g, header.value);
          });
          get.httpHeaders.push_back(std::move(header));
        });
      }
    });
    if (!p.mapping()) return std::nullopt;
    if (!p.has("path") || get.path.empty()) {
      get.path = "/";
      recordDefault(childPath(path, "path"), "/");
    }
    if (scheme && !scheme->empty()) get.scheme = *schemeFrom(*scheme);
    if (!p.has("scheme") || (scheme && scheme->empty())) {
      get.scheme = UriScheme::HTTP;
      recordDefault(childPath(path, "scheme"), "HTTP");
    }
    return get;
  }

  std::optional<TcpSocketAction> decodeTcpSocket(const YamlNode& node, const std::string& path) {
    TcpSocketAction tcp;
    Present p = forEachField(node, "TCPSocketAction", path, [&](const Field& f) {
      if (f.is("port")) readIntOrString(f, tcp.port);
      if (f.is("host")) readString(f, tcp.host);
    });
    if (!p.mapping()) return std::nullopt;
    return tcp;
  }

  std::optional<GrpcAction> decodeGrpc(const YamlNode& node, const std::string& path) {
    GrpcAction grpc;
    Present p = forEachField(node, "GRPCAction", path, [&](const Field& f) {
      if (f.is("port")) readInt(f, grpc.port);
      if (f.is("service")) readString(f, grpc.service);
    });
    if (!p.mapping()) return std::nullopt;
    return grpc;
  }

  std::optional<Lifecycle> decodeLifecycle(const YamlNode& node, const std::string& path) {
    Lifecycle lifecycle;
    Present p = forEachField(node, "Lifecycle", path, [&](const Field& f) {
      if (f.is("postStart")) lifecycle.postStart = decodeHandler(f.value(), f.path);
      if (f.is("preStop")) lifecycle.preStop = decodeHandler(f.value(), f.path);
    });
    if (!p.mapping()) return std::nullopt;
    return lifecycle;
  }

  std::optional<LifecycleHandler> decodeHandler(const YamlNode& node, const std::string& path) {
    LifecycleHandler handler;
    Present p = forEachField(node, "LifecycleHandler", path, [&](const Field& f) {
      if (f.is("exec")) handler.exec = decodeExec(f.value(), f.path);
      if (f.is("httpGet")) handler.httpGet = decodeHttpGet(f.value(), f.path);
      if (f.is("tcpSocket")) handler.tcpSocket = decodeTcpSocket(f.value(), f.path);
      if (f.is("sleep")) {
        SleepAction sleep;
        if (forEachField(f.value(), "SleepAction", f.path, [&](const Field& g) {
              if (g.is("seconds")) readInt(g, sleep.seconds);
            }).mapping()) {
          handler.sleep = sleep;
        }
      }
    });
    if (!p.mapping()) return std::nullopt;
    return handler;
  }

  std::optional<SecurityContext> decodeSecurityContext(const YamlNode& node, const std::string& path) {
    SecurityContext sc;
    Present p = forEachField(node, "SecurityContext", path, [&](const Field& f) {
      if (f.is("runAsUser")) readOptionalInt(f, sc.runAsUser);
      if (f.is("runAsGroup")) readOptionalInt(f, sc.runAsGroup);
      if (f.is("runAsNonRoot")) readOptionalBool(f, sc.runAsNonRoot);
      if (f.is("privileged")) readOptionalBool(f, sc.privileged);
      if (f.is("readOnlyRootFilesystem")) readOptionalBool(f, sc.readOnlyRootFilesystem);
      if (f.is("allowPrivilegeEscalation")) readOptionalBool(f, sc.allowPrivilegeEscalation);
    });
    if (!p.mapping()) return std::nullopt;
    return sc;
  }

  std::optional<PodSecurityContext> decodePodSecurityContext(const YamlNode& node, const std::string& path) {
    PodSecurityContext sc;
    Present p = forEachField(node, "PodSecurityContext", path, [&](const Field& f) {
      if (f.is("runAsUser")) readOptionalInt(f, sc.runAsUser);
      if (f.is("runAsGroup")) readOptionalInt(f, sc.runAsGroup);
      if (f.is("runAsNonRoot")) readOptionalBool(f, sc.runAsNonRoot);
      if (f.is("fsGroup")) readOptionalInt(f, sc.fsGroup);
    });
    if (!p.mapping()) return std::nullopt;
    return sc;
  }

  void decodeDeploymentSpec(const YamlNode& node, const std::string& path, DeploymentSpec& spec) {
    const YamlNode* strategy = &nullNode();
    const YamlNode* podTemplate = &nullNode();
    Present p = forEachField(node, "DeploymentSpec", path, [&](const Field& f) {
      if (f.is("replicas")) readInt(f, spec.replicas);
      if (f.is("selector")) decodeSelector(f.value(), f.path, spec.selector);
      if (f.is("template")) podTemplate = &f.value();
      if (f.is("strategy")) strategy = &f.value();
      if (f.is("minReadySeconds")) readInt(f, spec.minReadySeconds);
      if (f.is("revisionHistoryLimit")) readInt(f, spec.revisionHistoryLimit);
      if (f.is("progressDeadlineSeconds")) readInt(f, spec.progressDeadlineSeconds);
      if (f.is("paused")) {
        if (std::optional<bool> v = boolValue(f.value(), f.path)) spec.paused = *v;
      }
    });
    if (!p.has("replicas")) {
      spec.replicas = 1;
      recordDefault(childPath(path, "replicas"), "1");
    }
    decodeStrategy(*strategy, childPath(path, "strategy"), spec.strategy);
    if (!p.has("revisionHistoryLimit")) {
      spec.revisionHistoryLimit = 10;
      recordDefault(childPath(path, "revisionHistoryLimit"), "10");
    }
    if (!p.has("progressDeadlineSeconds")) {
      spec.progressDeadlineSeconds = 600;
      recordDefault(childPath(path, "progressDeadlineSeconds"), "600");
    }
    const std::string templatePath = childPath(path, "template");
    const YamlNode* templateMeta = &nullNode();
    const YamlNode* templateSpec = &nullNode();
    forEachField(*podTemplate, "PodTemplateSpec", templatePath, [&](const Field& f) {
      if (f.is("metadata")) templateMeta = &f.value();
      if (f.is("spec")) templateSpec = &f.value();
    });
    decodeMeta(*templateMeta, childPath(templatePath, "metadata"), spec.podTemplate.metadata);
    decodePodSpec(*templateSpec, childPath(templatePath, "spec"), spec.podTemplate.spec, /*isPod=*/false);
  }

  void decodeStrategy(const YamlNode& node, const std::string& path, DeploymentStrategy& strategy) {
    std::optional<std::string> type;
    const YamlNode* rolling = &nullNode();
    Present p = forEachField(node, "DeploymentStrategy", path, [&](const Field& f) {
      if (f.is("type")) type = enumValue(f, true);
      if (f.is("rollingUpdate")) rolling = &f.value();
    });
    if (type && *type == "Recreate") strategy.type = DeploymentStrategy::Type::Recreate;
    if (!p.has("type") || (type && type->empty())) {
      strategy.type = DeploymentStrategy::Type::RollingUpdate;
      recordDefault(childPath(path, "type"), "RollingUpdate");
    }
    const std::string rollingPath = childPath(path, "rollingUpdate");
    Present r = forEachField(*rolling, "RollingUpdateDeployment", rollingPath, [&](const Field& f) {
      if (f.is("maxUnavailable")) readIntOrString(f, strategy.maxUnavailable);
      if (f.is("maxSurge")) readIntOrString(f, strategy.maxSurge);
    });
    // Only a rolling update gets these; a Recreate with rollingUpdate set is
    // the validator's to report.
    if (strategy.type == DeploymentStrategy::Type::RollingUpdate) {
      if (!r.has("maxUnavailable")) recordDefault(childPath(rollingPath, "maxUnavailable"), "25%");
      if (!r.has("maxSurge")) recordDefault(childPath(rollingPath, "maxSurge"), "25%");
    }
  }

  void decodeSelector(const YamlNode& node, const std::string& path, LabelSelector& selector) {
    forEachField(node, "LabelSelector", path, [&](const Field& f) {
      if (f.is("matchLabels")) stringMap(f, selector.matchLabels);
      if (f.is("matchExpressions")) {
        forEachItem(f, [&](const YamlNode& item, const std::string& itemPath) {
          LabelSelectorRequirement requirement;
          forEachField(item, "LabelSelectorRequirement", itemPath, [&](const Field& g) {
            if (g.is("key")) readString(g, requirement.key);
            if (g.is("operator")) {
              if (std::optional<std::string> v = enumValue(g, false)) requirement.op = *v;
            }
            if (g.is("values")) requirement.values = stringList(g);
          });
          selector.matchExpressions.push_back(std::move(requirement));
        });
      }
    });
  }

  const std::string& m_file;
  Document& m_doc;
  std::vector<Diagnostic>& m_out;
  std::string m_kind;
  std::size_t m_findings = 0;
  std::size_t m_suppressed = 0;
  std::size_t m_suppressedErrors = 0;
  int m_unknownFields = 0;
};

}  // namespace

void decodeDocument(const YamlNode& root, const std::string& file, Document& doc, std::vector<Diagnostic>& out) {
  Decoder(file, doc, out).run(root);
}

}  // namespace podscope::core
