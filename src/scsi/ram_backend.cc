#include "scsi/ram_backend.h"

#include <algorithm>
#include <cstring>

namespace openstmf::scsi {

RamBackend::RamBackend(uint32_t block_size, uint64_t blocks)
    : block_size_(block_size), data_(block_size * blocks, 0), mapped_(blocks, false) {}

bool RamBackend::Fault(uint64_t offset, IoDone done) {
  if (fault_count_ <= 0) return false;
  --fault_count_;
  done(IoResult{fault_, true, offset});
  return true;
}

bool RamBackend::InRange(uint64_t offset, uint64_t length) const {
  return offset <= data_.size() && length <= data_.size() - offset;
}

void RamBackend::Map(uint64_t offset, uint64_t length, bool on) {
  uint64_t first = offset / block_size_;
  uint64_t last = (offset + length + block_size_ - 1) / block_size_;
  for (uint64_t b = first; b < last && b < mapped_.size(); ++b) mapped_[b] = on;
}

void RamBackend::Read(uint64_t offset, std::span<uint8_t> buf, uint32_t /*flags*/, IoDone done) {
  if (Fault(offset, done)) return;
  if (!InRange(offset, buf.size())) return done(IoResult{IoError::kInternal});
  std::memcpy(buf.data(), data_.data() + offset, buf.size());
  done(IoResult{});
}

void RamBackend::Write(uint64_t offset, std::span<const uint8_t> buf, uint32_t flags, IoDone done) {
  if (Fault(offset, done)) return;
  if (!InRange(offset, buf.size())) return done(IoResult{IoError::kInternal});
  std::memcpy(data_.data() + offset, buf.data(), buf.size());
  Map(offset, buf.size(), true);
  if (flags & kIoFua) ++fua_writes_;
  done(IoResult{});
}

void RamBackend::Flush(uint64_t offset, uint64_t /*length*/, IoDone done) {
  if (Fault(offset, done)) return;
  ++flushes_;
  done(IoResult{});
}

void RamBackend::Unmap(std::span<const ByteRange> ranges, IoDone done) {
  if (Fault(ranges.empty() ? 0 : ranges[0].offset, done)) return;
  for (const ByteRange& r : ranges) {
    if (!InRange(r.offset, r.length)) return done(IoResult{IoError::kInternal});
  }
  for (const ByteRange& r : ranges) {
    std::memset(data_.data() + r.offset, 0, r.length);
    Map(r.offset, r.length, false);
  }
  done(IoResult{});
}

void RamBackend::WriteSame(ByteRange range, std::span<const uint8_t> pattern, uint32_t flags,
                           IoDone done) {
  if (Fault(range.offset, done)) return;
  if (!InRange(range.offset, range.length) || pattern.size() != block_size_) {
    return done(IoResult{IoError::kInternal});
  }
  for (uint64_t at = 0; at < range.length; at += block_size_) {
    std::memcpy(data_.data() + range.offset + at, pattern.data(), block_size_);
  }
  Map(range.offset, range.length, true);
  if (flags & kIoFua) ++fua_writes_;
  done(IoResult{});
}

void RamBackend::GetLbaStatus(uint64_t offset, std::span<Extent> out, size_t* count, IoDone done) {
  if (Fault(offset, done)) return;
  *count = 0;
  uint64_t b = offset / block_size_;
  while (b < mapped_.size() && *count < out.size()) {
    bool state = mapped_[b];
    uint64_t end = b;
    while (end < mapped_.size() && mapped_[end] == state) ++end;
    out[(*count)++] = Extent{b * block_size_, (end - b) * block_size_,
                             state ? Provisioning::kMapped : Provisioning::kDeallocated};
    b = end;
  }
  done(IoResult{});
}

void RamBackend::Pause(uint32_t microseconds, IoDone done) {
  paused_us_ += microseconds;
  if (!hold_pauses_) return done(IoResult{});
  held_.push_back(done);
}

size_t RamBackend::ReleasePauses() {
  std::vector<IoDone> now;
  now.swap(held_);
  for (IoDone& d : now) d(IoResult{});
  return now.size();
}

}  // namespace openstmf::scsi
