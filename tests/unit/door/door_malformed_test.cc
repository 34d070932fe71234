// Malformed, truncated and hostile records, written raw on a call connection, on a
// reference socket, and (from a fake server) as replies: they are rejected and
// logged, and the server keeps serving everyone else; the client never hangs.
#include <fcntl.h>
#include <poll.h>
#include <sys/mman.h>
#include <sys/socket.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "door.h"
#include "door/msg_io.h"
#include "door/tag.h"
#include "door/wire.h"
#include "door_test_util.h"

namespace {

namespace dw = openstmf::door;
using door_test::EchoProc;
using door_test::ScopedFd;
using door_test::WaitFor;

// Redirects stderr (where Log() writes) to a file for the life of the object.
class CaptureStderr {
 public:
  CaptureStderr() {
    std::fflush(stderr);
    saved_ = dup(2);
    file_ = std::tmpfile();
    dup2(fileno(file_), 2);
  }
  ~CaptureStderr() { Restore(); }
  std::string Text() {
    Restore();
    std::string out;
    std::rewind(file_);
    char buf[512];
    size_t n;
    while ((n = std::fread(buf, 1, sizeof buf, file_)) > 0) out.append(buf, n);
    return out;
  }

 private:
  void Restore() {
    if (saved_ >= 0) {
      dup2(saved_, 2);
      close(saved_);
      saved_ = -1;
    }
  }
  int saved_ = -1;
  FILE* file_ = nullptr;
};

// A call connection made by hand: one end of a socketpair sent with kConnect.
int RawConnection(int d) {
  int sv[2];
  if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) != 0) return -1;
  const int err = dw::SendHeader(d, dw::MakeHeader(dw::MsgType::kConnect, 0, 0, 0), &sv[1], 1, 0);
  close(sv[1]);
  if (err != 0) {
    close(sv[0]);
    return -1;
  }
  return sv[0];
}

bool SendRaw(int fd, const void* p, size_t n, const int* fds = nullptr, int nfds = 0) {
  iovec iov{const_cast<void*>(p), n};
  return dw::SendRecord(fd, &iov, 1, fds, nfds, 0) == 0;
}

// The next record on fd (waits at most 5 s): its type and errno, or "eof".
std::string Answer(int fd) {
  pollfd p{fd, POLLIN, 0};
  if (poll(&p, 1, 5000) != 1) return "timeout";
  unsigned char buf[256];
  ssize_t n = recv(fd, buf, sizeof buf, 0);
  if (n == 0) return "eof";
  if (n < static_cast<ssize_t>(sizeof(dw::WireHeader))) return "short";
  dw::WireHeader h;
  std::memcpy(&h, buf, sizeof h);
  if (h.type == static_cast<uint16_t>(dw::MsgType::kError)) {
    return "error " + std::to_string(h.aux);
  }
  return "type " + std::to_string(h.type);
}

int Echo(int d) {
  char buf[8];
  door_arg_t a{};
  a.data_ptr = const_cast<char*>("ok");
  a.data_size = 3;
  a.rbuf = buf;
  a.rsize = sizeof buf;
  if (door_call(d, &a) != 0) return errno;
  return std::strcmp(a.data_ptr, "ok") == 0 ? 0 : -1;
}

std::vector<unsigned char> Record(const dw::WireHeader& h, size_t extra = 0) {
  std::vector<unsigned char> v(sizeof h + extra, 'x');
  std::memcpy(v.data(), &h, sizeof h);
  return v;
}

struct Case {
  const char* name;
  std::vector<unsigned char> bytes;
  int extra_fd_kind = 0;  // 1: a pipe end, 2: an unsealed memfd
};

