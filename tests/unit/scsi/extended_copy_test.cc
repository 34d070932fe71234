// EXTENDED COPY (LID1) and RECEIVE COPY RESULTS: parameter list checks, the copy
// engine over RAM backends, copy targets on other LUs, held results, and what
// INQUIRY advertises.
#include <gtest/gtest.h>

#include <cstring>
#include <deque>
#include <functional>

#include "base/byte_order.h"
#include "scsi_test_util.h"

namespace openstmf::scsi {
namespace {

using testing::Cdb;
using testing::Cdb16;
using testing::IsSense;
using testing::TestLu;

// A parameter list built the way an initiator does (SPC-4 6.3.2).
struct XcopyList {
  std::vector<uint8_t> targets;
  std::vector<uint8_t> segments;
  uint8_t list_id = 1;
  uint8_t usage = 0;  // LIST ID USAGE

  void Target(const std::array<uint8_t, 16>& naa, uint32_t block_length = 512, uint8_t type = 0xE4,
              uint8_t device_type = 0) {
    uint8_t d[32] = {};
    d[0] = type;
    d[1] = device_type;
    d[4] = 0x01;  // binary
    d[5] = 0x03;  // LU association, NAA
    d[7] = 16;
    std::memcpy(d + 8, naa.data(), 16);
    PutBe24(d + 29, block_length);
    targets.insert(targets.end(), d, d + 32);
  }
  void BlockToBlock(uint16_t src, uint16_t dst, uint16_t blocks, uint64_t src_lba, uint64_t dst_lba,
                    uint8_t type = 0x02) {
    uint8_t d[28] = {};
    d[0] = type;
    PutBe16(d + 2, 0x18);
    PutBe16(d + 4, src);
    PutBe16(d + 6, dst);
    PutBe16(d + 10, blocks);
    PutBe64(d + 12, src_lba);
    PutBe64(d + 20, dst_lba);
    segments.insert(segments.end(), d, d + 28);
  }
  void WithOffsets(uint32_t bytes, uint64_t src_lba, uint16_t src_off, uint64_t dst_lba,
                   uint16_t dst_off) {
    uint8_t d[32] = {};
    d[0] = 0x0A;
    PutBe16(d + 2, 0x1C);
    PutBe32(d + 8, bytes);
    PutBe64(d + 12, src_lba);
    PutBe64(d + 20, dst_lba);
    PutBe16(d + 28, src_off);
    PutBe16(d + 30, dst_off);
    segments.insert(segments.end(), d, d + 32);
  }
  std::vector<uint8_t> Bytes() const {
    std::vector<uint8_t> b(16, 0);
    b[0] = list_id;
    b[1] = static_cast<uint8_t>(usage << 3);
    PutBe16(&b[2], static_cast<uint16_t>(targets.size()));
    PutBe32(&b[8], static_cast<uint32_t>(segments.size()));
    b.insert(b.end(), targets.begin(), targets.end());
    b.insert(b.end(), segments.begin(), segments.end());
    return b;
  }
};

std::vector<uint8_t> XcopyCdb(size_t length) {
  auto c = Cdb({0x83, 0}, 16);
  PutBe32(&c[10], static_cast<uint32_t>(length));
  return c;
}

std::vector<uint8_t> RcrCdb(uint8_t sa, uint8_t list_id, uint32_t alloc = 1024) {
  auto c = Cdb({0x84, sa, list_id}, 16);
  PutBe32(&c[10], alloc);
  return c;
}

testing::Outcome Xcopy(TestLu& t, const XcopyList& l, NexusId n = UINT32_MAX) {
  auto bytes = l.Bytes();
  return t.Run(XcopyCdb(bytes.size()), bytes, n);
}

void Fill(TestLu& t, uint32_t lba, uint16_t blocks, uint8_t value) {
  ASSERT_TRUE(t.Run(testing::Write10(lba, blocks), std::vector<uint8_t>(blocks * 512u, value))
                  .result.good());
}

std::vector<uint8_t> ReadBack(TestLu& t, uint32_t lba, uint16_t blocks) {
  return t.Run(testing::Read10(lba, blocks)).data;
}

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

TEST(ReceiveCopyResultsTest, UnknownListIdentifierIsInvalidField) {
  TestLu t;
  auto o = t.Run(RcrCdb(0x00, 7));
  ASSERT_TRUE(IsSense(o, SenseKey::kIllegalRequest, 0x2400));
  EXPECT_EQ(o.result.field.byte, 2);
}

TEST(ReceiveCopyResultsTest, HeldStatusOfACompletedCopyPerNexus) {
  TestLu t;
  Fill(t, 0, 8, 'A');
  XcopyList l;
  l.list_id = 9;
  l.Target(t.lu.config().identity.guid);
  l.BlockToBlock(0, 0, 8, 0, 100);
  l.BlockToBlock(0, 0, 8, 0, 200);
  ASSERT_TRUE(Xcopy(t, l).result.good());
  auto st = t.Run(RcrCdb(0x00, 9));
  ASSERT_TRUE(st.result.good());
  ASSERT_EQ(st.data.size(), 12u);
  EXPECT_EQ(GetBe32(&st.data[0]), 8u);
  EXPECT_EQ(st.data[4], 0x01);  // completed successfully
  EXPECT_EQ(GetBe16(&st.data[5]), 2u);
  EXPECT_EQ(st.data[7], 0x00);  // bytes
  EXPECT_EQ(GetBe32(&st.data[8]), 16u * 512);
  EXPECT_TRUE(IsSense(t.Run(RcrCdb(0x00, 9), {}, t.b), SenseKey::kIllegalRequest, 0x2400));
  auto rd = t.Run(RcrCdb(0x01, 9));
  ASSERT_TRUE(rd.result.good());
  EXPECT_EQ(rd.data, std::vector<uint8_t>(4, 0));
  // Held data goes with I_T nexus loss and logical unit reset.
  t.lu.Reset();
  t.Run(Cdb({0x03, 0, 0, 0, 18, 0}));  // REQUEST SENSE clears the reset UA
  EXPECT_TRUE(IsSense(t.Run(RcrCdb(0x00, 9)), SenseKey::kIllegalRequest, 0x2400));
}

TEST(ReceiveCopyResultsTest, NoHoldCopiesLeaveNothingBehind) {
  TestLu t;
  XcopyList l;
  l.usage = 2;
  l.Target(t.lu.config().identity.guid);
  l.BlockToBlock(0, 0, 1, 0, 1);
  ASSERT_TRUE(Xcopy(t, l).result.good());
  EXPECT_TRUE(IsSense(t.Run(RcrCdb(0x00, 1)), SenseKey::kIllegalRequest, 0x2400));
}

TEST(ReceiveCopyResultsTest, HeldStatusIsDroppedWhenTheNexusDetaches) {
  TestLu t;
  XcopyList l;
  l.Target(t.lu.config().identity.guid);
  l.BlockToBlock(0, 0, 1, 0, 1);
  ASSERT_TRUE(Xcopy(t, l, t.b).result.good());
  t.lu.DetachNexus(t.b);
  NexusId again = t.lu.AttachNexus(testing::NexusNamed("iqn.1994-05.com.example:b", 2), false);
  EXPECT_TRUE(IsSense(t.Run(RcrCdb(0x00, 1), {}, again), SenseKey::kIllegalRequest, 0x2400));
}

TEST(ReceiveCopyResultsTest, OperatingParametersMatchTheParser) {
  TestLu t;
  auto o = t.Run(RcrCdb(0x03, 0));
  ASSERT_TRUE(o.result.good());
  ASSERT_EQ(o.data.size(), 47u);
  EXPECT_EQ(GetBe32(&o.data[0]), 43u);
  EXPECT_EQ(o.data[4] & 0x01, 0x01);  // SNLID
  EXPECT_EQ(GetBe16(&o.data[8]), 8u);
  EXPECT_EQ(GetBe16(&o.data[10]), 64u);
  EXPECT_EQ(GetBe32(&o.data[12]), 4096u);
  EXPECT_EQ(GetBe32(&o.data[20]), 0u);  // no inline data
  EXPECT_EQ(o.data[43], 3);
  EXPECT_EQ(o.data[44], 0x02);
  EXPECT_EQ(o.data[45], 0x0A);
  EXPECT_EQ(o.data[46], 0xE4);
  // OPERATING PARAMETERS has no list identifier.
  EXPECT_TRUE(IsSense(t.Run(RcrCdb(0x03, 1)), SenseKey::kIllegalRequest, 0x2400));
  EXPECT_TRUE(IsSense(t.Run(RcrCdb(0x02, 0)), SenseKey::kIllegalRequest, 0x2400));
}

TEST(ThirdPartyCopyInquiryTest, StandardDataSets3pcAndVpd8fListsTheCommands) {
  TestLu t;
  auto std_inq = t.Run(Cdb({0x12, 0, 0, 0, 96, 0}));
  EXPECT_EQ(std_inq.data[5] & 0x08, 0x08);
  auto pages = t.Run(Cdb({0x12, 1, 0x00, 0, 255, 0}));
  EXPECT_NE(std::find(pages.data.begin() + 4, pages.data.end(), 0x8F), pages.data.end());
  auto v = t.Run(Cdb({0x12, 1, 0x8F, 4, 0, 0}));
  ASSERT_TRUE(v.result.good());
  ASSERT_GE(v.data.size(), 8u);
  EXPECT_EQ(v.data[1], 0x8F);
  EXPECT_EQ(GetBe16(&v.data[2]), v.data.size() - 4);
  // First descriptor: Supported Commands.
  EXPECT_EQ(GetBe16(&v.data[4]), 0x0001);
  uint8_t list = v.data[8];
  std::vector<uint8_t> cmds(v.data.begin() + 9, v.data.begin() + 9 + list);
  EXPECT_EQ(cmds, (std::vector<uint8_t>{0x83, 1, 0x00, 0x84, 4, 0x00, 0x01, 0x03, 0x04}));
  size_t at = 4;
  std::vector<uint16_t> types;
  while (at + 4 <= v.data.size()) {
    types.push_back(GetBe16(&v.data[at]));
    uint16_t len = GetBe16(&v.data[at + 2]);
    EXPECT_EQ(len % 4, 0);
    at += 4 + len;
  }
  EXPECT_EQ(at, v.data.size());
  EXPECT_EQ(types, (std::vector<uint16_t>{0x0001, 0x0004, 0x0008, 0x8001}));
}

// A backend that completes only when told, to see copies in progress.
class DeferredBackend final : public BlockBackend {
 public:
  explicit DeferredBackend(RamBackend* ram) : ram_(ram) {}
  void Read(uint64_t o, std::span<uint8_t> b, uint32_t f, IoDone d) override {
    queue_.push_back([=, this] { ram_->Read(o, b, f, d); });
  }
  void Write(uint64_t o, std::span<const uint8_t> b, uint32_t f, IoDone d) override {
    queue_.push_back([=, this] { ram_->Write(o, b, f, d); });
  }
  void Flush(uint64_t o, uint64_t l, IoDone d) override { ram_->Flush(o, l, d); }
  void Unmap(std::span<const ByteRange> r, IoDone d) override { ram_->Unmap(r, d); }
  void WriteSame(ByteRange r, std::span<const uint8_t> p, uint32_t f, IoDone d) override {
    ram_->WriteSame(r, p, f, d);
  }
  void GetLbaStatus(uint64_t o, std::span<Extent> out, size_t* n, IoDone d) override {
    ram_->GetLbaStatus(o, out, n, d);
  }
  bool RunOne() {
    if (queue_.empty()) return false;
    auto f = std::move(queue_.front());
    queue_.pop_front();
    f();
    return true;
  }

