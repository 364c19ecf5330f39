#pragma once
// Golden files for the report tests: tests/data/reports/<name>, compared
// byte for byte. With PODSCOPE_UPDATE_GOLDEN set the test writes the file
// instead and skips; read the diff of tests/data/reports/ before committing.

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace podscope::testing {

inline void expectGolden(const std::string& name, const std::string& actual) {
  namespace fs = std::filesystem;
  const fs::path path = fs::path(PODSCOPE_SOURCE_DIR) / "tests/data/reports" / name;
  if (std::getenv("PODSCOPE_UPDATE_GOLDEN")) {
    std::ofstream(path, std::ios::binary) << actual;
    GTEST_SKIP() << "wrote " << path;
  }
  ASSERT_TRUE(fs::exists(path)) << "no golden file " << path << "; run with PODSCOPE_UPDATE_GOLDEN=1";
  std::ifstream in(path, std::ios::binary);
  std::stringstream expected;
  expected << in.rdbuf();
  EXPECT_EQ(actual, expected.str()) << "to refresh: PODSCOPE_UPDATE_GOLDEN=1 podscope_core_tests --gtest_filter='*ReportMarkdown*'";
}

}  // namespace podscope::testing
