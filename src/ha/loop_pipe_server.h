// LoopPipeServer: serves a door's pipelined connections (door/served_pipeline.h)
// on an event loop, so a message from stmfproxy reaches the loop that runs it
// without a door server thread waking first and handing it over.
//
// Each call is given to on_loop on the loop's thread. A call that must not run
// there (on_loop returns nullopt: handling it may block) goes to the server's
// own thread, off_loop, and its connection is not read again until that thread
// has answered it: calls still run one at a time in the order they were sent.
//
// Thread-safety: Adopt(), CloseAll() and Stop() from any thread but a handler's.
#ifndef OPENSTMF_HA_LOOP_PIPE_SERVER_H
#define OPENSTMF_HA_LOOP_PIPE_SERVER_H

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <thread>
#include <unordered_set>
#include <vector>

#include "door/served_pipeline.h"
#include "event/event_loop.h"

namespace openstmf::ha {

class LoopPipeServer : public std::enable_shared_from_this<LoopPipeServer> {
 public:
  struct Handlers {
    // On the loop: the call's uint32_t result, or nullopt to run it off the loop.
    std::function<std::optional<uint32_t>(std::span<const uint8_t>)> on_loop;
    // On the server's thread: the call's result.
    std::function<uint32_t(std::span<const uint8_t>)> off_loop;
  };

  static std::shared_ptr<LoopPipeServer> Start(event::EventLoop* loop, Handlers handlers);
  ~LoopPipeServer();  // after Stop()
  LoopPipeServer(const LoopPipeServer&) = delete;
  LoopPipeServer& operator=(const LoopPipeServer&) = delete;

  // Serves pipe on the loop from its next turn on (closes it once stopped).
  void Adopt(std::unique_ptr<door::ServedPipeline> pipe);
  // Closes every connection served now (on the loop, in its next turn).
  void CloseAll();
  // CloseAll(); once it returns no handler runs any more (it waits for one
  // running now) and the thread has ended.
  void Stop();

  size_t connections() const;

 private:
  class Pipe;
  struct OffLoopCall {
    std::shared_ptr<Pipe> pipe;
    std::vector<uint8_t> data;
  };

  LoopPipeServer(event::EventLoop* loop, Handlers handlers)
      : loop_(loop), handlers_(std::move(handlers)) {}
  void RunThread();
  // Runs fn (which calls a handler) unless stopped; false when stopped.
  template <typename Fn>
  bool Guarded(Fn&& fn);
  // Loop thread: takes the calls that have arrived on pipe.
  void Serve(const std::shared_ptr<Pipe>& pipe);
  void Forget(const std::shared_ptr<Pipe>& pipe);

  event::EventLoop* const loop_;
  const Handlers handlers_;

  mutable std::mutex mu_;
  std::condition_variable cv_;                       // off-loop work queued, or stopped
  std::condition_variable idle_cv_;                  // stopped and no handler runs any more
  bool stopped_ = false;                             // guarded by mu_
  int running_ = 0;                                  // handlers running; guarded by mu_
  std::unordered_set<std::shared_ptr<Pipe>> pipes_;  // guarded by mu_
  std::deque<OffLoopCall> off_loop_;                 // guarded by mu_
  std::thread thread_;
};

}  // namespace openstmf::ha

#endif  // OPENSTMF_HA_LOOP_PIPE_SERVER_H
