#include "daemon/mgmt_iscsi.h"

#include "base/log.h"
#include "daemon/mgmt_iscsi_config.h"
#include "daemon/mgmt_iscsi_ops.h"
#include "daemon/mgmt_iscsi_runtime.h"
#include "daemon/mgmt_reply.h"
#include "mgmt/status_codes.h"

namespace openstmf::daemon {

mgmt::Message IscsiFail(const Status& s) {
  switch (s.code()) {
    case Code::kInvalidArgument:
      return Fail(mgmt::kStmfErrorInvalidArg, s.message());
    case Code::kNotFound:
      return Fail(mgmt::kStmfErrorNotFound, s.message());
    case Code::kAlreadyExists:
      return Fail(mgmt::kStmfErrorExists, s.message());
    default:
      return Fail(mgmt::StatusToStmf(s), s.message());
  }
}

mgmt::Message CommitIscsi(MgmtContext& ctx, const IscsiConfig& next,
                          const std::vector<ConfigChange>& changes, mgmt::Message ok) {
  if (Status s = ctx.store->Apply(changes); !s.ok()) return FailPersist(s);
  SyncIscsi(next, ctx);
  return ok;
}

void RegisterIscsiOps(mgmt::Dispatcher& dispatcher, MgmtContext& ctx) {
  RegisterIscsiTargetOps(dispatcher, ctx);
  RegisterIscsiPortOps(dispatcher, ctx);
  RegisterIscsiSettingOps(dispatcher, ctx);
}

Status LoadIscsiConfig(MgmtContext& ctx) {
  ASSIGN_OR_RETURN(IscsiConfig config, ReadIscsiConfig(*ctx.store));
  if (config.targets.empty() && !config.has_defaults) {
    // First start: the default target (--target) on the default portal group,
    // kept with the defaults so that deleting it later is remembered too.
    ASSIGN_OR_RETURN(std::string name, CheckIscsiName(ctx.options->target));
    IscsiTargetDef t;
    t.name = name;
    t.alias = "openstmf";
    t.online = ctx.framework->default_port_online();
    config.targets.emplace(name, t);
    config.has_defaults = true;
    RETURN_IF_ERROR(ctx.store->Apply({PutTarget(t), PutDefaults(config.defaults)}));
    Log(LogLevel::kInfo, "stmfd", "created the default target %s", name.c_str());
  }
  SyncIscsi(config, ctx);
  return Status::Ok();
}

}  // namespace openstmf::daemon
