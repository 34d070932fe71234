#include "door/door_state.h"

#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "door/fd_registry.h"
#include "door/pool.h"
#include "door/runtime.h"

namespace openstmf::door {

Door::Door(door_id_t door_id, door_server_procedure_t* procedure, void* cookie_value,
           uint32_t attrs)
    : id(door_id), proc(procedure), cookie(cookie_value), attributes(attrs) {
  if (attrs & DOOR_REFUSE_DESC) desc_max.store(0);
}

Status Door::AddRef(int server_end, std::string name) {
  const int one = 1;
  // The kConnect messages then carry the sender's pid and real ids (SCM_CREDENTIALS).
  if (::setsockopt(server_end, SOL_SOCKET, SO_PASSCRED, &one, sizeof one) != 0) {
    const int err = errno;
    CloseTracked(server_end);
    return Status::FromErrno(err, "SO_PASSCRED");
  }
  auto* ref = new Ref(server_end, shared_from_this(), std::move(name));
  std::lock_guard<std::mutex> lock(mu_);
  if (closing.load(std::memory_order_acquire)) {
    CloseTracked(ref->fd);
    delete ref;
    return Status(Code::kUnavailable, "door is revoked", EBADF);
  }
  Status st = pool->Add(ref, EPOLLIN | EPOLLRDHUP);
  if (!st.ok()) {
    CloseTracked(ref->fd);
    delete ref;
    return st;
  }
  refs_.insert(ref);
  if (!ref->name.empty()) ref_names_.insert(ref->name);
  if (refs_.size() >= 2) unref_armed_ = true;
  return Status::Ok();
}

Status Door::AddConn(Conn* conn) {
  std::lock_guard<std::mutex> lock(mu_);
  if (closing.load(std::memory_order_acquire)) {
    return Status(Code::kUnavailable, "door is revoked", EBADF);
  }
  if (conn->watch_fd >= 0) {
    // Watch tokens are odd; endpoint pointers are even.
    RETURN_IF_ERROR(pool->AddWatch(conn->watch_fd, (conn->serial << 1) | 1u));
  }
  Status st = pool->Add(conn, EPOLLIN | EPOLLRDHUP);
  if (!st.ok()) {
    if (conn->watch_fd >= 0) pool->RemoveWatch(conn->watch_fd);
    return st;
  }
  conns_.insert(conn);
  return Status::Ok();
}

Door::Removal Door::RemoveRef(Ref* ref) {
  Removal r;
  std::lock_guard<std::mutex> lock(mu_);
  if (refs_.erase(ref) == 0) return r;
  if (!ref->name.empty()) ref_names_.erase(ref->name);
  const size_t count = refs_.size();
  if (!closing.load(std::memory_order_acquire) && count <= 1 && unref_armed_) {
    // DOOR_UNREF: once per door. DOOR_UNREF_MULTI: each time the count falls to one.
    if ((attributes & DOOR_UNREF_MULTI) || ((attributes & DOOR_UNREF) && !unref_delivered_)) {
      r.deliver_unref = true;
      unref_delivered_ = true;
    }
    unref_armed_ = false;
  }
  if (count == 0 && !closing.exchange(true, std::memory_order_acq_rel)) ShutdownConnsLocked();
  if (refs_.empty() && conns_.empty() && !dead_) {
    dead_ = true;
    r.dead = true;
  }
  return r;
}

Door::Removal Door::RemoveConn(Conn* conn) {
  Removal r;
  std::lock_guard<std::mutex> lock(mu_);
  conns_.erase(conn);
  if (refs_.empty() && conns_.empty() && !dead_) {
    dead_ = true;
    r.dead = true;
  }
  return r;
}

bool Door::HasRef(const std::string& name) const {
  std::lock_guard<std::mutex> lock(mu_);
  return ref_names_.count(name) != 0;
}

void Door::ShutdownConnsLocked() {
  // Wakes idle connections so their holders close them (endpoint.h). A call in
  // progress still answers: only the receiving side is shut down.
  for (Conn* c : conns_) ::shutdown(c->fd, SHUT_RD);
}

bool Door::Revoke() {
  std::lock_guard<std::mutex> lock(mu_);
  if (revoked.exchange(true, std::memory_order_acq_rel)) return false;
  closing.store(true, std::memory_order_release);
  // New kConnect messages now fail (EPIPE) and the references close as they wake.
  for (Ref* r : refs_) ::shutdown(r->fd, SHUT_RD);
  ShutdownConnsLocked();
  return true;
}

void Door::Describe(door_info_t* info) const {
  std::memset(info, 0, sizeof *info);
  info->di_target = Runtime::Get().pid();
  info->di_proc = reinterpret_cast<uintptr_t>(proc);
  info->di_data = reinterpret_cast<uintptr_t>(cookie);
  info->di_uniquifier = id;
  uint32_t a = attributes | DOOR_LOCAL;
  if (revoked.load(std::memory_order_acquire)) a |= DOOR_REVOKED;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (refs_.size() <= 1) a |= DOOR_IS_UNREF;
  }
  info->di_attributes = a;
}

int Door::Refusal(uint32_t n_desc, uint64_t data_size) const {
  if (revoked.load(std::memory_order_acquire)) return EBADF;
  if (n_desc > 0 && (attributes & DOOR_REFUSE_DESC)) return ENOTSUP;
  if (n_desc > desc_max.load(std::memory_order_relaxed)) return ENFILE;
  if (data_size < data_min.load(std::memory_order_relaxed) ||
      data_size > data_max.load(std::memory_order_relaxed)) {
    return ENOBUFS;
  }
  return 0;
}

void Door::SetPipelineTaker(PipelineTaker taker) {
  auto shared = std::make_shared<const PipelineTaker>(std::move(taker));
  std::lock_guard<std::mutex> lock(mu_);
  taker_ = std::move(shared);
}

std::shared_ptr<const PipelineTaker> Door::pipeline_taker() const {
  std::lock_guard<std::mutex> lock(mu_);
  return taker_;
}

}  // namespace openstmf::door
