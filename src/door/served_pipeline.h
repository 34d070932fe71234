// ServedPipeline: a door's pipelined call connection (pipelined_call.h), served by
// its owner on a thread of the owner's choosing instead of the door's pool.
//
// An event loop that takes a door's calls itself saves the wake-up of a pool
// thread and the hand-over from that thread to the loop. The owner asks for this
// with TakePipelines(); from then on every connection a client opens with
// PipelinedCall::Open() goes to the owner's taker, and door_call() connections
// stay with the pool. A pipelined connection carries only inline calls without
// descriptors, so serving one needs no arena and no descriptor handling: the
// owner reads a call, runs it, and answers it, in order.
//
// Revoking the door does not close taken connections (the door does not know
// them); the owner closes them. A call read after the revocation is refused with
// EBADF, as the pool refuses it.
//
// Thread-safety: TakePipelines() from any thread; the taker runs on a pool thread.
// A ServedPipeline is not thread-safe: its owner serialises every use.
#ifndef OPENSTMF_DOOR_SERVED_PIPELINE_H
#define OPENSTMF_DOOR_SERVED_PIPELINE_H

#include <sys/types.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <span>

#include "base/status.h"

namespace openstmf::door {

class Door;

class ServedPipeline {
 public:
  ~ServedPipeline();  // the client sees the hang-up; unanswered calls are lost
  ServedPipeline(const ServedPipeline&) = delete;
  ServedPipeline& operator=(const ServedPipeline&) = delete;

  // Readable when a call (or the hang-up) is there; register it for EPOLLIN.
  int fd() const { return fd_; }
  pid_t client_pid() const { return pid_; }

  // The next call's data, without blocking; valid until the next Read(). A
  // call outside the door's size limits (door_setparam) is refused with ENOBUFS
  // and skipped. kResourceExhausted: no call yet. kUnavailable: the client hung
  // up, or the door was revoked (refused with EBADF). kInvalidArgument: the
  // client broke the protocol (logged, refused with EINVAL). After any error but
  // kResourceExhausted the owner closes the connection.
  Result<std::span<const uint8_t>> Read();
  // Answers the call read last with `data` (up to kMaxInline). Never blocks; a
  // client that leaves its answers unread fills the socket and gets
  // kUnavailable here, so the owner closes the connection.
  Status Answer(std::span<const uint8_t> data);

 private:
  friend std::unique_ptr<ServedPipeline> AdoptPipeline(int fd, std::shared_ptr<Door> door,
                                                       pid_t pid);
  ServedPipeline(int fd, std::shared_ptr<Door> door, pid_t pid);

  const int fd_;  // tracked (fd_registry.h)
  const std::shared_ptr<Door> door_;
  const pid_t pid_;
  std::unique_ptr<unsigned char[]> rx_;  // kMaxMessage bytes
};

// Receives each pipelined connection clients open to the door.
using PipelineTaker = std::function<void(std::unique_ptr<ServedPipeline>)>;

// Sends door d's pipelined connections to `taker` from now on (connections
// already open stay with the pool). EBADF when d is not a door this process
// serves.
Status TakePipelines(int d, PipelineTaker taker);

// For server.cc: wraps the server end of an accepted pipelined connection of
// door (a tracked descriptor, which it takes) made by process pid.
std::unique_ptr<ServedPipeline> AdoptPipeline(int fd, std::shared_ptr<Door> door, pid_t pid);

}  // namespace openstmf::door

#endif  // OPENSTMF_DOOR_SERVED_PIPELINE_H
