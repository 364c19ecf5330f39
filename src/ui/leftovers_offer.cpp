#include "ui/leftovers_offer.h"

#include <QFileInfo>
#include <QFutureWatcher>
#include <QPromise>
#include <QWidget>
#include <QtConcurrent/QtConcurrentRun>

#include "engine/runtime/containerd/containerd_runtime.h"
#include "ui/leftovers_dialog.h"

namespace podscope::ui {

namespace {

QString qs(const std::string& s) { return QString::fromStdString(s); }

QString crashedRuns(std::size_t n) {
  return n == 1 ? LeftoversOffer::tr("1 crashed run") : LeftoversOffer::tr("%1 crashed runs").arg(n);
}

engine::ContainerdOptions toOptions(const ContainerdSettings& settings) {
  engine::ContainerdOptions options;
  options.address = settings.address.toStdString();
  options.containerdNamespace = settings.containerdNamespace.toStdString();
  options.stateDir = settings.stateDir.toStdString();
  return options;
}

// On the thread pool. Only objects that can be removed are worth an offer;
// a containerd that cannot be reached offers nothing.
std::optional<engine::ContainerdLeftovers> findInBackground(const engine::ContainerdOptions& options) {
  auto found = engine::ContainerdRuntime::findLeftovers(options);
  if (!found) return std::nullopt;
  return std::move(found).value();
}

// On the thread pool. Progress is the number of the object being removed
// (1-based), so the first one shows at once.
void removeInBackground(QPromise<LeftoversRemoval>& promise, const engine::ContainerdOptions& options,
                        const engine::ContainerdLeftovers& offered, const std::shared_ptr<std::atomic<bool>>& stop) {
  LeftoversRemoval removal;
  removal.offered = offered;
  promise.setProgressRange(0, static_cast<int>(offered.objectCount()));
  removal.problems = engine::ContainerdRuntime::removeLeftovers(
      options, offered, [&](const engine::LeftoverRemovalStep& step) {
        if (stop->load()) {
          removal.stopped = true;
          return false;
        }
        promise.setProgressValueAndText(static_cast<int>(step.done + 1), describeObject(step.next));
        return true;
      });
  if (auto now = engine::ContainerdRuntime::findLeftovers(options)) {
    removal.left = engine::stillLeft(offered, *now);
  } else {
    removal.checkError = now.error().message;
  }
  promise.addResult(std::move(removal));
}

}  // namespace

QString describeFound(const engine::ContainerdLeftovers& leftovers, const QString& containerdNamespace) {
  return LeftoversOffer::tr("Found leftovers of %1 in containerd namespace \"%2\": %3.")
      .arg(crashedRuns(std::max<std::size_t>(leftovers.runs.size(), 1)), containerdNamespace,
           qs(engine::describeObjects(leftovers)));
}

QString describeObject(const engine::LeftoverObject& object) {
  // A sandbox's folder name is the pod's; the full path is in Details.
  const QString name =
      object.kind == engine::LeftoverKind::Sandbox ? QFileInfo(qs(object.name)).fileName() : qs(object.name);
  return qs(engine::toString(object.kind)) + QLatin1Char(' ') + name;
}

RemovalReport describeRemoval(const LeftoversRemoval& removal) {
  const engine::ContainerdLeftovers& offered = removal.offered;
  const QString offeredObjects = qs(engine::describeObjects(offered));
  auto firstProblem = [&] {
    if (removal.problems.empty()) return QString();
    QString text = qs(removal.problems.front());
    if (removal.problems.size() > 1) {
      text += LeftoversOffer::tr(" (and %1 more; see Details)").arg(removal.problems.size() - 1);
    }
    return text;
  };
  RemovalReport report;
  if (!removal.left) {
    report.kind = MessageBanner::Kind::Warning;
    report.text = LeftoversOffer::tr("Tried to remove %1, but could not check what is left: %2.")
                      .arg(offeredObjects, qs(removal.checkError));
    if (!removal.problems.empty()) report.text += LeftoversOffer::tr(" The removal said: %1.").arg(firstProblem());
    return report;
  }
  const engine::ContainerdLeftovers& left = *removal.left;
  if (!left.objectsLeft()) {
    report.allRemoved = true;
    report.text = LeftoversOffer::tr("Removed %1 left by %2.").arg(offeredObjects, crashedRuns(std::max<std::size_t>(offered.runs.size(), 1)));
    return report;
  }
  const std::size_t total = offered.objectCount();
  const std::size_t removed = total - std::min(total, left.objectCount());
  const QString leftObjects = qs(engine::describeObjects(left));
  if (removal.stopped) {
    report.text = LeftoversOffer::tr("Removal stopped with %1 of %2 objects removed. Still there: %3.")
                      .arg(removed)
                      .arg(total)
                      .arg(leftObjects);
    return report;
  }
  report.kind = MessageBanner::Kind::Warning;
  const QString why = removal.problems.empty() ? LeftoversOffer::tr("it is still there after the removal")
                                               : firstProblem();
  report.text = removed == 0
                    ? LeftoversOffer::tr("Could not remove the %1 left by crashed runs: %2.").arg(leftObjects, why)
                    : LeftoversOffer::tr("Removed %1 of %2 objects left by crashed runs. Could not remove %3: %4.")
                          .arg(removed)
                          .arg(total)
                          .arg(leftObjects, why);
  return report;
}

LeftoversOffer::LeftoversOffer(MessageBanner* banner, QWidget* window)
    : QObject(window), m_banner(banner), m_window(window) {
  connect(m_banner, &MessageBanner::dismissed, this, [this] {
    if (m_state == State::Offering || m_state == State::Reporting) setState(State::Idle);
  });
}

LeftoversOffer::~LeftoversOffer() {
  // The task keeps only copies; it ends after the object in hand, and what
  // it did not remove is offered again next time.
  if (m_stopRemoval) m_stopRemoval->store(true);
}

LeftoversDialog* LeftoversOffer::dialog() const { return m_dialog; }

void LeftoversOffer::setState(State state) {
  if (m_state == state) return;
  m_state = state;
  emit stateChanged(state);
}

void LeftoversOffer::check(const ContainerdSettings& settings) {
  if (m_state == State::Removing) {
    m_checkAfterRemoval = settings;
    return;
  }
  startCheck(settings);
}

void LeftoversOffer::startCheck(const ContainerdSettings& settings) {
  // An offer made for other settings (or an older look) no longer holds; a
  // removal's report stays until something new is found.
  if (m_state == State::Offering) m_banner->dismiss();
  if (m_dialog) m_dialog->reject();
  m_settings = settings;
  const quint64 job = ++m_checkJob;
  setState(State::Checking);
  auto* watcher = new QFutureWatcher<std::optional<engine::ContainerdLeftovers>>(this);
  connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher, job] {
    watcher->deleteLater();
    onChecked(job, watcher->result());
  });
  watcher->setFuture(QtConcurrent::run(findInBackground, toOptions(settings)));
}

