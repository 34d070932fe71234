#include "port/iscsi/binary_value.h"

namespace openstmf::iscsi {
namespace {

constexpr char kHex[] = "0123456789abcdef";
constexpr char kB64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

int HexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

int B64Digit(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+') return 62;
  if (c == '/') return 63;
  return -1;
}

bool DecodeHex(std::string_view s, std::vector<uint8_t>* out) {
  out->clear();
  size_t i = 0;
  if (s.size() % 2 == 1) {  // implied leading zero
    const int d = HexDigit(s[0]);
    if (d < 0) return false;
    out->push_back(static_cast<uint8_t>(d));
    i = 1;
  }
  for (; i < s.size(); i += 2) {
    const int hi = HexDigit(s[i]);
    const int lo = HexDigit(s[i + 1]);
    if (hi < 0 || lo < 0) return false;
    out->push_back(static_cast<uint8_t>(hi << 4 | lo));
  }
  return true;
}

bool DecodeBase64(std::string_view s, std::vector<uint8_t>* out) {
  out->clear();
  if (s.size() % 4 != 0) return false;
  for (size_t i = 0; i < s.size(); i += 4) {
    const bool last = i + 4 == s.size();
    int d[4];
    int pad = 0;
    for (int k = 0; k < 4; ++k) {
      const char c = s[i + static_cast<size_t>(k)];
      if (c == '=' && last && k >= 2) {
        d[k] = 0;
        ++pad;
        continue;
      }
      if (pad > 0) return false;  // data after padding
      d[k] = B64Digit(c);
      if (d[k] < 0) return false;
    }
    const uint32_t v = static_cast<uint32_t>(d[0] << 18 | d[1] << 12 | d[2] << 6 | d[3]);
    out->push_back(static_cast<uint8_t>(v >> 16));
    if (pad < 2) out->push_back(static_cast<uint8_t>(v >> 8));
    if (pad < 1) out->push_back(static_cast<uint8_t>(v));
  }
  return true;
}

}  // namespace

bool DecodeBinaryValue(std::string_view text, std::vector<uint8_t>* out) {
  if (text.size() < 3 || text[0] != '0') return false;
  const std::string_view body = text.substr(2);
  bool ok = false;
  if (text[1] == 'x' || text[1] == 'X') ok = DecodeHex(body, out);
  if (text[1] == 'b' || text[1] == 'B') ok = DecodeBase64(body, out);
  return ok && !out->empty();
}

std::string EncodeHexValue(std::span<const uint8_t> bytes) {
  std::string s = "0x";
  for (uint8_t b : bytes) {
    s.push_back(kHex[b >> 4]);
    s.push_back(kHex[b & 15]);
  }
  return s;
}

std::string EncodeBase64Value(std::span<const uint8_t> bytes) {
  std::string s = "0b";
  for (size_t i = 0; i < bytes.size(); i += 3) {
    const size_t n = bytes.size() - i < 3 ? bytes.size() - i : 3;
    uint32_t v = static_cast<uint32_t>(bytes[i]) << 16;
    if (n > 1) v |= static_cast<uint32_t>(bytes[i + 1]) << 8;
    if (n > 2) v |= bytes[i + 2];
    s.push_back(kB64[(v >> 18) & 63]);
    s.push_back(kB64[(v >> 12) & 63]);
    s.push_back(n > 1 ? kB64[(v >> 6) & 63] : '=');
    s.push_back(n > 2 ? kB64[v & 63] : '=');
  }
  return s;
}

}  // namespace openstmf::iscsi
