// The code tables a target answers with: Reject reasons (RFC 7143 §11.17.1), Login
// status class/detail (§11.13.5), task management responses (§11.6.1), logout
// responses (§11.15.1) and asynchronous events (§11.9.1).
//
// Thread-safety: constants and pure functions.
#ifndef OPENSTMF_PORT_ISCSI_STATUS_CODES_H
#define OPENSTMF_PORT_ISCSI_STATUS_CODES_H

#include <cstdint>
#include <string_view>

namespace openstmf::iscsi {

// RFC 7143 §11.17.1.
enum class RejectReason : uint8_t {
  kReserved = 0x01,
  kDataDigestError = 0x02,
  kSnackReject = 0x03,
  kProtocolError = 0x04,
  kCommandNotSupported = 0x05,
  kImmediateCommandReject = 0x06,  // too many immediate commands
  kTaskInProgress = 0x07,
  kInvalidDataAck = 0x08,
  kInvalidPduField = 0x09,
  kLongOperationReject = 0x0a,  // out of resources to generate a Target Transfer Tag
  kDeprecated = 0x0b,           // was "negotiation reset"
  kWaitingForLogout = 0x0c,
};
std::string_view RejectReasonName(RejectReason reason);

// Login Status-Class (high byte) and Status-Detail (low byte), RFC 7143 §11.13.5.
enum class LoginStatus : uint16_t {
  kSuccess = 0x0000,
  kTargetMovedTemporarily = 0x0101,
  kTargetMovedPermanently = 0x0102,
  kInitiatorError = 0x0200,
  kAuthenticationFailure = 0x0201,
  kAuthorizationFailure = 0x0202,
  kNotFound = 0x0203,
  kTargetRemoved = 0x0204,
  kUnsupportedVersion = 0x0205,
  kTooManyConnections = 0x0206,
  kMissingParameter = 0x0207,
  kCantIncludeInSession = 0x0208,
  kSessionTypeNotSupported = 0x0209,
  kSessionDoesNotExist = 0x020a,
  kInvalidDuringLogin = 0x020b,
  kTargetError = 0x0300,
  kServiceUnavailable = 0x0301,
  kOutOfResources = 0x0302,
};
inline constexpr uint8_t StatusClass(LoginStatus s) {
  return static_cast<uint8_t>(static_cast<uint16_t>(s) >> 8);
}
inline constexpr uint8_t StatusDetail(LoginStatus s) {
  return static_cast<uint8_t>(static_cast<uint16_t>(s) & 0xff);
}
std::string_view LoginStatusName(LoginStatus status);

// RFC 7143 §11.6.1.
enum class TmfResponse : uint8_t {
  kFunctionComplete = 0,
  kTaskDoesNotExist = 1,
  kLunDoesNotExist = 2,
  kTaskStillAllegiant = 3,
  kTaskReassignNotSupported = 4,
  kFunctionNotSupported = 5,
  kAuthorizationFailed = 6,
  kFunctionSucceeded = 7,  // QUERY TASK: task exists (RFC 7144)
  kFunctionRejected = 255,
};

// RFC 7143 §11.15.1.
enum class LogoutResponseCode : uint8_t {
  kClosedSuccessfully = 0,
  kCidNotFound = 1,
  kRecoveryNotSupported = 2,
  kCleanupFailed = 3,
};

// RFC 7143 §11.9.1.
enum class AsyncEvent : uint8_t {
  kScsiAsyncEvent = 0,
  kLogoutRequested = 1,
  kConnectionWillDrop = 2,
  kSessionWillDrop = 3,
  kRenegotiationRequested = 4,
  kVendorSpecific = 255,
};

// iSCSI response codes in the SCSI Response PDU, RFC 7143 §11.4.3.
enum class ScsiResponseCode : uint8_t { kCommandCompleted = 0x00, kTargetFailure = 0x01 };

}  // namespace openstmf::iscsi

#endif  // OPENSTMF_PORT_ISCSI_STATUS_CODES_H
