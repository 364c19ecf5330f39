#include "core/completion.h"

#include <algorithm>
#include <cctype>

#include "core/utf8_columns.h"

namespace podscope::core {
namespace {

std::vector<std::string_view> splitLines(std::string_view text) {
  std::vector<std::string_view> lines;
  std::size_t start = 0;
  while (true) {
    std::size_t end = text.find('\n', start);
    std::string_view line = text.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    lines.push_back(line);
    if (end == std::string_view::npos) break;
    start = end + 1;
  }
  return lines;
}

bool isDocumentMarker(std::string_view line) {
  if (line.substr(0, 3) != "---" && line.substr(0, 3) != "...") return false;
  return line.size() == 3 || line[3] == ' ' || line[3] == '\t';
}

bool isKeyChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.' || c == '/';
}

bool isPlainKey(std::string_view key) {
  return !key.empty() && std::all_of(key.begin(), key.end(), isKeyChar) && key.front() != '-';
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

std::string_view withoutComment(std::string_view value) {
  if (!value.empty() && value.front() == '#') return {};
  std::size_t hash = value.find(" #");
  return trim(hash == std::string_view::npos ? value : value.substr(0, hash));
}

std::string_view unquoted(std::string_view value) {
  if (value.size() >= 2 && (value.front() == '"' || value.front() == '\'') && value.back() == value.front()) {
    return value.substr(1, value.size() - 2);
  }
  return value;
}

/// One line of block YAML as far as completion cares.
struct LineShape {
  bool blank = true;     ///< empty, whitespace or a comment only
  int lead = 0;          ///< spaces before the content
  bool dash = false;     ///< the content starts a list item
  int itemColumn = 0;    ///< dash: where the item's content starts
  std::string_view content;  ///< after the indentation and the dash, if any
  bool hasKey = false;   ///< `key:` (after the dash, if any)
  std::string_view key;
  std::string_view value;  ///< after the colon, comment removed
};

LineShape shapeOf(std::string_view line) {
  LineShape s;
  std::size_t i = 0;
  while (i < line.size() && line[i] == ' ') ++i;
  if (i == line.size() || line[i] == '#') return s;
  s.blank = false;
  s.lead = static_cast<int>(i);
  if (line[i] == '-' && (i + 1 == line.size() || line[i + 1] == ' ')) {
    s.dash = true;
    ++i;
    while (i < line.size() && line[i] == ' ') ++i;
    s.itemColumn = i == line.size() ? s.lead + 2 : static_cast<int>(i);
  }
  std::string_view content = line.substr(i);
  s.content = content;
  std::size_t colon = content.find(": ");
  if (colon == std::string_view::npos && !content.empty() && content.back() == ':') colon = content.size() - 1;
  if (colon == std::string_view::npos) {
    std::size_t commented = content.find(": #");
    if (commented != std::string_view::npos) colon = commented;
  }
  if (colon != std::string_view::npos) {
    std::string_view key = unquoted(content.substr(0, colon));
    if (isPlainKey(key)) {
      s.hasKey = true;
      s.key = key;
      s.value = withoutComment(content.substr(colon + 1));
    }
  }
  return s;
}

/// Whether a key with this value can hold the lines indented under it: an
/// empty value, or only an anchor or a tag.
bool opensBlock(std::string_view value) {
  if (value.empty()) return true;
  return (value.front() == '&' || value.front() == '!') && value.find(' ') == std::string_view::npos;
}

bool startsWithNoCase(std::string_view text, std::string_view prefix) {
  if (prefix.size() > text.size()) return false;
  for (std::size_t i = 0; i < prefix.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(text[i])) != std::tolower(static_cast<unsigned char>(prefix[i]))) {
      return false;
    }
  }
  return true;
}

std::string kindOf(const std::vector<std::string_view>& lines, std::size_t begin, std::size_t end) {
  for (std::size_t l = begin; l < end; ++l) {
    std::string_view line = lines[l];
    if (line.substr(0, 5) != "kind:") continue;
    return std::string(unquoted(withoutComment(line.substr(5))));
  }
  return {};
}

std::string join(const std::vector<std::string>& innermostFirst) {
  std::string out;
  for (auto it = innermostFirst.rbegin(); it != innermostFirst.rend(); ++it) {
    if (!out.empty()) out += '.';
    out += *it;
  }
  return out;
}

YamlCursor none(const YamlCursor& at) {
  YamlCursor out;
  out.kind = at.kind;
  return out;
}

std::string spaces(int n) { return std::string(static_cast<std::size_t>(std::max(n, 0)), ' '); }

