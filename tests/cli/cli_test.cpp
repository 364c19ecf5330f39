// podscope-cli end to end, on the simulated runtime.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <string>

#include "cli/cli_support.h"
#include "core/run_record_json.h"

namespace {

using Output = podscope::testing::CliOutput;
using podscope::testing::runCli;

std::string writeTemp(const std::string& name, const std::string& text) {
  std::string path = ::testing::TempDir() + name;
  std::ofstream(path) << text;
  return path;
}

std::string example(const std::string& name) { return std::string(PODSCOPE_SOURCE_DIR) + "/examples/" + name; }

TEST(Cli, RunPrintsTransitionsForTheExample) {
  Output o = runCli("run " + example("init-containers.yaml") + " --runtime sim");
  EXPECT_EQ(o.exitCode, 0) << o.text;
  EXPECT_THAT(o.text, ::testing::StartsWith("TIME "));
  EXPECT_THAT(o.text, ::testing::HasSubstr("CONTAINER"));
  EXPECT_THAT(o.text, ::testing::HasSubstr("wait-for-config"));
  EXPECT_THAT(o.text, ::testing::HasSubstr("Succeeded"));
  EXPECT_THAT(o.text, ::testing::HasSubstr("on simulated"));
}

TEST(Cli, RunWritesTheRecordAsJson) {
  Output o = runCli("run " + example("init-containers.yaml") + " --runtime sim --output json", "/dev/null");
  EXPECT_EQ(o.exitCode, 0) << o.text;
  podscope::core::Result<podscope::core::RunRecord> record = podscope::core::runRecordFromJson(o.text);
  ASSERT_TRUE(record) << record.error().toString() << "\n" << o.text;
  EXPECT_EQ(record->transitions().size(), 12u);
  EXPECT_EQ(record->outcome, podscope::core::RunOutcome::Succeeded);
  EXPECT_EQ(record->runtimeName, "simulated");
}

TEST(Cli, FailedPodExitsOne) {
  std::string path = writeTemp("failing.yaml", R"(apiVersion: v1
kind: Pod
metadata: {name: failing}
spec:
  restartPolicy: Never
  containers:
  - {name: c, image: busybox:1.36, command: [sh, -c, "exit 2"]}
)");
  Output o = runCli("run " + path);
  EXPECT_EQ(o.exitCode, 1) << o.text;
  EXPECT_THAT(o.text, ::testing::HasSubstr("exit code 2"));
  EXPECT_THAT(o.text, ::testing::HasSubstr("pod/failing: Failed"));
}

TEST(Cli, BadYamlNamesFileLineAndColumn) {
  Output o = runCli("run " + std::string(PODSCOPE_SEEDS_DIR) + "/pod-hook-exec.yaml");
  EXPECT_EQ(o.exitCode, 2);
  EXPECT_THAT(o.text, ::testing::HasSubstr("pod-hook-exec.yaml:16:30: error: YAML syntax error: "));
}

TEST(Cli, MissingFileAndBadOptionsAreClear) {
  Output o = runCli("run /nonexistent.yaml");
  EXPECT_EQ(o.exitCode, 2);
  EXPECT_THAT(o.text, ::testing::HasSubstr("/nonexistent.yaml: cannot open the file for reading"));
  Output d = runCli("run " + example("init-containers.yaml") + " --delete-after soon");
  EXPECT_EQ(d.exitCode, 2);
  EXPECT_THAT(d.text, ::testing::HasSubstr("--delete-after: invalid duration \"soon\""));
  Output r = runCli("run " + example("init-containers.yaml") + " --runtime docker");
  EXPECT_EQ(r.exitCode, 2);
}

TEST(Cli, GcWithoutContainerdSaysWhere) {
  Output o = runCli("gc --address /nonexistent/containerd.sock");
  EXPECT_EQ(o.exitCode, 2);
  EXPECT_THAT(o.text, ::testing::HasSubstr("containerd: no containerd socket at /nonexistent/containerd.sock"));
}

TEST(Cli, MissingContainerdSocketIsExplained) {
  Output o = runCli("run " + example("init-containers.yaml") + " --runtime containerd --address /nonexistent/containerd.sock");
  EXPECT_EQ(o.exitCode, 2);
  EXPECT_THAT(o.text, ::testing::HasSubstr("/nonexistent/containerd.sock"));
}

TEST(Cli, ValidatePrintsFileLineColumnSeverityMessageAndRule) {
  Output o = runCli("validate " + std::string(PODSCOPE_SEEDS_DIR) + "/my-2-tcp-probe.yaml " +
                    std::string(PODSCOPE_SEEDS_DIR) + "/pod-tomcat.yaml");
  EXPECT_EQ(o.exitCode, 1);
  EXPECT_THAT(o.text, ::testing::HasSubstr("my-2-tcp-probe.yaml:48:1: error: YAML syntax error: end of map not found"));
  EXPECT_THAT(o.text, ::testing::HasSubstr(
                          "pod-tomcat.yaml:14:3: error: unknown field \"spec.imagePullPolicy\"; imagePullPolicy belongs "
                          "to a container: spec.containers[0].imagePullPolicy [unknown-field]"));
  EXPECT_THAT(o.text, ::testing::HasSubstr("2 errors, 0 warnings in 2 files"));
  Output ok = runCli("validate " + example("init-containers.yaml"));
  EXPECT_EQ(ok.exitCode, 0) << ok.text;
}

TEST(Cli, ValidateWritesJson) {
  Output o = runCli("validate --output json " + std::string(PODSCOPE_SEEDS_DIR) + "/my-1-http-probe.yaml 2>/dev/null");
  EXPECT_EQ(o.exitCode, 0) << o.text;
  EXPECT_THAT(o.text, ::testing::HasSubstr("\"kind\": \"Service\""));
  EXPECT_THAT(o.text, ::testing::HasSubstr("\"runnable\": false"));
  EXPECT_THAT(o.text, ::testing::HasSubstr("\"rule\": \"not-run\""));
  EXPECT_THAT(o.text, ::testing::HasSubstr("\"errors\": 0"));
  Output missing = runCli("validate --output json /nonexistent.yaml");
  EXPECT_EQ(missing.exitCode, 2);
  EXPECT_THAT(missing.text, ::testing::HasSubstr("cannot open the file for reading"));
}

TEST(Cli, VersionPrintsVersion) {
  Output o = runCli("--version");
  EXPECT_EQ(o.exitCode, 0);
  EXPECT_THAT(o.text, ::testing::StartsWith("podscope-cli "));
}

}  // namespace
