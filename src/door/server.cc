#include "door/server.h"

#include <fcntl.h>
#include <pthread.h>
#include <setjmp.h>
#include <sys/epoll.h>
#include <sys/socket.h>

#include <cerrno>
#include <cstring>
#include <mutex>
#include <shared_mutex>
#include <utility>

#include "base/log.h"
#include "door/arena.h"
#include "door/door_state.h"
#include "door/fd_registry.h"
#include "door/msg_io.h"
#include "door/pool.h"
#include "door/proc_creds.h"
#include "door/publish.h"
#include "door/refs.h"
#include "door/runtime.h"
#include "door/served_pipeline.h"
#include "door/thread_ctx.h"
#include "door/tsan.h"
#include "door/wire.h"

namespace openstmf::door {
namespace {

constexpr uint32_t kConnEvents = EPOLLIN | EPOLLRDHUP;
constexpr size_t kAlign = alignof(door_desc_t);

size_t AlignUp(size_t n) { return (n + kAlign - 1) & ~(kAlign - 1); }

void Rearm(Conn* c) {
  if (!c->door->pool->Rearm(c, kConnEvents)) CloseConn(c);
}

// A record that breaks the protocol: answer if possible, log, drop the connection.
void Reject(Conn* c, const char* reason) {
  Log(LogLevel::kWarn, "door", "door %llx: rejected a record from pid %d: %s",
      static_cast<unsigned long long>(c->door->id), static_cast<int>(c->creds.pid), reason);
  SendError(c->fd, EINVAL);
  CloseConn(c);
}

// ---------------------------------------------------------------- receiving a call

void AnswerInfo(Conn* c) {
  Door* d = c->door.get();
  door_info_t di;
  d->Describe(&di);
  WireInfo info{};
  info.pid = di.di_target;
  info.proc = di.di_proc;
  info.cookie = di.di_data;
  info.id = di.di_uniquifier;
  info.attributes = di.di_attributes & ~uint32_t{DOOR_LOCAL};
  info.desc_max = d->desc_max.load(std::memory_order_relaxed);
  info.data_min = d->data_min.load(std::memory_order_relaxed);
  info.data_max = d->data_max.load(std::memory_order_relaxed);
  WireHeader h = MakeHeader(MsgType::kInfoReply, 0, 0, sizeof info);
  iovec iov[2] = {{&h, sizeof h}, {&info, sizeof info}};
  if (SendRecord(c->fd, iov, 2, nullptr, 0, MSG_DONTWAIT) != 0) {
    CloseConn(c);
    return;
  }
  Rearm(c);
}

// Reads one record from c. True when a call is ready to run in t (argp, descs...).
bool ReceiveCall(ThreadCtx* t, Conn* c) {
  if (!t->srv_rx) t->srv_rx.reset(new unsigned char[kMaxMessage]);
  Received* r = &t->srv_recv;
  const ssize_t n = ReceiveRecord(c->fd, t->srv_rx.get(), kMaxMessage, MSG_DONTWAIT, r);
  if (n == -EAGAIN || n == -EINTR) {
    r->CloseFds();
    Rearm(c);
    return false;
  }
  if (n <= 0) {  // the client closed the connection, or it was shut down
    r->CloseFds();
    CloseConn(c);
    return false;
  }
  if (r->truncated) {
    r->CloseFds();
    Reject(c, "truncated record");
    return false;
  }
  Request req;
  const WireError e =
      DecodeRequest(t->srv_rx.get(), static_cast<size_t>(n), static_cast<size_t>(r->n_fds), &req);
  if (!e.ok()) {
    r->CloseFds();
    Reject(c, e.reason);
    return false;
  }
  if (req.type == MsgType::kInfo) {
    AnswerInfo(c);
    return false;
  }
  if (req.flags & kFlagNewArena) {
    Result<Arena> a = Arena::Adopt(r->fds[0], req.data_size);  // takes fds[0]
    r->fds[0] = -1;
    if (!a.ok()) {
      r->CloseFds();
      Reject(c, "unusable arena");
      return false;
    }
    c->arena = std::move(a).value();
  }
  Door* d = c->door.get();
  const int err = d->Refusal(req.n_desc, req.data_size);
  if (err == 0 && (req.flags & kFlagArena) &&
      (!c->arena.valid() || req.data_size > c->arena.size())) {
    r->CloseFds();
    Reject(c, "data beyond the arena");
    return false;
  }
  if (err != 0) {
    r->CloseFds();
    SendError(c->fd, err);
    if (err == EBADF) {
      CloseConn(c);
    } else {
      Rearm(c);
    }
    return false;
  }
  char* argp = nullptr;
  if (req.data_size > 0) {
    if (req.flags & kFlagArena) {
      // Copied out so the client cannot change the arguments under the procedure.
      if (t->argcap < req.data_size) {
        t->argbuf.reset();
        t->argbuf.reset(new (std::nothrow) char[req.data_size]);
        t->argcap = t->argbuf ? req.data_size : 0;
        if (!t->argbuf) {
          r->CloseFds();
          SendError(c->fd, EAGAIN);
          Rearm(c);
          return false;
        }
      }
      std::memcpy(t->argbuf.get(), c->arena.data(), req.data_size);
      argp = t->argbuf.get();
    } else {
      argp = reinterpret_cast<char*>(const_cast<unsigned char*>(req.data));
    }
  }
  DescribeIncoming(r->fds + req.first_desc_fd, req.n_desc, t->descs);
  TakeOver(CallCell(d->id));
  t->serving = true;
  t->conn = c;
  t->door = d;
  t->argp = argp;
  t->arg_size = req.data_size;
  t->n_desc = req.n_desc;
  t->more = (req.flags & kFlagMore) != 0;
  return true;
}

// ---------------------------------------------------------------- cancellation window

void OpenWindow(ThreadCtx* t) {
  if (t->conn->watch_fd < 0) return;
  const uint64_t token = (t->conn->serial << 1) | 1u;
  t->window_open = true;
  {
    std::lock_guard<std::mutex> lock(t->cancel_mu);
    t->in_window = true;
    t->window_token = token;
    t->window_door = t->door;
    t->cancel_sent = false;
  }
  ::pthread_setcancelstate(PTHREAD_CANCEL_ENABLE, nullptr);
}

// Leaves the window; if the client gave up and a cancel was sent, it acts now.
void CloseWindow(ThreadCtx* t) {
  if (!t->window_open) return;
  ::pthread_setcancelstate(PTHREAD_CANCEL_DISABLE, nullptr);
  bool sent;
  {
    std::lock_guard<std::mutex> lock(t->cancel_mu);
    t->in_window = false;
    sent = t->cancel_sent;
  }
  t->window_open = false;
  if (sent) {
    ::pthread_setcancelstate(PTHREAD_CANCEL_ENABLE, nullptr);
    ::pthread_testcancel();
  }
}

void ReopenWindow(ThreadCtx* t) {
  {
    std::lock_guard<std::mutex> lock(t->cancel_mu);
    t->in_window = true;
  }
  t->window_open = true;
  ::pthread_setcancelstate(PTHREAD_CANCEL_ENABLE, nullptr);
}

// ---------------------------------------------------------------- replying

struct PreparedReply {
  WireHeader hdr;
  const char* data;  // inline data, or null
  int memfd;
};

// Builds the reply in t (descriptors minted, large data placed). Nothing is sent.
Status PrepareReply(ThreadCtx* t, const char* data, size_t size, const door_desc_t* descs,
                    uint32_t n, PreparedReply* out) {
  out->memfd = -1;
  out->data = nullptr;
  RETURN_IF_ERROR(PrepareOutgoing(descs, n, &t->srv_out));
  uint32_t flags = 0;
  Conn* c = t->conn;
  if (size <= kMaxInline) {
    out->data = data;
  } else if (c->arena.valid() && size <= c->arena.size()) {
    std::memcpy(c->arena.data(), data, size);  // the arguments were copied out already
    flags = kFlagArena;
  } else {
    // Room after the data lets the client place the descriptors in the same mapping.
    Result<int> fd = MakeSealedMemfd(data, size, AlignUp(size) - size + n * sizeof(door_desc_t));
    if (!fd.ok()) {
      t->srv_out.CloseOwned();
      return fd.status();
    }
    out->memfd = *fd;
    flags = kFlagMemfd;
  }
  out->hdr = MakeHeader(MsgType::kReply, flags, n, size);
  return Status::Ok();
}

// Sends the prepared reply and finishes the call: the connection is re-armed for
// the next call, or closed.
void CommitReply(ThreadCtx* t, const PreparedReply& p, const door_desc_t* descs, uint32_t n) {
  Conn* c = t->conn;
  t->serving = false;
  t->conn = nullptr;
  t->door = nullptr;
  if (c == nullptr) {  // an unreferenced invocation has nobody to answer
    ReleaseDescriptors(descs, n);
    return;
  }
  OutDescs* o = &t->srv_out;
  int fds[kMaxFdsPerMessage];
  int nf = 0;
  if (p.memfd >= 0) fds[nf++] = p.memfd;
  for (uint32_t i = 0; i < o->n; ++i) fds[nf++] = o->fds[i];
  iovec iov[3];
  int iovcnt = 0;
  iov[iovcnt++] = {const_cast<WireHeader*>(&p.hdr), sizeof p.hdr};
  if (o->n > 0) iov[iovcnt++] = {o->words, o->n * sizeof(WireDesc)};
  if (p.data != nullptr && p.hdr.data_size > 0) {
    iov[iovcnt++] = {const_cast<char*>(p.data), static_cast<size_t>(p.hdr.data_size)};
  }
  HandOver(CallCell(c->door->id));
  // Never blocks: a client that does not read its replies is dropped.
  const int err = SendRecord(c->fd, iov, iovcnt, fds, nf, MSG_DONTWAIT);
  if (p.memfd >= 0) ::close(p.memfd);
  o->CloseOwned();
  ReleaseDescriptors(descs, n);
  if (err == EAGAIN) {
    Log(LogLevel::kWarn, "door", "door %llx: pid %d does not read its replies; dropped",
        static_cast<unsigned long long>(c->door->id), static_cast<int>(c->creds.pid));
  }
  if (err != 0 || c->door->closing.load(std::memory_order_acquire)) {
    CloseConn(c);
  } else if (t->more) {
    t->next_conn = c;  // RunLoop reads its next call before waiting
  } else {
    Rearm(c);
  }
}

// The server procedure returned without calling door_return().
void FinishImplicit(ThreadCtx* t) {
  CloseWindow(t);
  PreparedReply p{};
  if (t->conn != nullptr) (void)PrepareReply(t, nullptr, 0, nullptr, 0, &p);
  CommitReply(t, p, nullptr, 0);
}

// These two frames sit between the loop base and the server procedure: they own
// nothing, so door_return() may jump over them.
__attribute__((noinline)) void InvokeProcedure(ThreadCtx* t) {
  Door* d = t->door;
  if (!(d->attributes & DOOR_NO_CANCEL)) OpenWindow(t);
  d->proc(d->cookie, t->argp, t->arg_size, t->n_desc ? t->descs : nullptr, t->n_desc);
  FinishImplicit(t);
}

__attribute__((noinline)) void InvokeUnref(ThreadCtx* t) {
  Door* d = t->door;
  t->serving = true;
  t->conn = nullptr;
  d->proc(d->cookie, static_cast<char*>(DOOR_UNREF_DATA), 0, nullptr, 0);
  FinishImplicit(t);
}

// ---------------------------------------------------------------- references

void CloseRefHeld(ThreadCtx* t, Ref* ref) {
  std::shared_ptr<Door> door = ref->door;
  const Door::Removal rm = door->RemoveRef(ref);
  door->pool->Remove(ref);
  CloseTracked(ref->fd);
  delete ref;
  if (rm.dead) Runtime::Get().DoorDead(door.get());
  if (rm.deliver_unref) {
    t->hold = door;
    t->door = door.get();
  }
}

void AcceptConnect(const std::shared_ptr<Door>& door, int fd, const Received& r, bool pipelined) {
  int type = 0;
  socklen_t len = sizeof type;
  struct ucred pc {};
  socklen_t pl = sizeof pc;
  const char* why = nullptr;
  if (::getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &len) != 0 || type != SOCK_SEQPACKET) {
    why = "connection is not a SOCK_SEQPACKET socket";
  } else if (!r.has_creds) {
    why = "no credentials";
  } else if (::getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &pc, &pl) != 0 || pc.pid != r.creds.pid) {
    // The connection must have been made by the process that sent it.
    why = "connection made by another process";
  }
  if (why != nullptr) {
    Log(LogLevel::kWarn, "door", "door %llx: refused a connection: %s",
        static_cast<unsigned long long>(door->id), why);
    CloseTracked(fd);
    return;
  }
  if (pipelined) {
    if (std::shared_ptr<const PipelineTaker> taker = door->pipeline_taker()) {
      if (door->closing.load(std::memory_order_acquire)) {
        CloseTracked(fd);  // the client sees EPIPE
      } else {
        (*taker)(AdoptPipeline(fd, door, r.creds.pid));
      }
      return;
    }
  }
  auto conn = std::make_unique<Conn>(fd, door, Runtime::Get().NextConnSerial());
  if (!(door->attributes & DOOR_NO_CANCEL)) {
    std::shared_lock<std::shared_mutex> gate(ForkGate());
    conn->watch_fd = Track(::fcntl(fd, F_DUPFD_CLOEXEC, 0));
  }
  conn->creds.pid = r.creds.pid;
  conn->creds.ruid = r.creds.uid;
  conn->creds.rgid = r.creds.gid;
  conn->creds.euid = pc.uid;
  conn->creds.egid = pc.gid;
  conn->creds.start_time = ProcStartTime(pc.pid);
  conn->creds.groups.resize(32);
  for (;;) {
    socklen_t gl = static_cast<socklen_t>(conn->creds.groups.size() * sizeof(gid_t));
    if (::getsockopt(fd, SOL_SOCKET, SO_PEERGROUPS, conn->creds.groups.data(), &gl) == 0) {
      conn->creds.groups.resize(gl / sizeof(gid_t));
      break;
    }
    if (errno != ERANGE || gl / sizeof(gid_t) <= conn->creds.groups.size()) {
      conn->creds.groups.clear();
      break;
    }
    conn->creds.groups.resize(gl / sizeof(gid_t));
  }
  if (door->AddConn(conn.get()).ok()) {
    (void)conn.release();  // the door owns it now
  } else {                 // closing: the client sees EPIPE
    CloseTracked(conn->watch_fd);
    CloseTracked(conn->fd);
  }
}

