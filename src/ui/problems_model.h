#pragma once
// ProblemsModel: the findings about the text in the editor, one row each,
// in file order: severity, line:column, message, rule.
// Thread contract: GUI thread only.

#include <QAbstractTableModel>

#include <vector>

#include "core/diagnostic.h"

namespace podscope::ui {

class ProblemsModel final : public QAbstractTableModel {
  Q_OBJECT

 public:
  enum Column { SeverityColumn, LocationColumn, MessageColumn, RuleColumn, ColumnCount };
  enum Role {
    SeverityRole = Qt::UserRole + 1,  ///< int: core::Severity
    LineRole,                         ///< int: 1-based; 0 when unknown
    ColumnRole,                       ///< int: 1-based; 0 when unknown
    RuleRole,                         ///< QString
    MessageRole,                      ///< QString
    PathRole,                         ///< QString: the field path, empty for YAML errors
  };

  explicit ProblemsModel(QObject* parent = nullptr);

  /// Replaces the rows; nothing happens when they are the same.
  void setDiagnostics(std::vector<core::Diagnostic> diagnostics);
  const std::vector<core::Diagnostic>& diagnostics() const { return m_rows; }
  int count(core::Severity severity) const;

  int rowCount(const QModelIndex& parent = {}) const override;
  int columnCount(const QModelIndex& parent = {}) const override;
  QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
  QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
  QHash<int, QByteArray> roleNames() const override;

 private:
  std::vector<core::Diagnostic> m_rows;
};

}  // namespace podscope::ui
