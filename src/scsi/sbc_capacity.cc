// READ CAPACITY (10) / (16) (SBC-3 5.15, 5.16) and GET LBA STATUS (SBC-3 5.8).
#include <algorithm>
#include <cstring>

#include "base/byte_order.h"
#include "scsi/dispatcher.h"
#include "scsi/handlers.h"
#include "scsi/sense.h"

namespace openstmf::scsi::handlers {
namespace {

constexpr size_t kMaxLbaStatusDescriptors = 64;

void PutDescriptor(uint8_t* d, uint64_t lba, uint64_t blocks, Provisioning status) {
  PutBe64(d, lba);
  PutBe32(d + 8, static_cast<uint32_t>(std::min<uint64_t>(blocks, 0xFFFFFFFFu)));
  d[12] = static_cast<uint8_t>(status);
}

void LbaStatusDone(void* arg, IoResult io) {
  auto& cmd = *static_cast<ScsiCommand*>(arg);
  Lu& lu = *cmd.lu;
  if (!io.ok()) return Complete(cmd, ResultForIo(io, lu.config().block_size, false));
  uint64_t bs = lu.config().block_size;
  size_t n = std::min(cmd.count, cmd.extents.size());
  std::vector<uint8_t>& d = cmd.scratch;
  d.assign(8 + 16 * n, 0);
  // SBC-3 5.8.2: the first descriptor starts at the STARTING LOGICAL BLOCK
  // ADDRESS and descriptors follow each other. Stores report byte extents
  // (a file's holes follow its file system blocks), so they are cut to whole
  // blocks here, clamped to what was asked, and runs of one status merged.
  uint64_t next = cmd.cdb.lba;
  size_t used = 0;
  for (size_t i = 0; i < n; ++i) {
    const Extent& e = cmd.extents[i];
    // A block only partly deallocated still holds data: mapped extents grow to
    // whole blocks, the others shrink to them.
    bool mapped = e.status == Provisioning::kMapped;
    uint64_t first = mapped ? e.offset / bs : (e.offset + bs - 1) / bs;
    uint64_t last = mapped ? (e.offset + e.length + bs - 1) / bs : (e.offset + e.length) / bs;
    uint64_t end = std::min<uint64_t>(last, lu.config().block_count);
    uint64_t start = std::max<uint64_t>(first, next);
    if (end <= start) continue;
    if (used > 0 && d[8 + 16 * (used - 1) + 12] == static_cast<uint8_t>(e.status)) {
      uint8_t* prev = &d[8 + 16 * (used - 1)];
      PutDescriptor(prev, GetBe64(prev), end - GetBe64(prev), e.status);
    } else {
      PutDescriptor(&d[8 + 16 * used], start, end - start, e.status);
      ++used;
    }
    next = end;
  }
  d.resize(8 + 16 * used);
  PutBe32(&d[0], static_cast<uint32_t>(d.size() - 4));  // PARAMETER DATA LENGTH
  CopyToDataIn(cmd, d.data(), d.size());
  CompleteWithData(cmd, d.size());
}

}  // namespace

void ReadCapacity10(Lu& lu, ScsiCommand& cmd) {
  const uint8_t* b = cmd.cdb.bytes;
  // SBC-3 5.15: with PMI zero the LOGICAL BLOCK ADDRESS must be zero.
  if (!(b[8] & 0x01) && GetBe32(b + 2) != 0) return Complete(cmd, InvalidFieldInCdb(2));
  uint8_t d[8];
  uint64_t last = lu.config().block_count == 0 ? 0 : lu.config().block_count - 1;
  PutBe32(d, static_cast<uint32_t>(std::min<uint64_t>(last, 0xFFFFFFFFu)));
  PutBe32(d + 4, lu.config().block_size);
  CopyToDataIn(cmd, d, sizeof(d));
  CompleteWithData(cmd, sizeof(d));
}

void ReadCapacity16(Lu& lu, ScsiCommand& cmd) {
  const LuConfig& c = lu.config();
  uint8_t d[32] = {};
  PutBe64(d, c.block_count == 0 ? 0 : c.block_count - 1);
  PutBe32(d + 8, c.block_size);
  d[13] = c.physical_block_exponent & 0x0F;
  // LBPME and LBPRZ: thin LUs unmap and read unmapped blocks as zeros.
  if (c.thin_provisioned) d[14] = 0x80 | 0x40;
  CopyToDataIn(cmd, d, sizeof(d));
  CompleteWithData(cmd, sizeof(d));
}

void GetLbaStatus(Lu& lu, ScsiCommand& cmd) {
  const LuConfig& c = lu.config();
  if (cmd.cdb.lba >= c.block_count) return Complete(cmd, SenseFor(Asc::kLbaOutOfRange));
  size_t room = cmd.transfer_length > 8 ? (cmd.transfer_length - 8) / 16 : 0;
  size_t want = std::clamp<size_t>(room, 1, kMaxLbaStatusDescriptors);
  if (!c.thin_provisioned) {
    // Fully provisioned: one mapped extent to the end of the medium.
    uint8_t d[24] = {};
    PutBe32(d, 20);
    PutDescriptor(d + 8, cmd.cdb.lba, c.block_count - cmd.cdb.lba, Provisioning::kMapped);
    CopyToDataIn(cmd, d, sizeof(d));
    return CompleteWithData(cmd, sizeof(d));
  }
  cmd.extents.assign(want, Extent{});
  cmd.count = 0;
  lu.backend()->GetLbaStatus(cmd.cdb.lba * c.block_size, cmd.extents, &cmd.count,
                             IoDone{LbaStatusDone, &cmd});
}

}  // namespace openstmf::scsi::handlers
