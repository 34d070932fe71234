// door_info, door_revoke, door_ucred / door_cred within one process.
#include <fcntl.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "door.h"
#include "door_test_util.h"

namespace {

using door_test::EchoProc;
using door_test::ScopedFd;
using door_test::WaitFor;

TEST(DoorInfo, DescribesALocalDoor) {
  int cookie = 0;
  ScopedFd d(door_create(EchoProc, &cookie, DOOR_UNREF | DOOR_NO_CANCEL));
  door_info_t info{};
  ASSERT_EQ(door_info(d.get(), &info), 0);
  EXPECT_EQ(info.di_target, getpid());
  EXPECT_EQ(info.di_proc, reinterpret_cast<uintptr_t>(&EchoProc));
  EXPECT_EQ(info.di_data, reinterpret_cast<uintptr_t>(&cookie));
  EXPECT_EQ(info.di_attributes,
            static_cast<door_attr_t>(DOOR_LOCAL | DOOR_UNREF | DOOR_NO_CANCEL | DOOR_IS_UNREF));
  ScopedFd other(door_create(EchoProc, nullptr, 0));
  door_info_t oi{};
  ASSERT_EQ(door_info(other.get(), &oi), 0);
  EXPECT_NE(oi.di_uniquifier, info.di_uniquifier);
}

TEST(DoorInfo, QueryDescribesTheDoorBeingServed) {
  static door_info_t seen;
  static int rc = -2;
  auto proc = [](void*, char*, size_t, door_desc_t*, uint_t) {
    rc = door_info(DOOR_QUERY, &seen);
    door_return(nullptr, 0, nullptr, 0);
  };
  ScopedFd d(door_create(proc, nullptr, DOOR_PRIVATE));
  ASSERT_EQ(door_call(d.get(), nullptr), 0);
  door_info_t info{};
  ASSERT_EQ(door_info(d.get(), &info), 0);
  EXPECT_EQ(rc, 0);
  EXPECT_EQ(seen.di_uniquifier, info.di_uniquifier);
  EXPECT_TRUE(seen.di_attributes & DOOR_PRIVATE);
  door_info_t outside{};
  EXPECT_EQ(door_info(DOOR_QUERY, &outside), -1);
  EXPECT_EQ(errno, EBADF);
}

TEST(DoorInfo, Errors) {
  door_info_t info{};
  EXPECT_EQ(door_info(-1, &info), -1);
  EXPECT_EQ(errno, EBADF);
  EXPECT_EQ(door_info(0, &info), -1);
  EXPECT_EQ(errno, EBADF);
  ScopedFd d(door_create(EchoProc, nullptr, 0));
  EXPECT_EQ(door_info(d.get(), nullptr), -1);
  EXPECT_EQ(errno, EFAULT);
}

struct Blocker {
  std::atomic<bool> entered{false};
  std::atomic<bool> release{false};
};

void BlockingProc(void* cookie, char* argp, size_t size, door_desc_t*, uint_t) {
  auto* b = static_cast<Blocker*>(cookie);
  b->entered = true;
  while (!b->release.load()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  door_return(argp, size, nullptr, 0);
}

TEST(DoorRevoke, CallInFlightFinishesAndNewCallsFailWithEbadf) {
  Blocker b;
  const int d = door_create(BlockingProc, &b, 0);
  const int copy = dup(d);  // the same reference, still open after revoking d
  std::atomic<int> result{-1};
  std::thread caller([&] {
    char msg[] = "in flight";
    char out[16];
    door_arg_t a{};
    a.data_ptr = msg;
    a.data_size = sizeof msg;
    a.rbuf = out;
    a.rsize = sizeof out;
    result = door_call(copy, &a) == 0 && std::strcmp(a.data_ptr, msg) == 0 ? 0 : errno;
  });
  ASSERT_TRUE(WaitFor([&] { return b.entered.load(); }));
  ASSERT_EQ(door_revoke(d), 0);
  EXPECT_EQ(fcntl(d, F_GETFD), -1);  // door_revoke closes d
  b.release = true;
  caller.join();
  EXPECT_EQ(result.load(), 0);
  EXPECT_EQ(door_call(copy, nullptr), -1);
  EXPECT_EQ(errno, EBADF);
  door_info_t info{};
  ASSERT_EQ(door_info(copy, &info), 0);
  EXPECT_TRUE(info.di_attributes & DOOR_REVOKED);
  EXPECT_EQ(door_revoke(copy), -1);
  EXPECT_EQ(errno, EBADF);
  close(copy);
}

TEST(DoorRevoke, CachedConnectionsOfOtherThreadsGetEbadf) {
  Blocker b;
  b.release = true;
  const int d = door_create(BlockingProc, &b, 0);
  const int copy = dup(d);
  std::atomic<int> phase{0};
  std::atomic<int> second{-1};
  std::thread other([&] {
    door_call(copy, nullptr);  // caches a connection
    phase = 1;
    while (phase.load() != 2) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    second = door_call(copy, nullptr) == 0 ? 0 : errno;
  });
  ASSERT_TRUE(WaitFor([&] { return phase.load() == 1; }));
  ASSERT_EQ(door_revoke(d), 0);
  phase = 2;
  other.join();
  EXPECT_EQ(second.load(), EBADF);
  close(copy);
}

TEST(DoorRevoke, Errors) {
  EXPECT_EQ(door_revoke(-1), -1);
  EXPECT_EQ(errno, EBADF);
  int p[2];
  ASSERT_EQ(pipe(p), 0);
  EXPECT_EQ(door_revoke(p[0]), -1);
  EXPECT_EQ(errno, EBADF);
  close(p[0]);
  close(p[1]);
}

void UcredProc(void*, char*, size_t, door_desc_t*, uint_t) {
  struct Out {
    int rc, cred_rc;
    pid_t pid;
    uid_t euid, ruid, suid;
    gid_t egid, rgid;
    int ngroups;
    door_cred_t dc;
  } out{};
  ucred_t* uc = nullptr;
  out.rc = door_ucred(&uc);
  if (out.rc == 0) {
    out.pid = ucred_getpid(uc);
    out.euid = ucred_geteuid(uc);
    out.ruid = ucred_getruid(uc);
    out.suid = ucred_getsuid(uc);
    out.egid = ucred_getegid(uc);
    out.rgid = ucred_getrgid(uc);
    const gid_t* groups = nullptr;
    out.ngroups = ucred_getgroups(uc, &groups);
    // A second door_ucred() reuses the same ucred_t.
    ucred_t* again = uc;
    if (door_ucred(&again) != 0 || again != uc) out.rc = -1;
    ucred_free(uc);
  }
  out.cred_rc = door_cred(&out.dc);
  door_return(reinterpret_cast<char*>(&out), sizeof out, nullptr, 0);
}

TEST(DoorUcred, DescribesTheCaller) {
  ScopedFd d(door_create(UcredProc, nullptr, 0));
  struct Out {
    int rc, cred_rc;
    pid_t pid;
    uid_t euid, ruid, suid;
    gid_t egid, rgid;
    int ngroups;
    door_cred_t dc;
  } out{};
  door_arg_t a{};
  a.rbuf = reinterpret_cast<char*>(&out);
  a.rsize = sizeof out;
  ASSERT_EQ(door_call(d.get(), &a), 0);
  ASSERT_EQ(out.rc, 0);
  EXPECT_EQ(out.pid, getpid());
  EXPECT_EQ(out.euid, geteuid());
  EXPECT_EQ(out.ruid, getuid());
  uid_t r = 0, e = 0, saved = 0;
  ASSERT_EQ(getresuid(&r, &e, &saved), 0);
  EXPECT_EQ(out.suid, saved);  // read from /proc at door_ucred() time
  EXPECT_EQ(out.egid, getegid());
  EXPECT_EQ(out.rgid, getgid());
  EXPECT_EQ(out.ngroups, getgroups(0, nullptr));
  EXPECT_EQ(out.cred_rc, 0);
  EXPECT_EQ(out.dc.dc_pid, getpid());
  EXPECT_EQ(out.dc.dc_euid, geteuid());
  EXPECT_EQ(out.dc.dc_egid, getegid());
}

TEST(DoorUcred, FailsOutsideACall) {
  ucred_t* uc = nullptr;
  EXPECT_EQ(door_ucred(&uc), -1);
  EXPECT_EQ(errno, EINVAL);
  EXPECT_EQ(door_ucred(nullptr), -1);
  EXPECT_EQ(errno, EFAULT);
  door_cred_t c;
  EXPECT_EQ(door_cred(&c), -1);
  EXPECT_EQ(errno, EINVAL);
  EXPECT_EQ(ucred_geteuid(nullptr), static_cast<uid_t>(-1));
  EXPECT_EQ(errno, EINVAL);
  EXPECT_GT(ucred_size(), sizeof(pid_t));
}

}  // namespace
