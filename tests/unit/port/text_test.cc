#include "port/iscsi/text.h"

#include <gtest/gtest.h>

#include <string>

#include "port/iscsi/binary_value.h"

namespace openstmf::iscsi {
namespace {

std::span<const uint8_t> Bytes(const std::string& s) {
  return {reinterpret_cast<const uint8_t*>(s.data()), s.size()};
}

TEST(TextTest, ParsesNulTerminatedPairsInPlace) {
  const std::string t("InitiatorName=iqn.1994-05.com.example:x\0SessionType=Normal\0", 59);
  auto r = ParseKeyValues(Bytes(t));
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_EQ(2U, r->size());
  EXPECT_EQ("InitiatorName", (*r)[0].key);
  EXPECT_EQ("iqn.1994-05.com.example:x", (*r)[0].value);
  EXPECT_EQ(t.data() + 14, (*r)[0].value.data());  // points into the buffer
  EXPECT_EQ("Normal", (*r)[1].value);
}

TEST(TextTest, AcceptsEmptyValueAndSkipsNulPadding) {
  const std::string t("X-A=\0\0\0\0", 8);
  auto r = ParseKeyValues(Bytes(t));
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(1U, r->size());
  EXPECT_EQ("", (*r)[0].value);
}

TEST(TextTest, RejectsDuplicateKeys) {
  const std::string t("MaxBurstLength=512\0MaxBurstLength=1024\0", 39);
  EXPECT_FALSE(ParseKeyValues(Bytes(t)).ok());
}

TEST(TextTest, RejectsMissingTerminatorAndMissingEquals) {
  EXPECT_FALSE(ParseKeyValues(Bytes("A=B")).ok());
  EXPECT_FALSE(ParseKeyValues(Bytes(std::string("AB\0", 3))).ok());
  EXPECT_FALSE(ParseKeyValues(Bytes(std::string("=B\0", 3))).ok());
}

TEST(TextTest, EnforcesKeyAndValueLengthLimits) {
  std::string key(64, 'K');
  EXPECT_FALSE(ParseKeyValues(Bytes(key + "=v" + std::string(1, '\0'))).ok());
  key.resize(63);
  EXPECT_TRUE(ParseKeyValues(Bytes(key + "=v" + std::string(1, '\0'))).ok());
  const std::string long_value(256, 'v');
  EXPECT_FALSE(ParseKeyValues(Bytes("TargetAlias=" + long_value + std::string(1, '\0'))).ok());
  EXPECT_TRUE(ParseKeyValues(Bytes("CHAP_C=0x" + long_value + std::string(1, '\0'))).ok());
}

TEST(TextTest, RejectsBadKeyCharacters) {
  EXPECT_FALSE(ParseKeyValues(Bytes(std::string("Bad Key=1\0", 10))).ok());
}

TEST(TextTest, AssemblesContinuedTextAcrossPdus) {
  TextAssembler a(100);
  ASSERT_TRUE(a.Add(Bytes("MaxBurst"), false).ok());
  EXPECT_FALSE(a.complete());
  ASSERT_TRUE(a.Add(Bytes(std::string("Length=512\0", 11)), true).ok());
  EXPECT_TRUE(a.complete());
  auto r = ParseKeyValues(a.text());
  ASSERT_TRUE(r.ok());
  EXPECT_EQ("MaxBurstLength", (*r)[0].key);
  // A new sequence starts after completion.
  ASSERT_TRUE(a.Add(Bytes(std::string("A=1\0", 4)), true).ok());
  EXPECT_EQ(4U, a.text().size());
}

TEST(TextTest, AssemblerRefusesOverlongSequence) {
  TextAssembler a(10);
  ASSERT_TRUE(a.Add(Bytes("12345"), false).ok());
  EXPECT_EQ(Code::kResourceExhausted, a.Add(Bytes("123456"), true).code());
}

TEST(TextTest, SplitTextCutsIntoSegments) {
  const std::string t = "0123456789";
  size_t off = 0;
  bool more = false;
  EXPECT_EQ("0123", SplitText(t, 4, &off, &more));
  EXPECT_TRUE(more);
  EXPECT_EQ("4567", SplitText(t, 4, &off, &more));
  EXPECT_EQ("89", SplitText(t, 4, &off, &more));
  EXPECT_FALSE(more);
}

TEST(TextTest, ParsesDecimalAndHexNumbersWithLimits) {
  uint64_t v = 0;
  EXPECT_TRUE(ParseNumber("262144", 1u << 24, &v));
  EXPECT_EQ(262144U, v);
  EXPECT_TRUE(ParseNumber("0x40000", 1u << 24, &v));
  EXPECT_EQ(262144U, v);
  EXPECT_FALSE(ParseNumber("16777217", (1u << 24) - 1, &v));
  EXPECT_FALSE(ParseNumber("12a", 1000, &v));
  EXPECT_FALSE(ParseNumber("", 1000, &v));
  EXPECT_FALSE(ParseNumber("99999999999999999999999", ~0ULL, &v));
}

TEST(BinaryValueTest, DecodesHexAndBase64) {
  std::vector<uint8_t> out;
  ASSERT_TRUE(DecodeBinaryValue("0xA0ff", &out));
  EXPECT_EQ((std::vector<uint8_t>{0xa0, 0xff}), out);
  ASSERT_TRUE(DecodeBinaryValue("0xabc", &out));  // implied leading zero
  EXPECT_EQ((std::vector<uint8_t>{0x0a, 0xbc}), out);
  ASSERT_TRUE(DecodeBinaryValue("0bAAEC", &out));
  EXPECT_EQ((std::vector<uint8_t>{0x00, 0x01, 0x02}), out);
  ASSERT_TRUE(DecodeBinaryValue("0BAAE=", &out));
  EXPECT_EQ((std::vector<uint8_t>{0x00, 0x01}), out);
  EXPECT_FALSE(DecodeBinaryValue("0xzz", &out));
  EXPECT_FALSE(DecodeBinaryValue("0bA=AA", &out));
  EXPECT_FALSE(DecodeBinaryValue("1234", &out));
  EXPECT_FALSE(DecodeBinaryValue("0x", &out));
}

TEST(BinaryValueTest, EncodingsRoundTrip) {
  const std::vector<uint8_t> in = {1, 2, 3, 4, 0xfe};
  std::vector<uint8_t> out;
  EXPECT_EQ("0x01020304fe", EncodeHexValue(in));
  ASSERT_TRUE(DecodeBinaryValue(EncodeBase64Value(in), &out));
  EXPECT_EQ(in, out);
  EXPECT_EQ("0bAQIDBP4=", EncodeBase64Value(in));
}

}  // namespace
}  // namespace openstmf::iscsi
