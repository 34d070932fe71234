// SCSI operation codes and service actions handled by this layer (SPC-4 Annex
// E.3, SBC-3 5.1 Table 13). Names follow the standards.
#ifndef OPENSTMF_SCSI_OPCODES_H
#define OPENSTMF_SCSI_OPCODES_H

#include <cstdint>

namespace openstmf::scsi::op {

inline constexpr uint8_t kTestUnitReady = 0x00;
inline constexpr uint8_t kRequestSense = 0x03;
inline constexpr uint8_t kRead6 = 0x08;
inline constexpr uint8_t kWrite6 = 0x0A;
inline constexpr uint8_t kInquiry = 0x12;
inline constexpr uint8_t kModeSelect6 = 0x15;
inline constexpr uint8_t kReserve6 = 0x16;
inline constexpr uint8_t kRelease6 = 0x17;
inline constexpr uint8_t kModeSense6 = 0x1A;
inline constexpr uint8_t kStartStopUnit = 0x1B;
inline constexpr uint8_t kPreventAllowMediumRemoval = 0x1E;
inline constexpr uint8_t kReadCapacity10 = 0x25;
inline constexpr uint8_t kRead10 = 0x28;
inline constexpr uint8_t kWrite10 = 0x2A;
inline constexpr uint8_t kWriteAndVerify10 = 0x2E;
inline constexpr uint8_t kVerify10 = 0x2F;
inline constexpr uint8_t kPreFetch10 = 0x34;
inline constexpr uint8_t kSynchronizeCache10 = 0x35;
inline constexpr uint8_t kReadDefectData10 = 0x37;
inline constexpr uint8_t kWriteSame10 = 0x41;
inline constexpr uint8_t kUnmap = 0x42;
inline constexpr uint8_t kSanitize = 0x48;
inline constexpr uint8_t kLogSelect = 0x4C;
inline constexpr uint8_t kLogSense = 0x4D;
inline constexpr uint8_t kModeSelect10 = 0x55;
inline constexpr uint8_t kReserve10 = 0x56;
inline constexpr uint8_t kRelease10 = 0x57;
inline constexpr uint8_t kModeSense10 = 0x5A;
inline constexpr uint8_t kPersistentReserveIn = 0x5E;
inline constexpr uint8_t kPersistentReserveOut = 0x5F;
inline constexpr uint8_t kRead16 = 0x88;
inline constexpr uint8_t kCompareAndWrite = 0x89;
inline constexpr uint8_t kWrite16 = 0x8A;
inline constexpr uint8_t kOrWrite16 = 0x8B;
inline constexpr uint8_t kWriteAndVerify16 = 0x8E;
inline constexpr uint8_t kVerify16 = 0x8F;
inline constexpr uint8_t kPreFetch16 = 0x90;
inline constexpr uint8_t kSynchronizeCache16 = 0x91;
inline constexpr uint8_t kWriteSame16 = 0x93;
inline constexpr uint8_t kWriteAtomic16 = 0x9C;
inline constexpr uint8_t kServiceActionIn16 = 0x9E;
inline constexpr uint8_t kReportLuns = 0xA0;
inline constexpr uint8_t kMaintenanceIn = 0xA3;
inline constexpr uint8_t kMaintenanceOut = 0xA4;
inline constexpr uint8_t kRead12 = 0xA8;
inline constexpr uint8_t kWrite12 = 0xAA;
inline constexpr uint8_t kWriteAndVerify12 = 0xAE;
inline constexpr uint8_t kVerify12 = 0xAF;
inline constexpr uint8_t kReadDefectData12 = 0xB7;

// SERVICE ACTION IN(16) service actions (SBC-3 5.16, 5.8).
inline constexpr uint16_t kSaReadCapacity16 = 0x10;
inline constexpr uint16_t kSaGetLbaStatus = 0x12;
// MAINTENANCE IN service actions (SPC-4 6.27, 6.35, 6.36).
inline constexpr uint16_t kSaReportTargetPortGroups = 0x0A;
inline constexpr uint16_t kSaReportSupportedOpcodes = 0x0C;
inline constexpr uint16_t kSaReportSupportedTmf = 0x0D;
// MAINTENANCE OUT service actions (SPC-4 6.43).
inline constexpr uint16_t kSaSetTargetPortGroups = 0x0A;
// SANITIZE service actions (SBC-3 5.30).
inline constexpr uint16_t kSaSanitizeOverwrite = 0x01;
inline constexpr uint16_t kSaSanitizeBlockErase = 0x02;
inline constexpr uint16_t kSaSanitizeCryptoErase = 0x03;
inline constexpr uint16_t kSaSanitizeExitFailureMode = 0x1F;
// PERSISTENT RESERVE IN (SPC-4 6.15) and OUT (SPC-4 6.16) service actions.
inline constexpr uint16_t kSaPrReadKeys = 0x00;
inline constexpr uint16_t kSaPrReadReservation = 0x01;
inline constexpr uint16_t kSaPrReportCapabilities = 0x02;
inline constexpr uint16_t kSaPrReadFullStatus = 0x03;
inline constexpr uint16_t kSaPrRegister = 0x00;
inline constexpr uint16_t kSaPrReserve = 0x01;
inline constexpr uint16_t kSaPrRelease = 0x02;
inline constexpr uint16_t kSaPrClear = 0x03;
inline constexpr uint16_t kSaPrPreempt = 0x04;
inline constexpr uint16_t kSaPrPreemptAndAbort = 0x05;
inline constexpr uint16_t kSaPrRegisterAndIgnore = 0x06;
inline constexpr uint16_t kSaPrRegisterAndMove = 0x07;

// Block writes whose Data-Out a transport may cut to fewer whole blocks than the
// CDB asks for (RFC 7143 §11.4.5.2 overflow): WRITE 6/10/12/16 and WRITE AND
// VERIFY 10/12/16.
constexpr bool IsPlainBlockWrite(uint8_t opcode) {
  return opcode == kWrite6 || opcode == kWrite10 || opcode == kWrite12 || opcode == kWrite16 ||
         opcode == 0x2E || opcode == 0xAE || opcode == 0x8E;
}

}  // namespace openstmf::scsi::op

#endif  // OPENSTMF_SCSI_OPCODES_H
