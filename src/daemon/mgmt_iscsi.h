// The iSCSI port provider's management (itadm, "it-*" operations; names in
// mgmt/iscsi_ops.h) and its part of stmfd's start-up. Conventions as in
// mgmt/ops.h: replies carry "status" and, on failure, "error" naming the object
// (`target "iqn..." not found`); invalid arguments change nothing
// (STMF_ERROR_INVALID_ARG); every change is written to the ConfigStore in one
// batch before the answer (FailPersist when refused) and then made live
// (mgmt_iscsi_runtime.h). Names are iSCSI names, kept lower-case; values are
// checked as mgmt_iscsi_config.h says. Secrets travel in requests only; no reply
// and no log line carries one (replies say *_secret_set 0/1).
//
// Targets
//   it-create-target {name?, alias?, auth?, chap_user?, chap_secret?, tpgs?} -> name
//       name absent: iqn.2026-11.org.openstmf:<random UUID>. auth: none | chap |
//       radius | default (the defaults' auth; the initial value). chap_user and
//       chap_secret are the target's own identity for mutual CHAP (the initiator
//       authenticates the target). tpgs: comma list of portal group names, or
//       "default" / absent for the default group (stmfd's --listen portals, tag 1).
//       STMF_ERROR_EXISTS, STMF_ERROR_NOT_FOUND (unknown group).
//   it-modify-target {name, new_name?, alias?, auth?, chap_user?, chap_secret?, tpgs?}
//       alias / chap_user "none" clear them; chap_secret "" clears it; tpgs
//       replaces the list; new_name renames (the old name's sessions end).
//   it-delete-target {name, force?}  STMF_ERROR_BUSY while it has sessions,
//       unless force (its sessions are logged out).
//   it-list-targets -> targets: [{name, alias, auth (effective), auth_default,
//       chap_user, chap_secret_set, tpgs, tpg_tags ("name=tag,..."), status
//       ("online"/"offline"), session_count}]
//   it-get-target {name} -> the same fields at the top level.
//
// Target portal groups
//   it-create-tpg {name, portals}  portals: comma list of IPv4[:port] or
//       [IPv6][:port] (port 3260 by default). The portals are opened before the
//       group is stored; one that cannot be opened fails the request
//       (STMF_ERROR_BUSY, naming the portal). -> tag (2..65535)
//   it-delete-tpg {name, force?}  STMF_ERROR_GROUP_IN_USE while a target names
//       it, unless force (it is taken out of those targets). Its portals close.
//   it-list-tpgs -> tpgs: [{name, tag, portals, listening (portals open now)}]
//
// Initiators (the CHAP secret a target with auth chap expects from each)
//   it-create-initiator {name, chap_user?, chap_secret?}   STMF_ERROR_EXISTS
//   it-modify-initiator {name, chap_user?, chap_secret?}   STMF_ERROR_NOT_FOUND
//       chap_user: the CHAP name the initiator sends (default: its iSCSI name);
//       "none" clears it. chap_secret "" clears the secret.
//   it-delete-initiator {name}
//   it-list-initiators -> initiators: [{name, chap_user, chap_secret_set}]
//
// Defaults
//   it-modify-defaults {auth?, radius_server?, radius_secret?, isns?, isns_servers?}
//       auth: none | chap | radius — targets with auth "default" use it, and
//       discovery sessions authenticate with it (chap: SendTargets needs the
//       initiator's CHAP secret). RADIUS server and secret are stored, but
//       RADIUS authentication is not supported: a login that needs it is
//       refused (02/01) with a log line saying so. isns 0/1; isns_servers: comma
//       list of host[:port] (3205 by default), at most 8; enabling iSNS needs
//       a server. At least one field (else STMF_ERROR_INVALID_ARG).
//   it-get-defaults -> auth, radius_server, radius_secret_set, isns, isns_servers,
//       isns_status: [{server, registered, error}]
//
// Targets as local ports (the generic operations of mgmt/ops.h)
//   list-targets, get-target {devid}, list-sessions {devid} read the framework's
//   port and session registry; online-target / offline-target {devid} keep the
//   iSCSI target's state in its store object. An offline target refuses logins
//   (03/01, target not available), is left out of SendTargets and iSNS, and its
//   sessions end.
//
// Start-up (LoadIscsiConfig): the stored targets, groups, initiators and defaults
// are made live. On the first start (no "iscsi-target" objects and no
// "iscsi-defaults") the default target named by --target is created on the
// default group and stored with the defaults, so a later delete-target sticks.
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
