#include "ui/events_model.h"

#include <QColor>
#include <QFontDatabase>

#include <cstdlib>

namespace podscope::ui {

namespace {

QString qs(std::string_view s) { return QString::fromUtf8(s.data(), static_cast<qsizetype>(s.size())); }

const QColor kWarning(0xB3, 0x4A, 0x00);

}  // namespace

EventsModel::EventsModel(QObject* parent) : QAbstractTableModel(parent) {}

void EventsModel::append(const core::Event& event) {
  const int row = static_cast<int>(m_events.size());
  beginInsertRows({}, row, row);
  m_events.push_back(event);
  endInsertRows();
}

void EventsModel::setEvents(std::vector<core::Event> events) {
  beginResetModel();
  m_events = std::move(events);
  endResetModel();
}

void EventsModel::clear() {
  m_now = {};
  setEvents({});
}

void EventsModel::setNow(core::RunTime now) {
  if (now == m_now) return;
  m_now = now;
  if (!m_events.empty()) {
    emit dataChanged(index(0, AgeColumn), index(rowCount() - 1, AgeColumn), {Qt::DisplayRole, Qt::ToolTipRole});
  }
}

int EventsModel::findEvent(core::RunTime time, const QString& reason, const QString& object) const {
  int best = -1;
  core::RunTime bestDistance = core::RunTime::max();
  const std::string wantedReason = reason.toStdString();
  const std::string wantedObject = object.toStdString();
  for (size_t i = 0; i < m_events.size(); ++i) {
    const core::Event& e = m_events[i];
    if (!wantedReason.empty() && e.reason != wantedReason) continue;
    if (!wantedObject.empty() && e.object != wantedObject) continue;
    const core::RunTime d = e.time > time ? e.time - time : time - e.time;
    if (d < bestDistance) {
      bestDistance = d;
      best = static_cast<int>(i);
    }
  }
  return best;
}

int EventsModel::rowCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : static_cast<int>(m_events.size());
}

int EventsModel::columnCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : ColumnCount; }

QVariant EventsModel::data(const QModelIndex& index, int role) const {
  if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid)) return {};
  const core::Event& e = m_events[static_cast<size_t>(index.row())];
  switch (role) {
    case TimeRole: return QVariant::fromValue<qint64>(e.time.count());
    case TypeRole: return static_cast<int>(e.type);
    case ReasonRole: return qs(e.reason);
    case ObjectRole: return qs(e.object);
    case MessageRole: return qs(e.message);
    case FromRole: return qs(core::eventSource(e));
    default: break;
  }
  const auto column = static_cast<Column>(index.column());
  switch (role) {
    case Qt::DisplayRole:
      switch (column) {
        case TypeColumn: return qs(core::toString(e.type));
        case ReasonColumn: return qs(e.reason);
        case AgeColumn: return qs(core::formatAge(m_now > e.time ? m_now - e.time : core::RunTime{0}));
        case FromColumn: return qs(core::eventSource(e));
        case ObjectColumn: {
          // The container's name reads at a glance; the field path is in the tooltip.
          if (e.object.empty()) return tr("pod");
          const size_t open = e.object.find('{');
          if (open == std::string::npos || e.object.back() != '}') return qs(e.object);
          return qs(std::string_view(e.object).substr(open + 1, e.object.size() - open - 2));
        }
        case MessageColumn: return qs(e.message);
        case ColumnCount: break;
      }
      return {};
    case Qt::ToolTipRole:
      if (column == AgeColumn) return tr("at %1 after the pod was created").arg(qs(core::formatRunTime(e.time)));
      if (column == MessageColumn && !e.message.empty()) return qs(e.message);
      if (column == ObjectColumn && !e.object.empty()) return qs(e.object);
      return {};
    case Qt::ForegroundRole:
      if (e.type == core::EventType::Warning && (column == TypeColumn || column == ReasonColumn)) return kWarning;
      return {};
    case Qt::TextAlignmentRole:
      if (column == AgeColumn) return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
      return {};
    default: return {};
  }
}

QVariant EventsModel::headerData(int section, Qt::Orientation orientation, int role) const {
  if (orientation != Qt::Horizontal) return QAbstractTableModel::headerData(section, orientation, role);
  if (role == Qt::ToolTipRole && section == AgeColumn) {
    return tr("How long ago the event happened, as kubectl describe shows it: back from now while the pod "
              "runs, from the end of the run once it is over");
  }
  if (role != Qt::DisplayRole) return {};
  switch (static_cast<Column>(section)) {
    case TypeColumn: return tr("Type");
    case ReasonColumn: return tr("Reason");
    case AgeColumn: return tr("Age");
    case FromColumn: return tr("From");
    case ObjectColumn: return tr("Object");
    case MessageColumn: return tr("Message");
    case ColumnCount: break;
  }
  return {};
}

QHash<int, QByteArray> EventsModel::roleNames() const {
  QHash<int, QByteArray> names = QAbstractTableModel::roleNames();
  names.insert(TimeRole, "time");
  names.insert(TypeRole, "type");
  names.insert(ReasonRole, "reason");
  names.insert(ObjectRole, "object");
  names.insert(MessageRole, "message");
  names.insert(FromRole, "from");
  return names;
}

EventsFilterModel::EventsFilterModel(QObject* parent) : QSortFilterProxyModel(parent) {}

void EventsFilterModel::setFilterText(const QString& text) {
  if (text == m_text) return;
  m_text = text;
  invalidateFilter();
}

void EventsFilterModel::setWarningsOnly(bool warningsOnly) {
  if (warningsOnly == m_warningsOnly) return;
  m_warningsOnly = warningsOnly;
  invalidateFilter();
}

bool EventsFilterModel::filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const {
  const QModelIndex index = sourceModel()->index(sourceRow, 0, sourceParent);
  if (m_warningsOnly &&
      index.data(EventsModel::TypeRole).toInt() != static_cast<int>(core::EventType::Warning)) {
    return false;
  }
  const QString text = m_text.trimmed();
  if (text.isEmpty()) return true;
  for (int role : {EventsModel::ReasonRole, EventsModel::MessageRole, EventsModel::ObjectRole, EventsModel::FromRole}) {
    if (index.data(role).toString().contains(text, Qt::CaseInsensitive)) return true;
  }
  return false;
}

}  // namespace podscope::ui
