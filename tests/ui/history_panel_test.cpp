// The History tab against a real history file: the revisions as kubectl
// rollout history lists them, any two side by side with the structural
// summary, and a rollback that previews, asks and renumbers as kubectl
// rollout undo does.

#include "ui/history_panel.h"

#include <gtest/gtest.h>

#include <QAbstractItemModelTester>
#include <QComboBox>
#include <QItemSelectionModel>
#include <QLabel>
#include <QPushButton>
#include <QSignalSpy>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>

#include "ui/diff_layout.h"
#include "ui/diff_view.h"

namespace podscope::ui {
namespace {

std::string templateYaml(const std::string& image, bool readiness) {
  std::string text =
      "metadata:\n"
      "  labels:\n"
      "    app: nginx\n"
      "spec:\n"
      "  containers:\n"
      "  - image: " + image + "\n"
      "    name: nginx\n";
  if (readiness) {
    text +=
        "    readinessProbe:\n"
        "      httpGet:\n"
        "        path: /index.html\n"
        "        port: 80\n";
  }
  return text;
}

class HistoryPanelTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(m_dir.isValid());
    core::HistoryStoreOptions options;
    options.nowMs = [] { return std::int64_t{1'800'000'000'000}; };
    auto store = core::HistoryStore::open(m_dir.filePath(QStringLiteral("history.sqlite")).toStdString(), options);
    ASSERT_TRUE(store) << store.error().message;
    m_store = std::make_shared<core::HistoryStore>(std::move(*store));
    record("nginx:1.18", false, "first");
    record("nginx:1.20.1", true, "kubectl set image deployment/nginx nginx=nginx:1.20.1");
    record("nginx:1.21", true, "");
    m_panel.resize(1100, 700);
    m_panel.show();
    ASSERT_TRUE(QTest::qWaitForWindowExposed(&m_panel));
    m_panel.setStore(m_store);
  }

  void record(const std::string& image, bool readiness, const std::string& cause) {
    core::AppliedTemplate applied;
    applied.templateYaml = templateYaml(image, readiness);
    applied.templateHash = "h-" + image + (readiness ? "-r" : "");
    applied.changeCause = cause;
    applied.images = {image};
    auto done = m_store->record(m_key, applied);
    ASSERT_TRUE(done) << done.error().message;
  }

  /// Waits for the diff the panel asked for last and returns its summary.
  QString shownSummary() {
    DiffView* diff = m_panel.diffView();
    EXPECT_TRUE(QTest::qWaitFor([&] { return !diff->isBusy() && diff->layout(); }, 5000));
    return diff->layout() ? diff->layout()->summary : QString();
  }

  void selectRows(std::initializer_list<int> rows) {
    QItemSelectionModel* selection = m_panel.table()->selectionModel();
    selection->clearSelection();
    for (int row : rows) {
      selection->select(m_panel.model()->index(row, 0), QItemSelectionModel::Select | QItemSelectionModel::Rows);
    }
  }

  QTemporaryDir m_dir;
  std::shared_ptr<core::HistoryStore> m_store;
  core::DeploymentKey m_key{"default", "nginx"};
  HistoryPanel m_panel;
  QAbstractItemModelTester m_tester{m_panel.model(), QAbstractItemModelTester::FailureReportingMode::Fatal};
};

TEST_F(HistoryPanelTest, ListsTheRevisionsAndComparesTheLastChange) {
  EXPECT_EQ(m_panel.deploymentBox()->currentText(), QStringLiteral("default/nginx"));
  RevisionsModel* model = m_panel.model();
  ASSERT_EQ(model->rowCount(), 3);
  EXPECT_EQ(model->index(0, RevisionsModel::RevisionColumn).data().toString(), QStringLiteral("1"));
  EXPECT_EQ(model->index(2, RevisionsModel::RevisionColumn).data().toString(), QStringLiteral("3 (current)"));
  EXPECT_TRUE(model->index(2, 0).data(RevisionsModel::CurrentRole).toBool());
  EXPECT_EQ(model->index(0, RevisionsModel::ChangeCauseColumn).data().toString(), QStringLiteral("first"));
  EXPECT_EQ(model->index(2, RevisionsModel::ChangeCauseColumn).data().toString(), QStringLiteral("<none>"));
  EXPECT_EQ(model->index(1, RevisionsModel::ImagesColumn).data().toString(), QStringLiteral("nginx:1.20.1"));
  // At first: the current revision against the one before it.
  EXPECT_EQ(shownSummary(), QStringLiteral("image nginx:1.20.1 → nginx:1.21"));
  EXPECT_FALSE(m_panel.rollBackButton()->isEnabled());
}

