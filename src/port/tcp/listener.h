// Listener: a listening TCP socket (one portal address) on an event loop. Each
// accepted connection is handed, non-blocking and with TCP_NODELAY set, to the
// accept callback on the listener's loop; the callback decides which loop the
// connection lives on.
//
// Thread-safety: loop thread only (create before the loop runs, or on it).
#ifndef OPENSTMF_PORT_TCP_LISTENER_H
#define OPENSTMF_PORT_TCP_LISTENER_H

#include <functional>
#include <memory>

#include "base/status.h"
#include "base/unique_fd.h"
#include "event/event_loop.h"
#include "port/tcp/socket_address.h"

namespace openstmf::tcp {

class Listener final : private event::FdHandler {
 public:
  using AcceptFn = std::function<void(UniqueFd fd, const SocketAddress& peer)>;

  // Binds addr (port 0 picks a free port; see address()) with SO_REUSEADDR;
  // IPv6 sockets are IPv6-only so the same port can also be bound on IPv4.
  static Result<std::unique_ptr<Listener>> Listen(event::EventLoop* loop, const SocketAddress& addr,
                                                  AcceptFn on_accept);
  ~Listener() override;
  Listener(const Listener&) = delete;
  Listener& operator=(const Listener&) = delete;

  // The bound address, with the actual port.
  const SocketAddress& address() const { return address_; }
  uint64_t accepted() const { return accepted_; }

 private:
  Listener(event::EventLoop* loop, UniqueFd fd, SocketAddress address, AcceptFn on_accept)
      : loop_(loop), fd_(std::move(fd)), address_(address), on_accept_(std::move(on_accept)) {}
  void OnEvents(uint32_t events) override;

  event::EventLoop* loop_;
  UniqueFd fd_;
  SocketAddress address_;
  AcceptFn on_accept_;
  uint64_t accepted_ = 0;
};

}  // namespace openstmf::tcp

#endif  // OPENSTMF_PORT_TCP_LISTENER_H
