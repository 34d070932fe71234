#include "door/publish.h"

#include <poll.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <mutex>
#include <shared_mutex>

#include "base/log.h"
#include "base/unique_fd.h"
#include "door/door_state.h"
#include "door/fd_registry.h"
#include "door/msg_io.h"
#include "door/pool.h"
#include "door/refs.h"
#include "door/runtime.h"
#include "door/tag.h"
#include "door/wire.h"

namespace openstmf::door {
namespace {

constexpr int kOpenTimeoutMs = 10000;

Result<sockaddr_un> PathAddress(const char* path) {
  if (path == nullptr) return Status(Code::kInvalidArgument, "no path", EFAULT);
  sockaddr_un sa{};
  sa.sun_family = AF_UNIX;
  const size_t len = std::strlen(path);
  if (len == 0) return Status(Code::kInvalidArgument, "empty path", ENOENT);
  if (len >= sizeof sa.sun_path) {
    return Status(Code::kInvalidArgument, "path too long", ENAMETOOLONG);
  }
  std::memcpy(sa.sun_path, path, len);
  return sa;
}

// True when a live publication answers at sa. Connecting without sending kOpen
// mints nothing there.
Result<bool> LiveSocketAt(const sockaddr_un& sa) {
  UniqueFd probe(::socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0));
  if (!probe.valid()) return Status::FromErrno(errno, "socket");
  if (::connect(probe.get(), reinterpret_cast<const sockaddr*>(&sa), sizeof sa) == 0) return true;
  if (errno == ECONNREFUSED) return false;
  return Status::FromErrno(errno, "connect");
}

// Binds s at sa, replacing a regular file or a stale socket (fattach(3C) covers
// whatever is at the path). Reports the replaced file's mode and owner.
Status BindReplacing(int s, const sockaddr_un& sa, struct stat* replaced, bool* had_file) {
  *had_file = false;
  for (int attempt = 0; attempt < 4; ++attempt) {
    if (::bind(s, reinterpret_cast<const sockaddr*>(&sa), sizeof sa) == 0) return Status::Ok();
    if (errno != EADDRINUSE) return Status::FromErrno(errno, "bind");
    struct stat st {};
    if (::lstat(sa.sun_path, &st) != 0) continue;  // removed meanwhile
    if (S_ISSOCK(st.st_mode)) {
      ASSIGN_OR_RETURN(bool live, LiveSocketAt(sa));
      if (live) return Status(Code::kAlreadyExists, "a door is attached there", EBUSY);
    } else if (S_ISREG(st.st_mode)) {
      *replaced = st;
      *had_file = true;
    } else {
      return Status(Code::kAlreadyExists, "path is neither a file nor a socket", EBUSY);
    }
    if (::unlink(sa.sun_path) != 0 && errno != ENOENT) return Status::FromErrno(errno, "unlink");
  }
  return Status(Code::kAlreadyExists, "path keeps being taken", EBUSY);
}

void CloseEndpoint(Pool* pool, Endpoint* ep) {
  pool->Remove(ep);
  CloseTracked(ep->fd);
  delete ep;
}

void HandleListener(Pool* pool, Listener* l) {
  // Outlives the lock below even when l (its other owner) is deleted.
  const std::shared_ptr<Publication> pub = l->pub;
  for (int i = 0; i < 16; ++i) {
    int a;
    {
      std::shared_lock<std::shared_mutex> gate(ForkGate());
      a = Track(::accept4(l->fd, nullptr, nullptr, SOCK_CLOEXEC | SOCK_NONBLOCK));
    }
    if (a < 0) {
      if (errno == EINTR || errno == ECONNABORTED) continue;
      if (errno == EAGAIN) break;
      // Shut down by fdetach(), or broken: the publication ends here.
      const int err = errno;
      std::lock_guard<std::mutex> lock(pub->mu);
      if (!pub->detached) {
        Log(LogLevel::kWarn, "door", "%s: accept: %s", pub->path.c_str(), std::strerror(err));
      }
      pub->listen_fd = -1;
      CloseEndpoint(pool, l);
      return;
    }
    auto* o = new Opener(a, pub);
    if (!pool->Add(o, EPOLLIN | EPOLLRDHUP).ok()) CloseEndpoint(pool, o);
  }
  std::lock_guard<std::mutex> lock(pub->mu);
  if (pub->detached || !pool->Rearm(l, EPOLLIN)) {
    pub->listen_fd = -1;
    CloseEndpoint(pool, l);
  }
}

void HandleOpener(Pool* pool, Opener* o) {
  unsigned char buf[sizeof(WireHeader) + 16];
  Received r;
  const ssize_t n = ReceiveRecord(o->fd, buf, sizeof buf, MSG_DONTWAIT, &r);
  if (n == -EAGAIN || n == -EINTR) {
    if (!pool->Rearm(o, EPOLLIN | EPOLLRDHUP)) CloseEndpoint(pool, o);
    return;
  }
  if (n > 0) {
    MsgType type = MsgType::kCall;
    const WireError e = r.truncated ? WireError{EINVAL, "truncated record"}
                                    : DecodeControl(buf, static_cast<size_t>(n),
                                                    static_cast<size_t>(r.n_fds), &type);
    if (!e.ok() || type != MsgType::kOpen) {
      r.CloseFds();
      Log(LogLevel::kWarn, "door", "%s: bad open request: %s", o->pub->path.c_str(),
          e.ok() ? "unexpected message type" : e.reason);
    } else {
      Result<int> ref = Status(Code::kUnavailable, "detached", ECONNREFUSED);
      {
        std::lock_guard<std::mutex> lock(o->pub->mu);
        if (!o->pub->detached) ref = MintReference(o->pub->ref);
      }
      if (ref.ok()) {
        int fd = *ref;
        (void)SendHeader(o->fd, MakeHeader(MsgType::kOpenReply, 0, 0, 0), &fd, 1, MSG_DONTWAIT);
        CloseTracked(fd);
      } else {
        const int err = ref.status().sys_errno() != 0 ? ref.status().sys_errno() : EBADF;
        SendError(o->fd, err);
      }
    }
  }
  CloseEndpoint(pool, o);
}

}  // namespace

