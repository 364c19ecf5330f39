// The window against a real containerd: what a crashed run left is offered
// in a banner, listed object by object, and removed without touching
// anything else; nothing is offered when nothing was left, nor what a live
// run owns. The crashed runs are real: podscope_crash_helper starts a pod
// and dies by SIGKILL. Each test has a state directory of its own, so other
// tests' runs on the same daemon are neither seen nor touched.
// Registered apart from the other UI tests, with the integration tests'
// `containerd` fixture; they fail (never skip) without a daemon.

#include <gtest/gtest.h>

#include <QComboBox>
#include <QCoreApplication>
#include <QProgressBar>
#include <QPushButton>
#include <QTest>
#include <QTreeWidget>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "containerd_test_support.h"
#include "ui/leftovers_dialog.h"
#include "ui/leftovers_offer.h"
#include "ui/main_window.h"
#include "ui/message_banner.h"
#include "ui_test_support.h"

namespace podscope::ui {
namespace {

using engine::ContainerdRuntime;
using testing::ctrList;
using testing::runCommand;

constexpr int kCheckTimeoutMs = 30000;
constexpr int kRemoveTimeoutMs = 60000;

QString qs(const std::string& s) { return QString::fromStdString(s); }

QStringList buttonTexts(const MessageBanner& banner) {
  QStringList texts;
  for (const QPushButton* b : banner.actionButtons()) texts << b->text();
  return texts;
}

QPushButton* bannerButton(const MessageBanner& banner, const QString& text) {
  for (QPushButton* b : banner.actionButtons()) {
    if (b->text() == text) return b;
  }
  return nullptr;
}

/// The names under the group whose title starts with `group`.
QStringList rowsUnder(const QTreeWidget& tree, const QString& group) {
  QStringList rows;
  for (int i = 0; i < tree.topLevelItemCount(); ++i) {
    const QTreeWidgetItem* top = tree.topLevelItem(i);
    if (!top->text(0).startsWith(group)) continue;
    for (int j = 0; j < top->childCount(); ++j) rows << top->child(j)->text(0);
  }
  return rows;
}

/// With PODSCOPE_UI_SCREENSHOTS set to a folder, keeps a picture of
/// `widget` there, to be looked at (for example under xvfb-run).
void keepPicture(QWidget& widget, const QString& name) {
  const QString dir = qEnvironmentVariable("PODSCOPE_UI_SCREENSHOTS");
  if (dir.isEmpty()) return;
  // Lays the widgets out without handling anything else, so the picture
  // shows the state the test has just checked.
  QCoreApplication::sendPostedEvents(nullptr, QEvent::LayoutRequest);
  EXPECT_TRUE(widget.grab().save(dir + QLatin1Char('/') + name + QStringLiteral(".png"))) << name.toStdString();
}

QStringList groupTitles(const QTreeWidget& tree) {
  QStringList titles;
  for (int i = 0; i < tree.topLevelItemCount(); ++i) titles << tree.topLevelItem(i)->text(0);
  return titles;
}

class ContainerdLeftoversGuiTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto options = testing::testOptions();
    ASSERT_TRUE(options) << options.error().message;
    m_options = *options;
    m_options.stateDir = m_dir.path() + "/state";
    m_settings = ContainerdSettings{qs(m_options.address), qs(m_options.containerdNamespace), qs(m_options.stateDir)};
  }

  void TearDown() override {
    // Whatever a failed test left in its own state directory, and the
    // object made without labels.
    if (auto left = ContainerdRuntime::findLeftovers(m_options); left && !left->empty()) {
      ContainerdRuntime::removeLeftovers(m_options, *left);
    }
    if (!m_foreign.empty()) {
      runCommand("ctr -a '" + m_options.address + "' -n podscope containers rm " + m_foreign + " 2>&1");
    }
  }

  /// Runs a pod in the test's state directory and dies by SIGKILL; returns
  /// its container's id.
  std::string crash() {
    std::string out = runCommand(std::string(PODSCOPE_CRASH_HELPER) + " '" + m_options.stateDir + "'");
    return out.substr(0, out.find('\n'));
  }

