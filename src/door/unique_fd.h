// UniqueFd: sole owner of a file descriptor, closed on destruction.
//
// Thread-safety: a value; not shared between threads without external locking.
#ifndef OPENSTMF_DOOR_UNIQUE_FD_H
#define OPENSTMF_DOOR_UNIQUE_FD_H

#include <unistd.h>

#include <utility>

namespace openstmf::door {

class UniqueFd {
 public:
  UniqueFd() = default;
  explicit UniqueFd(int fd) : fd_(fd) {}
  UniqueFd(UniqueFd&& o) noexcept : fd_(std::exchange(o.fd_, -1)) {}
  UniqueFd& operator=(UniqueFd&& o) noexcept {
    if (this != &o) Reset(std::exchange(o.fd_, -1));
    return *this;
  }
  UniqueFd(const UniqueFd&) = delete;
  UniqueFd& operator=(const UniqueFd&) = delete;
  ~UniqueFd() { Reset(); }

  int get() const { return fd_; }
  bool valid() const { return fd_ >= 0; }
  // Gives up ownership without closing.
  int Release() { return std::exchange(fd_, -1); }
  void Reset(int fd = -1) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = fd;
  }

 private:
  int fd_ = -1;
};

}  // namespace openstmf::door

#endif  // OPENSTMF_DOOR_UNIQUE_FD_H