void LeftoversOffer::onChecked(quint64 job, const std::optional<engine::ContainerdLeftovers>& found) {
  if (job != m_checkJob || m_state != State::Checking) return;
  if (!found || !found->objectsLeft()) {
    setState(m_banner->isHidden() ? State::Idle : State::Reporting);
    return;
  }
  m_offered = *found;
  m_problems.clear();
  offer();
}

void LeftoversOffer::offer() {
  std::vector<MessageBanner::Action> actions;
  actions.push_back({tr("Re&move"), [this] { remove(); }, false,
                     tr("Kill their tasks and delete them; nothing without Podscope's labels is touched")});
  actions.push_back({tr("&Details…"), [this] { showDetails(); }, false, tr("List every object")});
  actions.push_back({tr("D&ismiss"), {}, true, tr("Leave them for now; podscope-cli gc removes them too")});
  m_banner->showMessage(MessageBanner::Kind::Warning, describeFound(m_offered, m_settings.containerdNamespace),
                        std::move(actions), MessageBanner::CloseButton::Hidden);
  setState(State::Offering);
}

void LeftoversOffer::withdraw() {
  m_checkAfterRemoval.reset();
  if (m_state == State::Removing) return;
  ++m_checkJob;
  if (m_dialog) m_dialog->reject();
  if (m_state == State::Offering || m_state == State::Reporting) m_banner->dismiss();
  setState(State::Idle);
}

