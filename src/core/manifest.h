#pragma once
// The typed manifest model: what a Pod (and the documents around it) say,
// as plain values with the source range of each part.
// Thread contract: plain values; safe to copy and share read-only.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "core/source_range.h"

namespace podscope::core {

enum class RestartPolicy { Always, OnFailure, Never };
enum class PullPolicy { Always, IfNotPresent, Never };

std::string_view toString(RestartPolicy policy);
std::string_view toString(PullPolicy policy);

/// The pull policy Kubernetes defaults to for an image reference: Always for
/// `:latest` or no tag (and no digest), IfNotPresent otherwise.
PullPolicy defaultPullPolicy(std::string_view image);

struct Container {
  std::string name;
  std::string image;
  PullPolicy imagePullPolicy = PullPolicy::IfNotPresent;
  std::vector<std::string> command;  ///< replaces the image's Entrypoint when set
  std::vector<std::string> args;     ///< replaces the image's Cmd when set
  SourceRange range;                 ///< the container's mapping in the file
};

struct PodSpec {
  std::vector<Container> initContainers;
  std::vector<Container> containers;
  RestartPolicy restartPolicy = RestartPolicy::Always;
  std::int64_t terminationGracePeriodSeconds = 30;
};

struct ObjectMeta {
  std::string name;
  std::string namespaceName = "default";
};

struct Pod {
  ObjectMeta metadata;
  PodSpec spec;
};

/// One YAML document of a manifest file.
struct Document {
  int index = 0;  ///< 0-based position among the file's documents
  std::string apiVersion;
  std::string kind;
  std::string name;
  SourceRange range;
  std::optional<Pod> pod;  ///< set for kind Pod that read without errors
};

/// Everything read from one file. Documents that failed to read are not in
/// `documents`; their errors are in `errors`, so good documents stay usable.
struct Manifest {
  std::string file;
  std::vector<Document> documents;
  std::vector<Error> errors;

  /// The first document that is a runnable Pod, if any.
  const Document* firstPod() const;
};

}  // namespace podscope::core
