// The admin tools' option parser.
#include "cli/common/args.h"

#include <gtest/gtest.h>

#include <array>

namespace openstmf::cli {
namespace {

constexpr std::array<OptionSpec, 3> kSpec{{
    {'g', "group-name", "group-name"},
    {'v', "verbose", nullptr},
    {'k', "keep-views", nullptr},
}};

Result<ParsedArgs> Parse(std::vector<std::string> args) { return ParseArgs(args, kSpec); }

TEST(ArgsTest, ShortLongAndAttachedValues) {
  auto a = Parse({"-g", "hg1", "--group-name=hg2", "-ghg3", "--group-name", "hg4", "x"});
  ASSERT_TRUE(a.ok()) << a.status().ToString();
  EXPECT_EQ(a->All('g'), (std::vector<std::string>{"hg1", "hg2", "hg3", "hg4"}));
  EXPECT_EQ(a->Last('g'), "hg4");
  EXPECT_EQ(a->operands, std::vector<std::string>{"x"});
}

TEST(ArgsTest, BundledFlags) {
  auto a = Parse({"-vk", "op"});
  ASSERT_TRUE(a.ok());
  EXPECT_TRUE(a->Has('v'));
  EXPECT_TRUE(a->Has('k'));
  EXPECT_FALSE(a->Has('g'));
}

TEST(ArgsTest, DoubleDashEndsOptions) {
  auto a = Parse({"--", "-v"});
  ASSERT_TRUE(a.ok());
  EXPECT_FALSE(a->Has('v'));
  EXPECT_EQ(a->operands, std::vector<std::string>{"-v"});
}

TEST(ArgsTest, UnknownOptionIsNamed) {
  auto a = Parse({"-x"});
  ASSERT_FALSE(a.ok());
  EXPECT_EQ(a.status().message(), "unknown option -x");
  a = Parse({"--bogus"});
  ASSERT_FALSE(a.ok());
  EXPECT_EQ(a.status().message(), "unknown option --bogus");
}

TEST(ArgsTest, MissingArgumentIsNamed) {
  auto a = Parse({"-g"});
  ASSERT_FALSE(a.ok());
  EXPECT_EQ(a.status().message(), "option -g requires an argument");
  a = Parse({"--verbose=yes"});
  ASSERT_FALSE(a.ok());
}

}  // namespace
}  // namespace openstmf::cli
