// Operand and option value checks.
#include "cli/common/values.h"

#include <gtest/gtest.h>

#include "cli/common/json.h"

namespace openstmf::cli {
namespace {

TEST(ValuesTest, GuidsRoundTripInUpperCase) {
  auto g = ParseGuid("600144f0aabbccddeeff001122334455");
  ASSERT_TRUE(g);
  EXPECT_EQ(g->guid[0], 0x60);
  EXPECT_EQ(GuidText(*g), "600144F0AABBCCDDEEFF001122334455");
  EXPECT_FALSE(ParseGuid("600144f0"));
  EXPECT_FALSE(ParseGuid("600144f0aabbccddeeff00112233445g"));
  EXPECT_FALSE(ParseGuid("600144f0aabbccddeeff0011223344556"));
}

TEST(ValuesTest, LunsStopAt16383) {
  EXPECT_EQ(ParseLun("0"), 0u);
  EXPECT_EQ(ParseLun("16383"), 16383u);
  EXPECT_FALSE(ParseLun("16384"));
  EXPECT_FALSE(ParseLun("-1"));
  EXPECT_FALSE(ParseLun("1a"));
  EXPECT_FALSE(ParseLun(""));
}

TEST(ValuesTest, SizesTakeSuffixes) {
  EXPECT_EQ(ParseSize("512"), 512u);
  EXPECT_EQ(ParseSize("4k"), 4096u);
  EXPECT_EQ(ParseSize("10M"), 10u << 20);
  EXPECT_EQ(ParseSize("1g"), 1ull << 30);
  EXPECT_EQ(ParseSize("2TB"), 2ull << 40);
  EXPECT_FALSE(ParseSize("0"));
  EXPECT_FALSE(ParseSize("10x"));
  EXPECT_FALSE(ParseSize("g"));
  EXPECT_FALSE(ParseSize("1.5g"));
  EXPECT_FALSE(ParseSize("99999999999999999999"));
  EXPECT_FALSE(ParseSize("16777216t"));  // 2^64
}

TEST(ValuesTest, DevidsAreCheckedAndNormalised) {
  EXPECT_EQ(ParseDevid("iqn.1993-08.org.Debian:01:ABC"), "iqn.1993-08.org.debian:01:abc");
  EXPECT_EQ(ParseDevid("wwn.21000024ff3a0bcd"), "wwn.21000024FF3A0BCD");
  EXPECT_EQ(ParseDevid("eui.0123456789abcdef"), "eui.0123456789ABCDEF");
  EXPECT_FALSE(ParseDevid("eui.0123"));
  EXPECT_FALSE(ParseDevid("naa.600144f0"));
  EXPECT_FALSE(ParseDevid("iqn.bad name"));
  EXPECT_FALSE(ParseDevid("iqn." + std::string(220, 'a')));
  stmfDevid d = MakeDevid("iqn.x");
  EXPECT_EQ(DevidName(d), "iqn.x");
}

TEST(ValuesTest, LuPropertyNames) {
  EXPECT_EQ(LuPropId("alias"), static_cast<uint32_t>(STMF_LU_PROP_ALIAS));
  EXPECT_EQ(LuPropId("WCD"), static_cast<uint32_t>(STMF_LU_PROP_WRITE_CACHE_DISABLE));
  EXPECT_EQ(LuPropId("host-id"), static_cast<uint32_t>(STMF_LU_PROP_HOST_ID));
  EXPECT_FALSE(LuPropId("size"));
  EXPECT_FALSE(LuPropId("colour"));
}

TEST(JsonTest, EscapesAndOrder) {
  Json j =
      Json::Object()
          .Add("b", Json::String("a\"b\\c\n\x01"))
          .Add("a", Json::Array().Push(Json::Number(1)).Push(Json::Bool(false)).Push(Json::Null()));
  EXPECT_EQ(j.Dump(), R"({"b":"a\"b\\c\n\u0001","a":[1,false,null]})");
}

}  // namespace
}  // namespace openstmf::cli
