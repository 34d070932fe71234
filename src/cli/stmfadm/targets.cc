// list-target, online-target, offline-target, list-state.
#include <libstmf.h>

#include <ostream>

#include "cli/common/values.h"
#include "cli/stmfadm/commands.h"
#include "cli/stmfadm/format.h"

namespace openstmf::cli {
namespace {

TargetInfo Describe(const stmfDevid& devid) {
  TargetInfo t;
  t.name = DevidName(devid);
  stmfDevid id = devid;
  stmfTargetProperties props;
  if (stmfGetTargetProperties(&id, &props) == STMF_STATUS_SUCCESS) t.props = props;
  stmfSessionList* sessions = nullptr;
  if (stmfGetSessionList(&id, &sessions) == STMF_STATUS_SUCCESS) {
    std::vector<SessionInfo> list;
    for (uint32_t i = 0; i < sessions->cnt; ++i) {
      const stmfSession& s = sessions->session[i];
      list.push_back({DevidName(s.initiator), s.alias, s.creationTime});
    }
    t.sessions = std::move(list);
    stmfFreeMemory(sessions);
  }
  return t;
}

int OnlineOffline(bool online, const ParsedArgs& a, const Context& c) {
  auto name = ParseDevid(a.operands[0]);
  if (!name) return c.Error(a.operands[0] + ": unrecognized device id");
  stmfDevid devid = MakeDevid(*name);
  int rc = online ? stmfOnlineTarget(&devid) : stmfOfflineTarget(&devid);
  if (rc != STMF_STATUS_SUCCESS) return c.StmfError(rc, a.operands[0]);
  return 0;
}

}  // namespace

int ListTarget(const ParsedArgs& a, const Context& c) {
  std::vector<std::string> wanted;
  for (const std::string& op : a.operands) {
    auto name = ParseDevid(op);
    if (!name) return c.Error(op + ": unrecognized device id");
    wanted.push_back(*name);
  }
  stmfDevidList* list = nullptr;
  int rc = stmfGetTargetList(&list);
  if (rc != STMF_STATUS_SUCCESS) return c.StmfError(rc);
  std::vector<stmfDevid> all(list->devid, list->devid + list->cnt);
  stmfFreeMemory(list);

  int status = 0;
  std::vector<stmfDevid> shown;
  if (wanted.empty()) {
    shown = all;
  } else {
    for (size_t i = 0; i < wanted.size(); ++i) {
      bool found = false;
      for (const stmfDevid& d : all) {
        if (DevidName(d) == wanted[i]) {
          shown.push_back(d);
          found = true;
        }
      }
      if (!found) status = c.Error(a.operands[i] + ": not found");
    }
  }
  bool json = WantsJson(a);
  bool verbose = json || a.Has('v');
  Json targets = Json::Array();
  for (const stmfDevid& d : shown) {
    TargetInfo t = verbose ? Describe(d) : TargetInfo{DevidName(d), {}, {}};
    if (json) {
      targets.Push(TargetJson(t));
    } else {
      c.out() << FormatTarget(t, verbose);
    }
  }
  if (json) c.out() << Json::Object().Add("targets", std::move(targets)).Dump() << "\n";
  return status;
}

int OnlineTarget(const ParsedArgs& a, const Context& c) { return OnlineOffline(true, a, c); }
int OfflineTarget(const ParsedArgs& a, const Context& c) { return OnlineOffline(false, a, c); }

int ListState(const ParsedArgs& a, const Context& c) {
  stmfState state;
  int rc = stmfGetState(&state);
  if (rc != STMF_STATUS_SUCCESS) return c.StmfError(rc);
  AluaState alua;
  boolean_t enabled = B_FALSE;
  if (stmfGetAluaState(&enabled, &alua.node) == STMF_STATUS_SUCCESS) {
    alua.known = true;
    alua.enabled = enabled == B_TRUE;
  }
  if (WantsJson(a)) {
    c.out() << StateJson(state, alua).Dump() << "\n";
  } else {
    c.out() << FormatState(state, alua);
  }
  return 0;
}

}  // namespace openstmf::cli
