#include "ui/history_panel.h"

#include <QComboBox>
#include <QDateTime>
#include <QDialog>
#include <QDialogButtonBox>
#include <QFont>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QPushButton>
#include <QSplitter>
#include <QTableView>
#include <QVBoxLayout>

#include <algorithm>
#include <set>

#include "core/pod_template_yaml.h"
#include "ui/diff_layout.h"
#include "ui/diff_view.h"
#include "ui/table_style.h"

namespace podscope::ui {

namespace {

QString qs(std::string_view s) { return QString::fromUtf8(s.data(), static_cast<qsizetype>(s.size())); }

std::int64_t nowMs() { return QDateTime::currentMSecsSinceEpoch(); }

QString keyText(const core::DeploymentKey& key) { return qs(key.ns) + QLatin1Char('/') + qs(key.name); }

}  // namespace

std::optional<core::PodTemplateSpec> podTemplateFromYaml(const std::string& yaml) {
  core::Result<core::PodTemplateSpec> read = core::readPodTemplate(yaml);
  if (!read) return std::nullopt;
  return std::move(*read);
}

// --- RevisionsModel ---------------------------------------------------------

RevisionsModel::RevisionsModel(QObject* parent) : QAbstractTableModel(parent) {}

void RevisionsModel::setHistory(core::DeploymentHistory history, std::int64_t now) {
  beginResetModel();
  m_history = std::move(history);
  m_rows = core::revisionRows(m_history.revisions, m_history.deployment.currentRevision, now);
  endResetModel();
}

void RevisionsModel::clear() { setHistory({}, 0); }

const core::Revision* RevisionsModel::revisionAt(int row) const {
  if (row < 0 || row >= static_cast<int>(m_history.revisions.size())) return nullptr;
  return &m_history.revisions[static_cast<size_t>(row)];
}

int RevisionsModel::rowOf(std::int64_t number) const {
  for (size_t i = 0; i < m_history.revisions.size(); ++i) {
    if (m_history.revisions[i].number == number) return static_cast<int>(i);
  }
  return -1;
}

int RevisionsModel::rowCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : static_cast<int>(m_rows.size());
}

int RevisionsModel::columnCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : ColumnCount; }

QVariant RevisionsModel::data(const QModelIndex& index, int role) const {
  if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid)) return {};
  const core::RevisionRow& row = m_rows[static_cast<size_t>(index.row())];
  const core::Revision& revision = m_history.revisions[static_cast<size_t>(index.row())];
  switch (role) {
    case NumberRole: return QVariant::fromValue<qint64>(row.number);
    case CurrentRole: return row.current;
    case Qt::DisplayRole:
      switch (static_cast<Column>(index.column())) {
        case RevisionColumn:
          return row.current ? tr("%1 (current)").arg(row.number) : QString::number(row.number);
        case ChangeCauseColumn: return qs(row.changeCause);
        case AgeColumn: return qs(row.age);
        case ImagesColumn: return qs(row.images);
        case OutcomeColumn: return qs(core::toString(row.outcome));
        case ColumnCount: break;
      }
      return {};
    case Qt::ToolTipRole:
      if (index.column() == RevisionColumn && !revision.revisionHistory.empty()) {
        QStringList earlier;
        for (std::int64_t n : revision.revisionHistory) earlier << QString::number(n);
        return tr("This template was revision %1 before").arg(earlier.join(QStringLiteral(", ")));
      }
      if (index.column() == AgeColumn) {
        return QDateTime::fromMSecsSinceEpoch(revision.numberedMs).toString(Qt::ISODate);
      }
      return {};
    case Qt::FontRole:
      if (row.current) {
        QFont bold;
        bold.setBold(true);
        return bold;
      }
      return {};
    case Qt::TextAlignmentRole:
      if (index.column() == RevisionColumn || index.column() == AgeColumn) {
        return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
      }
      return {};
    default: return {};
  }
}

