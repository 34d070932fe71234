// The service: stmfGetState, stmfOnline, stmfOffline, stmfLoadConfig,
// stmfGet/SetPersistMethod, stmfGet/SetStmfProp, stmfLoadStmfProps; and
// stmfFreeMemory, stmfGetErrorDetail.
#include <libstmf.h>
#include <strings.h>

#include <cstdlib>

#include "lib/stmf/api.h"
#include "lib/stmf/convert.h"
#include "lib/stmf/door_call.h"
#include "mgmt/ops.h"

namespace openstmf::libstmf {
namespace {

int GetState(mgmt::Message* reply) { return Call(mgmt::Message(mgmt::kOpGetState), reply); }

const char* StmfPropName(uint8_t type) {
  switch (type) {
    case STMF_DEFAULT_LU_STATE:
      return "default_lu_state";
    case STMF_DEFAULT_TARGET_PORT_STATE:
      return "default_port_state";
    default:
      return nullptr;
  }
}

}  // namespace
}  // namespace openstmf::libstmf

using namespace openstmf::libstmf;  // NOLINT(google-build-using-namespace)
namespace mgmt = openstmf::mgmt;

STMF_API int stmfGetState(stmfState* state) {
  ClearDetail();
  if (state == nullptr) return Fail(STMF_ERROR_INVALID_ARG, "no state pointer");
  mgmt::Message reply;
  int rc = GetState(&reply);
  if (rc != STMF_STATUS_SUCCESS) return rc;
  state->operationalState =
      static_cast<int>(reply.NumberOr("operational_state", STMF_SERVICE_STATE_UNKNOWN));
  state->configState = static_cast<int>(reply.NumberOr("config_state", STMF_CONFIG_STATE_UNKNOWN));
  return STMF_STATUS_SUCCESS;
}

STMF_API int stmfOnline(void) {
  ClearDetail();
  return CallSimple(mgmt::Message(mgmt::kOpOnline));
}

STMF_API int stmfOffline(void) {
  ClearDetail();
  return CallSimple(mgmt::Message(mgmt::kOpOffline));
}

// stmfd loads its configuration itself when it starts; as in COMSTAR, loading
// is refused while the service is online.
STMF_API int stmfLoadConfig(void) {
  ClearDetail();
  stmfState state;
  int rc = stmfGetState(&state);
  if (rc != STMF_STATUS_SUCCESS) return rc;
  if (state.operationalState == STMF_SERVICE_STATE_ONLINE) {
    return Fail(STMF_ERROR_SERVICE_ONLINE,
                "the STMF service must be offline to load its configuration");
  }
  return STMF_STATUS_SUCCESS;
}

STMF_API int stmfGetPersistMethod(uint8_t* persistType, boolean_t /*serviceState*/) {
  ClearDetail();
  if (persistType == nullptr) return Fail(STMF_ERROR_INVALID_ARG, "no result pointer");
  mgmt::Message reply;
  int rc = GetState(&reply);
  if (rc != STMF_STATUS_SUCCESS) return rc;
  *persistType = static_cast<uint8_t>(reply.NumberOr("persist_method", STMF_PERSIST_SMF));
  return STMF_STATUS_SUCCESS;
}

STMF_API int stmfSetPersistMethod(uint8_t persistType, boolean_t /*serviceSet*/) {
  ClearDetail();
  if (persistType != STMF_PERSIST_SMF && persistType != STMF_PERSIST_NONE) {
    return Fail(STMF_ERROR_INVALID_ARG,
                "persistence must be STMF_PERSIST_SMF or STMF_PERSIST_NONE");
  }
  return CallSimple(
      mgmt::Message(mgmt::kOpSetPersistMethod).Set("persist_method", uint64_t{persistType}));
}

STMF_API int stmfGetStmfProp(uint8_t propType, char* propVal, size_t* propLen) {
  ClearDetail();
  const char* name = StmfPropName(propType);
  if (name == nullptr || propVal == nullptr || propLen == nullptr) {
    return Fail(STMF_ERROR_INVALID_ARG, "unknown STMF property or no buffer");
  }
  mgmt::Message reply;
  int rc = GetState(&reply);
  if (rc != STMF_STATUS_SUCCESS) return rc;
  std::string value = reply.Text(name);
  if (value.empty()) return Fail(STMF_ERROR_NO_PROP, std::string(name) + " is not set");
  if (value.size() + 1 > *propLen) {
    *propLen = value.size() + 1;
    return Fail(STMF_ERROR_INVALID_ARG, "buffer too small");
  }
  CopyText(value, propVal, *propLen);
  return STMF_STATUS_SUCCESS;
}

STMF_API int stmfSetStmfProp(uint8_t propType, char* propVal) {
  ClearDetail();
  const char* name = StmfPropName(propType);
  if (name == nullptr || propVal == nullptr) {
    return Fail(STMF_ERROR_INVALID_ARG, "unknown STMF property or no value");
  }
  const char* value = nullptr;
  if (strcasecmp(propVal, "online") == 0) value = "online";
  if (strcasecmp(propVal, "offline") == 0) value = "offline";
  if (value == nullptr) return Fail(STMF_ERROR_INVALID_ARG, "the value must be online or offline");
  return CallSimple(mgmt::Message(mgmt::kOpSetStmfProp).Set("name", name).Set("value", value));
}

// stmfd applies its stored service properties when it starts; this only checks
// that it is there.
STMF_API int stmfLoadStmfProps(void) {
  ClearDetail();
  mgmt::Message reply;
  return GetState(&reply);
}

STMF_API void stmfFreeMemory(void* memory) { free(memory); }

STMF_API const char* stmfGetErrorDetail(void) { return Detail(); }
