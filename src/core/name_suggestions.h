#pragma once
// "Did you mean" for misspelt field names: edit distance plus the habits of
// people who type Kubernetes fields from memory (wrong case, a dropped
// prefix such as `port` for `containerPort`).
// Thread contract: pure functions.

#include <cstddef>
#include <optional>
#include <string_view>
#include <vector>

namespace podscope::core {

/// Optimal string alignment distance: insertions, deletions, substitutions
/// and swaps of two neighbouring characters each cost 1. Case-sensitive.
std::size_t editDistance(std::string_view a, std::string_view b);

/// The candidate `name` most likely stands for, or nullopt when none is
/// close enough to be worth suggesting. Prefers, in order: the same name in
/// another case, the smallest edit distance within a limit that grows with
/// the name's length, then a candidate that ends with the name as its last
/// camelCase word. Ties go to the earlier candidate. `name` itself is never
/// returned.
std::optional<std::string_view> closestName(std::string_view name, const std::vector<std::string_view>& candidates);

}  // namespace podscope::core
