#include "ui/manifest_editor.h"

#include <Qsci/qscicommand.h>
#include <Qsci/qscicommandset.h>
#include <Qsci/qscilexeryaml.h>
#include <Qsci/qscistyle.h>

#include <QAction>
#include <QDragEnterEvent>
#include <QDragMoveEvent>
#include <QDropEvent>
#include <QFileInfo>
#include <QFontDatabase>
#include <QInputDialog>
#include <QLabel>
#include <QListWidget>
#include <QMimeData>
#include <QRegularExpression>
#include <QScreen>
#include <QScrollBar>
#include <QTimer>
#include <QToolTip>

#include <algorithm>
#include <cctype>
#include <map>

#include "core/field_help.h"
#include "ui/diagnostic_style.h"
#include "ui/find_bar.h"
#include "ui/problems_model.h"

namespace podscope::ui {

namespace {

constexpr int kNumberMargin = 0;
constexpr int kSymbolMargin = 1;
constexpr int kFoldMargin = 2;
constexpr int kIndent = 2;
constexpr int kDwellMs = 450;
constexpr int kMarkerSize = 12;
constexpr int kCompletionRows = 10;

const QColor kProblemColor(0xD9, 0x45, 0x3B);
const QColor kProblemText(0x8A, 0x1F, 0x17);
const QColor kProblemPaper(0xFD, 0xEC, 0xEA);

constexpr core::Severity kSeverities[] = {core::Severity::Error, core::Severity::Warning, core::Severity::Info};

int rank(core::Severity s) { return static_cast<int>(s); }

QFont editorFont() {
  QFont font = QFontDatabase::systemFont(QFontDatabase::FixedFont);
  font.setStyleHint(QFont::Monospace);
  font.setPointSize(std::max(font.pointSize(), 10));
  return font;
}

QString qs(const std::string& s) { return QString::fromStdString(s); }
QString qs(std::string_view s) { return QString::fromUtf8(s.data(), static_cast<qsizetype>(s.size())); }

QString lineWithoutEol(const QString& line) {
  QString out = line;
  while (out.endsWith(QLatin1Char('\n')) || out.endsWith(QLatin1Char('\r'))) out.chop(1);
  return out;
}

int indentationOf(const QString& line) {
  int i = 0;
  while (i < line.size() && line[i] == QLatin1Char(' ')) ++i;
  return i;
}

QString diagnosticHtml(const core::Diagnostic& d) {
  QString html = QStringLiteral("<span style=\"color:%1\"><b>%2</b></span>&nbsp; %3")
                     .arg(severityColor(d.severity).name(), severityName(d.severity), qs(d.message).toHtmlEscaped());
  if (!d.rule.empty()) html += QStringLiteral(" <span style=\"color:#6A737D\">[%1]</span>").arg(qs(d.rule));
  return html;
}

QString fieldHtml(const core::FieldHelp& help) {
  const core::FieldSchema& f = *help.field;
  QString html = QStringLiteral("<b>%1</b>&nbsp; <code style=\"color:#6F42C1\">%2</code>")
                     .arg(qs(f.name), qs(f.typeLabel()).toHtmlEscaped());
  if (f.required) html += QObject::tr(" &nbsp;<i>required</i>");
  html += QStringLiteral("<br>%1").arg(qs(f.description).toHtmlEscaped());
  if (!f.enumValues.empty()) {
    QStringList values;
    for (std::string_view v : f.enumValues) values << (v.empty() ? QStringLiteral("\"\"") : qs(v));
    html += QObject::tr("<br>One of: %1").arg(values.join(QStringLiteral(", ")));
  }
  if (!help.defaultApplied.empty()) {
    html += QObject::tr("<br>default: <code>%1</code> (applied: the value is left empty)")
                .arg(qs(help.defaultApplied).toHtmlEscaped());
  } else if (!f.defaultValue.empty()) {
    html += QObject::tr("<br>default: <code>%1</code>").arg(qs(f.defaultValue).toHtmlEscaped());
  }
  if (!help.defaultsInside.empty()) {
    QStringList applied;
    for (const auto& [name, value] : help.defaultsInside) {
      applied << QStringLiteral("%1: %2").arg(qs(name), qs(value)).toHtmlEscaped();
    }
    html += QObject::tr("<br>Defaults applied inside: <code>%1</code>").arg(applied.join(QStringLiteral(", ")));
  }
  if (!f.modelled) html += QObject::tr("<br><i>Accepted as written; Podscope does not act on it.</i>");
  return html;
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
  setAnnotationDisplay(AnnotationBoxed);

  setUpDiagnostics();
  setUpCompletion();
  m_findBar = new FindBar(this);
  setUpActions();

  // A problem describes text that is no longer there once the user types.
  connect(this, &QsciScintilla::textChanged, this, &ManifestEditor::clearProblem);
  connect(this, &QsciScintilla::textChanged, this, &ManifestEditor::onTextChanged);
  connect(this, &QsciScintillaBase::SCN_CHARADDED, this, &ManifestEditor::onCharAdded);
  SendScintilla(SCI_SETMOUSEDWELLTIME, kDwellMs);
  connect(this, &QsciScintillaBase::SCN_DWELLSTART, this, &ManifestEditor::onDwellStart);
  connect(this, &QsciScintillaBase::SCN_DWELLEND, this, [] { QToolTip::hideText(); });
}

ManifestEditor::~ManifestEditor() = default;

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

void ManifestEditor::setUpDiagnostics() {
  m_problems = new ProblemsModel(this);
  m_analyzer = new ManifestAnalyzer([this] { return utf8Text(); }, this);
  connect(m_analyzer, &ManifestAnalyzer::analyzed, this, &ManifestEditor::showAnalysis);

  int mask = 0;
  for (core::Severity s : kSeverities) {
    const int i = rank(s);
    m_indicators[i] = indicatorDefine(SquigglePixmapIndicator);
    setIndicatorForegroundColor(severityColor(s), m_indicators[i]);
    m_markers[i] = markerDefine(severityImage(s, kMarkerSize));
    mask |= 1 << m_markers[i];
  }
  setMarginType(kSymbolMargin, SymbolMargin);
  setMarginWidth(kSymbolMargin, kMarkerSize + 6);
  setMarginMarkerMask(kSymbolMargin, mask);
  setMarginSensitivity(kSymbolMargin, true);
  // A click on a marker puts the cursor on its line: where the hover text is.
  connect(this, &QsciScintilla::marginClicked, this, [this](int margin, int line, Qt::KeyboardModifiers) {
    if (margin == kSymbolMargin) setCursorPosition(line, indentationOf(text(line)));
  });
}

void ManifestEditor::setUpCompletion() {
  m_completionInfo = new QLabel(this, Qt::ToolTip | Qt::FramelessWindowHint);
  m_completionInfo->setObjectName(QStringLiteral("completionInfo"));
  m_completionInfo->setWordWrap(true);
  m_completionInfo->setTextFormat(Qt::RichText);
  m_completionInfo->setMaximumWidth(420);
  m_completionInfo->setMargin(6);
  m_completionInfo->setStyleSheet(
      QStringLiteral("QLabel { background: #FFFFFF; color: #24292E; border: 1px solid #D0D7DE; }"));
  m_completionInfo->hide();

  connect(this, qOverload<const char*, int, int, int>(&QsciScintillaBase::SCN_AUTOCSELECTION), this,
          [this](const char* selection, int position, int, int) { onCompletionChosen(selection, position); });
  connect(this, &QsciScintillaBase::SCN_AUTOCSELECTIONCHANGE, this,
          [this](const char* selection, int, int) { showCompletionInfo(QString::fromUtf8(selection)); });
  connect(this, &QsciScintillaBase::SCN_AUTOCCANCELLED, this, &ManifestEditor::hideCompletionInfo);
  connect(this, &QsciScintillaBase::SCN_UPDATEUI, this, [this](int) {
    if (!m_completionInfo->isHidden() && !isListActive()) hideCompletionInfo();
  });
}

QAction* ManifestEditor::makeAction(const QString& text, const QList<QKeySequence>& keys,
                                    Qt::ShortcutContext context) {
  auto* action = new QAction(text, this);
  action->setShortcuts(keys);
  action->setShortcutContext(context);
  addAction(action);
  // Scintilla claims the keys it has commands for before any shortcut sees
  // them (Ctrl+Z, Ctrl+Y, Ctrl+/ ...); these keys belong to the actions now.
  for (const QKeySequence& key : keys) {
    if (key.isEmpty()) continue;
    const int combined = key[0].toCombined();
    for (QsciCommand* command : standardCommands()->commands()) {
      if (command->key() == combined) command->setKey(0);
      if (command->alternateKey() == combined) command->setAlternateKey(0);
    }
  }
  return action;
}

void ManifestEditor::setUpActions() {
  const Qt::ShortcutContext editor = Qt::WidgetShortcut;
  const Qt::ShortcutContext withBar = Qt::WidgetWithChildrenShortcut;
  m_undoAction = makeAction(tr("&Undo"), QKeySequence::keyBindings(QKeySequence::Undo), editor);
  connect(m_undoAction, &QAction::triggered, this, &QsciScintilla::undo);
  m_redoAction = makeAction(tr("&Redo"), QKeySequence::keyBindings(QKeySequence::Redo), editor);
  connect(m_redoAction, &QAction::triggered, this, &QsciScintilla::redo);

  m_findAction = makeAction(tr("&Find…"), {QKeySequence::Find}, withBar);
  connect(m_findAction, &QAction::triggered, m_findBar, &FindBar::showFind);
  m_findNextAction = makeAction(tr("Find &Next"), {QKeySequence(Qt::Key_F3)}, withBar);
  connect(m_findNextAction, &QAction::triggered, m_findBar, &FindBar::findNext);
  m_findPreviousAction = makeAction(tr("Find Pre&vious"), {QKeySequence(Qt::SHIFT | Qt::Key_F3)}, withBar);
  connect(m_findPreviousAction, &QAction::triggered, m_findBar, &FindBar::findPrevious);
  m_replaceAction = makeAction(tr("R&eplace…"), {QKeySequence(Qt::CTRL | Qt::Key_H)}, withBar);
  connect(m_replaceAction, &QAction::triggered, m_findBar, &FindBar::showReplace);

  m_goToLineAction = makeAction(tr("&Go to Line…"), {QKeySequence(Qt::CTRL | Qt::Key_G)}, withBar);
  connect(m_goToLineAction, &QAction::triggered, this, &ManifestEditor::askForLine);
  m_toggleCommentAction = makeAction(tr("Toggle &Comment"), {QKeySequence(Qt::CTRL | Qt::Key_Slash)}, editor);
  connect(m_toggleCommentAction, &QAction::triggered, this, &ManifestEditor::toggleComment);
  m_completeAction = makeAction(tr("Complete"), {QKeySequence(Qt::CTRL | Qt::Key_Space)}, editor);
  m_completeAction->setToolTip(tr("Offer the fields and values valid at the cursor"));
  connect(m_completeAction, &QAction::triggered, this, &ManifestEditor::complete);
  updateUndoActions();
}

QList<QAction*> ManifestEditor::editActions() const {
  return {m_undoAction,     m_redoAction,         nullptr,          m_findAction,          m_findNextAction,
          m_findPreviousAction, m_replaceAction,  nullptr,          m_goToLineAction,      nullptr,
          m_toggleCommentAction, m_completeAction};
}

QByteArray ManifestEditor::utf8Text() const {
  const long length = SendScintilla(SCI_GETLENGTH);
  const char* buffer = static_cast<const char*>(SendScintillaPtrResult(SCI_GETCHARACTERPOINTER));
  return buffer ? QByteArray(buffer, static_cast<qsizetype>(length)) : QByteArray();
}

void ManifestEditor::setFileName(const QString& name) {
  m_analyzer->setFileName(name.isEmpty() ? QStringLiteral("untitled.yaml") : QFileInfo(name).fileName());
  m_analyzer->analyzeNow();
}

void ManifestEditor::onTextChanged() {
  m_analyzer->textEdited();
  updateUndoActions();
}

void ManifestEditor::updateUndoActions() {
  m_undoAction->setEnabled(isUndoAvailable());
  m_redoAction->setEnabled(isRedoAvailable());
}

// --- live findings -----------------------------------------------------------

void ManifestEditor::showAnalysis(const std::shared_ptr<const Analysis>& analysis) {
  m_shown = analysis;
  const long length = SendScintilla(SCI_GETLENGTH);
  for (int indicator : m_indicators) {
    SendScintilla(SCI_SETINDICATORCURRENT, indicator);
    SendScintilla(SCI_INDICATORCLEARRANGE, 0ul, length);
  }
  for (int marker : m_markers) markerDeleteAll(marker);

  std::map<int, core::Severity> worst;
  std::vector<core::Diagnostic> rows;
  rows.reserve(analysis->diagnostics.size());
  for (const PlacedDiagnostic& p : analysis->diagnostics) {
    rows.push_back(p.diagnostic);
    if (p.line < 0) continue;
    const int i = rank(p.diagnostic.severity);
    if (p.endByte > p.startByte && p.startByte < length) {
      SendScintilla(SCI_SETINDICATORCURRENT, m_indicators[i]);
      SendScintilla(SCI_INDICATORFILLRANGE, static_cast<unsigned long>(p.startByte),
                    static_cast<long>(std::min<long>(p.endByte, length) - p.startByte));
    }
    auto [it, added] = worst.emplace(p.line, p.diagnostic.severity);
    if (!added && rank(p.diagnostic.severity) < rank(it->second)) it->second = p.diagnostic.severity;
  }
  for (const auto& [line, severity] : worst) markerAdd(line, m_markers[rank(severity)]);
  m_problems->setDiagnostics(std::move(rows));
  emit diagnosticsShown();
}

std::vector<PlacedDiagnostic> ManifestEditor::shownDiagnostics() const {
  return m_shown ? m_shown->diagnostics : std::vector<PlacedDiagnostic>{};
}

std::optional<core::Severity> ManifestEditor::underlineAt(int line, int index) const {
  const long position = positionFromLineIndex(line, index);
  for (core::Severity s : kSeverities) {
    if (SendScintilla(SCI_INDICATORVALUEAT, static_cast<unsigned long>(m_indicators[rank(s)]), position) != 0) return s;
  }
  return std::nullopt;
}

std::optional<core::Severity> ManifestEditor::markerOn(int line) const {
  const unsigned mask = markersAtLine(line);
  for (core::Severity s : kSeverities) {
    if (mask & (1u << m_markers[rank(s)])) return s;
  }
  return std::nullopt;
}

QString ManifestEditor::hoverText(int line, int index) const {
  QStringList parts;
  const core::SourcePos at{line + 1, index + 1};
  // Findings and positions describe the text they were read from; once the
  // text has changed, only what the text itself says is shown.
  const bool current = m_shown && m_analyzer->isCurrent() && m_shown == m_analyzer->latest();
  std::optional<core::FieldHelp> help;
  if (current) {
    const long position = positionFromLineIndex(line, index);
    for (const PlacedDiagnostic& p : m_shown->diagnostics) {
      const bool under = p.endByte > p.startByte ? position >= p.startByte && position < p.endByte
                                                 : p.line == line;
      if (under) parts << diagnosticHtml(p.diagnostic);
    }
    for (const core::Document& doc : m_shown->manifest.documents) {
      if ((help = core::fieldHelpAt(doc, at))) break;
    }
  }
  if (!help) {
    const QByteArray bytes = utf8Text();
    help = core::fieldHelpAt(std::string_view(bytes.constData(), static_cast<std::size_t>(bytes.size())), at);
  }
  if (help && help->field) parts << fieldHtml(*help);
  if (parts.isEmpty()) return {};
  return QStringLiteral("<div style=\"white-space:normal\">%1</div>")
      .arg(parts.join(QStringLiteral("<hr style=\"margin:2px 0\">")));
}

void ManifestEditor::onDwellStart(int position, int x, int y) {
  if (position < 0 || isListActive()) return;
  int line = 0, index = 0;
  lineIndexFromPosition(position, &line, &index);
  const QString text = hoverText(line, index);
  if (text.isEmpty()) return;
  QToolTip::showText(viewport()->mapToGlobal(QPoint(x, y + 4)), text, viewport());
}

// --- the problem marked by the window ----------------------------------------

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
  // The margin marker comes from the live findings, which hold this problem too.
  annotate(lineIndex, message, m_problemStyle);
  m_problemLine = line;

