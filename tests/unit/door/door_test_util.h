// Helpers shared by the libdoor tests: door procedures, waiting, child processes,
// passing descriptors between processes without libdoor.
#ifndef OPENSTMF_TESTS_UNIT_DOOR_DOOR_TEST_UTIL_H
#define OPENSTMF_TESTS_UNIT_DOOR_DOOR_TEST_UTIL_H

#include <sys/socket.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstring>
#include <functional>
#include <string>
#include <thread>
#include <vector>

#include "door.h"

namespace door_test {

// Closes a door descriptor at the end of a scope.
class ScopedFd {
 public:
  explicit ScopedFd(int fd = -1) : fd_(fd) {}
  ~ScopedFd() {
    if (fd_ >= 0) ::close(fd_);
  }
  ScopedFd(const ScopedFd&) = delete;
  ScopedFd& operator=(const ScopedFd&) = delete;
  int get() const { return fd_; }
  int release() {
    int f = fd_;
    fd_ = -1;
    return f;
  }

 private:
  int fd_;
};

// Returns its arguments as results.
inline void EchoProc(void*, char* argp, size_t size, door_desc_t*, uint_t) {
  door_return(argp, size, nullptr, 0);
}

// Waits up to `seconds` for pred() to hold.
inline bool WaitFor(const std::function<bool()>& pred, double seconds = 10) {
  const auto end = std::chrono::steady_clock::now() + std::chrono::duration<double>(seconds);
  while (std::chrono::steady_clock::now() < end) {
    if (pred()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  return pred();
}

// Makes a data pattern that depends on seed and position.
inline std::vector<char> Pattern(size_t n, uint32_t seed) {
  std::vector<char> v(n);
  uint32_t x = seed * 2654435761u + 1;
  for (size_t i = 0; i < n; ++i) {
    x = x * 1103515245u + 12345u;
    v[i] = static_cast<char>(x >> 24);
  }
  return v;
}

// Plain SCM_RIGHTS passing (shares the open file: not a new door reference).
inline bool SendFd(int sock, int fd) {
  char byte = 'F';
  iovec iov{&byte, 1};
  alignas(cmsghdr) char control[CMSG_SPACE(sizeof(int))];
  msghdr msg{};
  msg.msg_iov = &iov;
  msg.msg_iovlen = 1;
  msg.msg_control = control;
  msg.msg_controllen = sizeof control;
  cmsghdr* c = CMSG_FIRSTHDR(&msg);
  c->cmsg_level = SOL_SOCKET;
  c->cmsg_type = SCM_RIGHTS;
  c->cmsg_len = CMSG_LEN(sizeof(int));
  std::memcpy(CMSG_DATA(c), &fd, sizeof fd);
  return ::sendmsg(sock, &msg, MSG_NOSIGNAL) == 1;
}

inline int RecvFd(int sock) {
  char byte;
  iovec iov{&byte, 1};
  alignas(cmsghdr) char control[CMSG_SPACE(sizeof(int))];
  msghdr msg{};
  msg.msg_iov = &iov;
  msg.msg_iovlen = 1;
  msg.msg_control = control;
  msg.msg_controllen = sizeof control;
  if (::recvmsg(sock, &msg, MSG_CMSG_CLOEXEC) != 1) return -1;
  cmsghdr* c = CMSG_FIRSTHDR(&msg);
  if (c == nullptr || c->cmsg_type != SCM_RIGHTS) return -1;
  int fd;
  std::memcpy(&fd, CMSG_DATA(c), sizeof fd);
  return fd;
}

// Runs fn in a forked child that only makes calls (no new threads, which TSan
// does not allow after a multi-threaded fork) and returns its exit status.
inline pid_t Fork(const std::function<int()>& fn) {
  pid_t pid = ::fork();
  if (pid == 0) ::_exit(fn());
  return pid;
}

inline int Wait(pid_t pid) {
  int status = 0;
  if (::waitpid(pid, &status, 0) != pid) return -1;
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

// Starts the helper executable (a separate, single-threaded process image) with
// mode and the descriptor `sock` (kept open across exec as descriptor 3).
pid_t SpawnHelper(const std::string& mode, int sock);

}  // namespace door_test

#endif  // OPENSTMF_TESTS_UNIT_DOOR_DOOR_TEST_UTIL_H
