// BatchSender: stmfd's outgoing queue to the peer node. Callers (event loops,
// the pair's worker, door threads) only append a message and return; one
// thread takes everything waiting and hands it to the proxy service in one
// door call — a batch of messages back to back (proxy_msg.h DecodeBatch). Under
// load a batch carries many commands, so the per-call cost of the door and of
// the peer link is shared by all of them; when idle a message goes alone, at
// once. Messages leave in the order they were queued.
//
// Send() answers kUnavailable at once when `ready` says the proxy service is
// not there; a door call that fails later is logged (once, then every 10 s while
// it lasts), and its messages are lost (the pair's liveness check and command
// timeouts deal with that).
//
// With a LoopPost, a message queued on an event loop does not wake the thread:
// the loop posts what is queued once at the end of its turn, without waiting
// for the proxy service's answer (ha/proxy_door.h TryPost), so a batch leaves
// without a thread switch. When posting is not possible right then, or a
// message is larger than a post can carry, or a caller waits (SendAndWait),
// the thread sends as before. Either way messages leave in queue order: the
// loops post only while the thread holds no batch.
//
// Thread-safety: Send/SendAndWait from any thread.
#ifndef OPENSTMF_HA_BATCH_SENDER_H
#define OPENSTMF_HA_BATCH_SENDER_H

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <span>
#include <thread>
#include <vector>

#include "base/status.h"
#include "event/event_loop.h"

namespace openstmf::ha {

inline constexpr size_t kFewMessages = 16;
inline constexpr int kGatherRounds = 4;

// One message given in pieces (say a header and the data it carries): it is
// sent as their concatenation, copied once into the queue.
using MessageParts = std::span<const std::span<const uint8_t>>;
inline constexpr std::chrono::seconds kFailureLogInterval{10};

struct LoopPost {
  // Hands a batch of `messages` over without blocking; kResourceExhausted when
  // it cannot now. *lost: messages earlier posts turned out not to deliver.
  std::function<Status(std::span<const uint8_t> batch, size_t messages, size_t* lost)> try_post;
  // The event loop the calling thread runs, or nullptr.
  std::function<event::EventLoop*()> current_loop;
  size_t max_bytes = 64 * 1024;  // what one post may carry
};

class BatchSender {
 public:
  // send: one door call with a batch; ready: whether sending can work now.
  BatchSender(std::function<Status(std::span<const uint8_t>)> send, std::function<bool()> ready,
              size_t max_batch_bytes = size_t{4} << 20, LoopPost loop_post = {});
  ~BatchSender();  // sends what is queued, then stops
  BatchSender(const BatchSender&) = delete;
  BatchSender& operator=(const BatchSender&) = delete;

  // Queues one encoded message.
  Status Send(std::span<const uint8_t> message);
  Status Send(MessageParts parts);
  // Queues it and waits until the batch holding it has been handed over (for
  // state that must be with the peer before the caller answers an initiator).
  Status SendAndWait(std::span<const uint8_t> message);
  Status SendAndWait(MessageParts parts);

 private:
  // Keeps the deferred flushes of the loops from reaching a destroyed sender.
  struct Life {
    std::mutex mu;
    BatchSender* sender;  // guarded by mu; null once the sender is going
  };
  void Run();
  void FlushFromLoop(event::EventLoop* loop);
  // Drops the first n queued messages (bytes long). mu_ held.
  void DropFrontLocked(size_t n, size_t bytes);
  void ReportOutcome(const Status& s, size_t messages);  // mu_ held

  const std::function<Status(std::span<const uint8_t>)> send_;
  const std::function<bool()> ready_;
  const size_t max_batch_;
  const LoopPost loop_post_;
  const std::shared_ptr<Life> life_;
  std::mutex mu_;
  std::condition_variable cv_;       // work queued, or stopping
  std::condition_variable sent_cv_;  // a batch went out
  std::vector<uint8_t> queue_;       // guarded by mu_: messages back to back
  std::vector<size_t> ends_;         // guarded by mu_: where each queued message ends
  uint64_t queued_ = 0;              // guarded by mu_: messages ever queued
  uint64_t done_ = 0;                // guarded by mu_: messages handed over (or failed)
  Status last_;                      // guarded by mu_: the last batch's outcome
  bool stopping_ = false;            // guarded by mu_
  bool sending_ = false;             // guarded by mu_: the thread holds a batch
  bool thread_wanted_ = false;       // guarded by mu_: a message only the thread can send
  uint64_t wait_upto_ = 0;           // guarded by mu_: the last message a SendAndWait waits for
  std::vector<event::EventLoop*> flushing_;  // guarded by mu_: loops with a flush this turn
  uint64_t lost_ = 0;  // guarded by mu_: messages not sent since the last success
  std::chrono::steady_clock::time_point last_failure_log_{};  // guarded by mu_
  std::thread thread_;
};

}  // namespace openstmf::ha

#endif  // OPENSTMF_HA_BATCH_SENDER_H
