#pragma once
// Result<T>: a value or an Error, shaped like std::expected so it can be
// swapped for it once the toolchain has C++23. Exceptions never cross module
// borders; functions that can fail return one of these.
// Thread contract: a plain value type, safe to move between threads.

#include <cassert>
#include <optional>
#include <string>
#include <utility>
#include <variant>

#include "core/source_range.h"

namespace podscope::core {

enum class ErrorKind {
  Other,
  Syntax,  ///< the text is not well-formed YAML
  Shape,   ///< well-formed YAML, but a field has the wrong type or value
  Io,      ///< the file could not be read
};

/// An error a user can read: what went wrong and, where known, where.
struct Error {
  std::string message;
  std::string file;              ///< empty when not about a file
  std::optional<SourcePos> pos;  ///< 1-based line/column when known
  ErrorKind kind = ErrorKind::Other;

  /// "file:line:col: message", leaving out the parts that are unknown.
  std::string toString() const;
};

template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : m_v(std::in_place_index<0>, std::move(value)) {}  // NOLINT(google-explicit-constructor)
  Result(Error error) : m_v(std::in_place_index<1>, std::move(error)) {}  // NOLINT(google-explicit-constructor)

  bool has_value() const { return m_v.index() == 0; }
  explicit operator bool() const { return has_value(); }

  T& value() & { assert(has_value()); return std::get<0>(m_v); }
  const T& value() const& { assert(has_value()); return std::get<0>(m_v); }
  T&& value() && { assert(has_value()); return std::get<0>(std::move(m_v)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

  const Error& error() const { assert(!has_value()); return std::get<1>(m_v); }

 private:
  std::variant<T, Error> m_v;
};

/// Result<void>: success, or an Error.
class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(Error error) : m_error(std::move(error)) {}  // NOLINT(google-explicit-constructor)
  static Status ok() { return {}; }

  bool has_value() const { return !m_error.has_value(); }
  explicit operator bool() const { return has_value(); }
  const Error& error() const { assert(m_error); return *m_error; }

 private:
  std::optional<Error> m_error;
};

}  // namespace podscope::core
