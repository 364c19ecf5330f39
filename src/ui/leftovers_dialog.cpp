#include "ui/leftovers_dialog.h"

#include <QApplication>
#include <QClipboard>
#include <QDialogButtonBox>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QTreeWidget>
#include <QVBoxLayout>

#include "engine/runtime/containerd/containerd_runtime.h"
#include "engine/runtime/containerd/run_lock.h"

namespace podscope::ui {

namespace {

constexpr int kDefaultWidth = 820;
constexpr int kDefaultHeight = 440;
constexpr int kProblemRows = 4;

QString qs(const std::string& s) { return QString::fromStdString(s); }

QString groupTitle(engine::LeftoverKind kind, std::size_t n) {
  switch (kind) {
    case engine::LeftoverKind::Container: return LeftoversDialog::tr("Containers (%1)").arg(n);
    case engine::LeftoverKind::Snapshot: return LeftoversDialog::tr("Snapshots (%1)").arg(n);
    case engine::LeftoverKind::Sandbox: return LeftoversDialog::tr("Sandboxes (%1)").arg(n);
    case engine::LeftoverKind::RunLock: return LeftoversDialog::tr("Stale run locks (%1)").arg(n);
  }
  return {};
}

QString resolvedStateDir(const ContainerdSettings& settings) {
  return settings.stateDir.isEmpty() ? qs(engine::ContainerdRuntime::defaultStateDir()) : settings.stateDir;
}

}  // namespace

LeftoversDialog::LeftoversDialog(QWidget* parent) : QDialog(parent) {
  setObjectName(QStringLiteral("leftoversDialog"));
  setWindowTitle(tr("Leftovers of Crashed Runs"));

  m_intro = new QLabel(this);
  m_intro->setObjectName(QStringLiteral("leftoversIntro"));
  m_intro->setWordWrap(true);
  m_intro->setTextFormat(Qt::PlainText);
  m_intro->setTextInteractionFlags(Qt::TextSelectableByMouse);

  m_problems = new QTreeWidget(this);
  m_problems->setObjectName(QStringLiteral("leftoversProblems"));
  m_problems->setHeaderLabels({tr("What could not be removed, and why")});
  m_problems->setRootIsDecorated(false);
  m_problems->setWordWrap(true);
  m_problems->setMaximumHeight(m_problems->fontMetrics().height() * (kProblemRows + 2));
  m_problems->hide();

  m_tree = new QTreeWidget(this);
  m_tree->setObjectName(QStringLiteral("leftoversTree"));
  m_tree->setHeaderLabels({tr("Object"), tr("Details")});
  m_tree->setSelectionMode(QAbstractItemView::ExtendedSelection);
  m_tree->setUniformRowHeights(true);
  m_tree->header()->setStretchLastSection(true);

  auto* buttons = new QDialogButtonBox(this);
  m_removeButton = buttons->addButton(tr("Re&move"), QDialogButtonBox::AcceptRole);
  m_removeButton->setObjectName(QStringLiteral("leftoversRemoveButton"));
  m_removeButton->setAutoDefault(false);
  m_copyButton = buttons->addButton(tr("&Copy List"), QDialogButtonBox::ActionRole);
  m_copyButton->setObjectName(QStringLiteral("leftoversCopyButton"));
  m_copyButton->setAutoDefault(false);
  m_copyButton->setToolTip(tr("Copy the list as text, one object a line"));
  QPushButton* close = buttons->addButton(QDialogButtonBox::Close);
  // Enter must never remove anything by surprise.
  close->setDefault(true);

  connect(m_removeButton, &QPushButton::clicked, this, [this] {
    accept();
    emit removeRequested();
  });
  connect(m_copyButton, &QPushButton::clicked, this, &LeftoversDialog::copyList);
  connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

  auto* layout = new QVBoxLayout(this);
  layout->addWidget(m_intro);
  layout->addWidget(m_problems);
  layout->addWidget(m_tree, 1);
  layout->addWidget(buttons);
  resize(kDefaultWidth, kDefaultHeight);
  m_tree->setFocus();
}

void LeftoversDialog::setLeftovers(const ContainerdSettings& settings, const engine::ContainerdLeftovers& leftovers,
                                   const std::vector<std::string>& problems, const QString& removeText) {
  const QString stateDir = resolvedStateDir(settings);
  const std::size_t runs = leftovers.runs.size();
  const QString byRuns = runs == 1 ? tr("1 run of Podscope") : tr("%1 runs of Podscope").arg(runs);
  const QString where = tr("in containerd namespace \"%1\" (socket %2) and in the state directory %3")
                            .arg(settings.containerdNamespace, settings.address, stateDir);
  QString intro = problems.empty()
                      ? tr("%1 ended without cleaning up and left these %2.").arg(byRuns, where)
                      : tr("These are still there %1, left by %2 that ended without cleaning up.").arg(where, byRuns);
  intro += QStringLiteral("\n\n");
  intro += tr("Removing them kills their tasks and deletes the containers, snapshots and sandbox folders "
              "(with their namespaces and volumes). Only objects labelled by runs whose process is gone are listed; "
              "nothing else is touched.");
  m_intro->setText(intro);

  m_problems->clear();
  for (const std::string& problem : problems) {
    auto* item = new QTreeWidgetItem(m_problems, {qs(problem)});
    item->setToolTip(0, qs(problem));
  }
  m_problems->setVisible(!problems.empty());

  m_tree->clear();
  const std::vector<engine::LeftoverObject> objects = engine::leftoverObjects(leftovers);
  for (engine::LeftoverKind kind : {engine::LeftoverKind::Container, engine::LeftoverKind::Snapshot,
                                    engine::LeftoverKind::Sandbox, engine::LeftoverKind::RunLock}) {
    std::vector<const engine::LeftoverObject*> ofKind;
    for (const engine::LeftoverObject& o : objects) {
      if (o.kind == kind) ofKind.push_back(&o);
    }
    if (ofKind.empty()) continue;
    auto* group = new QTreeWidgetItem(m_tree, {groupTitle(kind, ofKind.size())});
    group->setFlags(Qt::ItemIsEnabled);
    QFont bold = group->font(0);
    bold.setBold(true);
    group->setFont(0, bold);
    for (const engine::LeftoverObject* o : ofKind) {
      const QString with = kind == engine::LeftoverKind::RunLock
                               ? qs(engine::containerd::runLockPath(stateDir.toStdString(), o->name))
                               : qs(engine::whatGoesWith(kind));
      auto* item = new QTreeWidgetItem(group, {qs(o->name), with});
      item->setToolTip(0, qs(o->name));
      item->setToolTip(1, with);
    }
    group->setExpanded(true);
  }
  m_tree->resizeColumnToContents(0);
  // The keyboard starts on the first object, not on a heading.
  if (QTreeWidgetItem* first = m_tree->topLevelItem(0); first && first->childCount() > 0) {
    m_tree->setCurrentItem(first->child(0), 0, QItemSelectionModel::NoUpdate);
  }

  m_listText = tr("Left %1 by %2 that ended without cleaning up:\n").arg(where, byRuns) +
               qs(engine::formatLeftoverList(leftovers, true));
  for (const std::string& problem : problems) m_listText += tr("Could not remove: %1\n").arg(qs(problem));

  m_removeButton->setText(removeText);
  m_removeButton->setEnabled(leftovers.objectsLeft());
}

void LeftoversDialog::copyList() { QApplication::clipboard()->setText(m_listText); }

}  // namespace podscope::ui
