// RECEIVE COPY RESULTS, held copy results, what INQUIRY advertises for
// third-party copy, and the copy-related sense formats.
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
