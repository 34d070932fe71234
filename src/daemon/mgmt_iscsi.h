// The iSCSI port provider's management (itadm, "it-*" operations) and its part of
// stmfd's start-up: the targets, target portal groups and initiators kept in the
// configuration store.
//
// Thread-safety: called on the main thread at start-up; handlers run on the
// management door's threads, one at a time.
#ifndef OPENSTMF_DAEMON_MGMT_ISCSI_H
#define OPENSTMF_DAEMON_MGMT_ISCSI_H

#include "base/status.h"
#include "daemon/mgmt_context.h"
#include "mgmt/server.h"

namespace openstmf::daemon {

// Registers the "it-*" and target/session operations.
void RegisterIscsiOps(mgmt::Dispatcher& dispatcher, MgmtContext& ctx);
// Brings the iSCSI configuration up at start-up (after the LUs, before READY).
Status LoadIscsiConfig(MgmtContext& ctx);

}  // namespace openstmf::daemon

#endif  // OPENSTMF_DAEMON_MGMT_ISCSI_H
