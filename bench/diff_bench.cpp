// The revision diff on two 5,000-line pod templates with scattered changes
// (target: under 100 ms from texts to the laid-out model, off the GUI
// thread), against GNU `diff -u` on the same pair in the same run; then
// the view: compare() to the result shown, and the time to paint a frame
// at several scroll positions. For scale, the same text put in a
// QTextDocument with a background per changed line, the way a
// QTextEdit-based view would hold one side.
//
// Runs on the offscreen platform unless QT_QPA_PLATFORM says otherwise.
// Prints the median of each measurement, in milliseconds.

#include <QApplication>
#include <QElapsedTimer>
#include <QImage>
#include <QPainter>
#include <QScrollBar>
#include <QTextBlockFormat>
#include <QTextCursor>
#include <QTextDocument>
#include <QThread>

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <random>
#include <string>
#include <vector>

#include "core/text_diff.h"
#include "ui/diff_layout.h"
#include "ui/diff_pane.h"
#include "ui/diff_view.h"

extern char** environ;

namespace {

namespace fs = std::filesystem;
namespace ui = podscope::ui;
namespace core = podscope::core;

constexpr int kRuns = 21;

/// A pod template of `containers` containers, about 50 lines each; with
/// `revised`, every seventh container has moved on (image tag, an env
/// value, a probe period, an added variable, a dropped port).
std::string podTemplate(int containers, bool revised) {
  std::mt19937 rng(42);
  std::string s =
      "metadata:\n"
      "  labels:\n"
      "    app: big\n"
      "    tier: backend\n"
      "  annotations:\n"
      "    example.com/owner: platform-team\n"
      "spec:\n"
      "  terminationGracePeriodSeconds: 30\n"
      "  containers:\n";
  for (int c = 0; c < containers; ++c) {
    const bool moved = revised && c % 7 == 3;
    const std::string name = "worker-" + std::to_string(c);
    const int minor = static_cast<int>(rng() % 20);
    s += "  - name: " + name + "\n";
    s += "    image: registry.example.com/team/" + name + ":1." + std::to_string(moved ? minor + 1 : minor) + ".0\n";
    s += "    imagePullPolicy: IfNotPresent\n";
    s += "    args:\n    - --listen=:" + std::to_string(8000 + c) + "\n    - --log-format=json\n";
    s += "    - --cache-size=" + std::to_string(64 + rng() % 512) + "Mi\n";
    s += "    env:\n";
    s += "    - name: LOG_LEVEL\n      value: " + std::string(moved ? "debug" : "info") + "\n";
    s += "    - name: WORKER_ID\n      value: \"" + std::to_string(c) + "\"\n";
    s += "    - name: UPSTREAM\n      value: http://svc-" + std::to_string(rng() % 50) + ".default.svc:8080\n";
    if (moved) s += "    - name: FEATURE_FLAGS\n      value: fast-path,batching\n";
    s += "    ports:\n    - name: http\n      containerPort: " + std::to_string(8000 + c) + "\n";
    if (!moved) s += "    - name: metrics\n      containerPort: 9090\n";
    s += "    resources:\n      requests:\n        cpu: " + std::to_string(50 + rng() % 200) +
         "m\n        memory: 128Mi\n      limits:\n        cpu: \"1\"\n        memory: 512Mi\n";
    s += "    readinessProbe:\n      httpGet:\n        path: /ready\n        port: " + std::to_string(8000 + c) +
         "\n      periodSeconds: " + std::string(moved ? "5" : "10") + "\n      failureThreshold: 3\n";
    s += "    livenessProbe:\n      httpGet:\n        path: /healthz\n        port: " + std::to_string(8000 + c) +
         "\n      initialDelaySeconds: 10\n";
    s += "    volumeMounts:\n    - name: cache\n      mountPath: /var/cache/" + name + "\n";
    s += "    - name: config\n      mountPath: /etc/" + name + "\n      readOnly: true\n";
  }
  s += "  volumes:\n  - name: cache\n    emptyDir: {}\n  - name: config\n    emptyDir: {}\n";
  return s;
}

int lineCount(const std::string& s) { return static_cast<int>(std::count(s.begin(), s.end(), '\n')); }

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

double timeMs(const std::function<void()>& f) {
  QElapsedTimer t;
  t.start();
  f();
  return static_cast<double>(t.nsecsElapsed()) / 1e6;
}

/// Runs `diff -u a b > out`, waiting for it; false when it could not run.
bool runDiff(const fs::path& a, const fs::path& b, const fs::path& out) {
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  std::string sa = a.string(), sb = b.string();
  char diff[] = "diff";
  char u[] = "-u";
  char* argv[] = {diff, u, sa.data(), sb.data(), nullptr};
  pid_t pid = 0;
  const int rc = posix_spawnp(&pid, "diff", &actions, nullptr, argv, environ);
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) return false;
  int status = 0;
  waitpid(pid, &status, 0);
  return WIFEXITED(status) && WEXITSTATUS(status) <= 1;  // 1: the files differ
}

}  // namespace

