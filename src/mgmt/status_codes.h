// The libstmf status codes (COMSTAR <libstmf.h>) as management replies carry them.
// include/libstmf.h defines the same values for C callers; src/lib/stmf checks at
// compile time that the two agree.
#ifndef OPENSTMF_MGMT_STATUS_CODES_H
#define OPENSTMF_MGMT_STATUS_CODES_H

#include <cstdint>

#include "base/status.h"

namespace openstmf::mgmt {

inline constexpr uint32_t kStmfStatusSuccess = 0x0000;
inline constexpr uint32_t kStmfStatusError = 0x8000;
inline constexpr uint32_t kStmfErrorBusy = 0x8001;
inline constexpr uint32_t kStmfErrorNotFound = 0x8002;
inline constexpr uint32_t kStmfErrorMemberNotFound = 0x8003;
inline constexpr uint32_t kStmfErrorGroupNotFound = 0x8004;
inline constexpr uint32_t kStmfErrorPerm = 0x8005;
inline constexpr uint32_t kStmfErrorNomem = 0x8006;
inline constexpr uint32_t kStmfErrorInvalidArg = 0x8007;
inline constexpr uint32_t kStmfErrorExists = 0x8008;
inline constexpr uint32_t kStmfErrorServiceNotFound = 0x8009;
inline constexpr uint32_t kStmfErrorServiceOnline = 0x800a;
inline constexpr uint32_t kStmfErrorServiceOffline = 0x800b;
inline constexpr uint32_t kStmfErrorGroupInUse = 0x800c;
inline constexpr uint32_t kStmfErrorLunInUse = 0x800d;
inline constexpr uint32_t kStmfErrorVeConflict = 0x800e;
inline constexpr uint32_t kStmfErrorConfigNone = 0x800f;
inline constexpr uint32_t kStmfErrorServiceDataVersion = 0x8010;
inline constexpr uint32_t kStmfErrorInvalidHg = 0x8011;
inline constexpr uint32_t kStmfErrorInvalidTg = 0x8012;
inline constexpr uint32_t kStmfErrorProvDataStale = 0x8013;
inline constexpr uint32_t kStmfErrorNoProp = 0x8014;
inline constexpr uint32_t kStmfErrorNoPropVal = 0x8015;
inline constexpr uint32_t kStmfErrorMissingPropVal = 0x8016;
inline constexpr uint32_t kStmfErrorInvalidBlocksize = 0x8017;
inline constexpr uint32_t kStmfErrorFileAlready = 0x8018;
inline constexpr uint32_t kStmfErrorInvalidPropsize = 0x8019;
inline constexpr uint32_t kStmfErrorInvalidProp = 0x8020;
inline constexpr uint32_t kStmfErrorPersistType = 0x8021;
inline constexpr uint32_t kStmfErrorTgOnline = 0x8022;
inline constexpr uint32_t kStmfErrorAccessStateSet = 0x8023;
inline constexpr uint32_t kStmfErrorNoPropStandby = 0x8024;
inline constexpr uint32_t kStmfErrorPostMsgFailed = 0x8025;
inline constexpr uint32_t kStmfErrorDoorInstalled = 0x8026;

// A generic mapping of a Status to a status code, for errors no operation maps
// more precisely (views carry their own detail; see stmf/views.h).
uint32_t StatusToStmf(const Status& s);

}  // namespace openstmf::mgmt

#endif  // OPENSTMF_MGMT_STATUS_CODES_H
