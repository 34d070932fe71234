#include "daemon/mgmt_reply.h"

#include "base/log.h"
#include "lu/sbd/sbd_lu.h"
#include "mgmt/status_codes.h"

namespace openstmf::daemon {

mgmt::Message Fail(uint32_t code, std::string_view error) { return mgmt::Reply(code, error); }

uint32_t ErrorCode(const Status& s) {
  switch (s.detail()) {
    case stmf::kViewGroupNotFound:
      return mgmt::kStmfErrorGroupNotFound;
    case stmf::kViewMemberNotFound:
      return mgmt::kStmfErrorMemberNotFound;
    case stmf::kViewExists:
      return mgmt::kStmfErrorExists;
    case stmf::kViewNotFound:
      return mgmt::kStmfErrorNotFound;
    case stmf::kViewGroupInUse:
      return mgmt::kStmfErrorGroupInUse;
    case stmf::kViewConflict:
      return mgmt::kStmfErrorVeConflict;
    case stmf::kViewLunInUse:
      return mgmt::kStmfErrorLunInUse;
    case stmf::kViewInvalidHostGroup:
      return mgmt::kStmfErrorInvalidHg;
    case stmf::kViewInvalidTargetGroup:
      return mgmt::kStmfErrorInvalidTg;
    case stmf::kViewInvalidArg:
      return mgmt::kStmfErrorInvalidArg;
    default:
      if (s.detail() >= static_cast<int>(mgmt::kStmfStatusError)) {
        return static_cast<uint32_t>(s.detail());
      }
      return mgmt::StatusToStmf(s);
  }
}

mgmt::Message FailStatus(const Status& s) { return Fail(ErrorCode(s), s.message()); }

mgmt::Message FailPersist(const Status& s) {
  Log(LogLevel::kError, "stmfd", "configuration not saved, change undone: %s",
      s.ToString().c_str());
  return Fail(mgmt::kStmfStatusError,
              "the configuration could not be saved (" + s.message() + "); nothing was changed");
}

std::optional<stmf::Guid> ParseGuidHex(std::string_view hex) {
  if (hex.size() != 32) return std::nullopt;
  stmf::Guid g{};
  for (size_t i = 0; i < 32; ++i) {
    const char c = hex[i];
    int v = -1;
    if (c >= '0' && c <= '9') v = c - '0';
    if (c >= 'a' && c <= 'f') v = c - 'a' + 10;
    if (c >= 'A' && c <= 'F') v = c - 'A' + 10;
    if (v < 0) return std::nullopt;
    g[i / 2] = static_cast<uint8_t>(g[i / 2] | (i % 2 == 0 ? v << 4 : v));
  }
  return g;
}

std::optional<stmf::Guid> GuidField(const mgmt::Message& m, std::string_view name) {
  std::optional<std::string> b = m.Bytes(name);
  if (!b) return std::nullopt;
  if (b->size() == 16) {
    stmf::Guid g{};
    for (size_t i = 0; i < 16; ++i) g[i] = static_cast<uint8_t>((*b)[i]);
    return g;
  }
  return ParseGuidHex(*b);
}

std::string GuidHex(const stmf::Guid& guid) { return lu::GuidToString(guid); }

std::string GuidBytes(const stmf::Guid& guid) {
  return std::string(reinterpret_cast<const char*>(guid.data()), guid.size());
}

std::optional<stmf::GroupKind> GroupKindField(const mgmt::Message& m) {
  const std::string k = m.Text("kind");
  if (k == "host") return stmf::GroupKind::kHost;
  if (k == "target") return stmf::GroupKind::kTarget;
  return std::nullopt;
}

const char* GroupStoreKind(stmf::GroupKind kind) {
  return kind == stmf::GroupKind::kHost ? "host-group" : "target-group";
}

const char* GroupWord(stmf::GroupKind kind) {
  return kind == stmf::GroupKind::kHost ? "host" : "target";
}

ConfigChange GroupObject(stmf::GroupKind kind, const std::string& name,
                         const std::vector<std::string>& members) {
  std::string joined;
  for (const std::string& m : members) {
    if (!joined.empty()) joined += '\n';
    joined += m;
  }
  return ConfigChange::Put(GroupStoreKind(kind), name, {{"members", joined}});
}

std::string ViewKey(const stmf::Guid& guid, uint32_t index) {
  return GuidHex(guid) + "/" + std::to_string(index);
}

ConfigChange ViewObject(const stmf::Guid& guid, const stmf::ViewEntry& e) {
  return ConfigChange::Put("view", ViewKey(guid, e.index),
                           {{"host_group", e.host_group},
                            {"target_group", e.target_group},
                            {"lun", std::to_string(e.lun)}});
}

mgmt::Message BadGuid() {
  return Fail(mgmt::kStmfErrorInvalidArg, "the request needs a 16-byte LU GUID");
}

}  // namespace openstmf::daemon
