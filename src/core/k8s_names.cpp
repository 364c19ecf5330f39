#include "core/k8s_names.h"

#include <algorithm>
#include <cstdio>

namespace podscope::core {
namespace {

// The formats and messages below are apimachinery's, character for
// character: users paste them into searches and compare them with kubectl.
constexpr std::string_view kDns1123LabelFmt = "[a-z0-9]([-a-z0-9]*[a-z0-9])?";
constexpr std::string_view kDns1123LabelErrMsg =
    "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must "
    "start and end with an alphanumeric character";
constexpr std::string_view kDns1123SubdomainFmt =
    "[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*";
constexpr std::string_view kDns1123SubdomainErrMsg =
    "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', "
    "and must start and end with an alphanumeric character";
constexpr std::string_view kQualifiedNameFmt = "([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]";
constexpr std::string_view kQualifiedNameErrMsg =
    "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an "
    "alphanumeric character";
constexpr std::string_view kLabelValueFmt = "(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?";
constexpr std::string_view kLabelValueErrMsg =
    "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', "
    "and must start and end with an alphanumeric character";
constexpr std::string_view kEnvVarNameFmt = "[-._a-zA-Z][-._a-zA-Z0-9]*";
constexpr std::string_view kEnvVarNameErrMsg =
    "a valid environment variable name must consist of alphabetic characters, digits, '_', '-', or "
    "'.', and must not start with a digit";
constexpr std::string_view kCIdentifierFmt = "[A-Za-z_][A-Za-z0-9_]*";
constexpr std::string_view kCIdentifierErrMsg =
    "a valid C identifier must start with alphabetic character or '_', followed by a string of "
    "alphanumeric characters or '_'";
constexpr std::string_view kPercentFmt = "[0-9]+%";
constexpr std::string_view kPercentErrMsg = "a valid percent string must be a numeric string followed by an ending '%'";
constexpr std::string_view kHttpHeaderNameFmt = "[-A-Za-z0-9]+";
constexpr std::string_view kHttpHeaderNameErrMsg = "a valid HTTP header must consist of alphanumeric characters or '-'";

bool isLowerAlnum(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }
bool isAlpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool isDigit(char c) { return c >= '0' && c <= '9'; }
bool isAlnum(char c) { return isAlpha(c) || isDigit(c); }

// The regexes are simple enough to match by hand, which keeps the checks
// linear and free of std::regex's recursion on long input.
bool matchesDns1123Label(std::string_view v) {
  if (v.empty() || !isLowerAlnum(v.front()) || !isLowerAlnum(v.back())) return false;
  return std::all_of(v.begin(), v.end(), [](char c) { return isLowerAlnum(c) || c == '-'; });
}

bool matchesDns1123Subdomain(std::string_view v) {
  if (v.empty()) return false;
  size_t start = 0;
  while (true) {
    size_t dot = v.find('.', start);
    std::string_view part = v.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start);
    if (!matchesDns1123Label(part)) return false;
    if (dot == std::string_view::npos) return true;
    start = dot + 1;
  }
}

bool matchesQualifiedNamePart(std::string_view v) {
  if (v.empty() || !isAlnum(v.front()) || !isAlnum(v.back())) return false;
  return std::all_of(v.begin(), v.end(), [](char c) { return isAlnum(c) || c == '-' || c == '_' || c == '.'; });
}

std::vector<std::string> prefixEach(std::vector<std::string> messages, std::string_view prefix) {
  for (std::string& m : messages) m = std::string(prefix) + m;
  return messages;
}

// generateName may end in '-': the random suffix follows it. apimachinery
// drops the last two characters before appending 'a'; kept as is so the
// same prefixes pass and fail.
std::string maskTrailingDash(std::string_view name) {
  if (name.size() > 1 && name.back() == '-') return std::string(name.substr(0, name.size() - 2)) + "a";
  return std::string(name);
}

}  // namespace

std::string maxLenError(int length) { return "must be no more than " + std::to_string(length) + " characters"; }

std::string regexError(std::string_view message, std::string_view format,
                       std::initializer_list<std::string_view> examples) {
  std::string out(message);
  if (examples.size() == 0) return out + " (regex used for validation is '" + std::string(format) + "')";
  // Go's RegexError joins examples as "'a', " + " or " + "'b', ", which is
  // where the double space in the API server's messages comes from.
  out += " (e.g. ";
  bool first = true;
  for (std::string_view example : examples) {
    if (!first) out += " or ";
    first = false;
    out += "'" + std::string(example) + "', ";
  }
  out += "regex used for validation is '" + std::string(format) + "')";
  return out;
}

std::string emptyError() { return "must be non-empty"; }

std::string inclusiveRangeError(std::int64_t lo, std::int64_t hi) {
  return "must be between " + std::to_string(lo) + " and " + std::to_string(hi) + ", inclusive";
}

