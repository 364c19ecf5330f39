#pragma once
// A small rollout record built fact by fact, for the JSON tests and the
// example in docs/record-format.md: Deployment "web" with one replica,
// rolled from nginx:1.25 (revision 1) to nginx:1.26 (revision 2).

#include <gtest/gtest.h>

#include <string>

#include "core/manifest_reader.h"
#include "core/pod_template_yaml.h"
#include "core/rollout_record.h"
#include "core/run_record.h"

namespace podscope::testing {

/// Deployment web's pod template with `image`, labelled with `hash` as its
/// pod-template-hash (its real hash when `hash` is empty).
inline core::PodTemplateSpec sampleTemplate(const std::string& image, const std::string& hash = "") {
  const std::string yaml = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n"
                           "  selector:\n    matchLabels: {app: web}\n  template:\n    metadata:\n"
                           "      labels: {app: web}\n    spec:\n      containers:\n      - name: web\n"
                           "        image: " + image + "\n";
  core::Manifest m = core::readManifest(yaml, "web.yaml");
  EXPECT_FALSE(m.hasErrors()) << (m.firstError() ? m.firstError()->toString() : "");
  if (m.documents.empty() || !m.documents[0].deployment) return {};
  core::PodTemplateSpec t = m.documents[0].deployment->spec.podTemplate;
  t.metadata.labels[std::string(core::kPodTemplateHashLabel)] = hash.empty() ? core::podTemplateHash(t) : hash;
  return t;
}

inline core::RunTime ms(long long n) { return std::chrono::milliseconds(n); }

/// A pod's record with a little of everything (times from its creation).
inline core::RunRecord samplePodRecord(const std::string& pod) {
  core::RunRecord r;
  r.podName = pod;
  r.podNamespace = "default";
  r.runtimeName = "simulated";
  r.append(core::Transition{ms(0), core::SubjectKind::Pod, pod, "", "Pending", "", ""});
  r.append(core::Transition{ms(1000), core::SubjectKind::Container, "web", "Waiting", "Running", "", ""});
  core::HandlerAttempt a;
  a.start = ms(2000);
  a.duration = ms(1);
  a.kind = core::AttemptKind::ReadinessProbe;
  a.container = "web";
  a.handler = std::string("httpGet http://10.88.0.2:80/");
  a.result = core::AttemptResult::Success;
  a.consecutive = 1;
  a.published = true;
  r.append(std::move(a));
  r.append(core::ConditionChange{ms(2001), core::SubjectKind::Pod, pod, "Ready", true, "", ""});
  r.outcome = core::RunOutcome::Deleted;
  r.outcomeMessage = "deleted; pod phase Succeeded";
  r.ended = ms(13500);
  return r;
}

/// The rollout: web-<hash 1> with one pod from 0 s, web-<hash 2> from 10 s,
/// whose pod is ready at 12 s; the old pod is deleted then and gone at
/// 13.5 s. The record was taken while the deployment still ran.
inline core::RolloutRecord sampleRollout() {
  core::RolloutRecord r;
  r.deploymentName = "web";
  r.deploymentNamespace = "default";
  r.runtimeName = "simulated";
  core::ReplicaSetRecord a;
  a.podTemplate = sampleTemplate("nginx:1.25");
  a.hash = a.podTemplate.metadata.labels.at(std::string(core::kPodTemplateHashLabel));
  a.name = "web-" + a.hash;
  a.revision = 1;
  a.annotations = {{std::string(core::kDesiredReplicasAnnotation), "1"},
                   {std::string(core::kMaxReplicasAnnotation), "2"},
                   {std::string(core::kRevisionAnnotation), "1"}};
  core::ReplicaSetRecord b = a;
  b.podTemplate = sampleTemplate("nginx:1.26");
  b.hash = b.podTemplate.metadata.labels.at(std::string(core::kPodTemplateHashLabel));
  b.name = "web-" + b.hash;
  b.revision = 2;
  b.changeCause = "nginx 1.26";
  b.annotations[std::string(core::kRevisionAnnotation)] = "2";
  b.annotations[std::string(core::kChangeCauseAnnotation)] = b.changeCause;
  b.created = ms(10000);
  r.putReplicaSet(a);
  r.putReplicaSet(b);
  r.append(core::Event{ms(10000), core::EventType::Normal, "ScalingReplicaSet", "",
                       core::scalingReplicaSetMessage(b.name, 0, 1)});
  r.append(core::Event{ms(10000), core::EventType::Normal, "SuccessfulCreate", "replicaset/" + b.name,
                       "Created pod: " + b.name + "-x7k2p"});
  r.append(core::Event{ms(12000), core::EventType::Normal, "ScalingReplicaSet", "",
                       core::scalingReplicaSetMessage(a.name, 1, 0)});
  r.append(core::ReplicaSetSample{ms(12000), b.name, 1, 1, 1, 1});
  r.append(core::ReplicaSetSample{ms(12000), a.name, 0, 0, 0, 0});
  r.append(core::deploymentStatusLine(ms(12000), core::DeploymentStatus{2, 2, 1, 1, 1, 1, 1, 0}));
  r.append(core::DeploymentCondition{ms(12000), "Progressing", core::ConditionStatus::True, "NewReplicaSetAvailable",
                                     "ReplicaSet \"" + b.name + "\" has successfully progressed."});
  core::RolloutPod& old = r.addPod(a.name + "-q4vzt", a.name, ms(0));
  old.finished = ms(13500);
  old.record = samplePodRecord(old.name);
  core::RolloutPod& fresh = r.addPod(b.name + "-x7k2p", b.name, ms(10000));
  fresh.record.podName = fresh.name;
  fresh.record.podNamespace = "default";
  fresh.record.runtimeName = "simulated";
  fresh.record.append(core::Transition{ms(0), core::SubjectKind::Pod, fresh.name, "", "Pending", "", ""});
  return r;
}

}  // namespace podscope::testing
