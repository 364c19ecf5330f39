#pragma once
// A report's HTML laid out on paper, page by page: the body of every page is
// a window onto one long layout of the report (Qt's rich text, given a page
// height so no line is cut by a page's edge), with a running header and a
// "Page N of M" footer drawn around it.
//
// Qt's rich text knows a subset of HTML 4 and CSS 2, so the report is first
// rewritten into what it draws well (richTextHtml), and the layout is then
// finished in code: code blocks get a light box, tables rules, zebra rows,
// a header row repeated on every page and column widths that fit the page;
// headings, short tables and code blocks, table rows and list items are
// moved to the next page rather than left alone at a page's foot or cut in
// two. Inline SVG drawings (the timeline) are drawn as vectors, scaled to
// the page's width.
// Thread contract: a PagedReport is used from one thread at a time; it needs
// a QGuiApplication (fonts).

#include <QMarginsF>
#include <QPageSize>
#include <QSizeF>
#include <QString>

#include <memory>
#include <string_view>
#include <vector>

class QPainter;
class QPaintDevice;
class QTextDocument;

namespace podscope::render {

/// The paper, and the words around the report on every page.
struct PageSetup {
  QPageSize paper{QPageSize::A4};
  /// The body's distance from the paper's edges, in millimetres; the header
  /// and footer sit in the top and bottom margins.
  QMarginsF marginsMm{17, 20, 17, 18};
  QString header;  ///< left of the running header, e.g. "pod/web · Podscope report"; none when empty
  QString footer;  ///< left of the footer, e.g. "Podscope 1.0"; the right says "Page N of M"
};

/// `html` as Qt's rich text draws it well: inline `<svg>` elements become
/// `<img src="podscope-svg:N">` (N counts them from 0); navigation and
/// `screen-only` elements are dropped; the stylesheet's custom properties
/// are resolved, its @media blocks dropped, its lengths scaled for paper
/// (font sizes in pt, which Qt needs), and a few rules for print are added; lists whose
/// items start with a `<time>` and definition lists become two-column
/// tables; each `<span class="line">` of a `<pre>` starts a line; badges get
/// room around their text; header cells are marked for the layout.
QString richTextHtml(const QString& html);

/// One heading of a laid-out report, for checking the page breaks.
struct HeadingPlace {
  QString text;
  int level = 0;          ///< 1 for h1, ...
  int page = 0;           ///< 0-based
  bool followed = false;  ///< what comes after it starts on the same page
};

/// A report laid out on pages. Units are the paint device's pixels.
class PagedReport {
 public:
  /// Lays `html` out on pages of `setup` for `device` (a QPdfWriter, or an
  /// image with the resolution to draw at), whose resolution sets the units.
  PagedReport(std::string_view html, const PageSetup& setup, QPaintDevice& device);
  ~PagedReport();
  PagedReport(const PagedReport&) = delete;
  PagedReport& operator=(const PagedReport&) = delete;

  int pageCount() const;

  /// Draws page `index` (0-based) with its header and footer; the
  /// painter's origin is the paper's top-left corner, in device pixels.
  void paintPage(QPainter& painter, int index) const;

  /// The paper and the body (inside the margins), in device pixels.
  QSizeF paperSize() const;
  QSizeF bodySize() const;

  /// The widest the laid-out content came to: at most bodySize().width()
  /// unless something could not be made to fit.
  double contentWidth() const;

  /// Every heading outside tables, in order, with its page.
  std::vector<HeadingPlace> headings() const;

  /// The inline drawings that Qt's SVG renderer could not read (drawn as a
  /// grey box saying so).
  int unreadableDrawings() const;

  const QTextDocument& document() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> m_impl;
};

}  // namespace podscope::render
