// PipelinedCall: calls posted without waiting run in order and are answered in
// order; what cannot be posted is refused; refusals and a revoked door arrive
// as answers; other clients keep being served meanwhile.
#include "door/pipelined_call.h"

#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <mutex>
#include <vector>

#include <gtest/gtest.h>

#include "door.h"
#include "door/wire.h"
#include "door_test_util.h"

namespace openstmf::door {
namespace {

using door_test::ScopedFd;

struct Seen {
  std::mutex mu;
  std::vector<uint32_t> order;  // the first word of each call, as it ran
};

// Records the call's first word and answers it doubled.
void RecordProc(void* cookie, char* argp, size_t size, door_desc_t*, uint_t) {
  thread_local uint32_t answer;
  uint32_t v = 0;
  if (size >= sizeof v) std::memcpy(&v, argp, sizeof v);
  {
    auto* seen = static_cast<Seen*>(cookie);
    std::lock_guard<std::mutex> lock(seen->mu);
    seen->order.push_back(v);
  }
  answer = v * 2;
  door_return(reinterpret_cast<char*>(&answer), sizeof answer, nullptr, 0);
}

std::vector<uint8_t> Word(uint32_t v, size_t size = sizeof(uint32_t)) {
  std::vector<uint8_t> b(size, 0);
  std::memcpy(b.data(), &v, sizeof v);
  return b;
}

// Collects the answers' words; a failed answer counts as ~0.
PipelinedCall::OnAnswer Into(std::vector<uint32_t>* out, std::vector<Status>* errors = nullptr) {
  return [out, errors](const Status& s, std::span<const uint8_t> data) {
    uint32_t v = ~0u;
    if (s.ok() && data.size() == sizeof v) std::memcpy(&v, data.data(), sizeof v);
    if (!s.ok() && errors != nullptr) errors->push_back(s);
    out->push_back(v);
  };
}

TEST(PipelinedCall, PostedCallsRunAndAreAnsweredInOrder) {
  Seen seen;
  ScopedFd d(door_create(RecordProc, &seen, 0));
  ASSERT_GE(d.get(), 0);
  auto pipe = PipelinedCall::Open(d.get());
  ASSERT_TRUE(pipe.ok()) << pipe.status().ToString();
  std::vector<uint32_t> answers;
  constexpr uint32_t kCalls = 2000;
  uint32_t next = 0;
  while (answers.size() < kCalls) {
    // Post until the connection is full, then take what has been answered.
    while (next < kCalls) {
      Status s = (*pipe)->Post(Word(next, 1000));
      if (s.code() == Code::kResourceExhausted) break;
      ASSERT_TRUE(s.ok()) << s.ToString();
      ++next;
    }
    auto reaped = (*pipe)->Reap(Into(&answers), 5000);
    ASSERT_TRUE(reaped.ok()) << reaped.status().ToString();
  }
  EXPECT_EQ((*pipe)->outstanding(), 0u);
  ASSERT_EQ(answers.size(), kCalls);
  for (uint32_t i = 0; i < kCalls; ++i) EXPECT_EQ(answers[i], 2 * i) << i;
  std::lock_guard<std::mutex> lock(seen.mu);
  ASSERT_EQ(seen.order.size(), kCalls);
  for (uint32_t i = 0; i < kCalls; ++i) EXPECT_EQ(seen.order[i], i) << i;
}

TEST(PipelinedCall, RefusesWhatAPostCannotCarry) {
  Seen seen;
  ScopedFd d(door_create(RecordProc, &seen, 0));
  auto pipe = PipelinedCall::Open(d.get());
  ASSERT_TRUE(pipe.ok());
  EXPECT_EQ((*pipe)->Post({}).code(), Code::kInvalidArgument);
  EXPECT_EQ((*pipe)->Post(std::vector<uint8_t>(kMaxInline + 1)).code(), Code::kInvalidArgument);
  EXPECT_TRUE((*pipe)->Post(std::vector<uint8_t>(kMaxInline)).ok());
  EXPECT_EQ((*pipe)->outstanding(), 1u);
  std::vector<uint32_t> answers;
  while (answers.empty()) ASSERT_TRUE((*pipe)->Reap(Into(&answers), 5000).ok());
  EXPECT_EQ(answers, (std::vector<uint32_t>{0}));
  int p[2];
  ASSERT_EQ(::pipe(p), 0);
  EXPECT_FALSE(PipelinedCall::Open(p[0]).ok());  // not a door
  ::close(p[0]);
  ::close(p[1]);
}

TEST(PipelinedCall, ARefusedCallIsAnAnswerAndTheConnectionGoesOn) {
  Seen seen;
  ScopedFd d(door_create(RecordProc, &seen, 0));
  ASSERT_EQ(door_setparam(d.get(), DOOR_PARAM_DATA_MAX, 64), 0);
  auto pipe = PipelinedCall::Open(d.get());
  ASSERT_TRUE(pipe.ok());
  ASSERT_TRUE((*pipe)->Post(Word(1)).ok());
  ASSERT_TRUE((*pipe)->Post(Word(2, 100)).ok());  // beyond DOOR_PARAM_DATA_MAX
  ASSERT_TRUE((*pipe)->Post(Word(3)).ok());
  std::vector<uint32_t> answers;
  std::vector<Status> errors;
  while (answers.size() < 3) {
    auto reaped = (*pipe)->Reap(Into(&answers, &errors), 5000);
    ASSERT_TRUE(reaped.ok()) << reaped.status().ToString();
    ASSERT_GT(*reaped, 0u);
  }
  EXPECT_EQ(answers, (std::vector<uint32_t>{2, ~0u, 6}));
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].sys_errno(), ENOBUFS);
}

