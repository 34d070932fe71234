// Field-by-field codecs for the ten PDUs a target sends (RFC 7143 §11).
//
// Encode(out) writes a complete 48-byte BHS into caller-provided memory (typically a
// slot of the connection's transmit ring) with reserved bytes zero; the data segment
// travels separately as iovecs (see tx_frame.h). Decode(bhs) exists for tests and
// round trips.
//
// Thread-safety: plain values.
#ifndef OPENSTMF_PORT_ISCSI_PDU_TARGET_H
#define OPENSTMF_PORT_ISCSI_PDU_TARGET_H

#include <cstdint>

#include "port/iscsi/bhs.h"

namespace openstmf::iscsi {

// The three sequence numbers most target PDUs carry at bytes 24..35.
struct TargetSn {
  uint32_t stat_sn = 0;
  uint32_t exp_cmd_sn = 0;
  uint32_t max_cmd_sn = 0;
};

// RFC 7143 §11.19.
struct NopIn {
  uint32_t data_segment_length = 0;
  uint64_t lun = 0;
  uint32_t itt = kReservedTag;
  uint32_t ttt = kReservedTag;
  TargetSn sn;

  static NopIn Decode(const uint8_t* bhs);
  void Encode(uint8_t* out) const;
};

// RFC 7143 §11.4.
struct ScsiResponse {
  bool bidi_overflow = false;        // o
  bool bidi_underflow = false;       // u
  bool overflow = false;             // O
  bool underflow = false;            // U
  uint8_t response = 0;              // ScsiResponseCode value
  uint8_t status = 0;                // SCSI status (SAM)
  uint32_t data_segment_length = 0;  // SenseLength field + sense data, or response data
  uint32_t itt = 0;
  uint32_t snack_tag = 0;
  TargetSn sn;
  uint32_t exp_data_sn = 0;
  uint32_t bidi_read_residual_count = 0;
  uint32_t residual_count = 0;

  static ScsiResponse Decode(const uint8_t* bhs);
  void Encode(uint8_t* out) const;
};

// RFC 7143 §11.6.
struct TaskMgmtResponse {
  uint8_t response = 0;  // TmfResponse value
  uint32_t itt = 0;
  TargetSn sn;

  static TaskMgmtResponse Decode(const uint8_t* bhs);
  void Encode(uint8_t* out) const;
};

// RFC 7143 §11.13.
struct LoginResponse {
  bool transit = false;
  bool continue_ = false;
  uint8_t csg = 0;
  uint8_t nsg = 0;
  uint8_t version_max = 0;
  uint8_t version_active = 0;
  uint32_t data_segment_length = 0;
  uint64_t isid = 0;
  uint16_t tsih = 0;
  uint32_t itt = 0;
  TargetSn sn;
  uint8_t status_class = 0;
  uint8_t status_detail = 0;

  static LoginResponse Decode(const uint8_t* bhs);
  void Encode(uint8_t* out) const;
};

// RFC 7143 §11.11.
struct TextResponse {
  bool final_bit = true;
  bool continue_ = false;
  uint32_t data_segment_length = 0;
  uint64_t lun = 0;
  uint32_t itt = 0;
  uint32_t ttt = kReservedTag;
  TargetSn sn;

  static TextResponse Decode(const uint8_t* bhs);
  void Encode(uint8_t* out) const;
};

// RFC 7143 §11.7. With status_present (S) the PDU also completes the command; then
// StatSN and the residual fields are meaningful.
struct DataIn {
  bool final_bit = false;
  bool acknowledge = false;  // A: ask for a DataACK SNACK (ERL > 0)
  bool overflow = false;
  bool underflow = false;
  bool status_present = false;
  uint8_t status = 0;
  uint32_t data_segment_length = 0;
  uint64_t lun = 0;
  uint32_t itt = 0;
  uint32_t ttt = kReservedTag;
  TargetSn sn;
  uint32_t data_sn = 0;
  uint32_t buffer_offset = 0;
  uint32_t residual_count = 0;

  static DataIn Decode(const uint8_t* bhs);
  void Encode(uint8_t* out) const;
};

// RFC 7143 §11.15.
struct LogoutResponse {
  uint8_t response = 0;  // LogoutResponseCode value
  uint32_t itt = 0;
  TargetSn sn;
  uint16_t time2wait = 0;
  uint16_t time2retain = 0;

  static LogoutResponse Decode(const uint8_t* bhs);
  void Encode(uint8_t* out) const;
};

// RFC 7143 §11.8.
struct R2t {
  uint64_t lun = 0;
  uint32_t itt = 0;
  uint32_t ttt = 0;
  TargetSn sn;  // StatSN here is the next StatSN, not incremented by the R2T
  uint32_t r2t_sn = 0;
  uint32_t buffer_offset = 0;
  uint32_t desired_data_transfer_length = 0;

  static R2t Decode(const uint8_t* bhs);
  void Encode(uint8_t* out) const;
};

// RFC 7143 §11.9.
struct AsyncMessage {
  uint32_t data_segment_length = 0;  // sense data for event 0
  uint64_t lun = 0;
  TargetSn sn;
  uint8_t event = 0;  // AsyncEvent value
  uint8_t vcode = 0;
  uint16_t parameter1 = 0;
  uint16_t parameter2 = 0;
  uint16_t parameter3 = 0;

  static AsyncMessage Decode(const uint8_t* bhs);
  void Encode(uint8_t* out) const;
};

// RFC 7143 §11.17. The data segment is the rejected PDU's BHS (48 bytes).
struct Reject {
  uint8_t reason = 0;  // RejectReason value
  uint32_t data_segment_length = kBhsSize;
  TargetSn sn;
  uint32_t data_sn_or_r2t_sn = 0;

  static Reject Decode(const uint8_t* bhs);
  void Encode(uint8_t* out) const;
};

}  // namespace openstmf::iscsi

#endif  // OPENSTMF_PORT_ISCSI_PDU_TARGET_H
