// podscope-cli with Deployments, end to end on the simulated runtime: `run`
// rolling out from the history's current revision, and `rollout
// history|diff|undo|restart|status` with kubectl's words and exit codes.
// Every test has a history file of its own.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <sstream>
#include <string>
#include <variant>
#include <vector>

#include "cli/cli_support.h"
#include "core/record_json.h"
#include "core/rollout_record_json.h"

namespace {

using Output = podscope::testing::CliOutput;
using podscope::testing::runCli;
using podscope::testing::runShell;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;

std::string readText(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

std::string replaced(std::string text, const std::string& from, const std::string& to) {
  for (std::size_t at = 0; (at = text.find(from, at)) != std::string::npos; at += to.size()) {
    text.replace(at, from.size(), to);
  }
  return text;
}

class Rollout : public ::testing::Test {
 protected:
  void SetUp() override {
    m_dir = ::testing::TempDir() + "rollout-" + ::testing::UnitTest::GetInstance()->current_test_info()->name() + "/";
    std::filesystem::remove_all(m_dir);
    std::filesystem::create_directories(m_dir);
  }
  void TearDown() override { std::filesystem::remove_all(m_dir); }

  /// `podscope-cli ARGS --history <this test's file>`.
  Output cli(const std::string& args, const std::string& stderrTo = "&1") {
    return runCli(args + " --history " + history(), stderrTo);
  }
  std::string history() const { return m_dir + "history.sqlite"; }

  std::string write(const std::string& name, const std::string& text) {
    std::string path = m_dir + name;
    std::ofstream(path) << text;
    return path;
  }

  /// examples/rolling-update.yaml with `image` (and a change-cause naming it).
  std::string rollingUpdate(const std::string& image) {
    std::string text = readText(std::string(PODSCOPE_SOURCE_DIR) + "/examples/rolling-update.yaml");
    EXPECT_THAT(text, HasSubstr("image: nginx:1.18"));
    text = replaced(text, "nginx:1.18", image);
    text = replaced(text, "\"nginx 1.18\"", "\"" + replaced(image, ":", " ") + "\"");
    return write("nginx.yaml", text);
  }

  /// Runs the example with nginx:1.18, then with nginx:1.20.1.
  void twoRevisions() {
    Output first = cli("run " + rollingUpdate("nginx:1.18"));
    ASSERT_EQ(first.exitCode, 0) << first.text;
    Output second = cli("run " + rollingUpdate("nginx:1.20.1"));
    ASSERT_EQ(second.exitCode, 0) << second.text;
  }

  std::string m_dir;
};

std::string stuckDeployment(int deadlineSeconds) {
  return "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: stuck\nspec:\n  replicas: 2\n"
         "  progressDeadlineSeconds: " + std::to_string(deadlineSeconds) + "\n"
         "  selector:\n    matchLabels: {app: stuck}\n"
         "  template:\n    metadata:\n      labels: {app: stuck}\n"
         "      annotations:\n        podscope.dev/simulate: \"readiness fails\"\n"
         "    spec:\n      containers:\n      - name: web\n        image: nginx:1.25\n"
         "        readinessProbe:\n          httpGet: {path: /, port: 80}\n          periodSeconds: 2\n";
}

/// The ScalingReplicaSet messages of an --events table, with each
/// ReplicaSet's name replaced by `names` (hash → letter).
std::vector<std::string> scalingMessages(const std::string& text, std::map<std::string, std::string>& names) {
  std::vector<std::string> out;
  std::istringstream lines(text);
  for (std::string line; std::getline(lines, line);) {
    std::size_t at = line.find("Scaled ");
    if (line.find("ScalingReplicaSet") == std::string::npos || at == std::string::npos) continue;
    std::string message = line.substr(at);
    std::size_t rs = message.find("nginx-");
    std::size_t end = message.find(' ', rs);
    std::string name = message.substr(rs, end - rs);
    if (!names.count(name)) names[name] = std::string(1, static_cast<char>('A' + names.size()));
    out.push_back(message.substr(0, rs) + names[name] + message.substr(end));
  }
  return out;
}

TEST_F(Rollout, RunOfTheExampleRollsOutItsDeploymentAndRecordsIt) {
  Output o = cli("run " + std::string(PODSCOPE_SOURCE_DIR) + "/examples/rolling-update.yaml", "/dev/null");
  EXPECT_EQ(o.exitCode, 0) << o.text;
  EXPECT_THAT(o.text, ::testing::StartsWith("deployment.apps/nginx new revision 1\n"));
  EXPECT_THAT(o.text, HasSubstr("Waiting for deployment \"nginx\" rollout to finish: 0 of 3 updated replicas are "
                                "available...\n"));
  EXPECT_THAT(o.text, HasSubstr("deployment \"nginx\" successfully rolled out\n"));
  EXPECT_THAT(o.text, HasSubstr("NAME   READY  UP-TO-DATE  AVAILABLE  AGE\nnginx  3/3    3           3"));
  EXPECT_THAT(o.text, HasSubstr("NAME              DESIRED  CURRENT  READY  AGE\nnginx-"));
  EXPECT_THAT(o.text, HasSubstr("deployment.apps/nginx revision 1: Complete on simulated\n"));
  EXPECT_TRUE(std::filesystem::exists(history()));

  Output status = cli("rollout status deployment/nginx");
  EXPECT_EQ(status.exitCode, 0) << status.text;
  EXPECT_EQ(status.text, "deployment \"nginx\" successfully rolled out\n");
}

TEST_F(Rollout, TheHistoryDefaultsToXdgDataHome) {
  std::string data = m_dir + "data";
  Output o = runShell("XDG_DATA_HOME=" + data + " " + PODSCOPE_CLI + " run " + rollingUpdate("nginx:1.18") +
                      " 2>&1");
  EXPECT_EQ(o.exitCode, 0) << o.text;
  EXPECT_TRUE(std::filesystem::exists(data + "/podscope/history.sqlite"));
  Output h = runShell("XDG_DATA_HOME=" + data + " " + PODSCOPE_CLI + " rollout history deployment/nginx 2>&1");
  EXPECT_EQ(h.text, "deployment.apps/nginx \nREVISION  CHANGE-CAUSE\n1         nginx 1.18\n\n");
}

TEST_F(Rollout, ASecondRunWithAnotherImageRollsFromTheLastRevisionOnePodAtATime) {
  Output first = cli("run " + rollingUpdate("nginx:1.18"));
  ASSERT_EQ(first.exitCode, 0) << first.text;
  Output o = cli("run " + rollingUpdate("nginx:1.20.1") + " --events");
  ASSERT_EQ(o.exitCode, 0) << o.text;
  EXPECT_THAT(o.text, HasSubstr("note: revision 1 is running first, as the deployment was"));
  EXPECT_THAT(o.text, HasSubstr("deployment.apps/nginx new revision 2\n"
                                "rolling out from the running template: image nginx:1.18 → nginx:1.20.1\n"));
  std::map<std::string, std::string> names;
  // A is revision 1's ReplicaSet, coming up first; then the articles'
  // sequence: never more than 4 pods, never fewer than 3 available.
  EXPECT_THAT(scalingMessages(o.text, names),
              ElementsAre("Scaled up replica set A to 3", "Scaled up replica set B to 1",
                          "Scaled down replica set A to 2", "Scaled up replica set B to 2",
                          "Scaled down replica set A to 1", "Scaled up replica set B to 3",
                          "Scaled down replica set A to 0"));
  // What kubectl rollout status printed from the moment the new template
  // was applied.
  EXPECT_THAT(o.text, HasSubstr("Waiting for deployment \"nginx\" rollout to finish: 1 out of 3 new replicas have "
                                "been updated...\n"));
  EXPECT_THAT(o.text, HasSubstr("deployment \"nginx\" successfully rolled out\n"));
  EXPECT_THAT(o.text, Not(HasSubstr("0 of 3 updated replicas are available")));
  EXPECT_THAT(o.text, HasSubstr("deployment.apps/nginx revision 2: Complete on simulated\n"));

  // The same file again: no new revision, and nothing to roll.
  Output again = cli("run " + m_dir + "nginx.yaml --events");
  EXPECT_EQ(again.exitCode, 0) << again.text;
  EXPECT_THAT(again.text, HasSubstr("template unchanged: no new revision, revision 2 stays current"));
  EXPECT_THAT(again.text, Not(HasSubstr("running first")));
  std::map<std::string, std::string> againNames;
  EXPECT_THAT(scalingMessages(again.text, againNames), ElementsAre("Scaled up replica set A to 3"));
}

TEST_F(Rollout, HistoryListsTheRevisionsAsKubectlDoes) {
  twoRevisions();
  Output o = cli("rollout history deployment/nginx", "/dev/null");
  EXPECT_EQ(o.exitCode, 0);
  EXPECT_EQ(o.text, "deployment.apps/nginx \nREVISION  CHANGE-CAUSE\n1         nginx 1.18\n2         nginx 1.20.1\n\n");
  // kubectl's other ways of naming the deployment.
  for (const char* ref : {"deployment nginx", "deploy/nginx", "deployments.apps/nginx", "deployments nginx"}) {
    SCOPED_TRACE(ref);
    EXPECT_EQ(cli(std::string("rollout history ") + ref, "/dev/null").text, o.text);
  }
  // The type alone lists every deployment of the namespace.
  EXPECT_EQ(cli("rollout history deployment", "/dev/null").text, o.text);

  Output one = cli("rollout history deployment/nginx --revision=1", "/dev/null");
  EXPECT_EQ(one.exitCode, 0);
  EXPECT_THAT(one.text, ::testing::StartsWith("deployment.apps/nginx with revision #1\n"));
  EXPECT_THAT(one.text, HasSubstr("  - image: nginx:1.18\n"));

  Output unknown = cli("rollout history deployment/nginx --revision=7");
  EXPECT_EQ(unknown.exitCode, 1);
  EXPECT_EQ(unknown.text, "error: unable to find the specified revision\n");
}

TEST_F(Rollout, DiffPrintsTheSummaryThenAPatch) {
  twoRevisions();
  Output o = cli("rollout diff deployment/nginx", "/dev/null");
  EXPECT_EQ(o.exitCode, 0);
  EXPECT_THAT(o.text, ::testing::StartsWith("image nginx:1.18 → nginx:1.20.1\n--- a/revision-1\n+++ b/revision-2\n@@ "));
  EXPECT_THAT(o.text, HasSubstr("\n-  - image: nginx:1.18\n+  - image: nginx:1.20.1\n"));

  EXPECT_EQ(cli("rollout diff deployment/nginx --summary", "/dev/null").text, "image nginx:1.18 → nginx:1.20.1\n");
  EXPECT_EQ(cli("rollout diff deployment/nginx 2 1 --summary", "/dev/null").text, "image nginx:1.20.1 → nginx:1.18\n");
  Output same = cli("rollout diff deployment/nginx 2 2", "/dev/null");
  EXPECT_EQ(same.text, "no changes\n");

  Output unknown = cli("rollout diff deployment/nginx 1 9");
  EXPECT_EQ(unknown.exitCode, 1);
  EXPECT_EQ(unknown.text, "error: unable to find the specified revision\n");
  Output bad = cli("rollout diff deployment/nginx one");
  EXPECT_EQ(bad.exitCode, 1);
  EXPECT_THAT(bad.text, HasSubstr("error: invalid revision \"one\""));
}

TEST_F(Rollout, UndoRenumbersTheRevisionItRestoresAndRunsTheRollout) {
  twoRevisions();
  Output dry = cli("rollout undo deployment/nginx --dry-run", "/dev/null");
  EXPECT_EQ(dry.exitCode, 0) << dry.text;
  EXPECT_THAT(dry.text, ::testing::StartsWith("image nginx:1.20.1 → nginx:1.18\n--- a/revision-2\n+++ b/revision-1\n"));
  EXPECT_THAT(dry.text, ::testing::EndsWith("deployment.apps/nginx rolled back (dry run)\n"));
  EXPECT_THAT(cli("rollout history deployment/nginx", "/dev/null").text, HasSubstr("1         nginx 1.18\n2 "));

  Output o = cli("rollout undo deployment/nginx --events", "/dev/null");
  EXPECT_EQ(o.exitCode, 0) << o.text;
  EXPECT_THAT(o.text, ::testing::StartsWith("deployment.apps/nginx rolled back\n"
                                            "rolling out from the running template: image nginx:1.20.1 → nginx:1.18\n"));
  std::map<std::string, std::string> names;
  EXPECT_THAT(scalingMessages(o.text, names),
              ElementsAre("Scaled up replica set A to 3", "Scaled up replica set B to 1",
                          "Scaled down replica set A to 2", "Scaled up replica set B to 2",
                          "Scaled down replica set A to 1", "Scaled up replica set B to 3",
                          "Scaled down replica set A to 0"));
  EXPECT_THAT(o.text, HasSubstr("deployment.apps/nginx revision 3: Complete on simulated\n"));
  // 1, 2 → 2, 3: revision 1's template is revision 3 now, with its change-cause.
  EXPECT_EQ(cli("rollout history deployment/nginx", "/dev/null").text,
            "deployment.apps/nginx \nREVISION  CHANGE-CAUSE\n2         nginx 1.20.1\n3         nginx 1.18\n\n");
  Output revision3 = cli("rollout history deployment/nginx --revision=3", "/dev/null");
  EXPECT_THAT(revision3.text, HasSubstr("  - image: nginx:1.18\n"));

  Output skipped = cli("rollout undo deployment/nginx --to-revision=3", "/dev/null");
  EXPECT_EQ(skipped.exitCode, 0);
  EXPECT_EQ(skipped.text, "deployment.apps/nginx skipped rollback (current template already matches revision 3)\n");

  Output missing = cli("rollout undo deployment/nginx --to-revision=9");
  EXPECT_EQ(missing.exitCode, 1);
  EXPECT_EQ(missing.text, "error: unable to find specified revision 9 in history\n");
  EXPECT_EQ(cli("rollout status deployment/nginx").text, "deployment \"nginx\" successfully rolled out\n");
}

TEST_F(Rollout, UndoWithOneRevisionHasNoHistory) {
  Output first = cli("run " + rollingUpdate("nginx:1.18"));
  ASSERT_EQ(first.exitCode, 0) << first.text;
  Output o = cli("rollout undo deployment/nginx");
  EXPECT_EQ(o.exitCode, 1);
  EXPECT_EQ(o.text, "error: no rollout history found for deployment \"nginx\"\n");
}

TEST_F(Rollout, RestartMakesANewRevisionWithRestartedAt) {
  twoRevisions();
  Output o = cli("rollout restart deployment/nginx --events", "/dev/null");
  EXPECT_EQ(o.exitCode, 0) << o.text;
  EXPECT_THAT(o.text, ::testing::StartsWith("deployment.apps/nginx restarted\n"
                                            "rolling out from the running template: restarted at "));
  std::map<std::string, std::string> names;
  EXPECT_THAT(scalingMessages(o.text, names),
              ElementsAre("Scaled up replica set A to 3", "Scaled up replica set B to 1",
                          "Scaled down replica set A to 2", "Scaled up replica set B to 2",
                          "Scaled down replica set A to 1", "Scaled up replica set B to 3",
                          "Scaled down replica set A to 0"));
  EXPECT_THAT(o.text, HasSubstr("deployment.apps/nginx revision 3: Complete on simulated\n"));
  // The new revision keeps the deployment's change-cause, as the controller
  // copies it onto the new ReplicaSet.
  EXPECT_EQ(cli("rollout history deployment/nginx", "/dev/null").text,
            "deployment.apps/nginx \nREVISION  CHANGE-CAUSE\n1         nginx 1.18\n2         nginx 1.20.1\n"
            "3         nginx 1.20.1\n\n");
  Output revision3 = cli("rollout history deployment/nginx --revision=3", "/dev/null");
  EXPECT_TRUE(std::regex_search(revision3.text,
                                std::regex("kubectl.kubernetes.io/restartedAt: '?\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d"
                                           "(Z|[+-]\\d\\d:\\d\\d)'?\n")))
      << revision3.text;
  EXPECT_EQ(cli("rollout diff deployment/nginx --summary", "/dev/null").text.rfind("restarted at ", 0), 0u);
}

TEST_F(Rollout, AProgressDeadlineExceededFailsTheRunAndTheStatus) {
  std::string file = write("stuck.yaml", stuckDeployment(20));
  Output o = cli("run " + file + " --conditions", "/dev/null");
  EXPECT_EQ(o.exitCode, 1) << o.text;
  EXPECT_THAT(o.text, HasSubstr("Progressing  False   ProgressDeadlineExceeded    ReplicaSet \"stuck-"));
  EXPECT_THAT(o.text, HasSubstr("deployment.apps/stuck revision 1: ProgressDeadlineExceeded on simulated\n"));
  EXPECT_THAT(o.text, Not(HasSubstr("error:")));  // that goes to stderr
  Output err = cli("run " + file, "&1 >/dev/null");
  EXPECT_EQ(err.exitCode, 1);
  EXPECT_THAT(err.text, HasSubstr("error: deployment \"stuck\" exceeded its progress deadline\n"));

  Output status = cli("rollout status deployment/stuck");
  EXPECT_EQ(status.exitCode, 1);
  EXPECT_EQ(status.text, "error: deployment \"stuck\" exceeded its progress deadline\n");
}

TEST_F(Rollout, AfterARevisionThatNeverBecameReadyTheNextIsAppliedOnceItsPodsExist) {
  Output stuck = cli("run " + write("stuck.yaml", stuckDeployment(20)));
  ASSERT_EQ(stuck.exitCode, 1) << stuck.text;
  Output o = cli("run " + write("fixed.yaml", replaced(stuckDeployment(20), "\"readiness fails\"",
                                                        "\"readiness fails until 4s\"")) + " --events",
                 "/dev/null");
  EXPECT_EQ(o.exitCode, 0) << o.text;
  std::vector<std::string> scaled;
  std::istringstream lines(o.text);
  for (std::string line; std::getline(lines, line);) {
    if (line.find("ScalingReplicaSet") == std::string::npos) continue;
    scaled.push_back(line.substr(line.find("ScalingReplicaSet  ") + 19, 3) + line.substr(line.find("Scaled ")));
  }
  // Revision 1's pods are created, never ready; revision 2 comes at once
  // and replaces them as its own pods become available.
  ASSERT_EQ(scaled.size(), 5u) << o.text;
  EXPECT_THAT(scaled[0], ::testing::StartsWith("0s Scaled up replica set stuck-"));
  EXPECT_THAT(scaled[1], ::testing::StartsWith("0s Scaled up replica set stuck-"));
  EXPECT_THAT(scaled[1], ::testing::EndsWith(" to 1"));
  EXPECT_THAT(o.text, HasSubstr("deployment.apps/stuck revision 2: Complete on simulated\n"));
  EXPECT_EQ(cli("rollout status deployment/stuck").exitCode, 0);
}

TEST_F(Rollout, ForEndsARolloutThatIsStillWaiting) {
  std::string file = write("stuck.yaml", stuckDeployment(600));
  Output o = cli("run " + file + " --for 30s", "/dev/null");
  EXPECT_EQ(o.exitCode, 0) << o.text;
  EXPECT_THAT(o.text, HasSubstr("Waiting for deployment \"stuck\" rollout to finish: 0 of 2 updated replicas are "
                                "available...\n"));
  EXPECT_THAT(o.text, HasSubstr("stuck  0/2    2           0          30s\n"));
  EXPECT_THAT(o.text, HasSubstr("deployment.apps/stuck revision 1: Stopped (watched for 30s) on simulated\n"));
  Output status = cli("rollout status deployment/stuck");
  EXPECT_EQ(status.exitCode, 1);
  EXPECT_THAT(status.text, HasSubstr("its last run was stopped before the rollout finished"));
}

TEST_F(Rollout, StatusPinnedToAnotherRevisionFails) {
  twoRevisions();
  Output o = cli("rollout status deployment/nginx --revision=1");
  EXPECT_EQ(o.exitCode, 1);
  EXPECT_EQ(o.text, "error: desired revision (1) is different from the running revision (2)\n");
  EXPECT_EQ(cli("rollout status deployment/nginx --revision=2").exitCode, 0);
}

TEST_F(Rollout, BadNamesAndTypesGetKubectlsErrors) {
  twoRevisions();
  struct Case {
    std::string args;
    std::string error;
  };
  const std::vector<Case> cases = {
      {"rollout history deployment/nope", "Error from server (NotFound): deployments.apps \"nope\" not found\n"},
      {"rollout status deployment/nope", "Error from server (NotFound): deployments.apps \"nope\" not found\n"},
      {"rollout undo deployment/nope", "Error from server (NotFound): deployments.apps \"nope\" not found\n"},
      {"rollout restart deployment/nope", "Error from server (NotFound): deployments.apps \"nope\" not found\n"},
      {"rollout diff deployment/nope", "Error from server (NotFound): deployments.apps \"nope\" not found\n"},
      {"rollout history deployment/nginx -n other",
       "Error from server (NotFound): deployments.apps \"nginx\" not found\n"},
      {"rollout history", "error: required resource not specified\n"},
      {"rollout status widget/nginx", "error: the server doesn't have a resource type \"widget\"\n"},
      {"rollout history deployment/", "error: arguments in resource/name form must have a single resource and name\n"},
  };
  for (const Case& c : cases) {
    Output o = cli(c.args);
    EXPECT_EQ(o.exitCode, 1) << c.args;
    EXPECT_EQ(o.text, c.error) << c.args;
  }
}

TEST_F(Rollout, AFileWithAPodAndADeploymentRunsTheFirstAndSaysWhich) {
  const std::string pod = "apiVersion: v1\nkind: Pod\nmetadata: {name: solo}\nspec:\n  restartPolicy: Never\n"
                          "  containers:\n  - {name: c, image: busybox:1.36, command: [sh, -c, \"exit 0\"]}\n";
  const std::string deployment = readText(std::string(PODSCOPE_SOURCE_DIR) + "/examples/rolling-update.yaml");
  Output podFirst = cli("run " + write("pod-first.yaml", pod + "---\n" + deployment));
  EXPECT_EQ(podFirst.exitCode, 0) << podFirst.text;
  EXPECT_THAT(podFirst.text, HasSubstr("holds Pods and Deployments; running the first, pod/solo (document 1)"));
  EXPECT_THAT(podFirst.text, HasSubstr("pod/solo: Succeeded"));

  Output deploymentFirst = cli("run " + write("deployment-first.yaml", deployment + "---\n" + pod));
  EXPECT_EQ(deploymentFirst.exitCode, 0) << deploymentFirst.text;
  EXPECT_THAT(deploymentFirst.text,
              HasSubstr("holds Pods and Deployments; running the first, deployment.apps/nginx (document 1)"));
  EXPECT_THAT(deploymentFirst.text, HasSubstr("deployment.apps/nginx revision 1: Complete on simulated"));
}

/// The ScalingReplicaSet messages of a rollout record, each ReplicaSet's
/// name replaced by its letter in order of creation.
std::vector<std::string> scalingMessages(const podscope::core::RolloutRecord& record) {
  std::vector<std::string> out;
  for (const podscope::core::Event& e : record.events()) {
    if (e.reason != "ScalingReplicaSet") continue;
    std::string message = e.message;
    for (std::size_t i = 0; i < record.replicaSets().size(); ++i) {
      message = replaced(message, record.replicaSets()[i].name, std::string(1, static_cast<char>('A' + i)));
    }
    out.push_back(message);
  }
  return out;
}

TEST_F(Rollout, JsonOutputIsTheRolloutRecordAloneOnStdout) {
  Output first = cli("run " + rollingUpdate("nginx:1.18") + " --output json", m_dir + "first.err");
  ASSERT_EQ(first.exitCode, 0) << first.text << readText(m_dir + "first.err");
  EXPECT_EQ(readText(m_dir + "first.err"), "deployment.apps/nginx new revision 1\n");
  podscope::core::Result<podscope::core::RolloutRecord> one = podscope::core::rolloutRecordFromJson(first.text);
  ASSERT_TRUE(one) << one.error().toString() << "\n" << first.text;
  EXPECT_EQ(one->replicaSets().size(), 1u);

  Output second = cli("run " + rollingUpdate("nginx:1.20.1") + " --output json --events", m_dir + "second.err");
  ASSERT_EQ(second.exitCode, 0) << second.text << readText(m_dir + "second.err");
  // Nothing but the record on stdout ...
  EXPECT_THAT(second.text, ::testing::StartsWith("{\n  \"format\": \"podscope.rollout-record\",\n"));
  EXPECT_THAT(second.text, ::testing::EndsWith("\n}\n"));
  EXPECT_THAT(second.text, Not(HasSubstr("Waiting for deployment")));
  // ... and kubectl's answer on stderr.
  const std::string err = readText(m_dir + "second.err");
  EXPECT_THAT(err, HasSubstr("deployment.apps/nginx new revision 2\n"));
  EXPECT_THAT(err, HasSubstr("rolling out from the running template: image nginx:1.18 \u2192 nginx:1.20.1\n"));
  EXPECT_THAT(err, Not(HasSubstr("successfully rolled out")));

  podscope::core::Result<podscope::core::RolloutRecord> r = podscope::core::rolloutRecordFromJson(second.text);
  ASSERT_TRUE(r) << r.error().toString() << "\n" << second.text;
  EXPECT_EQ(r->deploymentName, "nginx");
  EXPECT_EQ(r->deploymentNamespace, "default");
  EXPECT_EQ(r->runtimeName, "simulated");
  EXPECT_EQ(r->outcome, podscope::core::RunOutcome::Deleted);
  ASSERT_EQ(r->replicaSets().size(), 2u);
  const podscope::core::ReplicaSetRecord& before = r->replicaSets()[0];
  const podscope::core::ReplicaSetRecord& after = r->replicaSets()[1];
  EXPECT_EQ(before.revision, 1);
  EXPECT_EQ(before.changeCause, "nginx 1.18");
  EXPECT_EQ(before.podTemplate.spec.containers.at(0).image, "nginx:1.18");
  EXPECT_EQ(after.revision, 2);
  EXPECT_EQ(after.changeCause, "nginx 1.20.1");
  EXPECT_EQ(after.podTemplate.spec.containers.at(0).image, "nginx:1.20.1");
  EXPECT_EQ(after.name, "nginx-" + after.hash);
  EXPECT_THAT(scalingMessages(*r),
              ElementsAre("Scaled up replica set A to 3", "Scaled up replica set B to 1", "Scaled down replica set A to 2",
                          "Scaled up replica set B to 2", "Scaled down replica set A to 1",
                          "Scaled up replica set B to 3", "Scaled down replica set A to 0"));
  ASSERT_EQ(r->pods().size(), 6u);
  for (const podscope::core::RolloutPod& pod : r->pods()) {
    EXPECT_TRUE(pod.finished) << pod.name;
    EXPECT_EQ(pod.record.podName, pod.name);
    EXPECT_EQ(pod.record.outcome, podscope::core::RunOutcome::Deleted) << pod.name;
    EXPECT_FALSE(pod.record.attempts().empty()) << pod.name;  // the readiness probe's
  }
  // The last `kubectl get deployment` line: every replica updated and ready.
  EXPECT_EQ(r->statusLines().back().ready, "3/3");
  EXPECT_EQ(r->statusLines().back().upToDate, "3");
  EXPECT_EQ(r->statusLines().back().status.updatedReplicas, 3);
  // The run was recorded in the history as a text run is.
  EXPECT_EQ(cli("rollout history deployment/nginx").text,
            "deployment.apps/nginx \nREVISION  CHANGE-CAUSE\n1         nginx 1.18\n2         nginx 1.20.1\n\n");

  podscope::core::Result<podscope::core::AnyRecord> any = podscope::core::anyRecordFromJson(second.text);
  ASSERT_TRUE(any) << any.error().toString();
  EXPECT_TRUE(std::holds_alternative<podscope::core::RolloutRecord>(*any));
}

TEST_F(Rollout, JsonOutputOfAnExceededDeadlineStillExitsOne) {
  Output o = cli("run " + write("stuck.yaml", stuckDeployment(20)) + " --output json", m_dir + "stuck.err");
  EXPECT_EQ(o.exitCode, 1) << o.text;
  EXPECT_THAT(readText(m_dir + "stuck.err"), HasSubstr("error: deployment \"stuck\" exceeded its progress deadline\n"));
  podscope::core::Result<podscope::core::RolloutRecord> r = podscope::core::rolloutRecordFromJson(o.text);
  ASSERT_TRUE(r) << r.error().toString() << "\n" << o.text;
  bool exceeded = false;
  for (const podscope::core::DeploymentCondition& c : r->conditions()) {
    exceeded = exceeded || (c.type == "Progressing" && c.status == podscope::core::ConditionStatus::False &&
                            c.reason == "ProgressDeadlineExceeded");
  }
  EXPECT_TRUE(exceeded);
}

}  // namespace
