// Arena: a shared-memory buffer for arguments and results too large to travel
// inline in one record.
//
// The client creates an arena (a memfd sealed with F_SEAL_SHRINK so neither side can
// be hit by SIGBUS through truncation), maps it, and sends its descriptor once with a
// call; both ends keep it mapped and reuse it for later calls on the same connection.
// The server adopts a received arena only after checking its seals and size. Each
// connection has at most one call in flight, so the two ends never touch an arena at
// the same time. Move-only; not thread-safe (owned by one connection).
#ifndef OPENSTMF_DOOR_ARENA_H
#define OPENSTMF_DOOR_ARENA_H

#include <cstddef>

#include "base/status.h"

namespace openstmf::door {

class Arena {
 public:
  Arena() = default;
  Arena(Arena&& o) noexcept;
  Arena& operator=(Arena&& o) noexcept;
  Arena(const Arena&) = delete;
  Arena& operator=(const Arena&) = delete;
  ~Arena() { Reset(); }

  // A new arena of at least min_size bytes (rounded up to whole pages).
  static Result<Arena> Create(size_t min_size);
  // Takes ownership of fd (always, also on error) and maps it. EINVAL unless the
  // memfd is sealed against shrinking and holds at least need bytes.
  static Result<Arena> Adopt(int fd, size_t need);

  // Unmaps and closes.
  void Reset();
  // Unmaps and forgets the descriptor (already closed by fd_registry in a child).
  void ForgetInChild();

  bool valid() const { return base_ != nullptr; }
  int fd() const { return fd_; }
  char* data() const { return base_; }
  size_t size() const { return size_; }

 private:
  int fd_ = -1;
  char* base_ = nullptr;
  size_t size_ = 0;
};

// A sealed memfd (shrink, grow, write and further seals) holding `size` bytes of
// data followed by `tail` zero bytes; the caller owns the descriptor.
Result<int> MakeSealedMemfd(const void* data, size_t size, size_t tail);

}  // namespace openstmf::door

#endif  // OPENSTMF_DOOR_ARENA_H
