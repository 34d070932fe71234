// Commands that read before or after writing: VERIFY (SBC-3 5.33-5.35), WRITE AND
// VERIFY (5.41-5.43), ORWRITE (5.9) and COMPARE AND WRITE (5.2). They stage data
// in cmd.scratch; none is on the hot path. COMPARE AND WRITE is atomic because
// the task set runs it alone against overlapping writes (SerialClass::kWrite).
#include <algorithm>
#include <cstring>

#include "scsi/dispatcher.h"
#include "scsi/handlers.h"
#include "scsi/sense.h"

namespace openstmf::scsi::handlers {
namespace {

enum Stage { kCompare = 1, kWriteThenCompare, kOrRead, kCawRead, kMediumVerify, kFinish };

// BYTCHK=0 verification reads the medium this many bytes at a time.
constexpr size_t kVerifyChunk = 1u << 20;

uint64_t Offset(const Lu& lu, const ScsiCommand& cmd) {
  return cmd.cdb.lba * lu.config().block_size;
}

// Offset of the first byte where `got` differs from `want` repeated (`want` is
// one block when `per_block`), or -1.
int64_t FirstMismatch(const std::vector<uint8_t>& got, std::span<const uint8_t> want,
                      size_t block) {
  bool per_block = want.size() == block && got.size() > block;
  for (size_t at = 0; at < got.size(); at += per_block ? block : got.size()) {
    std::span<const uint8_t> expect = per_block ? want : want.first(got.size());
    size_t n = per_block ? block : got.size();
    if (std::memcmp(got.data() + at, expect.data(), n) == 0) continue;
    for (size_t i = 0; i < n; ++i) {
      if (got[at + i] != expect[i]) return static_cast<int64_t>(at + i);
    }
  }
  return -1;
}

void Step(void* arg, IoResult io);

void ReadScratch(Lu& lu, ScsiCommand& cmd, int next) {
  cmd.stage = next;
  cmd.scratch.assign(static_cast<size_t>(cmd.cdb.blocks) * lu.config().block_size, 0);
  lu.backend()->Read(Offset(lu, cmd), cmd.scratch, 0, IoDone{Step, &cmd});
}

// Reads the next piece of a BYTCHK=0 VERIFY; cmd.count is the bytes done.
void VerifyMedium(Lu& lu, ScsiCommand& cmd) {
  size_t len = static_cast<size_t>(cmd.cdb.blocks) * lu.config().block_size;
  if (cmd.count >= len) return Complete(cmd, Good());
  size_t n = std::min(len - cmd.count, kVerifyChunk);
  cmd.scratch.resize(n);
  uint64_t at = Offset(lu, cmd) + cmd.count;
  cmd.count += n;
  lu.backend()->Read(at, cmd.scratch, 0, IoDone{Step, &cmd});
}

void Step(void* arg, IoResult io) {
  auto& cmd = *static_cast<ScsiCommand*>(arg);
  Lu& lu = *cmd.lu;
  size_t bs = lu.config().block_size;
  size_t len = static_cast<size_t>(cmd.cdb.blocks) * bs;
  bool writing = cmd.stage == kWriteThenCompare || cmd.stage == kFinish;
  if (!io.ok()) return Complete(cmd, ResultForIo(io, lu.config().block_size, writing));
  switch (cmd.stage) {
    case kCompare: {
      // SBC-3 5.33: MISCOMPARE, INFORMATION = offset of the first bad byte.
      int64_t bad = FirstMismatch(cmd.scratch, cmd.data_out.first(cmd.transfer_length), bs);
      if (bad >= 0) return Complete(cmd, Miscompare(static_cast<uint64_t>(bad)));
      return Complete(cmd, Good());
    }
    case kMediumVerify:
      return VerifyMedium(lu, cmd);
    case kWriteThenCompare:
      lu.blocks_written += cmd.cdb.blocks;
      return ReadScratch(lu, cmd, kCompare);
    case kOrRead:
      for (size_t i = 0; i < len; ++i) cmd.scratch[i] |= cmd.data_out[i];
      cmd.stage = kFinish;
      lu.backend()->Write(Offset(lu, cmd), cmd.scratch, WriteFlagsFor(lu, cmd.cdb),
                          IoDone{Step, &cmd});
      return;
    case kCawRead: {
      int64_t bad = FirstMismatch(cmd.scratch, cmd.data_out.first(len), bs);
      if (bad >= 0) return Complete(cmd, Miscompare(static_cast<uint64_t>(bad)));
      cmd.stage = kFinish;
      lu.backend()->Write(Offset(lu, cmd), cmd.data_out.subspan(len, len),
                          WriteFlagsFor(lu, cmd.cdb), IoDone{Step, &cmd});
      return;
    }
    default:
      lu.blocks_written += cmd.cdb.blocks;
      return Complete(cmd, Good());
  }
}

}  // namespace

void Verify(Lu& lu, ScsiCommand& cmd) {
  uint8_t bytchk = (cmd.cdb.bytes[1] >> 1) & 0x03;
  if (cmd.cdb.blocks == 0) return Complete(cmd, Good());
  // SBC-3 5.33: BYTCHK 0 verifies the medium: read it so an unreadable block
  // answers MEDIUM ERROR with its LBA.
  if (bytchk == 0) {
    cmd.stage = kMediumVerify;
    cmd.count = 0;
    return VerifyMedium(lu, cmd);
  }
  ReadScratch(lu, cmd, kCompare);
}

void WriteAndVerify(Lu& lu, ScsiCommand& cmd) {
  uint8_t bytchk = (cmd.cdb.bytes[1] >> 1) & 0x03;
  if (bytchk > 1) return Complete(cmd, InvalidFieldInCdb(1, 2));  // SBC-3 5.41
  if (cmd.cdb.blocks == 0) return Complete(cmd, Good());
  cmd.stage = kWriteThenCompare;
  // The verification reads back what reached the medium, so write through.
  lu.backend()->Write(Offset(lu, cmd), cmd.data_out.first(cmd.transfer_length),
                      WriteFlagsFor(lu, cmd.cdb) | kIoFua, IoDone{Step, &cmd});
}

void OrWrite(Lu& lu, ScsiCommand& cmd) {
  if (cmd.cdb.blocks == 0) return Complete(cmd, Good());
  ReadScratch(lu, cmd, kOrRead);
}

void CompareAndWrite(Lu& lu, ScsiCommand& cmd) {
  // SBC-3 5.2: zero blocks is no operation; more than the Block Limits maximum is
  // an invalid NUMBER OF LOGICAL BLOCKS.
  if (cmd.cdb.blocks == 0) return Complete(cmd, Good());
  if (cmd.cdb.blocks > lu.config().limits.max_compare_write_blocks) {
    return Complete(cmd, InvalidFieldInCdb(13));
  }
  ReadScratch(lu, cmd, kCawRead);
}

}  // namespace openstmf::scsi::handlers
