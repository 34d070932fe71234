#include "cli/common/values.h"

#include <strings.h>

#include <array>
#include <cctype>
#include <cstring>

namespace openstmf::cli {
namespace {

bool IsHex(char c) { return isxdigit(static_cast<unsigned char>(c)) != 0; }

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  return (tolower(static_cast<unsigned char>(c)) - 'a') + 10;
}

std::optional<uint64_t> ParseDecimal(std::string_view text, uint64_t max) {
  if (text.empty() || text.size() > 20) return std::nullopt;
  uint64_t n = 0;
  for (char c : text) {
    if (!isdigit(static_cast<unsigned char>(c))) return std::nullopt;
    uint64_t d = static_cast<uint64_t>(c - '0');
    if (n > (max - d) / 10) return std::nullopt;
    n = n * 10 + d;
  }
  return n;
}

// RFC 3720 §3.2.6.3: iqn names are at most 223 bytes.
constexpr size_t kMaxIqn = 223;
constexpr size_t kHexIdDigits = 16;

struct PropName {
  const char* name;
  uint32_t id;
};

constexpr std::array<PropName, 12> kPropNames{{
    {"alias", STMF_LU_PROP_ALIAS},
    {"blk", STMF_LU_PROP_BLOCK_SIZE},
    {"guid", STMF_LU_PROP_GUID},
    {"host-id", STMF_LU_PROP_HOST_ID},
    {"meta", STMF_LU_PROP_META_FILENAME},
    {"mgmt-url", STMF_LU_PROP_MGMT_URL},
    {"oui", STMF_LU_PROP_COMPANY_ID},
    {"pid", STMF_LU_PROP_PID},
    {"serial", STMF_LU_PROP_SERIAL_NUM},
    {"vid", STMF_LU_PROP_VID},
    {"wcd", STMF_LU_PROP_WRITE_CACHE_DISABLE},
    {"wp", STMF_LU_PROP_WRITE_PROTECT},
}};

}  // namespace

std::optional<stmfGuid> ParseGuid(std::string_view text) {
  if (text.size() != 32) return std::nullopt;
  stmfGuid g{};
  for (size_t i = 0; i < 16; ++i) {
    char hi = text[2 * i];
    char lo = text[2 * i + 1];
    if (!IsHex(hi) || !IsHex(lo)) return std::nullopt;
    g.guid[i] = static_cast<uchar_t>(HexValue(hi) * 16 + HexValue(lo));
  }
  return g;
}

std::string GuidText(const stmfGuid& guid) {
  static constexpr char kDigits[] = "0123456789ABCDEF";
  std::string out;
  for (uchar_t b : guid.guid) {
    out += kDigits[b >> 4];
    out += kDigits[b & 0xf];
  }
  return out;
}

std::optional<uint32_t> ParseLun(std::string_view text) {
  auto n = ParseDecimal(text, kMaxLun);
  if (!n) return std::nullopt;
  return static_cast<uint32_t>(*n);
}

std::optional<uint32_t> ParseIndex(std::string_view text) {
  auto n = ParseDecimal(text, UINT32_MAX);
  if (!n) return std::nullopt;
  return static_cast<uint32_t>(*n);
}

std::optional<uint64_t> ParseSize(std::string_view text) {
  size_t digits = 0;
  while (digits < text.size() && isdigit(static_cast<unsigned char>(text[digits]))) ++digits;
  auto n = ParseDecimal(text.substr(0, digits), UINT64_MAX);
  if (!n) return std::nullopt;
  std::string_view suffix = text.substr(digits);
  unsigned shift = 0;
  if (!suffix.empty()) {
    static constexpr std::string_view kUnits = "kmgtpe";
    size_t pos = kUnits.find(static_cast<char>(tolower(static_cast<unsigned char>(suffix[0]))));
    if (pos == std::string_view::npos) return std::nullopt;
    if (suffix.size() > 2 || (suffix.size() == 2 && tolower(suffix[1]) != 'b')) {
      return std::nullopt;
    }
    shift = 10 * static_cast<unsigned>(pos + 1);
  }
  if (*n == 0 || *n > (UINT64_MAX >> shift)) return std::nullopt;
  return *n << shift;
}

std::optional<std::string> ParseDevid(std::string_view text) {
  if (text.size() < 5) return std::nullopt;
  std::string name(text);
  std::string prefix = name.substr(0, 4);
  for (char& c : prefix) c = static_cast<char>(tolower(static_cast<unsigned char>(c)));
  if (prefix == "iqn.") {
    if (name.size() > kMaxIqn) return std::nullopt;
    for (char& c : name) {
      unsigned char u = static_cast<unsigned char>(c);
      if (!isalnum(u) && c != '-' && c != '.' && c != ':') return std::nullopt;
      c = static_cast<char>(tolower(u));
    }
    return name;
  }
  if (prefix == "eui." || prefix == "wwn.") {
    if (name.size() != 4 + kHexIdDigits) return std::nullopt;
    for (size_t i = 4; i < name.size(); ++i) {
      if (!IsHex(name[i])) return std::nullopt;
      name[i] = static_cast<char>(toupper(static_cast<unsigned char>(name[i])));
    }
    return prefix + name.substr(4);
  }
  return std::nullopt;
}

stmfDevid MakeDevid(std::string_view name) {
  stmfDevid d{};
  size_t n = std::min(name.size(), sizeof(d.ident));
  memcpy(d.ident, name.data(), n);
  d.identLength = static_cast<uint8_t>(n);
  return d;
}

std::string DevidName(const stmfDevid& devid) {
  return std::string(reinterpret_cast<const char*>(devid.ident),
                     std::min<size_t>(devid.identLength, sizeof(devid.ident)));
}

std::optional<uint32_t> LuPropId(std::string_view name) {
  for (const PropName& p : kPropNames) {
    if (name.size() == strlen(p.name) && strncasecmp(name.data(), p.name, name.size()) == 0) {
      return p.id;
    }
  }
  return std::nullopt;
}

}  // namespace openstmf::cli
