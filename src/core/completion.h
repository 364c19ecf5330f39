#pragma once
// Completion for a manifest as it is being typed: where the cursor stands in
// the YAML structure and what the schema allows there. The place is worked
// out from indentation alone, line by line upwards, so text that does not
// parse yet (a half-typed key, a missing value, a broken line elsewhere)
// still gets an answer.
// Thread contract: pure functions over their arguments; safe from any thread.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/schema.h"
#include "core/source_range.h"

namespace podscope::core {

/// The place in a document where the cursor is.
struct YamlCursor {
  enum class Slot {
    None,   ///< nowhere completion can help: a comment, a block scalar, flow style
    Key,    ///< a key of the mapping at `objectPath` is being typed
    Value,  ///< the value of `key` in that mapping is being typed
  };
  Slot slot = Slot::None;
  std::string kind;        ///< the document's kind as written; empty when not written yet
  std::string objectPath;  ///< the mapping's path, list items as `[]`: "spec.containers[].livenessProbe"; "" is the root
  std::string key;         ///< Value: the key whose value is typed
  std::string prefix;      ///< what is typed of the key or value, up to the cursor
  int prefixColumn = 0;    ///< 1-based column (in characters) where `prefix` starts
  int keyIndent = 0;       ///< 0-based column of the mapping's keys
  bool newListItem = false;            ///< the key follows a `- ` on its line
  std::vector<std::string> siblings;   ///< keys already written in the same mapping

  /// "spec.containers[].livenessProbe.periodSeconds" for a Value; objectPath for a Key.
  std::string fieldPath() const;
};

/// Where `cursor` (1-based line and column in characters, as SourcePos) is
/// in `text`. Only the cursor's own document (between `---` lines) is read.
YamlCursor locateCursor(std::string_view text, SourcePos cursor);

struct CompletionItem {
  enum class Kind { Field, Value };
  Kind kind = Kind::Field;
  std::string label;        ///< the field's name or the value
  std::string insertText;   ///< replaces the typed prefix: "image: ", "livenessProbe:\n      ", "OnFailure"
  std::string detail;       ///< the field's type as the API reference writes it: "string", "[]Container"
  std::string description;  ///< one line
  std::string defaultValue; ///< the API server's default, when it has a fixed one
  bool required = false;
};

struct Completion {
  YamlCursor at;
  std::vector<CompletionItem> items;  ///< in the API reference's order; only those starting with the prefix
};

/// The fields that may be written at the cursor (those not written yet in
/// that mapping) or, after `key: `, the values the field allows (enums,
/// booleans, the kinds and apiVersions Podscope runs), filtered by the typed
/// prefix without regard to case.
Completion completeAt(std::string_view text, SourcePos cursor);

/// The schema field named by a YAML path as locateCursor writes it (list
/// items as `[]`) in a document of `kind`. A document whose kind is not
/// written yet is taken as a Pod, then as a Deployment.
const FieldSchema* fieldAtPath(std::string_view kind, std::string_view path);

/// The type of the mapping at `objectPath`, with the same guess for an
/// unwritten kind; nullptr outside the described types.
const TypeSchema* typeAtPath(std::string_view kind, std::string_view objectPath);

}  // namespace podscope::core
