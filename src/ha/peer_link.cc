#include "ha/peer_link.h"

#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "base/byte_order.h"

namespace openstmf::ha {
namespace {

using Clock = std::chrono::steady_clock;

int MsLeft(Clock::time_point deadline) {
  auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
  return left.count() < 0 ? 0 : static_cast<int>(left.count());
}

Status WaitFor(int fd, short events, Clock::time_point deadline, const char* what) {
  for (;;) {
    pollfd p{fd, events, 0};
    int n = poll(&p, 1, MsLeft(deadline));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return Status::FromErrno(errno, what);
    if (n == 0) return Status(Code::kUnavailable, std::string("timed out ") + what);
    return Status::Ok();
  }
}

Status ReadFull(int fd, uint8_t* p, size_t n, Clock::time_point deadline, const char* what) {
  size_t got = 0;
  while (got < n) {
    RETURN_IF_ERROR(WaitFor(fd, POLLIN, deadline, what));
    ssize_t r = recv(fd, p + got, n - got, MSG_DONTWAIT);
    if (r < 0 && (errno == EINTR || errno == EAGAIN)) continue;
    if (r < 0) return Status::FromErrno(errno, what);
    if (r == 0) {
      return Status(got == 0 ? Code::kNotFound : Code::kInvalidArgument,
                    std::string("the peer closed the link ") + what);
    }
    got += static_cast<size_t>(r);
  }
  return Status::Ok();
}

Status WriteAll(int fd, iovec* iov, size_t n, Clock::time_point deadline, const char* what) {
  while (n > 0) {
    msghdr mh{};
    mh.msg_iov = iov;
    mh.msg_iovlen = n;
    ssize_t r = sendmsg(fd, &mh, MSG_DONTWAIT | MSG_NOSIGNAL);
    if (r < 0 && errno == EINTR) continue;
    if (r < 0 && errno == EAGAIN) {
      RETURN_IF_ERROR(WaitFor(fd, POLLOUT, deadline, what));
      continue;
    }
    if (r < 0) return Status::FromErrno(errno, what);
    auto put = static_cast<size_t>(r);
    while (n > 0 && put >= iov->iov_len) {
      put -= iov->iov_len;
      ++iov;
      --n;
    }
    if (n > 0) {
      iov->iov_base = static_cast<uint8_t*>(iov->iov_base) + put;
      iov->iov_len -= put;
    }
  }
  return Status::Ok();
}

Status WriteFull(int fd, const uint8_t* p, size_t n, Clock::time_point deadline, const char* what) {
  iovec iov{const_cast<uint8_t*>(p), n};
  return WriteAll(fd, &iov, 1, deadline, what);
}

constexpr size_t kRxInitial = size_t{256} << 10;
constexpr size_t kRxKept = size_t{4} << 20;  // a larger buffer goes once it is empty

void TuneSocket(int fd) {
  int one = 1;
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  setsockopt(fd, SOL_SOCKET, SO_KEEPALIVE, &one, sizeof one);
}

}  // namespace

Result<std::unique_ptr<PeerLink>> PeerLink::Establish(UniqueFd fd, PeerAuth auth,
                                                      std::chrono::milliseconds timeout) {
  const Clock::time_point deadline = Clock::now() + timeout;
  TuneSocket(fd.get());
  const std::vector<uint8_t>& hello = auth.Hello();
  RETURN_IF_ERROR(
      WriteFull(fd.get(), hello.data(), hello.size(), deadline, "sending the greeting"));
  std::vector<uint8_t> peer_hello(kHelloSize);
  RETURN_IF_ERROR(
      ReadFull(fd.get(), peer_hello.data(), peer_hello.size(), deadline, "reading the greeting"));
  ASSIGN_OR_RETURN(uint8_t peer_node, auth.OnPeerHello(peer_hello));
  std::vector<uint8_t> proof = auth.Proof();
  RETURN_IF_ERROR(WriteFull(fd.get(), proof.data(), proof.size(), deadline, "sending the proof"));
  std::vector<uint8_t> peer_proof(kProofSize);
  RETURN_IF_ERROR(
      ReadFull(fd.get(), peer_proof.data(), peer_proof.size(), deadline, "reading the proof"));
  RETURN_IF_ERROR(auth.VerifyPeerProof(peer_proof));
  return std::unique_ptr<PeerLink>(new PeerLink(std::move(fd), peer_node, timeout));
}

Status PeerLink::Send(std::span<const uint8_t> frame) {
  if (frame.size() > kMaxFrame) {
    return Status(Code::kInvalidArgument, "proxy message of " + std::to_string(frame.size()) +
                                              " bytes is larger than a frame");
  }
  // Length and message in one sendmsg: with TCP_NODELAY two writes would be
  // two segments, and two wake-ups on the peer.
  uint8_t len[4];
  PutBe32(len, static_cast<uint32_t>(frame.size()));
  iovec iov[2] = {{len, sizeof len}, {const_cast<uint8_t*>(frame.data()), frame.size()}};
  std::lock_guard<std::mutex> lock(send_mu_);
  const Clock::time_point deadline = Clock::now() + io_timeout_;
  return WriteAll(fd_.get(), iov, frame.empty() ? 1 : 2, deadline, "sending to the peer");
}

std::optional<uint32_t> PeerLink::FrameAt(size_t at) const {
  if (rx_end_ - at < 4) return std::nullopt;
  return GetBe32(rx_.data() + at);
}

Status PeerLink::Fill(Clock::time_point deadline, const char* what) {
  for (;;) {
    ssize_t r = recv(fd_.get(), rx_.data() + rx_end_, rx_.size() - rx_end_, MSG_DONTWAIT);
    if (r > 0) {
      rx_end_ += static_cast<size_t>(r);
      return Status::Ok();
    }
    if (r == 0) {
      return Status(rx_end_ == rx_start_ ? Code::kNotFound : Code::kInvalidArgument,
                    std::string("the peer closed the link ") + what);
    }
    if (errno == EINTR) continue;
    if (errno != EAGAIN) return Status::FromErrno(errno, what);
    RETURN_IF_ERROR(WaitFor(fd_.get(), POLLIN, deadline, what));
  }
}

Result<std::span<const uint8_t>> PeerLink::Receive(std::chrono::milliseconds idle,
                                                   size_t coalesce) {
  if (rx_start_ == rx_end_) {
    rx_start_ = rx_end_ = 0;
    if (rx_.empty() || rx_.size() > kRxKept) {
      std::vector<uint8_t>(kRxInitial).swap(rx_);
    }
    // Nothing buffered: the next frame has `idle` to start.
    RETURN_IF_ERROR(Fill(Clock::now() + idle, "waiting for the peer"));
  }
  // Then the whole first frame within the I/O timeout.
  const Clock::time_point deadline = Clock::now() + io_timeout_;
  for (;;) {
    std::optional<uint32_t> n = FrameAt(rx_start_);
    if (n && *n > kMaxFrame) {
      return Status(Code::kInvalidArgument,
                    "the peer sent a frame of " + std::to_string(*n) + " bytes (limit 34 MiB)");
    }
    const size_t need = 4 + (n ? *n : 0);
    if (n && rx_end_ - rx_start_ >= need) break;
    if (rx_end_ == rx_.size() || rx_.size() - rx_start_ < need) {
      // Make room: what is buffered moves to the front, and the buffer grows
      // to hold the whole frame.
      std::memmove(rx_.data(), rx_.data() + rx_start_, rx_end_ - rx_start_);
      rx_end_ -= rx_start_;
      rx_start_ = 0;
      if (rx_.size() < need) rx_.resize(need);
    }
    Status s = Fill(deadline, "reading a frame");
    // A frame cut short is a protocol error, not a clean end.
    if (!s.ok()) return Status(Code::kInvalidArgument, "truncated frame: " + s.message());
  }
  // The first frame's bytes stay where they are; whole frames behind it move
  // up over the lengths between them.
  uint8_t* const out = rx_.data() + rx_start_ + 4;
  size_t len = GetBe32(rx_.data() + rx_start_);
  size_t at = rx_start_ + 4 + len;
  while (coalesce > 0) {
    std::optional<uint32_t> n = FrameAt(at);
    if (!n || *n > kMaxFrame || rx_end_ - at - 4 < *n) break;  // for the next Receive()
    if (len != 0 && len + *n > coalesce) break;
    std::memmove(out + len, rx_.data() + at + 4, *n);
    len += *n;
    at += 4 + *n;
  }
  rx_start_ = at;
  return std::span<const uint8_t>(out, len);
}

void PeerLink::Shutdown() { shutdown(fd_.get(), SHUT_RDWR); }

Result<UniqueFd> ListenTcp(const tcp::SocketAddress& address) {
  UniqueFd fd(socket(address.family(), SOCK_STREAM | SOCK_CLOEXEC, 0));
  if (fd.get() < 0) return Status::FromErrno(errno, "socket");
  int one = 1;
  setsockopt(fd.get(), SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  if (bind(fd.get(), address.sa(), address.len()) != 0) {
    return Status::FromErrno(errno, "bind " + address.ToString());
  }
  if (listen(fd.get(), 4) != 0) return Status::FromErrno(errno, "listen " + address.ToString());
  return fd;
}

Result<tcp::SocketAddress> LocalAddress(int fd) {
  sockaddr_storage ss{};
  socklen_t len = sizeof ss;
  if (getsockname(fd, reinterpret_cast<sockaddr*>(&ss), &len) != 0) {
    return Status::FromErrno(errno, "getsockname");
  }
  return tcp::SocketAddress::FromSockaddr(reinterpret_cast<sockaddr*>(&ss), len);
}

Result<UniqueFd> AcceptTcp(int listen_fd, std::chrono::milliseconds timeout) {
  RETURN_IF_ERROR(WaitFor(listen_fd, POLLIN, Clock::now() + timeout, "waiting for the peer"));
  int fd = accept4(listen_fd, nullptr, nullptr, SOCK_CLOEXEC);
  if (fd < 0) return Status::FromErrno(errno, "accept");
  return UniqueFd(fd);
}

Result<UniqueFd> ConnectTcp(const tcp::SocketAddress& address, std::chrono::milliseconds timeout) {
  UniqueFd fd(socket(address.family(), SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0));
  if (fd.get() < 0) return Status::FromErrno(errno, "socket");
  if (connect(fd.get(), address.sa(), address.len()) != 0) {
    if (errno != EINPROGRESS) return Status::FromErrno(errno, "connect " + address.ToString());
    RETURN_IF_ERROR(WaitFor(fd.get(), POLLOUT, Clock::now() + timeout,
                            ("connecting to " + address.ToString()).c_str()));
    int err = 0;
    socklen_t len = sizeof err;
    getsockopt(fd.get(), SOL_SOCKET, SO_ERROR, &err, &len);
    if (err != 0) return Status::FromErrno(err, "connect " + address.ToString());
  }
  int flags = fcntl(fd.get(), F_GETFL);
  fcntl(fd.get(), F_SETFL, flags & ~O_NONBLOCK);
  return fd;
}

}  // namespace openstmf::ha
