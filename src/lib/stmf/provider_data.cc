// Provider data: stmfGetProviderData(Prot), stmfSetProviderData(Prot),
// stmfClearProviderData. The daemon keeps the packed list and a token that
// changes with every set; a set with a stale token is STMF_ERROR_PROV_DATA_STALE.
#include <libstmf.h>

#include <cstdlib>
#include <cstring>

#include "lib/stmf/api.h"
#include "lib/stmf/door_call.h"
#include "mgmt/ops.h"

namespace openstmf::libstmf {
namespace {

// The request naming one provider's data; false (detail set) for bad arguments.
bool ProviderRequest(const char* op, const char* name, int type, mgmt::Message* req) {
  if (name == nullptr || *name == '\0' ||
      strnlen(name, sizeof(stmfProviderName)) == sizeof(stmfProviderName)) {
    Fail(STMF_ERROR_INVALID_ARG, "invalid provider name");
    return false;
  }
  if (type != STMF_LU_PROVIDER_TYPE && type != STMF_PORT_PROVIDER_TYPE) {
    Fail(STMF_ERROR_INVALID_ARG,
         "the provider type must be STMF_LU_PROVIDER_TYPE or STMF_PORT_PROVIDER_TYPE");
    return false;
  }
  *req = mgmt::Message(op);
  req->Set("name", name).Set("type", uint64_t(type));
  return true;
}

int Get(const char* name, nvlist_t** nvl, int type, uint64_t* token) {
  ClearDetail();
  if (nvl == nullptr) return Fail(STMF_ERROR_INVALID_ARG, "no list pointer");
  mgmt::Message req;
  if (!ProviderRequest(mgmt::kOpGetProviderData, name, type, &req)) return STMF_ERROR_INVALID_ARG;
  mgmt::Message reply;
  int rc = Call(req, &reply);
  if (rc != STMF_STATUS_SUCCESS) return rc;
  std::string data = reply.Text("data");
  int err = nvlist_unpack(data.data(), data.size(), nvl, 0);
  if (err == ENOMEM) return Fail(STMF_ERROR_NOMEM, "out of memory");
  if (err != 0) return Fail(STMF_STATUS_ERROR, "the stored provider data does not unpack");
  if (token != nullptr) *token = reply.NumberOr("token", 0);
  return STMF_STATUS_SUCCESS;
}

int Set(const char* name, nvlist_t* nvl, int type, uint64_t* token) {
  ClearDetail();
  if (nvl == nullptr) return Fail(STMF_ERROR_INVALID_ARG, "no list");
  mgmt::Message req;
  if (!ProviderRequest(mgmt::kOpSetProviderData, name, type, &req)) return STMF_ERROR_INVALID_ARG;
  char* buf = nullptr;
  size_t len = 0;
  if (nvlist_pack(nvl, &buf, &len, NV_ENCODE_XDR, 0) != 0) {
    return Fail(STMF_ERROR_NOMEM, "cannot pack the provider data");
  }
  req.Set("data", std::string_view(buf, len));
  free(buf);
  if (token != nullptr) req.Set("token", *token);
  mgmt::Message reply;
  int rc = Call(req, &reply);
  if (rc == STMF_STATUS_SUCCESS && token != nullptr) *token = reply.NumberOr("token", 0);
  return rc;
}

}  // namespace
}  // namespace openstmf::libstmf

using namespace openstmf::libstmf;  // NOLINT(google-build-using-namespace)
namespace mgmt = openstmf::mgmt;

STMF_API int stmfGetProviderData(char* providerName, nvlist_t** nvl, int providerType) {
  return Get(providerName, nvl, providerType, nullptr);
}

STMF_API int stmfGetProviderDataProt(char* providerName, nvlist_t** nvl, int providerType,
                                     uint64_t* setToken) {
  return Get(providerName, nvl, providerType, setToken);
}

STMF_API int stmfSetProviderData(char* providerName, nvlist_t* nvl, int providerType) {
  return Set(providerName, nvl, providerType, nullptr);
}

STMF_API int stmfSetProviderDataProt(char* providerName, nvlist_t* nvl, int providerType,
                                     uint64_t* setToken) {
  return Set(providerName, nvl, providerType, setToken);
}

STMF_API int stmfClearProviderData(char* providerName, int providerType) {
  ClearDetail();
  mgmt::Message req;
  if (!ProviderRequest(mgmt::kOpClearProviderData, providerName, providerType, &req)) {
    return STMF_ERROR_INVALID_ARG;
  }
  return CallSimple(req);
}
