#include "ui/problems_view.h"

#include <QResizeEvent>

#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QTreeView>
#include <QVBoxLayout>

#include "ui/manifest_editor.h"
#include "ui/problems_model.h"

namespace podscope::ui {

ProblemsView::ProblemsView(QWidget* parent) : QWidget(parent) {
  setObjectName(QStringLiteral("problemsView"));
  m_title = new QLabel(this);
  QFont bold = m_title->font();
  bold.setBold(true);
  m_title->setFont(bold);
  m_counts = new QLabel(this);
  m_counts->setStyleSheet(QStringLiteral("color: #57606A;"));

  m_view = new QTreeView(this);
  m_view->setRootIsDecorated(false);
  m_view->setUniformRowHeights(true);
  m_view->setAllColumnsShowFocus(true);
  m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
  m_view->setEditTriggers(QAbstractItemView::NoEditTriggers);
  m_view->setTextElideMode(Qt::ElideRight);
  m_view->setFrameShape(QFrame::NoFrame);

  m_empty = new QLabel(tr("No problems in this manifest."), this);
  m_empty->setAlignment(Qt::AlignCenter);
  m_empty->setStyleSheet(QStringLiteral("color: #8C959F;"));

  auto* header = new QHBoxLayout;
  header->setContentsMargins(8, 4, 8, 4);
  header->addWidget(m_title);
  header->addStretch();
  header->addWidget(m_counts);
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->setSpacing(0);
  layout->addLayout(header);
  layout->addWidget(m_view, 1);
  layout->addWidget(m_empty, 1);

  connect(m_view, &QTreeView::clicked, this, &ProblemsView::activate);
  connect(m_view, &QTreeView::activated, this, &ProblemsView::activate);
  updateHeader();
}

void ProblemsView::setEditor(ManifestEditor* editor) {
  if (m_editor == editor) return;
  if (m_editor) m_editor->problemsModel()->disconnect(this);
  m_editor = editor;
  ProblemsModel* model = editor ? editor->problemsModel() : nullptr;
  m_view->setModel(model);
  if (model) {
    connect(model, &QAbstractItemModel::modelReset, this, &ProblemsView::updateHeader);
    QHeaderView* columns = m_view->header();
    columns->setStretchLastSection(false);
    columns->setSectionResizeMode(ProblemsModel::SeverityColumn, QHeaderView::ResizeToContents);
    columns->setSectionResizeMode(ProblemsModel::LocationColumn, QHeaderView::ResizeToContents);
    columns->setSectionResizeMode(ProblemsModel::MessageColumn, QHeaderView::Stretch);
    columns->setSectionResizeMode(ProblemsModel::RuleColumn, QHeaderView::ResizeToContents);
  }
  updateHeader();
}

QString ProblemsView::title() const { return m_title->text(); }

void ProblemsView::updateHeader() {
  const ProblemsModel* model = m_editor ? m_editor->problemsModel() : nullptr;
  const int total = model ? model->rowCount() : 0;
  m_title->setText(tr("Problems (%1)").arg(total));
  QStringList counts;
  if (model) {
    if (int n = model->count(core::Severity::Error)) counts << (n == 1 ? tr("1 error") : tr("%1 errors").arg(n));
    if (int n = model->count(core::Severity::Warning)) {
      counts << (n == 1 ? tr("1 warning") : tr("%1 warnings").arg(n));
    }
    if (int n = model->count(core::Severity::Info)) counts << (n == 1 ? tr("1 note") : tr("%1 notes").arg(n));
  }
  m_counts->setText(counts.join(QStringLiteral(" · ")));
  m_view->setVisible(total > 0);
  m_empty->setVisible(total == 0);
}

void ProblemsView::activate(const QModelIndex& index) {
  if (!index.isValid()) return;
  const int line = index.data(ProblemsModel::LineRole).toInt();
  const int column = index.data(ProblemsModel::ColumnRole).toInt();
  emit problemActivated(line, column);
  if (m_editor && line > 0) m_editor->goToPosition(line, std::max(column, 1));
}

void ProblemsView::resizeEvent(QResizeEvent* event) {
  QWidget::resizeEvent(event);
  constexpr int kNarrowWidth = 460;
  const bool narrow = width() < kNarrowWidth;
  m_view->setColumnHidden(ProblemsModel::RuleColumn, narrow);
  m_view->setHeaderHidden(narrow);
}

}  // namespace podscope::ui
