#include "core/field_help.h"

#include "core/completion.h"

namespace podscope::core {
namespace {

bool covers(const SourceRange& range, SourcePos pos) {
  if (!range.known() || range.begin.line != pos.line) return false;
  const int end = range.end.line == range.begin.line ? range.end.column : 1 << 30;
  return pos.column >= range.begin.column && pos.column < end;
}

/// The name under `path` that `child` is a direct field (or map entry) of, or empty.
std::string directChild(const std::string& path, const std::string& child) {
  if (child.size() <= path.size() || child.compare(0, path.size(), path) != 0) return {};
  std::string rest = child.substr(path.size());
  if (rest.front() == '.') {
    rest.erase(0, 1);
    if (rest.find('.') != std::string::npos) return {};
    // A map entry of a direct field ("requests[cpu]") reads as that field's entry.
    return rest;
  }
  if (rest.front() == '[' && rest.back() == ']' && rest.find('.') == std::string::npos) {
    return rest.substr(1, rest.size() - 2);
  }
  return {};
}

}  // namespace

std::optional<FieldHelp> fieldHelpAt(const Document& doc, SourcePos pos) {
  for (const auto& [path, where] : doc.positions) {
    if (path.empty() || path.back() == ']' || !covers(where.key, pos)) continue;
    const FieldSchema* field = fieldForPath(doc.kind, path);
    if (!field) continue;
    FieldHelp help;
    help.kind = doc.kind;
    help.path = path;
    help.field = field;
    help.keyRange = where.key;
    for (const auto& [defaulted, value] : doc.defaults) {
      if (defaulted == path) {
        help.defaultApplied = value;
        continue;
      }
      std::string name = directChild(path, defaulted);
      if (!name.empty()) help.defaultsInside.emplace_back(std::move(name), value);
    }
    return help;
  }
  return std::nullopt;
}

std::optional<FieldHelp> fieldHelpAt(std::string_view text, SourcePos pos) {
  if (pos.line < 1 || pos.column < 1) return std::nullopt;
  // The line under the position, and the key on it.
  std::size_t start = 0;
  for (int l = 1; l < pos.line; ++l) {
    start = text.find('\n', start);
    if (start == std::string_view::npos) return std::nullopt;
    ++start;
  }
  std::size_t end = text.find('\n', start);
  std::string_view line = text.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start);
  std::size_t i = line.find_first_not_of(' ');
  if (i == std::string_view::npos) return std::nullopt;
  if (line[i] == '-' && i + 1 < line.size() && line[i + 1] == ' ') {
    i = line.find_first_not_of(' ', i + 1);
    if (i == std::string_view::npos) return std::nullopt;
  }
  std::size_t colon = line.find(':', i);
  if (colon == std::string_view::npos || colon == i) return std::nullopt;
  if (colon + 1 < line.size() && line[colon + 1] != ' ') return std::nullopt;
  const std::string key(line.substr(i, colon - i));
  // Keys are ASCII, so byte offsets are columns here.
  const int keyBegin = static_cast<int>(i) + 1;
  const int keyEnd = static_cast<int>(colon) + 1;
  if (pos.column < keyBegin || pos.column >= keyEnd) return std::nullopt;

  YamlCursor at = locateCursor(text, {pos.line, keyBegin});
  if (at.slot != YamlCursor::Slot::Key) return std::nullopt;
  FieldHelp help;
  help.kind = at.kind;
  help.path = at.objectPath.empty() ? key : at.objectPath + "." + key;
  help.field = fieldAtPath(at.kind, help.path);
  if (!help.field) return std::nullopt;
  help.keyRange = {{pos.line, keyBegin}, {pos.line, keyEnd}};
  return help;
}

}  // namespace podscope::core
