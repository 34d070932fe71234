// LoopPipeServer with a real door, a real event loop and a pipelined client:
// calls run on the loop in order, a declined call runs on the server's thread
// while its connection waits, and CloseAll()/Stop() let go of every connection.
#include "ha/loop_pipe_server.h"

#include <door.h>
#include <unistd.h>

#include <atomic>
#include <condition_variable>
#include <cstring>
#include <mutex>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "door/pipelined_call.h"

namespace openstmf::ha {
namespace {

constexpr uint8_t kDecline = 0xcc;  // first byte of a call the loop declines

void UnusedProc(void*, char*, size_t, door_desc_t*, uint_t) { door_return(nullptr, 0, nullptr, 0); }

class LoopPipeServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto l = event::EventLoop::Create({});
    ASSERT_TRUE(l.ok());
    loop_ = std::move(l).value();
    loop_thread_ = std::thread([this] { loop_->Run(); });
    door_ = door_create(UnusedProc, nullptr, 0);
    ASSERT_GE(door_, 0);
    LoopPipeServer::Handlers h;
    h.on_loop = [this](std::span<const uint8_t> m) -> std::optional<uint32_t> {
      if (m[0] == kDecline) return std::nullopt;
      std::lock_guard<std::mutex> lock(mu_);
      order_.push_back(m[0]);
      if (!loop_->InLoopThread()) ++wrong_thread_;
      return m[0] + 1u;
    };
    h.off_loop = [this](std::span<const uint8_t> m) -> uint32_t {
      std::unique_lock<std::mutex> lock(mu_);
      order_.push_back(m[0]);
      if (loop_->InLoopThread()) ++wrong_thread_;
      off_loop_running_ = true;
      cv_.notify_all();
      cv_.wait(lock, [this] { return release_; });
      off_loop_running_ = false;
      return 1000;
    };
    server_ = LoopPipeServer::Start(loop_.get(), std::move(h));
    std::weak_ptr<LoopPipeServer> weak = server_;
    ASSERT_TRUE(door::TakePipelines(door_, [weak](std::unique_ptr<door::ServedPipeline> p) {
                  if (auto s = weak.lock()) s->Adopt(std::move(p));
                }).ok());
    auto c = door::PipelinedCall::Open(door_);
    ASSERT_TRUE(c.ok());
    client_ = std::move(c).value();
  }
  void TearDown() override {
    {
      std::lock_guard<std::mutex> lock(mu_);
      release_ = true;
    }
    cv_.notify_all();
    if (server_) server_->Stop();
    client_.reset();
    if (door_ >= 0) door_revoke(door_);
    loop_->Stop();
    loop_thread_.join();
  }

  void Post(uint8_t first) {
    const std::vector<uint8_t> m(100, first);
    ASSERT_TRUE(client_->Post(m).ok());
  }
  // Answers, waiting up to 5 s for each of n.
  std::vector<uint32_t> Answers(size_t n) {
    std::vector<uint32_t> got;
    for (int i = 0; i < 50 && got.size() < n; ++i) {
      auto r = client_->Reap(
          [&](const Status& s, std::span<const uint8_t> d) {
            uint32_t v = ~0u;
            if (s.ok() && d.size() == sizeof v) std::memcpy(&v, d.data(), sizeof v);
            got.push_back(v);
          },
          100);
      if (!r.ok()) break;
    }
    return got;
  }
  std::vector<uint8_t> Order() {
    std::lock_guard<std::mutex> lock(mu_);
    return order_;
  }

  std::unique_ptr<event::EventLoop> loop_;
  std::thread loop_thread_;
  int door_ = -1;
  std::shared_ptr<LoopPipeServer> server_;
  std::unique_ptr<door::PipelinedCall> client_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<uint8_t> order_;
  int wrong_thread_ = 0;
  bool off_loop_running_ = false;
  bool release_ = false;
};

TEST_F(LoopPipeServerTest, CallsRunOnTheLoopAndDeclinedOnesInTurnOffIt) {
  Post(1);
  Post(2);
  Post(kDecline);
  Post(3);
  Post(4);
  {
    // The declined call holds the connection: 3 and 4 wait behind it.
    std::unique_lock<std::mutex> lock(mu_);
    ASSERT_TRUE(cv_.wait_for(lock, std::chrono::seconds(5), [this] { return off_loop_running_; }));
  }
  usleep(50 * 1000);
  EXPECT_EQ(Order(), (std::vector<uint8_t>{1, 2, kDecline}));
  {
    std::lock_guard<std::mutex> lock(mu_);
    release_ = true;
  }
  cv_.notify_all();
  EXPECT_EQ(Answers(5), (std::vector<uint32_t>{2, 3, 1000, 4, 5}));
  EXPECT_EQ(Order(), (std::vector<uint8_t>{1, 2, kDecline, 3, 4}));
  std::lock_guard<std::mutex> lock(mu_);
  EXPECT_EQ(wrong_thread_, 0);
}

TEST_F(LoopPipeServerTest, CloseAllLetsGoOfEveryConnection) {
  Post(1);
  ASSERT_EQ(Answers(1), (std::vector<uint32_t>{2}));
  EXPECT_EQ(server_->connections(), 1u);
  server_->CloseAll();
  // The client sees the hang-up: its next post or answer fails.
  bool gone = false;
  for (int i = 0; i < 100 && !gone; ++i) {
    Status s = client_->Post(std::vector<uint8_t>(10, 5));
    auto r = client_->Reap([](const Status&, std::span<const uint8_t>) {}, 20);
    gone = !s.ok() || !r.ok();
  }
  EXPECT_TRUE(gone);
  EXPECT_EQ(server_->connections(), 0u);
}

TEST_F(LoopPipeServerTest, StopWaitsForARunningHandlerAndNoneRunsAfter) {
  Post(kDecline);
  {
    std::unique_lock<std::mutex> lock(mu_);
    ASSERT_TRUE(cv_.wait_for(lock, std::chrono::seconds(5), [this] { return off_loop_running_; }));
  }
  std::atomic<bool> stopped{false};
  std::thread stopper([&] {
    server_->Stop();
    stopped = true;
  });
  usleep(50 * 1000);
  EXPECT_FALSE(stopped);  // the handler still runs
  {
    std::lock_guard<std::mutex> lock(mu_);
    release_ = true;
  }
  cv_.notify_all();
  stopper.join();
  EXPECT_TRUE(stopped);
  (void)client_->Post(std::vector<uint8_t>(10, 9));
  usleep(50 * 1000);
  EXPECT_EQ(Order(), (std::vector<uint8_t>{kDecline}));  // nothing ran after Stop()
}

}  // namespace
}  // namespace openstmf::ha
