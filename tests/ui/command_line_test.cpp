#include "ui/command_line.h"

#include <gtest/gtest.h>

#include <QCommandLineParser>

namespace podscope::ui {
namespace {

core::Result<CommandLineOptions> parse(QStringList args) {
  QCommandLineParser parser;
  addCommandLineOptions(parser);
  args.prepend(QStringLiteral("podscope"));
  if (!parser.parse(args)) return core::Error{parser.errorText().toStdString(), {}, std::nullopt};
  return readCommandLineOptions(parser);
}

TEST(CommandLineTest, NoArgumentsOpensTheWindowWithDefaults) {
  auto options = parse({});
  ASSERT_TRUE(options) << options.error().message;
  EXPECT_TRUE(options->file.isEmpty());
  EXPECT_FALSE(options->run);
  EXPECT_FALSE(options->quitAfterRun);
  EXPECT_EQ(options->runtime, RuntimeKind::Simulated);
  EXPECT_EQ(options->containerdAddress, QString::fromLatin1(kDefaultContainerdAddress));
}

TEST(CommandLineTest, HeadlessRunOptions) {
  auto options = parse({"--run", "--print-transitions", "--screenshot", "out.png", "--quit-after-run", "pod.yaml"});
  ASSERT_TRUE(options) << options.error().message;
  EXPECT_EQ(options->file, QStringLiteral("pod.yaml"));
  EXPECT_TRUE(options->run);
  EXPECT_TRUE(options->printTransitions);
  EXPECT_EQ(options->screenshotPath, QStringLiteral("out.png"));
  EXPECT_TRUE(options->quitAfterRun);
}

TEST(CommandLineTest, ContainerdRuntimeAndAddress) {
  auto options = parse({"--runtime", "containerd", "--address", "/tmp/c.sock", "pod.yaml"});
  ASSERT_TRUE(options) << options.error().message;
  EXPECT_EQ(options->runtime, RuntimeKind::Containerd);
  EXPECT_EQ(options->containerdAddress, QStringLiteral("/tmp/c.sock"));
  EXPECT_EQ(parse({"--runtime", "sim"})->runtime, RuntimeKind::Simulated);
}

TEST(CommandLineTest, RejectsWhatCannotWorkTogether) {
  EXPECT_FALSE(parse({"--runtime", "docker"}));
  EXPECT_FALSE(parse({"--print-transitions", "pod.yaml"}));
  EXPECT_FALSE(parse({"--quit-after-run", "pod.yaml"}));
  EXPECT_FALSE(parse({"a.yaml", "b.yaml"}));
  EXPECT_FALSE(parse({"--no-such-option"}));
}

TEST(CommandLineTest, VersionTextNamesQt) {
  EXPECT_TRUE(versionText().startsWith(QStringLiteral(PODSCOPE_VERSION " (Qt 6.")));
}

}  // namespace
}  // namespace podscope::ui
