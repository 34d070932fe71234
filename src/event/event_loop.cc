#include "event/event_loop.h"

#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <cerrno>
#include <utility>

#include "base/log.h"

namespace openstmf::event {
namespace {

// The wake eventfd is registered with this tag instead of a handler pointer.
FdHandler* const kWakeTag = nullptr;

}  // namespace

Result<std::unique_ptr<EventLoop>> EventLoop::Create(Options options) {
  int epfd = epoll_create1(EPOLL_CLOEXEC);
  if (epfd < 0) return Status::FromErrno(errno, "epoll_create1");
  int wakefd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
  if (wakefd < 0) {
    Status s = Status::FromErrno(errno, "eventfd");
    close(epfd);
    return s;
  }
  epoll_event ev{};
  ev.events = EPOLLIN;
  ev.data.ptr = kWakeTag;
  if (epoll_ctl(epfd, EPOLL_CTL_ADD, wakefd, &ev) != 0) {
    Status s = Status::FromErrno(errno, "epoll_ctl(eventfd)");
    close(wakefd);
    close(epfd);
    return s;
  }
  return std::unique_ptr<EventLoop>(new EventLoop(options, epfd, wakefd));
}

EventLoop::EventLoop(Options options, int epfd, int wakefd)
    : clock_(options.clock != nullptr ? options.clock : &steady_),
      options_(options),
      epfd_(epfd),
      wakefd_(wakefd),
      owner_(std::this_thread::get_id()) {}

EventLoop::~EventLoop() {
  close(wakefd_);
  close(epfd_);
}

Status EventLoop::Add(int fd, uint32_t events, FdHandler* handler) {
  epoll_event ev{};
  ev.events = events;
  ev.data.ptr = handler;
  if (epoll_ctl(epfd_, EPOLL_CTL_ADD, fd, &ev) != 0) return Status::FromErrno(errno, "epoll add");
  return Status::Ok();
}

Status EventLoop::Modify(int fd, uint32_t events, FdHandler* handler) {
  epoll_event ev{};
  ev.events = events;
  ev.data.ptr = handler;
  if (epoll_ctl(epfd_, EPOLL_CTL_MOD, fd, &ev) != 0) return Status::FromErrno(errno, "epoll mod");
  return Status::Ok();
}

void EventLoop::Remove(int fd) {
  // ENOENT/EBADF only mean it is already gone.
  (void)epoll_ctl(epfd_, EPOLL_CTL_DEL, fd, nullptr);
}

TimerId EventLoop::RunAfter(Duration delay, std::function<void()> callback) {
  return timers_.Add(clock_->Now() + delay, std::move(callback));
}

bool EventLoop::CancelTimer(TimerId id) { return timers_.Cancel(id); }

void EventLoop::Defer(std::function<void()> callback) { deferred_.push_back(std::move(callback)); }

void EventLoop::Post(std::function<void()> callback) {
  bool was_empty = false;
  {
    std::lock_guard<std::mutex> lock(posted_mu_);
    was_empty = posted_.empty();
    posted_.push_back(std::move(callback));
  }
  // One wake-up per batch: the loop drains the whole queue when it wakes.
  if (was_empty) {
    uint64_t one = 1;
    ssize_t rc = write(wakefd_, &one, sizeof one);
    (void)rc;  // EAGAIN means the counter is already non-zero: the loop will wake
  }
}

void EventLoop::Stop() {
  stopped_.store(true);
  uint64_t one = 1;
  ssize_t rc = write(wakefd_, &one, sizeof one);
  (void)rc;
}

void EventLoop::Run() {
  owner_.store(std::this_thread::get_id());
  while (RunOnce(std::chrono::hours(1))) {
  }
}

int EventLoop::WaitMillis(Duration max_wait) {
  if (!deferred_.empty()) return 0;
  Duration wait = max_wait;
  if (auto next = timers_.NextDeadline()) {
    Duration until = *next - clock_->Now();
    if (until < wait) wait = until;
  }
  if (wait <= Duration::zero()) return 0;
  // Round up so a timer is never woken for early.
  auto ms = std::chrono::ceil<std::chrono::milliseconds>(wait).count();
  return ms > 3600000 ? 3600000 : static_cast<int>(ms);
}

void EventLoop::DrainPosted() {
  uint64_t count = 0;
  ssize_t rc = read(wakefd_, &count, sizeof count);
  (void)rc;
  std::vector<std::function<void()>> batch;
  {
    std::lock_guard<std::mutex> lock(posted_mu_);
    batch.swap(posted_);
  }
  for (auto& fn : batch) fn();
}

void EventLoop::RunDeferred() {
  // Deferred tasks may defer more; bound the passes so a task that always
  // re-defers cannot starve the descriptors.
  for (int pass = 0; pass < 16 && !deferred_.empty(); ++pass) {
    std::vector<std::function<void()>> now;
    now.swap(deferred_);
    for (auto& fn : now) fn();
  }
}

bool EventLoop::RunOnce(Duration max_wait) {
  if (stopped_.load()) return false;
  epoll_event events[256];
  const int cap = options_.max_events < 256 ? options_.max_events : 256;
  int n = 0;
  if (options_.busy_poll > Duration::zero()) {
    const TimePoint until = clock_->Now() + options_.busy_poll;
    do {
      n = epoll_wait(epfd_, events, cap, 0);
    } while (n == 0 && deferred_.empty() && clock_->Now() < until);
  }
  if (n == 0) n = epoll_wait(epfd_, events, cap, WaitMillis(max_wait));
  if (n < 0 && errno != EINTR) {
    Log(LogLevel::kError, "event", "epoll_wait failed: errno %d", errno);
  }
  for (int i = 0; i < n; ++i) {
    auto* handler = static_cast<FdHandler*>(events[i].data.ptr);
    if (handler == kWakeTag) {
      DrainPosted();
    } else {
      handler->OnEvents(events[i].events);
    }
  }
  for (auto& fn : timers_.TakeExpired(clock_->Now())) fn();
  RunDeferred();
  return !stopped_.load();
}

EventLoop* CurrentLoopOf(const std::vector<EventLoop*>& loops) {
  for (EventLoop* l : loops) {
    if (l->InLoopThread()) return l;
  }
  return nullptr;
}

}  // namespace openstmf::event
