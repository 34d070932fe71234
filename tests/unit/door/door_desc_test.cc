// Passing descriptors through doors, both ways: plain files, DOOR_RELEASE, doors
// (passed as new references), DOOR_REFUSE_DESC, and argument errors.
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>

#include <cerrno>
#include <cstring>
#include <vector>

#include <gtest/gtest.h>

#include "door.h"
#include "door_test_util.h"

namespace {

using door_test::EchoProc;
using door_test::ScopedFd;

struct Seen {
  int n = -1;
  door_attr_t attrs[4] = {};
  door_id_t ids[4] = {};
  int cloexec[4] = {};
  char text[32] = {};
};

// Records what arrived, reads up to 31 bytes from the first descriptor if it is
// not a door, closes everything it received.
void RecordProc(void* cookie, char*, size_t, door_desc_t* dp, uint_t n) {
  auto* s = static_cast<Seen*>(cookie);
  s->n = static_cast<int>(n);
  for (uint_t i = 0; i < n && i < 4; ++i) {
    s->attrs[i] = dp[i].d_attributes;
    s->ids[i] = dp[i].d_data.d_desc.d_id;
    s->cloexec[i] = fcntl(dp[i].d_data.d_desc.d_descriptor, F_GETFD) & FD_CLOEXEC;
  }
  if (n > 0 && s->ids[0] == 0) {
    fcntl(dp[0].d_data.d_desc.d_descriptor, F_SETFL, O_NONBLOCK);
    ssize_t got = read(dp[0].d_data.d_desc.d_descriptor, s->text, sizeof s->text - 1);
    (void)got;
  }
  for (uint_t i = 0; i < n; ++i) close(dp[i].d_data.d_desc.d_descriptor);
  door_return(nullptr, 0, nullptr, 0);
}

// Returns the descriptors it received, releasing them on its side.
void ReturnDescProc(void*, char* argp, size_t size, door_desc_t* dp, uint_t n) {
  thread_local door_desc_t out[8];  // outlives the frame door_return() leaves
  for (uint_t i = 0; i < n && i < 8; ++i) {
    out[i] = dp[i];
    out[i].d_attributes = DOOR_DESCRIPTOR | DOOR_RELEASE;
  }
  door_return(argp, size, out, n < 8 ? n : 8);
}

door_desc_t Desc(int fd, door_attr_t extra = 0) {
  door_desc_t d{};
  d.d_attributes = DOOR_DESCRIPTOR | extra;
  d.d_data.d_desc.d_descriptor = fd;
  return d;
}

bool IsOpen(int fd) { return fcntl(fd, F_GETFD) != -1; }

TEST(DoorDesc, ServerReceivesADescriptor) {
  Seen seen;
  ScopedFd d(door_create(RecordProc, &seen, 0));
  int p[2];
  ASSERT_EQ(pipe(p), 0);
  ASSERT_EQ(write(p[1], "via door", 8), 8);
  close(p[1]);
  door_desc_t desc = Desc(p[0]);
  door_arg_t a{};
  a.desc_ptr = &desc;
  a.desc_num = 1;
  ASSERT_EQ(door_call(d.get(), &a), 0) << strerror(errno);
  EXPECT_EQ(seen.n, 1);
  EXPECT_EQ(seen.attrs[0], DOOR_DESCRIPTOR);
  EXPECT_STREQ(seen.text, "via door");
  EXPECT_EQ(seen.cloexec[0], FD_CLOEXEC);
  EXPECT_TRUE(IsOpen(p[0]));  // no DOOR_RELEASE: still the caller's
  close(p[0]);
}

TEST(DoorDesc, DoorReleaseClosesTheCallersDescriptor) {
  Seen seen;
  ScopedFd d(door_create(RecordProc, &seen, 0));
  int p[2];
  ASSERT_EQ(pipe(p), 0);
  door_desc_t desc = Desc(p[1], DOOR_RELEASE);
  door_arg_t a{};
  a.desc_ptr = &desc;
  a.desc_num = 1;
  ASSERT_EQ(door_call(d.get(), &a), 0);
  EXPECT_EQ(seen.n, 1);
  // The server closed its copy; end of file proves the caller's is closed too.
  char b;
  EXPECT_EQ(read(p[0], &b, 1), 0);
  close(p[0]);
}

TEST(DoorDesc, ServerReturnsDescriptorsAfterTheData) {
  ScopedFd d(door_create(ReturnDescProc, nullptr, 0));
  int p[2];
  ASSERT_EQ(pipe(p), 0);
  door_desc_t desc[2] = {Desc(p[0]), Desc(p[1])};
  char data[5] = "abcd";
  alignas(8) char rbuf[256];
  door_arg_t a{};
  a.data_ptr = data;
  a.data_size = 5;
  a.desc_ptr = desc;
  a.desc_num = 2;
  a.rbuf = rbuf;
  a.rsize = sizeof rbuf;
  ASSERT_EQ(door_call(d.get(), &a), 0);
  ASSERT_EQ(a.desc_num, 2u);
  EXPECT_EQ(a.data_ptr, rbuf);
  EXPECT_STREQ(a.data_ptr, "abcd");
  const char* dp = reinterpret_cast<const char*>(a.desc_ptr);
  EXPECT_GE(dp, rbuf + 5);
  EXPECT_LE(dp + 2 * sizeof(door_desc_t), rbuf + sizeof rbuf);
  EXPECT_EQ(reinterpret_cast<uintptr_t>(dp) % alignof(door_desc_t), 0u);
  const int r0 = a.desc_ptr[0].d_data.d_desc.d_descriptor;
  const int w0 = a.desc_ptr[1].d_data.d_desc.d_descriptor;
  EXPECT_NE(r0, p[0]);
  EXPECT_EQ(fcntl(r0, F_GETFD) & FD_CLOEXEC, FD_CLOEXEC);
  EXPECT_EQ(fcntl(w0, F_GETFD) & FD_CLOEXEC, FD_CLOEXEC);
  ASSERT_EQ(write(w0, "x", 1), 1);
  char c;
  ASSERT_EQ(read(p[0], &c, 1), 1);  // the same pipe
  for (int fd : {p[0], p[1], r0, w0}) close(fd);
}

TEST(DoorDesc, ReturnedDescriptorsGoToANewMappingWhenRbufIsTooSmall) {
  ScopedFd d(door_create(ReturnDescProc, nullptr, 0));
  int p[2];
  ASSERT_EQ(pipe(p), 0);
  door_desc_t desc = Desc(p[0], DOOR_RELEASE);
  char rbuf[8];
  char data[8] = "1234567";
  door_arg_t a{};
  a.data_ptr = data;
  a.data_size = 8;
  a.desc_ptr = &desc;
  a.desc_num = 1;
  a.rbuf = rbuf;
  a.rsize = sizeof rbuf;
  ASSERT_EQ(door_call(d.get(), &a), 0);
  ASSERT_NE(a.rbuf, rbuf);
  ASSERT_EQ(a.desc_num, 1u);
  EXPECT_STREQ(a.data_ptr, "1234567");
  EXPECT_TRUE(IsOpen(a.desc_ptr[0].d_data.d_desc.d_descriptor));
  close(a.desc_ptr[0].d_data.d_desc.d_descriptor);
  close(p[1]);
  EXPECT_EQ(munmap(a.rbuf, a.rsize), 0);
}

TEST(DoorDesc, PassedDoorArrivesAsANewReferenceTheServerCanCall) {
  static int called = 0;
  static char echoed[16];
  auto proc = [](void*, char*, size_t, door_desc_t* dp, uint_t n) {
    if (n == 1) {
      door_arg_t a{};
      char msg[] = "inner";
      a.data_ptr = msg;
      a.data_size = sizeof msg;
      a.rbuf = echoed;
      a.rsize = sizeof echoed;
      called = door_call(dp[0].d_data.d_desc.d_descriptor, &a) == 0 ? 1 : -errno;
      close(dp[0].d_data.d_desc.d_descriptor);
    }
    door_return(nullptr, 0, nullptr, 0);
  };
  ScopedFd echo(door_create(EchoProc, nullptr, DOOR_UNREF));
  ScopedFd d(door_create(proc, nullptr, 0));
  door_info_t info{};
  ASSERT_EQ(door_info(echo.get(), &info), 0);
  door_desc_t desc = Desc(echo.get());
  door_arg_t a{};
  a.desc_ptr = &desc;
  a.desc_num = 1;
  ASSERT_EQ(door_call(d.get(), &a), 0);
  EXPECT_EQ(called, 1);
  EXPECT_STREQ(echoed, "inner");
}

TEST(DoorDesc, ReceivedDoorDescriptorsCarryIdAndAttributes) {
  Seen seen;
  ScopedFd d(door_create(RecordProc, &seen, 0));
  ScopedFd other(door_create(EchoProc, nullptr, DOOR_UNREF | DOOR_NO_CANCEL));
  door_info_t info{};
  ASSERT_EQ(door_info(other.get(), &info), 0);
  door_desc_t desc = Desc(other.get());
  door_arg_t a{};
  a.desc_ptr = &desc;
  a.desc_num = 1;
  ASSERT_EQ(door_call(d.get(), &a), 0);
  ASSERT_EQ(seen.n, 1);
  EXPECT_EQ(seen.ids[0], info.di_uniquifier);
  EXPECT_EQ(seen.attrs[0], DOOR_DESCRIPTOR | DOOR_LOCAL | DOOR_UNREF | DOOR_NO_CANCEL);
}

TEST(DoorDesc, ServerReturnsADoorTheClientCalls) {
  static int made = -1;
  made = door_create(EchoProc, nullptr, 0);
  auto proc = [](void*, char*, size_t, door_desc_t*, uint_t) {
    door_desc_t out = Desc(made);
    door_return(nullptr, 0, &out, 1);
  };
  ScopedFd d(door_create(proc, nullptr, 0));
  alignas(8) char rbuf[64];
  door_arg_t a{};
  a.rbuf = rbuf;
  a.rsize = sizeof rbuf;
  ASSERT_EQ(door_call(d.get(), &a), 0);
  ASSERT_EQ(a.desc_num, 1u);
  ScopedFd got(a.desc_ptr[0].d_data.d_desc.d_descriptor);
  EXPECT_NE(got.get(), made);
  char buf[8];
  door_arg_t b{};
  b.data_ptr = const_cast<char*>("ret");
  b.data_size = 4;
  b.rbuf = buf;
  b.rsize = sizeof buf;
  ASSERT_EQ(door_call(got.get(), &b), 0);
  EXPECT_STREQ(b.data_ptr, "ret");
  close(made);
}

TEST(DoorDesc, RefuseDescFailsWithEnotsupAndStillReleases) {
  Seen seen;
  ScopedFd d(door_create(RecordProc, &seen, DOOR_REFUSE_DESC));
  int p[2];
  ASSERT_EQ(pipe(p), 0);
  door_desc_t desc = Desc(p[1], DOOR_RELEASE);
  door_arg_t a{};
  a.desc_ptr = &desc;
  a.desc_num = 1;
  EXPECT_EQ(door_call(d.get(), &a), -1);
  EXPECT_EQ(errno, ENOTSUP);
  char c;
  EXPECT_EQ(read(p[0], &c, 1), 0);  // released although the call failed
  EXPECT_EQ(seen.n, -1);
  door_arg_t b{};
  EXPECT_EQ(door_call(d.get(), &b), 0);  // without descriptors it works
  close(p[0]);
}

TEST(DoorDesc, RejectsBadDescriptorsWithoutCalling) {
  Seen seen;
  ScopedFd d(door_create(RecordProc, &seen, 0));
  door_desc_t bad_attr{};
  bad_attr.d_attributes = 0;
  bad_attr.d_data.d_desc.d_descriptor = 0;
  door_arg_t a{};
  a.desc_ptr = &bad_attr;
  a.desc_num = 1;
  EXPECT_EQ(door_call(d.get(), &a), -1);
  EXPECT_EQ(errno, EINVAL);
  door_desc_t closed = Desc(987654);
  a.desc_ptr = &closed;
  EXPECT_EQ(door_call(d.get(), &a), -1);
  EXPECT_EQ(errno, EBADF);
  std::vector<door_desc_t> many(300, Desc(0));
  a.desc_ptr = many.data();
  a.desc_num = 300;
  EXPECT_EQ(door_call(d.get(), &a), -1);
  EXPECT_EQ(errno, E2BIG);
  EXPECT_EQ(seen.n, -1);
}

TEST(DoorDesc, PassesTheLargestNumberOfDescriptors) {
  Seen seen;
  ScopedFd d(door_create(RecordProc, &seen, 0));
  std::vector<door_desc_t> many(252, Desc(0));
  door_arg_t a{};
  a.desc_ptr = many.data();
  a.desc_num = 252;
  ASSERT_EQ(door_call(d.get(), &a), 0) << strerror(errno);
  EXPECT_EQ(seen.n, 252);
}

}  // namespace
