// Host and target groups: stmf{Create,Delete}{Host,Target}Group, stmfAddTo…,
// stmfRemoveFrom…, stmfGet…GroupList, stmfGet…GroupMembers.
#include <libstmf.h>

#include "lib/stmf/api.h"
#include "lib/stmf/convert.h"
#include "lib/stmf/door_call.h"
#include "mgmt/ops.h"

namespace openstmf::libstmf {
namespace {

constexpr const char* kHost = "host";
constexpr const char* kTarget = "target";

int BadName() { return Fail(STMF_ERROR_INVALID_ARG, "invalid group name"); }

int GroupOp(const char* op, const char* kind, const stmfGroupName* group) {
  ClearDetail();
  auto name = GroupNameText(group);
  if (!name) return BadName();
  return CallSimple(mgmt::Message(op).Set("kind", kind).Set("name", *name));
}

int MemberOp(const char* op, const char* kind, const stmfGroupName* group,
             const stmfDevid* member) {
  ClearDetail();
  auto name = GroupNameText(group);
  if (!name) return BadName();
  auto devid = DevidText(member);
  if (!devid) return Fail(STMF_ERROR_INVALID_ARG, "invalid member name");
  return CallSimple(mgmt::Message(op).Set("kind", kind).Set("name", *name).Set("member", *devid));
}

int ListGroups(const char* kind, stmfGroupList** out) {
  ClearDetail();
  if (out == nullptr) return Fail(STMF_ERROR_INVALID_ARG, "no list pointer");
  mgmt::Message reply;
  int rc = Call(mgmt::Message(mgmt::kOpListGroups).Set("kind", kind), &reply);
  if (rc != STMF_STATUS_SUCCESS) return rc;
  const mgmt::Message::List* groups = reply.ListOf("groups");
  size_t n = groups != nullptr ? groups->size() : 0;
  auto* list = AllocList<stmfGroupList, stmfGroupName>(n);
  if (list == nullptr) return Fail(STMF_ERROR_NOMEM, "out of memory");
  for (size_t i = 0; i < n; ++i) {
    CopyText((*groups)[i].Text("name"), list->name[i], sizeof(stmfGroupName));
  }
  *out = list;
  return STMF_STATUS_SUCCESS;
}

int ListMembers(const char* kind, const stmfGroupName* group, stmfGroupProperties** out) {
  ClearDetail();
  if (out == nullptr) return Fail(STMF_ERROR_INVALID_ARG, "no list pointer");
  auto name = GroupNameText(group);
  if (!name) return BadName();
  mgmt::Message reply;
  int rc = Call(mgmt::Message(mgmt::kOpListMembers).Set("kind", kind).Set("name", *name), &reply);
  if (rc != STMF_STATUS_SUCCESS) return rc;
  const mgmt::Message::List* members = reply.ListOf("members");
  size_t n = members != nullptr ? members->size() : 0;
  auto* list = AllocList<stmfGroupProperties, stmfDevid>(n);
  if (list == nullptr) return Fail(STMF_ERROR_NOMEM, "out of memory");
  for (size_t i = 0; i < n; ++i) SetDevid((*members)[i].Text("name"), &list->name[i]);
  *out = list;
  return STMF_STATUS_SUCCESS;
}

}  // namespace
}  // namespace openstmf::libstmf

using openstmf::libstmf::GroupOp;
using openstmf::libstmf::kHost;
using openstmf::libstmf::kTarget;
using openstmf::libstmf::ListGroups;
using openstmf::libstmf::ListMembers;
using openstmf::libstmf::MemberOp;
namespace ops = openstmf::mgmt;

STMF_API int stmfCreateHostGroup(stmfGroupName* name) {
  return GroupOp(ops::kOpCreateGroup, kHost, name);
}
STMF_API int stmfDeleteHostGroup(stmfGroupName* name) {
  return GroupOp(ops::kOpDeleteGroup, kHost, name);
}
STMF_API int stmfAddToHostGroup(stmfGroupName* name, stmfDevid* member) {
  return MemberOp(ops::kOpAddMember, kHost, name, member);
}
STMF_API int stmfRemoveFromHostGroup(stmfGroupName* name, stmfDevid* member) {
  return MemberOp(ops::kOpRemoveMember, kHost, name, member);
}
STMF_API int stmfGetHostGroupList(stmfGroupList** list) { return ListGroups(kHost, list); }
STMF_API int stmfGetHostGroupMembers(stmfGroupName* name, stmfGroupProperties** members) {
  return ListMembers(kHost, name, members);
}

STMF_API int stmfCreateTargetGroup(stmfGroupName* name) {
  return GroupOp(ops::kOpCreateGroup, kTarget, name);
}
STMF_API int stmfDeleteTargetGroup(stmfGroupName* name) {
  return GroupOp(ops::kOpDeleteGroup, kTarget, name);
}
STMF_API int stmfAddToTargetGroup(stmfGroupName* name, stmfDevid* member) {
  return MemberOp(ops::kOpAddMember, kTarget, name, member);
}
STMF_API int stmfRemoveFromTargetGroup(stmfGroupName* name, stmfDevid* member) {
  return MemberOp(ops::kOpRemoveMember, kTarget, name, member);
}
STMF_API int stmfGetTargetGroupList(stmfGroupList** list) { return ListGroups(kTarget, list); }
STMF_API int stmfGetTargetGroupMembers(stmfGroupName* name, stmfGroupProperties** members) {
  return ListMembers(kTarget, name, members);
}
