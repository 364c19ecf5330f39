#include "core/record_json_detail.h"

#include <algorithm>

#include "core/utf8_columns.h"
#include "core/utf8_text.h"

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
  const std::size_t offset = byte == 0 ? 0 : std::min(byte - 1, text.size());
  int line = 1;
  std::size_t lineStart = 0;
  for (std::size_t i = 0; i < offset; ++i) {
    if (text[i] == '\n') {
      ++line;
      lineStart = i + 1;
    }
  }
  // Columns count characters, as everywhere a SourcePos is shown; the byte
  // offset is given besides.
  const int column = columnOfByte(text.substr(lineStart), offset - lineStart) + 1;
  // Keep nlohmann's explanation, without its "[json.exception...] " tag and
  // its "parse error at line L, column C: " prefix: the position is given
  // our way.
  std::string detail = what;
  if (detail.starts_with("[json.exception")) {
    if (auto tag = detail.find("] "); tag != std::string::npos) detail.erase(0, tag + 2);
  }
  if (detail.starts_with("parse error")) {
    if (auto colon = detail.find(": "); colon != std::string::npos) detail.erase(0, colon + 2);
  }
  // nlohmann quotes the bytes it last read, which may be the very bytes
  // that are not UTF-8; the message must stay printable.
  detail = replaceInvalidUtf8(detail);
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

namespace {

// Takes every parser event and keeps nothing but where the parser gave up
// and the token it stopped at. nlohmann's DOM parser drops that position
// for a number too large for a double (it throws out_of_range 406, which
// carries no byte offset), so such text is parsed a second time with this
// to find it.
class ErrorPosition final : public Json::json_sax_t {
 public:
  std::size_t byte = 0;  ///< bytes read, the whole token included
  std::string token;

  bool null() override { return true; }
  bool boolean(bool) override { return true; }
  bool number_integer(number_integer_t) override { return true; }
  bool number_unsigned(number_unsigned_t) override { return true; }
  bool number_float(number_float_t, const string_t&) override { return true; }
  bool string(string_t&) override { return true; }
  bool binary(binary_t&) override { return true; }
  bool start_object(std::size_t) override { return true; }
  bool key(string_t&) override { return true; }
  bool end_object() override { return true; }
  bool start_array(std::size_t) override { return true; }
  bool end_array() override { return true; }
  bool parse_error(std::size_t position, const std::string& lastToken, const Json::exception&) override {
    byte = position;
    token = lastToken;
    return false;
  }
};

}  // namespace

Result<Json> parseDocument(std::string_view json, std::string_view kind) {
  try {
    return parseLimited(json);
  } catch (const Json::parse_error& e) {
    return syntaxError(json, e.byte, e.what());
  } catch (const Json::out_of_range& e) {
    // The one range error the parser raises: a number too large for a
    // double ("1e400"). The SAX parser keeps its nesting on a heap stack,
    // so the second pass is safe at any depth.
    ErrorPosition where;
    Json::sax_parse(json.begin(), json.end(), &where);
    // syntaxError names the last byte read; here that is the number's
    // first, so the message points at the start of the number.
    const std::size_t first = where.byte > where.token.size() ? where.byte - where.token.size() + 1 : where.byte;
    return syntaxError(json, first, e.what());
  } catch (const TooDeep&) {
    return shapeError("", "nested deeper than " + std::to_string(kMaxDepth) + " levels");
  } catch (const std::exception& e) {
    // Out of memory and the like: reported, never thrown on.
    Error err;
    err.message = "cannot read the " + std::string(kind) + ": " + e.what();
    return err;
  }
}

}  // namespace podscope::core::record_json
