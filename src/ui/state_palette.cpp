#include "ui/state_palette.h"

namespace podscope::ui {

QColor stateColor(LaneState state) {
  switch (state) {
    case LaneState::Pending: return QColor(0xE8, 0xB0, 0x3C);
    case LaneState::Waiting: return QColor(0xC4, 0xC9, 0xD0);
    case LaneState::Running: return QColor(0x3C, 0xA5, 0x5C);
    case LaneState::Succeeded: return QColor(0x3B, 0x7D, 0xD8);
    case LaneState::Failed: return QColor(0xD9, 0x45, 0x3B);
    case LaneState::Unknown: return QColor(0x9A, 0xA0, 0xA6);
  }
  return QColor(0x9A, 0xA0, 0xA6);
}

QColor stateOutlineColor(LaneState state) { return stateColor(state).darker(135); }

}  // namespace podscope::ui
