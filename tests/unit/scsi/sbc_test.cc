// SBC-3 handlers against the RAM backend.
#include <gtest/gtest.h>

#include "base/byte_order.h"
#include "scsi_test_util.h"

namespace openstmf::scsi {
namespace {

using testing::Cdb;
using testing::Cdb16;
using testing::IsSense;
using testing::Read10;
using testing::TestLu;
using testing::Write10;

std::vector<uint8_t> Pattern(size_t n, uint8_t seed) {
  std::vector<uint8_t> v(n);
  for (size_t i = 0; i < n; ++i) v[i] = static_cast<uint8_t>(seed + i * 7);
  return v;
}

TEST(ReadWriteTest, WriteThenReadReturnsTheSameBytesForEveryCdbSize) {
  TestLu t;
  auto data = Pattern(2 * 512, 3);
  ASSERT_TRUE(t.Run(Write10(10, 2), data).result.good());
  EXPECT_EQ(t.Run(Read10(10, 2)).data, data);
  EXPECT_EQ(t.Run(Cdb({0x08, 0, 0, 10, 2, 0})).data, data);
  EXPECT_EQ(t.Run(Cdb({0xA8, 0, 0, 0, 0, 10, 0, 0, 0, 2, 0, 0})).data, data);
  EXPECT_EQ(t.Run(Cdb16(0x88, 0, 10, 2)).data, data);
  auto data2 = Pattern(512, 9);
  ASSERT_TRUE(t.Run(Cdb({0x0A, 0, 0, 20, 1, 0}), data2).result.good());
  ASSERT_TRUE(t.Run(Cdb({0xAA, 0, 0, 0, 0, 21, 0, 0, 0, 1, 0, 0}), data2).result.good());
  ASSERT_TRUE(t.Run(Cdb16(0x8A, 0, 22, 1), data2).result.good());
  EXPECT_EQ(t.Run(Read10(22, 1)).data, data2);
}

TEST(ReadWriteTest, Read6WithZeroLengthReads256Blocks) {
  TestLu t;
  auto o = t.Run(Cdb({0x08, 0, 0, 0, 0, 0}));
  ASSERT_TRUE(o.result.good());
  EXPECT_EQ(o.data.size(), 256u * 512);
}

TEST(ReadWriteTest, ZeroLengthReadIsGoodWithoutData) {
  TestLu t;
  auto o = t.Run(Read10(0, 0));
  EXPECT_TRUE(o.result.good());
  EXPECT_TRUE(o.data.empty());
}

TEST(ReadWriteTest, FuaOrDisabledWriteCacheMakesWritesDurable) {
  TestLu t;
  ASSERT_TRUE(t.Run(Write10(0, 1, 0x08), Pattern(512, 1)).result.good());
  EXPECT_EQ(t.backend.fua_writes(), 1u);
  ASSERT_TRUE(t.Run(Write10(0, 1), Pattern(512, 1)).result.good());
  EXPECT_EQ(t.backend.fua_writes(), 1u);
  std::vector<uint8_t> wce_off = {0, 0, 0, 0, 0x08, 0x12, 0x00};
  wce_off.resize(4 + 20, 0);
  ASSERT_TRUE(t.Run(Cdb({0x15, 0x10, 0, 0, 24, 0}), wce_off).result.good());
  ASSERT_TRUE(t.Run(Write10(0, 1), Pattern(512, 1)).result.good());
  EXPECT_EQ(t.backend.fua_writes(), 2u);
}

TEST(ReadWriteTest, WriteAtomicIsInvalidOpcodeWhenNotAdvertised) {
  TestLu t;
  EXPECT_TRUE(IsSense(t.Run(Cdb16(0x9C, 0, 0, 0)), SenseKey::kIllegalRequest, 0x2000));
}

TEST(ReadWriteTest, WriteAtomicHonoursLimits) {
  auto cfg = testing::DefaultConfig();
  cfg.limits.max_atomic_blocks = 4;
  cfg.limits.atomic_alignment = 2;
  TestLu t(cfg);
  auto cdb = [](uint64_t lba, uint16_t blocks) {
    auto c = Cdb16(0x9C, 0, lba, 0);
    c[12] = static_cast<uint8_t>(blocks >> 8);
    c[13] = static_cast<uint8_t>(blocks);
    return c;
  };
  EXPECT_TRUE(t.Run(cdb(2, 4), Pattern(2048, 4)).result.good());
  EXPECT_EQ(t.Run(Read10(2, 4)).data, Pattern(2048, 4));
  EXPECT_TRUE(IsSense(t.Run(cdb(2, 5)), SenseKey::kIllegalRequest, 0x2400));
  EXPECT_TRUE(IsSense(t.Run(cdb(3, 2)), SenseKey::kIllegalRequest, 0x2400));
}

TEST(VerifyTest, ByteCheckComparesAndReportsMiscompareOffset) {
  TestLu t;
  auto data = Pattern(1024, 5);
  ASSERT_TRUE(t.Run(Write10(100, 2), data).result.good());
  auto verify = Cdb({0x2F, 0x02, 0, 0, 0, 100, 0, 0, 2, 0});
  EXPECT_TRUE(t.Run(verify, data).result.good());
  data[700] ^= 1;
  auto o = t.Run(verify, data);
  EXPECT_TRUE(IsSense(o, SenseKey::kMiscompare, 0x1D00));
  EXPECT_EQ(o.result.information, 700u);
}

TEST(VerifyTest, ByteCheckThreeComparesEveryBlockWithOne) {
  TestLu t;
  auto block = Pattern(512, 8);
  std::vector<uint8_t> two = block;
  two.insert(two.end(), block.begin(), block.end());
  ASSERT_TRUE(t.Run(Write10(0, 2), two).result.good());
  auto o = t.Run(Cdb16(0x8F, 0x06, 0, 2), block);
  EXPECT_EQ(o.transfer_length, 512u);
  EXPECT_TRUE(o.result.good());
}

TEST(VerifyTest, ByteCheckTwoIsInvalidAndZeroNeedsNoData) {
  TestLu t;
  EXPECT_TRUE(IsSense(t.Run(Cdb({0xAF, 0x04, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0})),
                      SenseKey::kIllegalRequest, 0x2400));
  auto o = t.Run(Cdb({0x2F, 0, 0, 0, 0, 0, 0, 0, 1, 0}));
  EXPECT_TRUE(o.result.good());
  EXPECT_EQ(o.direction, DataDirection::kNone);
}

TEST(VerifyTest, MediumVerificationReadsTheMediumAndReportsErrors) {
  TestLu t;
  t.backend.InjectFault(IoError::kMedium);
  auto o = t.Run(Cdb({0x2F, 0, 0, 0, 0, 5, 0, 0, 4, 0}));
  ASSERT_TRUE(IsSense(o, SenseKey::kMediumError, 0x1100));
  EXPECT_TRUE(o.result.info_valid);
  EXPECT_EQ(o.result.information, 5u);
  EXPECT_TRUE(t.Run(Cdb({0x2F, 0, 0, 0, 0, 5, 0, 0, 4, 0})).result.good());
}

TEST(WriteAndVerifyTest, WritesAndVerifiesForAllSizes) {
  TestLu t;
  auto data = Pattern(512, 11);
  EXPECT_TRUE(t.Run(Cdb({0x2E, 0x02, 0, 0, 0, 1, 0, 0, 1, 0}), data).result.good());
  EXPECT_TRUE(t.Run(Cdb({0xAE, 0x02, 0, 0, 0, 2, 0, 0, 0, 1, 0, 0}), data).result.good());
  EXPECT_TRUE(t.Run(Cdb16(0x8E, 0, 3, 1), data).result.good());
  EXPECT_EQ(t.Run(Read10(3, 1)).data, data);
  EXPECT_TRUE(IsSense(t.Run(Cdb16(0x8E, 0x04, 3, 1), data), SenseKey::kIllegalRequest, 0x2400));
}

TEST(OrWriteTest, OrsDataIntoTheMedium) {
  TestLu t;
  std::vector<uint8_t> a(512, 0x0F), b(512, 0xF0);
  ASSERT_TRUE(t.Run(Write10(9, 1), a).result.good());
  ASSERT_TRUE(t.Run(Cdb16(0x8B, 0, 9, 1), b).result.good());
  EXPECT_EQ(t.Run(Read10(9, 1)).data, std::vector<uint8_t>(512, 0xFF));
}

TEST(CompareAndWriteTest, WritesWhenTheCompareMatches) {
  TestLu t;
  auto old_data = Pattern(512, 1), new_data = Pattern(512, 2);
  ASSERT_TRUE(t.Run(Write10(4, 1), old_data).result.good());
  std::vector<uint8_t> buf = old_data;
  buf.insert(buf.end(), new_data.begin(), new_data.end());
  auto caw = Cdb({0x89, 0, 0, 0, 0, 0, 0, 0, 0, 4, 0, 0, 0, 1, 0, 0});
  ASSERT_TRUE(t.Run(caw, buf).result.good());
  EXPECT_EQ(t.Run(Read10(4, 1)).data, new_data);
  // Same again now miscompares at byte 0 and leaves the medium alone.
  auto o = t.Run(caw, buf);
  EXPECT_TRUE(IsSense(o, SenseKey::kMiscompare, 0x1D00));
  EXPECT_EQ(o.result.information, 0u);  // the very first byte differs
  EXPECT_EQ(t.Run(Read10(4, 1)).data, new_data);
}

TEST(CompareAndWriteTest, RejectsMoreBlocksThanTheLimit) {
  auto cfg = testing::DefaultConfig();
  cfg.limits.max_compare_write_blocks = 1;
  TestLu t(cfg);
  auto o = t.Run(Cdb({0x89, 0, 0, 0, 0, 0, 0, 0, 0, 4, 0, 0, 0, 2, 0, 0}));
  EXPECT_TRUE(IsSense(o, SenseKey::kIllegalRequest, 0x2400));
  EXPECT_EQ(o.result.field.byte, 13);
}

TEST(CapacityTest, ReadCapacity10And16DescribeTheMedium) {
  TestLu t;
  auto o10 = t.Run(Cdb({0x25, 0, 0, 0, 0, 0, 0, 0, 0, 0}));
  ASSERT_TRUE(o10.result.good());
  EXPECT_EQ(GetBe32(&o10.data[0]), 2047u);
  EXPECT_EQ(GetBe32(&o10.data[4]), 512u);
  auto o16 = t.Run(Cdb16(0x9E, 0x10, 0, 32));
  ASSERT_EQ(o16.data.size(), 32u);
  EXPECT_EQ(GetBe64(&o16.data[0]), 2047u);
  EXPECT_EQ(o16.data[14] & 0xC0, 0xC0);  // LBPME, LBPRZ
}

TEST(CapacityTest, ReadCapacity10RejectsLbaWithoutPmi) {
  TestLu t;
  EXPECT_TRUE(
      IsSense(t.Run(Cdb({0x25, 0, 0, 0, 0, 1, 0, 0, 0, 0})), SenseKey::kIllegalRequest, 0x2400));
}

TEST(CapacityTest, ReadCapacity16TruncatesAtAllocationLength) {
  TestLu t;
  EXPECT_EQ(t.Run(Cdb16(0x9E, 0x10, 0, 8)).data.size(), 8u);
}

TEST(CapacityTest, ReadCapacity10SaturatesLargeLus) {
  auto cfg = testing::DefaultConfig();
  cfg.block_count = 1ull << 33;
  RamBackend small(512, 8);
  Lu lu(cfg, &small);
  NexusId n = lu.AttachNexus(testing::NexusNamed("iqn.x", 1), false);
  std::vector<uint8_t> cdb = Cdb({0x25, 0, 0, 0, 0, 0, 0, 0, 0, 0});
  std::vector<uint8_t> in(8);
  ScsiCommand cmd;
  cmd.cdb_bytes = cdb.data();
  cmd.cdb_size = cdb.size();
  cmd.nexus = n;
  cmd.data_in = in;
  Dispatch(lu, cmd);
  ASSERT_TRUE(cmd.result.good());
  EXPECT_EQ(GetBe32(&in[0]), 0xFFFFFFFFu);
}

TEST(LbaStatusTest, ReportsMappedAndDeallocatedExtents) {
  TestLu t;
  ASSERT_TRUE(t.Run(Write10(4, 4), Pattern(2048, 1)).result.good());
  auto o = t.Run(Cdb16(0x9E, 0x12, 0, 1024));
  ASSERT_TRUE(o.result.good());
  ASSERT_EQ(o.data.size(), 8u + 3 * 16);
  EXPECT_EQ(GetBe32(&o.data[0]), 4u + 3 * 16);
  EXPECT_EQ(GetBe64(&o.data[8]), 0u);
  EXPECT_EQ(GetBe32(&o.data[16]), 4u);
  EXPECT_EQ(o.data[20], 1);  // deallocated
  EXPECT_EQ(GetBe64(&o.data[24]), 4u);
  EXPECT_EQ(o.data[36], 0);  // mapped
  EXPECT_EQ(GetBe64(&o.data[40]), 8u);
}

// A store that reports extents in 4 KiB file system blocks starting before
// the offset asked for, as SEEK_HOLE on a sparse file does.
class CoarseExtentsBackend final : public BlockBackend {
 public:
  void Read(uint64_t, std::span<uint8_t>, uint32_t, IoDone done) override { done(IoResult{}); }
  void Write(uint64_t, std::span<const uint8_t>, uint32_t, IoDone done) override {
    done(IoResult{});
  }
  void Flush(uint64_t, uint64_t, IoDone done) override { done(IoResult{}); }
  void Unmap(std::span<const ByteRange>, IoDone done) override { done(IoResult{}); }
  void WriteSame(ByteRange, std::span<const uint8_t>, uint32_t, IoDone done) override {
    done(IoResult{});
  }
  void GetLbaStatus(uint64_t, std::span<Extent> out, size_t* count, IoDone done) override {
    // Hole 0..3584 (part of the first 4 KiB), data 3584..8192, hole to 1 MiB.
    Extent e[] = {{0, 3584, Provisioning::kDeallocated},
                  {3584, 4608, Provisioning::kMapped},
                  {8192, 1000, Provisioning::kMapped},
                  {9192, (1u << 20) - 9192, Provisioning::kDeallocated}};
    *count = std::min(out.size(), std::size(e));
    for (size_t i = 0; i < *count; ++i) out[i] = e[i];
    done(IoResult{});
  }
};

TEST(LbaStatusTest, FirstDescriptorStartsAtTheRequestedLbaInWholeBlocks) {
  CoarseExtentsBackend backend;
  Lu lu(testing::DefaultConfig(), &backend);
  NexusId n = lu.AttachNexus(testing::NexusNamed("iqn.1994-05.com.example:a", 1), false);
  auto cdb = Cdb16(0x9E, 0x12, 8, 1024);
  std::vector<uint8_t> in(1024);
  ScsiCommand cmd;
  cmd.cdb_bytes = cdb.data();
  cmd.cdb_size = cdb.size();
  cmd.nexus = n;
  cmd.data_in = in;
  Dispatch(lu, cmd);
  ASSERT_TRUE(cmd.result.good());
  ASSERT_EQ(cmd.data_in_length, 8u + 2 * 16);
  EXPECT_EQ(GetBe64(&in[8]), 8u);    // not the extent's own start
  EXPECT_EQ(GetBe32(&in[16]), 10u);  // 8..18: the partial block 17 is mapped
  EXPECT_EQ(in[20], 0);
  EXPECT_EQ(GetBe64(&in[24]), 18u);
  EXPECT_EQ(in[36], 1);
}

TEST(LbaStatusTest, RejectsLbaBeyondCapacity) {
  TestLu t;
  EXPECT_TRUE(IsSense(t.Run(Cdb16(0x9E, 0x12, 2048, 64)), SenseKey::kIllegalRequest, 0x2100));
}

TEST(SyncCacheTest, FlushesTheBackend) {
  TestLu t;
  EXPECT_TRUE(t.Run(Cdb({0x35, 0, 0, 0, 0, 0, 0, 0, 0, 0})).result.good());
  EXPECT_TRUE(t.Run(Cdb16(0x91, 0x02, 0, 8)).result.good());
  EXPECT_EQ(t.backend.flushes(), 2u);
  EXPECT_TRUE(IsSense(t.Run(Cdb16(0x91, 0, 2040, 16)), SenseKey::kIllegalRequest, 0x2100));
}

TEST(SyncCacheTest, ImmedAnswersBeforeTheFlushCompletes) {
  TestLu t;
  // The status cannot carry the flush's outcome: it was sent before.
  t.backend.InjectFault(IoError::kMedium);
  EXPECT_TRUE(t.Run(Cdb({0x35, 0x02, 0, 0, 0, 0, 0, 0, 0, 0})).result.good());
  t.backend.InjectFault(IoError::kMedium);
  EXPECT_FALSE(t.Run(Cdb({0x35, 0, 0, 0, 0, 0, 0, 0, 0, 0})).result.good());
}

TEST(PreFetchTest, AnswersGoodInsideTheMediumOnly) {
  TestLu t;
  EXPECT_TRUE(t.Run(Cdb({0x34, 0, 0, 0, 0x07, 0xFF, 0, 0, 1, 0})).result.good());
  EXPECT_TRUE(IsSense(t.Run(Cdb16(0x90, 0, 2048, 1)), SenseKey::kIllegalRequest, 0x2100));
}

TEST(WriteSameTest, FillsTheRangeWithOneBlock) {
  TestLu t;
  auto block = Pattern(512, 42);
  ASSERT_TRUE(t.Run(Cdb({0x41, 0, 0, 0, 0, 50, 0, 0, 3, 0}), block).result.good());
  auto o = t.Run(Read10(50, 3));
  for (int i = 0; i < 3; ++i) {
    EXPECT_TRUE(std::equal(block.begin(), block.end(), o.data.begin() + 512 * i));
  }
}

TEST(WriteSameTest, UnmapBitWithZeroDataDeallocates) {
  TestLu t;
  ASSERT_TRUE(t.Run(Write10(60, 2), Pattern(1024, 1)).result.good());
  ASSERT_TRUE(t.Run(Cdb16(0x93, 0x08, 60, 2), std::vector<uint8_t>(512, 0)).result.good());
  EXPECT_FALSE(t.backend.mapped(60));
  EXPECT_EQ(t.Run(Read10(60, 2)).data, std::vector<uint8_t>(1024, 0));
}

TEST(WriteSameTest, UnmapBitDeallocatesWhateverTheData) {
  TestLu t;
  ASSERT_TRUE(t.Run(Write10(10, 2), Pattern(1024, 3)).result.good());
  ASSERT_TRUE(t.Run(Cdb({0x41, 0x08, 0, 0, 0, 10, 0, 0, 2, 0}), std::vector<uint8_t>(512, 0xFF))
                  .result.good());
  EXPECT_FALSE(t.backend.mapped(10));
  EXPECT_FALSE(t.backend.mapped(11));
  EXPECT_EQ(t.Run(Read10(11, 1)).data[0], 0x00);  // LBPRZ
}

TEST(WriteSameTest, NdobWritesZerosWithoutDataOut) {
  TestLu t;
  ASSERT_TRUE(t.Run(Write10(70, 1), Pattern(512, 1)).result.good());
  auto o = t.Run(Cdb16(0x93, 0x01, 70, 1));
  EXPECT_TRUE(o.result.good());
  EXPECT_EQ(o.transfer_length, 0u);
  EXPECT_EQ(t.Run(Read10(70, 1)).data, std::vector<uint8_t>(512, 0));
}

TEST(WriteSameTest, ZeroBlocksRunsToTheLastLba) {
  auto cfg = testing::DefaultConfig();
  cfg.limits.max_write_same_blocks = 16;
  TestLu t(cfg);
  std::vector<uint8_t> block(512, 0x5C);
  // 2048 - 2040 = 8 blocks, within the limit.
  ASSERT_TRUE(t.Run(Cdb({0x41, 0, 0, 0, 0x07, 0xF8, 0, 0, 0, 0}), block).result.good());
  EXPECT_EQ(t.Run(Read10(2047, 1)).data[0], 0x5C);
  EXPECT_EQ(t.Run(Read10(2039, 1)).data[0], 0x00);
  // From LBA 0 that is 2048 blocks: more than MAXIMUM WRITE SAME LENGTH.
  EXPECT_TRUE(IsSense(t.Run(Cdb({0x41, 0, 0, 0, 0, 0, 0, 0, 0, 0}), block),
                      SenseKey::kIllegalRequest, 0x2400));
  // UNMAP until the end (libiscsi WriteSame16.UnmapUntilEnd).
  ASSERT_TRUE(t.Run(Cdb16(0x93, 0x08, 2044, 0), std::vector<uint8_t>(512, 0)).result.good());
  EXPECT_FALSE(t.backend.mapped(2047));
  EXPECT_TRUE(t.backend.mapped(2043));
  EXPECT_TRUE(IsSense(t.Run(Cdb16(0x93, 0, 2048, 0), block), SenseKey::kIllegalRequest, 0x2100));
}

TEST(WriteSameTest, RejectsAnchorAndUnmapOnThickLu) {
  TestLu t;
  EXPECT_TRUE(
      IsSense(t.Run(Cdb({0x41, 0x10, 0, 0, 0, 0, 0, 0, 1, 0})), SenseKey::kIllegalRequest, 0x2400));
  auto cfg = testing::DefaultConfig();
  cfg.thin_provisioned = false;
  TestLu thick(cfg);
  auto o = thick.Run(Cdb({0x41, 0x08, 0, 0, 0, 0, 0, 0, 1, 0}));
  EXPECT_TRUE(IsSense(o, SenseKey::kIllegalRequest, 0x2400));
  EXPECT_EQ(o.result.field.bit, 3);
}

TEST(WriteSameTest, RejectsMoreThanMaximumWriteSameLength) {
  auto cfg = testing::DefaultConfig();
  cfg.limits.max_write_same_blocks = 4;
  TestLu t(cfg);
  EXPECT_TRUE(IsSense(t.Run(Cdb16(0x93, 0, 0, 5)), SenseKey::kIllegalRequest, 0x2400));
}

std::vector<uint8_t> UnmapList(std::vector<std::pair<uint64_t, uint32_t>> ranges) {
  std::vector<uint8_t> p(8 + 16 * ranges.size(), 0);
  PutBe16(&p[0], static_cast<uint16_t>(p.size() - 2));
  PutBe16(&p[2], static_cast<uint16_t>(16 * ranges.size()));
  for (size_t i = 0; i < ranges.size(); ++i) {
    PutBe64(&p[8 + 16 * i], ranges[i].first);
    PutBe32(&p[16 + 16 * i], ranges[i].second);
  }
  return p;
}

std::vector<uint8_t> UnmapCdb(size_t len) {
  return Cdb({0x42, 0, 0, 0, 0, 0, 0, int(len >> 8), int(len & 255), 0});
}

TEST(UnmapTest, DeallocatesEveryDescriptor) {
  TestLu t;
  ASSERT_TRUE(t.Run(Write10(0, 16), Pattern(16 * 512, 1)).result.good());
  auto p = UnmapList({{0, 2}, {8, 4}});
  ASSERT_TRUE(t.Run(UnmapCdb(p.size()), p).result.good());
  EXPECT_FALSE(t.backend.mapped(1));
  EXPECT_TRUE(t.backend.mapped(2));
  EXPECT_FALSE(t.backend.mapped(11));
}

TEST(UnmapTest, ValidatesTheParameterList) {
  TestLu t;
  EXPECT_TRUE(t.Run(UnmapCdb(0)).result.good());
  EXPECT_TRUE(
      IsSense(t.Run(UnmapCdb(4), std::vector<uint8_t>(4, 0)), SenseKey::kIllegalRequest, 0x1A00));
  auto beyond = UnmapList({{2047, 2}});
  EXPECT_TRUE(IsSense(t.Run(UnmapCdb(beyond.size()), beyond), SenseKey::kIllegalRequest, 0x2100));
  EXPECT_TRUE(IsSense(t.Run(Cdb({0x42, 1, 0, 0, 0, 0, 0, 0, 24, 0}), beyond),
                      SenseKey::kIllegalRequest, 0x2400));
}

TEST(UnmapTest, RejectsTooManyDescriptorsOrBlocks) {
  auto cfg = testing::DefaultConfig();
  cfg.limits.max_unmap_descriptors = 1;
  cfg.limits.max_unmap_blocks = 8;
  TestLu t(cfg);
  auto two = UnmapList({{0, 1}, {4, 1}});
  EXPECT_TRUE(IsSense(t.Run(UnmapCdb(two.size()), two), SenseKey::kIllegalRequest, 0x2600));
  auto big = UnmapList({{0, 9}});
  EXPECT_TRUE(IsSense(t.Run(UnmapCdb(big.size()), big), SenseKey::kIllegalRequest, 0x2600));
}

TEST(UnmapTest, IsInvalidOpcodeOnAThickLu) {
  auto cfg = testing::DefaultConfig();
  cfg.thin_provisioned = false;
  TestLu t(cfg);
  EXPECT_TRUE(IsSense(t.Run(UnmapCdb(0)), SenseKey::kIllegalRequest, 0x2000));
}

TEST(StartStopTest, EjectAndLoadARemovableMedium) {
  auto cfg = testing::DefaultConfig();
  cfg.removable = true;
  TestLu t(cfg);
  auto tur = Cdb({0, 0, 0, 0, 0, 0});
  EXPECT_TRUE(t.Run(Cdb({0x1B, 0, 0, 0, 0x00, 0})).result.good());
  EXPECT_TRUE(t.Run(tur).result.good());  // stopping alone keeps the medium
  ASSERT_TRUE(t.Run(Cdb({0x1E, 0, 0, 0, 1, 0})).result.good());
  EXPECT_TRUE(IsSense(t.Run(Cdb({0x1B, 0, 0, 0, 0x02, 0})), SenseKey::kIllegalRequest, 0x5302));
  ASSERT_TRUE(t.Run(Cdb({0x1E, 0, 0, 0, 0, 0})).result.good());
  ASSERT_TRUE(t.Run(Cdb({0x1B, 0, 0, 0, 0x02, 0})).result.good());
  EXPECT_TRUE(IsSense(t.Run(tur), SenseKey::kNotReady, 0x3A00));
  ASSERT_TRUE(t.Run(Cdb({0x1B, 0, 0, 0, 0x03, 0})).result.good());
  EXPECT_TRUE(t.Run(tur).result.good());
  EXPECT_TRUE(IsSense(t.Run(tur, {}, t.b), SenseKey::kUnitAttention, 0x2800));
}

TEST(StartStopTest, PreventRefusesLoadingAsWellAsEjecting) {
  auto cfg = testing::DefaultConfig();
  cfg.removable = true;
  TestLu t(cfg);
  ASSERT_TRUE(t.Run(Cdb({0x1B, 0, 0, 0, 0x02, 0})).result.good());  // eject
  ASSERT_TRUE(t.Run(Cdb({0x1E, 0, 0, 0, 1, 0})).result.good());
  EXPECT_TRUE(IsSense(t.Run(Cdb({0x1B, 0, 0, 0, 0x03, 0})), SenseKey::kIllegalRequest, 0x5302));
  EXPECT_FALSE(t.lu.medium_present());
  ASSERT_TRUE(t.Run(Cdb({0x1E, 0, 0, 0, 0, 0})).result.good());
  EXPECT_TRUE(t.Run(Cdb({0x1B, 0, 0, 0, 0x03, 0})).result.good());
  EXPECT_TRUE(t.lu.medium_present());
}

TEST(StartStopTest, PowerConditionIgnoresStartAndLoej) {
  auto cfg = testing::DefaultConfig();
  cfg.removable = true;
  TestLu t(cfg);
  // STOP with LOEJ under every non-zero POWER CONDITION: GOOD, medium stays.
  for (uint8_t pc = 1; pc < 16; ++pc) {
    EXPECT_TRUE(t.Run(Cdb({0x1B, 1, 0, 0, static_cast<uint8_t>(pc << 4 | 0x02), 0})).result.good())
        << int(pc);
    EXPECT_TRUE(t.lu.medium_present()) << int(pc);
  }
  // START_VALID with LOEJ still ejects.
  EXPECT_TRUE(t.Run(Cdb({0x1B, 0, 0, 0, 0x02, 0})).result.good());
  EXPECT_FALSE(t.lu.medium_present());
}

TEST(ReadDefectDataTest, ReturnsAnEmptyList) {
  TestLu t;
  auto o10 = t.Run(Cdb({0x37, 0, 0x0D, 0, 0, 0, 0, 0, 255, 0}));
  ASSERT_TRUE(o10.result.good());
  EXPECT_EQ(o10.data.size(), 4u);
  EXPECT_EQ(o10.data[1], 0x0D);
  auto o12 = t.Run(Cdb({0xB7, 0x0D, 0, 0, 0, 0, 0, 0, 0, 255, 0, 0}));
  ASSERT_TRUE(o12.result.good());
  EXPECT_EQ(o12.data.size(), 8u);
}

TEST(SanitizeTest, OverwriteFillsTheMediumWithThePattern) {
  TestLu t;
  std::vector<uint8_t> p = {0x01, 0, 0, 4, 0xDE, 0xAD, 0xBE, 0xEF};
  ASSERT_TRUE(t.Run(Cdb({0x48, 0x01, 0, 0, 0, 0, 0, 0, 8, 0}), p).result.good());
  auto o = t.Run(Read10(2047, 1));
  EXPECT_EQ(o.data[0], 0xDE);
  EXPECT_EQ(o.data[511], 0xEF);
}

TEST(SanitizeTest, OverwriteValidatesItsParameterList) {
  TestLu t;
  std::vector<uint8_t> no_count = {0x00, 0, 0, 4, 1, 2, 3, 4};
  EXPECT_TRUE(IsSense(t.Run(Cdb({0x48, 0x01, 0, 0, 0, 0, 0, 0, 8, 0}), no_count),
                      SenseKey::kIllegalRequest, 0x2400));
  std::vector<uint8_t> bad_len = {0x01, 0, 0, 4, 1, 2, 3, 4, 5};
  EXPECT_TRUE(IsSense(t.Run(Cdb({0x48, 0x01, 0, 0, 0, 0, 0, 0, 9, 0}), bad_len),
                      SenseKey::kIllegalRequest, 0x2400));
}

TEST(SanitizeTest, BlockAndCryptoEraseDeallocateAndRejectParameterData) {
  TestLu t;
  ASSERT_TRUE(t.Run(Write10(0, 4), Pattern(2048, 1)).result.good());
  ASSERT_TRUE(t.Run(Cdb({0x48, 0x02, 0, 0, 0, 0, 0, 0, 0, 0})).result.good());
  EXPECT_FALSE(t.backend.mapped(0));
  ASSERT_TRUE(t.Run(Cdb({0x48, 0x03, 0, 0, 0, 0, 0, 0, 0, 0})).result.good());
  EXPECT_TRUE(IsSense(t.Run(Cdb({0x48, 0x03, 0, 0, 0, 0, 0, 0, 8, 0}), std::vector<uint8_t>(8)),
                      SenseKey::kIllegalRequest, 0x2400));
  EXPECT_TRUE(t.Run(Cdb({0x48, 0x1F, 0, 0, 0, 0, 0, 0, 0, 0})).result.good());
  EXPECT_TRUE(
      IsSense(t.Run(Cdb({0x48, 0x04, 0, 0, 0, 0, 0, 0, 0, 0})), SenseKey::kIllegalRequest, 0x2400));
}

TEST(SanitizeTest, RefusedOnWriteProtectedLu) {
  auto cfg = testing::DefaultConfig();
  cfg.write_protected = true;
  TestLu t(cfg);
  EXPECT_TRUE(
      IsSense(t.Run(Cdb({0x48, 0x02, 0, 0, 0, 0, 0, 0, 0, 0})), SenseKey::kDataProtect, 0x2700));
}

}  // namespace
}  // namespace openstmf::scsi