void AcceptRef(const std::shared_ptr<Door>& door, int fd) {
  int type = 0;
  socklen_t len = sizeof type;
  if (::getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &len) != 0 || type != SOCK_SEQPACKET) {
    Log(LogLevel::kWarn, "door", "door %llx: refused a reference that is not a door socket",
        static_cast<unsigned long long>(door->id));
    CloseTracked(fd);
    return;
  }
  std::string name;
  if (!ReadPeerTag(fd, &name)) name.clear();
  (void)door->AddRef(fd, std::move(name));  // takes fd; fails only when closing
}

// Drains a reference socket. True when an unreferenced invocation is due (t->door).
bool HandleRef(ThreadCtx* t, Ref* ref) {
  unsigned char buf[sizeof(WireHeader) + 16];
  Received* r = &t->srv_recv;
  bool end = false;  // hang-up or protocol violation: the reference goes
  for (int i = 0; i < 64 && !end; ++i) {
    ssize_t n;
    {
      std::shared_lock<std::shared_mutex> gate(ForkGate());
      n = ReceiveRecord(ref->fd, buf, sizeof buf, MSG_DONTWAIT, r);
      for (int k = 0; k < r->n_fds; ++k) Track(r->fds[k]);
    }
    if (n == -EINTR) continue;
    if (n == -EAGAIN) break;
    if (n <= 0) {  // every holder of the reference closed it (or it was shut down)
      end = true;
      break;
    }
    MsgType type = MsgType::kCall;
    uint32_t flags = 0;
    WireError e;
    if (r->truncated) {
      e = WireError{EINVAL, "truncated record"};
    } else {
      e = DecodeControl(buf, static_cast<size_t>(n), static_cast<size_t>(r->n_fds), &type, &flags);
      if (e.ok() && type == MsgType::kOpen) e = WireError{EINVAL, "open request on a reference"};
    }
    if (!e.ok()) {
      for (int k = 0; k < r->n_fds; ++k) CloseTracked(r->fds[k]);
      Log(LogLevel::kWarn, "door", "door %llx: bad record on a reference from pid %d: %s",
          static_cast<unsigned long long>(ref->door->id),
          r->has_creds ? static_cast<int>(r->creds.pid) : -1, e.reason);
      end = true;
      break;
    }
    if (type == MsgType::kConnect) {
      AcceptConnect(ref->door, r->fds[0], *r, (flags & kFlagMore) != 0);
    } else {
      AcceptRef(ref->door, r->fds[0]);
    }
  }
  // After 64 records the reference is re-armed so other sockets get their turn.
  if (!end && ref->door->pool->Rearm(ref, EPOLLIN | EPOLLRDHUP)) return false;
  CloseRefHeld(t, ref);
  return t->door != nullptr;
}

