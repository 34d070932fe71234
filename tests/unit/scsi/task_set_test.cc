#include "scsi/task_set.h"

#include <gtest/gtest.h>

#include "scsi/task_management.h"
#include "scsi_test_util.h"

namespace openstmf::scsi {
namespace {

TaskInfo T(uint64_t tag, TaskAttribute attr, SerialClass serial = SerialClass::kNone,
           uint64_t lba = 0, uint64_t blocks = 1, NexusId nexus = 0) {
  return TaskInfo{{nexus, tag}, attr, serial, lba, blocks};
}

constexpr auto kSimple = TaskAttribute::kSimple;
constexpr auto kOrdered = TaskAttribute::kOrdered;
constexpr auto kHoq = TaskAttribute::kHeadOfQueue;

TEST(TaskSetTest, SimpleTasksWithoutConflictsRunAtOnce) {
  TaskSet s;
  EXPECT_EQ(s.Add(T(1, kSimple, SerialClass::kRead, 0, 8)), Admission::kRun);
  EXPECT_EQ(s.Add(T(2, kSimple, SerialClass::kRead, 0, 8)), Admission::kRun);
  EXPECT_EQ(s.Add(T(3, kSimple, SerialClass::kWrite, 8, 8)), Admission::kRun);
}

TEST(TaskSetTest, OverlappingWriteWaitsForOlderIoOnItsRange) {
  TaskSet s;
  ASSERT_EQ(s.Add(T(1, kSimple, SerialClass::kWrite, 0, 8)), Admission::kRun);
  EXPECT_EQ(s.Add(T(2, kSimple, SerialClass::kWrite, 4, 8)), Admission::kWait);
  EXPECT_EQ(s.Add(T(3, kSimple, SerialClass::kRead, 7, 1)), Admission::kWait);
  EXPECT_EQ(s.Add(T(4, kSimple, SerialClass::kRead, 100, 1)), Admission::kRun);
  std::vector<TaskKey> ready;
  s.Remove({0, 1}, &ready);
  // Tag 3 overlaps the still-waiting write 2, so only 2 starts.
  EXPECT_EQ(ready, (std::vector<TaskKey>{{0, 2}}));
  ready.clear();
  s.Remove({0, 2}, &ready);
  EXPECT_EQ(ready, (std::vector<TaskKey>{{0, 3}}));
}

TEST(TaskSetTest, OrderedTaskWaitsForOlderAndBlocksNewer) {
  TaskSet s;
  ASSERT_EQ(s.Add(T(1, kSimple)), Admission::kRun);
  EXPECT_EQ(s.Add(T(2, kOrdered)), Admission::kWait);
  EXPECT_EQ(s.Add(T(3, kSimple)), Admission::kWait);
  EXPECT_EQ(s.Add(T(4, kHoq)), Admission::kRun);
  std::vector<TaskKey> ready;
  s.Remove({0, 1}, &ready);
  EXPECT_TRUE(ready.empty());  // HEAD OF QUEUE 4 counts as older than the ORDERED 2
  s.Remove({0, 4}, &ready);
  EXPECT_EQ(ready, (std::vector<TaskKey>{{0, 2}}));
  ready.clear();
  s.Remove({0, 2}, &ready);
  EXPECT_EQ(ready, (std::vector<TaskKey>{{0, 3}}));
}

TEST(TaskSetTest, BarrierWaitsForEverythingAndBlocksEverything) {
  TaskSet s;
  ASSERT_EQ(s.Add(T(1, kSimple, SerialClass::kRead, 0, 1)), Admission::kRun);
  EXPECT_EQ(s.Add(T(2, kSimple, SerialClass::kBarrier)), Admission::kWait);
  EXPECT_EQ(s.Add(T(3, kSimple, SerialClass::kRead, 500, 1)), Admission::kWait);
  EXPECT_EQ(s.Add(T(4, kSimple, SerialClass::kNone)), Admission::kWait);
}

TEST(TaskSetTest, RejectsDuplicateTagsAndAcaTasks) {
  TaskSet s;
  ASSERT_EQ(s.Add(T(1, kSimple)), Admission::kRun);
  EXPECT_EQ(s.Add(T(1, kSimple)), Admission::kOverlapped);
  EXPECT_EQ(s.Add(T(1, kSimple, SerialClass::kNone, 0, 1, 1)), Admission::kRun);
  EXPECT_EQ(s.Add(T(9, TaskAttribute::kAca)), Admission::kRejectAca);
}

TEST(TaskSetTest, CompareAndWriteRangeRunsAloneAgainstOverlappingWrites) {
  testing::TestLu t;
  auto caw = testing::Cdb({0x89, 0, 0, 0, 0, 0, 0, 0, 0, 10, 0, 0, 0, 1, 0, 0});
  ScsiCommand cmd;
  cmd.cdb_bytes = caw.data();
  cmd.cdb_size = caw.size();
  cmd.nexus = t.a;
  ASSERT_TRUE(Prepare(t.lu, cmd));
  TaskSet s;
  ASSERT_EQ(s.Add(TaskInfoFor(cmd, 1, kSimple)), Admission::kRun);
  EXPECT_EQ(s.Add(T(2, kSimple, SerialClass::kWrite, 10, 1, t.b)), Admission::kWait);
  EXPECT_EQ(s.Add(T(3, kSimple, SerialClass::kWrite, 11, 1, t.b)), Admission::kRun);
}

TEST(TaskManagementTest, AbortTaskAndAbortTaskSetSelectOnlyTheRequestersTasks) {
  testing::TestLu t;
  TaskSet s;
  s.Add(T(1, kSimple, SerialClass::kNone, 0, 1, t.a));
  s.Add(T(2, kSimple, SerialClass::kNone, 0, 1, t.a));
  s.Add(T(1, kSimple, SerialClass::kNone, 0, 1, t.b));
  auto one = ApplyTaskManagement(t.lu, s, TaskManagementFunction::kAbortTask, t.a, 2);
  EXPECT_EQ(one.abort, (std::vector<TaskKey>{{t.a, 2}}));
  auto set = ApplyTaskManagement(t.lu, s, TaskManagementFunction::kAbortTaskSet, t.a);
  EXPECT_EQ(set.abort, (std::vector<TaskKey>{{t.a, 1}, {t.a, 2}}));
  EXPECT_TRUE(t.lu.unit_attentions(t.b).empty());
}

TEST(TaskManagementTest, ClearTaskSetNotifiesOtherInitiators) {
  testing::TestLu t;
  TaskSet s;
  s.Add(T(1, kSimple, SerialClass::kNone, 0, 1, t.a));
  s.Add(T(1, kSimple, SerialClass::kNone, 0, 1, t.b));
  auto plan = ApplyTaskManagement(t.lu, s, TaskManagementFunction::kClearTaskSet, t.a);
  EXPECT_EQ(plan.abort.size(), 2u);
  EXPECT_TRUE(t.lu.unit_attentions(t.b).Has(UnitAttention::kCommandsClearedByAnotherInitiator));
  EXPECT_TRUE(t.lu.unit_attentions(t.a).empty());
}

TEST(TaskManagementTest, ClearTaskSetWithTasReportsTaskAbortedInsteadOfAUnitAttention) {
  testing::TestLu t;
  ASSERT_TRUE(testing::SetControlModeBits(t, 5, 0x40));  // TAS
  TaskSet s;
  s.Add(T(1, kSimple, SerialClass::kNone, 0, 1, t.a));
  s.Add(T(7, kSimple, SerialClass::kNone, 0, 1, t.b));
  auto plan = ApplyTaskManagement(t.lu, s, TaskManagementFunction::kClearTaskSet, t.a);
  EXPECT_EQ(plan.abort.size(), 2u);
  EXPECT_EQ(plan.report_task_aborted, (std::vector<TaskKey>{{t.b, 7}}));
  EXPECT_FALSE(t.lu.unit_attentions(t.b).Has(UnitAttention::kCommandsClearedByAnotherInitiator));
}

TEST(TaskManagementTest, LunResetAbortsAllReleasesReserveAndRaisesResetUa) {
  testing::TestLu t;
  ASSERT_TRUE(t.Run(testing::Cdb({0x16, 0, 0, 0, 0, 0})).result.good());
  TaskSet s;
  s.Add(T(1, kSimple, SerialClass::kNone, 0, 1, t.b));
  auto plan = ApplyTaskManagement(t.lu, s, TaskManagementFunction::kLunReset, t.a);
  EXPECT_EQ(plan.abort.size(), 1u);
  EXPECT_FALSE(t.lu.legacy_holder().has_value());
  auto o = t.Run(testing::Cdb({0, 0, 0, 0, 0, 0}), {}, t.b);
  EXPECT_TRUE(testing::IsSense(o, SenseKey::kUnitAttention, 0x2903));
}

TEST(TaskManagementTest, ItNexusResetAffectsOnlyThatNexus) {
  testing::TestLu t;
  TaskSet s;
  s.Add(T(1, kSimple, SerialClass::kNone, 0, 1, t.a));
  s.Add(T(1, kSimple, SerialClass::kNone, 0, 1, t.b));
  auto plan = ApplyTaskManagement(t.lu, s, TaskManagementFunction::kItNexusReset, t.b);
  EXPECT_EQ(plan.abort, (std::vector<TaskKey>{{t.b, 1}}));
  EXPECT_TRUE(t.lu.unit_attentions(t.b).Has(UnitAttention::kItNexusLoss));
  EXPECT_TRUE(t.lu.unit_attentions(t.a).empty());
}

TEST(TaskManagementTest, QueriesAnswerSucceededOrComplete) {
  testing::TestLu t;
  TaskSet s;
  s.Add(T(7, kSimple, SerialClass::kNone, 0, 1, t.a));
  EXPECT_EQ(ApplyTaskManagement(t.lu, s, TaskManagementFunction::kQueryTask, t.a, 7).response,
            TmfResponse::kFunctionSucceeded);
  EXPECT_EQ(ApplyTaskManagement(t.lu, s, TaskManagementFunction::kQueryTask, t.a, 8).response,
            TmfResponse::kFunctionComplete);
  EXPECT_EQ(ApplyTaskManagement(t.lu, s, TaskManagementFunction::kQueryTaskSet, t.b).response,
            TmfResponse::kFunctionComplete);
  t.lu.RaiseUnitAttention(UnitAttention::kCapacityDataChanged);
  EXPECT_EQ(ApplyTaskManagement(t.lu, s, TaskManagementFunction::kQueryAsyncEvent, t.b).response,
            TmfResponse::kFunctionSucceeded);
  EXPECT_EQ(ApplyTaskManagement(t.lu, s, TaskManagementFunction::kClearAca, t.b).response,
            TmfResponse::kFunctionRejected);
}

}  // namespace
}  // namespace openstmf::scsi
