// Golden diagnostics for the rules corpus (tests/data/rules): one small
// manifest per validation rule and lint, read end to end through
// readManifestFile, compared with `<name>.expected` beside it (one
// `file:line:col: severity: message [rule]` per line, file names without
// folders).
//
// To refresh after an intended change, run
//   PODSCOPE_UPDATE_GOLDEN=1 build/tests/core/podscope_core_tests --gtest_filter='RulesGolden*'
// and review the diff of tests/data/rules/*.expected before committing.
//
// Besides matching its golden file, every bad-<rule>.yaml must produce
// <rule>, and every valid-*.yaml must produce no errors.

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "core/manifest_reader.h"
#include "test_files.h"

namespace podscope::core {
namespace {

namespace fs = std::filesystem;

using podscope::testing::readFileBytes;

std::vector<fs::path> corpus() {
  std::vector<fs::path> out;
  const fs::path dir = fs::path(PODSCOPE_SOURCE_DIR) / "tests/data/rules";
  for (const fs::directory_entry& entry : fs::directory_iterator(dir)) {
    if (entry.path().extension() == ".yaml") out.push_back(entry.path());
  }
  std::sort(out.begin(), out.end());
  return out;
}

TEST(RulesGolden, EveryManifestMatchesItsGoldenFile) {
  const bool update = std::getenv("PODSCOPE_UPDATE_GOLDEN") != nullptr;
  std::vector<fs::path> files = corpus();
  ASSERT_GE(files.size(), 50u) << "the rules corpus is missing files";
  for (const fs::path& path : files) {
    const std::string name = path.filename().string();
    SCOPED_TRACE(name);
    Result<Manifest> m = readManifestFile(path.string());
    ASSERT_TRUE(m) << m.error().toString();
    std::string actual;
    std::set<std::string> rules;
    bool errors = false;
    for (Diagnostic d : m->diagnostics) {
      d.file = name;
      actual += formatDiagnostic(d) + "\n";
      rules.insert(d.rule);
      errors = errors || d.severity == Severity::Error;
    }

    const std::string stem = path.stem().string();
    if (stem.rfind("bad-", 0) == 0) {
      EXPECT_TRUE(rules.count(stem.substr(4))) << "does not produce its rule:\n" << actual;
    } else if (stem.rfind("valid-", 0) == 0) {
      EXPECT_FALSE(errors) << actual;
    } else {
      ADD_FAILURE() << "corpus files are named valid-*.yaml or bad-<rule>.yaml";
    }

    const fs::path expectedPath = path.parent_path() / (stem + ".expected");
    if (update) {
      std::ofstream(expectedPath, std::ios::binary) << actual;
      continue;
    }
    ASSERT_TRUE(fs::exists(expectedPath)) << "no golden file " << expectedPath << "; run with PODSCOPE_UPDATE_GOLDEN=1";
    EXPECT_EQ(actual, readFileBytes(expectedPath));
  }
}

}  // namespace
}  // namespace podscope::core
