// FileBackend: an sbd LU's blocks in a regular file or a block device, read and
// written through io_uring on the event loop that owns the LU.
//
// LU byte 0 is at data_offset in the file (after the metadata area). Writes with
// kIoFua are durable before they complete (RWF_DSYNC); Flush is fdatasync. Unmap
// punches holes (files) or discards (block devices) with fallocate(2), so thin
// provisioning frees space and GET LBA STATUS reports the holes (SEEK_HOLE).
// Kernel errors map to IoError: EIO and the like -> kMedium, ENOSPC/EDQUOT/EFBIG ->
// kNoSpace, EROFS/EPERM/EACCES -> kReadOnly; short reads past the end of a
// sparse file read as zeros and short writes are continued.
//
// Thread-safety: loop thread only. The descriptor is not owned.
#ifndef OPENSTMF_LU_SBD_FILE_BACKEND_H
#define OPENSTMF_LU_SBD_FILE_BACKEND_H

#include <memory>
#include <vector>

#include "event/io_ring.h"
#include "scsi/block_backend.h"

namespace openstmf::lu {

// The IoError a failed system call or io_uring result (-errno) stands for.
scsi::IoError IoErrorFromErrno(int err);

class FileBackend final : public scsi::BlockBackend {
 public:
  // size: LU bytes. block_device selects discard semantics for Unmap.
  FileBackend(int fd, uint64_t data_offset, uint64_t size, bool block_device, event::IoRing* ring);
  ~FileBackend() override;

  void Read(uint64_t offset, std::span<uint8_t> buf, uint32_t flags, scsi::IoDone done) override;
  void Write(uint64_t offset, std::span<const uint8_t> buf, uint32_t flags,
             scsi::IoDone done) override;
  void Flush(uint64_t offset, uint64_t length, scsi::IoDone done) override;
  void Unmap(std::span<const scsi::ByteRange> ranges, scsi::IoDone done) override;
  void WriteSame(scsi::ByteRange range, std::span<const uint8_t> pattern, uint32_t flags,
                 scsi::IoDone done) override;
  void GetLbaStatus(uint64_t offset, std::span<scsi::Extent> out, size_t* count,
                    scsi::IoDone done) override;

  // Operations started and not completed (for draining on shutdown).
  size_t in_flight() const { return ops_.size() - free_.size(); }

 private:
  class Op;
  friend class Op;
  Op* Acquire();
  void Release(Op* op);
  void Start(Op* op);
  void OnComplete(Op* op, int res);
  void Finish(Op* op, scsi::IoResult result);

  const int fd_;
  const uint64_t data_offset_;
  const uint64_t size_;
  const bool block_device_;
  event::IoRing* const ring_;
  std::vector<std::unique_ptr<Op>> ops_;  // every Op ever made; reused
  std::vector<Op*> free_;
};

}  // namespace openstmf::lu

#endif  // OPENSTMF_LU_SBD_FILE_BACKEND_H
