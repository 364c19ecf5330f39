#pragma once
// The API server's validation rules for Pods and Deployments, and Podscope's
// timing lints, over the typed model. Messages use the API server's words:
//   spec.containers[0].livenessProbe.successThreshold: Invalid value: 2: must be 1
// Thread contract: pure functions.

#include <string>
#include <vector>

#include "core/diagnostic.h"
#include "core/manifest.h"

namespace podscope::core {

/// Errors the API server would reject the object for (rules "required",
/// "invalid-name", "duplicate-name", ...).
std::vector<Diagnostic> validateDocument(const Document& doc, const std::string& file);

/// Warnings and notes about timing and local runs: startup budgets, preStop
/// outliving the grace period, probe timeouts, unsupported volume kinds...
std::vector<Diagnostic> lintDocument(const Document& doc, const std::string& file);

}  // namespace podscope::core
