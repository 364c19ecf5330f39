// The apimachinery name checks, compared with the exact messages the API
// server returns (k8s.io/apimachinery/pkg/util/validation).

#include "core/k8s_names.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <vector>

namespace podscope::core {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

// Written out in full rather than built from the code under test, so a change
// to any of them shows up here.
const std::string kLabelMsg =
    "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end "
    "with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is "
    "'[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
const std::string kSubdomainMsg =
    "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start "
    "and end with an alphanumeric character (e.g. 'example.com', regex used for validation is "
    "'[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const std::string kQualifiedNameMsg =
    "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character "
    "(e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is "
    "'([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";
const std::string kLabelValueMsg =
    "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and "
    "end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is "
    "'(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";
const std::string kEnvVarMsg =
    "a valid environment variable name must consist of alphabetic characters, digits, '_', '-', or '.', and must not "
    "start with a digit (e.g. 'my.env-name',  or 'MY_ENV.NAME',  or 'MyEnvName1', regex used for validation is "
    "'[-._a-zA-Z][-._a-zA-Z0-9]*')";
const std::string kCIdentifierMsg =
    "a valid C identifier must start with alphabetic character or '_', followed by a string of alphanumeric "
    "characters or '_' (e.g. 'my_name',  or 'MY_NAME',  or 'MyName', regex used for validation is "
    "'[A-Za-z_][A-Za-z0-9_]*')";
const std::string kPercentMsg =
    "a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for "
    "validation is '[0-9]+%')";

struct Case {
  std::string value;
  std::vector<std::string> messages;
};

void expectAll(const std::function<std::vector<std::string>(std::string_view)>& check, const std::vector<Case>& cases) {
  for (const Case& c : cases) EXPECT_EQ(check(c.value), c.messages) << "for \"" << c.value << "\"";
}

TEST(K8sNames, Dns1123Label) {
  expectAll(isDns1123Label, {
      {"web", {}},
      {"a", {}},
      {"0abc-9", {}},
      {std::string(63, 'a'), {}},
      {std::string(64, 'a'), {"must be no more than 63 characters"}},
      {"", {kLabelMsg}},
      {"Web", {kLabelMsg}},
      {"-web", {kLabelMsg}},
      {"web-", {kLabelMsg}},
      {"my_app", {kLabelMsg}},
      {"my.app", {"must not contain dots"}},
  });
}

TEST(K8sNames, Dns1123Subdomain) {
  expectAll(isDns1123Subdomain, {
      {"myserver-myapp-lifecycle", {}},
      {"example.com", {}},
      {"a.b.c", {}},
      {std::string(253, 'a'), {}},  // the pattern puts no limit on one label's length
      {"", {kSubdomainMsg}},
      {"My_Pod", {kSubdomainMsg}},
      {"a..b", {kSubdomainMsg}},
      {".a", {kSubdomainMsg}},
      {"a.", {kSubdomainMsg}},
  });
  EXPECT_THAT(isDns1123Subdomain(std::string(254, 'a')), ElementsAre("must be no more than 253 characters"));
}

TEST(K8sNames, QualifiedName) {
  expectAll(isQualifiedName, {
      {"app", {}},
      {"app.kubernetes.io/name", {}},
      {"Example_Key.1", {}},
      {"", {"name part must be non-empty", "name part " + kQualifiedNameMsg}},
      {"-app", {"name part " + kQualifiedNameMsg}},
      {"example.com/", {"name part must be non-empty", "name part " + kQualifiedNameMsg}},
      {"/app", {"prefix part must be non-empty"}},
      {"Example.com/app", {"prefix part " + kSubdomainMsg}},
      {std::string(64, 'a'), {"name part must be no more than 63 characters"}},
      {"a/b/c",
       {"a qualified name " + kQualifiedNameMsg +
        " with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')"}},
  });
}

TEST(K8sNames, LabelValue) {
  expectAll(isValidLabelValue, {
      {"", {}},
      {"web", {}},
      {"My_Value.1", {}},
      {"-x", {kLabelValueMsg}},
      {"a b", {kLabelValueMsg}},
      {std::string(64, 'a'), {"must be no more than 63 characters"}},
  });
}

TEST(K8sNames, PortNumber) {
  EXPECT_THAT(isValidPortNum(1), IsEmpty());
  EXPECT_THAT(isValidPortNum(65535), IsEmpty());
  EXPECT_THAT(isValidPortNum(0), ElementsAre("must be between 1 and 65535, inclusive"));
  EXPECT_THAT(isValidPortNum(65536), ElementsAre("must be between 1 and 65535, inclusive"));
  EXPECT_THAT(isValidPortNum(-80), ElementsAre("must be between 1 and 65535, inclusive"));
}

TEST(K8sNames, PortNameIsAnIanaServiceName) {
  const std::string kCharset = "must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)";
  const std::string kLetter = "must contain at least one letter (a-z)";
  expectAll(isValidPortName, {
      {"http", {}},
      {"http-alt", {}},
      {"h2c", {}},
      {"a23456789012345", {}},
      {"a234567890123456", {"must be no more than 15 characters"}},
      {"HTTP", {kCharset, kLetter}},
      {"8080", {kLetter}},
      {"http_x", {kCharset}},
      {"http--x", {"must not contain consecutive hyphens"}},
      {"-http", {"must not begin or end with a hyphen"}},
      {"http-", {"must not begin or end with a hyphen"}},
      {"", {kCharset, kLetter}},
  });
}

TEST(K8sNames, EnvVarName) {
  expectAll(isEnvVarName, {
      {"PATH", {}},
      {"my.env-name", {}},
      {"_x", {}},
      {"1BAD", {kEnvVarMsg}},
      {"A B", {kEnvVarMsg}},
      {"", {kEnvVarMsg}},
      {".", {"must not be '.'"}},
      {"..", {"must not be '..'"}},
      {"..x", {"must not start with '..'"}},
  });
}

TEST(K8sNames, CIdentifier) {
  expectAll(isCIdentifier, {
      {"my_name", {}},
      {"_", {}},
      {"MyName9", {}},
      {"9x", {kCIdentifierMsg}},
      {"my-name", {kCIdentifierMsg}},
      {"", {kCIdentifierMsg}},
  });
}

TEST(K8sNames, Percent) {
  expectAll(isValidPercent, {
      {"25%", {}},
      {"0%", {}},
      {"%", {kPercentMsg}},
      {"25", {kPercentMsg}},
      {"2.5%", {kPercentMsg}},
      {"-5%", {kPercentMsg}},
  });
}

TEST(K8sNames, HttpHeaderName) {
  EXPECT_THAT(isHttpHeaderName("X-Custom-Header"), IsEmpty());
  EXPECT_THAT(isHttpHeaderName("X Header"),
              ElementsAre("a valid HTTP header must consist of alphanumeric characters or '-' (e.g. 'X-Header-Name', "
                          "regex used for validation is '[-A-Za-z0-9]+')"));
}

TEST(K8sNames, GenerateNamePrefixesMayEndInADash) {
  EXPECT_THAT(nameIsDnsSubdomain("web-", true), IsEmpty());
  EXPECT_THAT(nameIsDnsSubdomain("web-", false), ElementsAre(kSubdomainMsg));
  EXPECT_THAT(nameIsDnsLabel("ns-", true), IsEmpty());
  // Like apimachinery, the last two characters give way to one letter.
  EXPECT_THAT(nameIsDnsSubdomain("w.-", true), IsEmpty());
  EXPECT_THAT(nameIsDnsSubdomain("-", true), ElementsAre(kSubdomainMsg));
}

TEST(K8sNames, QuoteLikeGo) {
  EXPECT_EQ(quoteGo("web"), "\"web\"");
  EXPECT_EQ(quoteGo("a\"b\\c"), "\"a\\\"b\\\\c\"");
  EXPECT_EQ(quoteGo("tab\there\n"), "\"tab\\there\\n\"");
  EXPECT_EQ(quoteGo(std::string("nul\0x", 5)), "\"nul\\x00x\"");
  EXPECT_EQ(quoteGo("\x7f"), "\"\\x7f\"");
  EXPECT_EQ(quoteGo("héllo 日本"), "\"héllo 日本\"");
  EXPECT_EQ(quoteGo("bad\xff"), "\"bad\\xff\"");
  EXPECT_EQ(quoteGo("cut\xe6\x97"), "\"cut\\xe6\\x97\"");
}

TEST(K8sNames, GoMapLiteral) {
  EXPECT_EQ(goStringMap({{"tier", "front"}, {"app", "web"}}, false),
            "map[string]string{\"app\":\"web\", \"tier\":\"front\"}");
  EXPECT_EQ(goStringMap({}, false), "map[string]string{}");
  EXPECT_EQ(goStringMap({}, true), "map[string]string(nil)");
}

}  // namespace
}  // namespace podscope::core
