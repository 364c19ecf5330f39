#pragma once
// The name and format checks of Kubernetes' apimachinery (util/validation),
// returning the same messages the API server puts into its errors, so a
// finding reads exactly as `kubectl apply` would print it. Each check returns
// the list of problems; an empty list means the value is fine.
// Thread contract: pure functions.

#include <cstdint>
#include <initializer_list>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace podscope::core {

inline constexpr int kDns1123LabelMaxLength = 63;
inline constexpr int kDns1123SubdomainMaxLength = 253;
inline constexpr int kQualifiedNameMaxLength = 63;
inline constexpr int kLabelValueMaxLength = 63;
inline constexpr int kPortNameMaxLength = 15;
inline constexpr std::int64_t kTotalAnnotationSizeLimitBytes = 256 * 1024;

/// [a-z0-9]([-a-z0-9]*[a-z0-9])?, at most 63 characters (container, volume
/// and namespace names).
std::vector<std::string> isDns1123Label(std::string_view value);
/// Dot-separated DNS-1123 labels, at most 253 characters (Pod and
/// Deployment names).
std::vector<std::string> isDns1123Subdomain(std::string_view value);
/// A label or annotation key: an optional DNS subdomain prefix and '/', then
/// a name of at most 63 alphanumerics, '-', '_' or '.'.
std::vector<std::string> isQualifiedName(std::string_view value);
/// A label value: empty, or at most 63 alphanumerics, '-', '_' or '.'.
std::vector<std::string> isValidLabelValue(std::string_view value);
/// 1 to 65535 inclusive.
std::vector<std::string> isValidPortNum(std::int64_t port);
/// IANA_SVC_NAME: at most 15 of [-a-z0-9], at least one letter, no hyphen at
/// either end and no two hyphens in a row.
std::vector<std::string> isValidPortName(std::string_view value);
/// An environment variable name as the API server accepts it (1.28-1.31,
/// without the relaxed-validation gate).
std::vector<std::string> isEnvVarName(std::string_view value);
/// [A-Za-z_][A-Za-z0-9_]*
std::vector<std::string> isCIdentifier(std::string_view value);
/// A percentage such as "25%".
std::vector<std::string> isValidPercent(std::string_view value);
/// An HTTP header name: [-A-Za-z0-9]+
std::vector<std::string> isHttpHeaderName(std::string_view value);

/// The name checks ObjectMeta validation runs. With `prefix` (generateName)
/// trailing dashes are allowed, since a random suffix follows them.
std::vector<std::string> nameIsDnsSubdomain(std::string_view value, bool prefix);
std::vector<std::string> nameIsDnsLabel(std::string_view value, bool prefix);

/// The building blocks of the messages above, for checks made elsewhere.
std::string maxLenError(int length);
std::string regexError(std::string_view message, std::string_view format,
                       std::initializer_list<std::string_view> examples);
std::string emptyError();
std::string inclusiveRangeError(std::int64_t lo, std::int64_t hi);

/// A string as Go's %q prints it (strconv.Quote): in double quotes, with
/// quotes, backslashes and control characters escaped.
std::string quoteGo(std::string_view value);
/// A map[string]string as Go's %#v prints it, keys in order:
/// map[string]string{"app":"web", "tier":"front"}; `isNil` gives
/// map[string]string(nil).
std::string goStringMap(const std::map<std::string, std::string>& values, bool isNil);

}  // namespace podscope::core
