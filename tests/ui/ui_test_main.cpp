// GoogleTest main for the UI tests: one QApplication for the whole binary,
// on the offscreen platform unless the environment picks another.

#include <gtest/gtest.h>

#include <QApplication>

int main(int argc, char** argv) {
  ::testing::InitGoogleTest(&argc, argv);
  // Defaults that make a bare run of the binary, test discovery at build
  // time and CTest all see the same environment.
  if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM")) qputenv("QT_QPA_PLATFORM", "offscreen");
  if (qEnvironmentVariableIsEmpty("XDG_RUNTIME_DIR")) qputenv("XDG_RUNTIME_DIR", PODSCOPE_UI_TEST_RUNTIME_DIR);
  QApplication app(argc, argv);
  return RUN_ALL_TESTS();
}