QVariant RevisionsModel::headerData(int section, Qt::Orientation orientation, int role) const {
  if (orientation != Qt::Horizontal || role != Qt::DisplayRole) {
    return QAbstractTableModel::headerData(section, orientation, role);
  }
  switch (static_cast<Column>(section)) {
    case RevisionColumn: return tr("Revision");
    case ChangeCauseColumn: return tr("Change-Cause");
    case AgeColumn: return tr("Age");
    case ImagesColumn: return tr("Images");
    case OutcomeColumn: return tr("Outcome");
    case ColumnCount: break;
  }
  return {};
}

// --- HistoryPanel -------------------------------------------------------------

HistoryPanel::HistoryPanel(QWidget* parent) : QWidget(parent) {
  setObjectName(QStringLiteral("historyPanel"));
  m_deployments = new QComboBox(this);
  m_deployments->setObjectName(QStringLiteral("historyDeployments"));
  m_deployments->setSizeAdjustPolicy(QComboBox::AdjustToContents);
  m_deployments->setToolTip(tr("Deployments Podscope has run, by namespace and name"));
  m_reload = new QPushButton(tr("Reload"), this);
  m_reload->setToolTip(tr("Read the history again"));
  m_rollBack = new QPushButton(tr("Roll Back…"), this);
  m_rollBack->setObjectName(QStringLiteral("historyRollBack"));
  m_rollBack->setToolTip(
      tr("Make the selected revision's template current again, as kubectl rollout undo --to-revision does"));
  m_message = new QLabel(this);
  m_message->setObjectName(QStringLiteral("historyMessage"));
  m_message->setTextFormat(Qt::PlainText);
  m_message->setTextInteractionFlags(Qt::TextSelectableByMouse);

  auto* bar = new QHBoxLayout;
  bar->addWidget(new QLabel(tr("Deployment:"), this));
  bar->addWidget(m_deployments);
  bar->addWidget(m_reload);
  bar->addWidget(m_message, 1);
  bar->addWidget(m_rollBack);

  m_model = new RevisionsModel(this);
  m_table = new QTableView(this);
  m_table->setObjectName(QStringLiteral("historyTable"));
  m_table->setModel(m_model);
  m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
  m_table->setSelectionMode(QAbstractItemView::ExtendedSelection);
  m_table->setToolTip(tr("Select a revision to compare it with the current one, or two to compare them"));
  styleRecordTable(*m_table);
  m_table->horizontalHeader()->setSectionResizeMode(RevisionsModel::ChangeCauseColumn, QHeaderView::Stretch);

  m_diff = new DiffView(this);
  auto* split = new QSplitter(Qt::Vertical, this);
  split->addWidget(m_table);
  split->addWidget(m_diff);
  split->setStretchFactor(1, 3);

  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(4, 4, 4, 4);
  layout->addLayout(bar);
  layout->addWidget(split, 1);

  m_confirm = [this](const QString& summary, QWidget* preview) {
    QDialog dialog(this);
    dialog.setWindowTitle(tr("Roll Back"));
    auto* text = new QLabel(summary, &dialog);
    text->setWordWrap(true);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, &dialog);
    buttons->button(QDialogButtonBox::Ok)->setText(tr("Roll Back"));
    connect(buttons, &QDialogButtonBox::accepted, &dialog, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, &dialog, &QDialog::reject);
    auto* box = new QVBoxLayout(&dialog);
    box->addWidget(text);
    preview->setParent(&dialog);
    box->addWidget(preview, 1);
    box->addWidget(buttons);
    dialog.resize(900, 600);
    return dialog.exec() == QDialog::Accepted;
  };

  connect(m_deployments, &QComboBox::currentIndexChanged, this, &HistoryPanel::onDeploymentChosen);
  connect(m_reload, &QPushButton::clicked, this, &HistoryPanel::reload);
  connect(m_table->selectionModel(), &QItemSelectionModel::selectionChanged, this, &HistoryPanel::onSelectionChanged);
  connect(m_rollBack, &QPushButton::clicked, this, [this] {
    const QModelIndexList rows = m_table->selectionModel()->selectedRows();
    if (rows.size() != 1) return;
    const core::Revision* revision = m_model->revisionAt(rows.front().row());
    if (!revision) return;
    core::Result<std::string> done = rollBack(revision->number);
    if (!done) showMessage(qs(core::kubectlErrorLine(done.error().message)), true);
  });
  setStore(nullptr, tr("No history yet: run a Deployment to start one."));
}

