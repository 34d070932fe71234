// "it-*" operations for target portal groups, initiators and the defaults
// (itadm create-tpg, delete-tpg, list-tpg, create-initiator, modify-initiator,
// delete-initiator, list-initiator, modify-defaults, list-defaults).
#include <algorithm>

#include "base/log.h"
#include "daemon/mgmt_iscsi_ops.h"
#include "daemon/mgmt_iscsi_runtime.h"
#include "daemon/mgmt_reply.h"
#include "mgmt/iscsi_ops.h"
#include "mgmt/status_codes.h"
#include "port/iscsit/iscsi_port.h"

namespace openstmf::daemon {
namespace {

using Fn = mgmt::Message (*)(MgmtContext&, const mgmt::Message&);

std::string Quoted(std::string_view s) { return "\"" + std::string(s) + "\""; }

mgmt::Message CreateTpg(MgmtContext& ctx, const mgmt::Message& req) {
  auto cfg = ReadIscsiConfig(*ctx.store);
  if (!cfg.ok()) return FailStatus(cfg.status());
  IscsiTpgDef tpg;
  tpg.name = req.Text("name");
  if (Status s = CheckTpgName(tpg.name); !s.ok()) return IscsiFail(s);
  if (cfg->tpgs.contains(tpg.name)) {
    return Fail(mgmt::kStmfErrorExists,
                "target portal group " + Quoted(tpg.name) + " already exists");
  }
  std::vector<std::string> portals = SplitList(req.Text("portals"));
  if (portals.empty()) {
    return Fail(mgmt::kStmfErrorInvalidArg,
                "no portal addresses given for target portal group " + Quoted(tpg.name));
  }
  for (const std::string& text : portals) {
    auto p = NormalizePortal(text);
    if (!p.ok()) return IscsiFail(p.status());
    for (const auto& [n, other] : cfg->tpgs) {
      for (const std::string& q : other.portals) {
        if (q == *p) {
          return Fail(mgmt::kStmfErrorExists,
                      "portal " + *p + " already in use by target portal group " + Quoted(n));
        }
      }
    }
    if (std::find(tpg.portals.begin(), tpg.portals.end(), *p) != tpg.portals.end()) {
      return Fail(mgmt::kStmfErrorInvalidArg, "portal " + *p + " given twice");
    }
    tpg.portals.push_back(*p);
  }
  auto tag = AssignTpgTag(*cfg, tpg.name);
  if (!tag.ok()) return IscsiFail(tag.status());
  tpg.tag = *tag;
  // The portals must open before the group is kept: a busy or foreign address
  // is the admin's to hear about now.
  if (Status s = OpenTpg(tpg, ctx); !s.ok()) return Fail(mgmt::kStmfErrorBusy, s.message());
  cfg->tpgs[tpg.name] = tpg;
  mgmt::Message reply = CommitIscsi(ctx, *cfg, {PutTpg(tpg)}, mgmt::Reply(0).Set("tag", tpg.tag));
  if (mgmt::ReplyStatus(reply) != 0) ctx.port->CloseTpg(tpg.tag);
  return reply;
}

mgmt::Message DeleteTpg(MgmtContext& ctx, const mgmt::Message& req) {
  auto cfg = ReadIscsiConfig(*ctx.store);
  if (!cfg.ok()) return FailStatus(cfg.status());
  const std::string name = req.Text("name");
  if (!cfg->tpgs.contains(name)) {
    return Fail(mgmt::kStmfErrorNotFound, "target portal group " + Quoted(name) + " not found");
  }
  std::vector<ConfigChange> changes;
  for (auto& [tn, t] : cfg->targets) {
    auto it = std::find(t.tpgs.begin(), t.tpgs.end(), name);
    if (it == t.tpgs.end()) continue;
    // itadm delete-tpg: a group in use goes only with -f, which takes it out
    // of its targets (a target left with none is on the default group again).
    if (!req.Flag("force")) {
      return Fail(mgmt::kStmfErrorGroupInUse, "target portal group " + Quoted(name) +
                                                  " is used by target " + Quoted(tn) +
                                                  ": use -f to delete it anyway");
    }
    t.tpgs.erase(it);
    changes.push_back(PutTarget(t));
  }
  cfg->tpgs.erase(name);
  changes.push_back(ConfigChange::Delete(kKindIscsiTpg, name));
  Log(LogLevel::kInfo, "stmfd", "target portal group %s deleted", name.c_str());
  return CommitIscsi(ctx, *cfg, changes, mgmt::Reply(0));
}

mgmt::Message ListTpgs(MgmtContext& ctx, const mgmt::Message& /*req*/) {
  auto cfg = ReadIscsiConfig(*ctx.store);
  if (!cfg.ok()) return FailStatus(cfg.status());
  const std::vector<iscsi::Portal> open = ctx.port->Portals();
  mgmt::Message reply = mgmt::Reply(0);
  reply.Set("tpgs", mgmt::Message::List{});
  for (const auto& [name, t] : cfg->tpgs) {
    uint64_t listening = 0;
    for (const iscsi::Portal& p : open) listening += p.tpgt == t.tag ? 1 : 0;
    reply.Append("tpgs", mgmt::Message()
                             .Set("name", name)
                             .Set("tag", uint64_t{t.tag})
                             .Set("portals", JoinList(t.portals))
                             .Set("listening", listening));
  }
  return reply;
}

Status ApplyInitiatorFields(const mgmt::Message& req, IscsiInitiatorDef* ini) {
  if (req.Has("chap_user")) {
    std::string user = req.Text("chap_user");
    if (user.empty() || user.size() > 255) {
      return Status(Code::kInvalidArgument, "CHAP user name must be 1 to 255 characters");
    }
    ini->chap_user = user == "none" ? "" : user;
  }
  if (req.Has("chap_secret")) {
    std::string secret = req.Text("chap_secret");
    if (secret.empty()) {
      ini->chap_secret.clear();
    } else {
      RETURN_IF_ERROR(CheckChapSecret(secret));
      ini->chap_secret = std::move(secret);
    }
  }
  return Status::Ok();
}

mgmt::Message SetInitiator(MgmtContext& ctx, const mgmt::Message& req, bool create) {
  auto cfg = ReadIscsiConfig(*ctx.store);
  if (!cfg.ok()) return FailStatus(cfg.status());
  auto name = CheckIscsiName(req.Text("name"));
  if (!name.ok()) return IscsiFail(name.status());
  auto it = cfg->initiators.find(*name);
  if (create && it != cfg->initiators.end()) {
    return Fail(mgmt::kStmfErrorExists, "initiator " + Quoted(*name) + " already exists");
  }
  if (!create && it == cfg->initiators.end()) {
    return Fail(mgmt::kStmfErrorNotFound, "initiator " + Quoted(*name) + " not found");
  }
  IscsiInitiatorDef ini = create ? IscsiInitiatorDef{*name, "", ""} : it->second;
  if (Status s = ApplyInitiatorFields(req, &ini); !s.ok()) return IscsiFail(s);
  cfg->initiators[*name] = ini;
  Log(LogLevel::kInfo, "stmfd", "initiator %s %s", name->c_str(), create ? "created" : "modified");
  return CommitIscsi(ctx, *cfg, {PutInitiator(ini)}, mgmt::Reply(0));
}

mgmt::Message CreateInitiator(MgmtContext& ctx, const mgmt::Message& req) {
  return SetInitiator(ctx, req, true);
}
mgmt::Message ModifyInitiator(MgmtContext& ctx, const mgmt::Message& req) {
  return SetInitiator(ctx, req, false);
}

mgmt::Message DeleteInitiator(MgmtContext& ctx, const mgmt::Message& req) {
  auto cfg = ReadIscsiConfig(*ctx.store);
  if (!cfg.ok()) return FailStatus(cfg.status());
  auto name = CheckIscsiName(req.Text("name"));
  if (!name.ok()) return IscsiFail(name.status());
  if (cfg->initiators.erase(*name) == 0) {
    return Fail(mgmt::kStmfErrorNotFound, "initiator " + Quoted(*name) + " not found");
  }
  Log(LogLevel::kInfo, "stmfd", "initiator %s deleted", name->c_str());
  return CommitIscsi(ctx, *cfg, {ConfigChange::Delete(kKindIscsiInitiator, *name)}, mgmt::Reply(0));
}

mgmt::Message ListInitiators(MgmtContext& ctx, const mgmt::Message& /*req*/) {
  auto cfg = ReadIscsiConfig(*ctx.store);
  if (!cfg.ok()) return FailStatus(cfg.status());
  mgmt::Message reply = mgmt::Reply(0);
  reply.Set("initiators", mgmt::Message::List{});
  for (const auto& [name, ini] : cfg->initiators) {
    reply.Append("initiators", mgmt::Message()
                                   .Set("name", name)
                                   .Set("chap_user", ini.chap_user)
                                   .SetBool("chap_secret_set", !ini.chap_secret.empty()));
  }
  return reply;
}

mgmt::Message ModifyDefaults(MgmtContext& ctx, const mgmt::Message& req) {
  auto cfg = ReadIscsiConfig(*ctx.store);
  if (!cfg.ok()) return FailStatus(cfg.status());
  IscsiDefaults& d = cfg->defaults;
  bool any = false;
  if (req.Has("auth")) {
    if (Status s = CheckAuth(req.Text("auth"), false); !s.ok()) return IscsiFail(s);
    d.auth = req.Text("auth");
    any = true;
  }
  if (req.Has("radius_server")) {
    const std::string text = req.Text("radius_server");
    if (text.empty() || text == "none") {
      d.radius_server.clear();
    } else {
      auto s = NormalizeServer(text, 1812);
      if (!s.ok()) return IscsiFail(s.status());
      d.radius_server = *s;
    }
    any = true;
  }
  if (req.Has("radius_secret")) {
    const std::string secret = req.Text("radius_secret");
    if (!secret.empty()) {
      if (Status s = CheckChapSecret(secret); !s.ok()) return IscsiFail(s);
    }
    d.radius_secret = secret;
    any = true;
  }
  if (req.Has("isns")) {
    d.isns = req.Flag("isns");
    any = true;
  }
  if (req.Has("isns_servers")) {
    std::vector<std::string> servers;
    for (const std::string& text : SplitList(req.Text("isns_servers"))) {
      if (text == "none") continue;
      auto s = NormalizeServer(text, 3205);
      if (!s.ok()) return IscsiFail(s.status());
      if (std::find(servers.begin(), servers.end(), *s) != servers.end()) {
        return Fail(mgmt::kStmfErrorInvalidArg, "iSNS server " + *s + " given twice");
      }
      servers.push_back(*s);
    }
    if (servers.size() > kMaxIsnsServers) {
      return Fail(mgmt::kStmfErrorInvalidArg, "too many iSNS servers, at most 8 allowed");
    }
    d.isns_servers = std::move(servers);
    any = true;
  }
  if (!any) return Fail(mgmt::kStmfErrorInvalidArg, "no properties given");
  if (d.isns && d.isns_servers.empty()) {
    return Fail(mgmt::kStmfErrorInvalidArg, "iSNS cannot be enabled without an iSNS server");
  }
  if (d.auth == "radius" && d.radius_server.empty()) {
    return Fail(mgmt::kStmfErrorInvalidArg, "auth radius needs a RADIUS server (-r)");
  }
  cfg->has_defaults = true;
  Log(LogLevel::kInfo, "stmfd", "iSCSI defaults modified");
  return CommitIscsi(ctx, *cfg, {PutDefaults(d)}, mgmt::Reply(0));
}

mgmt::Message GetDefaults(MgmtContext& ctx, const mgmt::Message& /*req*/) {
  auto cfg = ReadIscsiConfig(*ctx.store);
  if (!cfg.ok()) return FailStatus(cfg.status());
  const IscsiDefaults& d = cfg->defaults;
  mgmt::Message reply = mgmt::Reply(0);
  reply.Set("auth", d.auth);
  reply.Set("radius_server", d.radius_server);
  reply.SetBool("radius_secret_set", !d.radius_secret.empty());
  reply.SetBool("isns", d.isns);
  reply.Set("isns_servers", JoinList(d.isns_servers));
  reply.Set("isns_status", mgmt::Message::List{});
  for (const isns::IsnsServerState& s : ctx.port->IsnsStates()) {
    reply.Append("isns_status", mgmt::Message()
                                    .Set("server", s.server)
                                    .SetBool("registered", s.registered)
                                    .Set("error", s.last_error));
  }
  return reply;
}

}  // namespace

void RegisterIscsiSettingOps(mgmt::Dispatcher& d, MgmtContext& ctx) {
  MgmtContext* c = &ctx;
  auto add = [&](const char* op, Fn fn) {
    d.Register(op, [c, fn](const mgmt::Message& req, const mgmt::Caller&) { return fn(*c, req); });
  };
  add(mgmt::kOpItCreateTpg, CreateTpg);
  add(mgmt::kOpItDeleteTpg, DeleteTpg);
  add(mgmt::kOpItListTpgs, ListTpgs);
  add(mgmt::kOpItCreateInitiator, CreateInitiator);
  add(mgmt::kOpItModifyInitiator, ModifyInitiator);
  add(mgmt::kOpItDeleteInitiator, DeleteInitiator);
  add(mgmt::kOpItListInitiators, ListInitiators);
  add(mgmt::kOpItModifyDefaults, ModifyDefaults);
  add(mgmt::kOpItGetDefaults, GetDefaults);
}

}  // namespace openstmf::daemon
