// Building blocks of the opcode table (internal to opcode_table*.h/.cc): the
// Row() constructor and the short names the table rows use for flags, ALUA
// states and reservation access classes.
#ifndef OPENSTMF_SCSI_OPCODE_ROWS_H
#define OPENSTMF_SCSI_OPCODE_ROWS_H

#include <array>

#include "scsi/alua.h"
#include "scsi/handlers.h"
#include "scsi/opcode_table.h"
#include "scsi/persistent_reservation.h"

namespace openstmf::scsi::opcode_rows {

namespace h = handlers;
using L = CdbLayout;
using X = Xfer;
using Sc = SerialClass;

// A row for an opcode without service actions.
inline constexpr int kNoSa = -1;

// ALUA states a command may run in besides the active ones (SPC-4 5.11.2.4).
inline constexpr uint8_t kSb = kAluaAllowStandby;
inline constexpr uint8_t kAll = kAluaAllowStandby | kAluaAllowUnavailable | kAluaAllowTransitioning;
inline constexpr uint8_t kSbUn = kAluaAllowStandby | kAluaAllowUnavailable;
// Reservation access (SPC-4 5.9.1 Table 63, SBC-3 4.17.1 Table 14).
inline constexpr uint8_t kAny = kPrAllowWriteExclusive | kPrAllowExclusiveAccess;
inline constexpr uint8_t kRd = kPrAllowWriteExclusive;
inline constexpr uint8_t kNo = 0;
inline constexpr uint16_t kNoUa = kFlagNoUnitAttention;
inline constexpr uint16_t kMed = kFlagNeedsMedium;
inline constexpr uint16_t kWr = kFlagNeedsMedium | kFlagWrites;
inline constexpr uint16_t kRes = kFlagAllowOnReserve;
inline constexpr uint16_t kSan = kFlagDuringSanitize;

// Usage masks: which bits of each CDB byte the device server looks at. The
// control byte (last) is 00h: NACA and LINK are not supported (SAM-5 5.2).
// Protection fields (RDPROTECT etc.) are left out: the LU has no protection
// information, so a non-zero value is an invalid field (SBC-3 5.11 and friends).
constexpr OpcodeEntry Row(uint8_t opcode, int service_action, uint8_t cdb_length,
                          std::array<uint8_t, kMaxCdbLength> usage, Handler handler,
                          CdbLayout layout, Xfer xfer, uint8_t len_offset, uint8_t len_size,
                          uint16_t flags, uint8_t alua, uint8_t pr, SerialClass serial,
                          uint16_t timeout, const char* name) {
  OpcodeEntry e{};
  e.opcode = opcode;
  e.has_service_action = service_action >= 0;
  e.service_action = static_cast<uint16_t>(service_action >= 0 ? service_action : 0);
  e.cdb_length = cdb_length;
  for (size_t i = 0; i < kMaxCdbLength; ++i) e.usage[i] = usage[i];
  e.handler = handler;
  e.layout = layout;
  e.xfer = xfer;
  e.len_offset = len_offset;
  e.len_size = len_size;
  e.flags = flags;
  e.alua = alua;
  e.pr = pr;
  e.serial = serial;
  e.timeout = timeout;
  e.name = name;
  return e;
}

}  // namespace openstmf::scsi::opcode_rows

#endif  // OPENSTMF_SCSI_OPCODE_ROWS_H
