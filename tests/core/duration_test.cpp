#include "core/duration.h"

#include <gtest/gtest.h>

namespace podscope::core {
namespace {

using namespace std::chrono;

TEST(Duration, ParsesUnits) {
  struct Case {
    const char* text;
    nanoseconds expected;
  };
  for (const Case& c : {Case{"30", seconds(30)}, Case{"30s", seconds(30)}, Case{"5m", minutes(5)},
                        Case{"1h30m", minutes(90)}, Case{"500ms", milliseconds(500)}, Case{"1.5s", milliseconds(1500)}}) {
    Result<nanoseconds> d = parseDuration(c.text);
    ASSERT_TRUE(d) << c.text;
    EXPECT_EQ(*d, c.expected) << c.text;
  }
}

TEST(Duration, RejectsGarbageWithAHint) {
  for (const char* text : {"", "abc", "5x", "-3s", "s", "5 s"}) {
    Result<nanoseconds> d = parseDuration(text);
    ASSERT_FALSE(d) << text;
    EXPECT_NE(d.error().message.find("like 30s, 5m"), std::string::npos);
  }
}

}  // namespace
}  // namespace podscope::core
