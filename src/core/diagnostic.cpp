#include "core/diagnostic.h"

#include <algorithm>
#include <tuple>

namespace podscope::core {

std::string_view toString(Severity severity) {
  switch (severity) {
    case Severity::Error: return "error";
    case Severity::Warning: return "warning";
    case Severity::Info: return "info";
  }
  return "";
}

std::string formatDiagnostic(const Diagnostic& d) {
  std::string out;
  if (!d.file.empty()) out += d.file + ":";
  if (d.range.begin.known()) {
    out += std::to_string(d.range.begin.line) + ":" + std::to_string(d.range.begin.column) + ":";
  }
  if (!out.empty()) out += " ";
  out += std::string(toString(d.severity)) + ": " + d.message;
  if (!d.rule.empty()) out += " [" + d.rule + "]";
  return out;
}

void sortDiagnostics(std::vector<Diagnostic>& diagnostics) {
  std::stable_sort(diagnostics.begin(), diagnostics.end(), [](const Diagnostic& a, const Diagnostic& b) {
    return std::tie(a.file, a.range.begin.line, a.range.begin.column, a.severity) <
           std::tie(b.file, b.range.begin.line, b.range.begin.column, b.severity);
  });
}

bool hasErrors(const std::vector<Diagnostic>& diagnostics) {
  return std::any_of(diagnostics.begin(), diagnostics.end(),
                     [](const Diagnostic& d) { return d.severity == Severity::Error; });
}

}  // namespace podscope::core
