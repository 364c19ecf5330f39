// File → Open Run Record and File → Export Report: a saved run shows on the
// timeline as it did live, and a run is written up in every format the
// export offers.

#include "ui/report_export.h"

#include <gtest/gtest.h>

#include <QFile>
#include <QImage>
#include <QTemporaryDir>

#include <variant>

#include "core/manifest_reader.h"
#include "core/run_record_json.h"
#include "engine/pod_worker.h"
#include "engine/runtime/simulated/simulated_runtime.h"
#include "engine/virtual_event_loop.h"
#include "ui/document_tabs.h"
#include "ui/events_model.h"
#include "ui/main_window.h"
#include "ui/message_banner.h"
#include "ui/run_panels.h"
#include "ui/timeline_model.h"
#include "ui_test_support.h"

namespace podscope::ui {
namespace {

// A liveness probe that starts failing: restarts, signals, events.
constexpr char kLivenessPod[] = R"(apiVersion: v1
kind: Pod
metadata:
  name: liveness-exec
spec:
  terminationGracePeriodSeconds: 5
  containers:
  - name: liveness
    image: registry.k8s.io/busybox:1.27.2
    args: [/bin/sh, -c, "touch /tmp/healthy; sleep 30; rm -f /tmp/healthy; sleep 600"]
    livenessProbe:
      exec:
        command: [cat, /tmp/healthy]
      initialDelaySeconds: 5
      periodSeconds: 5
)";

core::RunRecord simulatedRun() {
  auto pod = core::readPod(kLivenessPod, "liveness.yaml");
  EXPECT_TRUE(pod) << pod.error().toString();
  engine::VirtualEventLoop loop;
  engine::SimulatedRuntime runtime(loop);
  engine::RunOptions options;
  options.runFor = std::chrono::minutes(2);
  return engine::runPod(*pod, runtime, loop, options);
}

QByteArray readAll(const QString& path) {
  QFile f(path);
  return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

TEST(ReportExport, ASavedRecordOpensAsTheSameTimelineAndExportsInEveryFormat) {
  const core::RunRecord original = simulatedRun();
  ASSERT_FALSE(original.signalsSent().empty());
  QTemporaryDir dir;
  ASSERT_TRUE(dir.isValid());
  const QString recordPath = dir.filePath(QStringLiteral("liveness.podscope.json"));
  {
    QFile f(recordPath);
    ASSERT_TRUE(f.open(QIODevice::WriteOnly));
    const std::string json = core::toJson(original);
    f.write(json.data(), static_cast<qint64>(json.size()));
  }

  MainWindow window;
  window.show();
  ASSERT_TRUE(window.openRecord(recordPath));
  // Record → JSON → loaded record → the same timeline as the record itself.
  TimelineModel direct;
  direct.setRecord(original);
  const TimelineModel& shown = *window.runPanels()->timelineModel();
  ASSERT_EQ(shown.laneCount(), direct.laneCount());
  for (int i = 0; i < direct.laneCount(); ++i) {
    EXPECT_EQ(shown.lane(i).title, direct.lane(i).title) << i;
    ASSERT_EQ(shown.lane(i).spans.size(), direct.lane(i).spans.size()) << i;
    ASSERT_EQ(shown.lane(i).marks.size(), direct.lane(i).marks.size()) << i;
    for (size_t j = 0; j < direct.lane(i).marks.size(); ++j) {
      EXPECT_EQ(shown.lane(i).marks[j].kind, direct.lane(i).marks[j].kind);
      EXPECT_EQ(shown.lane(i).marks[j].start, direct.lane(i).marks[j].start);
    }
  }
  EXPECT_EQ(shown.end(), direct.end());
  EXPECT_EQ(window.runPanels()->eventsModel()->rowCount(), static_cast<int>(original.events().size()));
  EXPECT_TRUE(window.statusText().contains(QStringLiteral("liveness-exec"))) << window.statusText().toStdString();

  // Every format the export offers.
  ASSERT_TRUE(window.exportReport(dir.filePath(QStringLiteral("r.html"))));
  const QByteArray html = readAll(dir.filePath(QStringLiteral("r.html")));
  EXPECT_TRUE(html.startsWith("<!DOCTYPE html>")) << html.left(80).toStdString();
  EXPECT_TRUE(html.contains("<svg"));
  EXPECT_TRUE(html.contains("liveness-exec"));
  EXPECT_FALSE(html.contains("<script"));
  ASSERT_TRUE(window.exportReport(dir.filePath(QStringLiteral("r.pdf"))));
  const QByteArray pdf = readAll(dir.filePath(QStringLiteral("r.pdf")));
  EXPECT_TRUE(pdf.startsWith("%PDF-")) << pdf.left(16).toStdString();
  if (const QByteArray shots = qgetenv("PODSCOPE_UI_SCREENSHOTS"); !shots.isEmpty()) {
    QFile::remove(QString::fromLocal8Bit(shots) + QStringLiteral("/report.pdf"));
    QFile::copy(dir.filePath(QStringLiteral("r.pdf")), QString::fromLocal8Bit(shots) + QStringLiteral("/report.pdf"));
  }
  ASSERT_TRUE(window.exportReport(dir.filePath(QStringLiteral("r.svg"))));
  EXPECT_TRUE(readAll(dir.filePath(QStringLiteral("r.svg"))).contains("<svg"));
  ASSERT_TRUE(window.exportReport(dir.filePath(QStringLiteral("r.md"))));
  EXPECT_TRUE(readAll(dir.filePath(QStringLiteral("r.md"))).contains("liveness-exec"));
  ASSERT_TRUE(window.exportReport(dir.filePath(QStringLiteral("r.png"))));
  QImage png(dir.filePath(QStringLiteral("r.png")));
  ASSERT_FALSE(png.isNull());
  EXPECT_GT(png.width(), 1000);
  // At a chosen scale.
  ASSERT_TRUE(window.exportReport(dir.filePath(QStringLiteral("r3.png")), 3.0));
  QImage png3(dir.filePath(QStringLiteral("r3.png")));
  EXPECT_NEAR(png3.width(), png.width() * 1.5, 2);
  if (const QByteArray shots = qgetenv("PODSCOPE_UI_SCREENSHOTS"); !shots.isEmpty()) {
    png.save(QString::fromLocal8Bit(shots) + QStringLiteral("/exported-timeline.png"));
  }
  ASSERT_TRUE(window.exportReport(dir.filePath(QStringLiteral("again.json"))));
  core::Result<core::AnyRecord> again = readRecordFile(dir.filePath(QStringLiteral("again.json")));
  ASSERT_TRUE(again) << again.error().message;
  ASSERT_TRUE(std::holds_alternative<core::RunRecord>(*again));
  EXPECT_EQ(core::toJson(std::get<core::RunRecord>(*again)), core::toJson(original));

  // An unknown format is refused and says which formats there are.
  EXPECT_FALSE(window.exportReport(dir.filePath(QStringLiteral("r.docx"))));
  EXPECT_TRUE(window.messageBanner()->text().contains(QStringLiteral(".html, .pdf, .svg, .png, .md or .json")))
      << window.messageBanner()->text().toStdString();
}

TEST(ReportExport, ASavedRolloutOpensAsTheSameTimelineAndExportsInEveryFormat) {
  // The rolling update from nginx:1.18 to 1.20.1, as podscope-cli run --output json wrote it.
  const QString golden = QString::fromUtf8(PODSCOPE_SOURCE_DIR "/tests/data/records/rolling-update.json");
  const QByteArray goldenJson = readAll(golden);
  ASSERT_FALSE(goldenJson.isEmpty()) << golden.toStdString();
  core::Result<core::AnyRecord> read = readRecordFile(golden);
  ASSERT_TRUE(read) << read.error().message;
  ASSERT_TRUE(std::holds_alternative<core::RolloutRecord>(*read));
  const core::RolloutRecord& original = std::get<core::RolloutRecord>(*read);
  ASSERT_EQ(original.replicaSets().size(), 2u);

  MainWindow window;
  window.show();
  // Opened as a file (the command line, a drop, File → Open), a record goes to the timeline, not the editor.
  ASSERT_TRUE(window.openFile(golden));
  EXPECT_FALSE(window.documentTabs()->indexOfPath(golden) >= 0);
  TimelineModel direct;
  direct.setRolloutRecord(original);
  const TimelineModel& shown = *window.runPanels()->timelineModel();
  EXPECT_TRUE(shown.isRollout());
  ASSERT_EQ(shown.laneCount(), direct.laneCount());
  for (int i = 0; i < direct.laneCount(); ++i) {
    EXPECT_EQ(shown.lane(i).title, direct.lane(i).title) << i;
    EXPECT_EQ(shown.lane(i).spans.size(), direct.lane(i).spans.size()) << i;
    EXPECT_EQ(shown.lane(i).marks.size(), direct.lane(i).marks.size()) << i;
  }
  EXPECT_EQ(shown.end(), direct.end());
  EXPECT_EQ(shown.replicaSetSamples().size(), original.replicaSetSamples().size());
  EXPECT_TRUE(window.statusText().contains(QStringLiteral("nginx"))) << window.statusText().toStdString();
  EXPECT_TRUE(window.statusText().contains(QStringLiteral("READY 3/3"))) << window.statusText().toStdString();

  QTemporaryDir dir;
  ASSERT_TRUE(dir.isValid());
  ASSERT_TRUE(window.exportReport(dir.filePath(QStringLiteral("r.html"))));
  const QByteArray html = readAll(dir.filePath(QStringLiteral("r.html")));
  EXPECT_TRUE(html.startsWith("<!DOCTYPE html>"));
  EXPECT_TRUE(html.contains("deployment/nginx"));
  EXPECT_TRUE(html.contains("successfully rolled out"));
  EXPECT_TRUE(html.contains("<svg"));
  EXPECT_FALSE(html.contains("<script"));
  ASSERT_TRUE(window.exportReport(dir.filePath(QStringLiteral("r.pdf"))));
  EXPECT_TRUE(readAll(dir.filePath(QStringLiteral("r.pdf"))).startsWith("%PDF-"));
  if (const QByteArray shots = qgetenv("PODSCOPE_UI_SCREENSHOTS"); !shots.isEmpty()) {
    QFile::remove(QString::fromLocal8Bit(shots) + QStringLiteral("/rollout-report.pdf"));
    QFile::copy(dir.filePath(QStringLiteral("r.pdf")), QString::fromLocal8Bit(shots) + QStringLiteral("/rollout-report.pdf"));
  }
  ASSERT_TRUE(window.exportReport(dir.filePath(QStringLiteral("r.svg"))));
  const QByteArray svg = readAll(dir.filePath(QStringLiteral("r.svg")));
  EXPECT_TRUE(svg.contains("<svg"));
  for (const core::ReplicaSetRecord& rs : original.replicaSets()) {
    EXPECT_TRUE(svg.contains(QByteArray::fromStdString(rs.name))) << rs.name;
  }
  ASSERT_TRUE(window.exportReport(dir.filePath(QStringLiteral("r.md"))));
  EXPECT_TRUE(readAll(dir.filePath(QStringLiteral("r.md"))).contains("### deployment/nginx"));
  ASSERT_TRUE(window.exportReport(dir.filePath(QStringLiteral("r.png")), 1.0));
  QImage png(dir.filePath(QStringLiteral("r.png")));
  ASSERT_FALSE(png.isNull());
  EXPECT_GT(png.width(), 1000);
  if (const QByteArray shots = qgetenv("PODSCOPE_UI_SCREENSHOTS"); !shots.isEmpty()) {
    png.save(QString::fromLocal8Bit(shots) + QStringLiteral("/exported-rollout.png"));
  }
  // Saved again, the record is the very same document.
  ASSERT_TRUE(window.exportReport(dir.filePath(QStringLiteral("again.json"))));
  EXPECT_EQ(readAll(dir.filePath(QStringLiteral("again.json"))), goldenJson);
}

TEST(ReportExport, ABrokenRecordIsRefusedNamingTheFileAndThePlace) {
  test::TempFiles files;
  const QString path = files.write(QStringLiteral("broken.json"), "{\n  \"format\": \"podscope.run-record\",\n  oops\n}\n");
  MainWindow window;
  window.show();
  EXPECT_FALSE(window.openRecord(path));
  const QString message = window.messageBanner()->text();
  EXPECT_TRUE(message.contains(QStringLiteral("broken.json"))) << message.toStdString();
  EXPECT_TRUE(message.contains(QStringLiteral("line 3"))) << message.toStdString();
  EXPECT_EQ(window.runPanels()->timelineModel()->record().transitions().size(), 0u);
  // Nothing to export yet.
  EXPECT_FALSE(window.exportReport(QStringLiteral("/tmp/never-written.html")));
  EXPECT_FALSE(QFile::exists(QStringLiteral("/tmp/never-written.html")));
}

}  // namespace
}  // namespace podscope::ui