TEST(DoorMalformed, CallConnectionRejectsBadRecordsAndTheDoorKeepsServing) {
  ScopedFd d(door_create(EchoProc, nullptr, 0));
  using dw::MakeHeader;
  using dw::MsgType;
  std::vector<Case> cases;
  dw::WireHeader good = MakeHeader(MsgType::kCall, 0, 0, 4);
  dw::WireHeader bad_magic = good;
  bad_magic.magic = 0x12345678;
  cases.push_back({"bad magic", Record(bad_magic, 4)});
  dw::WireHeader bad_version = good;
  bad_version.version = 9;
  cases.push_back({"bad version", Record(bad_version, 4)});
  cases.push_back({"short header", std::vector<unsigned char>(10, 0)});
  cases.push_back({"truncated data", Record(MakeHeader(MsgType::kCall, 0, 0, 100), 10)});
  cases.push_back(
      {"descriptors announced, none sent", Record(MakeHeader(MsgType::kCall, 0, 2, 0), 32)});
  cases.push_back({"descriptor sent, none announced", Record(good, 4), 1});
  cases.push_back(
      {"reply type on a call connection", Record(MakeHeader(MsgType::kReply, 0, 0, 0))});
  cases.push_back({"unknown flags", Record(MakeHeader(MsgType::kCall, 0x80, 0, 0))});
  cases.push_back({"arena data without an arena",
                   Record(MakeHeader(MsgType::kCall, dw::kFlagArena, 0, 100000))});
  cases.push_back(
      {"unsealed arena",
       Record(MakeHeader(MsgType::kCall, dw::kFlagArena | dw::kFlagNewArena, 0, 100000)), 2});
  dw::WireHeader bad_desc = MakeHeader(MsgType::kCall, 0, 1, 0);
  std::vector<unsigned char> bd = Record(bad_desc, sizeof(dw::WireDesc));  // attributes 'xxxx'
  cases.push_back({"bad descriptor attributes", bd, 1});
  cases.push_back({"oversized record", Record(MakeHeader(MsgType::kCall, 0, 0, 150000), 150000)});
  cases.push_back({"garbage", std::vector<unsigned char>(333, 0xa5)});
  for (Case& c : cases) {
    SCOPED_TRACE(c.name);
    ScopedFd conn(RawConnection(d.get()));
    ASSERT_GE(conn.get(), 0);
    int pipe_fds[2] = {-1, -1};
    int extra = -1;
    if (c.extra_fd_kind == 1) {
      ASSERT_EQ(pipe(pipe_fds), 0);
      extra = pipe_fds[1];
    } else if (c.extra_fd_kind == 2) {
      extra = memfd_create("unsealed", MFD_CLOEXEC);
      ASSERT_EQ(ftruncate(extra, 200000), 0);
    }
    CaptureStderr log;
    ASSERT_TRUE(SendRaw(conn.get(), c.bytes.data(), c.bytes.size(), extra >= 0 ? &extra : nullptr,
                        extra >= 0 ? 1 : 0));
    if (extra >= 0) close(extra);
    EXPECT_EQ(Answer(conn.get()), "error " + std::to_string(EINVAL));
    EXPECT_EQ(Answer(conn.get()), "eof");
    EXPECT_NE(log.Text().find("door"), std::string::npos);
    if (pipe_fds[0] >= 0) {
      // The server closed the descriptor it should not have received.
      char b;
      EXPECT_EQ(read(pipe_fds[0], &b, 1), 0);
      close(pipe_fds[0]);
    }
    EXPECT_EQ(Echo(d.get()), 0);
  }
}

TEST(DoorMalformed, ValidRawCallIsAnswered) {
  ScopedFd d(door_create(EchoProc, nullptr, 0));
  ScopedFd conn(RawConnection(d.get()));
  std::vector<unsigned char> rec = Record(dw::MakeHeader(dw::MsgType::kCall, 0, 0, 4), 4);
  ASSERT_TRUE(SendRaw(conn.get(), rec.data(), rec.size()));
  EXPECT_EQ(Answer(conn.get()), "type " + std::to_string(static_cast<int>(dw::MsgType::kReply)));
}

// A second reference to d, minted by passing d through a door that returns it.
int SecondReference(int d) {
  static auto give_back = [](void*, char*, size_t, door_desc_t* dp, uint_t n) {
    door_desc_t out = dp[0];
    out.d_attributes = DOOR_DESCRIPTOR | DOOR_RELEASE;
    door_return(nullptr, 0, &out, n);
  };
  ScopedFd echo(door_create(give_back, nullptr, 0));
  door_desc_t in{};
  in.d_attributes = DOOR_DESCRIPTOR;
  in.d_data.d_desc.d_descriptor = d;
  alignas(8) char rbuf[64];
  door_arg_t a{};
  a.desc_ptr = &in;
  a.desc_num = 1;
  a.rbuf = rbuf;
  a.rsize = sizeof rbuf;
  if (door_call(echo.get(), &a) != 0 || a.desc_num != 1) return -1;
  return a.desc_ptr[0].d_data.d_desc.d_descriptor;
}

