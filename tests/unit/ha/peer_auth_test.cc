#include "ha/peer_auth.h"

#include <gtest/gtest.h>

namespace openstmf::ha {
namespace {

constexpr const char* kSecret = "pair-secret-0123456789";

TEST(PeerAuthTest, BothSidesAgreeWithTheSameSecret) {
  auto a = PeerAuth::Create(kSecret, 0);
  auto b = PeerAuth::Create(kSecret, 1);
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(a->OnPeerHello(b->Hello()).value(), 1);
  EXPECT_EQ(b->OnPeerHello(a->Hello()).value(), 0);
  EXPECT_TRUE(a->VerifyPeerProof(b->Proof()).ok());
  EXPECT_TRUE(b->VerifyPeerProof(a->Proof()).ok());
}

TEST(PeerAuthTest, WrongSecretIsRefused) {
  auto a = PeerAuth::Create(kSecret, 0);
  auto b = PeerAuth::Create("another-secret-98765", 1);
  ASSERT_TRUE(a.ok() && b.ok());
  ASSERT_TRUE(a->OnPeerHello(b->Hello()).ok());
  ASSERT_TRUE(b->OnPeerHello(a->Hello()).ok());
  Status s = a->VerifyPeerProof(b->Proof());
  EXPECT_EQ(s.code(), Code::kPermissionDenied);
  EXPECT_FALSE(b->VerifyPeerProof(a->Proof()).ok());
}

TEST(PeerAuthTest, ReflectedProofAndGreetingAreRefused) {
  auto a = PeerAuth::Create(kSecret, 0);
  auto b = PeerAuth::Create(kSecret, 1);
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_FALSE(a->OnPeerHello(a->Hello()).ok());  // our own greeting back
  ASSERT_TRUE(a->OnPeerHello(b->Hello()).ok());
  EXPECT_FALSE(a->VerifyPeerProof(a->Proof()).ok());  // our own proof back
  // A proof recorded from another exchange does not verify in a new one.
  ASSERT_TRUE(b->OnPeerHello(a->Hello()).ok());
  auto old_proof = b->Proof();
  auto a2 = PeerAuth::Create(kSecret, 0);
  ASSERT_TRUE(a2.ok());
  ASSERT_TRUE(a2->OnPeerHello(b->Hello()).ok());
  EXPECT_FALSE(a2->VerifyPeerProof(old_proof).ok());
}

TEST(PeerAuthTest, BadGreetingsAndConfigurations) {
  EXPECT_FALSE(PeerAuth::Create("short", 0).ok());
  auto a = PeerAuth::Create(kSecret, 0);
  auto same_node = PeerAuth::Create(kSecret, 0);
  ASSERT_TRUE(a.ok() && same_node.ok());
  EXPECT_NE(a->OnPeerHello(same_node->Hello()).status().message().find("also node 0"),
            std::string::npos);
  std::vector<uint8_t> garbage = {'G', 'E', 'T', ' ', '/'};
  EXPECT_FALSE(a->OnPeerHello(garbage).ok());
  EXPECT_FALSE(a->VerifyPeerProof(std::vector<uint8_t>(kProofSize)).ok());  // before hello
}

}  // namespace
}  // namespace openstmf::ha
