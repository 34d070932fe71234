// The generic target and session operations of mgmt/ops.h (stmfadm list-target,
// online-target, offline-target), answered from the framework's local ports; an
// iSCSI target's online state is kept with it in the store.
#include "base/log.h"
#include "daemon/mgmt_iscsi_ops.h"
#include "daemon/mgmt_reply.h"
#include "mgmt/ops.h"
#include "mgmt/status_codes.h"

namespace openstmf::daemon {
namespace {

mgmt::Message NoTarget(const std::string& devid) {
  return Fail(mgmt::kStmfErrorNotFound, "target \"" + devid + "\" not found");
}

mgmt::Message ListTargets(MgmtContext& ctx, const mgmt::Message& /*req*/) {
  mgmt::Message reply = mgmt::Reply(0);
  reply.Set("targets", mgmt::Message::List{});
  for (const stmf::LocalPort& p : ctx.framework->Ports()) {
    reply.Append("targets", mgmt::Message().Set("devid", p.name));
  }
  return reply;
}

mgmt::Message GetTarget(MgmtContext& ctx, const mgmt::Message& req) {
  const std::string devid = req.Text("devid");
  std::optional<stmf::LocalPort> p = ctx.framework->FindPort(devid);
  if (!p) return NoTarget(devid);
  mgmt::Message reply = mgmt::Reply(0);
  reply.Set("devid", p->name);
  reply.Set("provider", p->provider);
  reply.Set("alias", p->alias);
  reply.Set("protocol", uint64_t{p->protocol});
  reply.Set("state", p->online ? "online" : "offline");
  reply.Set("session_count", static_cast<uint64_t>(ctx.framework->Sessions(p->name).size()));
  return reply;
}

// online-target / offline-target: an offline iSCSI target refuses logins (03/01)
// and its sessions end (target_table.h).
mgmt::Message SetOnline(MgmtContext& ctx, const mgmt::Message& req, bool online) {
  const std::string devid = req.Text("devid");
  if (!ctx.framework->FindPort(devid)) return NoTarget(devid);
  auto cfg = ReadIscsiConfig(*ctx.store);
  if (!cfg.ok()) return FailStatus(cfg.status());
  auto it = cfg->targets.find(devid);
  if (it == cfg->targets.end()) {
    // Not ours to persist (another provider): the framework's state alone.
    if (Status s = ctx.framework->SetPortOnline(devid, online); !s.ok()) return IscsiFail(s);
    return mgmt::Reply(0);
  }
  it->second.online = online;
  Log(LogLevel::kInfo, "stmfd", "target %s %s", devid.c_str(), online ? "online" : "offline");
  return CommitIscsi(ctx, *cfg, {PutTarget(it->second)}, mgmt::Reply(0));
}

mgmt::Message ListSessions(MgmtContext& ctx, const mgmt::Message& req) {
  const std::string devid = req.Text("devid");
  if (!ctx.framework->FindPort(devid)) return NoTarget(devid);
  mgmt::Message reply = mgmt::Reply(0);
  reply.Set("sessions", mgmt::Message::List{});
  for (const stmf::SessionInfo& s : ctx.framework->Sessions(devid)) {
    reply.Append("sessions", mgmt::Message()
                                 .Set("initiator", s.initiator)
                                 .Set("alias", s.alias)
                                 .Set("creation_time", static_cast<uint64_t>(s.creation_time)));
  }
  return reply;
}

}  // namespace

void RegisterIscsiPortOps(mgmt::Dispatcher& d, MgmtContext& ctx) {
  MgmtContext* c = &ctx;
  d.Register(mgmt::kOpListTargets,
             [c](const mgmt::Message& r, const mgmt::Caller&) { return ListTargets(*c, r); });
  d.Register(mgmt::kOpGetTarget,
             [c](const mgmt::Message& r, const mgmt::Caller&) { return GetTarget(*c, r); });
  d.Register(mgmt::kOpOnlineTarget,
             [c](const mgmt::Message& r, const mgmt::Caller&) { return SetOnline(*c, r, true); });
  d.Register(mgmt::kOpOfflineTarget,
             [c](const mgmt::Message& r, const mgmt::Caller&) { return SetOnline(*c, r, false); });
  d.Register(mgmt::kOpListSessions,
             [c](const mgmt::Message& r, const mgmt::Caller&) { return ListSessions(*c, r); });
}

}  // namespace openstmf::daemon
