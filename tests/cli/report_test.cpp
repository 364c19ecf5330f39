// podscope-cli report, end to end on the simulated runtime.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>

#include "cli/cli_support.h"
#include "core/run_record_json.h"

namespace {

using podscope::testing::runCli;
using ::testing::HasSubstr;
using ::testing::StartsWith;

std::string temp(const std::string& name) { return ::testing::TempDir() + name; }

std::string example(const std::string& name) { return std::string(PODSCOPE_SOURCE_DIR) + "/examples/" + name; }

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

/// A record of the crash-loop example, written by `run --output json`.
std::string crashLoopRecord() {
  const std::string path = temp("crash-loop.json");
  auto o = runCli("run " + example("crash-loop.yaml") + " --for 2m --output json > " + path, "/dev/null");
  EXPECT_EQ(o.exitCode, 0);
  return path;
}

TEST(CliReport, FromARecordTheExtensionChoosesTheFormat) {
  const std::string record = crashLoopRecord();
  auto html = runCli("report " + record + " -o " + temp("r.html") + " --manifest " + example("crash-loop.yaml"));
  EXPECT_EQ(html.exitCode, 0) << html.text;
  EXPECT_THAT(html.text, HasSubstr("wrote " + temp("r.html") + " (html, "));
  const std::string page = slurp(temp("r.html"));
  EXPECT_THAT(page, StartsWith("<!DOCTYPE html>"));
  EXPECT_THAT(page, HasSubstr("<span class=\"k\">command</span>"));  // the manifest, from --manifest
  EXPECT_THAT(page, HasSubstr("back-off was 40s"));

  EXPECT_EQ(runCli("report " + record + " -o " + temp("r.svg")).exitCode, 0);
  EXPECT_THAT(slurp(temp("r.svg")), StartsWith("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg "));
  EXPECT_EQ(runCli("report " + record + " -o " + temp("r.md")).exitCode, 0);
  EXPECT_THAT(slurp(temp("r.md")), StartsWith("### pod/crash-loop: Stopped"));
  EXPECT_EQ(runCli("report " + record + " -o " + temp("r.json")).exitCode, 0);
  EXPECT_TRUE(podscope::core::runRecordFromJson(slurp(temp("r.json"))));
  // --format wins over the name.
  EXPECT_EQ(runCli("report " + record + " -o " + temp("r.txt") + " --format md").exitCode, 0);
  EXPECT_THAT(slurp(temp("r.txt")), StartsWith("### pod/crash-loop"));
}

TEST(CliReport, RunsAManifestAndReportsOnIt) {
  auto o = runCli("report --run " + example("graceful-shutdown.yaml") + " --delete-after 20s -o " + temp("g.md"));
  EXPECT_EQ(o.exitCode, 0) << o.text;
  const std::string md = slurp(temp("g.md"));
  EXPECT_THAT(md, HasSubstr("SIGKILL was sent at 30.000s, 10s after Killing"));
  EXPECT_THAT(md, HasSubstr("from " + example("graceful-shutdown.yaml")));
  // A failed pod: the report is written and the exit code says the pod failed, as `run` does.
  const std::string failing = temp("failing.yaml");
  std::ofstream(failing) << "apiVersion: v1\nkind: Pod\nmetadata: {name: failing}\nspec:\n  restartPolicy: Never\n"
                            "  containers:\n  - {name: c, image: busybox:1.36, command: [sh, -c, \"exit 2\"]}\n";
  auto f = runCli("report --run " + failing + " -o " + temp("f.html"));
  EXPECT_EQ(f.exitCode, 1) << f.text;
  EXPECT_THAT(slurp(temp("f.html")), HasSubstr("exited with code 2 (Error)"));
}

TEST(CliReport, ErrorsNameTheFileAndTheProblem) {
  const std::string bad = temp("bad.json");
  std::ofstream(bad) << "{\n  \"format\": \"podscope.run-record\",\n  \"version\": 1,\n  oops\n}\n";
  auto o = runCli("report " + bad + " -o " + temp("x.html"));
  EXPECT_EQ(o.exitCode, 2);
  EXPECT_THAT(o.text, HasSubstr(bad + ": not valid JSON at line 4, column 3"));

  auto missing = runCli("report /nonexistent.json -o " + temp("x.html"));
  EXPECT_EQ(missing.exitCode, 2);
  EXPECT_THAT(missing.text, HasSubstr("/nonexistent.json: cannot open the file for reading"));

  const std::string record = crashLoopRecord();
  auto ext = runCli("report " + record + " -o " + temp("x.pdf"));
  EXPECT_EQ(ext.exitCode, 2);
  EXPECT_THAT(ext.text, HasSubstr("x.pdf: cannot tell the format from the name; end it in .html, .svg, .md or .json"));

  auto both = runCli("report " + record + " --run " + example("crash-loop.yaml") + " -o " + temp("x.md"));
  EXPECT_EQ(both.exitCode, 2);
  EXPECT_THAT(both.text, HasSubstr("give either a RECORD.json or --run MANIFEST"));

  auto unwritable = runCli("report " + record + " -o /nonexistent/dir/x.md");
  EXPECT_EQ(unwritable.exitCode, 2);
  EXPECT_THAT(unwritable.text, HasSubstr("/nonexistent/dir/x.md: cannot write the report here"));

  auto badManifest = runCli("report --run /nonexistent.yaml -o " + temp("x.md"));
  EXPECT_EQ(badManifest.exitCode, 2);
  EXPECT_THAT(badManifest.text, HasSubstr("/nonexistent.yaml: cannot open the file for reading"));
}

}  // namespace
