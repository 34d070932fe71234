// Binary values in iSCSI text (RFC 7143 §6.1): hex constants ("0x" or "0X" followed
// by hex digits; an odd count implies a leading zero) and base64 constants ("0b" or
// "0B" followed by RFC 4648 base64 with padding). CHAP_C and CHAP_R use them.
//
// Thread-safety: pure functions.
#ifndef OPENSTMF_PORT_ISCSI_BINARY_VALUE_H
#define OPENSTMF_PORT_ISCSI_BINARY_VALUE_H

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace openstmf::iscsi {

// Decodes a hex or base64 constant; false on any syntax error or an empty value.
bool DecodeBinaryValue(std::string_view text, std::vector<uint8_t>* out);

// "0x" + lowercase hex digits.
std::string EncodeHexValue(std::span<const uint8_t> bytes);
// "0b" + base64.
std::string EncodeBase64Value(std::span<const uint8_t> bytes);

}  // namespace openstmf::iscsi

#endif  // OPENSTMF_PORT_ISCSI_BINARY_VALUE_H
