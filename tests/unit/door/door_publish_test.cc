// fattach / fdetach / door_open.
#include <fcntl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <string>

#include <gtest/gtest.h>

#include "door.h"
#include "door_test_util.h"

namespace {

using door_test::EchoProc;
using door_test::Fork;
using door_test::ScopedFd;
using door_test::Wait;
using door_test::WaitFor;

class DoorPublish : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/libdoor-test-XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
    path_ = dir_ + "/door";
  }
  void TearDown() override {
    unlink(path_.c_str());
    rmdir(dir_.c_str());
  }
  std::string dir_;
  std::string path_;
};

int CallEcho(int d) {
  char buf[8];
  door_arg_t a{};
  a.data_ptr = const_cast<char*>("pub");
  a.data_size = 4;
  a.rbuf = buf;
  a.rsize = sizeof buf;
  if (door_call(d, &a) != 0) return errno;
  return std::strcmp(a.data_ptr, "pub") == 0 ? 0 : -1;
}

TEST_F(DoorPublish, OpenedDoorIsTheAttachedDoor) {
  ScopedFd d(door_create(EchoProc, nullptr, 0));
  ASSERT_EQ(fattach(d.get(), path_.c_str()), 0) << strerror(errno);
  ScopedFd o(door_open(path_.c_str()));
  ASSERT_GE(o.get(), 0) << strerror(errno);
  EXPECT_EQ(fcntl(o.get(), F_GETFD) & FD_CLOEXEC, FD_CLOEXEC);
  door_info_t a{}, b{};
  ASSERT_EQ(door_info(d.get(), &a), 0);
  ASSERT_EQ(door_info(o.get(), &b), 0);
  EXPECT_EQ(a.di_uniquifier, b.di_uniquifier);
  EXPECT_EQ(CallEcho(o.get()), 0);
  EXPECT_EQ(fdetach(path_.c_str()), 0);
  EXPECT_EQ(door_open(path_.c_str()), -1);
  EXPECT_EQ(errno, ENOENT);
  EXPECT_EQ(CallEcho(o.get()), 0);  // an opened door outlives the publication
}

TEST_F(DoorPublish, AnotherProcessOpensAndCalls) {
  ScopedFd d(door_create(EchoProc, nullptr, 0));
  ASSERT_EQ(fattach(d.get(), path_.c_str()), 0);
  pid_t pid = Fork([&] {
    int o = door_open(path_.c_str());
    return o >= 0 && CallEcho(o) == 0 ? 0 : 1;
  });
  EXPECT_EQ(Wait(pid), 0);
  EXPECT_EQ(fdetach(path_.c_str()), 0);
}

TEST_F(DoorPublish, ReplacesARegularFileKeepingItsMode) {
  int f = open(path_.c_str(), O_CREAT | O_WRONLY, 0640);
  ASSERT_GE(f, 0);
  close(f);
  ScopedFd d(door_create(EchoProc, nullptr, 0));
  ASSERT_EQ(fattach(d.get(), path_.c_str()), 0) << strerror(errno);
  struct stat st {};
  ASSERT_EQ(stat(path_.c_str(), &st), 0);
  EXPECT_TRUE(S_ISSOCK(st.st_mode));
  EXPECT_EQ(st.st_mode & 0777, 0640u);
  ScopedFd o(door_open(path_.c_str()));
  EXPECT_EQ(CallEcho(o.get()), 0);
  EXPECT_EQ(fdetach(path_.c_str()), 0);
}

