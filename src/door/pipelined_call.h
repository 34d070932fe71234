// PipelinedCall: a call connection of its own to one door, on which calls go out
// without waiting for their answers.
//
// The server runs the calls of one connection one at a time, in the order they
// were sent (server.cc re-arms a connection only after answering), so a thread that
// must never block — an event loop — can still have its calls run in order by
// posting them here and collecting the answers later. Only calls whose data fits a
// record (kMaxInline) and that carry no descriptors can be posted; anything else
// is for door_call(). Answers must be small: the server never blocks on a
// client, and drops one whose unread answers fill its socket, so at most
// max_outstanding calls may wait for theirs.
//
// Thread-safety: none; the owner serialises every use.
#ifndef OPENSTMF_DOOR_PIPELINED_CALL_H
#define OPENSTMF_DOOR_PIPELINED_CALL_H

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <span>

#include "base/status.h"

namespace openstmf::door {

class PipelinedCall {
 public:
  // A new connection to the door behind descriptor d (EBADF: not a door).
  static Result<std::unique_ptr<PipelinedCall>> Open(int d, size_t max_outstanding = 32);
  ~PipelinedCall();  // unanswered calls are abandoned: the server sees the hang-up
  PipelinedCall(const PipelinedCall&) = delete;
  PipelinedCall& operator=(const PipelinedCall&) = delete;

  // Sends one call without blocking. kResourceExhausted when the connection
  // cannot take it now, or max_outstanding calls wait for their answers (try
  // again after answers arrive); kInvalidArgument for
  // data beyond kMaxInline or empty; kUnavailable when the server is gone.
  Status Post(std::span<const uint8_t> data);

  // One answer: the server's result data, or why there is none (the errno of a
  // refused call, or a malformed answer). The data is valid during the callback.
  using OnAnswer = std::function<void(const Status& status, std::span<const uint8_t> data)>;
  // Takes the answers that have arrived, in order. timeout_ms > 0 waits that
  // long for the first one when none is there; 0 never waits. kUnavailable when
  // the server went away (the unanswered calls are then lost).
  Result<size_t> Reap(const OnAnswer& on_answer, int timeout_ms = 0);

  size_t outstanding() const { return outstanding_; }
  uint64_t door_id() const { return door_id_; }

 private:
  PipelinedCall(int fd, uint64_t door_id, size_t max_outstanding);

  int fd_;
  size_t max_outstanding_;
  uint64_t door_id_;
  size_t outstanding_ = 0;
  std::unique_ptr<unsigned char[]> rx_;  // kMaxMessage bytes
};

}  // namespace openstmf::door

#endif  // OPENSTMF_DOOR_PIPELINED_CALL_H
