#include "door/refs.h"

#include <fcntl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <mutex>
#include <shared_mutex>

#include "door/door_state.h"
#include "door/fd_registry.h"
#include "door/msg_io.h"
#include "door/runtime.h"
#include "door/tag.h"

namespace openstmf::door {
namespace {

// A socketpair for a new reference; both ends tracked (the client end only when
// asked), created under the fork gate so a child never inherits an untracked end.
Status NewPair(bool track_client, int* client, int* server) {
  std::shared_lock<std::shared_mutex> gate(ForkGate());
  int sv[2];
  if (::socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) != 0) {
    return Status::FromErrno(errno, "socketpair");
  }
  *client = track_client ? Track(sv[0]) : sv[0];
  *server = Track(sv[1]);
  return Status::Ok();
}

void CloseClient(int fd, bool tracked) {
  if (tracked) {
    CloseTracked(fd);
  } else {
    ::close(fd);
  }
}

// Binds the client end to a fresh tag (the sequence number makes names unique).
Status BindFresh(int fd, Tag tag, std::string* name) {
  Runtime& rt = Runtime::Get();
  for (int attempt = 0; attempt < 8; ++attempt) {
    tag.minter_nonce = rt.nonce();
    tag.seq = rt.NextRefSeq();
    Status st = BindTag(fd, tag);
    if (st.ok()) {
      if (name != nullptr) *name = FormatTag(tag);
      return st;
    }
    if (st.sys_errno() != EADDRINUSE) return st;
  }
  return Status(Code::kResourceExhausted, "no free reference name", EAGAIN);
}

}  // namespace

Result<int> MintLocalReference(Door* door, bool track) {
  int client = -1, server = -1;
  RETURN_IF_ERROR(NewPair(track, &client, &server));
  Runtime& rt = Runtime::Get();
  Tag tag;
  tag.server_pid = rt.pid();
  tag.door_id = door->id;
  tag.attributes = door->attributes;
  tag.server_nonce = rt.nonce();
  std::string name;
  Status st = BindFresh(client, tag, &name);
  if (st.ok()) {
    st = door->AddRef(server, std::move(name));  // takes server
  } else {
    CloseTracked(server);
  }
  if (!st.ok()) {
    CloseClient(client, track);
    return st;
  }
  return client;
}

Result<int> MintReference(int door_fd) {
  ASSIGN_OR_RETURN(Resolved r, Runtime::Get().Resolve(door_fd));
  if (r.door) return MintLocalReference(r.door.get(), true);
  int client = -1, server = -1;
  RETURN_IF_ERROR(NewPair(true, &client, &server));
  const int one = 1;
  Status st = BindFresh(client, r.tag, nullptr);
  if (st.ok() && ::setsockopt(server, SOL_SOCKET, SO_PASSCRED, &one, sizeof one) != 0) {
    st = Status::FromErrno(errno, "SO_PASSCRED");
  }
  if (st.ok()) {
    const int err = SendHeader(door_fd, MakeHeader(MsgType::kRef, 0, 0, 0), &server, 1, 0);
    if (err != 0) st = Status(Code::kUnavailable, "door server unreachable", EBADF);
  }
  CloseTracked(server);
  if (!st.ok()) {
    CloseTracked(client);
    return st;
  }
  return client;
}

void OutDescs::CloseOwned() {
  for (uint32_t i = 0; i < n_owned; ++i) CloseTracked(owned[i]);
  n_owned = 0;
}

Status PrepareOutgoing(const door_desc_t* d, uint32_t n, OutDescs* out) {
  out->n = 0;
  out->n_owned = 0;
  if (n == 0) return Status::Ok();
  if (d == nullptr) return Status(Code::kInvalidArgument, "no descriptor array", EFAULT);
  if (n > kMaxDesc) return Status(Code::kInvalidArgument, "too many descriptors", E2BIG);
  for (uint32_t i = 0; i < n; ++i) {
    const door_attr_t a = d[i].d_attributes;
    if (!(a & DOOR_DESCRIPTOR) ||
        (a & ~door_attr_t{DOOR_DESCRIPTOR | DOOR_RELEASE | DOOR_ATTR_MASK})) {
      out->CloseOwned();
      return Status(Code::kInvalidArgument, "bad descriptor attributes", EINVAL);
    }
    const int fd = d[i].d_data.d_desc.d_descriptor;
    if (fd < 0 || ::fcntl(fd, F_GETFD) < 0) {
      out->CloseOwned();
      return Status(Code::kInvalidArgument, "descriptor not open", EBADF);
    }
    int send_fd = fd;
    if (ReadTag(fd).ok()) {
      // A door: pass a reference of the receiver's own. If its server cannot be
      // reached (revoked, gone), the descriptor itself is passed.
      Result<int> minted = MintReference(fd);
      if (minted.ok()) {
        send_fd = *minted;
        out->owned[out->n_owned++] = send_fd;
      }
    }
    out->fds[i] = send_fd;
    out->words[i] = WireDesc{a & (DOOR_DESCRIPTOR | DOOR_RELEASE), 0, 0};
  }
  out->n = n;
  return Status::Ok();
}

void ReleaseDescriptors(const door_desc_t* d, uint32_t n) {
  if (d == nullptr) return;
  for (uint32_t i = 0; i < n; ++i) {
    if ((d[i].d_attributes & (DOOR_DESCRIPTOR | DOOR_RELEASE)) ==
        (DOOR_DESCRIPTOR | DOOR_RELEASE)) {
      ::close(d[i].d_data.d_desc.d_descriptor);
    }
  }
}

void DescribeIncoming(const int* fds, uint32_t n, door_desc_t* out) {
  for (uint32_t i = 0; i < n; ++i) {
    door_desc_t& d = out[i];
    d = door_desc_t{};
    d.d_attributes = DOOR_DESCRIPTOR;
    d.d_data.d_desc.d_descriptor = fds[i];
    Result<Resolved> r = Runtime::Get().Resolve(fds[i]);
    if (!r.ok()) continue;
    d.d_data.d_desc.d_id = r->tag.door_id;
    d.d_attributes |= r->tag.attributes & DOOR_CREATE_MASK;
    if (r->local) {
      d.d_attributes |= DOOR_LOCAL;
      // A reference minted by another process may not be registered yet; the door
      // itself decides whether it is revoked.
      std::shared_ptr<Door> door = r->door ? r->door : Runtime::Get().FindDoor(r->tag.door_id);
      if (!door || door->revoked.load(std::memory_order_acquire)) d.d_attributes |= DOOR_REVOKED;
    }
  }
}

}  // namespace openstmf::door
