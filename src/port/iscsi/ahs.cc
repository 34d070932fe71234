#include "port/iscsi/ahs.h"

#include <cstring>

#include "port/iscsi/bhs.h"

namespace openstmf::iscsi {

// Each AHS is AHSLength(2) AHSType(1) then AHSLength bytes, padded to 4
// (RFC 7143 §11.2.2.2).
bool ParseAhs(std::span<const uint8_t> ahs, AhsInfo* info, const char** error) {
  *info = AhsInfo{};
  bool seen_cdb = false;
  size_t off = 0;
  while (off < ahs.size()) {
    if (ahs.size() - off < 4) {
      *error = "truncated AHS";
      return false;
    }
    const size_t len = GetBe16(ahs.data() + off);
    const uint8_t type = ahs[off + 2];
    const size_t total = 3 + len + PadLength(3 + len);
    if (len == 0 || total > ahs.size() - off) {
      *error = "AHSLength exceeds TotalAHSLength";
      return false;
    }
    const uint8_t* body = ahs.data() + off + 3;  // first byte is reserved in both types
    switch (static_cast<AhsType>(type)) {
      case AhsType::kExtendedCdb:
        // RFC 7143 §11.2.2.3: AHSLength = CDB length - 15.
        if (seen_cdb || len < 2 || len + 15 > kMaxCdbLength) {
          *error = "bad Extended CDB AHS";
          return false;
        }
        seen_cdb = true;
        info->extended_cdb = std::span<const uint8_t>(body + 1, len - 1);
        break;
      case AhsType::kBidiReadLength:
        // RFC 7143 §11.2.2.4: AHSLength is 5.
        if (info->has_bidi_read_length || len != 5) {
          *error = "bad Bidirectional Read Length AHS";
          return false;
        }
        info->has_bidi_read_length = true;
        info->bidi_read_length = GetBe32(body + 1);
        break;
      default:
        *error = "unknown AHSType";
        return false;
    }
    off += total;
  }
  return true;
}

size_t EncodeExtendedCdbAhs(const uint8_t* cdb, size_t cdb_len, uint8_t* out) {
  const size_t len = cdb_len - 15;
  const size_t total = 3 + len + PadLength(3 + len);
  std::memset(out, 0, total);
  PutBe16(out, static_cast<uint16_t>(len));
  out[2] = static_cast<uint8_t>(AhsType::kExtendedCdb);
  std::memcpy(out + 4, cdb + 16, cdb_len - 16);
  return total;
}

size_t EncodeBidiReadLengthAhs(uint32_t length, uint8_t* out) {
  PutBe16(out, 5);
  out[2] = static_cast<uint8_t>(AhsType::kBidiReadLength);
  out[3] = 0;
  PutBe32(out + 4, length);
  return 8;
}

size_t AssembleCdb(const uint8_t* bhs, const AhsInfo& info, uint8_t* out) {
  std::memcpy(out, bhs + 32, 16);
  if (!info.extended_cdb.empty()) {
    std::memcpy(out + 16, info.extended_cdb.data(), info.extended_cdb.size());
  }
  return 16 + info.extended_cdb.size();
}

}  // namespace openstmf::iscsi
