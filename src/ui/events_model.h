#pragma once
// The events of a run in the columns of `kubectl describe`'s Events section:
// Type, Reason, Age, From, Object, Message. Age counts from the pod's
// creation to the event, in kubectl's compact form, as `podscope-cli run`
// prints it (docs/record-format.md); the exact time is in TimeRole and the
// Age tooltip. EventsFilterModel filters it by text and by type.

#include <QAbstractTableModel>
#include <QSortFilterProxyModel>

#include <vector>

#include "core/run_record.h"

namespace podscope::ui {

/// Thread contract: GUI thread only.
class EventsModel final : public QAbstractTableModel {
  Q_OBJECT

 public:
  enum Column { TypeColumn, ReasonColumn, AgeColumn, FromColumn, ObjectColumn, MessageColumn, ColumnCount };
  Q_ENUM(Column)

  enum Role {
    TimeRole = Qt::UserRole + 1,  ///< qint64, nanoseconds since the pod was created
    TypeRole,                     ///< int, a core::EventType
    ReasonRole,                   ///< QString
    ObjectRole,                   ///< QString, `spec.containers{name}` or empty for the pod
    MessageRole,                  ///< QString
    FromRole,                     ///< QString, `kubelet` or `default-scheduler`
  };
  Q_ENUM(Role)

  explicit EventsModel(QObject* parent = nullptr);

  void append(const core::Event& event);
  void setEvents(std::vector<core::Event> events);
  void clear();
  const std::vector<core::Event>& events() const { return m_events; }

  /// The row of the event nearest to `time` with `reason` and `object`
  /// (either may be empty to match any), or -1 when none has them.
  int findEvent(core::RunTime time, const QString& reason = {}, const QString& object = {}) const;

  int rowCount(const QModelIndex& parent = {}) const override;
  int columnCount(const QModelIndex& parent = {}) const override;
  QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
  QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
  QHash<int, QByteArray> roleNames() const override;

 private:
  std::vector<core::Event> m_events;
};

/// Keeps the events whose reason, message, object or source contain the
/// filter text (case-insensitive), and with warningsOnly, Warning events only.
/// Thread contract: GUI thread only.
class EventsFilterModel final : public QSortFilterProxyModel {
  Q_OBJECT

 public:
  explicit EventsFilterModel(QObject* parent = nullptr);
  void setFilterText(const QString& text);
  QString filterText() const { return m_text; }
  void setWarningsOnly(bool warningsOnly);
  bool warningsOnly() const { return m_warningsOnly; }

 protected:
  bool filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const override;

 private:
  QString m_text;
  bool m_warningsOnly = false;
};

}  // namespace podscope::ui