// ---------------------------------------------------------------- the loop

void Dispatch(ThreadCtx* t, const epoll_event& ev) {
  if (ev.data.u64 & 1u) {
    t->pool->CancelWatched(ev.data.u64, ev.events);
    return;
  }
  auto* ep = static_cast<Endpoint*>(ev.data.ptr);
  TakeOver(ep);
  switch (ep->kind) {
    case EndpointKind::kConn:
      if (ReceiveCall(t, static_cast<Conn*>(ep))) InvokeProcedure(t);
      return;
    case EndpointKind::kRef:
      if (HandleRef(t, static_cast<Ref*>(ep))) InvokeUnref(t);
      return;
    case EndpointKind::kListener:
    case EndpointKind::kOpener:
      HandlePublicationEvent(t->pool.get(), ep);
      return;
    case EndpointKind::kWake:
      return;
  }
}

// Moves the thread to the pool it should serve; false when there is none.
bool SelectPool(ThreadCtx* t) {
  Pool* cur = t->pool.get();
  if (!t->bound_set && cur != nullptr && !cur->is_private() && !cur->closing()) return true;
  std::shared_ptr<Pool> want;
  if (t->bound_set) {
    if (!t->bound_invalid) want = t->bound;
  } else {
    Result<std::shared_ptr<Pool>> shared = Runtime::Get().SharedPool();
    if (shared.ok()) want = *shared;
  }
  if (want.get() == cur && cur != nullptr && !cur->closing()) return true;
  if (cur != nullptr) {
    cur->Leave(t);
    t->pool.reset();
  }
  if (!want || want->closing()) return false;
  t->pool = std::move(want);
  t->pool->Join(t);
  return true;
}

