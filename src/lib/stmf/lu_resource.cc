// stmfCreateLuResource, stmfFreeLuResource, stmfSetLuProp, stmfGetLuProp: all
// local to the caller's process; nothing reaches the daemon here.
#include "lib/stmf/lu_resource.h"

#include <libstmf.h>

#include <cstring>
#include <new>

#include "lib/stmf/api.h"
#include "lib/stmf/door_call.h"
#include "lib/stmf/lu_props.h"

namespace openstmf::libstmf {

void FillFromReply(const mgmt::Message& reply, LuResource* res) {
  for (uint32_t id = STMF_LU_PROP_ALIAS; id <= STMF_LU_PROP_HOST_ID; ++id) {
    const char* name = PropName(id);
    if (name == nullptr) continue;
    auto value = reply.Bytes(name);
    if (value) res->props[id] = *value;
  }
}

}  // namespace openstmf::libstmf

using namespace openstmf::libstmf;  // NOLINT(google-build-using-namespace)

STMF_API int stmfCreateLuResource(uint16_t dType, luResource* hdl) {
  ClearDetail();
  if (hdl == nullptr) return Fail(STMF_ERROR_INVALID_ARG, "no handle pointer");
  if (dType != STMF_DISK) return Fail(STMF_ERROR_INVALID_ARG, "only STMF_DISK LUs exist");
  auto* res = new (std::nothrow) LuResource;
  if (res == nullptr) return Fail(STMF_ERROR_NOMEM, "out of memory");
  res->type = dType;
  *hdl = res;
  return STMF_STATUS_SUCCESS;
}

STMF_API int stmfFreeLuResource(luResource hdl) {
  ClearDetail();
  if (hdl == nullptr) return Fail(STMF_ERROR_INVALID_ARG, "no handle");
  delete FromHandle(hdl);
  return STMF_STATUS_SUCCESS;
}

STMF_API int stmfSetLuProp(luResource hdl, uint32_t prop, const char* value) {
  ClearDetail();
  if (hdl == nullptr || value == nullptr) return Fail(STMF_ERROR_INVALID_ARG, "no handle or value");
  if (prop == STMF_LU_PROP_ACCESS_STATE) {
    return Fail(STMF_ERROR_INVALID_PROP, "the access state is read only");
  }
  std::string normalised;
  int rc = CheckProp(prop, value, &normalised);
  if (rc != STMF_STATUS_SUCCESS) return rc;
  FromHandle(hdl)->props[prop] = std::move(normalised);
  return STMF_STATUS_SUCCESS;
}

STMF_API int stmfGetLuProp(luResource hdl, uint32_t prop, char* value, size_t* len) {
  ClearDetail();
  if (hdl == nullptr || value == nullptr || len == nullptr) {
    return Fail(STMF_ERROR_INVALID_ARG, "no handle, buffer or length");
  }
  if (PropName(prop) == nullptr) {
    return Fail(STMF_ERROR_INVALID_PROP, "unknown LU property " + std::to_string(prop));
  }
  const LuResource* res = FromHandle(hdl);
  auto it = res->props.find(prop);
  if (it == res->props.end() || it->second.empty()) {
    return Fail(STMF_ERROR_NO_PROP, std::string(PropName(prop)) + " is not set");
  }
  const std::string& text = it->second;
  if (text.size() + 1 > *len) {
    *len = text.size() + 1;
    return Fail(STMF_ERROR_INVALID_ARG, "buffer too small");
  }
  memcpy(value, text.c_str(), text.size() + 1);
  return STMF_STATUS_SUCCESS;
}
