#include "door/client.h"

#include <fcntl.h>
#include <pthread.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <bit>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <mutex>
#include <shared_mutex>

#include "base/log.h"
#include "door/arena.h"
#include "door/fd_registry.h"
#include "door/msg_io.h"
#include "door/refs.h"
#include "door/tag.h"
#include "door/thread_ctx.h"
#include "door/tsan.h"

namespace openstmf::door {
namespace {

constexpr size_t kAlign = alignof(door_desc_t);

Status Err(int err, const char* what) { return Status(Code::kUnavailable, what, err); }

// The peer end of a socket is gone (closed, shut down, or its process exited).
bool PeerGone(int err) {
  return err == EPIPE || err == ECONNRESET || err == ENOTCONN || err == ECONNREFUSED;
}

// Makes a call connection to the door behind reference d and caches it.
Result<CallConn*> Connect(ThreadCtx* t, int d, const struct stat& st, const Tag& tag) {
  ASSIGN_OR_RETURN(int fd, NewCallConnection(d));
  CallConn* c = t->cache.Slot();
  c->fd = fd;
  c->dev = st.st_dev;
  c->ino = st.st_ino;
  c->door_id = tag.door_id;
  c->door_attributes = tag.attributes;
  return c;
}

// The cached connection for d, or a new one. EBADF when d is not a door.
Result<CallConn*> ConnFor(ThreadCtx* t, int d, struct stat* st, bool* fresh) {
  if (::fstat(d, st) != 0 || !S_ISSOCK(st->st_mode)) return Err(EBADF, "not a door");
  *fresh = false;
  if (CallConn* c = t->cache.Find(st->st_dev, st->st_ino)) return c;
  ASSIGN_OR_RETURN(Tag tag, ReadTag(d));
  *fresh = true;
  return Connect(t, d, *st, tag);
}

// Closes the call connection if the thread leaves door_call() by cancellation
// while sending or waiting; the server then sees the hang-up and cancels too.
struct InFlight {
  ThreadCtx* t;
  CallConn* c;
  bool armed = false;
  ~InFlight() {
    if (!armed) return;
    t->cli_out.CloseOwned();
    t->cache.Evict(c);
  }
};

int SendCall(ThreadCtx* t, CallConn* c, const char* data, size_t size) {
  OutDescs* o = &t->cli_out;
  int fds[kMaxFdsPerMessage];
  int nf = 0;
  uint32_t flags = 0;
  if (size > kMaxInline) {
    if (!c->arena.valid() || c->arena.size() < size) {
      // Grown in powers of two, so a growing workload re-creates it rarely.
      const size_t want = size > (size_t{1} << 40) ? size : std::bit_ceil(size);
      Result<Arena> a = Arena::Create(want);
      if (!a.ok()) return E2BIG;
      c->arena = std::move(a).value();
      flags |= kFlagNewArena;
      fds[nf++] = c->arena.fd();
    }
    std::memcpy(c->arena.data(), data, size);
    flags |= kFlagArena;
  }
  for (uint32_t i = 0; i < o->n; ++i) fds[nf++] = o->fds[i];
  WireHeader h = MakeHeader(MsgType::kCall, flags, o->n, size);
  iovec iov[3];
  int iovcnt = 0;
  iov[iovcnt++] = {&h, sizeof h};
  if (o->n > 0) iov[iovcnt++] = {o->words, o->n * sizeof(WireDesc)};
  if (!(flags & kFlagArena) && size > 0) iov[iovcnt++] = {const_cast<char*>(data), size};
  return SendRecord(c->fd, iov, iovcnt, fds, nf, 0);
}

// Maps a result memfd privately after checking it cannot shrink under us.
char* MapResultMemfd(int fd, size_t need) {
  const int seals = ::fcntl(fd, F_GET_SEALS);
  struct stat st {};
  if (seals < 0 || !(seals & F_SEAL_SHRINK) || ::fstat(fd, &st) != 0 ||
      static_cast<uint64_t>(st.st_size) < need || need == 0) {
    return nullptr;
  }
  void* p = ::mmap(nullptr, need, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
  return p == MAP_FAILED ? nullptr : static_cast<char*>(p);
}

size_t PadFor(const char* base, size_t size) {
  const uintptr_t end = reinterpret_cast<uintptr_t>(base) + size;
  return static_cast<size_t>(((end + kAlign - 1) & ~uintptr_t{kAlign - 1}) - end);
}

// Places the results in params per door_call(3C): data at the start of rbuf, the
// descriptors after it (aligned); a new mapping when rbuf is too small.
Status PlaceResults(ThreadCtx* t, CallConn* c, door_arg_t* params, const Reply& rep, Received* r) {
  const size_t size = rep.data_size;
  const uint32_t n = rep.n_desc;
  int* fds = r->fds + rep.first_desc_fd;
  const int memfd = (rep.flags & kFlagMemfd) ? r->fds[0] : -1;
  const char* src = reinterpret_cast<const char*>(rep.data);
  if (rep.flags & kFlagArena) {
    if (!c->arena.valid() || size > c->arena.size()) {
      r->CloseFds();
      t->cache.Evict(c);
      Log(LogLevel::kWarn, "door", "reply data beyond the arena");
      return Err(EINVAL, "bad reply");
    }
    src = c->arena.data();
  }
  if (params == nullptr) {  // no results wanted
    r->CloseFds();
    return Status::Ok();
  }
  const size_t descs_bytes = size_t{n} * sizeof(door_desc_t);
  char* dst = params->rbuf;
  size_t pad = (n > 0 && dst != nullptr) ? PadFor(dst, size) : 0;
  char* mapped_src = nullptr;  // a temporary mapping of the memfd
  if (dst == nullptr || size + pad + descs_bytes > params->rsize) {
    pad = n > 0 ? (size + kAlign - 1) / kAlign * kAlign - size : 0;
    const size_t need = size + pad + descs_bytes;
    dst = nullptr;
    if (need == 0) {
      dst = params->rbuf;
    } else if (memfd >= 0) {
      dst = MapResultMemfd(memfd, need);  // the data is in place already
      if (dst != nullptr) src = dst;
    }
    if (dst == nullptr && need > 0) {
      void* p = ::mmap(nullptr, need, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
      if (p == MAP_FAILED) {
        r->CloseFds();
        return Err(EOVERFLOW, "no memory for the results");
      }
      dst = static_cast<char*>(p);
    }
    if (need > 0) {
      params->rbuf = dst;
      params->rsize = need;
    }
  }
  if (memfd >= 0 && src == nullptr && size > 0) {
    mapped_src = MapResultMemfd(memfd, size);
    if (mapped_src == nullptr) {
      r->CloseFds();
      t->cache.Evict(c);
      Log(LogLevel::kWarn, "door", "reply carries an unusable memfd");
      return Err(EINVAL, "bad reply");
    }
    src = mapped_src;
  }
  if (size > 0 && src != dst) std::memcpy(dst, src, size);
  if (mapped_src != nullptr) ::munmap(mapped_src, size);
  if (memfd >= 0) ::close(memfd);
  door_desc_t* out = n > 0 ? reinterpret_cast<door_desc_t*>(dst + size + pad) : nullptr;
  if (n > 0) DescribeIncoming(fds, n, out);
  params->data_ptr = dst;
  params->data_size = size;
  params->desc_ptr = out;
  params->desc_num = n;
  return Status::Ok();
}

// door_call() is a cancellation point only while it waits for the reply; the rest
// runs with cancellation disabled, so no close(2) or sendmsg(2) inside can end the
// thread half-way through a bookkeeping step.
class CancelGuard {
 public:
  CancelGuard() { ::pthread_setcancelstate(PTHREAD_CANCEL_DISABLE, &old_); }
  ~CancelGuard() { ::pthread_setcancelstate(old_, nullptr); }
  CancelGuard(const CancelGuard&) = delete;
  CancelGuard& operator=(const CancelGuard&) = delete;
  void AllowWhile(bool allow) {
    ::pthread_setcancelstate(allow ? old_ : PTHREAD_CANCEL_DISABLE, nullptr);
  }

 private:
  int old_ = PTHREAD_CANCEL_ENABLE;
};

}  // namespace

Result<int> NewCallConnection(int d, bool pipelined) {
  int sv[2];
  {
    std::shared_lock<std::shared_mutex> gate(ForkGate());
    if (::socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) != 0) {
      return Status::FromErrno(errno, "socketpair");
    }
    Track(sv[0]);
    Track(sv[1]);
  }
  // No answer comes back on the reference socket, so threads and processes that
  // share it never see each other's replies.
  const int err =
      SendHeader(d, MakeHeader(MsgType::kConnect, pipelined ? kFlagMore : 0, 0, 0), &sv[1], 1, 0);
  CloseTracked(sv[1]);
  if (err != 0) {
    CloseTracked(sv[0]);
    if (err == EMFILE || err == ENFILE || err == ENOBUFS || err == ENOMEM) {
      return Status(Code::kResourceExhausted, "connect", EMFILE);
    }
    return Err(EBADF, "door server unreachable");
  }
  return sv[0];
}

Status DoorCall(int d, door_arg_t* params) {
  CancelGuard cancel;
  ThreadCtx* t = CurrentThread();
  const char* data = params ? params->data_ptr : nullptr;
  const size_t size = params ? params->data_size : 0;
  const door_desc_t* descs = params ? params->desc_ptr : nullptr;
  const uint32_t n = params ? params->desc_num : 0;
  if ((size > 0 && data == nullptr) || (n > 0 && descs == nullptr)) {
    return Err(EFAULT, "bad argument pointer");
  }
  struct stat st {};
  bool fresh = false;
  ASSIGN_OR_RETURN(CallConn * c, ConnFor(t, d, &st, &fresh));
  // door_call(3C): DOOR_RELEASE descriptors are closed even on failure, except
  // for EFAULT and EBADF.
  if (n > 0 && (c->door_attributes & DOOR_REFUSE_DESC)) {
    ReleaseDescriptors(descs, n);
    return Err(ENOTSUP, "door refuses descriptors");
  }
  if (Status s = PrepareOutgoing(descs, n, &t->cli_out); !s.ok()) {
    if (s.sys_errno() != EBADF && s.sys_errno() != EFAULT) ReleaseDescriptors(descs, n);
    return s;
  }
  InFlight guard{t, c};
  guard.armed = true;
  HandOver(CallCell(c->door_id));
  int err = SendCall(t, c, data, size);
  if (err != 0 && PeerGone(err) && !fresh) {
    // The cached connection was closed while idle (server restarted its side,
    // door revoked, ...): nothing was delivered, so one fresh attempt is safe.
    guard.armed = false;
    t->cache.Evict(c);
    Tag tag;
    tag.door_id = c->door_id;
    tag.attributes = c->door_attributes;
    Result<CallConn*> again = Connect(t, d, st, tag);
    if (again.ok()) {
      c = *again;
      guard.c = c;
      guard.armed = true;
      err = SendCall(t, c, data, size);
    } else {
      err = again.status().sys_errno();
    }
  }
  t->cli_out.CloseOwned();
  if (err != 0) {
    guard.armed = false;
    if (c->fd >= 0) t->cache.Evict(c);
    if (err != EFAULT) ReleaseDescriptors(descs, n);
    return Err(PeerGone(err) ? EBADF : err, "send call");
  }
  ReleaseDescriptors(descs, n);
  if (!t->cli_rx) t->cli_rx.reset(new unsigned char[kMaxMessage]);
  Received* r = &t->cli_recv;
  cancel.AllowWhile(true);
  const ssize_t got = ReceiveRecord(c->fd, t->cli_rx.get(), kMaxMessage, 0, r);
  cancel.AllowWhile(false);
  guard.armed = false;
  TakeOver(CallCell(c->door_id));
  if (got <= 0) {
    r->CloseFds();
    // Closing the connection tells the server the client gave up (cancellation).
    t->cache.Evict(c);
    if (got == -EINTR) return Err(EINTR, "interrupted");
    return Err(EINTR, "server exited during the call");
  }
  Reply rep;
  WireError e = r->truncated ? WireError{EINVAL, "truncated reply"}
                             : DecodeReply(t->cli_rx.get(), static_cast<size_t>(got),
                                           static_cast<size_t>(r->n_fds), &rep);
  if (e.ok() && rep.type != MsgType::kReply && rep.type != MsgType::kError) {
    e = WireError{EINVAL, "unexpected reply type"};
  }
  if (!e.ok()) {
    r->CloseFds();
    t->cache.Evict(c);
    Log(LogLevel::kWarn, "door", "bad reply from door server: %s", e.reason);
    return Err(EINVAL, "bad reply");
  }
  if (rep.type == MsgType::kError) {
    if (rep.err == EBADF) t->cache.Evict(c);
    return Err(rep.err, "server refused the call");
  }
  return PlaceResults(t, c, params, rep, r);
}

Result<WireInfo> QueryServer(int d) {
  ThreadCtx* t = CurrentThread();
  struct stat st {};
  bool fresh = false;
  ASSIGN_OR_RETURN(CallConn * c, ConnFor(t, d, &st, &fresh));
  InFlight guard{t, c};
  guard.armed = true;
  const WireHeader h = MakeHeader(MsgType::kInfo, 0, 0, 0);
  int err = SendHeader(c->fd, h, nullptr, 0, 0);
  if (err != 0 && PeerGone(err) && !fresh) {
    guard.armed = false;
    t->cache.Evict(c);
    Tag tag;
    tag.door_id = c->door_id;
    tag.attributes = c->door_attributes;
    ASSIGN_OR_RETURN(c, Connect(t, d, st, tag));
    guard.c = c;
    guard.armed = true;
    err = SendHeader(c->fd, h, nullptr, 0, 0);
  }
  if (err != 0) {
    guard.armed = false;
    t->cache.Evict(c);
    return Err(EBADF, "door server unreachable");
  }
  unsigned char buf[sizeof(WireHeader) + sizeof(WireInfo)];
  Received* r = &t->cli_recv;
  const ssize_t got = ReceiveRecord(c->fd, buf, sizeof buf, 0, r);
  guard.armed = false;
  Reply rep;
  const WireError e = got <= 0       ? WireError{EINTR, "no answer"}
                      : r->truncated ? WireError{EINVAL, "truncated reply"}
                                     : DecodeReply(buf, static_cast<size_t>(got),
                                                   static_cast<size_t>(r->n_fds), &rep);
  if (!e.ok() || (rep.type != MsgType::kInfoReply && rep.type != MsgType::kError)) {
    r->CloseFds();
    t->cache.Evict(c);
    return Err(got <= 0 ? EBADF : EINVAL, "bad info reply");
  }
  if (rep.type == MsgType::kError) {
    t->cache.Evict(c);
    return Err(rep.err, "server refused");
  }
  WireInfo info;
  std::memcpy(&info, rep.data, sizeof info);
  return info;
}

}  // namespace openstmf::door
