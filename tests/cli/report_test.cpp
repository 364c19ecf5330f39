// podscope-cli report, end to end on the simulated runtime: every format,
// the PDF looked into with poppler's pdfinfo and pdftotext, the PNG decoded.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>
#include <string>

#ifdef PODSCOPE_HAVE_RENDER
#include <QImage>
#endif

#include "cli/cli_support.h"
#include "core/report_palette.h"
#include "core/run_record_json.h"

namespace {

using podscope::testing::runCli;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;

/// A file of the running test's own: CTest runs the tests side by side, so
/// two tests must never share one (one would read what the other is writing).
std::string temp(const std::string& name) {
  const ::testing::TestInfo* test = ::testing::UnitTest::GetInstance()->current_test_info();
  return ::testing::TempDir() + "report-" + (test ? std::string(test->name()) + "-" : std::string()) + name;
}

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
  auto ext = runCli("report " + record + " -o " + temp("x.docx"));
  EXPECT_EQ(ext.exitCode, 2);
  EXPECT_THAT(ext.text, HasSubstr("x.docx: cannot tell the format from the name; end it in .html, .pdf, .svg, .png, "
                                  ".md or .json, or pass --format"));

  auto both = runCli("report " + record + " --run " + example("crash-loop.yaml") + " -o " + temp("x.md"));
  EXPECT_EQ(both.exitCode, 2);
  EXPECT_THAT(both.text, HasSubstr("give either a RECORD.json or --run MANIFEST"));

  auto unwritable = runCli("report " + record + " -o /nonexistent/dir/x.md");
  EXPECT_EQ(unwritable.exitCode, 2);
  EXPECT_THAT(unwritable.text, HasSubstr("/nonexistent/dir/x.md: cannot write the report here: the folder "
                                         "/nonexistent/dir does not exist"));
  // Checked before a run, which may take minutes.
  auto beforeRun = runCli("report --run " + example("crash-loop.yaml") + " -o /nonexistent/dir/x.pdf");
  EXPECT_EQ(beforeRun.exitCode, 2);
  EXPECT_THAT(beforeRun.text, HasSubstr("/nonexistent/dir/x.pdf: cannot write the report here"));
  EXPECT_THAT(beforeRun.text, Not(HasSubstr("crash-loop")));

  auto badManifest = runCli("report --run /nonexistent.yaml -o " + temp("x.md"));
  EXPECT_EQ(badManifest.exitCode, 2);
  EXPECT_THAT(badManifest.text, HasSubstr("/nonexistent.yaml: cannot open the file for reading"));
}

#ifdef PODSCOPE_HAVE_RENDER

/// The output of a command on stdout (stderr dropped), for poppler's tools.
std::string outputOf(const std::string& command) { return podscope::testing::runShell(command + " 2>/dev/null").text; }

bool havePoppler() { return podscope::testing::runShell("command -v pdfinfo pdftotext >/dev/null").exitCode == 0; }

TEST(CliReport, APngOfTheTimelineAtAChosenScale) {
  const std::string record = crashLoopRecord();
  auto one = runCli("report " + record + " -o " + temp("t1.png") + " --scale 1");
  ASSERT_EQ(one.exitCode, 0) << one.text;
  EXPECT_THAT(one.text, HasSubstr("wrote " + temp("t1.png") + " (png, "));
  auto three = runCli("report " + record + " -o " + temp("t3.png") + " --scale 3");
  ASSERT_EQ(three.exitCode, 0) << three.text;
  ASSERT_EQ(runCli("report " + record + " -o " + temp("t2.png")).exitCode, 0);  // the default scale, 2

  const QImage image1(QString::fromStdString(temp("t1.png")));
  const QImage image2(QString::fromStdString(temp("t2.png")));
  const QImage image3(QString::fromStdString(temp("t3.png")));
  ASSERT_FALSE(image1.isNull());
  ASSERT_FALSE(image3.isNull());
  EXPECT_EQ(image1.width(), 1100);  // the timeline's width, --width's default
  EXPECT_EQ(image2.width(), 2200);
  EXPECT_EQ(image3.width(), 3300);
  EXPECT_EQ(image3.height(), image1.height() * 3);
  // Not blank: Running's green is there, and the CrashLoopBackOff waits in
  // the grey under Waiting's hatching (which Qt cannot draw, so it fills).
  std::set<QRgb> colours;
  for (int y = 0; y < image1.height(); ++y) {
    for (int x = 0; x < image1.width(); ++x) colours.insert(image1.pixel(x, y) | 0xFF000000u);
  }
  EXPECT_GT(colours.size(), 50u);
  EXPECT_TRUE(colours.count(QColor(QString::fromLatin1(podscope::core::palette::kRunning.data(), 7)).rgb()));
  EXPECT_TRUE(colours.count(qRgb(0xD1, 0xD6, 0xDC)));
}

