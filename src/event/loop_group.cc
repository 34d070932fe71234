#include "event/loop_group.h"

#include <pthread.h>
#include <sched.h>

namespace openstmf::event {

Status LoopGroup::Start(unsigned count, bool pin, EventLoop::Options options) {
  if (!loops_.empty()) return Status(Code::kInternal, "loop group already started");
  const unsigned cpus =
      std::thread::hardware_concurrency() > 0 ? std::thread::hardware_concurrency() : 1;
  if (count == 0) count = cpus;
  for (unsigned i = 0; i < count; ++i) {
    ASSIGN_OR_RETURN(auto loop, EventLoop::Create(options));
    loops_.push_back(std::move(loop));
  }
  loads_ = std::make_unique<std::atomic<size_t>[]>(count);
  for (unsigned i = 0; i < count; ++i) {
    EventLoop* loop = loops_[i].get();
    threads_.emplace_back([loop] { loop->Run(); });
    if (pin) {
      cpu_set_t set;
      CPU_ZERO(&set);
      CPU_SET(i % cpus, &set);
      // Pinning is a hint; a restricted cpuset may refuse it.
      (void)pthread_setaffinity_np(threads_.back().native_handle(), sizeof set, &set);
    }
  }
  return Status::Ok();
}

void LoopGroup::Stop() {
  for (auto& loop : loops_) loop->Stop();
  for (auto& t : threads_) {
    if (t.joinable()) t.join();
  }
  threads_.clear();
  loops_.clear();
  loads_.reset();
}

EventLoop* LoopGroup::LeastLoaded() const {
  size_t best = 0;
  for (size_t i = 1; i < loops_.size(); ++i) {
    if (load(i) < load(best)) best = i;
  }
  return loops_[best].get();
}

std::atomic<size_t>& LoopGroup::LoadOf(EventLoop* loop) {
  size_t i = 0;
  while (i + 1 < loops_.size() && loops_[i].get() != loop) ++i;
  return loads_[i];
}

void LoopGroup::Hold(EventLoop* loop) { LoadOf(loop).fetch_add(1, std::memory_order_relaxed); }

void LoopGroup::Release(EventLoop* loop) {
  std::atomic<size_t>& n = LoadOf(loop);
  size_t v = n.load(std::memory_order_relaxed);
  // Never below zero, whatever a caller gets wrong.
  while (v > 0 && !n.compare_exchange_weak(v, v - 1, std::memory_order_relaxed)) {
  }
}

}  // namespace openstmf::event
