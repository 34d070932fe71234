// The iSNS protocol data unit (RFC 4171 §5.1) and its TLV attributes (§5.5, §6).
//
// A PDU is a 12-byte header followed by a payload of attributes, each a 4-byte tag,
// a 4-byte length and a value padded to a multiple of 4 bytes. A response payload
// starts with a 4-byte status code (§5.7). This file only encodes and decodes; it
// knows nothing of sockets or of what a registration contains (isns_messages.h).
//
// Decoding accepts any bytes: every length is checked against what is there and a
// malformed input is answered with a kInvalidArgument Status naming the fault.
//
// Thread-safety: values and pure functions.
#ifndef OPENSTMF_PORT_ISNS_ISNS_PDU_H
#define OPENSTMF_PORT_ISNS_ISNS_PDU_H

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace openstmf::isns {

inline constexpr uint16_t kIsnspVersion = 1;  // RFC 4171 §5.1.2
inline constexpr size_t kHeaderSize = 12;     // RFC 4171 §5.1.1
// Largest payload one PDU carries; longer messages are segmented (RFC 4171 §5.1.4).
inline constexpr size_t kMaxPayload = 65532;
inline constexpr uint16_t kDefaultPort = 3205;  // IANA, RFC 4171 §5.1

// Function IDs (RFC 4171 §5.1.3); a response is the request's ID | 0x8000.
enum class Function : uint16_t {
  kDevAttrReg = 0x0001,
  kDevAttrQry = 0x0002,
  kDevDereg = 0x0004,
  kDevAttrRegRsp = 0x8001,
  kDevAttrQryRsp = 0x8002,
  kDevDeregRsp = 0x8004,
};
inline constexpr uint16_t kResponseBit = 0x8000;

// Header flags (RFC 4171 §5.1.5); bit 16 of the RFC's numbering is 0x8000.
inline constexpr uint16_t kFlagClient = 0x8000;
inline constexpr uint16_t kFlagServer = 0x4000;
inline constexpr uint16_t kFlagAuthBlock = 0x2000;
inline constexpr uint16_t kFlagReplace = 0x1000;
inline constexpr uint16_t kFlagLastPdu = 0x0800;
inline constexpr uint16_t kFlagFirstPdu = 0x0400;

// Attribute tags (RFC 4171 §6.1).
enum Tag : uint32_t {
  kTagDelimiter = 0,
  kTagEntityIdentifier = 1,
  kTagEntityProtocol = 2,
  kTagRegistrationPeriod = 6,
  kTagPortalIpAddress = 16,
  kTagPortalPort = 17,
  kTagIscsiName = 32,
  kTagIscsiNodeType = 33,
  kTagIscsiAlias = 34,
  kTagPgIscsiName = 48,
  kTagPgPortalIpAddress = 49,
  kTagPgPortalPort = 50,
  kTagPgTag = 51,
};

inline constexpr uint32_t kEntityProtocolIscsi = 2;  // RFC 4171 §6.2.2
inline constexpr uint32_t kNodeTypeTarget = 1;       // RFC 4171 §6.4.2, bit 31
inline constexpr uint32_t kPortTypeUdp = 0x10000;    // RFC 4171 §6.3.2: set for UDP, clear for TCP

struct Header {
  uint16_t version = kIsnspVersion;
  uint16_t function = 0;
  uint16_t length = 0;  // of the payload
  uint16_t flags = 0;
  uint16_t transaction_id = 0;
  uint16_t sequence_id = 0;
};

struct Attribute {
  uint32_t tag = 0;
  std::vector<uint8_t> value;  // padded to a multiple of 4; empty for NULL values
};

// Attribute constructors. Strings are UTF-8, NUL-terminated and padded to 4 bytes
// (RFC 4171 §5.5, §6); addresses are 16 bytes, IPv4 written as IPv4-mapped IPv6
// (RFC 4171 §6.3.1).
Attribute StringAttribute(uint32_t tag, std::string_view text);
Attribute U32Attribute(uint32_t tag, uint32_t value);
Attribute NullAttribute(uint32_t tag);
// text: numeric IPv4 ("192.0.2.1") or IPv6 ("2001:db8::1", no brackets).
Result<Attribute> AddressAttribute(uint32_t tag, std::string_view text);

// Values read back. Errors when the value has the wrong length or form.
Result<std::string> AttributeString(const Attribute& attribute);
Result<uint32_t> AttributeU32(const Attribute& attribute);
// "192.0.2.1" for IPv4-mapped addresses, "2001:db8::1" otherwise.
Result<std::string> AttributeAddress(const Attribute& attribute);

// Appends the 12-byte header to out.
void EncodeHeader(const Header& header, std::vector<uint8_t>& out);
// Appends one TLV to out.
void EncodeAttribute(const Attribute& attribute, std::vector<uint8_t>& out);
// A whole request message: header(s) plus attributes, segmented into PDUs of at most
// kMaxPayload bytes with first/last flags and sequence IDs 0, 1, ... (RFC 4171 §5.1.4,
// §5.1.7). flags are added to every PDU next to the client and first/last bits.
std::vector<uint8_t> EncodeMessage(Function function, uint16_t flags, uint16_t transaction_id,
                                   std::span<const Attribute> attributes);

// Reads a header from the first kHeaderSize bytes. Rejects a wrong version, a payload
// length that is not a multiple of 4 and an authentication block (not supported).
Result<Header> DecodeHeader(std::span<const uint8_t> bytes);
// Splits a payload into its attributes; a length running past the end, or not a
// multiple of 4, is an error.
Result<std::vector<Attribute>> DecodeAttributes(std::span<const uint8_t> payload);

// A response payload: the status code, then the attributes (RFC 4171 §5.7).
struct Response {
  uint32_t status_code = 0;
  std::vector<Attribute> attributes;
};
Result<Response> DecodeResponse(std::span<const uint8_t> payload);

// The RFC 4171 §5.7 name of a status code ("Source Unknown"), or "status N".
std::string StatusCodeName(uint32_t status_code);

}  // namespace openstmf::isns

#endif  // OPENSTMF_PORT_ISNS_ISNS_PDU_H
