#pragma once
// The transitions of one run as a table: TIME, CONTAINER, FROM, TO, REASON,
// MESSAGE. Views that need the values rather than the text (the swimlanes)
// read the named roles, which are the same on every column.

#include <QAbstractTableModel>

#include <vector>

#include "core/run_record.h"

namespace podscope::ui {

/// Thread contract: GUI thread only; transitions from the engine arrive
/// through RunController, already on the GUI thread.
class TransitionModel final : public QAbstractTableModel {
  Q_OBJECT

 public:
  enum Column { TimeColumn, SubjectColumn, FromColumn, ToColumn, ReasonColumn, MessageColumn, ColumnCount };
  Q_ENUM(Column)

  enum Role {
    TimeRole = Qt::UserRole + 1,  ///< qint64, nanoseconds since the pod was created
    SubjectRole,                  ///< QString, the pod's or container's name
    KindRole,                     ///< int, a core::SubjectKind
    FromRole,                     ///< QString, empty for the first state
    ToRole,                       ///< QString
    ReasonRole,                   ///< QString
    MessageRole,                  ///< QString
    ExitCodeRole,                 ///< int for Terminated, invalid otherwise
  };
  Q_ENUM(Role)

  explicit TransitionModel(QObject* parent = nullptr);

  void append(const core::Transition& transition);
  void setTransitions(std::vector<core::Transition> transitions);
  void clear();
  const std::vector<core::Transition>& transitions() const { return m_transitions; }

  int rowCount(const QModelIndex& parent = {}) const override;
  int columnCount(const QModelIndex& parent = {}) const override;
  QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
  QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
  QHash<int, QByteArray> roleNames() const override;

 private:
  std::vector<core::Transition> m_transitions;
};

}  // namespace podscope::ui
