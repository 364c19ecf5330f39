#pragma once
// The QGuiApplication a command-line program needs before it can draw (fonts
// and images belong to one), made so that it works on a server without a
// display: on Qt's offscreen platform, which opens no window and needs no
// X or Wayland. Nothing is shown, so the platform changes nothing in what is
// drawn. A QT_QPA_PLATFORM the user set is tried first, with offscreen after
// it as the fallback, so a setting meant for the desktop cannot stop a
// report from being written over ssh.
// Thread contract: main thread only, as QGuiApplication itself.

#include <QGuiApplication>

#include <memory>

namespace podscope::render {

/// Makes the application object for drawing; null when one exists already
/// (then that one serves). Keep the result alive while drawing.
std::unique_ptr<QGuiApplication> startHeadlessGui(const char* programName);

}  // namespace podscope::render
