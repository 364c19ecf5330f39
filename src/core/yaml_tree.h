#pragma once
// A YAML document as a tree of plain values with source ranges, built from
// yaml-cpp's event stream rather than YAML::Node so that Podscope can see
// what YAML::Node hides: duplicate keys, whether a scalar was quoted, where
// each key and value starts and ends, and aliases (expanded under a budget,
// so an alias bomb is refused instead of exhausting memory). Building is
// iterative; nothing here recurses over user input.
// Thread contract: plain values; parse functions are reentrant.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/diagnostic.h"
#include "core/source_range.h"

namespace podscope::core {

struct YamlNode {
  enum class Kind { Null, Scalar, Sequence, Map };
  Kind kind = Kind::Null;
  std::string value;     ///< scalar text (Scalar only)
  bool quoted = false;   ///< a quoted or block scalar: always a string, never a number/bool/null
  std::string tag;       ///< explicit tag, e.g. "!!str"; empty when none
  SourceRange range;     ///< the node's text
  std::vector<YamlNode> items;  ///< Sequence items
  struct Entry;
  std::vector<Entry> entries;   ///< Map entries in file order (duplicates already reported and dropped)

  bool isNull() const { return kind == Kind::Null; }
  bool isScalar() const { return kind == Kind::Scalar; }
  bool isSequence() const { return kind == Kind::Sequence; }
  bool isMap() const { return kind == Kind::Map; }
  /// The entry with this key, or nullptr.
  const Entry* find(std::string_view key) const;
  /// "a string", "a number", "a list", "a mapping", "null": for messages.
  std::string describe() const;
};

struct YamlNode::Entry {
  std::string key;
  SourceRange keyRange;
  YamlNode value;
};

struct YamlLimits {
  std::size_t maxBytes = 4 * 1024 * 1024;   ///< a manifest file larger than this is refused
  int maxDepth = 100;                       ///< nesting deeper than this is refused
  std::size_t maxNodes = 250'000;           ///< nodes after alias expansion, per document
};

/// One document's text, split from a file at `---` lines.
struct YamlChunk {
  std::string text;
  int firstLine = 1;   ///< 1-based line of the chunk's first line in the file
  bool blank = true;   ///< only comments and whitespace
};

/// Splits a file into documents at `---` / `...` lines, keeping line numbers.
std::vector<YamlChunk> splitYamlDocuments(std::string_view text);

/// The finding for a file of `size` bytes over limits.maxBytes.
Diagnostic fileTooLarge(const std::string& file, std::uintmax_t size, const YamlLimits& limits = {});

/// Problems with the bytes themselves: too large, binary (NUL bytes),
/// invalid UTF-8, a byte-order mark other than UTF-8's. Empty when fine.
std::vector<Diagnostic> checkYamlText(std::string_view text, const std::string& file, const YamlLimits& limits = {});

/// Parses one document. On failure the Diagnostic names line and column
/// (file-relative) and rule "yaml-syntax" (or "yaml-duplicate-key",
/// "yaml-too-deep", "yaml-alias-bomb"); duplicate keys are reported but the
/// tree is still returned (the later key is dropped, as the first wins).
struct YamlParse {
  std::optional<YamlNode> root;   ///< nullopt when the document could not be read
  std::vector<Diagnostic> diagnostics;
};
YamlParse parseYamlDocument(const YamlChunk& chunk, const std::string& file, int documentIndex,
                            const YamlLimits& limits = {});

}  // namespace podscope::core
