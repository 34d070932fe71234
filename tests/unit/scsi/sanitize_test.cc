// SANITIZE as a background operation of the LU (SBC-3 4.11, 5.30).
#include <gtest/gtest.h>

#include "scsi/task_management.h"
#include "scsi_test_util.h"

namespace openstmf::scsi {
namespace {

using testing::Cdb;
using testing::IsSense;
using testing::Read10;
using testing::TestLu;

// 16 MiB: four sanitize chunks.
LuConfig FourChunks() {
  LuConfig c = testing::DefaultConfig();
  c.block_count = 4 * SanitizeOperation::kChunkBytes / 512;
  return c;
}

// A command kept alive across pauses, for SANITIZE with IMMED=0.
struct Pending {
  std::vector<uint8_t> cdb;
  std::vector<uint8_t> out;
  ScsiCommand cmd;
  bool done = false;

  Pending(TestLu& t, std::vector<uint8_t> c, std::vector<uint8_t> data) : cdb(c), out(data) {
    cmd.cdb_bytes = cdb.data();
    cmd.cdb_size = cdb.size();
    cmd.nexus = t.a;
    cmd.done = [](ScsiCommand*, void* arg) { *static_cast<bool*>(arg) = true; };
    cmd.done_arg = &done;
    if (Prepare(t.lu, cmd)) {
      cmd.data_out = out;
      Execute(t.lu, cmd);
    }
  }
};

std::vector<uint8_t> OverwriteList(uint8_t first, const std::vector<uint8_t>& pattern) {
  std::vector<uint8_t> p(4 + pattern.size(), 0);
  p[0] = first;
  p[3] = static_cast<uint8_t>(pattern.size());
  for (size_t i = 0; i < pattern.size(); ++i) p[4 + i] = pattern[i];
  return p;
}

std::vector<uint8_t> Sanitize(int byte1, int length) {
  return Cdb({0x48, byte1, 0, 0, 0, 0, 0, length >> 8, length & 255, 0});
}

void RunToEnd(TestLu& t) {
  while (t.lu.sanitize_in_progress() && t.backend.ReleasePauses() != 0) {
  }
}

TEST(SanitizeOperationTest, ImmedReturnsAtOnceAndOtherCommandsSeeSanitizeInProgress) {
  TestLu t(FourChunks());
  t.backend.HoldPauses(true);
  auto o = t.Run(Sanitize(0x81, 8), OverwriteList(0x01, {1, 2, 3, 4}));
  ASSERT_TRUE(o.result.good());
  ASSERT_TRUE(t.lu.sanitize_in_progress());

  auto tur = t.Run(Cdb({0x00, 0, 0, 0, 0, 0}));
  EXPECT_TRUE(IsSense(tur, SenseKey::kNotReady, 0x041B));
  EXPECT_TRUE(tur.result.progress_valid);
  EXPECT_EQ(tur.result.progress, 0x4000);  // one chunk of four written
  EXPECT_TRUE(IsSense(t.Run(Read10(0, 1)), SenseKey::kNotReady, 0x041B));
  EXPECT_TRUE(IsSense(t.Run(Cdb({0x1B, 0, 0, 0, 1, 0})), SenseKey::kNotReady, 0x041B));
  EXPECT_TRUE(IsSense(t.Run(Sanitize(0x02, 0)), SenseKey::kNotReady, 0x041B));
  // SBC-3 4.11.2: these still run.
  EXPECT_TRUE(t.Run(Cdb({0x12, 0, 0, 0, 96, 0})).result.good());
  EXPECT_TRUE(t.Run(Cdb({0xA0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0})).result.good());
  EXPECT_TRUE(t.Run(Cdb({0x4D, 0, 0, 0, 0, 0, 0, 1, 0, 0})).result.good());
}

TEST(SanitizeOperationTest, RequestSenseReportsProgress) {
  TestLu t(FourChunks());
  t.backend.HoldPauses(true);
  ASSERT_TRUE(t.Run(Sanitize(0x82, 0)).result.good());
  t.backend.ReleasePauses();  // two chunks of four done
  auto rs = t.Run(Cdb({0x03, 0, 0, 0, 18, 0}));
  ASSERT_TRUE(rs.result.good());
  ASSERT_EQ(rs.data.size(), 18u);
  EXPECT_EQ(rs.data[2] & 0x0F, 0x02);  // NOT READY
  EXPECT_EQ(rs.data[12], 0x04);
  EXPECT_EQ(rs.data[13], 0x1B);
  EXPECT_EQ(rs.data[15], 0x80);  // SKSV, progress indication
  EXPECT_EQ(rs.data[16], 0x80);
  EXPECT_EQ(rs.data[17], 0x00);
  RunToEnd(t);
  EXPECT_TRUE(t.Run(Cdb({0x00, 0, 0, 0, 0, 0})).result.good());
}

TEST(SanitizeOperationTest, WithoutImmedCompletesWhenTheOperationEnds) {
  TestLu t(FourChunks());
  t.backend.HoldPauses(true);
  Pending s(t, Sanitize(0x01, 8), OverwriteList(0x01, {0xA5, 0x5A, 0xA5, 0x5A}));
  EXPECT_FALSE(s.done);
  RunToEnd(t);
  ASSERT_TRUE(s.done);
  EXPECT_TRUE(s.cmd.result.good());
  auto r = t.Run(Read10(32767, 1));
  ASSERT_TRUE(r.result.good());
  EXPECT_EQ(r.data[0], 0xA5);
  EXPECT_EQ(r.data[511], 0x5A);
  EXPECT_EQ(t.backend.fua_writes(), 4u);
  // A pause after each chunk but the last, at 128 MiB/s.
  EXPECT_EQ(t.backend.paused_microseconds(), 3u * 4 * 1000000 / 128);
}

TEST(SanitizeOperationTest, AbortEndsTheCommandButNotTheOperation) {
  TestLu t(FourChunks());
  t.backend.HoldPauses(true);
  Pending s(t, Sanitize(0x02, 0), {});
  ASSERT_FALSE(s.done);
  ScsiCommand other;
  EXPECT_FALSE(AbortCommand(t.lu, other));
  EXPECT_TRUE(AbortCommand(t.lu, s.cmd));
  ASSERT_TRUE(s.done);
  EXPECT_EQ(s.cmd.result.status, ScsiStatus::kTaskAborted);
  EXPECT_TRUE(t.lu.sanitize_in_progress());
  RunToEnd(t);
  EXPECT_FALSE(t.lu.sanitize_in_progress());
}

TEST(SanitizeOperationTest, SurvivesLunResetTargetResetAndNexusLoss) {
  TestLu t(FourChunks());
  t.backend.HoldPauses(true);
  ASSERT_TRUE(t.Run(Sanitize(0x81, 8), OverwriteList(0x01, {0, 0, 0, 0})).result.good());
  TaskSet tasks;
  ApplyTaskManagement(t.lu, tasks, TaskManagementFunction::kLunReset, t.b);
  ApplyTaskManagement(t.lu, tasks, TaskManagementFunction::kTargetReset, t.b);
  ApplyTaskManagement(t.lu, tasks, TaskManagementFunction::kItNexusReset, t.a);
  t.lu.DetachNexus(t.a);
  NexusId again = t.lu.AttachNexus(testing::NexusNamed("iqn.1994-05.com.example:a", 0x1));
  // The unit attention of the new nexus comes first (SAM-5 5.14), then the
  // operation is still reported.
  EXPECT_EQ(t.Run(Cdb({0x00, 0, 0, 0, 0, 0}), {}, again).result.key, SenseKey::kUnitAttention);
  EXPECT_TRUE(IsSense(t.Run(Cdb({0x00, 0, 0, 0, 0, 0}), {}, again), SenseKey::kNotReady, 0x041B));
  RunToEnd(t);
  EXPECT_TRUE(t.Run(Cdb({0x00, 0, 0, 0, 0, 0}), {}, again).result.good());
}

TEST(SanitizeOperationTest, FailureInRestrictedModeNeedsANewSanitize) {
  TestLu t;
  t.backend.InjectFault(IoError::kMedium);
  auto o = t.Run(Sanitize(0x01, 8), OverwriteList(0x01, {1, 2, 3, 4}));
  EXPECT_TRUE(IsSense(o, SenseKey::kMediumError, 0x3103));
  EXPECT_TRUE(IsSense(t.Run(Read10(0, 1)), SenseKey::kMediumError, 0x3103));
  auto rs = t.Run(Cdb({0x03, 0, 0, 0, 18, 0}));
  ASSERT_EQ(rs.data.size(), 18u);
  EXPECT_EQ(rs.data[12], 0x31);
  // AUSE was 0: EXIT FAILURE MODE and an AUSE=1 sanitize are refused.
  EXPECT_TRUE(IsSense(t.Run(Sanitize(0x1F, 0)), SenseKey::kIllegalRequest, 0x2400));
  EXPECT_TRUE(IsSense(t.Run(Sanitize(0x22, 0)), SenseKey::kIllegalRequest, 0x2400));
  ASSERT_TRUE(t.Run(Sanitize(0x02, 0)).result.good());
  EXPECT_TRUE(t.Run(Read10(0, 1)).result.good());
}

TEST(SanitizeOperationTest, FailureInUnrestrictedModeEndsWithExitFailureMode) {
  TestLu t;
  t.backend.InjectFault(IoError::kMedium);
  EXPECT_TRUE(IsSense(t.Run(Sanitize(0x22, 0)), SenseKey::kMediumError, 0x3103));
  EXPECT_TRUE(t.lu.sanitize_failed());
  EXPECT_TRUE(t.Run(Sanitize(0x1F, 0)).result.good());
  EXPECT_FALSE(t.lu.sanitize_failed());
  EXPECT_TRUE(t.Run(Read10(0, 1)).result.good());
}

TEST(SanitizeOperationTest, InvertAlternatesPassesAndTheLastPassWritesThePattern) {
  TestLu t;
  ASSERT_TRUE(
      t.Run(Sanitize(0x01, 8), OverwriteList(0x82, {0x0F, 0x0F, 0x0F, 0x0F})).result.good());
  auto r = t.Run(Read10(7, 1));
  ASSERT_TRUE(r.result.good());
  EXPECT_EQ(r.data[0], 0x0F);
  EXPECT_EQ(t.backend.fua_writes(), 2u);  // two passes of one chunk
}

TEST(SanitizeOperationTest, ThickEraseZeroFillsInChunks) {
  LuConfig c = FourChunks();
  c.thin_provisioned = false;
  TestLu t(c);
  ASSERT_TRUE(t.Run(testing::Write10(9, 1), std::vector<uint8_t>(512, 0x77)).result.good());
  ASSERT_TRUE(t.Run(Sanitize(0x03, 0)).result.good());
  auto r = t.Run(Read10(9, 1));
  EXPECT_EQ(r.data[0], 0x00);
  EXPECT_EQ(t.backend.fua_writes(), 4u + (t.lu.mode_pages().write_cache_enabled() ? 0u : 1u));
}

}  // namespace
}  // namespace openstmf::scsi