TEST(CliReport, APdfOfALongRunIsPagedA4WithItsSectionsAndPageNumbers) {
  ASSERT_TRUE(havePoppler()) << "pdfinfo and pdftotext are needed (scripts/install-deps.sh installs poppler-utils)";
  const std::string pdf = temp("long.pdf");
  auto o = runCli("report --run " + example("crash-loop.yaml") + " --for 1h -o " + pdf);
  ASSERT_EQ(o.exitCode, 0) << o.text;
  // Only the one line: no notes from Qt on a machine without a display.
  EXPECT_THAT(o.text, StartsWith("wrote " + pdf + " (pdf, "));
  EXPECT_EQ(std::count(o.text.begin(), o.text.end(), '\n'), 1) << o.text;
  EXPECT_THAT(slurp(pdf), StartsWith("%PDF-"));

  const std::string info = outputOf("pdfinfo " + pdf);
  EXPECT_THAT(info, HasSubstr("Page size:       595 x 842 pts (A4)"));
  EXPECT_THAT(info, HasSubstr("Title:           pod/crash-loop"));
  std::smatch pages;
  ASSERT_TRUE(std::regex_search(info, pages, std::regex("Pages: +([0-9]+)"))) << info;
  const int count = std::stoi(pages[1]);
  EXPECT_GE(count, 2);

  const std::string text = outputOf("pdftotext -layout " + pdf + " -");
  EXPECT_THAT(text, HasSubstr("pod/crash-loop"));
  for (const char* section : {"Summary", "Why", "Timeline", "Events", "Probes and hooks", "Manifest", "Environment"}) {
    EXPECT_THAT(text, HasSubstr(section)) << section;
  }
  EXPECT_THAT(text, HasSubstr("pod/crash-loop · Podscope report"));  // the running header
  EXPECT_THAT(text, HasSubstr("Page 1 of " + std::to_string(count)));
  EXPECT_THAT(text, HasSubstr("Page " + std::to_string(count) + " of " + std::to_string(count)));
  EXPECT_THAT(text, HasSubstr("CrashLoopBackOff"));
  EXPECT_THAT(text, HasSubstr("exited with code 1 (Error)"));
}

TEST(CliReport, DrawsWithoutADisplayWhateverPlatformIsAskedFor) {
  const std::string record = crashLoopRecord();
  // No display at all, and a desktop's platform asked for: offscreen is the fallback.
  for (const std::string platform : {"", "xcb", "wayland"}) {
    const std::string env = "env -u DISPLAY -u WAYLAND_DISPLAY " +
                            (platform.empty() ? std::string("-u QT_QPA_PLATFORM") : "QT_QPA_PLATFORM=" + platform);
    auto o = podscope::testing::runShell(env + " " + PODSCOPE_CLI + " report " + record + " -o " + temp("h.pdf") +
                                         " 2>&1");
    EXPECT_EQ(o.exitCode, 0) << platform << ": " << o.text;
    EXPECT_THAT(slurp(temp("h.pdf")), StartsWith("%PDF-")) << platform;
  }
}

TEST(CliReport, BadScalesAndPlacesForPicturesAreRefusedByName) {
  const std::string record = crashLoopRecord();
  auto big = runCli("report " + record + " -o " + temp("x.png") + " --scale 9");
  EXPECT_EQ(big.exitCode, 2);
  EXPECT_THAT(big.text, HasSubstr("--scale 9 is out of range; give a scale from 0.5 to 8"));
  auto small = runCli("report " + record + " -o " + temp("x.png") + " --scale 0.25");
  EXPECT_EQ(small.exitCode, 2);
  EXPECT_THAT(small.text, HasSubstr("--scale 0.25 is out of range"));
  auto notPng = runCli("report " + record + " -o " + temp("x.pdf") + " --scale 3");
  EXPECT_EQ(notPng.exitCode, 2);
  EXPECT_THAT(notPng.text, HasSubstr("--scale is for a PNG; " + temp("x.pdf") + " is written as pdf"));
  // A folder where files cannot be made (even by root): the file is named.
  for (const char* name : {"/proc/x.png", "/proc/x.pdf"}) {
    auto o = runCli("report " + record + " -o " + name);
    EXPECT_EQ(o.exitCode, 2) << name;
    EXPECT_THAT(o.text, HasSubstr(std::string(name) + ": cannot be written")) << o.text;
  }
  auto folder = runCli("report " + record + " -o " + ::testing::TempDir());
  EXPECT_EQ(folder.exitCode, 2);
  EXPECT_THAT(folder.text, HasSubstr("cannot tell the format from the name"));
  auto formatPng = runCli("report " + record + " -o " + temp("picture") + " --format png");
  EXPECT_EQ(formatPng.exitCode, 0) << formatPng.text;
  EXPECT_FALSE(QImage(QString::fromStdString(temp("picture")), "PNG").isNull());
}

