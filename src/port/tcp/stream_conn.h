// StreamConn: one TCP connection on one event loop, with batched I/O both ways.
//
// Receive: on readiness the connection reads until the socket is drained (or a
// per-turn budget is spent, for fairness) into its receive buffer and offers all
// unconsumed bytes to the Receiver, which consumes whole messages and returns how
// many bytes it used; the rest waits for more data. The receiver may ask for a
// larger buffer (ReserveRx) when a message is bigger than the buffer.
// Send: Send() only queues; the queue is written once per loop turn with writev()
// (up to kMaxIov segments per call), so the responses of a whole batch of requests
// leave in as few system calls as possible. Each segment's SendDone runs once the
// kernel has taken all of its bytes, or with ok=false when the connection closes
// first, so the owner knows when a buffer may be reused.
//
// Thread-safety: loop thread only. Destroy from a deferred task, after OnClosed.
#ifndef OPENSTMF_PORT_TCP_STREAM_CONN_H
#define OPENSTMF_PORT_TCP_STREAM_CONN_H

#include <cstdint>
#include <deque>
#include <span>
#include <vector>

#include "base/status.h"
#include "base/unique_fd.h"
#include "event/event_loop.h"

namespace openstmf::tcp {

struct SendDone {
  void (*fn)(void* arg, bool ok) = nullptr;
  void* arg = nullptr;
};

class StreamConn final : private event::FdHandler {
 public:
  class Receiver {
   public:
    virtual ~Receiver() = default;
    // Consumes a prefix of data (whole messages) and returns its length.
    virtual size_t OnReceive(std::span<const uint8_t> data) = 0;
    // Called once when the connection ends: peer closed (ok status), an error, or
    // Close() was called.
    virtual void OnClosed(const Status& why) = 0;
  };

  static constexpr size_t kMaxIov = 64;

  StreamConn(event::EventLoop* loop, UniqueFd fd, Receiver* receiver,
             size_t rx_capacity = 256 * 1024);
  ~StreamConn() override;
  StreamConn(const StreamConn&) = delete;
  StreamConn& operator=(const StreamConn&) = delete;

  Status Start();
  // Queues bytes that must stay valid until done runs.
  void Send(std::span<const uint8_t> data, SendDone done = {});
  // Queues a copy of data (for small headers whose storage is transient).
  void SendCopy(std::span<const uint8_t> data);
  // Grows the receive buffer to hold at least bytes unconsumed bytes.
  void ReserveRx(size_t bytes);
  // Stops receiving, sends what is queued (waiting up to kCloseLinger for the
  // peer to take it), then closes; OnClosed(why) follows.
  void Close(const Status& why);
  static constexpr std::chrono::seconds kCloseLinger{5};

  bool closed() const { return closed_; }
  size_t queued_bytes() const { return queued_bytes_; }
  int fd() const { return fd_.get(); }

 private:
  struct Segment {
    const uint8_t* data;
    size_t len;
    SendDone done;
    std::vector<uint8_t> owned;  // storage for SendCopy
  };
  void OnEvents(uint32_t events) override;
  void ReadSome();
  void ScheduleFlush();
  void Flush();
  void Deliver();
  void Finish(const Status& why);

  event::EventLoop* loop_;
  UniqueFd fd_;
  Receiver* receiver_;
  std::vector<uint8_t> rx_;
  size_t rx_begin_ = 0;  // first unconsumed byte
  size_t rx_end_ = 0;    // end of received bytes
  std::deque<Segment> tx_;
  size_t tx_offset_ = 0;  // bytes of tx_.front() already sent
  size_t queued_bytes_ = 0;
  bool flush_scheduled_ = false;
  bool want_write_ = false;
  bool closing_ = false;  // Close() called; waiting for the queue to drain
  bool closed_ = false;
  Status close_reason_;
  event::TimerId linger_timer_ = 0;
  bool read_pending_ = false;  // budget ran out with data possibly left
};

}  // namespace openstmf::tcp

#endif  // OPENSTMF_PORT_TCP_STREAM_CONN_H
