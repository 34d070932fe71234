#include "port/iscsi/framer.h"

#include "base/crc32c.h"

namespace openstmf::iscsi {

FrameResult Framer::Next(std::span<const uint8_t> buf) {
  FrameResult r;
  if (buf.size() < kBhsSize) {
    r.length = kBhsSize;
    return r;
  }
  const uint8_t* bhs = buf.data();
  const BhsView v(bhs);
  const size_t ahs_len = v.total_ahs_length();
  const size_t header_len = kBhsSize + ahs_len + (config_.digests.header ? kDigestSize : 0);
  if (buf.size() < header_len) {
    r.length = header_len;
    return r;
  }
  const std::span<const uint8_t> ahs(bhs + kBhsSize, ahs_len);
  const size_t dsl = v.data_segment_length();
  const size_t data_wire =
      dsl == 0 ? 0 : dsl + PadLength(dsl) + (config_.digests.data ? kDigestSize : 0);
  const size_t total = header_len + data_wire;

  if (!header_checked_) {
    if (config_.digests.header &&
        crc32c::LoadDigest(bhs + kBhsSize + ahs_len) != ComputeHeaderDigest(bhs, ahs)) {
      // RFC 7143 §7.8: lengths in a corrupt header cannot be trusted; at
      // ErrorRecoveryLevel 0 the connection goes.
      r.status = FrameStatus::kError;
      r.error = {PduAction::kDropConnection, RejectReason::kProtocolError,
                 LoginStatus::kInitiatorError, "header digest error"};
      return r;
    }
    if (auto err = ValidateHeader(bhs, ahs, config_.validation)) {
      r.status = FrameStatus::kError;
      r.error = *err;
      r.pdu.bhs = bhs;
      r.length = err->action == PduAction::kReject ? total : 0;
      return r;
    }
    header_checked_ = true;
  }
  if (buf.size() < total) {
    r.length = total;
    return r;
  }
  header_checked_ = false;  // whatever happens next, the front PDU is consumed

  r.pdu.bhs = bhs;
  r.pdu.ahs = ahs;
  r.pdu.data = std::span<const uint8_t>(bhs + header_len, dsl);
  r.pdu.wire_length = total;
  r.length = total;
  if (dsl > 0 && config_.digests.data &&
      crc32c::LoadDigest(bhs + header_len + dsl + PadLength(dsl)) !=
          ComputeDataDigest(r.pdu.data)) {
    // RFC 7143 §7.8: the header is good, so reject this PDU and carry on.
    r.status = FrameStatus::kError;
    r.error = {PduAction::kReject, RejectReason::kDataDigestError, LoginStatus::kInitiatorError,
               "data digest error"};
    return r;
  }
  r.status = FrameStatus::kPdu;
  return r;
}

}  // namespace openstmf::iscsi
