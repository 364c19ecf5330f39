#include "core/text_lint.h"

namespace podscope::core {
namespace {

int columnOf(std::string_view line, std::size_t byte) {
  int column = 1;
  for (std::size_t i = 0; i < byte && i < line.size(); ++i) {
    if ((static_cast<unsigned char>(line[i]) & 0xC0) != 0x80) ++column;
  }
  return column;
}

}  // namespace

std::vector<Diagnostic> findTabCharacters(std::string_view text, const std::string& file) {
  std::vector<Diagnostic> out;
  int lineNumber = 1;
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(start, end - start);
    std::size_t tab = line.find('\t');
    if (tab != std::string_view::npos) {
      std::size_t runEnd = tab;
      while (runEnd < line.size() && line[runEnd] == '\t') ++runEnd;
      const bool indentation = line.find_first_not_of(" \t") >= tab;
      Diagnostic d;
      d.file = file;
      d.severity = indentation ? Severity::Error : Severity::Info;
      d.rule = indentation ? "tab-indentation" : "tab-character";
      d.message = indentation ? "tab character: YAML indentation must use spaces"
                              : "tab character: YAML indentation must use spaces; this one is inside the text, "
                                "where it is kept as written";
      d.range = {{lineNumber, columnOf(line, tab)}, {lineNumber, columnOf(line, runEnd)}};
      out.push_back(std::move(d));
    }
    if (end == text.size()) break;
    start = end + 1;
    ++lineNumber;
  }
  return out;
}

}  // namespace podscope::core
