// Internal to the iSCSI management handlers (mgmt_iscsi*.cc): registration by
// topic and the read-change-persist-apply steps every handler shares.
//
// Thread-safety: the management thread, one request at a time.
#ifndef OPENSTMF_DAEMON_MGMT_ISCSI_OPS_H
#define OPENSTMF_DAEMON_MGMT_ISCSI_OPS_H

#include <string>
#include <vector>

#include "base/config_store.h"
#include "daemon/mgmt_context.h"
#include "daemon/mgmt_iscsi_config.h"
#include "mgmt/message.h"
#include "mgmt/server.h"

namespace openstmf::daemon {

void RegisterIscsiTargetOps(mgmt::Dispatcher& d, MgmtContext& ctx);   // mgmt_iscsi_targets.cc
void RegisterIscsiPortOps(mgmt::Dispatcher& d, MgmtContext& ctx);     // mgmt_iscsi_ports.cc
void RegisterIscsiSettingOps(mgmt::Dispatcher& d, MgmtContext& ctx);  // mgmt_iscsi_settings.cc

// Writes `changes` in one batch, then makes `next` live; the reply is `ok`, or
// the failure when the store refused (nothing changed then).
mgmt::Message CommitIscsi(MgmtContext& ctx, const IscsiConfig& next,
                          const std::vector<ConfigChange>& changes, mgmt::Message ok);

// A failure reply for a Status (invalid argument, not found, exists, ...).
mgmt::Message IscsiFail(const Status& s);

}  // namespace openstmf::daemon

#endif  // OPENSTMF_DAEMON_MGMT_ISCSI_OPS_H
