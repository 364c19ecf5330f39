#pragma once
// A structural diff of two pod templates (two revisions of a Deployment):
// what changed, field by field, on the typed model rather than its text,
// and a one-line summary in plain words such as
// `image nginx:1.18 → nginx:1.20.1; readinessProbe added; env LOG_LEVEL changed`.
//
// Keyed lists are matched by their key, not their position: containers by
// list and name (an init container, a sidecar and an app container are told
// apart), env by name, ports by number and protocol, volume mounts by mount
// path, volumes by name. The `pod-template-hash` label the controller adds
// to every revision is not a change. The summary names the container in
// each phrase (`web: image a → b`) when either template has more than one.
//
// Thread contract: pure functions over values; safe from any thread.

#include <string>
#include <string_view>
#include <vector>

#include "core/manifest.h"

namespace podscope::core {

enum class TemplateChangeKind { Added, Removed, Changed };
std::string_view toString(TemplateChangeKind kind);

/// One difference between two templates.
struct TemplateChange {
  /// Where, as a field path with keyed items in braces, the way Kubernetes
  /// names a container in an event: `spec.containers{web}.env{LOG_LEVEL}`,
  /// `metadata.labels{tier}`, `spec.terminationGracePeriodSeconds`.
  std::string path;
  TemplateChangeKind kind = TemplateChangeKind::Changed;
  std::string before;  ///< the old value as text; empty when added
  std::string after;   ///< the new value as text; empty when removed
  std::string phrase;  ///< its part of the summary, e.g. `readinessProbe periodSeconds 10 → 5`
  friend bool operator==(const TemplateChange&, const TemplateChange&) = default;
};

struct TemplateDiff {
  std::vector<TemplateChange> changes;  ///< template metadata, containers in order, then the pod's own fields
  bool identical() const { return changes.empty(); }
  /// The phrases joined with "; ", or `no changes` for identical templates.
  std::string summary() const;
};

TemplateDiff diffTemplates(const PodTemplateSpec& before, const PodTemplateSpec& after);

/// How kubectl describe shows a probe's or hook's handler:
/// `http-get http://:8080/healthz`, `exec [cat /tmp/healthy]`,
/// `tcp-socket :8080`, `grpc <pod>:9090 `, `sleep 5s`.
std::string describeHandler(const Probe& probe);
std::string describeHandler(const LifecycleHandler& handler);

}  // namespace podscope::core
