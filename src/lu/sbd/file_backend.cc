#include "lu/sbd/file_backend.h"

#include <fcntl.h>
#include <linux/falloc.h>
#include <sys/uio.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "base/log.h"

namespace openstmf::lu {

using scsi::IoDone;
using scsi::IoError;
using scsi::IoResult;

IoError IoErrorFromErrno(int err) {
  switch (err) {
    case ENOSPC:
    case EDQUOT:
    case EFBIG:
      return IoError::kNoSpace;
    case EROFS:
    case EPERM:
    case EACCES:
      return IoError::kReadOnly;
    case ENOMEM:
    case EINVAL:
    case EFAULT:
    case EBADF:
      return IoError::kInternal;
    default:
      return IoError::kMedium;  // EIO, ENXIO, ENODEV, ...
  }
}

namespace {

constexpr size_t kWriteSameChunk = 1 << 20;
constexpr int kPunch = FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE;
constexpr int kZero = FALLOC_FL_ZERO_RANGE | FALLOC_FL_KEEP_SIZE;

bool AllZero(std::span<const uint8_t> p) {
  return std::all_of(p.begin(), p.end(), [](uint8_t b) { return b == 0; });
}

}  // namespace

// One request in progress. Multi-step requests (long transfers continued after a
// short read or write, unmap of several ranges, WRITE SAME in chunks, a trailing
// flush) keep their position here between io_uring completions.
class FileBackend::Op final : public event::IoOp {
 public:
  enum class Kind { kRead, kWrite, kFsync, kFallocate, kPatternWrite };

  explicit Op(FileBackend* backend) : backend_(backend) {}
  void Complete(int res) override { backend_->OnComplete(this, res); }

  Kind kind = Kind::kRead;
  IoDone done;
  uint8_t* rbuf = nullptr;
  const uint8_t* wbuf = nullptr;
  uint64_t pos = 0;        // LU offset of the next transfer
  uint64_t remaining = 0;  // bytes still to transfer
  uint64_t moved = 0;      // bytes transferred so far (offset into rbuf/wbuf)
  int rw_flags = 0;
  int falloc_mode = 0;
  bool sync_after = false;  // fdatasync once the data steps are done
  std::vector<scsi::ByteRange> ranges;
  size_t next_range = 0;
  std::vector<uint8_t> pattern;  // WRITE SAME: the pattern repeated to a chunk
  iovec iov{};

