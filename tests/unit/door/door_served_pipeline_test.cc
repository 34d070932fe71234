// ServedPipeline: a door's pipelined connections go to the owner's taker, which
// reads and answers their calls in order; door_call() stays with the pool; a
// revoked door and broken records are refused.
#include "door/served_pipeline.h"

#include <poll.h>
#include <sys/socket.h>

#include <condition_variable>
#include <cstring>
#include <mutex>
#include <vector>

#include <gtest/gtest.h>

#include "door.h"
#include "door/client.h"
#include "door/fd_registry.h"
#include "door/msg_io.h"
#include "door/pipelined_call.h"
#include "door/wire.h"
#include "door_test_util.h"

namespace openstmf::door {
namespace {

using door_test::ScopedFd;

// Answers a door_call with its first byte plus one.
void PoolProc(void*, char* argp, size_t size, door_desc_t*, uint_t) {
  thread_local char answer;
  answer = static_cast<char>(size > 0 ? argp[0] + 1 : 0);
  door_return(&answer, 1, nullptr, 0);
}

// What the taker received, handed from the pool thread to the test.
struct Taken {
  std::mutex mu;
  std::condition_variable cv;
  std::vector<std::unique_ptr<ServedPipeline>> pipes;

  std::unique_ptr<ServedPipeline> Next() {
    std::unique_lock<std::mutex> lock(mu);
    if (!cv.wait_for(lock, std::chrono::seconds(5), [&] { return !pipes.empty(); })) return {};
    auto p = std::move(pipes.front());
    pipes.erase(pipes.begin());
    return p;
  }
  PipelineTaker Taker() {
    return [this](std::unique_ptr<ServedPipeline> p) {
      std::lock_guard<std::mutex> lock(mu);
      pipes.push_back(std::move(p));
      cv.notify_all();
    };
  }
};

// Waits for the pipeline's next call.
Result<std::span<const uint8_t>> ReadWaiting(ServedPipeline& p) {
  for (;;) {
    auto r = p.Read();
    if (r.ok() || r.status().code() != Code::kResourceExhausted) return r;
    pollfd pf{p.fd(), POLLIN, 0};
    if (::poll(&pf, 1, 5000) <= 0) return Status(Code::kInternal, "no call within 5 s");
  }
}

std::vector<uint8_t> Bytes(uint8_t first, size_t size) {
  std::vector<uint8_t> b(size, 0);
  b[0] = first;
  return b;
}

TEST(ServedPipeline, TakenConnectionsCarryThePostedCallsInOrder) {
  Taken taken;
  ScopedFd d(door_create(PoolProc, nullptr, 0));
  ASSERT_GE(d.get(), 0);
  ASSERT_TRUE(TakePipelines(d.get(), taken.Taker()).ok());
  auto client = PipelinedCall::Open(d.get());
  ASSERT_TRUE(client.ok()) << client.status().ToString();
  for (uint8_t i = 0; i < 10; ++i) ASSERT_TRUE((*client)->Post(Bytes(i, 100 + i * 1000)).ok());
  std::unique_ptr<ServedPipeline> pipe = taken.Next();
  ASSERT_NE(pipe, nullptr);
  EXPECT_EQ(pipe->client_pid(), getpid());
  for (uint8_t i = 0; i < 10; ++i) {
    auto call = ReadWaiting(*pipe);
    ASSERT_TRUE(call.ok()) << call.status().ToString();
    ASSERT_EQ(call->size(), 100u + i * 1000u);
    EXPECT_EQ((*call)[0], i);
    const uint8_t answer[2] = {static_cast<uint8_t>(i * 3), 7};
    ASSERT_TRUE(pipe->Answer(answer).ok());
  }
  EXPECT_EQ(pipe->Read().status().code(), Code::kResourceExhausted);  // nothing more yet
  std::vector<uint8_t> got;
  while (got.size() < 10) {
    auto n = (*client)->Reap(
        [&](const Status& s, std::span<const uint8_t> data) {
          ASSERT_TRUE(s.ok()) << s.ToString();
          ASSERT_EQ(data.size(), 2u);
          got.push_back(data[0]);
        },
        5000);
    ASSERT_TRUE(n.ok()) << n.status().ToString();
    ASSERT_GT(*n, 0u);
  }
  for (uint8_t i = 0; i < 10; ++i) EXPECT_EQ(got[i], i * 3);
  // door_call() still goes to the pool, which runs the procedure.
  char arg = 41, res = 0;
  door_arg_t a{&arg, 1, nullptr, 0, &res, 1};
  ASSERT_EQ(door_call(d.get(), &a), 0);
  EXPECT_EQ(a.data_ptr[0], 42);
  // The client going away ends the pipeline.
  client->reset();
  pollfd pf{pipe->fd(), POLLIN, 0};
  ASSERT_EQ(::poll(&pf, 1, 5000), 1);
  EXPECT_EQ(pipe->Read().status().code(), Code::kUnavailable);
}

TEST(ServedPipeline, WithoutATakerThePoolServesPipelinedCalls) {
  ScopedFd d(door_create(PoolProc, nullptr, 0));
  ASSERT_GE(d.get(), 0);
  auto client = PipelinedCall::Open(d.get());
  ASSERT_TRUE(client.ok());
  ASSERT_TRUE((*client)->Post(Bytes(9, 10)).ok());
  uint8_t got = 0;
  auto n = (*client)->Reap(
      [&](const Status& s, std::span<const uint8_t> data) {
        if (s.ok() && data.size() == 1) got = data[0];
      },
      5000);
  ASSERT_TRUE(n.ok());
  EXPECT_EQ(got, 10);
}

TEST(ServedPipeline, ARevokedDoorRefusesTheNextCall) {
  Taken taken;
  ScopedFd d(door_create(PoolProc, nullptr, 0));
  ASSERT_GE(d.get(), 0);
  ASSERT_TRUE(TakePipelines(d.get(), taken.Taker()).ok());
  auto client = PipelinedCall::Open(d.get());
  ASSERT_TRUE(client.ok());
  ASSERT_TRUE((*client)->Post(Bytes(1, 10)).ok());
  std::unique_ptr<ServedPipeline> pipe = taken.Next();
  ASSERT_NE(pipe, nullptr);
  ASSERT_EQ(door_revoke(d.get()), 0);
  auto call = ReadWaiting(*pipe);
  EXPECT_EQ(call.status().code(), Code::kUnavailable);
  Status answer;
  auto n = (*client)->Reap([&](const Status& s, std::span<const uint8_t>) { answer = s; }, 5000);
  ASSERT_TRUE(n.ok());
  ASSERT_EQ(*n, 1u);
  EXPECT_EQ(answer.sys_errno(), EBADF);
}

TEST(ServedPipeline, BrokenRecordsAreRefused) {
  Taken taken;
  ScopedFd d(door_create(PoolProc, nullptr, 0));
  ASSERT_GE(d.get(), 0);
  ASSERT_TRUE(TakePipelines(d.get(), taken.Taker()).ok());
  auto fd = NewCallConnection(d.get(), true);
  ASSERT_TRUE(fd.ok());
  std::unique_ptr<ServedPipeline> pipe = taken.Next();
  ASSERT_NE(pipe, nullptr);
  const char data[4] = {1, 2, 3, 4};
  // A plain call (not marked as pipelined), then garbage, then a record with a
  // descriptor: each is refused with EINVAL.
  WireHeader plain = MakeHeader(MsgType::kCall, 0, 0, sizeof data);
  const uint8_t garbage[5] = {0xde, 0xad, 0xbe, 0xef, 0};
  WireHeader with_desc = MakeHeader(MsgType::kCall, kFlagMore, 0, sizeof data);
  iovec plain_iov[2] = {{&plain, sizeof plain}, {const_cast<char*>(data), sizeof data}};
  ASSERT_EQ(SendRecord(*fd, plain_iov, 2, nullptr, 0, 0), 0);
  iovec garbage_iov[1] = {{const_cast<uint8_t*>(garbage), sizeof garbage}};
  ASSERT_EQ(SendRecord(*fd, garbage_iov, 1, nullptr, 0, 0), 0);
  iovec desc_iov[2] = {{&with_desc, sizeof with_desc}, {const_cast<char*>(data), sizeof data}};
  const int passed = *fd;
  ASSERT_EQ(SendRecord(*fd, desc_iov, 2, &passed, 1, 0), 0);
  for (int i = 0; i < 3; ++i) {
    auto call = ReadWaiting(*pipe);
    EXPECT_EQ(call.status().code(), Code::kInvalidArgument) << i;
    unsigned char buf[64];
    Received r;
    pollfd pf{*fd, POLLIN, 0};
    ASSERT_EQ(::poll(&pf, 1, 5000), 1);
    ASSERT_GT(ReceiveRecord(*fd, buf, sizeof buf, MSG_DONTWAIT, &r), 0);
    Reply rep;
    ASSERT_TRUE(DecodeReply(buf, static_cast<size_t>(r.len), 0, &rep).ok());
    EXPECT_EQ(rep.type, MsgType::kError);
    EXPECT_EQ(rep.err, EINVAL);
  }
  CloseTracked(*fd);
}

TEST(ServedPipeline, EveryOutstandingCallFitsWhileTheServerIsBusy) {
  // A server that is slow to read must not make a full-sized post fail before
  // max_outstanding are waiting (the send buffer holds them all). Raising it
  // past net.core.wmem_max needs CAP_NET_ADMIN.
  if (geteuid() != 0) GTEST_SKIP() << "needs root";
  Taken taken;
  ScopedFd d(door_create(PoolProc, nullptr, 0));
  ASSERT_GE(d.get(), 0);
  ASSERT_TRUE(TakePipelines(d.get(), taken.Taker()).ok());
  auto client = PipelinedCall::Open(d.get(), 16);
  ASSERT_TRUE(client.ok());
  std::unique_ptr<ServedPipeline> pipe = taken.Next();  // never read until all are in
  ASSERT_NE(pipe, nullptr);
  for (uint8_t i = 0; i < 16; ++i) {
    Status s = (*client)->Post(Bytes(i, kMaxInline));
    ASSERT_TRUE(s.ok()) << "post " << int{i} << ": " << s.ToString();
  }
  EXPECT_EQ((*client)->Post(Bytes(16, 10)).code(), Code::kResourceExhausted);  // the limit
  for (uint8_t i = 0; i < 16; ++i) {
    auto call = ReadWaiting(*pipe);
    ASSERT_TRUE(call.ok());
    ASSERT_EQ(call->size(), kMaxInline);
    EXPECT_EQ((*call)[0], i);
  }
}

TEST(ServedPipeline, OnlyDoorsServedHereCanBeTaken) {
  Taken taken;
  EXPECT_EQ(TakePipelines(-1, taken.Taker()).sys_errno(), EBADF);
  int sv[2];
  ASSERT_EQ(::socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv), 0);
  EXPECT_EQ(TakePipelines(sv[0], taken.Taker()).sys_errno(), EBADF);
  ::close(sv[0]);
  ::close(sv[1]);
}

}  // namespace
}  // namespace openstmf::door
