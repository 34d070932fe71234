#include "stmf/views.h"

#include <gtest/gtest.h>

namespace openstmf::stmf {
namespace {

Guid G(uint8_t n) {
  Guid g{};
  g[0] = 0x60;
  g[15] = n;
  return g;
}

ViewRequest Req(std::string hg, std::string tg, std::optional<uint32_t> lun = std::nullopt) {
  ViewRequest r;
  r.host_group = std::move(hg);
  r.target_group = std::move(tg);
  r.lun = lun;
  return r;
}

constexpr const char* kIni1 = "iqn.1993-08.org.debian:01:aaaa";
constexpr const char* kIni2 = "iqn.1993-08.org.debian:01:bbbb";
constexpr const char* kPortA = "iqn.2026-11.org.openstmf:target-a";
constexpr const char* kPortB = "iqn.2026-11.org.openstmf:target-b";

class ViewsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(v_.CreateGroup(GroupKind::kHost, "hg1").ok());
    ASSERT_TRUE(v_.AddMember(GroupKind::kHost, "hg1", kIni1).ok());
    ASSERT_TRUE(v_.CreateGroup(GroupKind::kHost, "hg2").ok());
    ASSERT_TRUE(v_.AddMember(GroupKind::kHost, "hg2", kIni2).ok());
    ASSERT_TRUE(v_.CreateGroup(GroupKind::kTarget, "tgA").ok());
    ASSERT_TRUE(v_.AddMember(GroupKind::kTarget, "tgA", kPortA).ok());
  }
  Views v_;
};

TEST_F(ViewsTest, InitiatorOutsideTheHostGroupSeesNothing) {
  ASSERT_TRUE(v_.AddEntry(G(1), Req("hg1", "")).ok());
  EXPECT_EQ(v_.LunMap(kIni1, kPortA), (std::vector<LunMapping>{{0, G(1)}}));
  EXPECT_TRUE(v_.LunMap(kIni2, kPortA).empty());
  EXPECT_TRUE(v_.LunMap("iqn.unknown", kPortB).empty());
}

TEST_F(ViewsTest, TargetOutsideTheTargetGroupDoesNotExposeTheLu) {
  ASSERT_TRUE(v_.AddEntry(G(1), Req("", "tgA", 5)).ok());
  EXPECT_EQ(v_.LunMap(kIni2, kPortA), (std::vector<LunMapping>{{5, G(1)}}));
  EXPECT_TRUE(v_.LunMap(kIni2, kPortB).empty());
}

TEST_F(ViewsTest, AllHostsAllTargetsReachesEveryone) {
  ASSERT_TRUE(v_.AddEntry(G(1), Req("", "")).ok());
  ASSERT_TRUE(v_.AddEntry(G(2), Req("", "")).ok());
  auto map = v_.LunMap("iqn.anyone", kPortB);
  ASSERT_EQ(map.size(), 2u);
  EXPECT_EQ(map[0].lun, 0u);
  EXPECT_EQ(map[1].lun, 1u);  // the lowest free LUN was chosen
}

TEST_F(ViewsTest, OverlappingEntriesOfOneLuConflict) {
  ASSERT_TRUE(v_.AddEntry(G(1), Req("hg1", "")).ok());
  auto again = v_.AddEntry(G(1), Req("", "tgA"));
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.status().detail(), kViewConflict);
  // A different host group does not overlap.
  EXPECT_TRUE(v_.AddEntry(G(1), Req("hg2", "")).ok());
}

TEST_F(ViewsTest, LunUsedByAnotherLuInTheSameReachIsRefused) {
  ASSERT_TRUE(v_.AddEntry(G(1), Req("hg1", "", 3)).ok());
  auto clash = v_.AddEntry(G(2), Req("", "tgA", 3));
  ASSERT_FALSE(clash.ok());
  EXPECT_EQ(clash.status().detail(), kViewLunInUse);
  EXPECT_NE(clash.status().message().find("LUN 3"), std::string::npos);
  // Same LUN for a disjoint host group is fine.
  EXPECT_TRUE(v_.AddEntry(G(2), Req("hg2", "", 3)).ok());
  EXPECT_EQ(v_.LunMap(kIni1, kPortA), (std::vector<LunMapping>{{3, G(1)}}));
  EXPECT_EQ(v_.LunMap(kIni2, kPortA), (std::vector<LunMapping>{{3, G(2)}}));
}

