#include "port/iscsi/status_codes.h"

namespace openstmf::iscsi {

std::string_view RejectReasonName(RejectReason reason) {
  switch (reason) {
    case RejectReason::kReserved:
      return "reserved";
    case RejectReason::kDataDigestError:
      return "data digest error";
    case RejectReason::kSnackReject:
      return "SNACK reject";
    case RejectReason::kProtocolError:
      return "protocol error";
    case RejectReason::kCommandNotSupported:
      return "command not supported";
    case RejectReason::kImmediateCommandReject:
      return "too many immediate commands";
    case RejectReason::kTaskInProgress:
      return "task in progress";
    case RejectReason::kInvalidDataAck:
      return "invalid data ack";
    case RejectReason::kInvalidPduField:
      return "invalid PDU field";
    case RejectReason::kLongOperationReject:
      return "long operation reject";
    case RejectReason::kDeprecated:
      return "deprecated";
    case RejectReason::kWaitingForLogout:
      return "waiting for logout";
  }
  return "unknown";
}

std::string_view LoginStatusName(LoginStatus status) {
  switch (status) {
    case LoginStatus::kSuccess:
      return "success";
    case LoginStatus::kTargetMovedTemporarily:
      return "target moved temporarily";
    case LoginStatus::kTargetMovedPermanently:
      return "target moved permanently";
    case LoginStatus::kInitiatorError:
      return "initiator error";
    case LoginStatus::kAuthenticationFailure:
      return "authentication failure";
    case LoginStatus::kAuthorizationFailure:
      return "authorization failure";
    case LoginStatus::kNotFound:
      return "not found";
    case LoginStatus::kTargetRemoved:
      return "target removed";
    case LoginStatus::kUnsupportedVersion:
      return "unsupported version";
    case LoginStatus::kTooManyConnections:
      return "too many connections";
    case LoginStatus::kMissingParameter:
      return "missing parameter";
    case LoginStatus::kCantIncludeInSession:
      return "can't include in session";
    case LoginStatus::kSessionTypeNotSupported:
      return "session type not supported";
    case LoginStatus::kSessionDoesNotExist:
      return "session does not exist";
    case LoginStatus::kInvalidDuringLogin:
      return "invalid during login";
    case LoginStatus::kTargetError:
      return "target error";
    case LoginStatus::kServiceUnavailable:
      return "service unavailable";
    case LoginStatus::kOutOfResources:
      return "out of resources";
  }
  return "unknown";
}

}  // namespace openstmf::iscsi
