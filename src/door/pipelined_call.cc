#include "door/pipelined_call.h"

#include <poll.h>
#include <sys/socket.h>

#include <algorithm>
#include <cerrno>

#include "door/client.h"
#include "door/fd_registry.h"
#include "door/msg_io.h"
#include "door/tag.h"
#include "door/tsan.h"
#include "door/wire.h"

namespace openstmf::door {
namespace {

bool Gone(int err) {
  return err == EPIPE || err == ECONNRESET || err == ENOTCONN || err == ECONNREFUSED;
}

}  // namespace

PipelinedCall::PipelinedCall(int fd, uint64_t door_id, size_t max_outstanding)
    : fd_(fd),
      max_outstanding_(max_outstanding),
      door_id_(door_id),
      rx_(new unsigned char[kMaxMessage]) {}

PipelinedCall::~PipelinedCall() { CloseTracked(fd_); }

Result<std::unique_ptr<PipelinedCall>> PipelinedCall::Open(int d, size_t max_outstanding) {
  Result<Tag> tag = ReadTag(d);
  if (!tag.ok()) return Status(Code::kUnavailable, "not a door", EBADF);
  // Made as door_call()'s connections are, but marked as pipelined so that the
  // server may serve it elsewhere (served_pipeline.h); this end is used with
  // MSG_DONTWAIT only.
  Result<int> fd = NewCallConnection(d, true);
  if (!fd.ok()) return Status(Code::kUnavailable, fd.status().message(), fd.status().sys_errno());
  // Room for every call that may be outstanding: a SOCK_SEQPACKET send counts
  // against the sender's buffer until the server reads it, and the default
  // (net.core.wmem_default) holds only three full calls. Raised past
  // net.core.wmem_max when the process may (CAP_NET_ADMIN); otherwise as far as
  // that allows, and Post() reports a full connection.
  const int want = static_cast<int>(std::min<size_t>(max_outstanding * kMaxMessage, 64u << 20));
  if (::setsockopt(*fd, SOL_SOCKET, SO_SNDBUFFORCE, &want, sizeof want) != 0) {
    (void)::setsockopt(*fd, SOL_SOCKET, SO_SNDBUF, &want, sizeof want);
  }
  return std::unique_ptr<PipelinedCall>(new PipelinedCall(*fd, tag->door_id, max_outstanding));
}

Status PipelinedCall::Post(std::span<const uint8_t> data) {
  if (data.empty() || data.size() > kMaxInline) {
    return Status(Code::kInvalidArgument, "a pipelined call carries 1 to 64 KiB");
  }
  if (outstanding_ >= max_outstanding_) {
    return Status(Code::kResourceExhausted, "too many calls wait for their answers");
  }
  WireHeader h = MakeHeader(MsgType::kCall, kFlagMore, 0, data.size());
  const iovec iov[2] = {{&h, sizeof h}, {const_cast<uint8_t*>(data.data()), data.size()}};
  HandOver(CallCell(door_id_));
  const int err = SendRecord(fd_, iov, 2, nullptr, 0, MSG_DONTWAIT);
  if (err == EAGAIN || err == ENOBUFS) return Status(Code::kResourceExhausted, "connection full");
  if (err != 0) {
    return Status(Code::kUnavailable, Gone(err) ? "door server went away" : "send call", err);
  }
  ++outstanding_;
  return Status::Ok();
}

Result<size_t> PipelinedCall::Reap(const OnAnswer& on_answer, int timeout_ms) {
  size_t n = 0;
  while (outstanding_ > 0) {
    Received r;
    ssize_t got = ReceiveRecord(fd_, rx_.get(), kMaxMessage, MSG_DONTWAIT, &r);
    if (got == -EAGAIN && n == 0 && timeout_ms > 0) {
      pollfd p{fd_, POLLIN, 0};
      if (::poll(&p, 1, timeout_ms) <= 0) return n;
      got = ReceiveRecord(fd_, rx_.get(), kMaxMessage, MSG_DONTWAIT, &r);
    }
    if (got == -EAGAIN || got == -EINTR) return n;
    if (got <= 0) {
      r.CloseFds();
      outstanding_ = 0;
      return Status(Code::kUnavailable, "door server went away");
    }
    TakeOver(CallCell(door_id_));
    --outstanding_;
    ++n;
    Reply rep;
    WireError e = r.truncated ? WireError{EINVAL, "truncated reply"}
                              : DecodeReply(rx_.get(), static_cast<size_t>(got),
                                            static_cast<size_t>(r.n_fds), &rep);
    r.CloseFds();  // nothing this connection posts asks for descriptors back
    if (e.ok() && rep.type == MsgType::kError) {
      on_answer(Status(Code::kUnavailable, "server refused the call", rep.err), {});
    } else if (!e.ok() || rep.type != MsgType::kReply) {
      on_answer(Status(Code::kInternal, e.ok() ? "unexpected reply type" : e.reason), {});
    } else if (rep.flags & (kFlagArena | kFlagMemfd)) {
      on_answer(Status(Code::kInternal, "reply too large for a pipelined call"), {});
    } else {
      on_answer(Status::Ok(), {rep.data, static_cast<size_t>(rep.data_size)});
    }
  }
  return n;
}

}  // namespace openstmf::door
