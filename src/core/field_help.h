#pragma once
// What hovering over a field name tells: the schema's description of the
// field and the defaults the decoder applied there (a value left empty) and
// inside it (fields left out of the object the key opens).
// Thread contract: pure functions over their arguments; safe from any thread.

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/manifest.h"
#include "core/schema.h"
#include "core/source_range.h"

namespace podscope::core {

struct FieldHelp {
  std::string kind;  ///< the document's kind; empty when not written
  /// The field's path: with list indices as the decoder writes them
  /// ("spec.containers[0].imagePullPolicy") when read from a decoded
  /// document, with `[]` when read from the text alone.
  std::string path;
  const FieldSchema* field = nullptr;
  SourceRange keyRange;
  /// The default the decoder applied to this field because its value was
  /// left empty (`dnsPolicy:`); empty otherwise.
  std::string defaultApplied;
  /// Fields of the object this key opens that were left out and defaulted,
  /// as name and YAML text, in path order: {"periodSeconds", "10"}.
  std::vector<std::pair<std::string, std::string>> defaultsInside;
};

/// The written field whose key covers `pos` in a decoded document, or
/// nullopt (not on a key, or a key the schema does not describe).
std::optional<FieldHelp> fieldHelpAt(const Document& doc, SourcePos pos);

/// The same from the text alone, for text that has not been decoded (it is
/// being typed, or does not parse): the schema's word only, no defaults.
std::optional<FieldHelp> fieldHelpAt(std::string_view text, SourcePos pos);

}  // namespace podscope::core