__attribute__((noinline)) void RunLoop(ThreadCtx* t) {
  // door_return() comes back here after answering a call.
  sigsetjmp(t->loop_base, 0);
  for (;;) {
    t->hold.reset();
    t->door = nullptr;
    Conn* next = std::exchange(t->next_conn, nullptr);
    if (!SelectPool(t)) {
      if (next != nullptr) Rearm(next);
      return;
    }
    if (next != nullptr) {
      // A pipelined client's next call is usually there already: no epoll
      // round, and no other thread woken for it. ReceiveCall re-arms the
      // connection when it is not.
      if (next->door->pool.get() != t->pool.get()) {
        Rearm(next);
      } else if (ReceiveCall(t, next)) {
        InvokeProcedure(t);
        continue;
      } else {
        continue;
      }
    }
    Pool* p = t->pool.get();
    epoll_event ev;
    p->EnterWait();
    const int n = ::epoll_wait(p->epfd(), &ev, 1, -1);
    if (n <= 0) {
      p->AbortWait();
      if (n == 0 || errno == EINTR) continue;
      return;  // the pool's epoll instance is gone (a forked child)
    }
    if (p->IsWake(ev.data.ptr)) {
      p->AbortWait();
      continue;  // SelectPool() sees the pool closing
    }
    p->LeaveWait();
    Dispatch(t, ev);
  }
}

