// The one place that builds error results and sense data bytes.
//
// Results: SenseFor(Asc::kInvalidFieldInCdb) etc. pick the sense key and ASC/ASCQ
// from a single table (sense.cc); helpers add the field pointer or information
// field. Bytes: BuildSense() renders a result as fixed-format (70h) or
// descriptor-format (72h) sense data, SPC-4 4.5.
#ifndef OPENSTMF_SCSI_SENSE_H
#define OPENSTMF_SCSI_SENSE_H

#include <cstddef>
#include <cstdint>
#include <span>

#include "scsi/result.h"

namespace openstmf::scsi {

struct AscInfo {
  SenseKey key;
  uint8_t asc;
  uint8_t ascq;
};

// Sense key, ASC and ASCQ of a named condition.
AscInfo AscInfoFor(Asc code);

inline ScsiResult Good() { return ScsiResult{}; }
// CHECK CONDITION with the named condition's sense key and ASC/ASCQ.
ScsiResult SenseFor(Asc code);
// CHECK CONDITION with an explicit (vendor or unusual) triple.
ScsiResult SenseRaw(SenseKey key, uint8_t asc, uint8_t ascq);
// ILLEGAL REQUEST, INVALID FIELD IN CDB, field pointer at `byte` (and `bit` if
// 0..7; pass -1 for "whole byte").
ScsiResult InvalidFieldInCdb(uint16_t byte, int bit = -1);
// ILLEGAL REQUEST, INVALID FIELD IN PARAMETER LIST with a field pointer into the
// parameter data.
ScsiResult InvalidFieldInParameterList(uint16_t byte, int bit = -1);
// ILLEGAL REQUEST, PARAMETER LIST LENGTH ERROR (field pointer at the CDB's
// PARAMETER LIST LENGTH field when `cdb_byte` >= 0).
ScsiResult ParameterListLengthError(int cdb_byte = -1);
// MISCOMPARE, MISCOMPARE DURING VERIFY OPERATION; the INFORMATION field is the
// offset of the first miscompared byte (SBC-3 5.2 COMPARE AND WRITE, 5.33 VERIFY).
ScsiResult Miscompare(uint64_t offset);
// A condition with its INFORMATION field set (e.g. the failing LBA of a read).
ScsiResult SenseWithInfo(Asc code, uint64_t information);
// EXTENDED COPY failure (SPC-4 6.3.4): the COPY ABORTED (or ILLEGAL REQUEST)
// condition with COMMAND-SPECIFIC INFORMATION naming the segment descriptor
// being processed.
ScsiResult CopyFailure(Asc code, uint32_t segment);
// A condition with a progress indication (SPC-4 4.5.2.4.4), e.g. NOT READY,
// SANITIZE IN PROGRESS with the fraction done in 1/65536ths.
ScsiResult SenseWithProgress(Asc code, uint16_t progress);
inline ScsiResult ReservationConflict() {
  ScsiResult r;
  r.status = ScsiStatus::kReservationConflict;
  return r;
}
inline ScsiResult StatusOnly(ScsiStatus status) {
  ScsiResult r;
  r.status = status;
  return r;
}

enum class SenseFormat { kFixed, kDescriptor };

// Largest sense data BuildSense produces.
inline constexpr size_t kMaxSenseLength = 48;

// Writes the sense data of `result` into `out` and returns its length (0 when the
// result carries no sense, or `out` is too small for the fixed 18-byte form).
size_t BuildSense(const ScsiResult& result, SenseFormat format, std::span<uint8_t> out);

}  // namespace openstmf::scsi

#endif  // OPENSTMF_SCSI_SENSE_H
