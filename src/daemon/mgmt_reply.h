// Helpers the management handlers share: replies, the view model's errors as
// libstmf codes, GUID fields, and the persisted form of groups and views.
//
// Thread-safety: pure functions.
#ifndef OPENSTMF_DAEMON_MGMT_REPLY_H
#define OPENSTMF_DAEMON_MGMT_REPLY_H

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/config_store.h"
#include "base/status.h"
#include "mgmt/message.h"
#include "stmf/views.h"

namespace openstmf::daemon {

// A failure reply: status code and the sentence naming the object.
mgmt::Message Fail(uint32_t code, std::string_view error);
// An error as its libstmf code: a view-model error by its ViewError detail
// (views.h), a detail of 0x8000 or more is the code itself (mgmt_lu_props.h),
// anything else as mgmt::StatusToStmf.
uint32_t ErrorCode(const Status& s);
mgmt::Message FailStatus(const Status& s);
// The reply when the store refused a change that has been undone.
mgmt::Message FailPersist(const Status& s);

// The 16-byte "guid" field (32 hex digits are accepted too); nullopt when
// absent or malformed.
std::optional<stmf::Guid> GuidField(const mgmt::Message& m, std::string_view name = "guid");
// The reply to a request whose GUID field is missing or malformed.
mgmt::Message BadGuid();
std::optional<stmf::Guid> ParseGuidHex(std::string_view hex);
std::string GuidHex(const stmf::Guid& guid);
std::string GuidBytes(const stmf::Guid& guid);

// "host" / "target" -> kind; nullopt otherwise.
std::optional<stmf::GroupKind> GroupKindField(const mgmt::Message& m);
const char* GroupStoreKind(stmf::GroupKind kind);  // "host-group" / "target-group"
const char* GroupWord(stmf::GroupKind kind);       // "host" / "target"

// The persisted objects (ops.h).
ConfigChange GroupObject(stmf::GroupKind kind, const std::string& name,
                         const std::vector<std::string>& members);
std::string ViewKey(const stmf::Guid& guid, uint32_t index);
ConfigChange ViewObject(const stmf::Guid& guid, const stmf::ViewEntry& e);

}  // namespace openstmf::daemon

#endif  // OPENSTMF_DAEMON_MGMT_REPLY_H
