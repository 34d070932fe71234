// door_create / door_call / door_return within one process: data, results and
// their placement, and argument errors.
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/socket.h>

#include <cerrno>
#include <cstring>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "door.h"
#include "door_test_util.h"

namespace {

using door_test::EchoProc;
using door_test::Pattern;
using door_test::ScopedFd;

// Replies with `size` bytes of Pattern(size, 7), the size taken from the arguments.
void SizedReplyProc(void*, char* argp, size_t arg_size, door_desc_t*, uint_t) {
  size_t n = 0;
  if (arg_size == sizeof n) std::memcpy(&n, argp, sizeof n);
  // door_return() does not return: results live in storage that outlives the
  // call, never in an object of this frame.
  thread_local std::vector<char> out;
  out = Pattern(n, 7);
  door_return(out.data(), out.size(), nullptr, 0);
}

void ReturnsNothingProc(void* cookie, char*, size_t, door_desc_t*, uint_t) {
  static_cast<std::atomic<int>*>(cookie)->fetch_add(1);
}

TEST(DoorCall, EchoesSmallArguments) {
  ScopedFd d(door_create(EchoProc, nullptr, 0));
  ASSERT_GE(d.get(), 0);
  char buf[64];
  const char msg[] = "hello door";
  door_arg_t a{};
  a.data_ptr = const_cast<char*>(msg);
  a.data_size = sizeof msg;
  a.rbuf = buf;
  a.rsize = sizeof buf;
  ASSERT_EQ(door_call(d.get(), &a), 0) << strerror(errno);
  EXPECT_EQ(a.rbuf, buf);
  EXPECT_EQ(a.data_ptr, buf);
  ASSERT_EQ(a.data_size, sizeof msg);
  EXPECT_STREQ(a.data_ptr, msg);
  EXPECT_EQ(a.desc_num, 0u);
}

TEST(DoorCall, ResultsThatExactlyFitStayInRbuf) {
  ScopedFd d(door_create(SizedReplyProc, nullptr, 0));
  std::vector<char> rbuf(1000);
  size_t n = rbuf.size();
  door_arg_t a{};
  a.data_ptr = reinterpret_cast<char*>(&n);
  a.data_size = sizeof n;
  a.rbuf = rbuf.data();
  a.rsize = rbuf.size();
  ASSERT_EQ(door_call(d.get(), &a), 0);
  EXPECT_EQ(a.rbuf, rbuf.data());
  EXPECT_EQ(a.rsize, rbuf.size());
  EXPECT_EQ(std::vector<char>(a.data_ptr, a.data_ptr + a.data_size), Pattern(n, 7));
}

TEST(DoorCall, ResultsLargerThanRbufComeInANewMapping) {
  ScopedFd d(door_create(SizedReplyProc, nullptr, 0));
  for (size_t n : {size_t{100}, size_t{70000}, size_t{3} << 20}) {
    char small[16];
    door_arg_t a{};
    a.data_ptr = reinterpret_cast<char*>(&n);
    a.data_size = sizeof n;
    a.rbuf = small;
    a.rsize = sizeof small;
    ASSERT_EQ(door_call(d.get(), &a), 0) << n;
    ASSERT_NE(a.rbuf, small);
    EXPECT_GE(a.rsize, n);
    EXPECT_EQ(a.data_ptr, a.rbuf);
    ASSERT_EQ(a.data_size, n);
    EXPECT_EQ(std::memcmp(a.data_ptr, Pattern(n, 7).data(), n), 0) << n;
    EXPECT_EQ(munmap(a.rbuf, a.rsize), 0);
  }
}

TEST(DoorCall, LargeResultsFitInALargeRbuf) {
  ScopedFd d(door_create(SizedReplyProc, nullptr, 0));
  size_t n = size_t{2} << 20;
  std::vector<char> rbuf(n);
  door_arg_t a{};
  a.data_ptr = reinterpret_cast<char*>(&n);
  a.data_size = sizeof n;
  a.rbuf = rbuf.data();
  a.rsize = rbuf.size();
  ASSERT_EQ(door_call(d.get(), &a), 0);
  EXPECT_EQ(a.rbuf, rbuf.data());
  EXPECT_EQ(std::memcmp(a.data_ptr, Pattern(n, 7).data(), n), 0);
  // Again, now that the connection has an arena (from a large argument).
  std::vector<char> big = Pattern(size_t{4} << 20, 3);
  std::memcpy(big.data(), &n, sizeof n);
  door_arg_t b{};
  std::vector<char> arg(sizeof n);
  std::memcpy(arg.data(), &n, sizeof n);
  b.data_ptr = arg.data();
  b.data_size = arg.size();
  b.rbuf = rbuf.data();
  b.rsize = rbuf.size();
  ASSERT_EQ(door_call(d.get(), &b), 0);
  EXPECT_EQ(std::memcmp(b.data_ptr, Pattern(n, 7).data(), n), 0);
}

TEST(DoorCall, ArgumentSizesRoundTrip) {
  ScopedFd d(door_create(EchoProc, nullptr, 0));
  const size_t k64 = 64 * 1024;
  for (size_t n : {size_t{0}, size_t{1}, k64 - 1, k64, k64 + 1, size_t{1} << 20, size_t{16} << 20,
                   size_t{1} << 20}) {
    std::vector<char> in = Pattern(n, static_cast<uint32_t>(n));
    std::vector<char> out(n + 64);
    door_arg_t a{};
    a.data_ptr = in.data();
    a.data_size = n;
    a.rbuf = out.data();
    a.rsize = out.size();
    ASSERT_EQ(door_call(d.get(), &a), 0) << n << ": " << strerror(errno);
    ASSERT_EQ(a.data_size, n);
    EXPECT_EQ(a.rbuf, out.data()) << n;
    if (n > 0) {
      EXPECT_EQ(std::memcmp(a.data_ptr, in.data(), n), 0) << n;
    }
  }
}

TEST(DoorCall, SameBufferForArgumentsAndResults) {
  ScopedFd d(door_create(EchoProc, nullptr, 0));
  char buf[128] = "in and out";
  door_arg_t a{};
  a.data_ptr = buf;
  a.data_size = 11;
  a.rbuf = buf;
  a.rsize = sizeof buf;
  ASSERT_EQ(door_call(d.get(), &a), 0);
  EXPECT_STREQ(a.data_ptr, "in and out");
}

TEST(DoorCall, NullParamsAndImplicitReturn) {
  std::atomic<int> calls{0};
  ScopedFd d(door_create(ReturnsNothingProc, &calls, 0));
  EXPECT_EQ(door_call(d.get(), nullptr), 0);
  door_arg_t a{};
  EXPECT_EQ(door_call(d.get(), &a), 0);
  EXPECT_EQ(a.data_size, 0u);
  EXPECT_EQ(calls.load(), 2);
}

TEST(DoorCall, ManyCallsFromOneThreadReuseTheConnection) {
  ScopedFd d(door_create(EchoProc, nullptr, 0));
  for (int i = 0; i < 2000; ++i) {
    char out[8];
    door_arg_t a{};
    a.data_ptr = reinterpret_cast<char*>(&i);
    a.data_size = sizeof i;
    a.rbuf = out;
    a.rsize = sizeof out;
    ASSERT_EQ(door_call(d.get(), &a), 0);
    int back;
    std::memcpy(&back, a.data_ptr, sizeof back);
    ASSERT_EQ(back, i);
  }
}

TEST(DoorCall, CallsManyDoorsBeyondTheConnectionCache) {
  std::vector<int> doors;
  for (int i = 0; i < 80; ++i) doors.push_back(door_create(EchoProc, nullptr, 0));
  for (int round = 0; round < 2; ++round) {
    for (int fd : doors) {
      char out[4];
      door_arg_t a{};
      a.data_ptr = reinterpret_cast<char*>(&fd);
      a.data_size = sizeof fd;
      a.rbuf = out;
      a.rsize = sizeof out;
      ASSERT_EQ(door_call(fd, &a), 0);
    }
  }
  for (int fd : doors) close(fd);
}

TEST(DoorCall, RejectsNonDoors) {
  door_arg_t a{};
  EXPECT_EQ(door_call(-1, &a), -1);
  EXPECT_EQ(errno, EBADF);
  int p[2];
  ASSERT_EQ(pipe(p), 0);
  EXPECT_EQ(door_call(p[0], &a), -1);
  EXPECT_EQ(errno, EBADF);
  close(p[0]);
  close(p[1]);
  int sv[2];
  ASSERT_EQ(socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv), 0);
  EXPECT_EQ(door_call(sv[0], &a), -1);
  EXPECT_EQ(errno, EBADF);
  close(sv[0]);
  close(sv[1]);
}

