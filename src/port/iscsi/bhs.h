// The iSCSI Basic Header Segment (BHS): opcodes, big-endian field access and the
// fields every PDU shares (RFC 7143 §11.2.1).
//
// BhsView reads a 48-byte header in place (for example inside a connection's receive
// buffer); nothing is copied. The per-opcode structs in pdu_initiator.h and
// pdu_target.h decode from and encode into such headers.
//
// Thread-safety: values and views; a view is valid while its bytes are.
#ifndef OPENSTMF_PORT_ISCSI_BHS_H
#define OPENSTMF_PORT_ISCSI_BHS_H

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "base/byte_order.h"

namespace openstmf::iscsi {

inline constexpr size_t kBhsSize = 48;
inline constexpr size_t kDigestSize = 4;
// Initiator/Target Task Tag value meaning "none" (RFC 7143 §11.2.1.8).
inline constexpr uint32_t kReservedTag = 0xffffffff;
// DataSegmentLength is a 24-bit field (RFC 7143 §11.2.1.6).
inline constexpr uint32_t kMaxDataSegmentLength = (1u << 24) - 1;
// TotalAHSLength counts 4-byte words in one byte (RFC 7143 §11.2.1.5).
inline constexpr size_t kMaxAhsLength = 255 * 4;

// RFC 7143 §11.2.1.2.
enum class Opcode : uint8_t {
  // Initiator opcodes.
  kNopOut = 0x00,
  kScsiCommand = 0x01,
  kTaskMgmtRequest = 0x02,
  kLoginRequest = 0x03,
  kTextRequest = 0x04,
  kScsiDataOut = 0x05,
  kLogoutRequest = 0x06,
  kSnackRequest = 0x10,
  // Target opcodes.
  kNopIn = 0x20,
  kScsiResponse = 0x21,
  kTaskMgmtResponse = 0x22,
  kLoginResponse = 0x23,
  kTextResponse = 0x24,
  kScsiDataIn = 0x25,
  kLogoutResponse = 0x26,
  kR2t = 0x31,
  kAsyncMessage = 0x32,
  kReject = 0x3f,
};

// "SCSI Command", "Login Request", ... or "unknown" for undefined values.
std::string_view OpcodeName(uint8_t opcode);
// True for the eight opcodes an initiator may send.
bool IsInitiatorOpcode(uint8_t opcode);
// True for the ten opcodes a target may send.
bool IsTargetOpcode(uint8_t opcode);

// Bytes of padding after a segment of n bytes (RFC 7143 §11.1: 4-byte multiples).
inline constexpr size_t PadLength(size_t n) { return (4 - (n & 3)) & 3; }

// Read-only view of the fields common to every BHS.
class BhsView {
 public:
  explicit BhsView(const uint8_t* bhs) : p_(bhs) {}

  uint8_t opcode() const { return p_[0] & 0x3f; }
  bool immediate() const { return (p_[0] & 0x40) != 0; }
  uint8_t flags() const { return p_[1]; }
  bool final_bit() const { return (p_[1] & 0x80) != 0; }
  size_t total_ahs_length() const { return static_cast<size_t>(p_[4]) * 4; }
  uint32_t data_segment_length() const { return GetBe24(p_ + 5); }
  uint64_t lun() const { return GetBe64(p_ + 8); }
  uint32_t itt() const { return GetBe32(p_ + 16); }
  // The 32-bit word at byte offset `off` (20, 24, ... 44).
  uint32_t word(size_t off) const { return GetBe32(p_ + off); }
  const uint8_t* bytes() const { return p_; }

 private:
  const uint8_t* p_;
};

// Starts a BHS in out[0, 48): zeroes it and sets opcode, I bit and the flags byte.
void InitBhs(uint8_t* out, Opcode opcode, bool immediate, uint8_t flags);
// Sets TotalAHSLength (in bytes, a multiple of 4) and DataSegmentLength.
void SetSegmentLengths(uint8_t* bhs, size_t ahs_bytes, uint32_t data_segment_length);

}  // namespace openstmf::iscsi

#endif  // OPENSTMF_PORT_ISCSI_BHS_H
