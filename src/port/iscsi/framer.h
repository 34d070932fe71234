// Incremental receive-side framing: finds complete PDUs at the front of a
// connection's receive buffer without copying them.
//
// The connection appends bytes from the socket to its buffer and calls Next() with
// everything not yet consumed. Next() returns one of:
//   kNeedMore — `length` is the total number of buffered bytes needed before calling
//               again would make progress (so a buffer can be grown once);
//   kPdu      — a complete PDU whose header, AHS and data spans point into the
//               caller's buffer; consume `length` bytes after handling it;
//   kError    — the PDU is invalid (see PduError in validator.h). With
//               PduAction::kReject the framing is intact: `length` is the whole PDU's
//               wire size, which the caller skips (possibly as more bytes arrive).
// Header and data digests are checked when configured (RFC 7143 §11.2.3). The header
// is validated as soon as it is complete, so an oversized DataSegmentLength is refused
// before its data is waited for.
//
// The framer keeps no pointers into the buffer between calls (the caller may compact
// or reallocate it), only whether the current front header was already checked.
//
// Thread-safety: none; owned by one connection on one loop.
#ifndef OPENSTMF_PORT_ISCSI_FRAMER_H
#define OPENSTMF_PORT_ISCSI_FRAMER_H

#include <cstddef>
#include <cstdint>
#include <span>

#include "port/iscsi/bhs.h"
#include "port/iscsi/tx_frame.h"
#include "port/iscsi/validator.h"

namespace openstmf::iscsi {

// One received PDU, viewed in place.
struct Pdu {
  const uint8_t* bhs = nullptr;
  std::span<const uint8_t> ahs;
  std::span<const uint8_t> data;  // without padding and digest
  size_t wire_length = 0;

  BhsView header() const { return BhsView(bhs); }
  uint8_t opcode() const { return header().opcode(); }
};

enum class FrameStatus : uint8_t { kNeedMore, kPdu, kError };

struct FrameResult {
  FrameStatus status = FrameStatus::kNeedMore;
  size_t length = 0;
  Pdu pdu;         // kPdu; for kError, bhs is set when the header was complete
  PduError error;  // kError
};

struct FramerConfig {
  DigestConfig digests;
  ValidatorOptions validation;
};

class Framer {
 public:
  explicit Framer(const FramerConfig& config) : config_(config) {}

  // Changes digests and limits, e.g. when login completes. Takes effect for the next
  // PDU; call between PDUs only.
  void Reconfigure(const FramerConfig& config) {
    config_ = config;
    header_checked_ = false;
  }
  const FramerConfig& config() const { return config_; }

  // Frames the PDU at buffered[0]. See the file comment.
  FrameResult Next(std::span<const uint8_t> buffered);

 private:
  FramerConfig config_;
  bool header_checked_ = false;  // the front PDU's header passed digest + validation
};

}  // namespace openstmf::iscsi

#endif  // OPENSTMF_PORT_ISCSI_FRAMER_H
