#include "ui/problems_model.h"

#include <algorithm>

#include "ui/diagnostic_style.h"

namespace podscope::ui {

namespace {

QString qs(const std::string& s) { return QString::fromStdString(s); }

QString location(const core::Diagnostic& d) {
  if (!d.range.begin.known()) return QStringLiteral("—");
  if (d.range.begin.column <= 0) return QString::number(d.range.begin.line);
  return QStringLiteral("%1:%2").arg(d.range.begin.line).arg(d.range.begin.column);
}

}  // namespace

ProblemsModel::ProblemsModel(QObject* parent) : QAbstractTableModel(parent) {}

void ProblemsModel::setDiagnostics(std::vector<core::Diagnostic> diagnostics) {
  if (diagnostics == m_rows) return;
  beginResetModel();
  m_rows = std::move(diagnostics);
  endResetModel();
}

int ProblemsModel::count(core::Severity severity) const {
  return static_cast<int>(
      std::count_if(m_rows.begin(), m_rows.end(), [&](const core::Diagnostic& d) { return d.severity == severity; }));
}

int ProblemsModel::rowCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : static_cast<int>(m_rows.size());
}

int ProblemsModel::columnCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : ColumnCount; }

QVariant ProblemsModel::data(const QModelIndex& index, int role) const {
  if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid)) return {};
  const core::Diagnostic& d = m_rows[static_cast<std::size_t>(index.row())];
  switch (role) {
    case SeverityRole:
      return static_cast<int>(d.severity);
    case LineRole:
      return d.range.begin.line;
    case ColumnRole:
      return d.range.begin.column;
    case RuleRole:
      return qs(d.rule);
    case MessageRole:
      return qs(d.message);
    case PathRole:
      return qs(d.path);
    case Qt::ToolTipRole:
      return QStringLiteral("%1 %2: %3%4")
          .arg(severityName(d.severity), location(d), qs(d.message),
               d.rule.empty() ? QString() : QStringLiteral(" [%1]").arg(qs(d.rule)));
    default:
      break;
  }
  switch (index.column()) {
    case SeverityColumn:
      if (role == Qt::DecorationRole) return severityIcon(d.severity);
      if (role == Qt::DisplayRole) return severityName(d.severity);
      break;
    case LocationColumn:
      if (role == Qt::DisplayRole) return location(d);
      if (role == Qt::TextAlignmentRole) return QVariant(Qt::AlignRight | Qt::AlignVCenter);
      break;
    case MessageColumn:
      if (role == Qt::DisplayRole) return qs(d.message);
      break;
    case RuleColumn:
      if (role == Qt::DisplayRole) return qs(d.rule);
      if (role == Qt::ForegroundRole) return QColor(0x6A, 0x73, 0x7D);
      break;
    default:
      break;
  }
  return {};
}

QVariant ProblemsModel::headerData(int section, Qt::Orientation orientation, int role) const {
  if (orientation != Qt::Horizontal || role != Qt::DisplayRole) return {};
  switch (section) {
    case SeverityColumn:
      return tr("Severity");
    case LocationColumn:
      return tr("Line");
    case MessageColumn:
      return tr("Message");
    case RuleColumn:
      return tr("Rule");
    default:
      return {};
  }
}

QHash<int, QByteArray> ProblemsModel::roleNames() const {
  QHash<int, QByteArray> names = QAbstractTableModel::roleNames();
  names.insert(SeverityRole, "severity");
  names.insert(LineRole, "line");
  names.insert(ColumnRole, "column");
  names.insert(RuleRole, "rule");
  names.insert(MessageRole, "message");
  names.insert(PathRole, "path");
  return names;
}

}  // namespace podscope::ui
