#include "ui/transition_model.h"

#include <gtest/gtest.h>

#include <QAbstractItemModelTester>
#include <QColor>
#include <QSignalSpy>

#include "ui/lane_layout.h"
#include "ui/state_palette.h"

namespace podscope::ui {
namespace {

using namespace std::chrono_literals;
using core::SubjectKind;
using core::Transition;

std::vector<Transition> sampleRun() {
  return {
      {0ms, SubjectKind::Pod, "demo", "", "Pending", "", ""},
      {0ms, SubjectKind::InitContainer, "init-setup", "", "Waiting", "PodInitializing", ""},
      {500ms, SubjectKind::InitContainer, "init-setup", "Waiting", "Running", "Started", ""},
      {2500ms, SubjectKind::InitContainer, "init-setup", "Running", "Terminated", "Completed", "exit code 0", 0},
      {3s, SubjectKind::Container, "app", "Waiting", "Running", "Started", ""},
  };
}

TEST(TransitionModelTest, PassesModelTesterThroughAppendResetAndClear) {
  TransitionModel model;
  QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
  for (const Transition& t : sampleRun()) model.append(t);
  EXPECT_EQ(model.rowCount(), 5);
  EXPECT_EQ(model.columnCount(), TransitionModel::ColumnCount);
  model.setTransitions(sampleRun());
  EXPECT_EQ(model.rowCount(), 5);
  model.clear();
  EXPECT_EQ(model.rowCount(), 0);
  model.append(sampleRun().front());
  EXPECT_EQ(model.rowCount(), 1);
}

TEST(TransitionModelTest, AppendSignalsOneInsertedRowAtTheEnd) {
  TransitionModel model;
  model.setTransitions(sampleRun());
  QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
  model.append({4s, SubjectKind::Container, "app", "Running", "Terminated", "Completed", "exit code 0"});
  ASSERT_EQ(inserted.size(), 1);
  EXPECT_EQ(inserted.front().at(1).toInt(), 5);
  EXPECT_EQ(inserted.front().at(2).toInt(), 5);
}

TEST(TransitionModelTest, NamedRolesGiveTheValuesOnEveryColumn) {
  TransitionModel model;
  model.setTransitions(sampleRun());
  for (int column = 0; column < model.columnCount(); ++column) {
    const QModelIndex index = model.index(3, column);
    EXPECT_EQ(index.data(TransitionModel::TimeRole).toLongLong(), std::chrono::nanoseconds(2500ms).count());
    EXPECT_EQ(index.data(TransitionModel::SubjectRole).toString(), QStringLiteral("init-setup"));
    EXPECT_EQ(index.data(TransitionModel::KindRole).toInt(), static_cast<int>(SubjectKind::InitContainer));
    EXPECT_EQ(index.data(TransitionModel::FromRole).toString(), QStringLiteral("Running"));
    EXPECT_EQ(index.data(TransitionModel::ToRole).toString(), QStringLiteral("Terminated"));
    EXPECT_EQ(index.data(TransitionModel::ReasonRole).toString(), QStringLiteral("Completed"));
    EXPECT_EQ(index.data(TransitionModel::MessageRole).toString(), QStringLiteral("exit code 0"));
    EXPECT_EQ(index.data(TransitionModel::ExitCodeRole), QVariant(0));
    EXPECT_FALSE(model.index(2, column).data(TransitionModel::ExitCodeRole).isValid());
  }
}

TEST(TransitionModelTest, RoleNamesAreStable) {
  TransitionModel model;
  const QHash<int, QByteArray> names = model.roleNames();
  EXPECT_EQ(names.value(TransitionModel::TimeRole), "time");
  EXPECT_EQ(names.value(TransitionModel::SubjectRole), "subject");
  EXPECT_EQ(names.value(TransitionModel::KindRole), "kind");
  EXPECT_EQ(names.value(TransitionModel::FromRole), "from");
  EXPECT_EQ(names.value(TransitionModel::ToRole), "to");
  EXPECT_EQ(names.value(TransitionModel::ExitCodeRole), "exitCode");
  EXPECT_EQ(names.value(TransitionModel::ReasonRole), "reason");
  EXPECT_EQ(names.value(TransitionModel::MessageRole), "message");
  EXPECT_EQ(names.value(Qt::DisplayRole), "display");
}

TEST(TransitionModelTest, DisplayTextMatchesTheCliTable) {
  TransitionModel model;
  model.setTransitions(sampleRun());
  auto text = [&](int row, int column) { return model.index(row, column).data().toString(); };
  EXPECT_EQ(text(0, TransitionModel::TimeColumn), QStringLiteral("0.000s"));
  EXPECT_EQ(text(0, TransitionModel::SubjectColumn), QStringLiteral("pod/demo"));
  EXPECT_EQ(text(3, TransitionModel::TimeColumn), QStringLiteral("2.500s"));
  EXPECT_EQ(text(3, TransitionModel::SubjectColumn), QStringLiteral("init-setup"));
  EXPECT_EQ(text(3, TransitionModel::FromColumn), QStringLiteral("Running"));
  EXPECT_EQ(text(3, TransitionModel::ToColumn), QStringLiteral("Terminated"));
  EXPECT_EQ(text(3, TransitionModel::ReasonColumn), QStringLiteral("Completed"));
  EXPECT_EQ(text(3, TransitionModel::MessageColumn), QStringLiteral("exit code 0"));
  EXPECT_EQ(model.headerData(TransitionModel::SubjectColumn, Qt::Horizontal).toString(), QStringLiteral("CONTAINER"));
}

TEST(TransitionModelTest, ToColumnCarriesTheStateColour) {
  TransitionModel model;
  model.setTransitions(sampleRun());
  EXPECT_EQ(model.index(2, TransitionModel::ToColumn).data(Qt::DecorationRole).value<QColor>(),
            stateColor(LaneState::Running));
  EXPECT_EQ(model.index(3, TransitionModel::ToColumn).data(Qt::DecorationRole).value<QColor>(),
            stateColor(LaneState::Succeeded));
  EXPECT_FALSE(model.index(3, TransitionModel::ReasonColumn).data(Qt::DecorationRole).isValid());
}

}  // namespace
}  // namespace podscope::ui
