// readUpTo: a capped read that grows with the text instead of reserving the cap.

#include <sstream>
#include <string>

#include <gtest/gtest.h>

#include "core/file_text.h"

namespace podscope::core {
namespace {

TEST(FileTextTest, ReadsTextShorterThanTheCapWhole) {
  std::istringstream in("apiVersion: v1\nkind: Pod\n");
  std::string text;
  ASSERT_TRUE(readUpTo(in, 4 * 1024 * 1024, text));
  EXPECT_EQ(text, "apiVersion: v1\nkind: Pod\n");
  // Only what the text needs, not the 4 MiB cap.
  EXPECT_LT(text.capacity(), 1024u * 1024u);
}

TEST(FileTextTest, StopsOneBytePastTheCapSoTheCallerKnowsItIsTooLarge) {
  const std::string big(200 * 1024 + 7, 'a');
  for (std::size_t cap : {std::size_t{0}, std::size_t{1}, std::size_t{64 * 1024}, std::size_t{100 * 1024},
                          big.size() - 1, big.size(), big.size() + 1}) {
    std::istringstream in(big);
    std::string text;
    ASSERT_TRUE(readUpTo(in, cap, text));
    EXPECT_EQ(text.size(), std::min(big.size(), cap + 1)) << "cap " << cap;
  }
}

TEST(FileTextTest, AnEmptyStreamIsEmptyText) {
  std::istringstream in("");
  std::string text = "left over";
  ASSERT_TRUE(readUpTo(in, 10, text));
  EXPECT_EQ(text, "");
}

}  // namespace
}  // namespace podscope::core
