// Operational parameters of a session/connection (RFC 7143 §13) and the target's
// negotiation policy.
//
// OperationalParams starts at the RFC defaults, which apply to anything not
// negotiated; the negotiator (negotiator.h) moves it to the agreed values.
// NegotiationConfig holds what this target offers or accepts; its defaults follow
// docs/iscsi.md (throughput first: ImmediateData=Yes, InitialR2T=No, large bursts,
// MaxRecvDataSegmentLength 256 KiB, MaxOutstandingR2T > 1). A target's configuration
// may override each value.
//
// Thread-safety: plain values.
#ifndef OPENSTMF_PORT_ISCSI_PARAMS_H
#define OPENSTMF_PORT_ISCSI_PARAMS_H

#include <cstdint>

#include "base/status.h"

namespace openstmf::iscsi {

enum class SessionType : uint8_t { kNormal, kDiscovery };

struct OperationalParams {
  bool header_digest = false;  // CRC32C when true
  bool data_digest = false;
  uint32_t max_connections = 1;
  bool initial_r2t = true;
  bool immediate_data = true;
  // What this target receives: the value it declared (8192 until declared).
  uint32_t max_recv_data_segment_length = 8192;
  // What this target may send: the initiator's declaration (8192 until declared).
  uint32_t max_xmit_data_segment_length = 8192;
  uint32_t max_burst_length = 262144;
  uint32_t first_burst_length = 65536;
  uint32_t default_time2wait = 2;
  uint32_t default_time2retain = 20;
  uint32_t max_outstanding_r2t = 1;
  bool data_pdu_in_order = true;
  bool data_sequence_in_order = true;
  uint32_t error_recovery_level = 0;
  uint32_t protocol_level = 1;
};

struct NegotiationConfig {
  bool header_digest_crc32c = true;  // accept HeaderDigest=CRC32C
  bool header_digest_none = true;    // accept HeaderDigest=None
  bool data_digest_crc32c = true;
  bool data_digest_none = true;
  uint32_t max_connections = 4;
  bool initial_r2t = false;
  bool immediate_data = true;
  uint32_t max_recv_data_segment_length = 262144;
  uint32_t max_burst_length = 1048576;
  uint32_t first_burst_length = 262144;
  uint32_t default_time2wait = 2;
  uint32_t default_time2retain = 20;
  uint32_t max_outstanding_r2t = 16;
  bool data_pdu_in_order = true;
  bool data_sequence_in_order = true;
  uint32_t error_recovery_level = 0;
  uint32_t protocol_level = 1;  // RFC 7143

  // InvalidArgument naming the first value outside its RFC 7143 §13 range, or a
  // FirstBurstLength above MaxBurstLength, or no acceptable digest.
  Status Validate() const;
};

}  // namespace openstmf::iscsi

#endif  // OPENSTMF_PORT_ISCSI_PARAMS_H
