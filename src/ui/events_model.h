#pragma once
// The events of a run in the columns of `kubectl describe`'s Events section:
// Type, Reason, Age, From, Object, Message. As in kubectl, Age is how long
// ago the event happened, in kubectl's compact form: back from the present
// while the run goes on, from the run's end once it is over (setNow()). Each
// event is its own row, so the timeline can point at it; the exact time is
// in TimeRole and the Age tooltip. EventsFilterModel filters it by text and
// by type.

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

  /// The moment ages count back from, in run time (the present of a live
  /// run, or the end of a finished one); the Age column follows it.
  void setNow(core::RunTime now);
  core::RunTime now() const { return m_now; }

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
  core::RunTime m_now{0};
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
