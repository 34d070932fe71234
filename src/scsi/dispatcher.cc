#include "scsi/dispatcher.h"

#include <algorithm>
#include <bit>
#include <cstring>

#include "scsi/opcode_table.h"
#include "scsi/opcodes.h"
#include "scsi/sense.h"

namespace openstmf::scsi {
namespace {

int HighestBit(uint8_t v) { return 31 - std::countl_zero(static_cast<unsigned>(v)); }

ScsiResult CheckCdbBits(const OpcodeEntry& e, const uint8_t* b) {
  size_t last = e.cdb_length - 1;
  for (size_t i = 1; i < last; ++i) {
    uint8_t bad = static_cast<uint8_t>(b[i] & ~e.usage[i]);
    if (bad != 0) return InvalidFieldInCdb(static_cast<uint16_t>(i), HighestBit(bad));
  }
  // SAM-5 5.2: vendor bits are ignored; NACA (not supported), LINK (obsolete)
  // and the reserved bits are not.
  uint8_t bad = static_cast<uint8_t>(b[last] & 0x3F);
  if (bad != 0) return InvalidFieldInCdb(static_cast<uint16_t>(last), HighestBit(bad));
  return Good();
}

ScsiResult CheckReservations(Lu& lu, const ScsiCommand& cmd) {
  const OpcodeEntry& e = *cmd.entry;
  auto holder = lu.legacy_holder();
  if (holder && *holder != cmd.nexus && !(e.flags & kFlagAllowOnReserve)) {
    return ReservationConflict();
  }
  PersistentReservation& pr = lu.pr();
  // SPC-4 5.9.3 (and SPC-3 5.6.3): RESERVE/RELEASE conflict once anyone is
  // registered.
  if ((e.flags & kFlagLegacyReserve) && pr.any_registrations()) return ReservationConflict();
  if (!pr.reserved()) return Good();
  uint32_t access = e.pr;
  const uint8_t* b = cmd.cdb.bytes;
  if ((e.flags & kFlagPrStartStop) && (b[4] & 0xF1) == 0x01) {
    access = kPrAllowWriteExclusive | kPrAllowExclusiveAccess;
  }
  if ((e.flags & kFlagPrPreventAllow) && (b[4] & 0x03) == 0) {
    access = kPrAllowWriteExclusive | kPrAllowExclusiveAccess;
  }
  return pr.Allows(lu.PrNexusOf(cmd.nexus), access) ? Good() : ReservationConflict();
}

// SBC-3 4.11.2: while a sanitize operation runs only INQUIRY, LOG SENSE,
// REPORT LUNS and REQUEST SENSE are processed; after it failed everything but
// those and SANITIZE reports the failure (SBC-3 4.11.3).
ScsiResult CheckSanitize(Lu& lu, const OpcodeEntry& e) {
  if (e.flags & kFlagDuringSanitize) return Good();
  SanitizeOperation& s = lu.sanitize();
  if (s.in_progress()) return SenseWithProgress(Asc::kNotReadySanitizeInProgress, s.progress());
  if (s.failed() && e.opcode != op::kSanitize) return SenseFor(Asc::kSanitizeCommandFailed);
  return Good();
}

ScsiResult CheckMedium(Lu& lu, const OpcodeEntry& e) {
  if (!(e.flags & kFlagNeedsMedium)) return Good();
  if (!lu.medium_present()) return SenseFor(Asc::kMediumNotPresent);
  if ((e.flags & kFlagWrites) &&
      (lu.config().write_protected || lu.mode_pages().software_write_protect())) {
    return SenseFor(Asc::kWriteProtected);
  }
  return Good();
}

// SBC-3 4.5: the whole range must lie inside the medium. Returns the byte
// offset of the TRANSFER LENGTH field for limit errors.
ScsiResult CheckRange(const Lu& lu, const ScsiCommand& cmd) {
  const OpcodeEntry& e = *cmd.entry;
  if (e.layout == CdbLayout::kNone || e.layout == CdbLayout::kLbaStatus) return Good();
  uint64_t cap = lu.config().block_count;
  const Cdb& c = cmd.cdb;
  if (c.lba > cap || c.blocks > cap - c.lba) return SenseFor(Asc::kLbaOutOfRange);
  uint32_t max = lu.config().limits.max_transfer_blocks;
  if (max != 0 && (e.xfer == Xfer::kBlocksIn || e.xfer == Xfer::kBlocksOut) && c.blocks > max) {
    return InvalidFieldInCdb(e.layout == CdbLayout::kRw10   ? 7
                             : e.layout == CdbLayout::kRw16 ? 10
                                                            : 6);
  }
  return Good();
}

ScsiResult ComputeTransfer(const Lu& lu, ScsiCommand& cmd) {
  const OpcodeEntry& e = *cmd.entry;
  uint64_t bs = lu.config().block_size;
  uint64_t len = 0;
  DataDirection dir = DataDirection::kNone;
  const uint8_t* b = cmd.cdb.bytes;
  switch (e.xfer) {
    case Xfer::kNone:
      break;
    case Xfer::kAllocLen:
      len = CdbField(cmd.cdb, e.len_offset, e.len_size);
      dir = DataDirection::kIn;
      break;
    case Xfer::kParamLen:
      len = CdbField(cmd.cdb, e.len_offset, e.len_size);
      dir = DataDirection::kOut;
      break;
    case Xfer::kFixed8In:
      len = 8;
      dir = DataDirection::kIn;
      break;
    case Xfer::kBlocksIn:
      len = cmd.cdb.blocks * bs;
      dir = DataDirection::kIn;
      break;
    case Xfer::kBlocksOut:
      len = cmd.cdb.blocks * bs;
      dir = DataDirection::kOut;
      break;
    case Xfer::kCompareWrite:
      len = 2 * cmd.cdb.blocks * bs;
      dir = DataDirection::kOut;
      break;
    case Xfer::kWriteSame:
      // SBC-3 5.45: NDOB (16 only) means no data-out buffer.
      len = (b[0] == 0x93 && (b[1] & 0x01)) ? 0 : bs;
      dir = DataDirection::kOut;
      break;
    case Xfer::kVerify: {
      uint8_t bytchk = (b[1] >> 1) & 0x03;  // SBC-3 5.33: BYTCHK
      if (bytchk == 2) return InvalidFieldInCdb(1, 2);
      len = bytchk == 0 ? 0 : bytchk == 1 ? cmd.cdb.blocks * bs : bs;
      dir = DataDirection::kOut;
      break;
    }
  }
  if (len > 0xFFFFFFFFu) return InvalidFieldInCdb(e.layout == CdbLayout::kRw16 ? 10 : 6);
  cmd.transfer_length = static_cast<uint32_t>(len);
  cmd.direction = len == 0 ? DataDirection::kNone : dir;
  return Good();
}

bool Fail(ScsiCommand& cmd, const ScsiResult& r) {
  Complete(cmd, r);
  return false;
}

}  // namespace

bool Prepare(Lu& lu, ScsiCommand& cmd) {
  cmd.lu = &lu;
  cmd.entry = nullptr;
  cmd.direction = DataDirection::kNone;
  cmd.transfer_length = 0;
  cmd.data_in_length = 0;
  if (cmd.cdb_size == 0 || cmd.cdb_bytes == nullptr) {
    return Fail(cmd, SenseFor(Asc::kInvalidOpcode));
  }
  const uint8_t* b = cmd.cdb_bytes;
  uint16_t sa = 0;
  if (OpcodeHasServiceAction(b[0])) {
    if (cmd.cdb_size < 2) return Fail(cmd, SenseFor(Asc::kInvalidOpcode));
    sa = b[1] & 0x1F;
  }
  bool known = false;
  const OpcodeEntry* e = FindOpcode(b[0], sa, &known);
  if (e == nullptr) {
    return Fail(cmd, known ? InvalidFieldInCdb(1, 4) : SenseFor(Asc::kInvalidOpcode));
  }
  if (cmd.cdb_size < e->cdb_length) return Fail(cmd, SenseFor(Asc::kInvalidOpcode));
  cmd.entry = e;
  ScsiResult r = CheckCdbBits(*e, b);
  if (!r.good()) return Fail(cmd, r);
  cmd.cdb = DecodeCdb(e->layout, b, e->cdb_length, sa);
  if (!lu.IsAttached(cmd.nexus)) return Fail(cmd, SenseFor(Asc::kLunNotSupported));
  UnitAttentionSet& ua = lu.unit_attentions(cmd.nexus);
  if (!(e->flags & kFlagNoUnitAttention) && !ua.empty()) return Fail(cmd, ua.Take());
  if (lu.alua_enabled()) {
    AluaState state = lu.AluaStateFor(cmd.nexus);
    if (state == AluaState::kStandby && lu.standby_filter() == StandbyFilter::kComstar) {
      r = ComstarStandbyAllows(b[0], sa) ? Good() : SenseFor(Asc::kNotReadyAluaStandby);
    } else {
      r = AluaFilter(state, e->alua);
    }
    if (!r.good()) return Fail(cmd, r);
  }
  r = CheckReservations(lu, cmd);
  if (!r.good()) return Fail(cmd, r);
  r = CheckSanitize(lu, *e);
  if (!r.good()) return Fail(cmd, r);
  r = CheckMedium(lu, *e);
  if (!r.good()) return Fail(cmd, r);
  r = CheckRange(lu, cmd);
  if (!r.good()) return Fail(cmd, r);
  r = ComputeTransfer(lu, cmd);
  if (!r.good()) return Fail(cmd, r);
  return true;
}

void Execute(Lu& lu, ScsiCommand& cmd) {
  if (cmd.direction == DataDirection::kIn && cmd.data_in.size() < cmd.transfer_length &&
      (cmd.entry->xfer == Xfer::kBlocksIn)) {
    // The transport must supply a buffer for the whole read.
    Complete(cmd, SenseFor(Asc::kInternalTargetFailure));
    return;
  }
  if (cmd.direction == DataDirection::kOut && cmd.data_out.size() < cmd.transfer_length) {
    Complete(cmd, SenseFor(Asc::kInternalTargetFailure));
    return;
  }
  cmd.stage = 0;
  cmd.entry->handler(lu, cmd);
}

void Dispatch(Lu& lu, ScsiCommand& cmd) {
  if (Prepare(lu, cmd)) Execute(lu, cmd);
}

bool AbortCommand(Lu& lu, ScsiCommand& cmd) { return lu.sanitize().AbortWaiter(&cmd); }

void Complete(ScsiCommand& cmd, const ScsiResult& result) {
  cmd.result = result;
  cmd.sense_length = 0;
  if (result.has_sense()) {
    bool desc = cmd.lu != nullptr && cmd.lu->mode_pages().descriptor_sense();
    cmd.sense_length = static_cast<uint8_t>(
        BuildSense(result, desc ? SenseFormat::kDescriptor : SenseFormat::kFixed, cmd.sense));
    cmd.data_in_length = 0;
  }
  if (cmd.done != nullptr) cmd.done(&cmd, cmd.done_arg);
}

void CompleteRaw(ScsiCommand& cmd, ScsiStatus status, std::span<const uint8_t> sense,
                 uint32_t data_in_length) {
  cmd.result = ScsiResult{};
  cmd.result.status = status;
  size_t n = std::min(sense.size(), sizeof cmd.sense);
  if (n != 0) std::memcpy(cmd.sense, sense.data(), n);
  cmd.sense_length = static_cast<uint8_t>(n);
  if (n >= 4 && (cmd.sense[0] & 0x7F) >= 0x72) {  // descriptor format (SPC-4 4.5.2)
    cmd.result.key = static_cast<SenseKey>(cmd.sense[1] & 0x0F);
    cmd.result.asc = cmd.sense[2];
    cmd.result.ascq = cmd.sense[3];
  } else if (n >= 14) {  // fixed format (SPC-4 4.5.3)
    cmd.result.key = static_cast<SenseKey>(cmd.sense[2] & 0x0F);
    cmd.result.asc = cmd.sense[12];
    cmd.result.ascq = cmd.sense[13];
  }
  size_t cap = std::min<size_t>(cmd.data_in.size(), cmd.transfer_length);
  cmd.data_in_length = status == ScsiStatus::kCheckCondition
                           ? 0
                           : static_cast<uint32_t>(std::min<size_t>(data_in_length, cap));
  if (cmd.done != nullptr) cmd.done(&cmd, cmd.done_arg);
}

void CopyToDataIn(ScsiCommand& cmd, const uint8_t* data, size_t length) {
  size_t n = std::min({length, cmd.data_in.size(), size_t{cmd.transfer_length}});
  if (n != 0) std::memcpy(cmd.data_in.data(), data, n);
}

void CompleteWithData(ScsiCommand& cmd, size_t length) {
  size_t cap = std::min<size_t>(cmd.data_in.size(), cmd.transfer_length);
  cmd.data_in_length = static_cast<uint32_t>(std::min(length, cap));
  Complete(cmd, Good());
}

ScsiResult ResultForIo(const IoResult& io, uint32_t block_size, bool is_write) {
  switch (io.error) {
    case IoError::kOk:
      return Good();
    case IoError::kNoSpace:
      return SenseFor(Asc::kSpaceAllocationFailedWriteProtect);
    case IoError::kReadOnly:
      return SenseFor(Asc::kWriteProtected);
    case IoError::kMedium: {
      Asc asc = is_write ? Asc::kWriteError : Asc::kUnrecoveredReadError;
      if (io.offset_valid) return SenseWithInfo(asc, io.offset / block_size);
      return SenseFor(asc);
    }
    case IoError::kInternal:
      break;
  }
  return SenseFor(Asc::kInternalTargetFailure);
}

}  // namespace openstmf::scsi
