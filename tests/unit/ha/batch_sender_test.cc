#include "ha/batch_sender.h"

#include <gtest/gtest.h>

#include <atomic>
#include <future>
#include <mutex>
#include <thread>
#include <vector>

#include "event/event_loop.h"

namespace openstmf::ha {
namespace {

TEST(BatchSenderTest, KeepsOrderAndBatchesWhatWaits) {
  std::mutex mu;
  std::vector<uint8_t> received;
  std::atomic<int> calls{0};
  {
    BatchSender s(
        [&](std::span<const uint8_t> b) {
          ++calls;
          std::this_thread::sleep_for(std::chrono::milliseconds(2));
          std::lock_guard<std::mutex> lock(mu);
          received.insert(received.end(), b.begin(), b.end());
          return Status::Ok();
        },
        nullptr);
    for (int i = 0; i < 200; ++i) {
      uint8_t m[2] = {static_cast<uint8_t>(i), static_cast<uint8_t>(i)};
      ASSERT_TRUE(s.Send(m).ok());
    }
    uint8_t last[2] = {0xee, 0xee};
    ASSERT_TRUE(s.SendAndWait(last).ok());
    std::lock_guard<std::mutex> lock(mu);
    ASSERT_EQ(received.size(), 402u);  // everything before `last` went out too
  }
  for (int i = 0; i < 200; ++i) {
    EXPECT_EQ(received[2 * i], static_cast<uint8_t>(i));
    EXPECT_EQ(received[2 * i + 1], static_cast<uint8_t>(i));
  }
  EXPECT_LT(calls.load(), 200);  // messages waiting during a call share the next one
}

TEST(BatchSenderTest, AMessageInPiecesGoesOutWhole) {
  std::mutex mu;
  std::vector<uint8_t> received;
  {
    BatchSender s(
        [&](std::span<const uint8_t> b) {
          std::lock_guard<std::mutex> lock(mu);
          received.insert(received.end(), b.begin(), b.end());
          return Status::Ok();
        },
        nullptr);
    for (uint8_t i = 0; i < 50; ++i) {
      const uint8_t head[2] = {0xaa, i};
      const std::vector<uint8_t> data(i, i);
      const std::span<const uint8_t> parts[] = {head, data, {}};
      ASSERT_TRUE(s.Send(MessageParts(parts)).ok());
    }
    const uint8_t last[1] = {0xee};
    const std::span<const uint8_t> one[] = {last};
    ASSERT_TRUE(s.SendAndWait(MessageParts(one)).ok());
  }
  std::vector<uint8_t> want;
  for (uint8_t i = 0; i < 50; ++i) {
    want.push_back(0xaa);
    want.push_back(i);
    want.insert(want.end(), i, i);
  }
  want.push_back(0xee);
  EXPECT_EQ(received, want);
}

TEST(BatchSenderTest, RefusesAtOnceWhenNotReadyAndReportsFailedCalls) {
  bool ready = false;
  BatchSender s([](std::span<const uint8_t>) { return Status(Code::kUnavailable, "gone"); },
                [&] { return ready; });
  uint8_t m[1] = {1};
  EXPECT_EQ(s.Send(m).code(), Code::kUnavailable);
  ready = true;
  EXPECT_TRUE(s.Send(m).ok());  // queued; the failure shows in the call that waits
  Status w = s.SendAndWait(m);
  EXPECT_EQ(w.code(), Code::kUnavailable);
}

TEST(BatchSenderTest, LargeQueuesGoOutInBoundedBatches) {
  std::vector<size_t> sizes;
  std::mutex mu;
  {
    BatchSender s(
        [&](std::span<const uint8_t> b) {
          std::lock_guard<std::mutex> lock(mu);
          sizes.push_back(b.size());
          return Status::Ok();
        },
        nullptr, 1000);
    std::vector<uint8_t> m(300, 7);
    for (int i = 0; i < 20; ++i) ASSERT_TRUE(s.Send(m).ok());
    ASSERT_TRUE(s.SendAndWait(m).ok());
  }
  size_t total = 0;
  for (size_t n : sizes) {
    EXPECT_LE(n, 1000u);
    EXPECT_EQ(n % 300, 0u);  // whole messages only
    total += n;
  }
  EXPECT_EQ(total, 21u * 300);
}

// What the loop path and the thread hand over, in the order they did.
struct Wire {
  std::mutex mu;
  std::vector<uint8_t> bytes;
  int posts = 0;
  int calls = 0;
  std::atomic<bool> refuse_posts{false};
};

// A running event loop; Run() executes fn on its thread and waits for it.
class LoopThread {
 public:
  LoopThread() {
    auto l = event::EventLoop::Create({});
    EXPECT_TRUE(l.ok());
    loop_ = std::move(l).value();
    thread_ = std::thread([this] { loop_->Run(); });
  }
  ~LoopThread() {
    loop_->Stop();
    thread_.join();
  }
  event::EventLoop* get() { return loop_.get(); }
  // Runs fn in one turn of the loop, then waits for that turn's deferred work.
  void Run(const std::function<void()>& fn) {
    std::promise<void> done;
    loop_->Post([&] {
      fn();
      loop_->Defer([&] { loop_->Defer([&] { done.set_value(); }); });
    });
    done.get_future().wait();
  }

