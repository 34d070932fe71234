// Target ports and sessions: stmfGetTargetList, stmfGetTargetProperties,
// stmfOnline/OfflineTarget, stmfGetSessionList, stmfDevidFromIscsiName,
// stmfDevidFromWwn.
#include <libstmf.h>

#include <cstdio>
#include <cstring>

#include "lib/stmf/api.h"
#include "lib/stmf/convert.h"
#include "lib/stmf/door_call.h"
#include "mgmt/ops.h"

namespace openstmf::libstmf {
namespace {

// RFC 7143 §4.2.7.1: an iSCSI name is at most 223 bytes.
constexpr size_t kMaxIscsiName = 223;

int BadDevid() { return Fail(STMF_ERROR_INVALID_ARG, "no target name"); }

uint16_t PortStatus(const std::string& status) {
  if (status == "online") return STMF_TARGET_PORT_ONLINE;
  if (status == "offlining") return STMF_TARGET_PORT_OFFLINING;
  if (status == "onlining") return STMF_TARGET_PORT_ONLINING;
  return STMF_TARGET_PORT_OFFLINE;
}

int TargetOp(const char* op, const stmfDevid* devid) {
  ClearDetail();
  auto name = DevidText(devid);
  if (!name) return BadDevid();
  return CallSimple(mgmt::Message(op).Set("devid", *name));
}

}  // namespace
}  // namespace openstmf::libstmf

using namespace openstmf::libstmf;  // NOLINT(google-build-using-namespace)
namespace mgmt = openstmf::mgmt;

STMF_API int stmfGetTargetList(stmfDevidList** out) {
  ClearDetail();
  if (out == nullptr) return Fail(STMF_ERROR_INVALID_ARG, "no list pointer");
  mgmt::Message reply;
  int rc = Call(mgmt::Message(mgmt::kOpListTargets), &reply);
  if (rc != STMF_STATUS_SUCCESS) return rc;
  const mgmt::Message::List* targets = reply.ListOf("targets");
  size_t n = targets != nullptr ? targets->size() : 0;
  auto* list = AllocList<stmfDevidList, stmfDevid>(n);
  if (list == nullptr) return Fail(STMF_ERROR_NOMEM, "out of memory");
  for (size_t i = 0; i < n; ++i) SetDevid((*targets)[i].Text("devid"), &list->devid[i]);
  *out = list;
  return STMF_STATUS_SUCCESS;
}

STMF_API int stmfGetTargetProperties(stmfDevid* target, stmfTargetProperties* props) {
  ClearDetail();
  auto name = DevidText(target);
  if (!name || props == nullptr) return BadDevid();
  mgmt::Message reply;
  int rc = Call(mgmt::Message(mgmt::kOpGetTarget).Set("devid", *name), &reply);
  if (rc != STMF_STATUS_SUCCESS) return rc;
  *props = stmfTargetProperties{};
  CopyText(reply.Text("provider"), props->providerName, sizeof(props->providerName));
  CopyText(reply.Text("alias"), props->alias, sizeof(props->alias));
  props->status = PortStatus(reply.Text("state"));
  props->protocol = static_cast<stmfProtocol>(reply.NumberOr("protocol", STMF_PROTOCOL_ISCSI));
  SetDevid(reply.Text("devid", *name), &props->devid);
  return STMF_STATUS_SUCCESS;
}

STMF_API int stmfOnlineTarget(stmfDevid* devid) { return TargetOp(mgmt::kOpOnlineTarget, devid); }

STMF_API int stmfOfflineTarget(stmfDevid* devid) { return TargetOp(mgmt::kOpOfflineTarget, devid); }

STMF_API int stmfGetSessionList(stmfDevid* target, stmfSessionList** out) {
  ClearDetail();
  auto name = DevidText(target);
  if (!name || out == nullptr) return BadDevid();
  mgmt::Message reply;
  int rc = Call(mgmt::Message(mgmt::kOpListSessions).Set("devid", *name), &reply);
  if (rc != STMF_STATUS_SUCCESS) return rc;
  const mgmt::Message::List* sessions = reply.ListOf("sessions");
  size_t n = sessions != nullptr ? sessions->size() : 0;
  auto* list = AllocList<stmfSessionList, stmfSession>(n);
  if (list == nullptr) return Fail(STMF_ERROR_NOMEM, "out of memory");
  for (size_t i = 0; i < n; ++i) {
    const mgmt::Message& s = (*sessions)[i];
    SetDevid(s.Text("initiator"), &list->session[i].initiator);
    CopyText(s.Text("alias"), list->session[i].alias, sizeof(list->session[i].alias));
    list->session[i].creationTime = static_cast<time_t>(s.NumberOr("creation_time", 0));
  }
  *out = list;
  return STMF_STATUS_SUCCESS;
}

STMF_API int stmfDevidFromIscsiName(char* iscsiName, stmfDevid* devid) {
  ClearDetail();
  if (iscsiName == nullptr || devid == nullptr) {
    return Fail(STMF_ERROR_INVALID_ARG, "no iSCSI name or devid");
  }
  size_t len = strnlen(iscsiName, kMaxIscsiName + 1);
  if (len == 0 || len > kMaxIscsiName) {
    return Fail(STMF_ERROR_INVALID_ARG, "an iSCSI name has 1 to 223 characters");
  }
  SetDevid(std::string_view(iscsiName, len), devid);
  return STMF_STATUS_SUCCESS;
}

STMF_API int stmfDevidFromWwn(uchar_t wwn[8], stmfDevid* devid) {
  ClearDetail();
  if (wwn == nullptr || devid == nullptr) return Fail(STMF_ERROR_INVALID_ARG, "no WWN or devid");
  char text[32];
  snprintf(text, sizeof(text), "wwn.%02X%02X%02X%02X%02X%02X%02X%02X", wwn[0], wwn[1], wwn[2],
           wwn[3], wwn[4], wwn[5], wwn[6], wwn[7]);
  SetDevid(text, devid);
  return STMF_STATUS_SUCCESS;
}
