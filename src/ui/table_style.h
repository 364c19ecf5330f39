#pragma once
// One look for the tables of a run's record (transitions, events): row
// selection, alternating rows, no grid, compact rows, left-aligned headers.

class QTableView;

namespace podscope::ui {

/// Thread contract: GUI thread only.
void styleRecordTable(QTableView& table);

}  // namespace podscope::ui
