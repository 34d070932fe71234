// The management operations: the "op" of each request stmfd's management door
// accepts, with its fields. libstmf (src/lib/stmf), the CLIs and stmfd's handlers
// (src/daemon/mgmt_*) all use these names; this file is the contract between them.
//
// Conventions
//  - Every reply has "status" (u64, a libstmf code from status_codes.h; 0 is
//    success) and, unless it is 0, "error": one sentence for people that names the
//    object, e.g. `host group "hg1" not found`, `LU 600144F0... not found`.
//  - guid: 16 raw bytes. devid: the port or initiator name as text
//    ("iqn.2026-11.org.openstmf:default", "eui.0123456789ABCDEF", "wwn.…").
//  - Booleans are numbers 0/1. Optional fields may be absent.
//  - Lists are lists of nested messages, each described as {field, ...}.
//
// Service (kOp*State)
//   get-state        -> operational_state (STMF_SERVICE_STATE_*), config_state
//                       (STMF_CONFIG_STATE_*), alua_enabled, alua_node,
//                       persist_method (STMF_PERSIST_SMF 1 | STMF_PERSIST_NONE 2),
//                       default_lu_state, default_port_state ("online"/"offline"),
//                       mgmt_url (the global LU management URL; absent when unset)
//   online / offline -> (STMF_ERROR_SERVICE_ONLINE / _OFFLINE when already so)
//   set-persist-method {persist_method}
//   set-stmf-prop    {name: "default_lu_state"|"default_port_state"|"mgmt_url", value}
//                    (mgmt_url: stmfSetGlobalLuProp; an empty value clears it)
//
// Host and target groups (kind: "host" | "target")
//   create-group  {kind, name}           delete-group {kind, name}
//   add-member    {kind, name, member}   remove-member {kind, name, member}
//   list-groups   {kind} -> groups: [{name}]
//   list-members  {kind, name} -> members: [{name}]
//
// Views
//   add-view      {guid, host_group?, target_group?, lun?, index?}
//                 (absent group = all hosts / all targets; absent lun/index = lowest free)
//                 -> index, lun
//   remove-view   {guid, index}
//   list-views    {guid} -> views: [{index, host_group?, target_group?, lun}]
//   validate-view {guid?, host_group?, target_group?, lun?, index?} -> lun, index
//
// Logical units (LU properties, as text, named as in stmfadm create-lu -p):
//   alias, vendor (<=8), product (<=16), revision (<=4), serial, guid (32 hex),
//   blk (block size), size (bytes), meta (metadata file), data (data file),
//   wp (write protect "true"/"false"), wcd (write cache disabled "true"/"false"),
//   mgmt-url, oui (company id, 6 hex), removable ("true"/"false"),
//   access_state ("0".."3", read only), host_id (read only)
//   create-lu   {props: [{name, value}]} -> guid   (size required for a new file;
//               an existing file without sbd metadata is used at its size)
//   import-lu   {file} -> guid                   (LU metadata from the backing store)
//   modify-lu   {guid | file, props: [{name, value}]}   (size grows/shrinks, wp, wcd, alias,
//               mgmt-url, ...; raises CAPACITY DATA HAS CHANGED / MODE PARAMETERS CHANGED)
//   delete-lu   {guid, keep_views?}
//   list-lus    -> lus: [{guid}]
//   get-lu      {guid} -> guid, provider ("sbd"), state ("online"/"offline"; not
//               "status", which is the reply's code), view_count, and every LU
//               property above as a text field of its name
//   online-lu / offline-lu {guid}
//   list-lu-providers   -> providers: [{name, instance}]
//   list-port-providers -> providers: [{name, instance}]
//   get-provider-data   {name, type (1 LU, 2 port)} -> data (packed bytes), token
//   set-provider-data   {name, type, data, token?} -> token   (a token that is not the
//                       current one: STMF_ERROR_PROV_DATA_STALE)
//   clear-provider-data {name, type}
//
// Targets (local ports) and sessions
//   list-targets   -> targets: [{devid}]
//   get-target     {devid} -> devid, provider ("iscsit"), alias, protocol (5 = iSCSI),
//                  state ("online"/"offline"; not "status", the reply's code),
//                  session_count
//   online-target / offline-target {devid}
//   list-sessions  {devid} -> sessions: [{initiator, alias, creation_time (unix s)}]
//
// iSCSI port provider (itadm) ops are prefixed "it-" and documented in
// src/daemon/mgmt_iscsi.h.
//
// ALUA (stmfSetAluaState, stmfGetAluaState, stmfLuStandby, aluaadm)
//   alua-set-state {enabled, node} (node 0 or 1 when enabling: else INVALID_ARG;
//                  enabling again re-registers everything with the peer)
//   alua-get-state -> enabled, node, peer (the peer node answers), mode
//                  ("standby" | "active-nonoptimized")
//   lu-standby     {guid}   (this node's LU becomes Standby; the peer owns it;
//                  NOT_FOUND for a LU not shared, BUSY when the peer is not
//                  reachable or the move does not finish in time)
//   lu-active      {guid}   (the reverse: this node asks the peer for the LU)
//   alua-list-lu   -> lus: [{guid, access}] (access: "Active", "Standby",
//                  "Active/Non-optimized", "Transitioning", "Unavailable")
// The proxy door itself is not a management op: see ha/proxy_door.h.
//
// Persistent objects (ConfigStore kind / key / properties), written in the same
// transaction as the change that makes them:
//   "lu" / guid hex / data, meta, and the properties set by create/modify; "state"
//   "online"|"offline" "host-group", "target-group" / name / members (newline-separated) "view" /
//   guid hex + "/" + index / host_group, target_group, lun "stmf" / "service" / operational
//   ("online"|"offline"), persist_method ("smf"|"none"),
//                        default_lu_state, default_port_state, mgmt_url, alua_enabled
//                        ("true"|"false"), alua_node
//   "provider-data" / type + "/" + name / data (hex), token
//   "iscsi-target" / name / alias, auth, chap_user, chap_secret, tpgs (comma list), state
//   "iscsi-tpg" / tag / portals (comma list of addr:port, IPv6 as [addr]:port)
//   "iscsi-initiator" / name / chap_user, chap_secret
//   "iscsi-defaults" / "defaults" / auth, radius_server, radius_secret, isns
//                        ("true"|"false"), isns_servers (comma list)
//
// Thread-safety: constants.
#ifndef OPENSTMF_MGMT_OPS_H
#define OPENSTMF_MGMT_OPS_H

