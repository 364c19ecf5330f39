#include "ui/manifest_editor.h"

#include <gtest/gtest.h>

#include <QAbstractItemModelTester>
#include <QAction>
#include <QApplication>
#include <QInputDialog>
#include <QLineEdit>
#include <QSignalSpy>
#include <QTest>
#include <QTreeView>

#include "ui/find_bar.h"
#include "ui/problems_model.h"
#include "ui/problems_view.h"
#include "ui_test_support.h"

// GoogleTest messages (`<< text`) print a QString as its text.
inline std::ostream& operator<<(std::ostream& out, const QString& text) { return out << text.toStdString(); }

namespace podscope::ui {
namespace {

constexpr int kAnalysisTimeoutMs = 5000;

const QString kPod = QStringLiteral(
    "apiVersion: v1\n"            // 1
    "kind: Pod\n"                 // 2
    "metadata:\n"                 // 3
    "  name: web\n"               // 4
    "spec:\n"                     // 5
    "  restartPolicy: Never\n"    // 6
    "  containers:\n"             // 7
    "  - name: app\n"             // 8
    "    image: busybox:1.36\n"   // 9
    "    livenessProbe:\n"        // 10
    "      exec:\n"               // 11
    "        command: [cat, /tmp/ok]\n"  // 12
    "      initialDelaySeconds: 60\n");  // 13

int rowWithRule(const ProblemsModel& model, const QString& rule) {
  for (int row = 0; row < model.rowCount(); ++row) {
    if (model.index(row, 0).data(ProblemsModel::RuleRole).toString() == rule) return row;
  }
  return -1;
}

class ManifestEditorTest : public ::testing::Test {
 protected:
  void SetUp() override {
    m_editor.resize(800, 600);
    m_editor.show();
    ASSERT_TRUE(QTest::qWaitForWindowExposed(&m_editor));
    m_editor.activateWindow();
    m_editor.setFocus();
  }

  /// Replaces the text and waits until its findings are shown.
  void load(const QString& text) {
    m_editor.setText(text);
    waitForFindings();
  }

  /// Waits until the findings shown describe the text as it is now.
  void waitForFindings() {
    ASSERT_TRUE(QTest::qWaitFor([&] { return m_editor.analyzer()->isCurrent() && !m_editor.analyzer()->isBusy(); },
                                kAnalysisTimeoutMs));
  }

  /// Puts the cursor at the end of a 1-based line.
  void cursorToEndOf(int line) {
    m_editor.setCursorPosition(line - 1, m_editor.text(line - 1).trimmed().size() +
                                             m_editor.indentation(line - 1));
  }

