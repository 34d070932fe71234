// MetadataStore: the LU's metadata record kept twice at the start of its backing
// store, so an interrupted update never loses it.
//
// Layout of the first kMetadataAreaSize bytes of a backing store:
//   slot A at 0, slot B at kSlotSize, each holding one LuMetadata record
//   (lu_metadata.h); the rest is reserved. LU data starts at data_offset
//   (kMetadataAreaSize for LUs created by openstmf).
// An update writes the slot not holding the current record, with the next sequence
// number, and flushes it (fdatasync) before returning, so after a crash at any point
// the newest complete record wins and the previous one is still intact.
//
// Thread-safety: none; one owner per backing store. The descriptor is not owned.
#ifndef OPENSTMF_LU_SBD_METADATA_STORE_H
#define OPENSTMF_LU_SBD_METADATA_STORE_H

#include <cstdint>

#include "base/status.h"
#include "lu/sbd/lu_metadata.h"

namespace openstmf::lu {

constexpr uint64_t kSlotSize = 256 * 1024;
constexpr uint64_t kMetadataAreaSize = 1024 * 1024;

class MetadataStore {
 public:
  // Writes md as the first record (slot A, sequence 1) and invalidates slot B.
  static Result<MetadataStore> Format(int fd, const LuMetadata& md);
  // Reads both slots and keeps the valid record with the higher sequence number.
  // kCorrupt naming each slot's problem when neither is valid.
  static Result<MetadataStore> Open(int fd);

  const LuMetadata& metadata() const { return md_; }
  uint64_t seq() const { return seq_; }

  // Makes md the current record (durable when this returns OK: fdatasync).
  // With !flush_all only the record's own pages are written back
  // (sync_file_range) — for the ownership lease, renewed several times a second,
  // which must reach the shared store without waiting for the LU's dirty data.
  Status Update(const LuMetadata& md, bool flush_all = true);

 private:
  MetadataStore(int fd, LuMetadata md, uint64_t seq, int slot)
      : fd_(fd), md_(std::move(md)), seq_(seq), slot_(slot) {}
  Status WriteSlot(int slot, const LuMetadata& md, uint64_t seq, bool flush_all = true);

  int fd_;
  LuMetadata md_;
  uint64_t seq_;
  int slot_;  // slot holding md_ (0 = A, 1 = B)
};

}  // namespace openstmf::lu

#endif  // OPENSTMF_LU_SBD_METADATA_STORE_H
