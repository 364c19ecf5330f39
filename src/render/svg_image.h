#pragma once
// Drawings as pictures: an SVG document (a report's timeline, or any other
// drawing a report makes) drawn into an image at a chosen scale, and saved
// as a PNG. Qt's SVG renderer draws SVG Tiny with some extensions; what it
// cannot draw is given a plain stand-in first (see svgForQt) so a picture
// never comes out with holes.
// Thread contract: free functions without shared state; they need a
// QGuiApplication (fonts) and may run on any thread once it exists.

#include <QByteArray>
#include <QImage>
#include <QString>

#include <string_view>

#include "core/result.h"

namespace podscope::render {

/// The scales a PNG may be drawn at: device pixels per pixel of the drawing.
inline constexpr double kMinPngScale = 0.5;
inline constexpr double kMaxPngScale = 8.0;
inline constexpr double kDefaultPngScale = 2.0;

/// The largest PNG drawn, in pixels a side (QImage's limit is higher, but a
/// picture this big is already more than any viewer shows).
inline constexpr int kMaxPngSide = 32767;

/// `svg` made drawable by Qt's renderer: a fill or stroke painted with a
/// `<pattern>` (which the renderer leaves empty) is painted with the
/// pattern's background colour instead.
QByteArray svgForQt(std::string_view svg);

/// `svg` drawn on white into an image `scale` times its size (its device
/// pixel ratio is `scale`, so it paints at the drawing's own size). The
/// error says what was wrong: the SVG could not be read, the scale is
/// outside kMinPngScale..kMaxPngScale, or the image would be too large.
core::Result<QImage> svgImage(std::string_view svg, double scale);

/// Writes svgImage(svg, scale) to `path` as a PNG, atomically: the file
/// appears whole or not at all. The error names the file.
core::Status writePng(std::string_view svg, double scale, const QString& path);

}  // namespace podscope::render
