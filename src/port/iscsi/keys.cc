#include "port/iscsi/keys.h"

namespace openstmf::iscsi {
namespace {

constexpr uint8_t kI = kFromInitiator;
constexpr uint8_t kT = kFromTarget;
constexpr uint8_t kIT = kFromInitiator | kFromTarget;
constexpr uint32_t k24 = (1u << 24) - 1;

// Ordered by KeyId. Ranges and result functions: RFC 7143 §13.1-§13.24, RFC 3720
// §12.17 (markers), RFC 7145 §6.3 (iSER).
constexpr KeyDef kKeys[] = {
    {"HeaderDigest", KeyId::kHeaderDigest, KeyKind::kList, KeyUse::kInitialOnly, kIT, 0, 0, false},
    {"DataDigest", KeyId::kDataDigest, KeyKind::kList, KeyUse::kInitialOnly, kIT, 0, 0, false},
    {"MaxConnections", KeyId::kMaxConnections, KeyKind::kNumMin, KeyUse::kLeadingOnly, kIT, 1,
     65535, true},
    {"SendTargets", KeyId::kSendTargets, KeyKind::kDeclarative, KeyUse::kFullFeatureOnly, kI, 0, 0,
     false},
    {"TargetName", KeyId::kTargetName, KeyKind::kDeclarative, KeyUse::kInitialOnly, kIT, 0, 0,
     false},
    {"InitiatorName", KeyId::kInitiatorName, KeyKind::kDeclarative, KeyUse::kInitialOnly, kI, 0, 0,
     false},
    {"TargetAlias", KeyId::kTargetAlias, KeyKind::kDeclarative, KeyUse::kAll, kT, 0, 0, false},
    {"InitiatorAlias", KeyId::kInitiatorAlias, KeyKind::kDeclarative, KeyUse::kAll, kI, 0, 0,
     false},
    {"TargetAddress", KeyId::kTargetAddress, KeyKind::kDeclarative, KeyUse::kAll, kT, 0, 0, false},
    {"TargetPortalGroupTag", KeyId::kTargetPortalGroupTag, KeyKind::kDeclarative,
     KeyUse::kInitialOnly, kT, 0, 65535, false},
    {"InitialR2T", KeyId::kInitialR2T, KeyKind::kBoolOr, KeyUse::kLeadingOnly, kIT, 0, 0, true},
    {"ImmediateData", KeyId::kImmediateData, KeyKind::kBoolAnd, KeyUse::kLeadingOnly, kIT, 0, 0,
     true},
    {"MaxRecvDataSegmentLength", KeyId::kMaxRecvDataSegmentLength, KeyKind::kDeclarative,
     KeyUse::kAll, kIT, 512, k24, false},
    {"MaxBurstLength", KeyId::kMaxBurstLength, KeyKind::kNumMin, KeyUse::kLeadingOnly, kIT, 512,
     k24, true},
    {"FirstBurstLength", KeyId::kFirstBurstLength, KeyKind::kNumMin, KeyUse::kLeadingOnly, kIT, 512,
     k24, true},
    {"DefaultTime2Wait", KeyId::kDefaultTime2Wait, KeyKind::kNumMax, KeyUse::kLeadingOnly, kIT, 0,
     3600, false},
    {"DefaultTime2Retain", KeyId::kDefaultTime2Retain, KeyKind::kNumMin, KeyUse::kLeadingOnly, kIT,
     0, 3600, false},
    {"MaxOutstandingR2T", KeyId::kMaxOutstandingR2T, KeyKind::kNumMin, KeyUse::kLeadingOnly, kIT, 1,
     65535, true},
    {"DataPDUInOrder", KeyId::kDataPDUInOrder, KeyKind::kBoolOr, KeyUse::kLeadingOnly, kIT, 0, 0,
     true},
    {"DataSequenceInOrder", KeyId::kDataSequenceInOrder, KeyKind::kBoolOr, KeyUse::kLeadingOnly,
     kIT, 0, 0, true},
    {"ErrorRecoveryLevel", KeyId::kErrorRecoveryLevel, KeyKind::kNumMin, KeyUse::kLeadingOnly, kIT,
     0, 2, false},
    {"SessionType", KeyId::kSessionType, KeyKind::kDeclarative, KeyUse::kLeadingOnly, kI, 0, 0,
     false},
    {"TaskReporting", KeyId::kTaskReporting, KeyKind::kList, KeyUse::kLeadingOnly, kIT, 0, 0, true},
    {"iSCSIProtocolLevel", KeyId::kProtocolLevel, KeyKind::kNumMin, KeyUse::kLeadingOnly, kIT, 0,
     31, false},
    {"AuthMethod", KeyId::kAuthMethod, KeyKind::kSecurity, KeyUse::kSecurityStage, kIT, 0, 0,
     false},
    {"CHAP_A", KeyId::kChapA, KeyKind::kSecurity, KeyUse::kSecurityStage, kIT, 0, 0, false},
    {"CHAP_I", KeyId::kChapI, KeyKind::kSecurity, KeyUse::kSecurityStage, kIT, 0, 255, false},
    {"CHAP_C", KeyId::kChapC, KeyKind::kSecurity, KeyUse::kSecurityStage, kIT, 0, 0, false},
    {"CHAP_N", KeyId::kChapN, KeyKind::kSecurity, KeyUse::kSecurityStage, kIT, 0, 0, false},
    {"CHAP_R", KeyId::kChapR, KeyKind::kSecurity, KeyUse::kSecurityStage, kIT, 0, 0, false},
    {"OFMarker", KeyId::kOFMarker, KeyKind::kBoolAnd, KeyUse::kInitialOnly, kIT, 0, 0, false},
    {"IFMarker", KeyId::kIFMarker, KeyKind::kBoolAnd, KeyUse::kInitialOnly, kIT, 0, 0, false},
    {"OFMarkInt", KeyId::kOFMarkInt, KeyKind::kDeclarative, KeyUse::kInitialOnly, kIT, 0, 0, false},
    {"IFMarkInt", KeyId::kIFMarkInt, KeyKind::kDeclarative, KeyUse::kInitialOnly, kIT, 0, 0, false},
    {"RDMAExtensions", KeyId::kRdmaExtensions, KeyKind::kBoolAnd, KeyUse::kLeadingOnly, kIT, 0, 0,
     false},
    {"TargetRecvDataSegmentLength", KeyId::kTargetRecvDataSegmentLength, KeyKind::kDeclarative,
     KeyUse::kInitialOnly, kIT, 512, k24, false},
    {"InitiatorRecvDataSegmentLength", KeyId::kInitiatorRecvDataSegmentLength,
     KeyKind::kDeclarative, KeyUse::kInitialOnly, kIT, 512, k24, false},
    {"MaxOutstandingUnexpectedPDUs", KeyId::kMaxOutstandingUnexpectedPdus, KeyKind::kNumMin,
     KeyUse::kLeadingOnly, kIT, 0, 0xffffffff, false},
};
static_assert(sizeof(kKeys) / sizeof(kKeys[0]) == static_cast<size_t>(KeyId::kCount));

}  // namespace

const KeyDef* FindKey(std::string_view name) {
  for (const KeyDef& k : kKeys) {
    if (k.name == name) return &k;
  }
  return nullptr;
}

const KeyDef& KeyById(KeyId id) { return kKeys[static_cast<size_t>(id)]; }

}  // namespace openstmf::iscsi
