#pragma once
// The drawings of a laid-out report (PagedReport): inline SVGs stand in the
// text as objects of their own type, which this handler sizes and draws as
// vectors, so the PDF keeps them sharp. Part of paged_report.cpp's
// implementation, in a header of its own for moc.
// Thread contract: used by the QTextDocument it is registered with, on that
// document's thread.

#include <QObject>
#include <QSvgRenderer>
#include <QTextFormat>
#include <QTextObjectInterface>

#include <memory>
#include <vector>

namespace podscope::render {

/// The object type of an inline drawing, and its properties: which drawing
/// (an index into InlineDrawings::renderers, -1 for one that could not be
/// read) and its size in the layout's units.
inline constexpr int kSvgObject = QTextFormat::UserObject + 1;
inline constexpr int kSvgIndex = QTextFormat::UserProperty + 1;
inline constexpr int kSvgSize = QTextFormat::UserProperty + 2;

/// Sizes and draws the inline drawings of one document.
class InlineDrawings : public QObject, public QTextObjectInterface {
  Q_OBJECT
  Q_INTERFACES(QTextObjectInterface)

 public:
  /// The drawings, by index.
  std::vector<std::unique_ptr<QSvgRenderer>> renderers;

  QSizeF intrinsicSize(QTextDocument* document, int position, const QTextFormat& format) override;
  void drawObject(QPainter* painter, const QRectF& rect, QTextDocument* document, int position,
                  const QTextFormat& format) override;
};

}  // namespace podscope::render
