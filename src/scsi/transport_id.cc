#include "scsi/transport_id.h"

#include <cctype>
#include <cstdio>

#include "base/byte_order.h"

namespace openstmf::scsi {
namespace {

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string Hex(std::span<const uint8_t> bytes) {
  static const char kDigits[] = "0123456789abcdef";
  std::string out;
  for (uint8_t b : bytes) {
    out.push_back(kDigits[b >> 4]);
    out.push_back(kDigits[b & 15]);
  }
  return out;
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

std::vector<uint8_t> Unhex(const std::string& s) {
  std::vector<uint8_t> out;
  for (size_t i = 0; i + 1 < s.size(); i += 2) {
    out.push_back(static_cast<uint8_t>(HexValue(s[i]) * 16 + HexValue(s[i + 1])));
  }
  return out;
}

// Binary port identifier location per protocol (SPC-4 7.6.4.2-7.6.4.6).
bool BinaryLayout(Protocol p, size_t* at, size_t* len) {
  switch (p) {
    case Protocol::kFc:
    case Protocol::kSbp:
      *at = 8;
      *len = 8;
      return true;
    case Protocol::kSrp:
      *at = 8;
      *len = 16;
      return true;
    case Protocol::kSas:
      *at = 4;
      *len = 8;
      return true;
    case Protocol::kIscsi:
      break;
  }
  return false;
}

}  // namespace

TransportId IscsiInitiatorPort(std::string_view name, uint64_t isid) {
  char buf[16];
  std::snprintf(buf, sizeof(buf), "%012llx",
                static_cast<unsigned long long>(isid & 0xFFFFFFFFFFFFull));
  return {Protocol::kIscsi, Lower(name), buf};
}

bool TransportIdCovers(const TransportId& spec, const TransportId& port) {
  if (spec.protocol != port.protocol || spec.name != port.name) return false;
  return spec.isid.empty() || spec.isid == port.isid;
}

std::optional<TransportId> ParseTransportId(std::span<const uint8_t> d, size_t* consumed) {
  if (d.size() < 4) return std::nullopt;
  uint8_t format = d[0] >> 6;
  auto proto = static_cast<Protocol>(d[0] & 0x0F);
  TransportId id;
  id.protocol = proto;
  size_t at = 0, len = 0;
  if (BinaryLayout(proto, &at, &len)) {
    if (format != 0 || d.size() < 24) return std::nullopt;
    id.name = Hex(d.subspan(at, len));
    *consumed = 24;
    return id;
  }
  if (proto != Protocol::kIscsi || format > 1) return std::nullopt;
  // SPC-4 7.6.4.6: ADDITIONAL LENGTH, a multiple of 4, then a null-terminated name.
  size_t add = GetBe16(&d[2]);
  if (add < 4 || add % 4 != 0 || d.size() < 4 + add) return std::nullopt;
  std::string_view text(reinterpret_cast<const char*>(&d[4]), add);
  size_t nul = text.find('\0');
  if (nul == std::string_view::npos || nul == 0) return std::nullopt;
  text = text.substr(0, nul);
  if (format == 1) {
    size_t sep = Lower(text).find(",i,0x");
    if (sep == std::string_view::npos || text.size() - sep - 5 != 12) return std::nullopt;
    std::string isid = Lower(text.substr(sep + 5));
    for (char c : isid) {
      if (HexValue(c) < 0) return std::nullopt;
    }
    id.isid = isid;
    text = text.substr(0, sep);
  } else if (text.find(',') != std::string_view::npos) {
    return std::nullopt;
  }
  id.name = Lower(text);
  *consumed = 4 + add;
  return id;
}

std::vector<uint8_t> EncodeTransportId(const TransportId& id) {
  std::vector<uint8_t> out;
  size_t at = 0, len = 0;
  if (BinaryLayout(id.protocol, &at, &len)) {
    out.assign(24, 0);
    out[0] = static_cast<uint8_t>(id.protocol);
    std::vector<uint8_t> bin = Unhex(id.name);
    for (size_t i = 0; i < len && i < bin.size(); ++i) out[at + i] = bin[i];
    return out;
  }
  std::string text = id.name;
  if (!id.isid.empty()) text += ",i,0x" + id.isid;
  size_t add = (text.size() + 1 + 3) / 4 * 4;
  if (add < 20) add = 20;  // SPC-4 7.6.4.6: at least 20 bytes of name
  out.assign(4 + add, 0);
  out[0] = static_cast<uint8_t>((id.isid.empty() ? 0x00 : 0x40) | 0x05);
  PutBe16(&out[2], static_cast<uint16_t>(add));
  for (size_t i = 0; i < text.size(); ++i) out[4 + i] = static_cast<uint8_t>(text[i]);
  return out;
}

}  // namespace openstmf::scsi
