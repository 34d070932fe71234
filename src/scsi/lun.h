// LUN encoding (SAM-5 4.6) and REPORT LUNS parameter data (SPC-4 6.33).
//
// Exposed on its own because the framework answers REPORT LUNS for LUN 0 even
// when no LU sits there (SPC-4 6.33, SAM-5 4.6.2).
#ifndef OPENSTMF_SCSI_LUN_H
#define OPENSTMF_SCSI_LUN_H

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>

#include "scsi/result.h"

namespace openstmf::scsi {

// The 8-byte LUN of a LUN number: peripheral device addressing below 256, flat
// space addressing up to 16383 (SAM-5 4.6.6, 4.6.7).
uint64_t EncodeLun(uint16_t lun);
// The LUN number of an 8-byte LUN in either method; nullopt for other methods
// or non-zero second-level bytes.
std::optional<uint16_t> DecodeLun(uint64_t lun);

// REPORT LUNS data for `luns` (LUN numbers) and the CDB's SELECT REPORT byte.
// Writes up to out.size() bytes and stores the full length in *length. Errors:
// unsupported SELECT REPORT value.
ScsiResult BuildReportLuns(std::span<const uint64_t> luns, uint8_t select_report,
                           std::span<uint8_t> out, size_t* length);

}  // namespace openstmf::scsi

#endif  // OPENSTMF_SCSI_LUN_H
