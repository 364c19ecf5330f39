#pragma once
// The colours of states, shared by the timeline and the tables so a state
// looks the same wherever it appears.

#include <QColor>

#include "ui/lane_layout.h"

namespace podscope::ui {

/// Thread contract: pure functions; any thread.
QColor stateColor(LaneState state);
/// A darker shade of stateColor() for outlines and text on light ground.
QColor stateOutlineColor(LaneState state);

}  // namespace podscope::ui
