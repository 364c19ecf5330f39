// Frame time of the timeline with 100,000 recorded items while zooming and
// panning (target: under 16 ms a frame, 60 frames a second). Each
// iteration changes the visible range the way a user's gesture does and
// paints the view into an image, as the window would on screen.

#include <benchmark/benchmark.h>

#include <QApplication>
#include <QImage>
#include <QPainter>

#include "ui/timeline_model.h"
#include "ui/timeline_view.h"

namespace {

using namespace std::chrono_literals;
using podscope::core::RunTime;
namespace core = podscope::core;
namespace ui = podscope::ui;

constexpr int kItems = 100000;

/// A day-long record: three probes a second apart on two containers, a
/// crash loop on a third, with their events: 100,000 items in all.
core::RunRecord bigRecord() {
  core::RunRecord r;
  r.podName = "big";
  r.append(core::Transition{0s, core::SubjectKind::Pod, "big", "", "Pending", "", ""});
  r.append(core::Transition{1s, core::SubjectKind::Pod, "big", "Pending", "Running", "", ""});
  for (const char* name : {"web", "worker"}) {
    r.append(core::Transition{1s, core::SubjectKind::Container, name, "", "Running", "Started", ""});
  }
  int items = 4;
  RunTime t = 2s;
  int restarts = 0;
  while (items < kItems) {
    for (const char* name : {"web", "worker"}) {
      for (core::AttemptKind kind : {core::AttemptKind::LivenessProbe, core::AttemptKind::ReadinessProbe}) {
        core::HandlerAttempt a;
        a.kind = kind;
        a.container = name;
        a.start = t;
        a.duration = 3ms;
        const bool fail = (t.count() / 1000000000) % 37 == 0;
        a.result = fail ? core::AttemptResult::Failure : core::AttemptResult::Success;
        a.output = fail ? "connection refused" : "ok";
        r.append(std::move(a));
        ++items;
        if (fail) {
          r.append(core::Event{t + 3ms, core::EventType::Warning, "Unhealthy", std::string("spec.containers{") + name + "}",
                               "Liveness probe failed: connection refused"});
          ++items;
        }
      }
    }
    if ((t.count() / 1000000000) % 60 == 0) {
      // The crash loop: terminated, back-off, running again.
      r.append(core::Transition{t, core::SubjectKind::Container, "crasher", "Running", "Terminated", "Error", "", 1});
      r.append(core::Transition{t + 1s, core::SubjectKind::Container, "crasher", "Terminated", "Waiting",
                                "CrashLoopBackOff", "back-off 5m0s restarting failed container"});
      r.append(core::Transition{t + 30s, core::SubjectKind::Container, "crasher", "Waiting", "Running", "Started", ""});
      r.append(core::Event{t + 1s, core::EventType::Warning, "BackOff", "spec.containers{crasher}",
                           "Back-off restarting failed container crasher"});
      items += 5;  // four entries and the restart mark
      ++restarts;
    }
    t += 1s;
  }
  return r;
}

struct Fixture {
  Fixture() : record(bigRecord()) {
    model.setRecord(record);
    view.setModel(&model);
    view.resize(1280, 420);
    view.fit();
    image = QImage(view.viewport()->size(), QImage::Format_ARGB32_Premultiplied);
  }
  size_t items() const {
    size_t n = 0;
    for (int i = 0; i < model.laneCount(); ++i) n += model.lane(i).spans.size() + model.lane(i).marks.size();
    return n;
  }
  void paint() {
    QPainter painter(&image);
    view.viewport()->render(&painter);
  }
  core::RunRecord record;
  ui::TimelineModel model;
  ui::TimelineView view;
  QImage image;
};

Fixture& fixture() {
  static Fixture f;
  return f;
}

void report(benchmark::State& state) {
  state.counters["items"] = static_cast<double>(fixture().items());
  state.counters["target_ms"] = 16;
}

/// Zooming in and out around the middle of the whole day: every frame
/// reaches between all 100,000 items and a few hundred.
void BM_TimelineZoomFrame(benchmark::State& state) {
  Fixture& f = fixture();
  f.view.fit();
  int step = 0;
  for (auto _ : state) {
    const double factor = (step++ / 20) % 2 == 0 ? 1.25 : 0.8;
    f.view.zoomBy(factor, 640);
    f.paint();
  }
  report(state);
}
BENCHMARK(BM_TimelineZoomFrame)->Unit(benchmark::kMillisecond);

/// Panning the whole day, fitted: all items are in range every frame.
void BM_TimelinePanWholeRunFrame(benchmark::State& state) {
  Fixture& f = fixture();
  f.view.fit();
  int step = 0;
  for (auto _ : state) {
    f.view.panBy(step++ % 2 == 0 ? 40 : -40);
    f.paint();
  }
  report(state);
}
BENCHMARK(BM_TimelinePanWholeRunFrame)->Unit(benchmark::kMillisecond);

/// Panning at a minute across: a handful of items a frame, found by binary search.
void BM_TimelinePanMinuteFrame(benchmark::State& state) {
  Fixture& f = fixture();
  f.view.setVisibleRange(12h, 60s);
  int step = 0;
  for (auto _ : state) {
    f.view.panBy(step++ % 200 < 100 ? 30 : -30);
    f.paint();
  }
  report(state);
}
BENCHMARK(BM_TimelinePanMinuteFrame)->Unit(benchmark::kMillisecond);

}  // namespace

int main(int argc, char** argv) {
  if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM")) qputenv("QT_QPA_PLATFORM", "offscreen");
  QApplication app(argc, argv);
  benchmark::Initialize(&argc, argv);
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
