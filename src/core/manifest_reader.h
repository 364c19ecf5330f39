#pragma once
// Reads manifest text (one or more YAML documents) into the typed model:
// checks the bytes, splits at `---`, parses each document with positions,
// decodes it strictly, validates it as the API server would and lints its
// timing. Never throws; every finding is a Diagnostic on the Manifest.
// Thread contract: stateless free functions; safe from any thread.

#include <string>
#include <string_view>

#include "core/manifest.h"
#include "core/result.h"
#include "core/yaml_tree.h"

namespace podscope::core {

/// Reads every document in `text`. A document with errors is kept (for its
/// kind, name and positions) but is not runnable; the others still are.
Manifest readManifest(std::string_view text, const std::string& fileName, const YamlLimits& limits = {});

/// Reads a file from disk; a file that cannot be opened is an Error, one
/// over the size limit gets a diagnostic without being read whole.
Result<Manifest> readManifestFile(const std::string& path, const YamlLimits& limits = {});

/// The first runnable Pod in the text, or the first error that prevents one.
Result<Pod> readPod(std::string_view text, const std::string& fileName);

}  // namespace podscope::core