 private:
  RamBackend* ram_;
  std::deque<std::function<void()>> queue_;
};

TEST(ReceiveCopyResultsTest, ReportsProgressAndRefusesADuplicateListIdWhileRunning) {
  RamBackend ram(512, 2048);
  DeferredBackend deferred(&ram);
  LuConfig cfg = testing::DefaultConfig();
  Lu lu(cfg, &deferred);
  NexusId n = lu.AttachNexus(testing::NexusNamed("iqn.1994-05.com.example:a", 1), false);
  XcopyList l;
  l.list_id = 4;
  l.Target(cfg.identity.guid);
  l.BlockToBlock(0, 0, 4, 0, 10);
  l.BlockToBlock(0, 0, 4, 0, 20);
  auto bytes = l.Bytes();
  auto cdb = XcopyCdb(bytes.size());
  bool done = false;
  ScsiCommand cmd;
  cmd.cdb_bytes = cdb.data();
  cmd.cdb_size = cdb.size();
  cmd.nexus = n;
  cmd.done = [](ScsiCommand*, void* arg) { *static_cast<bool*>(arg) = true; };
  cmd.done_arg = &done;
  ASSERT_TRUE(Prepare(lu, cmd));
  cmd.data_out = bytes;
  Execute(lu, cmd);
  ASSERT_FALSE(done);
  auto status = [&] {
    auto c = RcrCdb(0x00, 4);
    std::vector<uint8_t> in(64);
    ScsiCommand q;
    q.cdb_bytes = c.data();
    q.cdb_size = c.size();
    q.nexus = n;
    q.data_in = in;
    Dispatch(lu, q);
    EXPECT_TRUE(q.result.good());
    in.resize(q.data_in_length);
    return in;
  };
  EXPECT_EQ(status()[4], 0x00);    // in progress
  ASSERT_TRUE(deferred.RunOne());  // read of segment 0
  ASSERT_TRUE(deferred.RunOne());  // write of segment 0
  auto mid = status();
  EXPECT_EQ(GetBe16(&mid[5]), 1u);
  EXPECT_EQ(GetBe32(&mid[8]), 4u * 512);
  // The same list identifier from the same nexus is refused meanwhile.
  ScsiCommand dup;
  dup.cdb_bytes = cdb.data();
  dup.cdb_size = cdb.size();
  dup.nexus = n;
  dup.data_out = bytes;
  Dispatch(lu, dup);
  EXPECT_EQ(dup.result.asc_ascq(), 0x0016);
  EXPECT_EQ(dup.result.key, SenseKey::kIllegalRequest);
  while (deferred.RunOne()) {
  }
  EXPECT_TRUE(done);
  EXPECT_TRUE(cmd.result.good());
  EXPECT_EQ(status()[4], 0x01);
}

TEST(SenseCopyTest, CommandSpecificInformationInBothFormats) {
  ScsiResult r = CopyFailure(Asc::kCopyTargetNotReachable, 3);
  uint8_t fixed[kMaxSenseLength];
  ASSERT_EQ(BuildSense(r, SenseFormat::kFixed, fixed), 18u);
  EXPECT_EQ(fixed[2] & 0x0F, 0x0A);
  EXPECT_EQ(GetBe32(fixed + 8), 3u);
  uint8_t desc[kMaxSenseLength];
  size_t n = BuildSense(r, SenseFormat::kDescriptor, desc);
  ASSERT_EQ(n, 20u);
  EXPECT_EQ(desc[8], 0x01);
  EXPECT_EQ(desc[9], 0x0A);
  EXPECT_EQ(GetBe64(desc + 12), 3u);
}

TEST(SenseCopyTest, ProgressIndicationInSenseKeySpecificBytes) {
  ScsiResult r = SenseWithProgress(Asc::kNotReadySanitizeInProgress, 0x8000);
  uint8_t fixed[kMaxSenseLength];
  BuildSense(r, SenseFormat::kFixed, fixed);
  EXPECT_EQ(fixed[15], 0x80);
  EXPECT_EQ(GetBe16(fixed + 16), 0x8000);
  uint8_t desc[kMaxSenseLength];
  ASSERT_EQ(BuildSense(r, SenseFormat::kDescriptor, desc), 16u);
  EXPECT_EQ(desc[8], 0x02);
  EXPECT_EQ(desc[12], 0x80);
  EXPECT_EQ(GetBe16(desc + 13), 0x8000);
}

}  // namespace
}  // namespace openstmf::scsi
