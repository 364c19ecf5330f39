#pragma once
// MessageBanner: a strip above the editor that says what went wrong (or
// right) in a sentence, with a few follow-up actions, or how far a task in
// the background has got. It stays until dismissed or replaced, unlike a
// status-bar message that times out.

#include <QList>
#include <QString>
#include <QWidget>

#include <functional>
#include <vector>

class QFrame;
class QKeyEvent;
class QLabel;
class QProgressBar;
class QPushButton;
class QToolButton;

namespace podscope::ui {

/// Thread contract: GUI thread only.
class MessageBanner final : public QWidget {
  Q_OBJECT

 public:
  enum class Kind { Information, Warning, Error };

  /// A button on the banner. `text` may hold a mnemonic ("Re&move").
  struct Action {
    QString text;
    /// Without one, the button only dismisses the banner.
    std::function<void()> run;
    /// Hide the banner before `run` is called.
    bool dismisses = true;
    QString toolTip;
  };
  enum class CloseButton { Shown, Hidden };

  explicit MessageBanner(QWidget* parent = nullptr);

  /// Shows `text` (plain text); with `actionText`, a button that calls
  /// `action` and then hides the banner.
  void showMessage(Kind kind, const QString& text, const QString& actionText = {},
                   std::function<void()> action = {});
  /// Shows `text` with one button per action, in order; the close button
  /// can be left out when an action says Dismiss in words.
  void showMessage(Kind kind, const QString& text, std::vector<Action> actions,
                   CloseButton closeButton = CloseButton::Shown);
  /// Shows `text` with a progress bar, `done` of `total` (`total` 0: busy,
  /// no steps), and a button for `stop` when it has text. There is no close
  /// button meanwhile: the task ends by itself or through `stop`.
  void showProgress(const QString& text, int done, int total, Action stop);
  void showProgress(const QString& text, int done, int total);
  /// Hides the banner (Esc does too, unless it shows progress).
  void dismiss();

  QString text() const;
  Kind kind() const { return m_kind; }
  bool showsProgress() const;
  /// The first action's button, for tests and keyboard focus; hidden when unused.
  QPushButton* actionButton() const { return m_buttons.front(); }
  /// The visible action buttons, in order.
  QList<QPushButton*> actionButtons() const;
  QProgressBar* progressBar() const { return m_progress; }

 signals:
  /// The banner was hidden by dismiss(), whoever asked.
  void dismissed();

 protected:
  void keyPressEvent(QKeyEvent* event) override;

 private:
  void setKind(Kind kind);
  void setActions(std::vector<Action> actions);
  void triggerAction(std::size_t index);

  Kind m_kind = Kind::Information;
  QFrame* m_frame = nullptr;
  QLabel* m_icon = nullptr;
  QLabel* m_label = nullptr;
  QProgressBar* m_progress = nullptr;
  /// Made as needed and kept: a button may be the one whose click replaces
  /// the message, so none is deleted while the banner lives.
  std::vector<QPushButton*> m_buttons;
  QToolButton* m_closeButton = nullptr;
  std::vector<Action> m_actions;
};

}  // namespace podscope::ui
