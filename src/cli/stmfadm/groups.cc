// create-hg, delete-hg, add-hg-member, remove-hg-member, list-hg and their
// target-group twins.
#include <libstmf.h>

#include <cstring>
#include <iostream>

#include "cli/common/values.h"
#include "cli/stmfadm/commands.h"
#include "cli/stmfadm/format.h"

namespace openstmf::cli {
namespace {

enum class Kind { kHost, kTarget };

const char* Noun(Kind k) { return k == Kind::kHost ? "host group" : "target group"; }

// A group name fits stmfGroupName with its terminating NUL.
bool ToGroupName(const Context& c, Kind k, const std::string& name, stmfGroupName* out) {
  if (name.empty() || name.size() >= sizeof(stmfGroupName)) {
    c.Error(std::string(Noun(k)) + " name \"" + name + "\" must have 1 to 255 characters");
    return false;
  }
  memset(*out, 0, sizeof(stmfGroupName));
  memcpy(*out, name.data(), name.size());
  return true;
}

int Create(Kind k, const ParsedArgs& a, const Context& c) {
  stmfGroupName g;
  if (!ToGroupName(c, k, a.operands[0], &g)) return 1;
  int rc = k == Kind::kHost ? stmfCreateHostGroup(&g) : stmfCreateTargetGroup(&g);
  if (rc != STMF_STATUS_SUCCESS) return c.StmfError(rc, a.operands[0]);
  return 0;
}

int Delete(Kind k, const ParsedArgs& a, const Context& c) {
  stmfGroupName g;
  if (!ToGroupName(c, k, a.operands[0], &g)) return 1;
  int rc = k == Kind::kHost ? stmfDeleteHostGroup(&g) : stmfDeleteTargetGroup(&g);
  if (rc != STMF_STATUS_SUCCESS) return c.StmfError(rc, a.operands[0]);
  return 0;
}

int Members(Kind k, bool add, const ParsedArgs& a, const Context& c) {
  auto group = a.Last('g');
  if (!group) return c.Error("a group name (-g group-name) is required");
  stmfGroupName g;
  if (!ToGroupName(c, k, *group, &g)) return 1;
  std::vector<stmfDevid> ids;
  for (const std::string& op : a.operands) {
    auto name = ParseDevid(op);
    if (!name) return c.Error(op + ": unrecognized device id (expected iqn., eui. or wwn. name)");
    ids.push_back(MakeDevid(*name));
  }
  int failures = 0;
  for (size_t i = 0; i < ids.size(); ++i) {
    int rc;
    if (k == Kind::kHost) {
      rc = add ? stmfAddToHostGroup(&g, &ids[i]) : stmfRemoveFromHostGroup(&g, &ids[i]);
    } else {
      rc = add ? stmfAddToTargetGroup(&g, &ids[i]) : stmfRemoveFromTargetGroup(&g, &ids[i]);
    }
    if (rc != STMF_STATUS_SUCCESS) {
      c.StmfError(rc, a.operands[i]);
      ++failures;
      if (rc == STMF_ERROR_SERVICE_NOT_FOUND || rc == STMF_ERROR_PERM) break;
    }
  }
  return failures == 0 ? 0 : 1;
}

int List(Kind k, const ParsedArgs& a, const Context& c) {
  bool json = WantsJson(a);
  stmfGroupList* list = nullptr;
  int rc = k == Kind::kHost ? stmfGetHostGroupList(&list) : stmfGetTargetGroupList(&list);
  if (rc != STMF_STATUS_SUCCESS) return c.StmfError(rc);
  std::vector<std::string> names;
  for (uint32_t i = 0; i < list->cnt; ++i) names.emplace_back(list->name[i]);
  stmfFreeMemory(list);

  int status = 0;
  std::vector<std::string> wanted = a.operands;
  if (wanted.empty()) wanted = names;
  std::vector<GroupInfo> groups;
  for (const std::string& w : wanted) {
    bool found = false;
    for (const std::string& n : names) found = found || n == w;
    if (!found) {
      status = c.Error(std::string(Noun(k)) + " \"" + w + "\" not found");
      continue;
    }
    GroupInfo info{w, {}};
    if (json || a.Has('v')) {
      stmfGroupName g;
      if (!ToGroupName(c, k, w, &g)) return 1;
      stmfGroupProperties* members = nullptr;
      rc = k == Kind::kHost ? stmfGetHostGroupMembers(&g, &members)
                            : stmfGetTargetGroupMembers(&g, &members);
      if (rc != STMF_STATUS_SUCCESS) return c.StmfError(rc, w);
      for (uint32_t i = 0; i < members->cnt; ++i) {
        info.members.push_back(DevidName(members->name[i]));
      }
      stmfFreeMemory(members);
    }
    groups.push_back(std::move(info));
  }
  if (json) {
    c.out() << GroupsJson(k == Kind::kHost ? "host_groups" : "target_groups", groups).Dump()
            << "\n";
  } else {
    c.out() << FormatGroups(k == Kind::kHost ? "Host Group" : "Target Group", groups, a.Has('v'));
  }
  return status;
}

}  // namespace

int CreateHg(const ParsedArgs& a, const Context& c) { return Create(Kind::kHost, a, c); }
int DeleteHg(const ParsedArgs& a, const Context& c) { return Delete(Kind::kHost, a, c); }
int AddHgMember(const ParsedArgs& a, const Context& c) { return Members(Kind::kHost, true, a, c); }
int RemoveHgMember(const ParsedArgs& a, const Context& c) {
  return Members(Kind::kHost, false, a, c);
}
int ListHg(const ParsedArgs& a, const Context& c) { return List(Kind::kHost, a, c); }
int CreateTg(const ParsedArgs& a, const Context& c) { return Create(Kind::kTarget, a, c); }
int DeleteTg(const ParsedArgs& a, const Context& c) { return Delete(Kind::kTarget, a, c); }
int AddTgMember(const ParsedArgs& a, const Context& c) {
  return Members(Kind::kTarget, true, a, c);
}
int RemoveTgMember(const ParsedArgs& a, const Context& c) {
  return Members(Kind::kTarget, false, a, c);
}
int ListTg(const ParsedArgs& a, const Context& c) { return List(Kind::kTarget, a, c); }

}  // namespace openstmf::cli
