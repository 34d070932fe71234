// Unreferenced invocations (DOOR_UNREF, DOOR_UNREF_MULTI) and DOOR_IS_UNREF.
#include <cerrno>
#include <cstring>
#include <mutex>
#include <vector>

#include <gtest/gtest.h>

#include "door.h"
#include "door_test_util.h"

namespace {

using door_test::ScopedFd;
using door_test::WaitFor;

struct UnrefLog {
  std::atomic<int> unrefs{0};
  std::atomic<int> calls{0};
  std::atomic<bool> bad_args{false};
  std::atomic<door_id_t> query_id{0};
};

void CountingProc(void* cookie, char* argp, size_t size, door_desc_t* dp, uint_t n) {
  auto* log = static_cast<UnrefLog*>(cookie);
  if (argp == DOOR_UNREF_DATA) {
    if (size != 0 || dp != nullptr || n != 0) log->bad_args = true;
    door_info_t info{};
    if (door_info(DOOR_QUERY, &info) == 0) log->query_id = info.di_uniquifier;
    log->unrefs.fetch_add(1);
  } else {
    log->calls.fetch_add(1);
  }
  door_return(nullptr, 0, nullptr, 0);
}

// Keeps the door descriptors it receives until asked (empty call) to close them.
std::mutex keeper_mu;
std::vector<int> kept;

void KeeperProc(void*, char*, size_t, door_desc_t* dp, uint_t n) {
  {
    // Scoped: door_return() does not return, so nothing may stay locked across it.
    std::lock_guard<std::mutex> lock(keeper_mu);
    if (n == 0) {
      for (int fd : kept) close(fd);
      kept.clear();
    }
    for (uint_t i = 0; i < n; ++i) kept.push_back(dp[i].d_data.d_desc.d_descriptor);
  }
  door_return(nullptr, 0, nullptr, 0);
}

// Gives `target` to the keeper (a new reference) or makes the keeper drop all.
void Give(int keeper, int target) {
  door_desc_t desc{};
  desc.d_attributes = DOOR_DESCRIPTOR;
  desc.d_data.d_desc.d_descriptor = target;
  door_arg_t a{};
  a.desc_ptr = target >= 0 ? &desc : nullptr;
  a.desc_num = target >= 0 ? 1 : 0;
  ASSERT_EQ(door_call(keeper, &a), 0);
}

bool IsUnref(int d) {
  door_info_t info{};
  return door_info(d, &info) == 0 && (info.di_attributes & DOOR_IS_UNREF);
}

TEST(DoorUnref, DeliveredOnceWithDoorUnref) {
  UnrefLog log;
  ScopedFd d(door_create(CountingProc, &log, DOOR_UNREF));
  ScopedFd keeper(door_create(KeeperProc, nullptr, 0));
  EXPECT_TRUE(IsUnref(d.get()));
  Give(keeper.get(), d.get());
  EXPECT_TRUE(WaitFor([&] { return !IsUnref(d.get()); }));
  Give(keeper.get(), -1);
  ASSERT_TRUE(WaitFor([&] { return log.unrefs.load() == 1; }));
  EXPECT_TRUE(IsUnref(d.get()));
  EXPECT_FALSE(log.bad_args.load());
  door_info_t info{};
  ASSERT_EQ(door_info(d.get(), &info), 0);
  EXPECT_EQ(log.query_id.load(), info.di_uniquifier);
  // A second drop to one reference delivers nothing more.
  Give(keeper.get(), d.get());
  Give(keeper.get(), -1);
  ASSERT_TRUE(WaitFor([&] { return IsUnref(d.get()); }));
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  EXPECT_EQ(log.unrefs.load(), 1);
}

TEST(DoorUnref, DeliveredEachTimeWithDoorUnrefMulti) {
  UnrefLog log;
  ScopedFd d(door_create(CountingProc, &log, DOOR_UNREF_MULTI));
  ScopedFd keeper(door_create(KeeperProc, nullptr, 0));
  for (int round = 1; round <= 3; ++round) {
    Give(keeper.get(), d.get());
    Give(keeper.get(), d.get());  // three references now
    Give(keeper.get(), -1);
    ASSERT_TRUE(WaitFor([&] { return log.unrefs.load() == round; })) << round;
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  EXPECT_EQ(log.unrefs.load(), 3);
}

TEST(DoorUnref, NotDeliveredWithoutASecondReference) {
  UnrefLog log;
  int d = door_create(CountingProc, &log, DOOR_UNREF);
  ASSERT_EQ(door_call(d, nullptr), 0);
  close(d);
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  EXPECT_EQ(log.unrefs.load(), 0);
}

TEST(DoorUnref, DeliveredWhenTheCreatorClosesItsOwnDescriptor) {
  UnrefLog log;
  int d = door_create(CountingProc, &log, DOOR_UNREF);
  ScopedFd keeper(door_create(KeeperProc, nullptr, 0));
  Give(keeper.get(), d);
  close(d);  // the keeper's reference is the last one
  ASSERT_TRUE(WaitFor([&] { return log.unrefs.load() == 1; }));
  Give(keeper.get(), -1);
}

TEST(DoorUnref, DupAndPlainPassingDoNotCount) {
  UnrefLog log;
  ScopedFd d(door_create(CountingProc, &log, DOOR_UNREF));
  int copy = dup(d.get());
  EXPECT_TRUE(IsUnref(d.get()));
  close(copy);
  std::this_thread::sleep_for(std::chrono::milliseconds(30));
  EXPECT_EQ(log.unrefs.load(), 0);
}

TEST(DoorUnref, NotDeliveredWithoutTheAttribute) {
  UnrefLog log;
  ScopedFd d(door_create(CountingProc, &log, 0));
  ScopedFd keeper(door_create(KeeperProc, nullptr, 0));
  Give(keeper.get(), d.get());
  Give(keeper.get(), -1);
  ASSERT_TRUE(WaitFor([&] { return IsUnref(d.get()); }));
  std::this_thread::sleep_for(std::chrono::milliseconds(30));
  EXPECT_EQ(log.unrefs.load(), 0);
}

}  // namespace
