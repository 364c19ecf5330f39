#include "ui/message_banner.h"

#include <QFrame>
#include <QHBoxLayout>
#include <QKeyEvent>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>
#include <QStyle>
#include <QToolButton>
#include <QVBoxLayout>

#include <algorithm>

namespace podscope::ui {

namespace {

constexpr int kProgressWidth = 180;

struct BannerColors {
  const char* paper;
  const char* border;
  const char* text;
};

BannerColors colorsFor(MessageBanner::Kind kind) {
  switch (kind) {
    case MessageBanner::Kind::Information: return {"#EAF2FC", "#B6CDEB", "#1B3C66"};
    case MessageBanner::Kind::Warning: return {"#FFF6E0", "#E8CF8F", "#5C4200"};
    case MessageBanner::Kind::Error: return {"#FDECEA", "#EDB8B2", "#8A1F17"};
  }
  return {"#EAF2FC", "#B6CDEB", "#1B3C66"};
}

QStyle::StandardPixmap iconFor(MessageBanner::Kind kind) {
  switch (kind) {
    case MessageBanner::Kind::Information: return QStyle::SP_MessageBoxInformation;
    case MessageBanner::Kind::Warning: return QStyle::SP_MessageBoxWarning;
    case MessageBanner::Kind::Error: return QStyle::SP_MessageBoxCritical;
  }
  return QStyle::SP_MessageBoxInformation;
}

}  // namespace

MessageBanner::MessageBanner(QWidget* parent) : QWidget(parent) {
  setObjectName(QStringLiteral("messageBanner"));
  // The coloured box sits inside a margin of its own, so hiding the banner
  // leaves no empty strip above the editor.
  m_frame = new QFrame(this);
  m_frame->setObjectName(QStringLiteral("messageBannerFrame"));
  auto* outer = new QVBoxLayout(this);
  outer->setContentsMargins(8, 8, 8, 6);
  outer->addWidget(m_frame);

  m_icon = new QLabel(m_frame);
  m_label = new QLabel(m_frame);
  m_label->setObjectName(QStringLiteral("messageBannerText"));
  m_label->setWordWrap(true);
  m_label->setTextFormat(Qt::PlainText);
  m_label->setTextInteractionFlags(Qt::TextSelectableByMouse);
  m_progress = new QProgressBar(m_frame);
  m_progress->setObjectName(QStringLiteral("messageBannerProgress"));
  m_progress->setFixedWidth(kProgressWidth);
  m_progress->setTextVisible(false);
  m_progress->hide();
  m_closeButton = new QToolButton(m_frame);
  m_closeButton->setAutoRaise(true);
  m_closeButton->setText(QStringLiteral("\u2715"));
  m_closeButton->setToolTip(tr("Dismiss (Esc)"));
  m_closeButton->setAccessibleName(tr("Dismiss"));

  auto* layout = new QHBoxLayout(m_frame);
  layout->setContentsMargins(10, 6, 6, 6);
  layout->setSpacing(8);
  layout->addWidget(m_icon, 0, Qt::AlignTop);
  layout->addWidget(m_label, 1);
  layout->addWidget(m_progress, 0, Qt::AlignVCenter);
  m_buttons.push_back(new QPushButton(m_frame));
  m_buttons.front()->setObjectName(QStringLiteral("messageBannerAction"));
  m_buttons.front()->hide();
  connect(m_buttons.front(), &QPushButton::clicked, this, [this] { triggerAction(0); });
  layout->addWidget(m_buttons.front(), 0, Qt::AlignVCenter);
  layout->addWidget(m_closeButton, 0, Qt::AlignTop);

  connect(m_closeButton, &QToolButton::clicked, this, &MessageBanner::dismiss);
  hide();
}

void MessageBanner::setKind(Kind kind) {
  m_kind = kind;
  const BannerColors colors = colorsFor(kind);
  m_frame->setStyleSheet(QStringLiteral("QFrame#messageBannerFrame { background: %1; border: 1px solid %2; border-radius: 4px; }"
                                        "QLabel { color: %3; background: transparent; }")
                    .arg(QLatin1String(colors.paper), QLatin1String(colors.border), QLatin1String(colors.text)));
  const int iconSize = style()->pixelMetric(QStyle::PM_SmallIconSize);
  m_icon->setPixmap(style()->standardIcon(iconFor(kind), nullptr, this).pixmap(iconSize, iconSize));
}

void MessageBanner::setActions(std::vector<Action> actions) {
  std::erase_if(actions, [](const Action& a) { return a.text.isEmpty() || (!a.run && !a.dismisses); });
  auto* layout = static_cast<QHBoxLayout*>(m_frame->layout());
  while (m_buttons.size() < actions.size()) {
    const std::size_t index = m_buttons.size();
    auto* button = new QPushButton(m_frame);
    button->setObjectName(QStringLiteral("messageBannerAction%1").arg(index + 1));
    connect(button, &QPushButton::clicked, this, [this, index] { triggerAction(index); });
    // After the buttons made so far, before the close button.
    layout->insertWidget(layout->indexOf(m_closeButton), button, 0, Qt::AlignVCenter);
    m_buttons.push_back(button);
  }
  for (std::size_t i = 0; i < m_buttons.size(); ++i) {
    QPushButton* button = m_buttons[i];
    const bool used = i < actions.size();
    button->setText(used ? actions[i].text : QString());
    button->setToolTip(used ? actions[i].toolTip : QString());
    button->setVisible(used);
  }
  m_actions = std::move(actions);
}

void MessageBanner::showMessage(Kind kind, const QString& text, const QString& actionText,
                                std::function<void()> action) {
  std::vector<Action> actions;
  if (!actionText.isEmpty() && action) actions.push_back(Action{actionText, std::move(action), true, {}});
  showMessage(kind, text, std::move(actions));
}

void MessageBanner::showMessage(Kind kind, const QString& text, std::vector<Action> actions,
                                CloseButton closeButton) {
  setKind(kind);
  m_label->setText(text);
  m_progress->hide();
  m_closeButton->setVisible(closeButton == CloseButton::Shown);
  setActions(std::move(actions));
  show();
}

void MessageBanner::showProgress(const QString& text, int done, int total, Action stop) {
  setKind(Kind::Information);
  m_label->setText(text);
  m_progress->setRange(0, std::max(total, 0));
  m_progress->setValue(std::clamp(done, 0, std::max(total, 0)));
  m_progress->show();
  m_closeButton->hide();
  stop.dismisses = false;
  std::vector<Action> actions;
  if (stop.run) actions.push_back(std::move(stop));
  setActions(std::move(actions));
  show();
}

void MessageBanner::showProgress(const QString& text, int done, int total) {
  showProgress(text, done, total, Action{{}, {}, false, {}});
}

bool MessageBanner::showsProgress() const { return !isHidden() && !m_progress->isHidden(); }

void MessageBanner::dismiss() {
  m_actions.clear();
  hide();
  emit dismissed();
}

QString MessageBanner::text() const { return isHidden() ? QString() : m_label->text(); }

QList<QPushButton*> MessageBanner::actionButtons() const {
  QList<QPushButton*> out;
  for (std::size_t i = 0; i < m_actions.size() && i < m_buttons.size(); ++i) out.append(m_buttons[i]);
  return out;
}

void MessageBanner::keyPressEvent(QKeyEvent* event) {
  // Esc on a focused button of the banner closes it, as its close button
  // would; a task in progress is only stopped on purpose.
  if (event->key() == Qt::Key_Escape && !showsProgress()) {
    dismiss();
    event->accept();
    return;
  }
  QWidget::keyPressEvent(event);
}

void MessageBanner::triggerAction(std::size_t index) {
  if (index >= m_actions.size()) return;
  // Taken out first: the action may well show a new message in this banner.
  Action action = m_actions[index];
  if (action.dismisses) dismiss();
  if (action.run) action.run();
}

}  // namespace podscope::ui
