#pragma once
// The colours of states, shared by the timeline and the tables so a state
// looks the same wherever it appears.

#include <QColor>

#include <string_view>

#include "core/report_palette.h"
#include "ui/lane_layout.h"

namespace podscope::ui {

/// A colour of core/report_palette.h ("#3CA55C"), the one palette the app
/// and the reports share. Thread contract: pure functions; any thread.
inline QColor paletteColor(std::string_view hex) {
  return QColor(QString::fromLatin1(hex.data(), static_cast<qsizetype>(hex.size())));
}

QColor stateColor(LaneState state);
/// A darker shade of stateColor() for outlines and text on light ground.
QColor stateOutlineColor(LaneState state);

}  // namespace podscope::ui
