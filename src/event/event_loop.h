// EventLoop: one thread's run-to-completion loop over epoll.
//
// A loop owns the descriptors registered with it, its timers and its deferred
// tasks; all of them run on the loop's thread, one at a time, so state owned by a
// loop needs no locks. Other threads reach a loop only through Post(), which
// queues a task and wakes the loop. Each turn: wait for events (or the next timer),
// dispatch descriptor events, run due timers, then run deferred tasks (used to
// batch work such as flushing a connection's responses once per turn).
//
// Thread-safety: Post(), Stop() and InLoopThread() may be called from any thread;
// everything else only from the loop's thread (or before Run() starts).
#ifndef OPENSTMF_EVENT_EVENT_LOOP_H
#define OPENSTMF_EVENT_EVENT_LOOP_H

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "base/status.h"
#include "event/clock.h"
#include "event/timer_queue.h"

namespace openstmf::event {

// Receives readiness events (EPOLLIN, EPOLLOUT, EPOLLHUP, EPOLLERR, ...) for a
// descriptor. Events of one turn are collected before any is dispatched, so a
// handler may still be called in the turn it was removed: remove it, then destroy
// it from a Defer()ed task, and ignore events that arrive after it closed.
class FdHandler {
 public:
  virtual ~FdHandler() = default;
  virtual void OnEvents(uint32_t events) = 0;
};

class EventLoop {
 public:
  struct Options {
    const Clock* clock = nullptr;  // defaults to the steady clock
    // Before sleeping, poll without blocking for this long (0: never). Keeps
    // latency low under load at the cost of CPU; do not spin on shared cores.
    Duration busy_poll{0};
    int max_events = 256;  // events taken per epoll_wait
  };

  static Result<std::unique_ptr<EventLoop>> Create(Options options);
  ~EventLoop();
  EventLoop(const EventLoop&) = delete;
  EventLoop& operator=(const EventLoop&) = delete;

  // Descriptor registration (epoll(7) event masks).
  Status Add(int fd, uint32_t events, FdHandler* handler);
  Status Modify(int fd, uint32_t events, FdHandler* handler);
  void Remove(int fd);

  TimerId RunAfter(Duration delay, std::function<void()> callback);
  bool CancelTimer(TimerId id);
  // Runs callback later in this turn, after the events and timers of the turn.
  void Defer(std::function<void()> callback);

  // Any thread: queues callback to run on the loop's thread.
  void Post(std::function<void()> callback);
  // Any thread: makes Run() return after the current turn.
  void Stop();
  bool InLoopThread() const { return std::this_thread::get_id() == owner_.load(); }

  // Runs turns until Stop(). The calling thread becomes the loop's thread.
  void Run();
  // One turn, waiting at most max_wait for events; false once stopped.
  bool RunOnce(Duration max_wait);

  TimePoint Now() const { return clock_->Now(); }

 private:
  EventLoop(Options options, int epfd, int wakefd);
  int WaitMillis(Duration max_wait);
  void DrainPosted();
  void RunDeferred();

  const SteadyClock steady_;
  const Clock* clock_;
  const Options options_;
  const int epfd_;
  const int wakefd_;  // eventfd that Post() writes to
  std::atomic<std::thread::id> owner_;
  std::atomic<bool> stopped_{false};

  TimerQueue timers_;                            // loop thread only
  std::vector<std::function<void()>> deferred_;  // loop thread only

  std::mutex posted_mu_;
  std::vector<std::function<void()>> posted_;  // guarded by posted_mu_
};

// The loop among `loops` whose thread is the caller, or null.
EventLoop* CurrentLoopOf(const std::vector<EventLoop*>& loops);

}  // namespace openstmf::event

#endif  // OPENSTMF_EVENT_EVENT_LOOP_H
