// ALUA and the STMF proxy service: stmfSetAluaState, stmfGetAluaState,
// stmfLuStandby (management door calls) and stmfInitProxyDoor, stmfPostProxyMsg,
// stmfDestroyProxyDoor (stmfd's proxy door; see ha/proxy_door.h).
#include <libstmf.h>
#include <unistd.h>

#include <span>

#include "ha/proxy_client.h"
#include "lib/stmf/api.h"
#include "lib/stmf/convert.h"
#include "lib/stmf/door_call.h"
#include "mgmt/ops.h"

using namespace openstmf::libstmf;  // NOLINT(google-build-using-namespace)
namespace mgmt = openstmf::mgmt;
namespace ha = openstmf::ha;

STMF_API int stmfSetAluaState(boolean_t alua_enabled, uint32_t node) {
  ClearDetail();
  if (alua_enabled != B_FALSE && alua_enabled != B_TRUE) {
    return Fail(STMF_ERROR_INVALID_ARG, "alua_enabled must be B_TRUE or B_FALSE");
  }
  if (alua_enabled == B_TRUE && node > 1) {
    return Fail(STMF_ERROR_INVALID_ARG, "the ALUA node must be 0 or 1");
  }
  mgmt::Message m(mgmt::kOpAluaSetState);
  m.SetBool("enabled", alua_enabled == B_TRUE);
  m.Set("node", uint64_t{alua_enabled == B_TRUE ? node : 0});
  return CallSimple(m);
}

STMF_API int stmfGetAluaState(boolean_t* enabled, uint32_t* node) {
  ClearDetail();
  if (enabled == nullptr || node == nullptr) {
    return Fail(STMF_ERROR_INVALID_ARG, "no result pointer");
  }
  mgmt::Message reply;
  int rc = Call(mgmt::Message(mgmt::kOpAluaGetState), &reply);
  if (rc != STMF_STATUS_SUCCESS) return rc;
  *enabled = reply.Flag("enabled") ? B_TRUE : B_FALSE;
  *node = static_cast<uint32_t>(reply.NumberOr("node", 0));
  return STMF_STATUS_SUCCESS;
}

STMF_API int stmfLuStandby(stmfGuid* luGuid) {
  ClearDetail();
  if (luGuid == nullptr) return Fail(STMF_ERROR_INVALID_ARG, "no LU GUID");
  mgmt::Message m(mgmt::kOpLuStandby);
  m.Set("guid", GuidBytes(*luGuid));
  return CallSimple(m);
}

STMF_API int stmfInitProxyDoor(int* hdl, int fd) {
  ClearDetail();
  if (hdl == nullptr || fd < 0) return Fail(STMF_ERROR_INVALID_ARG, "no handle pointer or door");
  uint32_t st = ha::InstallProxyDoor(ha::DefaultProxyDoorPath(), fd, hdl);
  switch (st) {
    case STMF_STATUS_SUCCESS:
      return STMF_STATUS_SUCCESS;
    case STMF_ERROR_DOOR_INSTALLED:
      return Fail(STMF_ERROR_DOOR_INSTALLED, "a proxy door is already installed in stmfd");
    case STMF_ERROR_PERM:
      return Fail(STMF_ERROR_PERM, "permission denied: the proxy service needs root");
    case STMF_ERROR_SERVICE_NOT_FOUND:
      return Fail(STMF_ERROR_SERVICE_NOT_FOUND,
                  "stmfd is not running (no proxy door at " + ha::DefaultProxyDoorPath() + ")");
    default:
      return Fail(static_cast<int>(st), "stmfd refused the proxy door");
  }
}

STMF_API int stmfPostProxyMsg(int hdl, void* buf, uint32_t buflen) {
  ClearDetail();
  if (buf == nullptr || buflen == 0) return Fail(STMF_ERROR_INVALID_ARG, "no message");
  uint32_t st = ha::PostProxyMessage(hdl, {static_cast<const uint8_t*>(buf), buflen});
  if (st != STMF_STATUS_SUCCESS) {
    return Fail(static_cast<int>(st), "stmfd did not take the message");
  }
  return STMF_STATUS_SUCCESS;
}

STMF_API void stmfDestroyProxyDoor(int hdl) {
  if (hdl >= 0) close(hdl);
}
