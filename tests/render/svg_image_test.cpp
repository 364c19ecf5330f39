// Drawings as pictures: the scale, what Qt's SVG renderer cannot draw, and
// PNG files written whole or not at all, with errors that name them.

#include "render/svg_image.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <QDir>
#include <QGuiApplication>
#include <QTemporaryDir>

#include "render/headless_app.h"

namespace podscope::render {
namespace {

using ::testing::HasSubstr;

// 100×50 CSS pixels: a red square on the left, a pattern-filled one on the right.
constexpr char kDrawing[] = R"svg(<svg xmlns="http://www.w3.org/2000/svg" width="100" height="50" viewBox="0 0 100 50">
<defs><pattern id="hatch" width="6" height="6" patternUnits="userSpaceOnUse"><rect width="6" height="6" fill="#D1D6DC"/>
<rect width="2" height="6" fill="#9AA3AD"/></pattern></defs>
<rect x="0" y="0" width="40" height="50" fill="#FF0000"/>
<rect x="60" y="0" width="40" height="50" fill="url(#hatch)"/>
</svg>)svg";

TEST(SvgImage, IsDrawnAtTheScaleAskedFor) {
  for (double scale : {0.5, 1.0, 2.0, 3.0, 8.0}) {
    core::Result<QImage> image = svgImage(kDrawing, scale);
    ASSERT_TRUE(image) << image.error().message;
    EXPECT_EQ(image->width(), static_cast<int>(std::ceil(100 * scale))) << scale;
    EXPECT_EQ(image->height(), static_cast<int>(std::ceil(50 * scale))) << scale;
  }
  core::Result<QImage> image = svgImage(kDrawing, 2);
  ASSERT_TRUE(image);
  EXPECT_EQ(image->pixelColor(20, 50), QColor(0xFF, 0, 0));
  EXPECT_EQ(image->pixelColor(100, 50), QColor(Qt::white));  // the gap between the squares
}

TEST(SvgImage, APatternQtCannotDrawIsFilledWithItsBackground) {
  const QByteArray prepared = svgForQt(kDrawing);
  EXPECT_FALSE(prepared.contains("url(#hatch)"));
  EXPECT_TRUE(prepared.contains("fill=\"#D1D6DC\""));
  core::Result<QImage> image = svgImage(kDrawing, 1);
  ASSERT_TRUE(image);
  EXPECT_EQ(image->pixelColor(80, 25), QColor(0xD1, 0xD6, 0xDC));
  // A drawing without patterns is left as it is.
  const std::string plain = R"(<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4"/>)";
  EXPECT_EQ(svgForQt(plain), QByteArray::fromStdString(plain));
}

TEST(SvgImage, ScalesOutsideTheRangeAndUnreadableDrawingsAreRefused) {
  for (double scale : {0.0, 0.49, 8.01, -1.0}) {
    core::Result<QImage> image = svgImage(kDrawing, scale);
    ASSERT_FALSE(image) << scale;
    EXPECT_THAT(image.error().message, HasSubstr("the scale must be from 0.5 to 8")) << scale;
  }
  core::Result<QImage> broken = svgImage("<svg this is not", 2);
  ASSERT_FALSE(broken);
  EXPECT_THAT(broken.error().message, HasSubstr("not an SVG"));
  // 20,000 pixels wide at 8× would be 160,000 pixels.
  core::Result<QImage> huge = svgImage(R"(<svg xmlns="http://www.w3.org/2000/svg" width="20000" height="10"/>)", 8);
  ASSERT_FALSE(huge);
  EXPECT_THAT(huge.error().message, HasSubstr("160000×80 pixels"));
}

TEST(WritePng, WritesTheFileWholeOrNotAtAll) {
  QTemporaryDir dir;
  ASSERT_TRUE(dir.isValid());
  const QString path = dir.filePath(QStringLiteral("t.png"));
  ASSERT_TRUE(writePng(kDrawing, 3, path));
  const QImage written(path);
  EXPECT_EQ(written.size(), QSize(300, 150));

  // A failure leaves what was there.
  core::Status refused = writePng(kDrawing, 9, path);
  ASSERT_FALSE(refused);
  EXPECT_THAT(refused.error().message, HasSubstr(path.toStdString() + ": the scale must be from 0.5 to 8, not 9"));
  EXPECT_EQ(QImage(path).size(), QSize(300, 150));
  EXPECT_EQ(QDir(dir.path()).entryList(QDir::Files), QStringList{QStringLiteral("t.png")});  // no temporary left

  core::Status nowhere = writePng(kDrawing, 2, dir.filePath(QStringLiteral("missing/t.png")));
  ASSERT_FALSE(nowhere);
  EXPECT_THAT(nowhere.error().message, HasSubstr("missing/t.png: cannot be written: the folder"));
  core::Status folder = writePng(kDrawing, 2, dir.path());
  ASSERT_FALSE(folder);
  EXPECT_THAT(folder.error().message, HasSubstr("is a directory"));
}

TEST(HeadlessGui, IsMadeOnceWithOffscreenToFallBackOn) {
  ASSERT_NE(QCoreApplication::instance(), nullptr);
  EXPECT_EQ(startHeadlessGui("again"), nullptr);  // the one the test main made serves
  // Offscreen, or after the platform the environment named as a fallback.
  EXPECT_TRUE(qEnvironmentVariable("QT_QPA_PLATFORM").split(QLatin1Char(';')).contains(QStringLiteral("offscreen")));
}

}  // namespace
}  // namespace podscope::render
