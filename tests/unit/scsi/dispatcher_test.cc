#include "scsi/dispatcher.h"

#include <gtest/gtest.h>

#include "scsi_test_util.h"

namespace openstmf::scsi {
namespace {

using testing::Cdb;
using testing::IsSense;
using testing::Read10;
using testing::TestLu;
using testing::Write10;

TEST(DispatcherTest, RejectsUnknownOpcodeWithInvalidCommandOperationCode) {
  TestLu t;
  auto o = t.Run(Cdb({0xC7, 0, 0, 0, 0, 0}, 16));
  EXPECT_TRUE(IsSense(o, SenseKey::kIllegalRequest, 0x2000));
  EXPECT_EQ(o.sense.size(), 18u);
}

TEST(DispatcherTest, RejectsUnknownServiceActionWithFieldPointerAtByteOne) {
  TestLu t;
  auto o = t.Run(Cdb({0x9E, 0x1F}, 16));
  EXPECT_TRUE(IsSense(o, SenseKey::kIllegalRequest, 0x2400));
  EXPECT_EQ(o.result.field.byte, 1);
}

TEST(DispatcherTest, RejectsReservedBitWithBitPointer) {
  TestLu t;
  auto o = t.Run(Cdb({0x00, 0x04, 0, 0, 0, 0}));
  ASSERT_TRUE(IsSense(o, SenseKey::kIllegalRequest, 0x2400));
  EXPECT_TRUE(o.result.field.in_cdb);
  EXPECT_EQ(o.result.field.byte, 1);
  EXPECT_TRUE(o.result.field.bit_valid);
  EXPECT_EQ(o.result.field.bit, 2);
}

TEST(DispatcherTest, RejectsNacaInControlByteButIgnoresVendorBits) {
  TestLu t;
  auto naca = t.Run(Cdb({0x00, 0, 0, 0, 0, 0x04}));
  ASSERT_TRUE(IsSense(naca, SenseKey::kIllegalRequest, 0x2400));
  EXPECT_EQ(naca.result.field.byte, 5);
  EXPECT_EQ(naca.result.field.bit, 2);
  EXPECT_TRUE(t.Run(Cdb({0x00, 0, 0, 0, 0, 0xC0})).result.good());
}

TEST(DispatcherTest, RejectsReadWithProtectionFieldSet) {
  TestLu t;
  auto cdb = Read10(0, 1);
  cdb[1] = 0x20;  // RDPROTECT 001b
  auto o = t.Run(cdb);
  EXPECT_TRUE(IsSense(o, SenseKey::kIllegalRequest, 0x2400));
  EXPECT_EQ(o.result.field.bit, 5);
}

TEST(DispatcherTest, ReportsPowerOnUnitAttentionOnceThenRunsCommands) {
  TestLu t;
  NexusId c = t.lu.AttachNexus(testing::NexusNamed("iqn.x:c", 3));
  auto first = t.Run(Cdb({0, 0, 0, 0, 0, 0}), {}, c);
  EXPECT_TRUE(IsSense(first, SenseKey::kUnitAttention, 0x2900));
  EXPECT_TRUE(t.Run(Cdb({0, 0, 0, 0, 0, 0}), {}, c).result.good());
}

TEST(DispatcherTest, InquiryAndReportLunsDoNotConsumeUnitAttention) {
  TestLu t;
  t.lu.RaiseUnitAttention(UnitAttention::kCapacityDataChanged);
  EXPECT_TRUE(t.Run(Cdb({0x12, 0, 0, 0, 96, 0})).result.good());
  EXPECT_TRUE(t.Run(Cdb({0xA0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0})).result.good());
  auto o = t.Run(Cdb({0, 0, 0, 0, 0, 0}));
  EXPECT_TRUE(IsSense(o, SenseKey::kUnitAttention, 0x2A09));
}

TEST(DispatcherTest, UnitAttentionsAreReportedInPriorityOrder) {
  TestLu t;
  t.lu.RaiseUnitAttention(UnitAttention::kReportedLunsDataChanged);
  t.lu.RaiseUnitAttention(UnitAttention::kModeParametersChanged);
  t.lu.RaiseUnitAttention(UnitAttention::kPowerOnReset);
  auto tur = Cdb({0, 0, 0, 0, 0, 0});
  EXPECT_TRUE(IsSense(t.Run(tur), SenseKey::kUnitAttention, 0x2900));
  EXPECT_TRUE(IsSense(t.Run(tur), SenseKey::kUnitAttention, 0x2A01));
  EXPECT_TRUE(IsSense(t.Run(tur), SenseKey::kUnitAttention, 0x3F0E));
  EXPECT_TRUE(t.Run(tur).result.good());
}

TEST(DispatcherTest, UnitAttentionIsPerNexus) {
  TestLu t;
  t.lu.RaiseUnitAttention(UnitAttention::kCapacityDataChanged, t.b);
  auto tur = Cdb({0, 0, 0, 0, 0, 0});
  EXPECT_TRUE(IsSense(t.Run(tur), SenseKey::kUnitAttention, 0x2A09));
  EXPECT_TRUE(t.Run(tur, {}, t.b).result.good());
}

TEST(DispatcherTest, CapacityChangeRaisesUnitAttentionOnEveryNexus) {
  TestLu t;
  t.lu.SetCapacity(1024);
  auto tur = Cdb({0, 0, 0, 0, 0, 0});
  EXPECT_TRUE(IsSense(t.Run(tur, {}, t.a), SenseKey::kUnitAttention, 0x2A09));
  EXPECT_TRUE(IsSense(t.Run(tur, {}, t.b), SenseKey::kUnitAttention, 0x2A09));
}

TEST(DispatcherTest, RejectsWriteOnWriteProtectedLuWithDataProtect) {
  auto cfg = testing::DefaultConfig();
  cfg.write_protected = true;
  TestLu t(cfg);
  EXPECT_TRUE(IsSense(t.Run(Write10(0, 1)), SenseKey::kDataProtect, 0x2700));
  EXPECT_TRUE(t.Run(Read10(0, 1)).result.good());
}

TEST(DispatcherTest, RejectsMediumAccessWithoutMediumAsNotReady) {
  auto cfg = testing::DefaultConfig();
  cfg.removable = true;
  cfg.medium_present = false;
  TestLu t(cfg);
  EXPECT_TRUE(IsSense(t.Run(Read10(0, 1)), SenseKey::kNotReady, 0x3A00));
  EXPECT_TRUE(IsSense(t.Run(Cdb({0, 0, 0, 0, 0, 0})), SenseKey::kNotReady, 0x3A00));
  EXPECT_TRUE(t.Run(Cdb({0x12, 0, 0, 0, 96, 0})).result.good());
}

TEST(DispatcherTest, StandbyStateAllowsOnlyTheStandbyCommandSet) {
  TestLu t;
  t.lu.SetTargetPortGroups({{1, AluaState::kStandby, false, AluaStatusCode::kNone, {1}},
                            {2, AluaState::kActiveOptimized, false, AluaStatusCode::kNone, {2}}});
  t.lu.unit_attentions(t.a).ClearAll();
  EXPECT_TRUE(IsSense(t.Run(Read10(0, 1)), SenseKey::kNotReady, 0x040B));
  EXPECT_TRUE(IsSense(t.Run(Cdb({0, 0, 0, 0, 0, 0})), SenseKey::kNotReady, 0x040B));
  EXPECT_TRUE(t.Run(Cdb({0x12, 0, 0, 0, 96, 0})).result.good());
  EXPECT_TRUE(t.Run(Cdb({0x1A, 0, 0x3F, 0, 255, 0})).result.good());
  EXPECT_TRUE(t.Run(Cdb({0x5E, 0, 0, 0, 0, 0, 0, 0, 8, 0})).result.good());
}

TEST(DispatcherTest, UnavailableAndTransitioningStatesAnswerTheirOwnSense) {
  TestLu t;
  t.lu.SetTargetPortGroups({{1, AluaState::kUnavailable, false, AluaStatusCode::kNone, {1}}});
  t.lu.unit_attentions(t.a).ClearAll();
  EXPECT_TRUE(IsSense(t.Run(Cdb({0x1A, 0, 0x3F, 0, 255, 0})), SenseKey::kNotReady, 0x040C));
  t.lu.SetTargetPortGroups({{1, AluaState::kTransitioning, false, AluaStatusCode::kNone, {1}}});
  t.lu.unit_attentions(t.a).ClearAll();
  EXPECT_TRUE(IsSense(t.Run(Read10(0, 1)), SenseKey::kNotReady, 0x040A));
  EXPECT_TRUE(t.Run(Cdb({0xA3, 0x0A, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0})).result.good());
}

TEST(DispatcherTest, AccessStateChangeRaisesUnitAttention) {
  TestLu t;
  t.lu.SetTargetPortGroups({{1, AluaState::kActiveOptimized, false, AluaStatusCode::kNone, {1}}});
  EXPECT_TRUE(IsSense(t.Run(Cdb({0, 0, 0, 0, 0, 0})), SenseKey::kUnitAttention, 0x2A06));
}

TEST(DispatcherTest, LegacyReservationConflictsOtherNexusButAllowsInquiry) {
  TestLu t;
  EXPECT_TRUE(t.Run(Cdb({0x16, 0, 0, 0, 0, 0})).result.good());
  EXPECT_EQ(t.Run(Read10(0, 1), {}, t.b).result.status, ScsiStatus::kReservationConflict);
  EXPECT_EQ(t.Run(Cdb({0x16, 0, 0, 0, 0, 0}), {}, t.b).result.status,
            ScsiStatus::kReservationConflict);
  EXPECT_TRUE(t.Run(Cdb({0x12, 0, 0, 0, 96, 0}), {}, t.b).result.good());
  // RELEASE from the other nexus is GOOD and changes nothing.
  EXPECT_TRUE(t.Run(Cdb({0x17, 0, 0, 0, 0, 0}), {}, t.b).result.good());
  EXPECT_TRUE(t.Run(Read10(0, 1), {}, t.a).result.good());
  EXPECT_TRUE(t.Run(Cdb({0x57, 0, 0, 0, 0, 0, 0, 0, 0, 0}), {}, t.a).result.good());
  EXPECT_TRUE(t.Run(Read10(0, 1), {}, t.b).result.good());
}

TEST(DispatcherTest, RejectsReadBeyondCapacityWithLbaOutOfRange) {
  TestLu t;
  EXPECT_TRUE(IsSense(t.Run(Read10(2047, 2)), SenseKey::kIllegalRequest, 0x2100));
  EXPECT_TRUE(IsSense(t.Run(Read10(4000, 1)), SenseKey::kIllegalRequest, 0x2100));
  auto huge = testing::Cdb16(0x88, 0, ~0ull, 1);
  EXPECT_TRUE(IsSense(t.Run(huge), SenseKey::kIllegalRequest, 0x2100));
  EXPECT_TRUE(t.Run(Read10(2047, 1)).result.good());
}

TEST(DispatcherTest, RejectsTransferAboveMaximumTransferLength) {
  auto cfg = testing::DefaultConfig();
  cfg.limits.max_transfer_blocks = 8;
  TestLu t(cfg);
  auto o = t.Run(Read10(0, 9));
  EXPECT_TRUE(IsSense(o, SenseKey::kIllegalRequest, 0x2400));
  EXPECT_EQ(o.result.field.byte, 7);
}

TEST(DispatcherTest, PrepareReportsDirectionAndLength) {
  TestLu t;
  auto w = t.Run(Write10(0, 4));
  EXPECT_EQ(w.direction, DataDirection::kOut);
  EXPECT_EQ(w.transfer_length, 4u * 512);
  auto r = t.Run(Read10(0, 2));
  EXPECT_EQ(r.direction, DataDirection::kIn);
  EXPECT_EQ(r.transfer_length, 1024u);
  auto caw = t.Run(testing::Cdb({0x89, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0}));
  EXPECT_EQ(caw.transfer_length, 2u * 2 * 512);
}

TEST(DispatcherTest, DescriptorSenseFollowsControlModePage) {
  TestLu t;
  std::vector<uint8_t> select = {0, 0, 0, 0, 0x0A, 0x0A, 0x04, 0x10, 0, 0, 0, 0, 0, 0, 0, 0};
  ASSERT_TRUE(t.Run(Cdb({0x15, 0x10, 0, 0, 16, 0}), select).result.good());
  auto o = t.Run(Read10(5000, 1));
  ASSERT_FALSE(o.sense.empty());
  EXPECT_EQ(o.sense[0], 0x72);
}

TEST(DispatcherTest, BackendMediumErrorBecomesMediumErrorWithLba) {
  TestLu t;
  t.backend.InjectFault(IoError::kMedium);
  auto o = t.Run(Read10(7, 1));
  EXPECT_TRUE(IsSense(o, SenseKey::kMediumError, 0x1100));
  EXPECT_TRUE(o.result.info_valid);
  EXPECT_EQ(o.result.information, 7u);
  t.backend.InjectFault(IoError::kNoSpace);
  EXPECT_TRUE(IsSense(t.Run(Write10(7, 1)), SenseKey::kDataProtect, 0x2707));
}

TEST(DispatcherTest, UnattachedNexusGetsLogicalUnitNotSupported) {
  TestLu t;
  EXPECT_TRUE(IsSense(t.Run(Read10(0, 1), {}, 99), SenseKey::kIllegalRequest, 0x2500));
}

}  // namespace
}  // namespace openstmf::scsi
