// One-record send and receive on SOCK_SEQPACKET sockets, with descriptors
// (SCM_RIGHTS) and kernel-attached credentials (SCM_CREDENTIALS).
//
// Thread-safe: no shared state; each call is one sendmsg(2) or recvmsg(2).
#ifndef OPENSTMF_DOOR_MSG_IO_H
#define OPENSTMF_DOOR_MSG_IO_H

#include <sys/socket.h>
#include <sys/types.h>
#include <sys/uio.h>

#include <cstddef>

#include "door/wire.h"

namespace openstmf::door {

inline constexpr int kMaxFdsPerMessage = 253;  // SCM_MAX_FD

struct Received {
  ssize_t len = 0;  // bytes of the record
  int fds[kMaxFdsPerMessage];
  int n_fds = 0;
  bool truncated = false;  // MSG_TRUNC or MSG_CTRUNC: the record is unusable
  bool has_creds = false;
  struct ucred creds {};

  // Closes every received descriptor from index `from` on.
  void CloseFds(int from = 0);
};

// Sends one record. Returns 0 or an errno value. MSG_NOSIGNAL is always added.
int SendRecord(int fd, const iovec* iov, int iovcnt, const int* fds, int n_fds, int flags);
// Sends a bare header (control messages, errors) with optional descriptors.
int SendHeader(int fd, const WireHeader& h, const int* fds, int n_fds, int flags);
// Answers with a kError record carrying err, without blocking; a peer that
// cannot take it is not waited for.
void SendError(int fd, int err);

// Receives one record into buf. Returns the record length (0 at end of file), or a
// negative errno value. Descriptors arrive close-on-exec. Always fills out->fds
// with whatever descriptors arrived, even for a truncated record.
ssize_t ReceiveRecord(int fd, void* buf, size_t cap, int flags, Received* out);

}  // namespace openstmf::door

#endif  // OPENSTMF_DOOR_MSG_IO_H