TEST_F(ViewsTest, RejectsUnknownGroupsAndOutOfRangeLun) {
  EXPECT_EQ(v_.AddEntry(G(1), Req("nope", "")).status().detail(), kViewInvalidHostGroup);
  EXPECT_EQ(v_.AddEntry(G(1), Req("", "nope")).status().detail(), kViewInvalidTargetGroup);
  EXPECT_EQ(v_.AddEntry(G(1), Req("", "", 16384)).status().detail(), kViewInvalidArg);
  EXPECT_TRUE(v_.Entries(G(1)).empty());
  EXPECT_EQ(v_.generation(), 0u);
}

TEST_F(ViewsTest, ValidateChecksWithoutAdding) {
  EXPECT_TRUE(v_.Validate(G(1), Req("hg1", "")).ok());
  EXPECT_TRUE(v_.Entries(G(1)).empty());
}

TEST_F(ViewsTest, GroupUsedByAViewCannotBeDeleted) {
  ASSERT_TRUE(v_.AddEntry(G(1), Req("hg1", "")).ok());
  EXPECT_EQ(v_.DeleteGroup(GroupKind::kHost, "hg1").detail(), kViewGroupInUse);
  ASSERT_TRUE(v_.RemoveEntry(G(1), 0).ok());
  EXPECT_TRUE(v_.DeleteGroup(GroupKind::kHost, "hg1").ok());
  EXPECT_EQ(v_.DeleteGroup(GroupKind::kHost, "hg1").detail(), kViewGroupNotFound);
}

TEST_F(ViewsTest, MemberBelongsToOneGroupOfAKind) {
  Status s = v_.AddMember(GroupKind::kHost, "hg2", kIni1);
  EXPECT_EQ(s.detail(), kViewExists);
  EXPECT_NE(s.message().find("hg1"), std::string::npos);
  EXPECT_EQ(v_.RemoveMember(GroupKind::kHost, "hg2", kIni1).detail(), kViewMemberNotFound);
  EXPECT_EQ(v_.CreateGroup(GroupKind::kHost, "hg1").detail(), kViewExists);
  EXPECT_EQ(v_.CreateGroup(GroupKind::kHost, "").detail(), kViewInvalidArg);
}

TEST_F(ViewsTest, MembershipChangesMoveTheLunMapAndTheGeneration) {
  ASSERT_TRUE(v_.AddEntry(G(1), Req("hg1", "")).ok());
  const uint64_t gen = v_.generation();
  ASSERT_TRUE(v_.AddMember(GroupKind::kHost, "hg1", "iqn.new").ok());
  EXPECT_GT(v_.generation(), gen);
  EXPECT_EQ(v_.LunMap("iqn.new", kPortA).size(), 1u);
  ASSERT_TRUE(v_.RemoveMember(GroupKind::kHost, "hg1", "iqn.new").ok());
  EXPECT_TRUE(v_.LunMap("iqn.new", kPortA).empty());
}

TEST_F(ViewsTest, EntryIndexesAreAssignedAndRemovable) {
  auto a = v_.AddEntry(G(1), Req("hg1", ""));
  auto b = v_.AddEntry(G(1), Req("hg2", ""));
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(a->index, 0u);
  EXPECT_EQ(b->index, 1u);
  EXPECT_EQ(v_.RemoveEntry(G(1), 7).detail(), kViewNotFound);
  ASSERT_TRUE(v_.RemoveEntry(G(1), 0).ok());
  ASSERT_EQ(v_.Entries(G(1)).size(), 1u);
  EXPECT_EQ(v_.Entries(G(1))[0].host_group, "hg2");
  v_.RemoveLu(G(1));
  EXPECT_TRUE(v_.Entries(G(1)).empty());
}

}  // namespace
}  // namespace openstmf::stmf
