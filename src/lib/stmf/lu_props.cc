#include "lib/stmf/lu_props.h"

#include <libstmf.h>
#include <unistd.h>

#include <array>
#include <cctype>
#include <climits>
#include <cstring>

#include "lib/stmf/door_call.h"

namespace openstmf::libstmf {
namespace {

struct PropInfo {
  uint32_t id;
  const char* name;
  bool modifiable;
};

// COMSTAR's stmfModifyLu changes alias, management URL, write cache, write
// protect and size; the rest are fixed when the LU is created.
constexpr std::array<PropInfo, 15> kProps{{
    {STMF_LU_PROP_ALIAS, "alias", true},
    {STMF_LU_PROP_BLOCK_SIZE, "blk", false},
    {STMF_LU_PROP_COMPANY_ID, "oui", false},
    {STMF_LU_PROP_FILENAME, "data", false},
    {STMF_LU_PROP_GUID, "guid", false},
    {STMF_LU_PROP_META_FILENAME, "meta", false},
    {STMF_LU_PROP_MGMT_URL, "mgmt-url", true},
    {STMF_LU_PROP_SIZE, "size", true},
    {STMF_LU_PROP_WRITE_PROTECT, "wp", true},
    {STMF_LU_PROP_WRITE_CACHE_DISABLE, "wcd", true},
    {STMF_LU_PROP_VID, "vendor", false},
    {STMF_LU_PROP_PID, "product", false},
    {STMF_LU_PROP_SERIAL_NUM, "serial", false},
    {STMF_LU_PROP_ACCESS_STATE, "access_state", false},
    {STMF_LU_PROP_HOST_ID, "host_id", false},
}};

const PropInfo* Find(uint32_t prop) {
  for (const PropInfo& p : kProps) {
    if (p.id == prop) return &p;
  }
  return nullptr;
}

bool AllHex(std::string_view s) {
  for (char c : s) {
    if (!isxdigit(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

std::string Upper(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(toupper(static_cast<unsigned char>(c)));
  return out;
}

int CheckLength(std::string_view v, size_t max, const char* what, std::string* out) {
  if (v.size() > max) {
    return Fail(STMF_ERROR_INVALID_PROPSIZE,
                std::string(what) + " is longer than " + std::to_string(max) + " characters");
  }
  *out = std::string(v);
  return STMF_STATUS_SUCCESS;
}

int CheckHex(std::string_view v, size_t digits, const char* what, std::string* out) {
  if (v.size() != digits || !AllHex(v)) {
    return Fail(STMF_ERROR_INVALID_ARG,
                std::string(what) + " must be " + std::to_string(digits) + " hexadecimal digits");
  }
  *out = Upper(v);
  return STMF_STATUS_SUCCESS;
}

int CheckBool(std::string_view v, const char* what, std::string* out) {
  std::string lower(v);
  for (char& c : lower) c = static_cast<char>(tolower(static_cast<unsigned char>(c)));
  if (lower != "true" && lower != "false") {
    return Fail(STMF_ERROR_INVALID_ARG, std::string(what) + " must be true or false");
  }
  *out = lower;
  return STMF_STATUS_SUCCESS;
}

// The daemon opens files from its own working directory, so relative names are
// made absolute here, in the caller's.
int CheckPath(std::string_view v, const char* what, std::string* out) {
  if (v.empty()) return Fail(STMF_ERROR_INVALID_ARG, std::string(what) + " is empty");
  std::string path(v);
  if (path[0] != '/') {
    char cwd[PATH_MAX];
    if (getcwd(cwd, sizeof(cwd)) == nullptr) {
      return Fail(STMF_ERROR_INVALID_ARG, "cannot resolve relative path " + path);
    }
    path = std::string(cwd) + "/" + path;
  }
  return CheckLength(path, PATH_MAX - 1, what, out);
}

int CheckNumber(std::string_view v, const char* what, std::string* out) {
  auto n = ParseNiceNumber(v);
  if (!n) {
    return Fail(STMF_ERROR_INVALID_ARG,
                std::string(what) + " \"" + std::string(v) + "\" is not a number of bytes");
  }
  *out = std::to_string(*n);
  return STMF_STATUS_SUCCESS;
}

}  // namespace

const char* PropName(uint32_t prop) {
  const PropInfo* p = Find(prop);
  return p != nullptr ? p->name : nullptr;
}

bool PropModifiable(uint32_t prop) {
  const PropInfo* p = Find(prop);
  return p != nullptr && p->modifiable;
}

std::optional<uint64_t> ParseNiceNumber(std::string_view text) {
  if (text.empty()) return std::nullopt;
  uint64_t n = 0;
  size_t i = 0;
  for (; i < text.size() && isdigit(static_cast<unsigned char>(text[i])); ++i) {
    uint64_t digit = static_cast<uint64_t>(text[i] - '0');
    if (n > (UINT64_MAX - digit) / 10) return std::nullopt;
    n = n * 10 + digit;
  }
  if (i == 0) return std::nullopt;
  if (i == text.size()) return n;
  if (i + 1 != text.size()) {
    // Allow "10gb"/"10GB" as well as "10g".
    if (i + 2 != text.size() || (text[i + 1] != 'b' && text[i + 1] != 'B')) return std::nullopt;
  }
  static constexpr std::string_view kSuffixes = "kmgtpe";
  size_t pos = kSuffixes.find(static_cast<char>(tolower(static_cast<unsigned char>(text[i]))));
  if (pos == std::string_view::npos) return std::nullopt;
  unsigned shift = 10 * static_cast<unsigned>(pos + 1);
  if (n > (UINT64_MAX >> shift)) return std::nullopt;
  return n << shift;
}

int CheckProp(uint32_t prop, std::string_view v, std::string* out) {
  switch (prop) {
    case STMF_LU_PROP_ALIAS:
      return CheckLength(v, 255, "alias", out);
    case STMF_LU_PROP_MGMT_URL:
      return CheckLength(v, 1024, "management URL", out);
    case STMF_LU_PROP_VID:
      return CheckLength(v, 8, "vendor id", out);
    case STMF_LU_PROP_PID:
      return CheckLength(v, 16, "product id", out);
    case STMF_LU_PROP_SERIAL_NUM:
      return CheckLength(v, 252, "serial number", out);
    case STMF_LU_PROP_GUID:
      return CheckHex(v, 32, "guid", out);
    case STMF_LU_PROP_COMPANY_ID:
      return CheckHex(v, 6, "oui", out);
    case STMF_LU_PROP_HOST_ID:
      return CheckHex(v, 8, "host id", out);
    case STMF_LU_PROP_WRITE_PROTECT:
      return CheckBool(v, "wp", out);
    case STMF_LU_PROP_WRITE_CACHE_DISABLE:
      return CheckBool(v, "wcd", out);
    case STMF_LU_PROP_FILENAME:
      return CheckPath(v, "data file name", out);
    case STMF_LU_PROP_META_FILENAME:
      return CheckPath(v, "meta file name", out);
    case STMF_LU_PROP_SIZE:
      return CheckNumber(v, "size", out);
    case STMF_LU_PROP_BLOCK_SIZE: {
      int rc = CheckNumber(v, "block size", out);
      if (rc != STMF_STATUS_SUCCESS) return rc;
      uint64_t blk = std::stoull(*out);
      if (blk < 512 || blk > 65536 || (blk & (blk - 1)) != 0) {
        return Fail(STMF_ERROR_INVALID_BLKSIZE,
                    "block size " + *out + " is not a power of two from 512 to 65536");
      }
      return STMF_STATUS_SUCCESS;
    }
    case STMF_LU_PROP_ACCESS_STATE:
      return Fail(STMF_ERROR_INVALID_PROP, "the access state is read only");
    default:
      return Fail(STMF_ERROR_INVALID_PROP, "unknown LU property " + std::to_string(prop));
  }
}

}  // namespace openstmf::libstmf
