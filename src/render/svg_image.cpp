#include "render/svg_image.h"

#include <QImageWriter>
#include <QPainter>
#include <QRegularExpression>
#include <QSvgRenderer>

#include <cmath>

#include "render/atomic_file.h"

namespace podscope::render {

namespace {

core::Error plainError(const QString& what) { return core::Error{what.toStdString(), {}, std::nullopt}; }

QString number(double v) { return QString::number(v, 'g', 4); }

}  // namespace

QByteArray svgForQt(std::string_view svg) {
  const QByteArray bytes(svg.data(), static_cast<qsizetype>(svg.size()));
  if (!bytes.contains("<pattern")) return bytes;
  QString text = QString::fromUtf8(bytes);
  static const QRegularExpression pattern(QStringLiteral(R"re(<pattern\b[^>]*\bid="([^"]+)"[^>]*>(.*?)</pattern>)re"),
                                          QRegularExpression::DotMatchesEverythingOption);
  static const QRegularExpression firstFill(QStringLiteral(R"re(\bfill="([^"]+)")re"));
  for (QRegularExpressionMatchIterator it = pattern.globalMatch(text); it.hasNext();) {
    const QRegularExpressionMatch m = it.next();
    const QRegularExpressionMatch fill = firstFill.match(m.captured(2));
    const QString colour = fill.hasMatch() ? fill.captured(1) : QStringLiteral("#D1D6DC");
    text.replace(QStringLiteral("url(#%1)").arg(m.captured(1)), colour);
  }
  return text.toUtf8();
}

core::Result<QImage> svgImage(std::string_view svg, double scale) {
  if (!(scale >= kMinPngScale && scale <= kMaxPngScale)) {
    return plainError(QStringLiteral("the scale must be from %1 to %2, not %3")
                          .arg(number(kMinPngScale), number(kMaxPngScale), number(scale)));
  }
  QSvgRenderer renderer(svgForQt(svg));
  if (!renderer.isValid()) return plainError(QStringLiteral("the drawing is not an SVG Qt can read"));
  // The size the SVG asks for (width and height), else its viewBox's.
  const QSizeF drawing = renderer.defaultSize().isEmpty() ? renderer.viewBoxF().size() : QSizeF(renderer.defaultSize());
  if (drawing.isEmpty()) return plainError(QStringLiteral("the drawing has no size"));
  const QSize size(static_cast<int>(std::ceil(drawing.width() * scale)),
                   static_cast<int>(std::ceil(drawing.height() * scale)));
  if (size.width() > kMaxPngSide || size.height() > kMaxPngSide) {
    return plainError(QStringLiteral("at scale %1 the picture would be %2×%3 pixels, more than %4 a side; "
                                     "use a smaller scale")
                          .arg(number(scale))
                          .arg(size.width())
                          .arg(size.height())
                          .arg(kMaxPngSide));
  }
  QImage image(size, QImage::Format_ARGB32_Premultiplied);
  if (image.isNull()) return plainError(QStringLiteral("there is not enough memory for the picture"));
  image.setDevicePixelRatio(scale);
  image.fill(Qt::white);
  QPainter painter(&image);
  painter.setRenderHint(QPainter::Antialiasing);
  painter.setRenderHint(QPainter::TextAntialiasing);
  renderer.render(&painter, QRectF(QPointF(0, 0), drawing));
  return image;
}

core::Status writePng(std::string_view svg, double scale, const QString& path) {
  core::Result<QImage> image = svgImage(svg, scale);
  if (!image) return fileError(path, QString::fromStdString(image.error().message));
  return saveAtomically(path, [&image](QIODevice& device, QString& why) {
    QImageWriter writer(&device, "png");
    if (writer.write(*image)) return true;
    why = writer.errorString();
    return false;
  });
}

}  // namespace podscope::render
