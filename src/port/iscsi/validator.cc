#include "port/iscsi/validator.h"

#include "port/iscsi/ahs.h"
#include "port/iscsi/bhs.h"
#include "port/iscsi/pdu_initiator.h"

namespace openstmf::iscsi {
namespace {

PduError Rej(RejectReason reason, const char* what) {
  return {PduAction::kReject, reason, LoginStatus::kInitiatorError, what};
}
PduError LoginRej(LoginStatus status, const char* what) {
  return {PduAction::kLoginReject, RejectReason::kProtocolError, status, what};
}

// Reserved areas per initiator opcode, as data: a mask of reserved bits in byte 1
// and byte ranges that must be zero (RFC 7143 §11.3-§11.18 layouts).
struct ReservedLayout {
  uint8_t opcode;
  uint8_t byte1_mask;
  uint8_t ranges[4][2];  // [begin, end) pairs; {0,0} ends the list
};
constexpr ReservedLayout kReserved[] = {
    {0x00, 0x7f, {{2, 4}, {32, 48}, {0, 0}, {0, 0}}},      // NOP-Out
    {0x01, 0x18, {{2, 4}, {0, 0}, {0, 0}, {0, 0}}},        // SCSI Command
    {0x02, 0x00, {{2, 4}, {40, 48}, {0, 0}, {0, 0}}},      // Task Management
    {0x03, 0x30, {{22, 24}, {32, 48}, {0, 0}, {0, 0}}},    // Login
    {0x04, 0x3f, {{2, 4}, {32, 48}, {0, 0}, {0, 0}}},      // Text
    {0x05, 0x7f, {{2, 4}, {24, 28}, {32, 36}, {44, 48}}},  // Data-Out
    {0x06, 0x00, {{2, 4}, {8, 16}, {22, 24}, {32, 48}}},   // Logout
    {0x10, 0x70, {{2, 4}, {24, 28}, {32, 40}, {0, 0}}},    // SNACK
};

bool ReservedClear(const uint8_t* bhs, uint8_t opcode) {
  if ((bhs[0] & 0x80) != 0) return false;
  for (const auto& layout : kReserved) {
    if (layout.opcode != opcode) continue;
    if ((bhs[1] & layout.byte1_mask) != 0) return false;
    for (const auto& r : layout.ranges) {
      for (int i = r[0]; i < r[1]; ++i) {
        if (bhs[i] != 0) return false;
      }
    }
  }
  return true;
}

std::optional<PduError> ValidateLoginPhase(const uint8_t* bhs, BhsView v,
                                           const ValidatorOptions& o) {
  // RFC 7143 §6.3: only Login Requests until the Full Feature Phase.
  if (v.opcode() != static_cast<uint8_t>(Opcode::kLoginRequest)) {
    return LoginRej(LoginStatus::kInvalidDuringLogin, "non-login PDU during login");
  }
  if (v.total_ahs_length() != 0) {
    return LoginRej(LoginStatus::kInitiatorError, "AHS on Login Request");
  }
  if (v.data_segment_length() > o.max_recv_data_segment_length) {
    return LoginRej(LoginStatus::kInitiatorError, "login text exceeds 8192 bytes");
  }
  const LoginRequest l = LoginRequest::Decode(bhs);
  // RFC 7143 §11.12.2: T and C are exclusive; stage 2 is reserved.
  if (l.transit && l.continue_) {
    return LoginRej(LoginStatus::kInitiatorError, "login T and C both set");
  }
  if (l.csg == 2 || l.csg == 3 || (l.transit && l.nsg == 2)) {
    return LoginRej(LoginStatus::kInitiatorError, "reserved login stage");
  }
  if (o.strict_reserved && (!v.immediate() || !ReservedClear(bhs, v.opcode()))) {
    return LoginRej(LoginStatus::kInitiatorError, "reserved login field set");
  }
  return std::nullopt;
}

std::optional<PduError> ValidateScsiCommand(const uint8_t* bhs, std::span<const uint8_t> ahs,
                                            const ValidatorOptions& o) {
  const ScsiCommand c = ScsiCommand::Decode(bhs);
  if (c.attr > static_cast<uint8_t>(TaskAttr::kAca)) {
    return Rej(RejectReason::kProtocolError, "reserved task attribute");
  }
  AhsInfo info;
  const char* ahs_error = "";
  if (!ParseAhs(ahs, &info, &ahs_error)) return Rej(RejectReason::kInvalidPduField, ahs_error);
  // RFC 7143 §11.3.1: unsolicited data (F=0 or immediate data) needs W.
  if (!c.write && (!c.final_bit || c.data_segment_length > 0)) {
    return Rej(RejectReason::kInvalidPduField, "data-out for a command without W");
  }
  if (c.data_segment_length > c.expected_data_transfer_length) {
    return Rej(RejectReason::kInvalidPduField, "immediate data exceeds transfer length");
  }
  // RFC 7143 §13.11, §13.10, §13.14.
  if (c.data_segment_length > 0 && !o.immediate_data) {
    return Rej(RejectReason::kProtocolError, "immediate data with ImmediateData=No");
  }
  if (!c.final_bit && o.initial_r2t) {
    return Rej(RejectReason::kProtocolError, "unsolicited data with InitialR2T=Yes");
  }
  if (c.data_segment_length > o.first_burst_length) {
    return Rej(RejectReason::kProtocolError, "immediate data exceeds FirstBurstLength");
  }
  return std::nullopt;
}

}  // namespace

std::optional<PduError> ValidateHeader(const uint8_t* bhs, std::span<const uint8_t> ahs,
                                       const ValidatorOptions& o) {
  const BhsView v(bhs);
  if (o.phase == Phase::kLogin) return ValidateLoginPhase(bhs, v, o);

  const uint8_t op = v.opcode();
  if (!IsInitiatorOpcode(op)) {
    return Rej(RejectReason::kCommandNotSupported, "opcode not supported");
  }
  if (op == static_cast<uint8_t>(Opcode::kLoginRequest)) {
    return Rej(RejectReason::kProtocolError, "Login Request in full feature phase");
  }
  // RFC 7143 §4.3: a discovery session carries Text, Logout and NOP only.
  if (o.discovery && op != static_cast<uint8_t>(Opcode::kTextRequest) &&
      op != static_cast<uint8_t>(Opcode::kLogoutRequest) &&
      op != static_cast<uint8_t>(Opcode::kNopOut)) {
    return Rej(RejectReason::kProtocolError, "PDU not allowed in a discovery session");
  }
  if (v.total_ahs_length() != 0 && op != static_cast<uint8_t>(Opcode::kScsiCommand)) {
    return Rej(RejectReason::kInvalidPduField, "AHS on a PDU other than SCSI Command");
  }
  // RFC 7143 §13.12: exceeding our declared MaxRecvDataSegmentLength.
  if (v.data_segment_length() > o.max_recv_data_segment_length) {
    return Rej(RejectReason::kProtocolError, "DataSegmentLength exceeds MaxRecvDataSegmentLength");
  }
  if (o.strict_reserved && !ReservedClear(bhs, op)) {
    return Rej(RejectReason::kInvalidPduField, "reserved field set");
  }

  switch (static_cast<Opcode>(op)) {
    case Opcode::kNopOut:
      if (!v.final_bit()) return Rej(RejectReason::kInvalidPduField, "NOP-Out without F");
      // RFC 7143 §11.18: a NOP-Out that wants no answer (ITT 0xffffffff) is immediate.
      if (v.itt() == kReservedTag && !v.immediate()) {
        return Rej(RejectReason::kProtocolError, "NOP-Out with reserved ITT must be immediate");
      }
      return std::nullopt;
    case Opcode::kScsiCommand:
      return ValidateScsiCommand(bhs, ahs, o);
    case Opcode::kTaskMgmtRequest:
      if (!v.final_bit()) return Rej(RejectReason::kInvalidPduField, "TMF request without F");
      if (v.data_segment_length() != 0) {
        return Rej(RejectReason::kInvalidPduField, "data on TMF request");
      }
      return std::nullopt;
    case Opcode::kTextRequest:
      // RFC 7143 §11.10.2: C=1 requires F=0.
      if (v.final_bit() && (v.flags() & 0x40) != 0) {
        return Rej(RejectReason::kProtocolError, "Text Request with F and C");
      }
      return std::nullopt;
    case Opcode::kScsiDataOut:
      return std::nullopt;
    case Opcode::kLogoutRequest:
      if (!v.final_bit()) return Rej(RejectReason::kInvalidPduField, "Logout without F");
      if ((v.flags() & 0x7f) > static_cast<uint8_t>(LogoutReason::kRemoveConnectionForRecovery)) {
        return Rej(RejectReason::kProtocolError, "reserved logout reason");
      }
      if (v.data_segment_length() != 0) {
        return Rej(RejectReason::kInvalidPduField, "data on Logout Request");
      }
      return std::nullopt;
    case Opcode::kSnackRequest: {
      const uint8_t type = v.flags() & 0x0f;
      if (type > static_cast<uint8_t>(SnackType::kRData) || v.data_segment_length() != 0) {
        return Rej(RejectReason::kProtocolError, "reserved SNACK type");
      }
      // RFC 7143 §11.16: only Status SNACK is meaningful at ErrorRecoveryLevel 0.
      if (o.error_recovery_level == 0 && type != static_cast<uint8_t>(SnackType::kStatus)) {
        return Rej(RejectReason::kSnackReject, "SNACK needs ErrorRecoveryLevel > 0");
      }
      return std::nullopt;
    }
    default:
      return Rej(RejectReason::kCommandNotSupported, "opcode not supported");
  }
}

}  // namespace openstmf::iscsi