std::vector<std::string> isDns1123Label(std::string_view value) {
  std::vector<std::string> errs;
  if (value.size() > static_cast<size_t>(kDns1123LabelMaxLength)) errs.push_back(maxLenError(kDns1123LabelMaxLength));
  if (!matchesDns1123Label(value)) {
    if (matchesDns1123Subdomain(value)) {
      errs.push_back("must not contain dots");
    } else {
      errs.push_back(regexError(kDns1123LabelErrMsg, kDns1123LabelFmt, {"my-name", "123-abc"}));
    }
  }
  return errs;
}

std::vector<std::string> isDns1123Subdomain(std::string_view value) {
  std::vector<std::string> errs;
  if (value.size() > static_cast<size_t>(kDns1123SubdomainMaxLength)) {
    errs.push_back(maxLenError(kDns1123SubdomainMaxLength));
  }
  if (!matchesDns1123Subdomain(value)) {
    errs.push_back(regexError(kDns1123SubdomainErrMsg, kDns1123SubdomainFmt, {"example.com"}));
  }
  return errs;
}

std::vector<std::string> isQualifiedName(std::string_view value) {
  std::vector<std::string> errs;
  std::string_view name = value;
  size_t slashes = static_cast<size_t>(std::count(value.begin(), value.end(), '/'));
  if (slashes > 1) {
    errs.push_back("a qualified name " +
                   regexError(kQualifiedNameErrMsg, kQualifiedNameFmt, {"MyName", "my.name", "123-abc"}) +
                   " with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')");
    return errs;
  }
  if (slashes == 1) {
    size_t slash = value.find('/');
    std::string_view prefix = value.substr(0, slash);
    name = value.substr(slash + 1);
    if (prefix.empty()) {
      errs.push_back("prefix part " + emptyError());
    } else {
      std::vector<std::string> prefixErrs = isDns1123Subdomain(prefix);
      prefixErrs = prefixEach(std::move(prefixErrs), "prefix part ");
      errs.insert(errs.end(), prefixErrs.begin(), prefixErrs.end());
    }
  }
  if (name.empty()) {
    errs.push_back("name part " + emptyError());
  } else if (name.size() > static_cast<size_t>(kQualifiedNameMaxLength)) {
    errs.push_back("name part " + maxLenError(kQualifiedNameMaxLength));
  }
  if (!matchesQualifiedNamePart(name)) {
    errs.push_back("name part " +
                   regexError(kQualifiedNameErrMsg, kQualifiedNameFmt, {"MyName", "my.name", "123-abc"}));
  }
  return errs;
}

std::vector<std::string> isValidLabelValue(std::string_view value) {
  std::vector<std::string> errs;
  if (value.size() > static_cast<size_t>(kLabelValueMaxLength)) errs.push_back(maxLenError(kLabelValueMaxLength));
  if (!value.empty() && !matchesQualifiedNamePart(value)) {
    errs.push_back(regexError(kLabelValueErrMsg, kLabelValueFmt, {"MyValue", "my_value", "12345"}));
  }
  return errs;
}

std::vector<std::string> isValidPortNum(std::int64_t port) {
  if (port >= 1 && port <= 65535) return {};
  return {inclusiveRangeError(1, 65535)};
}

std::vector<std::string> isValidPortName(std::string_view value) {
  std::vector<std::string> errs;
  if (value.size() > static_cast<size_t>(kPortNameMaxLength)) errs.push_back(maxLenError(kPortNameMaxLength));
  bool charset = !value.empty() &&
                 std::all_of(value.begin(), value.end(), [](char c) { return isLowerAlnum(c) || c == '-'; });
  if (!charset) errs.push_back("must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)");
  if (std::none_of(value.begin(), value.end(), [](char c) { return c >= 'a' && c <= 'z'; })) {
    errs.push_back("must contain at least one letter (a-z)");
  }
  if (value.find("--") != std::string_view::npos) errs.push_back("must not contain consecutive hyphens");
  if (!value.empty() && (value.front() == '-' || value.back() == '-')) {
    errs.push_back("must not begin or end with a hyphen");
  }
  return errs;
}

std::vector<std::string> isEnvVarName(std::string_view value) {
  std::vector<std::string> errs;
  auto allowed = [](char c) { return isAlnum(c) || c == '-' || c == '.' || c == '_'; };
  bool ok = !value.empty() && !isDigit(value.front()) && std::all_of(value.begin(), value.end(), allowed);
  if (!ok) errs.push_back(regexError(kEnvVarNameErrMsg, kEnvVarNameFmt, {"my.env-name", "MY_ENV.NAME", "MyEnvName1"}));
  if (value == ".") {
    errs.push_back("must not be '.'");
  } else if (value == "..") {
    errs.push_back("must not be '..'");
  } else if (value.substr(0, 2) == "..") {
    errs.push_back("must not start with '..'");
  }
  return errs;
}

