#pragma once
// Field-by-field comparison of records for the JSON tests: every accessor
// of a RunRecord and of a RolloutRecord, each pod's record included. Pod
// templates have no operator== (their source positions differ once read
// back), so they are compared as their canonical YAML and with
// equalIgnoreHash plus their labels.

#include <gtest/gtest.h>

#include <string>

#include "core/pod_template_yaml.h"
#include "core/rollout_record.h"
#include "core/run_record.h"

namespace podscope::testing {

inline void expectSameRunRecord(const core::RunRecord& a, const core::RunRecord& b, const std::string& where = "") {
  SCOPED_TRACE(where);
  EXPECT_EQ(a.podName, b.podName);
  EXPECT_EQ(a.podNamespace, b.podNamespace);
  EXPECT_EQ(a.runtimeName, b.runtimeName);
  EXPECT_EQ(a.outcome, b.outcome);
  EXPECT_EQ(a.outcomeMessage, b.outcomeMessage);
  EXPECT_EQ(a.ended, b.ended);
  EXPECT_EQ(a.transitions(), b.transitions());
  EXPECT_EQ(a.events(), b.events());
  EXPECT_EQ(a.statusLines(), b.statusLines());
  EXPECT_EQ(a.attempts(), b.attempts());
  EXPECT_EQ(a.conditions(), b.conditions());
  EXPECT_EQ(a.signalsSent(), b.signalsSent());
}

inline void expectSameReplicaSet(const core::ReplicaSetRecord& a, const core::ReplicaSetRecord& b) {
  SCOPED_TRACE("ReplicaSet " + a.name);
  EXPECT_EQ(a.name, b.name);
  EXPECT_EQ(a.hash, b.hash);
  EXPECT_EQ(a.revision, b.revision);
  EXPECT_EQ(a.revisionHistory, b.revisionHistory);
  EXPECT_EQ(a.changeCause, b.changeCause);
  EXPECT_EQ(a.annotations, b.annotations);
  EXPECT_EQ(a.created, b.created);
  EXPECT_EQ(a.deleted, b.deleted);
  EXPECT_EQ(core::canonicalYaml(a.podTemplate), core::canonicalYaml(b.podTemplate));
  EXPECT_TRUE(core::equalIgnoreHash(a.podTemplate, b.podTemplate));
  EXPECT_EQ(a.podTemplate.metadata.labels, b.podTemplate.metadata.labels);
}

inline void expectSameRolloutRecord(const core::RolloutRecord& a, const core::RolloutRecord& b) {
  EXPECT_EQ(a.deploymentName, b.deploymentName);
  EXPECT_EQ(a.deploymentNamespace, b.deploymentNamespace);
  EXPECT_EQ(a.runtimeName, b.runtimeName);
  EXPECT_EQ(a.outcome, b.outcome);
  EXPECT_EQ(a.outcomeMessage, b.outcomeMessage);
  EXPECT_EQ(a.events(), b.events());
  ASSERT_EQ(a.replicaSets().size(), b.replicaSets().size());
  for (std::size_t i = 0; i < a.replicaSets().size(); ++i) expectSameReplicaSet(a.replicaSets()[i], b.replicaSets()[i]);
  EXPECT_EQ(a.replicaSetSamples(), b.replicaSetSamples());
  EXPECT_EQ(a.statusLines(), b.statusLines());
  EXPECT_EQ(a.conditions(), b.conditions());
  ASSERT_EQ(a.pods().size(), b.pods().size());
  for (std::size_t i = 0; i < a.pods().size(); ++i) {
    const core::RolloutPod& p = a.pods()[i];
    const core::RolloutPod& q = b.pods()[i];
    EXPECT_EQ(p.name, q.name);
    EXPECT_EQ(p.replicaSet, q.replicaSet);
    EXPECT_EQ(p.created, q.created);
    EXPECT_EQ(p.finished, q.finished);
    expectSameRunRecord(p.record, q.record, "pod " + p.name);
    EXPECT_EQ(b.findPod(p.name), &q);
  }
  for (const core::ReplicaSetRecord& rs : a.replicaSets()) EXPECT_NE(b.findReplicaSet(rs.name), nullptr) << rs.name;
}

}  // namespace podscope::testing