std::string insertTextFor(const FieldSchema& field, int keyIndent) {
  std::string name(field.name);
  switch (field.type) {
    case FieldType::Object:
    case FieldType::StringMap:
    case FieldType::QuantityMap:
    case FieldType::Opaque:
      return name + ":\n" + spaces(keyIndent + 2);
    case FieldType::List:
      // Items at the key's own indentation, as kubectl writes them.
      return name + ":\n" + spaces(keyIndent) + "- ";
    case FieldType::String:
    case FieldType::Int32:
    case FieldType::Int64:
    case FieldType::Bool:
    case FieldType::Quantity:
    case FieldType::IntOrString:
      return name + ": ";
  }
  return name + ": ";
}

void addValue(Completion& out, std::string value, std::string_view detail, std::string_view description) {
  if (value.empty() || !startsWithNoCase(value, out.at.prefix)) return;
  CompletionItem item;
  item.kind = CompletionItem::Kind::Value;
  item.label = value;
  item.insertText = std::move(value);
  item.detail = detail;
  item.description = description;
  out.items.push_back(std::move(item));
}

}  // namespace

std::string YamlCursor::fieldPath() const {
  if (slot != Slot::Value) return objectPath;
  return objectPath.empty() ? key : objectPath + "." + key;
}

const TypeSchema* typeAtPath(std::string_view kind, std::string_view objectPath) {
  if (!kind.empty()) return typeForPath(kind, objectPath);
  if (const TypeSchema* t = typeForPath("Pod", objectPath)) return t;
  return typeForPath("Deployment", objectPath);
}

const FieldSchema* fieldAtPath(std::string_view kind, std::string_view path) {
  if (!kind.empty()) return fieldForPath(kind, path);
  if (const FieldSchema* f = fieldForPath("Pod", path)) return f;
  return fieldForPath("Deployment", path);
}

YamlCursor locateCursor(std::string_view text, SourcePos cursor) {
  YamlCursor at;
  const std::vector<std::string_view> lines = splitLines(text);
  if (cursor.line < 1 || static_cast<std::size_t>(cursor.line) > lines.size()) return at;
  const std::size_t cursorLine = static_cast<std::size_t>(cursor.line - 1);
  const std::string_view line = lines[cursorLine];
  const std::string_view before = line.substr(0, byteOfColumn(line, std::max(cursor.column - 1, 0)));

  std::size_t docBegin = 0;
  for (std::size_t l = cursorLine + 1; l-- > 0;) {
    if (!isDocumentMarker(lines[l])) continue;
    if (l == cursorLine) return at;
    docBegin = l + 1;
    break;
  }
  std::size_t docEnd = lines.size();
  for (std::size_t l = cursorLine + 1; l < lines.size(); ++l) {
    if (isDocumentMarker(lines[l])) {
      docEnd = l;
      break;
    }
  }
  at.kind = kindOf(lines, docBegin, docEnd);

  // The cursor's own line: indentation, an optional `- `, then a key or `key: value`.
  std::size_t i = 0;
  while (i < before.size() && before[i] == ' ') ++i;
  int dashColumn = -1;
  if (i < before.size() && before[i] == '-') {
    if (i + 1 == before.size()) return at;  // "-" with no space yet
    if (before[i + 1] == ' ') {
      dashColumn = static_cast<int>(i);
      ++i;
      while (i < before.size() && before[i] == ' ') ++i;
    }
  }
  at.keyIndent = static_cast<int>(i);
  std::string_view rest = before.substr(i);
  std::size_t prefixByte = i;
  const std::size_t colon = rest.find(": ");
  if (colon != std::string_view::npos) {
    std::string_view key = unquoted(rest.substr(0, colon));
    if (!isPlainKey(key)) return at;
    std::size_t valueStart = colon + 2;
    while (valueStart < rest.size() && rest[valueStart] == ' ') ++valueStart;
    std::string_view value = rest.substr(valueStart);
    if (!value.empty() && (value.front() == '"' || value.front() == '\'')) {
      if (value.find(value.front(), 1) != std::string_view::npos) return at;  // a closed string
      value.remove_prefix(1);
      ++valueStart;
    }
    if (value.find_first_of(" #{}[],&*!|>") != std::string_view::npos) return at;
    at.slot = YamlCursor::Slot::Value;
    at.key = key;
    at.prefix = value;
    prefixByte = i + valueStart;
  } else {
    if (!std::all_of(rest.begin(), rest.end(), isKeyChar)) return at;
    at.slot = YamlCursor::Slot::Key;
    at.prefix = rest;
  }
  at.prefixColumn = columnOfByte(line, prefixByte) + 1;
  at.newListItem = dashColumn >= 0;

  // Upwards, from the innermost mapping out: a line indented less than the
  // current key is its parent; `- ` lines make the parent a list's item.
  std::vector<std::string> segments;
  int indent = at.keyIndent;
  bool seekingListOwner = false;
  bool collectingSiblings = true;
  if (dashColumn >= 0) {
    indent = dashColumn;
    seekingListOwner = true;
    collectingSiblings = false;
  }
  for (std::size_t l = cursorLine; l-- > docBegin;) {
    const LineShape s = shapeOf(lines[l]);
    if (s.blank) continue;
    if (seekingListOwner) {
      if (s.dash) {
        if (s.lead >= indent) continue;  // an earlier item of the same list, or inside one
        // "- ports:" with the list under it: the item's key owns the list.
        if (!s.hasKey || s.itemColumn > indent || !opensBlock(s.value)) return none(at);
        segments.push_back(std::string(s.key) + "[]");
        indent = s.lead;
        continue;  // still seeking: that item belongs to a list too
      }
      if (s.lead > indent) continue;
      if (!s.hasKey || !opensBlock(s.value)) return none(at);
      segments.push_back(std::string(s.key) + "[]");
      indent = s.lead;
      seekingListOwner = false;
    } else if (s.dash) {
      if (s.itemColumn == indent || (s.lead < indent && s.itemColumn > indent)) {
        // The item whose mapping holds the cursor's key, unless it is a
        // scalar ("- |", "- text") that the cursor's line continues.
        if (!s.hasKey && !s.content.empty() && s.content.front() != '#') return none(at);
        if (collectingSiblings && s.hasKey) at.siblings.push_back(std::string(s.key));
        collectingSiblings = false;
        indent = s.lead;
        seekingListOwner = true;
      } else if (s.itemColumn < indent) {
        // "- livenessProbe:" with the cursor's mapping under it.
        if (!s.hasKey || !opensBlock(s.value)) return none(at);
        segments.push_back(std::string(s.key));
        collectingSiblings = false;
        indent = s.lead;
        seekingListOwner = true;
      }
    } else if (s.lead == indent) {
      if (collectingSiblings && s.hasKey) at.siblings.push_back(std::string(s.key));
    } else if (s.lead < indent) {
      if (!s.hasKey || !opensBlock(s.value)) return none(at);
      segments.push_back(std::string(s.key));
      collectingSiblings = false;
      indent = s.lead;
    }
    if (indent == 0 && !seekingListOwner && !collectingSiblings) break;
  }
  if (seekingListOwner || indent != 0) return none(at);

  // Downwards: keys of the same mapping written after the cursor's line.
  for (std::size_t l = cursorLine + 1; l < docEnd; ++l) {
    const LineShape s = shapeOf(lines[l]);
    if (s.blank) continue;
    if (s.lead < at.keyIndent) break;
    if (!s.dash && s.lead == at.keyIndent && s.hasKey) at.siblings.push_back(std::string(s.key));
  }
  at.objectPath = join(segments);
  return at;
}

