#include "core/yaml_tree.h"

#include <yaml-cpp/depthguard.h>
#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cstdio>
#include <map>
#include <sstream>
#include <unordered_map>
#include <utility>

#include "core/utf8_text.h"

namespace podscope::core {

const YamlNode::Entry* YamlNode::find(std::string_view key) const {
  for (const Entry& e : entries) {
    if (e.key == key) return &e;
  }
  return nullptr;
}

std::string YamlNode::describe() const {
  switch (kind) {
    case Kind::Null: return "null";
    case Kind::Sequence: return "a list";
    case Kind::Map: return "a mapping";
    case Kind::Scalar: break;
  }
  if (quoted) return "a string";
  if (value == "true" || value == "false") return "a boolean";
  bool numeric = !value.empty();
  bool digits = false;
  for (size_t i = 0; i < value.size(); ++i) {
    char c = value[i];
    if (c >= '0' && c <= '9') {
      digits = true;
    } else if (!((c == '-' || c == '+') && i == 0) && c != '.' && c != 'e' && c != 'E') {
      numeric = false;
    }
  }
  return numeric && digits ? "a number" : "a string";
}

std::vector<YamlChunk> splitYamlDocuments(std::string_view text) {
  auto isMarker = [](std::string_view line, std::string_view marker) {
    if (line.substr(0, marker.size()) != marker) return false;
    if (line.size() == marker.size()) return true;
    char next = line[marker.size()];
    return next == ' ' || next == '\t' || next == '\r' || next == '#';
  };
  auto blankOrComment = [](std::string_view line) {
    for (char c : line) {
      if (c == '#') return true;
      if (c != ' ' && c != '\t' && c != '\r') return false;
    }
    return true;
  };
  // Split ourselves rather than with YAML::LoadAll, which gives up on the
  // whole stream at the first error: a broken second document must not hide
  // a good first one.
  std::vector<YamlChunk> chunks(1);
  int lineNo = 0;
  size_t start = 0;
  while (start <= text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(start, end - start);
    ++lineNo;
    if (isMarker(line, "---")) {
      YamlChunk next;
      next.firstLine = lineNo;
      // Blank out the marker but keep what follows it, so line and column
      // numbers stay true.
      std::string_view rest = line.substr(3);
      next.text.append("   ").append(rest).append("\n");
      next.blank = blankOrComment(rest);
      chunks.push_back(std::move(next));
    } else if (isMarker(line, "...")) {
      chunks.back().text.append("\n");
    } else {
      chunks.back().text.append(line).append("\n");
      if (!blankOrComment(line)) chunks.back().blank = false;
    }
    if (end == text.size()) break;
    start = end + 1;
  }
  return chunks;
}

namespace {

std::string humanSize(std::uintmax_t bytes) {
  std::ostringstream s;
  s.precision(1);
  s << std::fixed;
  if (bytes >= 1024 * 1024) s << static_cast<double>(bytes) / (1024.0 * 1024.0) << " MiB";
  else if (bytes >= 1024) s << static_cast<double>(bytes) / 1024.0 << " KiB";
  else return std::to_string(bytes) + " bytes";
  return s.str();
}

Diagnostic fileDiagnostic(const std::string& file, SourcePos pos, const std::string& rule, const std::string& message) {
  Diagnostic d;
  d.file = file;
  d.range = {pos, pos};
  d.rule = rule;
  d.message = message;
  return d;
}

/// Length of the UTF-8 sequence starting at text[i], or 0 when invalid.
size_t utf8Length(std::string_view text, size_t i) {
  auto byte = [&](size_t k) { return static_cast<unsigned char>(text[k]); };
  unsigned char c = byte(i);
  if (c < 0x80) return 1;
  size_t n;
  std::uint32_t cp;
  if ((c & 0xE0) == 0xC0) {
    n = 2;
    cp = c & 0x1F;
  } else if ((c & 0xF0) == 0xE0) {
    n = 3;
    cp = c & 0x0F;
  } else if ((c & 0xF8) == 0xF0) {
    n = 4;
    cp = c & 0x07;
  } else {
    return 0;
  }
  if (i + n > text.size()) return 0;
  for (size_t k = 1; k < n; ++k) {
    if ((byte(i + k) & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (byte(i + k) & 0x3F);
  }
  // Overlong forms, surrogates and values past U+10FFFF are invalid.
  if ((n == 2 && cp < 0x80) || (n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) || cp > 0x10FFFF ||
      (cp >= 0xD800 && cp <= 0xDFFF)) {
    return 0;
  }
  return n;
}

}  // namespace

Diagnostic fileTooLarge(const std::string& file, std::uintmax_t size, const YamlLimits& limits) {
  return fileDiagnostic(file, {}, "file-too-large",
                        "the file is " + std::to_string(size) + " bytes (" + humanSize(size) +
                            "); manifests larger than " + std::to_string(limits.maxBytes) + " bytes (" +
                            humanSize(limits.maxBytes) + ") are not read");
}

std::vector<Diagnostic> checkYamlText(std::string_view text, const std::string& file, const YamlLimits& limits) {
  std::vector<Diagnostic> out;
  if (text.size() > limits.maxBytes) {
    out.push_back(fileTooLarge(file, text.size(), limits));
    return out;
  }
  auto startsWith = [&](std::string_view prefix) { return text.substr(0, prefix.size()) == prefix; };
  if (startsWith("\xFF\xFE") || startsWith("\xFE\xFF") || startsWith(std::string_view("\x00\x00\xFE\xFF", 4))) {
    out.push_back(fileDiagnostic(file, {1, 1}, "encoding",
                                 "the file is UTF-16 or UTF-32 encoded; save it as UTF-8, as Kubernetes expects"));
    return out;
  }
  // UTF-16 without a byte-order mark: ASCII text with a NUL after (or
  // before) every character.
  if (text.size() >= 4) {
    size_t sample = std::min<size_t>(text.size() & ~size_t{1}, 512);
    size_t evenNul = 0;
    size_t oddNul = 0;
    for (size_t i = 0; i < sample; ++i) (i % 2 ? oddNul : evenNul) += text[i] == '\0' ? 1 : 0;
    if (oddNul == sample / 2 || evenNul == sample / 2) {
      out.push_back(fileDiagnostic(file, {1, 1}, "encoding",
                                   "the file looks like UTF-16 text; save it as UTF-8, as Kubernetes expects"));
      return out;
    }
  }
  int line = 1;
  int column = 1;
  for (size_t i = 0; i < text.size();) {
    char c = text[i];
    if (c == '\0') {
      out.push_back(fileDiagnostic(file, {line, column}, "binary-file",
                                   "this is a binary file (it contains NUL bytes), not a YAML manifest"));
      return out;
    }
    size_t n = utf8Length(text, i);
    if (n == 0) {
      char hex[8];
      std::snprintf(hex, sizeof hex, "0x%02X", static_cast<unsigned char>(c));
      out.push_back(fileDiagnostic(file, {line, column}, "invalid-utf8",
                                   std::string("invalid UTF-8 (byte ") + hex +
                                       "): manifests must be UTF-8 text; if the file was saved as Latin-1 or "
                                       "Windows-1252, convert it to UTF-8"));
      return out;
    }
    if (c == '\n') {
      ++line;
      column = 1;
    } else {
      ++column;
    }
    i += n;
  }
  return out;
}

namespace {

/// Thrown from inside the event handler to stop yaml-cpp's parser; caught
/// in parseYamlDocument. Never leaves this file.
struct LimitExceeded {
  std::string rule;
  std::string message;
  YAML::Mark mark;
};

class TreeBuilder final : public YAML::EventHandler {
 public:
  TreeBuilder(const YamlChunk& chunk, const std::string& file, int document, const YamlLimits& limits,
              std::vector<Diagnostic>& diagnostics)
      : m_chunk(chunk), m_file(file), m_document(document), m_limits(limits), m_diagnostics(diagnostics) {
    m_lineStarts.push_back(0);
    bool ascii = true;
    for (size_t i = 0; i < chunk.text.size(); ++i) {
      if (static_cast<unsigned char>(chunk.text[i]) >= 0x80) ascii = false;
      if (chunk.text[i] == '\n') {
        m_lineAscii.push_back(ascii);
        ascii = true;
        m_lineStarts.push_back(i + 1);
      }
    }
    m_lineAscii.push_back(ascii);
  }

  std::optional<YamlNode> takeRoot() { return std::move(m_root); }

  /// A file position for a yaml-cpp mark. Columns count characters, not
  /// bytes, so they agree with what editors show and with checkYamlText.
  SourcePos pos(const YAML::Mark& mark) const {
    if (mark.is_null()) return {};
    if (mark.pos >= 0) return posOfOffset(static_cast<size_t>(mark.pos));
    return {mark.line + m_chunk.firstLine, mark.column + 1};
  }

  SourcePos posOfOffset(size_t offset) const {
    // Every chunk line ends with '\n', even a file's last line without one:
    // the end of the text is the end of its last line, not a line after it.
    const std::string& t = m_chunk.text;
    offset = std::min(offset, t.empty() ? size_t{0} : (t.back() == '\n' ? t.size() - 1 : t.size()));
    auto it = std::upper_bound(m_lineStarts.begin(), m_lineStarts.end(), offset);
    size_t line = static_cast<size_t>(it - m_lineStarts.begin()) - 1;
    size_t begin = m_lineStarts[line];
    int column = static_cast<int>(offset - begin) + 1;
    if (!m_lineAscii[line]) {
      column = 1;
      for (size_t i = begin; i < offset; ++i) {
        if ((static_cast<unsigned char>(m_chunk.text[i]) & 0xC0) != 0x80) ++column;
      }
    }
    return {static_cast<int>(line) + m_chunk.firstLine, column};
  }

  /// Where the innermost flow collection still open began, if any.
  std::optional<std::pair<SourcePos, bool>> openFlow() const {
    for (auto it = m_stack.rbegin(); it != m_stack.rend(); ++it) {
      if (it->flow) return std::make_pair(it->node.range.begin, it->node.kind == YamlNode::Kind::Sequence);
    }
    return std::nullopt;
  }

  void OnDocumentStart(const YAML::Mark&) override {}
  void OnDocumentEnd() override {}

  void OnAnchor(const YAML::Mark&, const std::string& name) override { m_pendingAnchorName = name; }

  void OnNull(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    YamlNode node;
    // yaml-cpp marks an empty value at the token after it, often lines
    // below or past the end of the file; an empty value of a key is right
    // after that key's colon.
    SourcePos at = pos(mark);
    if (!m_stack.empty() && m_stack.back().node.kind == YamlNode::Kind::Map && m_stack.back().haveKey &&
        m_stack.back().keyRange.end.known()) {
      at = m_stack.back().keyRange.end;
      at.column += 1;
    } else if (at.known() && at.line >= m_chunk.firstLine + static_cast<int>(m_lineStarts.size()) - 1) {
      at = posOfOffset(m_chunk.text.empty() ? 0 : m_chunk.text.size() - 1);
    }
    node.range = {at, at};
    count(1, mark);
    finish(std::move(node), anchor, 1, 1);
  }

  void OnAlias(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    auto it = m_anchors.find(anchor);
    if (it == m_anchors.end()) {
      auto name = m_anchorNames.find(anchor);
      throw LimitExceeded{"yaml-syntax",
                          "YAML syntax error: the alias *" + (name == m_anchorNames.end() ? "" : name->second) +
                              " is used inside the node it names, which would make the document infinite",
                          mark};
    }
    const Anchored& a = it->second;
    if (static_cast<int>(m_stack.size()) + a.depth > m_limits.maxDepth) {
      throw LimitExceeded{"yaml-too-deep", tooDeepMessage(), mark};
    }
    m_usedAlias = true;
    auto name = m_anchorNames.find(anchor);
    m_lastAlias = name == m_anchorNames.end() ? std::string() : name->second;
    count(a.size, mark);
    YamlNode copy = a.node;
    copy.range = {pos(mark), pos(mark)};
    finish(std::move(copy), 0, a.size, a.depth);
  }

  void OnScalar(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                const std::string& value) override {
    YamlNode node;
    node.kind = YamlNode::Kind::Scalar;
    node.value = value;
    node.quoted = tag == "!";
    if (tag != "?" && tag != "!") node.tag = tag;
    if (!node.quoted && node.tag.empty() && (value == "null" || value == "Null" || value == "NULL" || value == "~")) {
      node.kind = YamlNode::Kind::Null;
      node.value.clear();
    }
    node.range = {pos(mark), scalarEnd(mark)};
    count(1, mark);
    finish(std::move(node), anchor, 1, 1);
  }

  void OnSequenceStart(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                       YAML::EmitterStyle::value style) override {
    open(YamlNode::Kind::Sequence, mark, tag, anchor, style == YAML::EmitterStyle::Flow);
  }
  void OnSequenceEnd() override { close(); }

  void OnMapStart(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                  YAML::EmitterStyle::value style) override {
    open(YamlNode::Kind::Map, mark, tag, anchor, style == YAML::EmitterStyle::Flow);
  }
  void OnMapEnd() override { close(); }

 private:
  struct Frame {
    YamlNode node;
    YAML::anchor_t anchor = 0;
    bool flow = false;
    std::size_t nodes = 1;  ///< nodes in this subtree so far, after alias expansion
    int childDepth = 0;
    bool haveKey = false;
    std::string key;
    SourceRange keyRange;
    std::unordered_map<std::string, int> keyLines;
  };
  struct Anchored {
    YamlNode node;
    std::size_t size = 1;
    int depth = 1;
  };

  std::string tooDeepMessage() const {
    return "the document nests more than " + std::to_string(m_limits.maxDepth) +
           " levels deep; no Kubernetes manifest needs that many";
  }

  void count(std::size_t n, const YAML::Mark& mark) {
    m_nodes += n;
    if (m_nodes > m_limits.maxNodes) {
      if (m_usedAlias) {
        throw LimitExceeded{"yaml-alias-bomb",
                            "the document expands to more than " + std::to_string(m_limits.maxNodes) +
                                " nodes through its aliases (the budget ran out at *" + m_lastAlias +
                                "); it is refused to protect memory",
                            mark};
      }
      throw LimitExceeded{"yaml-too-large",
                          "the document has more than " + std::to_string(m_limits.maxNodes) +
                              " values; split it into several documents or files",
                          mark};
    }
  }

  void open(YamlNode::Kind kind, const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor, bool flow) {
    if (static_cast<int>(m_stack.size()) >= m_limits.maxDepth) {
      throw LimitExceeded{"yaml-too-deep", tooDeepMessage(), mark};
    }
    count(1, mark);
    Frame frame;
    frame.node.kind = kind;
    if (tag != "?" && tag != "!") frame.node.tag = tag;
    frame.node.range = {pos(mark), pos(mark)};
    frame.anchor = anchor;
    frame.flow = flow;
    nameAnchor(anchor);
    m_stack.push_back(std::move(frame));
  }

  void close() {
    Frame frame = std::move(m_stack.back());
    m_stack.pop_back();
    finish(std::move(frame.node), frame.anchor, frame.nodes, frame.childDepth + 1);
  }

  void nameAnchor(YAML::anchor_t anchor) {
    if (anchor != 0 && !m_pendingAnchorName.empty()) m_anchorNames[anchor] = m_pendingAnchorName;
    m_pendingAnchorName.clear();
  }

  /// A node is complete: remember it under its anchor and hand it to its parent.
  void finish(YamlNode node, YAML::anchor_t anchor, std::size_t size, int depth) {
    if (anchor != 0) {
      nameAnchor(anchor);
      // The copy kept for later aliases costs memory too.
      count(size, YAML::Mark());
      m_anchors[anchor] = Anchored{node, size, depth};
    }
    if (m_stack.empty()) {
      m_root = std::move(node);
      return;
    }
    Frame& parent = m_stack.back();
    parent.nodes += size;
    parent.childDepth = std::max(parent.childDepth, depth);
    extendRange(parent.node.range, node.range);
    if (parent.node.kind == YamlNode::Kind::Sequence) {
      parent.node.items.push_back(std::move(node));
      return;
    }
    if (!parent.haveKey) {
      parent.haveKey = true;
      parent.key = node.kind == YamlNode::Kind::Scalar ? node.value : node.describe();
      parent.keyRange = node.range;
      return;
    }
    parent.haveKey = false;
    auto [it, inserted] = parent.keyLines.emplace(parent.key, parent.keyRange.begin.line);
    if (!inserted) {
      Diagnostic d;
      d.file = m_file;
      d.document = m_document;
      d.path = pathTo(parent.key);
      d.range = parent.keyRange;
      d.rule = "yaml-duplicate-key";
      d.message = "key \"" + parent.key + "\" already set in map (first set at line " +
                  std::to_string(it->second) + "); the later value is ignored";
      m_diagnostics.push_back(std::move(d));
      return;
    }
    parent.node.entries.push_back(YamlNode::Entry{std::move(parent.key), parent.keyRange, std::move(node)});
  }

  static void extendRange(SourceRange& outer, const SourceRange& inner) {
    auto after = [](SourcePos a, SourcePos b) { return a.line > b.line || (a.line == b.line && a.column > b.column); };
    if (inner.end.known() && (!outer.end.known() || after(inner.end, outer.end))) outer.end = inner.end;
  }

  /// The field path of a key in the map on top of the stack.
  std::string pathTo(const std::string& key) const {
    std::string path;
    for (size_t i = 0; i + 1 < m_stack.size(); ++i) {
      const Frame& f = m_stack[i];
      if (f.node.kind == YamlNode::Kind::Sequence) {
        path += "[" + std::to_string(f.node.items.size()) + "]";
      } else if (f.haveKey) {
        path += (path.empty() ? "" : ".") + f.key;
      }
    }
    return path + (path.empty() ? "" : ".") + key;
  }

  /// Where a scalar's text ends: after its closing quote, or at the end of
  /// its first line of plain text.
  SourcePos scalarEnd(const YAML::Mark& mark) const {
    if (mark.is_null() || mark.pos < 0 || static_cast<size_t>(mark.pos) >= m_chunk.text.size()) return pos(mark);
    const std::string& t = m_chunk.text;
    size_t i = static_cast<size_t>(mark.pos);
    char open = t[i];
    size_t end = i;
    const bool inFlow = !m_stack.empty() && m_stack.back().flow;
    if (open == '"' || open == '\'') {
      for (end = i + 1; end < t.size(); ++end) {
        if (open == '"' && t[end] == '\\') {
          ++end;
        } else if (t[end] == open) {
          if (open == '\'' && end + 1 < t.size() && t[end + 1] == '\'') {
            ++end;
          } else {
            ++end;
            break;
          }
        }
      }
      end = std::min(end, t.size());
    } else if (open == '|' || open == '>') {
      end = i + 1;
    } else {
      while (end < t.size() && t[end] != '\n') {
        char c = t[end];
        if (c == '#' && end > i && (t[end - 1] == ' ' || t[end - 1] == '\t')) break;
        if (c == ':' && (end + 1 >= t.size() || t[end + 1] == ' ' || t[end + 1] == '\n' ||
                         (inFlow && (t[end + 1] == ',' || t[end + 1] == ']' || t[end + 1] == '}')))) {
          break;
        }
        if (inFlow && (c == ',' || c == ']' || c == '}')) break;
        ++end;
      }
      while (end > i && (t[end - 1] == ' ' || t[end - 1] == '\t' || t[end - 1] == '\r')) --end;
    }
    return posOfOffset(end);
  }

  const YamlChunk& m_chunk;
  const std::string& m_file;
  int m_document;
  const YamlLimits& m_limits;
  std::vector<Diagnostic>& m_diagnostics;
  std::vector<size_t> m_lineStarts;
  std::vector<bool> m_lineAscii;
  std::vector<Frame> m_stack;
  std::optional<YamlNode> m_root;
  std::map<YAML::anchor_t, Anchored> m_anchors;
  std::map<YAML::anchor_t, std::string> m_anchorNames;
  std::string m_pendingAnchorName;
  std::size_t m_nodes = 0;
  bool m_usedAlias = false;
  std::string m_lastAlias;
};

/// The first line up to `errorLine` indented with a tab (the commonest
/// cause of a syntax error), and where its tab is.
std::optional<SourcePos> tabIndentation(const YamlChunk& chunk, int errorLine) {
  int line = chunk.firstLine;
  size_t start = 0;
  while (start < chunk.text.size() && line <= errorLine) {
    size_t end = chunk.text.find('\n', start);
    if (end == std::string::npos) end = chunk.text.size();
    size_t i = start;
    while (i < end && chunk.text[i] == ' ') ++i;
    if (i < end && chunk.text[i] == '\t') return SourcePos{line, static_cast<int>(i - start) + 1};
    ++line;
    start = end + 1;
  }
  return std::nullopt;
}

/// The anchor name after the `*` at `offset`.
std::string aliasNameAt(const std::string& text, size_t offset) {
  if (offset < text.size() && text[offset] == '*') ++offset;
  size_t end = offset;
  while (end < text.size() && std::string_view(" \t\r\n,]}").find(text[end]) == std::string_view::npos) ++end;
  return text.substr(offset, end - offset);
}

/// The lines of a chunk, for hints about where a syntax error comes from.
std::vector<std::string_view> chunkLines(const YamlChunk& chunk) {
  std::vector<std::string_view> lines;
  std::string_view text(chunk.text);
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    lines.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return lines;
}

bool contentLine(std::string_view line) {
  size_t i = line.find_first_not_of(" \t\r");
  return i != std::string_view::npos && line[i] != '#';
}

/// yaml-cpp marks errors found at the end of input past the last line;
/// point at the end of the last line with content instead.
SourcePos clampToContent(const YamlChunk& chunk, SourcePos pos) {
  std::vector<std::string_view> lines = chunkLines(chunk);
  int last = static_cast<int>(lines.size()) - 1;
  while (last >= 0 && !contentLine(lines[static_cast<size_t>(last)])) --last;
  if (last < 0 || pos.line - chunk.firstLine <= last) return pos;
  std::string_view line = lines[static_cast<size_t>(last)];
  size_t end = line.find_last_not_of(" \t\r");
  return {chunk.firstLine + last, static_cast<int>(end == std::string_view::npos ? 0 : end + 1) + 1};
}

/// For a block mapping that ends too early: the usual cause is a list or
/// key indented less than the key it belongs to.
std::string indentHint(const YamlChunk& chunk, SourcePos pos) {
  std::vector<std::string_view> lines = chunkLines(chunk);
  int index = pos.line - chunk.firstLine;
  if (index <= 0 || index >= static_cast<int>(lines.size())) return "";
  std::string_view here = lines[static_cast<size_t>(index)];
  size_t indent = here.find_first_not_of(' ');
  if (indent == std::string_view::npos) return "";
  for (int i = index - 1; i >= 0; --i) {
    std::string_view prev = lines[static_cast<size_t>(i)];
    if (!contentLine(prev)) continue;
    size_t hash = prev.find(" #");
    std::string_view code = prev.substr(0, hash);
    size_t end = code.find_last_not_of(" \t\r");
    size_t prevIndent = prev.find_first_not_of(' ');
    if (end == std::string_view::npos || code[end] != ':' || prevIndent <= indent) return "";
    std::string key(code.substr(prevIndent, end + 1 - prevIndent));
    return "; \"" + key + "\" on line " + std::to_string(chunk.firstLine + i) + " (column " +
           std::to_string(prevIndent + 1) + ") has its value on the following lines, but line " +
           std::to_string(pos.line) + " starts at column " + std::to_string(indent + 1) +
           ": indent it further than the key";
  }
  return "";
}

}  // namespace

YamlParse parseYamlDocument(const YamlChunk& chunk, const std::string& file, int documentIndex,
                            const YamlLimits& limits) {
  YamlParse out;
  TreeBuilder builder(chunk, file, documentIndex, limits, out.diagnostics);
  auto fail = [&](const std::string& rule, const std::string& message, const YAML::Mark& mark) {
    Diagnostic d;
    d.file = file;
    d.document = documentIndex;
    d.range = {builder.pos(mark), builder.pos(mark)};
    d.rule = rule;
    d.message = message;
    out.diagnostics.push_back(std::move(d));
  };
  try {
    std::istringstream in(chunk.text);
    YAML::Parser parser(in);
    parser.HandleNextDocument(builder);
    out.root = builder.takeRoot();
  } catch (const LimitExceeded& e) {
    fail(e.rule, e.message, e.mark);
  } catch (const YAML::DeepRecursion& e) {
    fail("yaml-too-deep", "the document nests too deeply to be read", e.mark);
  } catch (const YAML::Exception& e) {
    SourcePos p = builder.pos(e.mark);
    // yaml-cpp names an unknown escape by one byte, which may be the first
    // of a multi-byte character ("\é"): findings must stay valid UTF-8.
    std::string message = "YAML syntax error: " + replaceInvalidUtf8(e.msg);
    std::optional<SourcePos> at;
    if (e.msg == YAML::ErrorMsg::UNKNOWN_ANCHOR && e.mark.pos >= 0) {
      message += ": *" + aliasNameAt(chunk.text, static_cast<size_t>(e.mark.pos));
    } else if (auto flow = builder.openFlow(); flow && (e.msg == YAML::ErrorMsg::END_OF_SEQ_FLOW ||
                                                          e.msg == YAML::ErrorMsg::END_OF_MAP_FLOW)) {
      message += std::string(flow->second ? "; a ']' is missing: the list" : "; a '}' is missing: the mapping") +
                 " opened at line " + std::to_string(flow->first.line) + ", column " +
                 std::to_string(flow->first.column) + " is never closed";
    }
    if (std::optional<SourcePos> tab = tabIndentation(chunk, p.known() ? p.line : 1 << 30)) {
      message += "; line " + std::to_string(tab->line) +
                 " is indented with a tab, and YAML allows only spaces for indentation";
      at = tab;
    } else if (p.known()) {
      message += indentHint(chunk, p);
    }
    fail("yaml-syntax", message, e.mark);
    if (!at && p.known()) at = clampToContent(chunk, p);
    if (at) out.diagnostics.back().range = {*at, *at};
  } catch (const std::exception& e) {
    fail("yaml-syntax", std::string("the document could not be read: ") + e.what(), YAML::Mark());
  }
  return out;
}

}  // namespace podscope::core
