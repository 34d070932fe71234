#include "scsi/alua.h"

#include <gtest/gtest.h>

#include "base/byte_order.h"

namespace openstmf::scsi {
namespace {

TEST(AluaTest, ReportTargetPortGroupsTruncatesButReportsFullLength) {
  std::vector<TargetPortGroup> g = {
      {1, AluaState::kActiveOptimized, true, AluaStatusCode::kNone, {1, 2, 3}}};
  uint8_t out[10];
  size_t n = BuildReportTargetPortGroups(g, false, 0, out);
  EXPECT_EQ(n, 4u + 8 + 12);
  EXPECT_EQ(GetBe32(out), 20u);
  EXPECT_EQ(out[4], 0x80);
}

TEST(AluaTest, SetTargetPortGroupsParsesDescriptors) {
  std::vector<TargetPortGroup> g = {{1, AluaState::kStandby, false, AluaStatusCode::kNone, {1}}};
  std::vector<TpgChange> changes;
  std::vector<uint8_t> p = {0, 0, 0, 0, 0x01, 0, 0, 1};
  ASSERT_TRUE(ParseSetTargetPortGroups(p, g, &changes).good());
  ASSERT_EQ(changes.size(), 1u);
  EXPECT_EQ(changes[0].state, AluaState::kActiveNonOptimized);
  p[4] = 0x0F;  // transitioning cannot be requested
  EXPECT_EQ(ParseSetTargetPortGroups(p, g, &changes).asc_ascq(), 0x2600);
  std::vector<uint8_t> odd = {0, 0, 0, 0, 1, 0};
  EXPECT_EQ(ParseSetTargetPortGroups(odd, g, &changes).asc_ascq(), 0x1A00);
}

TEST(AluaTest, FilterFollowsTheStateTables) {
  EXPECT_TRUE(AluaFilter(AluaState::kActiveNonOptimized, 0).good());
  EXPECT_EQ(AluaFilter(AluaState::kStandby, 0).asc_ascq(), 0x040B);
  EXPECT_TRUE(AluaFilter(AluaState::kStandby, kAluaAllowStandby).good());
  EXPECT_EQ(AluaFilter(AluaState::kOffline, kAluaAllowStandby).asc_ascq(), 0x040C);
  EXPECT_EQ(AluaFilter(AluaState::kTransitioning, kAluaAllowStandby).asc_ascq(), 0x040A);
}

}  // namespace
}  // namespace openstmf::scsi
