#include "door/runtime.h"

#include <pthread.h>
#include <sys/random.h>
#include <unistd.h>

#include <cerrno>
#include <mutex>
#include <new>
#include <shared_mutex>

#include "door/door_state.h"
#include "door/fd_registry.h"
#include "door/pool.h"
#include "door/thread_ctx.h"

namespace openstmf::door {

Runtime& Runtime::Get() {
  // Never destroyed: server threads may still use it while the process exits.
  static Runtime* rt = [] {
    auto* r = new Runtime;
    ::pthread_atfork(&Runtime::ForkPrepare, &Runtime::ForkParent, &Runtime::ForkChild);
    return r;
  }();
  return *rt;
}

Runtime::Runtime() { ResetIdentity(); }

void Runtime::ResetIdentity() {
  uint64_t n = 0;
  if (::getrandom(&n, sizeof n, GRND_NONBLOCK) != static_cast<ssize_t>(sizeof n)) {
    // No entropy yet (early boot): a tag only has to be unlikely to collide.
    n = (static_cast<uint64_t>(::getpid()) << 32) ^ reinterpret_cast<uintptr_t>(&n) ^
        static_cast<uint64_t>(::time(nullptr));
  }
  nonce_.store(n, std::memory_order_relaxed);
  pid_.store(::getpid(), std::memory_order_relaxed);
}

door_id_t Runtime::NextDoorId() {
  // Unique among the doors of live processes: the pid, then a per-process counter.
  return (static_cast<uint64_t>(pid()) << 32) |
         (door_seq_.fetch_add(1, std::memory_order_relaxed) & 0xffffffffu);
}

Result<std::shared_ptr<Pool>> Runtime::SharedPool() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (shared_pool_) return shared_pool_;
  }
  // Declared before the lock: if another thread won the race, this pool is
  // destroyed after mu_ is released (~Pool takes mu_).
  ASSIGN_OR_RETURN(std::shared_ptr<Pool> pool, Pool::Create(nullptr));
  std::lock_guard<std::mutex> lock(mu_);
  if (!shared_pool_) shared_pool_ = pool;
  return shared_pool_;
}

void Runtime::AddDoor(const std::shared_ptr<Door>& door) {
  std::lock_guard<std::mutex> lock(mu_);
  doors_[door->id] = door;
}

std::shared_ptr<Door> Runtime::FindDoor(door_id_t id) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = doors_.find(id);
  return it == doors_.end() ? nullptr : it->second;
}

void Runtime::DoorDead(Door* door) {
  std::shared_ptr<Door> victim;
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = doors_.find(door->id);
    if (it != doors_.end() && it->second.get() == door) {
      victim = std::move(it->second);
      doors_.erase(it);
    }
  }
  if (door->pool && door->pool->is_private()) door->pool->Shutdown();
  // victim is released here, outside mu_.
}

Result<Resolved> Runtime::Resolve(int fd) {
  Resolved r;
  ASSIGN_OR_RETURN(r.tag, ReadTag(fd, &r.name));
  if (r.tag.server_pid != pid() || r.tag.server_nonce != nonce()) return r;
  r.local = true;
  std::shared_ptr<Door> d = FindDoor(r.tag.door_id);
  // The tag is public; only a live reference this door knows is trusted.
  if (d && d->HasRef(r.name)) r.door = std::move(d);
  return r;
}

void Runtime::AddPublication(const std::shared_ptr<Publication>& pub) {
  std::lock_guard<std::mutex> lock(mu_);
  publications_.push_back(pub);
}

std::shared_ptr<Publication> Runtime::TakePublication(dev_t dev, ino_t ino) {
  std::lock_guard<std::mutex> lock(mu_);
  for (auto it = publications_.begin(); it != publications_.end(); ++it) {
    if ((*it)->dev == dev && (*it)->ino == ino) {
      std::shared_ptr<Publication> p = std::move(*it);
      publications_.erase(it);
      return p;
    }
  }
  return nullptr;
}

void Runtime::RegisterPool(Pool* pool) {
  std::lock_guard<std::mutex> lock(mu_);
  pools_.insert(pool);
}

void Runtime::UnregisterPool(Pool* pool) {
  std::lock_guard<std::mutex> lock(mu_);
  pools_.erase(pool);
}

void Runtime::ForkPrepare() {
  Runtime& rt = Get();
  ForkGate().lock();
  rt.mu_.lock();
}

void Runtime::ForkParent() {
  Runtime& rt = Get();
  rt.mu_.unlock();
  ForkGate().unlock();
}

void Runtime::ForkChild() {
  Runtime& rt = Get();
  // Only the forking thread exists now. Close every descriptor libdoor kept, so
  // the parent's clients see its hang-ups and nothing is shared by mistake; keep
  // the objects (their locks may have been held by threads that are gone).
  CloseAllTrackedInChild();
  for (Pool* p : rt.pools_) p->StopInChild();
  for (auto& [id, door] : rt.doors_) rt.abandoned_.push_back(std::static_pointer_cast<void>(door));
  rt.doors_.clear();
  if (rt.shared_pool_) rt.abandoned_.push_back(std::static_pointer_cast<void>(rt.shared_pool_));
  rt.shared_pool_.reset();
  for (auto& pub : rt.publications_) {
    pub->ref = -1;  // closed above
    pub->listen_fd = -1;
    rt.abandoned_.push_back(std::static_pointer_cast<void>(pub));
  }
  rt.publications_.clear();
  rt.pools_.clear();
  rt.ResetIdentity();
  if (ThreadCtx* t = CurrentThreadIfAny()) {
    // The call connections were closed above; forget them without closing again.
    t->cache.ForgetInChild();
    t->serving = false;
    t->conn = nullptr;
    t->door = nullptr;
    if (t->hold) rt.abandoned_.push_back(std::static_pointer_cast<void>(t->hold));
    if (t->pool) rt.abandoned_.push_back(std::static_pointer_cast<void>(t->pool));
    if (t->bound) rt.abandoned_.push_back(std::static_pointer_cast<void>(t->bound));
    t->hold.reset();
    t->bound.reset();
    // door_bind(3C): after fork the child's bindings refer to an invalid door.
    if (t->bound_set) t->bound_invalid = true;
    // Another thread may have held this lock while looking for a call to cancel.
    new (&t->cancel_mu) std::mutex;
  }
  rt.mu_.unlock();
  // A read-write lock records its writer's thread id, which the child does not
  // have any more: start from a fresh lock instead of unlocking.
  new (&ForkGate()) std::shared_mutex;
}

}  // namespace openstmf::door
