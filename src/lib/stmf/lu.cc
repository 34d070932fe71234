// Logical units: stmfCreateLu, stmfImportLu, stmfModifyLu(ByFname), stmfDeleteLu,
// stmfGetLuResource, stmfGetLogicalUnitList, stmfGetLogicalUnitProperties,
// stmfOnline/OfflineLogicalUnit, stmfGet/SetGlobalLuProp.
#include <libstmf.h>

#include <new>

#include "lib/stmf/api.h"
#include "lib/stmf/convert.h"
#include "lib/stmf/door_call.h"
#include "lib/stmf/lu_props.h"
#include "lib/stmf/lu_resource.h"
#include "mgmt/ops.h"

namespace openstmf::libstmf {
namespace {

// The global management URL travels as an stmfd service property.
constexpr const char* kGlobalMgmtUrl = "mgmt_url";

int BadGuid() { return Fail(STMF_ERROR_INVALID_ARG, "no LU GUID"); }

int TakeGuid(const mgmt::Message& reply, stmfGuid* out) {
  if (!SetGuid(reply.Text("guid"), out)) {
    return Fail(STMF_STATUS_ERROR, "stmfd answered without the LU's GUID");
  }
  return STMF_STATUS_SUCCESS;
}

mgmt::Message PropItem(const char* name, const std::string& value) {
  return mgmt::Message().Set("name", name).Set("value", value);
}

// modify-lu for the LU named by `key` ("guid" or "file").
int Modify(const char* key, const std::string& who, uint32_t prop, const char* value) {
  if (value == nullptr) return Fail(STMF_ERROR_INVALID_ARG, "no property value");
  if (!PropModifiable(prop)) {
    const char* name = PropName(prop);
    return Fail(STMF_ERROR_INVALID_PROP,
                std::string(name != nullptr ? name : "this property") + " cannot be modified");
  }
  std::string normalised;
  // An empty management URL clears it, as in COMSTAR.
  if (!(prop == STMF_LU_PROP_MGMT_URL && *value == '\0')) {
    int rc = CheckProp(prop, value, &normalised);
    if (rc != STMF_STATUS_SUCCESS) return rc;
  }
  mgmt::Message req(mgmt::kOpModifyLu);
  req.Set(key, who);
  req.Append("props", PropItem(PropName(prop), normalised));
  return CallSimple(req);
}

uint32_t LuStatus(const std::string& status) {
  if (status == "online") return STMF_LOGICAL_UNIT_ONLINE;
  if (status == "offline") return STMF_LOGICAL_UNIT_OFFLINE;
  if (status == "onlining") return STMF_LOGICAL_UNIT_ONLINING;
  if (status == "offlining") return STMF_LOGICAL_UNIT_OFFLINING;
  return STMF_LOGICAL_UNIT_UNREGISTERED;
}

}  // namespace
}  // namespace openstmf::libstmf

using namespace openstmf::libstmf;  // NOLINT(google-build-using-namespace)
namespace mgmt = openstmf::mgmt;

STMF_API int stmfCreateLu(luResource hdl, stmfGuid* guid) {
  ClearDetail();
  if (hdl == nullptr) return Fail(STMF_ERROR_INVALID_ARG, "no LU resource");
  const LuResource* res = FromHandle(hdl);
  if (res->props.count(STMF_LU_PROP_FILENAME) == 0) {
    return Fail(STMF_ERROR_MISSING_PROP_VAL, "the LU has no data file name");
  }
  mgmt::Message req(mgmt::kOpCreateLu);
  req.Set("props", mgmt::Message::List{});
  for (const auto& [id, value] : res->props) req.Append("props", PropItem(PropName(id), value));
  mgmt::Message reply;
  int rc = Call(req, &reply);
  if (rc != STMF_STATUS_SUCCESS) return rc;
  stmfGuid created{};
  rc = TakeGuid(reply, &created);
  if (rc == STMF_STATUS_SUCCESS && guid != nullptr) *guid = created;
  return rc;
}

STMF_API int stmfImportLu(uint16_t dType, char* fname, stmfGuid* guid) {
  ClearDetail();
  if (dType != STMF_DISK) return Fail(STMF_ERROR_INVALID_ARG, "only STMF_DISK LUs exist");
  if (fname == nullptr) return Fail(STMF_ERROR_INVALID_ARG, "no file name");
  std::string path;
  int rc = CheckProp(STMF_LU_PROP_FILENAME, fname, &path);
  if (rc != STMF_STATUS_SUCCESS) return rc;
  mgmt::Message reply;
  rc = Call(mgmt::Message(mgmt::kOpImportLu).Set("file", path), &reply);
  if (rc != STMF_STATUS_SUCCESS) return rc;
  stmfGuid imported{};
  rc = TakeGuid(reply, &imported);
  if (rc == STMF_STATUS_SUCCESS && guid != nullptr) *guid = imported;
  return rc;
}

STMF_API int stmfModifyLu(stmfGuid* guid, uint32_t prop, const char* value) {
  ClearDetail();
  if (guid == nullptr) return BadGuid();
  return Modify("guid", GuidBytes(*guid), prop, value);
}

STMF_API int stmfModifyLuByFname(uint16_t dType, const char* fname, uint32_t prop,
                                 const char* value) {
  ClearDetail();
  if (dType != STMF_DISK) return Fail(STMF_ERROR_INVALID_ARG, "only STMF_DISK LUs exist");
  if (fname == nullptr) return Fail(STMF_ERROR_INVALID_ARG, "no file name");
  std::string path;
  int rc = CheckProp(STMF_LU_PROP_FILENAME, fname, &path);
  if (rc != STMF_STATUS_SUCCESS) return rc;
  return Modify("file", path, prop, value);
}

