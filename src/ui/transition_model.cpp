#include "ui/transition_model.h"

#include <QColor>
#include <QFont>
#include <QFontDatabase>

#include "ui/lane_layout.h"
#include "ui/state_palette.h"

namespace podscope::ui {

namespace {

QString qs(const std::string& s) { return QString::fromStdString(s); }

}  // namespace

TransitionModel::TransitionModel(QObject* parent) : QAbstractTableModel(parent) {}

void TransitionModel::append(const core::Transition& transition) {
  const int row = static_cast<int>(m_transitions.size());
  beginInsertRows({}, row, row);
  m_transitions.push_back(transition);
  endInsertRows();
}

void TransitionModel::setTransitions(std::vector<core::Transition> transitions) {
  beginResetModel();
  m_transitions = std::move(transitions);
  endResetModel();
}

void TransitionModel::clear() { setTransitions({}); }

int TransitionModel::rowCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : static_cast<int>(m_transitions.size());
}

int TransitionModel::columnCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : ColumnCount;
}

QVariant TransitionModel::data(const QModelIndex& index, int role) const {
  if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid)) return {};
  const core::Transition& t = m_transitions[static_cast<size_t>(index.row())];
  switch (role) {
    case TimeRole: return QVariant::fromValue<qint64>(t.time.count());
    case SubjectRole: return qs(t.subject);
    case KindRole: return static_cast<int>(t.kind);
    case FromRole: return qs(t.from);
    case ToRole: return qs(t.to);
    case ReasonRole: return qs(t.reason);
    case MessageRole: return qs(t.message);
    case ExitCodeRole: return t.exitCode ? QVariant(*t.exitCode) : QVariant();
    default: break;
  }

  const auto column = static_cast<Column>(index.column());
  if (role == Qt::DisplayRole) {
    switch (column) {
      case TimeColumn: return qs(core::formatRunTime(t.time));
      case SubjectColumn: return t.kind == core::SubjectKind::Pod ? QStringLiteral("pod/") + qs(t.subject) : qs(t.subject);
      case FromColumn: return qs(t.from);
      case ToColumn: return qs(t.to);
      case ReasonColumn: return qs(t.reason);
      case MessageColumn: return qs(t.message);
      case ColumnCount: break;
    }
    return {};
  }
  if (role == Qt::ToolTipRole) {
    if (column == MessageColumn && !t.message.empty()) return qs(t.message);
    if (column == SubjectColumn) {
      switch (t.kind) {
        case core::SubjectKind::Pod: return tr("The pod");
        case core::SubjectKind::InitContainer: return tr("Init container %1").arg(qs(t.subject));
        case core::SubjectKind::Container: return tr("Container %1").arg(qs(t.subject));
      }
    }
    return {};
  }
  if (role == Qt::DecorationRole && column == ToColumn) {
    return stateColor(classifyState(t.kind, qs(t.to), qs(t.reason), t.exitCode));
  }
  if (role == Qt::TextAlignmentRole && column == TimeColumn) {
    return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
  }
  if (role == Qt::FontRole && column == TimeColumn) {
    return QFontDatabase::systemFont(QFontDatabase::FixedFont);
  }
  return {};
}

QVariant TransitionModel::headerData(int section, Qt::Orientation orientation, int role) const {
  if (orientation != Qt::Horizontal || role != Qt::DisplayRole) {
    return QAbstractTableModel::headerData(section, orientation, role);
  }
  switch (static_cast<Column>(section)) {
    case TimeColumn: return tr("TIME");
    case SubjectColumn: return tr("CONTAINER");
    case FromColumn: return tr("FROM");
    case ToColumn: return tr("TO");
    case ReasonColumn: return tr("REASON");
    case MessageColumn: return tr("MESSAGE");
    case ColumnCount: break;
  }
  return {};
}

QHash<int, QByteArray> TransitionModel::roleNames() const {
  QHash<int, QByteArray> names = QAbstractTableModel::roleNames();
  names.insert(TimeRole, "time");
  names.insert(SubjectRole, "subject");
  names.insert(KindRole, "kind");
  names.insert(FromRole, "from");
  names.insert(ToRole, "to");
  names.insert(ReasonRole, "reason");
  names.insert(MessageRole, "message");
  names.insert(ExitCodeRole, "exitCode");
  return names;
}

}  // namespace podscope::ui
