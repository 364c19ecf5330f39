#pragma once
// LeftoversOffer: looks for what runs that ended without cleaning up (a
// crash, a kill -9) left in containerd, offers their removal in a banner,
// and removes them on request. Every containerd call runs on the thread
// pool, so a slow or absent daemon never holds up the window.

#include <QObject>
#include <QPointer>
#include <QString>

#include <atomic>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "engine/runtime/containerd/leftovers.h"
#include "ui/message_banner.h"
#include "ui/run_controller.h"

template <typename T>
class QFutureWatcher;
class QWidget;

namespace podscope::ui {

class LeftoversDialog;

/// What a removal did, as the background task saw it.
struct LeftoversRemoval {
  engine::ContainerdLeftovers offered;
  std::vector<std::string> problems;  ///< what could not be removed, and why
  bool stopped = false;               ///< stopped on request before the end
  /// What of `offered` is still there, looked up after the removal; unset
  /// when that look failed (`checkError` says why).
  std::optional<engine::ContainerdLeftovers> left;
  std::string checkError;
};

/// The banner's sentence for leftovers found: "Found leftovers of 2 crashed
/// runs in containerd namespace "podscope": 3 containers and 3 snapshots."
QString describeFound(const engine::ContainerdLeftovers& leftovers, const QString& containerdNamespace);

/// How the banner reports a removal.
struct RemovalReport {
  MessageBanner::Kind kind = MessageBanner::Kind::Information;
  QString text;
  bool allRemoved = false;
};
RemovalReport describeRemoval(const LeftoversRemoval& removal);

/// "container abc", "sandbox /run/podscope/sandboxes/web-1f2e".
QString describeObject(const engine::LeftoverObject& object);

/// Thread contract: GUI thread only. Work handed to the thread pool holds
/// copies of what it needs and no pointer back to this object; a result for
/// a check that is no longer the current one is dropped by its job id.
class LeftoversOffer final : public QObject {
  Q_OBJECT

 public:
  enum class State {
    Idle,       ///< nothing shown
    Checking,   ///< looking for leftovers
    Offering,   ///< the banner offers their removal
    Removing,   ///< the banner shows the removal's progress
    Reporting,  ///< the banner says how the removal went
  };

  /// Shows its offers in `banner`; dialogs open over `window`.
  LeftoversOffer(MessageBanner* banner, QWidget* window);
  /// Asks a removal under way to stop after the object in hand.
  ~LeftoversOffer() override;

  /// Looks for leftovers of crashed runs for `settings`; the banner offers
  /// their removal when there are any. An unreachable containerd offers
  /// nothing (a run says what is wrong with it). During a removal, the look
  /// waits for it to end.
  void check(const ContainerdSettings& settings);
  /// Takes back an offer or a report (not a removal under way), and drops
  /// the result of a check under way.
  void withdraw();
  /// Removes what is offered (or what a removal left), in the background.
  void remove();
  /// Asks a removal under way to stop after the object in hand.
  void stopRemoving();
  /// Opens the dialog that lists every object offered or left.
  void showDetails();

  State state() const { return m_state; }
  bool isBusy() const { return m_state == State::Checking || m_state == State::Removing; }
  const ContainerdSettings& settings() const { return m_settings; }
  /// What the banner offers to remove (or what a removal left).
  const engine::ContainerdLeftovers& offered() const { return m_offered; }
  /// The Details dialog, once opened.
  LeftoversDialog* dialog() const;

 signals:
  void stateChanged(podscope::ui::LeftoversOffer::State state);

 private:
  void setState(State state);
  void startCheck(const ContainerdSettings& settings);
  void onChecked(quint64 job, const std::optional<engine::ContainerdLeftovers>& found);
  void offer();
  void onRemovalProgress();
  void onRemoved(const LeftoversRemoval& removal);

  MessageBanner* m_banner;
  QWidget* m_window;
  QPointer<LeftoversDialog> m_dialog;
  State m_state = State::Idle;
  ContainerdSettings m_settings;
  engine::ContainerdLeftovers m_offered;
  std::vector<std::string> m_problems;  ///< from the last removal, for Details
  quint64 m_checkJob = 0;
  std::optional<ContainerdSettings> m_checkAfterRemoval;
  QFutureWatcher<LeftoversRemoval>* m_removal = nullptr;
  std::shared_ptr<std::atomic<bool>> m_stopRemoval;
};

}  // namespace podscope::ui
