#include "event/event_loop.h"

#include <sys/epoll.h>
#include <unistd.h>

#include <atomic>
#include <string>
#include <thread>

#include <gtest/gtest.h>

#include "event/loop_group.h"

namespace openstmf::event {
namespace {

using std::chrono::milliseconds;

std::unique_ptr<EventLoop> MakeLoop(const Clock* clock = nullptr) {
  EventLoop::Options o;
  o.clock = clock;
  auto loop = EventLoop::Create(o);
  EXPECT_TRUE(loop.ok()) << loop.status().ToString();
  return std::move(loop).value();
}

class PipeReader : public FdHandler {
 public:
  explicit PipeReader(int fd) : fd_(fd) {}
  void OnEvents(uint32_t events) override {
    if (events & EPOLLIN) {
      char buf[64];
      ssize_t n = read(fd_, buf, sizeof buf);
      if (n > 0) data_.append(buf, static_cast<size_t>(n));
    }
  }
  const std::string& data() const { return data_; }

 private:
  int fd_;
  std::string data_;
};

TEST(EventLoopTest, DispatchesReadableDescriptorToItsHandler) {
  auto loop = MakeLoop();
  int p[2];
  ASSERT_EQ(pipe(p), 0);
  PipeReader reader(p[0]);
  ASSERT_TRUE(loop->Add(p[0], EPOLLIN, &reader).ok());
  ASSERT_EQ(write(p[1], "ping", 4), 4);
  loop->RunOnce(milliseconds(1000));
  EXPECT_EQ(reader.data(), "ping");
  loop->Remove(p[0]);
  close(p[0]);
  close(p[1]);
}

TEST(EventLoopTest, AddingTheSameDescriptorTwiceIsAnError) {
  auto loop = MakeLoop();
  int p[2];
  ASSERT_EQ(pipe(p), 0);
  PipeReader reader(p[0]);
  ASSERT_TRUE(loop->Add(p[0], EPOLLIN, &reader).ok());
  Status again = loop->Add(p[0], EPOLLIN, &reader);
  EXPECT_EQ(again.code(), Code::kAlreadyExists);
  close(p[0]);
  close(p[1]);
}

TEST(EventLoopTest, TimersFollowTheLoopClock) {
  FakeClock clock;
  auto loop = MakeLoop(&clock);
  int fired = 0;
  loop->RunAfter(milliseconds(50), [&] { ++fired; });
  TimerId cancelled = loop->RunAfter(milliseconds(10), [&] { fired += 100; });
  EXPECT_TRUE(loop->CancelTimer(cancelled));
  loop->RunOnce(milliseconds(0));
  EXPECT_EQ(fired, 0);
  clock.Advance(milliseconds(50));
  loop->RunOnce(milliseconds(0));
  EXPECT_EQ(fired, 1);
}

TEST(EventLoopTest, DeferredTasksRunAfterTheTurnsEventsInOrder) {
  auto loop = MakeLoop();
  std::string order;
  loop->Defer([&] {
    order += "a";
    loop->Defer([&] { order += "c"; });
  });
  loop->Defer([&] { order += "b"; });
  loop->RunOnce(milliseconds(0));
  EXPECT_EQ(order, "abc");
}

TEST(EventLoopTest, PostFromOtherThreadsRunsEveryTaskOnTheLoopThread) {
  auto loop = MakeLoop();
  std::atomic<int> count{0};
  std::atomic<bool> wrong_thread{false};
  EventLoop* l = loop.get();
  std::thread runner([&] { l->Run(); });
  std::vector<std::thread> posters;
  for (int t = 0; t < 4; ++t) {
    posters.emplace_back([&] {
      for (int i = 0; i < 1000; ++i) {
        l->Post([&] {
          if (!l->InLoopThread()) wrong_thread = true;
          count.fetch_add(1);
        });
      }
    });
  }
  for (auto& t : posters) t.join();
  while (count.load() < 4000) std::this_thread::sleep_for(milliseconds(1));
  l->Stop();
  runner.join();
  EXPECT_EQ(count.load(), 4000);
  EXPECT_FALSE(wrong_thread.load());
}

TEST(LoopGroupTest, PlacesWorkOnTheLeastLoadedLoopAndStopsEveryLoop) {
  LoopGroup group;
  ASSERT_TRUE(group.Start(3, false).ok());
  ASSERT_EQ(group.size(), 3u);
  EventLoop* a = group.loop(0);
  EventLoop* b = group.loop(1);
  EventLoop* c = group.loop(2);
  EXPECT_EQ(group.LeastLoaded(), a);  // a tie goes to the first
  group.Hold(a);
  EXPECT_EQ(group.LeastLoaded(), b);
  group.Hold(b);
  EXPECT_EQ(group.LeastLoaded(), c);
  group.Hold(c);
  EXPECT_EQ(group.LeastLoaded(), a);
  group.Release(b);  // work on b ended: the next goes there
  EXPECT_EQ(group.LeastLoaded(), b);
  EXPECT_EQ(group.load(1), 0u);
  group.Release(b);  // one release too many stays at zero
  EXPECT_EQ(group.load(1), 0u);
  group.Hold(b);
  EXPECT_EQ(group.load(1), 1u);
  std::atomic<int> ran{0};
  for (size_t i = 0; i < group.size(); ++i) group.loop(i)->Post([&] { ran.fetch_add(1); });
  while (ran.load() < 3) std::this_thread::sleep_for(milliseconds(1));
  group.Stop();
  EXPECT_EQ(group.size(), 0u);
}

}  // namespace
}  // namespace openstmf::event
