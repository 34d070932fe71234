// IoRing: backing-store I/O through io_uring, completed on an event loop.
//
// Requests are queued on the ring and submitted once per loop turn (one
// io_uring_enter for everything the turn produced); completions are reaped when the
// ring's eventfd wakes the loop, and each request's IoOp::Complete() runs on the
// loop's thread with the kernel's result (bytes, or -errno).
//
// Thread-safety: loop thread only. The IoOp and the buffers must stay alive until
// Complete() has been called.
#ifndef OPENSTMF_EVENT_IO_RING_H
#define OPENSTMF_EVENT_IO_RING_H

#include <liburing.h>
#include <sys/uio.h>

#include <cstdint>
#include <memory>

#include "base/status.h"
#include "event/event_loop.h"

namespace openstmf::event {

class IoOp {
 public:
  virtual ~IoOp() = default;
  // res: bytes transferred (read/write) or 0, or -errno on failure.
  virtual void Complete(int res) = 0;
};

class IoRing final : private FdHandler {
 public:
  static Result<std::unique_ptr<IoRing>> Create(EventLoop* loop, unsigned entries);
  ~IoRing() override;
  IoRing(const IoRing&) = delete;
  IoRing& operator=(const IoRing&) = delete;

  // rw_flags are preadv2(2) flags, e.g. RWF_DSYNC for a write with FUA.
  void Readv(int fd, const iovec* iov, unsigned iovcnt, uint64_t offset, IoOp* op);
  void Writev(int fd, const iovec* iov, unsigned iovcnt, uint64_t offset, int rw_flags, IoOp* op);
  void Fsync(int fd, bool data_only, IoOp* op);
  // fallocate(2): mode FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE to unmap.
  void Fallocate(int fd, int mode, uint64_t offset, uint64_t length, IoOp* op);

  // Requests queued and not yet completed.
  unsigned in_flight() const { return in_flight_; }

 private:
  IoRing(EventLoop* loop, int eventfd);
  io_uring_sqe* NextSqe();
  io_uring_sqe* Claim(IoOp* op);
  void Queue(io_uring_sqe* sqe, IoOp* op);
  void ScheduleSubmit();
  void Submit();
  void OnEvents(uint32_t events) override;
  void Reap();

  EventLoop* const loop_;
  const int eventfd_;
  io_uring ring_{};
  bool submit_scheduled_ = false;
  unsigned in_flight_ = 0;
};

}  // namespace openstmf::event

#endif  // OPENSTMF_EVENT_IO_RING_H
