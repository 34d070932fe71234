// MODE SENSE / MODE SELECT through the dispatcher and ModePages directly.
#include "scsi/mode_pages.h"

#include <gtest/gtest.h>

#include "base/byte_order.h"
#include "scsi_test_util.h"

namespace openstmf::scsi {
namespace {

using testing::Cdb;
using testing::IsSense;
using testing::TestLu;

std::vector<uint8_t> Sense6(int dbd, int pc_page, int subpage = 0, int alloc = 255) {
  return Cdb({0x1A, dbd ? 0x08 : 0, pc_page, subpage, alloc, 0});
}

// Walks the pages after the header and block descriptors.
std::vector<std::pair<int, int>> Pages(const std::vector<uint8_t>& d, bool is10) {
  std::vector<std::pair<int, int>> out;
  size_t at = is10 ? 8 + GetBe16(&d[6]) : 4 + d[3];
  while (at + 2 <= d.size()) {
    bool spf = d[at] & 0x40;
    int page = d[at] & 0x3F, sub = spf ? d[at + 1] : 0;
    out.push_back({page, sub});
    at += spf ? 4 + GetBe16(&d[at + 2]) : 2 + d[at + 1];
  }
  return out;
}

TEST(ModeSenseTest, AllPagesReturnsEveryPageWithBlockDescriptor) {
  TestLu t;
  auto o = t.Run(Sense6(0, 0x3F));
  ASSERT_TRUE(o.result.good());
  EXPECT_EQ(o.data[0], o.data.size() - 1);
  EXPECT_EQ(o.data[3], 8);
  EXPECT_EQ(GetBe32(&o.data[4]), 2048u);
  EXPECT_EQ(GetBe24(&o.data[9]), 512u);
  auto pages = Pages(o.data, false);
  std::vector<std::pair<int, int>> want = {{1, 0}, {2, 0}, {8, 0}, {0xA, 0}, {0x1C, 0}};
  EXPECT_EQ(pages, want);
  auto subs = Pages(t.Run(Sense6(1, 0x3F, 0xFF)).data, false);
  EXPECT_EQ(subs.size(), 6u);
}

TEST(ModeSenseTest, TenByteFormWithLongLbaDescriptor) {
  TestLu t;
  auto o = t.Run(Cdb({0x5A, 0x10, 0x08, 0, 0, 0, 0, 1, 0, 0}));
  ASSERT_TRUE(o.result.good());
  EXPECT_EQ(GetBe16(&o.data[0]), o.data.size() - 2);
  EXPECT_EQ(o.data[4] & 1, 1);
  EXPECT_EQ(GetBe16(&o.data[6]), 16);
  EXPECT_EQ(GetBe64(&o.data[8]), 2048u);
  EXPECT_EQ(o.data[24], 0x08);
}

TEST(ModeSenseTest, ChangeableValuesShowWceDsenseSwpAndTas) {
  TestLu t;
  auto cache = t.Run(Sense6(1, 0x40 | 0x08));
  EXPECT_EQ(cache.data[4 + 2], 0x04);
  auto control = t.Run(Sense6(1, 0x40 | 0x0A));
  EXPECT_EQ(control.data[4 + 2], 0x04);
  EXPECT_EQ(control.data[4 + 4], 0x08);
  EXPECT_EQ(control.data[4 + 5], 0x40);
  EXPECT_FALSE(t.lu.mode_pages().task_aborted_status());
  ASSERT_TRUE(testing::SetControlModeBits(t, 5, 0x40));
  EXPECT_TRUE(t.lu.mode_pages().task_aborted_status());
}

TEST(ModeSenseTest, SavedValuesAreNotSupportedUnlessTheLuCanSave) {
  TestLu t;
  EXPECT_TRUE(IsSense(t.Run(Sense6(1, 0xC0 | 0x08)), SenseKey::kIllegalRequest, 0x3900));
  auto cfg = testing::DefaultConfig();
  cfg.mode_pages_savable = true;
  TestLu s(cfg);
  auto o = s.Run(Sense6(1, 0xC0 | 0x08));
  ASSERT_TRUE(o.result.good());
  EXPECT_EQ(o.data[4] & 0x80, 0x80);  // PS
}

TEST(ModeSenseTest, RejectsUnknownPageAndSubpage) {
  TestLu t;
  auto o = t.Run(Sense6(1, 0x05));
  EXPECT_TRUE(IsSense(o, SenseKey::kIllegalRequest, 0x2400));
  EXPECT_EQ(o.result.field.byte, 2);
  auto s = t.Run(Sense6(1, 0x08, 0x05));
  EXPECT_EQ(s.result.field.byte, 3);
}

TEST(ModeSenseTest, WriteProtectShowsInDeviceSpecificParameter) {
  auto cfg = testing::DefaultConfig();
  cfg.write_protected = true;
  TestLu t(cfg);
  EXPECT_EQ(t.Run(Sense6(1, 0x3F)).data[2] & 0x80, 0x80);
}

std::vector<uint8_t> CachingPage(uint8_t flags) {
  std::vector<uint8_t> p = {0, 0, 0, 0, 0x08, 0x12, flags};
  p.resize(24, 0);
  return p;
}

TEST(ModeSelectTest, ChangesWriteCacheAndRaisesUnitAttentionForOthers) {
  TestLu t;
  ASSERT_TRUE(t.Run(Cdb({0x15, 0x10, 0, 0, 24, 0}), CachingPage(0)).result.good());
  EXPECT_FALSE(t.lu.mode_pages().write_cache_enabled());
  EXPECT_TRUE(t.lu.unit_attentions(t.a).empty());
  EXPECT_TRUE(t.lu.unit_attentions(t.b).Has(UnitAttention::kModeParametersChanged));
  auto o = t.Run(Sense6(1, 0x08));
  EXPECT_EQ(o.data[4 + 2] & 0x04, 0);
}

TEST(ModeSelectTest, RejectsChangesToUnchangeableBitsWithPointer) {
  TestLu t;
  auto p = CachingPage(0x04);
  p[4 + 3] = 0x01;
  auto o = t.Run(Cdb({0x15, 0x10, 0, 0, 24, 0}), p);
  ASSERT_TRUE(IsSense(o, SenseKey::kIllegalRequest, 0x2600));
  EXPECT_EQ(o.result.field.byte, 7);
  EXPECT_EQ(o.result.field.bit, 0);
  EXPECT_TRUE(t.lu.mode_pages().write_cache_enabled());
}

TEST(ModeSelectTest, RejectsBadLengthsUnknownPagesAndMissingPf) {
  TestLu t;
  auto p = CachingPage(0);
  p[5] = 0x10;
  EXPECT_TRUE(IsSense(t.Run(Cdb({0x15, 0x10, 0, 0, 24, 0}), p), SenseKey::kIllegalRequest, 0x2600));
  std::vector<uint8_t> unknown = {0, 0, 0, 0, 0x05, 0x02, 0, 0};
  EXPECT_TRUE(
      IsSense(t.Run(Cdb({0x15, 0x10, 0, 0, 8, 0}), unknown), SenseKey::kIllegalRequest, 0x2600));
  auto truncated = CachingPage(0);
  truncated.resize(10);
  EXPECT_TRUE(
      IsSense(t.Run(Cdb({0x15, 0x10, 0, 0, 10, 0}), truncated), SenseKey::kIllegalRequest, 0x1A00));
  EXPECT_TRUE(IsSense(t.Run(Cdb({0x15, 0x00, 0, 0, 24, 0}), CachingPage(0)),
                      SenseKey::kIllegalRequest, 0x2400));
  EXPECT_TRUE(IsSense(t.Run(Cdb({0x15, 0x11, 0, 0, 24, 0}), CachingPage(0)),
                      SenseKey::kIllegalRequest, 0x2400));
}

TEST(ModeSelectTest, AcceptsMatchingBlockDescriptorAndRejectsOtherBlockLength) {
  TestLu t;
  std::vector<uint8_t> p = {0, 0, 0, 8, 0, 0, 0, 0, 0, 0, 0x02, 0x00};
  EXPECT_TRUE(t.Run(Cdb({0x15, 0x10, 0, 0, 12, 0}), p).result.good());
  p[10] = 0x10;
  auto o = t.Run(Cdb({0x15, 0x10, 0, 0, 12, 0}), p);
  EXPECT_TRUE(IsSense(o, SenseKey::kIllegalRequest, 0x2600));
  EXPECT_EQ(o.result.field.byte, 9);
}

TEST(ModeSelectTest, TenByteFormAndSubpages) {
  TestLu t;
  std::vector<uint8_t> p(8, 0);
  std::vector<uint8_t> ext = {0x4A, 0x01, 0x00, 0x1C};
  ext.resize(32, 0);
  p.insert(p.end(), ext.begin(), ext.end());
  EXPECT_TRUE(t.Run(Cdb({0x55, 0x10, 0, 0, 0, 0, 0, 0, 40, 0}), p).result.good());
}

TEST(ModeSelectTest, SoftwareWriteProtectBlocksWrites) {
  TestLu t;
  std::vector<uint8_t> p = {0, 0, 0, 0, 0x0A, 0x0A, 0x00, 0x10, 0x08, 0, 0, 0, 0, 0, 0, 0};
  ASSERT_TRUE(t.Run(Cdb({0x15, 0x10, 0, 0, 16, 0}), p).result.good());
  EXPECT_TRUE(IsSense(t.Run(testing::Write10(0, 1)), SenseKey::kDataProtect, 0x2700));
  EXPECT_TRUE(t.Run(testing::Read10(0, 1)).result.good());
}

TEST(ModeSelectTest, SavingStoresAndLunResetRestores) {
  auto cfg = testing::DefaultConfig();
  cfg.mode_pages_savable = true;
  TestLu t(cfg);
  ASSERT_TRUE(t.Run(Cdb({0x15, 0x11, 0, 0, 24, 0}), CachingPage(0)).result.good());
  ASSERT_TRUE(t.Run(Cdb({0x15, 0x10, 0, 0, 24, 0}), CachingPage(0x04)).result.good());
  EXPECT_TRUE(t.lu.mode_pages().write_cache_enabled());
  t.lu.Reset();
  EXPECT_FALSE(t.lu.mode_pages().write_cache_enabled());
  ModePages copy(true, true);
  EXPECT_TRUE(copy.RestoreSaved(t.lu.mode_pages().saved_bytes()));
  copy.LoadSaved();
  EXPECT_FALSE(copy.write_cache_enabled());
}

}  // namespace
}  // namespace openstmf::scsi
