// Golden diagnostics for the seed manifests (../shared/manifests/seeds):
// what `podscope-cli validate` prints for each, file names without folders.
//
// To refresh after an intended change, run the test with
//   PODSCOPE_UPDATE_GOLDEN=1 build/tests/core/podscope_core_tests --gtest_filter='SeedsGolden*'
// and review the diff of tests/data/seeds/*.expected before committing.

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/manifest_reader.h"
#include "test_files.h"

namespace podscope::core {
namespace {

namespace fs = std::filesystem;

using podscope::testing::readFileBytes;

TEST(SeedsGolden, DiagnosticsMatchTheGoldenFiles) {
  const fs::path seeds(PODSCOPE_SEEDS_DIR);
  const fs::path golden = fs::path(PODSCOPE_SOURCE_DIR) / "tests/data/seeds";
  ASSERT_TRUE(fs::is_directory(seeds)) << "seed manifests not found at " << seeds;
  const bool update = std::getenv("PODSCOPE_UPDATE_GOLDEN") != nullptr;
  int compared = 0;
  for (const fs::directory_entry& entry : fs::directory_iterator(seeds)) {
    if (entry.path().extension() != ".yaml") continue;
    const std::string name = entry.path().filename().string();
    Manifest m = readManifest(readFileBytes(entry.path()), name);
    std::string actual;
    for (const Diagnostic& d : m.diagnostics) actual += formatDiagnostic(d) + "\n";
    const fs::path expectedPath = golden / (entry.path().stem().string() + ".expected");
    if (update) {
      std::ofstream(expectedPath, std::ios::binary) << actual;
      continue;
    }
    ASSERT_TRUE(fs::exists(expectedPath)) << "no golden file " << expectedPath << "; run with PODSCOPE_UPDATE_GOLDEN=1";
    EXPECT_EQ(actual, readFileBytes(expectedPath)) << "for " << name;
    ++compared;
  }
  if (!update) EXPECT_EQ(compared, 8);
}

}  // namespace
}  // namespace podscope::core