HistoryPanel::~HistoryPanel() = default;

void HistoryPanel::setStore(std::shared_ptr<core::HistoryStore> store, const QString& problem) {
  m_store = std::move(store);
  if (!m_store && !problem.isEmpty()) showMessage(problem, false);
  reload();
}

void HistoryPanel::reload() {
  const std::optional<core::DeploymentKey> shown = currentDeployment();
  const QSignalBlocker blocker(m_deployments);
  m_deployments->clear();
  if (m_store) {
    core::Result<std::vector<core::DeploymentSummary>> list = m_store->listDeployments();
    if (!list) {
      showMessage(qs(list.error().toString()), true);
    } else {
      for (const core::DeploymentSummary& d : *list) {
        m_deployments->addItem(keyText(d.key), QStringList{qs(d.key.ns), qs(d.key.name)});
      }
      if (list->empty()) showMessage(tr("No history yet: run a Deployment to start one."));
    }
  }
  int index = m_deployments->count() > 0 ? 0 : -1;
  if (shown) {
    const int found = m_deployments->findText(keyText(*shown));
    if (found >= 0) index = found;
  }
  m_deployments->setCurrentIndex(index);
  onDeploymentChosen(index);
}

std::optional<core::DeploymentKey> HistoryPanel::currentDeployment() const {
  const QStringList parts = m_deployments->currentData().toStringList();
  if (parts.size() != 2) return std::nullopt;
  return core::DeploymentKey{parts[0].toStdString(), parts[1].toStdString()};
}

bool HistoryPanel::showDeployment(const core::DeploymentKey& key) {
  reload();
  const int index = m_deployments->findText(keyText(key));
  if (index < 0) return false;
  m_deployments->setCurrentIndex(index);
  return true;
}

