#pragma once
// Reads manifest text (one or more YAML documents) into the typed model.
// The one place in Podscope that catches yaml-cpp's exceptions: every syntax
// or shape problem comes back as an Error with file, line and column.
// Thread contract: stateless free functions; safe from any thread.

#include <string>
#include <string_view>

#include "core/manifest.h"
#include "core/result.h"

namespace podscope::core {

/// Reads every document in `text`. Never throws. A document with a syntax
/// or shape error adds an Error and the others are still read.
Manifest readManifest(std::string_view text, const std::string& fileName);

/// Reads a file from disk; an unreadable file is an Error.
Result<Manifest> readManifestFile(const std::string& path);

/// The first runnable Pod in the text, or the first error that prevents one.
Result<Pod> readPod(std::string_view text, const std::string& fileName);

}  // namespace podscope::core
