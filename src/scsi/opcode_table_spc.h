// The opcode table rows for the SPC-4 commands (primary command set), sorted by opcode
// and service action. Columns: opcode, service action, CDB length, usage mask,
// handler, LBA layout, transfer rule, length field offset and size, flags,
// ALUA states allowed, reservation access, serialisation class, recommended
// timeout (seconds), name.
#ifndef OPENSTMF_SCSI_OPCODE_TABLE_SPC_H
#define OPENSTMF_SCSI_OPCODE_TABLE_SPC_H

#include "scsi/opcode_rows.h"

namespace openstmf::scsi::opcode_rows {

inline constexpr OpcodeEntry kSpcOpcodes[] = {
    Row(0x00, kNoSa, 6, {0x00, 0, 0, 0, 0, 0}, h::TestUnitReady, L::kNone, X::kNone, 0, 0, kMed, 0,
        kAny, Sc::kNone, 10, "TEST UNIT READY"),
    Row(0x03, kNoSa, 6, {0x03, 0x01, 0, 0, 0xFF, 0}, h::RequestSense, L::kNone, X::kAllocLen, 4, 1,
        kNoUa | kRes | kSan, kAll, kAny, Sc::kNone, 10, "REQUEST SENSE"),
    Row(0x12, kNoSa, 6, {0x12, 0x01, 0xFF, 0xFF, 0xFF, 0}, h::Inquiry, L::kNone, X::kAllocLen, 3, 2,
        kNoUa | kRes | kSan, kAll, kAny, Sc::kNone, 10, "INQUIRY"),
    Row(0x15, kNoSa, 6, {0x15, 0x11, 0, 0, 0xFF, 0}, h::ModeSelect, L::kNone, X::kParamLen, 4, 1, 0,
        kSb, kNo, Sc::kBarrier, 30, "MODE SELECT(6)"),
    Row(0x16, kNoSa, 6, {0x16, 0, 0, 0, 0, 0}, h::Reserve, L::kNone, X::kNone, 0, 0,
        kFlagLegacyReserve, 0, kNo, Sc::kBarrier, 10, "RESERVE(6)"),
    Row(0x17, kNoSa, 6, {0x17, 0, 0, 0, 0, 0}, h::Release, L::kNone, X::kNone, 0, 0,
        kFlagLegacyReserve | kRes, 0, kNo, Sc::kBarrier, 10, "RELEASE(6)"),
    Row(0x1A, kNoSa, 6, {0x1A, 0x08, 0xFF, 0xFF, 0xFF, 0}, h::ModeSense, L::kNone, X::kAllocLen, 4,
        1, 0, kSb, kNo, Sc::kNone, 10, "MODE SENSE(6)"),
    Row(0x4D, kNoSa, 10, {0x4D, 0x01, 0xFF, 0xFF, 0, 0xFF, 0xFF, 0xFF, 0xFF, 0}, h::LogSense,
        L::kNone, X::kAllocLen, 7, 2, kRes | kSan, kSb, kAny, Sc::kNone, 10, "LOG SENSE"),
    Row(0x55, kNoSa, 10, {0x55, 0x11, 0, 0, 0, 0, 0, 0xFF, 0xFF, 0}, h::ModeSelect, L::kNone,
        X::kParamLen, 7, 2, 0, kSb, kNo, Sc::kBarrier, 30, "MODE SELECT(10)"),
    Row(0x56, kNoSa, 10, {0x56, 0, 0, 0, 0, 0, 0, 0, 0, 0}, h::Reserve, L::kNone, X::kNone, 0, 0,
        kFlagLegacyReserve, 0, kNo, Sc::kBarrier, 10, "RESERVE(10)"),
    Row(0x57, kNoSa, 10, {0x57, 0, 0, 0, 0, 0, 0, 0, 0, 0}, h::Release, L::kNone, X::kNone, 0, 0,
        kFlagLegacyReserve | kRes, 0, kNo, Sc::kBarrier, 10, "RELEASE(10)"),
    Row(0x5A, kNoSa, 10, {0x5A, 0x18, 0xFF, 0xFF, 0, 0, 0, 0xFF, 0xFF, 0}, h::ModeSense, L::kNone,
        X::kAllocLen, 7, 2, 0, kSb, kNo, Sc::kNone, 10, "MODE SENSE(10)"),
    Row(0x5E, kNoSa, 10, {0x5E, 0x1F, 0, 0, 0, 0, 0, 0xFF, 0xFF, 0}, h::PersistentReserveIn,
        L::kNone, X::kAllocLen, 7, 2, 0, kSb, kAny, Sc::kNone, 10, "PERSISTENT RESERVE IN"),
    Row(0x5F, kNoSa, 10, {0x5F, 0x1F, 0xFF, 0, 0, 0xFF, 0xFF, 0xFF, 0xFF, 0},
        h::PersistentReserveOut, L::kNone, X::kParamLen, 5, 4, 0, kSb, kAny, Sc::kBarrier, 10,
        "PERSISTENT RESERVE OUT"),
    // SPC-4 6.3, 6.18: third-party copy (LID1).
    Row(0x83, 0x00, 16, {0x83, 0x1F, 0, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF, 0xFF, 0xFF, 0, 0},
        h::ExtendedCopy, L::kNone, X::kParamLen, 10, 4, kMed, 0, kNo, Sc::kBarrier, 120,
        "EXTENDED COPY(LID1)"),
    Row(0x84, 0x00, 16, {0x84, 0x1F, 0xFF, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF, 0xFF, 0xFF, 0, 0},
        h::ReceiveCopyResults, L::kNone, X::kAllocLen, 10, 4, 0, 0, kRd, Sc::kNone, 10,
        "RECEIVE COPY RESULTS COPY STATUS"),
    Row(0x84, 0x01, 16, {0x84, 0x1F, 0xFF, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF, 0xFF, 0xFF, 0, 0},
        h::ReceiveCopyResults, L::kNone, X::kAllocLen, 10, 4, 0, 0, kRd, Sc::kNone, 10,
        "RECEIVE COPY RESULTS RECEIVE DATA"),
    Row(0x84, 0x03, 16, {0x84, 0x1F, 0, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF, 0xFF, 0xFF, 0, 0},
        h::ReceiveCopyResults, L::kNone, X::kAllocLen, 10, 4, 0, 0, kRd, Sc::kNone, 10,
        "RECEIVE COPY RESULTS OPERATING PARAMETERS"),
    Row(0x84, 0x04, 16, {0x84, 0x1F, 0xFF, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF, 0xFF, 0xFF, 0, 0},
        h::ReceiveCopyResults, L::kNone, X::kAllocLen, 10, 4, 0, 0, kRd, Sc::kNone, 10,
        "RECEIVE COPY RESULTS FAILED SEGMENT DETAILS"),
    Row(0xA0, kNoSa, 12, {0xA0, 0, 0xFF, 0, 0, 0, 0xFF, 0xFF, 0xFF, 0xFF, 0, 0}, h::ReportLuns,
        L::kNone, X::kAllocLen, 6, 4, kNoUa | kRes | kSan, kAll, kAny, Sc::kNone, 10,
        "REPORT LUNS"),
    Row(0xA3, 0x0A, 12, {0xA3, 0xFF, 0, 0, 0, 0, 0xFF, 0xFF, 0xFF, 0xFF, 0, 0},
        h::ReportTargetPortGroups, L::kNone, X::kAllocLen, 6, 4, kRes, kAll, kAny, Sc::kNone, 10,
        "REPORT TARGET PORT GROUPS"),
    Row(0xA3, 0x0C, 12, {0xA3, 0x1F, 0x87, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0, 0},
        h::ReportSupportedOpcodes, L::kNone, X::kAllocLen, 6, 4, kRes, kAll, kAny, Sc::kNone, 10,
        "REPORT SUPPORTED OPERATION CODES"),
    Row(0xA3, 0x0D, 12, {0xA3, 0x1F, 0x80, 0, 0, 0, 0xFF, 0xFF, 0xFF, 0xFF, 0, 0},
        h::ReportSupportedTmf, L::kNone, X::kAllocLen, 6, 4, kRes, kAll, kAny, Sc::kNone, 10,
        "REPORT SUPPORTED TASK MANAGEMENT FUNCTIONS"),
    Row(0xA4, 0x0A, 12, {0xA4, 0x1F, 0, 0, 0, 0, 0xFF, 0xFF, 0xFF, 0xFF, 0, 0},
        h::SetTargetPortGroups, L::kNone, X::kParamLen, 6, 4, 0, kSbUn, kNo, Sc::kBarrier, 30,
        "SET TARGET PORT GROUPS"),
};

}  // namespace openstmf::scsi::opcode_rows

#endif  // OPENSTMF_SCSI_OPCODE_TABLE_SPC_H
