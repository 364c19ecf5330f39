#include "ui/manifest_editor.h"

#include <Qsci/qscilexeryaml.h>
#include <Qsci/qscistyle.h>

#include <QDragEnterEvent>
#include <QDragMoveEvent>
#include <QDropEvent>
#include <QFontDatabase>
#include <QMimeData>

#include <algorithm>

namespace podscope::ui {

namespace {

constexpr int kNumberMargin = 0;
constexpr int kSymbolMargin = 1;
constexpr int kFoldMargin = 2;
constexpr int kIndent = 2;

const QColor kProblemColor(0xD9, 0x45, 0x3B);
const QColor kProblemText(0x8A, 0x1F, 0x17);
const QColor kProblemPaper(0xFD, 0xEC, 0xEA);

QFont editorFont() {
  QFont font = QFontDatabase::systemFont(QFontDatabase::FixedFont);
  font.setStyleHint(QFont::Monospace);
  font.setPointSize(std::max(font.pointSize(), 10));
  return font;
}

}  // namespace

// Style numbers come from a small process-wide pool, so the problem style is
// taken once per editor rather than per problem.
ManifestEditor::ManifestEditor(QWidget* parent)
    : QsciScintilla(parent),
      m_problemStyle(-1, QStringLiteral("problem"), kProblemText, kProblemPaper, editorFont()) {
  setUtf8(true);
  setEolMode(EolUnix);

  // Kubernetes YAML is indented with spaces; a tab is a syntax error there.
  setIndentationsUseTabs(false);
  setIndentationWidth(kIndent);
  setTabWidth(kIndent);
  setTabIndents(true);
  setBackspaceUnindents(true);
  setAutoIndent(true);
  setIndentationGuides(true);

  m_lexer = new QsciLexerYAML(this);
  setUpAppearance();
  setLexer(m_lexer);

  setFolding(BoxedTreeFoldStyle, kFoldMargin);
  setBraceMatching(SloppyBraceMatch);

  m_problemIndicator = indicatorDefine(SquiggleIndicator);
  setIndicatorForegroundColor(kProblemColor, m_problemIndicator);
  m_problemMarker = markerDefine(Circle);
  setMarkerBackgroundColor(kProblemColor, m_problemMarker);
  setMarkerForegroundColor(kProblemColor.darker(130), m_problemMarker);
  setMarginType(kSymbolMargin, SymbolMargin);
  setMarginWidth(kSymbolMargin, 14);
  setMarginMarkerMask(kSymbolMargin, 1 << m_problemMarker);
  setAnnotationDisplay(AnnotationBoxed);

  // A problem describes text that is no longer there once the user types.
  connect(this, &QsciScintilla::textChanged, this, &ManifestEditor::clearProblem);
}

void ManifestEditor::setUpAppearance() {
  const QFont font = editorFont();
  m_lexer->setDefaultFont(font);
  m_lexer->setFont(font);
  // QsciLexerYAML's defaults put comments and document markers on coloured
  // paper, which reads as highlighting; plain paper with coloured text
  // keeps the manifest calm and leaves colour for problems.
  m_lexer->setPaper(Qt::white);
  m_lexer->setDefaultPaper(Qt::white);
  m_lexer->setColor(QColor(0x6A, 0x73, 0x7D), QsciLexerYAML::Comment);
  m_lexer->setColor(QColor(0x00, 0x5C, 0xC5), QsciLexerYAML::Identifier);
  m_lexer->setColor(QColor(0x6F, 0x42, 0xC1), QsciLexerYAML::Keyword);
  m_lexer->setColor(QColor(0x00, 0x80, 0x80), QsciLexerYAML::Number);
  m_lexer->setColor(QColor(0xB3, 0x1D, 0x28), QsciLexerYAML::Reference);
  m_lexer->setColor(QColor(0x6F, 0x42, 0xC1), QsciLexerYAML::DocumentDelimiter);
  m_lexer->setColor(QColor(0x22, 0x86, 0x3A), QsciLexerYAML::TextBlockMarker);
  m_lexer->setColor(QColor(0xB3, 0x1D, 0x28), QsciLexerYAML::SyntaxErrorMarker);
  m_lexer->setColor(QColor(0x24, 0x29, 0x2E), QsciLexerYAML::Operator);
  m_lexer->setColor(QColor(0x24, 0x29, 0x2E), QsciLexerYAML::Default);
  m_lexer->setFoldComments(true);

  setMarginType(kNumberMargin, NumberMargin);
  setMarginsFont(font);
  setMarginWidth(kNumberMargin, QStringLiteral("0000"));
  setMarginsBackgroundColor(QColor(0xF6, 0xF8, 0xFA));
  setMarginsForegroundColor(QColor(0x8C, 0x95, 0x9F));
  setFoldMarginColors(QColor(0xF6, 0xF8, 0xFA), QColor(0xF6, 0xF8, 0xFA));

  setCaretLineVisible(true);
  setCaretLineBackgroundColor(QColor(0xF1, 0xF5, 0xFB));
  setIndentationGuidesForegroundColor(QColor(0xD8, 0xDE, 0xE4));
  setSelectionBackgroundColor(QColor(0xC8, 0xDD, 0xF8));
  setMatchedBraceBackgroundColor(QColor(0xDD, 0xEE, 0xDD));
  setCaretForegroundColor(QColor(0x24, 0x29, 0x2E));
  setCaretWidth(2);
  setFrameShape(QFrame::NoFrame);
  // Scintilla's default scroll width is a fixed 2000px, which shows a
  // horizontal scroll bar under every short manifest.
  setScrollWidth(1);
  setScrollWidthTracking(true);
}

void ManifestEditor::showProblem(int line, int column, const QString& message) {
  clearProblem();
  if (line <= 0 || line > lines()) return;
  const int lineIndex = line - 1;
  const int lineLength = text(lineIndex).remove(QLatin1Char('\n')).remove(QLatin1Char('\r')).length();
  int from = std::clamp(column - 1, 0, std::max(lineLength - 1, 0));
  // A problem at the end of a line (a missing value) still needs something
  // to underline: take the whole line then.
  if (from >= lineLength - 1) from = 0;
  fillIndicatorRange(lineIndex, from, lineIndex, std::max(lineLength, from + 1), m_problemIndicator);
  markerAdd(lineIndex, m_problemMarker);

  annotate(lineIndex, message, m_problemStyle);
  m_problemLine = line;

  ensureLineVisible(lineIndex + 1 < lines() ? lineIndex + 1 : lineIndex);
  setCursorPosition(lineIndex, std::max(column - 1, 0));
}

void ManifestEditor::clearProblem() {
  if (m_problemLine == 0) return;
  clearIndicatorRange(0, 0, std::max(lines() - 1, 0), text(std::max(lines() - 1, 0)).length(), m_problemIndicator);
  markerDeleteAll(m_problemMarker);
  clearAnnotations();
  m_problemLine = 0;
}

void ManifestEditor::dragEnterEvent(QDragEnterEvent* event) {
  if (event->mimeData()->hasUrls()) {
    event->ignore();
    return;
  }
  QsciScintilla::dragEnterEvent(event);
}

void ManifestEditor::dragMoveEvent(QDragMoveEvent* event) {
  if (event->mimeData()->hasUrls()) {
    event->ignore();
    return;
  }
  QsciScintilla::dragMoveEvent(event);
}

void ManifestEditor::dropEvent(QDropEvent* event) {
  if (event->mimeData()->hasUrls()) {
    event->ignore();
    return;
  }
  QsciScintilla::dropEvent(event);
}

}  // namespace podscope::ui
