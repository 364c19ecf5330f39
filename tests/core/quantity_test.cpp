// Quantities as the API server parses them (apimachinery resource.ParseQuantity),
// with values in thousandths as Quantity.MilliValue() reports them.

#include "core/quantity.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <string>

namespace podscope::core {
namespace {

constexpr std::int64_t kMax = std::numeric_limits<std::int64_t>::max();
constexpr std::int64_t kMin = std::numeric_limits<std::int64_t>::min();

struct ValidCase {
  const char* text;
  std::int64_t milli;
};

class ValidQuantity : public testing::TestWithParam<ValidCase> {};

TEST_P(ValidQuantity, ParsesToMilliValue) {
  const ValidCase& c = GetParam();
  Result<Quantity> q = parseQuantity(c.text);
  ASSERT_TRUE(q) << c.text << ": " << q.error().message;
  EXPECT_EQ(q->milliValue, c.milli) << c.text;
  EXPECT_EQ(q->text, c.text);
}

INSTANTIATE_TEST_SUITE_P(
    Quantity, ValidQuantity,
    testing::Values(ValidCase{"0", 0}, ValidCase{"1", 1000}, ValidCase{"100m", 100}, ValidCase{"1m", 1},
                    ValidCase{"0.1", 100}, ValidCase{"1.5", 1500}, ValidCase{".5", 500}, ValidCase{"5.", 5000},
                    ValidCase{"+2", 2000}, ValidCase{"-1", -1000}, ValidCase{"007", 7000},
                    // Decimal SI suffixes.
                    ValidCase{"1k", 1'000'000}, ValidCase{"1M", 1'000'000'000}, ValidCase{"1G", 1'000'000'000'000},
                    ValidCase{"1T", 1'000'000'000'000'000}, ValidCase{"1P", 1'000'000'000'000'000'000},
                    ValidCase{"2.5G", 2'500'000'000'000},
                    // Binary SI suffixes.
                    ValidCase{"1Ki", 1'024'000}, ValidCase{"128Mi", 134'217'728'000},
                    ValidCase{"1.5Gi", 1'610'612'736'000}, ValidCase{"1Ti", 1'099'511'627'776'000},
                    ValidCase{"0.0001Ki", 103},  // 102.4 rounds away from zero
                    // Decimal exponents; "E" alone is exa, "E3" an exponent.
                    ValidCase{"1e3", 1'000'000}, ValidCase{"1E3", 1'000'000}, ValidCase{"1e-3", 1},
                    ValidCase{"12e-1", 1200}, ValidCase{"1e+2", 100'000}, ValidCase{"0e1000", 0},
                    // Below a thousandth: rounded away from zero, as MilliValue does.
                    ValidCase{"1n", 1}, ValidCase{"1u", 1}, ValidCase{"0.5m", 1}, ValidCase{"-0.5m", -1},
                    ValidCase{"-1n", -1}, ValidCase{"1e-1000", 1},
                    // Largest exact values, then saturation.
                    ValidCase{"9223372036854775", 9'223'372'036'854'775'000}, ValidCase{"9223372036854775807m", kMax},
                    ValidCase{"1E", kMax}, ValidCase{"8Ei", kMax}, ValidCase{"9223372036854775807", kMax},
                    ValidCase{"99999999999999999999999Ei", kMax}, ValidCase{"1e1000", kMax},
                    ValidCase{"-1e1000", kMin}));

TEST(Quantity, SaturationIsVisible) {
  EXPECT_TRUE(milliValueSaturated(*parseQuantity("1E")));
  EXPECT_TRUE(milliValueSaturated(*parseQuantity("-1e1000")));
  EXPECT_FALSE(milliValueSaturated(*parseQuantity("1P")));
}

struct InvalidCase {
  const char* text;
  std::string_view message;
};

class InvalidQuantity : public testing::TestWithParam<InvalidCase> {};

TEST_P(InvalidQuantity, IsRefusedWithTheApiServersMessage) {
  const InvalidCase& c = GetParam();
  Result<Quantity> q = parseQuantity(c.text);
  ASSERT_FALSE(q) << "\"" << c.text << "\" parsed as " << q->milliValue;
  EXPECT_EQ(q.error().message, c.message) << c.text;
  EXPECT_EQ(q.error().kind, ErrorKind::Shape);
}

INSTANTIATE_TEST_SUITE_P(
    Quantity, InvalidQuantity,
    testing::Values(InvalidCase{"", kQuantityFormatError}, InvalidCase{"Mi", kQuantityFormatError},
                    InvalidCase{"-", kQuantityFormatError}, InvalidCase{"1Qi", kQuantityFormatError},
                    InvalidCase{"1.1.M", kQuantityFormatError}, InvalidCase{"1+1.0M", kQuantityFormatError},
                    InvalidCase{"aoeu", kQuantityFormatError}, InvalidCase{" 1", kQuantityFormatError},
                    InvalidCase{"1 ", kQuantityFormatError}, InvalidCase{"1,5", kQuantityFormatError},
                    InvalidCase{"1K", kQuantitySuffixError}, InvalidCase{"1i", kQuantitySuffixError},
                    InvalidCase{".5i", kQuantitySuffixError}, InvalidCase{"0.1mi", kQuantitySuffixError},
                    InvalidCase{"1e", kQuantitySuffixError}, InvalidCase{"1e+", kQuantitySuffixError},
                    InvalidCase{"-3.01e-", kQuantitySuffixError}, InvalidCase{"1MiB", kQuantityFormatError},
                    InvalidCase{"1e99999999999999999999", kQuantitySuffixError}));

TEST(Quantity, FormatErrorQuotesTheDocumentedPattern) {
  EXPECT_EQ(kQuantityFormatError,
            "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'");
}

TEST(Quantity, LongMantissaStaysExactAndFast) {
  std::string text = "0." + std::string(100'000, '0') + "1";
  Result<Quantity> tiny = parseQuantity(text);
  ASSERT_TRUE(tiny);
  EXPECT_EQ(tiny->milliValue, 1);
  Result<Quantity> huge = parseQuantity(std::string(100'000, '9') + "Ei");
  ASSERT_TRUE(huge);
  EXPECT_EQ(huge->milliValue, kMax);
}

}  // namespace
}  // namespace podscope::core