namespace openstmf::mgmt {

inline constexpr const char* kOpGetState = "get-state";
inline constexpr const char* kOpOnline = "online";
inline constexpr const char* kOpOffline = "offline";
inline constexpr const char* kOpSetPersistMethod = "set-persist-method";
inline constexpr const char* kOpSetStmfProp = "set-stmf-prop";

inline constexpr const char* kOpCreateGroup = "create-group";
inline constexpr const char* kOpDeleteGroup = "delete-group";
inline constexpr const char* kOpAddMember = "add-member";
inline constexpr const char* kOpRemoveMember = "remove-member";
inline constexpr const char* kOpListGroups = "list-groups";
inline constexpr const char* kOpListMembers = "list-members";

inline constexpr const char* kOpAddView = "add-view";
inline constexpr const char* kOpRemoveView = "remove-view";
inline constexpr const char* kOpListViews = "list-views";
inline constexpr const char* kOpValidateView = "validate-view";

inline constexpr const char* kOpCreateLu = "create-lu";
inline constexpr const char* kOpImportLu = "import-lu";
inline constexpr const char* kOpModifyLu = "modify-lu";
inline constexpr const char* kOpDeleteLu = "delete-lu";
inline constexpr const char* kOpListLus = "list-lus";
inline constexpr const char* kOpGetLu = "get-lu";
inline constexpr const char* kOpOnlineLu = "online-lu";
inline constexpr const char* kOpOfflineLu = "offline-lu";
inline constexpr const char* kOpListLuProviders = "list-lu-providers";
inline constexpr const char* kOpListPortProviders = "list-port-providers";
inline constexpr const char* kOpGetProviderData = "get-provider-data";
inline constexpr const char* kOpSetProviderData = "set-provider-data";
inline constexpr const char* kOpClearProviderData = "clear-provider-data";

inline constexpr const char* kOpListTargets = "list-targets";
inline constexpr const char* kOpGetTarget = "get-target";
inline constexpr const char* kOpOnlineTarget = "online-target";
inline constexpr const char* kOpOfflineTarget = "offline-target";
inline constexpr const char* kOpListSessions = "list-sessions";

inline constexpr const char* kOpAluaSetState = "alua-set-state";
inline constexpr const char* kOpAluaGetState = "alua-get-state";
inline constexpr const char* kOpLuStandby = "lu-standby";
inline constexpr const char* kOpLuActive = "lu-active";
inline constexpr const char* kOpAluaListLu = "alua-list-lu";

}  // namespace openstmf::mgmt

#endif  // OPENSTMF_MGMT_OPS_H
