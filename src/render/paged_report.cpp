#include "render/paged_report.h"

#include <QAbstractTextDocumentLayout>
#include <QFontMetricsF>
#include <QHash>
#include <QPaintDevice>
#include <QPainter>
#include <QRegularExpression>
#include <QSvgRenderer>
#include <QTextBlock>
#include <QTextCursor>
#include <QTextDocument>
#include <QTextFrame>
#include <QTextLayout>
#include <QTextObjectInterface>
#include <QTextTable>

#include <algorithm>
#include <cmath>
#include <functional>
#include <map>

#include "render/inline_drawings.h"
#include "render/svg_image.h"

namespace podscope::render {

namespace {

// Colours of the report's stylesheet (core/report_html.cpp), rules and fills
// a shade firmer for paper, for what the layout draws itself.
const QColor kInk(0x24, 0x29, 0x2E);
const QColor kMuted(0x6A, 0x73, 0x7D);
const QColor kRule(0xD0, 0xD7, 0xDE);
const QColor kRowRule(0xE4, 0xE8, 0xEC);
const QColor kHeaderFill(0xEF, 0xF2, 0xF5);
const QColor kZebra(0xF9, 0xFA, 0xFB);
// The ink at 4%: on white it is the report's code background (#F6F8FA).
const QColor kCodeTint(0x24, 0x29, 0x2E, 10);

// The background richTextHtml gives header cells so the layout can tell them
// from data cells once Qt has read the HTML (it keeps no element names); the
// layout then gives them their real look.
constexpr char kHeaderMark[] = "#fdfcfb";
// Likewise for the times of lists made tables, which line up across lists.
constexpr char kTimeMark[] = "#fdfcfa";

// The block property that marks the lines of one code block (its number);
// UserProperty + 1 and + 2 are the drawings' (inline_drawings.h).
constexpr int kCodeGroup = QTextFormat::UserProperty + 3;

// The room between a code block's box and its text, in CSS pixels.
constexpr double kCodePadX = 6;
constexpr double kCodePadY = 4;
// The smallest a code block's font is made to keep its lines whole.
constexpr double kMinCodePoints = 6.2;

// Paper is read closer than a screen: the report's type and spacing come
// out at 6/7 of their CSS size, so its 14px body text is 9pt.
constexpr double kPrintScale = 6.0 / 7.0;

// What Qt's rich text needs besides the report's own rules: paragraph
// spacing (Qt's default is a screen's 12px), links as text, the time column
// of lists made tables, and smaller code in table cells. These never set a
// property the report's stylesheet sets for the same element: where two
// rules of equal weight disagree, Qt keeps the first for some properties
// (font sizes) and the last for others.
constexpr char kPrintStyle[] = R"(
p { margin-top: 3px; margin-bottom: 3px; }
a { text-decoration: none; }
td.time { color: #6A737D; }
td pre { font-size: 7pt; }
)";

using Rewrite = std::function<QString(const QRegularExpressionMatch&)>;

/// `text` with every match of `re` replaced by what `rewrite` makes of it.
QString replaceEach(const QString& text, const QRegularExpression& re, const Rewrite& rewrite) {
  QString out;
  out.reserve(text.size());
  qsizetype last = 0;
  for (QRegularExpressionMatchIterator it = re.globalMatch(text); it.hasNext();) {
    const QRegularExpressionMatch m = it.next();
    out += QStringView(text).mid(last, m.capturedStart() - last);
    out += rewrite(m);
    last = m.capturedEnd();
  }
  out += QStringView(text).mid(last);
  return out;
}

QRegularExpression regex(const char* pattern) {
  return QRegularExpression(QString::fromLatin1(pattern),
                            QRegularExpression::DotMatchesEverythingOption | QRegularExpression::CaseInsensitiveOption);
}

/// `css` with its @media blocks left out (braces counted, so the rules
/// inside go with them).
QString withoutMediaBlocks(const QString& css) {
  QString out;
  qsizetype pos = 0;
  for (;;) {
    const qsizetype at = css.indexOf(QLatin1String("@media"), pos);
    if (at < 0) break;
    out += QStringView(css).mid(pos, at - pos);
    qsizetype i = css.indexOf(QLatin1Char('{'), at);
    if (i < 0) return out;
    int depth = 0;
    for (; i < css.size(); ++i) {
      if (css[i] == QLatin1Char('{')) ++depth;
      if (css[i] == QLatin1Char('}') && --depth == 0) break;
    }
    pos = i + 1;
  }
  out += QStringView(css).mid(pos);
  return out;
}

/// The report's stylesheet in terms Qt's CSS reader takes.
QString cssForQt(const QString& css) {
  QHash<QString, QString> properties;
  static const QRegularExpression root = regex(R"re(:root\s*\{([^}]*)\})re");
  static const QRegularExpression custom = regex(R"re(--([\w-]+)\s*:\s*([^;]+);?)re");
  if (const QRegularExpressionMatch r = root.match(css); r.hasMatch()) {
    for (QRegularExpressionMatchIterator it = custom.globalMatch(r.captured(1)); it.hasNext();) {
      const QRegularExpressionMatch m = it.next();
      properties.insert(m.captured(1), m.captured(2).trimmed());
    }
  }
  QString out = withoutMediaBlocks(css);
  out.remove(root);
  static const QRegularExpression var = regex(R"re(var\(--([\w-]+)\))re");
  out = replaceEach(out, var, [&](const QRegularExpressionMatch& m) { return properties.value(m.captured(1)); });
  // Qt takes a font size in px as device pixels, which on a 1200 dpi PDF
  // is a speck, so font sizes go in pt (CSS's 1px = 0.75pt); other lengths
  // Qt reads as CSS pixels. Both at the print scale.
  static const QRegularExpression fontPx = regex(R"re(font-size\s*:\s*(\d*\.?\d+)px\b)re");
  out = replaceEach(out, fontPx, [](const QRegularExpressionMatch& m) {
    return QStringLiteral("font-size: %1pt").arg(m.captured(1).toDouble() * 0.75 * kPrintScale, 0, 'g', 3);
  });
  static const QRegularExpression px = regex(R"re((\d*\.?\d+)px\b)re");
  out = replaceEach(out, px, [](const QRegularExpressionMatch& m) {
    return QStringLiteral("%1px").arg(m.captured(1).toDouble() * kPrintScale, 0, 'g', 3);
  });
  // The layout decides where lines break; a white-space rule would make Qt
  // refuse to wrap, or keep code blocks from being found.
  static const QRegularExpression whiteSpace = regex(R"re(white-space\s*:[^;}]*;?)re");
  out.remove(whiteSpace);
  return out;
}

/// `<ul>` lists whose items all start with a `<time>`: a table of times and texts.
QString timedListsAsTables(const QString& html) {
  static const QRegularExpression list = regex(R"re(<ul\b[^>]*>(.*?)</ul>)re");
  static const QRegularExpression item = regex(R"re(<li\b[^>]*>\s*<time\b[^>]*>(.*?)</time>(.*?)</li>)re");
  static const QRegularExpression anyItem = regex(R"re(<li\b)re");
  return replaceEach(html, list, [](const QRegularExpressionMatch& m) {
    const QString body = m.captured(1);
    QString rows;
    int items = 0;
    for (QRegularExpressionMatchIterator it = item.globalMatch(body); it.hasNext(); ++items) {
      const QRegularExpressionMatch i = it.next();
      rows += QStringLiteral("<tr><td class=\"time\" align=\"right\" bgcolor=\"%1\">%2</td><td>%3</td></tr>")
                  .arg(QLatin1String(kTimeMark))
                  .arg(i.captured(1), i.captured(2).trimmed());
    }
    if (items == 0 || items != body.count(anyItem)) return m.captured(0);
    return QStringLiteral("<table class=\"timed\">%1</table>").arg(rows);
  });
}

/// `<dl>` lists: a table of terms (as header cells) and descriptions.
QString definitionListsAsTables(const QString& html) {
  static const QRegularExpression list = regex(R"re(<dl\b[^>]*>(.*?)</dl>)re");
  static const QRegularExpression pair = regex(R"re(<dt\b[^>]*>(.*?)</dt>\s*<dd\b[^>]*>(.*?)</dd>)re");
  return replaceEach(html, list, [](const QRegularExpressionMatch& m) {
    QString rows;
    for (QRegularExpressionMatchIterator it = pair.globalMatch(m.captured(1)); it.hasNext();) {
      const QRegularExpressionMatch p = it.next();
      rows += QStringLiteral("<tr><th>%1</th><td>%2</td></tr>").arg(p.captured(1), p.captured(2));
    }
    return rows.isEmpty() ? m.captured(0) : QStringLiteral("<table class=\"terms\">%1</table>").arg(rows);
  });
}

/// Highlighted code whose lines are `<span class="line">` (shown as blocks
/// by the browser): a newline before each, and the line numbers padded to
/// one width, as Qt knows no `display: block` or `inline-block`.
QString codeLinesAsText(const QString& html) {
  static const QRegularExpression pre = regex(R"re(<pre\b[^>]*>.*?</pre>)re");
  static const QRegularExpression number = regex(R"re(<span class="ln">(\d+)</span>)re");
  return replaceEach(html, pre, [](const QRegularExpressionMatch& m) {
    QString block = m.captured(0);
    if (!block.contains(QLatin1String("class=\"line\""))) return block;
    block.replace(QStringLiteral("</span><span class=\"line\">"), QStringLiteral("</span>\n<span class=\"line\">"));
    qsizetype digits = 1;
    for (QRegularExpressionMatchIterator it = number.globalMatch(block); it.hasNext();) {
      digits = std::max(digits, it.next().capturedLength(1));
    }
    return replaceEach(block, number, [digits](const QRegularExpressionMatch& n) {
      return QStringLiteral("<span class=\"ln\">%1  </span>").arg(n.captured(1), static_cast<int>(digits));
    });
  });
}

}  // namespace

QString richTextHtml(const QString& source) {
  QString html = source;
  // Drawings: placeholders the layout swaps for vector objects.
  int drawings = 0;
  static const QRegularExpression svg = regex(R"re(<svg\b.*?</svg>)re");
  html = replaceEach(html, svg, [&drawings](const QRegularExpressionMatch&) {
    // In a block of its own: Qt knows no <figure>, and would run the
    // drawing on from the heading before it.
    return QStringLiteral("<div><img src=\"podscope-svg:%1\"></div>").arg(drawings++);
  });
  // What only a screen has use for: the section links, hover hints.
  static const QRegularExpression nav = regex(R"re(<nav\b.*?</nav>)re");
  html.remove(nav);
  static const QRegularExpression screenOnly =
      regex(R"re(<(\w+)\b[^>]*\bclass="[^"]*\bscreen-only\b[^"]*"[^>]*>.*?</\1>)re");
  html.remove(screenOnly);

  // The print rules go at the end of the report's own stylesheet: Qt ranks
  // rules of separate <style> elements by specificity alone, so only within
  // one sheet does the later of two equal rules win.
  static const QRegularExpression style = regex(R"re(<style\b[^>]*>(.*?)</style>)re");
  bool printed = false;
  html = replaceEach(html, style, [&printed](const QRegularExpressionMatch& m) {
    const QString print = printed ? QString() : QString::fromLatin1(kPrintStyle);
    printed = true;
    return QStringLiteral("<style>%1%2</style>").arg(cssForQt(m.captured(1)), print);
  });
  if (!printed) html.prepend(QStringLiteral("<style>%1</style>").arg(QLatin1String(kPrintStyle)));

  html = timedListsAsTables(html);
  html = definitionListsAsTables(html);
  html = codeLinesAsText(html);

  static const QRegularExpression badge = regex(R"re((<span\b[^>]*\bclass="badge\b[^"]*"[^>]*>)(.*?)(</span>))re");
  html = replaceEach(html, badge, [](const QRegularExpressionMatch& m) {
    return QStringLiteral("&nbsp;&nbsp;%1&nbsp;%2&nbsp;%3").arg(m.captured(1), m.captured(2), m.captured(3));
  });
  static const QRegularExpression headerCell = regex(R"re(<th\b(?![^>]*\bbgcolor=))re");
  html.replace(headerCell, QStringLiteral("<th bgcolor=\"%1\"").arg(QLatin1String(kHeaderMark)));
  static const QRegularExpression table = regex(R"re(<table\b)re");
  html.replace(table, QStringLiteral("<table cellspacing=\"0\" cellpadding=\"0\" border=\"0\""));
  return html;
}

namespace {

/// A light box behind the lines of a code block on one page.
struct CodeBox {
  int page = 0;
  QRectF rect;
};

/// A rule under an h2, as the report's stylesheet draws one.
struct HeadingRule {
  int page = 0;
  QLineF line;
};

/// The widths a table column needs: at least its longest word, at most its longest line.
struct Extent {
  double min = 0;
  double max = 0;
};

}  // namespace

/// The document, laid out as one long run of pages of the body's height
/// (page N is the stretch from N × height), and what is drawn besides it.
struct PagedReport::Impl {
  QTextDocument doc;
  InlineDrawings svgs;
  PageSetup setup;
  double dpiX = 72;
  double dpiY = 72;
  QSizeF paper;
  QRectF body;
  int pages = 1;
  int unreadable = 0;
  std::vector<CodeBox> boxes;
  std::vector<HeadingRule> rules;
  /// The rows of tables as they lie on one endless page:
  /// each row's top (and, after the last, the table's end), the bottom of
  /// its content and of its first cell's.
  struct NaturalRows {
    std::vector<double> top;
    std::vector<double> contentBottom;
    std::vector<double> firstCellBottom;
  };
  std::map<QTextTable*, NaturalRows> naturalRows;
  QPaintDevice* device = nullptr;

