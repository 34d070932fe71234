// READ / WRITE (6, 10, 12, 16) and WRITE ATOMIC(16): the hot path. The
// dispatcher has already checked the range, medium and write protection; these
// only translate to backend calls, with no allocation.
#include "scsi/dispatcher.h"
#include "scsi/handlers.h"
#include "scsi/sense.h"

namespace openstmf::scsi::handlers {
namespace {

uint32_t WriteFlags(Lu& lu, const Cdb& cdb) {
  // SBC-3 5.40: FUA, or a disabled write cache, makes the write durable.
  uint32_t flags = cdb.dpo ? uint32_t{kIoDpo} : 0u;
  if (cdb.fua || !lu.mode_pages().write_cache_enabled()) flags |= kIoFua;
  return flags;
}

void ReadDone(void* arg, IoResult io) {
  auto& cmd = *static_cast<ScsiCommand*>(arg);
  Lu& lu = *cmd.lu;
  if (!io.ok()) return Complete(cmd, ResultForIo(io, lu.config().block_size, false));
  lu.blocks_read += cmd.cdb.blocks;
  CompleteWithData(cmd, cmd.transfer_length);
}

void WriteDone(void* arg, IoResult io) {
  auto& cmd = *static_cast<ScsiCommand*>(arg);
  Lu& lu = *cmd.lu;
  if (!io.ok()) return Complete(cmd, ResultForIo(io, lu.config().block_size, true));
  lu.blocks_written += cmd.cdb.blocks;
  Complete(cmd, Good());
}

}  // namespace

void Read(Lu& lu, ScsiCommand& cmd) {
  if (cmd.cdb.blocks == 0) return Complete(cmd, Good());  // SBC-3 5.11: not an error
  uint64_t offset = cmd.cdb.lba * lu.config().block_size;
  lu.backend()->Read(offset, cmd.data_in.first(cmd.transfer_length),
                     cmd.cdb.dpo ? uint32_t{kIoDpo} : 0u, IoDone{ReadDone, &cmd});
}

void Write(Lu& lu, ScsiCommand& cmd) {
  if (cmd.cdb.blocks == 0) return Complete(cmd, Good());
  uint64_t offset = cmd.cdb.lba * lu.config().block_size;
  lu.backend()->Write(offset, cmd.data_out.first(cmd.transfer_length), WriteFlags(lu, cmd.cdb),
                      IoDone{WriteDone, &cmd});
}

void WriteAtomic(Lu& lu, ScsiCommand& cmd) {
  const LuLimits& lim = lu.config().limits;
  // SBC-4 5.48: only when the Block Limits page advertises atomic writes.
  if (lim.max_atomic_blocks == 0) return Complete(cmd, SenseFor(Asc::kInvalidOpcode));
  const uint8_t* b = cmd.cdb.bytes;
  if (b[10] != 0 || b[11] != 0) return Complete(cmd, InvalidFieldInCdb(10));  // no boundaries
  if (cmd.cdb.blocks > lim.max_atomic_blocks) return Complete(cmd, InvalidFieldInCdb(12));
  if (lim.atomic_alignment > 1 && cmd.cdb.lba % lim.atomic_alignment != 0) {
    return Complete(cmd, InvalidFieldInCdb(2));
  }
  if (lim.atomic_granularity > 1 && cmd.cdb.blocks % lim.atomic_granularity != 0) {
    return Complete(cmd, InvalidFieldInCdb(12));
  }
  // One backend write of an extent the task set keeps others out of.
  Write(lu, cmd);
}

uint32_t WriteFlagsFor(Lu& lu, const Cdb& cdb) { return WriteFlags(lu, cdb); }

}  // namespace openstmf::scsi::handlers
