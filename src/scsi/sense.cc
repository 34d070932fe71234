#include "scsi/sense.h"

#include <array>
#include <cstring>

#include "base/byte_order.h"

namespace openstmf::scsi {
namespace {

using K = SenseKey;

// Indexed by Asc; order must match result.h (checked below).
constexpr std::array<AscInfo, static_cast<size_t>(Asc::kCount)> kAscTable = {{
    {K::kNoSense, 0x00, 0x00},         // kNone
    {K::kIllegalRequest, 0x20, 0x00},  // kInvalidOpcode
    {K::kIllegalRequest, 0x21, 0x00},  // kLbaOutOfRange
    {K::kIllegalRequest, 0x24, 0x00},  // kInvalidFieldInCdb
    {K::kIllegalRequest, 0x25, 0x00},  // kLunNotSupported
    {K::kIllegalRequest, 0x26, 0x00},  // kInvalidFieldInParameterList
    {K::kIllegalRequest, 0x26, 0x01},  // kParameterNotSupported
    {K::kIllegalRequest, 0x26, 0x02},  // kParameterValueInvalid
    {K::kIllegalRequest, 0x26, 0x04},  // kInvalidReleaseOfPersistentReservation
    {K::kIllegalRequest, 0x1A, 0x00},  // kParameterListLengthError
    {K::kIllegalRequest, 0x39, 0x00},  // kSavingParametersNotSupported
    {K::kIllegalRequest, 0x55, 0x04},  // kInsufficientRegistrationResources
    {K::kIllegalRequest, 0x53, 0x02},  // kMediumRemovalPrevented
    {K::kIllegalRequest, 0x2C, 0x00},  // kCommandSequenceError
    {K::kIllegalRequest, 0x49, 0x00},  // kInvalidMessageError
    {K::kAbortedCommand, 0x4E, 0x00},  // kOverlappedCommandsAttempted
    {K::kNotReady, 0x3A, 0x00},        // kMediumNotPresent
    {K::kNotReady, 0x3A, 0x02},        // kMediumNotPresentTrayOpen
    {K::kNotReady, 0x04, 0x00},        // kNotReadyCauseNotReportable
    {K::kNotReady, 0x04, 0x02},        // kNotReadyInitializingCommandRequired
    {K::kNotReady, 0x04, 0x1B},        // kNotReadySanitizeInProgress
    {K::kNotReady, 0x04, 0x0A},        // kNotReadyAluaTransition
    {K::kNotReady, 0x04, 0x0B},        // kNotReadyAluaStandby
    {K::kNotReady, 0x04, 0x0C},        // kNotReadyAluaUnavailable
    {K::kDataProtect, 0x27, 0x00},     // kWriteProtected
    {K::kDataProtect, 0x27, 0x07},     // kSpaceAllocationFailedWriteProtect
    {K::kMiscompare, 0x1D, 0x00},      // kMiscompareDuringVerify
    {K::kMediumError, 0x11, 0x00},     // kUnrecoveredReadError
    {K::kMediumError, 0x0C, 0x00},     // kWriteError
    {K::kHardwareError, 0x44, 0x00},   // kInternalTargetFailure
    {K::kUnitAttention, 0x29, 0x00},   // kPowerOnResetOccurred
    {K::kUnitAttention, 0x29, 0x03},   // kBusDeviceResetOccurred
    {K::kUnitAttention, 0x29, 0x07},   // kItNexusLossOccurred
    {K::kUnitAttention, 0x2A, 0x01},   // kModeParametersChanged
    {K::kUnitAttention, 0x2A, 0x03},   // kReservationsPreempted
    {K::kUnitAttention, 0x2A, 0x04},   // kReservationsReleased
    {K::kUnitAttention, 0x2A, 0x05},   // kRegistrationsPreempted
    {K::kUnitAttention, 0x2A, 0x06},   // kAsymmetricAccessStateChanged
    {K::kUnitAttention, 0x2A, 0x09},   // kCapacityDataChanged
    {K::kUnitAttention, 0x2F, 0x00},   // kCommandsClearedByAnotherInitiator
    {K::kUnitAttention, 0x28, 0x00},   // kMediumMayHaveChanged
    {K::kUnitAttention, 0x3F, 0x03},   // kInquiryDataChanged
    {K::kUnitAttention, 0x3F, 0x0E},   // kReportedLunsDataChanged
    {K::kIllegalRequest, 0x00, 0x16},  // kOperationInProgress
    {K::kIllegalRequest, 0x26, 0x06},  // kTooManyTargetDescriptors
    {K::kIllegalRequest, 0x26, 0x07},  // kUnsupportedTargetDescriptorType
    {K::kIllegalRequest, 0x26, 0x08},  // kTooManySegmentDescriptors
    {K::kIllegalRequest, 0x26, 0x09},  // kUnsupportedSegmentDescriptorType
    {K::kIllegalRequest, 0x26, 0x0B},  // kInlineDataLengthExceeded
    {K::kIllegalRequest, 0x55, 0x03},  // kInsufficientResources
    {K::kCopyAborted, 0x26, 0x0A},     // kCopyUnexpectedInexactSegment
    {K::kCopyAborted, 0x08, 0x04},     // kCopyUnreachableTarget
    {K::kCopyAborted, 0x0D, 0x01},     // kCopyThirdPartyDeviceFailure
    {K::kCopyAborted, 0x0D, 0x02},     // kCopyTargetNotReachable
    {K::kCopyAborted, 0x0D, 0x03},     // kCopyIncorrectTargetType
    {K::kMediumError, 0x31, 0x03},     // kSanitizeCommandFailed
}};
static_assert(kAscTable[static_cast<size_t>(Asc::kReportedLunsDataChanged)].asc == 0x3F);
static_assert(kAscTable[static_cast<size_t>(Asc::kWriteProtected)].asc == 0x27);
static_assert(kAscTable[static_cast<size_t>(Asc::kCopyIncorrectTargetType)].ascq == 0x03);
static_assert(kAscTable[static_cast<size_t>(Asc::kSanitizeCommandFailed)].asc == 0x31);

ScsiResult WithPointer(Asc code, bool in_cdb, uint16_t byte, int bit) {
  ScsiResult r = SenseFor(code);
  r.field.valid = true;
  r.field.in_cdb = in_cdb;
  r.field.byte = byte;
  if (bit >= 0 && bit <= 7) {
    r.field.bit_valid = true;
    r.field.bit = static_cast<uint8_t>(bit);
  }
  return r;
}

// SPC-4 4.5.2.4.2: SKSV, C/D, BPV, BIT POINTER, FIELD POINTER; 4.5.2.4.5 puts
// SD one bit lower for the segment pointer.
void PutFieldPointer(uint8_t* p, const FieldPointer& f) {
  uint8_t where = f.in_cdb ? (f.segment ? 0x20 : 0x40) : 0;
  p[0] = static_cast<uint8_t>(0x80 | where | (f.bit_valid ? 0x08 : 0) | (f.bit & 0x07));
  PutBe16(p + 1, f.byte);
}

// Sense-key-specific bytes: a field/segment pointer or a progress indication
// (SPC-4 4.5.2.4.4). Returns false when the result has neither.
bool PutSenseKeySpecific(uint8_t* p, const ScsiResult& r) {
  if (r.field.valid) {
    PutFieldPointer(p, r.field);
    return true;
  }
  if (r.progress_valid) {
    p[0] = 0x80;
    PutBe16(p + 1, r.progress);
    return true;
  }
  return false;
}

}  // namespace

AscInfo AscInfoFor(Asc code) {
  auto i = static_cast<size_t>(code);
  return i < kAscTable.size() ? kAscTable[i] : kAscTable[0];
}

ScsiResult SenseFor(Asc code) {
  AscInfo info = AscInfoFor(code);
  return SenseRaw(info.key, info.asc, info.ascq);
}

ScsiResult SenseRaw(SenseKey key, uint8_t asc, uint8_t ascq) {
  ScsiResult r;
  r.status = ScsiStatus::kCheckCondition;
  r.key = key;
  r.asc = asc;
  r.ascq = ascq;
  return r;
}

ScsiResult InvalidFieldInCdb(uint16_t byte, int bit) {
  return WithPointer(Asc::kInvalidFieldInCdb, true, byte, bit);
}

ScsiResult InvalidFieldInParameterList(uint16_t byte, int bit) {
  return WithPointer(Asc::kInvalidFieldInParameterList, false, byte, bit);
}

ScsiResult ParameterListLengthError(int cdb_byte) {
  if (cdb_byte < 0) return SenseFor(Asc::kParameterListLengthError);
  return WithPointer(Asc::kParameterListLengthError, true, static_cast<uint16_t>(cdb_byte), -1);
}

ScsiResult Miscompare(uint64_t offset) {
  return SenseWithInfo(Asc::kMiscompareDuringVerify, offset);
}

ScsiResult SenseWithInfo(Asc code, uint64_t information) {
  ScsiResult r = SenseFor(code);
  r.info_valid = true;
  r.information = information;
  return r;
}

ScsiResult CopyFailure(Asc code, uint32_t segment) {
  ScsiResult r = SenseFor(code);
  r.csi_valid = true;
  r.command_specific = segment;
  return r;
}

ScsiResult SenseWithProgress(Asc code, uint16_t progress) {
  ScsiResult r = SenseFor(code);
  r.progress_valid = true;
  r.progress = progress;
  return r;
}

size_t BuildSense(const ScsiResult& r, SenseFormat format, std::span<uint8_t> out) {
  if (!r.has_sense()) return 0;
  uint8_t buf[kMaxSenseLength] = {};
  size_t len = 0;
  if (format == SenseFormat::kFixed) {
    // SPC-4 4.5.3: fixed format, 18 bytes. INFORMATION is 4 bytes; VALID is set
    // only when the value fits.
    bool info_fits = r.info_valid && r.information <= 0xFFFFFFFFu;
    buf[0] = static_cast<uint8_t>(0x70 | (info_fits ? 0x80 : 0));
    buf[2] = static_cast<uint8_t>(r.key);
    if (info_fits) PutBe32(buf + 3, static_cast<uint32_t>(r.information));
    buf[7] = 10;
    if (r.csi_valid) PutBe32(buf + 8, static_cast<uint32_t>(r.command_specific));
    buf[12] = r.asc;
    buf[13] = r.ascq;
    PutSenseKeySpecific(buf + 15, r);
    len = 18;
  } else {
    // SPC-4 4.5.2: descriptor format with information (00h) and
    // sense-key-specific (02h) descriptors.
    buf[0] = 0x72;
    buf[1] = static_cast<uint8_t>(r.key);
    buf[2] = r.asc;
    buf[3] = r.ascq;
    len = 8;
    if (r.info_valid) {
      buf[len] = 0x00;
      buf[len + 1] = 0x0A;
      buf[len + 2] = 0x80;
      PutBe64(buf + len + 4, r.information);
      len += 12;
    }
    if (r.csi_valid) {  // SPC-4 4.5.2.3 command-specific information
      buf[len] = 0x01;
      buf[len + 1] = 0x0A;
      PutBe64(buf + len + 4, r.command_specific);
      len += 12;
    }
    if (PutSenseKeySpecific(buf + len + 4, r)) {
      buf[len] = 0x02;
      buf[len + 1] = 0x06;
      len += 8;
    }
    buf[7] = static_cast<uint8_t>(len - 8);
  }
  if (out.size() < len) {
    if (out.size() < 18) return 0;
    len = out.size();
  }
  std::memcpy(out.data(), buf, len);
  return len;
}

}  // namespace openstmf::scsi
