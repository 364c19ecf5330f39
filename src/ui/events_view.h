#pragma once
// EventsView: the events table with its filter bar (text, Warning only) and
// a count; follows new events while scrolled to the bottom.

#include <QWidget>

#include "core/run_record.h"

class QCheckBox;
class QLabel;
class QLineEdit;
class QTableView;

namespace podscope::ui {

class EventsModel;
class EventsFilterModel;

/// Thread contract: GUI thread only.
class EventsView final : public QWidget {
  Q_OBJECT

 public:
  explicit EventsView(QWidget* parent = nullptr);

  void setModel(EventsModel* model);
  EventsModel* model() const { return m_model; }
  EventsFilterModel* filterModel() const { return m_filter; }
  QTableView* table() const { return m_table; }
  QLineEdit* filterEdit() const { return m_filterEdit; }
  QCheckBox* warningsOnlyBox() const { return m_warningsOnly; }

  /// Selects and shows the event nearest `time` with `reason` and `object`
  /// (either may be empty to match any); false, selecting nothing, when no
  /// such event passes the filter.
  bool selectEventAt(core::RunTime time, const QString& reason, const QString& object = {});
  /// Selects and shows the event at `row` of the model; false when the
  /// filter hides it.
  bool selectEventRow(int row);
  /// The model row of the selected event, or -1.
  int selectedEventRow() const;

 signals:
  /// The user selected an event (a row of the model).
  void eventSelected(int row);

 private:
  void updateCount();

  EventsModel* m_model = nullptr;
  EventsFilterModel* m_filter = nullptr;
  QTableView* m_table = nullptr;
  QLineEdit* m_filterEdit = nullptr;
  QCheckBox* m_warningsOnly = nullptr;
  QLabel* m_count = nullptr;
  bool m_wasAtBottom = true;
  bool m_selectingFromCode = false;
};

}  // namespace podscope::ui