void HistoryPanel::onDeploymentChosen(int index) {
  Q_UNUSED(index);
  const std::optional<core::DeploymentKey> key = currentDeployment();
  if (!key || !m_store) {
    m_model->clear();
    updateButtons();
    return;
  }
  core::Result<std::optional<core::DeploymentHistory>> history = m_store->history(*key);
  if (!history) {
    showMessage(qs(history.error().toString()), true);
    m_model->clear();
  } else if (!*history) {
    m_model->clear();
  } else {
    m_model->setHistory(std::move(**history), nowMs());
    if (m_message->property("error").toBool() || m_message->text().startsWith(tr("No history yet"))) {
      showMessage({});
    }
  }
  m_table->resizeColumnsToContents();
  // Start on the last change: the current revision against the one before.
  const int current = m_model->rowOf(m_model->history().deployment.currentRevision);
  if (current >= 0) {
    m_table->selectionModel()->select(m_model->index(current, 0),
                                      QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
  }
  updateButtons();
}

QString HistoryPanel::titleOf(const core::Revision& revision) const {
  QStringList images;
  for (const std::string& image : revision.images) images << qs(image);
  QString title = tr("Revision %1").arg(revision.number);
  if (!images.isEmpty()) title += QStringLiteral(" · ") + images.join(QStringLiteral(", "));
  if (revision.number == m_model->history().deployment.currentRevision) title += tr(" (current)");
  return title;
}

void HistoryPanel::compareRevisions(std::int64_t left, std::int64_t right) {
  if (left > right) std::swap(left, right);
  const core::Revision* a = m_model->revisionAt(m_model->rowOf(left));
  const core::Revision* b = m_model->revisionAt(m_model->rowOf(right));
  if (!a || !b) return;
  DiffRequest request;
  request.left = DiffSource{titleOf(*a), a->templateYaml, podTemplateFromYaml(a->templateYaml)};
  request.right = DiffSource{titleOf(*b), b->templateYaml, podTemplateFromYaml(b->templateYaml)};
  request.fileName = QStringLiteral("%1-pod-template.yaml").arg(qs(m_model->history().deployment.key.name));
  m_diff->compare(std::move(request));
}

void HistoryPanel::onSelectionChanged() {
  std::set<std::int64_t> chosen;
  for (const QModelIndex& row : m_table->selectionModel()->selectedRows()) {
    if (const core::Revision* r = m_model->revisionAt(row.row())) chosen.insert(r->number);
  }
  const std::int64_t current = m_model->history().deployment.currentRevision;
  if (chosen.size() >= 2) {
    compareRevisions(*chosen.begin(), *chosen.rbegin());
  } else if (chosen.size() == 1) {
    const std::int64_t picked = *chosen.begin();
    if (picked != current) {
      compareRevisions(picked, current);
    } else {
      // The current revision against the one before it.
      const int row = m_model->rowOf(picked);
      const core::Revision* before = m_model->revisionAt(row - 1);
      compareRevisions(before ? before->number : picked, picked);
    }
  }
  updateButtons();
}

void HistoryPanel::updateButtons() {
  const QModelIndexList rows = m_table->selectionModel()->selectedRows();
  const core::Revision* picked = rows.size() == 1 ? m_model->revisionAt(rows.front().row()) : nullptr;
  const bool canRollBack = m_store && picked && picked->number != m_model->history().deployment.currentRevision;
  m_rollBack->setEnabled(canRollBack);
  m_rollBack->setText(canRollBack ? tr("Roll Back to Revision %1…").arg(picked->number) : tr("Roll Back…"));
}

void HistoryPanel::showMessage(const QString& text, bool error) {
  m_message->setText(text);
  m_message->setProperty("error", error);
  m_message->setStyleSheet(error ? QStringLiteral("color: #B3261E;") : QString());
}

core::Result<std::string> HistoryPanel::rollBack(std::int64_t revision, bool confirm) {
  const std::optional<core::DeploymentKey> key = currentDeployment();
  if (!m_store || !key) return core::Error{"no Deployment is shown", {}, std::nullopt};
  core::Result<core::UndoPlan> plan = m_store->undo(*key, revision);
  if (!plan) return plan.error();
  if (plan->kind == core::UndoPlan::Kind::Skip) {
    showMessage(qs(plan->message));
    return plan->message;
  }
  const core::DeploymentHistory& history = m_model->history();
  const std::int64_t previous = history.deployment.currentRevision;
  if (confirm) {
    const core::Revision* current = m_model->revisionAt(m_model->rowOf(previous));
    auto* preview = new DiffView;
    DiffRequest request;
    request.left = DiffSource{current ? titleOf(*current) : tr("Current"), current ? current->templateYaml : "",
                              current ? podTemplateFromYaml(current->templateYaml) : std::nullopt};
    request.right = DiffSource{tr("Revision %1, as it will be applied").arg(plan->revision), plan->templateYaml,
                               podTemplateFromYaml(plan->templateYaml)};
    preview->compare(std::move(request));
    const QString summary =
        tr("Roll back %1 to revision %2? Its template becomes revision %3, and the rollout replaces the "
           "current pods as the strategy says. What changes:")
            .arg(qs(core::deploymentRef(key->name)))
            .arg(plan->revision)
            .arg(std::max_element(history.revisions.begin(), history.revisions.end(),
                                  [](const core::Revision& a, const core::Revision& b) { return a.number < b.number; })
                     ->number +
                 1);
    const bool go = m_confirm(summary, preview);
    delete preview;
    if (!go) return std::string("rollback cancelled");
  }
  core::AppliedTemplate applied;
  applied.templateYaml = plan->templateYaml;
  applied.templateHash = plan->templateHash;
  applied.changeCause = plan->changeCause;
  applied.images = plan->images;
  applied.revisionHistoryLimit = history.deployment.revisionHistoryLimit;
  core::Result<core::RecordResult> recorded = m_store->record(*key, applied);
  if (!recorded) return recorded.error();
  m_store->setOutcome(*key, previous, core::RevisionOutcome::RolledBack);
  const std::int64_t now = recorded->decision.number;
  reload();
  showMessage(qs(plan->message));
  emit rolledBack(qs(key->ns), qs(key->name), now);
  return plan->message;
}

}  // namespace podscope::ui
