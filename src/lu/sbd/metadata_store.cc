#include "lu/sbd/metadata_store.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>

#include <cerrno>
#include <vector>

namespace openstmf::lu {
namespace {

Status WriteAll(int fd, const uint8_t* p, size_t n, uint64_t off) {
  while (n > 0) {
    ssize_t w = pwrite(fd, p, n, static_cast<off_t>(off));
    if (w < 0) {
      if (errno == EINTR) continue;
      return Status::FromErrno(errno, "writing LU metadata");
    }
    p += w;
    n -= static_cast<size_t>(w);
    off += static_cast<uint64_t>(w);
  }
  return Status::Ok();
}

Status ReadAt(int fd, uint8_t* p, size_t n, uint64_t off, size_t* got) {
  *got = 0;
  while (*got < n) {
    ssize_t r = pread(fd, p + *got, n - *got, static_cast<off_t>(off + *got));
    if (r < 0) {
      if (errno == EINTR) continue;
      return Status::FromErrno(errno, "reading LU metadata");
    }
    if (r == 0) break;
    *got += static_cast<size_t>(r);
  }
  return Status::Ok();
}

// Reads one slot's record: its first 4 KiB, and the rest only when the header
// says the record is longer (a record is usually a few hundred bytes; a node of
// an ALUA pair reads the slots several times a second). A short read (small or
// new file) leaves the rest zero.
Result<std::vector<uint8_t>> ReadSlot(int fd, int slot) {
  constexpr size_t kFirst = 4096;
  const uint64_t base = static_cast<uint64_t>(slot) * kSlotSize;
  std::vector<uint8_t> buf(kFirst, 0);
  size_t got = 0;
  RETURN_IF_ERROR(ReadAt(fd, buf.data(), kFirst, base, &got));
  if (got < kFirst) return buf;
  const uint64_t payload =
      (uint64_t{buf[12]} << 24) | (uint64_t{buf[13]} << 16) | (uint64_t{buf[14]} << 8) | buf[15];
  const uint64_t need = std::min<uint64_t>(kMetadataHeaderSize + payload, kSlotSize);
  if (need > kFirst) {
    buf.resize(need, 0);
    RETURN_IF_ERROR(ReadAt(fd, buf.data() + kFirst, need - kFirst, base + kFirst, &got));
  }
  return buf;
}

}  // namespace

Status MetadataStore::WriteSlot(int slot, const LuMetadata& md, uint64_t seq, bool flush_all) {
  ASSIGN_OR_RETURN(std::vector<uint8_t> rec, EncodeMetadata(md, seq));
  if (rec.size() > kSlotSize) {
    return Status(Code::kResourceExhausted, "LU metadata record of " + std::to_string(rec.size()) +
                                                " bytes does not fit its slot");
  }
  const uint64_t off = static_cast<uint64_t>(slot) * kSlotSize;
  RETURN_IF_ERROR(WriteAll(fd_, rec.data(), rec.size(), off));
  if (flush_all) {
    if (fdatasync(fd_) != 0) return Status::FromErrno(errno, "flushing LU metadata");
    return Status::Ok();
  }
  // Only the record's own pages (the LU's data may hold much dirty data that a
  // lease renewal must not wait for).
  if (sync_file_range(
          fd_, static_cast<off_t>(off), static_cast<off_t>(rec.size()),
          SYNC_FILE_RANGE_WAIT_BEFORE | SYNC_FILE_RANGE_WRITE | SYNC_FILE_RANGE_WAIT_AFTER) != 0) {
    return Status::FromErrno(errno, "writing back LU metadata");
  }
  return Status::Ok();
}

Result<MetadataStore> MetadataStore::Format(int fd, const LuMetadata& md) {
  MetadataStore store(fd, md, 1, 0);
  // Slot B first: a crash before slot A lands must not leave an older LU's record
  // looking current.
  const uint8_t zeros[kMetadataHeaderSize] = {};
  RETURN_IF_ERROR(WriteAll(fd, zeros, sizeof zeros, kSlotSize));
  RETURN_IF_ERROR(store.WriteSlot(0, md, 1));
  return store;
}

Result<MetadataStore> MetadataStore::Open(int fd) {
  Result<DecodedMetadata> slots[2] = {Status(Code::kCorrupt, ""), Status(Code::kCorrupt, "")};
  for (int s = 0; s < 2; ++s) {
    ASSIGN_OR_RETURN(std::vector<uint8_t> bytes, ReadSlot(fd, s));
    slots[s] = DecodeMetadata(bytes);
  }
  const bool a = slots[0].ok();
  const bool b = slots[1].ok();
  if (!a && !b) {
    return Status(Code::kCorrupt, "no valid LU metadata (slot A: " + slots[0].status().message() +
                                      "; slot B: " + slots[1].status().message() + ")");
  }
  const int pick = (a && b) ? (slots[1].value().seq > slots[0].value().seq ? 1 : 0) : (a ? 0 : 1);
  DecodedMetadata& d = slots[pick].value();
  return MetadataStore(fd, std::move(d.metadata), d.seq, pick);
}

Status MetadataStore::Update(const LuMetadata& md, bool flush_all) {
  const int target = 1 - slot_;
  RETURN_IF_ERROR(WriteSlot(target, md, seq_ + 1, flush_all));
  md_ = md;
  ++seq_;
  slot_ = target;
  return Status::Ok();
}

}  // namespace openstmf::lu
