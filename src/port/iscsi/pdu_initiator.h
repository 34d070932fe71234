// Field-by-field codecs for the eight PDUs an initiator sends (RFC 7143 §11).
//
// Decode(bhs) reads a 48-byte header in place; it never fails, because checking the
// header is the validator's job (validator.h). Encode(out) writes all 48 bytes,
// reserved bytes as zero. The target only decodes these in production; tests,
// fuzzers and corpus generators encode them.
//
// Thread-safety: plain values.
#ifndef OPENSTMF_PORT_ISCSI_PDU_INITIATOR_H
#define OPENSTMF_PORT_ISCSI_PDU_INITIATOR_H

#include <array>
#include <cstdint>

#include "port/iscsi/bhs.h"

namespace openstmf::iscsi {

// RFC 7143 §11.18.
struct NopOut {
  bool immediate = false;
  uint32_t data_segment_length = 0;  // ping data
  uint64_t lun = 0;
  uint32_t itt = kReservedTag;
  uint32_t ttt = kReservedTag;
  uint32_t cmd_sn = 0;
  uint32_t exp_stat_sn = 0;

  static NopOut Decode(const uint8_t* bhs);
  void Encode(uint8_t* out) const;
};

// Task attribute, RFC 7143 §11.3.1.
enum class TaskAttr : uint8_t {
  kUntagged = 0,
  kSimple = 1,
  kOrdered = 2,
  kHeadOfQueue = 3,
  kAca = 4,
};

// RFC 7143 §11.3.
struct ScsiCommand {
  bool immediate = false;
  bool final_bit = true;  // F: no unsolicited Data-Out PDUs follow
  bool read = false;      // R
  bool write = false;     // W
  uint8_t attr = 0;       // TaskAttr value (3 bits)
  uint8_t total_ahs_words = 0;
  uint32_t data_segment_length = 0;  // immediate data
  uint64_t lun = 0;
  uint32_t itt = 0;
  uint32_t expected_data_transfer_length = 0;
  uint32_t cmd_sn = 0;
  uint32_t exp_stat_sn = 0;
  std::array<uint8_t, 16> cdb{};

  static ScsiCommand Decode(const uint8_t* bhs);
  void Encode(uint8_t* out) const;
};

// Task management function codes, RFC 7143 §11.5.1 (9-12 from RFC 7144).
enum class TmfFunction : uint8_t {
  kAbortTask = 1,
  kAbortTaskSet = 2,
  kClearAca = 3,
  kClearTaskSet = 4,
  kLogicalUnitReset = 5,
  kTargetWarmReset = 6,
  kTargetColdReset = 7,
  kTaskReassign = 8,
  kQueryTask = 9,
  kQueryTaskSet = 10,
  kItNexusReset = 11,
  kQueryAsyncEvent = 12,
};

// RFC 7143 §11.5.
struct TaskMgmtRequest {
  bool immediate = false;
  uint8_t function = 0;  // TmfFunction value (7 bits)
  uint64_t lun = 0;
  uint32_t itt = 0;
  uint32_t referenced_task_tag = kReservedTag;
  uint32_t cmd_sn = 0;
  uint32_t exp_stat_sn = 0;
  uint32_t ref_cmd_sn = 0;
  uint32_t exp_data_sn = 0;

  static TaskMgmtRequest Decode(const uint8_t* bhs);
  void Encode(uint8_t* out) const;
};

// Login stages, RFC 7143 §11.12.3 (CSG/NSG).
enum class LoginStage : uint8_t {
  kSecurityNegotiation = 0,
  kOperationalNegotiation = 1,
  kFullFeaturePhase = 3,
};

// RFC 7143 §11.12. The I bit is always 1 on the wire.
struct LoginRequest {
  bool transit = false;    // T
  bool continue_ = false;  // C
  uint8_t csg = 0;
  uint8_t nsg = 0;
  uint8_t version_max = 0;
  uint8_t version_min = 0;
  uint32_t data_segment_length = 0;
  uint64_t isid = 0;  // 48 bits
  uint16_t tsih = 0;
  uint32_t itt = 0;
  uint16_t cid = 0;
  uint32_t cmd_sn = 0;
  uint32_t exp_stat_sn = 0;

  static LoginRequest Decode(const uint8_t* bhs);
  void Encode(uint8_t* out) const;
};

// RFC 7143 §11.10.
struct TextRequest {
  bool immediate = false;
  bool final_bit = true;
  bool continue_ = false;
  uint32_t data_segment_length = 0;
  uint64_t lun = 0;
  uint32_t itt = 0;
  uint32_t ttt = kReservedTag;
  uint32_t cmd_sn = 0;
  uint32_t exp_stat_sn = 0;

  static TextRequest Decode(const uint8_t* bhs);
  void Encode(uint8_t* out) const;
};

// RFC 7143 §11.7.
struct DataOut {
  bool final_bit = false;
  uint32_t data_segment_length = 0;
  uint64_t lun = 0;
  uint32_t itt = 0;
  uint32_t ttt = kReservedTag;
  uint32_t exp_stat_sn = 0;
  uint32_t data_sn = 0;
  uint32_t buffer_offset = 0;

  static DataOut Decode(const uint8_t* bhs);
  void Encode(uint8_t* out) const;
};

// RFC 7143 §11.14.1.
enum class LogoutReason : uint8_t {
  kCloseSession = 0,
  kCloseConnection = 1,
  kRemoveConnectionForRecovery = 2,
};

// RFC 7143 §11.14.
struct LogoutRequest {
  bool immediate = false;
  uint8_t reason = 0;  // LogoutReason value (7 bits)
  uint32_t itt = 0;
  uint16_t cid = 0;
  uint32_t cmd_sn = 0;
  uint32_t exp_stat_sn = 0;

  static LogoutRequest Decode(const uint8_t* bhs);
  void Encode(uint8_t* out) const;
};

// RFC 7143 §11.16.1.
enum class SnackType : uint8_t { kDataR2t = 0, kStatus = 1, kDataAck = 2, kRData = 3 };

// RFC 7143 §11.16.
struct SnackRequest {
  uint8_t type = 0;  // SnackType value (4 bits)
  uint64_t lun = 0;
  uint32_t itt = kReservedTag;
  uint32_t ttt = kReservedTag;
  uint32_t exp_stat_sn = 0;
  uint32_t beg_run = 0;
  uint32_t run_length = 0;

  static SnackRequest Decode(const uint8_t* bhs);
  void Encode(uint8_t* out) const;
};

}  // namespace openstmf::iscsi

#endif  // OPENSTMF_PORT_ISCSI_PDU_INITIATOR_H
