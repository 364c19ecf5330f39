#pragma once
// Identifiers for what the runtime creates in containerd. containerd accepts
// `[A-Za-z0-9]+([._-][A-Za-z0-9]+)*`, at most 76 characters; pod and
// container names are DNS names that can be longer or hold `--`, so they are
// folded into that shape. Readable ids (`<pod>-<container>-<attempt>-<suffix>`)
// make `ctr containers ls` tell what belongs to which pod.
// Thread contract: pure functions; safe from any thread.

#include <string>
#include <string_view>

namespace podscope::engine::containerd {

/// containerd's identifier length limit (identifiers.Validate).
inline constexpr std::size_t kMaxIdentifierLength = 76;

/// `<pod>-<container>-<attempt>-<suffix>`, folded and shortened to a valid id;
/// `suffix` (a few random hex digits) keeps it unique.
std::string makeContainerId(std::string_view pod, std::string_view container, int attempt,
                            std::string_view suffix);

/// `<pod>-<suffix>`, likewise.
std::string makeSandboxId(std::string_view pod, std::string_view suffix);

/// True when containerd would accept `id`.
bool isValidIdentifier(std::string_view id);

}  // namespace podscope::engine::containerd
