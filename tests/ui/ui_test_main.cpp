// GoogleTest main for the UI tests: one QApplication for the whole binary,
// on the offscreen platform unless the environment picks another.

#include <gtest/gtest.h>

#include <QApplication>
#include <QDir>

#include <cstdlib>
#include <string>

int main(int argc, char** argv) {
  ::testing::InitGoogleTest(&argc, argv);
  // CTest sets both; these defaults make a bare run of the binary (and test
  // discovery at build time) work the same way.
  if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM")) qputenv("QT_QPA_PLATFORM", "offscreen");
  if (qEnvironmentVariableIsEmpty("XDG_RUNTIME_DIR")) {
    std::string dir = QDir::tempPath().toStdString() + "/podscope-ui-test-XXXXXX";
    if (mkdtemp(dir.data()) != nullptr) qputenv("XDG_RUNTIME_DIR", QByteArray::fromStdString(dir));
  }
  QApplication app(argc, argv);
  return RUN_ALL_TESTS();
}
