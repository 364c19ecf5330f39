// DiffView and its panes with QTest input: rows and highlights for a known
// pair (in the model and in the pixels), folds opening on click and on
// Enter, panes scrolling together, stepping through changes by button and
// key, the unified view, Copy as Patch, a stale job's result dropped, and
// pictures in the light and dark themes (kept when PODSCOPE_UI_SCREENSHOTS
// names a folder). DiffDisplay is tested on its own first.

#include "ui/diff_view.h"

#include <gtest/gtest.h>

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QElapsedTimer>
#include <QImage>
#include <QScrollBar>
#include <QSignalSpy>
#include <QTest>
#include <QThread>
#include <QWheelEvent>

#include <functional>
#include <string>

#include "core/manifest_reader.h"
#include "core/template_diff.h"
#include "ui/diff_pane.h"
#include "ui/theme.h"
#include "ui_test_support.h"

namespace podscope::ui {
namespace {

/// Runs the event loop until `done` or the timeout.
bool waitFor(const std::function<bool()>& done, int timeoutMs = 10000) {
  QElapsedTimer clock;
  clock.start();
  while (!done()) {
    if (clock.elapsed() > timeoutMs) return false;
    QCoreApplication::processEvents(QEventLoop::AllEvents, 10);
    QThread::msleep(1);
  }
  return true;
}

std::string numbered(int count) {
  std::string s;
  for (int i = 1; i <= count; ++i) s += "key" + std::to_string(i) + ": value " + std::to_string(i) + "\n";
  return s;
}

/// `text` with line `line` (1-based) replaced.
std::string withLine(std::string text, int line, const std::string& replacement) {
  std::size_t start = 0;
  for (int i = 1; i < line; ++i) start = text.find('\n', start) + 1;
  const std::size_t end = text.find('\n', start);
  return text.replace(start, end - start, replacement);
}

const char kDeployment[] = R"(apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: web
        image: @IMAGE@
        env:
        - name: LOG_LEVEL
          value: @LEVEL@
)";

core::PodTemplateSpec templateWith(const std::string& image, const std::string& level) {
  std::string yaml = kDeployment;
  yaml.replace(yaml.find("@IMAGE@"), 7, image);
  yaml.replace(yaml.find("@LEVEL@"), 7, level);
  const core::Manifest m = core::readManifest(yaml, "web.yaml");
  EXPECT_FALSE(m.hasErrors());
  if (m.documents.empty() || !m.documents[0].deployment) return {};
  return m.documents[0].deployment->spec.podTemplate;
}

const std::string kOldTemplate =
    "metadata:\n"
    "  labels:\n"
    "    app: web\n"
    "spec:\n"
    "  containers:\n"
    "  - name: web\n"
    "    image: nginx:1.18\n"
    "    env:\n"
    "    - name: GREETING\n"
    "      value: grüße 1.18\n"
    "    - name: LOG_LEVEL\n"
    "      value: info\n";
const std::string kNewTemplate =
    "metadata:\n"
    "  labels:\n"
    "    app: web\n"
    "spec:\n"
    "  containers:\n"
    "  - name: web\n"
    "    image: nginx:1.20.1\n"
    "    env:\n"
    "    - name: GREETING\n"
    "      value: grüße 1.20\n"
    "    - name: LOG_LEVEL\n"
    "      value: debug\n"
    "    readinessProbe:\n"
    "      httpGet: {path: /ready, port: 80}\n";

DiffRequest knownPair() {
  DiffRequest request;
  request.left = {QStringLiteral("Revision 2 · nginx:1.18"), kOldTemplate, std::nullopt};
  request.right = {QStringLiteral("Revision 3 · nginx:1.20.1"), kNewTemplate, std::nullopt};
  request.summary = QStringLiteral("image nginx:1.18 → nginx:1.20.1");
  request.context = 10;  // no folds: every row is a display line
  return request;
}

DiffRequest longPair(int lines, const std::vector<int>& changedLines) {
  DiffRequest request;
  request.left.title = QStringLiteral("Revision 1");
  request.right.title = QStringLiteral("Revision 2");
  request.left.text = numbered(lines);
  request.right.text = request.left.text;
  for (int line : changedLines) request.right.text = withLine(request.right.text, line, "changed: " + std::to_string(line));
  return request;
}

/// How far apart two colours are, channel by channel.
int distance(QColor a, QColor b) {
  return std::abs(a.red() - b.red()) + std::abs(a.green() - b.green()) + std::abs(a.blue() - b.blue());
}

// ---------------------------------------------------------------------------
// DiffDisplay on its own.

TEST(DiffDisplay, FoldsCloseUnchangedStretchesUntilOpened) {
  const core::TextDiff diff = core::diffTexts(numbered(40), withLine(numbered(40), 20, "changed"));
  ASSERT_EQ(diff.folds.size(), 2u);
  const DiffDisplay closed = DiffDisplay::build(diff, false, {});
  ASSERT_EQ(closed.lines.size(), 1u + 7u + 1u);
  EXPECT_EQ(closed.lines[0].type, DisplayLine::Type::Fold);
  EXPECT_EQ(closed.lines[8].type, DisplayLine::Type::Fold);
  ASSERT_EQ(closed.changeLines, (std::vector<int>{4}));
  EXPECT_EQ(closed.lines[4].index, 19);

  const DiffDisplay open = DiffDisplay::build(diff, false, {0});
  EXPECT_EQ(open.lines.size(), 16u + 7u + 1u);
  EXPECT_EQ(open.changeLines, (std::vector<int>{19}));
  EXPECT_EQ(open.lineOfRow(diff, 19), 19);
  EXPECT_EQ(open.lineOfRow(diff, 30), 23);  // inside the second fold: the fold's line

  const DiffDisplay unified = DiffDisplay::build(diff, true, {});
  ASSERT_EQ(unified.lines.size(), 1u + 8u + 1u);  // the change shows as a removed and an added line
  EXPECT_EQ(unified.lines[4].type, DisplayLine::Type::Unified);
  EXPECT_EQ(diff.unified[static_cast<std::size_t>(unified.lines[4].index)].side, core::UnifiedLine::Side::Left);
  EXPECT_EQ(diff.unified[static_cast<std::size_t>(unified.lines[5].index)].side, core::UnifiedLine::Side::Right);
}

TEST(DiffLayout, HighlightsAreInUtf16AndControlCharactersShow) {
  DiffRequest request;
  request.left.text = "note: ünï 😀 1.18\tend\n";
  request.right.text = "note: ünï 😀 1.20\tend\n";
  const auto layout = layoutDiff(request, 1);
  ASSERT_EQ(layout->left.size(), 1u);
  // "note: ünï 😀 " is 13 UTF-16 units (the emoji is two) and 17 bytes.
  EXPECT_EQ(layout->left[0].highlights, (QVector<QPair<int, int>>{{15, 17}}));
  EXPECT_EQ(layout->right[0].text.mid(15, 2), QStringLiteral("20"));
  EXPECT_EQ(layout->left[0].text.at(17), QChar(0x2192));  // the tab
}

TEST(DiffLayout, TitlesNameTheRevisionAndItsImages) {
  EXPECT_EQ(revisionTitle(2, templateWith("nginx:1.18", "info")), QStringLiteral("Revision 2 · nginx:1.18"));
}

// ---------------------------------------------------------------------------
// The widget.

class DiffViewTest : public ::testing::Test {
 protected:
  void SetUp() override {
    m_view.resize(1100, 520);
    m_view.show();
    ASSERT_TRUE(QTest::qWaitForWindowExposed(&m_view));
  }

