// The outcome of one SCSI command as a value: status, sense (key, ASC/ASCQ,
// information, sense-key-specific field pointer) and the data-in byte count.
//
// Every error condition the layer can report has a name in `Asc`; sense.h maps
// names to key/ASC/ASCQ in one table and is the only place results with sense are
// built. ScsiResult is small and trivially copyable so it can live inside a
// command without allocation.
#ifndef OPENSTMF_SCSI_RESULT_H
#define OPENSTMF_SCSI_RESULT_H

#include <cstdint>

namespace openstmf::scsi {

// SAM-5 5.3.1 status codes.
enum class ScsiStatus : uint8_t {
  kGood = 0x00,
  kCheckCondition = 0x02,
  kConditionMet = 0x04,
  kBusy = 0x08,
  kReservationConflict = 0x18,
  kTaskSetFull = 0x28,
  kAcaActive = 0x30,
  kTaskAborted = 0x40,
};

// SPC-4 4.5.6 sense keys.
enum class SenseKey : uint8_t {
  kNoSense = 0x0,
  kRecoveredError = 0x1,
  kNotReady = 0x2,
  kMediumError = 0x3,
  kHardwareError = 0x4,
  kIllegalRequest = 0x5,
  kUnitAttention = 0x6,
  kDataProtect = 0x7,
  kBlankCheck = 0x8,
  kCopyAborted = 0xA,
  kAbortedCommand = 0xB,
  kMiscompare = 0xE,
};

// Named additional sense codes (SPC-4 Annex D) used by this layer.
enum class Asc : uint8_t {
  kNone,                                   // 00/00 NO ADDITIONAL SENSE INFORMATION
  kInvalidOpcode,                          // 20/00
  kLbaOutOfRange,                          // 21/00
  kInvalidFieldInCdb,                      // 24/00
  kLunNotSupported,                        // 25/00
  kInvalidFieldInParameterList,            // 26/00
  kParameterNotSupported,                  // 26/01
  kParameterValueInvalid,                  // 26/02
  kInvalidReleaseOfPersistentReservation,  // 26/04
  kParameterListLengthError,               // 1A/00
  kSavingParametersNotSupported,           // 39/00
  kInsufficientRegistrationResources,      // 55/04
  kMediumRemovalPrevented,                 // 53/02
  kCommandSequenceError,                   // 2C/00
  kInvalidMessageError,                    // 49/00
  kOverlappedCommandsAttempted,            // 4E/00
  kMediumNotPresent,                       // 3A/00
  kMediumNotPresentTrayOpen,               // 3A/02
  kNotReadyCauseNotReportable,             // 04/00
  kNotReadyInitializingCommandRequired,    // 04/02
  kNotReadySanitizeInProgress,             // 04/1B
  kNotReadyAluaTransition,                 // 04/0A
  kNotReadyAluaStandby,                    // 04/0B
  kNotReadyAluaUnavailable,                // 04/0C
  kWriteProtected,                         // 27/00
  kSpaceAllocationFailedWriteProtect,      // 27/07
  kMiscompareDuringVerify,                 // 1D/00
  kUnrecoveredReadError,                   // 11/00
  kWriteError,                             // 0C/00
  kInternalTargetFailure,                  // 44/00
  kPowerOnResetOccurred,                   // 29/00
  kBusDeviceResetOccurred,                 // 29/03
  kItNexusLossOccurred,                    // 29/07
  kModeParametersChanged,                  // 2A/01
  kReservationsPreempted,                  // 2A/03
  kReservationsReleased,                   // 2A/04
  kRegistrationsPreempted,                 // 2A/05
  kAsymmetricAccessStateChanged,           // 2A/06
  kCapacityDataChanged,                    // 2A/09
  kCommandsClearedByAnotherInitiator,      // 2F/00
  kMediumMayHaveChanged,                   // 28/00
  kInquiryDataChanged,                     // 3F/03
  kReportedLunsDataChanged,                // 3F/0E
  // Third-party copy (SPC-4 6.3 EXTENDED COPY).
  kOperationInProgress,               // 00/16 ILLEGAL REQUEST: list identifier in use
  kTooManyTargetDescriptors,          // 26/06
  kUnsupportedTargetDescriptorType,   // 26/07
  kTooManySegmentDescriptors,         // 26/08
  kUnsupportedSegmentDescriptorType,  // 26/09
  kInlineDataLengthExceeded,          // 26/0B
  kInsufficientResources,             // 55/03
  kCopyUnexpectedInexactSegment,      // COPY ABORTED 26/0A
  kCopyUnreachableTarget,             // COPY ABORTED 08/04
  kCopyThirdPartyDeviceFailure,       // COPY ABORTED 0D/01
  kCopyTargetNotReachable,            // COPY ABORTED 0D/02
  kCopyIncorrectTargetType,           // COPY ABORTED 0D/03
  kSanitizeCommandFailed,             // MEDIUM ERROR 31/03 (SBC-3 4.11.3)
  kCount,
};

// SPC-4 4.5.2.4.2 field pointer sense-key-specific information; with
// `segment` set it is the COPY ABORTED segment pointer of SPC-4 4.5.2.4.5
// (`in_cdb` then renders as SD: the byte is relative to a segment descriptor).
struct FieldPointer {
  bool valid = false;
  bool segment = false;
  bool in_cdb = false;     // C/D: 1 = error in the CDB, 0 = in parameter data
  bool bit_valid = false;  // BPV
  uint8_t bit = 0;
  uint16_t byte = 0;
};

struct ScsiResult {
  ScsiStatus status = ScsiStatus::kGood;
  SenseKey key = SenseKey::kNoSense;
  uint8_t asc = 0;
  uint8_t ascq = 0;
  bool info_valid = false;
  uint64_t information = 0;
  FieldPointer field;
  // SPC-4 4.5.2.4.4 progress indication (NOT READY or NO SENSE), 0..65535.
  bool progress_valid = false;
  uint16_t progress = 0;
  // COMMAND-SPECIFIC INFORMATION (EXTENDED COPY: the failing segment's number).
  bool csi_valid = false;
  uint64_t command_specific = 0;

  bool good() const { return status == ScsiStatus::kGood; }
  bool has_sense() const { return status == ScsiStatus::kCheckCondition; }
  // ASC and ASCQ as one 16-bit value (0x2400), handy in tests.
  uint16_t asc_ascq() const { return static_cast<uint16_t>((asc << 8) | ascq); }
};

}  // namespace openstmf::scsi

#endif  // OPENSTMF_SCSI_RESULT_H
