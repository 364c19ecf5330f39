#pragma once
// A small XML 1.0 well-formedness checker for tests of generated SVG: one
// root element, tags that nest and match, quoted attributes without `<`,
// only the five predefined entities and character references, comments and
// processing instructions, UTF-8 without the control characters XML 1.0
// forbids. No DTDs, no namespaces checked beyond the syntax of names.

#include <cctype>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace podscope::testing {

/// nullopt when `xml` is well-formed, else what is wrong and at which byte.
inline std::optional<std::string> xmlError(std::string_view xml) {
  auto fail = [](std::string what, std::size_t at) { return std::optional<std::string>(what + " at byte " + std::to_string(at)); };
  // Characters: valid UTF-8, no C0 controls other than tab, LF, CR.
  for (std::size_t i = 0; i < xml.size();) {
    const auto b = static_cast<unsigned char>(xml[i]);
    std::size_t len = b < 0x80 ? 1 : (b & 0xE0) == 0xC0 ? 2 : (b & 0xF0) == 0xE0 ? 3 : (b & 0xF8) == 0xF0 ? 4 : 0;
    if (len == 0 || i + len > xml.size()) return fail("invalid UTF-8", i);
    for (std::size_t k = 1; k < len; ++k) {
      if ((static_cast<unsigned char>(xml[i + k]) & 0xC0) != 0x80) return fail("invalid UTF-8", i);
    }
    if (len == 1 && b < 0x20 && b != '\t' && b != '\n' && b != '\r') return fail("control character", i);
    i += len;
  }
  auto isNameChar = [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == ':' || c == '.' ||
           static_cast<unsigned char>(c) >= 0x80;
  };
  auto checkText = [&](std::string_view text, std::size_t base) -> std::optional<std::string> {
    for (std::size_t i = 0; i < text.size(); ++i) {
      if (text[i] == '<') return fail("'<' in text or attribute", base + i);
      if (text[i] == '>' && i >= 2 && text.substr(i - 2, 3) == "]]>") return fail("']]>' in text", base + i);
      if (text[i] != '&') continue;
      const std::size_t semi = text.find(';', i);
      if (semi == std::string_view::npos) return fail("'&' without ';'", base + i);
      const std::string_view ref = text.substr(i + 1, semi - i - 1);
      const bool ok = ref == "amp" || ref == "lt" || ref == "gt" || ref == "quot" || ref == "apos" ||
                      (ref.size() > 1 && ref[0] == '#' &&
                       ref.find_first_not_of(ref[1] == 'x' ? "x0123456789abcdefABCDEF" : "0123456789", 1) ==
                           std::string_view::npos);
      if (!ok) return fail("unknown entity &" + std::string(ref) + ";", base + i);
      i = semi;
    }
    return std::nullopt;
  };
  std::vector<std::string> open;
  bool rootSeen = false;
  std::size_t i = 0;
  while (i < xml.size()) {
    const std::size_t lt = xml.find('<', i);
    const std::string_view text = xml.substr(i, (lt == std::string_view::npos ? xml.size() : lt) - i);
    if (open.empty()) {
      if (text.find_first_not_of(" \t\r\n") != std::string_view::npos) return fail("text outside the root", i);
    } else if (auto e = checkText(text, i)) {
      return e;
    }
    if (lt == std::string_view::npos) break;
    i = lt;
    if (xml.substr(i, 4) == "<!--") {
      const std::size_t end = xml.find("-->", i + 4);
      if (end == std::string_view::npos) return fail("unclosed comment", i);
      i = end + 3;
      continue;
    }
    if (xml.substr(i, 2) == "<?") {
      const std::size_t end = xml.find("?>", i + 2);
      if (end == std::string_view::npos) return fail("unclosed processing instruction", i);
      i = end + 2;
      continue;
    }
    if (xml.substr(i, 9) == "<![CDATA[") return fail("CDATA section (the generator never writes one)", i);
    const bool closing = xml.substr(i, 2) == "</";
    std::size_t p = i + (closing ? 2 : 1);
    const std::size_t nameStart = p;
    while (p < xml.size() && isNameChar(xml[p])) ++p;
    const std::string name(xml.substr(nameStart, p - nameStart));
    if (name.empty()) return fail("tag without a name", i);
    if (closing) {
      while (p < xml.size() && std::isspace(static_cast<unsigned char>(xml[p]))) ++p;
      if (p >= xml.size() || xml[p] != '>') return fail("bad closing tag", i);
      if (open.empty() || open.back() != name) return fail("</" + name + "> does not match", i);
      open.pop_back();
      i = p + 1;
      continue;
    }
    std::vector<std::string> attributes;
    for (;;) {
      while (p < xml.size() && std::isspace(static_cast<unsigned char>(xml[p]))) ++p;
      if (p >= xml.size()) return fail("unclosed tag <" + name, i);
      if (xml[p] == '>' || xml.substr(p, 2) == "/>") break;
      const std::size_t an = p;
      while (p < xml.size() && isNameChar(xml[p])) ++p;
      if (p == an) return fail("bad attribute in <" + name, p);
      const std::string attr(xml.substr(an, p - an));
      for (const std::string& a : attributes) {
        if (a == attr) return fail("attribute " + attr + " twice", an);
      }
      attributes.push_back(attr);
      if (p >= xml.size() || xml[p] != '=') return fail("attribute without a value", p);
      ++p;
      if (p >= xml.size() || (xml[p] != '"' && xml[p] != '\'')) return fail("unquoted attribute", p);
      const char q = xml[p];
      const std::size_t close = xml.find(q, p + 1);
      if (close == std::string_view::npos) return fail("unclosed attribute", p);
      if (auto e = checkText(xml.substr(p + 1, close - p - 1), p + 1)) return e;
      p = close + 1;
    }
    const bool empty = xml[p] == '/';
    if (open.empty()) {
      if (rootSeen) return fail("a second root element", i);
      rootSeen = true;
    }
    if (!empty) open.push_back(name);
    i = p + (empty ? 2 : 1);
  }
  if (!open.empty()) return fail("<" + open.back() + "> never closed", xml.size());
  if (!rootSeen) return fail("no root element", 0);
  return std::nullopt;
}

}  // namespace podscope::testing
