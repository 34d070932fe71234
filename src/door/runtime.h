// Runtime: the process-wide state of libdoor — the table of doors this process
// serves, the shared pool, the door_server_create() function, fattach()
// publications, and fork handling.
//
// The C API is keyed by descriptors, so this state is necessarily per process; it
// lives in one object created on first use and never destroyed (server threads may
// still run while the process exits).
//
// Locking order: fork gate (shared, fd_registry.h) -> Runtime::mu_ -> Door::mu_ ->
// Pool::mu_ -> ThreadCtx::cancel_mu. The pthread_atfork prepare handler takes the
// fork gate exclusively and mu_, so the child sees a consistent table; the child
// closes every descriptor libdoor tracks and abandons the inherited doors and pools
// without touching their locks.
#ifndef OPENSTMF_DOOR_RUNTIME_H
#define OPENSTMF_DOOR_RUNTIME_H

#include <sys/types.h>

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "base/status.h"
#include "door.h"
#include "door/endpoint.h"
#include "door/tag.h"

namespace openstmf::door {

class Door;
class Pool;

// What a descriptor refers to, as seen from this process.
struct Resolved {
  Tag tag;
  std::string name;
  std::shared_ptr<Door> door;  // set when the door is served by this process
  bool local = false;          // the tag names this process (door may be dead)
};

class Runtime {
 public:
  static Runtime& Get();

  pid_t pid() const { return pid_.load(std::memory_order_relaxed); }
  uint64_t nonce() const { return nonce_.load(std::memory_order_relaxed); }
  door_id_t NextDoorId();
  uint64_t NextRefSeq() { return ref_seq_.fetch_add(1, std::memory_order_relaxed); }
  uint64_t NextThreadUid() { return thread_uid_.fetch_add(1, std::memory_order_relaxed); }
  uint64_t NextConnSerial() { return conn_serial_.fetch_add(1, std::memory_order_relaxed); }

  // The shared pool, created on first use.
  Result<std::shared_ptr<Pool>> SharedPool();

  void AddDoor(const std::shared_ptr<Door>& door);
  std::shared_ptr<Door> FindDoor(door_id_t id);
  // The door has no endpoint left: forget it and stop its private pool.
  void DoorDead(Door* door);

  // Identifies a door descriptor. EBADF when fd is not a door descriptor.
  Result<Resolved> Resolve(int fd);

  door_server_func_t* SetCreateFunc(door_server_func_t* f) {
    return create_func_.exchange(f, std::memory_order_acq_rel);
  }
  door_server_func_t* create_func() const { return create_func_.load(std::memory_order_acquire); }

  // fattach() publications.
  void AddPublication(const std::shared_ptr<Publication>& pub);
  std::shared_ptr<Publication> TakePublication(dev_t dev, ino_t ino);

  // Pools register themselves so a forked child can stop them.
  void RegisterPool(Pool* pool);
  void UnregisterPool(Pool* pool);

 private:
  Runtime();
  static void ForkPrepare();
  static void ForkParent();
  static void ForkChild();
  void ResetIdentity();

  std::atomic<pid_t> pid_{0};
  std::atomic<uint64_t> nonce_{0};
  std::atomic<uint64_t> door_seq_{1};
  std::atomic<uint64_t> ref_seq_{1};
  std::atomic<uint64_t> thread_uid_{1};
  std::atomic<uint64_t> conn_serial_{1};
  std::atomic<door_server_func_t*> create_func_{nullptr};

  std::mutex mu_;
  std::unordered_map<door_id_t, std::shared_ptr<Door>> doors_;  // guarded by mu_
  std::shared_ptr<Pool> shared_pool_;                           // guarded by mu_
  std::vector<std::shared_ptr<Publication>> publications_;      // guarded by mu_
  std::unordered_set<Pool*> pools_;                             // guarded by mu_
  // State inherited by a forked child and dropped there: kept reachable, never
  // destroyed (its mutexes and threads belong to the parent).
  std::vector<std::shared_ptr<void>> abandoned_;  // guarded by mu_
};

}  // namespace openstmf::door

#endif  // OPENSTMF_DOOR_RUNTIME_H
