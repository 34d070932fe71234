// The opcode table: every command the layer implements, as data (after FreeBSD
// CTL's ctl_cmd_table). One entry per opcode/service action gives the handler,
// the CDB length and usage mask (REPORT SUPPORTED OPERATION CODES data, and the
// reserved-bit check), how the transfer length is found, and the flags the
// dispatcher checks before the handler runs: unit attentions, ALUA state,
// reservations, medium, write protection, and the serialisation class the task
// set uses.
#ifndef OPENSTMF_SCSI_OPCODE_TABLE_H
#define OPENSTMF_SCSI_OPCODE_TABLE_H

#include <cstddef>
#include <cstdint>
#include <span>

#include "scsi/cdb.h"

namespace openstmf::scsi {

class Lu;
struct ScsiCommand;

using Handler = void (*)(Lu& lu, ScsiCommand& cmd);

// How Prepare() finds the bytes a command moves.
enum class Xfer : uint8_t {
  kNone,
  kAllocLen,      // Data-In of up to the ALLOCATION LENGTH field
  kParamLen,      // Data-Out of the PARAMETER LIST LENGTH field
  kFixed8In,      // 8 bytes in (READ CAPACITY(10))
  kBlocksIn,      // TRANSFER LENGTH blocks in
  kBlocksOut,     // TRANSFER LENGTH blocks out
  kCompareWrite,  // twice NUMBER OF LOGICAL BLOCKS out
  kWriteSame,     // one block out unless NDOB
  kVerify,        // by BYTCHK: none, the blocks, or one block
};

// Task-set serialisation class (block-range ordering, task_set.h).
enum class SerialClass : uint8_t {
  kNone,     // runs beside anything (INQUIRY, REPORT LUNS, ...)
  kRead,     // reads its LBA range
  kWrite,    // writes its LBA range (waits for and blocks overlapping I/O)
  kBarrier,  // changes LU-wide state: waits for and blocks everything
};

enum OpcodeFlag : uint16_t {
  kFlagNoUnitAttention = 1u << 0,  // never reports a pending UA (SAM-5 5.14)
  kFlagNeedsMedium = 1u << 1,      // NOT READY without medium or when stopped
  kFlagWrites = 1u << 2,           // DATA PROTECT on a write-protected LU
  kFlagAllowOnReserve = 1u << 3,   // allowed under another nexus' RESERVE(6/10)
  kFlagLegacyReserve = 1u << 4,    // RESERVE/RELEASE: conflict when PR registrations exist
  kFlagPrStartStop = 1u << 5,      // SBC-3 Table 14: allowed only with START=1
  kFlagPrPreventAllow = 1u << 6,   // allowed only with PREVENT=0
  kFlagDuringSanitize = 1u << 7,   // runs while a sanitize operation is in progress
};

struct OpcodeEntry {
  // Widest members first: the table has one entry per command.
  Handler handler;
  const char* name;
  uint16_t service_action;
  uint16_t flags;    // OpcodeFlag
  uint16_t timeout;  // recommended command timeout, seconds (RCTD)
  uint8_t opcode;
  bool has_service_action;
  uint8_t cdb_length;
  uint8_t usage[kMaxCdbLength];  // byte 0: opcode; byte 1 includes the SA bits
  CdbLayout layout;
  Xfer xfer;
  uint8_t len_offset;  // ALLOCATION / PARAMETER LIST LENGTH field
  uint8_t len_size;
  uint8_t alua;  // AluaAllow
  uint8_t pr;    // PrAccess
  SerialClass serial;
};

// All entries, sorted by opcode then service action.
std::span<const OpcodeEntry> OpcodeTable();

// The entry for an opcode/service action, or nullptr. `*opcode_known` tells an
// unknown service action of a known opcode from an unknown opcode.
const OpcodeEntry* FindOpcode(uint8_t opcode, uint16_t service_action, bool* opcode_known);

// True when the opcode has service actions (looked up from byte 1 bits 4..0).
bool OpcodeHasServiceAction(uint8_t opcode);

}  // namespace openstmf::scsi

#endif  // OPENSTMF_SCSI_OPCODE_TABLE_H
