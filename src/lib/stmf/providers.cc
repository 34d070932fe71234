// Providers: stmfGet{LocalPort,LogicalUnit}ProviderList and their Properties.
#include <libstmf.h>

#include <cstring>

#include "lib/stmf/api.h"
#include "lib/stmf/convert.h"
#include "lib/stmf/door_call.h"
#include "mgmt/ops.h"

namespace openstmf::libstmf {
namespace {

// COMSTAR's "registered" provider status.
constexpr uint32_t kProviderRegistered = 1;

int List(const char* op, int type, stmfProviderList** out) {
  ClearDetail();
  if (out == nullptr) return Fail(STMF_ERROR_INVALID_ARG, "no list pointer");
  mgmt::Message reply;
  int rc = Call(mgmt::Message(op), &reply);
  if (rc != STMF_STATUS_SUCCESS) return rc;
  const mgmt::Message::List* providers = reply.ListOf("providers");
  size_t n = providers != nullptr ? providers->size() : 0;
  auto* list = AllocList<stmfProviderList, stmfProvider>(n);
  if (list == nullptr) return Fail(STMF_ERROR_NOMEM, "out of memory");
  for (size_t i = 0; i < n; ++i) {
    list->provider[i].providerType = type;
    CopyText((*providers)[i].Text("name"), list->provider[i].name, sizeof(stmfProviderName));
  }
  *out = list;
  return STMF_STATUS_SUCCESS;
}

// Both properties structures have the same fields.
template <typename Props>
int Properties(const char* op, const stmfProviderName* name, Props* props) {
  ClearDetail();
  if (name == nullptr || props == nullptr) return Fail(STMF_ERROR_INVALID_ARG, "no provider name");
  size_t len = strnlen(*name, sizeof(stmfProviderName));
  if (len == 0 || len == sizeof(stmfProviderName)) {
    return Fail(STMF_ERROR_INVALID_ARG, "invalid provider name");
  }
  std::string wanted(*name, len);
  mgmt::Message reply;
  int rc = Call(mgmt::Message(op), &reply);
  if (rc != STMF_STATUS_SUCCESS) return rc;
  if (const mgmt::Message::List* providers = reply.ListOf("providers")) {
    for (const mgmt::Message& p : *providers) {
      if (p.Text("name") != wanted) continue;
      *props = Props{};
      CopyText(wanted, props->providerName, sizeof(props->providerName));
      props->instance = static_cast<uint32_t>(p.NumberOr("instance", 0));
      props->status = kProviderRegistered;
      return STMF_STATUS_SUCCESS;
    }
  }
  return Fail(STMF_ERROR_NOT_FOUND, "provider \"" + wanted + "\" not found");
}

}  // namespace
}  // namespace openstmf::libstmf

using namespace openstmf::libstmf;  // NOLINT(google-build-using-namespace)
namespace mgmt = openstmf::mgmt;

STMF_API int stmfGetLocalPortProviderList(stmfProviderList** list) {
  return List(mgmt::kOpListPortProviders, STMF_PORT_PROVIDER_TYPE, list);
}

STMF_API int stmfGetLogicalUnitProviderList(stmfProviderList** list) {
  return List(mgmt::kOpListLuProviders, STMF_LU_PROVIDER_TYPE, list);
}

STMF_API int stmfGetLocalPortProviderProperties(stmfProviderName* name,
                                                stmfLocalPortProviderProperties* props) {
  return Properties(mgmt::kOpListPortProviders, name, props);
}

STMF_API int stmfGetLogicalUnitProviderProperties(stmfProviderName* name,
                                                  stmfLogicalUnitProviderProperties* props) {
  return Properties(mgmt::kOpListLuProviders, name, props);
}
