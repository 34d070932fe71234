// The libnvpair subset of <libnvpair.h>. A list is packed as a management
// message (mgmt/message.h): strings as byte fields, uint64 values as numbers, so
// the bytes are checked by the same decoder stmfd uses.
#include <errno.h>
#include <libnvpair.h>

#include <cstdlib>
#include <cstring>
#include <map>
#include <new>
#include <string>
#include <variant>

#include "lib/stmf/api.h"
#include "mgmt/message.h"

struct nvlist {
  std::map<std::string, std::variant<uint64_t, std::string>, std::less<>> values;
};

namespace {

constexpr size_t kMaxName = 255;  // a message field name's limit

bool ValidName(const char* name) {
  if (name == nullptr) return false;
  size_t n = strnlen(name, kMaxName + 1);
  return n > 0 && n <= kMaxName;
}

bool ValidEncoding(int encoding) {
  return encoding == NV_ENCODE_NATIVE || encoding == NV_ENCODE_XDR;
}

std::vector<uint8_t> Pack(const nvlist& nvl) {
  openstmf::mgmt::Message m;
  for (const auto& [name, value] : nvl.values) {
    if (const auto* n = std::get_if<uint64_t>(&value)) {
      m.Set(name, *n);
    } else {
      m.Set(name, std::string_view(std::get<std::string>(value)));
    }
  }
  return openstmf::mgmt::Encode(m);
}

}  // namespace

STMF_API int nvlist_alloc(nvlist_t** nvlp, uint_t /*nvflag*/, int /*kmflag*/) {
  if (nvlp == nullptr) return EINVAL;
  *nvlp = new (std::nothrow) nvlist;
  return *nvlp == nullptr ? ENOMEM : 0;
}

STMF_API void nvlist_free(nvlist_t* nvl) { delete nvl; }

STMF_API int nvlist_add_string(nvlist_t* nvl, const char* name, const char* val) {
  if (nvl == nullptr || !ValidName(name) || val == nullptr) return EINVAL;
  nvl->values[name] = std::string(val);
  return 0;
}

STMF_API int nvlist_add_uint64(nvlist_t* nvl, const char* name, uint64_t val) {
  if (nvl == nullptr || !ValidName(name)) return EINVAL;
  nvl->values[name] = val;
  return 0;
}

STMF_API int nvlist_lookup_string(nvlist_t* nvl, const char* name, char** val) {
  if (nvl == nullptr || name == nullptr || val == nullptr) return EINVAL;
  auto it = nvl->values.find(std::string_view(name));
  if (it == nvl->values.end()) return ENOENT;
  auto* s = std::get_if<std::string>(&it->second);
  if (s == nullptr) return ENOENT;
  *val = s->data();
  return 0;
}

STMF_API int nvlist_lookup_uint64(nvlist_t* nvl, const char* name, uint64_t* val) {
  if (nvl == nullptr || name == nullptr || val == nullptr) return EINVAL;
  auto it = nvl->values.find(std::string_view(name));
  if (it == nvl->values.end()) return ENOENT;
  auto* n = std::get_if<uint64_t>(&it->second);
  if (n == nullptr) return ENOENT;
  *val = *n;
  return 0;
}

STMF_API int nvlist_size(nvlist_t* nvl, size_t* size, int encoding) {
  if (nvl == nullptr || size == nullptr || !ValidEncoding(encoding)) return EINVAL;
  *size = Pack(*nvl).size();
  return 0;
}

STMF_API int nvlist_pack(nvlist_t* nvl, char** bufp, size_t* buflen, int encoding, int /*kmflag*/) {
  if (nvl == nullptr || bufp == nullptr || buflen == nullptr || !ValidEncoding(encoding)) {
    return EINVAL;
  }
  std::vector<uint8_t> bytes = Pack(*nvl);
  if (*bufp == nullptr) {
    *bufp = static_cast<char*>(malloc(bytes.empty() ? 1 : bytes.size()));
    if (*bufp == nullptr) return ENOMEM;
  } else if (*buflen < bytes.size()) {
    return ENOMEM;  // Solaris' answer for a caller's buffer that is too small
  }
  memcpy(*bufp, bytes.data(), bytes.size());
  *buflen = bytes.size();
  return 0;
}

STMF_API int nvlist_unpack(char* buf, size_t buflen, nvlist_t** nvlp, int /*kmflag*/) {
  if (buf == nullptr || nvlp == nullptr) return EINVAL;
  auto m = openstmf::mgmt::Decode({reinterpret_cast<const uint8_t*>(buf), buflen});
  if (!m.ok()) return EINVAL;
  auto* nvl = new (std::nothrow) nvlist;
  if (nvl == nullptr) return ENOMEM;
  for (const auto& [name, value] : m->fields()) {
    if (const auto* n = std::get_if<uint64_t>(&value)) {
      nvl->values[name] = *n;
    } else if (const auto* s = std::get_if<std::string>(&value)) {
      nvl->values[name] = *s;
    } else {
      delete nvl;
      return EINVAL;  // nested lists are not part of this subset
    }
  }
  *nvlp = nvl;
  return 0;
}