TEST_F(DoorPublish, ReplacesAStaleSocketButNotALiveOne) {
  {
    int s = socket(AF_UNIX, SOCK_SEQPACKET, 0);
    sockaddr_un sa{};
    sa.sun_family = AF_UNIX;
    std::strcpy(sa.sun_path, path_.c_str());
    ASSERT_EQ(bind(s, reinterpret_cast<sockaddr*>(&sa), sizeof sa), 0);
    close(s);  // leaves a stale socket file
  }
  ScopedFd d(door_create(EchoProc, nullptr, 0));
  ASSERT_EQ(fattach(d.get(), path_.c_str()), 0) << strerror(errno);
  ScopedFd other(door_create(EchoProc, nullptr, 0));
  EXPECT_EQ(fattach(other.get(), path_.c_str()), -1);
  EXPECT_EQ(errno, EBUSY);
  ScopedFd o(door_open(path_.c_str()));
  door_info_t a{}, b{};
  ASSERT_EQ(door_info(d.get(), &a), 0);
  ASSERT_EQ(door_info(o.get(), &b), 0);
  EXPECT_EQ(a.di_uniquifier, b.di_uniquifier);
  EXPECT_EQ(fdetach(path_.c_str()), 0);
}

TEST_F(DoorPublish, Errors) {
  ScopedFd d(door_create(EchoProc, nullptr, 0));
  EXPECT_EQ(fattach(-1, path_.c_str()), -1);
  EXPECT_EQ(errno, EBADF);
  EXPECT_EQ(fattach(d.get(), nullptr), -1);
  EXPECT_EQ(errno, EFAULT);
  EXPECT_EQ(fattach(d.get(), dir_.c_str()), -1);  // a directory
  EXPECT_EQ(errno, EBUSY);
  EXPECT_EQ(fdetach(path_.c_str()), -1);
  EXPECT_EQ(errno, ENOENT);
  int f = open(path_.c_str(), O_CREAT | O_WRONLY, 0600);
  close(f);
  EXPECT_EQ(fdetach(path_.c_str()), -1);
  EXPECT_EQ(errno, EINVAL);
  EXPECT_EQ(door_open(path_.c_str()), -1);
  EXPECT_EQ(errno, ENOTSOCK);
  EXPECT_EQ(door_open((dir_ + "/missing").c_str()), -1);
  EXPECT_EQ(errno, ENOENT);
}

TEST_F(DoorPublish, AttachmentCountsAsAReference) {
  static std::atomic<int> unrefs{0};
  auto proc = [](void*, char* argp, size_t, door_desc_t*, uint_t) {
    if (argp == DOOR_UNREF_DATA) unrefs.fetch_add(1);
    door_return(nullptr, 0, nullptr, 0);
  };
  ScopedFd d(door_create(proc, nullptr, DOOR_UNREF));
  ASSERT_EQ(fattach(d.get(), path_.c_str()), 0);
  door_info_t info{};
  ASSERT_EQ(door_info(d.get(), &info), 0);
  EXPECT_FALSE(info.di_attributes & DOOR_IS_UNREF);
  ASSERT_EQ(fdetach(path_.c_str()), 0);
  EXPECT_TRUE(WaitFor([] { return unrefs.load() == 1; }));
}

TEST_F(DoorPublish, AttachesADoorServedByAnotherProcess) {
  // The parent receives a door from a child-served... here: publishes a door it
  // received as a new reference, so opening mints through the real server.
  static int inner = -1;
  inner = door_create(EchoProc, nullptr, 0);
  auto give = [](void*, char*, size_t, door_desc_t*, uint_t) {
    door_desc_t out{};
    out.d_attributes = DOOR_DESCRIPTOR;
    out.d_data.d_desc.d_descriptor = inner;
    door_return(nullptr, 0, &out, 1);
  };
  ScopedFd giver(door_create(give, nullptr, 0));
  alignas(8) char rbuf[64];
  door_arg_t a{};
  a.rbuf = rbuf;
  a.rsize = sizeof rbuf;
  ASSERT_EQ(door_call(giver.get(), &a), 0);
  ScopedFd got(a.desc_ptr[0].d_data.d_desc.d_descriptor);
  ASSERT_EQ(fattach(got.get(), path_.c_str()), 0);
  ScopedFd o(door_open(path_.c_str()));
  EXPECT_EQ(CallEcho(o.get()), 0);
  EXPECT_EQ(fdetach(path_.c_str()), 0);
  close(inner);
}

}  // namespace