TEST(PipelinedCall, ARevokedDoorEndsTheConnection) {
  Seen seen;
  ScopedFd d(door_create(RecordProc, &seen, 0));
  auto pipe = PipelinedCall::Open(d.get());
  ASSERT_TRUE(pipe.ok());
  ASSERT_TRUE((*pipe)->Post(Word(1)).ok());
  std::vector<uint32_t> answers;
  ASSERT_TRUE((*pipe)->Reap(Into(&answers), 5000).ok());
  EXPECT_EQ(answers, (std::vector<uint32_t>{2}));
  ASSERT_EQ(door_revoke(d.release()), 0);
  // The server closes its connections: a post fails, or its answer does.
  Status s = (*pipe)->Post(Word(2));
  if (s.ok()) {
    std::vector<Status> errors;
    auto reaped = (*pipe)->Reap(Into(&answers, &errors), 5000);
    EXPECT_TRUE(!reaped.ok() || errors.size() == 1) << "the revoked door answered";
  } else {
    EXPECT_EQ(s.code(), Code::kUnavailable) << s.ToString();
  }
  EXPECT_EQ((*pipe)->outstanding(), 0u);
  std::lock_guard<std::mutex> lock(seen.mu);
  EXPECT_EQ(seen.order, (std::vector<uint32_t>{1}));
}

TEST(PipelinedCall, AtMostMaxOutstandingWaitForAnswers) {
  Seen seen;
  ScopedFd d(door_create(RecordProc, &seen, 0));
  auto pipe = PipelinedCall::Open(d.get(), 4);
  ASSERT_TRUE(pipe.ok());
  for (uint32_t i = 0; i < 4; ++i) ASSERT_TRUE((*pipe)->Post(Word(i)).ok());
  EXPECT_EQ((*pipe)->Post(Word(4)).code(), Code::kResourceExhausted);
  std::vector<uint32_t> answers;
  while (answers.size() < 4) ASSERT_TRUE((*pipe)->Reap(Into(&answers), 5000).ok());
  EXPECT_TRUE((*pipe)->Post(Word(4)).ok());
  while (answers.size() < 5) ASSERT_TRUE((*pipe)->Reap(Into(&answers), 5000).ok());
  EXPECT_EQ(answers, (std::vector<uint32_t>{0, 2, 4, 6, 8}));
}

TEST(PipelinedCall, OtherClientsAreServedWhilePostsStream) {
  Seen seen;
  ScopedFd d(door_create(RecordProc, &seen, 0));
  auto pipe = PipelinedCall::Open(d.get());
  ASSERT_TRUE(pipe.ok());
  std::atomic<bool> stop{false};
  std::atomic<int> calls{0};
  std::thread caller([&] {
    while (!stop) {
      uint32_t v = 7;
      uint32_t r = 0;
      door_arg_t a{};
      a.data_ptr = reinterpret_cast<char*>(&v);
      a.data_size = sizeof v;
      a.rbuf = reinterpret_cast<char*>(&r);
      a.rsize = sizeof r;
      if (door_call(d.get(), &a) == 0 && a.data_size == sizeof r) ++calls;
    }
  });
  std::vector<uint32_t> answers;
  for (uint32_t i = 0; i < 5000; ++i) {
    while ((*pipe)->Post(Word(i)).code() == Code::kResourceExhausted) {
      ASSERT_TRUE((*pipe)->Reap(Into(&answers), 5000).ok());
    }
  }
  while ((*pipe)->outstanding() > 0) ASSERT_TRUE((*pipe)->Reap(Into(&answers), 5000).ok());
  ASSERT_TRUE(door_test::WaitFor([&] { return calls.load() > 10; }));
  stop = true;
  caller.join();
  ASSERT_EQ(answers.size(), 5000u);
  for (uint32_t i = 0; i < 5000; ++i) ASSERT_EQ(answers[i], 2 * i);
}

}  // namespace
}  // namespace openstmf::door