TEST_F(HistoryPanelTest, OneRevisionIsComparedWithTheCurrentAndTwoWithEachOther) {
  selectRows({0});
  EXPECT_EQ(shownSummary(), QStringLiteral("image nginx:1.18 → nginx:1.21; readinessProbe added"));
  EXPECT_TRUE(m_panel.diffView()->layout()->diff.addedLines > 0);
  EXPECT_TRUE(m_panel.rollBackButton()->isEnabled());
  EXPECT_EQ(m_panel.rollBackButton()->text(), QStringLiteral("Roll Back to Revision 1…"));
  selectRows({1, 0});
  EXPECT_EQ(shownSummary(), QStringLiteral("image nginx:1.18 → nginx:1.20.1; readinessProbe added"));
  EXPECT_FALSE(m_panel.rollBackButton()->isEnabled());
}

TEST_F(HistoryPanelTest, RollingBackPreviewsAsksAndRenumbersAsKubectlDoes) {
  QString asked;
  bool previewShown = false;
  m_panel.setConfirm([&](const QString& summary, QWidget* preview) {
    asked = summary;
    previewShown = preview != nullptr;
    return false;
  });
  selectRows({0});
  QTest::mouseClick(m_panel.rollBackButton(), Qt::LeftButton);
  EXPECT_TRUE(asked.contains(QStringLiteral("deployment.apps/nginx to revision 1"))) << asked.toStdString();
  EXPECT_TRUE(asked.contains(QStringLiteral("becomes revision 4"))) << asked.toStdString();
  EXPECT_TRUE(previewShown);
  // Cancelled: nothing changed.
  ASSERT_EQ(m_panel.model()->rowCount(), 3);
  EXPECT_EQ(m_panel.model()->history().deployment.currentRevision, 3);

  m_panel.setConfirm([](const QString&, QWidget*) { return true; });
  QSignalSpy rolled(&m_panel, &HistoryPanel::rolledBack);
  selectRows({0});
  QTest::mouseClick(m_panel.rollBackButton(), Qt::LeftButton);
  ASSERT_EQ(rolled.size(), 1);
  EXPECT_EQ(rolled.front().at(2).toLongLong(), 4);
  EXPECT_EQ(m_panel.messageLabel()->text(), QStringLiteral("deployment.apps/nginx rolled back"));
  // 1,2,3 → undo to 1 → 2,3,4: revision 1's template is revision 4 now.
  RevisionsModel* model = m_panel.model();
  ASSERT_EQ(model->rowCount(), 3);
  EXPECT_EQ(model->revisionAt(0)->number, 2);
  EXPECT_EQ(model->revisionAt(2)->number, 4);
  EXPECT_EQ(model->revisionAt(2)->images, std::vector<std::string>{"nginx:1.18"});
  EXPECT_EQ(model->revisionAt(2)->revisionHistory, std::vector<std::int64_t>{1});
  EXPECT_EQ(model->revisionAt(2)->changeCause, "first");
  EXPECT_EQ(model->revisionAt(1)->outcome, core::RevisionOutcome::RolledBack);
  EXPECT_EQ(model->index(2, RevisionsModel::RevisionColumn).data().toString(), QStringLiteral("4 (current)"));
  EXPECT_TRUE(model->index(2, RevisionsModel::RevisionColumn).data(Qt::ToolTipRole).toString().contains(
      QStringLiteral("revision 1 before")));

  // Rolling back to what already runs is skipped, in kubectl's words.
  auto again = m_panel.rollBack(4, /*confirm=*/false);
  ASSERT_TRUE(again);
  EXPECT_EQ(*again, "deployment.apps/nginx skipped rollback (current template already matches revision 4)");
  auto missing = m_panel.rollBack(9, /*confirm=*/false);
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().message, "unable to find specified revision 9 in history");
  // A plain undo goes back to the revision before: 3's template as 5.
  auto undo = m_panel.rollBack(0, /*confirm=*/false);
  ASSERT_TRUE(undo) << undo.error().message;
  EXPECT_EQ(model->history().deployment.currentRevision, 5);
  EXPECT_EQ(model->revisionAt(model->rowOf(5))->images, std::vector<std::string>{"nginx:1.21"});
}

TEST_F(HistoryPanelTest, WithoutAStoreItSaysWhy) {
  m_panel.setStore(nullptr, QStringLiteral("cannot open /x/history.sqlite: not a database"));
  EXPECT_EQ(m_panel.model()->rowCount(), 0);
  EXPECT_EQ(m_panel.messageLabel()->text(), QStringLiteral("cannot open /x/history.sqlite: not a database"));
  EXPECT_FALSE(m_panel.rollBackButton()->isEnabled());
}

TEST(PodTemplateFromYaml, ReadsAStoredTemplateBack) {
  auto t = podTemplateFromYaml(templateYaml("nginx:1.20.1", true));
  ASSERT_TRUE(t);
  ASSERT_EQ(t->spec.containers.size(), 1u);
  EXPECT_EQ(t->spec.containers[0].image, "nginx:1.20.1");
  EXPECT_TRUE(t->spec.containers[0].readinessProbe.has_value());
  EXPECT_EQ(t->metadata.labels.at("app"), "nginx");
  EXPECT_FALSE(podTemplateFromYaml("spec: [unclosed"));
}

}  // namespace
}  // namespace podscope::ui
