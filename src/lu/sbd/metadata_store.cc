#include "lu/sbd/metadata_store.h"

#include <unistd.h>

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

// Reads up to one slot; a short read (small or new file) leaves the rest zero.
Result<std::vector<uint8_t>> ReadSlot(int fd, int slot) {
  std::vector<uint8_t> buf(kSlotSize, 0);
  size_t got = 0;
  while (got < buf.size()) {
    ssize_t r =
        pread(fd, buf.data() + got, buf.size() - got, static_cast<off_t>(slot * kSlotSize + got));
    if (r < 0) {
      if (errno == EINTR) continue;
      return Status::FromErrno(errno, "reading LU metadata");
    }
    if (r == 0) break;
    got += static_cast<size_t>(r);
  }
  return buf;
}

}  // namespace

Status MetadataStore::WriteSlot(int slot, const LuMetadata& md, uint64_t seq) {
  ASSIGN_OR_RETURN(std::vector<uint8_t> rec, EncodeMetadata(md, seq));
  if (rec.size() > kSlotSize) {
    return Status(Code::kResourceExhausted, "LU metadata record of " + std::to_string(rec.size()) +
                                                " bytes does not fit its slot");
  }
  RETURN_IF_ERROR(WriteAll(fd_, rec.data(), rec.size(), static_cast<uint64_t>(slot) * kSlotSize));
  if (fdatasync(fd_) != 0) return Status::FromErrno(errno, "flushing LU metadata");
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

Status MetadataStore::Update(const LuMetadata& md) {
  const int target = 1 - slot_;
  RETURN_IF_ERROR(WriteSlot(target, md, seq_ + 1));
  md_ = md;
  ++seq_;
  slot_ = target;
  return Status::Ok();
}

}  // namespace openstmf::lu
