#pragma once
// Light and dark palettes for the whole application. System follows the
// desktop's own palette; Light and Dark use the Fusion style, whose
// drawing takes its colours from the palette, so every widget follows.

namespace podscope::ui {

enum class Theme { System, Light, Dark };

/// Applies `theme` to the running QApplication.
/// Thread contract: GUI thread only.
void applyTheme(Theme theme);

/// Whether the application's window colour is dark (for widgets that pick
/// their own colours, such as the editor and the timeline).
bool isDarkPalette();

}  // namespace podscope::ui
