// The table of login/text keys a target knows: RFC 7143 §12 (security) and §13
// (operational), legacy RFC 3720 marker keys and the iSER keys of RFC 7145.
//
// Each entry says how the key is negotiated (its result function), when it may be
// used, who may send it and its numeric range. The negotiation engine (negotiator.h)
// and the login state machine (login.h) are driven by this table rather than by
// per-key code wherever the rule is generic.
//
// Thread-safety: immutable data.
#ifndef OPENSTMF_PORT_ISCSI_KEYS_H
#define OPENSTMF_PORT_ISCSI_KEYS_H

#include <cstdint>
#include <string_view>

namespace openstmf::iscsi {

enum class KeyId : uint8_t {
  kHeaderDigest,
  kDataDigest,
  kMaxConnections,
  kSendTargets,
  kTargetName,
  kInitiatorName,
  kTargetAlias,
  kInitiatorAlias,
  kTargetAddress,
  kTargetPortalGroupTag,
  kInitialR2T,
  kImmediateData,
  kMaxRecvDataSegmentLength,
  kMaxBurstLength,
  kFirstBurstLength,
  kDefaultTime2Wait,
  kDefaultTime2Retain,
  kMaxOutstandingR2T,
  kDataPDUInOrder,
  kDataSequenceInOrder,
  kErrorRecoveryLevel,
  kSessionType,
  kTaskReporting,
  kProtocolLevel,
  kAuthMethod,
  kChapA,
  kChapI,
  kChapC,
  kChapN,
  kChapR,
  // RFC 3720 markers, removed by RFC 7143 but still offered by older initiators.
  kOFMarker,
  kIFMarker,
  kOFMarkInt,
  kIFMarkInt,
  // RFC 7145 (iSER).
  kRdmaExtensions,
  kTargetRecvDataSegmentLength,
  kInitiatorRecvDataSegmentLength,
  kMaxOutstandingUnexpectedPdus,
  kCount,
};

// Result functions, RFC 7143 §6.2.
enum class KeyKind : uint8_t {
  kList,         // first value of the offer the responder supports
  kBoolAnd,      // Yes only if both say Yes
  kBoolOr,       // Yes if either says Yes
  kNumMin,       // smaller of the two
  kNumMax,       // larger of the two
  kDeclarative,  // a statement; no answer expected
  kSecurity,     // handled by the authentication exchange (§12)
};

// When a key may appear (the "Use" line of each §13 entry).
enum class KeyUse : uint8_t {
  kLeadingOnly,      // LO: login of the session's first connection
  kInitialOnly,      // IO: login only, any connection
  kAll,              // login and full feature phase
  kFullFeatureOnly,  // FFO
  kSecurityStage,    // security negotiation stage only
};

inline constexpr uint8_t kFromInitiator = 1;
inline constexpr uint8_t kFromTarget = 2;

struct KeyDef {
  std::string_view name;
  KeyId id;
  KeyKind kind;
  KeyUse use;
  uint8_t senders;  // kFromInitiator | kFromTarget
  uint32_t min;     // numeric range (numeric keys)
  uint32_t max;
  bool irrelevant_in_discovery;
};

// The entry for `name`, or nullptr for keys this target does not understand
// (including private X- and public X# extension keys, RFC 7143 §13.22).
const KeyDef* FindKey(std::string_view name);
const KeyDef& KeyById(KeyId id);

}  // namespace openstmf::iscsi

#endif  // OPENSTMF_PORT_ISCSI_KEYS_H