Publication::~Publication() {
  CloseTracked(ref);
  CloseTracked(listen_fd);
}

void HandlePublicationEvent(Pool* pool, Endpoint* ep) {
  if (ep->kind == EndpointKind::kListener) {
    HandleListener(pool, static_cast<Listener*>(ep));
  } else {
    HandleOpener(pool, static_cast<Opener*>(ep));
  }
}

Status Fattach(int d, const char* path) {
  ASSIGN_OR_RETURN(sockaddr_un sa, PathAddress(path));
  ASSIGN_OR_RETURN(Resolved r, Runtime::Get().Resolve(d));
  if (r.local && !r.door) return Status(Code::kUnavailable, "door is revoked", EBADF);
  ASSIGN_OR_RETURN(std::shared_ptr<Pool> pool, Runtime::Get().SharedPool());
  auto pub = std::make_shared<Publication>();
  pub->path = path;
  {
    Result<int> ref = r.door ? MintLocalReference(r.door.get(), true) : MintReference(d);
    if (!ref.ok()) return ref.status();
    pub->ref = *ref;
  }
  int s;
  {
    std::shared_lock<std::shared_mutex> gate(ForkGate());
    s = Track(::socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC | SOCK_NONBLOCK, 0));
  }
  if (s < 0) return Status::FromErrno(errno, "socket");
  pub->listen_fd = s;
  struct stat old {};
  bool had_file = false;
  RETURN_IF_ERROR(BindReplacing(s, sa, &old, &had_file));
  if (::listen(s, SOMAXCONN) != 0) {
    const int err = errno;
    ::unlink(path);
    return Status::FromErrno(err, "listen");
  }
  if (had_file) {
    // Whoever could open the file before can open the door now.
    (void)::chmod(path, old.st_mode & 07777);
    (void)::chown(path, old.st_uid, old.st_gid);
  }
  struct stat st {};
  if (::stat(path, &st) != 0) {
    const int err = errno;
    ::unlink(path);
    return Status::FromErrno(err, "stat");
  }
  pub->dev = st.st_dev;
  pub->ino = st.st_ino;
  auto* l = new Listener(s, pub);
  Status added = pool->Add(l, EPOLLIN);
  if (!added.ok()) {
    l->fd = -1;  // still owned by pub
    delete l;
    ::unlink(path);
    return added;
  }
  Runtime::Get().AddPublication(pub);
  pool->EnsureThread();
  return Status::Ok();
}

