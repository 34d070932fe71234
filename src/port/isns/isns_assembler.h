// MessageAssembler: cuts a TCP byte stream from an iSNS server into whole messages,
// joining the PDUs of a segmented message (RFC 4171 §5.1.4, §5.1.5, §5.1.7).
//
// Feed it whatever recv() returned; it keeps partial PDUs until the rest arrives.
// A PDU that breaks the framing rules (bad header, out-of-order sequence ID, a
// message larger than kMaxMessage) makes Push() fail: the stream cannot be trusted
// past that point and the caller should close the connection.
//
// Thread-safety: none; one per connection.
#ifndef OPENSTMF_PORT_ISNS_ISNS_ASSEMBLER_H
#define OPENSTMF_PORT_ISNS_ISNS_ASSEMBLER_H

#include <cstdint>
#include <deque>
#include <optional>
#include <span>
#include <vector>

#include "base/status.h"
#include "port/isns/isns_pdu.h"

namespace openstmf::isns {

struct Message {
  uint16_t function = 0;
  uint16_t flags = 0;  // of the first PDU
  uint16_t transaction_id = 0;
  std::vector<uint8_t> payload;  // the PDU payloads joined
};

class MessageAssembler {
 public:
  // Bound on a reassembled message, so a hostile peer cannot exhaust memory.
  static constexpr size_t kMaxMessage = 4 * 1024 * 1024;

  Status Push(std::span<const uint8_t> bytes);
  // The next complete message, oldest first.
  std::optional<Message> Next();

 private:
  Status TakePdu(const Header& header, std::span<const uint8_t> payload);

  std::vector<uint8_t> buffer_;     // bytes of PDUs not yet complete
  std::optional<Message> partial_;  // a segmented message in progress
  uint16_t next_sequence_ = 0;      // expected in partial_
  std::deque<Message> ready_;
};

}  // namespace openstmf::isns

#endif  // OPENSTMF_PORT_ISNS_ISNS_ASSEMBLER_H