STMF_API int stmfDeleteLu(stmfGuid* guid) {
  ClearDetail();
  if (guid == nullptr) return BadGuid();
  // COMSTAR keeps an LU's view entries when it is deleted; stmfadm removes them.
  return CallSimple(
      mgmt::Message(mgmt::kOpDeleteLu).Set("guid", GuidBytes(*guid)).SetBool("keep_views", true));
}

STMF_API int stmfGetLuResource(stmfGuid* guid, luResource* hdl) {
  ClearDetail();
  if (guid == nullptr || hdl == nullptr) return Fail(STMF_ERROR_INVALID_ARG, "no GUID or handle");
  mgmt::Message reply;
  int rc = Call(mgmt::Message(mgmt::kOpGetLu).Set("guid", GuidBytes(*guid)), &reply);
  if (rc != STMF_STATUS_SUCCESS) return rc;
  auto* res = new (std::nothrow) LuResource;
  if (res == nullptr) return Fail(STMF_ERROR_NOMEM, "out of memory");
  res->type = STMF_DISK;
  FillFromReply(reply, res);
  *hdl = res;
  return STMF_STATUS_SUCCESS;
}

STMF_API int stmfGetLogicalUnitList(stmfGuidList** out) {
  ClearDetail();
  if (out == nullptr) return Fail(STMF_ERROR_INVALID_ARG, "no list pointer");
  mgmt::Message reply;
  int rc = Call(mgmt::Message(mgmt::kOpListLus), &reply);
  if (rc != STMF_STATUS_SUCCESS) return rc;
  const mgmt::Message::List* lus = reply.ListOf("lus");
  size_t n = lus != nullptr ? lus->size() : 0;
  auto* list = AllocList<stmfGuidList, stmfGuid>(n);
  if (list == nullptr) return Fail(STMF_ERROR_NOMEM, "out of memory");
  for (size_t i = 0; i < n; ++i) {
    if (!SetGuid((*lus)[i].Text("guid"), &list->guid[i])) {
      free(list);
      return Fail(STMF_STATUS_ERROR, "stmfd listed an LU without a valid GUID");
    }
  }
  *out = list;
  return STMF_STATUS_SUCCESS;
}

STMF_API int stmfGetLogicalUnitProperties(stmfGuid* guid, stmfLogicalUnitProperties* props) {
  ClearDetail();
  if (guid == nullptr || props == nullptr) {
    return Fail(STMF_ERROR_INVALID_ARG, "no GUID or properties");
  }
  mgmt::Message reply;
  int rc = Call(mgmt::Message(mgmt::kOpGetLu).Set("guid", GuidBytes(*guid)), &reply);
  if (rc != STMF_STATUS_SUCCESS) return rc;
  *props = stmfLogicalUnitProperties{};
  CopyText(reply.Text("alias"), props->alias, sizeof(props->alias));
  CopyPadded(reply.Text("vendor"), props->vendor, sizeof(props->vendor));
  CopyPadded(reply.Text("product"), props->product, sizeof(props->product));
  CopyPadded(reply.Text("revision"), props->revision, sizeof(props->revision));
  props->status = LuStatus(reply.Text("state"));
  CopyText(reply.Text("provider"), props->providerName, sizeof(props->providerName));
  props->luid = *guid;
  return STMF_STATUS_SUCCESS;
}

STMF_API int stmfOnlineLogicalUnit(stmfGuid* guid) {
  ClearDetail();
  if (guid == nullptr) return BadGuid();
  return CallSimple(mgmt::Message(mgmt::kOpOnlineLu).Set("guid", GuidBytes(*guid)));
}

STMF_API int stmfOfflineLogicalUnit(stmfGuid* guid) {
  ClearDetail();
  if (guid == nullptr) return BadGuid();
  return CallSimple(mgmt::Message(mgmt::kOpOfflineLu).Set("guid", GuidBytes(*guid)));
}

STMF_API int stmfGetGlobalLuProp(uint16_t dType, uint32_t prop, char* value, size_t* len) {
  ClearDetail();
  if (dType != STMF_DISK || prop != STMF_LU_PROP_MGMT_URL || value == nullptr || len == nullptr) {
    return Fail(STMF_ERROR_INVALID_ARG, "only the disk LUs' management URL is global");
  }
  mgmt::Message reply;
  int rc = Call(mgmt::Message(mgmt::kOpGetState), &reply);
  if (rc != STMF_STATUS_SUCCESS) return rc;
  std::string url = reply.Text(kGlobalMgmtUrl);
  if (url.empty()) return Fail(STMF_ERROR_NO_PROP, "no global management URL is set");
  if (url.size() + 1 > *len) {
    *len = url.size() + 1;
    return Fail(STMF_ERROR_INVALID_ARG, "buffer too small");
  }
  CopyText(url, value, *len);
  return STMF_STATUS_SUCCESS;
}

STMF_API int stmfSetGlobalLuProp(uint16_t dType, uint32_t prop, const char* value) {
  ClearDetail();
  if (dType != STMF_DISK || prop != STMF_LU_PROP_MGMT_URL || value == nullptr) {
    return Fail(STMF_ERROR_INVALID_ARG, "only the disk LUs' management URL is global");
  }
  std::string url;
  if (*value != '\0') {
    int rc = CheckProp(prop, value, &url);
    if (rc != STMF_STATUS_SUCCESS) return rc;
  }
  return CallSimple(
      mgmt::Message(mgmt::kOpSetStmfProp).Set("name", kGlobalMgmtUrl).Set("value", url));
}
