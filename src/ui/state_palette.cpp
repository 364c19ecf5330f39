#include "ui/state_palette.h"

namespace podscope::ui {

QColor stateColor(LaneState state) {
  switch (state) {
    case LaneState::Pending: return paletteColor(core::palette::kPending);
    case LaneState::Waiting: return paletteColor(core::palette::kWaiting);
    case LaneState::Running: return paletteColor(core::palette::kRunning);
    case LaneState::Succeeded: return paletteColor(core::palette::kSucceeded);
    case LaneState::Failed: return paletteColor(core::palette::kFailed);
    case LaneState::Unknown: return paletteColor(core::palette::kUnknown);
  }
  return paletteColor(core::palette::kUnknown);
}

QColor stateOutlineColor(LaneState state) { return stateColor(state).darker(135); }

}  // namespace podscope::ui
