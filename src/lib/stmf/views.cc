// Views: stmfAddViewEntry, stmfRemoveViewEntry, stmfGetViewEntryList,
// stmfValidateView.
#include <libstmf.h>

#include "lib/stmf/api.h"
#include "lib/stmf/convert.h"
#include "lib/stmf/door_call.h"
#include "mgmt/ops.h"

namespace openstmf::libstmf {
namespace {

// The request fields of a view entry; false (with the detail set) when a group
// name the entry uses is malformed or its LUN is out of range.
bool ViewFields(const stmfViewEntry& ve, mgmt::Message* req) {
  if (!ve.allHosts) {
    auto hg = GroupNameText(&ve.hostGroup);
    if (!hg) return Fail(STMF_ERROR_INVALID_ARG, "invalid host group name"), false;
    req->Set("host_group", *hg);
  }
  if (!ve.allTargets) {
    auto tg = GroupNameText(&ve.targetGroup);
    if (!tg) return Fail(STMF_ERROR_INVALID_ARG, "invalid target group name"), false;
    req->Set("target_group", *tg);
  }
  if (ve.luNbrValid) {
    req->Set("lun", uint64_t{LunFromBytes(ve.luNbr)});  // 14 bits: always below 16384
  }
  if (ve.veIndexValid) req->Set("index", uint64_t{ve.veIndex});
  return true;
}

// Writes back the index and LUN the daemon chose.
void TakeChoice(const mgmt::Message& reply, stmfViewEntry* ve) {
  if (auto index = reply.Number("index")) {
    ve->veIndex = static_cast<uint32_t>(*index);
    ve->veIndexValid = B_TRUE;
  }
  if (auto lun = reply.Number("lun")) {
    LunToBytes(static_cast<uint32_t>(*lun), ve->luNbr);
    ve->luNbrValid = B_TRUE;
  }
}

}  // namespace
}  // namespace openstmf::libstmf

using namespace openstmf::libstmf;  // NOLINT(google-build-using-namespace)
namespace mgmt = openstmf::mgmt;

STMF_API int stmfAddViewEntry(stmfGuid* lu, stmfViewEntry* ve) {
  ClearDetail();
  if (lu == nullptr || ve == nullptr) return Fail(STMF_ERROR_INVALID_ARG, "no LU or view entry");
  mgmt::Message req(mgmt::kOpAddView);
  req.Set("guid", GuidBytes(*lu));
  if (!ViewFields(*ve, &req)) return STMF_ERROR_INVALID_ARG;
  mgmt::Message reply;
  int rc = Call(req, &reply);
  if (rc == STMF_STATUS_SUCCESS) TakeChoice(reply, ve);
  return rc;
}

STMF_API int stmfRemoveViewEntry(stmfGuid* lu, uint32_t index) {
  ClearDetail();
  if (lu == nullptr) return Fail(STMF_ERROR_INVALID_ARG, "no LU");
  return CallSimple(
      mgmt::Message(mgmt::kOpRemoveView).Set("guid", GuidBytes(*lu)).Set("index", uint64_t{index}));
}

STMF_API int stmfGetViewEntryList(stmfGuid* lu, stmfViewEntryList** out) {
  ClearDetail();
  if (lu == nullptr || out == nullptr) return Fail(STMF_ERROR_INVALID_ARG, "no LU or list pointer");
  mgmt::Message reply;
  int rc = Call(mgmt::Message(mgmt::kOpListViews).Set("guid", GuidBytes(*lu)), &reply);
  if (rc != STMF_STATUS_SUCCESS) return rc;
  const mgmt::Message::List* views = reply.ListOf("views");
  size_t n = views != nullptr ? views->size() : 0;
  auto* list = AllocList<stmfViewEntryList, stmfViewEntry>(n);
  if (list == nullptr) return Fail(STMF_ERROR_NOMEM, "out of memory");
  for (size_t i = 0; i < n; ++i) {
    const mgmt::Message& v = (*views)[i];
    stmfViewEntry& ve = list->ve[i];
    ve.veIndexValid = B_TRUE;
    ve.veIndex = static_cast<uint32_t>(v.NumberOr("index", 0));
    ve.allHosts = v.Has("host_group") ? B_FALSE : B_TRUE;
    CopyText(v.Text("host_group"), ve.hostGroup, sizeof(ve.hostGroup));
    ve.allTargets = v.Has("target_group") ? B_FALSE : B_TRUE;
    CopyText(v.Text("target_group"), ve.targetGroup, sizeof(ve.targetGroup));
    ve.luNbrValid = B_TRUE;
    LunToBytes(static_cast<uint32_t>(v.NumberOr("lun", 0)), ve.luNbr);
  }
  *out = list;
  return STMF_STATUS_SUCCESS;
}

STMF_API int stmfValidateView(stmfViewEntry* ve) {
  ClearDetail();
  if (ve == nullptr) return Fail(STMF_ERROR_INVALID_ARG, "no view entry");
  mgmt::Message req(mgmt::kOpValidateView);
  if (!ViewFields(*ve, &req)) return STMF_ERROR_INVALID_ARG;
  mgmt::Message reply;
  int rc = Call(req, &reply);
  if (rc == STMF_STATUS_SUCCESS) TakeChoice(reply, ve);
  return rc;
}
