// The Podscope desktop application.

#include <QApplication>
#include <QCommandLineParser>
#include <QIcon>
#include <QTimer>

#include <cstdio>
#include <cstring>
#include <optional>

#include "ui/command_line.h"
#include "ui/main_window.h"
#include "ui/message_banner.h"
#include "ui/scripted_session.h"
#include "ui/startup_report.h"

namespace {

void describeApplication() {
  QCoreApplication::setApplicationName(QStringLiteral("podscope"));
  QCoreApplication::setOrganizationName(QStringLiteral("Podscope"));
  QCoreApplication::setApplicationVersion(podscope::ui::versionText());
}

QtMessageHandler g_defaultMessageHandler = nullptr;

// The offscreen platform warns once per window that it cannot pass size
// hints on; it means nothing to a script reading stderr for real problems.
void dropOffscreenNoise(QtMsgType type, const QMessageLogContext& context, const QString& message) {
  if (message == QLatin1String("This plugin does not support propagateSizeHints()")) return;
  g_defaultMessageHandler(type, context, message);
}

bool hasArgument(int argc, char** argv, std::initializer_list<const char*> names) {
  for (int i = 1; i < argc; ++i) {
    for (const char* name : names) {
      if (std::strcmp(argv[i], name) == 0) return true;
    }
  }
  return false;
}

}  // namespace

int main(int argc, char** argv) {
  // --help and --version must answer on a machine with no display, where a
  // QApplication could not even start.
  if (hasArgument(argc, argv, {"-h", "--help", "-?", "--help-all", "-v", "--version"})) {
    QCoreApplication app(argc, argv);
    describeApplication();
    QCommandLineParser parser;
    podscope::ui::addCommandLineOptions(parser);
    // --version also asks the containerd at --address, so it is answered
    // here rather than by process(), which knows only the version string.
    if (parser.parse(app.arguments()) && parser.isSet(QStringLiteral("version"))) {
      std::fputs(podscope::ui::versionReport(parser).toLocal8Bit().constData(), stdout);
      return 0;
    }
    parser.process(app);
    return 0;
  }
  // A script that only wants the result should not need an X server.
  if (hasArgument(argc, argv, {"--quit-after-run"}) && qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM") &&
      qEnvironmentVariableIsEmpty("DISPLAY") && qEnvironmentVariableIsEmpty("WAYLAND_DISPLAY")) {
    qputenv("QT_QPA_PLATFORM", "offscreen");
  }

  QApplication app(argc, argv);
  if (QGuiApplication::platformName() == QLatin1String("offscreen")) {
    g_defaultMessageHandler = qInstallMessageHandler(dropOffscreenNoise);
  }
  describeApplication();
  QApplication::setApplicationDisplayName(QStringLiteral("Podscope"));
  QApplication::setWindowIcon(QIcon(QStringLiteral(":/icons/podscope.svg")));

  QCommandLineParser parser;
  podscope::ui::addCommandLineOptions(parser);
  parser.process(app);
  auto options = podscope::ui::readCommandLineOptions(parser);
  if (!options) {
    std::fprintf(stderr, "podscope: %s\nTry 'podscope --help'.\n", options.error().message.c_str());
    return 2;
  }

  podscope::ui::MainWindow window;
  std::optional<podscope::ui::StartupReport> startup;
  // Two seconds of idling: long enough for what the start queued to finish.
  if (options->reportStartup) startup.emplace(window, 2000);
  window.setRuntime(options->runtime, options->containerd);
  if (!options->scripted()) {
    // A person's session: their layout, recent files and theme, and copies
    // of unsaved buffers that survive a crash.
    window.restoreSettings(/*includeRuntime=*/!options->runtimeGiven);
    window.enableAutosave();
  }
  window.show();
  if (!options->scripted()) window.offerRecovery();
  if (!options->file.isEmpty() && !window.openFile(options->file)) {
    std::fprintf(stderr, "podscope: %s\n", window.messageBanner()->text().toLocal8Bit().constData());
    if (options->quitAfterRun) return 2;
    // Without a file there is nothing to run; the window shows why.
    options->run = false;
  }

  podscope::ui::ScriptedSession session(window, *options);
  if (options->quitAfterRun) {
    QObject::connect(&session, &podscope::ui::ScriptedSession::finished, &app, &QCoreApplication::exit);
  }
  QTimer::singleShot(0, &session, &podscope::ui::ScriptedSession::start);
  return app.exec();
}
