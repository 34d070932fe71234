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
// Thread-safety: Send/Flush from any thread.
#ifndef OPENSTMF_HA_BATCH_SENDER_H
#define OPENSTMF_HA_BATCH_SENDER_H

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <span>
#include <thread>
#include <vector>

#include "base/status.h"

namespace openstmf::ha {

inline constexpr size_t kFewMessages = 16;
inline constexpr int kGatherRounds = 4;

// One message given in pieces (say a header and the data it carries): it is
// sent as their concatenation, copied once into the queue.
using MessageParts = std::span<const std::span<const uint8_t>>;
inline constexpr std::chrono::seconds kFailureLogInterval{10};

class BatchSender {
 public:
  // send: one door call with a batch; ready: whether sending can work now.
  BatchSender(std::function<Status(std::span<const uint8_t>)> send, std::function<bool()> ready,
              size_t max_batch_bytes = size_t{4} << 20);
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
  void Run();
  void ReportOutcome(const Status& s, size_t messages);  // sender thread only

  const std::function<Status(std::span<const uint8_t>)> send_;
  const std::function<bool()> ready_;
  const size_t max_batch_;
  std::mutex mu_;
  std::condition_variable cv_;       // work queued, or stopping
  std::condition_variable sent_cv_;  // a batch went out
  std::vector<uint8_t> queue_;       // guarded by mu_: messages back to back
  std::vector<size_t> ends_;         // guarded by mu_: where each queued message ends
  uint64_t queued_ = 0;              // guarded by mu_: messages ever queued
  uint64_t done_ = 0;                // guarded by mu_: messages handed over (or failed)
  Status last_;                      // guarded by mu_: the last batch's outcome
  bool stopping_ = false;            // guarded by mu_
  uint64_t lost_ = 0;                // sender thread only: messages not sent since the last success
  std::chrono::steady_clock::time_point last_failure_log_{};  // sender thread only
  std::thread thread_;
};

}  // namespace openstmf::ha

#endif  // OPENSTMF_HA_BATCH_SENDER_H
