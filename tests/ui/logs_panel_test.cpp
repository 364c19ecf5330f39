#include "ui/logs_panel.h"

#include <gtest/gtest.h>

#include <QCheckBox>
#include <QComboBox>
#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include "core/manifest_reader.h"
#include "ui/timeline_model.h"

namespace podscope::ui {
namespace {

using namespace std::chrono_literals;

constexpr char kPod[] = R"(apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  containers:
  - name: app
    image: busybox:1.36
  - name: helper
    image: busybox:1.36
)";

void appendTo(const QString& path, const QByteArray& bytes) {
  QFile file(path);
  ASSERT_TRUE(file.open(QIODevice::WriteOnly | QIODevice::Append)) << path.toStdString();
  file.write(bytes);
}

class LogsPanelTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(m_dir.isValid());
    m_podDir = m_dir.filePath(QStringLiteral("default_web_1234"));
    ASSERT_TRUE(QDir().mkpath(m_podDir + QStringLiteral("/app")));
    auto pod = core::readPod(kPod, "web.yaml");
    ASSERT_TRUE(pod);
    m_pod = *pod;
    m_record.setPod(m_pod);
    m_panel.setRecordSource(&m_record);
    m_panel.beginRun(m_pod, true);
    m_panel.show();
  }

  QTemporaryDir m_dir;
  QString m_podDir;
  core::Pod m_pod;
  TimelineModel m_record;
  LogsPanel m_panel;
};

TEST_F(LogsPanelTest, FollowsAFileAsItGrowsAndTheNextAttempt) {
  const QString first = m_podDir + QStringLiteral("/app/0.log");
  appendTo(first, "starting\n");
  m_panel.setLogDirectory(m_podDir);
  EXPECT_EQ(m_panel.currentContainer(), QStringLiteral("app"));
  EXPECT_EQ(m_panel.currentAttempt(), 0);
  EXPECT_EQ(m_panel.text(), QStringLiteral("starting\n"));

  appendTo(first, "listening on :80\n");
  EXPECT_TRUE(QTest::qWaitFor([&] { return m_panel.text() == QStringLiteral("starting\nlistening on :80\n"); }, 5000))
      << m_panel.text().toStdString();

  // A restart: the panel moves on to the new instance's file.
  appendTo(m_podDir + QStringLiteral("/app/1.log"), "starting again\n");
  EXPECT_TRUE(QTest::qWaitFor([&] { return m_panel.currentAttempt() == 1; }, 5000));
  EXPECT_EQ(m_panel.text(), QStringLiteral("starting again\n"));
  EXPECT_EQ(m_panel.attemptBox()->count(), 2);

  // The earlier attempt is still there to read.
  m_panel.showContainer(QStringLiteral("app"), 0);
  EXPECT_EQ(m_panel.text(), QStringLiteral("starting\nlistening on :80\n"));
}

TEST_F(LogsPanelTest, InterleavesProbeOutputsOfTheShownInstance) {
  appendTo(m_podDir + QStringLiteral("/app/0.log"), "ready\n");
  m_panel.setLogDirectory(m_podDir);
  core::HandlerAttempt probe;
  probe.kind = core::AttemptKind::LivenessProbe;
  probe.container = "app";
  probe.start = 5s;
  probe.duration = 2ms;
  probe.result = core::AttemptResult::Failure;
  probe.output = "cat: /tmp/healthy: No such file or directory";
  m_record.append(probe);
  core::HandlerAttempt other = probe;
  other.container = "helper";
  other.output = "not this one";
  m_record.append(other);

  EXPECT_FALSE(m_panel.text().contains(QStringLiteral("No such file")));
  m_panel.interleaveBox()->setChecked(true);
  const QString text = m_panel.text();
  EXPECT_TRUE(text.startsWith(QStringLiteral("ready\n"))) << text.toStdString();
  EXPECT_TRUE(text.contains(QStringLiteral("5.000s livenessProbe failure")));
  EXPECT_TRUE(text.contains(QStringLiteral("cat: /tmp/healthy: No such file or directory")));
  EXPECT_FALSE(text.contains(QStringLiteral("not this one")));

  // Later outputs join while following.
  probe.start = 10s;
  probe.output = "still missing";
  m_record.append(probe);
  EXPECT_TRUE(m_panel.text().contains(QStringLiteral("still missing")));
  m_panel.interleaveBox()->setChecked(false);
  EXPECT_EQ(m_panel.text(), QStringLiteral("ready\n"));
}

TEST_F(LogsPanelTest, SaysWhenAContainerHasWrittenNothingYet) {
  m_panel.setLogDirectory(m_podDir);
  m_panel.showContainer(QStringLiteral("helper"));
  EXPECT_EQ(m_panel.currentAttempt(), -1);
  EXPECT_TRUE(m_panel.message().contains(QStringLiteral("helper has written no log yet")));
  ASSERT_TRUE(QDir().mkpath(m_podDir + QStringLiteral("/helper")));
  appendTo(m_podDir + QStringLiteral("/helper/0.log"), "hi\n");
  m_panel.refresh();
  EXPECT_TRUE(QTest::qWaitFor([&] { return m_panel.text() == QStringLiteral("hi\n"); }, 5000));
}

}  // namespace
}  // namespace podscope::ui
