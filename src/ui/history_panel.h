#pragma once
// The History tab: a Deployment's revisions as `kubectl rollout history`
// knows them, read from the durable history (core::HistoryStore), with any
// two of them side by side in a DiffView and a rollback that previews what
// will change before it asks.
//
// RevisionsModel lists the revisions (REVISION, CHANGE-CAUSE, AGE, IMAGES,
// OUTCOME). Selecting one revision compares it with the current one (the
// current one: with the revision before it); selecting two compares them,
// the lower number on the left.
//
// Thread contract: GUI thread only. The store is read on the GUI thread
// (SQLite reads of a few rows); the diff is laid out off it by DiffView.

#include <QAbstractTableModel>
#include <QWidget>

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <vector>

#include "core/history_store.h"
#include "core/manifest.h"

class QComboBox;
class QLabel;
class QPushButton;
class QTableView;

namespace podscope::ui {

class DiffView;

/// A stored pod template read back into the model, for the structural
/// summary; nullopt when the text does not read as a template.
std::optional<core::PodTemplateSpec> podTemplateFromYaml(const std::string& yaml);

/// Thread contract: GUI thread only.
class RevisionsModel final : public QAbstractTableModel {
  Q_OBJECT

 public:
  enum Column { RevisionColumn, ChangeCauseColumn, AgeColumn, ImagesColumn, OutcomeColumn, ColumnCount };
  Q_ENUM(Column)
  enum Role {
    NumberRole = Qt::UserRole + 1,  ///< qint64, the revision's number
    CurrentRole,                    ///< bool, the Deployment's current revision
  };
  Q_ENUM(Role)

  explicit RevisionsModel(QObject* parent = nullptr);

  /// Shows `history` with ages as at `nowMs` (UTC ms since the epoch).
  void setHistory(core::DeploymentHistory history, std::int64_t nowMs);
  void clear();
  const core::DeploymentHistory& history() const { return m_history; }
  /// The revision shown at `row`, or null.
  const core::Revision* revisionAt(int row) const;
  int rowOf(std::int64_t number) const;

  int rowCount(const QModelIndex& parent = {}) const override;
  int columnCount(const QModelIndex& parent = {}) const override;
  QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
  QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

 private:
  core::DeploymentHistory m_history;
  std::vector<core::RevisionRow> m_rows;
};

/// Thread contract: GUI thread only.
class HistoryPanel final : public QWidget {
  Q_OBJECT

 public:
  explicit HistoryPanel(QWidget* parent = nullptr);
  ~HistoryPanel() override;

  /// The history to show; null shows why there is none (`problem`).
  void setStore(std::shared_ptr<core::HistoryStore> store, const QString& problem = {});
  /// Reads the store again (after a rollout recorded something).
  void reload();
  /// Shows `key`'s history; false when the store has none for it.
  bool showDeployment(const core::DeploymentKey& key);
  std::optional<core::DeploymentKey> currentDeployment() const;

  /// Compares two revisions by number (the lower on the left).
  void compareRevisions(std::int64_t left, std::int64_t right);
  /// Rolls back to `revision` (0: the previous one) as `kubectl rollout
  /// undo --to-revision` does, after showing what will change when
  /// `confirm` is set. Returns kubectl's line (rolled back / skipped) or
  /// the error; the history then has the old template as a new revision.
  core::Result<std::string> rollBack(std::int64_t revision, bool confirm = true);

  /// Asks whether to go ahead, given the preview; replaced by tests.
  void setConfirm(std::function<bool(const QString& summary, QWidget* preview)> confirm) {
    m_confirm = std::move(confirm);
  }

  QComboBox* deploymentBox() const { return m_deployments; }
  QTableView* table() const { return m_table; }
  RevisionsModel* model() const { return m_model; }
  DiffView* diffView() const { return m_diff; }
  QPushButton* rollBackButton() const { return m_rollBack; }
  QLabel* messageLabel() const { return m_message; }

 signals:
  /// A rollback changed the history of `deployment`: its revision
  /// `revision` (the old template's new number) is now current.
  void rolledBack(const QString& ns, const QString& name, qint64 revision);

 private:
  void onDeploymentChosen(int index);
  void onSelectionChanged();
  void updateButtons();
  void showMessage(const QString& text, bool error = false);
  QString titleOf(const core::Revision& revision) const;

  std::shared_ptr<core::HistoryStore> m_store;
  QComboBox* m_deployments = nullptr;
  QPushButton* m_reload = nullptr;
  QPushButton* m_rollBack = nullptr;
  QLabel* m_message = nullptr;
  QTableView* m_table = nullptr;
  RevisionsModel* m_model = nullptr;
  DiffView* m_diff = nullptr;
  std::function<bool(const QString&, QWidget*)> m_confirm;
};

}  // namespace podscope::ui