 private:
  std::unique_ptr<event::EventLoop> loop_;
  std::thread thread_;
};

std::unique_ptr<BatchSender> LoopSender(Wire& w, event::EventLoop* loop, size_t max_post = 1000) {
  LoopPost lp;
  lp.try_post = [&w](std::span<const uint8_t> b, size_t /*messages*/, size_t* lost) {
    *lost = 0;
    if (w.refuse_posts) return Status(Code::kResourceExhausted, "full");
    std::lock_guard<std::mutex> lock(w.mu);
    ++w.posts;
    w.bytes.insert(w.bytes.end(), b.begin(), b.end());
    return Status::Ok();
  };
  lp.current_loop = [loop]() -> event::EventLoop* { return loop->InLoopThread() ? loop : nullptr; };
  lp.max_bytes = max_post;
  return std::make_unique<BatchSender>(
      [&w](std::span<const uint8_t> b) {
        std::lock_guard<std::mutex> lock(w.mu);
        ++w.calls;
        w.bytes.insert(w.bytes.end(), b.begin(), b.end());
        return Status::Ok();
      },
      nullptr, size_t{4} << 20, std::move(lp));
}

bool WaitForBytes(Wire& w, size_t n) {
  for (int i = 0; i < 500; ++i) {
    {
      std::lock_guard<std::mutex> lock(w.mu);
      if (w.bytes.size() >= n) return true;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return false;
}

// Queues one-byte messages from, from + 1, ..., to - 1.
void SendNumbered(BatchSender& s, uint8_t from, uint8_t to) {
  for (int i = from; i < to; ++i) {
    const uint8_t m[1] = {static_cast<uint8_t>(i)};
    ASSERT_TRUE(s.Send(m).ok());
  }
}

std::vector<uint8_t> Numbered(uint8_t from, uint8_t to) {
  std::vector<uint8_t> v;
  for (int i = from; i < to; ++i) v.push_back(static_cast<uint8_t>(i));
  return v;
}

TEST(BatchSenderTest, ALoopPostsItsTurnsMessagesInOnePostWithoutTheThread) {
  Wire w;
  LoopThread loop;
  auto s = LoopSender(w, loop.get());
  loop.Run([&] {
    SendNumbered(*s, 0, 100);
    std::lock_guard<std::mutex> lock(w.mu);
    EXPECT_EQ(w.posts, 0);  // nothing leaves before the turn ends
  });
  std::lock_guard<std::mutex> lock(w.mu);
  EXPECT_EQ(w.posts, 1);
  EXPECT_EQ(w.calls, 0);
  EXPECT_EQ(w.bytes, Numbered(0, 100));
}

TEST(BatchSenderTest, PostsCarryAtMostMaxBytesAndLargerMessagesGoByTheThread) {
  Wire w;
  LoopThread loop;
  auto s = LoopSender(w, loop.get(), 250);
  std::vector<uint8_t> want;
  loop.Run([&] {
    for (uint8_t i = 0; i < 10; ++i) {
      const std::vector<uint8_t> m(100, i);
      ASSERT_TRUE(s->Send(m).ok());
      want.insert(want.end(), m.begin(), m.end());
    }
    const std::vector<uint8_t> big(300, 0xbb);  // beyond a post
    ASSERT_TRUE(s->Send(big).ok());
    want.insert(want.end(), big.begin(), big.end());
  });
  const uint8_t last[1] = {0xee};
  ASSERT_TRUE(s->SendAndWait(last).ok());
  want.push_back(0xee);
  std::lock_guard<std::mutex> lock(w.mu);
  EXPECT_EQ(w.posts, 5);  // two messages each
  EXPECT_GE(w.calls, 1);
  EXPECT_EQ(w.bytes, want);
}

TEST(BatchSenderTest, WhenPostingFailsTheThreadSendsInOrder) {
  Wire w;
  LoopThread loop;
  auto s = LoopSender(w, loop.get());
  w.refuse_posts = true;
  loop.Run([&] { SendNumbered(*s, 0, 50); });
  ASSERT_TRUE(WaitForBytes(w, 50));
  const uint8_t mark[1] = {50};
  ASSERT_TRUE(s->SendAndWait(mark).ok());  // the thread is done with its batches
  w.refuse_posts = false;
  loop.Run([&] { SendNumbered(*s, 51, 100); });
  ASSERT_TRUE(WaitForBytes(w, 100));
  std::lock_guard<std::mutex> lock(w.mu);
  EXPECT_EQ(w.posts, 1);
  EXPECT_GE(w.calls, 1);
  EXPECT_EQ(w.bytes, Numbered(0, 100));
}

TEST(BatchSenderTest, MessagesFromLoopsAndOtherThreadsKeepQueueOrder) {
  Wire w;
  LoopThread loop;
  auto s = LoopSender(w, loop.get());
  // Another thread queues while the loop's turn is running: whichever sends,
  // what was queued first leaves first.
  loop.Run([&] {
    SendNumbered(*s, 0, 20);
    std::thread other([&] { SendNumbered(*s, 20, 40); });
    other.join();
    SendNumbered(*s, 40, 60);
  });
  const uint8_t last[1] = {60};
  ASSERT_TRUE(s->SendAndWait(last).ok());
  std::lock_guard<std::mutex> lock(w.mu);
  EXPECT_EQ(w.bytes, Numbered(0, 61));
}

TEST(BatchSenderTest, AWaiterOnALoopGetsItsOutcomeFromTheThread) {
  Wire w;
  LoopThread loop;
  auto s = LoopSender(w, loop.get());
  loop.Run([&] {
    const uint8_t a[1] = {1};
    ASSERT_TRUE(s->Send(a).ok());
    const uint8_t b[1] = {2};
    ASSERT_TRUE(s->SendAndWait(b).ok());  // both out by the door call, now
    std::lock_guard<std::mutex> lock(w.mu);
    EXPECT_EQ(w.bytes, (std::vector<uint8_t>{1, 2}));
    EXPECT_EQ(w.posts, 0);
  });
}

TEST(BatchSenderTest, ASenderGoneBeforeItsLoopsTurnEndsIsNotTouched) {
  Wire w;
  LoopThread loop;
  loop.Run([&] {
    auto s = LoopSender(w, loop.get());
    const uint8_t m[1] = {9};
    ASSERT_TRUE(s->Send(m).ok());
    s.reset();  // the deferred flush of this turn finds it gone
  });
  std::lock_guard<std::mutex> lock(w.mu);
  EXPECT_EQ(w.bytes, (std::vector<uint8_t>{9}));  // the destructor sent it
  EXPECT_EQ(w.posts, 0);
}

}  // namespace
}  // namespace openstmf::ha