  const int shownLine = lineIndex + 1 < lines() ? lineIndex + 1 : lineIndex;
  ensureLineVisible(shownLine);
  setCursorPosition(lineIndex, std::max(column - 1, 0));
  // A window that is still being laid out gives the editor its height
  // later; the line must be in view at that height too.
  QTimer::singleShot(0, this, [this, shownLine] {
    if (shownLine < lines()) ensureLineVisible(shownLine);
  });
}

void ManifestEditor::clearProblem() {
  if (m_problemLine == 0) return;
  clearIndicatorRange(0, 0, std::max(lines() - 1, 0), text(std::max(lines() - 1, 0)).length(), m_problemIndicator);
  clearAnnotations();
  m_problemLine = 0;
}

// --- moving around -----------------------------------------------------------

int ManifestEditor::positionOf(int line, int column) const {
  const int l = std::clamp(line - 1, 0, std::max(lines() - 1, 0));
  const int length = lineWithoutEol(text(l)).length();
  return static_cast<int>(positionFromLineIndex(l, std::clamp(column - 1, 0, length)));
}

void ManifestEditor::goToPosition(int line, int column) {
  const int position = positionOf(line, column);
  int l = 0, index = 0;
  lineIndexFromPosition(position, &l, &index);
  setCursorPosition(l, index);
  ensureLineVisible(l);
  // The list that asked may sit in another window (a floating dock).
  if (!isActiveWindow()) activateWindow();
  setFocus(Qt::OtherFocusReason);
}

void ManifestEditor::goToLine(int line) {
  const int l = std::clamp(line - 1, 0, std::max(lines() - 1, 0));
  goToPosition(l + 1, indentationOf(text(l)) + 1);
}

void ManifestEditor::askForLine() {
  int line = 0, index = 0;
  getCursorPosition(&line, &index);
  auto* dialog = new QInputDialog(this);
  dialog->setObjectName(QStringLiteral("goToLineDialog"));
  dialog->setAttribute(Qt::WA_DeleteOnClose);
  dialog->setWindowTitle(tr("Go to Line"));
  dialog->setLabelText(tr("Line (1–%1):").arg(lines()));
  dialog->setInputMode(QInputDialog::IntInput);
  dialog->setIntRange(1, std::max(lines(), 1));
  dialog->setIntValue(line + 1);
  connect(dialog, &QInputDialog::intValueSelected, this, &ManifestEditor::goToLine);
  dialog->open();
}

// --- editing -----------------------------------------------------------------

void ManifestEditor::toggleComment() {
  int from = 0, fromIndex = 0, to = 0, toIndex = 0;
  const bool selection = hasSelectedText();
  if (selection) {
    getSelection(&from, &fromIndex, &to, &toIndex);
    // A selection that ends at the start of a line does not take that line in.
    if (toIndex == 0 && to > from) --to;
  } else {
    getCursorPosition(&from, &fromIndex);
    to = from;
  }
  bool allComments = true;
  int indent = -1;
  for (int l = from; l <= to; ++l) {
    const QString line = lineWithoutEol(text(l));
    const QString trimmed = line.trimmed();
    if (trimmed.isEmpty()) continue;
    allComments = allComments && trimmed.startsWith(QLatin1Char('#'));
    const int i = indentationOf(line);
    indent = indent < 0 ? i : std::min(indent, i);
  }
  if (indent < 0) return;  // only blank lines

  beginUndoAction();
  for (int l = from; l <= to; ++l) {
    const QString line = lineWithoutEol(text(l));
    if (line.trimmed().isEmpty()) continue;
    if (allComments) {
      const int hash = line.indexOf(QLatin1Char('#'));
      const int length = hash + 1 < line.size() && line[hash + 1] == QLatin1Char(' ') ? 2 : 1;
      setSelection(l, hash, l, hash + length);
      removeSelectedText();
    } else {
      insertAt(QStringLiteral("# "), l, indent);
    }
  }
  endUndoAction();
  if (selection) {
    setSelection(from, 0, to, lineWithoutEol(text(to)).length());
  } else {
    const QString line = lineWithoutEol(text(from));
    setCursorPosition(from, std::min(fromIndex + (allComments ? -2 : 2), static_cast<int>(line.size())));
  }
}

void ManifestEditor::onCharAdded(int ch) {
  if (ch == '\n') {
    indentNewLine();
    return;
  }
  if (isListActive()) {
    // Scintilla narrows the list as the user types; the description follows.
    const long current = SendScintilla(SCI_AUTOCGETCURRENT);
    if (current >= 0 && static_cast<std::size_t>(current) < m_completion.size()) {
      showCompletionInfo(qs(m_completion[static_cast<std::size_t>(current)].label));
    }
    return;
  }
  int line = 0, index = 0;
  getCursorPosition(&line, &index);
  const QString before = text(line).left(index);
  // A list opens by itself at the first letter of a key and after `key: `;
  // Ctrl+Space opens it anywhere.
  static const QRegularExpression kKeyStart(QStringLiteral(R"(^ *(- +)?[A-Za-z]$)"));
  if ((QChar(ch).isLetter() && kKeyStart.match(before).hasMatch()) ||
      (ch == ' ' && before.endsWith(QLatin1String(": ")) && !before.trimmed().startsWith(QLatin1Char('#')))) {
    complete();
  }
}

void ManifestEditor::indentNewLine() {
  int line = 0, index = 0;
  getCursorPosition(&line, &index);
  if (line == 0) return;
  QString previous = lineWithoutEol(text(line - 1));
  const int hash = previous.indexOf(QLatin1String(" #"));
  if (hash >= 0) previous.truncate(hash);
  while (previous.endsWith(QLatin1Char(' '))) previous.chop(1);
  if (previous.trimmed().isEmpty() || previous.trimmed().startsWith(QLatin1Char('#'))) return;
  int keyColumn = indentationOf(previous);
  static const QRegularExpression kDash(QStringLiteral(R"(^( *)- +)"));
  const QRegularExpressionMatch dash = kDash.match(previous);
  if (dash.hasMatch()) keyColumn = static_cast<int>(dash.capturedLength(0));
  int wanted = -1;
  if (previous.endsWith(QLatin1Char(':'))) {
    wanted = keyColumn + kIndent;  // the key opens a block
  } else if (dash.hasMatch()) {
    wanted = keyColumn;  // the next key of the same list item
  }
  if (wanted < 0 || wanted == indentation(line)) return;
  const bool atIndentation = index == indentation(line);
  setIndentation(line, wanted);
  if (atIndentation) setCursorPosition(line, wanted);
}

bool ManifestEditor::complete() {
  int line = 0, index = 0;
  getCursorPosition(&line, &index);
  const QByteArray bytes = utf8Text();
  core::Completion completion = core::completeAt(std::string_view(bytes.constData(), static_cast<std::size_t>(bytes.size())),
                                                 {line + 1, index + 1});
  m_completion = std::move(completion.items);
  if (m_completion.empty()) {
    if (isListActive()) cancelList();
    hideCompletionInfo();
    return false;
  }
  QByteArray list;
  for (const core::CompletionItem& item : m_completion) {
    if (!list.isEmpty()) list += '\n';
    list += QByteArray::fromStdString(item.label);
  }
  SendScintilla(SCI_AUTOCSETSEPARATOR, static_cast<unsigned long>('\n'));
  SendScintilla(SCI_AUTOCSETIGNORECASE, 1);
  SendScintilla(SCI_AUTOCSETAUTOHIDE, 1);
  SendScintilla(SCI_AUTOCSETDROPRESTOFWORD, 1);
  SendScintilla(SCI_AUTOCSETCHOOSESINGLE, 0);
  SendScintilla(SCI_AUTOCSETCANCELATSTART, 1);
  SendScintilla(SCI_AUTOCSETORDER, static_cast<unsigned long>(SC_ORDER_CUSTOM));
  SendScintilla(SCI_AUTOCSETMAXHEIGHT, kCompletionRows);
  SendScintilla(SCI_AUTOCSHOW, static_cast<unsigned long>(completion.at.prefix.size()), list.constData());
  const long current = SendScintilla(SCI_AUTOCGETCURRENT);
  showCompletionInfo(qs(m_completion[current >= 0 ? static_cast<std::size_t>(current) : 0].label));
  return isListActive();
}

QStringList ManifestEditor::completionLabels() const {
  QStringList labels;
  if (!isListActive()) return labels;
  for (const core::CompletionItem& item : m_completion) labels << qs(item.label);
  return labels;
}

QString ManifestEditor::completionInfo() const {
  return m_completionInfo->isHidden() ? QString() : m_completionInfo->text();
}

void ManifestEditor::showCompletionInfo(const QString& label) {
  const auto item = std::find_if(m_completion.begin(), m_completion.end(),
                                 [&](const core::CompletionItem& i) { return qs(i.label) == label; });
  if (item == m_completion.end()) {
    hideCompletionInfo();
    return;
  }
  QString html = QStringLiteral("<b>%1</b>&nbsp; <code style=\"color:#6F42C1\">%2</code>")
                     .arg(qs(item->label).toHtmlEscaped(), qs(item->detail).toHtmlEscaped());
  if (item->required) html += tr(" &nbsp;<i>required</i>");
  if (!item->description.empty()) html += QStringLiteral("<br>%1").arg(qs(item->description).toHtmlEscaped());
  if (!item->defaultValue.empty()) {
    html += item->kind == core::CompletionItem::Kind::Value
                ? tr("<br><i>the default</i>")
                : tr("<br>default: <code>%1</code>").arg(qs(item->defaultValue).toHtmlEscaped());
  }
  m_completionInfo->setText(html);
  m_completionInfo->adjustSize();

  // Beside the list when it can be found, else under the cursor.
  QPoint at;
  const QList<QListWidget*> lists = findChildren<QListWidget*>();
  const auto shownList = std::find_if(lists.begin(), lists.end(), [](QListWidget* l) { return l->isVisible(); });
  if (shownList != lists.end()) {
    at = (*shownList)->mapToGlobal(QPoint((*shownList)->width() + 2, 0));
  } else {
    const long position = SendScintilla(SCI_GETCURRENTPOS);
    const int x = static_cast<int>(SendScintilla(SCI_POINTXFROMPOSITION, 0, position));
    const int y = static_cast<int>(SendScintilla(SCI_POINTYFROMPOSITION, 0, position));
    at = viewport()->mapToGlobal(QPoint(x + 160, y + textHeight(0) + 2));
  }
  if (const QScreen* screen = this->screen()) {
    const QRect available = screen->availableGeometry();
    at.setX(std::min(at.x(), available.right() - m_completionInfo->width()));
  }
  m_completionInfo->move(at);
  m_completionInfo->show();
}

void ManifestEditor::hideCompletionInfo() { m_completionInfo->hide(); }

void ManifestEditor::onCompletionChosen(const char* selection, int position) {
  const QString label = QString::fromUtf8(selection);
  const auto item = std::find_if(m_completion.begin(), m_completion.end(),
                                 [&](const core::CompletionItem& i) { return qs(i.label) == label; });
  hideCompletionInfo();
  if (item == m_completion.end()) return;  // Scintilla inserts the label itself
  // Cancelling in this notification stops Scintilla's own insertion; the
  // item's text (`key: `, a block for objects and lists) goes in instead.
  SendScintilla(SCI_AUTOCCANCEL);
  const core::CompletionItem chosen = *item;
  long end = SendScintilla(SCI_GETCURRENTPOS);
  const long length = SendScintilla(SCI_GETLENGTH);
  auto charAt = [this](long p) { return static_cast<char>(SendScintilla(SCI_GETCHARAT, static_cast<unsigned long>(p))); };
  while (end < length && (std::isalnum(static_cast<unsigned char>(charAt(end))) || charAt(end) == '_')) ++end;
  std::string insert = chosen.insertText;
  // Renaming a key that already has its colon: only the name changes.
  if (chosen.kind == core::CompletionItem::Kind::Field && end < length && charAt(end) == ':') insert = chosen.label;
  beginUndoAction();
  SendScintilla(SCI_SETTARGETRANGE, static_cast<unsigned long>(position), end);
  SendScintilla(SCI_REPLACETARGET, static_cast<unsigned long>(insert.size()), insert.c_str());
  SendScintilla(SCI_GOTOPOS, static_cast<unsigned long>(position + static_cast<long>(insert.size())));
  endUndoAction();
  if (chosen.kind == core::CompletionItem::Kind::Field && insert.size() > 2 &&
      insert.compare(insert.size() - 2, 2, ": ") == 0) {
    // A field with a fixed set of values offers them straight away.
    QMetaObject::invokeMethod(this, &ManifestEditor::complete, Qt::QueuedConnection);
  }
}

// --- events ------------------------------------------------------------------

void ManifestEditor::resizeEvent(QResizeEvent* event) {
  QsciScintilla::resizeEvent(event);
  placeFindBar();
}

void ManifestEditor::placeFindBar() {
  if (m_findBar) m_findBar->reposition();
}

void ManifestEditor::focusOutEvent(QFocusEvent* event) {
  hideCompletionInfo();
  QsciScintilla::focusOutEvent(event);
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
