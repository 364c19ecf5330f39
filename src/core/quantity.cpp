#include "core/quantity.h"

#include <algorithm>
#include <limits>
#include <optional>
#include <string>

namespace podscope::core {
namespace {

constexpr std::int64_t kMaxMilli = std::numeric_limits<std::int64_t>::max();
constexpr std::int64_t kMinMilli = std::numeric_limits<std::int64_t>::min();

bool isDigit(char c) { return c >= '0' && c <= '9'; }

Error quantityError(std::string_view message) {
  return Error{std::string(message), {}, std::nullopt, ErrorKind::Shape};
}

struct Suffix {
  std::int64_t exponent10 = 0;
  int exponent2 = 0;
};

std::optional<Suffix> interpretSuffix(std::string_view s) {
  struct Named {
    std::string_view text;
    Suffix suffix;
  };
  static constexpr Named kNamed[] = {
      {"", {0, 0}},    {"n", {-9, 0}},  {"u", {-6, 0}},  {"m", {-3, 0}},  {"k", {3, 0}},   {"M", {6, 0}},
      {"G", {9, 0}},   {"T", {12, 0}},  {"P", {15, 0}},  {"E", {18, 0}},  {"Ki", {0, 10}}, {"Mi", {0, 20}},
      {"Gi", {0, 30}}, {"Ti", {0, 40}}, {"Pi", {0, 50}}, {"Ei", {0, 60}},
  };
  for (const Named& n : kNamed) {
    if (n.text == s) return n.suffix;
  }
  if (s.size() < 2 || (s[0] != 'e' && s[0] != 'E')) return std::nullopt;
  // Go's strconv.ParseInt: an optional sign, then at least one digit, and
  // the value must fit in int64.
  std::string_view rest = s.substr(1);
  bool negative = false;
  if (rest[0] == '+' || rest[0] == '-') {
    negative = rest[0] == '-';
    rest.remove_prefix(1);
  }
  if (rest.empty()) return std::nullopt;
  std::uint64_t magnitude = 0;
  for (char c : rest) {
    if (!isDigit(c)) return std::nullopt;
    if (magnitude > (static_cast<std::uint64_t>(kMaxMilli) + 1 - (c - '0')) / 10) return std::nullopt;
    magnitude = magnitude * 10 + static_cast<std::uint64_t>(c - '0');
  }
  if (!negative && magnitude > static_cast<std::uint64_t>(kMaxMilli)) return std::nullopt;
  Suffix out;
  out.exponent10 = negative ? static_cast<std::int64_t>(0 - magnitude) : static_cast<std::int64_t>(magnitude);
  return out;
}

// Multiplies a decimal digit string in place by a small factor.
void multiplyDigits(std::string& digits, unsigned factor) {
  unsigned carry = 0;
  for (auto it = digits.rbegin(); it != digits.rend(); ++it) {
    unsigned v = static_cast<unsigned>(*it - '0') * factor + carry;
    *it = static_cast<char>('0' + v % 10);
    carry = v / 10;
  }
  while (carry > 0) {
    digits.insert(digits.begin(), static_cast<char>('0' + carry % 10));
    carry /= 10;
  }
}

// The value digits × 10^exponent10, in whole units rounded away from zero,
// or nullopt when it exceeds int64. `digits` has no leading zeros and is not
// empty or zero.
std::optional<std::int64_t> roundedMagnitude(const std::string& digits, std::int64_t exponent10) {
  const auto length = static_cast<std::int64_t>(digits.size());
  // Beyond these bounds the answer is known without the arithmetic, and the
  // arithmetic below cannot overflow inside them.
  if (exponent10 > 40) return std::nullopt;
  if (exponent10 < -length - 40) return 1;
  const std::int64_t integerLength = length + exponent10;
  if (integerLength > 19) return std::nullopt;
  if (integerLength <= 0) return 1;
  std::uint64_t value = 0;
  for (std::int64_t i = 0; i < integerLength; ++i) {
    value = value * 10 + (i < length ? static_cast<std::uint64_t>(digits[static_cast<std::size_t>(i)] - '0') : 0);
  }
  bool fraction = false;
  for (std::int64_t i = integerLength; i < length && !fraction; ++i)
    fraction = digits[static_cast<std::size_t>(i)] != '0';
  if (fraction) ++value;
  if (value > static_cast<std::uint64_t>(kMaxMilli)) return std::nullopt;
  return static_cast<std::int64_t>(value);
}

}  // namespace

Result<Quantity> parseQuantity(std::string_view text) {
  std::size_t pos = 0;
  bool negative = false;
  if (pos < text.size() && (text[pos] == '+' || text[pos] == '-')) {
    negative = text[pos] == '-';
    ++pos;
  }
  const std::size_t integerStart = pos;
  while (pos < text.size() && isDigit(text[pos])) ++pos;
  std::string_view integerPart = text.substr(integerStart, pos - integerStart);
  std::string_view fractionPart;
  bool dot = false;
  if (pos < text.size() && text[pos] == '.') {
    dot = true;
    const std::size_t fractionStart = ++pos;
    while (pos < text.size() && isDigit(text[pos])) ++pos;
    fractionPart = text.substr(fractionStart, pos - fractionStart);
  }
  // The API server lets "Mi" or "-" through as zero; the documented pattern
  // does not, and neither do we: nobody means zero by them.
  if (integerPart.empty() && !dot) return quantityError(kQuantityFormatError);

  const std::size_t suffixStart = pos;
  while (pos < text.size() && std::string_view("eEinumkKMGTP").find(text[pos]) != std::string_view::npos) ++pos;
  if (pos < text.size() && (text[pos] == '+' || text[pos] == '-')) ++pos;
  while (pos < text.size() && isDigit(text[pos])) ++pos;
  if (pos != text.size()) return quantityError(kQuantityFormatError);

  std::optional<Suffix> suffix = interpretSuffix(text.substr(suffixStart));
  if (!suffix) return quantityError(kQuantitySuffixError);

  Quantity q;
  q.text = std::string(text);
  std::string digits = std::string(integerPart) + std::string(fractionPart);
  digits.erase(0, std::min(digits.find_first_not_of('0'), digits.size()));
  if (digits.empty()) return q;

  for (int i = 0; i < suffix->exponent2; i += 10) multiplyDigits(digits, 1024);
  // Thousandths: three more decimal places than the unit.
  // Clamped so the sum cannot overflow; any exponent past 2^40 already
  // decides the outcome for text of a size we can hold.
  constexpr std::int64_t kExponentBound = std::int64_t{1} << 40;
  const std::int64_t exponent10 = std::clamp(suffix->exponent10, -kExponentBound, kExponentBound) -
                                  static_cast<std::int64_t>(fractionPart.size()) + 3;
  std::optional<std::int64_t> magnitude = roundedMagnitude(digits, exponent10);
  if (!magnitude) {
    q.milliValue = negative ? kMinMilli : kMaxMilli;
  } else {
    q.milliValue = negative ? -*magnitude : *magnitude;
  }
  return q;
}

bool milliValueSaturated(const Quantity& q) { return q.milliValue == kMaxMilli || q.milliValue == kMinMilli; }

}  // namespace podscope::core
