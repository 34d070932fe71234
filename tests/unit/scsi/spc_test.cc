// SPC-4 handlers: INQUIRY/VPD, REQUEST SENSE, REPORT LUNS, LOG SENSE, RSOC,
// REPORT SUPPORTED TMF, REPORT / SET TARGET PORT GROUPS.
#include <gtest/gtest.h>

#include <string>

#include "base/byte_order.h"
#include "scsi/opcode_table.h"
#include "scsi_test_util.h"

namespace openstmf::scsi {
namespace {

using testing::Cdb;
using testing::IsSense;
using testing::TestLu;

std::vector<uint8_t> Inq(int evpd, int page, int alloc = 255) {
  return Cdb({0x12, evpd, page, alloc >> 8, alloc & 255, 0});
}

TEST(InquiryTest, StandardDataIdentifiesAnSpc4DiskWithCommandQueuing) {
  TestLu t;
  auto o = t.Run(Inq(0, 0));
  ASSERT_TRUE(o.result.good());
  ASSERT_EQ(o.data.size(), 96u);
  EXPECT_EQ(o.data[0], 0x00);
  EXPECT_EQ(o.data[2], 0x06);
  EXPECT_EQ(o.data[3] & 0x0F, 2);
  EXPECT_EQ(o.data[4], 91);
  EXPECT_EQ(o.data[7] & 0x02, 0x02);
  EXPECT_EQ(std::string(o.data.begin() + 8, o.data.begin() + 16), "OPENSTMF");
  EXPECT_EQ(o.data[5] & 0x30, 0);  // no ALUA configured
}

TEST(InquiryTest, ReportsRemovableAndImplicitAlua) {
  auto cfg = testing::DefaultConfig();
  cfg.removable = true;
  TestLu t(cfg);
  t.lu.SetTargetPortGroups({{1, AluaState::kActiveOptimized, true, AluaStatusCode::kNone, {1}}});
  auto o = t.Run(Inq(0, 0));
  EXPECT_EQ(o.data[1], 0x80);
  EXPECT_EQ(o.data[5] & 0x30, 0x10);
}

TEST(InquiryTest, TruncatesAtAllocationLength) {
  TestLu t;
  EXPECT_EQ(t.Run(Inq(0, 0, 5)).data.size(), 5u);
  EXPECT_TRUE(t.Run(Inq(0, 0, 0)).data.empty());
}

TEST(InquiryTest, RejectsPageCodeWithoutEvpdAndUnknownPages) {
  TestLu t;
  auto o = t.Run(Inq(0, 0x80));
  EXPECT_TRUE(IsSense(o, SenseKey::kIllegalRequest, 0x2400));
  EXPECT_EQ(o.result.field.byte, 2);
  EXPECT_TRUE(IsSense(t.Run(Inq(1, 0xC5)), SenseKey::kIllegalRequest, 0x2400));
}

TEST(InquiryTest, SupportedVpdPagesListsEveryPageThatAnswers) {
  TestLu t;
  auto o = t.Run(Inq(1, 0));
  ASSERT_TRUE(o.result.good());
  size_t n = GetBe16(&o.data[2]);
  ASSERT_EQ(o.data.size(), 4 + n);
  for (size_t i = 0; i < n; ++i) {
    auto page = t.Run(Inq(1, o.data[4 + i]));
    EXPECT_TRUE(page.result.good()) << int(o.data[4 + i]);
    EXPECT_EQ(page.data[1], o.data[4 + i]);
  }
}

TEST(InquiryTest, UnitSerialNumberPage) {
  TestLu t;
  auto o = t.Run(Inq(1, 0x80));
  EXPECT_EQ(std::string(o.data.begin() + 4, o.data.end()), "SN0001");
}

TEST(InquiryTest, DeviceIdentificationHasNaaPortAndGroupDesignators) {
  TestLu t;
  auto o = t.Run(Inq(1, 0x83));
  ASSERT_TRUE(o.result.good());
  bool naa = false, rel = false, tpg = false, port_name = false;
  for (size_t at = 4; at + 4 <= o.data.size(); at += 4 + o.data[at + 3]) {
    uint8_t assoc = (o.data[at + 1] >> 4) & 3, type = o.data[at + 1] & 15;
    if (assoc == 0 && type == 3) {
      naa = o.data[at + 3] == 16 && o.data[at + 4] == 0x60;
    }
    if (assoc == 1 && type == 4) rel = GetBe16(&o.data[at + 6]) == 1;
    if (assoc == 1 && type == 5) tpg = GetBe16(&o.data[at + 6]) == 1;
    if (assoc == 1 && type == 8) port_name = true;
  }
  EXPECT_TRUE(naa);
  EXPECT_TRUE(rel);
  EXPECT_TRUE(tpg);
  EXPECT_TRUE(port_name);
}

TEST(InquiryTest, BlockLimitsAndProvisioningPagesReflectTheConfig) {
  auto cfg = testing::DefaultConfig();
  cfg.limits.max_unmap_blocks = 1234;
  cfg.limits.max_write_same_blocks = 99;
  TestLu t(cfg);
  auto b0 = t.Run(Inq(1, 0xB0));
  EXPECT_EQ(GetBe16(&b0.data[2]), 0x3C);
  EXPECT_EQ(b0.data[4] & 1, 0);  // WSNZ
  EXPECT_EQ(GetBe32(&b0.data[20]), 1234u);
  EXPECT_EQ(GetBe64(&b0.data[36]), 99u);
  auto b2 = t.Run(Inq(1, 0xB2));
  EXPECT_EQ(b2.data[5] & 0xE0, 0xE0);
  EXPECT_EQ(b2.data[6] & 7, 2);
  auto b1 = t.Run(Inq(1, 0xB1));
  EXPECT_EQ(GetBe16(&b1.data[4]), 1);
}

TEST(RequestSenseTest, ReturnsAndClearsAPendingUnitAttention) {
  TestLu t;
  t.lu.RaiseUnitAttention(UnitAttention::kReservationsPreempted);
  auto o = t.Run(Cdb({0x03, 0, 0, 0, 252, 0}));
  ASSERT_TRUE(o.result.good());
  ASSERT_EQ(o.data.size(), 18u);
  EXPECT_EQ(o.data[2], 0x06);
  EXPECT_EQ(o.data[12], 0x2A);
  EXPECT_EQ(o.data[13], 0x03);
  auto again = t.Run(Cdb({0x03, 0x01, 0, 0, 252, 0}));
  EXPECT_EQ(again.data[0], 0x72);
  EXPECT_EQ(again.data[1], 0x00);
  EXPECT_TRUE(t.Run(Cdb({0, 0, 0, 0, 0, 0})).result.good());
}

TEST(RequestSenseTest, ReportsStandbyAsPollableSense) {
  TestLu t;
  t.lu.SetTargetPortGroups({{1, AluaState::kStandby, false, AluaStatusCode::kNone, {1}}});
  t.Run(Cdb({0x03, 0, 0, 0, 252, 0}));  // consumes the state-change UA
  auto o = t.Run(Cdb({0x03, 0, 0, 0, 252, 0}));
  EXPECT_EQ(o.data[2], 0x02);
  EXPECT_EQ(o.data[12], 0x04);
  EXPECT_EQ(o.data[13], 0x0B);
}

TEST(ReportLunsTest, ListsLunsWithPeripheralAndFlatAddressing) {
  TestLu t;
  auto o = t.Run(Cdb({0xA0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0}));
  ASSERT_TRUE(o.result.good());
  ASSERT_EQ(o.data.size(), 32u);
  EXPECT_EQ(GetBe32(&o.data[0]), 24u);
  EXPECT_EQ(o.data[16], 0x00);
  EXPECT_EQ(o.data[17], 0x01);
  EXPECT_EQ(o.data[24], 0x41);
  EXPECT_EQ(o.data[25], 0x2C);
}

TEST(ReportLunsTest, ClearsReportedLunsChangedAndRejectsBadSelectReport) {
  TestLu t;
  t.lu.RaiseUnitAttention(UnitAttention::kReportedLunsDataChanged);
  EXPECT_TRUE(t.Run(Cdb({0xA0, 0, 2, 0, 0, 0, 0, 0, 1, 0, 0, 0})).result.good());
  EXPECT_TRUE(t.Run(Cdb({0, 0, 0, 0, 0, 0})).result.good());
  EXPECT_TRUE(IsSense(t.Run(Cdb({0xA0, 0, 7, 0, 0, 0, 0, 0, 1, 0, 0, 0})),
                      SenseKey::kIllegalRequest, 0x2400));
  auto wk = t.Run(Cdb({0xA0, 0, 1, 0, 0, 0, 0, 0, 1, 0, 0, 0}));
  EXPECT_EQ(GetBe32(&wk.data[0]), 0u);
}

TEST(LogSenseTest, SupportedPagesAndEachListedPageAnswer) {
  TestLu t;
  auto o = t.Run(Cdb({0x4D, 0, 0x00, 0, 0, 0, 0, 1, 0, 0}));
  ASSERT_TRUE(o.result.good());
  size_t n = GetBe16(&o.data[2]);
  for (size_t i = 0; i < n; ++i) {
    auto page = t.Run(Cdb({0x4D, 0, 0x40 | o.data[4 + i], 0, 0, 0, 0, 1, 0, 0}));
    EXPECT_TRUE(page.result.good());
    EXPECT_EQ(page.data[0] & 0x3F, o.data[4 + i]);
  }
  EXPECT_TRUE(t.Run(Cdb({0x4D, 0, 0x00, 0xFF, 0, 0, 0, 1, 0, 0})).result.good());
}

TEST(LogSenseTest, RejectsUnknownPageSaveAndPointerPastTheEnd) {
  TestLu t;
  EXPECT_TRUE(
      IsSense(t.Run(Cdb({0x4D, 0, 0x33, 0, 0, 0, 0, 1, 0, 0})), SenseKey::kIllegalRequest, 0x2400));
  EXPECT_TRUE(
      IsSense(t.Run(Cdb({0x4D, 1, 0x0D, 0, 0, 0, 0, 1, 0, 0})), SenseKey::kIllegalRequest, 0x2400));
  EXPECT_TRUE(
      IsSense(t.Run(Cdb({0x4D, 0, 0x0D, 0, 0, 0, 5, 1, 0, 0})), SenseKey::kIllegalRequest, 0x2400));
}

std::vector<uint8_t> Rsoc(int options, int opcode, int sa, bool rctd = false) {
  return Cdb(
      {0xA3, 0x0C, (rctd ? 0x80 : 0) | options, opcode, sa >> 8, sa & 255, 0, 0, 0x10, 0, 0, 0});
}

TEST(ReportSupportedOpcodesTest, ListsTheWholeTableWithOptionalTimeouts) {
  TestLu t;
  auto all = t.Run(Rsoc(0, 0, 0));
  ASSERT_TRUE(all.result.good());
  EXPECT_EQ(GetBe32(&all.data[0]), 8 * OpcodeTable().size());
  auto rctd = t.Run(Rsoc(0, 0, 0, true));
  EXPECT_EQ(GetBe32(&rctd.data[0]), 20 * OpcodeTable().size());
  EXPECT_EQ(rctd.data[4 + 5] & 0x02, 0x02);
  EXPECT_EQ(GetBe16(&rctd.data[4 + 8]), 0x0A);
}

TEST(ReportSupportedOpcodesTest, OneCommandReturnsItsUsageData) {
  TestLu t;
  auto o = t.Run(Rsoc(1, 0x28, 0));
  ASSERT_TRUE(o.result.good());
  EXPECT_EQ(o.data[1] & 7, 3);
  EXPECT_EQ(GetBe16(&o.data[2]), 10);
  EXPECT_EQ(o.data[4], 0x28);
  auto sa = t.Run(Rsoc(2, 0x9E, 0x10, true));
  EXPECT_EQ(sa.data[1], 0x83);
  EXPECT_EQ(sa.data.size(), 4u + 16 + 12);
  EXPECT_EQ(t.Run(Rsoc(1, 0xC7, 0)).data[1] & 7, 1);
  EXPECT_EQ(t.Run(Rsoc(3, 0x9E, 0x11)).data[1] & 7, 1);
}

TEST(ReportSupportedOpcodesTest, RejectsOptionThatDoesNotFitTheOpcode) {
  TestLu t;
  EXPECT_TRUE(IsSense(t.Run(Rsoc(1, 0x9E, 0)), SenseKey::kIllegalRequest, 0x2400));
  EXPECT_TRUE(IsSense(t.Run(Rsoc(2, 0x28, 0)), SenseKey::kIllegalRequest, 0x2400));
  EXPECT_TRUE(IsSense(t.Run(Rsoc(5, 0x28, 0)), SenseKey::kIllegalRequest, 0x2400));
}

TEST(ReportSupportedTmfTest, ReportsBasicAndExtendedFormats) {
  TestLu t;
  auto o = t.Run(Cdb({0xA3, 0x0D, 0, 0, 0, 0, 0, 0, 0, 16, 0, 0}));
  ASSERT_EQ(o.data.size(), 4u);
  EXPECT_EQ(o.data[0] & 0x80, 0x80);
  EXPECT_EQ(o.data[1] & 0x01, 0x01);
  auto ext = t.Run(Cdb({0xA3, 0x0D, 0x80, 0, 0, 0, 0, 0, 0, 16, 0, 0}));
  ASSERT_EQ(ext.data.size(), 16u);
  EXPECT_EQ(ext.data[3], 0x0C);
}

TEST(TargetPortGroupsTest, ReportsGroupsInBothFormats) {
  TestLu t;
  t.lu.SetTargetPortGroups({{1, AluaState::kActiveOptimized, true, AluaStatusCode::kNone, {1, 2}},
                            {2, AluaState::kStandby, false, AluaStatusCode::kNone, {256}}});
  t.lu.unit_attentions(t.a).ClearAll();
  auto o = t.Run(Cdb({0xA3, 0x0A, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0}));
  ASSERT_TRUE(o.result.good());
  EXPECT_EQ(GetBe32(&o.data[0]), 8u + 8 + 4 * 3);
  EXPECT_EQ(o.data[4], 0x80);
  EXPECT_EQ(GetBe16(&o.data[6]), 1);
  EXPECT_EQ(o.data[11], 2);
  auto ext = t.Run(Cdb({0xA3, 0x2A, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0}));
  EXPECT_EQ(ext.data[4], 0x10);
  EXPECT_EQ(ext.data[5], 10);
  EXPECT_TRUE(IsSense(t.Run(Cdb({0xA3, 0x4A, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0})),
                      SenseKey::kIllegalRequest, 0x2400));
}

TEST(TargetPortGroupsTest, WithoutAluaReportsOneActiveGroup) {
  TestLu t;
  auto o = t.Run(Cdb({0xA3, 0x0A, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0}));
  EXPECT_EQ(GetBe32(&o.data[0]), 12u);
  EXPECT_EQ(o.data[4] & 0x0F, 0);
}

TEST(TargetPortGroupsTest, SetTargetPortGroupsAppliesExplicitChange) {
  auto cfg = testing::DefaultConfig();
  cfg.explicit_alua = true;
  TestLu t(cfg);
  t.lu.SetTargetPortGroups({{1, AluaState::kActiveOptimized, false, AluaStatusCode::kNone, {1}},
                            {2, AluaState::kStandby, false, AluaStatusCode::kNone, {2}}});
  t.lu.unit_attentions(t.a).ClearAll();
  t.lu.unit_attentions(t.b).ClearAll();
  std::vector<uint8_t> p = {0, 0, 0, 0, 0x02, 0, 0, 1, 0x00, 0, 0, 2};
  ASSERT_TRUE(t.Run(Cdb({0xA4, 0x0A, 0, 0, 0, 0, 0, 0, 0, 12, 0, 0}), p).result.good());
  EXPECT_EQ(t.lu.target_port_groups()[1].state, AluaState::kActiveOptimized);
  EXPECT_EQ(t.lu.target_port_groups()[0].state, AluaState::kStandby);
  EXPECT_TRUE(t.lu.unit_attentions(t.a).empty());
  EXPECT_TRUE(t.lu.unit_attentions(t.b).Has(UnitAttention::kAsymmetricAccessStateChanged));
}

TEST(TargetPortGroupsTest, SetTargetPortGroupsRejectsUnknownGroupAndImplicitOnlyLu) {
  auto cfg = testing::DefaultConfig();
  cfg.explicit_alua = true;
  TestLu t(cfg);
  t.lu.SetTargetPortGroups({{1, AluaState::kActiveOptimized, false, AluaStatusCode::kNone, {1}}});
  t.lu.unit_attentions(t.a).ClearAll();
  std::vector<uint8_t> p = {0, 0, 0, 0, 0x00, 0, 0, 9};
  EXPECT_TRUE(IsSense(t.Run(Cdb({0xA4, 0x0A, 0, 0, 0, 0, 0, 0, 0, 8, 0, 0}), p),
                      SenseKey::kIllegalRequest, 0x2600));
  TestLu implicit_only;
  EXPECT_TRUE(IsSense(implicit_only.Run(Cdb({0xA4, 0x0A, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0})),
                      SenseKey::kIllegalRequest, 0x2000));
}

}  // namespace
}  // namespace openstmf::scsi
