#include "render/headless_app.h"

#include <QByteArray>
#include <QString>

namespace podscope::render {

namespace {

QtMessageHandler g_previousHandler = nullptr;

/// Qt's notes that do not concern a program drawing into files: no runtime
/// directory (only needed for sockets a desktop app opens).
void quietHandler(QtMsgType type, const QMessageLogContext& context, const QString& message) {
  if (type == QtWarningMsg && message.startsWith(QLatin1String("QStandardPaths: XDG_RUNTIME_DIR"))) return;
  if (g_previousHandler) g_previousHandler(type, context, message);
}

}  // namespace

std::unique_ptr<QGuiApplication> startHeadlessGui(const char* programName) {
  if (QCoreApplication::instance()) return nullptr;
  const QByteArray chosen = qgetenv("QT_QPA_PLATFORM");
  if (chosen.isEmpty()) {
    qputenv("QT_QPA_PLATFORM", "offscreen");
  } else if (!chosen.split(';').contains("offscreen")) {
    qputenv("QT_QPA_PLATFORM", chosen + ";offscreen");
  }
  g_previousHandler = qInstallMessageHandler(quietHandler);
  // QGuiApplication keeps references to argc and argv for its lifetime.
  static int argc = 1;
  static QByteArray name(programName);
  static char* argv[] = {name.data(), nullptr};
  return std::make_unique<QGuiApplication>(argc, argv);
}

}  // namespace podscope::render
