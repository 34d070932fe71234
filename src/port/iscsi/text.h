// iSCSI text: the key=value lists of Login and Text PDUs (RFC 7143 §6.1).
//
// ParseKeyValues splits a complete (reassembled) data segment into pairs that point
// into it; nothing is copied. TextAssembler joins the data segments of a C-bit
// continuation sequence (§11.10.2, §11.12.2). TextWriter builds answers and
// SplitText cuts a long answer into data segments no larger than the initiator's
// MaxRecvDataSegmentLength.
//
// Login and Text are control-path PDUs; these types use std::string/std::vector.
//
// Thread-safety: values; none is shared.
#ifndef OPENSTMF_PORT_ISCSI_TEXT_H
#define OPENSTMF_PORT_ISCSI_TEXT_H

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace openstmf::iscsi {

// RFC 7143 §6.1 limits.
inline constexpr size_t kMaxKeyLength = 63;
inline constexpr size_t kMaxTextValueLength = 255;
// Binary values (CHAP_C, CHAP_R, ...) are allowed to be long; §6.1 caps encoded
// binary values at 8192 bytes.
inline constexpr size_t kMaxBinaryValueLength = 8192;
// Pairs accepted in one text sequence.
inline constexpr size_t kMaxKeyCount = 256;

struct KeyValue {
  std::string_view key;
  std::string_view value;
};

// Parses "key=value\0key=value\0...". Rejects (InvalidArgument, message naming the
// key) a pair without '=', an empty or over-long key, a key with characters outside
// [A-Za-z0-9.-+@_:#] , an over-long value, a missing final NUL, a duplicate key, or
// more than kMaxKeyCount pairs. Empty entries (consecutive NULs, NUL padding) are
// skipped.
Result<std::vector<KeyValue>> ParseKeyValues(std::span<const uint8_t> text);

// Collects the data segments of a continuation sequence.
class TextAssembler {
 public:
  explicit TextAssembler(size_t max_total = 65536) : max_total_(max_total) {}

  // Appends one PDU's data. `final_piece` is true when C=0. Fails with
  // ResourceExhausted if the sequence grows beyond max_total.
  Status Add(std::span<const uint8_t> data, bool final_piece);
  // True once the piece with C=0 has been added.
  bool complete() const { return complete_; }
  std::span<const uint8_t> text() const {
    return {reinterpret_cast<const uint8_t*>(buf_.data()), buf_.size()};
  }
  void Reset() {
    buf_.clear();
    complete_ = false;
  }

 private:
  std::string buf_;
  size_t max_total_;
  bool complete_ = false;
};

// Appends "key=value\0" pairs.
class TextWriter {
 public:
  void Add(std::string_view key, std::string_view value);
  const std::string& text() const { return text_; }
  bool empty() const { return text_.empty(); }
  void Clear() { text_.clear(); }

 private:
  std::string text_;
};

// The piece of `text` starting at *offset that fits `max` bytes; advances *offset.
// *more is set when bytes remain (send this piece with C=1). Pieces may cut a pair in
// two: the receiver reassembles (RFC 7143 §11.11.2).
std::string_view SplitText(std::string_view text, size_t max, size_t* offset, bool* more);

// Parses a decimal or 0x-hex number (RFC 7143 §6.1 numerical values). False on
// syntax errors or values beyond max.
bool ParseNumber(std::string_view s, uint64_t max, uint64_t* out);

}  // namespace openstmf::iscsi

#endif  // OPENSTMF_PORT_ISCSI_TEXT_H
