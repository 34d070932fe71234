// Header checks for PDUs received by a target, before any handler sees them.
//
// ValidateHeader looks only at the BHS and AHS (not the data segment) and answers
// whether the PDU may be processed in the connection's current state. A failure says
// exactly how to answer: a Reject PDU with a reason (RFC 7143 §11.17.1), a Login
// Response with a status class/detail (§11.13.5), or dropping the connection when
// framing can no longer be trusted.
//
// Reserved fields: RFC 7143 §11.2 makes receivers ignore reserved bits and fields,
// so they are checked only with strict_reserved (for conformance tests and fuzzing);
// reserved *code values* in defined fields are always a protocol error.
//
// Thread-safety: pure function.
#ifndef OPENSTMF_PORT_ISCSI_VALIDATOR_H
#define OPENSTMF_PORT_ISCSI_VALIDATOR_H

#include <cstdint>
#include <optional>
#include <span>

#include "port/iscsi/status_codes.h"

namespace openstmf::iscsi {

enum class Phase : uint8_t { kLogin, kFullFeature };

// What the connection must do with an invalid PDU.
enum class PduAction : uint8_t {
  kReject,          // send Reject(reason) carrying the header; keep the connection
  kLoginReject,     // send a Login Response with login_status; close the connection
  kDropConnection,  // framing lost (e.g. header digest error); close the connection
};

struct PduError {
  PduAction action = PduAction::kReject;
  RejectReason reason = RejectReason::kProtocolError;
  LoginStatus login_status = LoginStatus::kInitiatorError;
  const char* what = "";  // static text for the log line
};

// The connection state the checks depend on. During login the receive limit is 8192
// (RFC 7143 §13.12 default); afterwards it is our declared MaxRecvDataSegmentLength.
struct ValidatorOptions {
  Phase phase = Phase::kLogin;
  bool discovery = false;
  uint32_t max_recv_data_segment_length = 8192;
  // Negotiated session parameters that limit unsolicited data (RFC 7143 §13.10-13.14).
  bool immediate_data = true;
  bool initial_r2t = true;
  uint32_t first_burst_length = 65536;
  uint8_t error_recovery_level = 0;
  bool strict_reserved = false;
};

// Checks the header of one PDU; `ahs` is its TotalAHSLength bytes.
std::optional<PduError> ValidateHeader(const uint8_t* bhs, std::span<const uint8_t> ahs,
                                       const ValidatorOptions& options);

}  // namespace openstmf::iscsi

#endif  // OPENSTMF_PORT_ISCSI_VALIDATOR_H