// Runs when a server thread leaves its loop by cancellation (stack unwinding).
struct LoopGuard {
  ThreadCtx* t;
  bool active = true;
  ~LoopGuard() {
    if (!active) return;
    {
      std::lock_guard<std::mutex> lock(t->cancel_mu);
      t->in_window = false;
    }
    t->window_open = false;
    if (t->conn != nullptr) CloseConn(t->conn);  // its client is gone
    t->serving = false;
    t->conn = nullptr;
    t->door = nullptr;
    t->hold.reset();
    t->in_loop = false;
    if (t->pool) {
      t->pool->Leave(t);
      t->pool->RequestThread();  // replace this thread
      t->pool.reset();
    }
  }
};

}  // namespace

void CloseConn(Conn* c) {
  std::shared_ptr<Door> door = std::move(c->door);
  const Door::Removal rm = door->RemoveConn(c);
  door->pool->Remove(c);
  if (c->watch_fd >= 0) {
    door->pool->RemoveWatch(c->watch_fd);
    CloseTracked(c->watch_fd);
  }
  CloseTracked(c->fd);
  delete c;
  if (rm.dead) Runtime::Get().DoorDead(door.get());
}

int ServeAsPoolThread(ThreadCtx* t) {
  if (t->in_loop || t->bound_invalid) {
    errno = EINVAL;
    return -1;
  }
  int old_state = 0;
  ::pthread_setcancelstate(PTHREAD_CANCEL_DISABLE, &old_state);
  t->in_loop = true;
  {
    LoopGuard guard{t};
    RunLoop(t);
    guard.active = false;
  }
  if (t->pool) {
    t->pool->Leave(t);
    t->pool.reset();
  }
  t->in_loop = false;
  ::pthread_setcancelstate(old_state, nullptr);
  errno = EINVAL;
  return -1;
}

