// Making the iSCSI configuration live: the store's targets, portal groups,
// initiators and defaults (mgmt_iscsi_config.h) reconciled with what the iSCSI
// port provider and the framework run.
//
// SyncIscsi brings the running state to `config`: portal groups open or close
// their listeners; every target is (re)configured in the port's TargetTable with
// its portals (its groups', or the default group's — stmfd's --listen portals,
// tag 1 — when it names none), its resolved authentication ("default" takes the
// defaults' auth) and its mutual-CHAP identity, and is registered with the
// framework as a local port (devid = the target name, provider "iscsit",
// protocol iSCSI) online or offline; targets no longer configured are removed
// (their sessions end) and deregistered; initiators' CHAP secrets and the
// discovery authentication go to the TargetTable; the iSNS client is started,
// updated or stopped. A portal group whose portal cannot be opened is logged and
// left closed, so a changed network never stops stmfd from starting.
//
// Thread-safety: the management thread (or start-up), one call at a time.
#ifndef OPENSTMF_DAEMON_MGMT_ISCSI_RUNTIME_H
#define OPENSTMF_DAEMON_MGMT_ISCSI_RUNTIME_H

#include "base/status.h"
#include "daemon/mgmt_context.h"
#include "daemon/mgmt_iscsi_config.h"

namespace openstmf::daemon {

void SyncIscsi(const IscsiConfig& config, MgmtContext& ctx);

// Opens every portal of `tpg` (all or none: on failure the ones opened are
// closed again). Errors name the portal and the reason.
Status OpenTpg(const IscsiTpgDef& tpg, MgmtContext& ctx);

// The target's auth with "default" resolved.
std::string EffectiveAuth(const IscsiTargetDef& t, const IscsiDefaults& d);

}  // namespace openstmf::daemon

#endif  // OPENSTMF_DAEMON_MGMT_ISCSI_RUNTIME_H
