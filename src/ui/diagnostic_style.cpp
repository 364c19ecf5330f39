#include "ui/diagnostic_style.h"

#include <QObject>
#include <QPainter>
#include <QPainterPath>

namespace podscope::ui {

QColor severityColor(core::Severity severity) {
  switch (severity) {
    case core::Severity::Error:
      return QColor(0xD9, 0x30, 0x25);
    case core::Severity::Warning:
      return QColor(0xD9, 0x8A, 0x00);
    case core::Severity::Info:
      return QColor(0x1F, 0x6F, 0xEB);
  }
  return QColor(0x6A, 0x73, 0x7D);
}

QString severityName(core::Severity severity) {
  switch (severity) {
    case core::Severity::Error:
      return QObject::tr("Error");
    case core::Severity::Warning:
      return QObject::tr("Warning");
    case core::Severity::Info:
      return QObject::tr("Info");
  }
  return {};
}

QImage severityImage(core::Severity severity, int size, qreal dpr) {
  QImage image(QSize(size, size) * dpr, QImage::Format_ARGB32_Premultiplied);
  image.setDevicePixelRatio(dpr);
  image.fill(Qt::transparent);
  QPainter p(&image);
  p.setRenderHint(QPainter::Antialiasing);
  const QRectF box(0.5, 0.5, size - 1.0, size - 1.0);
  p.setPen(Qt::NoPen);
  p.setBrush(severityColor(severity));
  if (severity == core::Severity::Warning) {
    // A triangle reads as "caution" even to someone who cannot tell amber from red.
    QPainterPath triangle;
    triangle.moveTo(box.center().x(), box.top());
    triangle.lineTo(box.right(), box.bottom());
    triangle.lineTo(box.left(), box.bottom());
    triangle.closeSubpath();
    p.drawPath(triangle);
  } else {
    p.drawEllipse(box);
  }
  QPen mark(Qt::white, std::max(1.5, size / 7.0), Qt::SolidLine, Qt::RoundCap);
  p.setPen(mark);
  const qreal c = size / 2.0;
  const qreal r = size * 0.2;
  switch (severity) {
    case core::Severity::Error:
      p.drawLine(QPointF(c - r, c - r), QPointF(c + r, c + r));
      p.drawLine(QPointF(c + r, c - r), QPointF(c - r, c + r));
      break;
    case core::Severity::Warning:
      p.drawLine(QPointF(c, size * 0.38), QPointF(c, size * 0.66));
      p.drawPoint(QPointF(c, size * 0.82));
      break;
    case core::Severity::Info:
      p.drawPoint(QPointF(c, size * 0.3));
      p.drawLine(QPointF(c, size * 0.47), QPointF(c, size * 0.74));
      break;
  }
  return image;
}

QIcon severityIcon(core::Severity severity) {
  QIcon icon;
  for (int size : {12, 16, 24, 32}) icon.addPixmap(QPixmap::fromImage(severityImage(severity, size)));
  return icon;
}

}  // namespace podscope::ui
