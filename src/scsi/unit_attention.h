// Pending unit attention conditions of one I_T nexus (SAM-5 5.14).
//
// A fixed bit set in priority order, so raising never allocates and a condition
// raised twice is reported once. The dispatcher reports the first pending one
// with CHECK CONDITION and clears it; INQUIRY, REPORT LUNS and REQUEST SENSE
// never report them that way (opcode table flags).
#ifndef OPENSTMF_SCSI_UNIT_ATTENTION_H
#define OPENSTMF_SCSI_UNIT_ATTENTION_H

#include <cstdint>

#include "scsi/result.h"

namespace openstmf::scsi {

// In reporting order: resets first, then state changes.
enum class UnitAttention : uint8_t {
  kPowerOnReset,
  kBusDeviceReset,
  kItNexusLoss,
  kCommandsClearedByAnotherInitiator,
  kReservationsPreempted,
  kReservationsReleased,
  kRegistrationsPreempted,
  kAsymmetricAccessStateChanged,
  kCapacityDataChanged,
  kModeParametersChanged,
  kMediumMayHaveChanged,
  kInquiryDataChanged,
  kReportedLunsDataChanged,
  kCount,
};

// The sense condition a unit attention is reported as.
Asc AscForUnitAttention(UnitAttention ua);

class UnitAttentionSet {
 public:
  void Raise(UnitAttention ua) { bits_ |= Bit(ua); }
  void Clear(UnitAttention ua) { bits_ &= ~Bit(ua); }
  void ClearAll() { bits_ = 0; }
  bool Has(UnitAttention ua) const { return (bits_ & Bit(ua)) != 0; }
  bool empty() const { return bits_ == 0; }
  // The condition to report next; only valid when !empty().
  UnitAttention Next() const;
  // Removes and returns the next condition as a CHECK CONDITION result.
  ScsiResult Take();

 private:
  static uint32_t Bit(UnitAttention ua) { return 1u << static_cast<uint32_t>(ua); }
  uint32_t bits_ = 0;
};

}  // namespace openstmf::scsi

#endif  // OPENSTMF_SCSI_UNIT_ATTENTION_H
