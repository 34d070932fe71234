#include "port/tcp/listener.h"

#include <netinet/tcp.h>
#include <sys/epoll.h>

#include <cerrno>

#include "base/log.h"

namespace openstmf::tcp {

Result<std::unique_ptr<Listener>> Listener::Listen(event::EventLoop* loop,
                                                   const SocketAddress& addr, AcceptFn on_accept) {
  UniqueFd fd(socket(addr.family(), SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0));
  if (!fd.valid()) return Status::FromErrno(errno, "socket for " + addr.ToString());
  int one = 1;
  (void)setsockopt(fd.get(), SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  if (addr.family() == AF_INET6) {
    (void)setsockopt(fd.get(), IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof one);
  }
  if (bind(fd.get(), addr.sa(), addr.len()) != 0) {
    return Status::FromErrno(errno, "binding " + addr.ToString());
  }
  if (listen(fd.get(), SOMAXCONN) != 0) {
    return Status::FromErrno(errno, "listening on " + addr.ToString());
  }
  sockaddr_storage bound{};
  socklen_t len = sizeof bound;
  if (getsockname(fd.get(), reinterpret_cast<sockaddr*>(&bound), &len) != 0) {
    return Status::FromErrno(errno, "getsockname");
  }
  std::unique_ptr<Listener> l(new Listener(
      loop, std::move(fd), SocketAddress::FromSockaddr(reinterpret_cast<sockaddr*>(&bound), len),
      std::move(on_accept)));
  RETURN_IF_ERROR(loop->Add(l->fd_.get(), EPOLLIN, l.get()));
  return l;
}

Listener::~Listener() { loop_->Remove(fd_.get()); }

void Listener::OnEvents(uint32_t /*events*/) {
  for (;;) {
    sockaddr_storage peer{};
    socklen_t len = sizeof peer;
    int fd =
        accept4(fd_.get(), reinterpret_cast<sockaddr*>(&peer), &len, SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (fd < 0) {
      if (errno == EAGAIN || errno == EINTR || errno == ECONNABORTED) return;
      // EMFILE/ENFILE/ENOBUFS: the connection stays queued and the socket stays
      // readable, so pause accepting for a moment instead of spinning.
      Log(LogLevel::kWarn, "tcp", "accept on %s failed (errno %d); pausing 100 ms",
          address_.ToString().c_str(), errno);
      (void)loop_->Modify(fd_.get(), 0, this);
      loop_->RunAfter(std::chrono::milliseconds(100),
                      [this] { (void)loop_->Modify(fd_.get(), EPOLLIN, this); });
      return;
    }
    int one = 1;
    (void)setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    ++accepted_;
    on_accept_(UniqueFd(fd), SocketAddress::FromSockaddr(reinterpret_cast<sockaddr*>(&peer), len));
  }
}

}  // namespace openstmf::tcp
