#include "ui/command_line.h"

#include <gtest/gtest.h>

#include <QCommandLineParser>
#include <QDir>

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
  EXPECT_EQ(options->containerd.address, QString::fromLatin1(kDefaultContainerdAddress));
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
  EXPECT_EQ(options->containerd.address, QStringLiteral("/tmp/c.sock"));
  EXPECT_EQ(parse({"--runtime", "sim"})->runtime, RuntimeKind::Simulated);
}

TEST(CommandLineTest, ContainerdNamespaceAndStateDir) {
  auto defaults = parse({});
  ASSERT_TRUE(defaults);
  EXPECT_EQ(defaults->containerd.containerdNamespace, QStringLiteral("podscope"));
  EXPECT_TRUE(defaults->containerd.stateDir.isEmpty());

  auto options = parse({"--runtime", "containerd", "--namespace", "team-a.test", "--state-dir", "/tmp/x/../state/"});
  ASSERT_TRUE(options) << options.error().message;
  EXPECT_EQ(options->containerd.containerdNamespace, QStringLiteral("team-a.test"));
  // Spelt the same way every time, since runs label their objects with it.
  EXPECT_EQ(options->containerd.stateDir, QStringLiteral("/tmp/state"));
  auto relative = parse({"--state-dir", "state"});
  ASSERT_TRUE(relative);
  EXPECT_TRUE(QDir::isAbsolutePath(relative->containerd.stateDir)) << relative->containerd.stateDir.toStdString();
}

TEST(CommandLineTest, BadContainerdNamesSayWhatIsAllowed) {
  auto badName = parse({"--namespace", "my namespace"});
  ASSERT_FALSE(badName);
  EXPECT_EQ(badName.error().message,
            "--namespace \"my namespace\" is not a containerd namespace name: use letters and digits, joined by "
            "single '.', '_' or '-'");
  EXPECT_FALSE(parse({"--namespace", "a..b"}));
  EXPECT_FALSE(parse({"--namespace", ""}));
  auto noDir = parse({"--state-dir", ""});
  ASSERT_FALSE(noDir);
  EXPECT_EQ(noDir.error().message, "--state-dir needs a directory");
}

TEST(CommandLineTest, RejectsWhatCannotWorkTogether) {
  EXPECT_FALSE(parse({"--runtime", "docker"}));
  EXPECT_FALSE(parse({"--print-transitions", "pod.yaml"}));
  EXPECT_FALSE(parse({"--quit-after-run", "pod.yaml"}));
  EXPECT_FALSE(parse({"a.yaml", "b.yaml"}));
  EXPECT_FALSE(parse({"--no-such-option"}));
}

TEST(CommandLineTest, WatchForAndStartupReport) {
  auto options = parse({"--run", "--for", "90s", "--quit-after-run", "--screenshot", "x.png", "pod.yaml"});
  ASSERT_TRUE(options) << options.error().message;
  ASSERT_TRUE(options->watchFor);
  EXPECT_EQ(*options->watchFor, std::chrono::seconds(90));
  EXPECT_FALSE(parse({"--for", "90s", "pod.yaml"}));           // needs --run
  EXPECT_FALSE(parse({"--run", "--for", "0s", "pod.yaml"}));   // never ends
  auto bad = parse({"--run", "--for", "soon", "pod.yaml"});
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.error().message.find("--for"), std::string::npos) << bad.error().message;

  auto startup = parse({"--report-startup", "pod.yaml"});
  ASSERT_TRUE(startup) << startup.error().message;
  EXPECT_TRUE(startup->reportStartup);
  // A measurement leaves the user's settings and unsaved buffers alone.
  EXPECT_TRUE(startup->scripted());
  EXPECT_FALSE(parse({"pod.yaml"})->scripted());
}

TEST(CommandLineTest, VersionTextNamesQt) {
  EXPECT_TRUE(versionText().startsWith(QStringLiteral(PODSCOPE_VERSION " (Qt 6.")));
}

}  // namespace
}  // namespace podscope::ui
