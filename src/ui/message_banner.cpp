#include "ui/message_banner.h"

#include <QFrame>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QStyle>
#include <QToolButton>
#include <QVBoxLayout>

namespace podscope::ui {

namespace {

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
  m_actionButton = new QPushButton(m_frame);
  m_actionButton->setObjectName(QStringLiteral("messageBannerAction"));
  m_actionButton->hide();
  m_closeButton = new QToolButton(m_frame);
  m_closeButton->setAutoRaise(true);
  m_closeButton->setText(QStringLiteral("\u2715"));
  m_closeButton->setToolTip(tr("Dismiss"));

  auto* layout = new QHBoxLayout(m_frame);
  layout->setContentsMargins(10, 6, 6, 6);
  layout->setSpacing(8);
  layout->addWidget(m_icon, 0, Qt::AlignTop);
  layout->addWidget(m_label, 1);
  layout->addWidget(m_actionButton, 0, Qt::AlignVCenter);
  layout->addWidget(m_closeButton, 0, Qt::AlignTop);

  connect(m_actionButton, &QPushButton::clicked, this, &MessageBanner::triggerAction);
  connect(m_closeButton, &QToolButton::clicked, this, &MessageBanner::dismiss);
  hide();
}

void MessageBanner::showMessage(Kind kind, const QString& text, const QString& actionText,
                                std::function<void()> action) {
  m_kind = kind;
  const BannerColors colors = colorsFor(kind);
  m_frame->setStyleSheet(QStringLiteral("QFrame#messageBannerFrame { background: %1; border: 1px solid %2; border-radius: 4px; }"
                                        "QLabel { color: %3; background: transparent; }")
                    .arg(QLatin1String(colors.paper), QLatin1String(colors.border), QLatin1String(colors.text)));
  const int iconSize = style()->pixelMetric(QStyle::PM_SmallIconSize);
  m_icon->setPixmap(style()->standardIcon(iconFor(kind), nullptr, this).pixmap(iconSize, iconSize));
  m_label->setText(text);
  m_action = std::move(action);
  m_actionButton->setText(actionText);
  m_actionButton->setVisible(!actionText.isEmpty() && m_action);
  show();
}

void MessageBanner::dismiss() {
  m_action = nullptr;
  hide();
}

QString MessageBanner::text() const { return isHidden() ? QString() : m_label->text(); }

void MessageBanner::triggerAction() {
  // Taken out first: the action may well show a new message in this banner.
  std::function<void()> action = std::move(m_action);
  dismiss();
  if (action) action();
}

}  // namespace podscope::ui
