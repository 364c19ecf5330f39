// The reference window for the desktop start-up benchmark: the least a Qt 6
// YAML editor can be (a main window with a menu bar, a QScintilla editor
// with the YAML lexer holding the same manifest, and a status bar), measured
// the same way as podscope --report-startup.

#include <Qsci/qscilexeryaml.h>
#include <Qsci/qsciscintilla.h>

#include <QApplication>
#include <QFile>
#include <QMainWindow>
#include <QMenuBar>
#include <QStatusBar>

#include "ui/startup_report.h"

int main(int argc, char** argv) {
  QApplication app(argc, argv);
  QMainWindow window;
  window.menuBar()->addMenu(QStringLiteral("&File"));
  auto* editor = new QsciScintilla(&window);
  editor->setLexer(new QsciLexerYAML(editor));
  editor->setMarginLineNumbers(0, true);
  editor->setFolding(QsciScintilla::BoxedTreeFoldStyle);
  if (argc > 1) {
    QFile file(QString::fromLocal8Bit(argv[1]));
    if (file.open(QIODevice::ReadOnly)) editor->setText(QString::fromUtf8(file.readAll()));
  }
  window.setCentralWidget(editor);
  window.statusBar()->showMessage(QStringLiteral("Ready"));
  window.resize(1280, 800);
  podscope::ui::StartupReport report(window, 2000);
  window.show();
  return app.exec();
}