void LeftoversOffer::showDetails() {
  if (!m_dialog) {
    m_dialog = new LeftoversDialog(m_window);
    connect(m_dialog, &LeftoversDialog::removeRequested, this, &LeftoversOffer::remove);
  }
  m_dialog->setLeftovers(m_settings, m_offered, m_problems, m_problems.empty() ? tr("Re&move") : tr("&Try Again"));
  m_dialog->open();
}

void LeftoversOffer::remove() {
  if (m_state == State::Removing || m_state == State::Checking || !m_offered.objectsLeft()) return;
  if (m_dialog) m_dialog->reject();
  m_stopRemoval = std::make_shared<std::atomic<bool>>(false);
  setState(State::Removing);
  m_removal = new QFutureWatcher<LeftoversRemoval>(this);
  connect(m_removal, &QFutureWatcherBase::progressValueChanged, this, &LeftoversOffer::onRemovalProgress);
  connect(m_removal, &QFutureWatcherBase::progressTextChanged, this, &LeftoversOffer::onRemovalProgress);
  connect(m_removal, &QFutureWatcherBase::finished, this, [this, watcher = m_removal] {
    watcher->deleteLater();
    m_removal = nullptr;
    onRemoved(watcher->result());
  });
  onRemovalProgress();
  m_removal->setFuture(QtConcurrent::run(removeInBackground, toOptions(m_settings), m_offered, m_stopRemoval));
}

void LeftoversOffer::onRemovalProgress() {
  if (!m_removal || !m_stopRemoval) return;
  const int total = static_cast<int>(m_offered.objectCount());
  const int current = m_removal->progressValue();
  if (m_stopRemoval->load()) {
    m_banner->showProgress(tr("Stopping after the current object…"), current, total);
    return;
  }
  const QString what = m_removal->progressText();
  const QString text = what.isEmpty() || current <= 0
                           ? tr("Removing leftovers of crashed runs…")
                           : tr("Removing leftovers of crashed runs: %1 of %2, %3…").arg(current).arg(total).arg(what);
  // Busy until the first object is in hand (connecting comes first).
  m_banner->showProgress(text, current, current <= 0 ? 0 : total,
                         {tr("S&top"), [this] { stopRemoving(); }, false,
                          tr("Stop after the current object; the rest stays for later")});
}

void LeftoversOffer::stopRemoving() {
  if (m_state != State::Removing || !m_stopRemoval) return;
  m_stopRemoval->store(true);
  onRemovalProgress();
}

void LeftoversOffer::onRemoved(const LeftoversRemoval& removal) {
  m_stopRemoval.reset();
  m_problems = removal.problems;
  const RemovalReport report = describeRemoval(removal);
  std::vector<MessageBanner::Action> actions;
  if (report.allRemoved) {
    m_offered = {};
    m_banner->showMessage(report.kind, report.text);
  } else {
    m_offered = removal.left ? *removal.left : removal.offered;
    if (removal.stopped) {
      actions.push_back({tr("Re&move"), [this] { remove(); }, false, tr("Remove what is still there")});
      actions.push_back({tr("&Details…"), [this] { showDetails(); }, false, tr("List what is still there")});
    } else {
      actions.push_back({tr("&Details…"), [this] { showDetails(); }, false,
                         tr("List what is still there, and why it could not be removed")});
      actions.push_back({tr("&Try Again"), [this] { remove(); }, false, tr("Remove what is still there")});
    }
    actions.push_back({tr("D&ismiss"), {}, true, tr("Leave them for now; podscope-cli gc removes them too")});
    m_banner->showMessage(report.kind, report.text, std::move(actions), MessageBanner::CloseButton::Hidden);
  }
  setState(State::Reporting);
  if (m_checkAfterRemoval) {
    const ContainerdSettings next = *m_checkAfterRemoval;
    m_checkAfterRemoval.reset();
    if (!(next == m_settings)) startCheck(next);
  }
}

}  // namespace podscope::ui