int main(int argc, char** argv) {
  if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM")) qputenv("QT_QPA_PLATFORM", "offscreen");
  QApplication app(argc, argv);

  const std::string left = podTemplate(117, false);
  const std::string right = podTemplate(117, true);
  std::printf("pair: %d and %d lines, %zu and %zu bytes\n", lineCount(left), lineCount(right), left.size(),
              right.size());

  // 1. Texts to the laid-out model, on a worker thread as the view runs it.
  ui::DiffRequest request;
  request.left = {QStringLiteral("Revision 1"), left, std::nullopt};
  request.right = {QStringLiteral("Revision 2"), right, std::nullopt};
  std::vector<double> layoutMs, diffOnlyMs;
  std::shared_ptr<const ui::DiffLayout> layout;
  for (int i = 0; i < kRuns; ++i) {
    std::shared_ptr<const ui::DiffLayout> result;
    QThread* worker = QThread::create([&] { result = ui::layoutDiff(request, 1); });
    layoutMs.push_back(timeMs([&] {
      worker->start();
      worker->wait();
    }));
    delete worker;
    layout = result;
    diffOnlyMs.push_back(timeMs([&] { (void)core::diffTexts(left, right); }));
  }
  const core::TextDiff& diff = layout->diff;
  std::printf("model: %zu rows, %zu changes, %zu hunks, %zu folds, +%d -%d lines\n", diff.rows.size(),
              diff.changes.size(), diff.hunks.size(), diff.folds.size(), diff.addedLines, diff.removedLines);

  // 2. GNU diff -u on the same pair, as a whole program.
  const fs::path dir = fs::temp_directory_path() / ("podscope-diff-bench-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  std::ofstream(dir / "a.yaml", std::ios::binary) << left;
  std::ofstream(dir / "b.yaml", std::ios::binary) << right;
  std::vector<double> gnuMs;
  bool gnuRan = true;
  for (int i = 0; i < kRuns && gnuRan; ++i) {
    gnuMs.push_back(timeMs([&] { gnuRan = runDiff(dir / "a.yaml", dir / "b.yaml", dir / "out.diff"); }));
  }
  std::size_t gnuHunks = 0;
  if (gnuRan) {
    std::ifstream in(dir / "out.diff");
    for (std::string line; std::getline(in, line);) gnuHunks += line.rfind("@@ ", 0) == 0 ? 1 : 0;
  }
  fs::remove_all(dir);

  // 3. The view: compare() until the result is shown, then painting.
  ui::DiffView view;
  view.resize(1400, 900);
  view.show();
  std::vector<double> shownMs;
  for (int i = 0; i < 7; ++i) {
    shownMs.push_back(timeMs([&] {
      const quint64 job = view.compare(request);
      while (view.shownJob() != job) QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents, 5);
    }));
  }
  view.openAllFolds();
  QCoreApplication::processEvents();
  ui::DiffPane* pane = view.rightPane();
  QImage frame(pane->viewport()->size(), QImage::Format_ARGB32_Premultiplied);
  std::vector<double> paintMs;
  const int maximum = pane->verticalScrollBar()->maximum();
  for (int i = 0; i < 60; ++i) {
    pane->verticalScrollBar()->setValue(maximum * i / 59);
    paintMs.push_back(timeMs([&] {
      QPainter painter(&frame);
      pane->viewport()->render(&painter);
      view.leftPane()->viewport()->render(&painter);
    }));
  }

  // 4. For scale: one side in a QTextDocument, a background per changed line.
  std::vector<double> documentMs;
  for (int i = 0; i < 5; ++i) {
    documentMs.push_back(timeMs([&] {
      QTextDocument document;
      QTextCursor cursor(&document);
      QTextBlockFormat plain, changed;
      changed.setBackground(QColor(0xF4, 0xE0, 0xDE));
      bool first = true;
      for (std::size_t r = 0; r < layout->right.size(); ++r) {
        if (!first) cursor.insertBlock();
        first = false;
        cursor.setBlockFormat(diff.rows[r].kind == core::DiffRowKind::Equal ? plain : changed);
        cursor.insertText(layout->right[r].text);
      }
      (void)document.size();  // lays the document out
    }));
  }

  const double ours = median(layoutMs);
  std::printf("\n%-58s %9s\n", "measurement (median)", "ms");
  std::printf("%-58s %9.2f\n", "texts -> laid-out model (diff + rows + highlights), worker", ours);
  std::printf("%-58s %9.2f\n", "  of which core::diffTexts alone", median(diffOnlyMs));
  if (gnuRan) {
    const double gnu = median(gnuMs);
    std::printf("%-58s %9.2f\n", "GNU diff -u, whole program (spawn, read, diff, write)", gnu);
    std::printf("%-58s %9.2f\n", "ratio podscope / GNU diff -u", ours / gnu);
    std::printf("hunks: podscope %zu, diff -u %zu\n", diff.hunks.size(), gnuHunks);
  } else {
    std::printf("GNU diff could not be run: no reference figure\n");
  }
  std::printf("%-58s %9.2f\n", "DiffView::compare() to the result shown", median(shownMs));
  std::printf("%-58s %9.2f\n", "paint one frame of both panes (1400x900, folds open)", median(paintMs));
  std::printf("%-58s %9.2f\n", "one side in a QTextDocument with line backgrounds", median(documentMs));
  std::printf("target: texts -> model under 100 ms: %s\n", ours < 100.0 ? "met" : "NOT met");
  return ours < 100.0 ? 0 : 1;
}
