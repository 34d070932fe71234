// Pool: a set of server threads waiting on one epoll instance.
//
// The shared pool serves every non-private door of the process; each DOOR_PRIVATE
// door has its own. Threads follow leader/followers without hand-off: each blocks
// in epoll_wait() for one event and the thread that wakes reads the socket, runs
// the server procedure and answers. When a thread takes an event and no other
// thread is idle, the pool asks for one more thread (the door_server_create()
// function if one is installed, else a default detached thread), so a pool grows to
// its concurrency and keeps one spare.
//
// Thread-safety: all public members are safe to call from any thread.
#ifndef OPENSTMF_DOOR_POOL_H
#define OPENSTMF_DOOR_POOL_H

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <unordered_set>
#include <vector>

#include "base/status.h"
#include "door.h"
#include "door/endpoint.h"

namespace openstmf::door {

class Door;
struct ThreadCtx;

class Pool : public std::enable_shared_from_this<Pool> {
 public:
  // private_door is null for the shared pool.
  static Result<std::shared_ptr<Pool>> Create(const std::shared_ptr<Door>& private_door);
  ~Pool();
  Pool(const Pool&) = delete;
  Pool& operator=(const Pool&) = delete;

  int epfd() const { return epfd_; }
  bool is_private() const { return is_private_; }
  bool closing() const { return closing_.load(std::memory_order_acquire); }

  // Registers ep (EPOLLONESHOT is added).
  Status Add(Endpoint* ep, uint32_t events);
  // Unregisters ep; its holder then closes and deletes it.
  void Remove(Endpoint* ep);
  // Re-arms a held endpoint; false when epoll refuses (the caller then closes it).
  bool Rearm(Endpoint* ep, uint32_t events);
  // Registers the watch of a connection (edge-triggered hang-up, data = token).
  Status AddWatch(int fd, uint64_t token);
  void RemoveWatch(int fd);

  // Stops the pool: every waiting thread leaves (door_return() returns EINVAL).
  void Shutdown();

  // Membership of server threads (the loop in server.cc).
  void Join(ThreadCtx* t);
  void Leave(ThreadCtx* t);
  // Thread accounting around epoll_wait().
  void EnterWait() {
    idle_.fetch_add(1, std::memory_order_relaxed);
    spawn_pending_.store(false, std::memory_order_relaxed);
  }
  // Called after a thread took an event: asks for a thread when none is left idle.
  void LeaveWait() {
    if (idle_.fetch_sub(1, std::memory_order_relaxed) == 1 &&
        !spawn_pending_.exchange(true, std::memory_order_relaxed)) {
      RequestThread();
    }
  }
  // A wait that ended without an event (signal, wake-up).
  void AbortWait() { idle_.fetch_sub(1, std::memory_order_relaxed); }
  bool IsWake(const void* ptr) const { return ptr == &wake_; }
  // Asks for one more server thread now.
  void RequestThread();
  // Asks for a thread unless the pool already has one or one is coming.
  void EnsureThread();
  int threads() const;

  // A connection's watch reported an event: cancel the thread serving a call on
  // that connection if it is inside its cancellation window (see server.h).
  void CancelWatched(uint64_t token, uint32_t events);

  // In a forked child: marks the inherited pool stopped (its descriptors are closed
  // by fd_registry); touches no lock.
  void StopInChild() { closing_.store(true, std::memory_order_release); }

 private:
  Pool() = default;

  int epfd_ = -1;
  bool is_private_ = false;
  std::weak_ptr<Door> door_;  // private pools only
  Endpoint wake_{EndpointKind::kWake, -1};
  std::atomic<bool> closing_{false};
  std::atomic<int> idle_{0};
  std::atomic<bool> spawn_pending_{false};

  mutable std::mutex mu_;
  std::vector<ThreadCtx*> members_;  // guarded by mu_
  // Every registered endpoint. While one waits in epoll the kernel holds its
  // only pointer; a process that ends before a pool thread has released a
  // detached listener would otherwise show it as leaked.
  std::unordered_set<Endpoint*> endpoints_;  // guarded by mu_
};

}  // namespace openstmf::door

#endif  // OPENSTMF_DOOR_POOL_H