  /// A container (and its snapshot) made with ctr, without Podscope's labels.
  std::string makeForeignContainer() {
    m_foreign = testing::uniqueName("not-podscope");
    runCommand("ctr -a '" + m_options.address + "' -n podscope containers create docker.io/library/busybox:latest " +
               m_foreign + " 2>&1");
    return m_foreign;
  }

  /// Shows a window set to containerd with the test's settings.
  void open(MainWindow& window) {
    window.show();
    window.setRuntime(RuntimeKind::Containerd, m_settings);
  }

  static bool settled(const MainWindow& window) { return !window.isBusyWithLeftovers(); }

  // Declared first, so it goes last, after TearDown emptied it.
  testing::TempDir m_dir{"podscope-gui-leftovers"};
  engine::ContainerdOptions m_options;
  ContainerdSettings m_settings;
  std::string m_foreign;
};

TEST_F(ContainerdLeftoversGuiTest, CrashedRunsAreOfferedListedAndRemovedAndNothingElse) {
  const std::string first = crash();
  const std::string second = crash();
  ASSERT_FALSE(first.empty());
  ASSERT_FALSE(second.empty());
  ASSERT_EQ(ctrList("tasks", first).size(), 1u) << first;
  const std::string foreign = makeForeignContainer();
  ASSERT_EQ(ctrList("containers", foreign).size(), 1u) << "ctr could not create " << foreign;
  // A folder among the sandboxes that no run claims is not ours either.
  const std::string strayDir = m_options.stateDir + "/sandboxes/not-a-sandbox";
  std::filesystem::create_directories(strayDir);
  std::ofstream(strayDir + "/keep.txt") << "kept\n";

  MainWindow window;
  open(window);
  MessageBanner& banner = *window.leftoversBanner();
  LeftoversOffer& offer = *window.leftoversOffer();
  ASSERT_TRUE(QTest::qWaitFor([&] { return settled(window); }, kCheckTimeoutMs));
  ASSERT_EQ(offer.state(), LeftoversOffer::State::Offering) << "nothing was offered";
  EXPECT_EQ(banner.text(), QStringLiteral("Found leftovers of 2 crashed runs in containerd namespace \"podscope\": "
                                          "2 containers and 2 sandboxes."));
  EXPECT_EQ(banner.kind(), MessageBanner::Kind::Warning);
  EXPECT_EQ(buttonTexts(banner), (QStringList{"Re&move", "&Details…", "D&ismiss"}));
  // Messages about the manifest have a banner of their own.
  EXPECT_TRUE(window.messageBanner()->isHidden());
  keepPicture(window, QStringLiteral("leftovers-offered"));

  // Details lists exactly the objects, as gc --dry-run does.
  QTest::mouseClick(bannerButton(banner, QStringLiteral("&Details…")), Qt::LeftButton);
  LeftoversDialog* dialog = offer.dialog();
  ASSERT_NE(dialog, nullptr);
  ASSERT_TRUE(QTest::qWaitForWindowExposed(dialog));
  const QTreeWidget& tree = *dialog->objectTree();
  EXPECT_EQ(groupTitles(tree), (QStringList{"Containers (2)", "Sandboxes (2)", "Stale run locks (2)"}));
  QStringList containers = rowsUnder(tree, QStringLiteral("Containers"));
  containers.sort();
  QStringList expected{qs(first), qs(second)};
  expected.sort();
  EXPECT_EQ(containers, expected);
  const QStringList sandboxes = rowsUnder(tree, QStringLiteral("Sandboxes"));
  for (const std::string& id : {first, second}) {
    const QString pod = qs(id.substr(0, id.find("-left-")));
    EXPECT_TRUE(std::any_of(sandboxes.begin(), sandboxes.end(),
                            [&](const QString& dir) { return dir.contains(QLatin1Char('/') + pod + QLatin1Char('-')); }))
        << pod.toStdString() << " not in " << sandboxes.join(' ').toStdString();
  }
  for (const QString& dir : sandboxes) EXPECT_TRUE(dir.startsWith(qs(m_options.stateDir + "/sandboxes/")));
  EXPECT_EQ(rowsUnder(tree, QStringLiteral("Stale run locks")).size(), 2);
  const QString list = dialog->listText();
  EXPECT_TRUE(list.contains(qs("  container " + first + " (with its task and snapshot)\n"))) << list.toStdString();
  EXPECT_FALSE(list.contains(qs(foreign)));
  EXPECT_FALSE(list.contains(QStringLiteral("not-a-sandbox")));
  EXPECT_TRUE(dialog->removeButton()->isEnabled());
  keepPicture(*dialog, QStringLiteral("leftovers-details"));
  QTest::keyClick(dialog, Qt::Key_Escape);
  EXPECT_FALSE(dialog->isVisible());
  EXPECT_EQ(offer.state(), LeftoversOffer::State::Offering);

  // Remove works from the keyboard, shows its progress, and runs in the
  // background: the click returns while it is still under way. Stopped at
  // once, it leaves everything for later and says so.
  QPushButton* remove = bannerButton(banner, QStringLiteral("Re&move"));
  ASSERT_NE(remove, nullptr);
  remove->setFocus();
  QTest::keyClick(remove, Qt::Key_Space);
  ASSERT_EQ(offer.state(), LeftoversOffer::State::Removing);
  EXPECT_TRUE(banner.showsProgress());
  // Busy at first, then one step per object.
  EXPECT_EQ(banner.progressBar()->maximum(), 0);
  keepPicture(window, QStringLiteral("leftovers-removing"));
  ASSERT_EQ(buttonTexts(banner), QStringList{"S&top"});
  QTest::mouseClick(banner.actionButtons().front(), Qt::LeftButton);
  EXPECT_TRUE(banner.text().startsWith(QStringLiteral("Stopping"))) << banner.text().toStdString();
  keepPicture(window, QStringLiteral("leftovers-stopping"));
  ASSERT_TRUE(QTest::qWaitFor([&] { return settled(window); }, kRemoveTimeoutMs));
  EXPECT_EQ(offer.state(), LeftoversOffer::State::Reporting);
  // Stopped before the object in hand, or after it, but never at the end.
  const engine::ContainerdLeftovers rest = offer.offered();
  ASSERT_TRUE(rest.objectsLeft());
  EXPECT_EQ(banner.text(), QStringLiteral("Removal stopped with %1 of 4 objects removed. Still there: %2.")
                               .arg(4 - rest.objectCount())
                               .arg(qs(engine::describeObjects(rest))));
  keepPicture(window, QStringLiteral("leftovers-stopped"));
  EXPECT_EQ(buttonTexts(banner), (QStringList{"Re&move", "&Details…", "D&ismiss"}));
  auto stillThere = ContainerdRuntime::findLeftovers(m_options);
  ASSERT_TRUE(stillThere) << stillThere.error().message;
  EXPECT_EQ(stillThere->containers.size(), rest.containers.size());
  EXPECT_EQ(stillThere->sandboxes.size(), rest.sandboxes.size());
  EXPECT_EQ(stillThere->runs.size(), 2u) << "the run locks stay until their runs' objects are gone";

  // Removed to the end this time.
  QTest::mouseClick(bannerButton(banner, QStringLiteral("Re&move")), Qt::LeftButton);
  ASSERT_TRUE(QTest::qWaitFor([&] { return settled(window); }, kRemoveTimeoutMs));
  EXPECT_EQ(offer.state(), LeftoversOffer::State::Reporting);
  EXPECT_EQ(banner.kind(), MessageBanner::Kind::Information);
  EXPECT_EQ(banner.text(), QStringLiteral("Removed %1 left by 2 crashed runs.").arg(qs(engine::describeObjects(rest))));
  EXPECT_TRUE(banner.actionButtons().isEmpty());
  keepPicture(window, QStringLiteral("leftovers-removed"));

  // Nothing of the crashed runs is left, run locks included...
  auto again = ContainerdRuntime::findLeftovers(m_options);
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_TRUE(again->empty()) << engine::formatLeftoverList(*again, true);
  for (const std::string& id : {first, second}) {
    EXPECT_TRUE(ctrList("containers", id).empty()) << id;
    EXPECT_TRUE(ctrList("tasks", id).empty()) << id;
    EXPECT_TRUE(ctrList("snapshots", id).empty()) << id;
  }
  // ...and what is not ours is untouched.
  EXPECT_EQ(ctrList("containers", foreign).size(), 1u);
  EXPECT_EQ(ctrList("snapshots", foreign).size(), 1u);
  EXPECT_TRUE(std::filesystem::exists(strayDir + "/keep.txt"));
}

