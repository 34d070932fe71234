// A BlockBackend in memory: the RAM LU kind of the sbd provider, and the store
// the unit tests and the fuzzer run against.
//
// Completions run synchronously inside each call. Deallocated blocks read as
// zeros and are tracked per block so GET LBA STATUS reports real extents. Faults
// can be injected (InjectFault) so tests see MEDIUM ERROR and out-of-space paths.
//
// Pause() completes at once unless HoldPauses(true): then pauses queue until
// ReleasePauses(), so tests can look at background work while it runs.
//
// Thread-safety: none (one loop owns it).
#ifndef OPENSTMF_SCSI_RAM_BACKEND_H
#define OPENSTMF_SCSI_RAM_BACKEND_H

#include <cstdint>
#include <vector>

#include "scsi/block_backend.h"

namespace openstmf::scsi {

class RamBackend final : public BlockBackend {
 public:
  // A store of `blocks` blocks of `block_size` bytes, all deallocated (zeros).
  RamBackend(uint32_t block_size, uint64_t blocks);

  void Read(uint64_t offset, std::span<uint8_t> buf, uint32_t flags, IoDone done) override;
  void Write(uint64_t offset, std::span<const uint8_t> buf, uint32_t flags, IoDone done) override;
  void Flush(uint64_t offset, uint64_t length, IoDone done) override;
  void Unmap(std::span<const ByteRange> ranges, IoDone done) override;
  void WriteSame(ByteRange range, std::span<const uint8_t> pattern, uint32_t flags,
                 IoDone done) override;
  void GetLbaStatus(uint64_t offset, std::span<Extent> out, size_t* count, IoDone done) override;
  void Pause(uint32_t microseconds, IoDone done) override;

  void HoldPauses(bool hold) { hold_pauses_ = hold; }
  // Completes the pauses queued so far (not those they queue in turn); returns
  // how many there were.
  size_t ReleasePauses();
  size_t held_pauses() const { return held_.size(); }
  uint64_t paused_microseconds() const { return paused_us_; }

  // The next `count` operations fail with `error` (offset reported when known).
  void InjectFault(IoError error, int count = 1) {
    fault_ = error;
    fault_count_ = count;
  }
  uint64_t flushes() const { return flushes_; }
  uint64_t fua_writes() const { return fua_writes_; }
  const std::vector<uint8_t>& bytes() const { return data_; }
  bool mapped(uint64_t lba) const { return mapped_[lba]; }

 private:
  bool Fault(uint64_t offset, IoDone done);
  bool InRange(uint64_t offset, uint64_t length) const;
  void Map(uint64_t offset, uint64_t length, bool on);

  uint32_t block_size_;
  std::vector<uint8_t> data_;
  std::vector<bool> mapped_;
  IoError fault_ = IoError::kOk;
  int fault_count_ = 0;
  uint64_t flushes_ = 0;
  uint64_t fua_writes_ = 0;
  bool hold_pauses_ = false;
  std::vector<IoDone> held_;
  uint64_t paused_us_ = 0;
};

}  // namespace openstmf::scsi

#endif  // OPENSTMF_SCSI_RAM_BACKEND_H
