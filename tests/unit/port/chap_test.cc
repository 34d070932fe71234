#include "port/iscsi/chap.h"

#include <gtest/gtest.h>

#include <map>
#include <string>

#include "fake_random.h"
#include "port/iscsi/binary_value.h"

namespace openstmf::iscsi {
namespace {

using testing::FakeRandom;
using testing::Seq;

std::span<const uint8_t> Span(std::string_view s) {
  return {reinterpret_cast<const uint8_t*>(s.data()), s.size()};
}

std::map<std::string, std::string> Pairs(const TextWriter& w) {
  std::map<std::string, std::string> m;
  auto r = ParseKeyValues(Span(w.text()));
  for (const KeyValue& kv : *r) m[std::string(kv.key)] = std::string(kv.value);
  return m;
}

// Expected digests computed with `openssl dgst` over 0x2a || "abcdefghijklmnop" ||
// bytes 00..0f.
TEST(ChapTest, ResponsesMatchOpensslComputedVectors) {
  const auto challenge = Seq(0, 16);
  const struct {
    ChapAlgorithm a;
    const char* hex;
  } cases[] = {
      {ChapAlgorithm::kMd5, "0x06e083bf6e5f435ad587f78569ea9ea2"},
      {ChapAlgorithm::kSha1, "0xcc99d45f7aaab2c85d369c51e4259888266d3f1c"},
      {ChapAlgorithm::kSha256,
       "0xf5d25ca84f064bf5562bf39de526b7c8f4a4034d0bcb61adec885d8527a17f79"},
      {ChapAlgorithm::kSha3_256,
       "0x3731cad78826b860b8a94b906ee68844cc2b38f0a85106f4ed9c6a0368a72871"},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(c.hex, EncodeHexValue(ChapResponse(c.a, 0x2a, Span("abcdefghijklmnop"), challenge)));
    EXPECT_EQ((std::strlen(c.hex) - 2) / 2, ChapDigestLength(c.a));
  }
}

class ChapTargetTest : public ::testing::Test {
 protected:
  ChapTargetTest() {
    policy_.initiator = {"iqn.1994-05.com.example:init", "abcdefghijklmnop"};
    random_.Queue(Seq(0, 16));  // challenge
    random_.Queue({0x2a});      // identifier
    policy_.challenge_length = 16;
  }
  ChapPolicy policy_;
  FakeRandom random_;
};

TEST_F(ChapTargetTest, ChoosesFirstAcceptableAlgorithmOfInitiatorList) {
  policy_.algorithms = {ChapAlgorithm::kMd5, ChapAlgorithm::kSha256};
  ChapTarget chap(policy_, &random_);
  TextWriter out;
  ASSERT_TRUE(chap.Start("8,7,5", &out).ok());
  auto m = Pairs(out);
  EXPECT_EQ("7", m["CHAP_A"]);
  EXPECT_EQ("42", m["CHAP_I"]);
  EXPECT_EQ("0x000102030405060708090a0b0c0d0e0f", m["CHAP_C"]);
}

TEST_F(ChapTargetTest, RejectsUnsupportedAlgorithmList) {
  policy_.algorithms = {ChapAlgorithm::kSha256};
  ChapTarget chap(policy_, &random_);
  TextWriter out;
  EXPECT_EQ(Code::kPermissionDenied, chap.Start("5", &out).code());
  EXPECT_EQ("Reject", Pairs(out)["CHAP_A"]);
}

TEST_F(ChapTargetTest, AcceptsCorrectMd5Response) {
  ChapTarget chap(policy_, &random_);
  TextWriter out;
  ASSERT_TRUE(chap.Start("5", &out).ok());
  TextWriter reply;
  EXPECT_TRUE(chap.Verify("iqn.1994-05.com.example:init", "0x06e083bf6e5f435ad587f78569ea9ea2",
                          std::nullopt, std::nullopt, &reply)
                  .ok());
  EXPECT_TRUE(reply.empty());
}

TEST_F(ChapTargetTest, AcceptsBase64EncodedResponse) {
  ChapTarget chap(policy_, &random_);
  TextWriter out;
  ASSERT_TRUE(chap.Start("7", &out).ok());
  std::vector<uint8_t> r;
  ASSERT_TRUE(
      DecodeBinaryValue("0xf5d25ca84f064bf5562bf39de526b7c8f4a4034d0bcb61adec885d8527a17f79", &r));
  TextWriter reply;
  EXPECT_TRUE(chap.Verify("iqn.1994-05.com.example:init", EncodeBase64Value(r), std::nullopt,
                          std::nullopt, &reply)
                  .ok());
}

TEST_F(ChapTargetTest, RejectsWrongResponseWrongNameAndWrongLength) {
  for (auto [name, resp] : std::vector<std::pair<std::string, std::string>>{
           {"iqn.1994-05.com.example:init", "0x06e083bf6e5f435ad587f78569ea9ea3"},
           {"someone-else", "0x06e083bf6e5f435ad587f78569ea9ea2"},
           {"iqn.1994-05.com.example:init", "0x06e083bf6e5f435ad587f78569ea9e"},
           {"iqn.1994-05.com.example:init", "garbage"}}) {
    FakeRandom random;
    random.Queue(Seq(0, 16));
    random.Queue({0x2a});
    ChapTarget chap(policy_, &random);
    TextWriter out;
    ASSERT_TRUE(chap.Start("5", &out).ok());
    EXPECT_EQ(Code::kPermissionDenied,
              chap.Verify(name, resp, std::nullopt, std::nullopt, &out).code())
        << name << " " << resp;
  }
}

TEST_F(ChapTargetTest, RefusesSecondResponseToOneChallenge) {
  ChapTarget chap(policy_, &random_);
  TextWriter out;
  ASSERT_TRUE(chap.Start("5", &out).ok());
  ASSERT_TRUE(chap.Verify("iqn.1994-05.com.example:init", "0x06e083bf6e5f435ad587f78569ea9ea2",
                          std::nullopt, std::nullopt, &out)
                  .ok());
  EXPECT_FALSE(chap.Verify("iqn.1994-05.com.example:init", "0x06e083bf6e5f435ad587f78569ea9ea2",
                           std::nullopt, std::nullopt, &out)
                   .ok());
}

TEST_F(ChapTargetTest, AnswersMutualChallenge) {
  policy_.target = ChapCredentials{"target-user", "targetsecret9876"};
  ChapTarget chap(policy_, &random_);
  TextWriter out;
  ASSERT_TRUE(chap.Start("5", &out).ok());
  TextWriter reply;
  // Expected: openssl dgst -md5 over 0x07 || "targetsecret9876" ||
  // aabbccddeeff11223344556677889900.
  ASSERT_TRUE(chap.Verify("iqn.1994-05.com.example:init", "0x06e083bf6e5f435ad587f78569ea9ea2", "7",
                          "0xaabbccddeeff11223344556677889900", &reply)
                  .ok());
  auto m = Pairs(reply);
  EXPECT_EQ("target-user", m["CHAP_N"]);
  EXPECT_EQ("0xe48584d228653c0240e2b9ee541cd0e6", m["CHAP_R"]);
}

TEST_F(ChapTargetTest, RefusesReflectedChallenge) {
  policy_.target = ChapCredentials{"target-user", "targetsecret9876"};
  ChapTarget chap(policy_, &random_);
  TextWriter out;
  ASSERT_TRUE(chap.Start("5", &out).ok());
  EXPECT_EQ(Code::kPermissionDenied,
            chap.Verify("iqn.1994-05.com.example:init", "0x06e083bf6e5f435ad587f78569ea9ea2", "1",
                        "0x000102030405060708090a0b0c0d0e0f", &out)
                .code());
}

TEST_F(ChapTargetTest, RefusesMutualWhenTargetHasNoCredentials) {
  ChapTarget chap(policy_, &random_);
  TextWriter out;
  ASSERT_TRUE(chap.Start("5", &out).ok());
  EXPECT_FALSE(chap.Verify("iqn.1994-05.com.example:init", "0x06e083bf6e5f435ad587f78569ea9ea2",
                           "1", "0x1234", &out)
                   .ok());
}

TEST_F(ChapTargetTest, RequiresMutualWhenConfigured) {
  policy_.target = ChapCredentials{"target-user", "targetsecret9876"};
  policy_.require_mutual = true;
  ChapTarget chap(policy_, &random_);
  TextWriter out;
  ASSERT_TRUE(chap.Start("5", &out).ok());
  EXPECT_FALSE(chap.Verify("iqn.1994-05.com.example:init", "0x06e083bf6e5f435ad587f78569ea9ea2",
                           std::nullopt, std::nullopt, &out)
                   .ok());
}

TEST_F(ChapTargetTest, DefaultChallengeIsAtLeastDigestLength) {
  ChapPolicy p = policy_;
  p.challenge_length = 0;
  ChapTarget chap(p, &SystemRandom());
  TextWriter out;
  ASSERT_TRUE(chap.Start("7", &out).ok());
  EXPECT_EQ(32U, chap.challenge().size());
}

TEST(ChapSecretsTest, ValidatesLengthAndDistinctSecrets) {
  ChapPolicy p;
  p.initiator = {"i", "short"};
  EXPECT_FALSE(ValidateChapSecrets(p).ok());
  p.initiator.secret = "twelve-bytes";
  EXPECT_TRUE(ValidateChapSecrets(p).ok());
  EXPECT_FALSE(ValidateChapSecrets(p, 16, 16).ok());
  p.target = ChapCredentials{"t", "twelve-bytes"};
  EXPECT_FALSE(ValidateChapSecrets(p).ok());
  p.target->secret = "another-secret";
  EXPECT_TRUE(ValidateChapSecrets(p).ok());
}

}  // namespace
}  // namespace openstmf::iscsi
