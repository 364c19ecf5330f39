#pragma once
// A container's environment as the kubelet makes it from the manifest, and
// the `$(VAR)` references Kubernetes expands in env values, command, args
// and exec probe commands.
// Thread contract: pure functions; safe from any thread.

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "core/manifest.h"

namespace podscope::engine {

/// `$(NAME)` replaced by NAME's value in `env`; `$$` is an escaped `$`; a
/// reference to an unknown name, or one left unterminated, stays as written
/// (expansion.MappingFuncFor).
std::string expandVariables(const std::string& input, const std::map<std::string, std::string>& env);

/// The literal values by name, later entries winning, a valueFrom entry
/// giving its (empty) literal value, as the kubelet's v1EnvVarsToMap does
/// for exec probe commands.
std::map<std::string, std::string> literalEnvMap(const std::vector<core::EnvVar>& env);

/// The container's environment in manifest order: each value with the
/// references to variables defined before it expanded, as the kubelet does.
/// Variables set by valueFrom (ConfigMaps, Secrets, fields) are not known
/// without a cluster and are left out; `skipped` receives their names.
std::vector<std::pair<std::string, std::string>> containerEnvironment(const core::Container& spec,
                                                                      std::vector<std::string>* skipped = nullptr);

/// command and args with `$(VAR)` references to the container's environment
/// expanded (kubecontainer.ExpandContainerCommandAndArgs).
std::vector<std::string> expandWithEnvironment(const std::vector<std::string>& argv,
                                               const std::vector<std::pair<std::string, std::string>>& env);

}  // namespace podscope::engine
