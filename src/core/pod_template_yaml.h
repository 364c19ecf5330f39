#pragma once
// A Deployment's pod template as text and as an identity: the canonical YAML
// rendering (what `kubectl get deploy -o yaml` prints under spec.template,
// restricted to the fields the model holds), the pod-template-hash the
// deployment controller derives from it, and template equality ignoring
// that hash label (EqualIgnoreHash).
// Thread contract: stateless free functions; safe from any thread.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/manifest.h"
#include "core/result.h"

namespace podscope::core {

/// The label the deployment controller adds to a ReplicaSet's selector, its
/// template and its pods.
inline constexpr std::string_view kPodTemplateHashLabel = "pod-template-hash";

/// The template as deterministic YAML: `metadata` and `spec`, keys in
/// alphabetical order at every level, two-space indentation, lists written
/// as kubectl writes them (`- ` at the parent key's column), every value the
/// model holds including the defaults it applied (imagePullPolicy,
/// terminationMessagePath, probe periods, restartPolicy, ...). Fields the
/// API leaves out when empty (omitempty) are left out when empty. Strings
/// are plain where YAML would read them back as the same string, otherwise
/// single-quoted, double-quoted (control characters) or, when they hold
/// several lines, literal blocks. Source positions are not part of it.
/// decodeDocument() reads the text back (as spec.template) to an equal
/// template.
std::string canonicalYaml(const PodTemplateSpec& podTemplate);

/// A template read back from its canonical YAML (a stored revision's), by
/// the decoder every manifest goes through, as a Deployment's
/// spec.template. An error says why the text does not read as one.
Result<PodTemplateSpec> readPodTemplate(std::string_view canonical);

/// As readPodTemplate, but strict, for text that may have been written by
/// hand (a saved rollout record's): anything the decoder finds wrong (an
/// unknown field, a wrong type, an unsupported value) is an error too, and
/// the error names the line and column in `yaml` and what is wrong there.
/// Canonical YAML always reads.
Result<PodTemplateSpec> readPodTemplateStrictly(std::string_view yaml);

/// The pod-template-hash of `podTemplate` as controller_utils.go ComputeHash
/// makes it: FNV-32a over the canonical YAML of the template without its
/// pod-template-hash label, then, when `collisionCount` is set, its value
/// as 4 little-endian bytes and 4 zero bytes; the uint32 is written in
/// decimal and each digit mapped to the "safe" alphabet
/// (rand.SafeEncodeString). Comments, formatting and key order in the
/// manifest do not change it; any change to a modelled field does.
std::string podTemplateHash(const PodTemplateSpec& podTemplate, std::optional<std::int32_t> collisionCount = {});

/// FNV-32a of `bytes`, continuing from `hash`.
std::uint32_t fnv32a(std::string_view bytes, std::uint32_t hash = 2166136261u);

/// Each character of `text` mapped to `bcdfghjklmnpqrstvwxz2456789` by its
/// code modulo 27, as apimachinery's rand.SafeEncodeString.
std::string safeEncodeString(std::string_view text);

/// The alphabet of safeEncodeString and of generated name suffixes.
inline constexpr std::string_view kSafeAlphabet = "bcdfghjklmnpqrstvwxz2456789";

/// Whether two templates are the same, field by field, ignoring the
/// pod-template-hash label and source positions (deployment_util.go
/// EqualIgnoreHash).
bool equalIgnoreHash(const PodTemplateSpec& a, const PodTemplateSpec& b);

}  // namespace podscope::core
