#pragma once
// A static description of the Kubernetes object types Podscope reads (Pod
// and Deployment, down to probes and volume mounts): every field's name,
// value type, a one-line description, the API server's default and the
// allowed values of enums. The strict decoder reads it to tell unknown
// fields from known ones; the editor reads it for completion and hover text.
//
// Fields Podscope does not model (nodeSelector, tolerations, status, ...) are
// listed too, with `modelled == false`: real-world manifests use them, so
// they are known and accepted, and the decoder does not look into them.
// Thread contract: immutable after first use; safe from any thread.

#include <string>
#include <string_view>
#include <vector>

namespace podscope::core {

enum class FieldType {
  String,
  Int32,
  Int64,
  Bool,
  Quantity,     ///< "100m", "128Mi"
  IntOrString,  ///< 80 or "http"; 1 or "25%"
  Object,       ///< a mapping of the type named by `typeName`
  List,         ///< a list of `elementType` (of `typeName` when that is Object)
  StringMap,    ///< string keys to string values: labels, annotations
  QuantityMap,  ///< resource names to quantities: limits, requests
  Opaque,       ///< anything; read by nobody (status)
};

/// "string", "int32", "object", "list", ...
std::string_view toString(FieldType type);

struct FieldSchema {
  std::string_view name;
  FieldType type = FieldType::Opaque;
  FieldType elementType = FieldType::Opaque;  ///< List only
  std::string_view typeName;                  ///< Object, or List of Object: the (element) type's name
  std::string_view description;               ///< one line, for completion and hover
  std::string_view defaultValue;  ///< YAML text the API server fills in when absent; empty when none or when it depends
                                  ///< on other fields
  std::vector<std::string_view> enumValues;  ///< allowed values, in the order the API server lists them
  bool modelled = true;                      ///< false: accepted as written, not decoded
  bool required = false;                     ///< the API server rejects the object without it

  /// The type as the API reference writes it: "string", "int32",
  /// "[]Container", "map[string]string", "Probe", "IntOrString".
  std::string typeLabel() const;
};

struct TypeSchema {
  std::string_view name;  ///< "Container", "PodSpec"
  std::string_view noun;  ///< how a message names one: "a container", "the pod spec"
  std::string_view description;
  std::vector<FieldSchema> fields;  ///< in the order the API reference lists them

  const FieldSchema* field(std::string_view fieldName) const;
};

/// Every type described here, Pod and Deployment first.
const std::vector<TypeSchema>& allTypes();

/// The type called `typeName`, or nullptr. Types that are only named by an
/// unmodelled field (Affinity, Toleration, ...) are not described.
const TypeSchema* findType(std::string_view typeName);

/// The top-level type of a kind: Pod or Deployment; nullptr otherwise.
const TypeSchema* rootType(std::string_view kind);

/// The type of the object at `path` in an object of `kind`, e.g.
/// ("Pod", "spec.containers[0].livenessProbe") -> Probe, ("Pod", "") -> Pod.
/// List indices may be numbers, `*` or left out ("spec.containers" gives
/// Container, the type of its items). nullptr when the path leaves the
/// described types (unknown field, scalar, map, unmodelled type).
const TypeSchema* typeForPath(std::string_view kind, std::string_view path);

/// The field at `path`, e.g. ("Pod", "spec.containers[0].image") -> image;
/// nullptr for the root, unknown fields and map entries.
const FieldSchema* fieldForPath(std::string_view kind, std::string_view path);

/// Where a field called `field` is valid in an object of `kind`, as path
/// patterns with `[*]` for list items, shallowest first and then in
/// declaration order: ("Pod", "imagePullPolicy") ->
/// {"spec.containers[*].imagePullPolicy", "spec.initContainers[*].imagePullPolicy"}.
std::vector<std::string> pathsDefiningField(std::string_view kind, std::string_view field);

/// Every distinct field name used anywhere under `kind`, for suggestions.
std::vector<std::string_view> fieldNamesOf(std::string_view kind);

}  // namespace podscope::core
