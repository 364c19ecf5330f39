#pragma once
// MessageBanner: a strip above the editor that says what went wrong (or
// right) in a sentence, with at most one follow-up action. It stays until
// dismissed or replaced, unlike a status-bar message that times out.

#include <QWidget>
#include <QString>

#include <functional>

class QFrame;
class QLabel;
class QToolButton;
class QPushButton;

namespace podscope::ui {

/// Thread contract: GUI thread only.
class MessageBanner final : public QWidget {
  Q_OBJECT

 public:
  enum class Kind { Information, Warning, Error };

  explicit MessageBanner(QWidget* parent = nullptr);

  /// Shows `text` (plain text); with `actionText`, a button that calls
  /// `action` and then hides the banner.
  void showMessage(Kind kind, const QString& text, const QString& actionText = {},
                   std::function<void()> action = {});
  void dismiss();

  QString text() const;
  Kind kind() const { return m_kind; }
  /// The action button, for tests and keyboard focus; hidden when unused.
  QPushButton* actionButton() const { return m_actionButton; }

 private:
  void triggerAction();

  Kind m_kind = Kind::Information;
  QFrame* m_frame = nullptr;
  QLabel* m_icon = nullptr;
  QLabel* m_label = nullptr;
  QPushButton* m_actionButton = nullptr;
  QToolButton* m_closeButton = nullptr;
  std::function<void()> m_action;
};

}  // namespace podscope::ui
