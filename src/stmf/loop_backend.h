// LoopBackend: the one BlockBackend a shared scsi::Lu sees, forwarding each call
// to the backend that belongs to the calling thread's event loop.
//
// Why: a LU is reached by connections on every loop, and a file LU's I/O goes
// through io_uring on the loop that issued it (one FileBackend per (LU, loop), each
// on that loop's IoRing), so data never crosses threads. The SCSI handlers run
// under the LU's lock (logical_unit.h) and continue in the backend's completion;
// LoopBackend therefore re-takes the LU lock around every completion, so handler
// continuations see the LU state as consistently as the first step did. The lock
// is recursive because a store may complete inside the call that started it.
//
// A LU with a single thread-safe store (a RAM LU, completing synchronously under
// the lock) uses one backend for every loop.
//
// Thread-safety: each per-loop backend and its completion pool is touched only by
// its loop's thread; the loop table is fixed at construction.
#ifndef OPENSTMF_STMF_LOOP_BACKEND_H
#define OPENSTMF_STMF_LOOP_BACKEND_H

#include <memory>
#include <mutex>
#include <vector>

#include "event/event_loop.h"
#include "scsi/block_backend.h"

namespace openstmf::stmf {

class LoopBackend final : public scsi::BlockBackend {
 public:
  struct PerLoop {
    event::EventLoop* loop = nullptr;  // nullptr: any thread (shared store)
    std::unique_ptr<scsi::BlockBackend> backend;
  };

  LoopBackend(std::recursive_mutex* lu_mutex, std::vector<PerLoop> backends);
  ~LoopBackend() override;

  void Read(uint64_t offset, std::span<uint8_t> buf, uint32_t flags, scsi::IoDone done) override;
  void Write(uint64_t offset, std::span<const uint8_t> buf, uint32_t flags,
             scsi::IoDone done) override;
  void Flush(uint64_t offset, uint64_t length, scsi::IoDone done) override;
  void Unmap(std::span<const scsi::ByteRange> ranges, scsi::IoDone done) override;
  void WriteSame(scsi::ByteRange range, std::span<const uint8_t> pattern, uint32_t flags,
                 scsi::IoDone done) override;
  void GetLbaStatus(uint64_t offset, std::span<scsi::Extent> out, size_t* count,
                    scsi::IoDone done) override;
  void Pause(uint32_t microseconds, scsi::IoDone done) override;

 private:
  struct Hop;
  struct Slot {
    PerLoop target;
    std::vector<std::unique_ptr<Hop>> hops;  // every Hop made; reused
    std::vector<Hop*> free;
  };
  Slot* Current();
  // The completion to hand to the slot's backend: re-locks, then calls done.
  scsi::IoDone Wrap(Slot* slot, scsi::IoDone done);
  static void OnDone(void* arg, scsi::IoResult result);

  std::recursive_mutex* mu_;
  std::vector<Slot> slots_;
};

}  // namespace openstmf::stmf

#endif  // OPENSTMF_STMF_LOOP_BACKEND_H
