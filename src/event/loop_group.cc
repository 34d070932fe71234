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
}

EventLoop* LoopGroup::Next() { return loops_[next_.fetch_add(1) % loops_.size()].get(); }

}  // namespace openstmf::event