#endif  // PODSCOPE_HAVE_RENDER

TEST(CliReport, ADeploymentsRolloutIsWrittenUpFromItsRecordOrFromARun) {
  ASSERT_TRUE(havePoppler()) << "pdfinfo and pdftotext are needed (scripts/install-deps.sh installs poppler-utils)";
  // Two revisions in a history of the test's own: the second run rolls from nginx:1.18 to 1.20.1.
  const std::string history = temp("report-rollout.sqlite");
  std::remove(history.c_str());
  const std::string first = example("rolling-update.yaml");
  const std::string second = temp("rolling-update-2.yaml");
  {
    std::string text = slurp(first);
    for (std::size_t at = text.find("1.18"); at != std::string::npos; at = text.find("1.18", at)) {
      text.replace(at, 4, "1.20.1");
    }
    std::ofstream(second) << text;
  }
  const std::string record = temp("rollout.json");
  ASSERT_EQ(runCli("run " + first + " --history " + history + " --output json > /dev/null", "/dev/null").exitCode, 0);
  ASSERT_EQ(runCli("run " + second + " --history " + history + " --output json > " + record, "/dev/null").exitCode, 0);

  auto html = runCli("report " + record + " -o " + temp("rollout.html") + " --manifest " + second);
  ASSERT_EQ(html.exitCode, 0) << html.text;
  EXPECT_THAT(html.text, HasSubstr("for deployment/nginx: Deleted"));
  const std::string page = slurp(temp("rollout.html"));
  EXPECT_THAT(page, HasSubstr("deployment &quot;nginx&quot; successfully rolled out"));
  EXPECT_THAT(page, HasSubstr("nginx=nginx:1.18"));
  EXPECT_THAT(page, HasSubstr("nginx=nginx:1.20.1"));
  EXPECT_THAT(page, HasSubstr("<span class=\"k\">replicas</span>"));  // the manifest, from --manifest
  ASSERT_EQ(runCli("report " + record + " -o " + temp("rollout.md")).exitCode, 0);
  EXPECT_THAT(slurp(temp("rollout.md")), StartsWith("### deployment/nginx: Complete"));
  ASSERT_EQ(runCli("report " + record + " -o " + temp("rollout.json")).exitCode, 0);
  EXPECT_EQ(slurp(temp("rollout.json")), slurp(record));
  ASSERT_EQ(runCli("report " + record + " -o " + temp("rollout.png") + " --scale 1").exitCode, 0);
  EXPECT_THAT(slurp(temp("rollout.png")), StartsWith("\x89PNG"));
  const std::string pdf = temp("rollout.pdf");
  ASSERT_EQ(runCli("report " + record + " -o " + pdf).exitCode, 0);
  EXPECT_THAT(outputOf("pdfinfo " + pdf), HasSubstr("Title:           deployment/nginx"));
  const std::string text = outputOf("pdftotext -layout " + pdf + " -");
  EXPECT_THAT(text, HasSubstr("deployment/nginx · Podscope report"));
  EXPECT_THAT(text, HasSubstr("Scaled up replica set"));

  // --run takes the Deployment as `run` does: from the history's revision (now 1.20.1) to the file's.
  auto ran = runCli("report --run " + first + " --history " + history + " -o " + temp("back.md"));
  ASSERT_EQ(ran.exitCode, 0) << ran.text;
  EXPECT_THAT(ran.text, HasSubstr("deployment.apps/nginx"));
  EXPECT_THAT(ran.text, HasSubstr("wrote " + temp("back.md") + " (md, "));
  const std::string back = slurp(temp("back.md"));
  EXPECT_THAT(back, StartsWith("### deployment/nginx: Complete"));
  EXPECT_THAT(back, HasSubstr("nginx=nginx:1.20.1"));
  EXPECT_THAT(back, HasSubstr("nginx=nginx:1.18"));
  EXPECT_THAT(back, HasSubstr("from " + first));
  // A Deployment's run has no --delete-after.
  auto deleteAfter = runCli("report --run " + first + " --history " + history + " --delete-after 5s -o " + temp("x.md"));
  EXPECT_EQ(deleteAfter.exitCode, 2);
  EXPECT_THAT(deleteAfter.text, HasSubstr("--delete-after: applies to a Pod"));
}

}  // namespace
