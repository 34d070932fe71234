// EXTENDED COPY (LID1): parameter list checks, the copy engine over RAM
// backends, copy targets on other LUs, and failures while segments run.
#include <gtest/gtest.h>

#include <cstring>
#include <deque>
#include <functional>

#include "base/byte_order.h"
#include "xcopy_test_util.h"

namespace openstmf::scsi {
namespace {

using testing::Cdb;
using testing::Fill;
using testing::IsSense;
using testing::RcrCdb;
using testing::ReadBack;
using testing::TestLu;
using testing::Xcopy;
using testing::XcopyCdb;
using testing::XcopyList;

TEST(ExtendedCopyTest, CopiesBlocksWithinTheLu) {
  TestLu t;
  Fill(t, 0, 16, 'A');
  XcopyList l;
  l.Target(t.lu.config().identity.guid);
  l.BlockToBlock(0, 0, 16, 0, 1000);
  auto o = Xcopy(t, l);
  ASSERT_TRUE(o.result.good());
  EXPECT_EQ(ReadBack(t, 1000, 16), std::vector<uint8_t>(16 * 512, 'A'));
  EXPECT_EQ(ReadBack(t, 1016, 1), std::vector<uint8_t>(512, 0));
}

TEST(ExtendedCopyTest, EmptyParameterListCopiesNothing) {
  TestLu t;
  EXPECT_TRUE(t.Run(XcopyCdb(0)).result.good());
}

TEST(ExtendedCopyTest, TruncatedDescriptorsAreParameterListLengthErrors) {
  TestLu t;
  XcopyList l;
  l.Target(t.lu.config().identity.guid);
  l.BlockToBlock(0, 0, 8, 0, 100);
  auto bytes = l.Bytes();
  for (size_t cut : {size_t{16 + 31}, size_t{16 + 32 + 27}, size_t{10}}) {
    std::vector<uint8_t> part(bytes.begin(), bytes.begin() + cut);
    auto o = t.Run(XcopyCdb(part.size()), part);
    EXPECT_TRUE(IsSense(o, SenseKey::kIllegalRequest, 0x1A00)) << cut;
  }
}

TEST(ExtendedCopyTest, RejectsMoreDescriptorsThanAdvertised) {
  TestLu t;
  XcopyList many_targets;
  for (int i = 0; i < 9; ++i) many_targets.Target(t.lu.config().identity.guid);
  many_targets.BlockToBlock(0, 0, 1, 0, 1);
  EXPECT_TRUE(IsSense(Xcopy(t, many_targets), SenseKey::kIllegalRequest, 0x2606));
  XcopyList many_segments;
  many_segments.Target(t.lu.config().identity.guid);
  for (int i = 0; i < 65; ++i) many_segments.BlockToBlock(0, 0, 1, 0, 1);
  EXPECT_TRUE(IsSense(Xcopy(t, many_segments), SenseKey::kIllegalRequest, 0x2608));
  // Over MAXIMUM DESCRIPTOR LIST LENGTH the length error comes first.
  XcopyList too_long;
  for (int i = 0; i < 9; ++i) too_long.Target(t.lu.config().identity.guid);
  for (int i = 0; i < 140; ++i) too_long.BlockToBlock(0, 0, 1, 0, 1);
  EXPECT_TRUE(IsSense(Xcopy(t, too_long), SenseKey::kIllegalRequest, 0x1A00));
}

TEST(ExtendedCopyTest, UnsupportedDescriptorCodesPointAtTheDescriptor) {
  TestLu t;
  XcopyList fc;
  fc.Target(t.lu.config().identity.guid, 512, 0xE0);
  fc.BlockToBlock(0, 0, 1, 0, 1);
  auto o = Xcopy(t, fc);
  ASSERT_TRUE(IsSense(o, SenseKey::kIllegalRequest, 0x2607));
  EXPECT_TRUE(o.result.field.valid);
  EXPECT_FALSE(o.result.field.in_cdb);
  EXPECT_EQ(o.result.field.byte, 16);
  XcopyList stream;
  stream.Target(t.lu.config().identity.guid);
  stream.BlockToBlock(0, 0, 1, 0, 1, 0x03);
  EXPECT_TRUE(IsSense(Xcopy(t, stream), SenseKey::kIllegalRequest, 0x2609));
}

TEST(ExtendedCopyTest, ListIdUsageRules) {
  TestLu t;
  XcopyList l;
  l.Target(t.lu.config().identity.guid);
  l.BlockToBlock(0, 0, 1, 0, 1);
  l.usage = 1;  // reserved
  EXPECT_TRUE(IsSense(Xcopy(t, l), SenseKey::kIllegalRequest, 0x2600));
  l.usage = 3;  // no list identifier: it must be zero
  EXPECT_TRUE(IsSense(Xcopy(t, l), SenseKey::kIllegalRequest, 0x2600));
  l.list_id = 0;
  EXPECT_TRUE(Xcopy(t, l).result.good());
}

TEST(ExtendedCopyTest, MissingTargetIndexAbortsWithSegmentNumber) {
  TestLu t;
  XcopyList l;
  l.Target(t.lu.config().identity.guid);
  l.BlockToBlock(0, 0, 1, 0, 1);
  l.BlockToBlock(0, 1, 1, 0, 2);
  auto o = Xcopy(t, l);
  ASSERT_TRUE(IsSense(o, SenseKey::kCopyAborted, 0x0804));
  EXPECT_TRUE(o.result.csi_valid);
  EXPECT_EQ(o.result.command_specific, 1u);
  ASSERT_GE(o.sense.size(), 12u);
  EXPECT_EQ(GetBe32(&o.sense[8]), 1u);  // COMMAND-SPECIFIC INFORMATION
}

TEST(ExtendedCopyTest, BeyondCapacityOrUnknownLuIsUnreachable) {
  TestLu t;
  XcopyList beyond;
  beyond.Target(t.lu.config().identity.guid);
  beyond.BlockToBlock(0, 0, 16, 0, 2047);
  EXPECT_TRUE(IsSense(Xcopy(t, beyond), SenseKey::kCopyAborted, 0x0D02));
  XcopyList unknown;
  std::array<uint8_t, 16> other{};
  other[0] = 0x60;
  unknown.Target(other);
  unknown.BlockToBlock(0, 0, 1, 0, 1);
  EXPECT_TRUE(IsSense(Xcopy(t, unknown), SenseKey::kCopyAborted, 0x0D02));
  XcopyList wrong_size;
  wrong_size.Target(t.lu.config().identity.guid, 4096);
  wrong_size.BlockToBlock(0, 0, 1, 0, 1);
  EXPECT_TRUE(IsSense(Xcopy(t, wrong_size), SenseKey::kCopyAborted, 0x0D03));
}

TEST(ExtendedCopyTest, WriteProtectedDestinationAbortsTheCopy) {
  TestLu t;
  t.lu.SetWriteProtected(true);
  XcopyList l;
  l.Target(t.lu.config().identity.guid);
  l.BlockToBlock(0, 0, 1, 0, 1);
  EXPECT_TRUE(IsSense(Xcopy(t, l), SenseKey::kCopyAborted, 0x0D02));
}

TEST(ExtendedCopyTest, ByteOffsetSegmentsReadModifyWriteTheDestination) {
  TestLu t;
  Fill(t, 0, 2, 'S');
  Fill(t, 10, 2, 'D');
  XcopyList l;
  l.Target(t.lu.config().identity.guid);
  l.WithOffsets(700, 0, 100, 10, 200);
  ASSERT_TRUE(Xcopy(t, l).result.good());
  auto got = ReadBack(t, 10, 2);
  std::vector<uint8_t> want(1024, 'D');
  std::memset(want.data() + 200, 'S', 700);
  EXPECT_EQ(got, want);
}

TEST(ExtendedCopyTest, OverlappingCopyForwardWithinOneLuKeepsTheSource) {
  TestLu t;
  std::vector<uint8_t> pattern(2048 * 4);
  for (size_t i = 0; i < pattern.size(); ++i) pattern[i] = static_cast<uint8_t>(i / 512);
  ASSERT_TRUE(t.Run(testing::Write10(0, 16), std::vector<uint8_t>(pattern.begin(), pattern.end()))
                  .result.good());
  XcopyList l;
  l.Target(t.lu.config().identity.guid);
  l.BlockToBlock(0, 0, 12, 0, 4);  // destination overlaps the source's tail
  ASSERT_TRUE(Xcopy(t, l).result.good());
  auto got = ReadBack(t, 4, 12);
  EXPECT_EQ(got, std::vector<uint8_t>(pattern.begin(), pattern.begin() + 12 * 512));
}

TEST(ExtendedCopyTest, CopiesLargerThanOneChunk) {
  auto cfg = testing::DefaultConfig();
  cfg.block_count = 8192;
  TestLu t(cfg);
  std::vector<uint8_t> data(3000 * 512);
  for (size_t i = 0; i < data.size(); ++i) data[i] = static_cast<uint8_t>(i * 7);
  ASSERT_TRUE(t.Run(testing::Write10(0, 3000), data).result.good());
  XcopyList l;
  l.Target(cfg.identity.guid);
  l.BlockToBlock(0, 0, 3000, 0, 4000);
  ASSERT_TRUE(Xcopy(t, l).result.good());
  auto got = ReadBack(t, 4000, 1500);
  auto tail = ReadBack(t, 5500, 1500);
  got.insert(got.end(), tail.begin(), tail.end());
  EXPECT_EQ(got, data);
}

class MapResolver : public CopyTargetResolver {
 public:
  Lu* ResolveCopyTarget(const CopyDesignator& d, const Lu&) override {
    for (Lu* lu : lus) {
      if (d.designator.size() == 16 &&
          std::memcmp(d.designator.data(), lu->config().identity.guid.data(), 16) == 0)
        return lu;
    }
    return nullptr;
  }
  std::vector<Lu*> lus;
};

TEST(ExtendedCopyTest, CopiesToAnotherLuThroughTheResolver) {
  TestLu src;
  auto cfg = testing::DefaultConfig();
  cfg.identity.guid[15] = 0xEE;
  TestLu dst(cfg);
  MapResolver resolver;
  resolver.lus = {&dst.lu};
  src.lu.set_copy_target_resolver(&resolver);
  Fill(src, 5, 4, 'X');
  XcopyList l;
  l.Target(src.lu.config().identity.guid);
  l.Target(cfg.identity.guid);
  l.BlockToBlock(0, 1, 4, 5, 50);
  ASSERT_TRUE(Xcopy(src, l).result.good());
  EXPECT_EQ(ReadBack(dst, 50, 4), std::vector<uint8_t>(4 * 512, 'X'));
  EXPECT_EQ(ReadBack(src, 50, 4), std::vector<uint8_t>(4 * 512, 0));
}

TEST(ExtendedCopyTest, IoErrorIsThirdPartyDeviceFailureWithFailedSegmentDetails) {
  TestLu t;
  XcopyList l;
  l.Target(t.lu.config().identity.guid);
  l.BlockToBlock(0, 0, 1, 0, 1);
  t.backend.InjectFault(IoError::kMedium);
  auto o = Xcopy(t, l);
  ASSERT_TRUE(IsSense(o, SenseKey::kCopyAborted, 0x0D01));
  auto d = t.Run(RcrCdb(0x04, 1));
  ASSERT_TRUE(d.result.good());
  ASSERT_GE(d.data.size(), 60u + 18);
  EXPECT_EQ(d.data[57], 0x02);  // CHECK CONDITION
  EXPECT_EQ(GetBe16(&d.data[58]), d.data.size() - 60);
  EXPECT_EQ(d.data[60 + 2] & 0x0F, 0x0A);  // COPY ABORTED
  auto st = t.Run(RcrCdb(0x00, 1));
  ASSERT_TRUE(st.result.good());
  EXPECT_EQ(st.data[4], 0x02);  // failed
  // Details are discarded once returned; the status record stays.
  EXPECT_EQ(GetBe32(t.Run(RcrCdb(0x04, 1)).data.data()), 0u);
}

}  // namespace
}  // namespace openstmf::scsi
