// LoopGroup: one EventLoop per thread, usually one per core, started together.
//
// New work (a connection) is placed on a loop with Next(), round-robin; from then
// on it lives on that loop. Stop() stops every loop and joins the threads.
//
// Thread-safety: Next() and loop() may be called from any thread once Start()
// returned; Start()/Stop() from the owning thread.
#ifndef OPENSTMF_EVENT_LOOP_GROUP_H
#define OPENSTMF_EVENT_LOOP_GROUP_H

#include <atomic>
#include <memory>
#include <thread>
#include <vector>

#include "base/status.h"
#include "event/event_loop.h"

namespace openstmf::event {

class LoopGroup {
 public:
  LoopGroup() = default;
  ~LoopGroup() { Stop(); }
  LoopGroup(const LoopGroup&) = delete;
  LoopGroup& operator=(const LoopGroup&) = delete;

  // Creates count loops (0: one per online CPU) and a thread running each; with
  // pin, thread i is pinned to CPU i modulo the CPU count.
  Status Start(unsigned count, bool pin, EventLoop::Options options = {});
  void Stop();

  size_t size() const { return loops_.size(); }
  EventLoop* loop(size_t i) const { return loops_[i].get(); }
  EventLoop* Next();

 private:
  std::vector<std::unique_ptr<EventLoop>> loops_;
  std::vector<std::thread> threads_;
  std::atomic<size_t> next_{0};
};

}  // namespace openstmf::event

#endif  // OPENSTMF_EVENT_LOOP_GROUP_H
