// "it-*" target operations (itadm create-target, modify-target, delete-target,
// list-target).
#include <algorithm>

#include "base/log.h"
#include "daemon/mgmt_iscsi_ops.h"
#include "daemon/mgmt_iscsi_runtime.h"
#include "daemon/mgmt_reply.h"
#include "mgmt/iscsi_ops.h"
#include "mgmt/status_codes.h"

namespace openstmf::daemon {
namespace {

std::string Quoted(std::string_view s) { return "\"" + std::string(s) + "\""; }

Status NotFound(std::string_view name) {
  return Status(Code::kNotFound, "target " + Quoted(name) + " not found");
}

// Applies the optional fields of a create or modify request to `t`.
Status ApplyTargetFields(const mgmt::Message& req, const IscsiConfig& cfg, IscsiTargetDef* t) {
  if (req.Has("alias")) {
    std::string alias = req.Text("alias");
    RETURN_IF_ERROR(CheckAlias(alias));
    t->alias = alias == "none" ? "" : alias;
  }
  if (req.Has("auth")) {
    RETURN_IF_ERROR(CheckAuth(req.Text("auth"), true));
    t->auth = req.Text("auth");
  }
  if (req.Has("chap_user")) {
    std::string user = req.Text("chap_user");
    if (user.empty() || user.size() > 255) {
      return Status(Code::kInvalidArgument, "CHAP user name must be 1 to 255 characters");
    }
    t->chap_user = user == "none" ? "" : user;
  }
  if (req.Has("chap_secret")) {
    std::string secret = req.Text("chap_secret");
    if (secret.empty()) {
      t->chap_secret.clear();
    } else {
      RETURN_IF_ERROR(CheckChapSecret(secret));
      t->chap_secret = std::move(secret);
    }
  }
  if (req.Has("tpgs")) {
    std::vector<std::string> tpgs = SplitList(req.Text("tpgs"));
    if (tpgs.size() == 1 && tpgs[0] == "default") tpgs.clear();
    for (const std::string& g : tpgs) {
      if (!cfg.tpgs.contains(g)) {
        return Status(Code::kNotFound, "target portal group " + Quoted(g) + " not found");
      }
    }
    std::sort(tpgs.begin(), tpgs.end());
    tpgs.erase(std::unique(tpgs.begin(), tpgs.end()), tpgs.end());
    t->tpgs = std::move(tpgs);
  }
  return Status::Ok();
}

mgmt::Message Describe(const IscsiTargetDef& t, const IscsiConfig& cfg, MgmtContext& ctx,
                       mgmt::Message m) {
  m.Set("name", t.name);
  m.Set("alias", t.alias);
  m.Set("auth", EffectiveAuth(t, cfg.defaults));
  m.SetBool("auth_default", t.auth == "default");
  m.Set("chap_user", t.chap_user);
  m.SetBool("chap_secret_set", !t.chap_secret.empty());  // never the secret itself
  m.Set("tpgs", JoinList(t.tpgs));
  std::string tags;
  for (const std::string& g : t.tpgs) {
    auto it = cfg.tpgs.find(g);
    if (it == cfg.tpgs.end()) continue;
    if (!tags.empty()) tags += ',';
    tags += g + "=" + std::to_string(it->second.tag);
  }
  m.Set("tpg_tags", tags);
  m.Set("state", ctx.framework->PortOnline(t.name) ? "online" : "offline");
  m.Set("session_count", static_cast<uint64_t>(ctx.framework->Sessions(t.name).size()));
  return m;
}

mgmt::Message CreateTarget(MgmtContext& ctx, const mgmt::Message& req) {
  auto cfg = ReadIscsiConfig(*ctx.store);
  if (!cfg.ok()) return FailStatus(cfg.status());
  IscsiTargetDef t;
  if (req.Has("name")) {
    auto name = CheckIscsiName(req.Text("name"));
    if (!name.ok()) return IscsiFail(name.status());
    t.name = *name;
  } else {
    do {
      t.name = GenerateTargetName();
    } while (cfg->targets.contains(t.name));
  }
  if (cfg->targets.contains(t.name)) {
    return Fail(mgmt::kStmfErrorExists, "target " + Quoted(t.name) + " already exists");
  }
  if (Status s = ApplyTargetFields(req, *cfg, &t); !s.ok()) return IscsiFail(s);
  t.online = ctx.framework->default_port_online();
  cfg->targets[t.name] = t;
  std::vector<ConfigChange> changes = {PutTarget(t)};
  if (!cfg->has_defaults) {
    cfg->has_defaults = true;
    changes.push_back(PutDefaults(cfg->defaults));
  }
  Log(LogLevel::kInfo, "stmfd", "target %s created", t.name.c_str());
  return CommitIscsi(ctx, *cfg, changes, mgmt::Reply(0).Set("name", t.name));
}

mgmt::Message ModifyTarget(MgmtContext& ctx, const mgmt::Message& req) {
  auto cfg = ReadIscsiConfig(*ctx.store);
  if (!cfg.ok()) return FailStatus(cfg.status());
  auto name = CheckIscsiName(req.Text("name"));
  if (!name.ok()) return IscsiFail(name.status());
  auto it = cfg->targets.find(*name);
  if (it == cfg->targets.end()) return IscsiFail(NotFound(*name));
  IscsiTargetDef t = it->second;
  if (Status s = ApplyTargetFields(req, *cfg, &t); !s.ok()) return IscsiFail(s);
  std::vector<ConfigChange> changes;
  if (req.Has("new_name")) {
    auto renamed = CheckIscsiName(req.Text("new_name"));
    if (!renamed.ok()) return IscsiFail(renamed.status());
    if (*renamed != t.name) {
      if (cfg->targets.contains(*renamed)) {
        return Fail(mgmt::kStmfErrorExists, "target " + Quoted(*renamed) + " already exists");
      }
      // The old name's sessions end with it; the target comes back under the new name.
      changes.push_back(ConfigChange::Delete(kKindIscsiTarget, t.name));
      cfg->targets.erase(t.name);
      t.name = *renamed;
    }
  }
  cfg->targets[t.name] = t;
  changes.push_back(PutTarget(t));
  Log(LogLevel::kInfo, "stmfd", "target %s modified", t.name.c_str());
  return CommitIscsi(ctx, *cfg, changes, mgmt::Reply(0).Set("name", t.name));
}

mgmt::Message DeleteTarget(MgmtContext& ctx, const mgmt::Message& req) {
  auto cfg = ReadIscsiConfig(*ctx.store);
  if (!cfg.ok()) return FailStatus(cfg.status());
  auto name = CheckIscsiName(req.Text("name"));
  if (!name.ok()) return IscsiFail(name.status());
  if (!cfg->targets.contains(*name)) return IscsiFail(NotFound(*name));
  const size_t sessions = ctx.framework->Sessions(*name).size();
  if (sessions != 0 && !req.Flag("force")) {
    return Fail(mgmt::kStmfErrorBusy, "target " + Quoted(*name) + " has " +
                                          std::to_string(sessions) +
                                          " session(s): use -f, or offline-target first");
  }
  cfg->targets.erase(*name);
  Log(LogLevel::kInfo, "stmfd", "target %s deleted (%zu sessions logged out)", name->c_str(),
      sessions);
  return CommitIscsi(ctx, *cfg, {ConfigChange::Delete(kKindIscsiTarget, *name)}, mgmt::Reply(0));
}

mgmt::Message ListTargets(MgmtContext& ctx, const mgmt::Message& /*req*/) {
  auto cfg = ReadIscsiConfig(*ctx.store);
  if (!cfg.ok()) return FailStatus(cfg.status());
  mgmt::Message reply = mgmt::Reply(0);
  reply.Set("targets", mgmt::Message::List{});
  for (const auto& [name, t] : cfg->targets) {
    reply.Append("targets", Describe(t, *cfg, ctx, mgmt::Message()));
  }
  return reply;
}

mgmt::Message GetTarget(MgmtContext& ctx, const mgmt::Message& req) {
  auto cfg = ReadIscsiConfig(*ctx.store);
  if (!cfg.ok()) return FailStatus(cfg.status());
  auto name = CheckIscsiName(req.Text("name"));
  if (!name.ok()) return IscsiFail(name.status());
  auto it = cfg->targets.find(*name);
  if (it == cfg->targets.end()) return IscsiFail(NotFound(*name));
  return Describe(it->second, *cfg, ctx, mgmt::Reply(0));
}

}  // namespace

void RegisterIscsiTargetOps(mgmt::Dispatcher& d, MgmtContext& ctx) {
  MgmtContext* c = &ctx;
  auto add = [&](const char* op, mgmt::Message (*fn)(MgmtContext&, const mgmt::Message&)) {
    d.Register(op, [c, fn](const mgmt::Message& req, const mgmt::Caller&) { return fn(*c, req); });
  };
  add(mgmt::kOpItCreateTarget, CreateTarget);
  add(mgmt::kOpItModifyTarget, ModifyTarget);
  add(mgmt::kOpItDeleteTarget, DeleteTarget);
  add(mgmt::kOpItListTargets, ListTargets);
  add(mgmt::kOpItGetTarget, GetTarget);
}

}  // namespace openstmf::daemon
