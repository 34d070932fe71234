#include "port/iscsi/params.h"

#include <string>

namespace openstmf::iscsi {
namespace {

Status Range(const char* name, uint32_t v, uint32_t lo, uint32_t hi) {
  if (v >= lo && v <= hi) return Status::Ok();
  return Status(Code::kInvalidArgument, std::string(name) + " " + std::to_string(v) + " outside " +
                                            std::to_string(lo) + ".." + std::to_string(hi));
}

}  // namespace

Status NegotiationConfig::Validate() const {
  constexpr uint32_t k24 = (1u << 24) - 1;
  // Ranges from RFC 7143 §13.2-§13.20.
  RETURN_IF_ERROR(Range("MaxConnections", max_connections, 1, 65535));
  RETURN_IF_ERROR(Range("MaxRecvDataSegmentLength", max_recv_data_segment_length, 512, k24));
  RETURN_IF_ERROR(Range("MaxBurstLength", max_burst_length, 512, k24));
  RETURN_IF_ERROR(Range("FirstBurstLength", first_burst_length, 512, k24));
  RETURN_IF_ERROR(Range("DefaultTime2Wait", default_time2wait, 0, 3600));
  RETURN_IF_ERROR(Range("DefaultTime2Retain", default_time2retain, 0, 3600));
  RETURN_IF_ERROR(Range("MaxOutstandingR2T", max_outstanding_r2t, 1, 65535));
  RETURN_IF_ERROR(Range("ErrorRecoveryLevel", error_recovery_level, 0, 2));
  RETURN_IF_ERROR(Range("iSCSIProtocolLevel", protocol_level, 0, 31));
  // RFC 7143 §13.14.
  if (first_burst_length > max_burst_length) {
    return Status(Code::kInvalidArgument, "FirstBurstLength exceeds MaxBurstLength");
  }
  if (!(header_digest_crc32c || header_digest_none) || !(data_digest_crc32c || data_digest_none)) {
    return Status(Code::kInvalidArgument, "no acceptable digest");
  }
  return Status::Ok();
}

}  // namespace openstmf::iscsi