TEST(DoorCall, RejectsNullPointersWithSizes) {
  ScopedFd d(door_create(EchoProc, nullptr, 0));
  door_arg_t a{};
  a.data_size = 10;
  EXPECT_EQ(door_call(d.get(), &a), -1);
  EXPECT_EQ(errno, EFAULT);
  door_arg_t b{};
  b.desc_num = 1;
  EXPECT_EQ(door_call(d.get(), &b), -1);
  EXPECT_EQ(errno, EFAULT);
}

TEST(DoorCreate, RejectsBadAttributes) {
  EXPECT_EQ(door_create(EchoProc, nullptr, 0x100), -1);
  EXPECT_EQ(errno, EINVAL);
  EXPECT_EQ(door_create(EchoProc, nullptr, DOOR_UNREF | DOOR_UNREF_MULTI), -1);
  EXPECT_EQ(errno, EINVAL);
  EXPECT_EQ(door_create(nullptr, nullptr, 0), -1);
  EXPECT_EQ(errno, EINVAL);
}

TEST(DoorCreate, DescriptorIsCloseOnExec) {
  ScopedFd d(door_create(EchoProc, nullptr, 0));
  EXPECT_EQ(fcntl(d.get(), F_GETFD) & FD_CLOEXEC, FD_CLOEXEC);
}

