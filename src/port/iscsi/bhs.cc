#include "port/iscsi/bhs.h"

#include <cstring>

namespace openstmf::iscsi {

std::string_view OpcodeName(uint8_t opcode) {
  switch (static_cast<Opcode>(opcode)) {
    case Opcode::kNopOut:
      return "NOP-Out";
    case Opcode::kScsiCommand:
      return "SCSI Command";
    case Opcode::kTaskMgmtRequest:
      return "Task Management Request";
    case Opcode::kLoginRequest:
      return "Login Request";
    case Opcode::kTextRequest:
      return "Text Request";
    case Opcode::kScsiDataOut:
      return "SCSI Data-Out";
    case Opcode::kLogoutRequest:
      return "Logout Request";
    case Opcode::kSnackRequest:
      return "SNACK Request";
    case Opcode::kNopIn:
      return "NOP-In";
    case Opcode::kScsiResponse:
      return "SCSI Response";
    case Opcode::kTaskMgmtResponse:
      return "Task Management Response";
    case Opcode::kLoginResponse:
      return "Login Response";
    case Opcode::kTextResponse:
      return "Text Response";
    case Opcode::kScsiDataIn:
      return "SCSI Data-In";
    case Opcode::kLogoutResponse:
      return "Logout Response";
    case Opcode::kR2t:
      return "R2T";
    case Opcode::kAsyncMessage:
      return "Async Message";
    case Opcode::kReject:
      return "Reject";
  }
  return "unknown";
}

bool IsInitiatorOpcode(uint8_t opcode) { return opcode <= 0x06 || opcode == 0x10; }

bool IsTargetOpcode(uint8_t opcode) {
  return (opcode >= 0x20 && opcode <= 0x26) || opcode == 0x31 || opcode == 0x32 || opcode == 0x3f;
}

void InitBhs(uint8_t* out, Opcode opcode, bool immediate, uint8_t flags) {
  std::memset(out, 0, kBhsSize);
  out[0] = static_cast<uint8_t>(static_cast<uint8_t>(opcode) | (immediate ? 0x40 : 0));
  out[1] = flags;
}

void SetSegmentLengths(uint8_t* bhs, size_t ahs_bytes, uint32_t data_segment_length) {
  bhs[4] = static_cast<uint8_t>(ahs_bytes / 4);
  PutBe24(bhs + 5, data_segment_length);
}

}  // namespace openstmf::iscsi
