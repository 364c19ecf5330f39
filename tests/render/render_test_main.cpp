// GoogleTest main for the drawing tests: the application object is made by
// render::startHeadlessGui, as podscope-cli makes it, so the tests need no
// display either.

#include <gtest/gtest.h>

#include "render/headless_app.h"

int main(int argc, char** argv) {
  ::testing::InitGoogleTest(&argc, argv);
  const std::unique_ptr<QGuiApplication> app = podscope::render::startHeadlessGui("podscope_render_tests");
  return RUN_ALL_TESTS();
}
