// Door: one door served by this process — its procedure, attributes, limits, and
// the server ends of its references and call connections.
//
// The reference count is the number of live reference sockets (server ends); a
// fattach() publication holds one such reference. When the count falls to one or
// less after having been two or more, the door owes an unreferenced invocation
// (once for DOOR_UNREF, each time for DOOR_UNREF_MULTI). When no reference is left
// the door is closing: its connections are shut down, and once the last endpoint is
// gone it is dead (removed from the runtime, private pool stopped).
//
// Thread-safety: all members are either immutable, atomic, or guarded by mu_.
#ifndef OPENSTMF_DOOR_DOOR_STATE_H
#define OPENSTMF_DOOR_DOOR_STATE_H

#include <atomic>
#include <climits>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_set>

#include "base/status.h"
#include "base/unique_fd.h"
#include "door.h"
#include "door/endpoint.h"
#include "door/served_pipeline.h"

namespace openstmf::door {

class Pool;

class Door : public std::enable_shared_from_this<Door> {
 public:
  Door(door_id_t id, door_server_procedure_t* proc, void* cookie, uint32_t attributes);

  const door_id_t id;
  door_server_procedure_t* const proc;
  void* const cookie;
  const uint32_t attributes;   // creation attributes
  std::shared_ptr<Pool> pool;  // set once, before the door is published

  std::atomic<size_t> desc_max{INT_MAX};
  std::atomic<size_t> data_min{0};
  std::atomic<size_t> data_max{SIZE_MAX};
  std::mutex param_mu;  // serialises door_setparam() so DATA_MIN <= DATA_MAX holds
  std::atomic<bool> revoked{false};
  std::atomic<bool> closing{false};  // revoked, or no reference left

  // Registers a new reference in the door's pool; takes server_end (a tracked
  // descriptor, fd_registry.h) in every case. name is the client end's tag ("" if
  // unknown). EBADF when the door is closing.
  Status AddRef(int server_end, std::string name);
  // Registers a new call connection (already built) and its watch in the door's
  // pool. On success the door owns it; on failure the caller still does.
  Status AddConn(Conn* conn);

  struct Removal {
    bool deliver_unref = false;
    bool dead = false;  // the caller must call Runtime::DoorDead()
  };
  // Forgets an endpoint; the holder then unregisters, closes and deletes it.
  Removal RemoveRef(Ref* ref);
  Removal RemoveConn(Conn* conn);

  // True when name is the tag of one of this door's live references.
  bool HasRef(const std::string& name) const;
  // Marks the door revoked and shuts down its sockets (see endpoint.h). False when
  // it was revoked already.
  bool Revoke();

  // door_info() for this process.
  void Describe(door_info_t* info) const;

  // Why a well-formed call with n_desc descriptors and data_size bytes is
  // refused (its errno), or 0 to run it: EBADF revoked, ENOTSUP descriptors
  // refused, ENFILE too many descriptors, ENOBUFS data outside the limits.
  int Refusal(uint32_t n_desc, uint64_t data_size) const;

  // Where pipelined connections go (served_pipeline.h); null: the pool.
  void SetPipelineTaker(PipelineTaker taker);
  std::shared_ptr<const PipelineTaker> pipeline_taker() const;

 private:
  void ShutdownConnsLocked();

  mutable std::mutex mu_;
  std::unordered_set<Ref*> refs_;               // guarded by mu_
  std::unordered_set<std::string> ref_names_;   // guarded by mu_
  std::unordered_set<Conn*> conns_;             // guarded by mu_
  bool unref_armed_ = false;                    // guarded by mu_; count reached 2
  bool unref_delivered_ = false;                // guarded by mu_
  bool dead_ = false;                           // guarded by mu_
  std::shared_ptr<const PipelineTaker> taker_;  // guarded by mu_
};

}  // namespace openstmf::door

#endif  // OPENSTMF_DOOR_DOOR_STATE_H
