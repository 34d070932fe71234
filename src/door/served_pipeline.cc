#include "door/served_pipeline.h"

#include <sys/socket.h>

#include <cerrno>

#include "base/log.h"
#include "door/door_state.h"
#include "door/fd_registry.h"
#include "door/msg_io.h"
#include "door/runtime.h"
#include "door/tsan.h"
#include "door/wire.h"

namespace openstmf::door {
std::unique_ptr<ServedPipeline> AdoptPipeline(int fd, std::shared_ptr<Door> door, pid_t pid) {
  return std::unique_ptr<ServedPipeline>(new ServedPipeline(fd, std::move(door), pid));
}

ServedPipeline::ServedPipeline(int fd, std::shared_ptr<Door> door, pid_t pid)
    : fd_(fd), door_(std::move(door)), pid_(pid), rx_(new unsigned char[kMaxMessage]) {}

ServedPipeline::~ServedPipeline() { CloseTracked(fd_); }

Result<std::span<const uint8_t>> ServedPipeline::Read() {
  for (;;) {
    Received r;
    const ssize_t n = ReceiveRecord(fd_, rx_.get(), kMaxMessage, MSG_DONTWAIT, &r);
    const size_t n_fds = static_cast<size_t>(r.n_fds);
    r.CloseFds();  // a pipelined call never carries descriptors
    if (n == -EAGAIN || n == -EINTR) return Status(Code::kResourceExhausted, "no call yet");
    if (n <= 0) return Status(Code::kUnavailable, "the client hung up");
    TakeOver(CallCell(door_->id));
    const char* reason = nullptr;
    Request req;
    if (r.truncated) {
      reason = "truncated record";
    } else if (WireError e = DecodeRequest(rx_.get(), static_cast<size_t>(n), n_fds, &req);
               !e.ok()) {
      reason = e.reason;
    } else if (req.type != MsgType::kCall || (req.flags & kFlagMore) == 0 || req.n_desc != 0 ||
               (req.flags & kFlagArena) != 0 || req.data == nullptr || req.data_size == 0) {
      reason = "not a pipelined call";
    }
    if (reason != nullptr) {
      Log(LogLevel::kWarn, "door", "door %llx: rejected a pipelined record from pid %d: %s",
          static_cast<unsigned long long>(door_->id), static_cast<int>(pid_), reason);
      SendError(fd_, EINVAL);
      return Status(Code::kInvalidArgument, reason);
    }
    // Refused as the pool refuses it; only a revoked door ends the connection.
    const int err = door_->Refusal(0, req.data_size);
    if (err == 0) return std::span<const uint8_t>(req.data, static_cast<size_t>(req.data_size));
    SendError(fd_, err);
    if (err == EBADF) return Status(Code::kUnavailable, "the door is revoked", EBADF);
  }
}

Status ServedPipeline::Answer(std::span<const uint8_t> data) {
  if (data.size() > kMaxInline) return Status(Code::kInvalidArgument, "answer too large");
  WireHeader h = MakeHeader(MsgType::kReply, 0, 0, data.size());
  iovec iov[2] = {{&h, sizeof h}, {const_cast<uint8_t*>(data.data()), data.size()}};
  HandOver(CallCell(door_->id));
  const int err = SendRecord(fd_, iov, data.empty() ? 1 : 2, nullptr, 0, MSG_DONTWAIT);
  if (err == EAGAIN) {
    Log(LogLevel::kWarn, "door", "door %llx: pid %d does not read its replies; dropped",
        static_cast<unsigned long long>(door_->id), static_cast<int>(pid_));
  }
  if (err != 0) return Status(Code::kUnavailable, "answer a pipelined call", err);
  return Status::Ok();
}

Status TakePipelines(int d, PipelineTaker taker) {
  Result<Resolved> r = Runtime::Get().Resolve(d);
  if (!r.ok() || !r->door) return Status(Code::kInvalidArgument, "not a door served here", EBADF);
  r->door->SetPipelineTaker(std::move(taker));
  return Status::Ok();
}

}  // namespace openstmf::door
