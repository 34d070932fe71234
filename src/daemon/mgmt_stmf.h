// stmfd's management operations for the framework itself (src/mgmt/ops.h): the
// service state and providers, host and target groups, views and logical units —
// everything but targets, sessions and the iSCSI provider's own operations
// (mgmt_iscsi.h). Each handler answers with COMSTAR's libstmf codes, changes
// nothing on invalid arguments, and writes every change to the configuration
// store in one batch before answering; when the store refuses, the change is
// undone and the answer is STMF_STATUS_ERROR.
//
// LoadStmfConfig brings the persisted configuration back at start-up: LUs (each
// imported from its backing store; a missing or unreadable one is logged and
// skipped), groups, views, provider data and the service state. On the first
// start (no "stmf"/"service" object) without --lu it creates the embedded
// default LU and stores it with the service object in one batch. LUs given with
// --lu are added on every start and never stored.
//
// Thread-safety: Load on the main thread before the door opens; handlers on door
// threads, one at a time.
#ifndef OPENSTMF_DAEMON_MGMT_STMF_H
#define OPENSTMF_DAEMON_MGMT_STMF_H

#include "base/status.h"
#include "daemon/mgmt_context.h"
#include "daemon/mgmt_state.h"
#include "mgmt/server.h"

namespace openstmf::daemon {

// All of the framework's operations.
void RegisterStmfOps(mgmt::Dispatcher& d, MgmtContext& ctx, StmfState& state);
// By topic (mgmt_stmf_service.cc, mgmt_stmf_views.cc, mgmt_stmf_lu.cc).
void RegisterServiceOps(mgmt::Dispatcher& d, MgmtContext& ctx, StmfState& state);
void RegisterViewOps(mgmt::Dispatcher& d, MgmtContext& ctx, StmfState& state);
void RegisterLuOps(mgmt::Dispatcher& d, MgmtContext& ctx, StmfState& state);
// alua-set-state / alua-get-state / lu-standby / lu-active / alua-list-lu
// (mgmt_stmf_alua.cc): the node's ALUA setting, stored with the service object
// and applied to the pair (ctx.pair), and LU moves between the nodes.
void RegisterAluaOps(mgmt::Dispatcher& d, MgmtContext& ctx, StmfState& state);

// Start-up (mgmt_stmf_load.cc). Errors: the store cannot be read or written, or
// a --lu LU cannot be opened or created.
Status LoadStmfConfig(MgmtContext& ctx, StmfState& state);

}  // namespace openstmf::daemon

#endif  // OPENSTMF_DAEMON_MGMT_STMF_H