  ManifestEditor m_editor;
};

TEST_F(ManifestEditorTest, TypingAMistakeUnderlinesItMarksTheMarginAndListsIt) {
  load(kPod);
  const ProblemsModel& problems = *m_editor.problemsModel();
  EXPECT_EQ(rowWithRule(problems, QStringLiteral("unsupported-value")), -1);

  // "restartPolicy: Never" becomes "restartPolicy: Nevers", one key at a time.
  cursorToEndOf(6);
  QSignalSpy shown(&m_editor, &ManifestEditor::diagnosticsShown);
  QTest::keyClick(&m_editor, Qt::Key_S);
  EXPECT_TRUE(m_editor.text(5).startsWith(QStringLiteral("  restartPolicy: Nevers")));
  QTRY_VERIFY_WITH_TIMEOUT(m_editor.markerOn(5) == core::Severity::Error, kAnalysisTimeoutMs);
  EXPECT_GE(shown.size(), 1);

  const int row = [&] {
    for (int r = 0; r < problems.rowCount(); ++r) {
      if (problems.index(r, 0).data(ProblemsModel::LineRole).toInt() == 6) return r;
    }
    return -1;
  }();
  ASSERT_GE(row, 0);
  const QModelIndex message = problems.index(row, ProblemsModel::MessageColumn);
  EXPECT_TRUE(message.data().toString().contains(QStringLiteral("Nevers"))) << message.data().toString();
  EXPECT_EQ(problems.index(row, ProblemsModel::LocationColumn).data().toString(), QStringLiteral("6:18"));

  // The underline covers the value, not the key.
  EXPECT_EQ(m_editor.underlineAt(5, 18), core::Severity::Error);
  EXPECT_FALSE(m_editor.underlineAt(5, 4).has_value());
  // Hovering the value shows the finding with its rule.
  const QString hover = m_editor.hoverText(5, 18);
  EXPECT_TRUE(hover.contains(QStringLiteral("Nevers"))) << hover;
  EXPECT_TRUE(hover.contains(problems.index(row, ProblemsModel::RuleColumn).data().toString())) << hover;

  // Fixing it clears the underline, the marker and the row.
  QTest::keyClick(&m_editor, Qt::Key_Backspace);
  QTRY_VERIFY_WITH_TIMEOUT(!m_editor.markerOn(5).has_value(), kAnalysisTimeoutMs);
  EXPECT_FALSE(m_editor.underlineAt(5, 18).has_value());
}

TEST_F(ManifestEditorTest, WarningsAndNotesGetTheirOwnSeverity) {
  // preStop outliving the grace period is a warning, not an error.
  load(QStringLiteral("apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n"
                      "  terminationGracePeriodSeconds: 5\n  containers:\n  - name: app\n    image: busybox:1.36\n"
                      "    lifecycle:\n      preStop:\n        exec:\n          command: [sleep, \"100\"]\n"));
  const ProblemsModel& problems = *m_editor.problemsModel();
  ASSERT_GT(problems.count(core::Severity::Warning), 0);
  EXPECT_EQ(problems.count(core::Severity::Error), 0);
  const int row = [&] {
    for (int r = 0; r < problems.rowCount(); ++r) {
      if (problems.index(r, 0).data(ProblemsModel::SeverityRole).toInt() == static_cast<int>(core::Severity::Warning)) {
        return r;
      }
    }
    return -1;
  }();
  const int line = problems.index(row, 0).data(ProblemsModel::LineRole).toInt();
  EXPECT_EQ(m_editor.markerOn(line - 1), core::Severity::Warning);
}

TEST_F(ManifestEditorTest, ResultsForOlderTextAreNeverShown) {
  load(kPod);
  cursorToEndOf(4);
  // Every result delivered must be for the text as it is at that moment.
  int delivered = 0;
  int stale = 0;
  QObject context;
  QObject::connect(m_editor.analyzer(), &ManifestAnalyzer::analyzed, &context,
                   [&](const std::shared_ptr<const Analysis>& analysis) {
                     ++delivered;
                     if (analysis->generation != m_editor.analyzer()->generation()) ++stale;
                   });
  m_editor.analyzer()->setDelay(1);
  for (int i = 0; i < 30; ++i) {
    QTest::keyClick(&m_editor, Qt::Key_X);
    // Let some reads start and finish in between, as they would while typing.
    if (i % 3 == 0) QTest::qWait(2);
  }
  waitForFindings();
  EXPECT_GE(delivered, 1);
  EXPECT_EQ(stale, 0);
  EXPECT_EQ(m_editor.analyzer()->latest()->generation, m_editor.analyzer()->generation());
  EXPECT_TRUE(m_editor.text(3).startsWith(QStringLiteral("  name: web") + QString(30, QLatin1Char('x'))));
}

TEST_F(ManifestEditorTest, TabsAreFlaggedAndTheTabKeyInsertsSpaces) {
  load(QStringLiteral("apiVersion: v1\nkind: Pod\nmetadata:\n\tname: web\n"));
  const ProblemsModel& problems = *m_editor.problemsModel();
  const int row = rowWithRule(problems, QStringLiteral("yaml-syntax")) >= 0
                      ? rowWithRule(problems, QStringLiteral("yaml-syntax"))
                      : rowWithRule(problems, QStringLiteral("tab-indentation"));
  ASSERT_GE(row, 0);
  EXPECT_EQ(problems.index(row, 0).data(ProblemsModel::LineRole).toInt(), 4);
  EXPECT_EQ(m_editor.underlineAt(3, 0), core::Severity::Error);
  EXPECT_TRUE(m_editor.hoverText(3, 0).contains(QStringLiteral("tab"))) << m_editor.hoverText(3, 0);

  load(QStringLiteral("apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\n  labels: {a: \"b\tc\"}\n"));
  const int note = rowWithRule(problems, QStringLiteral("tab-character"));
  ASSERT_GE(note, 0);
  EXPECT_EQ(problems.index(note, 0).data(ProblemsModel::MessageRole).toString(),
            QStringLiteral("tab character: YAML indentation must use spaces; this one is inside the text, "
                           "where it is kept as written"));

  m_editor.setText(QStringLiteral("spec:\n"));
  m_editor.setCursorPosition(1, 0);
  QTest::keyClick(&m_editor, Qt::Key_Tab);
  QTest::keyClicks(&m_editor, QStringLiteral("x"));
  EXPECT_EQ(m_editor.text(), QStringLiteral("spec:\n  x"));
}

TEST_F(ManifestEditorTest, ClickingAProblemPutsTheCursorOnItAndFocusesTheEditor) {
  QWidget window;
  auto* view = new ProblemsView(&window);
  view->resize(600, 200);
  window.resize(600, 200);
  window.show();
  ASSERT_TRUE(QTest::qWaitForWindowExposed(&window));
  view->setEditor(&m_editor);
  EXPECT_EQ(view->title(), QStringLiteral("Problems (0)"));

  QString text = kPod;
  text.replace(QStringLiteral("    image: busybox:1.36\n"), QStringLiteral("    image: busybox:1.36\n    imagePolicy: Always\n"));
  load(text);
  const ProblemsModel& problems = *m_editor.problemsModel();
  const int row = rowWithRule(problems, QStringLiteral("unknown-field"));
  ASSERT_GE(row, 0);
  EXPECT_EQ(view->title(), QStringLiteral("Problems (%1)").arg(problems.rowCount()));

  m_editor.setCursorPosition(0, 0);
  window.activateWindow();
  view->view()->setFocus();
  QSignalSpy activated(view, &ProblemsView::problemActivated);
  const QModelIndex index = view->view()->model()->index(row, ProblemsModel::MessageColumn);
  view->view()->scrollTo(index);
  QTest::mouseClick(view->view()->viewport(), Qt::LeftButton, {}, view->view()->visualRect(index).center());
  ASSERT_EQ(activated.size(), 1);
  EXPECT_EQ(activated.front().at(0).toInt(), 10);
  EXPECT_EQ(activated.front().at(1).toInt(), 5);
  int line = -1, index0 = -1;
  m_editor.getCursorPosition(&line, &index0);
  EXPECT_EQ(line, 9);
  EXPECT_EQ(index0, 4);
  QTRY_VERIFY(m_editor.hasFocus());
}

TEST(ProblemsModelTest, PassesTheModelTesterThroughChanges) {
  ProblemsModel model;
  QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
  core::Diagnostic error;
  error.severity = core::Severity::Error;
  error.range = {{3, 5}, {3, 9}};
  error.rule = "unknown-field";
  error.message = "unknown field \"spec.x\"";
  core::Diagnostic note;
  note.severity = core::Severity::Info;
  note.rule = "not-run";
  note.message = "Service \"web\" is kept but not run";
  model.setDiagnostics({error, note});
  ASSERT_EQ(model.rowCount(), 2);
  EXPECT_EQ(model.columnCount(), ProblemsModel::ColumnCount);
  EXPECT_EQ(model.index(0, ProblemsModel::LocationColumn).data().toString(), QStringLiteral("3:5"));
  EXPECT_EQ(model.index(1, ProblemsModel::LocationColumn).data().toString(), QStringLiteral("—"));
  EXPECT_EQ(model.index(0, ProblemsModel::SeverityColumn).data().toString(), QStringLiteral("Error"));
  EXPECT_FALSE(model.index(0, ProblemsModel::SeverityColumn).data(Qt::DecorationRole).value<QIcon>().isNull());
  EXPECT_EQ(model.index(0, ProblemsModel::RuleColumn).data().toString(), QStringLiteral("unknown-field"));
  EXPECT_EQ(model.count(core::Severity::Info), 1);

  QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
  model.setDiagnostics({error, note});
  EXPECT_EQ(reset.size(), 0) << "the same rows are not a change";
  model.setDiagnostics({note});
  EXPECT_EQ(reset.size(), 1);
  model.setDiagnostics({});
  EXPECT_EQ(model.rowCount(), 0);
}

TEST_F(ManifestEditorTest, CompletionOffersTheFieldsOfAContainerInsideAListItem) {
  m_editor.setText(QStringLiteral("apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n"
                                  "  - name: app\n    "));
  m_editor.setCursorPosition(7, 4);
  QTest::keyClick(&m_editor, Qt::Key_Space, Qt::ControlModifier);
  ASSERT_TRUE(m_editor.isListActive());
  const QStringList labels = m_editor.completionLabels();
  EXPECT_TRUE(labels.contains(QStringLiteral("image")));
  EXPECT_TRUE(labels.contains(QStringLiteral("livenessProbe")));
  EXPECT_FALSE(labels.contains(QStringLiteral("name"))) << "already written";
  EXPECT_FALSE(labels.contains(QStringLiteral("containers")));
  // The selected item's description is shown beside the list.
  EXPECT_FALSE(m_editor.completionInfo().isEmpty());

  // Typing narrows to livenessProbe; Enter inserts the key and opens its block.
  QTest::keyClicks(&m_editor, QStringLiteral("liv"));
  EXPECT_TRUE(m_editor.completionInfo().contains(QStringLiteral("livenessProbe"))) << m_editor.completionInfo();
  QTest::keyClick(&m_editor, Qt::Key_Return);
  EXPECT_FALSE(m_editor.isListActive());
  EXPECT_TRUE(m_editor.text().endsWith(QStringLiteral("  - name: app\n    livenessProbe:\n      ")))
      << m_editor.text();

  // Inside the probe: the probe's fields.
  QTest::keyClick(&m_editor, Qt::Key_Space, Qt::ControlModifier);
  ASSERT_TRUE(m_editor.isListActive());
  EXPECT_TRUE(m_editor.completionLabels().contains(QStringLiteral("periodSeconds")));
  EXPECT_TRUE(m_editor.completionLabels().contains(QStringLiteral("httpGet")));
  EXPECT_FALSE(m_editor.completionLabels().contains(QStringLiteral("image")));
  QTest::keyClick(&m_editor, Qt::Key_Escape);
  EXPECT_FALSE(m_editor.isListActive());
  EXPECT_TRUE(m_editor.completionInfo().isEmpty());
}

TEST_F(ManifestEditorTest, CompletionOpensAtTheFirstLetterOfAKeyAndAfterAnEnumKey) {
  m_editor.setText(QStringLiteral("apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  "));
  m_editor.setCursorPosition(5, 2);
  QTest::keyClicks(&m_editor, QStringLiteral("r"));
  ASSERT_TRUE(m_editor.isListActive());
  ASSERT_FALSE(m_editor.completionLabels().isEmpty());
  EXPECT_EQ(m_editor.completionLabels().front(), QStringLiteral("restartPolicy"));
  EXPECT_TRUE(m_editor.completionLabels().contains(QStringLiteral("readinessGates")));
  EXPECT_FALSE(m_editor.completionLabels().contains(QStringLiteral("containers")));
  QTest::keyClick(&m_editor, Qt::Key_Return);
  // A key with a fixed set of values offers them at once.
  QTRY_VERIFY(m_editor.isListActive());
  EXPECT_EQ(m_editor.completionLabels(),
            (QStringList{QStringLiteral("Always"), QStringLiteral("OnFailure"), QStringLiteral("Never")}));
  QTest::keyClick(&m_editor, Qt::Key_Down);
  QTest::keyClick(&m_editor, Qt::Key_Return);
  EXPECT_EQ(m_editor.text(5), QStringLiteral("  restartPolicy: OnFailure"));

  // Typed by hand: the values show after "key: ".
  m_editor.setText(QStringLiteral("apiVersion: v1\nkind: Pod\nspec:\n  containers:\n  - name: app\n    ports:\n"
                                  "    - containerPort: 80\n      "));
  m_editor.setCursorPosition(7, 6);
  QTest::keyClicks(&m_editor, QStringLiteral("protocol:"));
  EXPECT_FALSE(m_editor.isListActive() && m_editor.completionLabels().contains(QStringLiteral("TCP")));
  QTest::keyClick(&m_editor, Qt::Key_Space);
  ASSERT_TRUE(m_editor.isListActive());
  EXPECT_EQ(m_editor.completionLabels(),
            (QStringList{QStringLiteral("SCTP"), QStringLiteral("TCP"), QStringLiteral("UDP")}));
}

TEST_F(ManifestEditorTest, EnterAfterAKeyThatOpensABlockIndents) {
  m_editor.setText(QStringLiteral("spec:\n  containers:\n  - name: app"));
  m_editor.setCursorPosition(2, 13);
  QTest::keyClick(&m_editor, Qt::Key_Return);
  QTest::keyClicks(&m_editor, QStringLiteral("image"));
  EXPECT_EQ(m_editor.text(3), QStringLiteral("    image"));
  m_editor.cancelList();
  m_editor.setText(QStringLiteral("spec:\n  containers:"));
  m_editor.setCursorPosition(1, 13);
  QTest::keyClick(&m_editor, Qt::Key_Return);
  int line = 0, index = 0;
  m_editor.getCursorPosition(&line, &index);
  EXPECT_EQ(line, 2);
  EXPECT_EQ(index, 4);
}

TEST_F(ManifestEditorTest, HoverOnAFieldShowsItsDescriptionAndDefaults) {
  load(kPod);
  // "restartPolicy" (line 6): the schema's words and default.
  const QString policy = m_editor.hoverText(5, 4);
  EXPECT_TRUE(policy.contains(QStringLiteral("When containers are restarted"))) << policy;
  EXPECT_TRUE(policy.contains(QStringLiteral("default: <code>Always</code>"))) << policy;
  // "livenessProbe" (line 10): the defaults the decoder applied inside it.
  const QString probe = m_editor.hoverText(9, 6);
  EXPECT_TRUE(probe.contains(QStringLiteral("periodSeconds: 10"))) << probe;
  EXPECT_TRUE(probe.contains(QStringLiteral("timeoutSeconds: 1"))) << probe;
  // The container item's key: its own defaults (imagePullPolicy for a tagged image).
  const QString name = m_editor.hoverText(7, 5);
  EXPECT_TRUE(name.contains(QStringLiteral("name"))) << name;
  // Not a key: nothing to say.
  EXPECT_TRUE(m_editor.hoverText(3, 10).isEmpty()) << m_editor.hoverText(3, 10);

  // While the text is newer than the findings, the schema still answers.
  m_editor.insertAt(QStringLiteral("# "), 0, 0);
  const QString fresh = m_editor.hoverText(5, 4);
  EXPECT_TRUE(fresh.contains(QStringLiteral("When containers are restarted"))) << fresh;
}

TEST_F(ManifestEditorTest, ToggleCommentCommentsAndUncommentsTheSelectedLines) {
  m_editor.setText(QStringLiteral("spec:\n  containers:\n  - name: app\n    image: busybox\n"));
  m_editor.setSelection(2, 3, 3, 5);
  QTest::keyClick(&m_editor, Qt::Key_Slash, Qt::ControlModifier);
  EXPECT_EQ(m_editor.text(), QStringLiteral("spec:\n  containers:\n  # - name: app\n  #   image: busybox\n"));
  QTest::keyClick(&m_editor, Qt::Key_Slash, Qt::ControlModifier);
  EXPECT_EQ(m_editor.text(), QStringLiteral("spec:\n  containers:\n  - name: app\n    image: busybox\n"));
  // Each toggle is one undo step.
  m_editor.undoAction()->trigger();
  EXPECT_EQ(m_editor.text(), QStringLiteral("spec:\n  containers:\n  # - name: app\n  #   image: busybox\n"));
  m_editor.undoAction()->trigger();
  EXPECT_EQ(m_editor.text(), QStringLiteral("spec:\n  containers:\n  - name: app\n    image: busybox\n"));
  m_editor.redoAction()->trigger();
  EXPECT_TRUE(m_editor.text().contains(QStringLiteral("# - name: app")));

  // Without a selection: the cursor's line.
  m_editor.setText(QStringLiteral("a: 1\nb: 2\n"));
  m_editor.setCursorPosition(1, 1);
  m_editor.toggleCommentAction()->trigger();
  EXPECT_EQ(m_editor.text(), QStringLiteral("a: 1\n# b: 2\n"));
}

TEST_F(ManifestEditorTest, GoToLineAsksForALineAndMovesThere) {
  m_editor.setText(kPod);
  QTest::keyClick(&m_editor, Qt::Key_G, Qt::ControlModifier);
  QInputDialog* dialog = nullptr;
  QTRY_VERIFY((dialog = m_editor.findChild<QInputDialog*>(QStringLiteral("goToLineDialog"))) != nullptr);
  EXPECT_EQ(dialog->intMaximum(), m_editor.lines());
  dialog->setIntValue(9);
  dialog->accept();
  int line = 0, index = 0;
  m_editor.getCursorPosition(&line, &index);
  EXPECT_EQ(line, 8);
  EXPECT_EQ(index, 4);  // at the text, past the indentation

  m_editor.goToLine(1000);
  m_editor.getCursorPosition(&line, &index);
  EXPECT_EQ(line, m_editor.lines() - 1);
}

TEST_F(ManifestEditorTest, FindAndReplace) {
  m_editor.setText(QStringLiteral("image: busybox\n# Busybox\nimage: busybox:1.36\n"));
  m_editor.setCursorPosition(0, 0);
  QTest::keyClick(&m_editor, Qt::Key_F, Qt::ControlModifier);
  FindBar* bar = m_editor.findBar();
  ASSERT_TRUE(bar->isVisible());
  bar->findEdit()->setText(QStringLiteral("busybox"));
  EXPECT_TRUE(bar->findNext());
  EXPECT_EQ(m_editor.selectedText(), QStringLiteral("busybox"));
  int line = 0, index = 0;
  m_editor.getCursorPosition(&line, &index);
  EXPECT_EQ(line, 0);
  // Case-insensitive by default: the comment's "Busybox" is next.
  EXPECT_TRUE(bar->findNext());
  m_editor.getCursorPosition(&line, &index);
  EXPECT_EQ(line, 1);
  bar->setMatchCase(true);
  EXPECT_TRUE(bar->findNext());
  m_editor.getCursorPosition(&line, &index);
  EXPECT_EQ(line, 2);
  EXPECT_TRUE(bar->findPrevious());
  m_editor.getCursorPosition(&line, &index);
  EXPECT_EQ(line, 0);

  // Ctrl+H takes the selected match as the text to find, like Ctrl+F.
  QTest::keyClick(&m_editor, Qt::Key_H, Qt::ControlModifier);
  ASSERT_TRUE(bar->isReplaceShown());
  EXPECT_EQ(bar->findEdit()->text(), QStringLiteral("busybox"));
  bar->setRegularExpression(true);
  bar->findEdit()->setText(QStringLiteral("busybox(:[0-9.]+)?$"));
  bar->replaceEdit()->setText(QStringLiteral("nginx:1.25"));
  EXPECT_EQ(bar->replaceAll(), 2);
  EXPECT_EQ(m_editor.text(), QStringLiteral("image: nginx:1.25\n# Busybox\nimage: nginx:1.25\n")) << m_editor.text();
  m_editor.undoAction()->trigger();
  EXPECT_EQ(m_editor.text(), QStringLiteral("image: busybox\n# Busybox\nimage: busybox:1.36\n"));

  bar->findEdit()->setText(QStringLiteral("kubelet"));
  EXPECT_FALSE(bar->findNext());
  EXPECT_EQ(bar->status(), QStringLiteral("No matches"));
  QTest::keyClick(bar->findEdit(), Qt::Key_Escape);
  EXPECT_FALSE(bar->isVisible());
}

TEST_F(ManifestEditorTest, EditActionsCarryTheirShortcuts) {
  const QList<QAction*> actions = m_editor.editActions();
  EXPECT_TRUE(actions.contains(m_editor.goToLineAction()));
  EXPECT_EQ(m_editor.goToLineAction()->shortcut(), QKeySequence(QStringLiteral("Ctrl+G")));
  EXPECT_EQ(m_editor.toggleCommentAction()->shortcut(), QKeySequence(QStringLiteral("Ctrl+/")));
  EXPECT_EQ(m_editor.completeAction()->shortcut(), QKeySequence(QStringLiteral("Ctrl+Space")));
  EXPECT_EQ(m_editor.findAction()->shortcut(), QKeySequence(QKeySequence::Find));
  EXPECT_EQ(m_editor.replaceAction()->shortcut(), QKeySequence(QStringLiteral("Ctrl+H")));
  EXPECT_EQ(m_editor.undoAction()->shortcut(), QKeySequence(QKeySequence::Undo));
  m_editor.setText(QStringLiteral("a: 1\n"));
  EXPECT_TRUE(m_editor.undoAction()->isEnabled());
  EXPECT_FALSE(m_editor.redoAction()->isEnabled());
}

}  // namespace
}  // namespace podscope::ui