  void compareAndWait(DiffRequest request) {
    const quint64 job = m_view.compare(std::move(request));
    ASSERT_TRUE(waitFor([&] { return m_view.shownJob() == job; })) << "no result for job " << job;
  }

  DiffView m_view;
};

TEST_F(DiffViewTest, ShowsAlignedRowsWithHighlightsForAKnownPair) {
  compareAndWait(knownPair());
  const auto layout = m_view.layout();
  ASSERT_TRUE(layout);
  EXPECT_EQ(m_view.leftTitle(), QStringLiteral("Revision 2 · nginx:1.18"));
  EXPECT_EQ(m_view.rightTitle(), QStringLiteral("Revision 3 · nginx:1.20.1"));
  EXPECT_EQ(m_view.summaryText(), QStringLiteral("image nginx:1.18 → nginx:1.20.1"));
  EXPECT_EQ(m_view.countsText(), QStringLiteral("3 changes · +5 −3"));

  // Rows: the image and env values change in place; the probe is new, with
  // filler on the left.
  QStringList kinds;
  for (const core::DiffRow& row : layout->diff.rows) kinds << QString::fromUtf8(core::toString(row.kind).data());
  EXPECT_EQ(kinds, (QStringList{"equal", "equal", "equal", "equal", "equal", "equal", "changed", "equal", "equal",
                                "changed", "equal", "changed", "added", "added"}));
  EXPECT_EQ(layout->left[6].highlights, (QVector<QPair<int, int>>{{19, 21}}));  // "18"
  EXPECT_EQ(layout->right[6].highlights, (QVector<QPair<int, int>>{{19, 23}}));  // "20.1"
  EXPECT_EQ(layout->right[9].highlights, (QVector<QPair<int, int>>{{21, 23}}));  // after "grüße 1.", in UTF-16
  EXPECT_EQ(layout->diff.rows[9].right.highlights, (std::vector<core::ByteRange>{{23, 25}}));  // in bytes
  EXPECT_EQ(layout->left[12].number, 0);
  EXPECT_EQ(layout->right[12].number, 13);

  // And in the pixels: the changed row's ground, the changed word's, and
  // hatched filler where the left side has no line.
  const QImage left = m_view.leftPane()->viewport()->grab().toImage();
  const QImage right = m_view.rightPane()->viewport()->grab().toImage();
  const DiffColors colors = diffColors(m_view.rightPane()->palette());
  DiffPane* pane = m_view.rightPane();
  const QRect row = pane->lineRect(6);
  EXPECT_LE(distance(right.pixel(right.width() - 4, row.center().y()), colors.addedLine), 3);
  EXPECT_LE(distance(left.pixel(left.width() - 4, row.center().y()), colors.removedLine), 3);
  const QFontMetricsF fm(pane->font());
  const QString& text = layout->right[6].text;
  const int wordX = pane->textLeft() + static_cast<int>(fm.horizontalAdvance(text.left(19))) + 1;
  const QColor word(right.pixel(wordX, row.top() + 2));
  EXPECT_LT(distance(word, colors.addedWord), distance(word, colors.addedLine));
  const QRect filler = m_view.leftPane()->lineRect(12);
  bool hatched = false;
  for (int x = m_view.leftPane()->gutterWidth(); x < left.width() && !hatched; ++x) {
    hatched = distance(left.pixel(x, filler.center().y()), colors.fillerHatch) <= 3;
  }
  EXPECT_TRUE(hatched);
}

TEST_F(DiffViewTest, AFoldOpensOnClickAndOnEnter) {
  compareAndWait(longPair(200, {100}));
  const DiffDisplay& before = m_view.display();
  ASSERT_EQ(before.lines.size(), 9u);  // fold, 3 + change + 3, fold
  ASSERT_EQ(before.lines[0].type, DisplayLine::Type::Fold);
  EXPECT_EQ(m_view.layout()->diff.folds[0].rowCount, 96);
  EXPECT_EQ(DiffPane::foldText(96), QStringLiteral("⋯ 96 unchanged lines"));

  DiffPane* pane = m_view.rightPane();
  QTest::mouseClick(pane->viewport(), Qt::LeftButton, {}, pane->lineRect(0).center());
  ASSERT_EQ(m_view.display().lines.size(), 96u + 7u + 1u);
  EXPECT_EQ(m_view.display().lines[0].type, DisplayLine::Type::Row);
  EXPECT_EQ(m_view.display().lines[0].index, 0);
  EXPECT_EQ(m_view.display().lines.back().type, DisplayLine::Type::Fold);

  // The other fold, from the keyboard: End goes to it, Enter opens it.
  pane->setFocus();
  QTest::keyClick(pane, Qt::Key_End);
  EXPECT_EQ(m_view.currentLine(), 103);
  QTest::keyClick(pane, Qt::Key_Return);
  EXPECT_EQ(m_view.display().lines.size(), 200u);
  EXPECT_EQ(m_view.currentLine(), 103);  // still on the first line the fold hid
}

TEST_F(DiffViewTest, PanesScrollTogether) {
  std::vector<int> changes;
  for (int line = 5; line < 600; line += 7) changes.push_back(line);
  DiffRequest request = longPair(600, changes);
  request.left.text = withLine(request.left.text, 300, "wide: " + std::string(400, 'x'));
  compareAndWait(request);
  DiffPane* left = m_view.leftPane();
  DiffPane* right = m_view.rightPane();
  ASSERT_GT(right->verticalScrollBar()->maximum(), 200);
  right->verticalScrollBar()->setValue(200);
  EXPECT_EQ(left->verticalScrollBar()->value(), 200);
  left->verticalScrollBar()->setValue(120);
  EXPECT_EQ(right->verticalScrollBar()->value(), 120);

  ASSERT_GT(left->horizontalScrollBar()->maximum(), 0);
  EXPECT_EQ(left->horizontalScrollBar()->maximum(), right->horizontalScrollBar()->maximum());
  left->horizontalScrollBar()->setValue(150);
  EXPECT_EQ(right->horizontalScrollBar()->value(), 150);

  // The wheel over the left pane, whose own bar is hidden, moves both.
  const QPoint at = left->viewport()->rect().center();
  QWheelEvent wheel(at, left->viewport()->mapToGlobal(at), QPoint(), QPoint(0, -120), Qt::NoButton, Qt::NoModifier,
                    Qt::NoScrollPhase, false);
  QApplication::sendEvent(left->viewport(), &wheel);
  EXPECT_GT(right->verticalScrollBar()->value(), 120);
  EXPECT_EQ(left->verticalScrollBar()->value(), right->verticalScrollBar()->value());
}

TEST_F(DiffViewTest, NextAndPreviousMoveBetweenChanges) {
  compareAndWait(longPair(300, {20, 150, 280}));
  const std::vector<int> lines = m_view.display().changeLines;
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_EQ(m_view.currentChange(), -1);
  EXPECT_TRUE(m_view.nextAction()->isEnabled());
  EXPECT_FALSE(m_view.previousAction()->isEnabled());

  m_view.nextAction()->trigger();
  EXPECT_EQ(m_view.currentChange(), 0);
  EXPECT_EQ(m_view.currentLine(), lines[0]);

  // The keys work while the diff has focus.
  m_view.activateWindow();
  ASSERT_TRUE(QTest::qWaitForWindowActive(&m_view));
  m_view.rightPane()->setFocus();
  ASSERT_TRUE(waitFor([&] { return m_view.rightPane()->hasFocus(); }));
  QTest::keyClick(m_view.rightPane(), Qt::Key_Down, Qt::AltModifier);
  EXPECT_EQ(m_view.currentChange(), 1);
  QTest::keyClick(m_view.rightPane(), Qt::Key_F8);
  EXPECT_EQ(m_view.currentChange(), 2);
  EXPECT_FALSE(m_view.nextAction()->isEnabled());
  DiffPane* pane = m_view.rightPane();
  EXPECT_GE(m_view.currentLine(), pane->firstVisibleLine());
  EXPECT_LT(m_view.currentLine(), pane->firstVisibleLine() + pane->visibleLineCount());

  QTest::keyClick(m_view.rightPane(), Qt::Key_Up, Qt::AltModifier);
  EXPECT_EQ(m_view.currentChange(), 1);
  QTest::keyClick(m_view.rightPane(), Qt::Key_F8, Qt::ShiftModifier);
  EXPECT_EQ(m_view.currentChange(), 0);
  EXPECT_FALSE(m_view.previousAction()->isEnabled());
}

TEST_F(DiffViewTest, UnifiedViewListsRemovedLinesThenAddedOnes) {
  compareAndWait(knownPair());
  m_view.nextAction()->trigger();
  const int row = m_view.display().lines[static_cast<std::size_t>(m_view.currentLine())].index;
  m_view.unifiedAction()->trigger();
  ASSERT_TRUE(m_view.isUnified());
  EXPECT_TRUE(m_view.unifiedPane()->isVisible());
  EXPECT_FALSE(m_view.rightPane()->isVisible());
  const auto layout = m_view.layout();
  const DiffDisplay& display = m_view.display();
  QStringList signs;
  for (const DisplayLine& line : display.lines) {
    ASSERT_EQ(line.type, DisplayLine::Type::Unified);
    switch (layout->diff.unified[static_cast<std::size_t>(line.index)].side) {
      case core::UnifiedLine::Side::Both: signs << " "; break;
      case core::UnifiedLine::Side::Left: signs << "-"; break;
      case core::UnifiedLine::Side::Right: signs << "+"; break;
    }
  }
  EXPECT_EQ(signs.join(QString()), QStringLiteral("      -+  -+ -+++"));
  // Still on the same change.
  EXPECT_EQ(m_view.currentChange(), 0);
  EXPECT_EQ(layout->diff.unified[static_cast<std::size_t>(display.lines[static_cast<std::size_t>(m_view.currentLine())].index)].row,
            row);

  m_view.unifiedAction()->trigger();
  EXPECT_FALSE(m_view.isUnified());
  EXPECT_TRUE(m_view.rightPane()->isVisible());
  EXPECT_EQ(m_view.display().lines.size(), layout->diff.rows.size());
}

TEST_F(DiffViewTest, CopyAsPatchPutsThePatchOnTheClipboard) {
  compareAndWait(knownPair());
  QApplication::clipboard()->clear();
  m_view.copyPatchAction()->trigger();
  const QString copied = QApplication::clipboard()->text();
  EXPECT_TRUE(copied.startsWith(QStringLiteral("--- a/pod-template.yaml\n+++ b/pod-template.yaml\n@@ -1,12 +1,14 @@\n")))
      << copied.toStdString();
  EXPECT_TRUE(copied.contains(QStringLiteral("\n-    image: nginx:1.18\n+    image: nginx:1.20.1\n")));
  EXPECT_TRUE(copied.contains(QStringLiteral("+      value: grüße 1.20\n")));
  EXPECT_EQ(copied,
            QString::fromStdString(core::unifiedPatch(kOldTemplate, kNewTemplate, "pod-template.yaml", "pod-template.yaml", 10)));
}

TEST_F(DiffViewTest, AStaleJobsResultIsDropped) {
  QSignalSpy shown(&m_view, &DiffView::compared);
  // A large comparison, then a small one before the first can come back.
  const quint64 first = m_view.compare(longPair(20000, {10, 5000, 15000}));
  const quint64 second = m_view.compare(knownPair());
  EXPECT_TRUE(m_view.isBusy());
  ASSERT_TRUE(waitFor([&] { return m_view.pendingJobs() == 0; }));
  EXPECT_FALSE(m_view.isBusy());
  EXPECT_EQ(m_view.shownJob(), second);
  ASSERT_EQ(shown.count(), 1);
  EXPECT_EQ(shown.at(0).at(0).value<quint64>(), second);
  EXPECT_NE(first, second);
  EXPECT_EQ(m_view.leftTitle(), QStringLiteral("Revision 2 · nginx:1.18"));
  EXPECT_EQ(m_view.layout()->diff.leftLineCount, 12);
}

TEST_F(DiffViewTest, TemplatesGiveTheStructuralSummary) {
  DiffRequest request = knownPair();
  request.summary.clear();
  request.left.podTemplate = templateWith("nginx:1.18", "info");
  request.right.podTemplate = templateWith("nginx:1.20.1", "debug");
  compareAndWait(request);
  EXPECT_EQ(m_view.summaryText().toStdString(), "image nginx:1.18 → nginx:1.20.1; env LOG_LEVEL changed");
}

TEST_F(DiffViewTest, IdenticalRevisionsSayThereIsNoDifference) {
  DiffRequest request = knownPair();
  request.right.text = request.left.text;
  compareAndWait(request);
  EXPECT_EQ(m_view.countsText(), QStringLiteral("No differences"));
  EXPECT_FALSE(m_view.nextAction()->isEnabled());
  EXPECT_FALSE(m_view.copyPatchAction()->isEnabled());
  EXPECT_TRUE(m_view.patch().isEmpty());
}

/// With PODSCOPE_UI_SCREENSHOTS set to a folder, keeps a picture there.
void keepPicture(QWidget& widget, const QString& name) {
  const QString dir = qEnvironmentVariable("PODSCOPE_UI_SCREENSHOTS");
  if (dir.isEmpty()) return;
  QCoreApplication::processEvents();
  EXPECT_TRUE(widget.grab().save(dir + QLatin1Char('/') + name + QStringLiteral(".png"))) << name.toStdString();
}

TEST_F(DiffViewTest, ColoursHoldInLightAndDarkThemes) {
  DiffRequest request = knownPair();
  // Enough unchanged lines around the changes for folds to show.
  request.left.text = numbered(30) + kOldTemplate + numbered(30);
  request.right.text = numbered(30) + kNewTemplate + numbered(30);
  request.right.text = withLine(request.right.text, 5, "key5: value five");
  request.summary = QStringLiteral("image nginx:1.18 → nginx:1.20.1; readinessProbe added; env LOG_LEVEL changed");
  compareAndWait(request);
  m_view.nextAction()->trigger();
  m_view.nextAction()->trigger();
  for (Theme theme : {Theme::Light, Theme::Dark}) {
    applyTheme(theme);
    QCoreApplication::processEvents();
    const bool dark = theme == Theme::Dark;
    const DiffColors colors = diffColors(m_view.rightPane()->palette());
    EXPECT_EQ(colors.base.lightness() < 128, dark);
    // Removed is reddish and added greenish on either ground, and text
    // stands out from both.
    EXPECT_GT(colors.removedLine.red(), colors.removedLine.green());
    EXPECT_GT(colors.addedLine.green(), colors.addedLine.red());
    EXPECT_GT(std::abs(colors.text.lightness() - colors.removedWord.lightness()), 90);
    EXPECT_GT(std::abs(colors.text.lightness() - colors.addedWord.lightness()), 90);
    const QImage right = m_view.rightPane()->viewport()->grab().toImage();
    EXPECT_EQ(QColor(right.pixel(right.width() - 4, 2)).lightness() < 128, dark);
    keepPicture(m_view, dark ? QStringLiteral("diff-view-dark") : QStringLiteral("diff-view-light"));
    m_view.unifiedAction()->trigger();
    keepPicture(m_view, dark ? QStringLiteral("diff-view-unified-dark") : QStringLiteral("diff-view-unified-light"));
    m_view.unifiedAction()->trigger();
  }
  applyTheme(Theme::System);
}

}  // namespace
}  // namespace podscope::ui
