// replaceInvalidUtf8: valid UTF-8 passes unchanged, and every kind of
// ill-formed sequence RFC 3629 rules out becomes U+FFFD, byte by byte.

#include "core/utf8_text.h"

#include <gtest/gtest.h>

#include <string>

namespace podscope::core {
namespace {

constexpr const char* kReplacement = "\xEF\xBF\xBD";

TEST(ReplaceInvalidUtf8, ValidTextIsUnchanged) {
  for (const std::string& text : {std::string(), std::string("plain ASCII"), std::string("caf\u00e9 \u2014 \u20ac"),
                                 std::string("\U0001F600 and \U0010FFFF"), std::string("nul \0 inside", 12),
                                 std::string("\x7f\xc2\x80\xdf\xbf\xe0\xa0\x80\xef\xbf\xbf\xf0\x90\x80\x80")}) {
    EXPECT_EQ(replaceInvalidUtf8(text), text);
  }
}

TEST(ReplaceInvalidUtf8, EachBadByteBecomesTheReplacementCharacter) {
  const std::string r = kReplacement;
  struct Case {
    const char* what;
    std::string in;
    std::string out;
  };
  const Case cases[] = {
      {"a byte never used in UTF-8", "a\xff" "b", "a" + r + "b"},
      {"a stray continuation byte", "\x80x", r + "x"},
      {"a sequence cut off by the end", "x\xe2\x82", "x" + r + r},
      {"a sequence cut off by ASCII", "\xe2\x82" "x", r + r + "x"},
      {"an overlong two-byte form", "\xc0\xaf", r + r},
      {"an overlong three-byte form", "\xe0\x80\xaf", r + r + r},
      {"an overlong four-byte form", "\xf0\x80\x80\xaf", r + r + r + r},
      {"a UTF-16 surrogate", "\xed\xa0\x80", r + r + r},
      {"past U+10FFFF", "\xf4\x90\x80\x80", r + r + r + r},
      {"a lead byte past F4", "\xf5\x80\x80\x80", r + r + r + r},
      {"one byte of \u00e9 before a quote", "character: \xc3'", "character: " + r + "'"},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(replaceInvalidUtf8(c.in), c.out) << c.what;
    // What comes out is valid, so a second pass leaves it alone.
    EXPECT_EQ(replaceInvalidUtf8(c.out), c.out) << c.what;
  }
}

}  // namespace
}  // namespace podscope::core
