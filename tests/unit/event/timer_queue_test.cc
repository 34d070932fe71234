#include "event/timer_queue.h"

#include <string>

#include <gtest/gtest.h>

namespace openstmf::event {
namespace {

using std::chrono::milliseconds;

TEST(TimerQueueTest, FiresDueTimersInDeadlineThenInsertionOrder) {
  TimerQueue q;
  std::string order;
  const TimePoint t0{};
  q.Add(t0 + milliseconds(20), [&] { order += "c"; });
  q.Add(t0 + milliseconds(10), [&] { order += "a"; });
  q.Add(t0 + milliseconds(10), [&] { order += "b"; });
  q.Add(t0 + milliseconds(30), [&] { order += "d"; });
  for (auto& fn : q.TakeExpired(t0 + milliseconds(20))) fn();
  EXPECT_EQ(order, "abc");
  EXPECT_EQ(q.size(), 1u);
  EXPECT_EQ(q.NextDeadline(), t0 + milliseconds(30));
}

TEST(TimerQueueTest, CancelledTimerNeverFiresAndReportsWhetherItWasPending) {
  TimerQueue q;
  bool fired = false;
  const TimePoint t0{};
  TimerId id = q.Add(t0 + milliseconds(5), [&] { fired = true; });
  EXPECT_TRUE(q.Cancel(id));
  EXPECT_FALSE(q.Cancel(id));
  EXPECT_FALSE(q.NextDeadline().has_value());
  EXPECT_TRUE(q.TakeExpired(t0 + milliseconds(10)).empty());
  EXPECT_FALSE(fired);
}

TEST(TimerQueueTest, NothingIsDueBeforeItsDeadline) {
  TimerQueue q;
  const TimePoint t0{};
  q.Add(t0 + milliseconds(5), [] {});
  EXPECT_TRUE(q.TakeExpired(t0 + milliseconds(4)).empty());
  EXPECT_EQ(q.TakeExpired(t0 + milliseconds(5)).size(), 1u);
}

}  // namespace
}  // namespace openstmf::event
