#include "ui/scripted_session.h"

#include <gtest/gtest.h>

#include <QImage>
#include <QSignalSpy>

#include <cstdio>
#include <string>

#include "ui/main_window.h"
#include "ui_test_support.h"

namespace podscope::ui {
namespace {

std::string readAll(std::FILE* file) {
  std::rewind(file);
  std::string out;
  char buffer[4096];
  while (size_t n = std::fread(buffer, 1, sizeof buffer, file)) out.append(buffer, n);
  return out;
}

TEST(ExitCodeTest, SucceededAndStoppedAreSuccessFailedIsNotErrorsAreTwo) {
  RunResult result;
  result.record.outcome = core::RunOutcome::Succeeded;
  EXPECT_EQ(exitCodeFor(result), 0);
  result.record.outcome = core::RunOutcome::Stopped;
  EXPECT_EQ(exitCodeFor(result), 0);
  result.record.outcome = core::RunOutcome::Failed;
  EXPECT_EQ(exitCodeFor(result), 1);
  result.error = core::Error{"no containerd", {}, std::nullopt};
  EXPECT_EQ(exitCodeFor(result), 2);
}

TEST(ScriptedSessionTest, RunsPrintsTheTableAndTakesAScreenshot) {
  test::TempFiles files;
  const QString manifest = files.write(QStringLiteral("init-demo.yaml"), test::kInitContainerPod);
  const QString screenshot = files.write(QStringLiteral("shot.png"), {});

  MainWindow window;
  window.show();
  ASSERT_TRUE(window.openFile(manifest));

  CommandLineOptions options;
  options.run = true;
  options.printTransitions = true;
  options.screenshotPath = screenshot;
  options.quitAfterRun = true;
  std::FILE* out = std::tmpfile();
  std::FILE* err = std::tmpfile();
  ScriptedSession session(window, options, out, err);
  QSignalSpy finished(&session, &ScriptedSession::finished);
  session.start();
  ASSERT_TRUE(finished.wait(20000));
  EXPECT_EQ(finished.front().front().toInt(), 0);

  const std::string table = readAll(out);
  EXPECT_NE(table.find("TIME"), std::string::npos) << table;
  EXPECT_NE(table.find("init-setup"), std::string::npos) << table;
  EXPECT_EQ(readAll(err), "");
  const QImage image(screenshot);
  EXPECT_FALSE(image.isNull());
  EXPECT_EQ(image.size(), window.size() * window.devicePixelRatio());
  std::fclose(out);
  std::fclose(err);
}

TEST(ScriptedSessionTest, AManifestThatCannotRunExitsWithTwoAndSaysWhere) {
  MainWindow window;
  window.setManifest(QStringLiteral("apiVersion: v1\nkind: Pod\nmetadata:\n  name: x\nspec:\n  containers: 3\n"),
                     QStringLiteral("bad.yaml"));
  CommandLineOptions options;
  options.run = true;
  options.printTransitions = true;
  options.quitAfterRun = true;
  std::FILE* out = std::tmpfile();
  std::FILE* err = std::tmpfile();
  ScriptedSession session(window, options, out, err);
  QSignalSpy finished(&session, &ScriptedSession::finished);
  session.start();
  ASSERT_TRUE(finished.size() == 1 || finished.wait(5000));
  EXPECT_EQ(finished.front().front().toInt(), 2);
  EXPECT_EQ(readAll(out), "");
  EXPECT_NE(readAll(err).find("bad.yaml:6:"), std::string::npos);
  std::fclose(out);
  std::fclose(err);
}

}  // namespace
}  // namespace podscope::ui
