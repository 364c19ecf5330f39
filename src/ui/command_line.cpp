#include "ui/command_line.h"

#include <QCommandLineOption>
#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QObject>
#include <QRegularExpression>

#include "core/duration.h"
#include "ui/containerd_settings_dialog.h"
#ifdef PODSCOPE_HAVE_CONTAINERD
#include "engine/runtime/containerd/containerd_probe.h"
#endif

namespace podscope::ui {

namespace {

const QString kRun = QStringLiteral("run");
const QString kPrint = QStringLiteral("print-transitions");
const QString kScreenshot = QStringLiteral("screenshot");
const QString kQuit = QStringLiteral("quit-after-run");
const QString kRuntime = QStringLiteral("runtime");
const QString kAddress = QStringLiteral("address");
const QString kNamespace = QStringLiteral("namespace");
const QString kStateDir = QStringLiteral("state-dir");
const QString kTab = QStringLiteral("tab");
const QString kReportStartup = QStringLiteral("report-startup");
const QString kFor = QStringLiteral("for");

core::Error usageError(const QString& message) { return core::Error{message.toStdString(), {}, std::nullopt}; }

}  // namespace

QString versionText() {
  return QStringLiteral("%1 (Qt %2)").arg(QStringLiteral(PODSCOPE_VERSION), QString::fromLatin1(qVersion()));
}

QString versionReport(const QCommandLineParser& parser) {
  QString report = QCoreApplication::applicationName() + QLatin1Char(' ') + versionText() + QLatin1Char('\n');
#ifdef PODSCOPE_HAVE_CONTAINERD
  const QString address =
      parser.isSet(kAddress) ? parser.value(kAddress) : QString::fromLatin1(kDefaultContainerdAddress);
  report += QString::fromStdString(engine::containerd::describeContainerdAt(address.toStdString()));
#else
  Q_UNUSED(parser);
  report += QObject::tr("containerd: not supported by this build");
#endif
  return report + QLatin1Char('\n');
}

void addCommandLineOptions(QCommandLineParser& parser) {
  parser.setApplicationDescription(QObject::tr(
      "See what a Kubernetes pod will do, before and without a cluster.\n"
      "\n"
      "For scripts and CI (works with QT_QPA_PLATFORM=offscreen or under xvfb-run):\n"
      "  podscope --run --print-transitions --quit-after-run pod.yaml\n"
      "Exit status with --quit-after-run: 0 when the pod Succeeded or was stopped by the run\n"
      "limit (5 minutes of virtual time simulated, 60 seconds on containerd), 1 when it\n"
      "Failed, 2 when it could not be run (unreadable manifest, no containerd, bad options)."));
  parser.addHelpOption();
  parser.addVersionOption();
  parser.addOptions({
      {kRun, QObject::tr("Run the pod once the window is open.")},
      {kPrint, QObject::tr("After the run, print its transitions table to standard output.")},
      {kScreenshot, QObject::tr("After the run (or at start without --run, once leftovers of crashed runs have been "
                               "looked for), save a picture of the window."),
       QObject::tr("file.png")},
      {kTab, QObject::tr("The tab to show below the editor: timeline (default), events, logs or details."),
       QObject::tr("name")},
      {kQuit, QObject::tr("Quit when the run (and any screenshot) is done; see the exit status above.")},
      {kFor, QObject::tr("With --run: watch the pod this long (e.g. 30s, 3m), then end the run as the pod is then."),
       QObject::tr("duration")},
      {kReportStartup, QObject::tr("Print the milliseconds from launch to the first painted window and the memory "
                                   "held once idle (first-paint-ms, idle-rss-kb), then quit.")},
      {kRuntime, QObject::tr("The runtime to run on: sim (default) or containerd."), QObject::tr("sim|containerd"),
       QStringLiteral("sim")},
      {kAddress, QObject::tr("containerd's socket (default %1).").arg(QString::fromLatin1(kDefaultContainerdAddress)),
       QObject::tr("socket")},
      {kNamespace, QObject::tr("The containerd namespace for the pods' containers (default podscope)."),
       QObject::tr("name")},
      {kStateDir,
       QObject::tr("Where runs keep their sandboxes and locks on the host (default /run/podscope as root, "
                   "else $XDG_RUNTIME_DIR/podscope); leftovers of crashed runs are looked for there."),
       QObject::tr("dir")},
  });
  parser.addPositionalArgument(QStringLiteral("file"), QObject::tr("A manifest to open (.yaml, .yml), or a saved run record to show (.json)."),
                               QStringLiteral("[file]"));
}

core::Result<CommandLineOptions> readCommandLineOptions(const QCommandLineParser& parser) {
  CommandLineOptions options;
  const QStringList files = parser.positionalArguments();
  if (files.size() > 1) return usageError(QObject::tr("one manifest at a time, please; got %1").arg(files.size()));
  if (!files.isEmpty()) options.file = files.front();

  options.run = parser.isSet(kRun);
  options.printTransitions = parser.isSet(kPrint);
  options.reportStartup = parser.isSet(kReportStartup);
  if (parser.isSet(kFor)) {
    auto duration = core::parseDuration(parser.value(kFor).toStdString());
    if (!duration) return usageError(QObject::tr("--for: %1").arg(QString::fromStdString(duration.error().message)));
    if (duration->count() <= 0) return usageError(QObject::tr("--for: must be longer than 0s"));
    if (!parser.isSet(kRun)) return usageError(QObject::tr("--for needs --run"));
    options.watchFor = *duration;
  }
  options.screenshotPath = parser.value(kScreenshot);
  options.quitAfterRun = parser.isSet(kQuit);
  if (parser.isSet(kTab)) {
    options.tab = parser.value(kTab).toLower();
    static const QStringList kTabs = {QStringLiteral("timeline"), QStringLiteral("events"), QStringLiteral("logs"),
                                      QStringLiteral("details")};
    if (!kTabs.contains(options.tab)) {
      return usageError(QObject::tr("unknown tab \"%1\"; use timeline, events, logs or details").arg(parser.value(kTab)));
    }
  }
  if (options.printTransitions && !options.run) return usageError(QObject::tr("--print-transitions needs --run"));
  if (options.quitAfterRun && !options.run && options.screenshotPath.isEmpty()) {
    return usageError(QObject::tr("--quit-after-run needs --run or --screenshot"));
  }

  const QString runtime = parser.value(kRuntime).toLower();
  if (runtime == QLatin1String("sim") || runtime == QLatin1String("simulated")) {
    options.runtime = RuntimeKind::Simulated;
  } else if (runtime == QLatin1String("containerd")) {
    options.runtime = RuntimeKind::Containerd;
  } else {
    return usageError(QObject::tr("unknown runtime \"%1\"; use sim or containerd").arg(parser.value(kRuntime)));
  }
  options.runtimeGiven = parser.isSet(kRuntime) || parser.isSet(kAddress) || parser.isSet(kNamespace) ||
                         parser.isSet(kStateDir);
  if (parser.isSet(kAddress)) {
    options.containerd.address = parser.value(kAddress);
    if (options.containerd.address.isEmpty()) return usageError(QObject::tr("--address needs a socket path"));
  }
  if (parser.isSet(kNamespace)) {
    // containerd's own rule for namespace names.
    const QString name = parser.value(kNamespace);
    if (!isValidContainerdNamespace(name)) {
      return usageError(QObject::tr("--namespace \"%1\" is not a containerd namespace name: use letters and digits, "
                                    "joined by single '.', '_' or '-'").arg(name));
    }
    options.containerd.containerdNamespace = name;
  }
  if (parser.isSet(kStateDir)) {
    const QString dir = parser.value(kStateDir);
    if (dir.isEmpty()) return usageError(QObject::tr("--state-dir needs a directory"));
    // Runs label their objects with this path, so it must be spelt the same
    // way every time.
    options.containerd.stateDir = QDir::cleanPath(QFileInfo(dir).absoluteFilePath());
  }
  return options;
}

}  // namespace podscope::ui