Status Fdetach(const char* path) {
  if (path == nullptr) return Status(Code::kInvalidArgument, "no path", EFAULT);
  struct stat st {};
  if (::stat(path, &st) != 0) return Status::FromErrno(errno, "stat");
  std::shared_ptr<Publication> pub = Runtime::Get().TakePublication(st.st_dev, st.st_ino);
  if (!pub) return Status(Code::kNotFound, "nothing attached there by this process", EINVAL);
  ::unlink(path);
  std::lock_guard<std::mutex> lock(pub->mu);
  pub->detached = true;
  // The listener's holder closes it when it wakes (endpoint.h).
  if (pub->listen_fd >= 0) ::shutdown(pub->listen_fd, SHUT_RDWR);
  CloseTracked(pub->ref);
  pub->ref = -1;
  return Status::Ok();
}

Result<int> DoorOpen(const char* path) {
  ASSIGN_OR_RETURN(sockaddr_un sa, PathAddress(path));
  UniqueFd s(::socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0));
  if (!s.valid()) return Status::FromErrno(errno, "socket");
  if (::connect(s.get(), reinterpret_cast<const sockaddr*>(&sa), sizeof sa) != 0) {
    const int err = errno;
    struct stat st {};
    if (err == ECONNREFUSED && ::stat(path, &st) == 0 && !S_ISSOCK(st.st_mode)) {
      return Status(Code::kInvalidArgument, "not a door path", ENOTSOCK);
    }
    return Status::FromErrno(err, "connect");
  }
  if (SendHeader(s.get(), MakeHeader(MsgType::kOpen, 0, 0, 0), nullptr, 0, 0) != 0) {
    return Status(Code::kUnavailable, "publication gone", ECONNREFUSED);
  }
  pollfd p{s.get(), POLLIN, 0};
  for (;;) {
    const int rc = ::poll(&p, 1, kOpenTimeoutMs);
    if (rc > 0) break;
    if (rc == 0) return Status(Code::kUnavailable, "publisher does not answer", ETIMEDOUT);
    if (errno != EINTR) return Status::FromErrno(errno, "poll");
  }
  unsigned char buf[sizeof(WireHeader) + sizeof(WireInfo)];
  Received r;
  const ssize_t n = ReceiveRecord(s.get(), buf, sizeof buf, MSG_DONTWAIT, &r);
  if (n <= 0 || r.truncated) {
    r.CloseFds();
    return Status(Code::kUnavailable, "publication gone", ECONNREFUSED);
  }
  Reply rep;
  const WireError e = DecodeReply(buf, static_cast<size_t>(n), static_cast<size_t>(r.n_fds), &rep);
  if (!e.ok() || (rep.type != MsgType::kOpenReply && rep.type != MsgType::kError)) {
    r.CloseFds();
    Log(LogLevel::kWarn, "door", "%s: bad answer to door_open: %s", path,
        e.ok() ? "unexpected type" : e.reason);
    return Status(Code::kCorrupt, "bad answer", ECONNREFUSED);
  }
  if (rep.type == MsgType::kError) return Status(Code::kUnavailable, "door unavailable", rep.err);
  if (!ReadTag(r.fds[0]).ok()) {
    r.CloseFds();
    return Status(Code::kCorrupt, "answer is not a door", ECONNREFUSED);
  }
  return r.fds[0];
}

}  // namespace openstmf::door
