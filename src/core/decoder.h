#pragma once
// Strict decoding of one YAML document into the typed model, like
// `kubectl apply --validate=strict`: unknown fields, wrong types and
// unsupported enum values are errors; every default the API server would
// apply is applied and recorded in Document::defaults; every written field's
// position goes into Document::positions.
// Thread contract: reentrant.

#include <string>
#include <vector>

#include "core/diagnostic.h"
#include "core/manifest.h"
#include "core/yaml_tree.h"

namespace podscope::core {

/// Fills `doc` (apiVersion, kind, name, range, positions, defaults and, for
/// Pod v1 and Deployment apps/v1, a best-effort pod/deployment even when
/// there are errors) from `root`, appending findings to `out`. Other kinds
/// are kept with kind/name only; their only findings are a missing
/// apiVersion/kind and a kind that looks like a misspelt Pod or Deployment.
void decodeDocument(const YamlNode& root, const std::string& file, Document& doc, std::vector<Diagnostic>& out);

}  // namespace podscope::core
