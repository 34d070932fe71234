#include "door/pool.h"

#include <pthread.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "base/log.h"
#include "door/door_state.h"
#include "door/fd_registry.h"
#include "door/runtime.h"
#include "door/server.h"
#include "door/thread_ctx.h"
#include "door/tsan.h"

namespace openstmf::door {
namespace {

struct StartArg {
  std::shared_ptr<Pool> bind_to;  // private pools only
};

// The default server thread (door_server_create(3C) with no function installed).
void* DefaultServerThread(void* p) {
  std::shared_ptr<Pool> pool = std::move(static_cast<StartArg*>(p)->bind_to);
  delete static_cast<StartArg*>(p);
  ThreadCtx* t = CurrentThread();
  if (pool) {
    t->bound = std::move(pool);
    t->bound_set = true;
  }
  (void)ServeAsPoolThread(t);  // returns when the pool stops
  return nullptr;
}

}  // namespace

Result<std::shared_ptr<Pool>> Pool::Create(const std::shared_ptr<Door>& private_door) {
  std::shared_ptr<Pool> p(new Pool);
  p->is_private_ = private_door != nullptr;
  p->door_ = private_door;
  p->epfd_ = Track(::epoll_create1(EPOLL_CLOEXEC));
  if (p->epfd_ < 0) return Status::FromErrno(errno, "epoll_create1");
  p->wake_.fd = Track(::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK));
  if (p->wake_.fd < 0) return Status::FromErrno(errno, "eventfd");
  // Level-triggered and never read: once written, every waiting thread sees it.
  epoll_event ev{};
  ev.events = EPOLLIN;
  ev.data.ptr = &p->wake_;
  if (::epoll_ctl(p->epfd_, EPOLL_CTL_ADD, p->wake_.fd, &ev) != 0) {
    return Status::FromErrno(errno, "epoll_ctl");
  }
  Runtime::Get().RegisterPool(p.get());
  return p;
}

Pool::~Pool() {
  Runtime::Get().UnregisterPool(this);
  CloseTracked(wake_.fd);
  CloseTracked(epfd_);
}

Status Pool::Add(Endpoint* ep, uint32_t events) {
  epoll_event ev{};
  ev.events = events | EPOLLONESHOT;
  ev.data.ptr = ep;
  HandOver(ep);
  IgnoreBegin();
  const int rc = ::epoll_ctl(epfd_, EPOLL_CTL_ADD, ep->fd, &ev);
  const int err = errno;
  IgnoreEnd();
  if (rc != 0) return Status::FromErrno(err, "epoll_ctl add");
  std::lock_guard<std::mutex> lock(mu_);
  endpoints_.insert(ep);
  return Status::Ok();
}

void Pool::Remove(Endpoint* ep) {
  (void)::epoll_ctl(epfd_, EPOLL_CTL_DEL, ep->fd, nullptr);
  std::lock_guard<std::mutex> lock(mu_);
  endpoints_.erase(ep);
}

bool Pool::Rearm(Endpoint* ep, uint32_t events) {
  epoll_event ev{};
  ev.events = events | EPOLLONESHOT;
  ev.data.ptr = ep;
  HandOver(ep);
  IgnoreBegin();
  const bool ok = ::epoll_ctl(epfd_, EPOLL_CTL_MOD, ep->fd, &ev) == 0;
  IgnoreEnd();
  return ok;
}

Status Pool::AddWatch(int fd, uint64_t token) {
  epoll_event ev{};
  ev.events = EPOLLRDHUP | EPOLLET;
  ev.data.u64 = token;
  if (::epoll_ctl(epfd_, EPOLL_CTL_ADD, fd, &ev) != 0) {
    return Status::FromErrno(errno, "epoll_ctl add watch");
  }
  return Status::Ok();
}

void Pool::RemoveWatch(int fd) { (void)::epoll_ctl(epfd_, EPOLL_CTL_DEL, fd, nullptr); }

void Pool::Shutdown() {
  closing_.store(true, std::memory_order_release);
  const uint64_t one = 1;
  ssize_t n = ::write(wake_.fd, &one, sizeof one);
  (void)n;  // the counter cannot overflow from a handful of writes
}

void Pool::Join(ThreadCtx* t) {
  std::lock_guard<std::mutex> lock(mu_);
  members_.push_back(t);
}

void Pool::Leave(ThreadCtx* t) {
  std::lock_guard<std::mutex> lock(mu_);
  members_.erase(std::remove(members_.begin(), members_.end(), t), members_.end());
}

int Pool::threads() const {
  std::lock_guard<std::mutex> lock(mu_);
  return static_cast<int>(members_.size());
}

void Pool::RequestThread() {
  if (closing()) return;
  std::shared_ptr<Door> owner = door_.lock();
  // A private pool whose door is going away needs no more threads.
  if (is_private_ && (!owner || owner->closing.load(std::memory_order_acquire))) return;
  if (door_server_func_t* fn = Runtime::Get().create_func()) {
    if (!is_private_) {
      fn(nullptr);
      return;
    }
    door_info_t info;
    owner->Describe(&info);
    fn(&info);
    return;
  }
  auto* arg = new StartArg;
  if (is_private_) arg->bind_to = shared_from_this();
  pthread_attr_t attr;
  pthread_attr_init(&attr);
  pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
  pthread_t tid;
  const int rc = ::pthread_create(&tid, &attr, &DefaultServerThread, arg);
  pthread_attr_destroy(&attr);
  if (rc != 0) {
    delete arg;
    spawn_pending_.store(false, std::memory_order_relaxed);
    Log(LogLevel::kWarn, "door", "cannot start a server thread: %s", std::strerror(rc));
  }
}

void Pool::EnsureThread() {
  if (threads() == 0 && !spawn_pending_.exchange(true, std::memory_order_relaxed)) {
    RequestThread();
  }
}

void Pool::CancelWatched(uint64_t token, uint32_t events) {
  // Only a hang-up means the client gave up; more data is a misbehaving client and
  // is dealt with when the call ends.
  if ((events & (EPOLLRDHUP | EPOLLHUP | EPOLLERR)) == 0) return;
  std::lock_guard<std::mutex> lock(mu_);
  for (ThreadCtx* t : members_) {
    std::lock_guard<std::mutex> cl(t->cancel_mu);
    if (t->in_window && t->window_token == token && !t->cancel_sent &&
        !t->window_door->closing.load(std::memory_order_acquire)) {
      t->cancel_sent = true;
      ::pthread_cancel(t->tid);
      return;
    }
  }
}

}  // namespace openstmf::door
