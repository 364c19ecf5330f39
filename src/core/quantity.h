#pragma once
// Resource quantities ("100m", "128Mi", "1.5G", "1e3") read by the API
// server's rules (apimachinery resource.ParseQuantity), with the API server's
// error messages.
// Thread contract: pure functions.

#include <cstdint>
#include <string_view>

#include "core/manifest.h"
#include "core/result.h"

namespace podscope::core {

inline constexpr std::string_view kQuantityFormatError =
    "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";
inline constexpr std::string_view kQuantitySuffixError = "unable to parse quantity's suffix";

/// Parses `text` as written (no surrounding spaces). Suffixes: n u m k M G T
/// P E (powers of 1000), Ki Mi Gi Ti Pi Ei (powers of 1024), or a decimal
/// exponent e3 / E-2. `milliValue` is rounded away from zero to a whole
/// thousandth, as Quantity.MilliValue() does, and saturates at the int64
/// limits (see milliValueSaturated). Errors carry ErrorKind::Shape and one of
/// the two messages above.
Result<Quantity> parseQuantity(std::string_view text);

/// Whether `q.milliValue` hit an int64 limit, i.e. the quantity is too large
/// in thousandths to be represented exactly.
bool milliValueSaturated(const Quantity& q);

}  // namespace podscope::core
