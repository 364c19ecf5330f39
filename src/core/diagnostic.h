#pragma once
// Findings about a manifest: YAML errors, schema errors, the API server's
// validation rules and timing lints. Findings are data, not errors: a file
// with problems is still read as far as it can be.
// Thread contract: plain values.

#include <string>
#include <string_view>
#include <vector>

#include "core/source_range.h"

namespace podscope::core {

enum class Severity { Error, Warning, Info };
std::string_view toString(Severity severity);

struct Diagnostic {
  Severity severity = Severity::Error;
  std::string file;
  int document = -1;   ///< 0-based document index; -1 for the whole file
  std::string path;    ///< field path, e.g. spec.containers[0].image; empty for YAML errors
  SourceRange range;   ///< where to underline; begin is what file:line:col names
  std::string rule;    ///< stable id, e.g. "unknown-field", "yaml-syntax", "probe-timeout"
  std::string message; ///< in the API server's words where it has some
  friend bool operator==(const Diagnostic&, const Diagnostic&) = default;
};

/// `file:line:col: severity: message [rule]` (parts that are unknown are left out).
std::string formatDiagnostic(const Diagnostic& d);

/// Orders by file, line, column, then severity (errors first).
void sortDiagnostics(std::vector<Diagnostic>& diagnostics);

bool hasErrors(const std::vector<Diagnostic>& diagnostics);

}  // namespace podscope::core
