// Cache and provisioning commands: SYNCHRONIZE CACHE (SBC-3 5.22, 5.23),
// PRE-FETCH (5.13, 5.14), WRITE SAME (5.44, 5.45) and UNMAP (5.28).
#include <algorithm>

#include "base/byte_order.h"
#include "scsi/dispatcher.h"
#include "scsi/handlers.h"
#include "scsi/sense.h"

namespace openstmf::scsi::handlers {
namespace {

void Done(void* arg, IoResult io) {
  auto& cmd = *static_cast<ScsiCommand*>(arg);
  if (!io.ok()) return Complete(cmd, ResultForIo(io, cmd.lu->config().block_size, true));
  Complete(cmd, Good());
}

void FlushedInBackground(void* /*arg*/, IoResult /*io*/) {}

}  // namespace

void SynchronizeCache(Lu& lu, ScsiCommand& cmd) {
  uint64_t bs = lu.config().block_size;
  // NUMBER OF LOGICAL BLOCKS zero: from LBA to the end of the medium.
  uint64_t blocks = cmd.cdb.blocks ? cmd.cdb.blocks : lu.config().block_count - cmd.cdb.lba;
  if (cmd.cdb.bytes[1] & 0x02) {
    // SBC-3 5.22: with IMMED the status goes back once the CDB is validated;
    // the flush runs on without the command.
    lu.backend()->Flush(cmd.cdb.lba * bs, blocks * bs, IoDone{FlushedInBackground, nullptr});
    return Complete(cmd, Good());
  }
  lu.backend()->Flush(cmd.cdb.lba * bs, blocks * bs, IoDone{Done, &cmd});
}

void PreFetch(Lu& /*lu*/, ScsiCommand& cmd) {
  // The store has no separate cache to load; GOOD (not CONDITION MET) says the
  // range is valid and nothing more.
  Complete(cmd, Good());
}

void WriteSame(Lu& lu, ScsiCommand& cmd) {
  const uint8_t* b = cmd.cdb.bytes;
  const LuConfig& c = lu.config();
  bool is16 = b[0] == 0x93;
  bool unmap = (b[1] & 0x08) != 0;
  bool ndob = is16 && (b[1] & 0x01) != 0;
  int len_byte = is16 ? 10 : 7;
  // SBC-3 6.5.4 Logical Block Provisioning page: LBPWS/LBPWS10 only when thin;
  // anchoring is not supported (ANC_SUP 0).
  if (b[1] & 0x10) return Complete(cmd, InvalidFieldInCdb(1, 4));
  if (unmap && !c.thin_provisioned) return Complete(cmd, InvalidFieldInCdb(1, 3));
  // SBC-3 5.45: WSNZ is 0 in the Block Limits page, so zero blocks means every
  // LBA from the LBA field to the last one; still bounded by MAXIMUM WRITE SAME
  // LENGTH.
  uint64_t blocks = cmd.cdb.blocks;
  if (blocks == 0) {
    if (cmd.cdb.lba >= c.block_count) return Complete(cmd, SenseFor(Asc::kLbaOutOfRange));
    blocks = c.block_count - cmd.cdb.lba;
  }
  if (blocks > c.limits.max_write_same_blocks) return Complete(cmd, InvalidFieldInCdb(len_byte));
  ByteRange range{cmd.cdb.lba * c.block_size, blocks * c.block_size};
  std::span<const uint8_t> pattern;
  if (ndob) {
    cmd.scratch.assign(c.block_size, 0);
    pattern = cmd.scratch;
  } else {
    pattern = cmd.data_out.first(c.block_size);
  }
  // SBC-3 5.45: UNMAP=1 asks for the LBAs to be unmapped (4.7.3.4), so a thin
  // LU deallocates them whatever the data-out block holds, and they then read
  // as zeros (LBPRZ). libiscsi WriteSame10.UnmapUntilEnd expects this.
  if (unmap) {
    cmd.ranges.assign(1, range);
    lu.backend()->Unmap(cmd.ranges, IoDone{Done, &cmd});
    return;
  }
  lu.blocks_written += blocks;
  lu.backend()->WriteSame(range, pattern, WriteFlagsFor(lu, cmd.cdb), IoDone{Done, &cmd});
}

void Unmap(Lu& lu, ScsiCommand& cmd) {
  const LuConfig& c = lu.config();
  if (!c.thin_provisioned) return Complete(cmd, SenseFor(Asc::kInvalidOpcode));
  if (cmd.cdb.bytes[1] & 0x01) return Complete(cmd, InvalidFieldInCdb(1, 0));  // ANCHOR
  std::span<const uint8_t> p = cmd.data_out.first(cmd.transfer_length);
  if (p.empty()) return Complete(cmd, Good());
  // SBC-3 5.28: a parameter list shorter than its header is a length error.
  if (p.size() < 8) return Complete(cmd, ParameterListLengthError(7));
  size_t desc_len = std::min<size_t>(GetBe16(&p[2]), p.size() - 8);
  size_t n = desc_len / 16;
  if (n > c.limits.max_unmap_descriptors) return Complete(cmd, InvalidFieldInParameterList(2));
  cmd.ranges.clear();
  uint64_t total = 0;
  for (size_t i = 0; i < n; ++i) {
    const uint8_t* d = &p[8 + 16 * i];
    uint64_t lba = GetBe64(d);
    uint32_t blocks = GetBe32(d + 8);
    if (lba > c.block_count || blocks > c.block_count - lba) {
      return Complete(cmd, SenseFor(Asc::kLbaOutOfRange));
    }
    total += blocks;
    if (total > c.limits.max_unmap_blocks) {
      return Complete(cmd, InvalidFieldInParameterList(static_cast<uint16_t>(8 + 16 * i + 8)));
    }
    if (blocks != 0) cmd.ranges.push_back({lba * c.block_size, uint64_t{blocks} * c.block_size});
  }
  if (cmd.ranges.empty()) return Complete(cmd, Good());
  lu.backend()->Unmap(cmd.ranges, IoDone{Done, &cmd});
}

}  // namespace openstmf::scsi::handlers
