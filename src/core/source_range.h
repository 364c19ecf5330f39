#pragma once
// Positions in a manifest's text, so diagnostics and the editor can point at
// the exact place. Lines and columns are 1-based, as editors show them.

namespace podscope::core {

struct SourcePos {
  int line = 0;    ///< 1-based; 0 means unknown
  int column = 0;  ///< 1-based; 0 means unknown
  bool known() const { return line > 0; }
  friend bool operator==(const SourcePos&, const SourcePos&) = default;
};

struct SourceRange {
  SourcePos begin;
  SourcePos end;  ///< exclusive; equal to begin when only a point is known
  bool known() const { return begin.known(); }
  friend bool operator==(const SourceRange&, const SourceRange&) = default;
};

}  // namespace podscope::core
