#include "door/fd_registry.h"

#include <unistd.h>

#include <atomic>
#include <cstddef>
#include <cstdint>

namespace openstmf::door {
namespace {

// Linux caps descriptor numbers at fs.nr_open, 1 << 20 by default.
constexpr size_t kMaxFd = size_t{1} << 20;
constexpr size_t kWords = kMaxFd / 64;

std::atomic<uint64_t>* Bits() {
  // Never freed: descriptors may be closed by threads still running at exit.
  static auto* bits = new std::atomic<uint64_t>[kWords]();
  return bits;
}

}  // namespace

int Track(int fd) {
  if (fd >= 0 && static_cast<size_t>(fd) < kMaxFd) {
    Bits()[fd / 64].fetch_or(uint64_t{1} << (fd % 64), std::memory_order_relaxed);
  }
  return fd;
}

void CloseTracked(int fd) {
  if (fd < 0) return;
  if (static_cast<size_t>(fd) < kMaxFd) {
    // Unmark first: a set bit then always means "open and ours".
    Bits()[fd / 64].fetch_and(~(uint64_t{1} << (fd % 64)), std::memory_order_relaxed);
  }
  ::close(fd);
}

void CloseAllTrackedInChild() {
  std::atomic<uint64_t>* bits = Bits();
  for (size_t w = 0; w < kWords; ++w) {
    uint64_t v = bits[w].exchange(0, std::memory_order_relaxed);
    while (v != 0) {
      const int b = __builtin_ctzll(v);
      v &= v - 1;
      ::close(static_cast<int>(w * 64 + static_cast<size_t>(b)));
    }
  }
}

std::shared_mutex& ForkGate() {
  static auto* gate = new std::shared_mutex;
  return *gate;
}

}  // namespace openstmf::door