int DoorReturn(char* data, size_t size, door_desc_t* descs, uint_t n) {
  ThreadCtx* t = CurrentThread();
  if (!t->serving) {
    // door_return(3C): with no client, results are discarded (DOOR_RELEASE honoured)
    // and the thread waits for calls.
    ReleaseDescriptors(descs, n);
    return ServeAsPoolThread(t);
  }
  if ((size > 0 && data == nullptr) || (n > 0 && descs == nullptr)) {
    errno = EFAULT;
    return -1;
  }
  if (n > kMaxDesc) {
    errno = E2BIG;
    return -1;
  }
  const bool was_open = t->window_open;
  CloseWindow(t);
  PreparedReply p{};
  if (t->conn != nullptr) {
    Status st = PrepareReply(t, data, size, descs, n, &p);
    if (!st.ok()) {
      // door_return(3C) fails and the procedure continues serving the same call.
      if (was_open) ReopenWindow(t);
      const int err = st.sys_errno();
      errno = (err == 0 || err == EBADF) ? EINVAL : err;
      return -1;
    }
  }
  CommitReply(t, p, descs, n);
  siglongjmp(t->loop_base, 1);
}

const Creds* CurrentCaller() {
  ThreadCtx* t = CurrentThreadIfAny();
  if (t == nullptr || !t->serving || t->conn == nullptr) return nullptr;
  return &t->conn->creds;
}

}  // namespace openstmf::door
