#include "ui/events_view.h"

#include <QCheckBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLineEdit>
#include <QScrollBar>
#include <QTableView>
#include <QVBoxLayout>

#include "ui/events_model.h"
#include "ui/table_style.h"

namespace podscope::ui {

EventsView::EventsView(QWidget* parent) : QWidget(parent) {
  setObjectName(QStringLiteral("eventsView"));
  m_filter = new EventsFilterModel(this);

  m_filterEdit = new QLineEdit(this);
  m_filterEdit->setObjectName(QStringLiteral("eventsFilter"));
  m_filterEdit->setPlaceholderText(tr("Filter events: reason, message, container…"));
  m_filterEdit->setClearButtonEnabled(true);
  m_warningsOnly = new QCheckBox(tr("Warning only"), this);
  m_warningsOnly->setObjectName(QStringLiteral("eventsWarningsOnly"));
  m_count = new QLabel(this);
  m_count->setStyleSheet(QStringLiteral("color: #6A737D;"));

  m_table = new QTableView(this);
  m_table->setObjectName(QStringLiteral("eventsTable"));
  m_table->setModel(m_filter);
  styleRecordTable(*m_table);

  auto* bar = new QHBoxLayout;
  bar->setContentsMargins(6, 4, 6, 4);
  bar->addWidget(m_filterEdit, 1);
  bar->addWidget(m_warningsOnly);
  bar->addSpacing(8);
  bar->addWidget(m_count);
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->setSpacing(0);
  layout->addLayout(bar);
  layout->addWidget(m_table, 1);

  connect(m_filterEdit, &QLineEdit::textChanged, m_filter, &EventsFilterModel::setFilterText);
  connect(m_warningsOnly, &QCheckBox::toggled, m_filter, &EventsFilterModel::setWarningsOnly);
  connect(m_filter, &QAbstractItemModel::rowsAboutToBeInserted, this, [this] {
    const QScrollBar* scroll = m_table->verticalScrollBar();
    m_wasAtBottom = scroll->value() == scroll->maximum();
  });
  connect(m_filter, &QAbstractItemModel::rowsInserted, this, [this] {
    // Follow new events, unless the user scrolled up to read older ones.
    if (m_wasAtBottom && m_table->selectionModel()->selectedRows().isEmpty()) m_table->scrollToBottom();
    updateCount();
  });
  connect(m_filter, &QAbstractItemModel::rowsRemoved, this, &EventsView::updateCount);
  connect(m_filter, &QAbstractItemModel::modelReset, this, &EventsView::updateCount);
  connect(m_filter, &QAbstractItemModel::layoutChanged, this, &EventsView::updateCount);
  connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
          [this](const QModelIndex& current) {
            if (m_selectingFromCode || !current.isValid()) return;
            emit eventSelected(m_filter->mapToSource(current).row());
          });
  updateCount();
}

void EventsView::setModel(EventsModel* model) {
  m_model = model;
  m_filter->setSourceModel(model);
  // Widths once the columns exist; Message takes the rest.
  const int charWidth = m_table->fontMetrics().horizontalAdvance(QLatin1Char('m'));
  m_table->setColumnWidth(EventsModel::TypeColumn, charWidth * 7);
  m_table->setColumnWidth(EventsModel::ReasonColumn, charWidth * 13);
  m_table->setColumnWidth(EventsModel::AgeColumn, charWidth * 6);
  m_table->setColumnWidth(EventsModel::FromColumn, charWidth * 10);
  m_table->setColumnWidth(EventsModel::ObjectColumn, charWidth * 12);
  updateCount();
}

bool EventsView::selectEventRow(int row) {
  if (!m_model || row < 0 || row >= m_model->rowCount()) {
    m_table->clearSelection();
    return false;
  }
  const QModelIndex proxy = m_filter->mapFromSource(m_model->index(row, 0));
  if (!proxy.isValid()) {
    m_table->clearSelection();
    return false;
  }
  m_selectingFromCode = true;
  m_table->selectionModel()->setCurrentIndex(proxy, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
  m_selectingFromCode = false;
  m_table->scrollTo(proxy, QAbstractItemView::PositionAtCenter);
  return true;
}

bool EventsView::selectEventAt(core::RunTime time, const QString& reason, const QString& object) {
  if (!m_model) return false;
  return selectEventRow(m_model->findEvent(time, reason, object));
}

int EventsView::selectedEventRow() const {
  const QModelIndexList rows = m_table->selectionModel()->selectedRows();
  if (rows.isEmpty()) return -1;
  return m_filter->mapToSource(rows.front()).row();
}

void EventsView::updateCount() {
  const int all = m_model ? m_model->rowCount() : 0;
  const int shown = m_filter->rowCount();
  m_count->setText(shown == all ? tr("%n event(s)", nullptr, all) : tr("%1 of %2 shown").arg(shown).arg(all));
}

}  // namespace podscope::ui
