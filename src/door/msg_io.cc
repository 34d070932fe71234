#include "door/msg_io.h"

#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace openstmf::door {

void Received::CloseFds(int from) {
  for (int i = from; i < n_fds; ++i) {
    if (fds[i] >= 0) ::close(fds[i]);
    fds[i] = -1;
  }
  if (from < n_fds) n_fds = from;
}

// sendmsg(2) and recvmsg(2) are cancellation points. AddressSanitizer (GCC 12)
// reports its own stale stack redzones when a thread is cancelled inside them and
// unwinds, so these frames carry no redzones.
#define DOOR_NO_ASAN_FRAME __attribute__((no_sanitize_address))

DOOR_NO_ASAN_FRAME int SendRecord(int fd, const iovec* iov, int iovcnt, const int* fds, int n_fds,
                                  int flags) {
  alignas(cmsghdr) char control[CMSG_SPACE(sizeof(int) * kMaxFdsPerMessage)];
  msghdr msg{};
  msg.msg_iov = const_cast<iovec*>(iov);
  msg.msg_iovlen = static_cast<size_t>(iovcnt);
  if (n_fds > 0) {
    if (n_fds > kMaxFdsPerMessage) return E2BIG;
    const size_t bytes = sizeof(int) * static_cast<size_t>(n_fds);
    msg.msg_control = control;
    msg.msg_controllen = CMSG_SPACE(bytes);
    cmsghdr* c = CMSG_FIRSTHDR(&msg);
    c->cmsg_level = SOL_SOCKET;
    c->cmsg_type = SCM_RIGHTS;
    c->cmsg_len = CMSG_LEN(bytes);
    std::memcpy(CMSG_DATA(c), fds, bytes);
  }
  for (;;) {
    ssize_t n = ::sendmsg(fd, &msg, flags | MSG_NOSIGNAL);
    if (n >= 0) return 0;
    if (errno == EINTR) continue;  // nothing was sent; SEQPACKET records are atomic
    return errno;
  }
}

DOOR_NO_ASAN_FRAME int SendHeader(int fd, const WireHeader& h, const int* fds, int n_fds,
                                  int flags) {
  iovec iov{const_cast<WireHeader*>(&h), sizeof h};
  return SendRecord(fd, &iov, 1, fds, n_fds, flags);
}

void SendError(int fd, int err) {
  (void)SendHeader(fd, MakeHeader(MsgType::kError, 0, 0, 0, static_cast<uint64_t>(err)), nullptr, 0,
                   MSG_DONTWAIT);
}

DOOR_NO_ASAN_FRAME ssize_t ReceiveRecord(int fd, void* buf, size_t cap, int flags, Received* out) {
  alignas(cmsghdr) char
      control[CMSG_SPACE(sizeof(int) * kMaxFdsPerMessage) + CMSG_SPACE(sizeof(struct ucred))];
  iovec iov{buf, cap};
  msghdr msg{};
  msg.msg_iov = &iov;
  msg.msg_iovlen = 1;
  msg.msg_control = control;
  msg.msg_controllen = sizeof control;
  out->n_fds = 0;
  out->has_creds = false;
  out->truncated = false;
  ssize_t n = ::recvmsg(fd, &msg, flags | MSG_CMSG_CLOEXEC);
  if (n < 0) return -errno;
  for (cmsghdr* c = CMSG_FIRSTHDR(&msg); c != nullptr; c = CMSG_NXTHDR(&msg, c)) {
    if (c->cmsg_level != SOL_SOCKET) continue;
    if (c->cmsg_type == SCM_RIGHTS) {
      const size_t count = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);
      for (size_t i = 0; i < count; ++i) {
        int rfd;
        std::memcpy(&rfd, CMSG_DATA(c) + i * sizeof(int), sizeof rfd);
        if (out->n_fds < kMaxFdsPerMessage) {
          out->fds[out->n_fds++] = rfd;
        } else {
          ::close(rfd);
          out->truncated = true;
        }
      }
    } else if (c->cmsg_type == SCM_CREDENTIALS && c->cmsg_len >= CMSG_LEN(sizeof(struct ucred))) {
      std::memcpy(&out->creds, CMSG_DATA(c), sizeof out->creds);
      out->has_creds = true;
    }
  }
  if (msg.msg_flags & (MSG_TRUNC | MSG_CTRUNC)) out->truncated = true;
  out->len = n;
  return n;
}

}  // namespace openstmf::door