 private:
  FileBackend* backend_;
};

FileBackend::FileBackend(int fd, uint64_t data_offset, uint64_t size, bool block_device,
                         event::IoRing* ring)
    : fd_(fd), data_offset_(data_offset), size_(size), block_device_(block_device), ring_(ring) {}

FileBackend::~FileBackend() {
  if (in_flight() != 0) {
    Log(LogLevel::kError, "sbd", "backing store closed with %zu requests in flight", in_flight());
  }
}

FileBackend::Op* FileBackend::Acquire() {
  if (free_.empty()) {
    ops_.push_back(std::make_unique<Op>(this));
    return ops_.back().get();
  }
  Op* op = free_.back();
  free_.pop_back();
  return op;
}

void FileBackend::Release(Op* op) {
  op->ranges.clear();
  op->pattern.clear();
  op->next_range = 0;
  op->moved = 0;
  op->sync_after = false;
  free_.push_back(op);
}

void FileBackend::Finish(Op* op, IoResult result) {
  IoDone done = op->done;
  Release(op);  // before the callback, which may start new requests
  done(result);
}

void FileBackend::Start(Op* op) {
  const uint64_t at = data_offset_ + op->pos;
  switch (op->kind) {
    case Op::Kind::kRead:
      op->iov = {op->rbuf + op->moved, op->remaining};
      ring_->Readv(fd_, &op->iov, 1, at, op);
      return;
    case Op::Kind::kWrite:
      op->iov = {const_cast<uint8_t*>(op->wbuf + op->moved), op->remaining};
      ring_->Writev(fd_, &op->iov, 1, at, op->rw_flags, op);
      return;
    case Op::Kind::kPatternWrite: {
      const uint64_t n = std::min<uint64_t>(op->remaining, op->pattern.size());
      op->iov = {op->pattern.data(), n};
      ring_->Writev(fd_, &op->iov, 1, at, op->rw_flags, op);
      return;
    }
    case Op::Kind::kFallocate: {
      if (op->next_range == op->ranges.size()) {
        if (op->sync_after) {
          op->kind = Op::Kind::kFsync;
          ring_->Fsync(fd_, true, op);
        } else {
          Finish(op, {});
        }
        return;
      }
      const scsi::ByteRange& r = op->ranges[op->next_range];
      op->pos = r.offset;
      ring_->Fallocate(fd_, op->falloc_mode, data_offset_ + r.offset, r.length, op);
      return;
    }
    case Op::Kind::kFsync:
      ring_->Fsync(fd_, true, op);
      return;
  }
}

void FileBackend::OnComplete(Op* op, int res) {
  if (res == -EAGAIN || res == -EINTR) {
    Start(op);
    return;
  }
  if (res < 0) {
    // A file system without hole punching still has to read zeros after UNMAP.
    if (op->kind == Op::Kind::kFallocate && op->falloc_mode == kPunch &&
        (res == -EOPNOTSUPP || res == -EINVAL)) {
      op->falloc_mode = kZero;
      Start(op);
      return;
    }
    Log(LogLevel::kWarn, "sbd", "backing store I/O failed at LU offset %llu: %s",
        static_cast<unsigned long long>(op->pos), std::strerror(-res));
    Finish(op, IoResult{IoErrorFromErrno(-res), true, op->pos});
    return;
  }
  switch (op->kind) {
    case Op::Kind::kRead:
      if (res == 0) {  // past the end of a sparse file: zeros
        std::memset(op->rbuf + op->moved, 0, op->remaining);
        Finish(op, {});
        return;
      }
      [[fallthrough]];
    case Op::Kind::kWrite:
    case Op::Kind::kPatternWrite: {
      if (res == 0) {
        Finish(op, IoResult{IoError::kNoSpace, true, op->pos});
        return;
      }
      const auto n = static_cast<uint64_t>(res);
      op->pos += n;
      op->remaining -= n;
      if (op->kind != Op::Kind::kPatternWrite) op->moved += n;
      if (op->remaining > 0) {
        Start(op);
      } else if (op->sync_after) {
        op->kind = Op::Kind::kFsync;
        Start(op);
      } else {
        Finish(op, {});
      }
      return;
    }
    case Op::Kind::kFallocate:
      ++op->next_range;
      Start(op);
      return;
    case Op::Kind::kFsync:
      Finish(op, {});
      return;
  }
}

void FileBackend::Read(uint64_t offset, std::span<uint8_t> buf, uint32_t /*flags*/, IoDone done) {
  Op* op = Acquire();
  op->kind = Op::Kind::kRead;
  op->done = done;
  op->rbuf = buf.data();
  op->pos = offset;
  op->remaining = buf.size();
  Start(op);
}

void FileBackend::Write(uint64_t offset, std::span<const uint8_t> buf, uint32_t flags,
                        IoDone done) {
  Op* op = Acquire();
  op->kind = Op::Kind::kWrite;
  op->done = done;
  op->wbuf = buf.data();
  op->pos = offset;
  op->remaining = buf.size();
  op->rw_flags = (flags & scsi::kIoFua) != 0 ? RWF_DSYNC : 0;
  Start(op);
}

void FileBackend::Flush(uint64_t /*offset*/, uint64_t /*length*/, IoDone done) {
  // fdatasync covers the whole file; a range flush would not be durable.
  Op* op = Acquire();
  op->kind = Op::Kind::kFsync;
  op->done = done;
  op->pos = 0;
  Start(op);
}

void FileBackend::Unmap(std::span<const scsi::ByteRange> ranges, IoDone done) {
  Op* op = Acquire();
  op->kind = Op::Kind::kFallocate;
  op->done = done;
  op->falloc_mode = kPunch;  // on block devices this discards (and zeroes)
  op->ranges.assign(ranges.begin(), ranges.end());
  Start(op);
}

void FileBackend::WriteSame(scsi::ByteRange range, std::span<const uint8_t> pattern, uint32_t flags,
                            IoDone done) {
  if (pattern.empty()) {
    done(IoResult{IoError::kInternal, false, 0});
    return;
  }
  Op* op = Acquire();
  op->done = done;
  op->sync_after = (flags & scsi::kIoFua) != 0;
  if (AllZero(pattern)) {
    // Zeroing needs no data transfer: allocate zeroed extents.
    op->kind = Op::Kind::kFallocate;
    op->falloc_mode = kZero;
    op->ranges.assign(1, range);
    Start(op);
    return;
  }
  op->kind = Op::Kind::kPatternWrite;
  op->pos = range.offset;
  op->remaining = range.length;
  const size_t chunk =
      std::max<size_t>(pattern.size(), std::min<uint64_t>(range.length, kWriteSameChunk) /
                                           pattern.size() * pattern.size());
  op->pattern.resize(chunk);
  for (size_t i = 0; i < chunk; i += pattern.size()) {
    std::memcpy(op->pattern.data() + i, pattern.data(), pattern.size());
  }
  Start(op);
}

void FileBackend::GetLbaStatus(uint64_t offset, std::span<scsi::Extent> out, size_t* count,
                               IoDone done) {
  *count = 0;
  if (out.empty() || offset >= size_) {
    done({});
    return;
  }
  if (block_device_) {
    out[0] = {offset, size_ - offset, scsi::Provisioning::kMapped};
    *count = 1;
    done({});
    return;
  }
  // lseek(2) SEEK_DATA / SEEK_HOLE walk the file's allocation map; cheap, so done
  // inline on the loop.
  uint64_t pos = offset;
  while (pos < size_ && *count < out.size()) {
    const off_t file_pos = static_cast<off_t>(data_offset_ + pos);
    off_t data = lseek(fd_, file_pos, SEEK_DATA);
    if (data < 0 && errno != ENXIO) {
      done(IoResult{IoErrorFromErrno(errno), true, pos});
      return;
    }
    const uint64_t data_at = data < 0 ? size_ : std::min<uint64_t>(data - data_offset_, size_);
    if (data_at > pos) {
      out[(*count)++] = {pos, data_at - pos, scsi::Provisioning::kDeallocated};
      pos = data_at;
      continue;
    }
    off_t hole = lseek(fd_, file_pos, SEEK_HOLE);
    if (hole < 0) {
      done(IoResult{IoErrorFromErrno(errno), true, pos});
      return;
    }
    const uint64_t hole_at = std::min<uint64_t>(hole - data_offset_, size_);
    out[(*count)++] = {pos, hole_at - pos, scsi::Provisioning::kMapped};
    pos = hole_at;
  }
  done({});
}

}  // namespace openstmf::lu