Completion completeAt(std::string_view text, SourcePos cursor) {
  Completion out;
  out.at = locateCursor(text, cursor);
  const YamlCursor& at = out.at;
  if (at.slot == YamlCursor::Slot::Key) {
    const TypeSchema* type = typeAtPath(at.kind, at.objectPath);
    if (!type) return out;
    for (const FieldSchema& f : type->fields) {
      if (f.name == "status" && f.type == FieldType::Opaque) continue;  // written by the cluster
      if (!startsWithNoCase(f.name, at.prefix)) continue;
      if (std::find(at.siblings.begin(), at.siblings.end(), f.name) != at.siblings.end()) continue;
      CompletionItem item;
      item.kind = CompletionItem::Kind::Field;
      item.label = f.name;
      item.insertText = insertTextFor(f, at.keyIndent);
      item.detail = f.typeLabel();
      item.description = f.description;
      item.defaultValue = f.defaultValue;
      item.required = f.required;
      out.items.push_back(std::move(item));
    }
    return out;
  }
  if (at.slot != YamlCursor::Slot::Value) return out;

  if (at.objectPath.empty() && at.key == "kind") {
    for (std::string_view kind : {"Pod", "Deployment"}) {
      const TypeSchema* type = rootType(kind);
      addValue(out, std::string(kind), "kind", type ? type->description : std::string_view());
    }
    return out;
  }
  if (at.objectPath.empty() && at.key == "apiVersion") {
    if (at.kind != "Deployment") addValue(out, "v1", "apiVersion", "The core API group's version; Pods are v1.");
    if (at.kind != "Pod") addValue(out, "apps/v1", "apiVersion", "The apps API group's version; Deployments are apps/v1.");
    return out;
  }
  const FieldSchema* field = fieldAtPath(at.kind, at.fieldPath());
  if (!field) return out;
  const std::string detail = field->typeLabel();
  if (field->type == FieldType::Bool) {
    addValue(out, "true", detail, field->description);
    addValue(out, "false", detail, field->description);
  }
  for (std::string_view value : field->enumValues) addValue(out, std::string(value), detail, field->description);
  if (!field->defaultValue.empty()) {
    for (CompletionItem& item : out.items) {
      if (item.label == field->defaultValue) item.defaultValue = field->defaultValue;
    }
  }
  return out;
}

}  // namespace podscope::core