TEST_F(ContainerdLeftoversGuiTest, NothingIsOfferedWhenNoRunCrashed) {
  makeForeignContainer();
  MainWindow window;
  open(window);
  EXPECT_TRUE(window.isBusyWithLeftovers()) << "the look for leftovers must not block the window";
  ASSERT_TRUE(QTest::qWaitFor([&] { return settled(window); }, kCheckTimeoutMs));
  EXPECT_EQ(window.leftoversOffer()->state(), LeftoversOffer::State::Idle);
  EXPECT_TRUE(window.leftoversBanner()->isHidden());
  EXPECT_TRUE(window.messageBanner()->isHidden());
  EXPECT_EQ(ctrList("containers", m_foreign).size(), 1u);
}

TEST_F(ContainerdLeftoversGuiTest, ALiveRunsObjectsAreNeverOffered) {
  // A run that is alive, in the same state directory.
  testing::RuntimeHarness alive;
  auto connected = alive.connect(m_options);
  ASSERT_TRUE(connected) << connected.error().message;
  auto sandbox = alive.createSandbox(testing::uniqueName("alive"));
  ASSERT_TRUE(sandbox) << sandbox.error().message;
  engine::ContainerConfig config;
  config.name = "alive";
  config.image = "busybox";
  config.command = {"sh", "-c", "sleep 100"};
  auto aliveId = alive.createContainer(*sandbox, config);
  ASSERT_TRUE(aliveId) << aliveId.error().message;
  ASSERT_TRUE(alive.startContainer(*aliveId));

  MainWindow window;
  open(window);
  ASSERT_TRUE(QTest::qWaitFor([&] { return settled(window); }, kCheckTimeoutMs));
  EXPECT_EQ(window.leftoversOffer()->state(), LeftoversOffer::State::Idle);
  EXPECT_TRUE(window.leftoversBanner()->isHidden()) << window.leftoversBanner()->text().toStdString();

  // A run crashes meanwhile; choosing containerd again looks again, and
  // offers the crashed run's pod only.
  const std::string crashed = crash();
  ASSERT_FALSE(crashed.empty());
  auto* runtimes = window.findChild<QComboBox*>(QStringLiteral("runtimeCombo"));
  ASSERT_NE(runtimes, nullptr);
  runtimes->setCurrentIndex(runtimes->findText(QStringLiteral("Simulated")));
  runtimes->setCurrentIndex(runtimes->findText(QStringLiteral("containerd")));
  ASSERT_TRUE(QTest::qWaitFor([&] { return settled(window); }, kCheckTimeoutMs));
  ASSERT_EQ(window.leftoversOffer()->state(), LeftoversOffer::State::Offering);
  const engine::ContainerdLeftovers& offered = window.leftoversOffer()->offered();
  EXPECT_EQ(offered.containers, std::vector<std::string>{crashed});
  EXPECT_EQ(offered.sandboxes.size(), 1u);
  EXPECT_EQ(offered.runs.size(), 1u);
  for (const std::string& dir : offered.sandboxes) EXPECT_EQ(dir.find(*sandbox), std::string::npos) << dir;
  EXPECT_EQ(window.leftoversBanner()->text(),
            QStringLiteral("Found leftovers of 1 crashed run in containerd namespace \"podscope\": "
                           "1 container and 1 sandbox."));

  QTest::mouseClick(bannerButton(*window.leftoversBanner(), QStringLiteral("Re&move")), Qt::LeftButton);
  ASSERT_TRUE(QTest::qWaitFor([&] { return settled(window); }, kRemoveTimeoutMs));
  EXPECT_EQ(window.leftoversBanner()->text(), QStringLiteral("Removed 1 container and 1 sandbox left by 1 crashed run."));
  EXPECT_TRUE(ctrList("containers", crashed).empty());
  // The live run's pod still runs.
  EXPECT_EQ(ctrList("tasks", *aliveId).size(), 1u);
  EXPECT_TRUE(alive.removeContainer(*aliveId));
  EXPECT_TRUE(alive.removeSandbox(*sandbox));
}

}  // namespace
}  // namespace podscope::ui
