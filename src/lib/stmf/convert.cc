#include "lib/stmf/convert.h"

#include <cstring>

#include "mgmt/status_codes.h"

namespace openstmf::libstmf {

// The header's values are the ones the daemon's replies carry.
static_assert(STMF_STATUS_SUCCESS == mgmt::kStmfStatusSuccess);
static_assert(STMF_STATUS_ERROR == mgmt::kStmfStatusError);
static_assert(STMF_ERROR_BUSY == mgmt::kStmfErrorBusy);
static_assert(STMF_ERROR_NOT_FOUND == mgmt::kStmfErrorNotFound);
static_assert(STMF_ERROR_MEMBER_NOT_FOUND == mgmt::kStmfErrorMemberNotFound);
static_assert(STMF_ERROR_GROUP_NOT_FOUND == mgmt::kStmfErrorGroupNotFound);
static_assert(STMF_ERROR_PERM == mgmt::kStmfErrorPerm);
static_assert(STMF_ERROR_NOMEM == mgmt::kStmfErrorNomem);
static_assert(STMF_ERROR_INVALID_ARG == mgmt::kStmfErrorInvalidArg);
static_assert(STMF_ERROR_EXISTS == mgmt::kStmfErrorExists);
static_assert(STMF_ERROR_SERVICE_NOT_FOUND == mgmt::kStmfErrorServiceNotFound);
static_assert(STMF_ERROR_SERVICE_ONLINE == mgmt::kStmfErrorServiceOnline);
static_assert(STMF_ERROR_SERVICE_OFFLINE == mgmt::kStmfErrorServiceOffline);
static_assert(STMF_ERROR_GROUP_IN_USE == mgmt::kStmfErrorGroupInUse);
static_assert(STMF_ERROR_LUN_IN_USE == mgmt::kStmfErrorLunInUse);
static_assert(STMF_ERROR_VE_CONFLICT == mgmt::kStmfErrorVeConflict);
static_assert(STMF_ERROR_CONFIG_NONE == mgmt::kStmfErrorConfigNone);
static_assert(STMF_ERROR_SERVICE_DATA_VERSION == mgmt::kStmfErrorServiceDataVersion);
static_assert(STMF_ERROR_INVALID_HG == mgmt::kStmfErrorInvalidHg);
static_assert(STMF_ERROR_INVALID_TG == mgmt::kStmfErrorInvalidTg);
static_assert(STMF_ERROR_PROV_DATA_STALE == mgmt::kStmfErrorProvDataStale);
static_assert(STMF_ERROR_NO_PROP == mgmt::kStmfErrorNoProp);
static_assert(STMF_ERROR_NO_PROP_VAL == mgmt::kStmfErrorNoPropVal);
static_assert(STMF_ERROR_MISSING_PROP_VAL == mgmt::kStmfErrorMissingPropVal);
static_assert(STMF_ERROR_INVALID_BLOCKSIZE == mgmt::kStmfErrorInvalidBlocksize);
static_assert(STMF_ERROR_FILE_ALREADY == mgmt::kStmfErrorFileAlready);
static_assert(STMF_ERROR_INVALID_PROPSIZE == mgmt::kStmfErrorInvalidPropsize);
static_assert(STMF_ERROR_INVALID_PROP == mgmt::kStmfErrorInvalidProp);
static_assert(STMF_ERROR_PERSIST_TYPE == mgmt::kStmfErrorPersistType);
static_assert(STMF_ERROR_TG_ONLINE == mgmt::kStmfErrorTgOnline);
static_assert(STMF_ERROR_ACCESS_STATE_SET == mgmt::kStmfErrorAccessStateSet);
static_assert(STMF_ERROR_NO_PROP_STANDBY == mgmt::kStmfErrorNoPropStandby);
static_assert(STMF_ERROR_POST_MSG_FAILED == mgmt::kStmfErrorPostMsgFailed);
static_assert(STMF_ERROR_DOOR_INSTALLED == mgmt::kStmfErrorDoorInstalled);
// COMSTAR's layout, which binary callers depend on.
static_assert(sizeof(stmfGuid) == 16);
static_assert(sizeof(stmfDevid) == 256);
static_assert(sizeof(stmfGroupName) == 256);

std::optional<std::string> GroupNameText(const stmfGroupName* name) {
  if (name == nullptr) return std::nullopt;
  size_t len = strnlen(*name, sizeof(stmfGroupName));
  if (len == 0 || len == sizeof(stmfGroupName)) return std::nullopt;
  return std::string(*name, len);
}

std::optional<std::string> DevidText(const stmfDevid* devid) {
  if (devid == nullptr || devid->identLength == 0) return std::nullopt;
  return std::string(reinterpret_cast<const char*>(devid->ident), devid->identLength);
}

void SetDevid(std::string_view text, stmfDevid* devid) {
  memset(devid, 0, sizeof(*devid));
  size_t n = std::min(text.size(), sizeof(devid->ident));
  memcpy(devid->ident, text.data(), n);
  devid->identLength = static_cast<uint8_t>(n);
}

std::string GuidBytes(const stmfGuid& guid) {
  return std::string(reinterpret_cast<const char*>(guid.guid), sizeof(guid.guid));
}

bool SetGuid(std::string_view bytes, stmfGuid* guid) {
  if (bytes.size() != sizeof(guid->guid)) return false;
  memcpy(guid->guid, bytes.data(), bytes.size());
  return true;
}

uint32_t LunFromBytes(const uchar_t lun[8]) {
  return (static_cast<uint32_t>(lun[0] & 0x3f) << 8) | lun[1];
}

void LunToBytes(uint32_t lun, uchar_t out[8]) {
  memset(out, 0, 8);
  out[0] = static_cast<uchar_t>((lun >> 8) & 0x3f);
  out[1] = static_cast<uchar_t>(lun & 0xff);
}

void CopyText(std::string_view text, char* dst, size_t cap) {
  if (cap == 0) return;
  size_t n = std::min(text.size(), cap - 1);
  memcpy(dst, text.data(), n);
  dst[n] = '\0';
}

void CopyPadded(std::string_view text, uchar_t* dst, size_t cap) {
  memset(dst, ' ', cap);
  memcpy(dst, text.data(), std::min(text.size(), cap));
}

}  // namespace openstmf::libstmf
