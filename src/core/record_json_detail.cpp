#include "core/record_json_detail.h"

#include <algorithm>

namespace podscope::core::record_json {

Error shapeError(const std::string& path, const std::string& what) {
  Error e;
  e.message = path.empty() ? what : path + ": " + what;
  e.kind = ErrorKind::Shape;
  return e;
}

std::string typeName(const Json& j) {
  if (j.is_number_integer()) return "integer";
  if (j.is_number_float()) return "number";
  return j.type_name();
}

std::string quoted(const Json& j) { return j.dump(-1, ' ', false, Json::error_handler_t::replace); }

std::string join(const std::string& path, std::string_view key) {
  return path.empty() ? std::string(key) : path + "." + std::string(key);
}

std::string element(const std::string& path, std::string_view key, std::size_t index) {
  return join(path, key) + "[" + std::to_string(index) + "]";
}

void putTime(OrderedJson& object, std::string_view key, RunTime t) {
  object[std::string(key) + "Ns"] = static_cast<std::int64_t>(t.count());
  object[std::string(key)] = formatRunTime(t);
}

std::string dump(const OrderedJson& root) { return root.dump(2, ' ', false, OrderedJson::error_handler_t::replace) + "\n"; }

// ---- Reader --------------------------------------------------------------------------

const Json* Reader::field(const Json& object, const std::string& path, const char* key, bool required) {
  auto it = object.find(key);
  if (it == object.end() || (!required && it->is_null())) {
    if (required) fail(path, std::string("missing required field \"") + key + "\"");
    return nullptr;
  }
  return &*it;
}

std::optional<std::string> Reader::string(const Json& object, const std::string& path, const char* key,
                                          bool required) {
  const Json* j = field(object, path, key, required);
  if (!j) return required ? std::nullopt : std::optional<std::string>(std::string());
  if (!j->is_string()) {
    fail(join(path, key), "expected a string, got " + typeName(*j));
    return std::nullopt;
  }
  return j->get<std::string>();
}

std::optional<std::int64_t> Reader::integer(const Json& object, const std::string& path, const char* key,
                                            bool required, std::int64_t min, std::int64_t max) {
  const Json* j = field(object, path, key, required);
  if (!j) return std::nullopt;
  return integerValue(*j, join(path, key), min, max);
}

std::optional<std::int64_t> Reader::integerValue(const Json& j, const std::string& where, std::int64_t min,
                                                 std::int64_t max) {
  if (!j.is_number_integer()) {
    fail(where, "expected an integer, got " + typeName(j));
    return std::nullopt;
  }
  if (j.is_number_unsigned() && j.get<std::uint64_t>() > static_cast<std::uint64_t>(max)) {
    fail(where, "value " + j.dump() + " is too large (at most " + std::to_string(max) + ")");
    return std::nullopt;
  }
  auto v = j.get<std::int64_t>();
  if (v < min) {
    fail(where, min == 0 ? "must not be negative, got " + std::to_string(v)
                         : "value " + std::to_string(v) + " is too small (at least " + std::to_string(min) + ")");
    return std::nullopt;
  }
  if (v > max) {
    fail(where, "value " + std::to_string(v) + " is too large (at most " + std::to_string(max) + ")");
    return std::nullopt;
  }
  return v;
}

std::optional<bool> Reader::boolean(const Json& object, const std::string& path, const char* key, bool required) {
  const Json* j = field(object, path, key, required);
  if (!j) return required ? std::nullopt : std::optional<bool>(false);
  if (!j->is_boolean()) {
    fail(join(path, key), "expected a boolean, got " + typeName(*j));
    return std::nullopt;
  }
  return j->get<bool>();
}

const Json* Reader::object(const Json& parent, const std::string& path, const char* key) {
  const Json* j = field(parent, path, key, true);
  if (j && !j->is_object()) {
    fail(join(path, key), "expected an object, got " + typeName(*j));
    return nullptr;
  }
  return j;
}

const Json* Reader::array(const Json& parent, const std::string& path, const char* key) {
  const Json* j = field(parent, path, key, true);
  if (j && !j->is_array()) {
    fail(join(path, key), "expected an array, got " + typeName(*j));
    return nullptr;
  }
  return j;
}

std::optional<RunTime> Reader::time(const Json& object, const std::string& path, const char* key) {
  auto ns = integer(object, path, key, true, 0, std::numeric_limits<std::int64_t>::max());
  if (!ns) return std::nullopt;
  return RunTime(*ns);
}

std::optional<RunTime> Reader::optionalTime(const Json& object, const std::string& path, const char* key) {
  if (!present(object, key)) return std::nullopt;
  return time(object, path, key);
}

bool Reader::present(const Json& object, const char* key) {
  auto it = object.find(key);
  return it != object.end() && !it->is_null();
}

bool Reader::requireObject(const Json& j, const std::string& path) {
  if (j.is_object()) return true;
  fail(path.empty() ? "(top level)" : path, "expected an object, got " + typeName(j));
  return false;
}

void Reader::fail(const std::string& path, const std::string& what) {
  if (!error) error = shapeError(path, what);
}

std::optional<Error> checkFormat(const Json& object, const std::string& path, std::string_view format, int version,
                                 std::string_view kind) {
  Reader r;
  if (!r.requireObject(object, path)) return r.error;
  auto found = object.find("format");
  if (found == object.end()) {
    return shapeError(path, "not a podscope " + std::string(kind) + ": missing \"format\"");
  }
  if (!found->is_string() || found->get<std::string>() != format) {
    return shapeError(join(path, "format"), "expected \"" + std::string(format) + "\", got " + quoted(*found));
  }
  auto v = r.integer(object, path, "version", true, 1, std::numeric_limits<std::int32_t>::max());
  if (!v) return r.error;
  if (*v > version) {
    return shapeError(join(path, "version"), "this record has format version " + std::to_string(*v) +
                                                 ", newer than this podscope reads (" + std::to_string(version) +
                                                 "); use a newer podscope");
  }
  return std::nullopt;
}

// ---- Parsing ---------------------------------------------------------------------

Error syntaxError(std::string_view text, std::size_t byte, const std::string& what) {
  // nlohmann counts the bytes read up to and including the offending one.
  std::size_t offset = byte == 0 ? 0 : std::min(byte - 1, text.size());
  int line = 1;
  int column = 1;
  for (std::size_t i = 0; i < offset; ++i) {
    if (text[i] == '\n') {
      ++line;
      column = 1;
    } else {
      ++column;
    }
  }
  // Keep nlohmann's explanation, without its "[json.exception...] parse
  // error at line L, column C: " prefix: the position is given our way.
  std::string detail = what;
  if (auto colon = detail.find(": "); colon != std::string::npos) detail = detail.substr(colon + 2);
  Error e;
  e.message = "not valid JSON at line " + std::to_string(line) + ", column " + std::to_string(column) +
              " (byte offset " + std::to_string(offset) + "): " + detail;
  e.pos = SourcePos{line, column};
  e.kind = ErrorKind::Syntax;
  return e;
}

Json parseLimited(std::string_view json) {
  Json::parser_callback_t limitDepth = [](int depth, Json::parse_event_t, Json&) {
    if (depth > kMaxDepth) throw TooDeep{};
    return true;
  };
  return Json::parse(json.begin(), json.end(), limitDepth);
}

}  // namespace podscope::core::record_json
