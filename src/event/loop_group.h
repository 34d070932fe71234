// LoopGroup: one EventLoop per thread, usually one per core, started together.
//
// New long-lived work (a connection) goes to the loop that carries the least of
// it now, LeastLoaded(); from then on it lives on that loop. Its owner counts it
// with Hold() while it lives there and Release() when it ends or moves. Placing
// by what is live, rather than in turn, keeps long sessions spread when short
// ones (discovery, a login retried) come and go between them, and puts a lone
// session on the first loop, where the framework's own work runs
// (ha/loop_pipe_server.h serves the proxy there). Stop() stops every loop and
// joins the threads.
//
// Thread-safety: LeastLoaded(), Hold(), Release(), load() and loop() may be
// called from any thread once Start() returned; Start()/Stop() from the owning
// thread.
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
  // The loop with the fewest held pieces of work, the first of them on a tie.
  EventLoop* LeastLoaded() const;
  // One more (Hold) or one fewer (Release) piece of work lives on loop, which
  // is one of this group's.
  void Hold(EventLoop* loop);
  void Release(EventLoop* loop);
  size_t load(size_t i) const { return loads_[i].load(std::memory_order_relaxed); }

 private:
  std::atomic<size_t>& LoadOf(EventLoop* loop);

  std::vector<std::unique_ptr<EventLoop>> loops_;
  std::vector<std::thread> threads_;
  std::unique_ptr<std::atomic<size_t>[]> loads_;  // one per loop
};

}  // namespace openstmf::event

#endif  // OPENSTMF_EVENT_LOOP_GROUP_H
