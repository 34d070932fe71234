#include "port/iscsi/text.h"

#include <algorithm>
#include <cstring>

namespace openstmf::iscsi {
namespace {

bool KeyChar(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
         std::strchr(".-+@_:#", c) != nullptr;
}

// Keys whose values are binary (hex or base64) and may exceed 255 bytes.
bool LongValueKey(std::string_view key) {
  return key == "CHAP_C" || key == "CHAP_R" || key.starts_with("SRP_") || key.starts_with("KRB_") ||
         key.starts_with("SPKM_");
}

Status Invalid(std::string message) { return Status(Code::kInvalidArgument, std::move(message)); }

}  // namespace

Result<std::vector<KeyValue>> ParseKeyValues(std::span<const uint8_t> text) {
  std::vector<KeyValue> pairs;
  const std::string_view all(reinterpret_cast<const char*>(text.data()), text.size());
  size_t pos = 0;
  while (pos < all.size()) {
    const size_t end = all.find('\0', pos);
    if (end == std::string_view::npos) return Invalid("text does not end in NUL");
    const std::string_view entry = all.substr(pos, end - pos);
    pos = end + 1;
    if (entry.empty()) continue;
    const size_t eq = entry.find('=');
    if (eq == std::string_view::npos) return Invalid("no '=' in text pair");
    const std::string_view key = entry.substr(0, eq);
    const std::string_view value = entry.substr(eq + 1);
    if (key.empty() || key.size() > kMaxKeyLength) return Invalid("bad key length");
    if (!std::all_of(key.begin(), key.end(), KeyChar)) {
      return Invalid("bad character in key");
    }
    const size_t limit = LongValueKey(key) ? kMaxBinaryValueLength : kMaxTextValueLength;
    if (value.size() > limit) return Invalid("value too long for " + std::string(key));
    // RFC 7143 §6.2: a key is negotiated at most once per sequence.
    for (const KeyValue& kv : pairs) {
      if (kv.key == key) return Invalid("duplicate key " + std::string(key));
    }
    if (pairs.size() == kMaxKeyCount) return Invalid("too many keys");
    pairs.push_back({key, value});
  }
  return pairs;
}

Status TextAssembler::Add(std::span<const uint8_t> data, bool final_piece) {
  if (complete_) Reset();
  if (buf_.size() + data.size() > max_total_) {
    return Status(Code::kResourceExhausted, "text sequence too long");
  }
  buf_.append(reinterpret_cast<const char*>(data.data()), data.size());
  complete_ = final_piece;
  return Status::Ok();
}

void TextWriter::Add(std::string_view key, std::string_view value) {
  text_.append(key);
  text_.push_back('=');
  text_.append(value);
  text_.push_back('\0');
}

std::string_view SplitText(std::string_view text, size_t max, size_t* offset, bool* more) {
  const size_t start = std::min(*offset, text.size());
  const size_t n = std::min(max, text.size() - start);
  *offset = start + n;
  *more = *offset < text.size();
  return text.substr(start, n);
}

bool ParseNumber(std::string_view s, uint64_t max, uint64_t* out) {
  if (s.empty()) return false;
  uint64_t v = 0;
  unsigned base = 10;
  if (s.size() > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
    base = 16;
    s.remove_prefix(2);
  }
  for (char c : s) {
    unsigned d;
    if (c >= '0' && c <= '9') {
      d = static_cast<unsigned>(c - '0');
    } else if (base == 16 && c >= 'a' && c <= 'f') {
      d = static_cast<unsigned>(c - 'a' + 10);
    } else if (base == 16 && c >= 'A' && c <= 'F') {
      d = static_cast<unsigned>(c - 'A' + 10);
    } else {
      return false;
    }
    if (d > max || v > (max - d) / base) return false;
    v = v * base + d;
  }
  *out = v;
  return true;
}

}  // namespace openstmf::iscsi
