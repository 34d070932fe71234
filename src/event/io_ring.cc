#include "event/io_ring.h"

#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <cerrno>

#include "base/log.h"

namespace openstmf::event {

Result<std::unique_ptr<IoRing>> IoRing::Create(EventLoop* loop, unsigned entries) {
  int efd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
  if (efd < 0) return Status::FromErrno(errno, "eventfd");
  std::unique_ptr<IoRing> ring(new IoRing(loop, efd));
  int rc = io_uring_queue_init(entries, &ring->ring_, 0);
  if (rc < 0) {
    ring->ring_.ring_fd = -1;
    return Status::FromErrno(-rc, "io_uring_queue_init");
  }
  rc = io_uring_register_eventfd(&ring->ring_, efd);
  if (rc < 0) return Status::FromErrno(-rc, "io_uring_register_eventfd");
  RETURN_IF_ERROR(loop->Add(efd, EPOLLIN, ring.get()));
  return ring;
}

IoRing::IoRing(EventLoop* loop, int eventfd) : loop_(loop), eventfd_(eventfd) {
  ring_.ring_fd = -1;
}

IoRing::~IoRing() {
  loop_->Remove(eventfd_);
  if (ring_.ring_fd >= 0) io_uring_queue_exit(&ring_);
  close(eventfd_);
}

// A full submission queue is flushed to the kernel to make room.
io_uring_sqe* IoRing::NextSqe() {
  io_uring_sqe* sqe = io_uring_get_sqe(&ring_);
  if (sqe == nullptr) {
    Submit();
    sqe = io_uring_get_sqe(&ring_);
  }
  return sqe;
}

void IoRing::ScheduleSubmit() {
  ++in_flight_;
  if (submit_scheduled_) return;
  submit_scheduled_ = true;
  loop_->Defer([this] { Submit(); });
}

void IoRing::Submit() {
  submit_scheduled_ = false;
  int rc = io_uring_submit(&ring_);
  if (rc < 0 && rc != -EAGAIN && rc != -EBUSY) {
    Log(LogLevel::kError, "io_ring", "io_uring_submit failed: %d", rc);
  }
}

// A request that finds the ring full even after a flush fails with EAGAIN, on
// the loop thread like any completion.
io_uring_sqe* IoRing::Claim(IoOp* op) {
  io_uring_sqe* sqe = NextSqe();
  if (sqe == nullptr) loop_->Defer([op] { op->Complete(-EAGAIN); });
  return sqe;
}

void IoRing::Queue(io_uring_sqe* sqe, IoOp* op) {
  io_uring_sqe_set_data(sqe, op);
  ScheduleSubmit();
}

void IoRing::Readv(int fd, const iovec* iov, unsigned iovcnt, uint64_t offset, IoOp* op) {
  if (io_uring_sqe* sqe = Claim(op)) {
    io_uring_prep_readv(sqe, fd, iov, iovcnt, offset);
    Queue(sqe, op);
  }
}

void IoRing::Writev(int fd, const iovec* iov, unsigned iovcnt, uint64_t offset, int rw_flags,
                    IoOp* op) {
  if (io_uring_sqe* sqe = Claim(op)) {
    io_uring_prep_writev(sqe, fd, iov, iovcnt, offset);
    sqe->rw_flags = rw_flags;
    Queue(sqe, op);
  }
}

void IoRing::Fsync(int fd, bool data_only, IoOp* op) {
  if (io_uring_sqe* sqe = Claim(op)) {
    io_uring_prep_fsync(sqe, fd, data_only ? IORING_FSYNC_DATASYNC : 0);
    Queue(sqe, op);
  }
}

void IoRing::Fallocate(int fd, int mode, uint64_t offset, uint64_t length, IoOp* op) {
  if (io_uring_sqe* sqe = Claim(op)) {
    io_uring_prep_fallocate(sqe, fd, mode, static_cast<off_t>(offset), static_cast<off_t>(length));
    Queue(sqe, op);
  }
}

void IoRing::OnEvents(uint32_t /*events*/) {
  uint64_t count = 0;
  ssize_t rc = read(eventfd_, &count, sizeof count);
  (void)rc;  // EAGAIN: another wake-up already drained it
  Reap();
}

void IoRing::Reap() {
  io_uring_cqe* cqe = nullptr;
  while (io_uring_peek_cqe(&ring_, &cqe) == 0) {
    auto* op = static_cast<IoOp*>(io_uring_cqe_get_data(cqe));
    const int res = cqe->res;
    io_uring_cqe_seen(&ring_, cqe);
    --in_flight_;
    if (op != nullptr) op->Complete(res);
  }
}

}  // namespace openstmf::event