TEST(DoorReturn, FailsWithBadArgumentsAndTheCallContinues) {
  struct Result {
    int efault = 0, einval = 0, e2big = 0;
  };
  static Result r;
  auto proc = [](void*, char*, size_t, door_desc_t*, uint_t) {
    if (door_return(nullptr, 5, nullptr, 0) == -1) r.efault = errno;
    door_desc_t bad{};
    bad.d_attributes = 0x1234;
    if (door_return(nullptr, 0, &bad, 1) == -1) r.einval = errno;
    if (door_return(nullptr, 0, &bad, 100000) == -1) r.e2big = errno;
    char ok[] = "ok";
    door_return(ok, 3, nullptr, 0);
  };
  ScopedFd d(door_create(proc, nullptr, 0));
  char buf[8];
  door_arg_t a{};
  a.rbuf = buf;
  a.rsize = sizeof buf;
  ASSERT_EQ(door_call(d.get(), &a), 0);
  EXPECT_STREQ(a.data_ptr, "ok");
  EXPECT_EQ(r.efault, EFAULT);
  EXPECT_EQ(r.einval, EINVAL);
  EXPECT_EQ(r.e2big, E2BIG);
}

TEST(DoorReturn, OutsideACallFromABoundlessThreadServesTheSharedPool) {
  // A thread that calls door_return() without serving becomes a server thread; it
  // never comes back, so run it detached and just check that calls are served.
  ScopedFd d(door_create(EchoProc, nullptr, 0));
  std::thread([] { door_return(nullptr, 0, nullptr, 0); }).detach();
  char buf[4];
  door_arg_t a{};
  a.data_ptr = const_cast<char*>("abc");
  a.data_size = 4;
  a.rbuf = buf;
  a.rsize = sizeof buf;
  EXPECT_EQ(door_call(d.get(), &a), 0);
}

TEST(DoorCall, ServerCallsAnotherDoorFromItsProcedure) {
  static int inner = -1;
  inner = door_create(EchoProc, nullptr, 0);
  auto outer_proc = [](void*, char* argp, size_t size, door_desc_t*, uint_t) {
    char buf[64];
    door_arg_t a{};
    a.data_ptr = argp;
    a.data_size = size;
    a.rbuf = buf;
    a.rsize = sizeof buf;
    if (door_call(inner, &a) != 0) door_return(nullptr, 0, nullptr, 0);
    door_return(a.data_ptr, a.data_size, nullptr, 0);
  };
  ScopedFd outer(door_create(outer_proc, nullptr, 0));
  char buf[64];
  door_arg_t a{};
  a.data_ptr = const_cast<char*>("nested");
  a.data_size = 7;
  a.rbuf = buf;
  a.rsize = sizeof buf;
  ASSERT_EQ(door_call(outer.get(), &a), 0);
  EXPECT_STREQ(a.data_ptr, "nested");
  close(inner);
}

}  // namespace
