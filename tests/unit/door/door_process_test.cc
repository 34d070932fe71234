// Doors across processes: children that call the parent's doors (forked; they make
// calls only), servers in another process (door_test_helper, exec'd), server death,
// credentials, and concurrency.
#include <fcntl.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "door.h"
#include "door_test_util.h"

namespace {

using door_test::EchoProc;
using door_test::Fork;
using door_test::Pattern;
using door_test::RecvFd;
using door_test::ScopedFd;
using door_test::SendFd;
using door_test::SpawnHelper;
using door_test::Wait;

int CallEcho(int d, const char* msg) {
  char buf[128];
  door_arg_t a{};
  a.data_ptr = const_cast<char*>(msg);
  a.data_size = std::strlen(msg) + 1;
  a.rbuf = buf;
  a.rsize = sizeof buf;
  if (door_call(d, &a) != 0) return errno;
  return std::strcmp(a.data_ptr, msg) == 0 ? 0 : -1;
}

// A server in another process (door_test_helper serve).
class RemoteServer {
 public:
  RemoteServer() {
    int sv[2];
    EXPECT_EQ(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
    pid_ = SpawnHelper("serve", sv[1]);
    close(sv[1]);
    ctl_ = sv[0];
    door_ = RecvFd(ctl_);
  }
  ~RemoteServer() {
    if (door_ >= 0) close(door_);
    if (ctl_ >= 0) close(ctl_);
    if (pid_ > 0) {
      kill(pid_, SIGKILL);
      Wait(pid_);
    }
  }
  int door() const { return door_; }
  int ctl() const { return ctl_; }
  pid_t pid() const { return pid_; }
  void Kill() {
    kill(pid_, SIGKILL);
    Wait(pid_);
    pid_ = -1;
  }

 private:
  pid_t pid_ = -1;
  int ctl_ = -1;
  int door_ = -1;
};

TEST(DoorProcess, ChildInheritsADoorAndCallsTheParent) {
  ScopedFd d(door_create(EchoProc, nullptr, 0));
  ASSERT_EQ(CallEcho(d.get(), "warm"), 0);  // the parent has a cached connection too
  pid_t pid = Fork([&] {
    return CallEcho(d.get(), "from child") == 0 && CallEcho(d.get(), "again") == 0 ? 0 : 1;
  });
  EXPECT_EQ(Wait(pid), 0);
  EXPECT_EQ(CallEcho(d.get(), "parent after child"), 0);
}

TEST(DoorProcess, ChildCallsADoorItReceivedByDescriptorPassing) {
  static int inner = -1;
  inner = door_create(EchoProc, nullptr, 0);
  auto dispenser = [](void*, char*, size_t, door_desc_t*, uint_t) {
    door_desc_t out{};
    out.d_attributes = DOOR_DESCRIPTOR;
    out.d_data.d_desc.d_descriptor = inner;
    door_return(nullptr, 0, &out, 1);
  };
  ScopedFd d(door_create(dispenser, nullptr, 0));
  pid_t pid = Fork([&] {
    alignas(8) char rbuf[64];
    door_arg_t a{};
    a.rbuf = rbuf;
    a.rsize = sizeof rbuf;
    if (door_call(d.get(), &a) != 0 || a.desc_num != 1) return 1;
    const int got = a.desc_ptr[0].d_data.d_desc.d_descriptor;
    if (!(fcntl(got, F_GETFD) & FD_CLOEXEC)) return 2;
    return CallEcho(got, "received") == 0 ? 0 : 3;
  });
  EXPECT_EQ(Wait(pid), 0);
  close(inner);
}

TEST(DoorProcess, DoorPassedOverAPlainSocketWorksInTheOtherProcess) {
  ScopedFd d(door_create(EchoProc, nullptr, 0));
  int sv[2];
  ASSERT_EQ(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
  pid_t pid = Fork([&] {
    close(sv[0]);
    int got = RecvFd(sv[1]);
    return got >= 0 && CallEcho(got, "passed") == 0 ? 0 : 1;
  });
  close(sv[1]);
  ASSERT_TRUE(SendFd(sv[0], d.get()));
  EXPECT_EQ(Wait(pid), 0);
  close(sv[0]);
}

TEST(DoorProcess, CallsAServerInAnotherProcess) {
  RemoteServer srv;
  ASSERT_GE(srv.door(), 0);
  EXPECT_EQ(CallEcho(srv.door(), "eremote"), 0);
  for (size_t n : {size_t{64} * 1024 + 1, size_t{1} << 20, size_t{16} << 20}) {
    std::vector<char> in = Pattern(n, 11);
    in[0] = 'e';
    std::vector<char> out(n);
    door_arg_t a{};
    a.data_ptr = in.data();
    a.data_size = n;
    a.rbuf = out.data();
    a.rsize = out.size();
    ASSERT_EQ(door_call(srv.door(), &a), 0) << n;
    ASSERT_EQ(a.data_size, n);
    EXPECT_EQ(std::memcmp(a.data_ptr, in.data(), n), 0);
  }
}

TEST(DoorProcess, DescriptorsTravelBothWaysBetweenProcesses) {
  RemoteServer srv;
  int p[2];
  ASSERT_EQ(pipe(p), 0);
  ScopedFd local(door_create(EchoProc, nullptr, 0));
  door_desc_t desc[2] = {};
  desc[0].d_attributes = DOOR_DESCRIPTOR | DOOR_RELEASE;
  desc[0].d_data.d_desc.d_descriptor = p[1];
  desc[1].d_attributes = DOOR_DESCRIPTOR;
  desc[1].d_data.d_desc.d_descriptor = local.get();
  char op[] = "d";
  alignas(8) char rbuf[128];
  door_arg_t a{};
  a.data_ptr = op;
  a.data_size = 2;
  a.desc_ptr = desc;
  a.desc_num = 2;
  a.rbuf = rbuf;
  a.rsize = sizeof rbuf;
  ASSERT_EQ(door_call(srv.door(), &a), 0) << strerror(errno);
  ASSERT_EQ(a.desc_num, 2u);
  const int w = a.desc_ptr[0].d_data.d_desc.d_descriptor;
  const int back = a.desc_ptr[1].d_data.d_desc.d_descriptor;
  door_info_t li{};
  ASSERT_EQ(door_info(local.get(), &li), 0);
  EXPECT_EQ(a.desc_ptr[1].d_data.d_desc.d_id, li.di_uniquifier);
  EXPECT_TRUE(a.desc_ptr[1].d_attributes & DOOR_LOCAL);
  ASSERT_EQ(write(w, "z", 1), 1);
  char c = 0;
  ASSERT_EQ(read(p[0], &c, 1), 1);
  EXPECT_EQ(c, 'z');
  EXPECT_EQ(CallEcho(back, "round trip"), 0);
  close(w);
  close(back);
  close(p[0]);
}

TEST(DoorProcess, InfoAndParamsOfARemoteDoor) {
  RemoteServer srv;
  door_info_t info{};
  ASSERT_EQ(door_info(srv.door(), &info), 0);
  EXPECT_EQ(info.di_target, srv.pid());
  EXPECT_FALSE(info.di_attributes & DOOR_LOCAL);
  EXPECT_NE(info.di_proc, 0u);
  EXPECT_NE(info.di_uniquifier, 0u);
  // The server's own view (DOOR_QUERY) names the same door and procedure.
  char op[] = "i";
  door_info_t theirs{};
  door_arg_t a{};
  a.data_ptr = op;
  a.data_size = 2;
  a.rbuf = reinterpret_cast<char*>(&theirs);
  a.rsize = sizeof theirs;
  ASSERT_EQ(door_call(srv.door(), &a), 0);
  EXPECT_EQ(theirs.di_uniquifier, info.di_uniquifier);
  EXPECT_EQ(theirs.di_proc, info.di_proc);
  EXPECT_TRUE(theirs.di_attributes & DOOR_LOCAL);
  size_t v = 0;
  EXPECT_EQ(door_getparam(srv.door(), DOOR_PARAM_DATA_MAX, &v), 0);
  EXPECT_EQ(v, SIZE_MAX);
  EXPECT_EQ(door_setparam(srv.door(), DOOR_PARAM_DATA_MAX, 10), -1);
  EXPECT_EQ(errno, EPERM);
  EXPECT_EQ(door_revoke(srv.door()), -1);
  EXPECT_EQ(errno, EPERM);
  EXPECT_EQ(CallEcho(srv.door(), "estill works"), 0);
}

TEST(DoorProcess, PublishesADoorServedByAnotherProcess) {
  RemoteServer srv;
  char dir[] = "/tmp/libdoor-test-XXXXXX";
  ASSERT_NE(mkdtemp(dir), nullptr);
  const std::string path = std::string(dir) + "/remote";
  // The reference fattach() keeps, and each one door_open() returns, is minted by
  // the serving process (a kRef record over the door's own reference).
  ASSERT_EQ(fattach(srv.door(), path.c_str()), 0) << strerror(errno);
  ScopedFd o(door_open(path.c_str()));
  ASSERT_GE(o.get(), 0) << strerror(errno);
  EXPECT_EQ(CallEcho(o.get(), "eopened"), 0);
  door_info_t a{}, b{};
  ASSERT_EQ(door_info(srv.door(), &a), 0);
  ASSERT_EQ(door_info(o.get(), &b), 0);
  EXPECT_EQ(a.di_uniquifier, b.di_uniquifier);
  EXPECT_EQ(b.di_target, srv.pid());
  EXPECT_EQ(fdetach(path.c_str()), 0);
  rmdir(dir);
}

TEST(DoorProcess, ServerKilledDuringACallGivesEintrThenEbadf) {
  RemoteServer srv;
  ASSERT_EQ(CallEcho(srv.door(), "ewarm"), 0);
  std::atomic<int> result{0};
  std::thread caller([&] {
    char op[] = "s";
    door_arg_t a{};
    a.data_ptr = op;
    a.data_size = 2;
    result = door_call(srv.door(), &a) == 0 ? 0 : errno;
  });
  char b = 0;
  ASSERT_EQ(read(srv.ctl(), &b, 1), 1);  // the procedure is running
  srv.Kill();
  caller.join();
  EXPECT_EQ(result.load(), EINTR);
  EXPECT_EQ(CallEcho(srv.door(), "edead"), EBADF);
  door_info_t info{};
  ASSERT_EQ(door_info(srv.door(), &info), 0);
  EXPECT_EQ(info.di_target, -1);
}

TEST(DoorProcess, ServerGoneBeforeTheCallGivesEbadf) {
  RemoteServer srv;
  srv.Kill();
  EXPECT_EQ(CallEcho(srv.door(), "enobody"), EBADF);
}

TEST(DoorProcess, CredentialsNameTheCallingProcess) {
  RemoteServer srv;
  char op[] = "c";
  door_cred_t c{};
  door_arg_t a{};
  a.data_ptr = op;
  a.data_size = 2;
  a.rbuf = reinterpret_cast<char*>(&c);
  a.rsize = sizeof c;
  ASSERT_EQ(door_call(srv.door(), &a), 0);
  EXPECT_EQ(c.dc_pid, getpid());
  EXPECT_EQ(c.dc_euid, geteuid());
  EXPECT_EQ(c.dc_ruid, getuid());
  EXPECT_EQ(c.dc_egid, getegid());
  EXPECT_EQ(c.dc_rgid, getgid());
}

void CredProc(void*, char*, size_t, door_desc_t*, uint_t) {
  ucred_t* uc = nullptr;
  door_cred_t c{};
  if (door_ucred(&uc) == 0) {
    c.dc_pid = ucred_getpid(uc);
    c.dc_euid = ucred_geteuid(uc);
    c.dc_ruid = ucred_getruid(uc);
    c.dc_egid = ucred_getegid(uc);
    c.dc_rgid = ucred_getrgid(uc);
    ucred_free(uc);
  }
  door_return(reinterpret_cast<char*>(&c), sizeof c, nullptr, 0);
}

TEST(DoorProcess, ServerSeesNewIdsAfterTheClientChangesThem) {
  if (geteuid() != 0) GTEST_SKIP() << "needs root to change ids";
  ScopedFd d(door_create(CredProc, nullptr, 0));
  pid_t pid = Fork([&] {
    door_cred_t c{};
    door_arg_t a{};
    a.rbuf = reinterpret_cast<char*>(&c);
    a.rsize = sizeof c;
    if (door_call(d.get(), &a) != 0 || c.dc_pid != getpid() || c.dc_euid != 0) return 1;
    // Effective ids first (setresgid/setresuid), then real ones too.
    if (setresgid(0, 4242, 0) != 0 || setresuid(0, 4343, 0) != 0) return 2;
    if (door_call(d.get(), &a) != 0 || c.dc_euid != 4343 || c.dc_egid != 4242 || c.dc_ruid != 0 ||
        c.dc_rgid != 0) {
      return 3;
    }
    if (setresuid(0, 0, 0) != 0 || setgid(4545) != 0 || setuid(4646) != 0) return 4;
    if (door_call(d.get(), &a) != 0 || c.dc_euid != 4646 || c.dc_ruid != 4646 ||
        c.dc_egid != 4545 || c.dc_rgid != 4545 || c.dc_pid != getpid()) {
      return 5;
    }
    return 0;
  });
  EXPECT_EQ(Wait(pid), 0);
}

TEST(DoorProcess, EightThreadsInTwoProcessesWithPayloadChecks) {
  ScopedFd d(door_create(EchoProc, nullptr, 0));
  int sv[2];
  ASSERT_EQ(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
  pid_t helper = SpawnHelper("stress", sv[1]);
  close(sv[1]);
  const int thousands = 10;
  ASSERT_TRUE(SendFd(sv[0], d.get()));
  const char count = thousands;
  ASSERT_EQ(write(sv[0], &count, 1), 1);
  std::atomic<int> bad{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < thousands * 1000; ++i) {
        char in[64];
        char out[64];
        const int len = 1 + (i * 7 + t) % 64;
        for (int k = 0; k < len; ++k) in[k] = static_cast<char>(t + i + k);
        door_arg_t a{};
        a.data_ptr = in;
        a.data_size = static_cast<size_t>(len);
        a.rbuf = out;
        a.rsize = sizeof out;
        if (door_call(d.get(), &a) != 0 || a.data_size != static_cast<size_t>(len) ||
            std::memcmp(a.data_ptr, in, static_cast<size_t>(len)) != 0) {
          bad.fetch_add(1);
        }
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(bad.load(), 0);
  EXPECT_EQ(Wait(helper), 0);
  close(sv[0]);
}

}  // namespace
