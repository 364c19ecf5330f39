#include "render/inline_drawings.h"

#include <QPainter>

namespace podscope::render {

QSizeF InlineDrawings::intrinsicSize(QTextDocument*, int, const QTextFormat& format) {
  return format.property(kSvgSize).toSizeF();
}

void InlineDrawings::drawObject(QPainter* painter, const QRectF& rect, QTextDocument*, int, const QTextFormat& format) {
  const int index = format.intProperty(kSvgIndex);
  if (index >= 0 && index < static_cast<int>(renderers.size()) &&
      renderers[static_cast<std::size_t>(index)]->isValid()) {
    renderers[static_cast<std::size_t>(index)]->render(painter, rect);
    return;
  }
  painter->save();
  painter->fillRect(rect, QColor(0xF6, 0xF8, 0xFA));
  painter->setPen(QColor(0x6A, 0x73, 0x7D));
  painter->drawText(rect, Qt::AlignCenter, QStringLiteral("This drawing could not be read."));
  painter->restore();
}

}  // namespace podscope::render