std::vector<std::string> isCIdentifier(std::string_view value) {
  auto allowed = [](char c) { return isAlnum(c) || c == '_'; };
  bool ok = !value.empty() && !isDigit(value.front()) && std::all_of(value.begin(), value.end(), allowed);
  if (ok) return {};
  return {regexError(kCIdentifierErrMsg, kCIdentifierFmt, {"my_name", "MY_NAME", "MyName"})};
}

std::vector<std::string> isValidPercent(std::string_view value) {
  bool ok = value.size() >= 2 && value.back() == '%' &&
            std::all_of(value.begin(), value.end() - 1, [](char c) { return isDigit(c); });
  if (ok) return {};
  return {regexError(kPercentErrMsg, kPercentFmt, {"1%", "93%"})};
}

std::vector<std::string> isHttpHeaderName(std::string_view value) {
  bool ok = !value.empty() && std::all_of(value.begin(), value.end(), [](char c) { return isAlnum(c) || c == '-'; });
  if (ok) return {};
  return {regexError(kHttpHeaderNameErrMsg, kHttpHeaderNameFmt, {"X-Header-Name"})};
}

std::vector<std::string> nameIsDnsSubdomain(std::string_view value, bool prefix) {
  if (prefix) return isDns1123Subdomain(maskTrailingDash(value));
  return isDns1123Subdomain(value);
}

std::vector<std::string> nameIsDnsLabel(std::string_view value, bool prefix) {
  if (prefix) return isDns1123Label(maskTrailingDash(value));
  return isDns1123Label(value);
}

namespace {

void appendHex(std::string& out, unsigned value, int digits) {
  static constexpr char kHex[] = "0123456789abcdef";
  for (int i = digits - 1; i >= 0; --i) out += kHex[(value >> (4 * i)) & 0xF];
}

// Decodes one UTF-8 sequence at `i`; returns the code point and its length,
// or length 0 for an invalid byte.
std::pair<char32_t, size_t> decodeUtf8(std::string_view s, size_t i) {
  const auto b0 = static_cast<unsigned char>(s[i]);
  if (b0 < 0x80) return {b0, 1};
  size_t len = 0;
  char32_t cp = 0;
  if ((b0 & 0xE0) == 0xC0) { len = 2; cp = b0 & 0x1F; }
  else if ((b0 & 0xF0) == 0xE0) { len = 3; cp = b0 & 0x0F; }
  else if ((b0 & 0xF8) == 0xF0) { len = 4; cp = b0 & 0x07; }
  else return {0, 0};
  if (i + len > s.size()) return {0, 0};
  for (size_t k = 1; k < len; ++k) {
    const auto b = static_cast<unsigned char>(s[i + k]);
    if ((b & 0xC0) != 0x80) return {0, 0};
    cp = (cp << 6) | (b & 0x3F);
  }
  static constexpr char32_t kMin[] = {0, 0, 0x80, 0x800, 0x10000};
  if (cp < kMin[len] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return {0, 0};
  return {cp, len};
}

// Code points Go's strconv.IsPrint rejects that can plausibly turn up in
// command output: C1 controls, non-ASCII spaces, format characters.
bool goPrintable(char32_t cp) {
  if (cp < 0x20 || cp == 0x7F) return false;
  if (cp >= 0x80 && cp <= 0xA0) return false;
  if (cp == 0xAD || cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200F) || (cp >= 0x2028 && cp <= 0x202F) ||
      (cp >= 0x205F && cp <= 0x206F) || cp == 0x3000 || cp == 0xFEFF)
    return false;
  return true;
}

}  // namespace

// strconv.Quote: printable runes as written, the rest escaped as Go does.
std::string quoteGo(std::string_view s) {
  std::string out = "\"";
  for (size_t i = 0; i < s.size();) {
    auto [cp, len] = decodeUtf8(s, i);
    if (len == 0) {
      out += "\\x";
      appendHex(out, static_cast<unsigned char>(s[i]), 2);
      ++i;
      continue;
    }
    switch (cp) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\a': out += "\\a"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      case '\v': out += "\\v"; break;
      default:
        if (goPrintable(cp)) {
          out.append(s.substr(i, len));
        } else if (cp < 0x80) {
          out += "\\x";
          appendHex(out, cp, 2);
        } else if (cp <= 0xFFFF) {
          out += "\\u";
          appendHex(out, cp, 4);
        } else {
          out += "\\U";
          appendHex(out, cp, 8);
        }
    }
    i += len;
  }
  out += '"';
  return out;
}

std::string goStringMap(const std::map<std::string, std::string>& values, bool isNil) {
  if (isNil && values.empty()) return "map[string]string(nil)";
  std::string out = "map[string]string{";
  bool first = true;
  for (const auto& [key, value] : values) {
    if (!first) out += ", ";
    first = false;
    out += quoteGo(key) + ":" + quoteGo(value);
  }
  out += "}";
  return out;
}

}  // namespace podscope::core
