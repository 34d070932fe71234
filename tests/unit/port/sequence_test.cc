#include "port/iscsi/sequence.h"

#include <gtest/gtest.h>

#include <string>

#include "port/iscsi/send_targets.h"

namespace openstmf::iscsi {
namespace {

TEST(SerialNumberTest, ComparesAcrossWraparound) {
  EXPECT_TRUE(SnLess(1, 2));
  EXPECT_TRUE(SnLess(0xfffffffe, 1));
  EXPECT_FALSE(SnLess(1, 0xfffffffe));
  EXPECT_TRUE(SnGreater(0, 0xffffffff));
  EXPECT_TRUE(SnInRange(0, 0xfffffff0, 5));
  EXPECT_FALSE(SnInRange(6, 0xfffffff0, 5));
  EXPECT_TRUE(SnLessEq(7, 7));
}

TEST(CommandWindowTest, DeliversInOrderAndHoldsCommandsAhead) {
  CommandWindow w(10, 8);
  EXPECT_EQ(17U, w.max_cmd_sn());
  EXPECT_EQ(CommandWindow::Verdict::kQueued, w.Accept(12, false, 112));
  EXPECT_EQ(CommandWindow::Verdict::kQueued, w.Accept(11, false, 111));
  EXPECT_FALSE(w.PopReady());
  EXPECT_EQ(CommandWindow::Verdict::kDeliver, w.Accept(10, false, 110));
  EXPECT_EQ(111U, w.PopReady().value());
  EXPECT_EQ(112U, w.PopReady().value());
  EXPECT_FALSE(w.PopReady());
  EXPECT_EQ(13U, w.exp_cmd_sn());
  EXPECT_EQ(20U, w.max_cmd_sn());
}

TEST(CommandWindowTest, DropsCommandsOutsideTheWindow) {
  CommandWindow w(100, 4);
  EXPECT_EQ(CommandWindow::Verdict::kOutOfWindow, w.Accept(99, false, 0));   // old
  EXPECT_EQ(CommandWindow::Verdict::kOutOfWindow, w.Accept(104, false, 0));  // beyond MaxCmdSN
  EXPECT_EQ(CommandWindow::Verdict::kQueued, w.Accept(103, false, 0));
  EXPECT_EQ(CommandWindow::Verdict::kDuplicate, w.Accept(103, false, 0));
}

TEST(CommandWindowTest, ImmediateCommandsBypassTheWindow) {
  CommandWindow w(5, 4);
  EXPECT_EQ(CommandWindow::Verdict::kDeliver, w.Accept(5, true, 0));
  EXPECT_EQ(5U, w.exp_cmd_sn());
  EXPECT_EQ(CommandWindow::Verdict::kDeliver, w.Accept(1000, true, 0));
}

TEST(CommandWindowTest, ClosedWindowAcceptsNothing) {
  CommandWindow w(5, 4);
  w.set_credits(0);
  EXPECT_EQ(4U, w.max_cmd_sn());  // MaxCmdSN = ExpCmdSN - 1
  EXPECT_EQ(CommandWindow::Verdict::kOutOfWindow, w.Accept(5, false, 0));
  w.set_credits(100);
  EXPECT_EQ(8U, w.max_cmd_sn());  // capped at capacity
}

TEST(CommandWindowTest, WorksAcrossCmdSnWraparound) {
  CommandWindow w(0xfffffffe, 4);
  EXPECT_EQ(CommandWindow::Verdict::kQueued, w.Accept(0, false, 7));
  EXPECT_EQ(CommandWindow::Verdict::kDeliver, w.Accept(0xfffffffe, false, 5));
  EXPECT_EQ(CommandWindow::Verdict::kDeliver, w.Accept(0xffffffff, false, 6));
  EXPECT_EQ(7U, w.PopReady().value());
  EXPECT_EQ(1U, w.exp_cmd_sn());
}

TEST(StatSnTrackerTest, CountsAndAcknowledges) {
  StatSnTracker s(1000);
  EXPECT_EQ(1000U, s.Take());
  EXPECT_EQ(1001U, s.Take());
  EXPECT_EQ(1002U, s.Peek());
  EXPECT_EQ(2U, s.unacknowledged());
  EXPECT_TRUE(s.Acknowledge(1001));
  EXPECT_EQ(1U, s.unacknowledged());
  EXPECT_FALSE(s.Acknowledge(1003));  // ahead of anything sent
  EXPECT_FALSE(s.Acknowledge(999));   // stale
}

TEST(DataOutSequenceTest, AcceptsContiguousInOrderBurst) {
  DataOutSequence seq(8192, 8192);
  DataOut d;
  d.buffer_offset = 8192;
  d.data_segment_length = 4096;
  EXPECT_FALSE(seq.Accept(d));
  d.data_sn = 1;
  d.buffer_offset = 12288;
  d.final_bit = true;
  EXPECT_FALSE(seq.Accept(d));
  EXPECT_TRUE(seq.complete());
}

TEST(DataOutSequenceTest, RejectsGapsWrongDataSnOverrunAndEarlyFinal) {
  DataOut d;
  d.data_segment_length = 512;
  {
    DataOutSequence seq(0, 1024);
    d.buffer_offset = 512;
    EXPECT_EQ(RejectReason::kProtocolError, seq.Accept(d));
  }
  {
    DataOutSequence seq(0, 1024);
    d.buffer_offset = 0;
    d.data_sn = 1;
    EXPECT_TRUE(seq.Accept(d));
  }
  {
    DataOutSequence seq(0, 256);
    d.data_sn = 0;
    EXPECT_TRUE(seq.Accept(d));
  }
  {
    DataOutSequence seq(0, 1024);
    d.final_bit = true;
    EXPECT_TRUE(seq.Accept(d));
  }
}

TEST(TaskSnCounterTest, BidirectionalCommandsShareOneSequence) {
  TaskSnCounter c;
  EXPECT_EQ(0U, c.NextDataSn());
  EXPECT_EQ(0U, c.NextR2tSn());
  EXPECT_EQ(1U, c.NextDataSn());
  TaskSnCounter bidi;
  bidi.set_bidirectional(true);
  EXPECT_EQ(0U, bidi.NextR2tSn());
  EXPECT_EQ(1U, bidi.NextDataSn());
  EXPECT_EQ(2U, bidi.NextR2tSn());
}

TEST(SnackRunTest, ResolvesRunLength) {
  uint32_t n = 0;
  EXPECT_TRUE(ResolveSnackRun(3, 0, 10, &n));
  EXPECT_EQ(7U, n);
  EXPECT_TRUE(ResolveSnackRun(3, 2, 10, &n));
  EXPECT_EQ(2U, n);
  EXPECT_FALSE(ResolveSnackRun(3, 8, 10, &n));
  EXPECT_FALSE(ResolveSnackRun(10, 0, 10, &n));
}

const std::vector<TargetEntry> kTargets = {
    {"iqn.2024-01.org.openstmf:a", {{"192.0.2.1", 3260, 1}, {"2001:db8::1", 3261, 2}}},
    {"iqn.2024-01.org.openstmf:b", {{"192.0.2.1", 3260, 1}}},
};

TEST(SendTargetsTest, FormatsIpv6AddressesInBrackets) {
  EXPECT_EQ("192.0.2.1:3260,1", FormatTargetAddress({"192.0.2.1", 3260, 1}));
  EXPECT_EQ("[2001:db8::1]:3261,2", FormatTargetAddress({"2001:db8::1", 3261, 2}));
}

TEST(SendTargetsTest, AllListsEveryVisibleTargetInDiscovery) {
  const std::string t = BuildSendTargets("All", SessionType::kDiscovery, "", kTargets);
  static const char kWant[] =
      "TargetName=iqn.2024-01.org.openstmf:a\0"
      "TargetAddress=192.0.2.1:3260,1\0"
      "TargetAddress=[2001:db8::1]:3261,2\0"
      "TargetName=iqn.2024-01.org.openstmf:b\0"
      "TargetAddress=192.0.2.1:3260,1\0";
  EXPECT_EQ(std::string(kWant, sizeof(kWant) - 1), t);
}

TEST(SendTargetsTest, NormalSessionSeesOnlyItsTarget) {
  const std::string t =
      BuildSendTargets("All", SessionType::kNormal, "iqn.2024-01.org.openstmf:b", kTargets);
  static const char kWant[] =
      "TargetName=iqn.2024-01.org.openstmf:b\0TargetAddress=192.0.2.1:3260,1\0";
  EXPECT_EQ(std::string(kWant, sizeof(kWant) - 1), t);
  EXPECT_EQ(t, BuildSendTargets("", SessionType::kNormal, "iqn.2024-01.org.openstmf:b", kTargets));
}

TEST(SendTargetsTest, NamedTargetAndUnknownName) {
  EXPECT_NE(std::string::npos,
            BuildSendTargets("iqn.2024-01.org.openstmf:b", SessionType::kDiscovery, "", kTargets)
                .find("openstmf:b"));
  EXPECT_EQ("", BuildSendTargets("iqn.nope", SessionType::kDiscovery, "", kTargets));
  EXPECT_EQ(std::string("SendTargets=Reject\0", 19),
            BuildSendTargets("", SessionType::kDiscovery, "", kTargets));
}

}  // namespace
}  // namespace openstmf::iscsi
