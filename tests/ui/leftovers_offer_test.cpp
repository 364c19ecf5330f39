// Leftovers of crashed runs without a daemon: the banner's words for what
// was found and for how a removal went, the banner's buttons and progress,
// the Details dialog's list, and a containerd that cannot be reached.

#include <gtest/gtest.h>

#include <QApplication>
#include <QClipboard>
#include <QLineEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QSignalSpy>
#include <QTest>
#include <QToolButton>
#include <QTreeWidget>

#include "ui/leftovers_dialog.h"
#include "ui/leftovers_offer.h"
#include "ui/main_window.h"
#include "ui/message_banner.h"
#include "ui_test_support.h"

namespace podscope::ui {
namespace {

engine::ContainerdLeftovers twoRuns() {
  engine::ContainerdLeftovers left;
  left.runs = {"run-a", "run-b"};
  left.containers = {"web-1a2b3c-app-0", "web-1a2b3c-sidecar-0", "db-4d5e6f-db-0"};
  left.snapshots = {"orphan-snapshot"};
  left.sandboxes = {"/run/podscope/sandboxes/web-1a2b3c", "/run/podscope/sandboxes/db-4d5e6f"};
  return left;
}

TEST(LeftoversWordsTest, FoundSaysHowManyRunsAndWhatInWhichNamespace) {
  EXPECT_EQ(describeFound(twoRuns(), QStringLiteral("podscope")),
            QStringLiteral("Found leftovers of 2 crashed runs in containerd namespace \"podscope\": "
                           "3 containers, 1 snapshot and 2 sandboxes."));
  engine::ContainerdLeftovers one;
  one.runs = {"run-a"};
  one.containers = {"web-1a2b3c-app-0"};
  one.snapshots = {"s1", "s2", "s3"};
  EXPECT_EQ(describeFound(one, QStringLiteral("team-a")),
            QStringLiteral("Found leftovers of 1 crashed run in containerd namespace \"team-a\": "
                           "1 container and 3 snapshots."));
}

TEST(LeftoversWordsTest, RemovalReports) {
  LeftoversRemoval removal;
  removal.offered = twoRuns();

  struct Case {
    const char* name;
    std::function<void(LeftoversRemoval&)> setUp;
    MessageBanner::Kind kind;
    bool allRemoved;
    QString text;
  };
  const std::vector<Case> cases = {
      {"everything removed", [](LeftoversRemoval& r) { r.left = engine::ContainerdLeftovers{}; },
       MessageBanner::Kind::Information, true,
       QStringLiteral("Removed 3 containers, 1 snapshot and 2 sandboxes left by 2 crashed runs.")},
      {"stopped on request",
       [](LeftoversRemoval& r) {
         r.stopped = true;
         engine::ContainerdLeftovers left;
         left.sandboxes = {"/run/podscope/sandboxes/db-4d5e6f"};
         left.runs = {"run-b"};
         r.left = left;
       },
       MessageBanner::Kind::Information, false,
       QStringLiteral("Removal stopped with 5 of 6 objects removed. Still there: 1 sandbox.")},
      {"one could not be removed",
       [](LeftoversRemoval& r) {
         engine::ContainerdLeftovers left;
         left.sandboxes = {"/run/podscope/sandboxes/db-4d5e6f"};
         r.left = left;
         r.problems = {"cannot remove /run/podscope/sandboxes/db-4d5e6f/shm: Device or resource busy"};
       },
       MessageBanner::Kind::Warning, false,
       QStringLiteral("Removed 5 of 6 objects left by crashed runs. Could not remove 1 sandbox: cannot remove "
                      "/run/podscope/sandboxes/db-4d5e6f/shm: Device or resource busy.")},
      {"none could be removed, several reasons",
       [](LeftoversRemoval& r) {
         r.left = r.offered;
         r.problems = {"deleting container web-1a2b3c-app-0: permission denied", "second", "third"};
       },
       MessageBanner::Kind::Warning, false,
       QStringLiteral("Could not remove the 3 containers, 1 snapshot and 2 sandboxes left by crashed runs: "
                      "deleting container web-1a2b3c-app-0: permission denied (and 2 more; see Details).")},
      {"containerd went away",
       [](LeftoversRemoval& r) {
         r.checkError = "no containerd socket at /x.sock";
         r.problems = {"no containerd socket at /x.sock"};
       },
       MessageBanner::Kind::Warning, false,
       QStringLiteral("Tried to remove 3 containers, 1 snapshot and 2 sandboxes, but could not check what is left: "
                      "no containerd socket at /x.sock. The removal said: no containerd socket at /x.sock.")},
  };
  for (const Case& c : cases) {
    LeftoversRemoval r = removal;
    c.setUp(r);
    const RemovalReport report = describeRemoval(r);
    EXPECT_EQ(report.text, c.text) << c.name;
    EXPECT_EQ(report.kind, c.kind) << c.name;
    EXPECT_EQ(report.allRemoved, c.allRemoved) << c.name;
  }
}

TEST(LeftoversWordsTest, ObjectsNameTheirKind) {
  EXPECT_EQ(describeObject({engine::LeftoverKind::Container, "web-1a2b3c-app-0"}),
            QStringLiteral("container web-1a2b3c-app-0"));
  EXPECT_EQ(describeObject({engine::LeftoverKind::Sandbox, "/run/podscope/sandboxes/web-1a2b3c"}),
            QStringLiteral("sandbox web-1a2b3c"));
}

TEST(MessageBannerTest, SeveralActionsInOrderAndAWordedDismiss) {
  MessageBanner banner;
  banner.show();
  int removed = 0;
  QSignalSpy dismissed(&banner, &MessageBanner::dismissed);
  banner.showMessage(MessageBanner::Kind::Warning, QStringLiteral("Found something."),
                     {{QStringLiteral("Re&move"), [&] { ++removed; }, false, {}},
                      {QStringLiteral("&Details…"), [] {}, false, {}},
                      {QStringLiteral("D&ismiss"), {}, true, {}}},
                     MessageBanner::CloseButton::Hidden);
  const QList<QPushButton*> buttons = banner.actionButtons();
  ASSERT_EQ(buttons.size(), 3);
  EXPECT_EQ(buttons[0]->text(), QStringLiteral("Re&move"));
  EXPECT_EQ(buttons[2]->text(), QStringLiteral("D&ismiss"));
  EXPECT_TRUE(banner.findChild<QToolButton*>()->isHidden()) << "a worded Dismiss replaces the close button";

  QTest::mouseClick(buttons[0], Qt::LeftButton);
  EXPECT_EQ(removed, 1);
  EXPECT_FALSE(banner.isHidden()) << "an action that does not dismiss leaves the banner up";
  QTest::mouseClick(buttons[2], Qt::LeftButton);
  EXPECT_TRUE(banner.isHidden());
  EXPECT_EQ(dismissed.count(), 1);

  // The one-action form still works as before, with its close button.
  banner.showMessage(MessageBanner::Kind::Error, QStringLiteral("Broken."), QStringLiteral("Open Anyway"), [] {});
  EXPECT_EQ(banner.actionButtons().size(), 1);
  EXPECT_FALSE(banner.findChild<QToolButton*>()->isHidden());
}

TEST(MessageBannerTest, EscapeDismissesButNotATaskInProgress) {
  MessageBanner banner;
  banner.show();
  bool stopped = false;
  banner.showProgress(QStringLiteral("Removing…"), 1, 4, {QStringLiteral("S&top"), [&] { stopped = true; }, true, {}});
  EXPECT_TRUE(banner.showsProgress());
  EXPECT_EQ(banner.progressBar()->value(), 1);
  EXPECT_EQ(banner.progressBar()->maximum(), 4);
  EXPECT_TRUE(banner.findChild<QToolButton*>()->isHidden());
  QPushButton* stop = banner.actionButtons().value(0);
  ASSERT_NE(stop, nullptr);
  stop->setFocus();
  QTest::keyClick(stop, Qt::Key_Escape);
  EXPECT_FALSE(banner.isHidden()) << "Esc must not end a task in progress";
  QTest::keyClick(stop, Qt::Key_Space);
  EXPECT_TRUE(stopped);
  EXPECT_FALSE(banner.isHidden()) << "Stop leaves the progress up until the task ends";

  banner.showMessage(MessageBanner::Kind::Information, QStringLiteral("Done."), QStringLiteral("Show"), [] {});
  EXPECT_FALSE(banner.showsProgress());
  QPushButton* show = banner.actionButtons().value(0);
  show->setFocus();
  QTest::keyClick(show, Qt::Key_Escape);
  EXPECT_TRUE(banner.isHidden());
}

QStringList childrenOf(const QTreeWidgetItem* item) {
  QStringList out;
  for (int i = 0; i < item->childCount(); ++i) out << item->child(i)->text(0) + " | " + item->child(i)->text(1);
  return out;
}

TEST(LeftoversDialogTest, ListsEveryObjectByKind) {
  LeftoversDialog dialog;
  const ContainerdSettings settings{QStringLiteral("/x/containerd.sock"), QStringLiteral("podscope"),
                                    QStringLiteral("/run/podscope")};
  dialog.setLeftovers(settings, twoRuns(), {}, QStringLiteral("Re&move"));
  const QTreeWidget& tree = *dialog.objectTree();
  ASSERT_EQ(tree.topLevelItemCount(), 4);
  EXPECT_EQ(tree.topLevelItem(0)->text(0), QStringLiteral("Containers (3)"));
  EXPECT_EQ(childrenOf(tree.topLevelItem(0)),
            (QStringList{"web-1a2b3c-app-0 | with its task and snapshot", "web-1a2b3c-sidecar-0 | with its task and snapshot",
                         "db-4d5e6f-db-0 | with its task and snapshot"}));
  EXPECT_EQ(tree.topLevelItem(1)->text(0), QStringLiteral("Snapshots (1)"));
  EXPECT_EQ(childrenOf(tree.topLevelItem(1)), QStringList{"orphan-snapshot | "});
  EXPECT_EQ(tree.topLevelItem(2)->text(0), QStringLiteral("Sandboxes (2)"));
  EXPECT_EQ(childrenOf(tree.topLevelItem(2)),
            (QStringList{"/run/podscope/sandboxes/web-1a2b3c | namespaces, /dev/shm, volumes",
                         "/run/podscope/sandboxes/db-4d5e6f | namespaces, /dev/shm, volumes"}));
  EXPECT_EQ(tree.topLevelItem(3)->text(0), QStringLiteral("Stale run locks (2)"));
  EXPECT_EQ(childrenOf(tree.topLevelItem(3)),
            (QStringList{"run-a | /run/podscope/runs/run-a.lock", "run-b | /run/podscope/runs/run-b.lock"}));
  EXPECT_TRUE(dialog.problemList()->isHidden());
  EXPECT_TRUE(dialog.removeButton()->isEnabled());
  EXPECT_EQ(dialog.removeButton()->text(), QStringLiteral("Re&move"));

  // Copy List gives the same lines as `podscope-cli gc --dry-run`.
  QTest::mouseClick(dialog.copyButton(), Qt::LeftButton);
  const QString copied = QApplication::clipboard()->text();
  EXPECT_EQ(copied, dialog.listText());
  EXPECT_TRUE(copied.startsWith(QStringLiteral("Left in containerd namespace \"podscope\" (socket /x/containerd.sock) "
                                               "and in the state directory /run/podscope by 2 runs of Podscope that "
                                               "ended without cleaning up:\n")))
      << copied.toStdString();
  EXPECT_TRUE(copied.contains(QStringLiteral("\n  container web-1a2b3c-app-0 (with its task and snapshot)\n")));
  EXPECT_TRUE(copied.contains(QStringLiteral("\n  sandbox   /run/podscope/sandboxes/db-4d5e6f (namespaces, /dev/shm, volumes)\n")));
  EXPECT_TRUE(copied.endsWith(QStringLiteral("  run lock  run-b (stale)\n")));
}

TEST(LeftoversDialogTest, ShowsWhatCouldNotBeRemovedAndWhy) {
  LeftoversDialog dialog;
  engine::ContainerdLeftovers left;
  left.runs = {"run-b"};
  left.sandboxes = {"/run/podscope/sandboxes/db-4d5e6f"};
  dialog.setLeftovers(ContainerdSettings{}, left, {"cannot remove /run/podscope/sandboxes/db-4d5e6f/shm: busy"},
                      QStringLiteral("&Try Again"));
  ASSERT_FALSE(dialog.problemList()->isHidden());
  ASSERT_EQ(dialog.problemList()->topLevelItemCount(), 1);
  EXPECT_EQ(dialog.problemList()->topLevelItem(0)->text(0),
            QStringLiteral("cannot remove /run/podscope/sandboxes/db-4d5e6f/shm: busy"));
  EXPECT_EQ(dialog.removeButton()->text(), QStringLiteral("&Try Again"));
  EXPECT_TRUE(dialog.listText().endsWith(
      QStringLiteral("Could not remove: cannot remove /run/podscope/sandboxes/db-4d5e6f/shm: busy\n")));

  // Only stale run locks: nothing a removal would be worth offering for.
  engine::ContainerdLeftovers locksOnly;
  locksOnly.runs = {"run-c"};
  dialog.setLeftovers(ContainerdSettings{}, locksOnly, {}, QStringLiteral("Re&move"));
  EXPECT_FALSE(dialog.removeButton()->isEnabled());
}

TEST(LeftoversOfferTest, AnUnreachableContainerdOffersNothingAndShowsNoError) {
  MainWindow window;
  window.show();
  ContainerdSettings settings;
  settings.address = QStringLiteral("/tmp/podscope-no-such-dir/containerd.sock");
  window.setRuntime(RuntimeKind::Containerd, settings);
  ASSERT_NE(window.leftoversOffer(), nullptr);
  EXPECT_EQ(window.leftoversOffer()->settings(), settings);
  ASSERT_TRUE(QTest::qWaitFor([&] { return !window.isBusyWithLeftovers(); }, 10000));
  EXPECT_EQ(window.leftoversOffer()->state(), LeftoversOffer::State::Idle);
  EXPECT_TRUE(window.leftoversBanner()->isHidden());
  EXPECT_TRUE(window.messageBanner()->isHidden());
}

TEST(LeftoversOfferTest, ASocketTypedInTheToolbarIsLookedAtOnceTyped) {
  MainWindow window;
  window.show();
  ContainerdSettings settings;
  settings.address = QStringLiteral("/tmp/podscope-no-such-dir/a.sock");
  window.setRuntime(RuntimeKind::Containerd, settings);
  ASSERT_TRUE(QTest::qWaitFor([&] { return !window.isBusyWithLeftovers(); }, 10000));
  auto* address = window.findChild<QLineEdit*>(QStringLiteral("addressEdit"));
  ASSERT_NE(address, nullptr);
  address->setFocus();
  address->selectAll();
  QTest::keyClicks(address, QStringLiteral("/tmp/podscope-no-such-dir/b.sock"));
  EXPECT_EQ(window.leftoversOffer()->settings().address, settings.address) << "not at every keystroke";
  QTest::keyClick(address, Qt::Key_Return);
  EXPECT_EQ(window.leftoversOffer()->settings().address, QStringLiteral("/tmp/podscope-no-such-dir/b.sock"));
  ASSERT_TRUE(QTest::qWaitFor([&] { return !window.isBusyWithLeftovers(); }, 10000));
  EXPECT_TRUE(window.leftoversBanner()->isHidden());
}

}  // namespace
}  // namespace podscope::ui
