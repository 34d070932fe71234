#include "port/tcp/stream_conn.h"

#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/uio.h>

#include <cerrno>
#include <cstring>

namespace openstmf::tcp {
namespace {

// Bytes read per readiness event before other connections get their turn.
constexpr size_t kReadBudget = 4 << 20;
// A receiver that needs more than this in one message is broken or hostile.
constexpr size_t kMaxRx = 32 << 20;

}  // namespace

StreamConn::StreamConn(event::EventLoop* loop, UniqueFd fd, Receiver* receiver, size_t rx_capacity)
    : loop_(loop), fd_(std::move(fd)), receiver_(receiver), rx_(rx_capacity) {}

StreamConn::~StreamConn() {
  if (linger_timer_ != 0) loop_->CancelTimer(linger_timer_);
  if (!closed_) {
    loop_->Remove(fd_.get());
    for (Segment& s : tx_) {
      if (s.done.fn != nullptr) s.done.fn(s.done.arg, false);
    }
  }
}

Status StreamConn::Start() {
  // Edge-triggered: ReadSome drains the socket; EPOLLOUT reports the moment a
  // full send buffer has room again.
  return loop_->Add(fd_.get(), EPOLLIN | EPOLLOUT | EPOLLRDHUP | EPOLLET, this);
}

void StreamConn::OnEvents(uint32_t events) {
  if (closed_) return;
  if ((events & EPOLLOUT) != 0 && !tx_.empty()) Flush();
  if ((events & (EPOLLIN | EPOLLRDHUP | EPOLLHUP | EPOLLERR)) != 0 && !closing_) ReadSome();
  if ((events & (EPOLLHUP | EPOLLERR)) != 0 && closing_ && !closed_) {
    Finish(close_reason_);  // the peer is gone: nothing more can be sent
  }
}

void StreamConn::ReserveRx(size_t bytes) {
  if (bytes > kMaxRx) bytes = kMaxRx;
  const size_t pending = rx_end_ - rx_begin_;
  if (rx_begin_ > 0) {
    std::memmove(rx_.data(), rx_.data() + rx_begin_, pending);
    rx_begin_ = 0;
    rx_end_ = pending;
  }
  if (rx_.size() < bytes) rx_.resize(bytes);
}

void StreamConn::Deliver() {
  while (rx_begin_ < rx_end_ && !closed_ && !closing_) {
    const size_t used =
        receiver_->OnReceive(std::span<const uint8_t>(rx_.data() + rx_begin_, rx_end_ - rx_begin_));
    if (used == 0) break;
    rx_begin_ += used;
  }
  if (rx_begin_ == rx_end_) rx_begin_ = rx_end_ = 0;
}

void StreamConn::ReadSome() {
  read_pending_ = false;
  size_t budget = kReadBudget;
  while (!closed_ && !closing_) {
    if (rx_end_ == rx_.size()) {
      // Full: make room at the front, or grow for a message larger than the buffer.
      if (rx_begin_ > 0) {
        ReserveRx(rx_.size());
      } else if (rx_.size() < kMaxRx) {
        ReserveRx(rx_.size() * 2);
      } else {
        Finish(Status(Code::kInvalidArgument, "message larger than the receive limit"));
        return;
      }
    }
    const ssize_t n = read(fd_.get(), rx_.data() + rx_end_, rx_.size() - rx_end_);
    if (n > 0) {
      rx_end_ += static_cast<size_t>(n);
      Deliver();
      if (static_cast<size_t>(n) >= budget) {
        // Fairness: continue in a later pass of this turn.
        read_pending_ = true;
        loop_->Defer([this] {
          if (read_pending_) ReadSome();
        });
        return;
      }
      budget -= static_cast<size_t>(n);
      continue;
    }
    if (n == 0) {
      Finish(Status::Ok());  // orderly shutdown by the peer
      return;
    }
    if (errno == EINTR) continue;
    if (errno != EAGAIN) Finish(Status::FromErrno(errno, "receiving"));
    return;
  }
}

void StreamConn::Send(std::span<const uint8_t> data, SendDone done) {
  if (closed_ || closing_) {
    if (done.fn != nullptr) done.fn(done.arg, false);
    return;
  }
  if (data.empty()) {
    if (done.fn != nullptr) done.fn(done.arg, true);
    return;
  }
  tx_.push_back(Segment{data.data(), data.size(), done, {}});
  queued_bytes_ += data.size();
  ScheduleFlush();
}

void StreamConn::SendCopy(std::span<const uint8_t> data) {
  if (closed_ || closing_ || data.empty()) return;
  Segment seg{nullptr, data.size(), {}, std::vector<uint8_t>(data.begin(), data.end())};
  seg.data = seg.owned.data();
  tx_.push_back(std::move(seg));
  queued_bytes_ += data.size();
  ScheduleFlush();
}

void StreamConn::ScheduleFlush() {
  if (flush_scheduled_ || want_write_) return;  // EPOLLOUT will flush a blocked queue
  flush_scheduled_ = true;
  loop_->Defer([this] {
    flush_scheduled_ = false;
    if (!closed_) Flush();
  });
}

void StreamConn::Flush() {
  while (!tx_.empty()) {
    iovec iov[kMaxIov];
    size_t n = 0;
    for (auto it = tx_.begin(); it != tx_.end() && n < kMaxIov; ++it, ++n) {
      const size_t skip = (n == 0) ? tx_offset_ : 0;
      iov[n] = {const_cast<uint8_t*>(it->data + skip), it->len - skip};
    }
    msghdr msg{};
    msg.msg_iov = iov;
    msg.msg_iovlen = n;
    const ssize_t w = sendmsg(fd_.get(), &msg, MSG_NOSIGNAL | MSG_DONTWAIT);
    if (w < 0) {
      if (errno == EINTR) continue;
      if (errno == EAGAIN) {
        want_write_ = true;
        return;
      }
      Finish(Status::FromErrno(errno, "sending"));
      return;
    }
    size_t sent = static_cast<size_t>(w);
    queued_bytes_ -= sent;
    while (sent > 0) {
      Segment& front = tx_.front();
      const size_t left = front.len - tx_offset_;
      if (sent < left) {
        tx_offset_ += sent;
        break;
      }
      sent -= left;
      tx_offset_ = 0;
      SendDone done = front.done;
      tx_.pop_front();
      if (done.fn != nullptr) done.fn(done.arg, true);
      if (closed_) return;  // a completion closed the connection
    }
  }
  want_write_ = false;
  if (closing_) Finish(close_reason_);
}

void StreamConn::Close(const Status& why) {
  if (closed_ || closing_) return;
  closing_ = true;
  close_reason_ = why;
  read_pending_ = false;
  Flush();
  if (closed_) return;
  linger_timer_ = loop_->RunAfter(kCloseLinger, [this] {
    linger_timer_ = 0;
    if (!closed_) Finish(close_reason_);
  });
}

void StreamConn::Finish(const Status& why) {
  if (closed_) return;
  closed_ = true;
  closing_ = false;
  read_pending_ = false;
  if (linger_timer_ != 0) loop_->CancelTimer(linger_timer_);
  loop_->Remove(fd_.get());
  shutdown(fd_.get(), SHUT_RDWR);
  while (!tx_.empty()) {
    SendDone done = tx_.front().done;
    tx_.pop_front();
    if (done.fn != nullptr) done.fn(done.arg, false);
  }
  queued_bytes_ = 0;
  receiver_->OnClosed(why);
}

}  // namespace openstmf::tcp
