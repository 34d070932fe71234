#include "scsi/unit_attention.h"

#include <bit>

#include "scsi/sense.h"

namespace openstmf::scsi {

Asc AscForUnitAttention(UnitAttention ua) {
  switch (ua) {
    case UnitAttention::kPowerOnReset:
      return Asc::kPowerOnResetOccurred;
    case UnitAttention::kBusDeviceReset:
      return Asc::kBusDeviceResetOccurred;
    case UnitAttention::kItNexusLoss:
      return Asc::kItNexusLossOccurred;
    case UnitAttention::kCommandsClearedByAnotherInitiator:
      return Asc::kCommandsClearedByAnotherInitiator;
    case UnitAttention::kReservationsPreempted:
      return Asc::kReservationsPreempted;
    case UnitAttention::kReservationsReleased:
      return Asc::kReservationsReleased;
    case UnitAttention::kRegistrationsPreempted:
      return Asc::kRegistrationsPreempted;
    case UnitAttention::kAsymmetricAccessStateChanged:
      return Asc::kAsymmetricAccessStateChanged;
    case UnitAttention::kCapacityDataChanged:
      return Asc::kCapacityDataChanged;
    case UnitAttention::kModeParametersChanged:
      return Asc::kModeParametersChanged;
    case UnitAttention::kMediumMayHaveChanged:
      return Asc::kMediumMayHaveChanged;
    case UnitAttention::kInquiryDataChanged:
      return Asc::kInquiryDataChanged;
    case UnitAttention::kReportedLunsDataChanged:
    case UnitAttention::kCount:
      break;
  }
  return Asc::kReportedLunsDataChanged;
}

UnitAttention UnitAttentionSet::Next() const {
  return static_cast<UnitAttention>(std::countr_zero(bits_));
}

ScsiResult UnitAttentionSet::Take() {
  UnitAttention ua = Next();
  Clear(ua);
  return SenseFor(AscForUnitAttention(ua));
}

}  // namespace openstmf::scsi
