#include "ui/theme.h"

#include <QApplication>
#include <QPalette>
#include <QStyle>
#include <QStyleFactory>
#include <QStyleHints>

namespace podscope::ui {

namespace {

/// The style and palette the application started with: System returns to them.
struct Startup {
  QString styleName;
  QPalette palette;
};

Startup& startup() {
  static Startup saved{QApplication::style() ? QApplication::style()->name() : QString(), QApplication::palette()};
  return saved;
}

QPalette lightPalette() {
  QPalette p;
  p.setColor(QPalette::Window, QColor(0xF6, 0xF8, 0xFA));
  p.setColor(QPalette::WindowText, QColor(0x24, 0x29, 0x2E));
  p.setColor(QPalette::Base, Qt::white);
  p.setColor(QPalette::AlternateBase, QColor(0xF3, 0xF5, 0xF7));
  p.setColor(QPalette::ToolTipBase, QColor(0xFF, 0xFF, 0xF0));
  p.setColor(QPalette::ToolTipText, QColor(0x24, 0x29, 0x2E));
  p.setColor(QPalette::PlaceholderText, QColor(0x6A, 0x73, 0x7D));
  p.setColor(QPalette::Text, QColor(0x24, 0x29, 0x2E));
  p.setColor(QPalette::Button, QColor(0xF0, 0xF2, 0xF4));
  p.setColor(QPalette::ButtonText, QColor(0x24, 0x29, 0x2E));
  p.setColor(QPalette::BrightText, Qt::red);
  p.setColor(QPalette::Highlight, QColor(0x2F, 0x6F, 0xD0));
  p.setColor(QPalette::HighlightedText, Qt::white);
  p.setColor(QPalette::Link, QColor(0x03, 0x66, 0xD6));
  for (auto role : {QPalette::WindowText, QPalette::Text, QPalette::ButtonText}) {
    p.setColor(QPalette::Disabled, role, QColor(0x9A, 0xA0, 0xA6));
  }
  return p;
}

QPalette darkPalette() {
  QPalette p;
  p.setColor(QPalette::Window, QColor(0x24, 0x27, 0x2C));
  p.setColor(QPalette::WindowText, QColor(0xE1, 0xE4, 0xE8));
  p.setColor(QPalette::Base, QColor(0x1B, 0x1E, 0x22));
  p.setColor(QPalette::AlternateBase, QColor(0x22, 0x26, 0x2B));
  p.setColor(QPalette::ToolTipBase, QColor(0x2D, 0x31, 0x37));
  p.setColor(QPalette::ToolTipText, QColor(0xE1, 0xE4, 0xE8));
  p.setColor(QPalette::PlaceholderText, QColor(0x8B, 0x94, 0x9E));
  p.setColor(QPalette::Text, QColor(0xE1, 0xE4, 0xE8));
  p.setColor(QPalette::Button, QColor(0x2D, 0x31, 0x37));
  p.setColor(QPalette::ButtonText, QColor(0xE1, 0xE4, 0xE8));
  p.setColor(QPalette::BrightText, QColor(0xFF, 0x6B, 0x6B));
  p.setColor(QPalette::Highlight, QColor(0x3D, 0x7E, 0xE0));
  p.setColor(QPalette::HighlightedText, Qt::white);
  p.setColor(QPalette::Link, QColor(0x58, 0xA6, 0xFF));
  p.setColor(QPalette::Light, QColor(0x3A, 0x3F, 0x46));
  p.setColor(QPalette::Midlight, QColor(0x33, 0x38, 0x3E));
  p.setColor(QPalette::Mid, QColor(0x2A, 0x2E, 0x34));
  p.setColor(QPalette::Dark, QColor(0x15, 0x17, 0x1A));
  p.setColor(QPalette::Shadow, Qt::black);
  for (auto role : {QPalette::WindowText, QPalette::Text, QPalette::ButtonText}) {
    p.setColor(QPalette::Disabled, role, QColor(0x6E, 0x76, 0x81));
  }
  return p;
}

}  // namespace

void applyTheme(Theme theme) {
  const Startup& initial = startup();
  switch (theme) {
    case Theme::System:
      if (!initial.styleName.isEmpty() && QApplication::style()->name() != initial.styleName) {
        QApplication::setStyle(QStyleFactory::create(initial.styleName));
      }
      QApplication::setPalette(initial.palette);
      return;
    case Theme::Light:
      QApplication::setStyle(QStyleFactory::create(QStringLiteral("Fusion")));
      QApplication::setPalette(lightPalette());
      return;
    case Theme::Dark:
      QApplication::setStyle(QStyleFactory::create(QStringLiteral("Fusion")));
      QApplication::setPalette(darkPalette());
      return;
  }
}

bool isDarkPalette() { return QApplication::palette().color(QPalette::Window).lightness() < 128; }

}  // namespace podscope::ui