  double mmX(double mm) const { return mm * dpiX / 25.4; }
  double mmY(double mm) const { return mm * dpiY / 25.4; }
  double ptX(double pt) const { return pt * dpiX / 72; }
  double ptY(double pt) const { return pt * dpiY / 72; }
  /// Lengths in text formats (margins, paddings, borders) are CSS pixels,
  /// 1/96 inch, which the layout scales to the device; this does the same.
  double css(double px) const { return px * dpiX / 96; }
  double pageHeight() const { return body.height(); }
  /// The tallest a table, a code block and a table row may be to be kept
  /// whole on one page (taller ones may be split where a page ends).
  double wholeTable() const { return pageHeight() / 6; }
  double wholeCode() const { return pageHeight() / 5; }
  double wholeRow() const { return pageHeight() / 4; }
  /// The page `y` is on. Qt keeps positions in 1/64 pixel steps, so what
  /// it put at a page's top may lie a hair above it.
  int pageOf(double y) const { return static_cast<int>(std::floor((y + 0.5) / pageHeight())); }
  QAbstractTextDocumentLayout* layout() const { return doc.documentLayout(); }

  /// Brings the layout up to date: after a change Qt lays out again from
  /// the change on; `full` starts over from the top, at the body's page
  /// size. A block left without lines (not laid out yet) would give wrong
  /// geometry, so then everything is laid out again too.
  void relayout(bool full = false) {
    if (full) doc.setPageSize(body.size());
    (void)layout()->documentSize();
    for (QTextBlock b = doc.begin(); b.isValid(); b = b.next()) {
      if (b.layout() && b.layout()->lineCount() == 0 && b.length() > 1) {
        doc.setPageSize(body.size());
        (void)layout()->documentSize();
        return;
      }
    }
  }

