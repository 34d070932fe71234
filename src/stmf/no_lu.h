// Answers for a LUN that no LU sits behind (SPC-4 6.33, SAM-5 4.6.2, SPC-4 6.6.2):
// INQUIRY returns peripheral qualifier 011b / device type 1Fh, REPORT LUNS lists
// the LUNs the nexus does see (LUN 0 must answer it even when empty), REQUEST SENSE
// returns LOGICAL UNIT NOT SUPPORTED as its parameter data, and every other
// command ends in CHECK CONDITION, ILLEGAL REQUEST, LOGICAL UNIT NOT SUPPORTED.
//
// The command's data_in must be set up by the caller (allocation length bytes);
// the command completes through cmd.done before this returns.
//
// Thread-safety: pure.
#ifndef OPENSTMF_STMF_NO_LU_H
#define OPENSTMF_STMF_NO_LU_H

#include <cstdint>
#include <span>

#include "scsi/command.h"

namespace openstmf::stmf {

// The Data-In length the command may need (its allocation length, or 0).
uint32_t NoLuDataInLength(const uint8_t* cdb, size_t cdb_size);

void RespondWithoutLu(scsi::ScsiCommand& cmd, std::span<const uint64_t> luns);

}  // namespace openstmf::stmf

#endif  // OPENSTMF_STMF_NO_LU_H
