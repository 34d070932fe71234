#include "door/arena.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <utility>

#include "door/fd_registry.h"
#include "door/wire.h"

namespace openstmf::door {
namespace {

size_t PageRound(size_t n) {
  const auto page = static_cast<size_t>(::sysconf(_SC_PAGESIZE));
  return (n + page - 1) / page * page;
}

}  // namespace

Arena::Arena(Arena&& o) noexcept
    : fd_(std::exchange(o.fd_, -1)),
      base_(std::exchange(o.base_, nullptr)),
      size_(std::exchange(o.size_, 0)) {}

Arena& Arena::operator=(Arena&& o) noexcept {
  if (this != &o) {
    Reset();
    fd_ = std::exchange(o.fd_, -1);
    base_ = std::exchange(o.base_, nullptr);
    size_ = std::exchange(o.size_, 0);
  }
  return *this;
}

void Arena::Reset() {
  if (base_ != nullptr) ::munmap(base_, size_);
  CloseTracked(fd_);
  fd_ = -1;
  base_ = nullptr;
  size_ = 0;
}

void Arena::ForgetInChild() {
  if (base_ != nullptr) ::munmap(base_, size_);
  fd_ = -1;
  base_ = nullptr;
  size_ = 0;
}

Result<Arena> Arena::Create(size_t min_size) {
  if (min_size == 0 || min_size > kMaxShared) {
    return Status(Code::kInvalidArgument, "arena size", E2BIG);
  }
  const size_t size = PageRound(min_size);
  int fd = ::memfd_create("libdoor-arena", MFD_CLOEXEC | MFD_ALLOW_SEALING);
  if (fd < 0) return Status::FromErrno(errno, "memfd_create");
  Arena a;
  a.fd_ = Track(fd);
  if (::ftruncate(fd, static_cast<off_t>(size)) != 0 ||
      ::fcntl(fd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_SEAL) != 0) {
    return Status::FromErrno(errno, "arena setup");
  }
  void* p = ::mmap(nullptr, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
  if (p == MAP_FAILED) return Status::FromErrno(errno, "mmap arena");
  a.base_ = static_cast<char*>(p);
  a.size_ = size;
  return a;
}

Result<Arena> Arena::Adopt(int fd, size_t need) {
  Arena a;
  a.fd_ = Track(fd);
  const int seals = ::fcntl(fd, F_GET_SEALS);
  if (seals < 0 || (seals & F_SEAL_SHRINK) == 0) {
    return Status(Code::kInvalidArgument, "arena is not a memfd sealed against shrinking", EINVAL);
  }
  struct stat st {};
  if (::fstat(fd, &st) != 0) return Status::FromErrno(errno, "fstat arena");
  const auto size = static_cast<uint64_t>(st.st_size);
  if (st.st_size <= 0 || size < need || size > kMaxShared) {
    return Status(Code::kInvalidArgument, "arena size out of range", EINVAL);
  }
  void* p = ::mmap(nullptr, static_cast<size_t>(size), PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
  if (p == MAP_FAILED) return Status::FromErrno(errno, "mmap arena");
  a.base_ = static_cast<char*>(p);
  a.size_ = static_cast<size_t>(size);
  return a;
}

Result<int> MakeSealedMemfd(const void* data, size_t size, size_t tail) {
  int fd = ::memfd_create("libdoor-result", MFD_CLOEXEC | MFD_ALLOW_SEALING);
  if (fd < 0) return Status::FromErrno(errno, "memfd_create");
  auto fail = [fd](int err, const char* what) {
    ::close(fd);
    return Status::FromErrno(err, what);
  };
  if (::ftruncate(fd, static_cast<off_t>(size + tail)) != 0) return fail(errno, "ftruncate");
  const char* p = static_cast<const char*>(data);
  size_t done = 0;
  while (done < size) {
    ssize_t n = ::pwrite(fd, p + done, size - done, static_cast<off_t>(done));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return fail(n < 0 ? errno : EIO, "write result memfd");
    done += static_cast<size_t>(n);
  }
  if (::fcntl(fd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE | F_SEAL_SEAL) != 0) {
    return fail(errno, "seal result memfd");
  }
  return fd;
}

}  // namespace openstmf::door