  void placeDrawings(const std::vector<QByteArray>& sources);
  void markCodeBlocks();
  void tightenLines();
  void styleTables();
  void paginate();
  void collectDecorations();
  double lineBottom(const QTextBlock& block, int line) const;
  QRectF rowContent(QTextTable* table, int row) const;
  bool rowsCanMove(QTextTable* table) const;
  void measureRows();
  void growRow(QTextTable* table, int row, double contentBottom, double firstCellBottom, double grow);
  bool firstRowStranded(QTextTable* table) const;
  void keepRowsWhole(QTextTable* table);
  bool startPageAt(QTextFrame::iterator it);
  double keepBottom(QTextFrame::iterator it) const;
  Extent blockExtent(const QTextBlock& block, double wordCap) const;
};

namespace {

bool isHeading(const QTextBlock& block) { return block.blockFormat().headingLevel() > 0; }

bool isCode(const QTextBlock& block) { return block.blockFormat().hasProperty(kCodeGroup); }

int codeGroup(const QTextBlock& block) { return block.blockFormat().intProperty(kCodeGroup); }

std::vector<QTextTable*> tablesIn(QTextFrame* frame) {
  std::vector<QTextTable*> tables;
  for (QTextFrame* child : frame->childFrames()) {
    if (auto* table = qobject_cast<QTextTable*>(child)) tables.push_back(table);
    std::vector<QTextTable*> inner = tablesIn(child);
    tables.insert(tables.end(), inner.begin(), inner.end());
  }
  return tables;
}

/// The blocks of a table cell, in order.
std::vector<QTextBlock> cellBlocks(const QTextTableCell& cell) {
  std::vector<QTextBlock> blocks;
  const int end = cell.lastCursorPosition().position();
  for (QTextBlock b = cell.firstCursorPosition().block(); b.isValid() && b.position() <= end; b = b.next()) {
    blocks.push_back(b);
  }
  return blocks;
}

bool isMarked(const QTextTableCell& cell, const char* mark) {
  const QTextCharFormat format = cell.format();
  return format.hasProperty(QTextFormat::BackgroundBrush) && format.background().color() == QColor(mark);
}

bool isHeaderCell(const QTextTableCell& cell) { return isMarked(cell, kHeaderMark); }

}  // namespace

void PagedReport::Impl::placeDrawings(const std::vector<QByteArray>& sources) {
  for (const QByteArray& source : sources) {
    svgs.renderers.push_back(std::make_unique<QSvgRenderer>(svgForQt(std::string_view(source.data(), source.size()))));
  }
  doc.documentLayout()->registerHandler(kSvgObject, &svgs);
  struct Place {
    int position;
    int index;
  };
  std::vector<Place> places;
  static const QString scheme = QStringLiteral("podscope-svg:");
  for (QTextBlock b = doc.begin(); b.isValid(); b = b.next()) {
    for (QTextBlock::iterator it = b.begin(); !it.atEnd(); ++it) {
      const QTextFragment f = it.fragment();
      if (!f.charFormat().isImageFormat()) continue;
      const QString name = f.charFormat().toImageFormat().name();
      if (!name.startsWith(scheme)) continue;
      for (int i = 0; i < f.length(); ++i) places.push_back({f.position() + i, name.mid(scheme.size()).toInt()});
    }
  }
  for (const Place& place : places) {
    // A drawing Qt cannot read, or one without a size, is a grey box saying so.
    QSizeF size(body.width(), body.width() / 8);
    QSizeF css;
    const bool known = place.index >= 0 && place.index < static_cast<int>(svgs.renderers.size());
    if (known && svgs.renderers[static_cast<std::size_t>(place.index)]->isValid()) {
      const QSvgRenderer& r = *svgs.renderers[static_cast<std::size_t>(place.index)];
      css = r.defaultSize().isEmpty() ? r.viewBoxF().size() : QSizeF(r.defaultSize());
    }
    const bool drawable = !css.isEmpty();
    if (drawable) {
      // CSS pixels are 1/96 inch; never wider than the body, nor taller than most of a page.
      size = QSizeF(css.width() * dpiX / 96, css.height() * dpiY / 96);
      size *= std::min({1.0, body.width() / size.width(), 0.85 * body.height() / size.height()});
    } else {
      ++unreadable;
    }
    QTextCharFormat format;
    format.setObjectType(kSvgObject);
    format.setProperty(kSvgIndex, drawable ? place.index : -1);
    format.setProperty(kSvgSize, size);
    QTextCursor cursor(&doc);
    cursor.setPosition(place.position);
    cursor.setPosition(place.position + 1, QTextCursor::KeepAnchor);
    cursor.insertText(QString(QChar::ObjectReplacementCharacter), format);
  }
}

void PagedReport::Impl::markCodeBlocks() {
  // Qt marks the lines of a <pre> as non-breaking; they become a code block
  // that wraps (nothing may run off the page) in a box the layout draws.
  // Qt takes a block's side margins in device pixels but its top and bottom
  // margins in CSS pixels.
  int group = 0;
  QTextBlock previous;
  for (QTextBlock b = doc.begin(); b.isValid(); b = b.next()) {
    QTextBlockFormat format = b.blockFormat();
    if (!format.nonBreakableLines()) {
      previous = QTextBlock();
      continue;
    }
    const bool continues =
        previous.isValid() && previous.next() == b && doc.frameAt(previous.position()) == doc.frameAt(b.position());
    if (!continues) ++group;
    format.setNonBreakableLines(false);
    format.setProperty(kCodeGroup, group);
    format.setLeftMargin(format.leftMargin() + css(kCodePadX));
    format.setRightMargin(format.rightMargin() + css(kCodePadX));
    format.setLineHeight(118, QTextBlockFormat::ProportionalHeight);
    format.clearBackground();
    QTextCursor(b).setBlockFormat(format);
    // The characters carry the <pre>'s background too (Qt passes it down).
    for (QTextBlock::iterator it = b.begin(); !it.atEnd(); ++it) {
      const QTextFragment f = it.fragment();
      QTextCharFormat chars = f.charFormat();
      if (!chars.hasProperty(QTextFormat::BackgroundBrush)) continue;
      chars.clearBackground();
      QTextCursor cursor(&doc);
      cursor.setPosition(f.position());
      cursor.setPosition(f.position() + f.length(), QTextCursor::KeepAnchor);
      cursor.setCharFormat(chars);
    }
    previous = b;
  }

  // Per block: room for the box's padding above the first line and below
  // the last; per block outside tables: a smaller font when that saves its
  // lines from wrapping (kubectl's columns read best unbroken).
  QTextBlock first;
  double widest = 0;
  double size = 0;
  for (QTextBlock b = doc.begin(); b.isValid(); b = b.next()) {
    if (!isCode(b)) continue;
    QTextBlockFormat format = b.blockFormat();
    const QTextBlock prev = b.previous();
    const QTextBlock next = b.next();
    const bool starts = !prev.isValid() || !isCode(prev) || codeGroup(prev) != codeGroup(b);
    const bool ends = !next.isValid() || !isCode(next) || codeGroup(next) != codeGroup(b);
    if (starts) {
      format.setTopMargin(format.topMargin() + kCodePadY);
      first = b;
      widest = 0;
      size = 0;
    }
    for (QTextBlock::iterator it = b.begin(); !it.atEnd(); ++it) {
      size = std::max(size, it.fragment().charFormat().fontPointSize());
    }
    if (ends) format.setBottomMargin(format.bottomMargin() + kCodePadY);
    QTextCursor(b).setBlockFormat(format);
    widest = std::max(widest, blockExtent(b, body.width()).max);
    if (!ends || doc.frameAt(b.position()) != doc.rootFrame() || widest <= body.width()) continue;
    if (size <= 0) size = doc.defaultFont().pointSizeF();
    const double fitted = std::floor(size * body.width() / widest * 10) / 10;
    QTextCharFormat smaller;
    smaller.setFontPointSize(std::max(kMinCodePoints, fitted));
    QTextCursor cursor(&doc);
    cursor.setPosition(first.position());
    cursor.setPosition(b.position() + b.length() - 1, QTextCursor::KeepAnchor);
    cursor.mergeCharFormat(smaller);
  }

  // A line too long even so wraps under a hanging indent, so the columns
  // of the lines around it stay clear.
  for (QTextBlock b = doc.begin(); b.isValid(); b = b.next()) {
    if (!isCode(b) || doc.frameAt(b.position()) != doc.rootFrame() || b.begin().atEnd()) continue;
    const double hang =
        4 * QFontMetricsF(b.begin().fragment().charFormat().font(), device).horizontalAdvance(QLatin1Char('0'));
    QTextBlockFormat format = b.blockFormat();
    format.setLeftMargin(format.leftMargin() + hang);
    format.setTextIndent(-hang);
    QTextCursor(b).setBlockFormat(format);
  }
}

void PagedReport::Impl::tightenLines() {
  // The report's line height (1.45) suits its paragraphs; a drawing's line
  // is as tall as the drawing, table rows are denser, and the empty block
  // Qt puts after every table takes no room.
  for (QTextBlock b = doc.begin(); b.isValid(); b = b.next()) {
    QTextBlockFormat format = b.blockFormat();
    const QTextBlock prev = b.previous();
    if (b.text().contains(QChar::ObjectReplacementCharacter)) {
      format.setLineHeight(100, QTextBlockFormat::ProportionalHeight);
    } else if (b.text().isEmpty() && prev.isValid() && doc.frameAt(prev.position()) != doc.frameAt(b.position())) {
      format.setLineHeight(0, QTextBlockFormat::FixedHeight);
      format.setTopMargin(0);
      format.setBottomMargin(0);
    } else if (qobject_cast<QTextTable*>(doc.frameAt(b.position())) && !isCode(b)) {
      format.setLineHeight(128, QTextBlockFormat::ProportionalHeight);
    } else {
      continue;
    }
    QTextCursor(b).setBlockFormat(format);
  }
}

Extent PagedReport::Impl::blockExtent(const QTextBlock& block, double wordCap) const {
  double line = 0;
  double word = 0;
  Extent e;
  auto endWord = [&] {
    e.min = std::max(e.min, std::min(word, wordCap));
    word = 0;
  };
  for (QTextBlock::iterator it = block.begin(); !it.atEnd(); ++it) {
    const QTextFragment f = it.fragment();
    const QTextCharFormat format = f.charFormat();
    if (format.objectType() == kSvgObject) {
      const double w = format.property(kSvgSize).toSizeF().width();
      word += w;
      line += w;
      continue;
    }
    const QFontMetricsF metrics(format.font(), device);
    const QString text = f.text();
    qsizetype start = 0;
    for (qsizetype i = 0; i <= text.size(); ++i) {
      const bool end = i == text.size();
      const QChar c = end ? QChar() : text[i];
      const bool space = c == QLatin1Char(' ') || c == QLatin1Char('\t') || c == QChar(0x200B);
      const bool lineBreak = c == QChar::LineSeparator;
      if (!end && !space && !lineBreak) continue;
      const double w = metrics.horizontalAdvance(text.mid(start, i - start));
      word += w;
      line += w;
      if (space || lineBreak) endWord();
      if (space) line += metrics.horizontalAdvance(c);
      if (lineBreak) {
        e.max = std::max(e.max, line);
        line = 0;
      }
      start = i + 1;
    }
  }
  endWord();
  e.max = std::max(e.max, line);
  const QTextBlockFormat bf = block.blockFormat();
  // Device pixels, as the layout takes side margins.
  const double margins = bf.leftMargin() + bf.rightMargin() + bf.textIndent();
  e.min += margins;
  e.max += margins;
  return e;
}

void PagedReport::Impl::styleTables() {
  // CSS pixels, as formats take them.
  const double padTop = 3;
  const double padBottom = 3;
  const double padLeft = 5;
  const double padRight = 8;
  const double hairline = 0.75;
  // The times of lists made tables, as wide as the widest of them all, so
  // that the lists of a section line up.
  double timeWidth = 0;
  for (QTextTable* table : tablesIn(doc.rootFrame())) {
    for (int r = 0; r < table->rows(); ++r) {
      const QTextTableCell cell = table->cellAt(r, 0);
      if (!isMarked(cell, kTimeMark)) continue;
      for (const QTextBlock& b : cellBlocks(cell)) timeWidth = std::max(timeWidth, blockExtent(b, body.width()).max);
    }
  }
  timeWidth += css(padLeft + padRight + 3);
  for (QTextTable* table : tablesIn(doc.rootFrame())) {
    const int rows = table->rows();
    const int columns = table->columns();
    if (rows == 0 || columns == 0) continue;
    const bool timed = isMarked(table->cellAt(0, 0), kTimeMark);
    // Header rows: the leading rows made of header cells; a header column
    // (terms, labels) when every row starts with one.
    int headerRows = 0;
    for (int r = 0; r < rows; ++r) {
      bool all = true;
      for (int c = 0; c < columns && all; ++c) all = isHeaderCell(table->cellAt(r, c));
      if (!all) break;
      ++headerRows;
    }
    if (headerRows == rows) headerRows = 0;
    const bool data = headerRows > 0;
    bool labels = !data;
    for (int r = 0; r < rows && labels; ++r) labels = isHeaderCell(table->cellAt(r, 0));
    const bool ruled = data || labels;

    // A header over a column of numbers sits right, over them.
    for (int c = 0; c < columns && data; ++c) {
      bool right = rows > headerRows;
      for (int r = headerRows; r < rows && right; ++r) {
        for (const QTextBlock& b : cellBlocks(table->cellAt(r, c)))
          right = right && (b.blockFormat().alignment() & Qt::AlignRight);
      }
      if (!right) continue;
      for (int r = 0; r < headerRows; ++r) {
        QTextBlockFormat align;
        align.setAlignment(Qt::AlignRight);
        QTextCursor cursor = table->cellAt(r, c).firstCursorPosition();
        cursor.setPosition(table->cellAt(r, c).lastCursorPosition().position(), QTextCursor::KeepAnchor);
        cursor.mergeBlockFormat(align);
      }
    }

    std::vector<Extent> extents(static_cast<std::size_t>(columns));
    const double wordCap = 0.4 * body.width();
    for (int r = 0; r < rows; ++r) {
      for (int c = 0; c < columns; ++c) {
        QTextTableCell cell = table->cellAt(r, c);
        if (cell.row() != r || cell.column() != c) continue;  // covered by a span
        QTextTableCellFormat format = cell.format().toTableCellFormat();
        const bool header = isHeaderCell(cell);
        format.setTopPadding(padTop);
        format.setBottomPadding(padBottom);
        format.setLeftPadding(c == 0 && !data ? 0 : padLeft);
        format.setRightPadding(padRight);
        if (header && data) {
          format.setBackground(kHeaderFill);
        } else if (data && (r - headerRows) % 2 == 1) {
          format.setBackground(kZebra);
        } else {
          format.clearBackground();
        }
        format.setTopBorder(0);
        format.setLeftBorder(0);
        format.setRightBorder(0);
        format.setBottomBorder(ruled ? hairline : 0);
        format.setBottomBorderStyle(QTextFrameFormat::BorderStyle_Solid);
        format.setBottomBorderBrush(header && data ? kRule : kRowRule);
        cell.setFormat(format);
        if (cell.columnSpan() > 1) continue;
        for (const QTextBlock& b : cellBlocks(cell)) {
          const Extent e = blockExtent(b, wordCap);
          Extent& column = extents[static_cast<std::size_t>(c)];
          // The cell's padding, and a little for the rules Qt keeps room for.
          const double padding = css(format.leftPadding() + format.rightPadding() + 3);
          column.min = std::max(column.min, e.min + padding);
          column.max = std::max(column.max, e.max + padding);
        }
      }
    }

    if (timed) extents[0] = {timeWidth, timeWidth};

    // Column widths as a browser's automatic table layout would give them:
    // every column its longest line when they fit, else its longest word
    // and a share of what is left in proportion to how much more it wants.
    const double available = body.width();
    double sumMin = 0;
    double sumMax = 0;
    for (const Extent& e : extents) {
      sumMin += e.min;
      sumMax += e.max;
    }
    std::vector<double> widths(static_cast<std::size_t>(columns));
    for (std::size_t c = 0; c < widths.size(); ++c) {
      const Extent& e = extents[c];
      if (sumMax <= available) {
        // Every table spans the page: a data table shares what is left out
        // among its columns, a list of labels or times gives it to its last.
        if (data) {
          widths[c] = e.max + (sumMax > 0 ? (available - sumMax) * e.max / sumMax : 0);
        } else {
          widths[c] = e.max + (c + 1 == widths.size() ? available - sumMax : 0);
        }
      } else if (sumMin <= available) {
        const double wants = sumMax - sumMin;
        widths[c] = e.min + (wants > 0 ? (available - sumMin) * (e.max - e.min) / wants : 0);
      } else {
        widths[c] = available * e.min / sumMin;
      }
    }
    QList<QTextLength> constraints;
    for (double w : widths) constraints.append(QTextLength(QTextLength::PercentageLength, 100.0 * w / available));

    QTextTableFormat format = table->format();
    format.setBorder(0);
    format.setBorderCollapse(true);
    format.setCellSpacing(0);
    format.setCellPadding(0);
    format.setWidth(QTextLength(QTextLength::PercentageLength, 100));
    format.setColumnWidthConstraints(constraints);
    format.setHeaderRowCount(headerRows);
    format.setBackground(Qt::NoBrush);
    table->setFormat(format);
  }
}

double PagedReport::Impl::lineBottom(const QTextBlock& block, int line) const {
  const QRectF rect = layout()->blockBoundingRect(block);
  const QTextLayout* text = block.layout();
  if (!text || text->lineCount() == 0) return rect.bottom();
  const QTextLine l = text->lineAt(std::clamp(line, 0, text->lineCount() - 1));
  return rect.top() + l.y() + l.height();
}

double PagedReport::Impl::keepBottom(QTextFrame::iterator it) const {
  // What must stay on the page of the heading before it: the first lines
  // of a paragraph or code block, the header and first row of a long table
  // (the first lines of that row when it is a tall one), a short table or
  // code block whole.
  if (QTextFrame* frame = it.currentFrame()) {
    const QRectF rect = layout()->frameBoundingRect(frame);
    auto* table = qobject_cast<QTextTable*>(frame);
    if (!table || rect.height() <= wholeTable()) return rect.bottom();
    const int row = std::min(table->format().headerRowCount(), table->rows() - 1);
    const QRectF content = rowContent(table, row);
    if (content.isNull()) return rect.top();
    if (content.height() <= wholeRow()) return content.bottom();
    double bottom = content.top();
    for (int c = 0; c < table->columns(); ++c) {
      const std::vector<QTextBlock> blocks = cellBlocks(table->cellAt(row, c));
      if (!blocks.empty()) bottom = std::max(bottom, lineBottom(blocks.front(), 1));
    }
    return bottom;
  }
  const QTextBlock block = it.currentBlock();
  if (!isCode(block)) return lineBottom(block, 1);
  // A code block's lines are blocks of their own.
  QTextBlock last = block;
  for (QTextBlock b = block.next(); b.isValid() && isCode(b) && codeGroup(b) == codeGroup(block); b = b.next())
    last = b;
  const double top = layout()->blockBoundingRect(block).top();
  if (layout()->blockBoundingRect(last).bottom() - top <= wholeCode())
    return layout()->blockBoundingRect(last).bottom();
  QTextBlock third = block;
  for (int i = 0; i < 2 && third.next().isValid() && isCode(third.next()); ++i) third = third.next();
  return layout()->blockBoundingRect(third).bottom();
}

QRectF PagedReport::Impl::rowContent(QTextTable* table, int row) const {
  QRectF content;
  for (int c = 0; c < table->columns(); ++c) {
    const std::vector<QTextBlock> blocks = cellBlocks(table->cellAt(row, c));
    if (blocks.empty()) continue;
    const double top = layout()->blockBoundingRect(blocks.front()).top();
    const QRectF cell(0, top, 1, layout()->blockBoundingRect(blocks.back()).bottom() - top);
    content = content.isNull() ? cell : content.united(cell);
  }
  return content;
}

bool PagedReport::Impl::rowsCanMove(QTextTable* table) const {
  if (table->rows() < 2) return false;
  for (int r = 0; r < table->rows(); ++r) {
    for (int c = 0; c < table->columns(); ++c) {
      if (table->cellAt(r, c).rowSpan() > 1) return false;  // rows that share cells move together or not at all
    }
  }
  return true;
}

void PagedReport::Impl::measureRows() {
  // One endless page: every row at its own height, none moved or split.
  doc.setPageSize(QSizeF(body.width(), -1));
  (void)layout()->documentSize();
  for (QTextTable* table : tablesIn(doc.rootFrame())) {
    if (table->parentFrame() != doc.rootFrame() || !rowsCanMove(table)) continue;
    NaturalRows& rows = naturalRows[table];
    const double gap = css(table->cellAt(0, 0).format().toTableCellFormat().topPadding());
    for (int r = 0; r < table->rows(); ++r) {
      const QRectF content = rowContent(table, r);
      const std::vector<QTextBlock> first = cellBlocks(table->cellAt(r, 0));
      rows.top.push_back(content.top() - gap);
      rows.contentBottom.push_back(content.bottom());
      rows.firstCellBottom.push_back(first.empty() ? content.top()
                                                   : layout()->blockBoundingRect(first.back()).bottom());
    }
    rows.top.push_back(layout()->frameBoundingRect(table).bottom() - css(table->format().bottomMargin()));
  }
}

void PagedReport::Impl::growRow(QTextTable* table, int row, double contentBottom, double firstCellBottom, double grow) {
  // The space goes in an empty line at the end of the row's first cell, as
  // that line's top margin: Qt keeps no bottom margin of a cell's last
  // block, and a cell's bottom padding would instead shorten the room Qt
  // gives the cell's lines on the page. The line is of a speck of a font,
  // as Qt breaks pages by a line's own height.
  QTextCharFormat speck;
  speck.setFontPointSize(0.5);
  const double line = QFontMetricsF(speck.font(), device).height();
  const double margin = contentBottom + grow - firstCellBottom - line;
  if (margin <= 0) return;
  QTextBlockFormat spacer;
  spacer.setTopMargin(margin * 96 / dpiY);
  spacer.setBottomMargin(0);
  spacer.setLineHeight(0, QTextBlockFormat::FixedHeight);
  QTextCursor cursor = table->cellAt(row, 0).lastCursorPosition();
  cursor.insertBlock(spacer, speck);
}

bool PagedReport::Impl::firstRowStranded(QTextTable* table) const {
  const auto found = naturalRows.find(table);
  if (found == naturalRows.end()) return false;
  const NaturalRows& natural = found->second;
  const int first = table->format().headerRowCount();
  const QRectF row = rowContent(table, first);
  if (row.isNull()) return false;
  const double top = row.top() - css(table->cellAt(first, 0).format().toTableCellFormat().topPadding());
  const double height = natural.top[static_cast<std::size_t>(first) + 1] - natural.top[static_cast<std::size_t>(first)];
  const double foot = (pageOf(top) + 1) * pageHeight() - css(table->format().topMargin());
  return top + height > foot && height <= wholeRow();
}

void PagedReport::Impl::keepRowsWhole(QTextTable* table) {
  // Qt moves a row to the next page only when none of its cells' first
  // lines fit; otherwise it splits the cells, which leaves a line or two of
  // a short row alone at the top of the next page. Such a row goes whole:
  // the row above it is made to reach the page's foot (just short of the
  // table's margin, which Qt keeps free there), so that Qt finds no room
  // for the row's first line and moves it over.
  const auto found = naturalRows.find(table);
  if (found == naturalRows.end()) return;
  const NaturalRows& natural = found->second;
  const int rows = table->rows();
  const int headerRows = table->format().headerRowCount();
  const double longest = wholeRow();
  const double margin = css(table->format().topMargin());
  const double header = natural.top[static_cast<std::size_t>(headerRows)] - natural.top[0];
  auto height = [&](int r) {
    return natural.top[static_cast<std::size_t>(r) + 1] - natural.top[static_cast<std::size_t>(r)];
  };
  auto foot = [&](double y) { return (pageOf(y) + 1) * pageHeight() - margin; };
  auto nextTop = [&](double y) { return (pageOf(y) + 1) * pageHeight() + margin + header; };

  // Where Qt will put each row, from the rows' own heights: one layout for
  // the whole table however many pages it takes.
  const QRectF firstRow = rowContent(table, headerRows);
  if (firstRow.isNull()) return;
  double y = firstRow.top() - css(table->cellAt(headerRows, 0).format().toTableCellFormat().topPadding());
  struct Grow {
    int row;
    double by;
  };
  std::vector<Grow> grows;
  for (int r = headerRows; r < rows; ++r) {
    const double h = height(r);
    if (y + h <= foot(y)) {
      y += h;
    } else if (y >= foot(y)) {
      y = nextTop(y) + h;  // Qt moves it itself
    } else if (h <= longest && r > headerRows) {
      grows.push_back({r - 1, foot(y) - css(1.5) - y});
      y = nextTop(y) + h;
    } else {
      // A long row is split: what does not fit goes on under the next header.
      y = nextTop(y) + h - (foot(y) - y);
    }
  }
  // In one edit, so Qt lays the table out once rather than once a row.
  QTextCursor edit(&doc);
  edit.beginEditBlock();
  for (const Grow& g : grows) {
    const auto r = static_cast<std::size_t>(g.row);
    growRow(table, g.row, natural.contentBottom[r], natural.firstCellBottom[r], g.by);
  }
  edit.endEditBlock();
  if (!grows.empty()) relayout();

  // What the prediction missed (a long row split a line otherwise than
  // reckoned), from the layout itself, a row at a time.
  for (int r = headerRows + 1; r < rows; ++r) {
    const QRectF content = rowContent(table, r);
    if (content.isNull() || pageOf(content.top()) == pageOf(content.bottom() - 1) || content.height() > longest)
      continue;
    const QRectF above = rowContent(table, r - 1);
    const std::vector<QTextBlock> first = cellBlocks(table->cellAt(r - 1, 0));
    if (above.isNull() || first.empty()) continue;
    const double bottomPadding = css(table->cellAt(r - 1, 0).format().toTableCellFormat().bottomPadding());
    growRow(table, r - 1, above.bottom(), layout()->blockBoundingRect(first.back()).bottom(),
            foot(content.top()) - css(1.5) - bottomPadding - above.bottom());
    relayout();
  }
}

bool PagedReport::Impl::startPageAt(QTextFrame::iterator it) {
  // The headings right before the item go with it.
  QTextFrame::iterator first = it;
  for (QTextFrame::iterator walk = it; walk != doc.rootFrame()->begin();) {
    --walk;
    if (walk.currentFrame()) break;
    if (isHeading(walk.currentBlock())) {
      first = walk;
    } else if (!walk.currentBlock().text().trimmed().isEmpty()) {
      break;
    }
  }
  const double top = first.currentFrame() ? layout()->frameBoundingRect(first.currentFrame()).top()
                                          : layout()->blockBoundingRect(first.currentBlock()).top();
  if (top <= pageOf(top) * pageHeight() + 1) return false;  // at a page's top already
  if (QTextFrame* frame = first.currentFrame()) {
    QTextFrameFormat format = frame->frameFormat();
    format.setPageBreakPolicy(QTextFormat::PageBreak_AlwaysBefore);
    frame->setFrameFormat(format);
  } else {
    QTextBlockFormat format = first.currentBlock().blockFormat();
    format.setPageBreakPolicy(QTextFormat::PageBreak_AlwaysBefore);
    format.setTopMargin(0);
    QTextCursor(first.currentBlock()).setBlockFormat(format);
  }
  relayout();
  return true;
}

void PagedReport::Impl::paginate() {
  // In reading order, so that each decision sees the pages as the ones
  // before it left them.
  auto crosses = [this](double top, double bottom) { return pageOf(top) != pageOf(bottom - 1); };
  relayout();
  QTextFrame* root = doc.rootFrame();
  for (QTextFrame::iterator it = root->begin(); !it.atEnd(); ++it) {
    if (QTextFrame* frame = it.currentFrame()) {
      QRectF rect = layout()->frameBoundingRect(frame);
      auto* table = qobject_cast<QTextTable*>(frame);
      // A short table whole on the next page; a long one there when its
      // header or a piece of its first row would be left at this one's foot.
      if (crosses(rect.top(), rect.bottom()) && (rect.height() <= wholeTable() || (table && firstRowStranded(table)))) {
        startPageAt(it);
        rect = layout()->frameBoundingRect(frame);
      }
      if (table && crosses(rect.top(), rect.bottom())) keepRowsWhole(table);
      continue;
    }
    const QTextBlock block = it.currentBlock();
    const QRectF rect = layout()->blockBoundingRect(block);
    if (isHeading(block)) {
      // A heading, and the headings right after it, go on with the first
      // lines of what follows them. (Empty blocks, which Qt leaves between
      // sections, are no content.)
      QTextFrame::iterator next = it;
      ++next;
      while (!next.atEnd() && !next.currentFrame() &&
             (isHeading(next.currentBlock()) || next.currentBlock().text().trimmed().isEmpty())) {
        ++next;
      }
      if (!next.atEnd() && crosses(rect.top(), keepBottom(next))) startPageAt(it);
      continue;
    }
    const QTextBlock previous = block.previous();
    if (isCode(block) && !(previous.isValid() && isCode(previous) && codeGroup(previous) == codeGroup(block))) {
      const double bottom = keepBottom(it);
      if (bottom - rect.top() <= wholeCode() && crosses(rect.top(), bottom)) startPageAt(it);
    }
  }
  // The last page is the one the last line is on (a trailing empty block
  // pushed down by a page break does not make a page of its own).
  double end = 0;
  for (QTextFrame::iterator it = root->begin(); !it.atEnd(); ++it) {
    if (QTextFrame* frame = it.currentFrame()) {
      end = std::max(end, layout()->frameBoundingRect(frame).bottom());
    } else if (!it.currentBlock().text().isEmpty()) {
      end = std::max(end, layout()->blockBoundingRect(it.currentBlock()).bottom());
    }
  }
  pages = std::max(1, pageOf(std::max(0.0, end - 1)) + 1);
}

void PagedReport::Impl::collectDecorations() {
  const double padX = css(kCodePadX);
  const double padY = css(kCodePadY);
  std::map<std::pair<int, int>, QRectF> perPage;  // (group, page) -> box
  for (QTextBlock b = doc.begin(); b.isValid(); b = b.next()) {
    if (isHeading(b) && b.blockFormat().headingLevel() == 2 && !doc.frameAt(b.position())->parentFrame()) {
      const QRectF r = layout()->blockBoundingRect(b);
      const double y = lineBottom(b, b.layout()->lineCount() - 1) + ptY(2.5);
      rules.push_back({pageOf(r.top()), QLineF(0, y, body.width(), y)});
    }
    if (!isCode(b)) continue;
    const QRectF r = layout()->blockBoundingRect(b);
    const QTextLayout* text = b.layout();
    for (int i = 0; i < text->lineCount(); ++i) {
      const QTextLine line = text->lineAt(i);
      // Lines are placed relative to the block's corner, margins included.
      const double top = r.top() + line.y();
      const QRectF lineRect(r.left() + line.x() - padX, top - padY, line.width() + 2 * padX, line.height() + 2 * padY);
      QRectF& box = perPage[{codeGroup(b), pageOf(top)}];
      box = box.isNull() ? lineRect : box.united(lineRect);
    }
  }
  for (const auto& [key, rect] : perPage) {
    const double pageTop = key.second * pageHeight();
    QRectF clipped = rect;
    clipped.setTop(std::max(rect.top(), pageTop));
    clipped.setBottom(std::min(rect.bottom(), pageTop + pageHeight()));
    boxes.push_back({key.second, clipped});
  }
}

PagedReport::PagedReport(std::string_view html, const PageSetup& setup, QPaintDevice& device)
    : m_impl(std::make_unique<Impl>()) {
  Impl& d = *m_impl;
  d.setup = setup;
  d.device = &device;
  d.dpiX = device.logicalDpiX();
  d.dpiY = device.logicalDpiY();
  const QSizeF points = setup.paper.size(QPageSize::Point);
  d.paper = QSizeF(points.width() * d.dpiX / 72, points.height() * d.dpiY / 72);
  const QMarginsF& m = setup.marginsMm;
  d.body = QRectF(d.mmX(m.left()), d.mmY(m.top()), d.paper.width() - d.mmX(m.left() + m.right()),
                  d.paper.height() - d.mmY(m.top() + m.bottom()));

  const QString source = QString::fromUtf8(html.data(), static_cast<qsizetype>(html.size()));
  std::vector<QByteArray> drawings;
  static const QRegularExpression svg = regex(R"re(<svg\b.*?</svg>)re");
  for (QRegularExpressionMatchIterator it = svg.globalMatch(source); it.hasNext();)
    drawings.push_back(it.next().captured(0).toUtf8());

  d.doc.documentLayout()->setPaintDevice(&device);
  d.doc.setUseDesignMetrics(true);
  QTextOption option = d.doc.defaultTextOption();
  option.setWrapMode(QTextOption::WrapAtWordBoundaryOrAnywhere);
  d.doc.setDefaultTextOption(option);
  d.doc.setDefaultFont(QFont(QStringLiteral("DejaVu Sans"), 9));
  // No page size while the formats are finished: with one, Qt lays the
  // document out again after every change, which for a table of a thousand
  // rows styled cell by cell takes minutes.
  d.doc.setPageSize(QSizeF(0, 0));
  d.doc.setHtml(richTextHtml(source));
  d.doc.setDocumentMargin(0);
  // The page is white already, and a body background would cover the rules
  // drawn under the text.
  QTextFrameFormat root = d.doc.rootFrame()->frameFormat();
  root.clearBackground();
  d.doc.rootFrame()->setFrameFormat(root);
  d.placeDrawings(drawings);
  d.markCodeBlocks();
  d.tightenLines();
  d.styleTables();
  d.measureRows();
  d.relayout(true);
  d.paginate();
  d.collectDecorations();
}

PagedReport::~PagedReport() = default;

int PagedReport::pageCount() const { return m_impl->pages; }

QSizeF PagedReport::paperSize() const { return m_impl->paper; }

QSizeF PagedReport::bodySize() const { return m_impl->body.size(); }

double PagedReport::contentWidth() const {
  const Impl& d = *m_impl;
  double widest = 0;
  for (QTextBlock b = d.doc.begin(); b.isValid(); b = b.next()) {
    const QRectF r = d.layout()->blockBoundingRect(b);
    const QTextLayout* text = b.layout();
    for (int i = 0; text && i < text->lineCount(); ++i) {
      const QTextLine line = text->lineAt(i);
      widest = std::max(widest, r.left() + line.x() + line.naturalTextWidth());
    }
  }
  // A table's frame rectangle is reported shifted by its first cell's left
  // padding; it is drawn from the body's left edge, so its width is its end.
  for (QTextFrame* frame : d.doc.rootFrame()->childFrames()) {
    widest = std::max(widest, d.layout()->frameBoundingRect(frame).width());
  }
  return widest;
}

std::vector<HeadingPlace> PagedReport::headings() const {
  const Impl& d = *m_impl;
  std::vector<HeadingPlace> places;
  QTextFrame* root = d.doc.rootFrame();
  for (QTextFrame::iterator it = root->begin(); !it.atEnd(); ++it) {
    if (it.currentFrame() || !isHeading(it.currentBlock())) continue;
    const QTextBlock b = it.currentBlock();
    HeadingPlace place;
    place.text = b.text();
    place.level = b.blockFormat().headingLevel();
    place.page = d.pageOf(d.layout()->blockBoundingRect(b).top());
    QTextFrame::iterator next = it;
    ++next;
    if (!next.atEnd()) {
      const double top = next.currentFrame() ? d.layout()->frameBoundingRect(next.currentFrame()).top()
                                             : d.layout()->blockBoundingRect(next.currentBlock()).top();
      const double firstLine = next.currentFrame() ? top + 1 : d.lineBottom(next.currentBlock(), 0) - 1;
      place.followed = d.pageOf(std::max(top, firstLine)) == place.page;
    }
    places.push_back(place);
  }
  return places;
}

int PagedReport::unreadableDrawings() const { return m_impl->unreadable; }

const QTextDocument& PagedReport::document() const { return m_impl->doc; }

void PagedReport::paintPage(QPainter& painter, int index) const {
  const Impl& d = *m_impl;
  painter.save();
  painter.setRenderHint(QPainter::Antialiasing);
  painter.setRenderHint(QPainter::TextAntialiasing);

  // The body: the part of the long layout that falls on this page.
  painter.save();
  const double top = index * d.pageHeight();
  painter.translate(d.body.left(), d.body.top() - top);
  // A little room at the sides for glyphs that reach past their advance.
  const QRectF clip(-d.mmX(2), top, d.body.width() + d.mmX(4), d.pageHeight());
  painter.setClipRect(clip);
  for (const HeadingRule& rule : d.rules) {
    if (rule.page != index) continue;
    painter.setPen(QPen(kRule, d.ptY(0.75)));
    painter.drawLine(rule.line);
  }
  QAbstractTextDocumentLayout::PaintContext context;
  context.clip = clip;
  context.palette.setColor(QPalette::Text, kInk);
  d.layout()->draw(&painter, context);
  // Code boxes go over the text, tinting it as little as they tint the
  // paper: under it, a table's zebra rows would cover them.
  for (const CodeBox& box : d.boxes) {
    if (box.page != index) continue;
    painter.setPen(QPen(kRule, d.ptX(0.6)));
    painter.setBrush(kCodeTint);
    painter.drawRoundedRect(box.rect, d.ptX(2), d.ptY(2));
  }
  painter.restore();

  // The header and footer, in the margins.
  QFont small(QStringLiteral("DejaVu Sans"));
  small.setPointSizeF(7.5);
  painter.setFont(QFont(small, d.device));
  painter.setPen(QPen(kRule, d.ptY(0.6)));
  const double headerRule = d.body.top() - d.mmY(5);
  const double footerRule = d.body.bottom() + d.mmY(5);
  const double lineHeight = d.mmY(5);
  if (!d.setup.header.isEmpty()) {
    painter.drawLine(QPointF(d.body.left(), headerRule), QPointF(d.body.right(), headerRule));
  }
  painter.drawLine(QPointF(d.body.left(), footerRule), QPointF(d.body.right(), footerRule));
  painter.setPen(kMuted);
  if (!d.setup.header.isEmpty()) {
    painter.drawText(QRectF(d.body.left(), headerRule - lineHeight - d.mmY(1), d.body.width(), lineHeight),
                     Qt::AlignLeft | Qt::AlignBottom, d.setup.header);
  }
  const QRectF footer(d.body.left(), footerRule + d.mmY(1), d.body.width(), lineHeight);
  painter.drawText(footer, Qt::AlignLeft | Qt::AlignTop, d.setup.footer);
  painter.drawText(footer, Qt::AlignRight | Qt::AlignTop, QStringLiteral("Page %1 of %2").arg(index + 1).arg(d.pages));
  painter.restore();
}

}  // namespace podscope::render
