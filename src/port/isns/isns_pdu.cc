#include "port/isns/isns_pdu.h"

#include <arpa/inet.h>

#include <algorithm>
#include <array>
#include <cstring>

#include "base/byte_order.h"

namespace openstmf::isns {
namespace {

Status Malformed(std::string what) { return Status(Code::kInvalidArgument, std::move(what)); }

size_t Padded(size_t n) { return (n + 3) & ~size_t{3}; }

}  // namespace

Attribute StringAttribute(uint32_t tag, std::string_view text) {
  // RFC 4171 §5.5: NUL-terminated, zero-padded to a 4-byte boundary.
  Attribute a{tag, std::vector<uint8_t>(Padded(text.size() + 1), 0)};
  std::copy(text.begin(), text.end(), a.value.begin());
  return a;
}

Attribute U32Attribute(uint32_t tag, uint32_t value) {
  Attribute a{tag, std::vector<uint8_t>(4)};
  PutBe32(a.value.data(), value);
  return a;
}

Attribute NullAttribute(uint32_t tag) { return Attribute{tag, {}}; }

Result<Attribute> AddressAttribute(uint32_t tag, std::string_view text) {
  const std::string host(text);
  Attribute a{tag, std::vector<uint8_t>(16, 0)};
  in_addr v4{};
  if (inet_pton(AF_INET, host.c_str(), &v4) == 1) {
    // RFC 4171 §6.3.1: IPv4 as an IPv4-mapped IPv6 address.
    a.value[10] = 0xff;
    a.value[11] = 0xff;
    std::memcpy(a.value.data() + 12, &v4, 4);
    return a;
  }
  in6_addr v6{};
  if (inet_pton(AF_INET6, host.c_str(), &v6) == 1) {
    std::memcpy(a.value.data(), &v6, 16);
    return a;
  }
  return Malformed("not a numeric IPv4 or IPv6 address: '" + host + "'");
}

Result<std::string> AttributeString(const Attribute& attribute) {
  const auto& v = attribute.value;
  const auto nul = std::find(v.begin(), v.end(), uint8_t{0});
  if (nul == v.end()) {
    return Malformed("string attribute " + std::to_string(attribute.tag) + " not NUL-terminated");
  }
  return std::string(v.begin(), nul);
}

Result<uint32_t> AttributeU32(const Attribute& attribute) {
  if (attribute.value.size() != 4) {
    return Malformed("attribute " + std::to_string(attribute.tag) + " has length " +
                     std::to_string(attribute.value.size()) + ", want 4");
  }
  return GetBe32(attribute.value.data());
}

Result<std::string> AttributeAddress(const Attribute& attribute) {
  const auto& v = attribute.value;
  if (v.size() != 16) {
    return Malformed("address attribute " + std::to_string(attribute.tag) + " has length " +
                     std::to_string(v.size()) + ", want 16");
  }
  char text[INET6_ADDRSTRLEN] = {};
  static constexpr std::array<uint8_t, 12> kMapped = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
  if (std::equal(kMapped.begin(), kMapped.end(), v.begin())) {
    inet_ntop(AF_INET, v.data() + 12, text, sizeof(text));
  } else {
    inet_ntop(AF_INET6, v.data(), text, sizeof(text));
  }
  return std::string(text);
}

void EncodeHeader(const Header& header, std::vector<uint8_t>& out) {
  uint8_t h[kHeaderSize];
  PutBe16(h + 0, header.version);
  PutBe16(h + 2, header.function);
  PutBe16(h + 4, header.length);
  PutBe16(h + 6, header.flags);
  PutBe16(h + 8, header.transaction_id);
  PutBe16(h + 10, header.sequence_id);
  out.insert(out.end(), h, h + kHeaderSize);
}

void EncodeAttribute(const Attribute& attribute, std::vector<uint8_t>& out) {
  uint8_t tl[8];
  PutBe32(tl, attribute.tag);
  PutBe32(tl + 4, static_cast<uint32_t>(Padded(attribute.value.size())));
  out.insert(out.end(), tl, tl + 8);
  out.insert(out.end(), attribute.value.begin(), attribute.value.end());
  out.resize(out.size() + (Padded(attribute.value.size()) - attribute.value.size()), 0);
}

std::vector<uint8_t> EncodeMessage(Function function, uint16_t flags, uint16_t transaction_id,
                                   std::span<const Attribute> attributes) {
  std::vector<uint8_t> payload;
  for (const Attribute& a : attributes) EncodeAttribute(a, payload);

  // RFC 4171 §5.1.4, §5.1.7: segments in order, sequence IDs counting from 0.
  std::vector<uint8_t> out;
  size_t off = 0;
  uint16_t seq = 0;
  do {
    const size_t n = std::min(kMaxPayload, payload.size() - off);
    Header h;
    h.function = static_cast<uint16_t>(function);
    h.length = static_cast<uint16_t>(n);
    h.flags = static_cast<uint16_t>(flags | kFlagClient);
    if (off == 0) h.flags |= kFlagFirstPdu;
    if (off + n == payload.size()) h.flags |= kFlagLastPdu;
    h.transaction_id = transaction_id;
    h.sequence_id = seq++;
    EncodeHeader(h, out);
    out.insert(out.end(), payload.begin() + static_cast<ptrdiff_t>(off),
               payload.begin() + static_cast<ptrdiff_t>(off + n));
    off += n;
  } while (off < payload.size());
  return out;
}

Result<Header> DecodeHeader(std::span<const uint8_t> bytes) {
  if (bytes.size() < kHeaderSize) {
    return Malformed("short iSNS header: " + std::to_string(bytes.size()) + " bytes");
  }
  Header h;
  h.version = GetBe16(bytes.data());
  h.function = GetBe16(bytes.data() + 2);
  h.length = GetBe16(bytes.data() + 4);
  h.flags = GetBe16(bytes.data() + 6);
  h.transaction_id = GetBe16(bytes.data() + 8);
  h.sequence_id = GetBe16(bytes.data() + 10);
  if (h.version != kIsnspVersion) {
    return Malformed("iSNSP version " + std::to_string(h.version) + " not supported");
  }
  if (h.length % 4 != 0) {  // RFC 4171 §5.1.4
    return Malformed("PDU length " + std::to_string(h.length) + " not a multiple of 4");
  }
  if (h.flags & kFlagAuthBlock) {
    return Malformed("authentication blocks are not supported");
  }
  return h;
}

Result<std::vector<Attribute>> DecodeAttributes(std::span<const uint8_t> payload) {
  std::vector<Attribute> attributes;
  size_t off = 0;
  while (off < payload.size()) {
    if (payload.size() - off < 8) {
      return Malformed("truncated attribute header at offset " + std::to_string(off));
    }
    Attribute a;
    a.tag = GetBe32(payload.data() + off);
    const uint32_t length = GetBe32(payload.data() + off + 4);
    off += 8;
    if (length % 4 != 0) {  // RFC 4171 §5.5
      return Malformed("attribute " + std::to_string(a.tag) + " length " + std::to_string(length) +
                       " not a multiple of 4");
    }
    if (length > payload.size() - off) {
      return Malformed("attribute " + std::to_string(a.tag) + " length " + std::to_string(length) +
                       " runs past the payload");
    }
    a.value.assign(payload.begin() + static_cast<ptrdiff_t>(off),
                   payload.begin() + static_cast<ptrdiff_t>(off + length));
    off += length;
    attributes.push_back(std::move(a));
  }
  return attributes;
}

Result<Response> DecodeResponse(std::span<const uint8_t> payload) {
  if (payload.size() < 4) return Malformed("response without a status code");
  Response r;
  r.status_code = GetBe32(payload.data());
  ASSIGN_OR_RETURN(r.attributes, DecodeAttributes(payload.subspan(4)));
  return r;
}

std::string StatusCodeName(uint32_t status_code) {
  // RFC 4171 §5.7.
  static constexpr std::array<std::string_view, 24> kNames = {
      "Successful",
      "Unknown Error",
      "Message Format Error",
      "Invalid Registration",
      "status 4",
      "Invalid Query",
      "Source Unknown",
      "Source Absent",
      "Source Unauthorized",
      "No Such Entry",
      "Version Not Supported",
      "Internal Error",
      "Busy",
      "Option Not Understood",
      "Invalid Update",
      "Message Not Supported",
      "SCN Event Rejected",
      "SCN Registration Rejected",
      "Attribute Not Implemented",
      "FC_DOMAIN_ID Not Available",
      "FC_DOMAIN_ID Not Allocated",
      "ESI Not Available",
      "Invalid Deregistration",
      "Registration Feature Not Supported",
  };
  if (status_code < kNames.size()) return std::string(kNames[status_code]);
  return "status " + std::to_string(status_code);
}

}  // namespace openstmf::isns