TEST(DoorMalformed, ReferenceSocketRejectsBadRecords) {
  ScopedFd d(door_create(EchoProc, nullptr, 0));
  struct RefCase {
    const char* name;
    std::vector<unsigned char> bytes;
    bool pipe_fd;
  };
  dw::WireHeader bad = dw::MakeHeader(dw::MsgType::kConnect, 0, 0, 0);
  bad.magic = 1;
  std::vector<RefCase> cases = {
      {"bad magic", Record(bad), false},
      {"connect without a descriptor", Record(dw::MakeHeader(dw::MsgType::kConnect, 0, 0, 0)),
       false},
      {"call on a reference", Record(dw::MakeHeader(dw::MsgType::kCall, 0, 0, 0)), false},
      {"garbage", std::vector<unsigned char>(77, 0x5a), false},
  };
  for (RefCase& c : cases) {
    SCOPED_TRACE(c.name);
    ScopedFd ref(SecondReference(d.get()));
    ASSERT_GE(ref.get(), 0);
    ASSERT_EQ(Echo(ref.get()), 0);
    CaptureStderr log;
    ASSERT_TRUE(SendRaw(ref.get(), c.bytes.data(), c.bytes.size()));
    // The server drops that reference: new connections through it fail.
    int sv[2];
    ASSERT_EQ(socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv), 0);
    EXPECT_TRUE(WaitFor([&] {
      return dw::SendHeader(ref.get(), dw::MakeHeader(dw::MsgType::kConnect, 0, 0, 0), &sv[1], 1,
                            MSG_DONTWAIT) == EPIPE;
    }));
    close(sv[0]);
    close(sv[1]);
    EXPECT_NE(log.Text().find("door"), std::string::npos);
    EXPECT_EQ(Echo(d.get()), 0);
  }
}

TEST(DoorMalformed, ConnectWithAPipeIsRefused) {
  ScopedFd d(door_create(EchoProc, nullptr, 0));
  int p[2];
  ASSERT_EQ(pipe(p), 0);
  CaptureStderr log;
  ASSERT_EQ(dw::SendHeader(d.get(), dw::MakeHeader(dw::MsgType::kConnect, 0, 0, 0), &p[1], 1, 0),
            0);
  close(p[1]);
  char b;
  EXPECT_EQ(read(p[0], &b, 1), 0);  // the server closed its copy
  close(p[0]);
  EXPECT_NE(log.Text().find("refused"), std::string::npos);
  EXPECT_EQ(Echo(d.get()), 0);
}

// A fake door whose "server" answers every call with one bogus reply.
TEST(DoorMalformed, ClientRejectsBogusReplies) {
  int ref[2];
  ASSERT_EQ(socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, ref), 0);
  int on = 1;
  setsockopt(ref[1], SOL_SOCKET, SO_PASSCRED, &on, sizeof on);
  dw::Tag tag;
  tag.server_pid = 1;
  tag.door_id = 77;
  tag.server_nonce = 1;
  tag.minter_nonce = 1;
  tag.seq = static_cast<uint64_t>(getpid());
  ASSERT_TRUE(dw::BindTag(ref[0], tag).ok());
  std::vector<std::vector<unsigned char>> replies;
  dw::WireHeader h = dw::MakeHeader(dw::MsgType::kReply, 0, 0, 4);
  h.magic = 0;
  replies.push_back(Record(h, 4));
  replies.push_back(Record(dw::MakeHeader(dw::MsgType::kReply, 0, 3, 0), 48));  // no descriptors
  replies.push_back(Record(dw::MakeHeader(dw::MsgType::kReply, dw::kFlagArena, 0, 5000000)));
  replies.push_back(Record(dw::MakeHeader(dw::MsgType::kReply, 0, 0, 9), 2));
  replies.push_back(Record(dw::MakeHeader(dw::MsgType::kError, 0, 0, 0, 0)));
  replies.push_back(Record(dw::MakeHeader(dw::MsgType::kConnect, 0, 0, 0)));
  replies.push_back(Record(dw::MakeHeader(dw::MsgType::kReply, dw::kFlagMemfd, 0, 100000)));
  std::thread fake([&] {
    for (size_t i = 0; i < replies.size(); ++i) {
      dw::Received r;
      unsigned char buf[64];
      if (dw::ReceiveRecord(ref[1], buf, sizeof buf, 0, &r) <= 0 || r.n_fds != 1) return;
      const int conn = r.fds[0];
      unsigned char call[256];
      if (recv(conn, call, sizeof call, 0) <= 0) return;
      int memfd = -1;
      if (i + 1 == replies.size()) {
        memfd = memfd_create("unsealed", MFD_CLOEXEC);
        (void)!ftruncate(memfd, 100000);
      }
      SendRaw(conn, replies[i].data(), replies[i].size(), memfd >= 0 ? &memfd : nullptr,
              memfd >= 0 ? 1 : 0);
      if (memfd >= 0) close(memfd);
      close(conn);
    }
  });
  for (size_t i = 0; i < replies.size(); ++i) {
    SCOPED_TRACE(i);
    CaptureStderr log;
    char small[8];
    door_arg_t a{};
    a.rbuf = small;
    a.rsize = sizeof small;
    EXPECT_EQ(door_call(ref[0], &a), -1);
    EXPECT_EQ(errno, EINVAL);
  }
  fake.join();
  close(ref[0]);
  close(ref[1]);
}

}  // namespace
