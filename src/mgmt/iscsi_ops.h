// The iSCSI port provider's management operations (itadm): their names. Fields,
// replies and errors are documented with the handlers in src/daemon/mgmt_iscsi.h.
//
// Thread-safety: constants.
#ifndef OPENSTMF_MGMT_ISCSI_OPS_H
#define OPENSTMF_MGMT_ISCSI_OPS_H

namespace openstmf::mgmt {

inline constexpr const char* kOpItCreateTarget = "it-create-target";
inline constexpr const char* kOpItModifyTarget = "it-modify-target";
inline constexpr const char* kOpItDeleteTarget = "it-delete-target";
inline constexpr const char* kOpItListTargets = "it-list-targets";
inline constexpr const char* kOpItGetTarget = "it-get-target";

inline constexpr const char* kOpItCreateTpg = "it-create-tpg";
inline constexpr const char* kOpItDeleteTpg = "it-delete-tpg";
inline constexpr const char* kOpItListTpgs = "it-list-tpgs";

inline constexpr const char* kOpItCreateInitiator = "it-create-initiator";
inline constexpr const char* kOpItModifyInitiator = "it-modify-initiator";
inline constexpr const char* kOpItDeleteInitiator = "it-delete-initiator";
inline constexpr const char* kOpItListInitiators = "it-list-initiators";

inline constexpr const char* kOpItModifyDefaults = "it-modify-defaults";
inline constexpr const char* kOpItGetDefaults = "it-get-defaults";

}  // namespace openstmf::mgmt

#endif  // OPENSTMF_MGMT_ISCSI_OPS_H
